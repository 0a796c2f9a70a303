/**
 * The `shell` format: `export NAME='value'` lines for `eval "$(vault env --format shell)"` in
 * POSIX sh, dash, bash and zsh. Inside single quotes every byte is literal, so only `'` needs
 * care: it closes the quote, is written escaped, and the quote reopens (`'\''`).
 */
import type { ExportEntry } from "./variable-names.js";

/** `value` as one single-quoted shell word that reads back as exactly `value`. */
export function quoteShell(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * One `export NAME='value'` line per entry. Check the entries first
 * ({@link checkExportEntries}): names are written as they are.
 */
export function formatShell(entries: readonly ExportEntry[]): string {
  return entries.map((entry) => `export ${entry.envName}=${quoteShell(entry.value)}\n`).join("");
}
