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
 *
 * This class checks agent ids and hands each job to its module:
 *
 *   postgres-url.ts          the store URL: parsing, and the form without password for messages
 *   postgres-pgpass.ts       `.pgpass` files: looking a password up, writing a line
 *   postgres-connection.ts   the pool, the watchers' connections, queries and transactions
 *   postgres-transaction.ts  one transaction: lock timeout, commit, rollback
 *   postgres-errors.ts       a driver failure as a typed error with a hint
 *   postgres-agents.ts       which agents the role sees, and which agent the role is
 *   postgres-vault-rows.ts   reading, creating and compare-and-swap updating a vault row
 *   postgres-audit-rows.ts   appending to and reading the audit log
 *   postgres-watch.ts        LISTEN/NOTIFY of committed writes
 */
import type pg from "pg";
import type { VaultError } from "../errors.js";
import { checkAgentId } from "../grammar.js";
import { listVisibleAgents } from "./postgres-agents.js";
import { appendAuditRows, readAuditRows } from "./postgres-audit-rows.js";
import { PostgresConnection, type PostgresStoreOptions } from "./postgres-connection.js";
import {
  insertVaultRow,
  readVaultRow,
  readVaultToken,
  updateVaultRow,
} from "./postgres-vault-rows.js";
import { watchVault } from "./postgres-watch.js";
import type { AuditAppend, StoredAudit, StoredVault, VaultStore } from "./store.js";

export type { PostgresStoreOptions } from "./postgres-connection.js";
export { formatPgpassLine } from "./postgres-pgpass.js";
export { isPostgresUrl, redactStoreUrl } from "./postgres-url.js";
export { notifyChannel } from "./postgres-watch.js";

/** The store's view of one PostgreSQL database. */
export class PostgresStore implements VaultStore {
  readonly kind = "postgres";
  readonly #db: PostgresConnection;

  /**
   * Connects lazily: nothing happens until the first read or write.
   * @throws VaultError USAGE (not a postgres:// URL)
   */
  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.#db = new PostgresConnection(url, options);
  }

  /** The database URL without its password, for messages. */
  get url(): string {
    return this.#db.url;
  }

  locate(agent: string): string {
    return `${this.#db.url}#${checkAgentId(agent)}`;
  }

  /** Closes the store's connections (and its watchers'). */
  async close(): Promise<void> {
    await this.#db.close();
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
    return watchVault(this.#db, agent, listener, onError);
  }

  /**
   * Runs administrative SQL (`vault db …`) in one transaction with this store's connection and
   * error mapping: a refused right is KEY_UNAVAILABLE naming `what`, and so on.
   * @throws VaultError IO_ERROR | KEY_UNAVAILABLE | VAULT_NOT_FOUND | BUSY
   */
  async administer<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#db.transaction(what, undefined, work);
  }

  async listAgents(): Promise<string[]> {
    return listVisibleAgents(this.#db);
  }

  async read(agent: string): Promise<StoredVault | undefined> {
    checkAgentId(agent);
    return readVaultRow(this.#db, agent);
  }

  async token(agent: string): Promise<string | undefined> {
    checkAgentId(agent);
    return readVaultToken(this.#db, agent);
  }

  async create(agent: string, bytes: Uint8Array): Promise<void> {
    checkAgentId(agent);
    await insertVaultRow(this.#db, agent, bytes);
  }

  async update(
    agent: string,
    transform: (current: StoredVault) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
  ): Promise<StoredVault> {
    checkAgentId(agent);
    return updateVaultRow(this.#db, agent, transform);
  }

  async appendAudit(
    agent: string,
    build: (end: AuditAppend) => { lines: string[]; head?: string },
  ): Promise<void> {
    checkAgentId(agent);
    await appendAuditRows(this.#db, agent, build);
  }

  async readAudit(agent: string): Promise<StoredAudit> {
    checkAgentId(agent);
    return readAuditRows(this.#db, agent);
  }
}
