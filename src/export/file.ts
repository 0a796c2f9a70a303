/**
 * Writing an export to a file: `--out FILE` (`vault env`, `vault inject`) and `$GITHUB_ENV`.
 *
 * Neither ever writes through a symlink or into anything but a regular file.
 *
 * - {@link writeExportFile} (`--out`): the whole text or nothing. It goes to a temp file beside
 *   FILE (`.FILE.RANDOM.tmp`, created O_EXCL with mode 0600), which is fsynced and renamed over
 *   FILE, then the folder is fsynced: a reader, a crash or a full disk never sees half a file,
 *   and an existing FILE keeps its old content until the rename. The temp file is removed on
 *   any failure (only a kill between its creation and the rename can leave it, mode 0600). An
 *   existing FILE must be a regular file we own with no other hard links; a symlink there is
 *   refused, dangling or not.
 * - {@link appendExportFile} (`$GITHUB_ENV`, or `--out` with `--format github`): appends, as
 *   the runner expects (O_NOFOLLOW; O_NONBLOCK keeps a FIFO from blocking the open, and it is
 *   then refused); creates the file with mode 0600 when it is missing; leaves the mode of an
 *   existing file alone (the runner owns it).
 */

import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, lstat, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ioError, vaultError } from "../errors.js";

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

function notAFile(path: string, what: string) {
  return vaultError(
    "INVALID_INPUT",
    `Refusing to write the export to ${path}: ${what}.`,
    "Name a regular file (not a symlink, folder or device), or a new path.",
  );
}

async function openRegular(path: string, flags: number): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags | NOFOLLOW | NONBLOCK, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP" || code === "EMLINK") throw notAFile(path, "it is a symlink");
    if (code === "EISDIR") throw notAFile(path, "it is a folder");
    if (code === "ENXIO") throw notAFile(path, "it is not a regular file");
    throw ioError(error, `write the export to ${path}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw notAFile(path, "it is not a regular file");
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Refuses early what {@link writeExportFile} (`append` false) or {@link appendExportFile} would
 * refuse, so a bad path fails before any value is read. The writes check again when they open.
 * @throws VaultError INVALID_INPUT
 */
export async function checkExportTarget(path: string, options: { append?: boolean } = {}) {
  let stat: Awaited<ReturnType<typeof lstat>>;
  try {
    stat = await lstat(path);
  } catch {
    return; // missing (it will be created) or unreadable (the open will say why)
  }
  if (stat.isSymbolicLink()) throw notAFile(path, "it is a symlink");
  if (stat.isDirectory()) throw notAFile(path, "it is a folder");
  if (!stat.isFile()) throw notAFile(path, "it is not a regular file");
  if (!options.append && stat.nlink > 1) throw notAFile(path, "it has other hard links");
  if (!options.append && process.getuid && stat.uid !== process.getuid()) {
    throw notAFile(path, "another user owns it");
  }
}

/**
 * Replaces `path` with `text` atomically (created with mode 0600, or an existing regular file
 * of ours replaced).
 * @throws VaultError INVALID_INPUT (a symlink, folder, device, hard-linked file or a file of
 *   another user) | IO_ERROR (nothing written; an existing file left as it was)
 */
export async function writeExportFile(path: string, text: string): Promise<void> {
  await checkExportTarget(path);
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW,
      0o600,
    );
    try {
      // The umask may have narrowed it; never wider than owner-only either way.
      await handle.chmod(0o600);
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Checked again just before the rename: what is at `path` now is what gets replaced.
    await checkExportTarget(path);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw ioError(error, `write the export to ${path}`);
  }
  const dir = await open(folder, constants.O_RDONLY).catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}

/**
 * Appends `text` to `path` (created with mode 0600 when missing).
 * @throws VaultError INVALID_INPUT (a symlink, folder or device) | IO_ERROR
 */
export async function appendExportFile(path: string, text: string): Promise<void> {
  const handle = await openRegular(
    path,
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
  );
  try {
    await handle.writeFile(text, "utf8");
  } catch (error) {
    throw ioError(error, `write the export to ${path}`);
  } finally {
    await handle.close();
  }
}
