/**
 * Small file helpers of the scanner: an atomic write (temp file in the same folder, fsync,
 * rename, fsync the folder) and a JSON reader whose errors never quote the file.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ioError, vaultError } from "../errors.js";

/**
 * Replaces `path` with `data` atomically: readers see the old or the new content, never a mix.
 * @throws VaultError IO_ERROR
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await fs.open(temp, "wx", mode);
    try {
      await handle.writeFile(data);
      // The umask may have narrowed the mode asked for; keep what was asked.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
    const dir = await fs.open(folder, "r");
    try {
      await dir.sync().catch(() => undefined);
    } finally {
      await dir.close();
    }
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw ioError(error, `write ${basename(path)}`);
  }
}

/**
 * Reads and parses a JSON file; `undefined` when it does not exist.
 * @throws VaultError CORRUPT (not JSON) | IO_ERROR
 */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError(error, `read ${what}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw vaultError("CORRUPT", `The ${what} is not valid JSON.`, `Fix or delete ${path}.`);
  }
}
