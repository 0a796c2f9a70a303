/**
 * Streaming redaction for `vault run --mask`: every secret value, and the encodings a program
 * is likely to print it in, replaced by `[redacted:NAME]` in a byte stream.
 *
 * Works on bytes, so a multi-byte UTF-8 character split across two chunks is no problem.
 * Matches are chosen leftmost first, then longest (a padded base64 form wins over its unpadded
 * prefix). A chunk's tail is held back only while it could still be the start of a value, so at
 * most `longest - 1` bytes wait for the next chunk and text that cannot start a value (a
 * prompt, a line) is passed on at once.
 *
 * Limit: the base64 of a value embedded in a longer base64 text at another alignment (offset
 * not a multiple of 3 bytes) has different characters and cannot be found in general; only the
 * value's own encodings are masked.
 */
import { Transform, type TransformCallback } from "node:stream";

/** A byte sequence to replace, and the secret it stands for. */
export interface MaskPattern {
  /** The bytes to find (never empty). */
  bytes: Buffer;
  /** The secret's name, shown as `[redacted:NAME]`. */
  name: string;
}

/** A secret to mask: its name and value. */
export interface MaskedSecret {
  name: string;
  value: string;
}

/**
 * The forms of `value` that are masked: the UTF-8 bytes, base64 and base64url (with and without
 * padding), hex (lower and upper case), URL-encoded (`encodeURIComponent` and form encoding)
 * and JSON-string-escaped. Duplicates removed.
 */
export function valueForms(value: string): Buffer[] {
  const raw = Buffer.from(value, "utf8");
  const base64 = raw.toString("base64");
  const base64Url = raw.toString("base64url");
  const texts = [
    base64,
    base64.replace(/(?<!=)=+$/, ""),
    base64Url,
    base64Url + "=".repeat((4 - (base64Url.length % 4)) % 4),
    raw.toString("hex"),
    raw.toString("hex").toUpperCase(),
    JSON.stringify(value).slice(1, -1),
    new URLSearchParams({ v: value }).toString().slice(2),
  ];
  try {
    texts.push(encodeURIComponent(value));
  } catch {
    // A lone surrogate cannot be URL-encoded, so it cannot be printed that way either.
  }
  const forms = [raw];
  const seen = new Set([raw.toString("latin1")]);
  for (const text of texts) {
    const bytes = Buffer.from(text, "utf8");
    const key = bytes.toString("latin1");
    if (bytes.length > 0 && !seen.has(key)) {
      seen.add(key);
      forms.push(bytes);
    }
  }
  return forms;
}

/**
 * The patterns masking `secrets` (each value in every form of {@link valueForms}). A byte
 * sequence shared by two secrets is reported under the first one's name.
 */
export function maskPatterns(secrets: readonly MaskedSecret[]): MaskPattern[] {
  const patterns: MaskPattern[] = [];
  const seen = new Set<string>();
  for (const secret of secrets) {
    if (secret.value === "") continue;
    for (const bytes of valueForms(secret.value)) {
      const key = bytes.toString("latin1");
      if (seen.has(key)) continue;
      seen.add(key);
      patterns.push({ bytes, name: secret.name });
    }
  }
  return patterns;
}

/** The replacement text for a secret named `name`. */
export function redactionOf(name: string): string {
  return `[redacted:${name}]`;
}

interface CompiledPattern {
  bytes: Buffer;
  replacement: Buffer;
  /** Bytes that occur in the pattern before its last byte: a tail ending elsewhere cannot start it. */
  inner: Uint8Array;
  /** The first bytes (up to 8, fewer than all), searched for natively when a tail may start it. */
  probe: Buffer;
}

interface Match {
  at: number;
  pattern: CompiledPattern;
}

/** A function giving the earliest, then longest, match at or after a position. */
type Finder = (from: number) => Match | undefined;

const EMPTY = Buffer.alloc(0);
/** Up to this many patterns, one native `indexOf` each is as fast as {@link ManyPatterns}. */
const INDEX_OF_LIMIT = 8;
/** With many patterns, those of at least this many bytes are found by {@link ManyPatterns}. */
const MIN_WINDOW = 8;
/** Bytes at the end of a window that decide how far it jumps. */
const BLOCK_BYTES = 3;
const BLOCK_HASH_BITS = 18;
/** Longer windows hardly skip further and would need wider shift entries. */
const MAX_WINDOW = 255;
/** Tails up to this long are checked byte by byte in JavaScript, longer ones natively. */
const SHORT_TAIL = 256;

function compile(pattern: MaskPattern): CompiledPattern {
  const inner = new Uint8Array(256);
  for (let i = 0; i < pattern.bytes.length - 1; i++) inner[pattern.bytes[i] as number] = 1;
  return {
    bytes: pattern.bytes,
    replacement: Buffer.from(redactionOf(pattern.name), "utf8"),
    inner,
    probe: pattern.bytes.subarray(0, Math.min(8, pattern.bytes.length - 1)),
  };
}

/** The table slot of the 3 bytes ending at `end` (a multiplicative hash). */
function blockKey(bytes: Uint8Array, end: number): number {
  const word =
    (bytes[end - 2] as number) | ((bytes[end - 1] as number) << 8) | ((bytes[end] as number) << 16);
  return Math.imul(word, 0x9e3779b1) >>> (32 - BLOCK_HASH_BITS);
}

/**
 * Searches `buf` for `patterns` with one native `indexOf` each; a result is kept while it is
 * still ahead of the search position.
 */
function indexOfFinder(buf: Buffer, patterns: readonly CompiledPattern[]): Finder {
  // next[i]: the first occurrence of pattern i at or after where it was last searched from
  // (-1: none in this buffer; -2: not searched yet). Still the answer while it is >= from.
  const next = new Array<number>(patterns.length).fill(-2);
  return (from) => {
    let best: CompiledPattern | undefined;
    let bestAt = buf.length;
    for (let i = 0; i < patterns.length; i++) {
      const pattern = patterns[i] as CompiledPattern;
      let at = next[i] as number;
      if (at === -1) continue;
      if (at < from) {
        at = buf.indexOf(pattern.bytes, from);
        next[i] = at;
        if (at === -1) continue;
      }
      if (at < bestAt || (at === bestAt && best && pattern.bytes.length > best.bytes.length)) {
        best = pattern;
        bestAt = at;
      }
    }
    return best ? { at: bestAt, pattern: best } : undefined;
  };
}

/**
 * Many patterns at once, with the Wu-Manber algorithm: a window as long as the shortest
 * pattern (up to {@link MAX_WINDOW} bytes) slides along the text; the 3 bytes at its end say how
 * far it can jump without passing the start of any pattern, and only where they end some
 * pattern's first window are patterns compared. In text unlike the values, most windows jump
 * by nearly their length, so the cost hardly grows with the number of patterns.
 */
class ManyPatterns {
  readonly #window: number;
  /** How far the window may move when its last 3 bytes hash to this slot. */
  readonly #shift: Uint8Array;
  /** Patterns whose first window ends with bytes of this slot, longest first. */
  readonly #buckets = new Map<number, CompiledPattern[]>();

  constructor(patterns: readonly CompiledPattern[]) {
    const shortest = patterns.reduce((min, p) => Math.min(min, p.bytes.length), MAX_WINDOW);
    const window = Math.max(BLOCK_BYTES, shortest);
    this.#window = window;
    this.#shift = new Uint8Array(1 << BLOCK_HASH_BITS).fill(window - BLOCK_BYTES + 1);
    for (const pattern of patterns) {
      const bytes = new Uint8Array(pattern.bytes.buffer, pattern.bytes.byteOffset, window);
      for (let end = BLOCK_BYTES - 1; end < window; end++) {
        const key = blockKey(bytes, end);
        this.#shift[key] = Math.min(this.#shift[key] as number, window - 1 - end);
      }
      const key = blockKey(bytes, window - 1);
      const bucket = this.#buckets.get(key) ?? [];
      bucket.push(pattern);
      bucket.sort((x, y) => y.bytes.length - x.bytes.length);
      this.#buckets.set(key, bucket);
    }
  }

  /** The first match starting in [from, last], longest at its position. */
  find(buf: Buffer, from: number, last: number): Match | undefined {
    const window = this.#window;
    const shift = this.#shift;
    // A plain Uint8Array view keeps the loop fast in V8.
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    const stop = Math.min(buf.length - 1, last + window - 1);
    for (let end = from + window - 1; end <= stop; ) {
      const key = blockKey(bytes, end);
      const jump = shift[key] as number;
      if (jump > 0) {
        end += jump;
        continue;
      }
      const at = end - window + 1;
      for (const pattern of this.#buckets.get(key) ?? []) {
        const patternEnd = at + pattern.bytes.length;
        if (
          patternEnd <= buf.length &&
          buf.compare(pattern.bytes, 0, pattern.bytes.length, at, patternEnd) === 0
        ) {
          return { at, pattern };
        }
      }
      end += 1;
    }
    return undefined;
  }
}

/**
 * The earliest position `p >= from` where `buf[p..)` is a proper prefix of `pattern` (the next
 * chunk decides whether the pattern is there), or -1.
 */
function openPrefixStart(pattern: CompiledPattern, buf: Buffer, from: number): number {
  const end = buf.length;
  const { bytes, probe } = pattern;
  let at = Math.max(from, end - bytes.length + 1);
  if (at >= end || pattern.inner[buf[end - 1] as number] !== 1) return -1;
  if (end - at <= SHORT_TAIL) {
    // Short tails (the usual case): a plain loop costs less than calls into native code.
    const first = bytes[0];
    for (; at < end; at++) {
      if (buf[at] !== first) continue;
      let same = 1;
      while (at + same < end && buf[at + same] === bytes[same]) same++;
      if (at + same === end) return at;
    }
    return -1;
  }
  // Where the probe fits, jump between its occurrences and compare the rest natively.
  while (at <= end - probe.length) {
    at = buf.indexOf(probe, at);
    if (at < 0) break;
    if (buf.compare(bytes, probe.length, end - at, at + probe.length, end) === 0) return at;
    at += 1;
  }
  for (at = Math.max(from, end - probe.length + 1); at < end; at++) {
    if (buf.compare(bytes, 0, end - at, at, end) === 0) return at;
  }
  return -1;
}

/**
 * Redacts a byte stream chunk by chunk. {@link Redactor.push} returns what can be emitted now;
 * {@link Redactor.end} returns the rest. The output is the same however the input is cut.
 */
export class Redactor {
  readonly #patterns: CompiledPattern[];
  /** With many patterns: those of {@link MIN_WINDOW} bytes or more. */
  readonly #many: ManyPatterns | undefined;
  /** The patterns found with indexOf: all of them, or with many, the short ones. */
  readonly #searched: CompiledPattern[];
  /** Length of the longest pattern: at most this minus one byte is ever held back. */
  readonly longest: number;
  #held: Buffer = EMPTY;

  constructor(patterns: readonly MaskPattern[]) {
    for (const [index, pattern] of patterns.entries()) {
      if (!Buffer.isBuffer(pattern.bytes) || pattern.bytes.length === 0) {
        throw new TypeError(`"patterns[${index}].bytes" expected a non-empty Buffer`);
      }
    }
    this.#patterns = patterns.map(compile);
    this.longest = patterns.reduce((max, pattern) => Math.max(max, pattern.bytes.length), 0);
    // A short pattern would make every window short: those are searched with indexOf.
    const long = this.#patterns.filter((pattern) => pattern.bytes.length >= MIN_WINDOW);
    if (long.length > INDEX_OF_LIMIT) {
      this.#many = new ManyPatterns(long);
      this.#searched = this.#patterns.filter((pattern) => pattern.bytes.length < MIN_WINDOW);
    } else {
      this.#searched = this.#patterns;
    }
  }

  /** Bytes held back because they may start a value that the next chunk completes. */
  get held(): number {
    return this.#held.length;
  }

  /** Redacts the next chunk; returns the output that is final now. */
  push(chunk: Uint8Array): Buffer {
    if (chunk.length === 0) return EMPTY;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.#held.length === 0 ? bytes : Buffer.concat([this.#held, bytes]);
    return join(this.#scan(buf, false));
  }

  /** Ends the stream: returns the held-back bytes, redacted. */
  end(): Buffer {
    const buf = this.#held;
    this.#held = EMPTY;
    return buf.length === 0 ? EMPTY : join(this.#scan(buf, true));
  }

  /**
   * Replaces every match that starts before the hold point, left to right, earliest then
   * longest; keeps the bytes from the hold point on for the next chunk (none when `final`).
   */
  #scan(buf: Buffer, final: boolean): Buffer[] {
    const out: Buffer[] = [];
    const find = this.#finder(buf);
    let from = 0;
    let hold = final ? buf.length : this.#holdPoint(buf, 0);
    for (;;) {
      const match = find(from);
      if (!match || match.at >= hold) break;
      if (match.at > from) out.push(buf.subarray(from, match.at));
      out.push(match.pattern.replacement);
      from = match.at + match.pattern.bytes.length;
      if (from > hold) hold = this.#holdPoint(buf, from);
    }
    if (hold > from) out.push(buf.subarray(from, hold));
    const keepFrom = Math.max(from, hold);
    // Copy the tail so a large chunk is not kept alive by a few held bytes.
    this.#held = keepFrom < buf.length ? Buffer.from(buf.subarray(keepFrom)) : EMPTY;
    return out;
  }

  /** The earliest, then longest, match at or after a position of `buf`. */
  #finder(buf: Buffer): Finder {
    const searched = indexOfFinder(buf, this.#searched);
    const many = this.#many;
    if (!many) return searched;
    return (from) => {
      const short = searched(from);
      // A longer pattern at the short match's position wins there.
      return many.find(buf, from, short ? short.at : buf.length) ?? short;
    };
  }

  /**
   * The first position at or after `from` where the rest of `buf` is a proper prefix of some
   * pattern (`buf.length` when none): from there on, the next chunk decides.
   */
  #holdPoint(buf: Buffer, from: number): number {
    let hold = buf.length;
    for (const pattern of this.#patterns) {
      const start = openPrefixStart(pattern, buf, from);
      if (start >= 0 && start < hold) hold = start;
    }
    return hold;
  }
}

function join(parts: Buffer[]): Buffer {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0] as Buffer;
  return Buffer.concat(parts);
}

/** Redacts a whole buffer at once. */
export function redact(bytes: Uint8Array, patterns: readonly MaskPattern[]): Buffer {
  const redactor = new Redactor(patterns);
  const head = redactor.push(bytes);
  const tail = redactor.end();
  return tail.length === 0 ? Buffer.from(head) : Buffer.concat([head, tail]);
}

/** A Transform stream that redacts `patterns` from the bytes written to it. */
export function createRedactStream(patterns: readonly MaskPattern[]): Transform {
  const redactor = new Redactor(patterns);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const out = redactor.push(chunk);
      if (out.length > 0) this.push(out);
      callback();
    },
    flush(callback: TransformCallback) {
      const out = redactor.end();
      if (out.length > 0) this.push(out);
      callback();
    },
  });
}
