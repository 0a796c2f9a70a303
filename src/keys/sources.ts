/**
 * Key sources as an ordered registry (99designs/keyring's model): one entry per kind of
 * master key (keychain item, key file, passphrase, CI key) with what that kind does: make a
 * new master key for a slot, unlock with it, reach a slot's key without asking anyone, the
 * source a vault opens with when none is named, and the words of its errors. The order of
 * {@link KEY_SOURCES} is the order a vault's slots are tried without a named source.
 * slots.ts does the slot cryptography around them (wrap, check, unwrap).
 */
import { isAbsolute, resolve } from "node:path";
import {
  argon2Profile,
  deriveKeyFromPassphrase,
  fromBase64,
  fromBase64Url,
  KEY_BYTES,
  randomBytes,
  SALT_BYTES,
  toBase64,
  toBase64Url,
  wipe,
} from "../crypto/sodium.js";
import { vaultError } from "../errors.js";
import type { KeySlot } from "../file-format/vault-file.js";
import { createOrReadKeyFile, readKeyFile } from "./key-file.js";
import { defaultKeyStore } from "./keystore/default.js";
import type { KeyStore } from "./keystore/keystore.js";

/** Argon2id cost profile names (libsodium's). */
export type KdfProfile = "interactive" | "moderate" | "sensitive";

/** Where a master key comes from. Build one with the helpers below. */
export type KeySource =
  | { kind: "keychain"; keyStore?: KeyStore }
  | {
      kind: "passphrase";
      /** The passphrase, or a function that asks for it (a no-echo prompt). */
      passphrase: string | (() => Promise<string>);
      /** Argon2id cost for a new slot (default "moderate"). Stored in the slot. */
      profile?: KdfProfile;
    }
  | { kind: "keyfile"; path: string }
  | { kind: "ci"; key: string };

/** The kinds of key slot. */
export type KeySlotType = KeySlot["type"];

/** The OS keychain (keytar), or the given {@link KeyStore}. */
export function keychainKey(keyStore?: KeyStore): KeySource {
  return keyStore ? { kind: "keychain", keyStore } : { kind: "keychain" };
}

/** A passphrase, stretched with Argon2id. */
export function passphraseKey(
  passphrase: string | (() => Promise<string>),
  profile?: KdfProfile,
): KeySource {
  return profile ? { kind: "passphrase", passphrase, profile } : { kind: "passphrase", passphrase };
}

/** A key file (base64 of 32 random bytes, mode 0600). */
export function keyFileKey(path: string): KeySource {
  return { kind: "keyfile", path };
}

/** A CI key (`$AGENT_VAULT_KEY`, base64), as printed by `vault key add-ci`. */
export function ciKey(key: string): KeySource {
  return { kind: "ci", key };
}

/**
 * The key source the `vault` CLI takes from its environment, for agent code that wants the
 * same behaviour (opt-in: the library itself never reads the environment). In order:
 * `AGENT_VAULT_KEY` (a CI key), `AGENT_VAULT_PASSPHRASE`, `AGENT_VAULT_KEY_FILE`,
 * `AGENT_VAULT_KEY_DIR` (its `<agent>.key`). `undefined` when none is set: the vault's own
 * default applies (its keychain item, its remembered key file, or `prompt`).
 *
 * ```ts
 * const vault = await openVault({ agent: "main", keySource: keySourceFromEnv(process.env) });
 * ```
 */
export function keySourceFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: { agent?: string; cwd?: string } = {},
): KeySource | undefined {
  const cwd = options.cwd ?? process.cwd();
  const path = (given: string) => (isAbsolute(given) ? given : resolve(cwd, given));
  if (env.AGENT_VAULT_KEY) return ciKey(env.AGENT_VAULT_KEY);
  if (env.AGENT_VAULT_PASSPHRASE) return passphraseKey(env.AGENT_VAULT_PASSPHRASE);
  if (env.AGENT_VAULT_KEY_FILE) return keyFileKey(path(env.AGENT_VAULT_KEY_FILE));
  if (env.AGENT_VAULT_KEY_DIR) {
    return keyFileKey(resolve(path(env.AGENT_VAULT_KEY_DIR), `${options.agent ?? "main"}.key`));
  }
  return undefined;
}

/** The shortest passphrase a new key slot takes, however the passphrase arrives. */
export const MIN_NEW_PASSPHRASE_LENGTH = 12;

/**
 * The rule for a new passphrase (init, rekey, key add), the same from a prompt, a file, the
 * environment or agent code. Length is counted in characters (code points).
 * @throws VaultError INVALID_INPUT
 */
export function checkNewPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_NEW_PASSPHRASE_LENGTH) {
    throw vaultError(
      "INVALID_INPUT",
      `The new passphrase is shorter than ${MIN_NEW_PASSPHRASE_LENGTH} characters.`,
      "Use a longer one (a few random words).",
    );
  }
}

/** The source of kind `K`. */
type SourceOf<K extends KeySlotType> = Extract<KeySource, { kind: K }>;

/** Opens `slot` with master key `kek`: its data key, or "wrong-key". @throws VaultError TAMPERED */
export type Unwrap = (slot: KeySlot, kek: Uint8Array) => Uint8Array | "wrong-key";

/** A new master key for a slot, with what the slot stores about it. */
export interface NewMasterKey {
  kek: Uint8Array;
  /** Fields the slot keeps (keychain account, key file path, KDF parameters). */
  extra: Partial<KeySlot>;
  /** A key to show the user once (a CI key). */
  revealOnce?: string;
  /** Undoes a side effect outside the vault (a keychain item) when the vault write fails. */
  rollback?: () => Promise<void>;
}

/** Where an unlock is: the vault's agent and the slots of this kind to try, in order. */
export interface UnlockTarget {
  agent: string;
  slots: KeySlot[];
  unwrap: Unwrap;
}

/** What one kind of master key does. */
export interface KeySourceKind<K extends KeySlotType = KeySlotType> {
  kind: K;
  /** A new master key for a slot whose keychain account would be `account`. Slow work happens here. */
  create(source: SourceOf<K>, account: string): Promise<NewMasterKey>;
  /** The data key and slot of the first slot `source` opens. @throws VaultError WRONG_KEY | KEY_UNAVAILABLE | ... */
  unlock(
    source: SourceOf<K>,
    target: UnlockTarget,
  ): Promise<{ dataKey: Uint8Array; slot: KeySlot }>;
  /** The master key of `slot` when it can be had without asking anyone (a stored key). */
  reach(slot: KeySlot, keyStore: KeyStore | undefined): Promise<Uint8Array | undefined>;
  /** The source a vault opens with when none is named and it has `slot`; undefined: none without the user. */
  fallback(
    slot: KeySlot,
    options: { keyStore?: KeyStore; prompt?: (question: string) => Promise<string> },
    agent: string,
  ): KeySource | undefined;
  /**
   * Deletes what holds `slot`'s master key outside the vault once the slot is gone (a keychain
   * item): true when something was removed, false when that failed, undefined: nothing to do.
   */
  forget?(slot: KeySlot, keyStore: KeyStore | undefined): Promise<boolean | undefined>;
  /** A source for a new master key of this kind that needs nobody to give it (rekey). */
  renew?(keyStore: KeyStore | undefined): KeySource;
  /** Slots of this kind one unlock tries at most (and so the most a vault may have). */
  maxSlots?: number;
  hints: {
    /** How to unlock when the vault has no slot of this kind. */
    noSlot: string;
    /** The start of the wrong-key message ("... the vault of agent X.") and its hint. */
    wrongKey: string;
    wrongKeyHint: string;
    /** How to give a new key of this kind. */
    newKey: string;
  };
}

const OTHER_KEY = "Check the key source, or unlock with another key slot.";
const ORIGINAL_SOURCE = "use the key source this vault was created with (see `vault agents`)";

export function wrongKey(kind: KeySlotType, agent: string) {
  const { hints } = keySourceKind(kind);
  return vaultError(
    "WRONG_KEY",
    `${hints.wrongKey} the vault of agent ${agent}.`,
    hints.wrongKeyHint,
  );
}

async function passphraseBytes(source: SourceOf<"passphrase">, isNew = false) {
  const text =
    typeof source.passphrase === "function" ? await source.passphrase() : source.passphrase;
  if (typeof text !== "string" || text.length === 0) {
    throw vaultError(
      "NO_KEY_SOURCE",
      "An empty passphrase was given.",
      "Type the passphrase, or set --passphrase-file / $AGENT_VAULT_PASSPHRASE.",
    );
  }
  if (isNew) checkNewPassphrase(text);
  return new TextEncoder().encode(text);
}

/** Tries `kek` on each slot; the first it opens. @throws VaultError WRONG_KEY */
function unlockWithKey(kind: KeySlotType, target: UnlockTarget, kek: Uint8Array) {
  try {
    for (const slot of target.slots) {
      const result = target.unwrap(slot, kek);
      if (result !== "wrong-key") return { dataKey: result, slot };
    }
  } finally {
    wipe(kek);
  }
  throw wrongKey(kind, target.agent);
}

const keychain: KeySourceKind<"keychain"> = {
  kind: "keychain",
  async create(source, account) {
    const keyStore = defaultKeyStore(source.keyStore);
    const kek = randomBytes(KEY_BYTES);
    await keyStore.set(account, kek);
    const rollback = async () => {
      await keyStore.remove(account).catch(() => undefined);
    };
    return { kek, extra: { account }, rollback };
  },
  async unlock(source, { agent, slots, unwrap }) {
    const keyStore = defaultKeyStore(source.keyStore);
    for (const slot of slots) {
      if (!slot.account) continue;
      const kek = await keyStore.get(slot.account);
      if (!kek) continue;
      try {
        const result = unwrap(slot, kek);
        if (result !== "wrong-key") return { dataKey: result, slot };
      } finally {
        wipe(kek);
      }
      throw wrongKey("keychain", agent);
    }
    throw vaultError(
      "KEY_UNAVAILABLE",
      `The OS keychain has no key for agent ${agent} (the keychain is locked, or the item was removed).`,
      "Unlock the keychain (log in to the desktop session), or unlock with another slot: $AGENT_VAULT_KEY, --passphrase-file, --key-file.",
    );
  },
  async reach(slot, keyStore) {
    return slot.account ? await defaultKeyStore(keyStore).get(slot.account) : undefined;
  },
  fallback: (_slot, options) => keychainKey(options.keyStore),
  async forget(slot, keyStore) {
    if (!slot.account) return undefined;
    return defaultKeyStore(keyStore)
      .remove(slot.account)
      .catch(() => false);
  },
  renew: (keyStore) => keychainKey(keyStore),
  hints: {
    noSlot:
      "unset --passphrase-file, $AGENT_VAULT_PASSPHRASE, $AGENT_VAULT_KEY to use another slot",
    wrongKey: "The keychain item does not open",
    wrongKeyHint: OTHER_KEY,
    newKey: "Name the key to use with --to (keychain, keyfile or passphrase).",
  },
};

const keyfile: KeySourceKind<"keyfile"> = {
  kind: "keyfile",
  async create(source) {
    const path = isAbsolute(source.path) ? source.path : resolve(source.path);
    return { kek: await createOrReadKeyFile(path), extra: { keyFile: path } };
  },
  async unlock(source, target) {
    return unlockWithKey("keyfile", target, await readKeyFile(source.path));
  },
  async reach(slot) {
    return slot.keyFile ? await readKeyFile(slot.keyFile) : undefined;
  },
  fallback: (slot) => (slot.keyFile ? keyFileKey(slot.keyFile) : undefined),
  hints: {
    noSlot: ORIGINAL_SOURCE,
    wrongKey: "The key file does not open",
    wrongKeyHint: OTHER_KEY,
    newKey: "Name a new key file with --new-key-file.",
  },
};

/**
 * Passphrase slots tried per unlock. Each costs an Argon2id run whose parameters come from the
 * (not yet verified) file, so a tampered file must not be able to ask for hundreds of them.
 */
const MAX_PASSPHRASE_TRIES = 4;

const passphrase: KeySourceKind<"passphrase"> = {
  kind: "passphrase",
  async create(source) {
    const bytes = await passphraseBytes(source, true);
    const params = argon2Profile(source.profile ?? "moderate");
    const salt = randomBytes(SALT_BYTES);
    let kek: Uint8Array;
    try {
      kek = await deriveKeyFromPassphrase(bytes, salt, params);
    } finally {
      wipe(bytes);
    }
    const kdf = {
      alg: "argon2id13" as const,
      salt: toBase64Url(salt),
      opsLimit: params.opsLimit,
      memLimit: params.memLimit,
    };
    return { kek, extra: { kdf } };
  },
  async unlock(source, { agent, slots, unwrap }) {
    const bytes = await passphraseBytes(source);
    try {
      for (const slot of slots) {
        const kdf = slot.kdf;
        const salt = kdf ? fromBase64Url(kdf.salt) : undefined;
        if (!kdf || !salt || salt.length !== SALT_BYTES) continue;
        const kek = await deriveKeyFromPassphrase(bytes, salt, kdf);
        try {
          const result = unwrap(slot, kek);
          if (result !== "wrong-key") return { dataKey: result, slot };
        } finally {
          wipe(kek);
        }
      }
    } finally {
      wipe(bytes);
    }
    throw wrongKey("passphrase", agent);
  },
  // Not stored anywhere: only the user has it.
  reach: async () => undefined,
  fallback: (_slot, { prompt }, agent) =>
    prompt ? passphraseKey(() => prompt(`Passphrase for agent ${agent}: `)) : undefined,
  maxSlots: MAX_PASSPHRASE_TRIES,
  hints: {
    noSlot: ORIGINAL_SOURCE,
    wrongKey: "Wrong passphrase for",
    wrongKeyHint: OTHER_KEY,
    newKey: "Give the new passphrase (--new-passphrase-file, or the prompt on a terminal).",
  },
};

const ci: KeySourceKind<"ci"> = {
  kind: "ci",
  async create() {
    const kek = randomBytes(KEY_BYTES);
    return { kek, extra: {}, revealOnce: toBase64(kek) };
  },
  async unlock(source, target) {
    const kek = fromBase64(source.key.trim());
    if (!kek || kek.length !== KEY_BYTES) {
      wipe(kek);
      throw vaultError(
        "WRONG_KEY",
        "$AGENT_VAULT_KEY is not an agent-vault CI key (expected base64 of 32 bytes).",
        "Copy the key `vault key add-ci NAME` printed, whole, into the CI secret.",
      );
    }
    return unlockWithKey("ci", target, kek);
  },
  // Shown once, never stored.
  reach: async () => undefined,
  fallback: () => undefined,
  hints: {
    noSlot: "unset $AGENT_VAULT_KEY, or add a CI key with `vault key add-ci NAME`",
    wrongKey: "$AGENT_VAULT_KEY does not open (revoked, or from another vault)",
    wrongKeyHint: "Use a current CI key (`vault key list` shows them).",
    newKey: "CI keys are replaced with vault key add-ci NAME and vault key revoke NAME.",
  },
};

/** Every kind of key source, in the order a vault's slots are tried when no source is named. */
export const KEY_SOURCES: readonly KeySourceKind[] = [
  keychain,
  keyfile,
  passphrase,
  ci,
] as readonly KeySourceKind[];

/** The registry entry of `kind`. */
export function keySourceKind<K extends KeySlotType>(kind: K): KeySourceKind<K> {
  const entry = KEY_SOURCES.find((candidate) => candidate.kind === kind);
  if (!entry) throw vaultError("INTERNAL", `No key source of kind ${kind}.`, "Report this bug.");
  return entry as unknown as KeySourceKind<K>;
}
