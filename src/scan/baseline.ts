/**
 * Baselines: known findings to accept (`vault scan --update-baseline` writes them, `--baseline
 * FILE` skips them). A baseline may be committed, so it holds nothing computed from a secret
 * (no hash, salted or not: a hash lets anyone test guesses offline, and a weak secret falls in
 * a few thousand). A finding is identified by its file, its rule and its line's text with every
 * finding on that line masked (`password = "‹generic-secret›"`), at most 80 characters either
 * side of the finding:
 *
 * - unrelated lines moving (added or removed above) change nothing: no line number is kept;
 * - a line that changes around the secret is a new finding;
 * - each entry accepts one finding, so a second copy of an accepted line is reported;
 * - a new secret on an otherwise identical line cannot be told from the old one by the
 *   baseline (nothing derived from the secret is in it). On `--staged` scans (the pre-commit
 *   hook) a finding in a modified file is accepted only on a line HEAD already had, secret
 *   included (scan.ts), so putting a new secret on a baselined line stops the commit; a scan
 *   of the working tree accepts it by its text.
 */
import { isVaultError, vaultError } from "../errors.js";
import { list, literal, openObject, placeOf, str, validate } from "../validation/schema.js";
import { readJsonFile, writeFileAtomic } from "./files.js";
import type { Finding } from "./rule.js";

/** The current baseline format. */
const BASELINE_VERSION = 2;
/** Characters of the line kept on each side of a finding. */
const CONTEXT = 80;

/** One accepted finding: where, which rule, and its line with the findings masked. */
export interface BaselineEntry {
  file: string;
  rule: string;
  line: string;
}

/** A baseline in memory. */
export interface Baseline {
  entries: BaselineEntry[];
}

/** What identifies a finding to a baseline (an entry's fields). */
export type BaselineKey = BaselineEntry;

/** Accepts findings a baseline holds, each entry once. */
export interface BaselineMatcher {
  /** True (and the entry used up) when an unused entry equals `key`. */
  accept(key: BaselineKey): boolean;
}

const idOf = (key: BaselineKey) => JSON.stringify([key.file, key.rule, key.line]);

/** The mask that stands for a finding of `rule` in a baseline line. */
const maskOf = (rule: string) => `‹${rule}›`;

/**
 * The baseline key of each finding of `findings` (all from one text, as the engine returns
 * them, in order of position), in the same order. `file` is the file as the baseline names it.
 */
export function baselineKeys(
  file: string,
  text: string,
  findings: readonly Finding[],
): BaselineKey[] {
  const lineOf = lineFinder(text);
  return findings.map((finding) => {
    const [lineStart, lineEnd] = lineOf(finding.start);
    const from = Math.max(lineStart, finding.start - CONTEXT);
    const to = Math.min(lineEnd, Math.max(finding.end, finding.start) + CONTEXT);
    // Every finding that reaches into the kept part is masked, not only this one.
    let line = "";
    let at = from;
    for (const other of findings) {
      if (other.end <= from || other.start >= to) continue;
      const start = Math.max(other.start, from);
      if (start < at) continue;
      line += text.slice(at, start) + maskOf(other.ruleId);
      at = Math.min(Math.max(other.end, start), to);
    }
    line += text.slice(at, to);
    return { file, rule: finding.ruleId, line: line.replace(/\r$/, "") };
  });
}

/**
 * The line around an offset of `text`, as [start, end) offsets, from one index of the line
 * breaks (a search per finding would be quadratic on a long line with many findings).
 */
export function lineFinder(text: string): (offset: number) => [number, number] {
  const breaks: number[] = [];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) breaks.push(i);
  return (offset) => {
    // The first break at or after `offset`.
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((breaks[mid] as number) < offset) low = mid + 1;
      else high = mid;
    }
    const start = low === 0 ? 0 : (breaks[low - 1] as number) + 1;
    return [start, low < breaks.length ? (breaks[low] as number) : text.length];
  };
}

/** A baseline as the scan uses it: each entry accepts one finding. */
export function baselineMatcher(baseline: Baseline): BaselineMatcher {
  const unused = new Map<string, number>();
  for (const entry of baseline.entries) {
    const id = idOf(entry);
    unused.set(id, (unused.get(id) ?? 0) + 1);
  }
  return {
    accept(key) {
      const id = idOf(key);
      const left = unused.get(id) ?? 0;
      if (left === 0) return false;
      unused.set(id, left - 1);
      return true;
    },
  };
}

/**
 * The file's shape. Keys it does not name are accepted and dropped (a later version may add
 * some); `findings` entries are kept to their three fields.
 */
const baselineSchema = openObject({
  findings: list(openObject({ file: str(), line: str(), rule: str() })),
  version: literal(BASELINE_VERSION),
});

/**
 * Reads a baseline file; `undefined` when it does not exist.
 * @throws VaultError INVALID_INPUT (malformed, or the older format with salted hashes) | IO_ERROR
 */
export async function readBaseline(path: string): Promise<Baseline | undefined> {
  let raw: unknown;
  try {
    raw = await readJsonFile(path, "baseline file");
  } catch (error) {
    if (isVaultError(error) && error.code !== "CORRUPT") throw error;
    throw vaultError(
      "INVALID_INPUT",
      "The baseline file is not valid JSON.",
      "Write it again with --update-baseline.",
      error,
    );
  }
  if (raw === undefined) return undefined;
  if ((raw as { version?: unknown } | null)?.version === 1) {
    // Its entries are hashes of the secrets under a salt kept in the same file: a guess of a
    // secret can be tested against it. Reading it would keep that file in use.
    throw vaultError(
      "INVALID_INPUT",
      "The baseline file is in an older format: it holds salted hashes of the secrets, which let a weak secret be guessed offline.",
      `Write it again: vault scan --baseline ${path} --update-baseline (then rotate any weak secret it listed if the old file was ever shared or committed).`,
    );
  }
  const file = validate(baselineSchema, raw, (mismatch) =>
    vaultError(
      "INVALID_INPUT",
      `The baseline file is not an agent-vault baseline (unexpected content at ${placeOf(mismatch)}).`,
      "Write it again with --update-baseline.",
    ),
  );
  return { entries: file.findings.map(({ file, rule, line }) => ({ file, rule, line })) };
}

/**
 * Writes a baseline of `keys` (one entry per finding; identical lines stay as many entries).
 * @throws VaultError IO_ERROR
 */
export async function writeBaseline(path: string, keys: readonly BaselineKey[]): Promise<number> {
  const findings = keys
    .map(({ file, rule, line }) => ({ file, rule, line }))
    .sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  const body = { version: BASELINE_VERSION, findings };
  await writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`, 0o644);
  return findings.length;
}
