/**
 * The grammars of product.md for agent ids, secret names and values, checked in one place.
 */
import { vaultError } from "./errors.js";

/** Agent ids: `^[a-z0-9][a-z0-9_-]{0,63}$` (OpenClaw's agent id grammar). */
export const AGENT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Secret names: usable as environment variable names, OpenClaw's store grammar. */
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,127}$/;
/** Key slot labels (CI key names): like agent ids. */
export const SLOT_LABEL_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** Environment variable names a secret may be exported as. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Tags. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
/** External ids a secret answers to (OpenClaw SecretRef ids): `providers/openai/apiKey`. */
export const REF_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;
/** The largest value, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 64 * 1024;
/** The default agent id (OpenClaw's default agent). */
export const DEFAULT_AGENT = "main";

/**
 * Throws `INVALID_AGENT` unless `agent` matches {@link AGENT_ID_PATTERN}.
 * @throws VaultError INVALID_AGENT
 */
export function checkAgentId(agent: string): string {
  if (typeof agent !== "string" || !AGENT_ID_PATTERN.test(agent)) {
    throw vaultError(
      "INVALID_AGENT",
      "Invalid agent id.",
      "Agent ids are 1-64 characters of a-z, 0-9, _ and -, starting with a letter or digit.",
    );
  }
  return agent;
}

/**
 * Throws `INVALID_NAME` unless `name` matches {@link SECRET_NAME_PATTERN}.
 * The message never repeats the input: a user may have typed a value where a name goes.
 * @throws VaultError INVALID_NAME
 */
export function checkSecretName(name: string): string {
  if (typeof name !== "string" || !SECRET_NAME_PATTERN.test(name)) {
    throw vaultError(
      "INVALID_NAME",
      "Invalid secret name.",
      "Secret names are 1-128 characters of A-Z, 0-9 and _, starting with a letter (e.g. OPENAI_API_KEY).",
    );
  }
  return name;
}

/**
 * Throws `INVALID_VALUE` unless `value` is non-empty UTF-8 text of at most 64 KiB, without NUL.
 * @throws VaultError INVALID_VALUE
 */
export function checkSecretValue(name: string, value: string): string {
  if (typeof value !== "string") throw new TypeError(`"value" expected string`);
  if (value.length === 0) {
    throw vaultError(
      "INVALID_VALUE",
      `The value for ${name} is empty.`,
      "Give a non-empty value; use `vault rm` to remove a secret.",
    );
  }
  if (!value.isWellFormed()) {
    throw vaultError(
      "INVALID_VALUE",
      `The value for ${name} is not valid UTF-8 text.`,
      "Store text; encode binary data as base64 first.",
    );
  }
  if (value.includes("\0")) {
    throw vaultError(
      "INVALID_VALUE",
      `The value for ${name} contains a NUL character.`,
      "Store text; encode binary data as base64 first.",
    );
  }
  if (Buffer.byteLength(value, "utf8") > MAX_VALUE_BYTES) {
    throw vaultError(
      "INVALID_VALUE",
      `The value for ${name} is larger than 64 KiB.`,
      "Store large material in a file and keep its key or path in the vault.",
    );
  }
  return value;
}

/** @throws VaultError INVALID_INPUT */
export function checkEnvName(env: string): string {
  if (!ENV_NAME_PATTERN.test(env)) {
    throw vaultError(
      "INVALID_INPUT",
      "Invalid environment variable name.",
      "Use letters, digits and _, not starting with a digit.",
    );
  }
  return env;
}

/** @throws VaultError INVALID_INPUT */
export function checkTag(tag: string): string {
  if (!TAG_PATTERN.test(tag)) {
    throw vaultError(
      "INVALID_INPUT",
      "Invalid tag.",
      "Tags are 1-64 characters of a-z, 0-9, _ . : and -.",
    );
  }
  return tag;
}

/**
 * Throws `INVALID_INPUT` unless `ref` matches {@link REF_ID_PATTERN}.
 * @throws VaultError INVALID_INPUT
 */
export function checkRefId(ref: string): string {
  if (typeof ref !== "string" || !REF_ID_PATTERN.test(ref)) {
    throw vaultError(
      "INVALID_INPUT",
      "Invalid reference id.",
      "Reference ids are 1-256 characters of A-Z, a-z, 0-9 and . _ : / # -, e.g. providers/openai/apiKey.",
    );
  }
  return ref;
}

/** @throws VaultError INVALID_INPUT */
export function checkSlotLabel(label: string): string {
  if (!SLOT_LABEL_PATTERN.test(label)) {
    throw vaultError(
      "INVALID_INPUT",
      "Invalid key name.",
      "Key names are 1-64 characters of a-z, 0-9, _ . and -, e.g. github-deploy.",
    );
  }
  return label;
}
