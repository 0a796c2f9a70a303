/**
 * Writes a small WebAssembly module in its binary format (WebAssembly Core Specification 2.0,
 * section 5): one exported memory and exported functions of i32/i64 parameters and results,
 * their bodies given as byte sequences made with the instruction helpers below. Enough for the
 * scanner's hot loops; not a general assembler.
 */

/** Value types (spec 5.3.1). */
export const I32 = 0x7f;
export const I64 = 0x7e;
export type ValueType = typeof I32 | typeof I64;

/** Unsigned LEB128 (spec 5.2.2). */
function unsigned(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 (spec 5.2.2) of an integer within 2^53 (i32 constants, small i64 ones). */
function signed(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = ((rest % 128) + 128) % 128;
    rest = (rest - byte) / 128;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vector = (items: number[][]): number[] => [...unsigned(items.length), ...items.flat()];
const named = (name: string): number[] => vector([...Buffer.from(name, "utf8")].map((b) => [b]));
const section = (id: number, body: number[]): number[] => [id, ...unsigned(body.length), ...body];

/** Instructions (spec 5.4); each returns its bytes. */
export const op = {
  block: () => [0x02, 0x40],
  loop: () => [0x03, 0x40],
  if: () => [0x04, 0x40],
  else: () => [0x05],
  end: () => [0x0b],
  br: (depth: number) => [0x0c, ...unsigned(depth)],
  brIf: (depth: number) => [0x0d, ...unsigned(depth)],
  return: () => [0x0f],
  get: (local: number) => [0x20, ...unsigned(local)],
  set: (local: number) => [0x21, ...unsigned(local)],
  tee: (local: number) => [0x22, ...unsigned(local)],
  /** Loads and stores take a byte offset added to the address; alignment hints are 0 (any). */
  i32Load: (offset = 0) => [0x28, 0, ...unsigned(offset)],
  i64Load: (offset = 0) => [0x29, 0, ...unsigned(offset)],
  i32Load8U: (offset = 0) => [0x2d, 0, ...unsigned(offset)],
  i32Store: (offset = 0) => [0x36, 0, ...unsigned(offset)],
  i32Const: (value: number) => [0x41, ...signed(value | 0)],
  /** An i64 constant within 2^53 (the rotation counts and masks used here). */
  i64Const: (value: number) => {
    if (!Number.isSafeInteger(value)) throw new RangeError(`i64 constant out of range: ${value}`);
    return [0x42, ...signed(value)];
  },
  i32Eqz: () => [0x45],
  i32Eq: () => [0x46],
  i32Ne: () => [0x47],
  i32LtU: () => [0x49],
  i32GtU: () => [0x4b],
  i32GeU: () => [0x4f],
  i64Eq: () => [0x51],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32Mul: () => [0x6c],
  i32And: () => [0x71],
  i32Or: () => [0x72],
  i32Xor: () => [0x73],
  i32ShrU: () => [0x76],
  i64Add: () => [0x7c],
  i64Sub: () => [0x7d],
  i64And: () => [0x83],
  i64Or: () => [0x84],
  i64Xor: () => [0x85],
  i64Shl: () => [0x86],
  i64ShrU: () => [0x88],
  i64Rotl: () => [0x89],
  i32WrapI64: () => [0xa7],
  i64ExtendI32U: () => [0xad],
} as const;

/** One exported function: its name, parameter and result types, extra locals and body. */
export interface WasmFunction {
  name: string;
  params: ValueType[];
  results: ValueType[];
  /** Types of the locals after the parameters, in order. */
  locals: ValueType[];
  /** The instructions, without the final `end`. */
  body: number[][];
}

/**
 * The bytes of a module that exports `memory` (starting at `pages` pages of 64 KiB, growable)
 * and each of `functions` under its name.
 */
export function wasmModule(pages: number, functions: readonly WasmFunction[]): Uint8Array {
  const types = section(
    1,
    vector(
      functions.map((fn) => [
        0x60,
        ...vector(fn.params.map((t) => [t])),
        ...vector(fn.results.map((t) => [t])),
      ]),
    ),
  );
  const declared = section(3, vector(functions.map((_, index) => unsigned(index))));
  const memory = section(5, vector([[0x00, ...unsigned(pages)]]));
  const exports = section(
    7,
    vector([
      [...named("memory"), 0x02, 0],
      ...functions.map((fn, index) => [...named(fn.name), 0x00, ...unsigned(index)]),
    ]),
  );
  const code = section(
    10,
    vector(
      functions.map((fn) => {
        const locals = vector(fn.locals.map((type) => [...unsigned(1), type]));
        const body = [...locals, ...fn.body.flat(), 0x0b];
        return [...unsigned(body.length), ...body];
      }),
    ),
  );
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return Uint8Array.from([...header, ...types, ...declared, ...memory, ...exports, ...code]);
}
