/**
 * Building blocks of the built-in rules: a rule from a regular expression (`regexRule`), rules
 * from tables of provider formats (`tokenRules` for prefixed tokens, `namedValueRules` for a
 * provider's value shape assigned to a name that mentions the provider), and the small value
 * checks rules share.
 *
 * Every pattern must run in linear time: each repetition is bounded, and a pattern starts with
 * a literal or a character class that the character before it may not continue (so a run of
 * token characters is tried once, not at every offset).
 */
import { isPlaceholder, shannonEntropy } from "../placeholders.js";
import type { Confidence, RuleMatch, ScanRule, Severity } from "../rule.js";

/**
 * A rule's verdict on a value it matched: `true` to report it, `"typed"` to report it as a
 * value typed by a person (a warning of low confidence: an example or a weak password),
 * `"verified"` to report it whatever it looks like (its checksum holds), `false` to drop it.
 */
export type RuleVerdict = boolean | "typed" | "verified";

/** What {@link regexRule} needs. */
export interface RegexRuleSpec {
  id: string;
  description: string;
  keywords: string[];
  severity?: Severity;
  confidence?: Confidence;
  suggestedName?: string;
  /**
   * Global regex with indices; the secret is the group named `secret` (or, in another
   * alternative of the pattern, `secretAlt`, `secretAlt2`, `secretAlt3`, `secretAlt4`) when
   * there is one. A function builds it on the rule's first scan: most rules of a run never
   * scan (their keywords are absent), and a short process pays for every pattern it builds.
   */
  pattern: RegExp | (() => RegExp);
  /** True when `validate` filters placeholders itself (prose and PEM blocks). */
  checksPlaceholders?: boolean;
  /**
   * Extra check on the secret (and the whole match). With `near`, `match.index` is the
   * match's offset in the whole `text`, while `match.indices` and `match.input` are the
   * stretch's.
   */
  validate?: (secret: string, match: RegExpExecArray, text: string) => RuleVerdict;
  /**
   * Where every match lies: within `before` characters before and `after` characters after an
   * occurrence of `literal` (or of one of several; exact case). The pattern then runs only on
   * the stretches around those occurrences, for a pattern that cannot skip ahead on its own
   * (one that starts with a character class, as `scheme://` does).
   */
  near?: { literal: string | readonly string[]; before: number; after: number };
  /**
   * Where every match starts, in ascending order: the pattern is then tried at those offsets
   * only, as if sticky there (for a pattern that opens with names matched case-insensitively,
   * which a scan of the whole text tries at every offset).
   */
  startsAt?: (text: string) => readonly number[];
}

/**
 * The stretches of `text` around each occurrence of `near.literal`, merged where they
 * overlap. Each holds one character more on both sides than a match can reach, so that
 * lookbehinds, lookaheads and `\b` see the text's own characters there.
 */
function stretchesNear(
  text: string,
  near: NonNullable<RegexRuleSpec["near"]>,
): Array<[number, number]> {
  if (typeof near.literal === "string") return stretchesAround(text, near.literal, near);
  // Several literals: each one's stretches in order, merged in the text's.
  const all = near.literal.flatMap((literal) => stretchesAround(text, literal, near));
  all.sort((a, b) => a[0] - b[0]);
  const stretches: Array<[number, number]> = [];
  for (const [from, to] of all) {
    const last = stretches.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else stretches.push([from, to]);
  }
  return stretches;
}

/** The stretches around each occurrence of one literal, merged where they overlap. */
function stretchesAround(
  text: string,
  literal: string,
  near: { before: number; after: number },
): Array<[number, number]> {
  const stretches: Array<[number, number]> = [];
  for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
    const from = Math.max(0, at - near.before - 1);
    const to = Math.min(text.length, at + literal.length + near.after + 1);
    const last = stretches.at(-1);
    if (last && from <= last[1]) last[1] = to;
    else stretches.push([from, to]);
  }
  return stretches;
}

/** A rule's match of `[start, end)` as its verdict says: none, typed (a warning) or verified. */
export function matchOf(start: number, end: number, verdict: RuleVerdict): RuleMatch | undefined {
  if (verdict === false) return undefined;
  if (verdict === "typed") return { start, end, typed: true };
  if (verdict === "verified") return { start, end, verified: true };
  return { start, end };
}

/** Where the first of `groups` that a match of a `d`-flag pattern holds starts and ends. */
export function groupSpan(
  match: RegExpExecArray,
  ...groups: string[]
): [number, number] | undefined {
  for (const group of groups) {
    const span = match.indices?.groups?.[group];
    if (span) return span;
  }
  return undefined;
}

/**
 * A rule from a global regular expression with an optional `secret` group.
 * @throws RangeError when the pattern lacks the `g` or `d` flag (a pattern built on first scan:
 *   from that scan)
 */
export function regexRule(spec: RegexRuleSpec): ScanRule {
  const checked = (pattern: RegExp) => {
    if (!pattern.global || !pattern.hasIndices) {
      throw new RangeError(`"pattern" of rule ${spec.id} expected the g and d flags`);
    }
    return pattern;
  };
  let built = typeof spec.pattern === "function" ? undefined : checked(spec.pattern);
  const patternOf = () => {
    built ??= checked((spec.pattern as () => RegExp)());
    return built;
  };
  let sticky: RegExp | undefined;
  const stickyPatternOf = () => {
    sticky ??= new RegExp(patternOf().source, `${patternOf().flags}y`);
    return sticky;
  };
  return {
    id: spec.id,
    description: spec.description,
    keywords: spec.keywords,
    severity: spec.severity ?? "error",
    confidence: spec.confidence ?? "high",
    ...(spec.suggestedName ? { suggestedName: spec.suggestedName } : {}),
    ...(spec.checksPlaceholders ? { checksPlaceholders: true } : {}),
    scan(text) {
      const found: RuleMatch[] = [];
      /** Judges a match of the pattern run on the text from `from` on. */
      const judge = (match: RegExpExecArray, from: number) => {
        const groups = match.indices?.groups;
        const span =
          groups?.secret ??
          groups?.secretAlt ??
          groups?.secretAlt2 ??
          groups?.secretAlt3 ??
          groups?.secretAlt4 ??
          match.indices?.[0];
        if (!span) return;
        const start = from + span[0];
        const end = from + span[1];
        // The validator sees the whole text, and `match.index` in it.
        if (spec.validate) match.index += from;
        const verdict = spec.validate ? spec.validate(text.slice(start, end), match, text) : true;
        const reported = matchOf(start, end, verdict);
        if (reported) found.push(reported);
      };
      if (spec.startsAt) {
        // Tried at each start past the last match, as a scan of the whole text goes on.
        const pattern = stickyPatternOf();
        let after = 0;
        for (const at of spec.startsAt(text)) {
          if (at < after) continue;
          pattern.lastIndex = at;
          const match = pattern.exec(text);
          if (!match) continue;
          after = at + Math.max(1, match[0].length);
          judge(match, 0);
        }
        pattern.lastIndex = 0;
        return found;
      }
      // The rule's own regex, its position reset: scans do not nest, and a copy per text
      // costs more than the scan of a short one.
      const pattern = patternOf();
      const scanStretch = (from: number, to: number) => {
        const stretch = from === 0 && to === text.length ? text : text.slice(from, to);
        pattern.lastIndex = 0;
        for (let match = pattern.exec(stretch); match; match = pattern.exec(stretch)) {
          if (match[0].length === 0) pattern.lastIndex++;
          judge(match, from);
        }
        pattern.lastIndex = 0;
      };
      if (!spec.near) scanStretch(0, text.length);
      else for (const [from, to] of stretchesNear(text, spec.near)) scanStretch(from, to);
      return found;
    },
  };
}

/** Base64url characters, for character classes. */
export const B64URL = "A-Za-z0-9_\\-";
/** Not preceded by any of `chars` (a character-class body). */
export const notBefore = (chars: string) => `(?<![${chars}])`;
/** Not followed by any of `chars` (a character-class body). */
export const notAfter = (chars: string) => `(?![${chars}])`;
/** A global regex with indices. */
export const re = (source: string, flags = "") => new RegExp(source, `gd${flags}`);

/** Base64 or base64url → UTF-8 text (`undefined` when it cannot be decoded). */
export function decodeBase64Url(text: string): string | undefined {
  try {
    return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  } catch {
    return undefined;
  }
}

/**
 * A JWT of PostgREST's anonymous role (`"role":"anon"`: Supabase's anon key), which a site
 * ships to every browser: public by design, unlike the `service_role` key beside it.
 */
export function isAnonRoleJwt(token: string): boolean {
  const claims = decodeBase64Url(token.split(".")[1] ?? "") ?? "";
  if (!/"anon"/.test(claims)) return false;
  try {
    // The token's own role, not one in a user's metadata (`user_metadata.role`).
    const parsed: unknown = JSON.parse(claims);
    return (
      typeof parsed === "object" && parsed !== null && "role" in parsed && parsed.role === "anon"
    );
  } catch {
    return false;
  }
}

/** Character classes present: random keys mix cases and digits, words do not. */
export function classCount(text: string): number {
  return (
    Number(/[a-z]/.test(text)) +
    Number(/[A-Z]/.test(text)) +
    Number(/[0-9]/.test(text)) +
    Number(/[^A-Za-z0-9]/.test(text))
  );
}

/**
 * The entropy asked of a value of `length` characters: `cap` bits, lowered for a short value to
 * log2(length) - `slack`, as a short value drawn at random repeats characters more often.
 */
export function entropyBarFor(length: number, cap: number, slack: number): number {
  return Math.min(cap, Math.log2(Math.max(length, 1)) - slack);
}

/**
 * Random-looking: enough entropy for its length, and not a single class of letters. A short
 * value cannot reach the entropy of a long one (20 random hex digits often measure below 3
 * bits), so below 23 characters the bar is log2(length) - 1.5 bits.
 */
export function isRandomLooking(text: string, minEntropy = 3): boolean {
  if (text.length >= 16 && isRandomHex(text)) return true;
  const bar = entropyBarFor(text.length, minEntropy, 1.5);
  return shannonEntropy(text) >= bar && (classCount(text) >= 2 || /^[a-f0-9]+$/.test(text));
}

/**
 * Hex values everyone knows, not secrets: the MD5, SHA-1 and SHA-256 of empty input, and the
 * name-based UUID namespaces of RFC 4122 (DNS, URL, OID, X.500) without their dashes.
 */
const WELL_KNOWN_HEX = new Set([
  "d41d8cd98f00b204e9800998ecf8427e",
  "da39a3ee5e6b4b0d3255bfef95601890afd80709",
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6ba7b8109dad11d180b400c04fd430c8",
  "6ba7b8119dad11d180b400c04fd430c8",
  "6ba7b8129dad11d180b400c04fd430c8",
  "6ba7b8149dad11d180b400c04fd430c8",
]);

/**
 * `minLength`+ hex digits drawn at random, not `deadbeef…` nor a counted run (`a1b2c3…`). The
 * entropy bar follows the length: random digits measure below the 4-bit maximum, the more so
 * the fewer they are (about 3.66 bits on average for 32 digits, so a fixed 3.5-bit bar turned
 * away one random 32-digit key in five and one 40-digit token in twenty); `4 - 32 / length`
 * (3.0 bits for 32 digits, 3.2 for 40, at least 2.5 and at most 3.5) lets through all but about
 * one in 5,000.
 */
export function isRandomHex(hex: string, minLength = 1): boolean {
  return (
    hex.length >= minLength &&
    /^[a-f0-9]+$/i.test(hex) &&
    /[a-f]/i.test(hex) &&
    /[0-9]/.test(hex) &&
    !WELL_KNOWN_HEX.has(hex.toLowerCase()) &&
    shannonEntropy(hex) >= Math.min(3.5, Math.max(2.5, 4 - 32 / hex.length)) &&
    !isPlaceholder(hex)
  );
}

/** One prefixed token format: the prefix alone says which provider it is. */
export interface TokenSpec {
  id: string;
  description: string;
  /** Lower-case literals one of which every match contains (the keyword prefilter). */
  keywords: string[];
  /** The token (a regex source starting with its prefix); the secret is the whole match. */
  token: string;
  /**
   * Characters the token may not be preceded or followed by (default: base64url); before a
   * prefix of five literal characters or more, only `_` and `-`.
   */
  boundary?: string;
  severity?: Severity;
  confidence?: Confidence;
  suggestedName?: string;
  /** Regex flags besides `gd`. */
  flags?: string;
  validate?: (secret: string, match: RegExpExecArray, text: string) => RuleVerdict;
  /** True when `validate` filters placeholders itself (formats with fixed runs such as `AAAA`). */
  checksPlaceholders?: boolean;
  /** A literal every match is near, for a token that starts with a character class. */
  near?: RegexRuleSpec["near"];
}

/**
 * How many literal characters every match of a token's pattern starts with: 6 for `shpat_` of
 * `shpat_[a-f0-9]{32}`, 6 for `shp(?:at|ca)_…` (the shortest alternative), the least over
 * alternatives at the top (`lin_(?:api|oauth)_…|lin_oauth_…`: 8); a class of a few letters counts
 * as one (`xox[pbar]-`: 5). Counting stops at a wider class, a quantified character or any
 * other construct.
 */
function fixedPrefixLength(source: string): number {
  const alternatives = splitTop(source);
  if (alternatives.length > 1) return Math.min(...alternatives.map(fixedPrefixLength));
  let length = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "(" && source.startsWith("(?:", i)) {
      const close = groupEnd(source, i);
      if (close < 0 || /[?*+{]/.test(source[close + 1] ?? "")) break;
      const choices = splitTop(source.slice(i + 3, close));
      // Choices of fixed letters go on to what follows; others end the prefix at their own.
      if (!choices.every((choice) => /^[A-Za-z0-9_-]+$/.test(choice))) {
        return length + Math.min(...choices.map(fixedPrefixLength));
      }
      length += Math.min(...choices.map((choice) => choice.length));
      i = close + 1;
      continue;
    }
    // A character, or a class of a few (`xox[pbar]-`), not repeated.
    const literal = /^(?:[A-Za-z0-9_-]|\\[.\-+/=]|\[[A-Za-z0-9]{1,8}\])/.exec(source.slice(i))?.[0];
    if (!literal || /[?*+{]/.test(source[i + literal.length] ?? "")) break;
    length++;
    i += literal.length;
  }
  return length;
}

/** The alternatives of a pattern at its top level (split at `|` outside groups and classes). */
function splitTop(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "|" && depth === 0) {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(source.slice(from));
  return parts;
}

/** Where the group opening at `open` closes (-1 when it does not). */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

/** Rules from a table of prefixed token formats. */
export function tokenRules(specs: readonly TokenSpec[]): ScanRule[] {
  return specs.map((spec) => {
    const boundary = spec.boundary ?? B64URL;
    // A literal prefix of five characters or more says what the token is after a word it was
    // pasted onto (`Xshpat_…`) or an escape (`\nshpat_…` in JSON); not after `_` or `-`, which
    // join it to a word that qualifies it (`sample_GOCSPX-…`). Worked out with the pattern, on
    // the rule's first scan: most rules never run in a short command's scan.
    const before = () => (fixedPrefixLength(spec.token) >= 5 ? "_\\-" : boundary).replace("=", "");
    const validate = spec.validate;
    return regexRule({
      id: spec.id,
      description: spec.description,
      keywords: spec.keywords,
      ...(spec.severity ? { severity: spec.severity } : {}),
      confidence: spec.confidence ?? "high",
      ...(spec.suggestedName ? { suggestedName: spec.suggestedName } : {}),
      ...(spec.checksPlaceholders ? { checksPlaceholders: true } : {}),
      // `=` ends a token (base64 padding) but may come before one (`KEY=token`).
      pattern: () => re(`${notBefore(before())}(?:${spec.token})${notAfter(boundary)}`, spec.flags),
      ...(validate
        ? {
            validate: (secret: string, match: RegExpExecArray, text: string) =>
              validate(secret, match, text),
          }
        : {}),
      ...(spec.near ? { near: spec.near } : {}),
    });
  });
}

/**
 * A provider's value that has no prefix of its own (32 hex digits, a UUID): found only when
 * assigned to a name that mentions the provider (`DATADOG_API_KEY=…`, `"sumo_access_key": …`).
 */
export interface NamedValueSpec {
  id: string;
  description: string;
  /** Lower-case words of the names (also the keywords): `["datadog", "dd_api"]`. */
  names: string[];
  /** The value's shape (regex source, matched case-insensitively). */
  value: string;
  confidence?: Confidence;
  suggestedName?: string;
  /** Extra check on the value (default: random-looking). */
  validate?: (secret: string) => boolean;
  /** True when `validate` filters placeholders itself (a format with a fixed run of one letter). */
  checksPlaceholders?: boolean;
  /** False: only as an assignment to the provider's name, never merely near it. */
  nearby?: boolean;
}

/** A word starts at `at`: after a non-letter, or a capital after a lower-case letter. */
export function isWordStart(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const isLower = (code: number) => code >= 0x61 && code <= 0x7a;
  const isUpper = (code: number) => code >= 0x41 && code <= 0x5a;
  if (!isLower(before) && !isUpper(before)) return true;
  return isLower(before) && isUpper(text.charCodeAt(at));
}

/** Characters a value may not continue into. */
const VALUE_CHARS = "A-Za-z0-9_\\-+/.=~";
/** VALUE_CHARS as a table of character codes (1: a value character). */
const IS_VALUE_CHAR = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    if (new RegExp(`[${VALUE_CHARS}]`).test(String.fromCharCode(code))) table[code] = 1;
  }
  return table;
})();

/**
 * Files of settings, where the right side of `name = value` or `name: value` is always a
 * literal, never code: Java properties, INI and other `.conf`/`.cfg` files, dotenv files, YAML,
 * TOML and Dockerfiles (their `ENV` and `ARG` lines).
 */
/**
 * Blanks between two parts of a call or an expression, perhaps one line break (a Python or
 * shell line's `\` before it) and the next line's indentation: bounded, linear.
 */
export const LINE_GAP = "[ \\t]{0,4}(?:\\\\?\\r?\\n[ \\t]{0,40})?";

/**
 * The most candidates one rule judges in one text, for the rules whose candidates are common
 * shapes (a device's or a seed's password, an `sk` beside its `ak`). A judgement costs
 * microseconds (placeholder, reference, weak-password and nearby-name checks), and a text of
 * tens of thousands of look-alike lines (generated, or written to slow the hook) would otherwise
 * take seconds; no real file holds thousands of them.
 */
export const CANDIDATES_JUDGED_PER_TEXT = 2_000;

/**
 * The matches of global `patterns` in `text`, each pattern from the start, at most
 * CANDIDATES_JUDGED_PER_TEXT of them all together.
 */
export function* judgedMatches(text: string, ...patterns: RegExp[]): Generator<RegExpExecArray> {
  let judged = 0;
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    for (
      let m = pattern.exec(text);
      m && judged++ < CANDIDATES_JUDGED_PER_TEXT;
      m = pattern.exec(text)
    ) {
      yield m;
    }
  }
}

export const SETTINGS_FILE =
  /(?:\.(?:properties|ini|cfg|conf|cnf|env|ya?ml|toml|tfvars)|(?:^|[/\\])(?:\.env(?:\.[\w.-]+)?|[\w.-]*\.env|Dockerfile(?:\.[\w.-]+)?|Containerfile))$/i;

/** A Dockerfile or Containerfile (of any stage's name), whose `ENV X=$y` lines expand `$y`. */
export const DOCKERFILE = /(?:Dockerfile|Containerfile)[^/\\]*$/i;

/** Documents and notes: Markdown, plain text, reStructuredText, AsciiDoc. */
export const DOCUMENT_FILE = /\.(?:md|markdown|mdx|txt|text|rst|adoc|asciidoc)$/i;

/** Kotlin sources and scripts (`"password" to "…"` pairs). */
export const KOTLIN_FILE = /\.kts?$/i;

/** Source code of the common languages (and TeX), where a note's forms are expressions. */
export const CODE_FILE =
  /\.(?:py|pyi|pyx|ipynb|js|jsx|mjs|cjs|ts|tsx|java|kt|kts|scala|go|rs|rb|php|cs|c|h|cc|cpp|hpp|cxx|m|mm|swift|r|jl|f|f90|lua|dart|ex|exs|erl|hs|clj|groovy|vue|svelte|sql|tex)$/i;

/** Shared shapes of provider values. */
export const SHAPES = {
  hex32: "[a-f0-9]{32}",
  hex40: "[a-f0-9]{40}",
  hex64: "[a-f0-9]{64}",
  uuid: "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
  alnum: (min: number, max = min) => `[a-z0-9]{${min},${max}}`,
  b64url: (min: number, max = min) => `[${B64URL}]{${min},${max}}`,
} as const;

/**
 * The name part of an assignment: the provider's word, then up to 30 name characters, a
 * closing quote or tag, a Go type (`var x string = …`), and the operator (`=`, `:`, `:=`, `::=`,
 * `||=`, `<-`, `=>`, `>` of an XML tag, `,` of a call), then an opening quote.
 *
 * The name characters are taken all at once and never given back (a lookahead captures them, a
 * back-reference consumes them): nothing after them can start with a name character, so only
 * the whole run could be followed by an operator, and trying each shorter run first made a text
 * of the provider's name repeated cost 30 attempts per occurrence.
 */
export function assignmentAfter(names: string): string {
  return `(?:${names})(?=(?<nameRest>[\\w.\\-]{0,30}))\\k<nameRest>(?:["'\`]|&quot;)?(?:[ \\t]{1,2}string)?[ \\t]{0,16}(?::{1,3}=|\\|\\|?=|<-|=>|[:=>,])[ \\t]{0,16}(?:["'\`]|&quot;)?[ \\t]{0,2}`;
}

/**
 * Rules from a table of provider values found by name: assigned to a name that mentions the
 * provider (`DATADOG_API_KEY=…`), or, for values of 32+ characters, within 80 characters after
 * the provider's name (`datadog:\n  api_key: …`, `"dd": {"key": "…"}`).
 */
export function namedValueRules(specs: readonly NamedValueSpec[]): ScanRule[] {
  return specs.map((spec) => {
    const names = spec.names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
    const validate = spec.validate ?? ((secret: string) => isRandomLooking(secret));
    const namesIn = nameFinder(names);
    const assigned = regexRule({
      id: spec.id,
      description: spec.description,
      keywords: spec.names,
      confidence: spec.confidence ?? "medium",
      ...(spec.suggestedName ? { suggestedName: spec.suggestedName } : {}),
      ...(spec.checksPlaceholders ? { checksPlaceholders: true } : {}),
      // Every match starts with one of the names.
      startsAt: (text) => namesIn(text).starts,
      pattern: () =>
        re(`${assignmentAfter(names)}(?<secret>${spec.value})${notAfter(VALUE_CHARS)}`, "i"),
      // Public by design: publishable keys, search-only keys, client and site ids.
      validate: (secret, match) =>
        !PUBLIC_NAME.test(match[0].slice(0, match[0].length - secret.length)) && validate(secret),
    });
    if (spec.nearby === false) return assigned;
    // Within 80 characters after a name: each position of the text is tried as a value's
    // start at most once, however densely the name repeats (`fbtoken` x 100,000).
    // No match indices: only where a name starts is used. Built on the first scan.
    let valueAt: RegExp | undefined;
    const isNearValue = (secret: string, between: string) =>
      secret.length >= 32 &&
      between.split("\n").length <= 3 &&
      !PUBLIC_NAME.test(between) &&
      !NOT_A_KEY_NEARBY.test(between) &&
      validate(secret);
    const nearScan = (text: string): RuleMatch[] => {
      const found: RuleMatch[] = [];
      valueAt ??= new RegExp(
        `${notBefore(VALUE_CHARS)}(?<secret>${spec.value})${notAfter(VALUE_CHARS)}`,
        "iy",
      );
      const value = valueAt;
      const { starts, lengths } = namesIn(text);
      // Names are taken as a global pattern of them would find them: from the end of the last
      // one (or past the value found after it) on.
      let resume = 0;
      let triedTo = 0;
      starts.forEach((nameStart, i) => {
        if (nameStart < resume) return;
        const nameEnd = nameStart + (lengths[i] as number);
        resume = nameEnd;
        // Near a name only when the provider's name starts a word, not letters inside another
        // word (`asana` in `AliasAnalysis`): with no assignment to tie them, a value merely
        // near those letters is nothing of the provider's (`pyowm = …` and `-Dsonar.login=…`,
        // assignments, are still found above).
        if (!isWordStart(text, nameStart)) return;
        const last = Math.min(text.length - 1, nameEnd + 80);
        let at = Math.max(nameEnd, triedTo);
        for (; at <= last; at++) {
          // The pattern's own first test (no value character before), without a call into it.
          if (at > 0 && IS_VALUE_CHAR[text.charCodeAt(at - 1)] === 1) continue;
          value.lastIndex = at;
          const secret = value.exec(text)?.groups?.secret;
          if (secret === undefined) continue;
          if (isNearValue(secret, text.slice(nameStart, at))) {
            found.push({ start: at, end: at + secret.length });
          }
          // Past the value, as a match of the whole pattern would go on.
          resume = Math.max(resume, at + secret.length);
          break;
        }
        // Tried up to the value's end, or the whole window when there was none.
        triedTo = Math.max(triedTo, at);
      });
      return found;
    };
    return {
      ...assigned,
      scan(text: string) {
        const found = assigned.scan(text);
        const starts = new Set(found.map((m) => m.start));
        for (const m of nearScan(text)) if (!starts.has(m.start)) found.push(m);
        return found;
      },
    };
  });
}

/**
 * The text the rules read now, its lower case and each finder's occurrences in it: every rule of
 * one scan reads the same text, and a named value's rule asks twice (assigned, then nearby).
 * Only the current text is held.
 */
const current = {
  text: undefined as string | undefined,
  lower: "",
  occurrences: new Map<object, NameOccurrences>(),
};

/** Makes `text` the current one. */
function readNow(text: string): void {
  if (text === current.text) return;
  current.text = text;
  current.lower = text.toLowerCase();
  current.occurrences.clear();
}

/**
 * A finder of where `alternatives` (lower-case words, escaped and joined by `|`) occur in a text
 * in any case, overlapping ones too, each with the length of the first alternative that matches
 * there (as a pattern of them picks it). A case-insensitive pattern tries every offset of a text; a search of
 * the text's lower case skips ahead as a search of a literal does, at a third of the cost, and
 * each offset it finds is then confirmed on the text itself (lower case may change a text's
 * length, `İ`, or make ASCII of other letters, the Kelvin sign).
 */
function nameFinder(alternatives: string): (text: string) => NameOccurrences {
  let inLowerCase: RegExp | undefined;
  let onText: RegExp | undefined;
  const finder = (text: string): NameOccurrences => {
    readNow(text);
    const known = current.occurrences.get(finder);
    if (known) return known;
    inLowerCase ??= new RegExp(`(?:${alternatives.toLowerCase()})`, "g");
    onText ??= new RegExp(`(?:${alternatives})`, "iy");
    const lower = current.lower;
    const sameOffsets = lower.length === text.length;
    // A text whose lower case is not offset for offset its own is searched case-insensitively.
    const search = sameOffsets ? inLowerCase : new RegExp(onText.source, "gi");
    const subject = sameOffsets ? lower : text;
    const starts: number[] = [];
    const lengths: number[] = [];
    search.lastIndex = 0;
    for (let m = search.exec(subject); m; m = search.exec(subject)) {
      search.lastIndex = m.index + 1;
      onText.lastIndex = m.index;
      const name = onText.exec(text);
      if (!name) continue;
      starts.push(m.index);
      lengths.push(name[0].length);
    }
    search.lastIndex = 0;
    const found = { starts, lengths };
    current.occurrences.set(finder, found);
    return found;
  };
  return finder;
}

/** Where names occur in a text, in ascending order, and the length of the one at each offset. */
interface NameOccurrences {
  starts: number[];
  lengths: number[];
}

/** Words between a provider's name and a value that make the value something else. */
const NOT_A_KEY_NEARBY =
  /sha\d{0,3}|md5|hash|digest|checksum|integrity|commit|revision|version|@v?\d|\d\.\d{1,4}\.\d|\.(?:tgz|tar|gz|zip|jar|whl|gem|lock)\b|[#@/]$|\bid\b|_id\b|uuid|guid|trace|span|request|example|sample/i;

/** Names of values that are public by design (`STRIPE_PUBLISHABLE_KEY`, `ALGOLIA_SEARCH_KEY`). */
export const PUBLIC_NAME =
  /public|publishable|search[_.-]?(?:only|api)?[_.-]?key|client[_.-]?id|app[_.-]?id|site[_.-]?key|pub[_.-]?key|_pk\b/i;

/**
 * The text from `from` to the end of the third line after it, at most 600 characters: where a
 * secret that belongs to an id is looked for. Newlines are searched in that window only (a
 * search to the end of a long line for every id would make a scan quadratic).
 */
export function nearbyLines(text: string, from: number): string {
  const window = text.slice(from, from + 600);
  let end = 0;
  for (let lines = 0; lines < 3 && end < window.length; lines++) {
    const next = window.indexOf("\n", end + 1);
    end = next < 0 ? window.length : next;
  }
  return window.slice(0, end);
}

/**
 * OpenSSL's and CryptoJS's ciphertext: `Salted__` and the salt in base64 (`U2FsdGVkX1…`), a
 * value encrypted with a passphrase kept elsewhere, not a credential itself.
 */
export function isSaltedCiphertext(value: string): boolean {
  return value.startsWith("U2FsdGVkX1");
}

/** A bearer token or API key value: long and random enough to be one. */
export function isTokenLike(value: string, minLength = 16): boolean {
  return (
    value.length >= minLength &&
    shannonEntropy(value) >= 3 &&
    classCount(value) >= 2 &&
    !isPlaceholder(value) &&
    !/^[a-z]+(?:[._-][a-z]+)*$/i.test(value)
  );
}

/** One word, in small letters or in camel case after an acronym (`subscription`, `OAuth`). */
const SLASH_JOINED_WORD = /^(?:[A-Z]{1,5})?[a-z]{2,}(?:[A-Z][a-z]{2,})*$/;

/** `subscription/OAuth`: words joined by slashes, a name or a route rather than a token. */
export function isWordsJoinedBySlash(value: string): boolean {
  const parts = value.split("/");
  return parts.length >= 2 && parts.every((part) => SLASH_JOINED_WORD.test(part));
}

/** `webhook-smoke-001`, `v2.1.0`: words and numbers joined, an identifier rather than a token. */
export function isWordsOrNumbersJoined(value: string): boolean {
  const parts = value.split(/[-._]/);
  return parts.length >= 2 && parts.every((part) => /^(?:[A-Za-z]*|[0-9]*)$/.test(part));
}

/** `text` percent-decoded, or as written when it is not percent-encoded as a whole. */
export function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
