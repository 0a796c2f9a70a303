/**
 * The shared store: every agent's vault in one PostgreSQL database (docs/postgres.md).
 *
 * The database holds what the file store's files hold and nothing more: the encoded vault
 * (ciphertext, wrapped keys, metadata, the rotation journal) and audit lines. Keys stay on
 * each host. Each agent connects as its own role; row-level security (postgres-schema.ts)
 * lets that role see and write only its own rows.
 *
 * `update` is one transaction: `SELECT … FOR UPDATE` locks the agent's row (a lock wait longer
 * than `lockTimeoutMs` is BUSY), the transform runs, and the new bytes are written only where
 * the generation and stamp read are still there (compare-and-swap; otherwise CONFLICT).
 * Because the rotation journal lives in the vault, two hosts claiming one rotation are two
 * such transactions: one waits for the other and then sees its claim.
 */
import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import type pg from "pg";
import { isVaultError, type VaultError, vaultError } from "../errors.js";
import { checkAgentId } from "../grammar.js";
import { quoteIdent, SCHEMA } from "./postgres-schema.js";
import type { AuditAppend, StoredAudit, StoredVault, VaultStore } from "./store.js";

/** Options of {@link PostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The role's password, when the URL has none (the CLI passes `$PGPASSWORD`). Without it and
   * without `passfile`, the server must not ask for one.
   */
  password?: string;
  /** A `.pgpass`-format file to look the password up in (mode 0600, like libpq's). */
  passfile?: string;
  /** How long a writer waits for an agent's row lock (default 10 s), then BUSY. */
  lockTimeoutMs?: number;
  /** Longest statement (default 30 s), then BUSY. */
  statementTimeoutMs?: number;
  /** How long connecting may take (default 5 s), then IO_ERROR. */
  connectTimeoutMs?: number;
  /** Connections kept open (default 4). */
  poolSize?: number;
}

/** Whether `url` names a PostgreSQL store (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The parts of a store URL that may be shown. */
interface UrlParts {
  user: string;
  host: string;
  port: string;
  database: string;
  password: string | undefined;
}

/**
 * Parses a store URL without ever echoing it (it may hold a password).
 * @throws VaultError USAGE
 */
function parseStoreUrl(url: string): UrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined as unknown as URL;
  }
  if (!parsed || !isPostgresUrl(url)) {
    throw vaultError(
      "USAGE",
      "The store URL is not a valid postgres:// URL.",
      "Use --store postgres://ROLE@HOST:PORT/DATABASE (no password: use PGPASSWORD or a .pgpass file).",
    );
  }
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const queryPassword = parsed.searchParams.get("password") ?? undefined;
  return {
    user: decode(parsed.username),
    host: parsed.hostname || "localhost",
    port: parsed.port || "5432",
    database: decode(parsed.pathname.replace(/^\//, "")) || decode(parsed.username),
    password: parsed.password ? decode(parsed.password) : queryPassword,
  };
}

/**
 * The store URL with any password replaced by `***` (and query parameters dropped), for
 * messages and logs.
 */
export function redactStoreUrl(url: string): string {
  try {
    const parts = parseStoreUrl(url);
    const user = parts.user
      ? `${encodeURIComponent(parts.user)}${parts.password ? ":***" : ""}@`
      : "";
    return `postgres://${user}${parts.host}:${parts.port}/${encodeURIComponent(parts.database)}`;
  } catch {
    return "postgres://(invalid URL)";
  }
}

/** One `.pgpass` field matches when it is `*` or equal. */
function pgpassMatch(field: string | undefined, value: string): boolean {
  return field === "*" || field === value;
}

/** Splits a `.pgpass` line at unescaped colons, unescaping `\:` and `\\`. */
function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let current = "";
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (char === "\\" && i + 1 < line.length) {
      current += line[i + 1];
      i += 1;
    } else if (char === ":") {
      fields.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  fields.push(current);
  return fields;
}

/**
 * The password of `parts` in a `.pgpass` file, or `undefined`. Like libpq, a file that group or
 * others can read is ignored.
 */
async function lookUpPgpass(path: string, parts: UrlParts): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (process.platform !== "win32" && (info.mode & 0o077) !== 0) return undefined;
    const text = await readFile(path, "utf8");
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === "" || line.startsWith("#")) continue;
      const [host, port, database, user, ...rest] = splitPgpassLine(line);
      if (
        pgpassMatch(host, parts.host) &&
        pgpassMatch(port, parts.port) &&
        pgpassMatch(database, parts.database) &&
        pgpassMatch(user, parts.user)
      ) {
        return rest.join(":");
      }
    }
  } catch {
    // A missing or unreadable file is no password; the server then says so.
  }
  return undefined;
}

/** Formats one `.pgpass` line (escaping `:` and `\`). */
export function formatPgpassLine(fields: {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}): string {
  const escapeField = (text: string) => text.replaceAll("\\", "\\\\").replaceAll(":", "\\:");
  return [fields.host, fields.port, fields.database, fields.user, fields.password]
    .map(escapeField)
    .join(":");
}

let driver: Promise<typeof pg> | undefined;

/** node-postgres, loaded on first use (about 100 ms of startup the file store should not pay). */
function loadDriver(): Promise<typeof pg> {
  driver ??= import("pg").then((module) => module.default);
  return driver;
}

/** The error codes a store failure maps to (until errors.ts has codes of its own). */
const CODES = {
  unreachable: "IO_ERROR",
  auth: "KEY_UNAVAILABLE",
  denied: "KEY_UNAVAILABLE",
  schema: "VAULT_NOT_FOUND",
  busy: "BUSY",
  conflict: "CONFLICT",
  failed: "IO_ERROR",
} as const;

const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/** SQLSTATE (5 characters) or errno of a driver error; never its message. */
function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  const inner = (error as { errors?: unknown[] } | undefined)?.errors?.[0];
  const innerCode = (inner as { code?: unknown } | undefined)?.code;
  return typeof innerCode === "string" ? innerCode : undefined;
}

/** The store's view of one PostgreSQL database. */
export class PostgresStore implements VaultStore {
  readonly kind = "postgres";
  readonly #url: string;
  readonly #parts: UrlParts;
  #pool: pg.Pool | undefined;
  readonly #poolOptions: pg.PoolConfig;
  /** How every connection is made (the pool's and the watchers'). */
  readonly #client: pg.ClientConfig;
  readonly #watchers = new Set<pg.Client>();
  readonly #lockTimeoutMs: number;
  #closed = false;

  /**
   * Connects lazily: nothing happens until the first read or write.
   * @throws VaultError USAGE (not a postgres:// URL)
   */
  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.#parts = parseStoreUrl(url);
    this.#url = redactStoreUrl(url);
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
    const parts = this.#parts;
    this.#client = {
      host: parts.host,
      port: Number(parts.port),
      database: parts.database,
      user: parts.user,
      // A function, so the driver never falls back to reading the environment on its own.
      // (Resolving to undefined means "no password": the driver then lets the server decide.)
      password: (async () =>
        parts.password ??
        options.password ??
        (options.passfile
          ? await lookUpPgpass(options.passfile, parts)
          : undefined)) as () => Promise<string>,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      application_name: "agent-vault",
      // A host that dies or stalls inside a transaction gives its row locks back.
      options: `-c statement_timeout=${statementTimeoutMs} -c idle_in_transaction_session_timeout=60000`,
    };
    this.#poolOptions = {
      ...this.#client,
      max: options.poolSize ?? 4,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    };
  }

  /**
   * The connection pool, made on first use: the driver loads only then, so a `vault` command
   * on the file store never pays for it.
   */
  async #connections(): Promise<pg.Pool> {
    if (this.#closed) {
      throw vaultError("USAGE", `The store ${this.#url} is closed.`, "Make a new PostgresStore.");
    }
    if (!this.#pool) {
      const { Pool } = await loadDriver();
      if (!this.#pool) {
        this.#pool = new Pool(this.#poolOptions);
        // An idle connection the server dropped: the next query reconnects and reports then.
        this.#pool.on("error", () => undefined);
      }
    }
    return this.#pool;
  }

  /** The database URL without its password, for messages. */
  get url(): string {
    return this.#url;
  }

  locate(agent: string): string {
    return `${this.#url}#${checkAgentId(agent)}`;
  }

  /** Closes the store's connections (and its watchers'). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#watchers].map((client) => client.end().catch(() => undefined)));
    await this.#pool?.end();
  }

  /**
   * Calls `listener` after each committed write of `agent`'s vault by any host (LISTEN/NOTIFY;
   * payload: the store generation, nothing else). One connection per watch; the returned
   * function stops it. A lost connection is reported once to `onError` and ends the watch.
   * @throws VaultError IO_ERROR | KEY_UNAVAILABLE
   */
  async watch(
    agent: string,
    listener: (change: { agent: string; generation: number }) => void,
    onError?: (error: VaultError) => void,
  ): Promise<() => Promise<void>> {
    checkAgentId(agent);
    const { Client } = await loadDriver();
    const client = new Client(this.#client);
    const channel = notifyChannel(agent);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      this.#watchers.delete(client);
      await client.end().catch(() => undefined);
    };
    client.on("error", (error) => {
      if (stopped) return;
      onError?.(this.#fail(error, "watch the vault", agent));
      void stop();
    });
    client.on("notification", (message) => {
      if (message.channel !== channel) return;
      const generation = Number(message.payload);
      if (Number.isSafeInteger(generation)) listener({ agent, generation });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      await stop();
      throw this.#fail(error, "watch the vault", agent);
    }
    this.#watchers.add(client);
    return stop;
  }

  /**
   * A store failure as a typed error naming the database (without password) and the driver's
   * code, never its message (which can quote rows).
   */
  #fail(error: unknown, what: string, agent?: string): VaultError {
    if (isVaultError(error)) return error;
    const code = errorCodeOf(error);
    const message = error instanceof Error ? error.message : "";
    const role = this.#parts.user || "(default role)";
    const where = this.#url;
    if (code && NETWORK_ERRORS.has(code)) {
      return vaultError(
        CODES.unreachable,
        `Cannot reach the store ${where} to ${what} (${code}).`,
        "Check that PostgreSQL is running and that the host and port of the store URL (--store, $AGENT_VAULT_STORE or the home's config.json) are right.",
      );
    }
    if (!code && /timeout|terminated/i.test(message)) {
      return vaultError(
        CODES.unreachable,
        `The store ${where} did not answer in time to ${what}.`,
        "Check the network and the server, then retry.",
      );
    }
    if (!code && /password must be a string/i.test(message)) {
      return vaultError(
        CODES.auth,
        `The store ${where} asks role ${role} for a password and none was given.`,
        "Set PGPASSWORD from the agent's password file, or install it as ~/.pgpass (or PGPASSFILE).",
      );
    }
    if (code === "28P01" || code === "28000") {
      return vaultError(
        CODES.auth,
        `The store ${where} refused to log in role ${role} (${code}): wrong password, or the role was removed or revoked.`,
        "Check the role's password file, or ask the store's admin (`vault db add-agent` makes a new one).",
      );
    }
    if (code === "3D000") {
      return vaultError(
        CODES.schema,
        `The database of the store ${where} does not exist.`,
        "Create it (createdb), then run `vault db init --store URL` as its owner.",
      );
    }
    if (code === "3F000" || code === "42P01") {
      return vaultError(
        CODES.schema,
        `The store ${where} has no agent-vault tables.`,
        "Run `vault db init --store URL` once, as the database owner.",
      );
    }
    if (code === "42501") {
      return vaultError(
        CODES.denied,
        `Role ${role} may not ${what} in the store ${where}${agent ? ` for agent ${agent}` : ""} (permission denied or row-level security).`,
        "Each agent role reads and writes only its own agent's vault; connect as that agent's role, or ask the admin (`vault db add-agent`).",
      );
    }
    if (code === "55P03" || code === "57014" || code === "53300") {
      return vaultError(
        CODES.busy,
        `The vault${agent ? ` of agent ${agent}` : ""} is busy in the store ${where} (${code}).`,
        "Another host holds it; retry, or raise --lock-timeout.",
      );
    }
    if (code === "40001" || code === "40P01") {
      return vaultError(
        CODES.conflict,
        `A concurrent write to the store ${where} won (${code}); nothing was written.`,
        "Retry the command.",
      );
    }
    return vaultError(
      CODES.failed,
      `The store ${where} failed to ${what} (${code ?? "no code"}).`,
      "Check the server's log and the role's rights, then retry.",
    );
  }

  async #query<R extends pg.QueryResultRow>(
    what: string,
    agent: string | undefined,
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await (await this.#connections()).query<R>(text, values);
    } catch (error) {
      throw this.#fail(error, what, agent);
    }
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  async #transaction<T>(
    what: string,
    agent: string | undefined,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await (await this.#connections()).connect();
    } catch (error) {
      throw this.#fail(error, what, agent);
    }
    let broken = false;
    try {
      await client.query("BEGIN");
      await client.query(
        `SET LOCAL lock_timeout = ${Math.max(1, Math.round(this.#lockTimeoutMs))}`,
      );
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      if (error instanceof Passthrough) throw error.error;
      throw this.#fail(error, what, agent);
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs administrative SQL (`vault db …`) in one transaction with this store's connection and
   * error mapping: a refused right is KEY_UNAVAILABLE naming `what`, and so on.
   * @throws VaultError IO_ERROR | KEY_UNAVAILABLE | VAULT_NOT_FOUND | BUSY
   */
  async administer<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#transaction(what, undefined, work);
  }

  async listAgents(): Promise<string[]> {
    const { rows } = await this.#query<{ agent: string }>(
      "list the agents",
      undefined,
      `SELECT agent FROM ${SCHEMA}.vaults ORDER BY agent`,
    );
    return rows.map((row) => row.agent);
  }

  async read(agent: string): Promise<StoredVault | undefined> {
    checkAgentId(agent);
    const { rows } = await this.#query<{ body: Buffer; generation: string; stamp: string }>(
      "read the vault",
      agent,
      `SELECT body, generation, stamp FROM ${SCHEMA}.vaults WHERE agent = $1`,
      [agent],
    );
    const row = rows[0];
    if (!row) return this.#absent(agent);
    return { bytes: new Uint8Array(row.body), token: `${row.generation}:${row.stamp}` };
  }

  /**
   * An agent without a row: absent, unless this is another agent's role, whose rows
   * row-level security hides (then say so rather than "no vault").
   * @throws VaultError KEY_UNAVAILABLE
   */
  async #absent(agent: string): Promise<undefined> {
    const { rows } = await this.#query<{ agent: string }>(
      "read the vault",
      agent,
      `SELECT agent FROM ${SCHEMA}.agents WHERE role = current_user`,
    );
    const own = rows[0]?.agent;
    if (own !== undefined && own !== agent) {
      throw vaultError(
        CODES.denied,
        `Role ${this.#parts.user} belongs to agent ${own}; it cannot see agent ${agent}'s vault in ${this.#url} (row-level security).`,
        `Use --agent ${own}, or connect as agent ${agent}'s own role.`,
      );
    }
    return undefined;
  }

  async token(agent: string): Promise<string | undefined> {
    checkAgentId(agent);
    const { rows } = await this.#query<{ generation: string; stamp: string }>(
      "read the vault",
      agent,
      `SELECT generation, stamp FROM ${SCHEMA}.vaults WHERE agent = $1`,
      [agent],
    );
    const row = rows[0];
    return row ? `${row.generation}:${row.stamp}` : this.#absent(agent);
  }

  async create(agent: string, bytes: Uint8Array): Promise<void> {
    checkAgentId(agent);
    const { rowCount } = await this.#query(
      "create the vault",
      agent,
      `INSERT INTO ${SCHEMA}.vaults (agent, body, generation, stamp) VALUES ($1, $2, 1, $3)
        ON CONFLICT (agent) DO NOTHING`,
      [agent, Buffer.from(bytes), newStamp()],
    );
    if (rowCount === 0) {
      throw vaultError(
        "ALREADY_EXISTS",
        `Agent ${agent} already has a vault in ${this.#url}.`,
        "Use it as it is, or pick another agent with --agent.",
      );
    }
  }

  async update(
    agent: string,
    transform: (current: StoredVault) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
  ): Promise<StoredVault> {
    checkAgentId(agent);
    return this.#transaction("write the vault", agent, async (client) => {
      const { rows } = await client.query<{ body: Buffer; generation: string; stamp: string }>(
        `SELECT body, generation, stamp FROM ${SCHEMA}.vaults WHERE agent = $1 FOR UPDATE`,
        [agent],
      );
      const row = rows[0];
      if (!row) {
        await this.#absent(agent);
        throw vaultError(
          "VAULT_NOT_FOUND",
          `Agent ${agent} has no vault in ${this.#url}.`,
          `Create one with: vault init --agent ${agent} --store URL`,
        );
      }
      const current: StoredVault = {
        bytes: new Uint8Array(row.body),
        token: `${row.generation}:${row.stamp}`,
      };
      const next = await passThrough(() => transform(current));
      if (!next) return current;
      const stamp = newStamp();
      // The compare-and-swap: the row must still be the one `transform` saw.
      const result = await client.query<{ generation: string }>(
        `UPDATE ${SCHEMA}.vaults SET body = $2, generation = generation + 1, stamp = $3,
          updated_at = now() WHERE agent = $1 AND generation = $4 AND stamp = $5
          RETURNING generation`,
        [agent, Buffer.from(next), stamp, row.generation, row.stamp],
      );
      const written = result.rows[0];
      if (!written) {
        throw vaultError(
          "CONFLICT",
          `The vault of agent ${agent} changed while this write was in progress; nothing was written.`,
          "Retry the command.",
        );
      }
      // Delivered on commit to hosts that watch this agent (payload: the store generation).
      await client.query("SELECT pg_notify($1, $2)", [notifyChannel(agent), written.generation]);
      return { bytes: next, token: `${written.generation}:${stamp}` };
    });
  }

  async appendAudit(
    agent: string,
    build: (end: AuditAppend) => { lines: string[]; head?: string },
  ): Promise<void> {
    checkAgentId(agent);
    await this.#transaction("append to the audit log", agent, async (client) => {
      // The head row is the audit lock: appends of one agent queue behind it.
      await client.query(
        `INSERT INTO ${SCHEMA}.audit_heads (agent) VALUES ($1) ON CONFLICT (agent) DO NOTHING`,
        [agent],
      );
      const locked = await client.query<{ last_seq: string }>(
        `SELECT last_seq FROM ${SCHEMA}.audit_heads WHERE agent = $1 FOR UPDATE`,
        [agent],
      );
      const lockedHead = locked.rows[0];
      if (!lockedHead) throw this.#fail({ code: "42501" }, "append to the audit log", agent);
      const lastSeq = Number(lockedHead.last_seq);
      // A statement of its own, after the lock: its snapshot holds the previous appender's
      // lines (a join in the locking statement would read the snapshot from before the wait).
      const { rows } = await client.query<{ line: string }>(
        `SELECT line FROM ${SCHEMA}.audit_records WHERE agent = $1 AND seq = $2`,
        [agent, lastSeq],
      );
      const head = { line: rows[0]?.line ?? null };
      const built = await passThrough(() => {
        const lines = build({ lastLine: head.line ?? undefined });
        if (lines.lines.some((line) => line.includes("\n")))
          throw new RangeError("an audit record is one line");
        return lines;
      });
      if (built.lines.length > 0) {
        await client.query(
          `INSERT INTO ${SCHEMA}.audit_records (agent, seq, line)
            SELECT $1, $2::bigint + n, line FROM unnest($3::text[]) WITH ORDINALITY AS t(line, n)`,
          [agent, lastSeq, built.lines],
        );
      }
      await client.query(
        `UPDATE ${SCHEMA}.audit_heads SET last_seq = $2, head = coalesce($3, head) WHERE agent = $1`,
        [agent, lastSeq + built.lines.length, built.head ?? null],
      );
    });
  }

  async readAudit(agent: string): Promise<StoredAudit> {
    checkAgentId(agent);
    // One statement, one snapshot: the head never names a record the lines miss.
    const { rows } = await this.#query<{ lines: string[] | null; head: string | null }>(
      "read the audit log",
      agent,
      `SELECT
        (SELECT array_agg(line ORDER BY seq) FROM ${SCHEMA}.audit_records WHERE agent = $1) AS lines,
        (SELECT head FROM ${SCHEMA}.audit_heads WHERE agent = $1) AS head`,
      [agent],
    );
    const row = rows[0];
    return { lines: row?.lines ?? [], head: row?.head ?? undefined };
  }
}

/**
 * The channel a committed write of `agent`'s vault is announced on (payload: the store
 * generation). PostgreSQL does not restrict LISTEN: a role that knows an agent's id can learn
 * when its vault changes, never what changed.
 */
export function notifyChannel(agent: string): string {
  return `agent_vault:${agent}`;
}

/** An error of our own code inside a transaction: rethrown as it is, not as a store error. */
class Passthrough {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

async function passThrough<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Passthrough(error);
  }
}

function newStamp(): string {
  return randomBytes(12).toString("base64url");
}
