/**
 * The keys a vault works with, all derived from its data key: the MAC key over the whole file,
 * the value key sealing each version, and the audit key (derived, or carried over in the file
 * after a data-key rekey); and the checks and associated data made with them.
 */

import { vaultError } from "../errors.js";
import { FORMAT_V1, macInput, type VaultBody, type VaultFile } from "../file-format/vault-file.js";
import type { HashInput } from "./hash-input.js";
import {
  bytesEqual,
  deriveSubkey,
  encodeFields,
  fromBase64Url,
  fromHex,
  KEY_BYTES,
  mac,
  open,
  seal,
  toBase64Url,
  toHex,
  wipe,
} from "./sodium.js";

/** A vault's data key and its subkeys. */
export interface VaultKeys {
  dataKey: Uint8Array;
  valueKey: Uint8Array;
  macKey: Uint8Array;
  auditKey: Uint8Array;
}

/**
 * The subkeys of a data key. The audit key is derived from the data key, or, once the data
 * key was replaced, unsealed from the file (so the audit chain outlives data keys).
 * @throws VaultError TAMPERED
 */
export function deriveKeys(dataKey: Uint8Array, file?: VaultBody): VaultKeys {
  const keys = {
    dataKey,
    macKey: deriveSubkey(dataKey, 1, "avmac___"),
    valueKey: deriveSubkey(dataKey, 2, "avvalue_"),
    auditKey: deriveSubkey(dataKey, 3, "avaudit_"),
  };
  const sealed = file?.sealedAuditKey;
  if (!file || !sealed) return keys;
  const wrapKey = deriveSubkey(dataKey, 4, "avauditw");
  const nonce = fromBase64Url(sealed.nonce);
  const ciphertext = fromBase64Url(sealed.ciphertext);
  const auditKey =
    nonce && ciphertext ? open(wrapKey, nonce, ciphertext, auditKeyAd(file)) : undefined;
  wipe(wrapKey);
  if (!auditKey || auditKey.length !== KEY_BYTES) {
    wipeKeys(keys);
    throw vaultError(
      "TAMPERED",
      `The audit key in agent ${file.agent}'s vault does not decrypt: the file was altered.`,
      "Restore the vault file from a backup.",
    );
  }
  wipe(keys.auditKey);
  return { ...keys, auditKey };
}

function auditKeyAd(body: Pick<VaultBody, "vaultId" | "agent">): Uint8Array {
  return encodeFields([`${FORMAT_V1} audit key`, body.vaultId, body.agent]);
}

/** The audit key sealed under a new data key, for the file. */
export function sealAuditKey(
  auditKey: Uint8Array,
  dataKey: Uint8Array,
  body: Pick<VaultBody, "vaultId" | "agent">,
): NonNullable<VaultBody["sealedAuditKey"]> {
  const wrapKey = deriveSubkey(dataKey, 4, "avauditw");
  try {
    const { nonce, ciphertext } = seal(wrapKey, auditKey, auditKeyAd(body));
    return { ciphertext: toBase64Url(ciphertext), nonce: toBase64Url(nonce) };
  } finally {
    wipe(wrapKey);
  }
}

/** The file MAC under `keys`, as hex. */
export function macWith(keys: VaultKeys): (input: HashInput) => string {
  return (input) => toHex(mac(keys.macKey, input));
}

/** Associated data of one sealed version: format, vault, agent, name, version. */
export function valueAd(body: VaultBody, name: string, version: number): Uint8Array {
  return encodeFields([`${FORMAT_V1} value`, body.vaultId, body.agent, name, version]);
}

/**
 * Verifies the keyed MAC and that the file belongs to `agent`.
 * @throws VaultError TAMPERED | WRONG_AGENT
 */
export function verifyFile(file: VaultFile, keys: VaultKeys, where: string): void {
  const expected = fromHex(macWith(keys)(macInput(file)));
  const actual = fromHex(file.mac);
  if (!expected || !actual || !bytesEqual(expected, actual)) {
    throw vaultError(
      "TAMPERED",
      `The vault file ${where} was altered: its keyed integrity check fails.`,
      "Restore it from a backup; do not use it. `vault audit` shows recent writers.",
    );
  }
}

/** Wipes every key of `keys`. */
export function wipeKeys(keys: VaultKeys): void {
  wipe(keys.dataKey);
  wipe(keys.valueKey);
  wipe(keys.macKey);
  wipe(keys.auditKey);
}
