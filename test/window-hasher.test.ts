/**
 * The window hasher (in WebAssembly, and in JavaScript where a runtime has no WebAssembly) finds
 * exactly the windows whose SipHash-2-4 (the JavaScript implementation, itself checked against
 * libsodium in siphash.test.ts) is a stored print, skipping the windows the fingerprint writer
 * never stores.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type SipKey, sipHash24, sipKey } from "../src/scan/siphash.js";
import { javascriptWindowHasher, type Print, windowHasher } from "../src/scan/window-hasher.js";

const printOf = (key: SipKey, bytes: Uint8Array, start: number, end: number): Print => {
  const out = new Uint32Array(2);
  sipHash24(key, bytes, start, end, out);
  return { low: out[0] as number, high: out[1] as number };
};

/** Printable ASCII, `size` bytes. */
const printable = (size: number) => new Uint8Array(randomBytes(size).map((b) => 33 + (b % 94)));

/** What the hasher should find: every qualifying window hashed in JavaScript. */
function expectedHits(
  key: SipKey,
  text: Uint8Array,
  prints: Print[],
  lengths: number[],
  isBreaker: (byte: number) => boolean,
  isCounted: (byte: number) => boolean,
  minCounted: number,
): string[] {
  const stored = new Set(prints.map((p) => `${p.low}:${p.high}`));
  const hits: string[] = [];
  for (const length of lengths) {
    for (let at = 0; at + length <= text.length; at++) {
      const window = text.subarray(at, at + length);
      if (window.some(isBreaker)) continue;
      if (window.filter(isCounted).length < minCounted) continue;
      const print = printOf(key, text, at, at + length);
      if (stored.has(`${print.low}:${print.high}`)) hits.push(`${at}+${length}`);
    }
  }
  return hits.sort();
}

/** What an unfiltered hasher should find: every window hashed. */
const expectedUnfiltered = (key: SipKey, text: Uint8Array, prints: Print[], lengths: number[]) =>
  expectedHits(
    key,
    text,
    prints,
    lengths,
    () => false,
    () => true,
    0,
  );

function foundHits(hits: ReturnType<typeof windowHasher>, text: Uint8Array): string[] {
  const found: string[] = [];
  hits(text, (start, end) => found.push(`${start}+${end - start}`));
  return found.sort();
}

describe.each([
  ["in WebAssembly", windowHasher],
  ["in JavaScript", javascriptWindowHasher],
])("the window hasher %s", (_, hasher) => {
  /** A hasher with no breakers and every byte counted: every window is hashed. */
  const unfiltered = (key: SipKey, prints: Print[], lengths: number[]) =>
    hasher({ key, prints, lengths, isBreaker: () => false, isCounted: () => true, minCounted: 0 });

  it("finds every stored window of every length from 1 to 16 bytes, and nothing else", () => {
    for (let trial = 0; trial < 5; trial++) {
      const key = sipKey(randomBytes(16));
      const text = printable(3000);
      const lengths = Array.from({ length: 16 }, (_, i) => i + 1);
      const prints = Array.from({ length: 160 }, (_, i) => {
        const length = (i % 16) + 1;
        const at = Math.floor(Math.random() * (text.length - length));
        return printOf(key, text, at, at + length);
      });
      const hits = unfiltered(key, prints, lengths);
      const expected = expectedUnfiltered(key, text, prints, lengths);
      expect(expected.length).toBeGreaterThanOrEqual(160);
      expect(foundHits(hits, text)).toEqual(expected);
    }
  });

  it("skips windows holding a breaker or too few counted bytes, as the writer never stores them", () => {
    const key = sipKey(randomBytes(16));
    // Few breakers and many uncounted bytes, so that windows on both sides of each rule occur.
    const text = new Uint8Array(randomBytes(20000).map((b) => (b % 50 === 0 ? 32 : 40 + (b % 60))));
    const isBreaker = (byte: number) => byte === 32;
    const isCounted = (byte: number) => /[A-Za-z0-9]/.test(String.fromCharCode(byte));
    const lengths = [16, 12];
    const prints: Print[] = [];
    for (let at = 0; at + 16 <= text.length; at += 7) {
      prints.push(printOf(key, text, at, at + (at % 2 === 0 ? 16 : 12)));
    }
    const hits = hasher({ key, prints, lengths, isBreaker, isCounted, minCounted: 11 });
    const expected = expectedHits(key, text, prints, lengths, isBreaker, isCounted, 11);
    const all = expectedUnfiltered(key, text, prints, lengths);
    // The filters do drop stored windows here, and keep others.
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.length).toBeLessThan(all.length);
    expect(foundHits(hits, text)).toEqual(expected);
  });

  it("reports every hit when a text holds more than one call returns", () => {
    const key = sipKey(randomBytes(16));
    const text = new Uint8Array(20000).fill(0x41);
    const prints = [printOf(key, text, 0, 16)];
    const hits = unfiltered(key, prints, [16]);
    const found = foundHits(hits, text);
    expect(found).toHaveLength(20000 - 15);
    expect(new Set(found).size).toBe(found.length);
  });

  it("hashes texts of any size one after another, growing its memory", () => {
    const key = sipKey(randomBytes(16));
    const large = printable(3 * 1024 * 1024);
    const small = printable(100);
    const prints = [
      printOf(key, large, large.length - 16, large.length),
      printOf(key, small, 3, 19),
    ];
    const hits = unfiltered(key, prints, [16]);
    expect(foundHits(hits, small)).toEqual(["3+16"]);
    expect(foundHits(hits, large)).toContain(`${large.length - 16}+16`);
    expect(foundHits(hits, small)).toEqual(["3+16"]);
    expect(foundHits(hits, new Uint8Array(0))).toEqual([]);
  });

  it("refuses window lengths it cannot hash", () => {
    const key = sipKey(randomBytes(16));
    for (const length of [0, 17, 1.5]) {
      expect(() => unfiltered(key, [], [length])).toThrow(RangeError);
    }
  });
});
