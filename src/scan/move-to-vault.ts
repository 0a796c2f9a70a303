/**
 * `vault scan --fix` as a library call: store each credential a scan found in the vault under
 * the name the caller chooses (each name checked as it is chosen), then rewrite each file with
 * `vault://AGENT/NAME` references in one atomic write per file (fix.ts), and audit each fix.
 * The values go to the vault before any file changes, so a failure part-way leaves every
 * credential either still in its file or stored. Returns names, files and lines, never values.
 */
import { formatVaultReference } from "../references/reference.js";
import type { Vault } from "../vault.js";
import { VAULT_SECRET_RULE } from "./engine.js";
import { assertRewritable, type Replacement, replaceInFile, spanOfWholeValue } from "./fix.js";
import type { Finding } from "./rule.js";
import { findRule } from "./rules.js";
import type { SourceFindings } from "./scan.js";

/**
 * Chooses the vault name of a found credential: `suggested` is the rule's name for it, and
 * `refused` says why the last name chosen for this credential cannot hold it (another value in
 * the vault or in this run). Returns the name, or `undefined` to leave the credential in its
 * file; throws to stop the whole fix before any write.
 */
export type NameChooser = (
  finding: Finding,
  suggested: string,
  refused?: string,
) => Promise<string | undefined>;

/** One credential replaced by a reference. */
export interface FixedFinding {
  file: string;
  line: number;
  rule: string;
  name: string;
}

/** What {@link moveFindingsToVault} did. */
export interface MoveOutcome {
  fixed: FixedFinding[];
  /** The findings left in place, by source. */
  remaining: SourceFindings[];
}

/**
 * A vault value the vault still treats as valid: replaced by its reference. One rotated since
 * is left as it is (and reported): the reference would stand for another value now.
 */
export function isLiveVaultSecret(finding: Finding): boolean {
  return finding.ruleId === VAULT_SECRET_RULE && finding.secretState !== "rotated";
}

/** The credentials a fix would store: errors that are not already the vault's own values. */
export function credentialsToStore(bySource: readonly SourceFindings[]): Finding[] {
  return bySource
    .flatMap((s) => s.findings)
    .filter((f) => f.severity === "error" && f.ruleId !== VAULT_SECRET_RULE);
}

/** Why `name` cannot hold `secret`: another value in the vault, or in this run. */
async function nameClash(
  vault: Vault,
  chosen: ReadonlyMap<string, string>,
  name: string,
  secret: string,
): Promise<string | undefined> {
  const inRun = chosen.get(name);
  if (inRun !== undefined && inRun !== secret) {
    return `${name} is already the name of another credential in this fix.`;
  }
  if (inRun === undefined && (await vault.has(name)) && (await vault.get(name)) !== secret) {
    return `Secret ${name} already exists with another value.`;
  }
  return undefined;
}

/** secret → name for each credential the chooser names (one choice per distinct value). */
async function chooseNames(
  vault: Vault,
  toStore: readonly Finding[],
  chooseName: NameChooser,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const chosen = new Map<string, string>();
  for (const finding of toStore) {
    if (names.has(finding.match)) continue;
    const suggested = findRule(finding.ruleId)?.suggestedName ?? "SECRET";
    let refused: string | undefined;
    for (;;) {
      const name = await chooseName(finding, suggested, refused);
      if (name === undefined) break;
      refused = await nameClash(vault, chosen, name, finding.match);
      if (refused === undefined) {
        names.set(finding.match, name);
        chosen.set(name, finding.match);
        break;
      }
    }
  }
  return names;
}

/**
 * Stores the found credentials that `chooseName` names in `vault` (agent `agent`), and
 * replaces them, and every copy of the vault's own values the scan found, with references.
 * @throws VaultError (whatever `chooseName` throws; the vault's and the files' write errors)
 */
export async function moveFindingsToVault(
  vault: Vault,
  bySource: SourceFindings[],
  options: { agent: string; chooseName: NameChooser },
): Promise<MoveOutcome> {
  // Before anything is stored: every file that may be rewritten can be.
  for (const { source, findings } of bySource) {
    if (source.path && findings.some((f) => isLiveVaultSecret(f) || f.severity === "error")) {
      await assertRewritable(source.path, source.file);
    }
  }
  const names = await chooseNames(vault, credentialsToStore(bySource), options.chooseName);
  for (const [secret, name] of names) {
    if (!(await vault.has(name))) await vault.set(name, secret);
  }
  // A vault secret's value is read (once per name, one audited get) to replace all of it:
  // its fingerprints may cover only part.
  const values = new Map<string, string>();
  const storedValue = async (name: string) => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const value = await vault.get(name);
    values.set(name, value);
    return value;
  };
  const fixed: FixedFinding[] = [];
  for (const { source, findings } of bySource) {
    const fixable = findings.filter(
      (f) => isLiveVaultSecret(f) || (f.severity === "error" && names.has(f.match)),
    );
    if (fixable.length === 0 || !source.path) continue;
    const content = source.content.toString("utf8");
    const replacements: Replacement[] = [];
    for (const f of fixable) {
      const name = f.secretName ?? (names.get(f.match) as string);
      const span =
        f.ruleId === VAULT_SECRET_RULE ? spanOfWholeValue(content, await storedValue(name), f) : f;
      replacements.push({ ...span, text: formatVaultReference(options.agent, name) });
    }
    await replaceInFile(source.path, content, replacements);
    const reported = new Set<string>();
    for (const f of fixable) {
      const name = f.secretName ?? (names.get(f.match) as string);
      const key = `${f.line}:${f.ruleId}:${name}`;
      if (reported.has(key)) continue; // pieces of one value found apart: one fix
      reported.add(key);
      fixed.push({ file: f.file, line: f.line, rule: f.ruleId, name });
      await vault.recordAudit({
        op: "scan-fix",
        secret: name,
        detail: `file=${f.file} line=${f.line} rule=${f.ruleId}`,
        result: "ok",
      });
    }
  }
  const done = new Set(fixed.map((f) => `${f.file}:${f.line}:${f.rule}`));
  const remaining = bySource
    .map((s) => ({
      ...s,
      findings: s.findings.filter((f) => !done.has(`${f.file}:${f.line}:${f.ruleId}`)),
    }))
    .filter((s) => s.findings.length > 0);
  return { fixed, remaining };
}
