/**
 * The vault file format, version 1: strict parse and canonical encode.
 *
 * The file is one line of canonical JSON (sorted keys, no spaces) and a newline. Two integrity
 * fields close it, both computed over the "zeroed form": the file's own canonical encoding with
 * `mac` and `checksum` set to 64 zeros.
 * - `mac`: BLAKE2b keyed with a subkey of the vault's data key over the zeroed form. Deleting,
 *   adding, reordering or editing anything is caught once unlocked.
 * - `checksum`: unkeyed BLAKE2b over the zeroed form with `mac` filled in. It tells accidental
 *   damage (and careless edits) apart from a wrong key before any key is tried.
 * Writing, one encoding pass serves the checksum and the MAC. Reading, one pass over the text
 * proves it canonical, and the text as read with the fields zeroed is what the checksum and
 * the MAC cover.
 *
 * `parseVaultFile` checks syntax, schema, canonical form and the checksum; the keyed checks
 * need the data key and live in `crypto/derived-keys.ts`. Every secret is checked when the
 * file is read, but a record is built only when a command reads it (`secretNamed` builds one,
 * reading `secrets` builds all): at 10,000 secrets, keeping every record alive cost more than
 * parsing them.
 */
import { isAscii } from "node:buffer";
import type { HashInput } from "../crypto/hash-input.js";
import { hash, toHex } from "../crypto/sodium.js";
import { vaultError } from "../errors.js";
import {
  AGENT_ID_PATTERN,
  ENV_NAME_PATTERN,
  REF_ID_PATTERN,
  SECRET_NAME_PATTERN,
  TAG_PATTERN,
} from "../grammar.js";
import {
  closedObject,
  fits,
  type Infer,
  integer,
  list,
  literal,
  oneOf,
  optional,
  SchemaMismatch,
  str,
} from "../validation/schema.js";
import {
  canonicalJson,
  isCanonicalJsonText,
  parseJsonQuietly,
  type TopLevelArray,
} from "./canonical-json.js";
import { SecretSpans } from "./secret-spans.js";

/** The format tag of version 1 files. */
export const FORMAT_V1 = "agent-vault/1";

const base64url = (min: number, max: number) => str({ min, max, pattern: /^[A-Za-z0-9_-]*$/ });
const hex = (length: number) => str({ min: length, max: length, pattern: /^[0-9a-f]*$/ });
const timestamp = str({ pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/ });

/** Base64url lengths of fixed-size fields (unpadded). */
const B64 = { id16: 22, id8: 11, nonce: 32, check16: 22 };

// Every shape lists its keys in sorted order: a checked object is left in shape order, and
// sorted objects print canonically through the native JSON.stringify (canonical-json.ts).
const kdfSchema = closedObject({
  alg: literal("argon2id13"),
  memLimit: integer(8 * 1024, 1024 * 1024 * 1024),
  opsLimit: integer(1, 10),
  salt: base64url(22, 22),
});

const slotSchema = closedObject({
  account: optional(str({ min: 1, max: 256 })),
  check: base64url(B64.check16, B64.check16),
  createdAt: timestamp,
  id: base64url(B64.id8, B64.id8),
  kdf: optional(kdfSchema),
  keyFile: optional(str({ min: 1, max: 4096 })),
  label: str({ pattern: /^[a-z0-9][a-z0-9_.-]{0,63}$/ }),
  nonce: base64url(B64.nonce, B64.nonce),
  type: oneOf(["keychain", "passphrase", "keyfile", "ci"]),
  wrappedKey: base64url(64, 64),
});

const versionSchema = closedObject({
  ciphertext: base64url(22, 90_000),
  createdAt: timestamp,
  nonce: base64url(B64.nonce, B64.nonce),
  version: integer(1, Number.MAX_SAFE_INTEGER),
});

/** A rotation policy: when a secret is due and what makes its next value. */
const rotationSchema = closedObject({
  keep: integer(0, 100),
  maxAgeSeconds: optional(integer(60, 100 * 366 * 86_400)),
  rotator: optional(str({ min: 1, max: 4096 })),
  schedule: optional(str({ min: 1, max: 256 })),
  timeoutSeconds: optional(integer(1, 3600)),
  timezone: optional(str({ min: 1, max: 64 })),
});

/**
 * The journal of a rotation in progress: written before each step runs, so a run killed at
 * any point resumes from the last completed step and never makes a second pending value.
 */
const journalSchema = closedObject({
  attempts: integer(0, 1_000_000),
  claim: optional(
    closedObject({
      expiresAt: timestamp,
      host: str({ max: 256 }),
      owner: base64url(B64.id16, B64.id16),
      pid: integer(0, 2 ** 32),
    }),
  ),
  error: optional(
    closedObject({ at: timestamp, message: str({ max: 500 }), step: str({ max: 16 }) }),
  ),
  id: base64url(B64.id16, B64.id16),
  pending: optional(versionSchema),
  retryAt: optional(timestamp),
  startedAt: timestamp,
  step: oneOf(["started", "created", "applied", "verified"]),
});

const secretSchema = closedObject({
  createdAt: timestamp,
  description: optional(str({ max: 1024 })),
  env: optional(str({ pattern: ENV_NAME_PATTERN })),
  journal: optional(journalSchema),
  name: str({ pattern: SECRET_NAME_PATTERN }),
  nextVersion: integer(2, Number.MAX_SAFE_INTEGER),
  refs: optional(list(str({ pattern: REF_ID_PATTERN }), 1, 64)),
  removedAt: optional(timestamp),
  rotation: optional(rotationSchema),
  tags: list(str({ pattern: TAG_PATTERN }), 0, 64),
  updatedAt: timestamp,
  versions: list(versionSchema, 1, 1000),
});

const vaultFileSchema = closedObject({
  agent: str({ pattern: AGENT_ID_PATTERN }),
  checksum: hex(64),
  createdAt: timestamp,
  format: literal(FORMAT_V1),
  generation: integer(1, Number.MAX_SAFE_INTEGER),
  mac: hex(64),
  /**
   * The audit key, sealed under the data key. Present once the data key was replaced
   * (`vault rekey --data-key`): the audit chain keeps its key across data keys. Absent, the
   * audit key is derived from the data key.
   */
  sealedAuditKey: optional(
    closedObject({
      ciphertext: base64url(64, 64),
      nonce: base64url(B64.nonce, B64.nonce),
    }),
  ),
  secrets: list(secretSchema, 0, 1_000_000),
  settings: closedObject({ historyLimit: integer(1, 1000) }),
  slots: list(slotSchema, 1, 256),
  vaultId: base64url(B64.id16, B64.id16),
});

/** A key slot: the vault's data key wrapped by one master key. */
export type KeySlot = Infer<typeof slotSchema>;
/** Argon2id parameters stored with a passphrase slot. */
export type KdfRecord = Infer<typeof kdfSchema>;
/** One sealed version of a secret. */
export type SealedVersion = Infer<typeof versionSchema>;
/** A secret's rotation policy. */
export type RotationRecord = Infer<typeof rotationSchema>;
/** The journal of a secret's rotation in progress. */
export type RotationJournal = Infer<typeof journalSchema>;
/** A secret's metadata and sealed versions, oldest first; the last version is current. */
export type SecretRecord = Infer<typeof secretSchema>;
/** A whole vault file. */
export type VaultFile = Infer<typeof vaultFileSchema>;
/** A vault file before its integrity fields are computed. */
export type VaultBody = Omit<VaultFile, "mac" | "checksum">;

function corrupt(file: string, what: string) {
  return vaultError(
    "CORRUPT",
    `The vault file ${file} is damaged or was altered (${what}).`,
    "Restore the file from a backup; agent-vault will not guess at its contents.",
  );
}

const ZERO_HASH = "0".repeat(64);
const ZERO_BYTE = 0x30;
const ZEROS = new Uint8Array(64).fill(ZERO_BYTE);
const encoder = new TextEncoder();
/** A parsed file's text and where its two integrity fields are in it. */
interface ReadText {
  text: string;
  checksumAt: number;
  macAt: number;
}
/**
 * The zeroed form of each file parsed or sealed here, for the MAC check that follows: the
 * encoded bytes of a sealed file; the text of a parsed one, encoded again piece by piece when
 * the MAC is checked (a string cannot change, the store's buffer could).
 */
const zeroedForms = new WeakMap<object, Uint8Array | ReadText>();
/** The secrets of each file parsed one by one, until the whole list is read or replaced. */
const spansOf = new WeakMap<object, SecretSpans<SecretRecord>>();

/** Canonical text of `file` with `mac` and `checksum` zeroed (top-level keys in sorted order). */
function zeroedText(file: VaultBody): string {
  return `${canonicalJson({
    agent: file.agent,
    checksum: ZERO_HASH,
    createdAt: file.createdAt,
    format: file.format,
    generation: file.generation,
    mac: ZERO_HASH,
    ...(file.sealedAuditKey ? { sealedAuditKey: file.sealedAuditKey } : {}),
    secrets: file.secrets,
    settings: file.settings,
    slots: file.slots,
    vaultId: file.vaultId,
  })}\n`;
}

/**
 * Where the hex of `"field":"<hex>"` starts in a canonical vault text. Top-level keys are sorted
 * and `agent`, `checksum`, `createdAt`, `format`, `generation`, `mac` come before any user text
 * (which is JSON-escaped), so the first match is the field itself; everything before it is
 * ASCII, so the index is also a byte offset.
 */
function fieldAt(text: string, field: "mac" | "checksum", hex: string): number {
  const at = text.indexOf(`"${field}":"${hex}"`);
  if (at < 0) throw new RangeError(`vault text has no ${field} field`);
  return at + field.length + 4;
}

/** Replaces the first `"field": "000…"` of a zeroed text with the given hex. */
function fill(text: string, field: "mac" | "checksum", hex: string): string {
  const start = fieldAt(text, field, ZERO_HASH);
  return text.slice(0, start) + hex + text.slice(start + 64);
}

/** The bytes the keyed MAC covers: the zeroed form of the file. */
export function macInput(body: VaultBody): HashInput {
  const form = zeroedForms.get(body);
  if (form === undefined) return encoder.encode(zeroedText(body));
  if (form instanceof Uint8Array) return form;
  // Each pass over the input encodes the text afresh.
  return { [Symbol.iterator]: () => zeroedPieces(form.text, [form.checksumAt, form.macAt]) };
}

/** UTF-16 units encoded at a time (at most three bytes each). */
const PIECE_UNITS = 16 * 1024;

/**
 * The UTF-8 encoding of `text`, which is the file as read (strict UTF-8 decodes and encodes
 * back to the same bytes), in pieces, with the 64 bytes at each of `zeroAt` (ASCII offsets
 * in increasing order) read as zeros. Each piece is a view of one scratch buffer, valid until
 * the next is asked for: no copy of the whole file is made.
 */
function* zeroedPieces(text: string, zeroAt: readonly number[]): Generator<Uint8Array> {
  const scratch = new Uint8Array(PIECE_UNITS * 3);
  let from = 0;
  for (const to of [...zeroAt, text.length]) {
    for (let at = from; at < to; ) {
      let next = Math.min(at + PIECE_UNITS, to);
      const last = text.charCodeAt(next - 1);
      if (next < to && last >= 0xd800 && last <= 0xdbff) next--; // a surrogate pair stays whole
      const { written } = encoder.encodeInto(text.slice(at, next), scratch);
      yield scratch.subarray(0, written);
      at = next;
    }
    if (to < text.length) yield ZEROS;
    from = to + 64;
  }
}

function encodeFrom(zeroed: string, mac: string): { text: string; checksum: string } {
  const withMac = fill(zeroed, "mac", mac);
  const checksum = toHex(hash(encoder.encode(withMac)));
  return { text: fill(withMac, "checksum", checksum), checksum };
}

/**
 * Encodes a vault file canonically, computing its checksum. `mac` must already be set
 * (see {@link sealVaultFile} to compute both in one pass).
 */
export function encodeVaultFile(file: Omit<VaultFile, "checksum">): Uint8Array {
  const { checksum: _ignored, ...body } = file as VaultFile;
  return encoder.encode(encodeFrom(zeroedText(body), file.mac).text);
}

/**
 * Computes the MAC with `macOf` and encodes the file, in one encoding pass.
 * Returns the bytes to store and the file as it will read back.
 */
export function sealVaultFile(
  body: VaultBody,
  macOf: (input: Uint8Array) => string,
): { bytes: Uint8Array; file: VaultFile } {
  const { mac: _mac, checksum: _checksum, ...clean } = body as VaultFile;
  const zeroed = zeroedText(clean);
  const zeroedBytes = encoder.encode(zeroed);
  const mac = macOf(zeroedBytes);
  const { text, checksum } = encodeFrom(zeroed, mac);
  const file: VaultFile = { ...clean, mac, checksum };
  zeroedForms.set(file, zeroedBytes);
  return { bytes: encoder.encode(text), file };
}

/**
 * True when `text` is exactly the canonical encoding of `vault` and a newline. The schema
 * check left every object in sorted key order holding only strings, safe integers, arrays and
 * objects, so the native `JSON.stringify` prints the canonical form; comparing it with the
 * text rejects any other spelling (spaces, escapes, number forms, duplicate or reordered keys).
 */
function isCanonicalText(vault: VaultFile, text: string): boolean {
  const encoded = JSON.stringify(vault);
  return (
    text.length === encoded.length + 1 &&
    text.charCodeAt(encoded.length) === 0x0a &&
    text.startsWith(encoded)
  );
}

/**
 * `bytes` as strict UTF-8 text (a byte-order mark kept as a character), or undefined. ASCII,
 * what vault files mostly are, is its own Latin-1 decoding: the native copy is several times
 * faster than the UTF-8 decoder on megabytes.
 */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buffer)) return buffer.toString("latin1");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function unsupportedFormat(file: string) {
  return vaultError(
    "UNSUPPORTED_FORMAT",
    `The vault file ${file} uses a newer format than this agent-vault understands.`,
    "Upgrade agent-vault (npm install -g agent-vault@latest).",
  );
}

/**
 * The whole-file parse: JSON, format, schema, canonical form, in that order, each failure its
 * own error.
 */
function parseWhole(text: string, file: string): VaultFile {
  const parsed = parseJsonQuietly(text);
  if (!parsed) throw corrupt(file, "not JSON");
  const format = (parsed.value as { format?: unknown } | null)?.format;
  if (typeof format === "string" && format !== FORMAT_V1 && /^agent-vault\/\d+$/.test(format)) {
    throw unsupportedFormat(file);
  }
  let vault: VaultFile;
  try {
    vault = vaultFileSchema(parsed.value);
  } catch (error) {
    if (!(error instanceof SchemaMismatch)) throw error;
    throw corrupt(file, error.message);
  }
  // One pass over the text proves most files canonical; the rest are compared with the encoding.
  const canonical = isCanonicalJsonText(text) ?? isCanonicalText(vault, text);
  if (!canonical) throw corrupt(file, "not in canonical form");
  return vault;
}

/** The most secrets a file may hold (the schema's bound on the list). */
const MAX_SECRETS = 1_000_000;
/** How many secrets are parsed and checked in one go. */
const CHECK_BATCH = 16;

/**
 * The same checks as {@link parseWhole} for a file proven canonical in one pass, each secret
 * parsed and checked on its own and then let go, kept as its span of the text until a command
 * reads it. Sound because the proof reads every token exactly: the text outside the secrets
 * array (with `[]` in its place) and each element are JSON, so the whole is, and the
 * whole-file schema is the top level's with each secret's. Undefined as soon as anything does
 * not fit: the whole-file parse then names the fault.
 */
function parseBySecret(text: string): VaultFile | undefined {
  const array: TopLevelArray = { key: "secrets", open: -1, close: -1, commas: [] };
  if (isCanonicalJsonText(text, array) !== true || array.open < 0 || array.close < 0) {
    return undefined;
  }
  const top = parseJsonQuietly(text.slice(0, array.open + 1) + text.slice(array.close));
  const vault = top && fits(vaultFileSchema, top.value);
  if (!vault) return undefined;
  const empty = array.open + 1 === array.close;
  const bounds = empty ? [array.open] : [array.open, ...array.commas, array.close];
  const count = bounds.length - 1;
  if (count > MAX_SECRETS) return undefined;
  // Checked a batch at a time (fewer parse calls), each batch let go before the next.
  for (let k = 0; k < count; k += CHECK_BATCH) {
    const last = Math.min(k + CHECK_BATCH, count);
    const batch = parseJsonQuietly(`[${text.slice((bounds[k] as number) + 1, bounds[last])}]`);
    if (!batch || (batch.value as unknown[]).length !== last - k) return undefined;
    for (const item of batch.value as unknown[]) if (!fits(secretSchema, item)) return undefined;
  }
  const spans = new SecretSpans(text, bounds, (span) => secretSchema(JSON.parse(span)));
  spansOf.set(vault, spans);
  // `secrets` stays in its place among the keys (their order is the canonical encoding's).
  const settle = (value: SecretRecord[]) => {
    spansOf.delete(vault);
    Object.defineProperty(vault, "secrets", {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  };
  Object.defineProperty(vault, "secrets", {
    get: () => {
      const all = spans.all();
      settle(all);
      return all;
    },
    set: settle,
    enumerable: true,
    configurable: true,
  });
  return vault;
}

/**
 * The secret of `file` named `name` (the first, as `secrets.find` picks it), or undefined. On a
 * file just parsed this builds that one record only.
 */
export function secretNamed(file: VaultBody, name: string): SecretRecord | undefined {
  const spans = spansOf.get(file);
  if (spans) return spans.named(name);
  return file.secrets.find((secret) => secret.name === name);
}

/**
 * Parses a vault file strictly: UTF-8, JSON, schema, canonical form, checksum.
 * `file` names it in errors. Never echoes any of the file's content.
 * @throws VaultError CORRUPT | UNSUPPORTED_FORMAT
 */
export function parseVaultFile(bytes: Uint8Array, file: string): VaultFile {
  return parse(bytes, file, true);
}

/**
 * {@link parseVaultFile} by the whole-file parse only: the reference that the parse secret by
 * secret must agree with (same value, same error), for tests.
 */
export function parseVaultFileWhole(bytes: Uint8Array, file: string): VaultFile {
  return parse(bytes, file, false);
}

function parse(bytes: Uint8Array, file: string, bySecret: boolean): VaultFile {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw corrupt(file, "not UTF-8");
  const vault = (bySecret ? parseBySecret(text) : undefined) ?? parseWhole(text, file);
  // The text is canonical, so its encoding is the file's: the checksum covers it with the
  // checksum zeroed, the MAC (checked once the key is found) with both fields zeroed.
  const checksumAt = fieldAt(text, "checksum", vault.checksum);
  if (toHex(hash(zeroedPieces(text, [checksumAt]))) !== vault.checksum) {
    throw corrupt(file, "checksum mismatch");
  }
  zeroedForms.set(vault, { text, checksumAt, macAt: fieldAt(text, "mac", vault.mac) });
  return vault;
}

/**
 * The checksum field of an encoded vault, read from its first bytes without parsing (keys are
 * sorted: `agent`, then `checksum`). Equal checksums mean equal content for a file already
 * verified; an unverified file is never trusted because of it.
 */
export function peekChecksum(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 200));
  return /^\{"agent":"[a-z0-9_-]{1,64}","checksum":"([0-9a-f]{64})"/.exec(head)?.[1];
}
