/**
 * Checksums some providers build into their tokens: a token whose checksum holds was issued
 * (or is one chance in 62^6 of being made up); one whose checksum fails was typed or edited.
 */

/** CRC-32 (IEEE 802.3, the polynomial of zip and PNG), one entry per byte value. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc;
});

/** CRC-32 of the characters of an ASCII text. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `value` in base 62, `width` digits, most significant first, high digits cut off. */
function base62(value: number, width: number): string {
  let digits = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  return digits;
}

/**
 * Whether a GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and what follows) carries a
 * valid checksum: its last six characters are the base-62 CRC-32 of the characters between
 * the `_` and them, as GitHub issues every such token.
 */
export function hasGitHubChecksum(token: string): boolean {
  const body = token.slice(token.indexOf("_") + 1);
  if (body.length <= 6) return false;
  return base62(crc32(body.slice(0, -6)), 6) === body.slice(-6);
}

/** A GitLab routable token: prefix, base64 payload, `.` version `.` payload length, CRC. */
const GITLAB_ROUTABLE =
  /^([a-z]{2,10}-)([0-9A-Za-z_-]{27,300})\.([0-9a-z]{2})\.([0-9a-z]{2})([0-9a-z]{7})$/;

/**
 * Whether a GitLab routable token (`glpat-<payload>.01.<length><crc>`) carries a valid
 * checksum: the base-36 CRC-32 of everything before it (prefix, payload, `.`, version, `.`,
 * length), seven digits; `undefined` for a token of another shape (a legacy 20-character one).
 */
export function hasGitLabChecksum(token: string): boolean | undefined {
  const parts = GITLAB_ROUTABLE.exec(token);
  if (!parts) return undefined;
  const [, prefix, payload, version, length, crc] = parts;
  const expected = crc32(`${prefix}${payload}.${version}.${length}`).toString(36).padStart(7, "0");
  return expected === crc?.toLowerCase();
}
