/**
 * The only module that imports libsodium. Everything cryptographic goes through here so the
 * primitives, sizes and encodings are decided in one place.
 *
 * Primitives: XChaCha20-Poly1305-IETF (AEAD), BLAKE2b (keyed MAC / hashing), crypto_kdf
 * (subkeys), Argon2id13 (passphrases), randombytes_buf.
 *
 * Two builds of the same libsodium.js: the standard one (`libsodium-wrappers`) does everything
 * but Argon2id, which only the larger "sumo" build has. The sumo build is loaded only when a
 * passphrase is derived, so a call unlocked by a key file or the keychain starts faster.
 */
import { randomFillSync } from "node:crypto";
import sodium from "libsodium-wrappers";
import type { HashInput } from "./hash-input.js";

/** Key size of every symmetric key we use (XChaCha20-Poly1305, BLAKE2b MAC, KDF master). */
export const KEY_BYTES = 32;
/** XChaCha20-Poly1305 nonce size. */
export const NONCE_BYTES = 24;
/** Poly1305 tag size. */
export const TAG_BYTES = 16;
/** Argon2id salt size. */
export const SALT_BYTES = 16;

let ready: Promise<void> | undefined;

/** Waits for the libsodium WebAssembly module. Every other export needs this to have resolved. */
export function initCrypto(): Promise<void> {
  ready ??= sodium.ready;
  return ready;
}

function expectBytes(name: string, value: Uint8Array, length?: number): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`"${name}" expected Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`"${name}" expected ${length} bytes, got ${value.length}`);
  }
}

/**
 * Cryptographically secure random bytes from the operating system's CSPRNG (Node's
 * `randomFillSync`, the same source libsodium.js uses, without its four-bytes-per-call bridge,
 * which made sealing 10,000 values take a second).
 */
export function randomBytes(length: number): Uint8Array {
  return randomFillSync(new Uint8Array(length));
}

/**
 * Seals `plaintext` with XChaCha20-Poly1305-IETF under `key` and a fresh random nonce.
 * Returns the nonce and the ciphertext (with its tag).
 */
export function seal(
  key: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): { nonce: Uint8Array; ciphertext: Uint8Array } {
  expectBytes("key", key, KEY_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    associatedData,
    null,
    nonce,
    key,
  );
  return { nonce, ciphertext };
}

/** Encrypts with a caller-chosen nonce. Only for test vectors; real sealing uses {@link seal}. */
export function sealWithNonce(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  expectBytes("key", key, KEY_BYTES);
  expectBytes("nonce", nonce, NONCE_BYTES);
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    associatedData,
    null,
    nonce,
    key,
  );
}

/**
 * Opens an XChaCha20-Poly1305-IETF ciphertext. Returns `undefined` when authentication fails
 * (wrong key, wrong associated data, or altered bytes); the caller decides what that means.
 */
export function open(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array | undefined {
  expectBytes("key", key, KEY_BYTES);
  expectBytes("nonce", nonce, NONCE_BYTES);
  if (ciphertext.length < TAG_BYTES) return undefined;
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      ciphertext,
      associatedData,
      nonce,
      key,
    );
  } catch {
    return undefined;
  }
}

/** Above this many bytes, BLAKE2b runs over the message in pieces of this size. */
const HASH_PIECE = 64 * 1024;

/**
 * BLAKE2b of `message`, keyed or not. A one-shot call copies the whole message into the
 * WebAssembly heap first (growing it for a large vault file); the streaming calls give the
 * same digest and copy one piece at a time.
 */
function blake2b(length: number, message: HashInput, key: Uint8Array | null): Uint8Array {
  // Bytes are told from pieces by `isView`, not `instanceof`: bytes made in another realm
  // (a vm context) are bytes too, and libsodium decides whether it takes them.
  const bytes = ArrayBuffer.isView(message);
  if (bytes && message.length <= HASH_PIECE) {
    return sodium.crypto_generichash(length, message, key);
  }
  const state = sodium.crypto_generichash_init(key, length);
  for (const part of bytes ? [message] : message) {
    if (!ArrayBuffer.isView(part)) throw new TypeError("a message piece must be bytes");
    for (let at = 0; at < part.length; at += HASH_PIECE) {
      sodium.crypto_generichash_update(state, part.subarray(at, at + HASH_PIECE));
    }
  }
  return sodium.crypto_generichash_final(state, length);
}

/** BLAKE2b keyed hash (a MAC) of `message`, `length` bytes long (16..64). */
export function mac(key: Uint8Array, message: HashInput, length = 32): Uint8Array {
  expectBytes("key", key, KEY_BYTES);
  return blake2b(length, message, key);
}

/** Unkeyed BLAKE2b hash of `message`. */
export function hash(message: HashInput, length = 32): Uint8Array {
  return blake2b(length, message, null);
}

/** Constant-time equality of two byte arrays (false when the lengths differ). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return sodium.memcmp(a, b);
}

/**
 * Derives a subkey from a master key with libsodium's crypto_kdf (BLAKE2b).
 * `context` is exactly 8 ASCII characters naming the purpose.
 */
export function deriveSubkey(masterKey: Uint8Array, id: number, context: string): Uint8Array {
  expectBytes("masterKey", masterKey, KEY_BYTES);
  if (context.length !== 8) throw new RangeError(`"context" expected 8 characters`);
  return sodium.crypto_kdf_derive_from_key(KEY_BYTES, id, context, masterKey);
}

/** Argon2id cost parameters. */
export interface Argon2Params {
  /** Passes over memory (libsodium opslimit). */
  opsLimit: number;
  /** Memory in bytes (libsodium memlimit). */
  memLimit: number;
}

/**
 * libsodium's named Argon2id cost profiles (`crypto_pwhash_{OPS,MEM}LIMIT_*`, fixed since
 * libsodium 1.0.15; a test compares them with the loaded build's own constants).
 */
const ARGON2_PROFILES = {
  interactive: { opsLimit: 2, memLimit: 64 * 1024 * 1024 },
  moderate: { opsLimit: 3, memLimit: 256 * 1024 * 1024 },
  sensitive: { opsLimit: 4, memLimit: 1024 * 1024 * 1024 },
} as const satisfies Record<string, Argon2Params>;

/** libsodium's named Argon2id cost profiles. */
export function argon2Profile(name: keyof typeof ARGON2_PROFILES): Argon2Params {
  return { ...ARGON2_PROFILES[name] };
}

/** The sumo build, for Argon2id (loaded on first use). */
let sumo: Promise<typeof sodium> | undefined;

/** The libsodium build that has Argon2id. */
export function passphraseSodium(): Promise<typeof sodium> {
  sumo ??= import("libsodium-wrappers-sumo").then(async ({ default: built }) => {
    await built.ready;
    return built as typeof sodium;
  });
  return sumo;
}

/** Argon2id13 bounds we accept from a file before allocating anything. */
export const ARGON2_LIMITS = {
  minOps: 1,
  maxOps: 10,
  minMem: 8 * 1024,
  maxMem: 1024 * 1024 * 1024,
} as const;

/**
 * Derives a 32-byte key from a passphrase with Argon2id13.
 * @throws RangeError when the salt or a cost parameter is out of bounds (before any work)
 */
export async function deriveKeyFromPassphrase(
  passphrase: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
): Promise<Uint8Array> {
  expectBytes("salt", salt, SALT_BYTES);
  const { minOps, maxOps, minMem, maxMem } = ARGON2_LIMITS;
  if (!Number.isInteger(params.opsLimit) || params.opsLimit < minOps || params.opsLimit > maxOps) {
    throw new RangeError(`"opsLimit" expected ${minOps}..${maxOps}, got ${params.opsLimit}`);
  }
  if (!Number.isInteger(params.memLimit) || params.memLimit < minMem || params.memLimit > maxMem) {
    throw new RangeError(`"memLimit" expected ${minMem}..${maxMem} bytes, got ${params.memLimit}`);
  }
  const withArgon2 = await passphraseSodium();
  return withArgon2.crypto_pwhash(
    KEY_BYTES,
    passphrase,
    salt,
    params.opsLimit,
    params.memLimit,
    withArgon2.crypto_pwhash_ALG_ARGON2ID13,
  );
}

/** Overwrites key material in place. */
export function wipe(bytes: Uint8Array | undefined): void {
  if (bytes) sodium.memzero(bytes);
}

/** Standard base64 with padding (what `$AGENT_VAULT_KEY` and key files hold). */
export function toBase64(bytes: Uint8Array): string {
  return sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
}

/** Decodes standard base64; returns `undefined` for anything malformed (never echoes input). */
export function fromBase64(text: string): Uint8Array | undefined {
  try {
    return sodium.from_base64(text, sodium.base64_variants.ORIGINAL);
  } catch {
    return undefined;
  }
}

/** URL-safe base64 without padding (ids and binary fields in the vault file). */
export function toBase64Url(bytes: Uint8Array): string {
  return sodium.to_base64(bytes, sodium.base64_variants.URLSAFE_NO_PADDING);
}

/** Decodes URL-safe unpadded base64; `undefined` for anything malformed. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  try {
    return sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    return undefined;
  }
}

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return sodium.to_hex(bytes);
}

/** Decodes hex; `undefined` for anything malformed. */
export function fromHex(text: string): Uint8Array | undefined {
  try {
    return sodium.from_hex(text);
  } catch {
    return undefined;
  }
}

/**
 * Injective encoding of a list of fields for associated data and MAC input: each field as a
 * 4-byte big-endian length followed by its bytes. `a:b` joins can collide; this cannot.
 */
export function encodeFields(fields: ReadonlyArray<string | Uint8Array | number>): Uint8Array {
  const encoder = new TextEncoder();
  const parts = fields.map((field) => {
    if (typeof field === "number") {
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(field));
      return bytes;
    }
    return typeof field === "string" ? encoder.encode(field) : field;
  });
  const total = parts.reduce((sum, part) => sum + 4 + part.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}
