/**
 * BLAKE2b as src/crypto/sodium.ts computes it (the vault file's checksum and MAC), on inputs
 * below and above the size where it switches to streaming, against OpenSSL's BLAKE2b-512
 * (node:crypto) for the unkeyed hash and against libsodium's one-shot call for the keyed one.
 */
import { createHash, randomBytes } from "node:crypto";
import { runInNewContext } from "node:vm";
import sodium from "libsodium-wrappers";
import { beforeAll, describe, expect, it } from "vitest";
import { hash, initCrypto, mac, toHex } from "../src/crypto/sodium.js";

const SIZES = [0, 1, 128, 65_535, 65_536, 65_537, 3 * 65_536 + 17, 3_500_000];

beforeAll(async () => {
  await initCrypto();
  await sodium.ready;
});

describe("BLAKE2b of vault-sized inputs", () => {
  it.each(SIZES)("the unkeyed hash of %i bytes equals OpenSSL's BLAKE2b-512", (size) => {
    const message = randomBytes(size);
    expect(toHex(hash(message, 64))).toBe(createHash("blake2b512").update(message).digest("hex"));
  });

  it.each(SIZES)("the keyed hash of %i bytes equals libsodium's one-shot MAC", (size) => {
    const message = randomBytes(size);
    const key = randomBytes(32);
    expect(toHex(mac(key, message))).toBe(
      toHex(sodium.crypto_generichash(32, new Uint8Array(message), new Uint8Array(key))),
    );
  });

  it("a one-byte change anywhere in a large input changes the hash", () => {
    const message = randomBytes(200_000);
    const before = toHex(hash(message));
    for (const at of [0, 65_535, 65_536, 199_999]) {
      const changed = Buffer.from(message);
      changed.writeUInt8((changed.readUInt8(at) ^ 1) & 0xff, at);
      expect(toHex(hash(changed))).not.toBe(before);
    }
  });
});

describe("bytes from another realm", () => {
  it("are never hashed as an empty message: two different ones never share a digest", () => {
    // A Uint8Array made in another V8 context fails `instanceof Uint8Array` here.
    const [a, b] = [
      runInNewContext("new Uint8Array([1, 2, 3, 4, 5])"),
      runInNewContext("new Uint8Array([9, 9, 9])"),
    ] as Uint8Array[];
    const key = new Uint8Array(32).fill(7);
    const digestOf = (compute: () => Uint8Array) => {
      try {
        return toHex(compute());
      } catch (error) {
        return `refused: ${(error as Error).message}`;
      }
    };
    for (const [x, y] of [
      [digestOf(() => hash(a as Uint8Array)), digestOf(() => hash(b as Uint8Array))],
      [digestOf(() => mac(key, a as Uint8Array)), digestOf(() => mac(key, b as Uint8Array))],
    ]) {
      if (!x?.startsWith("refused") || !y?.startsWith("refused")) expect(x).not.toBe(y);
    }
    expect(digestOf(() => hash(a as Uint8Array))).not.toBe(toHex(hash(new Uint8Array(0))));
  });
});
