/**
 * The option and result types of the vault's public API (`openVault`, `createVault`, and the
 * methods of `Vault`). Never a value in any of them except where a method returns one.
 */

import type { KeyStore } from "../keys/keystore/keystore.js";
import type { KeySlotInfo } from "../keys/slots.js";
import type { KeySource } from "../keys/sources.js";
import type { HostRotators } from "../rotation/host-rotators.js";
import type { RotationPolicy } from "../rotation/policy.js";
import type { RotationOutcome } from "../rotation/runner.js";
import type { VaultStore } from "../store/store.js";

/** Options shared by {@link openVault} and {@link createVault}. */
export interface VaultOptions {
  /** Agent id (default `main`). */
  agent?: string;
  /**
   * agent-vault home (default `~/.agent-vault`): the file store's folder, or the store its
   * `config.json` names. With `store`, where this host keeps the scanner's fingerprints of the
   * values (without a home, a database store keeps none).
   */
  home?: string;
  /** Storage backend (default: the file store under `home`). */
  store?: VaultStore;
  /** How to unlock. Default: the vault's keychain slot, else its key file, else `prompt`. */
  keySource?: KeySource;
  /** The keychain to use for keychain slots (default: the OS keychain through keytar). */
  keyStore?: KeyStore;
  /** Asks the user for a passphrase (no echo). Used when no key source is given. */
  prompt?: (question: string) => Promise<string>;
  /** Clock (default `() => new Date()`). */
  now?: () => Date;
  /** Who acts, for the audit log (default `<user>@library`). */
  actor?: string;
  /** How long a write waits for the vault lock (default 10 s). */
  lockTimeoutMs?: number;
}

/** Options of {@link createVault}. */
export interface CreateVaultOptions extends VaultOptions {
  /** The first key slot's source (required: never guessed). */
  keySource: KeySource;
  /** Label of the first slot (default: its kind). */
  label?: string;
  /** Versions kept per secret (default 10). */
  historyLimit?: number;
}

/** Metadata of a secret; never its value. */
export interface SecretInfo {
  name: string;
  description?: string;
  tags: string[];
  env?: string;
  /** External ids this secret answers to (OpenClaw SecretRef ids). */
  refs?: string[];
  /** The rotation policy, when the secret has one. */
  rotation?: RotationPolicy;
  /** A rotation has started and not finished (see {@link Vault.rotationStatus}). */
  rotating?: boolean;
  version: number;
  versions: number;
  createdAt: string;
  updatedAt: string;
  removedAt?: string;
}

/** One version in a secret's history; never its value. */
export interface VersionInfo {
  version: number;
  createdAt: string;
  current: boolean;
  /**
   * current; previous (still valid: within the rotation policy's `keep`); retired (kept in
   * history, no longer valid); pending (made by a rotation that has not finished).
   */
  label: "current" | "previous" | "retired" | "pending";
}

/** Options of {@link Vault.set}. Unset fields keep their current value. */
export interface SetOptions {
  description?: string;
  tags?: string[];
  /** Environment variable name to export this secret as. */
  env?: string;
  /** External ids this secret answers to (replaces the list; [] clears it). */
  refs?: string[];
  /** A rotation policy; `null` removes it. */
  rotation?: RotationPolicy | null;
}

/** Events of {@link Vault.on}. */
export type VaultEvent = "rotated" | "changed" | "error";

/** Options of {@link Vault.rekey}. */
export interface RekeyOptions {
  /**
   * Where the new master key lives. Default: a new key of the same kind (a new keychain item);
   * a passphrase or key file slot needs `to` (the new passphrase, a new key file path).
   * `ciKey("")` makes a new CI key, returned once.
   */
  to?: KeySource;
  /** Also replace the data key and re-encrypt every value. */
  dataKey?: boolean;
  /** With `dataKey`: drop slots whose keys are not at hand instead of refusing. */
  dropUnreachable?: boolean;
}

/** What {@link Vault.rekey} did (no key material, except a new CI key shown once). */
export interface RekeyResult {
  slot: KeySlotInfo;
  replaced: KeySlotInfo;
  dataKeyReplaced: boolean;
  rewrapped: KeySlotInfo[];
  dropped: KeySlotInfo[];
  key?: string;
}

/** Options of {@link Vault.rotationStatus}. */
export interface StatusOptions {
  /** The time to report at (default: the vault's clock). */
  now?: Date;
  /** How long a due secret may wait before it counts as overdue (default one day). */
  graceSeconds?: number;
  /** When a scan found each secret's value in a file. */
  exposures?: ReadonlyMap<string, Date>;
}

/** Options of {@link Vault.rotate}. */
export interface RotateOptions {
  /** Only these secrets (each must exist). Default: every due secret. */
  names?: string[];
  /** Rotate `names` even when not due, and without waiting out a failure's backoff. */
  force?: boolean;
  /** Report what would rotate; change nothing. */
  dryRun?: boolean;
  /**
   * The commands this host runs for named rotators (`readHostRotators(home)`: the host's own
   * `rotators.json`). A rotator the vault names that is neither here nor registered in code
   * fails; the vault never chooses a program.
   */
  hostRotators?: HostRotators;
  /** The environment of host rotator commands (`AGENT_VAULT_*` is never passed on). */
  env?: Record<string, string | undefined>;
  /** Receives host rotator commands' stderr, redacted of the values they were given. */
  onOutput?: (name: string, text: string) => void;
  /** Called after each secret. */
  onProgress?: (outcome: RotationOutcome) => void;
  /** When a scan found each secret's value in a file: due now. */
  exposures?: ReadonlyMap<string, Date>;
}

/** Which secrets to export, and how to name them. */
export interface ExportOptions {
  /** Only these secret names (each must exist). */
  only?: string[];
  /** Only secrets with this tag. */
  tag?: string;
  /** Added in front of each exported name. */
  prefix?: string;
  /** What the export is for, recorded in the audit log (e.g. "format=github"). */
  purpose?: string;
  /**
   * Chooses the secrets to export from the live ones (names, refs, tags; never values), with
   * `only` and `tag` still applied: one read of the vault, and only the export records of what
   * is chosen, where a separate `list` would add a record of its own (as a resolver mapping
   * ids to secrets needs). A chosen name that is not a live secret is left out.
   */
  select?: (secrets: readonly SecretInfo[]) => readonly string[];
}

/** One exported secret. */
export interface ExportedSecret {
  /** The secret's name in the vault. */
  name: string;
  /** The environment variable name: prefix + env alias (or name). */
  envName: string;
  value: string;
}

/** A key slot just added, with the key to show once (CI keys). */
export interface AddedKey {
  slot: KeySlotInfo;
  /** For CI keys: base64 key for `$AGENT_VAULT_KEY`. Shown once, never stored in clear. */
  key?: string;
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
