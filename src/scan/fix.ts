/**
 * `vault scan --fix`: replaces found credentials in a file with their vault references, in
 * one atomic write, and only if the file still holds what was scanned.
 */
import { promises as fs, type Stats } from "node:fs";
import { ioError, vaultError } from "../errors.js";
import { writeFileAtomic } from "./files.js";

/** One span of the scanned text to replace. */
export interface Replacement {
  start: number;
  end: number;
  text: string;
}

/**
 * The whole copy of `value` in `text` that overlaps `span`, or `span` itself when none does.
 * A vault secret is found by its fingerprinted windows, and a window cheap to guess is not
 * fingerprinted: the found span can miss the value's ends or a stretch inside it, and a fix
 * must replace all of the value, not leave a piece of it beside the reference. Looks only at
 * the text within one value's length of the span.
 */
export function spanOfWholeValue(
  text: string,
  value: string,
  span: { start: number; end: number },
): { start: number; end: number } {
  if (value.length === 0) return span;
  const from = Math.max(0, span.start - value.length + 1);
  const window = text.slice(from, span.end + value.length - 1);
  const at = window.indexOf(value);
  if (at === -1 || from + at >= span.end) return span;
  const start = Math.min(span.start, from + at);
  return { start, end: Math.max(span.end, from + at + value.length) };
}

/**
 * Refuses a file that a rewrite would not clean: the atomic rename replaces a symlink itself
 * (the file it points to keeps the credential) and one name of a file with other hard links
 * (the others keep it), and a folder or device is not a text file to rewrite.
 * @throws VaultError INVALID_INPUT | IO_ERROR
 */
export async function assertRewritable(path: string, shown: string): Promise<void> {
  let stat: Stats;
  try {
    stat = await fs.lstat(path);
  } catch (error) {
    throw ioError(error, "read a file to fix");
  }
  const why = stat.isSymbolicLink()
    ? "it is a symlink, and the file it points to would keep the credential"
    : !stat.isFile()
      ? "it is not a regular file"
      : stat.nlink > 1
        ? "it has other hard links, which would keep the credential"
        : undefined;
  if (why === undefined) return;
  throw vaultError(
    "INVALID_INPUT",
    `vault scan --fix does not rewrite ${shown}: ${why}. Nothing was changed.`,
    "Run --fix on the file itself (for a symlink, the path it points to), or edit it by hand.",
  );
}

/**
 * Rewrites `path` with `replacements` applied to `scanned` (its content when scanned),
 * keeping the file's mode.
 * @throws VaultError CONFLICT (the file changed since the scan) | INVALID_INPUT (a symlink,
 *   hard link or other non-regular file: {@link assertRewritable}) | IO_ERROR
 */
export async function replaceInFile(
  path: string,
  scanned: string,
  replacements: readonly Replacement[],
): Promise<void> {
  await assertRewritable(path, path);
  let current: string;
  let mode: number;
  try {
    current = await fs.readFile(path, "utf8");
    mode = (await fs.stat(path)).mode & 0o777;
  } catch (error) {
    throw ioError(error, "read a file to fix");
  }
  if (current !== scanned) {
    throw vaultError(
      "CONFLICT",
      "The file changed while it was being fixed; nothing was replaced in it.",
      "Run `vault scan --fix` again.",
    );
  }
  const sorted = [...replacements].sort((a, b) => b.start - a.start);
  let text = scanned;
  let limit = text.length;
  for (const r of sorted) {
    if (r.end > limit) continue; // overlapping spans: the later one already replaced this text
    text = text.slice(0, r.start) + r.text + text.slice(r.end);
    limit = r.start;
  }
  await writeFileAtomic(path, text, mode);
}
