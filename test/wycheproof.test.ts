/**
 * Runs every Wycheproof XChaCha20-Poly1305 vector against src/crypto/sodium.ts.
 * Vectors: test/vectors/wycheproof/ (C2SP/wycheproof, Apache-2.0; see the README there).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { fromHex, initCrypto, open, sealWithNonce, toHex } from "../src/crypto/sodium.js";

interface AeadVector {
  tcId: number;
  comment: string;
  flags: string[];
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: "valid" | "invalid" | "acceptable";
}

interface AeadVectorFile {
  numberOfTests: number;
  testGroups: { tests: AeadVector[] }[];
}

const EXPECTED_VECTORS = 315;

const file = JSON.parse(
  readFileSync(
    new URL("./vectors/wycheproof/xchacha20_poly1305_test.json", import.meta.url),
    "utf8",
  ),
) as AeadVectorFile;
const vectors = file.testGroups.flatMap((group) => group.tests);
const validVectors = vectors.filter((vector) => vector.result === "valid");
const invalidVectors = vectors.filter((vector) => vector.result === "invalid");

function bytes(hex: string): Uint8Array {
  const decoded = fromHex(hex);
  if (decoded === undefined) throw new Error(`vector holds malformed hex: ${hex}`);
  return decoded;
}

/** Calls `open`, turning a RangeError (wrong key or nonce size) into a value; other errors escape. */
function openOrRangeError(vector: AeadVector): Uint8Array | undefined | RangeError {
  try {
    return open(
      bytes(vector.key),
      bytes(vector.iv),
      bytes(vector.ct + vector.tag),
      bytes(vector.aad),
    );
  } catch (error) {
    if (error instanceof RangeError) return error;
    throw error;
  }
}

let ran = 0;

describe("Wycheproof XChaCha20-Poly1305 vectors", () => {
  beforeAll(async () => {
    await initCrypto();
  });

  it("the vendored file holds 315 vectors, each either valid or invalid", () => {
    expect(file.numberOfTests).toBe(EXPECTED_VECTORS);
    expect(vectors).toHaveLength(EXPECTED_VECTORS);
    expect(validVectors.length + invalidVectors.length).toBe(EXPECTED_VECTORS);
  });

  it.each(validVectors)(
    "valid vector $tcId seals to the expected ciphertext and tag and opens back to the message",
    (vector) => {
      ran++;
      const key = bytes(vector.key);
      const nonce = bytes(vector.iv);
      const aad = bytes(vector.aad);

      const sealed = sealWithNonce(key, nonce, bytes(vector.msg), aad);
      expect(toHex(sealed)).toBe(vector.ct + vector.tag);

      const opened = open(key, nonce, bytes(vector.ct + vector.tag), aad);
      expect(opened).toEqual(bytes(vector.msg));
    },
  );

  it.each(invalidVectors)(
    "invalid vector $tcId is refused and never yields a plaintext",
    (vector) => {
      ran++;
      expect(openOrRangeError(vector)).not.toBeInstanceOf(Uint8Array);
    },
  );

  it("ran every one of the 315 vectors", () => {
    expect(ran).toBe(EXPECTED_VECTORS);
  });
});
