/**
 * Turning fingerprint hits into findings: whose each stored fingerprint is (a name, live or
 * retired), and the hits of one name and state joined into spans in UTF-16 offsets. Pure: no
 * file, no key, no value.
 */
import type { SecretMatch } from "./engine.js";
import { FINGERPRINT_WINDOW, type RetiredPrints } from "./fingerprint-file.js";

/**
 * Whose a stored fingerprint is: the secret's name, and whether the value is retired; with the
 * fingerprint's two 32-bit halves.
 */
export interface Owner {
  low: number;
  high: number;
  name: string;
  retired: boolean;
}

export function matchOf(owner: Owner): Pick<SecretMatch, "name" | "retired"> {
  return owner.retired ? { name: owner.name, retired: true } : { name: owner.name };
}

/** One key per name and state: a live and a retired value of one name are reported apart. */
export function ownerKey(match: { name: string; retired?: boolean }): string {
  return `${match.retired ? "r" : "l"}${match.name}`;
}

/**
 * Stored fingerprints by their low 32 bits (a number: no string per window scanned). Live
 * ones first: a window both live and retired (one value under two names) is live.
 */
export function ownerTable(
  secrets: Record<string, string[]>,
  retired: readonly RetiredPrints[],
): Map<number, Owner[]> {
  const owners = new Map<number, Owner[]>();
  const seen = new Set<string>();
  const add = (name: string, prints: readonly string[], isRetired: boolean) => {
    for (const print of prints) {
      if (seen.has(print)) continue;
      seen.add(print);
      const bytes = Buffer.from(print, "hex");
      const low = bytes.readUInt32LE(0);
      const high = bytes.readUInt32LE(4);
      // Appended in place: a file of prints sharing their low half stays linear to read.
      const owner = { low, high, name, retired: isRetired };
      const same = owners.get(low);
      if (same) same.push(owner);
      else owners.set(low, [owner]);
    }
  };
  for (const [name, prints] of Object.entries(secrets)) add(name, prints, false);
  for (const entry of retired) add(entry.name, entry.prints, true);
  return owners;
}

/** One match per name, state and span; spans of one name and state that overlap or touch are joined. */
export function dedupeMatches(matches: SecretMatch[]): SecretMatch[] {
  // By name and state, then position: each one's spans merge in one sweep (no search per match).
  const keyed = matches.map((match) => ({ key: ownerKey(match), match }));
  keyed.sort((a, b) =>
    a.key < b.key
      ? -1
      : a.key > b.key
        ? 1
        : a.match.start - b.match.start || b.match.end - a.match.end,
  );
  const out: SecretMatch[] = [];
  let lastKey = "";
  for (const { key, match } of keyed) {
    const last = out.at(-1);
    if (last && lastKey === key && match.start <= last.end) {
      last.end = Math.max(last.end, match.end);
    } else {
      out.push({ ...match });
      lastKey = key;
    }
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * Windows of one secret (and state) become one span, in UTF-16 offsets: windows that overlap or
 * touch, and windows at most one window apart with no breaker between them (a value whose
 * middle window was too guessable to store matches as its two ends).
 */
export function mergeHits(
  hits: SecretMatch[],
  bytes: Buffer,
  isAscii: boolean,
  isBreaker: (byte: number) => boolean,
): SecretMatch[] {
  hits.sort((a, b) => a.start - b.start);
  const merged: SecretMatch[] = [];
  const joins = (last: SecretMatch, hit: SecretMatch) => {
    if (last.name !== hit.name || last.retired !== hit.retired) return false;
    if (hit.start <= last.end) return true;
    if (hit.start - last.end > FINGERPRINT_WINDOW) return false;
    for (let at = last.end; at < hit.start; at++) if (isBreaker(bytes[at] as number)) return false;
    return true;
  };
  for (const hit of hits) {
    const last = merged.at(-1);
    if (last && joins(last, hit)) {
      last.end = Math.max(last.end, hit.end);
    } else {
      merged.push({ ...hit });
    }
  }
  if (isAscii) return merged;
  const offset = utf16Offsets(
    bytes,
    merged.flatMap((m) => [m.start, m.end]),
  );
  return merged.map((m) => ({ ...m, start: offset(m.start), end: offset(m.end) }));
}

/**
 * UTF-16 offsets of byte offsets of a UTF-8 text, counted in one pass up to the largest (a
 * decode of the prefix per match would be quadratic in the number of matches).
 */
export function utf16Offsets(bytes: Uint8Array, byteOffsets: number[]): (byte: number) => number {
  const wanted = [...new Set(byteOffsets)].sort((a, b) => a - b);
  const table = new Map<number, number>();
  let units = 0;
  let at = 0;
  for (const target of wanted) {
    for (; at < target && at < bytes.length; at++) {
      const byte = bytes[at] as number;
      // A lead byte starts a code point: 4-byte sequences are two UTF-16 units.
      if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
    }
    table.set(target, units);
  }
  return (byte) => table.get(byte) ?? units;
}
