/**
 * Sealing one secret version: pure functions of a value key, the vault body (whose id, agent
 * and format bind each ciphertext to its place: `valueAd`) and the version.
 */

import { valueAd } from "../crypto/derived-keys.js";
import { fromBase64Url, open, seal, toBase64Url, wipe } from "../crypto/sodium.js";
import { vaultError } from "../errors.js";
import type { SealedVersion, VaultBody } from "../file-format/vault-file.js";

/** Encrypts `value` as version `version` of secret `name`: the nonce and ciphertext, base64url. */
function sealValue(
  valueKey: Uint8Array,
  body: VaultBody,
  name: string,
  version: number,
  value: string,
): { nonce: string; ciphertext: string } {
  const plaintext = new TextEncoder().encode(value);
  try {
    const { nonce, ciphertext } = seal(valueKey, plaintext, valueAd(body, name, version));
    return { nonce: toBase64Url(nonce), ciphertext: toBase64Url(ciphertext) };
  } finally {
    wipe(plaintext);
  }
}

/** A new sealed version of secret `name` holding `value`. */
export function sealVersion(
  valueKey: Uint8Array,
  body: VaultBody,
  name: string,
  version: number,
  value: string,
  createdAt: string,
): SealedVersion {
  return { version, createdAt, ...sealValue(valueKey, body, name, version, value) };
}

/**
 * The value of a sealed version of secret `name`.
 * @throws VaultError TAMPERED (it does not decrypt here, or is not UTF-8 text)
 */
export function openSealed(
  valueKey: Uint8Array,
  body: VaultBody,
  name: string,
  sealed: SealedVersion,
): string {
  const nonce = fromBase64Url(sealed.nonce);
  const ciphertext = fromBase64Url(sealed.ciphertext);
  const plaintext =
    nonce && ciphertext
      ? open(valueKey, nonce, ciphertext, valueAd(body, name, sealed.version))
      : undefined;
  if (!plaintext) {
    throw vaultError(
      "TAMPERED",
      `Version ${sealed.version} of secret ${name} does not decrypt: it was altered or moved.`,
      "Restore the vault file from a backup.",
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(plaintext);
  } catch {
    throw vaultError(
      "TAMPERED",
      `Secret ${name} does not hold UTF-8 text.`,
      "Restore the vault file from a backup.",
    );
  } finally {
    wipe(plaintext);
  }
}

/** The same version sealed again under another value key (a new data key); all else kept. */
export function resealVersion(
  fromKey: Uint8Array,
  toKey: Uint8Array,
  body: VaultBody,
  name: string,
  sealed: SealedVersion,
): SealedVersion {
  const value = openSealed(fromKey, body, name, sealed);
  return { ...sealed, ...sealValue(toKey, body, name, sealed.version, value) };
}
