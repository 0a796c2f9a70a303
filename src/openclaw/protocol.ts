/**
 * OpenClaw's exec SecretRef provider protocol, version 1 (product.md, "OpenClaw exec provider
 * protocol"; the `openclaw` package's `docs/gateway/secrets/secretref-contract.md`):
 *
 * ```json
 * { "protocolVersion": 1, "provider": "agentvault", "ids": ["providers/openai/apiKey"] }
 * { "protocolVersion": 1, "values": { "providers/openai/apiKey": "..." } }
 * { "protocolVersion": 1, "values": {}, "errors": { "providers/openai/apiKey": { "code": "NOT_FOUND" } } }
 * ```
 *
 * Parsing never echoes the request: a value may have been sent where an id belongs.
 */

import { type VaultError, vaultError } from "../errors.js";
import { parseJsonQuietly } from "../file-format/canonical-json.js";
import { REF_ID_PATTERN } from "../grammar.js";
import {
  list,
  literal,
  openObject,
  optional,
  type SchemaMismatch,
  str,
  validate,
} from "../validation/schema.js";

/** OpenClaw's provider alias grammar. */
export const OPENCLAW_ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
/** The largest request read from stdin (OpenClaw itself sends at most 256 KiB). */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** The most ids in one request (OpenClaw's own limit per provider is 512). */
export const MAX_REQUEST_IDS = 4096;

/** A parsed request. */
export interface ResolveRequest {
  protocolVersion: 1;
  /** The provider alias OpenClaw named, when it sent one. */
  provider?: string;
  /** Distinct ids, in request order. */
  ids: string[];
}

/**
 * Per-id error codes. OpenClaw displays `NOT_FOUND` and `AMBIGUOUS_DUPLICATE_KEY`; others
 * (vault error codes such as `WRONG_KEY`) are passed on for people and logs.
 */
export interface ResolveIdError {
  code: string;
}

/** A response. `error` (ours, not OpenClaw's) says why the whole request failed. */
export interface ResolveResponse {
  protocolVersion: 1;
  values: Record<string, string>;
  errors?: Record<string, ResolveIdError>;
  error?: { code: string; message: string; hint: string };
}

/**
 * True when `id` is a valid exec ref id: OpenClaw's grammar ({@link REF_ID_PATTERN},
 * `^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$`) and no `.` or `..` path segment.
 */
export function isOpenclawId(id: unknown): id is string {
  if (typeof id !== "string" || !REF_ID_PATTERN.test(id)) return false;
  return !id.split("/").some((segment) => segment === "." || segment === "..");
}

/**
 * A request's shape, checked in this order (the version first); other keys are accepted
 * (OpenClaw may send more).
 */
const resolveRequestSchema = openObject({
  protocolVersion: literal(1),
  provider: optional(str()),
  ids: list(str({ pattern: { test: isOpenclawId } }), 0, MAX_REQUEST_IDS),
});

/** What the error says of a request that does not fit (an id by its number, never its text). */
function mismatchMessage(mismatch: SchemaMismatch): string {
  const [field, index] = mismatch.segments;
  if (field === "protocolVersion") {
    return "The request's protocolVersion is not 1 (the only version supported).";
  }
  if (field === "provider") return "The request's provider is not a string.";
  if (field === "ids" && index !== undefined) {
    return `Id number ${Number(index) + 1} of the request is not a valid ref id (1-256 letters, digits and . _ : / # -, no . or .. segment).`;
  }
  if (field === "ids" && mismatch.reason === "size") {
    return `The request has more than ${MAX_REQUEST_IDS} ids.`;
  }
  if (field === "ids") return "The request has no ids array.";
  return "The request is not a JSON object.";
}

function invalid(message: string): VaultError {
  return vaultError(
    "INVALID_INPUT",
    message,
    'Send one JSON request: {"protocolVersion":1,"provider":"agentvault","ids":["providers/openai/apiKey"]}.',
  );
}

/**
 * Parses one request.
 * @throws VaultError INVALID_INPUT (too large, not UTF-8 JSON, wrong version, bad ids)
 */
export function parseResolveRequest(bytes: Uint8Array): ResolveRequest {
  if (bytes.byteLength > MAX_REQUEST_BYTES) {
    throw invalid(`The request is larger than ${MAX_REQUEST_BYTES} bytes.`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid("The request is not UTF-8 text.");
  }
  const parsed = parseJsonQuietly(text);
  if (!parsed) throw invalid("The request is not a JSON object.");
  const request = validate(resolveRequestSchema, parsed.value, (mismatch) =>
    invalid(mismatchMessage(mismatch)),
  );
  const ids = request.ids;
  const result: ResolveRequest = { protocolVersion: 1, ids: [...new Set(ids)] };
  if (typeof request.provider === "string") result.provider = request.provider;
  return result;
}

/** A response with `values` and, when any, per-id `errors`. Objects have no prototype keys. */
export function resolveResponse(
  values: ReadonlyMap<string, string>,
  errors: ReadonlyMap<string, string>,
): ResolveResponse {
  const response: ResolveResponse = { protocolVersion: 1, values: Object.fromEntries(values) };
  if (errors.size > 0) {
    response.errors = Object.fromEntries([...errors].map(([id, code]) => [id, { code }]));
  }
  return response;
}

/**
 * The response to a request that failed as a whole (malformed, or a vault would not open):
 * whatever was resolved, the per-id codes, and `error`.
 */
export function failureResponse(
  error: VaultError,
  values: ReadonlyMap<string, string> = new Map(),
  errors: ReadonlyMap<string, string> = new Map(),
): ResolveResponse {
  return { ...resolveResponse(values, errors), error: error.toJSON() };
}
