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

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

const SURROGATE = /[\ud800-\udfff]/;
const ARRAY = -2;
const NO_KEY = -1;

/** Whether text[aStart, aEnd) sorts strictly before text[bStart, bEnd) (UTF-16 code units). */
function isBefore(
  text: string,
  aStart: number,
  aEnd: number,
  bStart: number,
  bEnd: number,
): boolean {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < length; k++) {
    const a = text.charCodeAt(aStart + k);
    const b = text.charCodeAt(bStart + k);
    if (a !== b) return a < b;
  }
  return aEnd - aStart < bEnd - bStart;
}

/** The end of the number token at `at` when it is spelled canonically (`-?(0|[1-9]\d*)`, not `-0`), else -1. */
function canonicalNumberEnd(text: string, at: number): number {
  let i = text.charCodeAt(at) === 0x2d ? at + 1 : at;
  const first = text.charCodeAt(i);
  if (first === DIGIT_0) {
    if (i > at) return -1; // -0
    i++;
  } else {
    while (text.charCodeAt(i) >= DIGIT_0 && text.charCodeAt(i) <= DIGIT_9) i++;
  }
  const next = text.charCodeAt(i);
  // A fraction, an exponent or a leading zero: another spelling of a number.
  if (next === 0x2e || next === 0x65 || next === 0x45 || (next >= DIGIT_0 && next <= DIGIT_9)) {
    return -1;
  }
  return i;
}

/**
 * Where the elements of one array sit in a text: the array that is the value of the top-level
 * key `key`. Filled by {@link isCanonicalJsonText}: `open` and `close` are the offsets of its
 * brackets (-1 when there is no such array), `commas` those of the commas between its
 * elements, so element k lies between the (k-1)th and kth of `[open, ...commas, close]`.
 */
export interface TopLevelArray {
  readonly key: string;
  open: number;
  close: number;
  commas: number[];
}

/**
 * Whether `text` followed by nothing but one newline is the canonical encoding of its own
 * value, if it is JSON, proven in one pass over the text without encoding the value again: no
 * whitespace between tokens, numbers and strings spelled as `JSON.stringify` spells them, and
 * each object's keys in strictly increasing order (so sorted and without duplicates). Tokens
 * are read exactly (strings, numbers, `true`, `false`, `null`), so on any text the brackets it
 * sees are JSON's; the grammar (where commas and colons go) is left to `JSON.parse`. It may be
 * given text nobody has checked: it ends, in time linear in the text, on any input.
 * `undefined` when the quick proof does not apply (a `\u` escape other than a control
 * character's, a key holding an escape or starting with a digit): compare the text with
 * `canonicalJson` of the value then. `array`, when given, is filled with where the elements of
 * one top-level array are (see {@link TopLevelArray}).
 */
export function isCanonicalJsonText(text: string, array?: TopLevelArray): boolean | undefined {
  const end = text.length - 1;
  if (end < 0 || text.charCodeAt(end) !== 0x0a) return false;
  /**
   * Per open container, where its last key sits in the text: ARRAY for an array, NO_KEY for an
   * object before its first key (kept as offsets: no string is made per key).
   */
  const keyStarts: number[] = [];
  const keyEnds: number[] = [];
  // String contents are skipped with native searches up to the next quote or backslash; only
  // a text holding surrogates has its strings read character by character.
  const plain = !SURROGATE.test(text);
  let nextQuote = -1;
  let nextBackslash = -1;
  let expectKey = false;
  /** Where the closing quote of the top-level key `array.key` is (-1 before it is seen). */
  let arrayKeyEnd = -1;
  let inArray = false;
  let i = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = ++i;
      let escaped = false;
      for (;;) {
        if (plain) {
          // Each search starts where the last one ended: linear in the text, escapes or not.
          if (nextQuote < i) nextQuote = text.indexOf('"', i);
          if (nextQuote < 0) return false; // not JSON
          if (nextBackslash !== -2 && nextBackslash < i) nextBackslash = text.indexOf("\\", i);
          if (nextBackslash === -1) nextBackslash = -2; // none left in the text
          if (nextBackslash === -2 || nextQuote < nextBackslash) {
            i = nextQuote;
            break;
          }
          i = nextBackslash;
        }
        if (i >= end) return false; // the text ends inside a string: not JSON
        const d = text.charCodeAt(i);
        if (d === 0x22) break;
        if (d >= 0xd800 && d <= 0xdfff) {
          // A pair stays as it is; JSON.stringify escapes a lone surrogate.
          const low = text.charCodeAt(i + 1);
          if (d > 0xdbff || low < 0xdc00 || low > 0xdfff) return false;
          i += 2;
          continue;
        }
        if (d !== 0x5c) {
          i++;
          continue;
        }
        escaped = true;
        const e = text.charCodeAt(i + 1);
        // \" \\ \b \f \n \r \t: the escapes JSON.stringify writes.
        if (
          e === 0x22 ||
          e === 0x5c ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          i += 2;
        } else if (e === 0x75) {
          const hex = text.slice(i + 2, i + 6);
          // Only a control character without a short form is written as \u00xx (lower case).
          if (!/^00[01][0-9a-f]$/.test(hex)) return undefined;
          const code = Number.parseInt(hex, 16);
          if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return false;
          i += 6;
        } else {
          return false; // \/
        }
      }
      if (expectKey) {
        const first = text.charCodeAt(start);
        if (escaped || (first >= DIGIT_0 && first <= DIGIT_9)) return undefined;
        const level = keyStarts.length - 1;
        const lastStart = keyStarts[level] as number;
        if (
          lastStart !== NO_KEY &&
          !isBefore(text, lastStart, keyEnds[level] as number, start, i)
        ) {
          return false;
        }
        keyStarts[level] = start;
        keyEnds[level] = i;
        expectKey = false;
        if (array && level === 0 && text.slice(start, i) === array.key) arrayKeyEnd = i;
      }
      i++;
    } else if (c === 0x7b) {
      keyStarts.push(NO_KEY);
      keyEnds.push(NO_KEY);
      expectKey = true;
      i++;
    } else if (c === 0x5b) {
      // `"key":[` at the top level: the array whose elements are wanted.
      if (array && keyStarts.length === 1 && arrayKeyEnd === i - 2 && array.open < 0) {
        array.open = i;
        inArray = true;
      }
      keyStarts.push(ARRAY);
      keyEnds.push(ARRAY);
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      if (inArray && keyStarts.length === 2) {
        (array as TopLevelArray).close = i;
        inArray = false;
      }
      keyStarts.pop();
      keyEnds.pop();
      i++;
    } else if (c === 0x2c) {
      if (inArray && keyStarts.length === 2) (array as TopLevelArray).commas.push(i);
      expectKey = keyStarts[keyStarts.length - 1] !== ARRAY;
      i++;
    } else if (c === 0x3a) {
      i++;
    } else if (c === 0x2d || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const numberEnd = canonicalNumberEnd(text, i);
      if (numberEnd < 0) return false;
      // Sixteen digits or more may pass the safe integers: the encoding comparison decides.
      if (numberEnd - i > 15) return undefined;
      i = numberEnd;
    } else if (text.startsWith("true", i) || text.startsWith("null", i)) {
      i += 4;
    } else if (text.startsWith("false", i)) {
      i += 5;
    } else {
      return false; // whitespace
    }
  }
  return keyStarts.length === 0;
}
