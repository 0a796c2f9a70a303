/**
 * The built-in store: one folder per agent under the home.
 *
 *   <home>/                      0700
 *   <home>/agents/<agent>/       0700
 *     vault.json                 0600  the vault file (file-format/vault-file.ts)
 *     audit.jsonl, audit.head    0600  the audit log and its keyed head (audit.ts)
 *     vault.lock, audit.lock           inter-process locks (lock.ts)
 *
 * Commit protocol (security-bar.md): write a temp file in the same folder with O_EXCL and mode
 * 0600, fsync it, check under the lock that the vault is still the one we read, rename over the
 * vault, fsync the folder. Orphan temp files from killed writers are removed under the lock.
 */
import { randomBytes } from "node:crypto";
import { promises as fs, constants as fsConstants, type Stats, watch } from "node:fs";
import { join } from "node:path";
import { ioError, vaultError } from "../errors.js";
import { privacyProblem, writableByOthers } from "../fs/private-entry.js";
import { AGENT_ID_PATTERN, checkAgentId } from "../grammar.js";
import { acquireLock, type LockOptions } from "./lock.js";
import type { AuditAppend, StoredAudit, StoredVault, VaultStore } from "./store.js";

const VAULT_FILE = "vault.json";
const AUDIT_FILE = "audit.jsonl";
const AUDIT_HEAD = "audit.head";
const TEMP_PREFIX = ".tmp-";
const AUDIT_TEMP_PREFIX = ".audit-tmp-";
/** The files of one agent's folder that hold its data (mode 0600). */
export const AGENT_DATA_FILES: readonly string[] = [VAULT_FILE, AUDIT_FILE, AUDIT_HEAD];

/** A file of an agent's folder left by an interrupted write (removed by the next write). */
export function isInterruptedWriteLeftover(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) || name.includes(".stale-");
}

/** Audit records are far smaller than this; the appender reads only this much of the log. */
const AUDIT_TAIL_BYTES = 64 * 1024;

/** Options of {@link FileStore}. */
export interface FileStoreOptions {
  /** The agent-vault home (`$AGENT_VAULT_HOME`, default `~/.agent-vault`). */
  home: string;
  /** How long a writer waits for the vault lock (default 10 s). */
  lockTimeoutMs?: number;
  /** When a silent lock holder is presumed dead (default 30 s). */
  lockStaleMs?: number;
  /** Skip the owner/mode checks (never set by the CLI; for foreign-owned test fixtures). */
  skipPermissionChecks?: boolean;
}

/** What tells a rewritten vault file from the one read before (a rename gives a new inode). */
function changeToken(stat: Stats): string {
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}:${stat.ctimeMs}`;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/** Opens `path`, fsyncs it and closes it (used for folders after a rename). */
async function fsyncPath(path: string): Promise<void> {
  const handle = await fs.open(path, fsConstants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `bytes` to a fresh temp file beside `target` (O_EXCL, 0600) and fsyncs it. */
async function writeTempBeside(
  folder: string,
  bytes: Uint8Array,
  prefix = TEMP_PREFIX,
): Promise<string> {
  const temp = join(folder, `${prefix}${randomBytes(8).toString("hex")}`);
  const handle = await fs.open(
    temp,
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
    0o600,
  );
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

/**
 * The whole content of an open file whose size was `size` at its stat, read in as few calls as
 * the kernel allows into one buffer of that size (`FileHandle#readFile` reads 512 KiB pieces
 * through the thread pool and joins them: a few ms more for a vault of megabytes). A file that
 * grew since is read to its end all the same.
 */
async function readWhole(handle: fs.FileHandle, size: number): Promise<Uint8Array> {
  let buffer = new Uint8Array(Math.max(size, 1));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      // Full at the size the stat gave: a one-byte read tells the end from a file that grew
      // (the buffer is doubled only then, not to learn that a file of its size has ended).
      const probe = new Uint8Array(1);
      const { bytesRead } = await handle.read(probe, 0, 1, length);
      if (bytesRead === 0) return buffer;
      // Room for the probed byte and at least as much again (a file stat'ed empty has a buffer of 1).
      const larger = new Uint8Array(Math.max(buffer.length * 2, length + 4096));
      larger.set(buffer);
      larger.set(probe, length);
      buffer = larger;
      length += 1;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

/** The default file store. */
export class FileStore implements VaultStore {
  readonly kind = "file";
  readonly home: string;
  readonly #lock: Omit<LockOptions, "what">;
  readonly #checkPermissions: boolean;

  constructor(options: FileStoreOptions) {
    this.home = options.home;
    this.#lock = {
      timeoutMs: options.lockTimeoutMs ?? 10_000,
      staleMs: options.lockStaleMs ?? 30_000,
    };
    // Windows reports every file as 0666 and has no uids: its ACLs are not checked here.
    this.#checkPermissions = !options.skipPermissionChecks && process.platform !== "win32";
  }

  /** The folder of one agent. */
  agentDir(agent: string): string {
    return join(this.home, "agents", checkAgentId(agent));
  }

  /** Watches the agent folder for a new vault file (each commit renames one into place). */
  async watch(
    agent: string,
    listener: (change: { agent: string }) => void,
    onError?: (error: Error) => void,
  ): Promise<() => Promise<void>> {
    let watcher: ReturnType<typeof watch>;
    try {
      watcher = watch(this.agentDir(agent), (_event, name) => {
        if (name === VAULT_FILE) listener({ agent });
      });
    } catch (error) {
      throw ioError(error, "watch the vault folder");
    }
    watcher.on("error", (error) => onError?.(ioError(error, "watch the vault folder")));
    return async () => watcher.close();
  }

  locate(agent: string): string {
    return join(this.agentDir(agent), VAULT_FILE);
  }

  async listAgents(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(join(this.home, "agents"));
    } catch (error) {
      if (isMissing(error)) return [];
      throw ioError(error, "list the agents folder");
    }
    const agents: string[] = [];
    for (const name of names.sort()) {
      if (!AGENT_ID_PATTERN.test(name)) continue;
      try {
        await fs.access(join(this.home, "agents", name, VAULT_FILE));
        agents.push(name);
      } catch {
        // A folder without a vault (an interrupted init) is not an agent.
      }
    }
    return agents;
  }

  /**
   * Refuses a folder or file that others can read or write, or that another user owns, the way
   * ssh refuses a private key anyone can read.
   * @throws VaultError INSECURE_PERMISSIONS
   */
  async #checkSecure(path: string, kind: "folder" | "file"): Promise<void> {
    if (!this.#checkPermissions) return;
    this.#checkStat(await fs.lstat(path), path, kind);
  }

  /** The checks of {@link FileStore.#checkSecure} on a stat already taken (e.g. of an open file). */
  #checkStat(stat: Stats, path: string, kind: "folder" | "file"): void {
    if (!this.#checkPermissions) return;
    const fix = kind === "folder" ? `chmod 700 '${path}'` : `chmod 600 '${path}'`;
    switch (privacyProblem(stat)) {
      case "symbolic-link":
        throw vaultError(
          "INSECURE_PERMISSIONS",
          `Refusing ${path}: it is a symbolic link.`,
          "Replace the link with the real folder or file.",
        );
      case "other-owner":
        throw vaultError(
          "INSECURE_PERMISSIONS",
          `Refusing ${path}: it is owned by another user (uid ${stat.uid}).`,
          "Run agent-vault as the user that owns the vault, or chown it to yourself.",
        );
      case "open-to-others":
        throw vaultError(
          "INSECURE_PERMISSIONS",
          `Refusing ${path}: other users can access it (mode ${(stat.mode & 0o777).toString(8)}).`,
          `Run: ${fix}`,
        );
      case undefined:
        return;
    }
  }

  /** Creates `path` with mode 0700 if missing; checks it if present. */
  async #ensureFolder(path: string): Promise<void> {
    try {
      await fs.mkdir(path, { mode: 0o700 });
      await fs.chmod(path, 0o700); // the umask may have narrowed or widened mkdir's mode
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST")
        throw ioError(error, `create ${path}`);
    }
  }

  async #ensureAgentDir(agent: string): Promise<string> {
    await fs.mkdir(this.home, { recursive: true, mode: 0o700 }).catch((error) => {
      throw ioError(error, `create ${this.home}`);
    });
    const homeStat = await fs.stat(this.home);
    if (this.#checkPermissions && writableByOthers(homeStat)) {
      throw vaultError(
        "INSECURE_PERMISSIONS",
        `Refusing ${this.home}: other users can write to it.`,
        `Run: chmod 700 '${this.home}'`,
      );
    }
    await this.#ensureFolder(join(this.home, "agents"));
    const dir = this.agentDir(agent);
    await this.#ensureFolder(dir);
    await this.#checkSecure(dir, "folder");
    return dir;
  }

  async #readVaultFile(agent: string): Promise<StoredVault | undefined> {
    const dir = this.agentDir(agent);
    const path = join(dir, VAULT_FILE);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    } catch (error) {
      if (isMissing(error)) return undefined;
      if ((error as NodeJS.ErrnoException).code === "ELOOP") await this.#checkSecure(path, "file");
      throw ioError(error, `read ${path}`);
    }
    try {
      await this.#checkSecure(dir, "folder");
      // Checked on the open file itself, so a file swapped in after the open cannot pass.
      const stat = await handle.stat();
      this.#checkStat(stat, path, "file");
      const bytes = await readWhole(handle, stat.size);
      return { bytes, token: changeToken(stat) };
    } finally {
      await handle.close();
    }
  }

  async read(agent: string): Promise<StoredVault | undefined> {
    const stored = await this.#readVaultFile(agent);
    if (stored) await this.#cleanOrphansOnOpen(agent);
    return stored;
  }

  /**
   * Removes temp files a killed writer left, when there are any (security-bar.md: "clean
   * orphan temp files on open"). Only under the vault lock, so a live writer's file is safe;
   * a busy vault is left for its writer, which cleans up itself.
   */
  async #cleanOrphansOnOpen(agent: string): Promise<void> {
    const dir = this.agentDir(agent);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    if (!names.some((name) => name.startsWith(TEMP_PREFIX))) return;
    let lock: Awaited<ReturnType<typeof acquireLock>>;
    try {
      lock = await acquireLock(join(dir, "vault.lock"), {
        ...this.#lock,
        timeoutMs: 0,
        what: `vault of agent ${agent}`,
      });
    } catch {
      return;
    }
    try {
      await this.#removeOrphans(dir);
    } finally {
      await lock.release();
    }
  }

  async token(agent: string): Promise<string | undefined> {
    try {
      const stat = await fs.stat(this.locate(agent));
      return changeToken(stat);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw ioError(error, `read ${this.locate(agent)}`);
    }
  }

  #lockOptions(agent: string, what: string): LockOptions {
    return { ...this.#lock, what: `${what} of agent ${agent}` };
  }

  /**
   * Removes temp files left by killed writers, and lock drafts and broken-lock leftovers older
   * than the stale time. Call only while holding the vault lock.
   */
  async #removeOrphans(dir: string, prefix = TEMP_PREFIX): Promise<void> {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const staleBefore = Date.now() - this.#lock.staleMs;
    await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name);
        if (name.startsWith(prefix)) return fs.rm(path, { force: true });
        if (prefix !== TEMP_PREFIX) return undefined;
        if (/^(vault|audit)\.lock\.[0-9a-f]{32}$|\.lock\.stale-[0-9a-f]+$/.test(name)) {
          const stat = await fs.stat(path).catch(() => undefined);
          if (stat && stat.mtimeMs < staleBefore) await fs.rm(path, { force: true });
        }
        return undefined;
      }),
    );
  }

  async #commit(dir: string, bytes: Uint8Array, beforeRename: () => Promise<void>): Promise<void> {
    let temp: string | undefined;
    try {
      temp = await writeTempBeside(dir, bytes);
      await beforeRename();
      await fs.rename(temp, join(dir, VAULT_FILE));
      temp = undefined;
      await fsyncPath(dir);
    } catch (error) {
      if (temp) await fs.rm(temp, { force: true });
      throw ioError(error, `write the vault in ${dir}`);
    }
  }

  async create(agent: string, bytes: Uint8Array): Promise<void> {
    const dir = await this.#ensureAgentDir(agent);
    const lock = await acquireLock(join(dir, "vault.lock"), this.#lockOptions(agent, "vault"));
    try {
      await this.#removeOrphans(dir);
      if (await this.#readVaultFile(agent)) {
        throw vaultError(
          "ALREADY_EXISTS",
          `Agent ${agent} already has a vault at ${this.locate(agent)}.`,
          "Use it as it is, or pick another agent with --agent.",
        );
      }
      await this.#commit(dir, bytes, () => lock.assertHeld());
    } finally {
      await lock.release();
    }
  }

  async update(
    agent: string,
    transform: (current: StoredVault) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
  ): Promise<StoredVault> {
    const dir = this.agentDir(agent);
    await fs.access(dir).catch(() => {
      throw this.#notFound(agent);
    });
    const lock = await acquireLock(join(dir, "vault.lock"), this.#lockOptions(agent, "vault"));
    try {
      await this.#removeOrphans(dir);
      const current = await this.#readVaultFile(agent);
      if (!current) throw this.#notFound(agent);
      const next = await transform(current);
      if (!next) return current;
      await this.#commit(dir, next, async () => {
        await lock.assertHeld();
        // The generation check: the vault must still be the one `transform` saw.
        const now = await this.#readVaultFile(agent);
        if (!now || Buffer.compare(now.bytes, current.bytes) !== 0) {
          throw vaultError(
            "CONFLICT",
            `The vault of agent ${agent} changed while this write was in progress; nothing was written.`,
            "Retry the command.",
          );
        }
      });
      return { bytes: next, token: (await this.token(agent)) ?? "" };
    } finally {
      await lock.release();
    }
  }

  #notFound(agent: string) {
    return vaultError(
      "VAULT_NOT_FOUND",
      `Agent ${agent} has no vault in ${this.home}.`,
      `Create one with: vault init --agent ${agent}`,
    );
  }

  async appendAudit(
    agent: string,
    build: (end: AuditAppend) => { lines: string[]; head?: string },
  ): Promise<void> {
    const dir = await this.#ensureAgentDir(agent);
    const logPath = join(dir, AUDIT_FILE);
    const lock = await acquireLock(join(dir, "audit.lock"), this.#lockOptions(agent, "audit log"));
    try {
      await this.#removeOrphans(dir, AUDIT_TEMP_PREFIX);
      const end = await this.#auditEnd(logPath);
      const { lines, head } = build({ lastLine: end.lastLine });
      if (lines.some((line) => line.includes("\n")))
        throw new RangeError("an audit record is one line");
      const handle = await fs.open(
        logPath,
        fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT,
        0o600,
      );
      try {
        // A torn last line from a killed writer was never acknowledged: cut it off.
        if (end.tornAt !== undefined) await handle.truncate(end.tornAt);
        await handle.write(lines.map((line) => `${line}\n`).join(""));
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (head !== undefined) {
        // Its own prefix: vault writers clean `.tmp-` files under the vault lock, not this one.
        const temp = await writeTempBeside(
          dir,
          new TextEncoder().encode(`${head}\n`),
          AUDIT_TEMP_PREFIX,
        );
        await fs.rename(temp, join(dir, AUDIT_HEAD));
      }
      // The folder too: the rename (and a log file this append created) survives a power cut,
      // so the head never falls back behind records the log kept.
      await fsyncPath(dir);
    } catch (error) {
      if (typeof (error as NodeJS.ErrnoException).code !== "string") throw error;
      throw ioError(error, `write the audit log of agent ${agent}`);
    } finally {
      await lock.release();
    }
  }

  /** Reads the log's last complete line (from its tail only) and finds a torn last line. */
  async #auditEnd(
    logPath: string,
  ): Promise<{ lastLine: string | undefined; tornAt: number | undefined }> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(logPath, fsConstants.O_RDONLY);
    } catch (error) {
      if (isMissing(error)) return { lastLine: undefined, tornAt: undefined };
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - AUDIT_TAIL_BYTES);
      const tail = Buffer.alloc(size - start);
      await handle.read(tail, 0, tail.length, start);
      const end = tail.lastIndexOf(0x0a) + 1;
      const tornAt = end < tail.length ? start + end : undefined;
      const complete = tail.subarray(0, end).toString("utf8").split("\n");
      complete.pop();
      return { lastLine: complete.at(-1), tornAt };
    } finally {
      await handle.close();
    }
  }

  async readAudit(agent: string): Promise<StoredAudit> {
    const dir = this.agentDir(agent);
    const read = async (name: string) => {
      try {
        return await fs.readFile(join(dir, name), "utf8");
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw ioError(error, `read ${join(dir, name)}`);
      }
    };
    const [log, head] = await Promise.all([read(AUDIT_FILE), read(AUDIT_HEAD)]);
    const lines = (log ?? "").split("\n");
    if (lines.at(-1) === "") lines.pop();
    return { lines, head: head?.trimEnd() };
  }
}
