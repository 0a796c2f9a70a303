/**
 * Key files: a master key as base64 of 32 random bytes in a file of mode 0600, read with the
 * checks an attacker-placed path needs (regular file, small, owned by us, not readable by
 * others) and created atomically.
 */
import { promises as fs, constants as fsConstants } from "node:fs";
import { dirname } from "node:path";
import { fromBase64, KEY_BYTES, randomBytes, toBase64, toHex, wipe } from "../crypto/sodium.js";
import { ioError, vaultError } from "../errors.js";
import { privacyProblem } from "../fs/private-entry.js";

/**
 * Reads a key file, refusing one others can read or that does not hold a key.
 * @throws VaultError KEY_UNAVAILABLE | KEY_FILE_INSECURE
 */
export async function readKeyFile(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    // O_NONBLOCK: a FIFO at a remembered path (vault content) must not hang the opener.
    const handle = await fs.open(
      path,
      fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK,
    );
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw vaultError(
          "KEY_UNAVAILABLE",
          "Refusing the key file: it is not a regular file.",
          "Point --key-file at the file `vault init --key-source keyfile` created.",
        );
      }
      if (stat.size > 4096) {
        throw vaultError(
          "KEY_UNAVAILABLE",
          "The key file does not hold an agent-vault key.",
          "Point --key-file at the file `vault init --key-source keyfile` created.",
        );
      }
      const isPosix = process.platform !== "win32";
      if (isPosix && privacyProblem(stat) !== undefined) {
        throw vaultError(
          "KEY_FILE_INSECURE",
          "Refusing the key file: other users can access it or another user owns it.",
          "chmod 600 the file given with --key-file (or the one `vault key list` shows), and own it.",
        );
      }
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as { name?: string }).name === "VaultError") throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw vaultError(
      "KEY_UNAVAILABLE",
      `Cannot read the key file (${code ?? "error"}).`,
      "Check --key-file / $AGENT_VAULT_KEY_FILE, or the key file this vault remembers (`vault key list`).",
    );
  }
  const key = fromBase64(text.trim());
  if (!key || key.length !== KEY_BYTES) {
    wipe(key);
    throw vaultError(
      "KEY_UNAVAILABLE",
      "The key file does not hold an agent-vault key.",
      "Point --key-file at the file `vault init --key-source keyfile` created.",
    );
  }
  return key;
}

/**
 * Creates a key file with a fresh key, or reads the existing one. The key is written to a
 * temp file (O_EXCL, 0600, fsynced) and linked into place, so a kill never leaves a
 * half-written key file at `path`.
 */
export async function createOrReadKeyFile(path: string): Promise<Uint8Array> {
  const key = randomBytes(KEY_BYTES);
  const temp = `${path}.tmp-${toHex(randomBytes(6))}`;
  try {
    const handle = await fs.open(
      temp,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
      0o600,
    );
    try {
      await handle.writeFile(`${toBase64(key)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(temp, path);
    } finally {
      await fs.unlink(temp).catch(() => undefined);
    }
    // The vault will name this file: its folder entry must survive a power cut too.
    const folder = await fs.open(dirname(path), fsConstants.O_RDONLY).catch(() => undefined);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
    return key;
  } catch (error) {
    wipe(key);
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readKeyFile(path);
    throw ioError(error, "create the key file");
  }
}
