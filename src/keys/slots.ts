/**
 * Key slots (the kinds of key source: sources.ts). A vault has one random data key; each key slot wraps it under one
 * master key (keychain item, passphrase, key file or CI key), so adding or removing a slot never
 * re-encrypts a secret.
 *
 * Telling a wrong key from a damaged slot: each slot stores a short keyed check of its master
 * key. A master key whose check fails is a wrong key (exit 4); a master key whose check passes
 * but does not unwrap the data key means the slot was altered (exit 5).
 */

import {
  bytesEqual,
  encodeFields,
  fromBase64Url,
  KEY_BYTES,
  mac,
  open,
  randomBytes,
  seal,
  toBase64Url,
  wipe,
} from "../crypto/sodium.js";
import { vaultError } from "../errors.js";
import { sortedDeep } from "../file-format/canonical-json.js";
import { FORMAT_V1, type KeySlot, type VaultBody } from "../file-format/vault-file.js";
import type { KeyStore } from "./keystore/keystore.js";
import {
  KEY_SOURCES,
  type KeySlotType,
  type KeySource,
  type KeySourceKind,
  keySourceKind,
  wrongKey,
} from "./sources.js";

/** Also named here for importers that take it with the slot functions. */
export { keyFileKey } from "./sources.js";

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
  const account = `${context.agent}/${context.vaultId}/${id}`;
  const made = await (keySourceKind(source.kind) as KeySourceKind).create(source, account);
  const { kek, extra, revealOnce } = made;
  const rollback = made.rollback ?? (async () => {});
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
  return vaultError(
    "NO_KEY_SOURCE",
    `The vault of agent ${agent} has no ${type} key slot.`,
    `Unlock it another way: ${keySourceKind(type).hints.noSlot}.`,
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

/** The slots a source would try, in order, for a vault. */
function candidateSlots(body: VaultBody, type: KeySlotType): KeySlot[] {
  const slots = body.slots.filter((slot) => slot.type === type);
  const most = keySourceKind(type).maxSlots;
  return most === undefined ? slots : slots.slice(0, most);
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
  if (slots.length === 0) {
    throw source.kind === "ci" ? wrongKey("ci", body.agent) : noSlot(source.kind, body.agent);
  }
  const unwrap = (slot: KeySlot, kek: Uint8Array) => tryUnwrap(body, slot, kek);
  const kind = keySourceKind(source.kind) as KeySourceKind;
  return kind.unlock(source, { agent: body.agent, slots, unwrap });
}

/**
 * The key source a vault opens with when the caller names none: the first kind in
 * {@link KEY_SOURCES} order with a slot in the vault that opens without a named source (its
 * keychain slot, else its key file slot at the remembered path, else its passphrase slot
 * through `prompt`).
 * @throws VaultError NO_KEY_SOURCE
 */
export function defaultKeySource(
  body: VaultBody,
  options: { keyStore?: KeyStore; prompt?: (question: string) => Promise<string> },
): KeySource {
  for (const kind of KEY_SOURCES) {
    const slot = body.slots.find((candidate) => candidate.type === kind.kind);
    const source = slot && kind.fallback(slot, options, body.agent);
    if (source) return source;
  }
  throw vaultError(
    "NO_KEY_SOURCE",
    `No key source given for the vault of agent ${body.agent}.`,
    "Give a key source: --passphrase-file, --key-file or $AGENT_VAULT_KEY for the CLI; in agent code a keySource (passphraseKey, keyFileKey, ciKey), or keySourceFromEnv(process.env) to read those variables.",
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
    return (await keySourceKind(slot.type).reach(slot, keyStore)) ?? undefined;
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
