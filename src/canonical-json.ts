/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no insignificant whitespace in the
 * compact form, two-space indentation in the pretty form. Only the values our formats hold are
 * allowed (objects, arrays, strings, safe integers, booleans, null), so one value has exactly one
 * encoding and `encode(parse(x)) === x` can be required of every file we read.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sortKeys(value: unknown): Json {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value))
      throw new RangeError("canonical JSON holds only safe integers");
    return value;
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) out[key] = sortKeys(field);
    }
    return out;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** One-line canonical JSON (audit records, MAC input). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Indented canonical JSON with a trailing newline (the vault file, readable in a diff). */
export function canonicalJsonPretty(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
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
