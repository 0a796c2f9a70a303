/**
 * The `github` format: GitHub Actions workflow commands and environment file.
 *
 * - Masks: one `::add-mask::` line for each value and, for a multi-line value, for each of its
 *   lines (the runner masks log output line by line). Data is escaped as the runner unescapes
 *   it (actions/runner ActionCommand.UnescapeData: `%0D` → CR, `%0A` → LF, `%25` → `%`). They
 *   are printed on stdout before anything else, so the value is registered before it exists in
 *   the job.
 * - Environment file: `NAME<<DELIM`, the value, `DELIM`, appended to `$GITHUB_ENV`, with a
 *   fresh random delimiter per entry that occurs nowhere in the value (a fixed one allowed
 *   injection: CVE-2022-35954). actions/runner SetEnvFileCommand reads the value up to the
 *   first line equal to the delimiter and drops the line break before it; on Windows runners
 *   that line break is CRLF, so entries are written with CRLF there (a value ending in CR then
 *   reads back exactly too).
 *
 * Values never go to `$GITHUB_OUTPUT`: step outputs are not masked in later jobs' logs.
 */
import { randomBytes } from "node:crypto";
import type { ExportEntry } from "./variable-names.js";

/** Options of {@link formatGithubEnvFile}. */
export interface GithubEnvFileOptions {
  /** The runner is on Windows (`$RUNNER_OS` is `Windows`): lines end in CRLF. */
  windows?: boolean;
  /** Delimiter source (tests); default `ghadelimiter_` + 128 random bits in hex. */
  delimiter?: () => string;
}

/** Escapes workflow-command data as actions/runner unescapes it. */
export function escapeGithubCommandData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

// .NET char.IsWhiteSpace: the runner ignores (and warns about) a mask that is all whitespace.
const DOTNET_BLANK =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** The distinct strings to mask for one value: the value, then each of its lines. */
export function githubMaskValues(value: string): string[] {
  const masks = new Set<string>([value]);
  if (/[\r\n]/.test(value)) for (const line of value.split(/\r\n|\r|\n/)) masks.add(line);
  return [...masks].filter((mask) => !DOTNET_BLANK.test(mask));
}

/** `::add-mask::` lines for every value, to print before anything else. */
export function formatGithubMasks(entries: readonly ExportEntry[]): string {
  return entries
    .flatMap((entry) => githubMaskValues(entry.value))
    .map((mask) => `::add-mask::${escapeGithubCommandData(mask)}\n`)
    .join("");
}

function randomDelimiter(): string {
  return `ghadelimiter_${randomBytes(16).toString("hex")}`;
}

/**
 * `NAME<<DELIM` blocks for `$GITHUB_ENV`, each with its own delimiter found nowhere in its
 * value or name. Check the entries first ({@link checkExportEntries}).
 */
export function formatGithubEnvFile(
  entries: readonly ExportEntry[],
  options: GithubEnvFileOptions = {},
): string {
  const eol = options.windows ? "\r\n" : "\n";
  const next = options.delimiter ?? randomDelimiter;
  return entries
    .map((entry) => {
      let delimiter = next();
      // A delimiter must be non-empty, one line, and absent from what it encloses.
      while (
        delimiter === "" ||
        /[\r\n]/.test(delimiter) ||
        entry.value.includes(delimiter) ||
        entry.envName.includes(delimiter)
      ) {
        delimiter = next();
      }
      return `${entry.envName}<<${delimiter}${eol}${entry.value}${eol}${delimiter}${eol}`;
    })
    .join("");
}
