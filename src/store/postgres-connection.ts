/**
 * A PostgreSQL store's connections to its database: how each connection is made (role,
 * password, timeouts), the pool (made on first use, so the driver loads only then), the
 * watchers' own connections, and closing them all. Queries and transactions run here, and
 * every failure leaves as a typed error (postgres-errors.ts).
 *
 * The password comes from the URL, the options or the named `.pgpass` file, never from the
 * environment: the driver is given a function, so it never reads `$PGPASSWORD` on its own. No
 * SQL about vaults or audit lines lives here; that is postgres-vault-rows.ts and
 * postgres-audit-rows.ts.
 */
import { createRequire } from "node:module";
import type pg from "pg";
import { type VaultError, vaultError } from "../errors.js";
import { storeFailure } from "./postgres-errors.js";
import { lookUpPgpass } from "./postgres-pgpass.js";
import { runTransaction } from "./postgres-transaction.js";
import { parseStoreUrl, redactStoreUrl } from "./postgres-url.js";

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

let driver: Promise<typeof pg> | undefined;

/** node-postgres, loaded on first use (about 60 ms of startup the file store should not pay). */
function loadDriver(): Promise<typeof pg> {
  driver ??= Promise.resolve().then(requirePg);
  return driver;
}

/**
 * `require("pg")`, without the cost of its runtime check on Node 20. On load, pg asks whether
 * it runs in a Cloudflare Worker: `navigator.userAgent` where the runtime has a `navigator`
 * (Node 21 and later), else a test that constructs a `Response`, which makes Node 20 load its
 * whole fetch implementation (about 30 ms) for a driver that never fetches. Where there is no
 * `navigator`, one that says what Node 21 would is defined for the synchronous load only (no
 * other code runs meanwhile) and removed at once.
 */
function requirePg(): typeof pg {
  const require = createRequire(import.meta.url);
  if ("navigator" in globalThis) return require("pg") as typeof pg;
  const userAgent = `Node.js/${process.versions.node.split(".")[0]}`;
  Object.defineProperty(globalThis, "navigator", { value: { userAgent }, configurable: true });
  try {
    return require("pg") as typeof pg;
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

/** One store's connections to one PostgreSQL database. */
export class PostgresConnection {
  /** The database URL without its password, for messages. */
  readonly url: string;
  /** The login role the URL names (empty: the driver's default). */
  readonly role: string;
  #pool: pg.Pool | undefined;
  readonly #poolOptions: pg.PoolConfig;
  /** How every connection is made (the pool's and the watchers'). */
  readonly #client: pg.ClientConfig;
  readonly #watchers = new Set<pg.Client>();
  readonly #lockTimeoutMs: number;
  #closed = false;

  /**
   * Connects lazily: nothing happens until the first query.
   * @throws VaultError USAGE (not a postgres:// URL)
   */
  constructor(url: string, options: PostgresStoreOptions = {}) {
    const parts = parseStoreUrl(url);
    this.url = redactStoreUrl(url);
    this.role = parts.user;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
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
      throw vaultError("USAGE", `The store ${this.url} is closed.`, "Make a new PostgresStore.");
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

  /**
   * A store failure as a typed error naming the database (without password) and the driver's
   * code, never its message (which can quote rows).
   */
  fail(error: unknown, what: string, agent?: string): VaultError {
    return storeFailure(this, error, what, agent);
  }

  /** Runs one statement on a pooled connection. */
  async query<R extends pg.QueryResultRow>(
    what: string,
    agent: string | undefined,
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await (await this.#connections()).query<R>(text, values);
    } catch (error) {
      throw this.fail(error, what, agent);
    }
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  transaction<T>(
    what: string,
    agent: string | undefined,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    return runTransaction(
      async () => (await this.#connections()).connect(),
      this.#lockTimeoutMs,
      (error) => this.fail(error, what, agent),
      work,
    );
  }

  /** A connection of its own, outside the pool and not yet connected (for LISTEN). */
  async newClient(): Promise<pg.Client> {
    const { Client } = await loadDriver();
    return new Client(this.#client);
  }

  /** Has {@link close} end `client` too, until {@link forgetClient}. */
  endOnClose(client: pg.Client): void {
    this.#watchers.add(client);
  }

  /** Undoes {@link endOnClose} (the client was ended by its owner). */
  forgetClient(client: pg.Client): void {
    this.#watchers.delete(client);
  }

  /** Closes the pool and every client given to {@link endOnClose}. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#watchers].map((client) => client.end().catch(() => undefined)));
    await this.#pool?.end();
  }
}
