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
 * One encoding pass serves the canonical-form check, the checksum and the MAC.
 *
 * `parseVaultFile` checks syntax, schema, canonical form and the checksum; the keyed checks
 * need the data key and live in `vault-crypto.ts`.
 */
import { z } from "zod";
import { canonicalJson, parseJsonQuietly } from "./canonical-json.js";
import { hash, toHex } from "./crypto.js";
import { vaultError } from "./errors.js";
import {
  AGENT_ID_PATTERN,
  ENV_NAME_PATTERN,
  REF_ID_PATTERN,
  SECRET_NAME_PATTERN,
  TAG_PATTERN,
} from "./names.js";

/** The format tag of version 1 files. */
export const FORMAT_V1 = "agent-vault/1";

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/);
const hex = (length: number) =>
  z
    .string()
    .length(length)
    .regex(/^[0-9a-f]*$/);
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/** Base64url lengths of fixed-size fields (unpadded). */
const B64 = { id16: 22, id8: 11, nonce: 32, check16: 22 };

// Every shape lists its keys in sorted order: zod returns objects in shape order, and sorted
// objects print canonically through the native JSON.stringify (canonical-json.ts, fast path).
const kdfSchema = z.strictObject({
  alg: z.literal("argon2id13"),
  memLimit: z
    .number()
    .int()
    .min(8 * 1024)
    .max(1024 * 1024 * 1024),
  opsLimit: z.number().int().min(1).max(10),
  salt: base64url(22, 22),
});

const slotSchema = z.strictObject({
  account: z.string().min(1).max(256).optional(),
  check: base64url(B64.check16, B64.check16),
  createdAt: timestamp,
  id: base64url(B64.id8, B64.id8),
  kdf: kdfSchema.optional(),
  keyFile: z.string().min(1).max(4096).optional(),
  label: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/),
  nonce: base64url(B64.nonce, B64.nonce),
  type: z.enum(["keychain", "passphrase", "keyfile", "ci"]),
  wrappedKey: base64url(64, 64),
});

const versionSchema = z.strictObject({
  ciphertext: base64url(22, 90_000),
  createdAt: timestamp,
  nonce: base64url(B64.nonce, B64.nonce),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

/** A rotation policy: when a secret is due and what makes its next value. */
const rotationSchema = z.strictObject({
  keep: z.number().int().min(0).max(100),
  maxAgeSeconds: z
    .number()
    .int()
    .min(60)
    .max(100 * 366 * 86_400)
    .optional(),
  rotator: z.string().min(1).max(4096).optional(),
  schedule: z.string().min(1).max(256).optional(),
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
  timezone: z.string().min(1).max(64).optional(),
});

/**
 * The journal of a rotation in progress: written before each step runs, so a run killed at
 * any point resumes from the last completed step and never makes a second pending value.
 */
const journalSchema = z.strictObject({
  attempts: z.number().int().min(0).max(1_000_000),
  claim: z
    .strictObject({
      expiresAt: timestamp,
      host: z.string().max(256),
      owner: base64url(B64.id16, B64.id16),
      pid: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32),
    })
    .optional(),
  error: z
    .strictObject({ at: timestamp, message: z.string().max(500), step: z.string().max(16) })
    .optional(),
  id: base64url(B64.id16, B64.id16),
  pending: versionSchema.optional(),
  retryAt: timestamp.optional(),
  startedAt: timestamp,
  step: z.enum(["started", "created", "applied", "verified"]),
});

const secretSchema = z.strictObject({
  createdAt: timestamp,
  description: z.string().max(1024).optional(),
  env: z.string().regex(ENV_NAME_PATTERN).optional(),
  journal: journalSchema.optional(),
  name: z.string().regex(SECRET_NAME_PATTERN),
  nextVersion: z.number().int().min(2).max(Number.MAX_SAFE_INTEGER),
  refs: z.array(z.string().regex(REF_ID_PATTERN)).min(1).max(64).optional(),
  removedAt: timestamp.optional(),
  rotation: rotationSchema.optional(),
  tags: z.array(z.string().regex(TAG_PATTERN)).max(64),
  updatedAt: timestamp,
  versions: z.array(versionSchema).min(1).max(1000),
});

const vaultFileSchema = z.strictObject({
  agent: z.string().regex(AGENT_ID_PATTERN),
  checksum: hex(64),
  createdAt: timestamp,
  format: z.literal(FORMAT_V1),
  generation: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  mac: hex(64),
  /**
   * The audit key, sealed under the data key. Present once the data key was replaced
   * (`vault rekey --data-key`): the audit chain keeps its key across data keys. Absent, the
   * audit key is derived from the data key.
   */
  sealedAuditKey: z
    .strictObject({ ciphertext: base64url(64, 64), nonce: base64url(B64.nonce, B64.nonce) })
    .optional(),
  secrets: z.array(secretSchema).max(1_000_000),
  settings: z.strictObject({ historyLimit: z.number().int().min(1).max(1000) }),
  slots: z.array(slotSchema).min(1).max(256),
  vaultId: base64url(B64.id16, B64.id16),
});

/** A key slot: the vault's data key wrapped by one master key. */
export type KeySlot = z.infer<typeof slotSchema>;
/** Argon2id parameters stored with a passphrase slot. */
export type KdfRecord = z.infer<typeof kdfSchema>;
/** One sealed version of a secret. */
export type SealedVersion = z.infer<typeof versionSchema>;
/** A secret's rotation policy. */
export type RotationRecord = z.infer<typeof rotationSchema>;
/** The journal of a secret's rotation in progress. */
export type RotationJournal = z.infer<typeof journalSchema>;
/** A secret's metadata and sealed versions, oldest first; the last version is current. */
export type SecretRecord = z.infer<typeof secretSchema>;
/** A whole vault file. */
export type VaultFile = z.infer<typeof vaultFileSchema>;
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
const encoder = new TextEncoder();
/** The zeroed form of each file parsed or encoded here, for the MAC check that follows. */
const zeroedForms = new WeakMap<object, string>();

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

/** Replaces the first `"field": "000…"` of a zeroed text with the given hex. */
function fill(text: string, field: "mac" | "checksum", hex: string): string {
  const marker = `"${field}":"${ZERO_HASH}"`;
  // Top-level keys are sorted and `agent`, `checksum`, `createdAt`, `format`, `generation`, `mac`
  // come before any user text (which is JSON-escaped), so the first match is the field itself.
  const at = text.indexOf(marker);
  if (at < 0) throw new RangeError(`zeroed vault text has no ${field} field`);
  const start = at + field.length + 4;
  return text.slice(0, start) + hex + text.slice(start + 64);
}

/** The bytes the keyed MAC covers: the zeroed form of the file. */
export function macInput(body: VaultBody): Uint8Array {
  return encoder.encode(zeroedForms.get(body) ?? zeroedText(body));
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
  const mac = macOf(encoder.encode(zeroed));
  const { text, checksum } = encodeFrom(zeroed, mac);
  const file: VaultFile = { ...clean, mac, checksum };
  zeroedForms.set(file, zeroed);
  return { bytes: encoder.encode(text), file };
}

/**
 * Parses a vault file strictly: UTF-8, JSON, schema, canonical form, checksum.
 * `file` names it in errors. Never echoes any of the file's content.
 * @throws VaultError CORRUPT | UNSUPPORTED_FORMAT
 */
export function parseVaultFile(bytes: Uint8Array, file: string): VaultFile {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw corrupt(file, "not UTF-8");
  }
  const parsed = parseJsonQuietly(text);
  if (!parsed) throw corrupt(file, "not JSON");
  const format = (parsed.value as { format?: unknown } | null)?.format;
  if (typeof format === "string" && format !== FORMAT_V1 && /^agent-vault\/\d+$/.test(format)) {
    throw vaultError(
      "UNSUPPORTED_FORMAT",
      `The vault file ${file} uses a newer format than this agent-vault understands.`,
      "Upgrade agent-vault (npm install -g agent-vault@latest).",
    );
  }
  const result = vaultFileSchema.safeParse(parsed.value);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join(".") || "top level";
    throw corrupt(file, `unexpected content at ${where}`);
  }
  const vault = result.data;
  const { mac: _mac, checksum: _checksum, ...body } = vault;
  const zeroed = zeroedText(body);
  const expected = encodeFrom(zeroed, vault.mac);
  if (expected.text.length !== text.length || expected.text !== text) {
    throw expected.checksum !== vault.checksum &&
      fill(fill(zeroed, "mac", vault.mac), "checksum", vault.checksum) === text
      ? corrupt(file, "checksum mismatch")
      : corrupt(file, "not in canonical form");
  }
  zeroedForms.set(vault, zeroed);
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
