/**
 * The keyword prefilter in one pass: which rules have one of their keywords in a text
 * (case-insensitive, ASCII keywords). A table of the keywords' first two characters picks the
 * few positions worth comparing, and a keyword stops being looked for once every rule it
 * belongs to is known to run, so the cost grows with neither the number of keywords nor how
 * common they are.
 */

/** One keyword: its id (for per-call bookkeeping), text and groups. */
interface KeywordEntry {
  id: number;
  keyword: string;
  groups: number[];
}

/** An index of keyword groups (one group per rule) for {@link findKeywordGroups}. */
export interface KeywordIndex {
  /** 1 where a keyword starts with these two (lower-cased, low-byte) characters. */
  table: Uint8Array;
  /** The keywords starting with each pair, with the groups each belongs to. */
  byPair: Map<number, KeywordEntry[]>;
  groupCount: number;
  /** `stamp[pair] === call`: nothing left to look for under that pair in this call. */
  stamp: Uint32Array;
  /** `closed[id] === call`: every group of that keyword already runs in this call. */
  closed: Uint32Array;
  call: number;
}

const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);
/** Byte → lower-case byte (ASCII letters only). */
const LOWER = Uint8Array.from({ length: 256 }, (_, code) => lowerCode(code));

/**
 * Builds the index of keyword groups (lower-case ASCII keywords of 2+ characters).
 * @throws RangeError for another keyword
 */
export function indexKeywordGroups(groups: ReadonlyArray<readonly string[]>): KeywordIndex {
  const table = new Uint8Array(65536);
  const byKeyword = new Map<string, number[]>();
  groups.forEach((keywords, group) => {
    for (const keyword of keywords) {
      if (!/^[\x20-\x7e]{2,}$/.test(keyword) || keyword !== keyword.toLowerCase()) {
        throw new RangeError(`"keywords" expected lower-case ASCII of 2+ characters`);
      }
      byKeyword.set(keyword, [...(byKeyword.get(keyword) ?? []), group]);
    }
  });
  const byPair: KeywordIndex["byPair"] = new Map();
  let id = 0;
  for (const [keyword, owners] of byKeyword) {
    const pair = (keyword.charCodeAt(0) << 8) | keyword.charCodeAt(1);
    table[pair] = 1;
    byPair.set(pair, [...(byPair.get(pair) ?? []), { id: id++, keyword, groups: owners }]);
  }
  return {
    table,
    byPair,
    groupCount: groups.length,
    stamp: new Uint32Array(65536),
    closed: new Uint32Array(id),
    call: 0,
  };
}

/** For each group, whether one of its keywords occurs in `text` (ignoring ASCII case). */
export function findKeywordGroups(text: string, index: KeywordIndex): boolean[] {
  const hit = new Array<boolean>(index.groupCount).fill(false);
  let open = [...index.byPair.values()].reduce((sum, entries) => sum + entries.length, 0);
  if (open === 0 || text.length < 2) return hit;
  // One byte per character (latin1 keeps the low byte): typed-array reads beat charCodeAt on
  // long strings; another character can only add a candidate, which is checked.
  const bytes = Buffer.from(text, "latin1");
  index.call = (index.call + 1) >>> 0 || 1;
  const { table, byPair, stamp, closed, call } = index;
  const end = bytes.length - 1;
  let previous = LOWER[bytes[0] as number] as number;
  for (let i = 0; i < end && open > 0; i++) {
    const next = LOWER[bytes[i + 1] as number] as number;
    const pair = (previous << 8) | next;
    previous = next;
    if (table[pair] === 0 || stamp[pair] === call) continue;
    let newGroup = false;
    const entries = byPair.get(pair) as KeywordEntry[];
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e] as KeywordEntry;
      if (closed[entry.id] === call || !matchesAt(bytes, i, entry.keyword)) continue;
      for (const group of entry.groups) {
        if (!hit[group]) newGroup = true;
        hit[group] = true;
      }
    }
    if (!newGroup) continue;
    // Close every keyword whose groups are all hit; switch off pairs with nothing left open.
    for (const [p, entries] of byPair) {
      if (stamp[p] === call) continue;
      let pending = 0;
      for (const { id, groups } of entries) {
        if (closed[id] === call) continue;
        if (groups.every((group) => hit[group])) {
          closed[id] = call;
          open--;
        } else {
          pending++;
        }
      }
      if (pending === 0) stamp[p] = call;
    }
  }
  return hit;
}

function matchesAt(bytes: Uint8Array, at: number, keyword: string): boolean {
  if (at + keyword.length > bytes.length) return false;
  for (let j = 2; j < keyword.length; j++) {
    if (LOWER[bytes[at + j] as number] !== keyword.charCodeAt(j)) return false;
  }
  return true;
}
