/**
 * The programs a rotation host runs with its keys: only files that no one but the user or root
 * could replace, checked on their real path and every folder above it.
 */
import { existsSync, realpathSync, type Stats, statSync } from "node:fs";
import { dirname } from "node:path";
import { writableByOthers } from "../fs/private-entry.js";
import type { HostCommand } from "./host-rotators.js";
import { RotatorFailure } from "./rotator-failure.js";

/** Owned by the user or root, and writable by no one else (a sticky folder aside). */
function isTrusted(stat: Stats, folder: boolean): boolean {
  const uid = process.getuid?.();
  const owner = uid === undefined || stat.uid === uid || stat.uid === 0;
  const othersWrite = writableByOthers(stat);
  const sticky = (stat.mode & 0o1000) !== 0;
  return owner && (!othersWrite || (folder && sticky));
}

/**
 * The real path of a program (or a script or file it is given) that runs with the host's
 * keys, refused when anyone but the user or root could replace it: the file and every folder
 * above it, links resolved. A sticky folder (/tmp) protects the files of its other users.
 * @throws RotatorFailure
 */
function trustedPath(path: string, what: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new RotatorFailure(`the rotator ${what} could not be found (${code}).`);
  }
  const refuse = () =>
    new RotatorFailure(
      `the rotator ${what} or a folder above it can be written by a user other than you or root: refusing to run it.`,
    );
  const stat = statSync(real);
  if (!(stat.isFile() || stat.isDirectory()) || !isTrusted(stat, stat.isDirectory()))
    throw refuse();
  for (let folder = dirname(real); ; folder = dirname(folder)) {
    if (!isTrusted(statSync(folder), true)) throw refuse();
    if (folder === dirname(folder)) break;
  }
  return real;
}

/**
 * The command to spawn: the program's real path, checked, and each argument that names an
 * existing absolute path checked the same way (an interpreter's script).
 * @throws RotatorFailure
 */
export function trustedCommand(command: HostCommand): HostCommand {
  const path = trustedPath(command.path, "command");
  for (const arg of command.args) {
    if (arg.startsWith("/") && existsSync(arg)) trustedPath(arg, "command's file argument");
  }
  return { path, args: command.args };
}
