/**
 * Turns global options and the environment into library options: home, agent, store, key
 * source, actor. The only place that reads `AGENT_VAULT_*`, but for the `vault agent` modules
 * (agent-client.ts finds a running agent by the same rules before this module is loaded).
 */
import { mkdir, open, readFile, stat } from "node:fs/promises";
import { userInfo } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { ioError, type VaultErrorCode, vaultError } from "../errors.js";
import { writableByOthers } from "../fs/private-entry.js";
import { readHead } from "../fs/read-head.js";
import { checkAgentId, DEFAULT_AGENT } from "../grammar.js";
import type { KeySource } from "../keys/sources.js";
import type { VaultStore } from "../store/store.js";
import { checkStoreName, defaultPassfile } from "../store/store-choice.js";
import type { Vault, VaultOptions } from "../vault.js";
import type { CliIo } from "./io.js";

/** Options every command accepts. */
export interface GlobalOptions {
  json?: boolean;
  agent?: string;
  home?: string;
  store?: string;
  passphraseFile?: string;
  keyFile?: string;
  keyDir?: string;
  lockTimeout?: string;
}

/** What a command runs with. */
export interface CommandContext {
  io: CliIo;
  options: GlobalOptions;
  json: boolean;
  agent: string;
  home: string;
  store: VaultStore;
  /** Library options for openVault/createVault (without keySource). */
  vaultOptions: VaultOptions;
  /** Closes the store, if this run made one. */
  close: () => Promise<void>;
}

/** Resolves a path the user typed against the CLI's working folder. */
export function resolvePath(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

function actorOf(io: CliIo): string {
  let user = io.env.USER ?? "unknown";
  try {
    user = userInfo().username;
  } catch {
    // keep $USER
  }
  return `${user}@cli`;
}

/** A hidden prompt whose failure (Ctrl-C, no terminal) is a typed error, not a crash. */
export async function promptOrFail(io: CliIo, question: string): Promise<string> {
  try {
    return await io.promptHidden(question);
  } catch {
    throw vaultError(
      "NO_KEY_SOURCE",
      "The prompt was interrupted or there is no terminal to ask on.",
      "Run it again on a terminal, or use --passphrase-file / --key-file / $AGENT_VAULT_KEY.",
    );
  }
}

/** The store modules, loaded before a command that opens a store runs (loadStoreModule). */
let storeModule: typeof import("../store/select-store.js") | undefined;

/**
 * Loads the modules that make stores. The command line does it before every command but those
 * that declare `opensStore: false` (vault scan in a pre-commit hook must not pay for them);
 * opening a vault does it too.
 */
export async function loadStoreModule(): Promise<void> {
  storeModule ??= await import("../store/select-store.js");
}

/** Builds the context of one command run. @throws VaultError INVALID_AGENT | USAGE */
export function commandContext(io: CliIo, options: GlobalOptions): CommandContext {
  const agent = checkAgentId(options.agent ?? io.env.AGENT_VAULT_AGENT ?? DEFAULT_AGENT);
  const homeOption = options.home ?? io.env.AGENT_VAULT_HOME;
  const home = homeOption
    ? resolvePath(io, homeOption)
    : resolvePath(io, join(io.env.HOME ?? userInfo().homedir, ".agent-vault"));
  let lockTimeoutMs: number | undefined;
  if (options.lockTimeout !== undefined) {
    lockTimeoutMs = Number(options.lockTimeout) * 1000;
    if (!Number.isFinite(lockTimeoutMs) || lockTimeoutMs < 0) {
      throw vaultError(
        "USAGE",
        "--lock-timeout takes a number of seconds.",
        "e.g. --lock-timeout 30",
      );
    }
  }
  const storeName = options.store ?? io.env.AGENT_VAULT_STORE;
  if (storeName !== undefined) checkStoreName(storeName);
  // Made on first use: a command that never opens a vault (vault scan in a pre-commit hook)
  // loads no store module and reads no config file.
  let store: VaultStore | undefined;
  const storeOf = () => {
    if (!storeModule) throw new Error("A command read its store before loadStoreModule().");
    const made = storeModule.selectStore(home, {
      store: storeName,
      password: io.env.PGPASSWORD,
      passfile: defaultPassfile(io.env, io.cwd),
      lockTimeoutMs,
    });
    store = made;
    return made;
  };
  const prompt = io.isTTY ? { prompt: (question: string) => promptOrFail(io, question) } : {};
  return {
    io,
    options,
    json: options.json === true,
    agent,
    home,
    get store() {
      return storeOf();
    },
    get vaultOptions(): VaultOptions {
      // On a database store the home still holds this host's scan fingerprints.
      return { agent, store: storeOf(), home, now: () => io.now(), actor: actorOf(io), ...prompt };
    },
    close: async () => {
      await store?.close?.();
    },
  };
}

/**
 * The key source the user named, flags before the environment: `--passphrase-file`,
 * `--key-file`, `--key-dir`, then `$AGENT_VAULT_KEY` (CI key), `$AGENT_VAULT_PASSPHRASE`,
 * `$AGENT_VAULT_KEY_FILE`, `$AGENT_VAULT_KEY_DIR`. `undefined`: use the vault's own default
 * (keychain, remembered key file, or a passphrase prompt).
 */
export async function keySourceFromFlags(ctx: CommandContext): Promise<KeySource | undefined> {
  const { io, options } = ctx;
  // Loaded here: a command that unlocks nothing (vault scan) never loads libsodium.
  const { keyFileKey, keySourceFromEnv, passphraseKey } = await import("../keys/sources.js");
  if (options.passphraseFile)
    return passphraseKey(await readPassphraseFile(io, options.passphraseFile, "--passphrase-file"));
  if (options.keyFile) return keyFileKey(resolvePath(io, options.keyFile));
  if (options.keyDir) return keyFileKey(keyFileInDir(ctx, options.keyDir));
  return keySourceFromEnv(io.env, { agent: ctx.agent, cwd: io.cwd });
}

/**
 * Makes a folder for key files (0700), or checks one that exists: a folder other users can
 * write to would let them swap a key file, so it is refused.
 * @throws VaultError IO_ERROR | INSECURE_PERMISSIONS
 */
export async function ensureKeyFolder(
  ctx: CommandContext,
  dir: string,
  flag: string,
): Promise<void> {
  const path = resolvePath(ctx.io, dir);
  await mkdir(path, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw ioError(error, `create the ${flag} folder`);
  });
  const info = await stat(path).catch((error: unknown) => {
    throw ioError(error, `check the ${flag} folder`);
  });
  if (writableByOthers(info)) {
    throw vaultError(
      "INSECURE_PERMISSIONS",
      `Refusing the ${flag} folder ${path}: other users can write to it.`,
      `Run: chmod 700 '${path}'`,
    );
  }
}

/**
 * The agent's key file in a key folder: `<dir>/<agent>.key` (`--key-dir`,
 * `$AGENT_VAULT_KEY_DIR`), so one host can unlock many agents, e.g. `vault rotate --all-agents`
 * on the shared store.
 */
export function keyFileInDir(ctx: CommandContext, dir: string): string {
  return join(resolvePath(ctx.io, dir), `${ctx.agent}.key`);
}

/** The most of a passphrase file read: its first line must end within it. */
const MAX_PASSPHRASE_FILE_READ = 64 * 1024;

/**
 * The passphrase in a file (`--passphrase-file`, `--new-passphrase-file`): its first line.
 * Reading stops after 64 KiB + 1 bytes (the file may be a FIFO or a device that never ends);
 * a first line longer than that is refused.
 * @throws VaultError NO_KEY_SOURCE (unreadable) | INVALID_INPUT (first line too long)
 */
export async function readPassphraseFile(io: CliIo, path: string, flag: string): Promise<string> {
  const bytes = await readUserFile(io, path, `the file given with ${flag}`, {
    code: "NO_KEY_SOURCE",
    hint: `Check the path given with ${flag}.`,
    maxBytes: MAX_PASSPHRASE_FILE_READ,
  });
  const end = bytes.indexOf(0x0a);
  if (end < 0 && bytes.length > MAX_PASSPHRASE_FILE_READ) {
    throw vaultError(
      "INVALID_INPUT",
      `The first line of the file given with ${flag} is longer than 64 KiB.`,
      "A passphrase file holds the passphrase on its first line.",
    );
  }
  return (end < 0 ? bytes : bytes.subarray(0, end)).toString("utf8").replace(/\r$/, "");
}

/** Reads at most `limit` bytes of the file at `path` ({@link readHead}). */
async function readFileHead(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    return await readHead(handle, limit);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file named on the command line: all of it, or with `maxBytes` at most `maxBytes` + 1
 * bytes (the caller refuses more than `maxBytes`). A failure names `what` and the errno, never
 * the path: a value may have been typed where the path goes.
 * @throws VaultError `code` (default INVALID_INPUT)
 */
export async function readUserFile(
  io: CliIo,
  path: string,
  what: string,
  failure: { code?: VaultErrorCode; hint: string; maxBytes?: number },
): Promise<Buffer> {
  try {
    const resolved = resolvePath(io, path);
    return failure.maxBytes === undefined
      ? await readFile(resolved)
      : await readFileHead(resolved, failure.maxBytes + 1);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? "error";
    throw vaultError(
      failure.code ?? "INVALID_INPUT",
      `Cannot read ${what} (${errno}).`,
      failure.hint,
    );
  }
}

/**
 * A list option: `--only A,B` (or, where the option repeats, `--only A,B --only C`) →
 * [A, B, C]. An empty item is a usage error.
 * @throws VaultError USAGE
 */
export function parseNameList(value: unknown, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? (value as string[]) : [String(value)];
  const names = items.flatMap((item) => item.split(",")).map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw vaultError("USAGE", `${flag} takes names separated by commas.`, `e.g. ${flag} A,B`);
  }
  return names;
}

/**
 * libpq variables that carry or locate a PostgreSQL role's credentials: the password, the
 * password file, the service file (which may hold a password) and where it is looked for,
 * and a client certificate and its key. PGHOST, PGUSER and the like only name a target.
 */
const LIBPQ_CREDENTIAL_VARIABLES = [
  "PGPASSWORD",
  "PGPASSFILE",
  "PGSERVICE",
  "PGSERVICEFILE",
  "PGSYSCONFDIR",
  "PGSSLCERT",
  "PGSSLKEY",
];

/**
 * The environment for a command the vault starts (`vault run`): this one without the vault's
 * own variables, so what the command can reach is the secrets it was given. Every
 * `AGENT_VAULT_*` goes (keys, passphrase, key file and folder, the store URL, which may hold a
 * password, home and agent); when the store is PostgreSQL, so do the libpq variables that hold
 * or locate its role's credentials. With the file store those are not the vault's and stay.
 */
export function environmentWithoutVault(ctx: CommandContext): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = Object.create(null);
  const databaseStore = ctx.store.kind !== "file";
  for (const [name, value] of Object.entries(ctx.io.env)) {
    if (name.toUpperCase().startsWith("AGENT_VAULT_")) continue;
    if (databaseStore && LIBPQ_CREDENTIAL_VARIABLES.includes(name)) continue;
    env[name] = value;
  }
  return env;
}

/** Opens the agent's vault with the key source the flags and environment name. */
export async function openFromContext(ctx: CommandContext): Promise<Vault> {
  if (ctx.io.heldVault) return ctx.io.heldVault(ctx);
  const keySource = await keySourceFromFlags(ctx);
  // Loaded here: a command that opens no vault (vault scan) never loads the vault's modules.
  await loadStoreModule();
  const { openVault } = await import("../vault.js");
  return openVault(keySource ? { ...ctx.vaultOptions, keySource } : ctx.vaultOptions);
}

/** Runs `action` with the agent's vault open, closing it afterwards. */
export async function withVault<T>(
  ctx: CommandContext,
  action: (vault: Vault) => Promise<T>,
): Promise<T> {
  const vault = await openFromContext(ctx);
  try {
    return await action(vault);
  } finally {
    vault.close();
  }
}
