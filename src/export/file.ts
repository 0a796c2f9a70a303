/**
 * Writing an export to a file: `--out FILE` and `$GITHUB_ENV`.
 *
 * Neither ever writes through a symlink (O_NOFOLLOW on the last component; a symlink there is
 * refused, dangling or not) or into anything but a regular file (O_NONBLOCK keeps a FIFO from
 * blocking the open; it is then refused). No temp file is used, so no stray copy of the values
 * is ever left behind.
 *
 * - {@link writeExportFile} (`--out`): creates FILE with mode 0600, or replaces the contents of
 *   an existing regular file FILE (like the shell's `>`), first setting its mode to 0600, which
 *   fails unless we own it. A file with other hard links is refused: writing would change the
 *   other names too.
 * - {@link appendExportFile} (`$GITHUB_ENV`, or `--out` with `--format github`): appends, as
 *   the runner expects; creates the file with mode 0600 when it is missing; leaves the mode of
 *   an existing file alone (the runner owns it).
 */
import { constants } from "node:fs";
import { type FileHandle, lstat, open } from "node:fs/promises";
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
}

/**
 * Writes `text` to `path` (created with mode 0600, or an existing regular file replaced).
 * @throws VaultError INVALID_INPUT (a symlink, folder, device or hard-linked file) | IO_ERROR
 */
export async function writeExportFile(path: string, text: string): Promise<void> {
  const handle = await openRegular(path, constants.O_WRONLY | constants.O_CREAT);
  try {
    const stat = await handle.stat();
    if (stat.nlink > 1) throw notAFile(path, "it has other hard links");
    // Before any byte is written: owner-only, and a file someone else owns fails here (EPERM).
    await handle.chmod(0o600);
    await handle.truncate(0);
    await handle.writeFile(text, "utf8");
  } catch (error) {
    throw ioError(error, `write the export to ${path}`);
  } finally {
    await handle.close();
  }
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
