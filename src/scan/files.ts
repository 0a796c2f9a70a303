/**
 * Small file helpers of the scanner: an atomic write (temp file in the same folder, fsync,
 * rename, fsync the folder) and a JSON reader whose errors never quote the file.
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, promises as fs, fstatSync, openSync, readSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ioError, vaultError } from "../errors.js";
import { readHead } from "../fs/read-head.js";

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

/** Why {@link readRegularFile} read nothing. */
export type NotRead = "missing" | "not-a-file" | "too-large";

/**
 * The bytes of `path` when it is a regular file (a symlink to one too) of at most `maxBytes`;
 * otherwise why not. A device (`/dev/zero`), a FIFO or a folder is never read from: the file is
 * opened without blocking and checked on the open handle, and at most `maxBytes` + 1 bytes are
 * read, so a file growing meanwhile cannot make it read more.
 * @throws VaultError IO_ERROR
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer | NotRead> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw ioError(error, `read ${basename(path)}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return "not-a-file";
    if (stat.size > maxBytes) return "too-large";
    const bytes = await readHead(handle, Math.min(maxBytes + 1, stat.size + 4096));
    return bytes.length > maxBytes ? "too-large" : bytes;
  } catch (error) {
    throw ioError(error, `read ${basename(path)}`);
  } finally {
    await handle.close();
  }
}

/**
 * A buffer lent again and again, grown to the largest size asked for. A scan of a folder reads
 * one file into it, decodes it and scans it before reading the next: a fresh buffer per file
 * made every one of its pages a first touch, which cost more than the reads (the docs folder of
 * the benchmarks, 1,293 files, 19 MiB: 145 -> 62 ms to read and decode in a fresh process).
 */
export class ScratchBuffer {
  #buffer = Buffer.allocUnsafeSlow(0);

  /** At least `size` bytes; whatever they held is overwritten by the next use. */
  take(size: number): Buffer {
    if (this.#buffer.length < size) {
      this.#buffer = Buffer.allocUnsafeSlow(Math.max(size, 2 * this.#buffer.length));
    }
    return this.#buffer;
  }
}

/**
 * {@link readRegularFile} in one synchronous run of system calls (open, fstat, read, close): a
 * scan of a folder reads thousands of small files, and each asynchronous step costs more than the
 * read itself (a folder of 1,293 files: about 110 ms less in a fresh process). Same checks and
 * limits. With `scratch`, the bytes are read into it: the result is a view of `scratch`, valid
 * until its next use.
 * @throws VaultError IO_ERROR
 */
export function readRegularFileSync(
  path: string,
  maxBytes: number,
  scratch?: ScratchBuffer,
): Buffer | NotRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw ioError(error, `read ${basename(path)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return "not-a-file";
    if (stat.size > maxBytes) return "too-large";
    const limit = Math.min(maxBytes + 1, stat.size + 4096);
    const buffer = scratch ? scratch.take(limit) : Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const bytesRead = readSync(fd, buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled > maxBytes ? "too-large" : buffer.subarray(0, filled);
  } catch (error) {
    throw ioError(error, `read ${basename(path)}`);
  } finally {
    closeSync(fd);
  }
}

/** The most a scan config, baseline or fingerprint file may hold (far above any real one). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Reads and parses a JSON file; `undefined` when it does not exist.
 * @throws VaultError CORRUPT (not JSON) | INVALID_INPUT (not a regular file, too large) | IO_ERROR
 */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const read = await readRegularFile(path, MAX_JSON_BYTES);
  if (read === "missing") return undefined;
  if (typeof read === "string") {
    throw vaultError(
      "INVALID_INPUT",
      `The ${what} is ${read === "too-large" ? "larger than 64 MiB" : "not a regular file"}.`,
      `Replace ${path} with the file itself, or delete it.`,
    );
  }
  const text = read.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw vaultError("CORRUPT", `The ${what} is not valid JSON.`, `Fix or delete ${path}.`);
  }
}
