/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): the keyed
 * hash of the scanner's fingerprints. The scanner hashes one window of text per byte it scans,
 * so the hash runs in plain JavaScript on 32-bit halves (a call into libsodium's WebAssembly
 * costs more than the whole hash). Checked against libsodium's `crypto_shorthash` in the tests.
 */

/** A 128-bit SipHash key as four 32-bit words (k0 = bytes 0..7, k1 = bytes 8..15, little-endian). */
export interface SipKey {
  readonly k0lo: number;
  readonly k0hi: number;
  readonly k1lo: number;
  readonly k1hi: number;
}

const word = (bytes: Uint8Array, at: number) =>
  (bytes[at] as number) |
  ((bytes[at + 1] as number) << 8) |
  ((bytes[at + 2] as number) << 16) |
  ((bytes[at + 3] as number) << 24) |
  0;

/**
 * The key from 16 bytes.
 * @throws RangeError when `key` is not 16 bytes
 */
export function sipKey(key: Uint8Array): SipKey {
  if (key.length !== 16) throw new RangeError(`"key" expected 16 bytes, got ${key.length}`);
  return { k0lo: word(key, 0), k0hi: word(key, 4), k1lo: word(key, 8), k1hi: word(key, 12) };
}

/**
 * SipHash-2-4 of `bytes[from, to)`: writes the 64-bit result (the little-endian u64 of the
 * reference implementation) into `out` as `[low 32 bits, high 32 bits]`.
 */
export function sipHash24(
  key: SipKey,
  bytes: Uint8Array,
  from: number,
  to: number,
  out: Uint32Array,
): void {
  // "somepseudorandomlygeneratedbytes"
  let v0l = (key.k0lo ^ 0x70736575) | 0;
  let v0h = (key.k0hi ^ 0x736f6d65) | 0;
  let v1l = (key.k1lo ^ 0x6e646f6d) | 0;
  let v1h = (key.k1hi ^ 0x646f7261) | 0;
  let v2l = (key.k0lo ^ 0x6e657261) | 0;
  let v2h = (key.k0hi ^ 0x6c796765) | 0;
  let v3l = (key.k1lo ^ 0x79746573) | 0;
  let v3h = (key.k1hi ^ 0x74656462) | 0;
  const length = to - from;
  const blocks = length >>> 3;
  let lo = 0;
  let t = 0;
  // Blocks 0..blocks-1 are whole 8-byte words; block `blocks` is the tail with the length byte;
  // the pass after it (block blocks+1) is the finalisation (v2 ^= 0xff, 4 rounds).
  for (let block = 0; block <= blocks + 1; block++) {
    let ml = 0;
    let mh = 0;
    let rounds = 2;
    if (block < blocks) {
      const at = from + block * 8;
      ml = word(bytes, at);
      mh = word(bytes, at + 4);
    } else if (block === blocks) {
      const at = from + block * 8;
      const tail = to - at;
      for (let i = 0; i < tail; i++) {
        const byte = bytes[at + i] as number;
        if (i < 4) ml |= byte << (8 * i);
        else mh |= byte << (8 * (i - 4));
      }

      mh = mh | ((length & 0xff) << 24) | 0;
    } else {
      v2l = (v2l ^ 0xff) | 0;
      rounds = 4;
    }
    const isMessage = block <= blocks;
    if (isMessage) {
      v3l = (v3l ^ ml) | 0;
      v3h = (v3h ^ mh) | 0;
    }
    for (let r = 0; r < rounds; r++) {
      // v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
      lo = (v0l + v1l) | 0;
      v0h = (v0h + v1h + (lo >>> 0 < v0l >>> 0 ? 1 : 0)) | 0;
      v0l = lo;
      t = (v1h << 13) | (v1l >>> 19) | 0;
      v1l = (v1l << 13) | (v1h >>> 19) | 0;
      v1h = t;
      v1l = (v1l ^ v0l) | 0;
      v1h = (v1h ^ v0h) | 0;
      t = v0l;
      v0l = v0h;
      v0h = t;
      // v2 += v3; v3 <<<= 16; v3 ^= v2
      lo = (v2l + v3l) | 0;
      v2h = (v2h + v3h + (lo >>> 0 < v2l >>> 0 ? 1 : 0)) | 0;
      v2l = lo;
      t = (v3h << 16) | (v3l >>> 16) | 0;
      v3l = (v3l << 16) | (v3h >>> 16) | 0;
      v3h = t;
      v3l = (v3l ^ v2l) | 0;
      v3h = (v3h ^ v2h) | 0;
      // v0 += v3; v3 <<<= 21; v3 ^= v0
      lo = (v0l + v3l) | 0;
      v0h = (v0h + v3h + (lo >>> 0 < v0l >>> 0 ? 1 : 0)) | 0;
      v0l = lo;
      t = (v3h << 21) | (v3l >>> 11) | 0;
      v3l = (v3l << 21) | (v3h >>> 11) | 0;
      v3h = t;
      v3l = (v3l ^ v0l) | 0;
      v3h = (v3h ^ v0h) | 0;
      // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
      lo = (v2l + v1l) | 0;
      v2h = (v2h + v1h + (lo >>> 0 < v2l >>> 0 ? 1 : 0)) | 0;
      v2l = lo;
      t = (v1h << 17) | (v1l >>> 15) | 0;
      v1l = (v1l << 17) | (v1h >>> 15) | 0;
      v1h = t;
      v1l = (v1l ^ v2l) | 0;
      v1h = (v1h ^ v2h) | 0;
      t = v2l;
      v2l = v2h;
      v2h = t;
    }
    if (isMessage) {
      v0l = (v0l ^ ml) | 0;
      v0h = (v0h ^ mh) | 0;
    }
  }
  out[0] = v0l ^ v1l ^ v2l ^ v3l;
  out[1] = v0h ^ v1h ^ v2h ^ v3h;
}
