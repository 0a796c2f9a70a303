/**
 * An inter-process lock on one file, safe across processes on one host and on shared
 * folders: the lock is a file created atomically with `link(2)` from a temp file that already
 * holds its owner (host, pid, token), so a lock is never seen without its owner.
 *
 * A lock is stale, and broken by the next taker, when its owner is a dead process on this host,
 * or when its owner stopped refreshing it for `staleMs` (a stalled or remote holder). A holder
 * checks it still owns the lock right before it commits ({@link FileLock.assertHeld}); the
 * store's generation check covers the remaining window.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { hostname } from "node:os";
import { ioError, vaultError } from "../errors.js";
import { parseJsonQuietly } from "../file-format/canonical-json.js";
import { fits, type Infer, integer, openObject, str } from "../validation/schema.js";

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** How long to wait for the lock before failing with BUSY. */
  timeoutMs: number;
  /** A holder that has not refreshed its lock for this long is presumed dead. */
  staleMs: number;
  /** What the lock protects, for the BUSY message (e.g. "vault of agent main"). */
  what: string;
}

/** A held lock. */
export interface FileLock {
  /** Throws CONFLICT when another process has broken this lock meanwhile. */
  assertHeld(): Promise<void>;
  /** Releases the lock (idempotent). */
  release(): Promise<void>;
}

/**
 * What a lock file holds (written by any process that shares the folder, perhaps on another
 * host). A lock whose owner does not fit is judged by its age alone.
 */
const lockOwnerSchema = openObject({
  host: str(),
  pid: integer(1, 2 ** 31 - 1),
  token: str(),
});
type LockOwner = Infer<typeof lockOwnerSchema>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when a process with this pid runs on this host (EPERM: it does, as another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(
  lockPath: string,
): Promise<{ owner?: LockOwner; mtimeMs: number } | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, "utf8"), fs.stat(lockPath)]);
    const owner = fits(lockOwnerSchema, parseJsonQuietly(text)?.value);
    return owner ? { owner, mtimeMs: stat.mtimeMs } : { mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function breakIfStale(lockPath: string, staleMs: number): Promise<void> {
  const found = await readOwner(lockPath);
  if (!found) return;
  const { owner, mtimeMs } = found;
  const isDeadLocal = owner?.host === hostname() && !isProcessAlive(owner.pid);
  if (!isDeadLocal && Date.now() - mtimeMs < staleMs) return;
  // Move it aside first so that two breakers cannot both remove a fresh lock.
  const aside = `${lockPath}.stale-${randomBytes(6).toString("hex")}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = await readOwner(aside);
  if (moved?.owner?.token !== owner?.token) {
    // Someone took the lock between our read and our rename: give it back.
    await fs.link(aside, lockPath).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

/**
 * Takes the lock `lockPath`, waiting up to `timeoutMs`.
 * @throws VaultError BUSY when the lock could not be had in time.
 */
export async function acquireLock(lockPath: string, options: LockOptions): Promise<FileLock> {
  const token = randomBytes(16).toString("hex");
  const owner: LockOwner = { host: hostname(), pid: process.pid, token };
  const draft = `${lockPath}.${token}`;
  try {
    await fs.writeFile(draft, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
  } catch (error) {
    await fs.rm(draft, { force: true });
    throw ioError(error, `take the lock on the ${options.what}`);
  }
  const deadline = Date.now() + options.timeoutMs;
  let delay = 2;
  try {
    for (;;) {
      try {
        await fs.link(draft, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
          throw ioError(error, `take the lock on the ${options.what} (hard links are needed)`);
        }
      }
      await breakIfStale(lockPath, options.staleMs);
      if (Date.now() >= deadline) {
        throw vaultError(
          "BUSY",
          `Timed out waiting for the lock on the ${options.what}.`,
          "Another vault command is writing; retry in a moment. If none is running, run `vault doctor`.",
        );
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 50);
    }
  } finally {
    await fs.rm(draft, { force: true });
  }

  const refresher = setInterval(
    () => {
      const now = new Date();
      fs.utimes(lockPath, now, now).catch(() => undefined);
    },
    Math.max(100, Math.floor(options.staleMs / 3)),
  );
  refresher.unref();
  let released = false;

  return {
    async assertHeld() {
      const found = await readOwner(lockPath);
      if (found?.owner?.token !== token) {
        throw vaultError(
          "CONFLICT",
          `Lost the lock on the ${options.what} while writing; nothing was changed.`,
          "This process stalled past the lock's stale time; retry the command.",
        );
      }
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(refresher);
      const found = await readOwner(lockPath).catch(() => undefined);
      if (found?.owner?.token === token) await fs.rm(lockPath, { force: true });
    },
  };
}
