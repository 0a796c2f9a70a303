import { homedir, userInfo } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { inspect } from "node:util";
import { type AuditEntry, appendAudit, readAudit, verifyAudit } from "./audit.js";
import { sortedDeep } from "./canonical-json.js";
import {
  fromBase64Url,
  initCrypto,
  KEY_BYTES,
  open,
  randomBytes,
  seal,
  toBase64Url,
  wipe,
} from "./crypto.js";
import { isVaultError, vaultError } from "./errors.js";
import {
  FORMAT_V1,
  type KeySlot,
  parseVaultFile,
  peekChecksum,
  type RotationRecord,
  type SealedVersion,
  type SecretRecord,
  sealVaultFile,
  type VaultBody,
  type VaultFile,
} from "./format.js";
import {
  createSlot,
  defaultKeySource,
  describeSlot,
  type KeySlotInfo,
  type KeySource,
  keychainKey,
  reachSlotKey,
  rewrapSlot,
  unlockWithSource,
} from "./keys.js";
import type { KeyStore } from "./keystore/keystore.js";
import { KeytarKeyStore } from "./keystore/keytar.js";
import {
  checkAgentId,
  checkEnvName,
  checkRefId,
  checkSecretName,
  checkSecretValue,
  checkSlotLabel,
  checkTag,
  DEFAULT_AGENT,
} from "./names.js";
import { isVaultReference, otherAgentReference, parseVaultReference } from "./reference.js";
import { checkRotationPolicy, describePolicy, type RotationPolicy } from "./rotation/policy.js";
import { parseRotatorSpec, ROTATOR_NAME_PATTERN } from "./rotation/rotator-spec.js";
import { type Rotator, randomValue } from "./rotation/rotators.js";
import { type RotationAccess, type RotationOutcome, RotationRunner } from "./rotation/runner.js";
import {
  isDue,
  type RotationStatus,
  rotationStatus,
  ScheduleCalendar,
} from "./rotation/schedule.js";
import { checkCommand, type RunOptions, runWithSecrets } from "./run/spawn.js";
import { type FingerprintChange, FingerprintKeeper } from "./scan/fingerprint-keeper.js";
import { SecretValue } from "./secret-value.js";
import { storeForHome } from "./store/home-config.js";
import type { VaultStore } from "./store/store.js";
import {
  deriveKeys,
  macWith,
  sealAuditKey,
  type VaultKeys,
  valueAd,
  verifyFile,
  wipeKeys,
} from "./vault-keys.js";
import type {
  AddedKey,
  CreateVaultOptions,
  ExportedSecret,
  ExportOptions,
  RekeyOptions,
  RekeyResult,
  RotateOptions,
  SecretInfo,
  SetOptions,
  StatusOptions,
  VaultEvent,
  VaultOptions,
  VersionInfo,
} from "./vault-types.js";

export type * from "./vault-types.js";

const DEFAULT_HISTORY_LIMIT = 10;
/** Limits of format v1 (format.ts): checked before writing, so no write makes an unreadable file. */
const MAX_TAGS = 64;
const MAX_SLOTS = 256;

/** @throws VaultError INVALID_INPUT */
function checkRefs(name: string, refs: string[] | undefined): void {
  if (refs === undefined) return;
  for (const ref of refs) checkRefId(ref);
  if (new Set(refs).size > 64) {
    throw vaultError("INVALID_INPUT", `Secret ${name} has more than 64 refs.`, "Use fewer refs.");
  }
}

function applyRefs(record: SecretRecord, refs: string[] | undefined): void {
  if (refs === undefined) return;
  if (refs.length === 0) delete record.refs;
  else record.refs = [...new Set(refs)].sort();
}

/** Whether a stored policy cannot be used: its rotator, schedule or time zone is not valid. */
function brokenPolicy(record: SecretRecord | undefined): boolean {
  const rotation = record?.rotation;
  if (!rotation) return false;
  try {
    checkRotationPolicy(describePolicy(rotation));
    return false;
  } catch {
    return true;
  }
}

/** `isDue`, with a policy that cannot be evaluated counted as due (it then fails on its own). */
function dueOrBroken(record: SecretRecord, isDueNow: () => boolean): boolean {
  if (brokenPolicy(record)) return true;
  try {
    return isDueNow();
  } catch {
    return true;
  }
}

/**
 * Checks the metadata options of `set` and `update`.
 * @throws VaultError INVALID_NAME | INVALID_INPUT
 */
function checkMetadata(name: string, options: SetOptions): void {
  if (options.env !== undefined) checkEnvName(options.env);
  for (const tag of options.tags ?? []) checkTag(tag);
  checkRefs(name, options.refs);
  if (new Set(options.tags ?? []).size > MAX_TAGS) {
    throw vaultError(
      "INVALID_INPUT",
      `Secret ${name} has more than ${MAX_TAGS} tags.`,
      "Use fewer tags.",
    );
  }
  if (options.description !== undefined && options.description.length > 1024) {
    throw vaultError(
      "INVALID_INPUT",
      `Description of ${name} is longer than 1024 characters.`,
      "Shorten it.",
    );
  }
}

function applyPolicy(record: SecretRecord, policy: RotationRecord | null | undefined): void {
  if (policy === undefined) return;
  if (policy === null) delete record.rotation;
  else record.rotation = policy;
}

/** A source for a new master key of the same kind as `slot`, where none has to be asked for. */
function sameKindSource(slot: KeySlot, keyStore: KeyStore | undefined, why?: string): KeySource {
  if (slot.type === "keychain" && !why) return keychainKey(keyStore);
  throw vaultError(
    "USAGE",
    why
      ? `The ${slot.type} key ${why}: name the key to use.`
      : `A new ${slot.type} key needs to be given.`,
    slot.type === "passphrase"
      ? "Give the new passphrase (--new-passphrase-file, or the prompt on a terminal)."
      : slot.type === "keyfile"
        ? "Name a new key file with --new-key-file."
        : "CI keys are replaced with vault key add-ci NAME and vault key revoke NAME.",
  );
}

function resolvePath(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}

function defaultActor(): string {
  try {
    return `${userInfo().username}@library`;
  } catch {
    return "library";
  }
}

/** The store given, else the one the home's config file names, else the file store under the home. */
function resolveStore(options: VaultOptions): VaultStore {
  if (options.store) return options.store;
  const home = resolvePath(options.home ?? join(homedir(), ".agent-vault"));
  return storeForHome(
    home,
    options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs },
  );
}

/**
 * The home this host keeps its own files under (e.g. the scanner's fingerprints on a database
 * store): the one given, else the default, except for a caller's own store without a home.
 */
function hostHomeOf(options: VaultOptions): { hostHome?: string } {
  if (options.store && options.home === undefined) return {};
  return { hostHome: resolvePath(options.home ?? join(homedir(), ".agent-vault")) };
}

/** Closes a store this module made itself (a caller's own store stays open for its owner). */
async function releaseStore(options: VaultOptions, store: VaultStore): Promise<void> {
  if (!options.store) await store.close?.().catch(() => undefined);
}

function secretNotFound(agent: string, name: string, removed = false) {
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

function describeSecret(record: SecretRecord): SecretInfo {
  const current = record.versions.at(-1);
  const info: SecretInfo = {
    name: record.name,
    tags: [...record.tags],
    version: current?.version ?? 0,
    versions: record.versions.length,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.description !== undefined) info.description = record.description;
  if (record.env !== undefined) info.env = record.env;
  if (record.refs !== undefined) info.refs = [...record.refs];
  if (record.rotation !== undefined) info.rotation = describePolicy(record.rotation);
  if (record.journal !== undefined) info.rotating = true;
  if (record.removedAt !== undefined) info.removedAt = record.removedAt;
  return info;
}

function checkAgentOf(file: VaultFile, agent: string, where: string): void {
  if (file.agent !== agent) {
    throw vaultError(
      "WRONG_AGENT",
      `The vault file ${where} belongs to agent ${file.agent}, not ${agent}.`,
      "Each agent has its own vault; a copied file is refused. Restore the right file.",
    );
  }
}

/** Reads and parses the stored vault of `agent`. @throws VaultError VAULT_NOT_FOUND | CORRUPT | WRONG_AGENT */
async function loadFile(store: VaultStore, agent: string) {
  const stored = await store.read(agent);
  if (!stored) {
    throw vaultError(
      "VAULT_NOT_FOUND",
      `Agent ${agent} has no vault (${store.locate(agent)}).`,
      `Create one with: vault init --agent ${agent}`,
    );
  }
  const where = store.locate(agent);
  const file = parseVaultFile(stored.bytes, where);
  checkAgentOf(file, agent, where);
  return { file, token: stored.token };
}

/**
 * Opens the vault of an agent with its key source.
 * @throws VaultError VAULT_NOT_FOUND | CORRUPT | WRONG_AGENT | TAMPERED | KEY_UNAVAILABLE |
 *   WRONG_KEY | NO_KEY_SOURCE | KEYCHAIN_* | INSECURE_PERMISSIONS
 */
export async function openVault(options: VaultOptions = {}): Promise<Vault> {
  await initCrypto();
  const agent = checkAgentId(options.agent ?? DEFAULT_AGENT);
  const store = resolveStore(options);
  try {
    return await openWithStore(options, agent, store);
  } catch (error) {
    await releaseStore(options, store);
    throw error;
  }
}

async function openWithStore(
  options: VaultOptions,
  agent: string,
  store: VaultStore,
): Promise<Vault> {
  const now = options.now ?? (() => new Date());
  const actor = options.actor ?? defaultActor();
  const { file, token } = await loadFile(store, agent);
  let unlocked: Awaited<ReturnType<typeof unlockWithSource>>;
  try {
    const source =
      options.keySource ??
      defaultKeySource(file, {
        ...(options.keyStore ? { keyStore: options.keyStore } : {}),
        ...(options.prompt ? { prompt: options.prompt } : {}),
      });
    unlocked = await unlockWithSource(file, source);
  } catch (error) {
    if (isVaultError(error)) {
      // A failed unlock is audited without a key (none is at hand); the next keyed record seals it.
      await appendAudit(
        store,
        agent,
        { op: "unlock", result: error.exitCode === 5 ? "error" : "denied", code: error.code },
        { actor, now },
      ).catch(() => undefined);
    }
    throw error;
  }
  const keys = deriveKeys(unlocked.dataKey, file);
  try {
    verifyFile(file, keys, store.locate(agent));
  } catch (error) {
    wipeKeys(keys);
    throw error;
  }
  const vault = new Vault({
    store,
    agent,
    keys,
    file,
    token,
    now,
    actor,
    slotId: unlocked.slot.id,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ownsStore: !options.store,
    ...hostHomeOf(options),
  });
  await vault[syncFingerprints]();
  return vault;
}

/** Module-private: brings this host's fingerprints up to date after an open. */
const syncFingerprints = Symbol("syncFingerprints");

/**
 * Creates the vault of an agent with its first key slot.
 * @returns the open vault and, for a CI key source, the key to show once.
 * @throws VaultError ALREADY_EXISTS | KEYCHAIN_* | IO_ERROR | INVALID_INPUT
 */
export async function createVault(
  options: CreateVaultOptions,
): Promise<{ vault: Vault; key?: string }> {
  await initCrypto();
  const agent = checkAgentId(options.agent ?? DEFAULT_AGENT);
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(historyLimit) || historyLimit < 1 || historyLimit > 1000) {
    throw vaultError(
      "INVALID_INPUT",
      "History limit must be 1 to 1000 versions.",
      "Pick a number from 1 to 1000.",
    );
  }
  const label = checkSlotLabel(options.label ?? options.keySource.kind);
  const store = resolveStore(options);
  try {
    return await createWithStore(options, { agent, label, historyLimit }, store);
  } catch (error) {
    await releaseStore(options, store);
    throw error;
  }
}

async function createWithStore(
  options: CreateVaultOptions,
  { agent, label, historyLimit }: { agent: string; label: string; historyLimit: number },
  store: VaultStore,
): Promise<{ vault: Vault; key?: string }> {
  const now = options.now ?? (() => new Date());
  const actor = options.actor ?? defaultActor();
  // Never create a key over an existing vault: look before any slow or external step.
  if (await store.token(agent)) {
    throw vaultError(
      "ALREADY_EXISTS",
      `Agent ${agent} already has a vault (${store.locate(agent)}).`,
      "Use it as it is (`vault list`), or pick another agent with --agent.",
    );
  }
  const dataKey = randomBytes(KEY_BYTES);
  const vaultId = toBase64Url(randomBytes(16));
  const createdAt = now().toISOString();
  const added = await createSlot(options.keySource, dataKey, { vaultId, agent, label, createdAt });
  const keys = deriveKeys(dataKey);
  const body: VaultBody = {
    format: FORMAT_V1,
    vaultId,
    agent,
    generation: 1,
    createdAt,
    settings: { historyLimit },
    slots: [added.slot],
    secrets: [],
  };
  const sealed = sealVaultFile(body, macWith(keys));
  try {
    await store.create(agent, sealed.bytes);
  } catch (error) {
    await added.rollback();
    wipeKeys(keys);
    throw error;
  }
  const vault = new Vault({
    store,
    agent,
    keys,
    file: sealed.file,
    token: (await store.token(agent)) ?? "",
    now,
    actor,
    slotId: added.slot.id,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ownsStore: !options.store,
    ...hostHomeOf(options),
  });
  await vault.recordAudit({ op: "init", detail: `slot=${label}`, result: "ok" });
  return added.revealOnce === undefined ? { vault } : { vault, key: added.revealOnce };
}

interface VaultState {
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
  /** The home this host keeps its own files under (none: a caller's store without a home). */
  hostHome?: string;
}

/** An unlocked vault. Create with {@link openVault} or {@link createVault}; {@link Vault.close} when done. */
export class Vault {
  /** The agent this vault belongs to. */
  readonly agent: string;
  readonly #state: VaultState;
  readonly #rotators = new Map<string, Rotator>();
  readonly #listeners: Record<VaultEvent, Set<(payload: unknown) => void>> = {
    rotated: new Set(),
    changed: new Set(),
    error: new Set(),
  };
  #watching: Promise<() => Promise<void>> | undefined;
  #changes: Promise<void> = Promise.resolve();
  readonly #calendar = new ScheduleCalendar();
  /** This host's scan fingerprints of the values (none: not kept here). */
  readonly #fingerprints: FingerprintKeeper | undefined;
  #closed = false;
  /** Operations running now (see {@link Vault.#operation}). */
  #running = 0;

  /** @internal Use {@link openVault}. */
  constructor(state: VaultState) {
    this.agent = state.agent;
    this.#state = state;
    this.#fingerprints = FingerprintKeeper.for(state.store, state.agent, state.hostHome, (b, r) =>
      this.#fingerprintInputs(b, r),
    );
  }

  /** Where the vault is stored (a path for the file store). */
  get location(): string {
    return this.#state.store.locate(this.agent);
  }

  /** Closed, and no operation that started before is still running. */
  #assertOpen(): void {
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
   * ends: {@link Vault.close} during an operation wipes them only when the last one is done,
   * so nothing is ever sealed, encrypted or audited with wiped keys.
   */
  async #operation<T>(work: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    this.#running += 1;
    try {
      return await work();
    } finally {
      this.#running -= 1;
      if (this.#closed && this.#running === 0) this.#release();
    }
  }

  /** Re-reads the vault when another process changed it, and checks it again. */
  async #refresh(): Promise<void> {
    this.#assertOpen();
    const state = this.#state;
    const token = await state.store.token(state.agent);
    if (token === state.token) return;
    const { file, token: newToken } = await loadFile(state.store, state.agent);
    this.#adopt(file);
    state.token = newToken;
  }

  /** Checks a freshly read file against our keys and makes it current. */
  #adopt(file: VaultFile): void {
    const state = this.#state;
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

  /** Appends audit records under this vault's key. Operations call it; so may agent code. */
  async recordAudit(entries: AuditEntry | AuditEntry[]): Promise<void> {
    await this.#operation(async () => {
      const { store, agent, actor, now, keys } = this.#state;
      await appendAudit(store, agent, entries, { actor, now, auditKey: keys.auditKey });
    });
  }

  /** Runs `operation`, auditing its success or its typed failure. */
  async #audited<T>(
    entries: Omit<AuditEntry, "result"> | Array<Omit<AuditEntry, "result">>,
    operation: () => Promise<T>,
  ): Promise<T> {
    return this.#operation(async () => {
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
  async #mutate(
    change: (
      body: VaultBody,
      edit: (name: string) => SecretRecord | undefined,
    ) => boolean | Promise<boolean>,
    /** Seal with these keys instead (a new data key); they become the vault's keys. */
    newKeys?: VaultKeys,
  ): Promise<void> {
    await this.#operation(async () => {
      const state = this.#state;
      const where = state.store.locate(state.agent);
      let written: VaultFile | undefined;
      let fingerprintChange: FingerprintChange | undefined;
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
        // What it does to the scan fingerprints, applied once committed (not for a rekey: same values).
        if (!newKeys) fingerprintChange = this.#fingerprints?.changing(body, state.file);
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
        await this.#fingerprints?.committed(written, fingerprintChange);
      }
    });
  }

  /** Every value the scanner should know of `records`: each kept version and a pending one. */
  #fingerprintInputs(body: VaultBody, records: readonly SecretRecord[]) {
    return records.flatMap((record) =>
      [...record.versions, ...(record.journal?.pending ? [record.journal.pending] : [])].map(
        (sealed) => ({ name: record.name, value: this.#openSealed(body, record.name, sealed) }),
      ),
    );
  }

  /** @internal Called by {@link openVault}. */
  async [syncFingerprints](): Promise<void> {
    await this.#fingerprints?.opened(this.#state.file);
  }

  #find(name: string, options: { includeRemoved?: boolean } = {}): SecretRecord {
    const record = this.#state.file.secrets.find((secret) => secret.name === name);
    if (!record) throw secretNotFound(this.agent, name);
    if (record.removedAt !== undefined && !options.includeRemoved) {
      throw secretNotFound(this.agent, name, true);
    }
    return record;
  }

  #decrypt(body: VaultBody, record: SecretRecord, version?: number): string {
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
    return this.#openSealed(body, record.name, sealed);
  }

  #openSealed(body: VaultBody, name: string, sealed: SealedVersion): string {
    const record = { name };
    const nonce = fromBase64Url(sealed.nonce);
    const ciphertext = fromBase64Url(sealed.ciphertext);
    const plaintext =
      nonce && ciphertext
        ? open(
            this.#state.keys.valueKey,
            nonce,
            ciphertext,
            valueAd(body, record.name, sealed.version),
          )
        : undefined;
    if (!plaintext) {
      throw vaultError(
        "TAMPERED",
        `Version ${sealed.version} of secret ${record.name} does not decrypt: it was altered or moved.`,
        "Restore the vault file from a backup.",
      );
    }
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(plaintext);
    } catch {
      throw vaultError(
        "TAMPERED",
        `Secret ${record.name} does not hold UTF-8 text.`,
        "Restore the vault file from a backup.",
      );
    } finally {
      wipe(plaintext);
    }
  }

  #sealVersion(body: VaultBody, name: string, version: number, value: string) {
    const plaintext = new TextEncoder().encode(value);
    try {
      const { nonce, ciphertext } = seal(
        this.#state.keys.valueKey,
        plaintext,
        valueAd(body, name, version),
      );
      return {
        version,
        createdAt: this.#state.now().toISOString(),
        nonce: toBase64Url(nonce),
        ciphertext: toBase64Url(ciphertext),
      };
    } finally {
      wipe(plaintext);
    }
  }

  #addVersion(body: VaultBody, record: SecretRecord, value: string): void {
    const version = record.nextVersion;
    record.versions.push(this.#sealVersion(body, record.name, version, value));
    record.nextVersion = version + 1;
    const excess = record.versions.length - body.settings.historyLimit;
    if (excess > 0) record.versions.splice(0, excess);
    record.updatedAt = this.#state.now().toISOString();
    delete record.removedAt;
    // A value set by hand (or rolled back to) supersedes a rotation still in progress: its
    // pending value is dropped rather than promoted over the new CURRENT later.
    delete record.journal;
  }

  /**
   * Stores a new value (a new version) for `name`, creating the secret if needed.
   * @throws VaultError INVALID_NAME | INVALID_VALUE | INVALID_INPUT | BUSY | CONFLICT | IO_ERROR
   */
  async set(name: string, value: string, options: SetOptions = {}): Promise<SecretInfo> {
    const [info] = await this.setMany([{ name, value, ...options }]);
    return info as SecretInfo;
  }

  /**
   * Stores several secrets in one write (one lock, one commit, one audit record each).
   * All are checked before anything is written: one bad entry writes none.
   * @throws VaultError INVALID_NAME | INVALID_VALUE | INVALID_INPUT | BUSY | CONFLICT | IO_ERROR
   */
  async setMany(
    entries: Array<SetOptions & { name: string; value: string }>,
  ): Promise<SecretInfo[]> {
    for (const entry of entries) {
      checkSecretName(entry.name);
      checkSecretValue(entry.name, entry.value);
      if (isVaultReference(entry.value)) {
        throw vaultError(
          "INVALID_VALUE",
          `The value given for ${entry.name} is a vault reference (vault://AGENT/NAME), not a secret.`,
          "Store the real value; a reference only points at one.",
        );
      }
      checkMetadata(entry.name, entry);
    }
    const policies = new Map(
      entries.map((entry) => [
        entry,
        entry.rotation ? checkRotationPolicy(entry.rotation) : entry.rotation,
      ]),
    );
    const infos: SecretInfo[] = [];
    const names = entries.map((entry) => entry.name);
    await this.#audited(
      names.map((name) => ({ op: "set", secret: name })),
      () =>
        this.#mutate((body) => {
          const createdAt = this.#state.now().toISOString();
          const indexOf = new Map(body.secrets.map((record, index) => [record.name, index]));
          const touched = new Map<string, SecretRecord>();
          let added = false;
          for (const entry of entries) {
            let record = touched.get(entry.name);
            if (!record) {
              const index = indexOf.get(entry.name);
              const original = index === undefined ? undefined : body.secrets[index];
              if (index !== undefined && original) {
                record = structuredClone(original);
                body.secrets[index] = record;
              } else {
                record = {
                  createdAt,
                  name: entry.name,
                  nextVersion: 1,
                  tags: [],
                  updatedAt: createdAt,
                  versions: [],
                };
                indexOf.set(entry.name, body.secrets.push(record) - 1);
                added = true;
              }
              touched.set(entry.name, record);
            }
            if (entry.description !== undefined) record.description = entry.description;
            if (entry.tags !== undefined) record.tags = [...new Set(entry.tags)].sort();
            if (entry.env !== undefined) record.env = entry.env;
            applyRefs(record, entry.refs);
            applyPolicy(record, policies.get(entry));
            this.#addVersion(body, record, entry.value);
            infos.push(describeSecret(record));
          }
          if (added) body.secrets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          return true;
        }),
    );
    return infos;
  }

  /**
   * The current value of `name` (or an older kept version) as plain text.
   * @throws VaultError SECRET_NOT_FOUND | VERSION_NOT_FOUND | TAMPERED
   */
  async get(name: string, options: { version?: number } = {}): Promise<string> {
    checkSecretName(name);
    const detail = options.version === undefined ? undefined : `version=${options.version}`;
    return this.#audited({ op: "get", secret: name, ...(detail ? { detail } : {}) }, async () => {
      await this.#refresh();
      return this.#decrypt(this.#state.file, this.#find(name), options.version);
    });
  }

  /**
   * The current value a vault reference (`vault://AGENT/NAME`, what `vault scan --fix` leaves
   * behind) stands for. Only this vault's own agent's references resolve here. Audited like
   * {@link Vault.get}, with `purpose` (default `resolve`) as the record's detail.
   * @throws VaultError INVALID_INPUT (not one reference) | NO_KEY_SOURCE (another agent's
   *   reference: open that agent's vault with its key) | SECRET_NOT_FOUND | TAMPERED
   */
  async resolve(reference: string, options: { purpose?: string } = {}): Promise<string> {
    const { agent, name } = parseVaultReference(reference);
    if (agent !== this.agent) throw otherAgentReference(this.agent, agent);
    const detail = options.purpose ?? "resolve";
    return this.#audited({ op: "get", secret: name, detail }, async () => {
      await this.#refresh();
      return this.#decrypt(this.#state.file, this.#find(name));
    });
  }

  /**
   * The current values of the selected secrets, for export to an environment: each under its
   * env alias (or its name), with `prefix` added. One audit record per secret, naming the
   * secret and `purpose` (e.g. `format=github`), never the value.
   * @throws VaultError SECRET_NOT_FOUND (a name in `only`) | INVALID_INPUT | TAMPERED
   */
  async exportSecrets(options: ExportOptions = {}): Promise<ExportedSecret[]> {
    const prefix = options.prefix ?? "";
    if (prefix !== "" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) {
      throw vaultError(
        "INVALID_INPUT",
        "Invalid --prefix.",
        "Use letters, digits and _, not starting with a digit.",
      );
    }
    for (const name of options.only ?? []) checkSecretName(name);
    if (options.tag !== undefined) checkTag(options.tag);
    await this.#refresh();
    const live = this.#state.file.secrets.filter((record) => record.removedAt === undefined);
    const only = options.only ? new Set(options.only) : undefined;
    for (const name of only ?? []) {
      if (!live.some((record) => record.name === name)) throw secretNotFound(this.agent, name);
    }
    const selected = live.filter(
      (record) =>
        (!only || only.has(record.name)) &&
        (options.tag === undefined || record.tags.includes(options.tag)),
    );
    const detail = options.purpose ?? "env";
    return this.#audited(
      selected.map((record) => ({ op: "export", secret: record.name, detail })),
      async () =>
        selected.map((record) => ({
          name: record.name,
          envName: `${prefix}${record.env ?? record.name}`,
          value: this.#decrypt(this.#state.file, record),
        })),
    );
  }

  /** {@link Vault.exportSecrets} as a plain `{ ENV_NAME: value }` record. */
  async env(options: ExportOptions = {}): Promise<Record<string, string>> {
    // No prototype: a variable named __proto__ is a variable like any other.
    const out: Record<string, string> = Object.create(null);
    for (const secret of await this.exportSecrets(options)) out[secret.envName] = secret.value;
    return out;
  }

  /**
   * Runs `command` with `args`, without a shell, with the selected secrets in its environment
   * (added to `options.env`, which defaults to none: pass `process.env` to inherit). Forwards
   * SIGINT, SIGTERM and SIGHUP from `options.signals`; with `mask`, redacts the values in its
   * output. Audited like {@link Vault.exportSecrets} with purpose `run`.
   * @returns the command's exit code, or 128 + n when signal n ended it.
   * @throws VaultError SECRET_NOT_FOUND | INVALID_INPUT (bad selection, or the command could
   *   not be started) | TAMPERED
   */
  async run(
    command: string,
    args: readonly string[] = [],
    options: RunOptions = {},
  ): Promise<number> {
    checkCommand(command, args);
    const secrets = await this.exportSecrets({
      ...(options.only === undefined ? {} : { only: options.only }),
      ...(options.tag === undefined ? {} : { tag: options.tag }),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      purpose: "run",
    });
    return runWithSecrets(command, args, secrets, options);
  }

  /** Like {@link Vault.get}, wrapped so that printing it shows `[redacted]`. */
  async reveal(name: string, options: { version?: number } = {}): Promise<SecretValue> {
    return new SecretValue(name, await this.get(name, options));
  }

  /** True when `name` holds a value (not removed). */
  async has(name: string): Promise<boolean> {
    checkSecretName(name);
    await this.#refresh();
    const record = this.#state.file.secrets.find((secret) => secret.name === name);
    return record !== undefined && record.removedAt === undefined;
  }

  /** Names and metadata, sorted by name; removed secrets only with `includeRemoved`. */
  async list(options: { includeRemoved?: boolean } = {}): Promise<SecretInfo[]> {
    return this.#audited({ op: "list" }, async () => {
      await this.#refresh();
      return this.#state.file.secrets
        .filter((record) => options.includeRemoved || record.removedAt === undefined)
        .map(describeSecret);
    });
  }

  /** Removes `name`; its history stays until {@link Vault.purge}. @throws VaultError SECRET_NOT_FOUND */
  async remove(name: string): Promise<void> {
    checkSecretName(name);
    await this.#audited({ op: "rm", secret: name }, () =>
      this.#mutate((_body, edit) => {
        const record = edit(name);
        if (!record || record.removedAt !== undefined)
          throw secretNotFound(this.agent, name, !!record);
        record.removedAt = this.#state.now().toISOString();
        record.updatedAt = record.removedAt;
        return true;
      }),
    );
  }

  /** Deletes `name` and all its history for good. @throws VaultError SECRET_NOT_FOUND */
  async purge(name: string): Promise<void> {
    checkSecretName(name);
    await this.#audited({ op: "purge", secret: name }, () =>
      this.#mutate((body) => {
        const index = body.secrets.findIndex((secret) => secret.name === name);
        if (index < 0) throw secretNotFound(this.agent, name);
        body.secrets.splice(index, 1);
        return true;
      }),
    );
  }

  /** The kept versions of `name`, oldest first. @throws VaultError SECRET_NOT_FOUND */
  async history(name: string): Promise<VersionInfo[]> {
    checkSecretName(name);
    return this.#audited({ op: "history", secret: name }, async () => {
      await this.#refresh();
      const record = this.#find(name, { includeRemoved: true });
      const isRemoved = record.removedAt !== undefined;
      // Without a policy every kept version may still be in use somewhere: all previous.
      const keep = record.rotation?.keep ?? record.versions.length;
      const last = record.versions.length - 1;
      const history: VersionInfo[] = record.versions.map((entry, index) => {
        const isCurrent = !isRemoved && index === last;
        const label = isCurrent ? "current" : last - index <= keep ? "previous" : "retired";
        return { version: entry.version, createdAt: entry.createdAt, current: isCurrent, label };
      });
      const pending = record.journal?.pending;
      if (pending) {
        history.push({
          version: pending.version,
          createdAt: pending.createdAt,
          current: false,
          label: "pending",
        });
      }
      return history;
    });
  }

  /**
   * Makes version `to` current again, as a new version with the same value (history stays
   * linear). Restores a removed secret too.
   * @throws VaultError SECRET_NOT_FOUND | VERSION_NOT_FOUND
   */
  async rollback(name: string, to: number): Promise<SecretInfo> {
    checkSecretName(name);
    if (!Number.isSafeInteger(to) || to < 1) {
      throw vaultError(
        "INVALID_INPUT",
        "The version to roll back to must be a positive whole number.",
        `See \`vault history ${name}\`.`,
      );
    }
    let info: SecretInfo | undefined;
    await this.#audited({ op: "rollback", secret: name, detail: `to=${to}` }, () =>
      this.#mutate((body, edit) => {
        const record = edit(name);
        if (!record) throw secretNotFound(this.agent, name);
        const value = this.#decrypt(body, record, to);
        this.#addVersion(body, record, value);
        info = describeSecret(record);
        return true;
      }),
    );
    return info as unknown as SecretInfo;
  }

  /**
   * Changes the rotation policy of `name` without changing its value: the fields given replace
   * those of the current policy, the others are kept; `null` removes the policy.
   * @throws VaultError SECRET_NOT_FOUND | INVALID_INPUT
   */
  async setRotation(name: string, policy: RotationPolicy | null): Promise<SecretInfo> {
    return this.update(name, { rotation: policy });
  }

  /**
   * Changes the metadata of `name` (description, tags, env name, refs, rotation policy)
   * without a new version: its value is not needed. Fields not given are kept; a rotation
   * policy given in part is merged over the current one (`null` removes it).
   * @throws VaultError SECRET_NOT_FOUND | INVALID_NAME | INVALID_INPUT
   */
  async update(name: string, options: SetOptions): Promise<SecretInfo> {
    checkSecretName(name);
    checkMetadata(name, options);
    if (options.rotation) checkRotationPolicy(options.rotation);
    const changed = Object.keys(options)
      .filter((key) => (options as Record<string, unknown>)[key] !== undefined)
      .sort();
    const audit =
      changed.length === 1 && changed[0] === "rotation"
        ? { op: "policy", secret: name, detail: options.rotation ? "set" : "removed" }
        : { op: "update", secret: name, detail: changed.join(",") };
    let info: SecretInfo | undefined;
    await this.#audited(audit, () =>
      this.#mutate((_body, edit) => {
        const secret = edit(name);
        if (!secret || secret.removedAt !== undefined) {
          throw secretNotFound(this.agent, name, !!secret);
        }
        if (options.description !== undefined) secret.description = options.description;
        if (options.tags !== undefined) secret.tags = [...new Set(options.tags)].sort();
        if (options.env !== undefined) secret.env = options.env;
        applyRefs(secret, options.refs);
        if (options.rotation !== undefined) {
          const current = describeSecret(secret).rotation;
          applyPolicy(
            secret,
            options.rotation === null
              ? null
              : checkRotationPolicy({ ...current, ...options.rotation }),
          );
        }
        info = describeSecret(secret);
        return true;
      }),
    );
    return info as SecretInfo;
  }

  /**
   * Registers a rotator for secrets whose policy names it (`rotator: "openai"`): agent code
   * that rotates keys through a provider's API.
   * @throws TypeError when the name or the rotator is malformed
   */
  registerRotator(name: string, rotator: Rotator): void {
    if (!ROTATOR_NAME_PATTERN.test(name)) {
      throw new TypeError(`"name" expected ${ROTATOR_NAME_PATTERN}, got an invalid name`);
    }
    if (typeof rotator?.create !== "function") {
      throw new TypeError(`"rotator" expected an object with a create() function`);
    }
    this.#rotators.set(name, rotator);
  }

  /**
   * The rotation status of every secret with a policy, sorted by name. Reads nothing secret.
   * `exposures`: when a scan last found each secret's value in a file (due from then on).
   */
  async rotationStatus(options: StatusOptions = {}): Promise<RotationStatus[]> {
    this.#assertOpen();
    await this.#refresh();
    const now = options.now ?? this.#state.now();
    const statuses: RotationStatus[] = [];
    for (const record of this.#state.file.secrets) {
      if (record.removedAt !== undefined) continue;
      const exposedAt = options.exposures?.get(record.name);
      const status = rotationStatus(record, now, this.#calendar, {
        ...(options.graceSeconds === undefined ? {} : { graceSeconds: options.graceSeconds }),
        ...(exposedAt ? { exposedAt } : {}),
      });
      if (status) statuses.push(status);
    }
    return statuses;
  }

  /**
   * Runs the due rotations (or, with `names`, those secrets; with `force`, even when not due)
   * through the staged protocol. A failure of one secret does not stop the others.
   * @throws VaultError SECRET_NOT_FOUND (a name in `names`) | USAGE (force without names)
   */
  async rotate(options: RotateOptions = {}): Promise<RotationOutcome[]> {
    return this.#operation(async () => {
      if (options.force && !options.names?.length) {
        throw vaultError(
          "USAGE",
          "Forcing a rotation needs the secrets to rotate.",
          "Name them: vault rotate NAME --force.",
        );
      }
      await this.#refresh();
      const now = this.#state.now();
      const records = this.#state.file.secrets;
      let names: string[];
      if (options.names) {
        for (const name of options.names) {
          checkSecretName(name);
          const record = records.find((entry) => entry.name === name);
          if (!record || record.removedAt !== undefined) {
            throw secretNotFound(this.agent, name, !!record);
          }
        }
        names = [...new Set(options.names)];
      } else {
        names = records
          .filter(
            (record) =>
              record.removedAt === undefined &&
              record.rotation !== undefined &&
              dueOrBroken(record, () =>
                isDue(record, now, this.#calendar, options.exposures?.get(record.name)),
              ),
          )
          .map((record) => record.name);
      }
      const outcomes: RotationOutcome[] = [];
      // A policy that cannot be read (written around the checks) fails its own secret only.
      const broken = names.filter((name) => brokenPolicy(records.find((r) => r.name === name)));
      for (const name of broken) {
        const outcome: RotationOutcome = {
          name,
          result: "failed",
          message: "its rotation policy is not valid: set it again with vault schedule.",
        };
        options.onProgress?.(outcome);
        outcomes.push(outcome);
      }
      names = names.filter((name) => !broken.includes(name));
      // Rotators that change nothing outside the vault (random:) need no staged journal: their
      // rotations are made and committed together, in one atomic write.
      const isLocal = (name: string) => {
        const record = records.find((entry) => entry.name === name);
        const rotator = record?.rotation?.rotator;
        return !record?.journal && rotator !== undefined && rotator.startsWith("random:");
      };
      const local = names.filter(isLocal);
      if (local.length > 0 && !options.dryRun) {
        for (const outcome of await this.#rotateLocally(local, options)) {
          options.onProgress?.(outcome);
          outcomes.push(outcome);
        }
        names = names.filter((name) => !local.includes(name));
      }
      const runner = new RotationRunner(
        this.#rotationAccess(),
        {
          registered: this.#rotators,
          ...(options.hostRotators ? { commands: options.hostRotators } : {}),
          ...(options.env ? { env: options.env } : {}),
          ...(options.onOutput ? { onOutput: options.onOutput } : {}),
        },
        this.#calendar,
      );
      for (const name of names) {
        const exposedAt = options.exposures?.get(name);
        let outcome: RotationOutcome;
        try {
          outcome = await runner.rotateSecret(name, {
            ...(options.force ? { force: true } : {}),
            ...(options.dryRun ? { dryRun: true } : {}),
            ...(exposedAt ? { exposedAt } : {}),
          });
        } catch (error) {
          if (!isVaultError(error)) throw error;
          outcome = {
            name,
            result: error.code === "CONFLICT" || error.code === "BUSY" ? "busy" : "failed",
            message: error.message,
          };
        }
        options.onProgress?.(outcome);
        outcomes.push(outcome);
      }
      return outcomes;
    });
  }

  /** Rotates secrets with local rotators (random:) in one write; re-checks each is still due. */
  async #rotateLocally(names: string[], options: RotateOptions): Promise<RotationOutcome[]> {
    const outcomes = new Map<string, RotationOutcome>();
    const audits: AuditEntry[] = [];
    await this.#mutate((body, edit) => {
      outcomes.clear();
      audits.length = 0;
      const now = this.#state.now();
      for (const name of names) {
        const original = body.secrets.find((entry) => entry.name === name);
        const rotator = original?.rotation?.rotator;
        const exposedAt = options.exposures?.get(name);
        const isStillDue =
          original !== undefined &&
          original.removedAt === undefined &&
          !original.journal &&
          (options.force || isDue(original, now, this.#calendar, exposedAt));
        const spec = rotator === undefined ? undefined : parseRotatorSpec(rotator);
        if (!isStillDue || spec?.kind !== "random") {
          outcomes.set(name, { name, result: "not-due" });
          continue;
        }
        const record = edit(name) as SecretRecord;
        this.#addVersion(body, record, randomValue(spec));
        const version = record.versions.at(-1)?.version ?? 0;
        outcomes.set(name, { name, result: "rotated", version });
        audits.push({
          op: "rotate",
          secret: name,
          detail: `step=create+finish version=${version}`,
          result: "ok",
        });
      }
      return audits.length > 0;
    });
    if (audits.length > 0) await this.recordAudit(audits);
    return names.map((name) => outcomes.get(name) ?? { name, result: "not-due" });
  }

  /**
   * Abandons the rotation in progress for `name`: its PENDING value is discarded and CURRENT
   * stays. For a rotation whose pending value can never be applied.
   * @throws VaultError SECRET_NOT_FOUND
   */
  async cancelRotation(name: string): Promise<boolean> {
    checkSecretName(name);
    let cancelled = false;
    await this.#audited({ op: "rotate", secret: name, detail: "cancelled" }, () =>
      this.#mutate((_body, edit) => {
        const record = edit(name);
        if (!record) throw secretNotFound(this.agent, name);
        if (!record.journal) return false;
        delete record.journal;
        cancelled = true;
        return true;
      }),
    );
    return cancelled;
  }

  #rotationAccess(): RotationAccess {
    const state = this.#state;
    return {
      agent: this.agent,
      now: () => state.now(),
      read: async (name) => {
        await this.#refresh();
        return state.file.secrets.find((record) => record.name === name);
      },
      update: (name, change) =>
        this.#mutate((body, edit) => {
          const record = edit(name);
          if (!record) return false;
          return change(
            record,
            (value, version) => this.#sealVersion(body, name, version, value),
            body.settings.historyLimit,
          );
        }),
      decrypt: (record, sealed) =>
        new SecretValue(record.name, this.#openSealed(state.file, record.name, sealed)),
      audit: (entry) => this.recordAudit(entry),
    };
  }

  /** The key slots that open this vault (no key material). */
  keys(): KeySlotInfo[] {
    this.#assertOpen();
    return this.#state.file.slots.map(describeSlot);
  }

  /** The slot this vault was unlocked with. */
  get unlockedWith(): KeySlotInfo {
    const slot = this.#state.file.slots.find((entry) => entry.id === this.#state.slotId);
    return slot
      ? describeSlot(slot)
      : { id: this.#state.slotId, type: "ci", label: "?", createdAt: "" };
  }

  /**
   * Adds a key slot wrapping this vault's data key under a new master key.
   * For a CI key (`ciKey` source with an empty key, or {@link Vault.addCiKey}) the new key is
   * returned once.
   * @throws VaultError INVALID_INPUT (label taken) | KEYCHAIN_* | BUSY | IO_ERROR
   */
  async addKey(source: KeySource, label: string): Promise<AddedKey> {
    return this.#operation(async () => {
      checkSlotLabel(label);
      const state = this.#state;
      await this.#refresh();
      this.#assertLabelFree(state.file, label);
      const added = await createSlot(source, state.keys.dataKey, {
        vaultId: state.file.vaultId,
        agent: this.agent,
        label,
        createdAt: state.now().toISOString(),
      });
      try {
        await this.#audited({ op: "key-add", detail: `slot=${label} type=${source.kind}` }, () =>
          this.#mutate((body) => {
            this.#assertLabelFree(body, label);
            if (
              source.kind === "passphrase" &&
              body.slots.filter((slot) => slot.type === "passphrase").length >= 4
            ) {
              throw vaultError(
                "INVALID_INPUT",
                `Agent ${this.agent}'s vault already has 4 passphrase keys, the most an unlock tries.`,
                "Revoke one first (`vault key revoke NAME`).",
              );
            }
            if (body.slots.length >= MAX_SLOTS) {
              throw vaultError(
                "INVALID_INPUT",
                `Agent ${this.agent}'s vault already has ${MAX_SLOTS} keys.`,
                "Revoke keys no longer in use (`vault key list`, `vault key revoke NAME`).",
              );
            }
            body.slots.push(added.slot);
            return true;
          }),
        );
      } catch (error) {
        await added.rollback();
        throw error;
      }
      return added.revealOnce === undefined
        ? { slot: describeSlot(added.slot) }
        : { slot: describeSlot(added.slot), key: added.revealOnce };
    });
  }

  #assertLabelFree(body: VaultBody, label: string): void {
    if (body.slots.some((slot) => slot.label === label)) {
      throw vaultError(
        "ALREADY_EXISTS",
        `Agent ${this.agent}'s vault already has a key named ${label}.`,
        "Pick another name, or revoke the old key first (`vault key revoke NAME`).",
      );
    }
  }

  /** Adds an independent CI key; returns it once (base64, for `$AGENT_VAULT_KEY`). */
  async addCiKey(label: string): Promise<AddedKey & { key: string }> {
    const added = await this.addKey({ kind: "ci", key: "" }, label);
    return added as AddedKey & { key: string };
  }

  /**
   * Removes the key slot named `label`; other slots keep working. Refuses the last slot.
   * A keychain slot's keychain item is deleted too.
   * @throws VaultError KEY_SLOT_NOT_FOUND | INVALID_INPUT
   */
  async revokeKey(
    label: string,
    options: { keyStore?: KeyStore } = {},
  ): Promise<KeySlotInfo & { keychainItemRemoved?: boolean }> {
    checkSlotLabel(label);
    let removed: (KeySlotInfo & { keychainItemRemoved?: boolean }) | undefined;
    let account: string | undefined;
    await this.#audited({ op: "key-revoke", detail: `slot=${label}` }, () =>
      this.#mutate((body) => {
        const index = body.slots.findIndex((slot) => slot.label === label);
        const slot = body.slots[index];
        if (!slot) {
          throw vaultError(
            "KEY_SLOT_NOT_FOUND",
            `Agent ${this.agent}'s vault has no key named ${label}.`,
            "List the keys with `vault key list`.",
          );
        }
        if (body.slots.length === 1) {
          throw vaultError(
            "INVALID_INPUT",
            `Key ${label} is the only key of agent ${this.agent}'s vault; revoking it would lock the vault for good.`,
            "Add another key first (`vault key add-ci NAME`).",
          );
        }
        body.slots.splice(index, 1);
        removed = describeSlot(slot);
        account = slot.type === "keychain" ? slot.account : undefined;
        return true;
      }),
    );
    if (account && removed) {
      // The slot is gone from the vault; its keychain item is now useless but should not linger.
      const keyStore = options.keyStore ?? new KeytarKeyStore();
      removed.keychainItemRemoved = await keyStore.remove(account).catch(() => false);
    }
    return removed as KeySlotInfo & { keychainItemRemoved?: boolean };
  }

  /**
   * Replaces the master key of the slot this vault was opened with (a new keychain item, a new
   * passphrase, a new key file, or a move to another key source: `to`), and with `dataKey`
   * also the data key, re-encrypting every value: revoked keys and old copies of the vault
   * file no longer open the new file. One atomic write: a kill at any point leaves a vault
   * that opens with the old key or the new one. Other slots are re-wrapped when their keys
   * are at hand without a prompt (keychain, key file); otherwise refused unless
   * `dropUnreachable`.
   * @throws VaultError USAGE | INVALID_INPUT | CONFLICT | KEYCHAIN_* | IO_ERROR | BUSY
   */
  async rekey(options: RekeyOptions = {}): Promise<RekeyResult> {
    return this.#operation(async () => {
      await this.#refresh();
      const state = this.#state;
      const file = state.file;
      const current = file.slots.find((slot) => slot.id === state.slotId);
      if (!current) {
        throw vaultError(
          "CONFLICT",
          `The key this vault of agent ${this.agent} was opened with was revoked meanwhile.`,
          "Open the vault again with a key it still has.",
        );
      }
      // A new data key alone keeps the master key when it is at hand (keychain, key file).
      const keepMasterKey = options.dataKey === true && options.to === undefined;
      const target =
        options.to ?? (keepMasterKey ? undefined : sameKindSource(current, state.keyStore));
      if (target?.kind === "keyfile" && current.keyFile === resolvePath(target.path)) {
        throw vaultError(
          "USAGE",
          "A new master key needs a new key file: the current one stays valid until the switch.",
          "Name a new path with --new-key-file; delete the old file after the rekey.",
        );
      }
      const newDataKey = options.dataKey ? randomBytes(KEY_BYTES) : state.keys.dataKey;
      const rewrapped = new Map<string, KeySlot>();
      const dropped: KeySlot[] = [];
      if (options.dataKey) {
        for (const slot of file.slots) {
          if (slot.id === current.id) continue;
          const kek = await reachSlotKey(slot, state.keyStore);
          const again = kek ? rewrapSlot(file, slot, kek, newDataKey) : undefined;
          if (kek) wipe(kek);
          if (again) rewrapped.set(slot.id, again);
          else dropped.push(slot);
        }
        if (dropped.length > 0 && !options.dropUnreachable) {
          wipe(newDataKey);
          throw vaultError(
            "INVALID_INPUT",
            `A new data key would shut out key ${dropped.map((slot) => slot.label).join(", ")}: ${dropped.length === 1 ? "its key is" : "their keys are"} not at hand (a passphrase or CI key).`,
            "Pass --drop-slots to drop them (add them again after: vault key add-ci NAME), or revoke them first.",
          );
        }
      }
      let added: Awaited<ReturnType<typeof createSlot>>;
      try {
        if (target) {
          added = await createSlot(target, newDataKey, {
            vaultId: file.vaultId,
            agent: this.agent,
            label: current.label,
            createdAt: state.now().toISOString(),
          });
        } else {
          const kek = await reachSlotKey(current, state.keyStore);
          const again = kek ? rewrapSlot(file, current, kek, newDataKey) : undefined;
          if (kek) wipe(kek);
          if (!again) throw sameKindSource(current, undefined, "is not at hand again");
          added = { slot: again, rollback: async () => {} };
        }
      } catch (error) {
        if (options.dataKey) wipe(newDataKey);
        throw error;
      }
      let newKeys: VaultKeys | undefined;
      if (options.dataKey) {
        const derived = deriveKeys(newDataKey);
        wipe(derived.auditKey);
        // The audit chain keeps its key: sealed in the file under the new data key.
        newKeys = { ...derived, auditKey: state.keys.auditKey.slice() };
      }
      const detail = `slot=${current.label} from=${current.type} to=${target?.kind ?? "same-key"}${options.dataKey ? " data-key=new" : ""}`;
      try {
        await this.#audited({ op: "rekey", detail }, () =>
          this.#mutate((body) => {
            const index = body.slots.findIndex((slot) => slot.id === current.id);
            if (index < 0 || (newKeys && body.generation !== file.generation)) {
              throw vaultError(
                "CONFLICT",
                `The vault of agent ${this.agent} changed while it was being rekeyed.`,
                "Run the rekey again.",
              );
            }
            if (!newKeys) {
              body.slots[index] = added.slot;
              return true;
            }
            const keys = newKeys;
            body.slots = body.slots.flatMap((slot) =>
              slot.id === current.id ? [added.slot] : (rewrapped.get(slot.id) ?? []),
            );
            body.sealedAuditKey = sealAuditKey(keys.auditKey, keys.dataKey, body);
            body.secrets = body.secrets.map((record) => {
              const copy = structuredClone(record);
              const reseal = (sealed: SealedVersion): SealedVersion => {
                const plaintext = new TextEncoder().encode(
                  this.#openSealed(body, record.name, sealed),
                );
                try {
                  const { nonce, ciphertext } = seal(
                    keys.valueKey,
                    plaintext,
                    valueAd(body, record.name, sealed.version),
                  );
                  return {
                    ...sealed,
                    nonce: toBase64Url(nonce),
                    ciphertext: toBase64Url(ciphertext),
                  };
                } finally {
                  wipe(plaintext);
                }
              };
              copy.versions = copy.versions.map(reseal);
              if (copy.journal?.pending) copy.journal.pending = reseal(copy.journal.pending);
              return copy;
            });
            return true;
          }, newKeys),
        );
      } catch (error) {
        await added.rollback();
        if (newKeys) wipeKeys(newKeys);
        throw error;
      }
      state.slotId = added.slot.id;
      if (target && current.type === "keychain" && current.account) {
        // The old item no longer opens anything; remove it (a failure leaves a harmless orphan).
        await (state.keyStore ?? new KeytarKeyStore()).remove(current.account).catch(() => false);
      }
      const result: RekeyResult = {
        slot: describeSlot(added.slot),
        replaced: describeSlot(current),
        dataKeyReplaced: options.dataKey === true,
        rewrapped: [...rewrapped.values()].map(describeSlot),
        dropped: dropped.map(describeSlot),
      };
      if (added.revealOnce !== undefined) result.key = added.revealOnce;
      return result;
    });
  }

  /** Checks this agent's audit log chain (see `verifyAudit`). */
  async verifyAudit() {
    return this.#operation(() =>
      verifyAudit(this.#state.store, this.agent, this.#state.keys.auditKey),
    );
  }

  /** This agent's audit records, oldest first. */
  async auditRecords() {
    this.#assertOpen();
    return readAudit(this.#state.store, this.agent);
  }

  /**
   * Listens for changes other processes (or hosts, on a shared store) commit to this vault:
   * `rotated` once per secret whose current version changed (a rotation or a new value; the
   * event holds the name and version, never the value), `changed` once per new generation,
   * `error` when watching or re-checking the vault fails. The first listener starts watching
   * the store (file: the folder; PostgreSQL: LISTEN/NOTIFY); {@link Vault.close} stops it.
   * @throws VaultError USAGE (a store that cannot be watched)
   */
  on(event: "rotated", listener: (change: { name: string; version: number }) => void): this;
  on(event: "changed", listener: (change: { generation: number }) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
  on(event: VaultEvent, listener: (payload: never) => void): this {
    this.#assertOpen();
    const store = this.#state.store;
    if (!store.watch) {
      throw vaultError(
        "USAGE",
        `The ${store.kind} store cannot be watched for changes.`,
        "Poll instead: re-read the secret when you need it.",
      );
    }
    this.#listeners[event].add(listener as (payload: unknown) => void);
    this.#watching ??= store
      .watch(
        this.agent,
        () => this.#queueChange(),
        (error) => this.#emit("error", error),
      )
      .catch((error: unknown) => {
        this.#emit("error", error);
        return async () => {};
      });
    return this;
  }

  /** Resolves once the watch the first {@link Vault.on} started is in place. */
  async listening(): Promise<void> {
    await this.#watching;
  }

  /** Removes a listener added with {@link Vault.on}. */
  off(event: VaultEvent, listener: (payload: never) => void): this {
    this.#listeners[event].delete(listener as (payload: unknown) => void);
    return this;
  }

  #emit(event: VaultEvent, payload: unknown): void {
    for (const listener of this.#listeners[event]) {
      try {
        listener(payload);
      } catch {
        // A listener's failure is its own; the others still hear of the change.
      }
    }
  }

  /** Handles store notifications one at a time, in order. */
  #queueChange(): void {
    this.#changes = this.#changes.then(() => this.#announceChange()).catch(() => undefined);
  }

  async #announceChange(): Promise<void> {
    if (this.#closed) return;
    const state = this.#state;
    const before = new Map(state.file.secrets.map((r) => [r.name, r.versions.at(-1)?.version]));
    const generation = state.file.generation;
    try {
      await this.#refresh();
    } catch (error) {
      this.#emit("error", error);
      return;
    }
    if (state.file.generation === generation) return;
    this.#emit("changed", { generation: state.file.generation });
    for (const record of state.file.secrets) {
      const version = record.versions.at(-1)?.version;
      if (
        record.removedAt === undefined &&
        version !== undefined &&
        version !== before.get(record.name)
      ) {
        this.#emit("rotated", { name: record.name, version });
      }
    }
  }

  /**
   * Wipes the keys from memory (and closes a store the vault opened itself). The vault cannot
   * be used afterwards; operations already running finish first, with their keys.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#running === 0) this.#release();
  }

  #release(): void {
    const { store, ownsStore } = this.#state;
    void Promise.resolve(this.#watching?.then((stop) => stop()))
      .then(() => (ownsStore ? store.close?.() : undefined))
      .catch(() => undefined);
    wipeKeys(this.#state.keys);
  }

  toJSON(): { agent: string } {
    return { agent: this.agent };
  }

  [inspect.custom](): string {
    return `Vault { agent: '${this.agent}'${this.#closed ? ", closed" : ""} }`;
  }
}

/** What anyone who can read a vault file sees without a key (names are not secret). */
export interface VaultInfo {
  agent: string;
  location: string;
  createdAt: string;
  generation: number;
  secrets: number;
  keys: KeySlotInfo[];
  /**
   * Secrets whose rotation is overdue or failing, and the rotator each rotated secret names
   * (from metadata, before any unlock).
   */
  rotation: {
    overdue: string[];
    failing: string[];
    rotators: Array<{ name: string; rotator: string }>;
  };
}

/**
 * Describes an agent's stored vault without unlocking it: its key slots and how many secrets
 * it holds. Checks the file's form and checksum, not its keyed integrity.
 * @throws VaultError VAULT_NOT_FOUND | CORRUPT | WRONG_AGENT | INSECURE_PERMISSIONS
 */
export async function readVaultInfo(options: VaultOptions = {}): Promise<VaultInfo> {
  await initCrypto();
  const agent = checkAgentId(options.agent ?? DEFAULT_AGENT);
  const store = resolveStore(options);
  let file: VaultFile;
  try {
    ({ file } = await loadFile(store, agent));
  } finally {
    await releaseStore(options, store);
  }
  return {
    agent,
    location: store.locate(agent),
    createdAt: file.createdAt,
    generation: file.generation,
    secrets: file.secrets.filter((secret) => secret.removedAt === undefined).length,
    keys: file.slots.map(describeSlot),
    rotation: rotationDebt(file, (options.now ?? (() => new Date()))()),
  };
}

function rotationDebt(file: VaultFile, now: Date): VaultInfo["rotation"] {
  const calendar = new ScheduleCalendar();
  const debt: VaultInfo["rotation"] = { overdue: [], failing: [], rotators: [] };
  for (const record of file.secrets) {
    if (record.removedAt !== undefined) continue;
    const rotator = record.rotation?.rotator;
    if (rotator !== undefined) debt.rotators.push({ name: record.name, rotator });
    if (brokenPolicy(record)) {
      debt.failing.push(record.name);
      continue;
    }
    const state = rotationStatus(record, now, calendar)?.state;
    if (state === "overdue") debt.overdue.push(record.name);
    if (state === "failing") debt.failing.push(record.name);
  }
  return debt;
}
