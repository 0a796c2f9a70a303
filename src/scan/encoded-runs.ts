/**
 * The runs of a text that may hold a value in an encoded form (hex, base64 / base64url,
 * URL-encoded, JSON-escaped), decoded, so the fingerprint matcher can look for the raw value
 * in them. Each kind is found by a single-pass scanner (no regular expression that can
 * backtrack): linear in the text's length.
 */
import { isJsWhitespace } from "../whitespace.js";

/** A run of the text in an encoding, decoded; `start`/`end` are UTF-16 offsets in the text. */
export interface DecodedRun {
  start: number;
  end: number;
  bytes: Uint8Array;
}

const isHexDigit = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

const isBase64Char = (code: number) =>
  (code >= 48 && code <= 57) ||
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  code === 43 || // +
  code === 47 || // /
  code === 95 || // _
  code === 45; // -

/** Calls `run(start, end)` for each maximal run of `isMember` characters at least `min` long. */
function eachRun(
  text: string,
  isMember: (code: number) => boolean,
  min: number,
  run: (start: number, end: number) => void,
): void {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isMember(text.charCodeAt(i))) continue;
    if (i - start >= min) run(start, i);
    start = i + 1;
  }
}

/** Length of a JSON string escape at `at` (a backslash), or 0 when it is not one. */
function jsonEscapeLength(text: string, at: number): number {
  const next = text.charCodeAt(at + 1);
  // " \ / b f n r t
  if ([34, 92, 47, 98, 102, 110, 114, 116].includes(next)) return 2;
  if (next !== 117) return 0; // u
  for (let i = at + 2; i < at + 6; i++) if (!isHexDigit(text.charCodeAt(i))) return 0;
  return 6;
}

/**
 * Calls `run(start, end)` for each maximal run of JSON string content (characters other than
 * white space, `"` and `\`, and valid escapes) holding at least one escape: what the pattern
 * `(?:[^\s"\\]|ESC)*ESC(?:[^\s"\\]|ESC)*` matches, found in one pass.
 */
function eachJsonEscapedRun(text: string, run: (start: number, end: number) => void): void {
  let start = 0;
  let hasEscape = false;
  let i = 0;
  while (i <= text.length) {
    const code = i < text.length ? text.charCodeAt(i) : -1;
    if (code === 92) {
      const length = jsonEscapeLength(text, i);
      if (length > 0) {
        hasEscape = true;
        i += length;
        continue;
      }
    } else if (code !== -1 && code !== 34 && !isJsWhitespace(code)) {
      i++;
      continue;
    }
    if (hasEscape) run(start, i);
    hasEscape = false;
    i++;
    start = i;
  }
}

/** True when text[start, end) holds `%` and two hex digits (looks at that span only). */
function hasPercentEscape(text: string, start: number, end: number): boolean {
  for (let i = start; i + 2 < end; i++) {
    if (
      text.charCodeAt(i) === 37 &&
      isHexDigit(text.charCodeAt(i + 1)) &&
      isHexDigit(text.charCodeAt(i + 2))
    ) {
      return true;
    }
  }
  return false;
}

/**
 * The hex, base64 / base64url, URL-encoded and JSON-escaped runs of `text`, decoded: where a
 * value pasted in an encoded form can be found again (its fingerprints are of the raw bytes
 * only, so that no encoded form adds windows that overlap). Each kind is found in one linear
 * pass, and each run is decoded once per decoding: linear in the text's length.
 */
export function decodedRuns(text: string, shortest: number): DecodedRun[] {
  const runs: DecodedRun[] = [];
  const add = (start: number, end: number, decode: (run: string) => Uint8Array) => {
    let bytes: Uint8Array | undefined;
    try {
      bytes = decode(text.slice(start, end));
    } catch {
      bytes = undefined;
    }
    if (bytes && bytes.length >= shortest) runs.push({ start, end, bytes });
  };
  eachRun(text, isHexDigit, 16, (start, end) =>
    add(start, end, (run) => Buffer.from(run.length % 2 === 0 ? run : run.slice(0, -1), "hex")),
  );
  eachRun(text, isBase64Char, 12, (start, end) => {
    // Up to two `=` of padding belong to the run.
    let padded = end;
    while (padded < end + 2 && text.charCodeAt(padded) === 61) padded++;
    add(start, padded, (run) => Buffer.from(run, "base64"));
  });
  const isUrlChar = (code: number) =>
    !isJsWhitespace(code) &&
    code !== 34 &&
    code !== 39 &&
    code !== 60 &&
    code !== 62 &&
    code !== 96;
  eachRun(text, isUrlChar, 3, (start, end) => {
    if (!hasPercentEscape(text, start, end)) return;
    add(start, end, (run) => Buffer.from(decodeURIComponent(run), "utf8"));
    add(start, end, (run) => Buffer.from(decodeURIComponent(run.replaceAll("+", "%20")), "utf8"));
  });
  eachJsonEscapedRun(text, (start, end) =>
    add(start, end, (run) => Buffer.from(JSON.parse(`"${run}"`) as string, "utf8")),
  );
  return runs;
}
