/**
 * The scanner's SipHash-2-4 agrees with libsodium's `crypto_shorthash` (an independent
 * implementation of the same function) on every message length a fingerprint window uses.
 */
import { randomBytes } from "node:crypto";
import sodium from "libsodium-wrappers-sumo";
import { beforeAll, describe, expect, it } from "vitest";
import { sipHash24, sipKey } from "../src/scan/siphash.js";

beforeAll(async () => {
  await sodium.ready;
});

function ours(key: Uint8Array, message: Uint8Array): string {
  const out = new Uint32Array(2);
  sipHash24(sipKey(key), message, 0, message.length, out);
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32LE(out[0] as number, 0);
  bytes.writeUInt32LE(out[1] as number, 4);
  return bytes.toString("hex");
}

describe("SipHash-2-4", () => {
  it("matches the reference vector for the empty message under key 00..0f", () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => i);
    // Appendix A of the SipHash paper / vectors.h: 0x726fdb47dd0e0e31, little-endian bytes.
    expect(ours(key, new Uint8Array(0))).toBe("310e0edd47db6f72");
  });

  it("matches libsodium's crypto_shorthash for every length 0..64 and random keys", () => {
    for (let length = 0; length <= 64; length++) {
      for (let trial = 0; trial < 20; trial++) {
        const key = new Uint8Array(randomBytes(16));
        const message = new Uint8Array(randomBytes(length));
        const expected = Buffer.from(sodium.crypto_shorthash(message, key)).toString("hex");
        expect(ours(key, message), `length ${length}`).toBe(expected);
      }
    }
  });

  it("hashes a window inside a larger buffer as it hashes the window alone", () => {
    const key = new Uint8Array(randomBytes(16));
    const buffer = new Uint8Array(randomBytes(100));
    const out = new Uint32Array(2);
    sipHash24(sipKey(key), buffer, 30, 46, out);
    const alone = ours(key, buffer.slice(30, 46));
    const inside = Buffer.alloc(8);
    inside.writeUInt32LE(out[0] as number, 0);
    inside.writeUInt32LE(out[1] as number, 4);
    expect(inside.toString("hex")).toBe(alone);
  });

  it("refuses a key that is not 16 bytes", () => {
    expect(() => sipKey(new Uint8Array(32))).toThrow(RangeError);
  });
});
