/**
 * The scan key (`<agent folder>/scan.key`): 32 random bytes of this host's, 0600, from which
 * the fingerprints' SipHash key is derived. It never leaves the host; a fingerprint set is
 * useless without it.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { ioError, vaultError } from "../errors.js";
import { writeFileAtomic } from "./files.js";

const KEY_FILE = "scan.key";

/** The agent's scan key (`scan.key`, 32 random bytes, 0600), or `undefined` when there is none. */
export async function readKey(agentDir: string): Promise<Uint8Array | undefined> {
  const path = join(agentDir, KEY_FILE);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError(error, "read the scan key");
  }
  try {
    const stat = await handle.stat();
    if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) {
      throw vaultError(
        "INSECURE_PERMISSIONS",
        "The scan key file is readable by other users.",
        `Run: chmod 600 ${path}`,
      );
    }
    const key = new Uint8Array(await handle.readFile());
    if (key.length !== 32) {
      throw vaultError(
        "CORRUPT",
        "The scan key file is damaged.",
        `Delete ${path}; the next change to the vault writes a new one.`,
      );
    }
    return key;
  } finally {
    await handle.close();
  }
}

/** The scan key, and whether it was just made (no fingerprint written before is then of it). */
export async function readOrCreateKey(
  agentDir: string,
): Promise<{ key: Uint8Array; isNew: boolean }> {
  const existing = await readKey(agentDir);
  if (existing) return { key: existing, isNew: false };
  const key = new Uint8Array(randomBytes(32));
  await writeFileAtomic(join(agentDir, KEY_FILE), key);
  return { key, isNew: true };
}
