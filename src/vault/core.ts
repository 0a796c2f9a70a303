/**
 * The internal core every capability of a `Vault` works through: its state (store, keys, the
 * file as last read or written), operations (keys stay in memory until the last one ends),
 * refresh from the store, the read-modify-write commit (`mutate`), audited operations, and
 * opening and sealing values with the vault's keys. It knows the store, the file format and
 * the keys; nothing above them (commit observers, such as the scanner's fingerprints, are
 * attached by whoever opens the vault).
 */
import { type AuditEntry, appendAudit } from "../audit.js";
import { macWith, type VaultKeys, verifyFile, wipeKeys } from "../crypto/derived-keys.js";
import { initCrypto } from "../crypto/sodium.js";
import { isVaultError, vaultError } from "../errors.js";
import { sortedDeep } from "../file-format/canonical-json.js";
import {
  parseVaultFile,
  peekChecksum,
  type SealedVersion,
  type SecretRecord,
  sealVaultFile,
  secretNamed,
  type VaultBody,
  type VaultFile,
} from "../file-format/vault-file.js";
import type { KeyStore } from "../keys/keystore/keystore.js";
import type { VaultStore } from "../store/store.js";
import { openSealed, sealVersion } from "./sealing.js";
import { versionsByValidity } from "./valid-versions.js";

export interface VaultState {
  store: VaultStore;
  agent: string;
  keys: VaultKeys;
  file: VaultFile;
  token: string;
  now: () => Date;
  actor: string;
  slotId: string;
  keyStore?: KeyStore;
  /** The vault made its store itself (from the home) and closes it with the vault. */
  ownsStore?: boolean;
  /** Written as `via` in each audit record: `agent` when a `vault agent` serves. */
  via?: string;
}

/**
 * Hears of the vault's commits: `changing` inside the write (the new body is at hand, before
 * sealing; not for a rekey, whose values stay the same), `committed` after it succeeded with
 * what `changing` returned, and `opened` once when the vault is opened.
 */
export interface CommitObserver<Change = unknown> {
  changing(body: VaultBody, before: VaultFile): Change;
  committed(file: VaultFile, change: Change | undefined): Promise<void>;
  opened(file: VaultFile): Promise<void>;
}

/** Clones secret `name` into the body being changed and returns the copy to edit. */
type Edit = (name: string) => SecretRecord | undefined;

export function checkAgentOf(file: VaultFile, agent: string, where: string): void {
  if (file.agent !== agent) {
    throw vaultError(
      "WRONG_AGENT",
      `The vault file ${where} belongs to agent ${file.agent}, not ${agent}.`,
      "Each agent has its own vault; a copied file is refused. Restore the right file.",
    );
  }
}

/** Reads and parses the stored vault of `agent`. @throws VaultError VAULT_NOT_FOUND | CORRUPT | WRONG_AGENT */
export async function loadFile(store: VaultStore, agent: string) {
  const stored = await store.read(agent);
  if (!stored) {
    throw vaultError(
      "VAULT_NOT_FOUND",
      `Agent ${agent} has no vault (${store.locate(agent)}).`,
      `Create one with: vault init --agent ${agent}`,
    );
  }
  await initCrypto(); // the checksum's hash, once the file was read
  const where = store.locate(agent);
  const file = parseVaultFile(stored.bytes, where);
  checkAgentOf(file, agent, where);
  return { file, token: stored.token };
}

export function secretNotFound(agent: string, name: string, removed = false) {
  return vaultError(
    "SECRET_NOT_FOUND",
    removed
      ? `Secret ${name} of agent ${agent} was removed.`
      : `Agent ${agent} has no secret ${name}.`,
    removed
      ? `Its history is kept: \`vault history ${name}\`, \`vault rollback ${name} --to N\`.`
      : "List the secrets with `vault list`.",
  );
}

export class VaultCore {
  readonly agent: string;
  readonly state: VaultState;
  #observer: CommitObserver | undefined;
  readonly #cleanups: Array<() => Promise<void>> = [];
  #closed = false;
  /** Operations running now (see {@link VaultCore.operation}). */
  #running = 0;

  constructor(state: VaultState) {
    this.agent = state.agent;
    this.state = state;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Attaches the observer of this vault's commits (one; replaced by the next). */
  observe(observer: CommitObserver | undefined): void {
    this.#observer = observer;
  }

  /** Tells the observer the vault was opened as it is now. */
  async opened(): Promise<void> {
    await this.#observer?.opened(this.state.file);
  }

  /** Runs `cleanup` when the vault is released, before a store it owns is closed. */
  onRelease(cleanup: () => Promise<void>): void {
    this.#cleanups.push(cleanup);
  }

  /** Closed, and no operation that started before is still running. */
  assertOpen(): void {
    if (this.#closed && this.#running === 0) {
      throw vaultError(
        "USAGE",
        `The vault of agent ${this.agent} is closed.`,
        "Open it again with openVault().",
      );
    }
  }

  /**
   * Runs `work` as one operation of this vault. The keys it needs stay in memory until it
   * ends: {@link VaultCore.close} during an operation wipes them only when the last one is
   * done, so nothing is ever sealed, encrypted or audited with wiped keys.
   */
  async operation<T>(work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    this.#running += 1;
    try {
      return await work();
    } finally {
      this.#running -= 1;
      if (this.#closed && this.#running === 0) this.#release();
    }
  }

  /** Re-reads the vault when another process changed it, and checks it again. */
  async refresh(): Promise<void> {
    this.assertOpen();
    const state = this.state;
    const token = await state.store.token(state.agent);
    if (token === state.token) return;
    const { file, token: newToken } = await loadFile(state.store, state.agent);
    this.#adopt(file);
    state.token = newToken;
  }

  /** Checks a freshly read file against our keys and makes it current. */
  #adopt(file: VaultFile): void {
    const state = this.state;
    const where = state.store.locate(state.agent);
    if (file.vaultId !== state.file.vaultId) {
      throw vaultError(
        "TAMPERED",
        `The vault file ${where} was replaced by another vault.`,
        "Restore the right file, or open the vault again.",
      );
    }
    try {
      verifyFile(file, state.keys, where);
    } catch (error) {
      if (
        file.generation > state.file.generation &&
        file.sealedAuditKey?.nonce !== state.file.sealedAuditKey?.nonce
      ) {
        throw vaultError(
          "CONFLICT",
          `The vault of agent ${state.agent} was rekeyed by another process.`,
          "Open it again with its new key.",
        );
      }
      throw error;
    }
    if (file.generation < state.file.generation) {
      throw vaultError(
        "TAMPERED",
        `The vault file ${where} was rolled back to an older generation.`,
        "Restore the newest copy; an old copy can hold revoked keys or old values.",
      );
    }
    state.file = file;
  }

  /** Appends audit records under this vault's key. */
  async recordAudit(entries: AuditEntry | AuditEntry[]): Promise<void> {
    await this.operation(async () => {
      const { store, agent, actor, now, keys, via } = this.state;
      await appendAudit(store, agent, entries, {
        actor,
        now,
        auditKey: keys.auditKey,
        ...(via === undefined ? {} : { via }),
      });
    });
  }

  /** Runs `operation`, auditing its success or its typed failure. */
  async audited<T>(
    entries: Omit<AuditEntry, "result"> | Array<Omit<AuditEntry, "result">>,
    operation: () => Promise<T>,
  ): Promise<T> {
    return this.operation(async () => {
      const list = Array.isArray(entries) ? entries : [entries];
      let result: T;
      try {
        result = await operation();
      } catch (error) {
        if (isVaultError(error)) {
          const failed = list.map((entry) => ({
            ...entry,
            result: "error" as const,
            code: error.code,
          }));
          await this.recordAudit(failed).catch(() => undefined);
        }
        throw error;
      }
      await this.recordAudit(list.map((entry) => ({ ...entry, result: "ok" as const })));
      return result;
    });
  }

  /**
   * Read-modify-write of the stored vault under the lock. `change` edits a copy of the current
   * body and returns false to leave the vault unchanged.
   */
  async mutate(
    change: (body: VaultBody, edit: Edit) => boolean | Promise<boolean>,
    /** Seal with these keys instead (a new data key); they become the vault's keys. */
    newKeys?: VaultKeys,
  ): Promise<void> {
    await this.operation(async () => {
      const state = this.state;
      const where = state.store.locate(state.agent);
      let written: VaultFile | undefined;
      let observed: unknown;
      const stored = await state.store.update(state.agent, async (current) => {
        // Same content as the copy in memory (checked when it was read or written): use that.
        // Otherwise parse and check what is there now.
        if (peekChecksum(current.bytes) !== state.file.checksum) {
          const file = parseVaultFile(current.bytes, where);
          checkAgentOf(file, state.agent, where);
          this.#adopt(file);
        }
        // Copy on write: records are shared with the current file until `edit` clones one.
        const { mac: _mac, checksum: _checksum, ...rest } = state.file;
        const body: VaultBody = {
          ...rest,
          settings: { ...rest.settings },
          slots: [...rest.slots],
          secrets: [...rest.secrets],
        };
        const edit = (name: string) => {
          const index = body.secrets.findIndex((secret) => secret.name === name);
          const original = body.secrets[index];
          if (!original) return undefined;
          const copy = structuredClone(original);
          body.secrets[index] = copy;
          return copy;
        };
        if (!(await change(body, edit))) return undefined;
        // What it does for the observer, told once committed (not for a rekey: same values).
        if (!newKeys) observed = this.#observer?.changing(body, state.file);
        // New and edited objects get sorted keys, so the file prints on the fast path.
        const originalSecrets = new Set(state.file.secrets);
        const originalSlots = new Set(state.file.slots);
        body.secrets = body.secrets.map((r) => (originalSecrets.has(r) ? r : sortedDeep(r)));
        body.slots = body.slots.map((slot) => (originalSlots.has(slot) ? slot : sortedDeep(slot)));
        body.generation = state.file.generation + 1;
        const sealed = sealVaultFile(body, macWith(newKeys ?? state.keys));
        written = sealed.file;
        return sealed.bytes;
      });
      if (written && newKeys) {
        wipeKeys(state.keys);
        state.keys = newKeys;
      }
      state.token = stored.token;
      if (written) {
        state.file = written;
        await this.#observer?.committed(written, observed);
      }
    });
  }

  /** The live record `name`. @throws VaultError SECRET_NOT_FOUND (also when removed, unless included) */
  find(name: string, options: { includeRemoved?: boolean } = {}): SecretRecord {
    const record = secretNamed(this.state.file, name);
    if (!record) throw secretNotFound(this.agent, name);
    if (record.removedAt !== undefined && !options.includeRemoved) {
      throw secretNotFound(this.agent, name, true);
    }
    return record;
  }

  /** The value of `record`'s current version, or of `version`. @throws VaultError VERSION_NOT_FOUND | TAMPERED */
  decrypt(body: VaultBody, record: SecretRecord, version?: number): string {
    const sealed =
      version === undefined
        ? record.versions.at(-1)
        : record.versions.find((entry) => entry.version === version);
    if (!sealed) {
      throw vaultError(
        "VERSION_NOT_FOUND",
        `Secret ${record.name} has no version ${version} (kept: ${record.versions.map((v) => v.version).join(", ")}).`,
        `See \`vault history ${record.name}\`.`,
      );
    }
    return this.openSealed(body, record.name, sealed);
  }

  openSealed(body: VaultBody, name: string, sealed: SealedVersion): string {
    return openSealed(this.state.keys.valueKey, body, name, sealed);
  }

  sealVersion(body: VaultBody, name: string, version: number, value: string): SealedVersion {
    const createdAt = this.state.now().toISOString();
    return sealVersion(this.state.keys.valueKey, body, name, version, value, createdAt);
  }

  /**
   * Every value of `records` an observer may need: each kept version and a pending one, those
   * the vault no longer treats as valid marked `retired` (valid-versions.ts).
   */
  valuesOf(body: VaultBody, records: readonly SecretRecord[]) {
    return records.flatMap((record) =>
      versionsByValidity(record).map(({ sealed, valid }) => ({
        name: record.name,
        value: this.openSealed(body, record.name, sealed),
        ...(valid ? {} : { retired: true }),
      })),
    );
  }

  /** Adds `value` as the next version of `record`, dropping versions beyond the history limit. */
  addVersion(body: VaultBody, record: SecretRecord, value: string): void {
    const version = record.nextVersion;
    record.versions.push(this.sealVersion(body, record.name, version, value));
    record.nextVersion = version + 1;
    const excess = record.versions.length - body.settings.historyLimit;
    if (excess > 0) record.versions.splice(0, excess);
    record.updatedAt = this.state.now().toISOString();
    delete record.removedAt;
    // A value set by hand (or rolled back to) supersedes a rotation still in progress: its
    // pending value is dropped rather than promoted over the new CURRENT later.
    delete record.journal;
  }

  /**
   * Wipes the keys (and closes a store the vault opened itself) once no operation runs.
   * Operations already running finish first, with their keys.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#running === 0) this.#release();
  }

  #release(): void {
    const { store, ownsStore } = this.state;
    const cleanups = this.#cleanups.map((cleanup) => cleanup().catch(() => undefined));
    void Promise.all(cleanups)
      .then(() => (ownsStore ? store.close?.() : undefined))
      .catch(() => undefined);
    wipeKeys(this.state.keys);
  }
}
