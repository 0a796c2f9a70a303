/**
 * Key sources and key slots. A vault has one random data key; each key slot wraps it under one
 * master key (keychain item, passphrase, key file or CI key), so adding or removing a slot never
 * re-encrypts a secret.
 *
 * Telling a wrong key from a damaged slot: each slot stores a short keyed check of its master
 * key. A master key whose check fails is a wrong key (exit 4); a master key whose check passes
 * but does not unwrap the data key means the slot was altered (exit 5).
 */
import { promises as fs, constants as fsConstants } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { sortedDeep } from "./canonical-json.js";
import {
  argon2Profile,
  bytesEqual,
  deriveKeyFromPassphrase,
  encodeFields,
  fromBase64,
  fromBase64Url,
  KEY_BYTES,
  mac,
  open,
  randomBytes,
  SALT_BYTES,
  seal,
  toBase64,
  toBase64Url,
  toHex,
  wipe,
} from "./crypto.js";
import { ioError, vaultError } from "./errors.js";
import { FORMAT_V1, type KeySlot, type VaultBody } from "./format.js";
import type { KeyStore } from "./keystore/keystore.js";
import { KeytarKeyStore } from "./keystore/keytar.js";

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

/** Public description of a key slot (no key material). */
export interface KeySlotInfo {
  id: string;
  type: KeySlotType;
  label: string;
  createdAt: string;
  /** Keychain account, for keychain slots. */
  account?: string;
  /** Key file path, for key file slots. */
  keyFile?: string;
}

/** Describes a slot without its key material. */
export function describeSlot(slot: KeySlot): KeySlotInfo {
  const info: KeySlotInfo = {
    id: slot.id,
    type: slot.type,
    label: slot.label,
    createdAt: slot.createdAt,
  };
  if (slot.account) info.account = slot.account;
  if (slot.keyFile) info.keyFile = slot.keyFile;
  return info;
}

function slotAd(body: Pick<VaultBody, "vaultId" | "agent">, slotId: string, type: string) {
  return encodeFields([`${FORMAT_V1} slot`, body.vaultId, body.agent, slotId, type]);
}

function checkOf(kek: Uint8Array, body: Pick<VaultBody, "vaultId">, slotId: string): Uint8Array {
  return mac(kek, encodeFields([`${FORMAT_V1} key check`, body.vaultId, slotId]), 16);
}

/** The default keychain when a source does not name one. */
function keyStoreOf(source: Extract<KeySource, { kind: "keychain" }>): KeyStore {
  return source.keyStore ?? new KeytarKeyStore();
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

async function passphraseBytes(source: Extract<KeySource, { kind: "passphrase" }>, isNew = false) {
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

/**
 * Reads a key file, refusing one others can read or that does not hold a key.
 * @throws VaultError KEY_UNAVAILABLE | KEY_FILE_INSECURE
 */
export async function readKeyFile(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    // O_NONBLOCK: a FIFO at a remembered path (vault content) must not hang the opener.
    const handle = await fs.open(
      path,
      fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK,
    );
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw vaultError(
          "KEY_UNAVAILABLE",
          "Refusing the key file: it is not a regular file.",
          "Point --key-file at the file `vault init --key-source keyfile` created.",
        );
      }
      if (stat.size > 4096) {
        throw vaultError(
          "KEY_UNAVAILABLE",
          "The key file does not hold an agent-vault key.",
          "Point --key-file at the file `vault init --key-source keyfile` created.",
        );
      }
      const isPosix = process.platform !== "win32";
      if (isPosix && ((stat.mode & 0o077) !== 0 || stat.uid !== process.getuid?.())) {
        throw vaultError(
          "KEY_FILE_INSECURE",
          "Refusing the key file: other users can access it or another user owns it.",
          "chmod 600 the file given with --key-file (or the one `vault key list` shows), and own it.",
        );
      }
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as { name?: string }).name === "VaultError") throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw vaultError(
      "KEY_UNAVAILABLE",
      `Cannot read the key file (${code ?? "error"}).`,
      "Check --key-file / $AGENT_VAULT_KEY_FILE, or the key file this vault remembers (`vault key list`).",
    );
  }
  const key = fromBase64(text.trim());
  if (!key || key.length !== KEY_BYTES) {
    wipe(key);
    throw vaultError(
      "KEY_UNAVAILABLE",
      "The key file does not hold an agent-vault key.",
      "Point --key-file at the file `vault init --key-source keyfile` created.",
    );
  }
  return key;
}

/**
 * Creates a key file with a fresh key, or reads the existing one. The key is written to a
 * temp file (O_EXCL, 0600, fsynced) and linked into place, so a kill never leaves a
 * half-written key file at `path`.
 */
async function createOrReadKeyFile(path: string): Promise<Uint8Array> {
  const key = randomBytes(KEY_BYTES);
  const temp = `${path}.tmp-${toHex(randomBytes(6))}`;
  try {
    const handle = await fs.open(
      temp,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
      0o600,
    );
    try {
      await handle.writeFile(`${toBase64(key)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(temp, path);
    } finally {
      await fs.unlink(temp).catch(() => undefined);
    }
    // The vault will name this file: its folder entry must survive a power cut too.
    const folder = await fs.open(dirname(path), fsConstants.O_RDONLY).catch(() => undefined);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
    return key;
  } catch (error) {
    wipe(key);
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readKeyFile(path);
    throw ioError(error, "create the key file");
  }
}

/** A slot about to be added, with the master key that opens it. */
export interface NewSlot {
  slot: KeySlot;
  /** For CI slots: the key to show the user once (base64). */
  revealOnce?: string;
  /** Undo side effects outside the vault (a keychain item) if the vault write fails. */
  rollback(): Promise<void>;
}

/** Time-independent parts of a new slot. */
export interface SlotContext {
  vaultId: string;
  agent: string;
  label: string;
  createdAt: string;
}

/**
 * Wraps `dataKey` under a new master key from `source`. Slow work (Argon2id, keychain) happens
 * here, before the caller takes the vault lock.
 * @throws VaultError KEYCHAIN_* | NO_KEY_SOURCE | KEY_UNAVAILABLE | IO_ERROR
 */
export async function createSlot(
  source: KeySource,
  dataKey: Uint8Array,
  context: SlotContext,
): Promise<NewSlot> {
  const id = toBase64Url(randomBytes(8));
  let kek: Uint8Array;
  const extra: Partial<KeySlot> = {};
  let revealOnce: string | undefined;
  let rollback = async () => {};
  switch (source.kind) {
    case "keychain": {
      const keyStore = keyStoreOf(source);
      const account = `${context.agent}/${context.vaultId}/${id}`;
      kek = randomBytes(KEY_BYTES);
      await keyStore.set(account, kek);
      extra.account = account;
      rollback = async () => {
        await keyStore.remove(account).catch(() => undefined);
      };
      break;
    }
    case "passphrase": {
      const passphrase = await passphraseBytes(source, true);
      const params = argon2Profile(source.profile ?? "moderate");
      const salt = randomBytes(SALT_BYTES);
      try {
        kek = deriveKeyFromPassphrase(passphrase, salt, params);
      } finally {
        wipe(passphrase);
      }
      extra.kdf = {
        alg: "argon2id13",
        salt: toBase64Url(salt),
        opsLimit: params.opsLimit,
        memLimit: params.memLimit,
      };
      break;
    }
    case "keyfile": {
      const path = isAbsolute(source.path) ? source.path : resolve(source.path);
      kek = await createOrReadKeyFile(path);
      extra.keyFile = path;
      break;
    }
    case "ci": {
      kek = randomBytes(KEY_BYTES);
      revealOnce = toBase64(kek);
      break;
    }
  }
  try {
    const { nonce, ciphertext } = seal(kek, dataKey, slotAd(context, id, source.kind));
    const slot: KeySlot = sortedDeep({
      id,
      type: source.kind,
      label: context.label,
      createdAt: context.createdAt,
      ...extra,
      nonce: toBase64Url(nonce),
      wrappedKey: toBase64Url(ciphertext),
      check: toBase64Url(checkOf(kek, context, id)),
    });
    return revealOnce === undefined ? { slot, rollback } : { slot, revealOnce, rollback };
  } finally {
    wipe(kek);
  }
}

function noSlot(type: KeySlotType, agent: string) {
  const how: Record<KeySlotType, string> = {
    keychain:
      "unset --passphrase-file, $AGENT_VAULT_PASSPHRASE, $AGENT_VAULT_KEY to use another slot",
    passphrase: "use the key source this vault was created with (see `vault agents`)",
    keyfile: "use the key source this vault was created with (see `vault agents`)",
    ci: "unset $AGENT_VAULT_KEY, or add a CI key with `vault key add-ci NAME`",
  };
  return vaultError(
    "NO_KEY_SOURCE",
    `The vault of agent ${agent} has no ${type} key slot.`,
    `Unlock it another way: ${how[type]}.`,
  );
}

function wrongKey(type: KeySlotType, agent: string) {
  const what: Record<KeySlotType, string> = {
    keychain: "The keychain item does not open",
    passphrase: "Wrong passphrase for",
    keyfile: "The key file does not open",
    ci: "$AGENT_VAULT_KEY does not open (revoked, or from another vault)",
  };
  return vaultError(
    "WRONG_KEY",
    `${what[type]} the vault of agent ${agent}.`,
    type === "ci"
      ? "Use a current CI key (`vault key list` shows them)."
      : "Check the key source, or unlock with another key slot.",
  );
}

function tryUnwrap(body: VaultBody, slot: KeySlot, kek: Uint8Array): Uint8Array | "wrong-key" {
  const check = fromBase64Url(slot.check);
  const isCheckRight = !!check && bytesEqual(check, checkOf(kek, body, slot.id));
  const nonce = fromBase64Url(slot.nonce);
  const wrapped = fromBase64Url(slot.wrappedKey);
  const dataKey =
    nonce && wrapped ? open(kek, nonce, wrapped, slotAd(body, slot.id, slot.type)) : undefined;
  if (dataKey && dataKey.length === KEY_BYTES) {
    if (isCheckRight) return dataKey;
    // The key unwraps the data key, so it is the right key: the check field was altered.
    wipe(dataKey);
    throw vaultError(
      "TAMPERED",
      `Key slot ${slot.label} of agent ${body.agent}'s vault was altered: its key check was edited.`,
      "Restore the vault file from a backup, or unlock with another key slot.",
    );
  }
  wipe(dataKey);
  if (!isCheckRight) return "wrong-key";
  throw vaultError(
    "TAMPERED",
    `Key slot ${slot.label} of agent ${body.agent}'s vault was altered: its key is right but it does not unwrap.`,
    "Restore the vault file from a backup, or unlock with another key slot.",
  );
}

/**
 * Passphrase slots tried per unlock. Each costs an Argon2id run whose parameters come from the
 * (not yet verified) file, so a tampered file must not be able to ask for hundreds of them.
 */
const MAX_PASSPHRASE_TRIES = 4;

/** The slots a source would try, in order, for a vault. */
function candidateSlots(body: VaultBody, type: KeySlotType): KeySlot[] {
  const slots = body.slots.filter((slot) => slot.type === type);
  return type === "passphrase" ? slots.slice(0, MAX_PASSPHRASE_TRIES) : slots;
}

/**
 * Unlocks a vault: finds the slot `source` opens and returns the data key and that slot.
 * Keychain "no item" (which may mean "locked") is KEY_UNAVAILABLE, never a new key.
 * @throws VaultError NO_KEY_SOURCE | KEY_UNAVAILABLE | WRONG_KEY | KEYCHAIN_* | TAMPERED
 */
export async function unlockWithSource(
  body: VaultBody,
  source: KeySource,
): Promise<{ dataKey: Uint8Array; slot: KeySlot }> {
  const slots = candidateSlots(body, source.kind);
  // A CI key whose slot was revoked is a wrong key, not a missing source.
  if (slots.length === 0)
    throw source.kind === "ci" ? wrongKey("ci", body.agent) : noSlot(source.kind, body.agent);
  switch (source.kind) {
    case "keychain": {
      const keyStore = keyStoreOf(source);
      for (const slot of slots) {
        if (!slot.account) continue;
        const kek = await keyStore.get(slot.account);
        if (!kek) continue;
        try {
          const result = tryUnwrap(body, slot, kek);
          if (result !== "wrong-key") return { dataKey: result, slot };
        } finally {
          wipe(kek);
        }
        throw wrongKey("keychain", body.agent);
      }
      throw vaultError(
        "KEY_UNAVAILABLE",
        `The OS keychain has no key for agent ${body.agent} (the keychain is locked, or the item was removed).`,
        "Unlock the keychain (log in to the desktop session), or unlock with another slot: $AGENT_VAULT_KEY, --passphrase-file, --key-file.",
      );
    }
    case "passphrase": {
      const passphrase = await passphraseBytes(source);
      try {
        for (const slot of slots) {
          const kdf = slot.kdf;
          const salt = kdf ? fromBase64Url(kdf.salt) : undefined;
          if (!kdf || !salt || salt.length !== SALT_BYTES) continue;
          const kek = deriveKeyFromPassphrase(passphrase, salt, kdf);
          try {
            const result = tryUnwrap(body, slot, kek);
            if (result !== "wrong-key") return { dataKey: result, slot };
          } finally {
            wipe(kek);
          }
        }
      } finally {
        wipe(passphrase);
      }
      throw wrongKey("passphrase", body.agent);
    }
    case "keyfile": {
      const kek = await readKeyFile(source.path);
      return unlockWithKey(body, slots, kek, "keyfile");
    }
    case "ci": {
      const kek = fromBase64(source.key.trim());
      if (!kek || kek.length !== KEY_BYTES) {
        wipe(kek);
        throw vaultError(
          "WRONG_KEY",
          "$AGENT_VAULT_KEY is not an agent-vault CI key (expected base64 of 32 bytes).",
          "Copy the key `vault key add-ci NAME` printed, whole, into the CI secret.",
        );
      }
      return unlockWithKey(body, slots, kek, "ci");
    }
  }
}

function unlockWithKey(body: VaultBody, slots: KeySlot[], kek: Uint8Array, type: KeySlotType) {
  try {
    for (const slot of slots) {
      const result = tryUnwrap(body, slot, kek);
      if (result !== "wrong-key") return { dataKey: result, slot };
    }
  } finally {
    wipe(kek);
  }
  throw wrongKey(type, body.agent);
}

/**
 * The key source a vault opens with when the caller names none: its keychain slot, else its
 * key file slot (at the remembered path), else its passphrase slot through `prompt`.
 * @throws VaultError NO_KEY_SOURCE
 */
export function defaultKeySource(
  body: VaultBody,
  options: { keyStore?: KeyStore; prompt?: (question: string) => Promise<string> },
): KeySource {
  const first = (type: KeySlotType) => body.slots.find((slot) => slot.type === type);
  if (first("keychain")) return keychainKey(options.keyStore);
  const keyFile = first("keyfile")?.keyFile;
  if (keyFile) return keyFileKey(keyFile);
  const { prompt } = options;
  if (first("passphrase") && prompt) {
    return passphraseKey(() => prompt(`Passphrase for agent ${body.agent}: `));
  }
  throw vaultError(
    "NO_KEY_SOURCE",
    `No key source given for the vault of agent ${body.agent}.`,
    "Set $AGENT_VAULT_PASSPHRASE or --passphrase-file (passphrase slot), --key-file, or $AGENT_VAULT_KEY (CI key).",
  );
}

/**
 * The master key of `slot` when it can be had without asking anyone: a keychain item or a
 * readable key file. Passphrase and CI slots (their keys are not stored): undefined.
 */
export async function reachSlotKey(
  slot: KeySlot,
  keyStore: KeyStore | undefined,
): Promise<Uint8Array | undefined> {
  try {
    if (slot.type === "keychain" && slot.account) {
      return (await (keyStore ?? new KeytarKeyStore()).get(slot.account)) ?? undefined;
    }
    if (slot.type === "keyfile" && slot.keyFile) return await readKeyFile(slot.keyFile);
  } catch {
    // Locked keychain, missing file: not reachable.
  }
  return undefined;
}

/**
 * `slot` re-wrapping `newDataKey` under the same master key `kek` (same id, label and type),
 * for a new data key. Undefined when `kek` is not this slot's key.
 * @throws VaultError TAMPERED (the slot was altered)
 */
export function rewrapSlot(
  body: VaultBody,
  slot: KeySlot,
  kek: Uint8Array,
  newDataKey: Uint8Array,
): KeySlot | undefined {
  const old = tryUnwrap(body, slot, kek);
  if (old === "wrong-key") return undefined;
  wipe(old);
  const { nonce, ciphertext } = seal(kek, newDataKey, slotAd(body, slot.id, slot.type));
  return sortedDeep({ ...slot, nonce: toBase64Url(nonce), wrappedKey: toBase64Url(ciphertext) });
}
