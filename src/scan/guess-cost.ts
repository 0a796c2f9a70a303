/**
 * A conservative estimate of how many guesses recover a piece of text, for deciding which
 * windows of a value the scanner may fingerprint (fingerprints.ts): with `scan.key` and
 * `fingerprints.json` in hand, each stored window is a separate offline guessing target, so a
 * window is stored only when guessing it costs at least 2^{@link MIN_GUESS_BITS}.
 *
 * The estimator assumes the attacker knows the shape of the text and guesses its parts:
 *
 * - ASCII punctuation, white space and control characters cost nothing: they are the
 *   structure (`{"pin":"…"}`, `user:…@host`), assumed known.
 * - The rest splits into segments (maximal runs of letters, digits and non-ASCII bytes, which
 *   count as lower-case letters). A segment shaped the way people write (one word, lower case,
 *   upper case or capitalised, and/or one run of digits: `alice`, `Summer2024`, `2024summer`,
 *   `482913`) costs at most 20 bits for its letters (one word of a 2^20-entry list, however
 *   long; log2 26 per letter when shorter), 1 bit for a capital and log2 10 per digit.
 * - Any other segment (classes mixed the way random strings mix them) costs log2(pool) bits per
 *   character, where pool is the sum of the classes present (26 lower, 26 upper, 10 digits;
 *   16 when it is all hexadecimal), lowered to log2(2 × distinct characters) when fewer than
 *   half its characters are distinct (`aAaAaA`, `Ab1Ab1`).
 *
 * So a 16-byte window of a random base62 token counts about 95 bits and of a random hex string
 * 64; the windows of `{"user":"alice","pin":"482913"}`, `postgres://app:Summer2024!@db…`, a
 * 16-digit card number (53) or `https://bob:hunter22@…` count well under 64 and are not stored.
 * The estimate errs low: a random value can lose a window (never found through that window),
 * a guessable one should not keep one.
 */

/** log2 of the guesses a stored window must cost at least. */
export const MIN_GUESS_BITS = 64;

/** The most a run of letters shaped like a word counts: one entry of a 2^20-word list. */
const WORD_BITS = 20;
const LETTER_BITS = Math.log2(26);
const DIGIT_BITS = Math.log2(10);

const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

/** Byte → class: letters, digits, non-ASCII (as lower case), everything else (structure). */
const CLASS = Uint8Array.from({ length: 256 }, (_, byte) => {
  if (byte >= 0x61 && byte <= 0x7a) return LOWER;
  if (byte >= 0x41 && byte <= 0x5a) return UPPER;
  if (byte >= 0x30 && byte <= 0x39) return DIGIT;
  return byte >= 0x80 ? LOWER : OTHER;
});

/** `seen[byte] === stamp`: the byte occurred in the segment being estimated. */
const seen = new Uint32Array(256);
let stamp = 0;

const isHexLetter = (byte: number) =>
  (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46);

/** The estimate of one segment (letters, digits and non-ASCII bytes only) in bits. */
function segmentBits(bytes: Uint8Array, from: number, to: number): number {
  const length = to - from;
  let digits = 0;
  let hasLower = false;
  let hasUpper = false;
  let isHex = true;
  let letterRuns = 0;
  let digitRuns = 0;
  let capitalised = false;
  let previous = OTHER;
  // Distinct bytes, counted with a stamp per call (the scanner calls this once per window).
  stamp++;
  let distinct = 0;
  for (let at = from; at < to; at++) {
    const byte = bytes[at] as number;
    let kind = CLASS[byte] as number;
    if (seen[byte] !== stamp) {
      seen[byte] = stamp;
      distinct++;
    }
    if (kind === DIGIT) digits++;
    else if (!isHexLetter(byte)) isHex = false;
    if (kind === LOWER) hasLower = true;
    if (kind === UPPER) hasUpper = true;
    // A capital that starts a lower-case word ("Summer", "2024Summer") belongs to that word.
    if (
      kind === UPPER &&
      !capitalised &&
      previous !== UPPER &&
      previous !== LOWER &&
      at + 1 < to &&
      CLASS[bytes[at + 1] as number] === LOWER
    ) {
      kind = LOWER;
      capitalised = true;
    }
    if (kind !== previous) {
      if (kind === DIGIT) digitRuns++;
      else letterRuns++;
    }
    previous = kind;
  }
  if (letterRuns <= 1 && digitRuns <= 1) {
    const letters = length - digits;
    return Math.min(letters * LETTER_BITS, WORD_BITS) + (capitalised ? 1 : 0) + digits * DIGIT_BITS;
  }
  let pool = (hasLower ? 26 : 0) + (hasUpper ? 26 : 0) + (digits > 0 ? 10 : 0);
  if (isHex && !(hasLower && hasUpper)) pool = 16;
  return length * Math.log2(2 * distinct >= length ? pool : Math.min(pool, 2 * distinct));
}

/**
 * True for the bytes that can add to an estimate (letters, digits, non-ASCII). A window with
 * fewer than {@link MIN_COUNTED_BYTES} of them is under 2^64 whatever they are.
 */
export function isCountedByte(byte: number): boolean {
  return CLASS[byte] !== OTHER;
}

/** No byte counts more than log2 62 bits, so 2^64 needs at least 11 of them. */
export const MIN_COUNTED_BYTES = Math.ceil(MIN_GUESS_BITS / Math.log2(62));

/**
 * The estimated log2 of the guesses that recover `bytes[from, to)` (see the module comment).
 * A function of those bytes alone, so the scanner and the writer agree on it: the scanner
 * skips a window estimated under 2^64, which the writer never stores.
 */
export function guessBits(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let bits = 0;
  let at = from;
  while (at < to) {
    if (CLASS[bytes[at] as number] === OTHER) {
      at++;
      continue;
    }
    let end = at;
    while (end < to && CLASS[bytes[end] as number] !== OTHER) end++;
    bits += segmentBits(bytes, at, end);
    at = end;
  }
  return bits;
}
