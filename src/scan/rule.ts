/**
 * What a scan rule is and what it finds. A rule is a plain object: an id, a description, a
 * cheap keyword prefilter and a `scan` function from a text to the spans of the credentials in
 * it (secretlint's model).
 */

/** How bad a finding is: `error` fails the scan, `warning` only with `--strict`. */
export type Severity = "error" | "warning";

/**
 * How sure the scanner is that a finding is a live credential: `high` for a provider format
 * with a fixed prefix or checksum, `medium` for a provider's value shape next to its name,
 * `low` for a generic guess (a password-like name with a random-looking value).
 */
export type Confidence = "high" | "medium" | "low";

/**
 * Whether a found vault value is one the vault still treats as valid (`live`: an exposure to
 * deal with) or one it no longer does (`rotated`: exposed, already rotated).
 */
export type SecretState = "live" | "rotated";

/** One credential a rule found: the span of the secret itself in the scanned text. */
export interface RuleMatch {
  /** UTF-16 offset of the first character of the secret. */
  start: number;
  /** UTF-16 offset just past the secret. */
  end: number;
  /**
   * True when the rule judged the value typed by a person rather than drawn (words joined,
   * `my-very-secret-flask-key-2024`): reported as a warning of low confidence.
   */
  typed?: boolean;
  /**
   * True when the value proves itself (its checksum holds): reported as the rule says even
   * when it reads as typed or as a stand-in (`ghp_Ab3dEf…` with a valid checksum was issued).
   */
  verified?: boolean;
  /**
   * Why this value, in the rule's format, is public by its provider's design where it stands (a
   * Firebase client config's API key): reported as a warning with that reason, not an error.
   */
  publicByDesign?: string;
}

/** What a rule may know of the text besides its content. */
export interface ScanContext {
  /** The file's path as the scan names it (its kind: a `.properties` file holds no code). */
  file: string;
  /**
   * Whether one of the rule's `rareKeywords` occurs in the text, as the engine's keyword pass
   * found (undefined when the rule is called directly: it then looks for them itself).
   */
  rareKeywordFound?: boolean;
}

/** One detection rule. */
export interface ScanRule {
  /** Stable id, lower-case with dashes (`github-pat`); used by `vault-allow: ID` and configs. */
  id: string;
  /** What it finds, for people. */
  description: string;
  /**
   * Lower-case substrings, one of which must occur in the lower-cased text for `scan` to run.
   * Empty: always runs.
   */
  keywords: string[];
  /**
   * Substrings (as `keywords`; beyond ASCII matched exactly, so a capital is a keyword of its
   * own) of forms most texts lack (credential words of other languages): `scan`
   * also runs when one of them occurs, and the engine's one keyword pass tells it whether one
   * does (`context.rareKeywordFound`), so the rule adds those forms to its patterns only then.
   */
  rareKeywords?: string[];
  severity: Severity;
  /** How sure a finding of this rule is (default `high`). */
  confidence?: Confidence;
  /** The secret name `vault scan --fix` suggests for what this rule finds. */
  suggestedName?: string;
  /**
   * The spans of the secrets in `text`. Placeholders (`isPlaceholder`) are filtered out by
   * the engine afterwards, unless the rule says it checks them itself.
   */
  scan(text: string, context?: ScanContext): RuleMatch[];
  /** True when the rule filters placeholders itself (the engine does not look again). */
  checksPlaceholders?: boolean;
}

/** One finding, as the engine reports it. Holds the secret only in `match`, never printed. */
export interface Finding {
  ruleId: string;
  description: string;
  severity: Severity;
  confidence: Confidence;
  /** The file as shown to people (relative to the working folder, `/`-separated). */
  file: string;
  /** 1-based line and column (in UTF-16 code units, as SARIF counts by default). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** UTF-16 offsets of the secret in the scanned text. */
  start: number;
  end: number;
  /** At most the first 4 characters of the secret, then `…`. */
  preview: string;
  /** For `vault-secret` findings: the name of the vault secret found. */
  secretName?: string;
  /** For `vault-secret` findings: live, or a value since rotated out (a warning). */
  secretState?: SecretState;
  /** For history scans: the commit that added the line, and its author date (ISO 8601). */
  commit?: string;
  date?: string;
  /** The secret text. Internal: never printed, never written (fix and baseline use it). */
  readonly match: string;
}
