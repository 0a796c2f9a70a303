/**
 * The keyword prefilter in one pass: which rules have one of their keywords in a text
 * (case-insensitive, ASCII keywords). A table of the keywords' first two characters, and a bit
 * mask of the third, pick the few positions worth comparing, and a keyword stops being looked for once every rule it
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
  /** Bit `c` of the 32 bytes at `pair * 32`: a keyword starting with the pair has `c` third. */
  third: Uint8Array;
  /** The keywords starting with each pair, with the groups each belongs to. */
  byPair: Map<number, KeywordEntry[]>;
  groupCount: number;
  /** `stamp[pair] === call`: nothing left to look for under that pair in this call. */
  stamp: Uint32Array;
  /** `closed[id] === call`: every group of that keyword already runs in this call. */
  closed: Uint32Array;
  call: number;
  /** The keywords of each group, by id. */
  keywordsOfGroup: number[][];
  /** Each keyword's number of groups, and its pair. */
  groupCount0: Int32Array;
  pairOf: Int32Array;
  /** Each pair's number of keywords. */
  keywordsInPair: Int32Array;
  /** Per call: groups not yet hit for each keyword, keywords still open in each pair. */
  pending: Int32Array;
  pairPending: Int32Array;
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
  const third = new Uint8Array(65536 * 32);
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
  const keywordsOfGroup: number[][] = groups.map(() => []);
  const groupCount0: number[] = [];
  const pairOf: number[] = [];
  const keywordsInPair = new Int32Array(65536);
  let id = 0;
  for (const [keyword, owners] of byKeyword) {
    const pair = (keyword.charCodeAt(0) << 8) | keyword.charCodeAt(1);
    table[pair] = 1;
    // Two-character keywords match whatever comes third.
    const next = keyword.length > 2 ? [keyword.charCodeAt(2)] : [...Array(256).keys()];
    for (const code of next) {
      const at = pair * 32 + (code >> 3);
      third[at] = (third[at] ?? 0) | (1 << (code & 7));
    }
    const entry = { id: id++, keyword, groups: owners };
    byPair.set(pair, [...(byPair.get(pair) ?? []), entry]);
    for (const group of owners) keywordsOfGroup[group]?.push(entry.id);
    groupCount0.push(owners.length);
    pairOf.push(pair);
    keywordsInPair[pair] = (keywordsInPair[pair] ?? 0) + 1;
  }
  return {
    table,
    third,
    byPair,
    groupCount: groups.length,
    stamp: new Uint32Array(65536),
    closed: new Uint32Array(id),
    call: 0,
    keywordsOfGroup,
    groupCount0: Int32Array.from(groupCount0),
    pairOf: Int32Array.from(pairOf),
    keywordsInPair,
    pending: new Int32Array(id),
    pairPending: new Int32Array(65536),
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
  const {
    table,
    third,
    byPair,
    stamp,
    closed,
    call,
    keywordsOfGroup,
    pairOf,
    pending,
    pairPending,
  } = index;
  pending.set(index.groupCount0);
  for (const pair of byPair.keys()) pairPending[pair] = index.keywordsInPair[pair] as number;
  const end = bytes.length - 1;
  let previous = LOWER[bytes[0] as number] as number;
  for (let i = 0; i < end && open > 0; i++) {
    const next = LOWER[bytes[i + 1] as number] as number;
    const pair = (previous << 8) | next;
    previous = next;
    if (table[pair] === 0 || stamp[pair] === call) continue;
    if (i + 2 < bytes.length) {
      const code = LOWER[bytes[i + 2] as number] as number;
      if (((third[pair * 32 + (code >> 3)] as number) & (1 << (code & 7))) === 0) continue;
    }
    const entries = byPair.get(pair) as KeywordEntry[];
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e] as KeywordEntry;
      if (closed[entry.id] === call || !matchesAt(bytes, i, entry.keyword)) continue;
      for (const group of entry.groups) {
        if (hit[group]) continue;
        hit[group] = true;
        // Close every keyword whose groups are now all hit; switch off pairs left empty.
        for (const id of keywordsOfGroup[group] as number[]) {
          const left = (pending[id] ?? 0) - 1;
          pending[id] = left;
          if (left > 0 || closed[id] === call) continue;
          closed[id] = call;
          open--;
          const p = pairOf[id] ?? 0;
          const pairLeft = (pairPending[p] ?? 0) - 1;
          pairPending[p] = pairLeft;
          if (pairLeft === 0) stamp[p] = call;
        }
      }
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
