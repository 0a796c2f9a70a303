/**
 * Where vaults are kept. The vault above sees encoded bytes and audit lines only, never files,
 * so a database backend can take the file store's place (issue 7).
 */

/** A stored vault as read. */
export interface StoredVault {
  bytes: Uint8Array;
  /** Changes whenever the stored vault changes (cheap to compare). */
  token: string;
}

/** The audit log of one agent as stored. */
export interface StoredAudit {
  /** Every record, one JSON object a line. */
  lines: string[];
  /** The keyed head record, when one was written. */
  head: string | undefined;
}

/** What the audit appender sees of the log's end, and what it appends. */
export interface AuditAppend {
  /** The log's last complete line, if any. */
  lastLine: string | undefined;
}

/** Storage of vault files and audit logs, per agent. */
export interface VaultStore {
  /** "file" or a database kind. */
  readonly kind: string;
  /** Where this agent's vault lives, for messages (a path or a URL without credentials). */
  locate(agent: string): string;
  /** Agents that have a vault here. */
  listAgents(): Promise<string[]>;
  /** The stored vault, or `undefined` when the agent has none. */
  read(agent: string): Promise<StoredVault | undefined>;
  /** A cheap change detector: equal tokens mean unchanged bytes. */
  token(agent: string): Promise<string | undefined>;
  /** Stores a new vault. @throws VaultError ALREADY_EXISTS */
  create(agent: string, bytes: Uint8Array): Promise<void>;
  /**
   * Read-modify-write under the agent's lock. `transform` gets the current vault and returns
   * the new bytes, or `undefined` to leave it unchanged. The store checks, right before
   * committing, that nothing else changed the vault meanwhile.
   * @throws VaultError BUSY | CONFLICT | VAULT_NOT_FOUND | IO_ERROR
   */
  update(
    agent: string,
    transform: (current: StoredVault) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
  ): Promise<StoredVault>;
  /** Appends audit lines (and optionally a new head) under the audit lock, in one write. */
  appendAudit(
    agent: string,
    build: (end: AuditAppend) => { lines: string[]; head?: string },
  ): Promise<void>;
  /** The whole audit log. */
  readAudit(agent: string): Promise<StoredAudit>;
  /** Releases connections (database stores). */
  close?(): Promise<void>;
  /**
   * Calls `listener` soon after another writer commits a change to `agent`'s vault (it may
   * also call it for no change). Returns a function that stops watching.
   */
  watch?(
    agent: string,
    listener: (change: { agent: string }) => void,
    onError?: (error: Error) => void,
  ): Promise<() => Promise<void>>;
}
