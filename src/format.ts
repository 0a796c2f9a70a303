/**
 * The vault file format, version 1: strict parse and canonical encode.
 *
 * The file is canonical JSON (sorted keys, two-space indent, trailing newline). Two integrity
 * fields close it:
 * - `mac`: BLAKE2b keyed with a subkey of the vault's data key over the canonical encoding of
 *   every other field. Deleting, adding, reordering or editing anything is caught once unlocked.
 * - `checksum`: unkeyed BLAKE2b over everything but itself. It tells accidental damage (and
 *   careless edits) apart from a wrong key before any key is tried.
 *
 * `parseVaultFile` checks syntax, schema, canonical form and the checksum; the keyed checks
 * need the data key and live in `vault-crypto.ts`.
 */
import { z } from "zod";
import { canonicalJson, canonicalJsonPretty, parseJsonQuietly } from "./canonical-json.js";
import { bytesEqual, fromHex, hash, toHex } from "./crypto.js";
import { vaultError } from "./errors.js";
import { AGENT_ID_PATTERN, ENV_NAME_PATTERN, SECRET_NAME_PATTERN, TAG_PATTERN } from "./names.js";

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

const kdfSchema = z.strictObject({
  alg: z.literal("argon2id13"),
  salt: base64url(22, 22),
  opsLimit: z.number().int().min(1).max(10),
  memLimit: z
    .number()
    .int()
    .min(8 * 1024)
    .max(1024 * 1024 * 1024),
});

const slotSchema = z.strictObject({
  id: base64url(B64.id8, B64.id8),
  type: z.enum(["keychain", "passphrase", "keyfile", "ci"]),
  label: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/),
  createdAt: timestamp,
  account: z.string().min(1).max(256).optional(),
  keyFile: z.string().min(1).max(4096).optional(),
  kdf: kdfSchema.optional(),
  nonce: base64url(B64.nonce, B64.nonce),
  wrappedKey: base64url(64, 64),
  check: base64url(B64.check16, B64.check16),
});

const versionSchema = z.strictObject({
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  createdAt: timestamp,
  nonce: base64url(B64.nonce, B64.nonce),
  ciphertext: base64url(22, 90_000),
});

const secretSchema = z.strictObject({
  name: z.string().regex(SECRET_NAME_PATTERN),
  description: z.string().max(1024).optional(),
  tags: z.array(z.string().regex(TAG_PATTERN)).max(64),
  env: z.string().regex(ENV_NAME_PATTERN).optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
  removedAt: timestamp.optional(),
  nextVersion: z.number().int().min(2).max(Number.MAX_SAFE_INTEGER),
  versions: z.array(versionSchema).min(1).max(1000),
});

const vaultFileSchema = z.strictObject({
  format: z.literal(FORMAT_V1),
  vaultId: base64url(B64.id16, B64.id16),
  agent: z.string().regex(AGENT_ID_PATTERN),
  generation: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  createdAt: timestamp,
  settings: z.strictObject({ historyLimit: z.number().int().min(1).max(1000) }),
  slots: z.array(slotSchema).min(1).max(256),
  secrets: z.array(secretSchema).max(1_000_000),
  mac: hex(64),
  checksum: hex(64),
});

/** A key slot: the vault's data key wrapped by one master key. */
export type KeySlot = z.infer<typeof slotSchema>;
/** Argon2id parameters stored with a passphrase slot. */
export type KdfRecord = z.infer<typeof kdfSchema>;
/** One sealed version of a secret. */
export type SealedVersion = z.infer<typeof versionSchema>;
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

/** The bytes the keyed MAC covers: canonical JSON of every field but `mac` and `checksum`. */
export function macInput(body: VaultBody): Uint8Array {
  const { mac: _mac, checksum: _checksum, ...rest } = body as VaultFile;
  return new TextEncoder().encode(canonicalJson(rest));
}

function checksumOf(fileWithoutChecksum: Omit<VaultFile, "checksum">): string {
  return toHex(hash(new TextEncoder().encode(canonicalJson(fileWithoutChecksum))));
}

/**
 * Encodes a vault file canonically, computing its checksum. `mac` must already be set.
 */
export function encodeVaultFile(file: Omit<VaultFile, "checksum">): Uint8Array {
  const { checksum: _ignored, ...withoutChecksum } = file as VaultFile;
  const complete: VaultFile = { ...withoutChecksum, checksum: checksumOf(withoutChecksum) };
  return new TextEncoder().encode(canonicalJsonPretty(complete));
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
  const canonical = new TextEncoder().encode(canonicalJsonPretty(vault));
  if (canonical.length !== bytes.length || !bytesEqual(canonical, bytes)) {
    throw corrupt(file, "not in canonical form");
  }
  const { checksum, ...rest } = vault;
  const expected = fromHex(checksumOf(rest));
  const actual = fromHex(checksum);
  if (!expected || !actual || !bytesEqual(expected, actual))
    throw corrupt(file, "checksum mismatch");
  return vault;
}
