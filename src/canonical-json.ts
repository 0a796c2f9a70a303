/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no insignificant whitespace in the
 * compact form, two-space indentation in the pretty form (what `JSON.stringify(v, null, 2)`
 * prints for sorted keys). Only the values our formats hold are allowed (objects, arrays,
 * strings, safe integers, booleans, null), so one value has exactly one encoding and
 * `encode(parse(x)) === x` can be required of every file we read.
 *
 * Written as one pass that emits text directly: vaults of 10,000 secrets are encoded on every
 * write, and building sorted copies first doubled the cost.
 */

function encodeNumber(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError("canonical JSON holds only safe integers");
  return String(value);
}

function encode(value: unknown, indent: string | undefined, depth: string): string {
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
  const inner = indent === undefined ? "" : depth + indent;
  const open = indent === undefined ? "" : `\n${inner}`;
  const separator = indent === undefined ? "," : `,\n${inner}`;
  const close = indent === undefined ? "" : `\n${depth}`;
  const colon = indent === undefined ? ":" : ": ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => encode(item, indent, inner));
    return `[${open}${items.join(separator)}${close}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  if (keys.length === 0) return "{}";
  const fields = keys.map(
    (key) => `${JSON.stringify(key)}${colon}${encode(record[key], indent, inner)}`,
  );
  return `{${open}${fields.join(separator)}${close}}`;
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
  return encode(value, undefined, "");
}

/** Indented canonical JSON with a trailing newline. */
export function canonicalJsonPretty(value: unknown): string {
  if (isCanonicalTree(value)) return `${JSON.stringify(value, null, 2)}\n`;
  return `${encode(value, "  ", "")}\n`;
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
