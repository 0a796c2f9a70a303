/**
 * Generated test tokens for the scanner's rule tests. Values are drawn, never written out: a
 * literal token in the repository would itself be a leak to every other scanner. Each test
 * file draws from a seed of its own, so adding a test to one file moves no value in another.
 */
import { crc32 } from "node:zlib";
import { seededRandom } from "../../bench/scan-corpus/generate.mjs";

/** A GitHub token with the checksum GitHub gives it (computed with Node's zlib). */
export { withGitHubChecksum } from "../../bench/scan-corpus/generate.mjs";

export const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const LOWER = "abcdefghijklmnopqrstuvwxyz";
export const DIGITS = "0123456789";
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = "0123456789abcdef";
export const B64 = `${ALNUM}+/`;
export const B64URL = `${ALNUM}-_`;
/** bech32's characters, upper case (age keys). */
export const BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

export const b64url = (text: string) => Buffer.from(text).toString("base64url");

/** A seeded source of token values. */
export function tokenDrawer(seed: number) {
  const random = seededRandom(seed);
  /** `n` characters drawn from `chars`. */
  const r = (chars: string, n: number): string => {
    let out = "";
    for (let i = 0; i < n; i++) out += chars[Math.floor(random() * chars.length)];
    return out;
  };
  return {
    random,
    r,
    /** Letters of both cases and digits, one of each class first (as real keys show). */
    mixed: (n: number) => `aZ3${r(ALNUM, n - 3)}`,
    /** A version-4 UUID. */
    uuid: () => `${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`,
  };
}

/**
 * A GitLab routable token: `prefix` (`glpat-`), `payload`, version `01`, the payload's length
 * in base 36 and the checksum GitLab appends, the base-36 CRC-32 of all before it (Node's zlib).
 */
export function withGitLabChecksum(prefix: string, payload: string): string {
  const body = `${prefix}${payload}.01.${(payload.length % 1296).toString(36).padStart(2, "0")}`;
  return `${body}${crc32(Buffer.from(body, "latin1")).toString(36).padStart(7, "0")}`;
}
