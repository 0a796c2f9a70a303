/**
 * The scan engine: runs the rules (after their keyword prefilter) and the vault's own
 * fingerprint matcher over one text, drops placeholders and overlaps, lowers values typed as
 * examples to low-confidence warnings, honours inline
 * `vault-allow` comments, and turns offsets into lines and columns.
 */
import { findKeywordGroups, indexKeywordGroups, type KeywordIndex } from "./keywords.js";
import { isPlaceholder, looksHandTyped } from "./placeholders.js";
import type { Confidence, Finding, ScanContext, ScanRule, SecretState, Severity } from "./rule.js";
import { RULES } from "./rules.js";

/** A span of the vault's own secret found in a text. */
export interface SecretMatch {
  start: number;
  end: number;
  /** The vault secret's name. */
  name: string;
  /**
   * A value the vault held and no longer treats as valid (rotated out, replaced, of a removed
   * secret): reported as exposed, already rotated.
   */
  retired?: boolean;
}

/** Finds the vault's own secrets in a text (see fingerprints.ts). */
export interface SecretMatcher {
  match(text: string): SecretMatch[];
}

/** The rule id of findings of the vault's own secrets. */
export const VAULT_SECRET_RULE = "vault-secret";

/**
 * Added to the description of a finding whose value a person typed (`looksHandTyped`: it
 * counts up or down, says it is not real; or a rule's `typed` match, a phrase of words):
 * reported as a warning of low confidence.
 */
export const TYPED_NOTE = "- its value looks typed by a person (an example, or a weak secret)";

/** Options of {@link scanText}. */
export interface ScanTextOptions {
  /** The file as shown to people. */
  file: string;
  /** Rules to run (default: all built-in rules). */
  rules?: readonly ScanRule[];
  /** The vault's own secrets. */
  matcher?: SecretMatcher;
}

interface Candidate {
  ruleId: string;
  description: string;
  severity: Severity;
  confidence: Confidence;
  start: number;
  end: number;
  priority: number;
  secretName?: string;
  secretState?: SecretState;
}

const keywordIndexes = new WeakMap<readonly ScanRule[], KeywordIndex>();

/** The keyword index of a rule list, built once per list. */
function keywordIndexOf(rules: readonly ScanRule[]): KeywordIndex {
  let index = keywordIndexes.get(rules);
  if (!index) {
    // Each rule's keywords, then each rule's rare keywords (group rules.length + i).
    index = indexKeywordGroups([
      ...rules.map((rule) => rule.keywords),
      ...rules.map((rule) => rule.rareKeywords ?? []),
    ]);
    keywordIndexes.set(rules, index);
  }
  return index;
}

const ALLOW = /vault-allow(?::[ \t]*([a-z0-9-]+(?:[ \t]*,[ \t]*[a-z0-9-]+)*))?/;
/**
 * The comments other scanners' users already wrote on lines they judged to hold no secret:
 * detect-secrets' `pragma: allowlist secret` (and its older `whitelist`), gitleaks'
 * `gitleaks:allow` and TruffleHog's `trufflehog:ignore`. Each allows every rule, as there, but
 * not the vault's own values: a comment written for another scanner does not hide a secret this
 * vault holds.
 */
const OTHER_ALLOW =
  /pragma:[ \t]*(?:allow|white)list[ \t]+secret\b|\bgitleaks:allow\b|\btrufflehog:ignore\b/;
/** detect-secrets' comment that allows the line after it. */
const NEXT_LINE_ALLOW = /pragma:[ \t]*(?:allow|white)list[ \t]+nextline[ \t]+secret\b/;

/** At most the first 4 characters of a secret (fewer for short ones), then `…`. */
export function maskPreview(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown).replace(/\s/g, " ")}…`;
}

/** Offsets of line starts, for offset → line/column. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * What a line allows: nothing (`undefined`), every rule (`true`, a bare `vault-allow`), every
 * rule but the vault's own values (`"rules"`, another scanner's comment), or the rules a
 * `vault-allow: …` names. Read once per line (a one-line file may hold thousands of findings).
 */
type Allowed = Set<string> | true | "rules" | undefined;

function allowedOn(
  text: string,
  starts: number[],
  line: number,
  cache: Map<number, Allowed>,
): Allowed {
  if (cache.has(line)) return cache.get(line);
  const lineText = (at: number) => {
    const next = starts[at + 1];
    return text.slice(starts[at] as number, next === undefined ? text.length : next);
  };
  const own = lineText(line);
  const allow = ALLOW.exec(own);
  const named =
    !allow || allow[1] === undefined
      ? undefined
      : new Set(allow[1].split(",").map((id) => id.trim()));
  const byOthers = OTHER_ALLOW.test(own) || (line > 0 && NEXT_LINE_ALLOW.test(lineText(line - 1)));
  const allowed: Allowed =
    allow && !named ? true : byOthers ? (named?.has(VAULT_SECRET_RULE) ? true : "rules") : named;
  cache.set(line, allowed);
  return allowed;
}

/** True when the line holding `offset` allows `ruleId` with an allow comment. */
function isAllowed(
  text: string,
  starts: number[],
  line: number,
  ruleId: string,
  cache: Map<number, Allowed>,
): boolean {
  const allowed = allowedOn(text, starts, line, cache);
  if (allowed === "rules") return ruleId !== VAULT_SECRET_RULE;
  return allowed === true || (allowed?.has(ruleId) ?? false);
}

/** A history file libedit writes (MySQL's, MariaDB's, sqlite3's): it may open with its mark. */
const LIBEDIT_HISTORY_FILE = /(?:^|[/\\])\.(?:mysql|mariadb|sqlite)_history$/;

/**
 * The text as rules read it. libedit's history files (`.mysql_history`, `.sqlite_history`, any
 * file opening with `_HiStOrY_V2_`) write a blank as `\040` and a tab as `\011`: each is read
 * as four blanks, so that a command's words stand apart (`IDENTIFIED\040BY\040'…'`) while every
 * offset stays the file's own.
 */
function textForRules(text: string, file: string): string {
  if (!text.startsWith("_HiStOrY_V2_") && !LIBEDIT_HISTORY_FILE.test(file)) return text;
  return text.replace(/\\0(?:40|11)/g, "    ");
}

/** Every finding in `text`, in order of position. */
export function scanText(text: string, options: ScanTextOptions): Finding[] {
  return findingsIn(textForRules(text, options.file), options);
}

/** Every finding in `text` as rules read it (see textForRules), in order of position. */
function findingsIn(text: string, options: ScanTextOptions): Finding[] {
  const rules = options.rules ?? RULES;
  const candidates: Candidate[] = [];
  if (options.matcher) {
    for (const hit of options.matcher.match(text)) {
      // A retired value is the vault's for sure (it wins over a rule's guess at the same span),
      // but no longer live: a warning, after a live value of the same span.
      candidates.push({
        ruleId: VAULT_SECRET_RULE,
        description: hit.retired
          ? `Exposed, already rotated: a value of ${hit.name} the vault no longer treats as valid`
          : `A value stored in the vault (${hit.name})`,
        severity: hit.retired ? "warning" : "error",
        confidence: "high",
        start: hit.start,
        end: hit.end,
        priority: hit.retired ? -1 : -2,
        secretName: hit.name,
        secretState: hit.retired ? "rotated" : "live",
      });
    }
  }
  const present = findKeywordGroups(text, keywordIndexOf(rules));
  const context: ScanContext = { file: options.file };
  rules.forEach((rule, priority) => {
    const rareKeywordFound = present[rules.length + priority] === true;
    if (rule.keywords.length > 0 && !present[priority] && !rareKeywordFound) return;
    const ruleContext = rule.rareKeywords ? { ...context, rareKeywordFound } : context;
    for (const match of rule.scan(text, ruleContext)) {
      const secret = text.slice(match.start, match.end);
      if (!rule.checksPlaceholders && !match.verified && isPlaceholder(secret)) continue;
      const typed = match.typed === true || (!match.verified && looksHandTyped(secret));
      const note = typed
        ? ` ${TYPED_NOTE}`
        : match.publicByDesign
          ? ` - ${match.publicByDesign}`
          : "";
      candidates.push({
        ruleId: rule.id,
        description: `${rule.description}${note}`,
        severity: typed || match.publicByDesign ? "warning" : rule.severity,
        confidence: typed ? "low" : (rule.confidence ?? "high"),
        start: match.start,
        end: match.end,
        priority,
      });
    }
  });
  if (candidates.length === 0) return [];
  // Overlaps: the vault's own secrets first, then rules in list order (specific before generic).
  candidates.sort((a, b) => a.priority - b.priority || a.start - b.start);
  // Kept findings never overlap, so marking their characters costs at most the text's length.
  const taken = new Uint8Array(text.length);
  const isFree = (candidate: Candidate) => {
    for (let i = candidate.start; i < candidate.end; i++) if (taken[i]) return false;
    return true;
  };
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    if (!isFree(candidate)) continue;
    taken.fill(1, candidate.start, candidate.end);
    kept.push(candidate);
  }
  kept.sort((a, b) => a.start - b.start);
  const starts = lineStarts(text);
  const findings: Finding[] = [];
  const allowCache = new Map<number, Allowed>();
  for (const candidate of kept) {
    const line = lineOf(starts, candidate.start);
    if (isAllowed(text, starts, line, candidate.ruleId, allowCache)) continue;
    const endLine = lineOf(starts, Math.max(candidate.start, candidate.end - 1));
    const secret = text.slice(candidate.start, candidate.end);
    const finding: Omit<Finding, "match"> = {
      ruleId: candidate.ruleId,
      description: candidate.description,
      severity: candidate.severity,
      confidence: candidate.confidence,
      file: options.file,
      line: line + 1,
      column: candidate.start - (starts[line] as number) + 1,
      endLine: endLine + 1,
      endColumn: candidate.end - (starts[endLine] as number) + 1,
      start: candidate.start,
      end: candidate.end,
      // A fragment of a stored value may be any part of it: show none of it.
      preview: candidate.secretName
        ? `[vault secret ${candidate.secretName}]`
        : maskPreview(secret),
      ...(candidate.secretName
        ? { secretName: candidate.secretName, secretState: candidate.secretState ?? "live" }
        : {}),
    };
    findings.push(withMatch(finding, secret));
  }
  return findings;
}

/**
 * `finding` with its secret as `match`, not enumerable: JSON.stringify, spreads, util.inspect
 * and the copy sent between threads leave it out.
 */
export function withMatch(finding: Omit<Finding, "match">, secret: string): Finding {
  return Object.defineProperty(finding, "match", { value: secret }) as Finding;
}
