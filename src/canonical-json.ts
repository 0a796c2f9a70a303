/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no insignificant whitespace (what
 * `JSON.stringify` prints for sorted keys). Only the values our formats hold are allowed
 * (objects, arrays, strings, safe integers, booleans, null), so one value has exactly one
 * encoding and `encode(parse(x)) === x` can be required of every file we read.
 *
 * Trees already in sorted key order (everything agent-vault builds or parses) take the native
 * `JSON.stringify`; `encode` below sorts anything else.
 */

function encodeNumber(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError("canonical JSON holds only safe integers");
  return String(value);
}

function encode(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return encodeNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
  if (Array.isArray(value)) return `[${value.map(encode).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${encode(record[key])}`).join(",")}}`;
}

/**
 * True when every object in `value` already has its keys in sorted order and holds only what
 * canonical JSON allows, so the native `JSON.stringify` prints its canonical form.
 */
function isCanonicalTree(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isSafeInteger(value);
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isCanonicalTree(item)) return false;
    return true;
  }
  let previous: string | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (previous !== undefined && !(previous < key)) return false;
    const field = record[key];
    if (field === undefined || !isCanonicalTree(field)) return false;
    previous = key;
  }
  return true;
}

/** One-line canonical JSON (the vault file, audit records, MAC input). */
export function canonicalJson(value: unknown): string {
  // Fast path: objects built or parsed in sorted key order print canonically as they are.
  if (isCanonicalTree(value)) return JSON.stringify(value);
  return encode(value);
}

/**
 * `JSON.parse` that never echoes its input in an error (its native messages quote the text
 * around the fault, which may be a secret). Returns `undefined` for malformed input.
 */
export function parseJsonQuietly(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** A deep copy of `value` whose objects list their keys in sorted order (undefined dropped). */
export function sortedDeep<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(sortedDeep) as T;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (record[key] !== undefined) out[key] = sortedDeep(record[key]);
  }
  return out as T;
}
