/**
 * A dotenv file read as the `dotenv` package's `parse` reads it, in time linear in its length.
 *
 * `dotenv` matches one regular expression from every line start; on a run of blank lines, or
 * of lines whose quotes are all escaped, each attempt scans to the run's end and fails, so a
 * file of 80,000 newlines took 22 s and one of 1 MiB would take about an hour. This reader
 * takes the same steps once each: per line, the key, the separator, then the value, where the
 * quoted forms use tables built in one backward pass (the next unescaped quote, the last
 * closing quote a value may end at). `test/dotenv-parse.test.ts` checks it against `dotenv`.
 *
 * The grammar (dotenv 17's): `[export ]KEY=value` or `KEY: value`, KEY of letters, digits,
 * `_`, `.` and `-`; white space (newlines included) may come before the key, after `export`
 * and before `=`. A value in '…', "…" or `…` may span lines and holds anything but its quote
 * unless escaped (`\"`), and ends at the last quote it may reach that only white space or a
 * `#` comment follows on its line; otherwise the value is the rest of the line up to a `#`.
 * Values are trimmed, lose their surrounding quotes, and in double quotes `\n` and `\r`
 * become a newline and a carriage return. A later line of the same key wins.
 */

import { isJsWhitespace } from "../whitespace.js";

const QUOTES = ["'", '"', "`"] as const;

function isKeyChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x2e ||
    code === 0x2d
  );
}

/** Where the line holding `at` ends (its newline, or the text's end). */
function lineEnd(text: string, at: number): number {
  const end = text.indexOf("\n", at);
  return end < 0 ? text.length : end;
}

/** Per quote character, the tables a quoted value's end is looked up in. */
interface QuoteTables {
  /** The first position at or after i holding the quote with no backslash before it. */
  nextUnescaped: Int32Array;
  /** The last position at or before i holding the quote with a clear tail (-1: none). */
  lastClosing: Int32Array;
}

/**
 * clear[i] is 1 when from i to its line's end there is only white space, then optionally a `#`
 * comment: what may follow a closing quote. The same for every quote character.
 */
function clearTails(text: string): Uint8Array {
  const n = text.length;
  const clear = new Uint8Array(n + 1);
  for (let lineStart = 0; lineStart < n; ) {
    const end = lineEnd(text, lineStart);
    clear[end] = 1;
    for (let i = end - 1; i >= lineStart; i--) {
      const code = text.charCodeAt(i);
      clear[i] = code === 0x23 || (isJsWhitespace(code) && clear[i + 1] === 1) ? 1 : 0;
    }
    lineStart = end + 1;
  }
  return clear;
}

function quoteTables(text: string, quote: number, clear: Uint8Array): QuoteTables {
  const n = text.length;
  const nextUnescaped = new Int32Array(n + 1);
  nextUnescaped[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    const unescaped = text.charCodeAt(i) === quote && (i === 0 || text.charCodeAt(i - 1) !== 0x5c);
    nextUnescaped[i] = unescaped ? i : (nextUnescaped[i + 1] as number);
  }
  const lastClosing = new Int32Array(n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) === quote && clear[i + 1] === 1) last = i;
    lastClosing[i] = last;
  }
  return { nextUnescaped, lastClosing };
}

/** dotenv's handling of a matched value: trimmed, unquoted, `\n` and `\r` in double quotes. */
function finishValue(raw: string): string {
  let value = raw.trim();
  const maybeQuote = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
  if (maybeQuote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
  return value;
}

/**
 * The NAME → value pairs of a dotenv text, in the order of each name's first line (a later
 * line of a name replaces its value), as `dotenv.parse` gives them.
 */
export function parseDotenv(source: string): Array<[string, string]> {
  const text = source.replace(/\r\n?/g, "\n");
  const n = text.length;
  const tables = new Map<number, QuoteTables>();
  let clear: Uint8Array | undefined;
  const tablesOf = (quote: number): QuoteTables => {
    let found = tables.get(quote);
    if (!found) {
      clear ??= clearTails(text);
      found = quoteTables(text, quote, clear);
      tables.set(quote, found);
    }
    return found;
  };
  // A plain object's key order (numeric keys first), as dotenv's result has; no prototype.
  const values: Record<string, string> = Object.create(null);
  const skipSpace = (at: number) => {
    let i = at;
    while (i < n && isJsWhitespace(text.charCodeAt(i))) i++;
    return i;
  };
  const keyEnd = (at: number) => {
    let i = at;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    return i;
  };
  /**
   * After the key: where the value may start, or -1. `=` may follow white space (newlines
   * too); `:` must be followed by white space, of which one character belongs to it (so
   * `KEY:` and a newline take the next line as the value, as dotenv does).
   */
  const separatorEnd = (at: number): number => {
    const eq = skipSpace(at);
    if (text.charCodeAt(eq) === 0x3d) return eq + 1;
    if (text.charCodeAt(at) === 0x3a && at + 1 < n && isJsWhitespace(text.charCodeAt(at + 1))) {
      return at + 2;
    }
    return -1;
  };
  /** A quoted value starting at `open` (its quote): its end (after the closing quote), or -1. */
  const quotedEnd = (open: number): number => {
    const quote = text.charCodeAt(open);
    const { nextUnescaped, lastClosing } = tablesOf(quote);
    const limit = nextUnescaped[open + 1] as number; // no unescaped quote is passed
    const closing = lastClosing[Math.min(limit, n - 1)] as number;
    return closing > open ? closing + 1 : -1;
  };

  for (let lineStart = 0; lineStart < n; ) lineStart = parseAt(lineStart);
  return Object.entries(values);

  /** Tries a match from the line start `start`; returns where the next line starts. */
  function parseAt(start: number): number {
    const first = skipSpace(start);
    // White space (newlines too) before the key: a match from here is one from the key's line.
    if (first >= n) return n;
    let key = first;
    let end = keyEnd(key);
    if (end === key) return lineEnd(text, first) + 1;
    if (text.slice(key, end) === "export" && end < n && isJsWhitespace(text.charCodeAt(end))) {
      const after = skipSpace(end);
      const afterEnd = keyEnd(after);
      if (afterEnd > after && separatorEnd(afterEnd) >= 0) {
        key = after;
        end = afterEnd;
      }
    }
    const valueStart = separatorEnd(end);
    if (valueStart < 0) return lineEnd(text, first) + 1;
    const name = text.slice(key, end);
    // A quoted value, possibly after white space that may cross lines.
    const quoteAt = skipSpace(valueStart);
    if (quoteAt < n && QUOTES.includes(text[quoteAt] as (typeof QUOTES)[number])) {
      const close = quotedEnd(quoteAt);
      if (close >= 0) {
        values[name] = finishValue(text.slice(quoteAt, close));
        return lineEnd(text, close) + 1;
      }
    }
    // Otherwise the rest of the line after the separator, up to a `#`.
    const lineStop = lineEnd(text, valueStart);
    const line = text.slice(valueStart, lineStop);
    const hash = line.indexOf("#");
    values[name] = finishValue(hash >= 0 ? line.slice(0, hash) : line);
    return lineStop + 1;
  }
}
