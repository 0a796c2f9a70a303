/**
 * The `dotenv` format, as read by the `dotenv` package's `parse`. Each value is written in the
 * first of these forms that `parse` reads back exactly, checked by parsing it back:
 *
 * 1. `NAME='value'`: single-line values without `'`;
 * 2. `NAME="value"` with line breaks written `\n` and `\r` (the only escapes `parse` expands):
 *    values without `"` and without a backslash before `n` or `r`;
 * 3. `NAME='value'` over several lines: values without `'` or CR (`parse` turns CR into LF);
 * 4. ``NAME=`value` ``: values without a backtick or CR;
 * 5. `NAME=value`: values without `#`, line breaks, surrounding spaces or a leading quote.
 *
 * Forms 1-4 also need a value that does not end in a backslash.
 *
 * A value no form carries is refused with a typed error naming the secret, never silently
 * changed. A form is only tried when the value holds no quote of its kind, which also keeps
 * `parse`'s regular expression from backtracking.
 */
import { vaultError } from "../errors.js";
import type { ExportEntry } from "./variable-names.js";

/** dotenv's `parse`, passed in so this module stays free of the dependency. */
export type DotenvParse = (source: string) => Record<string, string>;

// In a quoted form the value holds no quote of its kind and does not end in a backslash: `parse`
// reads `\'` (or `\"`, `` \` ``) as part of the value, so a trailing backslash would let the
// value run on into the next entry.
const quotable = (value: string, quote: string) => !value.includes(quote) && !value.endsWith("\\");

const FORMS: Array<{ accepts: (value: string) => boolean; write: (value: string) => string }> = [
  { accepts: (v) => quotable(v, "'") && !/[\r\n]/.test(v), write: (v) => `'${v}'` },
  {
    accepts: (v) => quotable(v, '"') && !/\\[nr]/.test(v),
    write: (v) => `"${v.replaceAll("\n", "\\n").replaceAll("\r", "\\r")}"`,
  },
  { accepts: (v) => quotable(v, "'") && !v.includes("\r"), write: (v) => `'${v}'` },
  { accepts: (v) => quotable(v, "`") && !v.includes("\r"), write: (v) => `\`${v}\`` },
  { accepts: (v) => !/[#\r\n]/.test(v) && !/^['"`]/.test(v), write: (v) => v },
];

function readsBack(parse: DotenvParse, name: string, line: string, value: string): boolean {
  const parsed = parse(line);
  const keys = Object.keys(parsed);
  return keys.length === 1 && keys[0] === name && parsed[name] === value;
}

function refuse(entry: ExportEntry): never {
  if (entry.envName === "__proto__") {
    // dotenv's parse collects into a plain object, where this key sets the prototype.
    throw vaultError(
      "INVALID_INPUT",
      `Secret ${entry.name} cannot be exported as __proto__ in dotenv format.`,
      "Use --format json or --format shell, or another name (vault set NAME --env VAR).",
    );
  }
  throw vaultError(
    "INVALID_INPUT",
    `The value of ${entry.name} cannot be written in dotenv format so that it reads back exactly.`,
    "Use --format json or --format shell, which carry any value.",
  );
}

/**
 * The dotenv line (`NAME=…\n`) for `entry`, or `undefined` when no quoting reads back exactly.
 */
export function quoteDotenv(parse: DotenvParse, entry: ExportEntry): string | undefined {
  for (const form of FORMS) {
    if (!form.accepts(entry.value)) continue;
    const line = `${entry.envName}=${form.write(entry.value)}\n`;
    if (readsBack(parse, entry.envName, line, entry.value)) return line;
  }
  return undefined;
}

/**
 * The entries as a dotenv file that `parse` reads back exactly (checked as a whole too).
 * Check the entries first ({@link checkExportEntries}).
 * @throws VaultError INVALID_INPUT naming the first secret whose value cannot be carried
 */
export function formatDotenvWith(parse: DotenvParse, entries: readonly ExportEntry[]): string {
  const lines = entries.map((entry) => quoteDotenv(parse, entry) ?? refuse(entry));
  const text = lines.join("");
  const parsed = parse(text);
  if (Object.keys(parsed).length !== entries.length) {
    // Each line reads back alone; together they must too. Find the first that does not.
    refuse(
      entries.find((entry) => parsed[entry.envName] !== entry.value) ?? (entries[0] as ExportEntry),
    );
  }
  for (const entry of entries) if (parsed[entry.envName] !== entry.value) refuse(entry);
  return text;
}

/**
 * {@link formatDotenvWith} with the `dotenv` package's parser, loaded on first use.
 * @throws VaultError INVALID_INPUT
 */
export async function formatDotenv(entries: readonly ExportEntry[]): Promise<string> {
  const { parse } = await import("dotenv");
  return formatDotenvWith((source) => parse(source), entries);
}
