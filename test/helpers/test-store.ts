/**
 * Which store the suite runs on: the file store (default) or, with
 * `AGENT_VAULT_TEST_STORE=postgres` (`npm run test:postgres`), the shared PostgreSQL store.
 *
 * On PostgreSQL each test home gets its own database, copied from the template that
 * test/setup/test-store.ts made, and named in the home's `config.json` (the product's own way
 * to pick a store for a home). The CLI helpers prepare the home a command names; library tests
 * call {@link prepareHome} before `createVault({ home })`.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  type Dirent,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { databaseUrl, TEMPLATE_DATABASE } from "../setup/test-store.js";
import { sqlSync } from "./sql-sync.js";

/** The store this run of the suite uses. */
export const TEST_STORE: "file" | "postgres" =
  process.env.AGENT_VAULT_TEST_STORE === "postgres" ? "postgres" : "file";

/** Whether this run uses the file store (for tests of the vault files themselves). */
export const ON_FILE_STORE = TEST_STORE === "file";

/**
 * Makes `home` use this run's store. On the file store: nothing. On PostgreSQL: creates the
 * home (0700) with a config.json naming a fresh database of its own (once per home).
 */
export function prepareHome(home: string): void {
  storageTouches.push(`prepareHome(${home})`);
  if (TEST_STORE === "file") return;
  const path = resolve(home);
  const config = join(path, "config.json");
  if (existsSync(config)) return;
  const superuser = inject("postgresSuperuserUrl");
  const database = `home_${createHash("sha256").update(path).digest("hex").slice(0, 24)}`;
  sqlSync(superuser, `CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DATABASE}`);
  databases.set(path, database);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  writeFileSync(config, `${JSON.stringify({ store: databaseUrl(superuser, database) })}\n`, {
    mode: 0o600,
  });
}

/**
 * The home a CLI run uses (`--home`, `$AGENT_VAULT_HOME`, `$HOME/.agent-vault`), prepared for
 * this run's store, unless the run names its store itself.
 */
export function prepareCliHome(
  argv: string[],
  env: Record<string, string | undefined>,
  cwd: string,
): void {
  storageTouches.push(`vault ${argv.join(" ")}`.slice(0, 80));
  if (TEST_STORE === "file") return;
  if (env.AGENT_VAULT_STORE !== undefined || argv.some((arg) => arg.startsWith("--store"))) return;
  const flag = argv.findIndex((arg) => arg === "--home" || arg.startsWith("--home="));
  let home: string | undefined;
  if (flag >= 0) {
    const arg = argv[flag] ?? "";
    home = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[flag + 1];
  }
  home ??= env.AGENT_VAULT_HOME ?? (env.HOME ? join(env.HOME, ".agent-vault") : undefined);
  if (home) prepareHome(resolve(cwd, home));
}

/** What the current test did that reaches a store (prepared homes, CLI runs), on either store. */
const storageTouches: string[] = [];

/** What reached a store since the last call (test/setup/guard-store.ts checks it per test). */
export function takeStorageTouches(): string[] {
  return storageTouches.splice(0);
}

/** The database of each prepared home (dropped when its temp folder is removed). */
const databases = new Map<string, string>();

/** Temp folders whose vault files the PostgreSQL run checks for after each test. */
const watched = new Set<string>();
/** Vault files already reported (each fails one test, not every later one). */
const reported = new Set<string>();

/** Registers a temp folder (every {@link tempDir}) for {@link vaultFilesWritten}. */
export function watchForVaultFiles(dir: string): void {
  if (TEST_STORE !== "file") watched.add(dir);
}

/** A test that uses the file store on purpose in every run (e.g. `vault demo`) says so. */
export function usesFileStoreByDesign(dir: string): void {
  watched.delete(dir);
}

/**
 * Vault files that appeared under the watched temp folders since the last call: in the
 * PostgreSQL run, each is a test that ran on the file store without saying so
 * (test/setup/guard-store.ts fails it).
 */
export function vaultFilesWritten(under: Iterable<string> = watched): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 6) walk(path, depth + 1);
      else if (
        entry.name === "vault.json" &&
        basename(dirname(dirname(path))) === "agents" &&
        !reported.has(path)
      ) {
        reported.add(path);
        found.push(path);
      }
    }
  };
  for (const dir of under) walk(dir, 0);
  return found;
}

/**
 * Removes a temp folder (its `cleanup()`). In the PostgreSQL run, first looks for vault files
 * in it (a test that ran on the file store without saying so fails here, before the files are
 * gone) and drops the databases of the homes in it.
 * @throws Error naming the vault files found
 */
export function removeTempDir(dir: string): void {
  const leaked = watched.has(dir) ? vaultFilesWritten([dir]) : [];
  watched.delete(dir);
  rmSync(dir, { recursive: true, force: true });
  for (const [home, database] of databases) {
    if (home !== dir && !home.startsWith(`${dir}/`)) continue;
    databases.delete(home);
    sqlSync(inject("postgresSuperuserUrl"), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
  if (leaked.length > 0) throw leakedVaultFiles(leaked);
}

/** The error of a test that wrote vault files in the PostgreSQL run. */
export function leakedVaultFiles(files: string[]): Error {
  return new Error(
    `This test wrote vault files in the PostgreSQL run: ${files.join(", ")}. ` +
      "Call prepareHome(home) before createVault/openVault, or run it on the file store only (ON_FILE_STORE).",
  );
}

/*
 * What is stored, read and replaced the way someone with write access to the storage could
 * (the files, or the database's rows as its owner), bypassing the vault: for tests of
 * tampering, leaks and "left as it was", on either store.
 */

const VAULT_FILE = "vault.json";
const AUDIT_FILE = "audit.jsonl";
const AUDIT_HEAD = "audit.head";

function agentDir(home: string, agent: string): string {
  return join(home, "agents", agent);
}

/** The database URL a prepared home's config.json names. */
function databaseOf(home: string): string {
  return (JSON.parse(readFileSync(join(home, "config.json"), "utf8")) as { store: string }).store;
}

/** Runs `work` with a client (the database owner) of the database a prepared home names. */
export async function withDatabase<T>(
  home: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseOf(home) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The stored bytes of an agent's vault, or `undefined` when it has none. */
export async function readStoredVault(home: string, agent = "main"): Promise<Buffer | undefined> {
  if (TEST_STORE === "file") {
    const path = join(agentDir(home, agent), VAULT_FILE);
    return existsSync(path) ? readFileSync(path) : undefined;
  }
  return withDatabase(home, async (client) => {
    const { rows } = await client.query<{ body: Buffer }>(
      "SELECT body FROM agent_vault.vaults WHERE agent = $1",
      [agent],
    );
    return rows[0]?.body;
  });
}

/** Replaces (or creates) the stored bytes of an agent's vault, with no lock and no checks. */
export async function writeStoredVault(
  home: string,
  agent: string,
  bytes: Uint8Array,
): Promise<void> {
  if (TEST_STORE === "file") {
    mkdirSync(agentDir(home, agent), { recursive: true, mode: 0o700 });
    writeFileSync(join(agentDir(home, agent), VAULT_FILE), bytes, { mode: 0o600 });
    return;
  }
  await withDatabase(home, (client) => upsertVaultRow(client, agent, bytes));
}

async function upsertVaultRow(client: pg.Client, agent: string, bytes: Uint8Array): Promise<void> {
  await client.query(
    `INSERT INTO agent_vault.vaults (agent, body, generation, stamp) VALUES ($1, $2, 1, $3)
     ON CONFLICT (agent) DO UPDATE SET body = $2, stamp = $3`,
    [agent, Buffer.from(bytes), `tampered-${Date.now()}-${Math.random()}`],
  );
}

/**
 * Runs `work` with a writer of an agent's stored vault bytes (as `writeStoredVault`) that
 * keeps one database connection for all its writes: for sweeps of thousands of edits.
 */
export async function withStoredVaultWriter<T>(
  home: string,
  work: (write: (agent: string, bytes: Uint8Array) => Promise<void>) => Promise<T>,
): Promise<T> {
  if (TEST_STORE === "file") return work((agent, bytes) => writeStoredVault(home, agent, bytes));
  return withDatabase(home, (client) =>
    work((agent, bytes) => upsertVaultRow(client, agent, bytes)),
  );
}

/** An agent's stored audit records (one JSON line each) and its keyed head. */
export interface StoredAuditLog {
  lines: string[];
  head: string | undefined;
}

/** The stored audit log of an agent. */
export async function readStoredAudit(home: string, agent = "main"): Promise<StoredAuditLog> {
  if (TEST_STORE === "file") {
    const read = (name: string) => {
      const path = join(agentDir(home, agent), name);
      return existsSync(path) ? readFileSync(path, "utf8") : undefined;
    };
    const log = read(AUDIT_FILE);
    return { lines: log ? log.trimEnd().split("\n") : [], head: read(AUDIT_HEAD)?.trim() };
  }
  return withDatabase(home, async (client) => {
    const { rows } = await client.query<{ lines: string[] | null; head: string | null }>(
      `SELECT
         (SELECT array_agg(line ORDER BY seq) FROM agent_vault.audit_records WHERE agent = $1) AS lines,
         (SELECT head FROM agent_vault.audit_heads WHERE agent = $1) AS head`,
      [agent],
    );
    return { lines: rows[0]?.lines ?? [], head: rows[0]?.head ?? undefined };
  });
}

/**
 * Replaces an agent's stored audit records with `lines` (and its head with `head`; `null`
 * removes it, `undefined` keeps it), with no lock and no checks.
 */
export async function writeStoredAudit(
  home: string,
  agent: string,
  lines: string[],
  head?: string | null,
): Promise<void> {
  if (TEST_STORE === "file") {
    const dir = agentDir(home, agent);
    if (lines.length > 0) writeFileSync(join(dir, AUDIT_FILE), `${lines.join("\n")}\n`);
    else rmSync(join(dir, AUDIT_FILE), { force: true });
    if (head === null) rmSync(join(dir, AUDIT_HEAD), { force: true });
    else if (head !== undefined) writeFileSync(join(dir, AUDIT_HEAD), `${head}\n`);
    return;
  }
  await withDatabase(home, async (client) => {
    await client.query("BEGIN");
    await client.query("DELETE FROM agent_vault.audit_records WHERE agent = $1", [agent]);
    for (const [index, line] of lines.entries()) {
      await client.query(
        "INSERT INTO agent_vault.audit_records (agent, seq, line) VALUES ($1, $2, $3)",
        [agent, index + 1, line],
      );
    }
    if (head === null) {
      await client.query("DELETE FROM agent_vault.audit_heads WHERE agent = $1", [agent]);
    } else {
      await client.query(
        `INSERT INTO agent_vault.audit_heads (agent, last_seq, head) VALUES ($1, $2, $3)
         ON CONFLICT (agent) DO UPDATE SET last_seq = $2,
           head = CASE WHEN $4 THEN $3 ELSE agent_vault.audit_heads.head END`,
        [agent, lines.length, head ?? null, head !== undefined],
      );
    }
    await client.query("COMMIT");
  });
}

/**
 * Holds the vault lock of `agent` as another live writer would: on the file store the lock
 * file, owned by this process, the way lock.ts writes it; on PostgreSQL the vault row's lock,
 * held by an open transaction. Resolves with the function that lets it go.
 */
export async function holdStoredLock(home: string, agent = "main"): Promise<() => Promise<void>> {
  if (TEST_STORE === "file") {
    const lockPath = join(agentDir(home, agent), "vault.lock");
    const owner = { host: hostname(), pid: process.pid, token: randomBytes(16).toString("hex") };
    writeFileSync(lockPath, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
    return async () => rmSync(lockPath);
  }
  const client = new pg.Client({ connectionString: databaseOf(home) });
  await client.connect();
  await client.query("BEGIN");
  const { rowCount } = await client.query(
    "SELECT 1 FROM agent_vault.vaults WHERE agent = $1 FOR UPDATE",
    [agent],
  );
  if (rowCount !== 1) throw new Error(`agent ${agent} has no vault row to lock`);
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

/** Removes everything stored for `agent` (its folder, or its rows), as the storage's owner could. */
export async function removeStoredAgent(home: string, agent: string): Promise<void> {
  if (TEST_STORE === "file") {
    rmSync(agentDir(home, agent), { recursive: true, force: true });
    return;
  }
  await withDatabase(home, async (client) => {
    for (const table of ["vaults", "audit_records", "audit_heads"]) {
      await client.query(`DELETE FROM agent_vault.${table} WHERE agent = $1`, [agent]);
    }
  });
}
