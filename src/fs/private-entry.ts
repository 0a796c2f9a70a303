/**
 * The one rule for "private to this user", as ssh applies it to `~/.ssh`: a real file or folder
 * (not a symbolic link), owned by this user, that no other user can read, write or enter. The
 * file store refuses a vault entry that breaks it; the `vault agent` client will not speak to
 * an agent whose files break it.
 */
import type { Stats } from "node:fs";

/** What makes an entry not private. */
export type PrivacyProblem = "symbolic-link" | "other-owner" | "open-to-others";

/**
 * Why the entry `stat` describes (an `lstat`, so that a link shows as one) is not private to
 * the user `uid`, or undefined when it is. Without a `uid` (Windows) ownership is not checked.
 */
export function privacyProblem(
  stat: Stats,
  uid: number | undefined = process.getuid?.(),
): PrivacyProblem | undefined {
  if (stat.isSymbolicLink()) return "symbolic-link";
  if (uid !== undefined && stat.uid !== uid) return "other-owner";
  if ((stat.mode & 0o077) !== 0) return "open-to-others";
  return undefined;
}

/** Whether users other than the owner can write to it (in a folder: add, rename or remove entries). */
export function writableByOthers(stat: Stats): boolean {
  return (stat.mode & 0o022) !== 0;
}
