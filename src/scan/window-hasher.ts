/**
 * The fingerprint matcher's inner loop: SipHash-2-4 of every window of a run of bytes, looked up
 * in the table of stored fingerprints, in WebAssembly.
 *
 * In JavaScript, SipHash works on 32-bit halves and costs about 190 ns a 16-byte window: a
 * mebibyte of dense text (base64, hex, minified code) took over half a second. WebAssembly has
 * 64-bit integers, so the same hash is a few dozen instructions; the loop that slides the
 * window, keeps its counts and probes the table runs there too, and JavaScript sees only the
 * hits. The module is written here, instruction by instruction (wasm-module.ts encodes it);
 * the tests check it against the JavaScript SipHash and libsodium's. Where the runtime has no
 * WebAssembly (`node --jitless`), the same loop runs in JavaScript.
 *
 * A window is hashed only when the matcher's writer could have stored it: no breaker byte in it
 * (a character no stored value holds) and at least `minCounted` bytes that can add to a guess
 * estimate (guess-cost.ts).
 */
import { randomBytes } from "node:crypto";
import { type SipKey, sipHash24 } from "./siphash.js";
import { I32, I64, op, type ValueType, type WasmFunction, wasmModule } from "./wasm-module.js";

/** Memory layout (byte offsets). */
const BREAKER_TABLE = 0;
const COUNTED_TABLE = 256;
const INITIAL_STATE = 512;
/** The print table's slot function: two random odd 32-bit multipliers, then the shift. */
const SLOT_MULTIPLIERS = 544;
const SLOT_SHIFT = 552;
const PRINT_TABLE = 1024;
/** Bytes a print-table slot takes: the 64-bit print, then a 32-bit "used" flag, padding. */
const SLOT_BYTES = 16;
/** Hits returned by one call at most; the caller calls again after the last one. */
const MAX_HITS = 4096;
const HIT_BYTES = 8;
/** Bytes after a text that a load of a window's last word may read (a window is 16 at most). */
const TEXT_PADDING = 16;
const PAGE = 65536;

/** The longest window it hashes. */
export const MAX_WINDOW = 16;

// The function's parameters, then its locals, by index.
const TEXT = 0;
const SIZE = 1;
const LENGTH = 2;
const MIN_COUNTED = 3;
const TABLE = 4;
const MASK = 5;
const HITS = 6;
const HIT_LIMIT = 7;
const AT = 8;
const COUNTED = 9;
const BREAKERS = 10;
const FOUND = 11;
const BYTE = 12;
const SLOT = 13;
const ADDRESS = 14;
const V0 = 15;
const V1 = 16;
const V2 = 17;
const V3 = 18;
const WORD = 19;
const HASH = 20;
const TAIL_MASK = 21;
const LENGTH_TAG = 22;
const S0 = 23;
const S1 = 24;
const S2 = 25;
const S3 = 26;
const MULTIPLIER_LOW = 27;
const MULTIPLIER_HIGH = 28;
const SHIFT = 29;

/** `a += b; b = rotl(b, bits) ^ a` (one quarter of a SipRound). */
const addRotateXor = (a: number, b: number, bits: number) => [
  op.get(a),
  op.get(b),
  op.i64Add(),
  op.set(a),
  op.get(b),
  op.i64Const(bits),
  op.i64Rotl(),
  op.get(a),
  op.i64Xor(),
  op.set(b),
];
const rotateHalf = (v: number) => [op.get(v), op.i64Const(32), op.i64Rotl(), op.set(v)];

/** `local += 1` (an i32). */
const increment = (local: number) => [op.get(local), op.i32Const(1), op.i32Add(), op.set(local)];

/** SipRound (the paper's figure 2.1). */
const sipRound = () => [
  ...addRotateXor(V0, V1, 13),
  ...rotateHalf(V0),
  ...addRotateXor(V2, V3, 16),
  ...addRotateXor(V0, V3, 21),
  ...addRotateXor(V2, V1, 17),
  ...rotateHalf(V2),
];

/** One message word (on the stack) through c = 2 rounds. */
const compress = () => [
  op.set(WORD),
  op.get(V3),
  op.get(WORD),
  op.i64Xor(),
  op.set(V3),
  ...sipRound(),
  ...sipRound(),
  op.get(V0),
  op.get(WORD),
  op.i64Xor(),
  op.set(V0),
];

/** The word of the window at `offset`, its bytes past the window cleared, the length tag set. */
const lastWord = (offset: number) => [
  op.get(TEXT),
  op.get(AT),
  op.i32Add(),
  op.i64Load(offset),
  op.get(TAIL_MASK),
  op.i64And(),
  op.get(LENGTH_TAG),
  op.i64Or(),
];
const wholeWord = (offset: number) => [op.get(TEXT), op.get(AT), op.i32Add(), op.i64Load(offset)];

/** SipHash-2-4 of the window at TEXT + AT of LENGTH bytes, into HASH. */
const hashWindow = () => [
  ...[V0, V1, V2, V3].flatMap((v, i) => [op.get([S0, S1, S2, S3][i] as number), op.set(v)]),
  op.get(LENGTH),
  op.i32Const(MAX_WINDOW),
  op.i32Eq(),
  op.if(),
  ...wholeWord(0),
  ...compress(),
  ...wholeWord(8),
  ...compress(),
  op.get(LENGTH_TAG),
  ...compress(),
  op.else(),
  op.get(LENGTH),
  op.i32Const(8),
  op.i32GeU(),
  op.if(),
  ...wholeWord(0),
  ...compress(),
  ...lastWord(8),
  ...compress(),
  op.else(),
  ...lastWord(0),
  ...compress(),
  op.end(),
  op.end(),
  op.get(V2),
  op.i64Const(0xff),
  op.i64Xor(),
  op.set(V2),
  ...sipRound(),
  ...sipRound(),
  ...sipRound(),
  ...sipRound(),
  op.get(V0),
  op.get(V1),
  op.i64Xor(),
  op.get(V2),
  op.i64Xor(),
  op.get(V3),
  op.i64Xor(),
  op.set(HASH),
];

/**
 * COUNTED and BREAKERS, plus (`sign` 1) or minus (-1) the byte at TEXT + AT, or at
 * TEXT + AT + LENGTH (the byte after the window) with `pastWindow`.
 */
const countByte = (pastWindow: boolean, sign: 1 | -1) => {
  const update = (local: number, table: number) => [
    op.get(local),
    op.get(BYTE),
    op.i32Load8U(table),
    sign === 1 ? op.i32Add() : op.i32Sub(),
    op.set(local),
  ];
  return [
    op.get(TEXT),
    op.get(AT),
    op.i32Add(),
    ...(pastWindow ? [op.get(LENGTH), op.i32Add()] : []),
    op.i32Load8U(),
    op.set(BYTE),
    ...update(COUNTED, COUNTED_TABLE),
    ...update(BREAKERS, BREAKER_TABLE),
  ];
};

/**
 * Looks HASH up in the print table; on a hit, records AT and the slot (returns when full). The
 * first slot tried is the top bits of (low half x a random odd multiplier) xor (high half x
 * another): a fingerprint file can be written by an attacker, and prints chosen to share a slot
 * under a fixed function would make every lookup, and building the table, walk them all.
 */
const probe = () => [
  op.get(HASH),
  op.i32WrapI64(),
  op.get(MULTIPLIER_LOW),
  op.i32Mul(),
  op.get(HASH),
  op.i64Const(32),
  op.i64ShrU(),
  op.i32WrapI64(),
  op.get(MULTIPLIER_HIGH),
  op.i32Mul(),
  op.i32Xor(),
  op.get(SHIFT),
  op.i32ShrU(),
  op.set(SLOT),
  op.block(),
  op.loop(),
  op.get(TABLE),
  op.get(SLOT),
  op.i32Const(SLOT_BYTES),
  op.i32Mul(),
  op.i32Add(),
  op.tee(ADDRESS),
  op.i32Load(8),
  op.i32Eqz(),
  op.brIf(1),
  op.get(ADDRESS),
  op.i64Load(0),
  op.get(HASH),
  op.i64Eq(),
  op.if(),
  op.get(HITS),
  op.get(FOUND),
  op.i32Const(HIT_BYTES),
  op.i32Mul(),
  op.i32Add(),
  op.tee(ADDRESS),
  op.get(AT),
  op.i32Store(0),
  op.get(ADDRESS),
  op.get(SLOT),
  op.i32Store(4),
  op.get(FOUND),
  op.i32Const(1),
  op.i32Add(),
  op.tee(FOUND),
  op.get(HIT_LIMIT),
  op.i32Eq(),
  op.if(),
  op.get(FOUND),
  op.return(),
  op.end(),
  op.br(2),
  op.end(),
  op.get(SLOT),
  op.i32Const(1),
  op.i32Add(),
  op.get(MASK),
  op.i32And(),
  op.set(SLOT),
  op.br(0),
  op.end(),
  op.end(),
];

/**
 * hashWindows(text, size, length, minCounted, table, mask, hits, hitLimit) -> hits found:
 * every window of `length` bytes of text[0, size) with no breaker and `minCounted` counted
 * bytes is hashed and looked up; each hit is (start, slot) at hits + 8i. Stops after
 * `hitLimit` hits (the caller goes on after the last).
 */
const hashWindows = (): WasmFunction => ({
  name: "hashWindows",
  params: [I32, I32, I32, I32, I32, I32, I32, I32],
  results: [I32],
  locals: [
    ...Array<ValueType>(7).fill(I32),
    ...Array<ValueType>(12).fill(I64),
    ...Array<ValueType>(3).fill(I32),
  ],
  body: [
    // Fewer bytes than a window: nothing to hash.
    op.get(SIZE),
    op.get(LENGTH),
    op.i32LtU(),
    op.if(),
    op.i32Const(0),
    op.return(),
    op.end(),
    ...[S0, S1, S2, S3].flatMap((s, i) => [
      op.i32Const(0),
      op.i64Load(INITIAL_STATE + 8 * i),
      op.set(s),
    ]),
    op.i32Const(0),
    op.i32Load(SLOT_MULTIPLIERS),
    op.set(MULTIPLIER_LOW),
    op.i32Const(0),
    op.i32Load(SLOT_MULTIPLIERS + 4),
    op.set(MULTIPLIER_HIGH),
    op.i32Const(0),
    op.i32Load(SLOT_SHIFT),
    op.set(SHIFT),
    // The last word's mask keeps (length mod 8) bytes (none when the length is 8 or 16); the
    // tag is the length in the top byte.
    op.i64Const(1),
    op.get(LENGTH),
    op.i32Const(7),
    op.i32And(),
    op.i32Const(8),
    op.i32Mul(),
    op.i64ExtendI32U(),
    op.i64Shl(),
    op.i64Const(1),
    op.i64Sub(),
    op.set(TAIL_MASK),
    op.get(LENGTH),
    op.i64ExtendI32U(),
    op.i64Const(56),
    op.i64Shl(),
    op.set(LENGTH_TAG),
    // The counts of the first window.
    op.block(),
    op.loop(),
    op.get(AT),
    op.get(LENGTH),
    op.i32GeU(),
    op.brIf(1),
    ...countByte(false, 1),
    ...increment(AT),
    op.br(0),
    op.end(),
    op.end(),
    op.i32Const(0),
    op.set(AT),
    // Each window: hash and look up when it qualifies, then slide by one byte.
    op.block(),
    op.loop(),
    op.get(BREAKERS),
    op.i32Eqz(),
    op.get(COUNTED),
    op.get(MIN_COUNTED),
    op.i32GeU(),
    op.i32And(),
    op.if(),
    ...hashWindow(),
    ...probe(),
    op.end(),
    op.get(AT),
    op.get(LENGTH),
    op.i32Add(),
    op.get(SIZE),
    op.i32GeU(),
    op.brIf(1),
    ...countByte(false, -1),
    ...countByte(true, 1),
    ...increment(AT),
    op.br(0),
    op.end(),
    op.end(),
    op.get(FOUND),
  ],
});

/** The parts of the WebAssembly JavaScript API used here (Node's types do not declare them). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}
/** Undefined where the runtime has no WebAssembly (`node --jitless`). */
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi | undefined };

let compiled: object | undefined;
/** The module, written and compiled once per process, on first use. */
function hasherModule(): object {
  compiled ??= new (wasm as WasmApi).Module(wasmModule(1, [hashWindows()]));
  return compiled;
}

/** A stored fingerprint: the low and high 32 bits of the 64-bit SipHash. */
export interface Print {
  low: number;
  high: number;
}

/** What the windows of a run of bytes matched: `found` gets each window and its print. */
export type WindowHits<P extends Print> = (
  bytes: Uint8Array,
  found: (start: number, end: number, print: P) => void,
) => void;

/** What {@link windowHasher} needs. */
export interface WindowHasherOptions<P extends Print> {
  key: SipKey;
  /** The stored fingerprints (of equal ones, the first is reported). */
  prints: Iterable<P>;
  /** The window lengths to hash, 1 to 16 bytes each. */
  lengths: readonly number[];
  /** Bytes no stored value holds: a window with one is skipped. */
  isBreaker: (byte: number) => boolean;
  /** Bytes that can add to a guess estimate. */
  isCounted: (byte: number) => boolean;
  /** A window with fewer counted bytes is skipped. */
  minCounted: number;
}

/**
 * A function that calls `found` for every window of a run of bytes, of each of `lengths`,
 * whose SipHash-2-4 under `key` is one of `prints`. In WebAssembly where the runtime has it;
 * where it does not (`node --jitless`), {@link javascriptWindowHasher}.
 * @throws RangeError for a length outside 1..16
 */
export function windowHasher<P extends Print>(options: WindowHasherOptions<P>): WindowHits<P> {
  return wasm === undefined ? javascriptWindowHasher(options) : webAssemblyHasher(options);
}

/** The options' lengths, checked and without repeats. */
function windowLengths(options: WindowHasherOptions<Print>): number[] {
  for (const length of options.lengths) {
    if (!Number.isInteger(length) || length < 1 || length > MAX_WINDOW) {
      throw new RangeError(`window lengths are 1..${MAX_WINDOW} bytes, got ${length}`);
    }
  }
  return [...new Set(options.lengths)];
}

/** The options' prints, the first of equal ones kept. */
function distinctPrints<P extends Print>(options: WindowHasherOptions<P>): P[] {
  const prints = new Map<string, P>();
  for (const print of options.prints) {
    const id = `${print.low}:${print.high}`;
    if (!prints.has(id)) prints.set(id, print);
  }
  return [...prints.values()];
}

function webAssemblyHasher<P extends Print>(options: WindowHasherOptions<P>): WindowHits<P> {
  const lengths = windowLengths(options);
  // Equal prints are each put in the table (the first one is reported): no set of them is built.
  const prints = [...options.prints];
  let bits = 4;
  while (2 ** bits < 2 * prints.length) bits++;
  const slots = 2 ** bits;
  const random = randomBytes(8);
  const multiplierLow = random.readUInt32LE(0) | 1;
  const multiplierHigh = random.readUInt32LE(4) | 1;
  const firstSlot = (print: Print) =>
    (Math.imul(print.low, multiplierLow) ^ Math.imul(print.high, multiplierHigh)) >>> (32 - bits);
  const hitsAt = PRINT_TABLE + slots * SLOT_BYTES;
  const textAt = hitsAt + MAX_HITS * HIT_BYTES;
  const instance = new (wasm as WasmApi).Instance(hasherModule());
  const memory = instance.exports.memory as WasmMemory;
  const hash = instance.exports.hashWindows as (...args: number[]) => number;
  const ensure = (bytes: number) => {
    const short = bytes - memory.buffer.byteLength;
    if (short > 0) memory.grow(Math.ceil(short / PAGE));
  };
  ensure(textAt + TEXT_PADDING);
  const view = new DataView(memory.buffer);
  for (let byte = 0; byte < 256; byte++) {
    view.setUint8(BREAKER_TABLE + byte, options.isBreaker(byte) ? 1 : 0);
    view.setUint8(COUNTED_TABLE + byte, options.isCounted(byte) ? 1 : 0);
  }
  // SipHash's initial state: k0 and k1 xor "somepseudorandomlygeneratedbytes".
  const { k0lo, k0hi, k1lo, k1hi } = options.key;
  const state = [
    [k0lo ^ 0x70736575, k0hi ^ 0x736f6d65],
    [k1lo ^ 0x6e646f6d, k1hi ^ 0x646f7261],
    [k0lo ^ 0x6e657261, k0hi ^ 0x6c796765],
    [k1lo ^ 0x79746573, k1hi ^ 0x74656462],
  ];
  state.forEach(([low, high], i) => {
    view.setUint32(INITIAL_STATE + 8 * i, low as number, true);
    view.setUint32(INITIAL_STATE + 8 * i + 4, high as number, true);
  });
  view.setUint32(SLOT_MULTIPLIERS, multiplierLow, true);
  view.setUint32(SLOT_MULTIPLIERS + 4, multiplierHigh, true);
  view.setUint32(SLOT_SHIFT, 32 - bits, true);
  const bySlot = new Map<number, P>();
  for (const print of prints) {
    let slot = firstSlot(print);
    while (view.getUint32(PRINT_TABLE + slot * SLOT_BYTES + 8, true) !== 0) {
      slot = (slot + 1) & (slots - 1);
    }
    const at = PRINT_TABLE + slot * SLOT_BYTES;
    view.setUint32(at, print.low, true);
    view.setUint32(at + 4, print.high, true);
    view.setUint32(at + 8, 1, true);
    bySlot.set(slot, print);
  }
  return (bytes, found) => {
    if (prints.length === 0) return;
    ensure(textAt + bytes.length + TEXT_PADDING);
    const memoryBytes = new Uint8Array(memory.buffer);
    memoryBytes.set(bytes, textAt);
    memoryBytes.fill(0, textAt + bytes.length, textAt + bytes.length + TEXT_PADDING);
    const hits = new Int32Array(memory.buffer, hitsAt, MAX_HITS * 2);
    for (const length of lengths) {
      for (let from = 0; from + length <= bytes.length; ) {
        const count = hash(
          textAt + from,
          bytes.length - from,
          length,
          options.minCounted,
          PRINT_TABLE,
          slots - 1,
          hitsAt,
          MAX_HITS,
        );
        for (let i = 0; i < count; i++) {
          const start = from + (hits[2 * i] as number);
          found(start, start + length, bySlot.get(hits[2 * i + 1] as number) as P);
        }
        if (count < MAX_HITS) break;
        from += (hits[2 * (count - 1)] as number) + 1;
      }
    }
  };
}

/**
 * The window hasher in plain JavaScript, for runtimes without WebAssembly. Same windows, same
 * hits; SipHash on 32-bit halves costs about five times the WebAssembly loop with a JIT, and
 * under `node --jitless` (which interprets all JavaScript) seconds per MiB of dense text.
 * @throws RangeError for a length outside 1..16
 */
export function javascriptWindowHasher<P extends Print>(
  options: WindowHasherOptions<P>,
): WindowHits<P> {
  const lengths = windowLengths(options);
  const byLow = new Map<number, P[]>();
  for (const print of distinctPrints(options)) {
    const same = byLow.get(print.low);
    if (same) same.push(print);
    else byLow.set(print.low, [print]);
  }
  const out = new Uint32Array(2);
  return (bytes, found) => {
    if (byLow.size === 0) return;
    const counted = new Int32Array(bytes.length + 1);
    for (let i = 0; i < bytes.length; i++) {
      counted[i + 1] = (counted[i] as number) + (options.isCounted(bytes[i] as number) ? 1 : 0);
    }
    // Each run of bytes between breakers, then each window inside it.
    let runStart = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && !options.isBreaker(bytes[i] as number)) continue;
      for (const length of lengths) {
        for (let at = runStart; at + length <= i; at++) {
          if ((counted[at + length] as number) - (counted[at] as number) < options.minCounted) {
            continue;
          }
          sipHash24(options.key, bytes, at, at + length, out);
          for (const print of byLow.get(out[0] as number) ?? []) {
            if (print.high === out[1]) found(at, at + length, print);
          }
        }
      }
      runStart = i + 1;
    }
  };
}
