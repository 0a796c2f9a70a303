/**
 * The `Vault` class: the public face of an unlocked vault. Each method is a short delegation
 * to the module of its capability (secrets.ts, export.ts, rotation.ts, slots.ts, rekey.ts,
 * events.ts), all working through one `VaultCore` (core.ts).
 */
import { inspect } from "node:util";
import type { AuditEntry } from "../audit.js";
import { readAudit, verifyAudit } from "../audit.js";
import type { KeyStore } from "../keys/keystore/keystore.js";
import type { KeySlotInfo } from "../keys/slots.js";
import type { KeySource } from "../keys/sources.js";
import type { RotationPolicy } from "../rotation/policy.js";
import type { Rotator } from "../rotation/rotators.js";
import type { RotationOutcome } from "../rotation/runner.js";
import type { RotationStatus } from "../rotation/schedule.js";
import type { RunOptions } from "../run/spawn.js";
import { SecretValue } from "../secret-value.js";
import type { VaultCore } from "./core.js";
import { VaultEvents } from "./events.js";
import { exportSecrets, runCommand } from "./export.js";
import { rekeyVault } from "./rekey.js";
import { VaultRotation } from "./rotation.js";
import {
  getValue,
  hasSecret,
  listSecrets,
  purgeSecret,
  removeSecret,
  resolveReference,
  rollbackSecret,
  secretHistory,
  setMany,
  updateSecret,
} from "./secrets.js";
import { addSlot, listSlots, revokeSlot, unlockedWith } from "./slots.js";
import type {
  AddedKey,
  ExportedSecret,
  ExportOptions,
  RekeyOptions,
  RekeyResult,
  RotateOptions,
  SecretInfo,
  SetOptions,
  StatusOptions,
  VaultEvent,
  VersionInfo,
} from "./types.js";

/** An unlocked vault. Create with {@link openVault} or {@link createVault}; {@link Vault.close} when done. */
export class Vault {
  /** The agent this vault belongs to. */
  readonly agent: string;
  readonly #core: VaultCore;
  readonly #rotation: VaultRotation;
  readonly #events: VaultEvents;

  /** @internal Use {@link openVault}. */
  constructor(core: VaultCore) {
    this.agent = core.agent;
    this.#core = core;
    this.#rotation = new VaultRotation(core);
    this.#events = new VaultEvents(core);
  }

  /** Where the vault is stored (a path for the file store). */
  get location(): string {
    return this.#core.state.store.locate(this.agent);
  }

  /** Appends audit records under this vault's key. Operations call it; so may agent code. */
  async recordAudit(entries: AuditEntry | AuditEntry[]): Promise<void> {
    await this.#core.recordAudit(entries);
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
    return setMany(this.#core, entries);
  }

  /**
   * The current value of `name` (or an older kept version) as plain text.
   * @throws VaultError SECRET_NOT_FOUND | VERSION_NOT_FOUND | TAMPERED
   */
  async get(name: string, options: { version?: number } = {}): Promise<string> {
    return getValue(this.#core, name, options);
  }

  /**
   * The current value a vault reference (`vault://AGENT/NAME`, what `vault scan --fix` leaves
   * behind) stands for. Only this vault's own agent's references resolve here. Audited like
   * {@link Vault.get}, with `purpose` (default `resolve`) as the record's detail.
   * @throws VaultError INVALID_INPUT (not one reference) | NO_KEY_SOURCE (another agent's
   *   reference: open that agent's vault with its key) | SECRET_NOT_FOUND | TAMPERED
   */
  async resolve(reference: string, options: { purpose?: string } = {}): Promise<string> {
    return resolveReference(this.#core, reference, options);
  }

  /**
   * The current values of the selected secrets, for export to an environment: each under its
   * env alias (or its name), with `prefix` added. One audit record per secret, naming the
   * secret and `purpose` (e.g. `format=github`), never the value.
   * @throws VaultError SECRET_NOT_FOUND (a name in `only`) | INVALID_INPUT | TAMPERED
   */
  async exportSecrets(options: ExportOptions = {}): Promise<ExportedSecret[]> {
    return exportSecrets(this.#core, options);
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
    return runCommand(this.#core, command, args, options);
  }

  /**
   * The current value of `name` (or an older kept version) as a {@link SecretValue}: printing
   * or logging it shows `[redacted]`; `.reveal()` gives the text where it is handed on.
   * @throws VaultError SECRET_NOT_FOUND | VERSION_NOT_FOUND | TAMPERED
   */
  async getSecret(name: string, options: { version?: number } = {}): Promise<SecretValue> {
    return new SecretValue(name, await this.get(name, options));
  }

  /**
   * The same as {@link Vault.getSecret}.
   * @deprecated Use `getSecret`: this returns a wrapped value, and `SecretValue.reveal()` is
   *   what gives the text. Kept for one release.
   */
  async reveal(name: string, options: { version?: number } = {}): Promise<SecretValue> {
    return this.getSecret(name, options);
  }

  /** True when `name` holds a value (not removed). */
  async has(name: string): Promise<boolean> {
    return hasSecret(this.#core, name);
  }

  /** Names and metadata, sorted by name; removed secrets only with `includeRemoved`. */
  async list(options: { includeRemoved?: boolean } = {}): Promise<SecretInfo[]> {
    return listSecrets(this.#core, options);
  }

  /** Removes `name`; its history stays until {@link Vault.purge}. @throws VaultError SECRET_NOT_FOUND */
  async remove(name: string): Promise<void> {
    await removeSecret(this.#core, name);
  }

  /** Deletes `name` and all its history for good. @throws VaultError SECRET_NOT_FOUND */
  async purge(name: string): Promise<void> {
    await purgeSecret(this.#core, name);
  }

  /** The kept versions of `name`, oldest first. @throws VaultError SECRET_NOT_FOUND */
  async history(name: string): Promise<VersionInfo[]> {
    return secretHistory(this.#core, name);
  }

  /**
   * Makes version `to` current again, as a new version with the same value (history stays
   * linear). Restores a removed secret too.
   * @throws VaultError SECRET_NOT_FOUND | VERSION_NOT_FOUND
   */
  async rollback(name: string, to: number): Promise<SecretInfo> {
    return rollbackSecret(this.#core, name, to);
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
    return updateSecret(this.#core, name, options);
  }

  /**
   * Registers a rotator for secrets whose policy names it (`rotator: "openai"`): agent code
   * that rotates keys through a provider's API.
   * @throws TypeError when the name or the rotator is malformed
   */
  registerRotator(name: string, rotator: Rotator): void {
    this.#rotation.register(name, rotator);
  }

  /**
   * The rotation status of every secret with a policy, sorted by name. Reads nothing secret.
   * `exposures`: when a scan last found each secret's value in a file (due from then on).
   */
  async rotationStatus(options: StatusOptions = {}): Promise<RotationStatus[]> {
    return this.#rotation.status(options);
  }

  /**
   * Runs the due rotations (or, with `names`, those secrets; with `force`, even when not due)
   * through the staged protocol. A failure of one secret does not stop the others.
   * @throws VaultError SECRET_NOT_FOUND (a name in `names`) | USAGE (force without names)
   */
  async rotate(options: RotateOptions = {}): Promise<RotationOutcome[]> {
    return this.#rotation.rotate(options);
  }

  /**
   * Abandons the rotation in progress for `name`: its PENDING value is discarded and CURRENT
   * stays. For a rotation whose pending value can never be applied.
   * @throws VaultError SECRET_NOT_FOUND
   */
  async cancelRotation(name: string): Promise<boolean> {
    return this.#rotation.cancel(name);
  }

  /** The key slots that open this vault (no key material). */
  keys(): KeySlotInfo[] {
    return listSlots(this.#core);
  }

  /** The slot this vault was unlocked with. */
  get unlockedWith(): KeySlotInfo {
    return unlockedWith(this.#core);
  }

  /**
   * Adds a key slot wrapping this vault's data key under a new master key.
   * For a CI key (`ciKey` source with an empty key, or {@link Vault.addCiKey}) the new key is
   * returned once.
   * @throws VaultError INVALID_INPUT (label taken) | KEYCHAIN_* | BUSY | IO_ERROR
   */
  async addKey(source: KeySource, label: string): Promise<AddedKey> {
    return addSlot(this.#core, source, label);
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
    return revokeSlot(this.#core, label, options);
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
    return rekeyVault(this.#core, options);
  }

  /** Checks this agent's audit log chain (see `verifyAudit`). */
  async verifyAudit() {
    const core = this.#core;
    return core.operation(() =>
      verifyAudit(core.state.store, this.agent, core.state.keys.auditKey),
    );
  }

  /** This agent's audit records, oldest first. */
  async auditRecords() {
    this.#core.assertOpen();
    return readAudit(this.#core.state.store, this.agent);
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
    this.#events.add(event, listener as (payload: unknown) => void);
    return this;
  }

  /** Resolves once the watch the first {@link Vault.on} started is in place. */
  async listening(): Promise<void> {
    await this.#events.listening();
  }

  /** Removes a listener added with {@link Vault.on}. */
  off(event: VaultEvent, listener: (payload: never) => void): this {
    this.#events.remove(event, listener as (payload: unknown) => void);
    return this;
  }

  /**
   * Wipes the keys from memory (and closes a store the vault opened itself). The vault cannot
   * be used afterwards; operations already running finish first, with their keys.
   */
  close(): void {
    this.#core.close();
  }

  toJSON(): { agent: string } {
    return { agent: this.agent };
  }

  [inspect.custom](): string {
    return `Vault { agent: '${this.agent}'${this.#core.closed ? ", closed" : ""} }`;
  }
}
