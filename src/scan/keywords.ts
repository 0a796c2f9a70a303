/**
 * The keyword prefilter in one pass: which rules have one of their keywords in a text
 * (case-insensitive, ASCII keywords). A bit per hash of the four characters at a position (for
 * keywords of 4+ characters), one per hash of the three (keywords of three) and a table of the
 * two-character keywords rule out most positions (the bit tables, 32 KiB each, stay in the CPU
 * cache); at the rest, a table of the keywords' first two characters and a bit mask of the
 * third pick the keywords worth comparing. A keyword stops
 * being looked for once every rule it belongs to is known to run, so the cost grows with neither
 * the number of keywords nor how common they are.
 */

/** One keyword: its id (for per-call bookkeeping), text and groups. */
interface KeywordEntry {
  id: number;
  keyword: string;
  groups: number[];
}

/** An index of keyword groups (one group per rule) for {@link findKeywordGroups}. */
export interface KeywordIndex {
  /** Bit `prefixHash(a, b, c, d)`: a keyword of 4+ characters starts with those four. */
  quads: Uint8Array;
  /** Bit `prefixHash(a, b, c)`: a keyword of three characters is those three. */
  triples: Uint8Array;
  /** 1 at the two characters of a two-character keyword. */
  pairs: Uint8Array;
  /** Per two (lower-cased, low-byte) characters: 0, or 1 + the slot of the keywords starting so. */
  slotOfPair: Uint16Array;
  /** Bit `c` of the 32 bytes at `slot * 32`: a keyword of that slot has `c` third. */
  third: Uint8Array;
  /** The keywords of each slot, with the groups each belongs to. */
  bySlot: KeywordEntry[][];
  keywordCount: number;
  groupCount: number;
  /** `stamp[slot] === call`: nothing left to look for in that slot in this call. */
  stamp: Uint32Array;
  /** `closed[id] === call`: every group of that keyword already runs in this call. */
  closed: Uint32Array;
  call: number;
  /** The keywords of each group, by id. */
  keywordsOfGroup: number[][];
  /** Each keyword's number of groups, and its slot. */
  groupCount0: Int32Array;
  slotOf: Int32Array;
  /** Each slot's number of keywords. */
  keywordsInSlot: Int32Array;
  /** Per call: groups not yet hit for each keyword, keywords still open in each slot. */
  pending: Int32Array;
  slotPending: Int32Array;
}

const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);
/** Byte → lower-case byte (ASCII letters only). */
const LOWER = Uint8Array.from({ length: 256 }, (_, code) => lowerCode(code));

const PREFIX_BITS = 1 << 18;
/** A hash of three or four lower-cased bytes, below {@link PREFIX_BITS}. */
const prefixHash = (a: number, b: number, c: number, d = -1) =>
  (d < 0 ? (a * 1031 + b) * 1031 + c : ((a * 1031 + b) * 1031 + c) * 1031 + d) & (PREFIX_BITS - 1);

/**
 * Builds the index of keyword groups (lower-case ASCII keywords of 2+ characters). The tables
 * are sized by the pairs in use (a few hundred), so the scan's lookups stay in the CPU cache.
 * @throws RangeError for another keyword
 */
export function indexKeywordGroups(groups: ReadonlyArray<readonly string[]>): KeywordIndex {
  const byKeyword = new Map<string, number[]>();
  groups.forEach((keywords, group) => {
    for (const keyword of keywords) {
      if (!/^[\x20-\x7e]{2,}$/.test(keyword) || keyword !== keyword.toLowerCase()) {
        throw new RangeError(`"keywords" expected lower-case ASCII of 2+ characters`);
      }
      const owners = byKeyword.get(keyword);
      if (owners) owners.push(group);
      else byKeyword.set(keyword, [group]);
    }
  });
  const slotOfPair = new Uint16Array(65536);
  const bySlot: KeywordEntry[][] = [[]];
  const keywordsOfGroup: number[][] = groups.map(() => []);
  const groupCount0: number[] = [];
  const slotOf: number[] = [];
  let id = 0;
  for (const [keyword, owners] of byKeyword) {
    const pair = (keyword.charCodeAt(0) << 8) | keyword.charCodeAt(1);
    if (slotOfPair[pair] === 0) {
      slotOfPair[pair] = bySlot.length;
      bySlot.push([]);
    }
    const slot = slotOfPair[pair] as number;
    const entry = { id: id++, keyword, groups: owners };
    bySlot[slot]?.push(entry);
    for (const group of owners) keywordsOfGroup[group]?.push(entry.id);
    groupCount0.push(owners.length);
    slotOf.push(slot);
  }
  const quads = new Uint8Array(PREFIX_BITS >> 3);
  const triples = new Uint8Array(PREFIX_BITS >> 3);
  const pairs = new Uint8Array(65536);
  const setBit = (table: Uint8Array, hash: number) => {
    table[hash >> 3] = (table[hash >> 3] as number) | (1 << (hash & 7));
  };
  for (const keyword of byKeyword.keys()) {
    const [a, b, c, d] = [0, 1, 2, 3].map((at) => keyword.charCodeAt(at)) as number[];
    if (keyword.length === 2) pairs[((a as number) << 8) | (b as number)] = 1;
    else if (keyword.length === 3) {
      setBit(triples, prefixHash(a as number, b as number, c as number));
    } else setBit(quads, prefixHash(a as number, b as number, c as number, d as number));
  }
  const third = new Uint8Array(bySlot.length * 32);
  const keywordsInSlot = new Int32Array(bySlot.length);
  bySlot.forEach((entries, slot) => {
    keywordsInSlot[slot] = entries.length;
    for (const { keyword } of entries) {
      // Two-character keywords match whatever comes third.
      if (keyword.length === 2) third.fill(255, slot * 32, slot * 32 + 32);
      else {
        const code = keyword.charCodeAt(2);
        const at = slot * 32 + (code >> 3);
        third[at] = (third[at] as number) | (1 << (code & 7));
      }
    }
  });
  return {
    quads,
    triples,
    pairs,
    slotOfPair,
    third,
    bySlot,
    keywordCount: id,
    groupCount: groups.length,
    stamp: new Uint32Array(bySlot.length),
    closed: new Uint32Array(id),
    call: 0,
    keywordsOfGroup,
    groupCount0: Int32Array.from(groupCount0),
    slotOf: Int32Array.from(slotOf),
    keywordsInSlot,
    pending: new Int32Array(id),
    slotPending: new Int32Array(bySlot.length),
  };
}

/** For each group, whether one of its keywords occurs in `text` (ignoring ASCII case). */
export function findKeywordGroups(text: string, index: KeywordIndex): boolean[] {
  const hit = new Array<boolean>(index.groupCount).fill(false);
  let open = index.keywordCount;
  if (open === 0 || text.length < 2) return hit;
  // The low byte of each character (charCodeAt & 255): another character can only add a
  // candidate, which is then compared in full.
  index.call = (index.call + 1) >>> 0 || 1;
  const {
    quads,
    triples,
    pairs,
    slotOfPair,
    third,
    bySlot,
    stamp,
    closed,
    call,
    keywordsOfGroup,
    slotOf,
    pending,
    slotPending,
  } = index;
  pending.set(index.groupCount0);
  slotPending.set(index.keywordsInSlot);
  const length = text.length;
  // Past the end a character reads as 0, which no keyword holds.
  const at = (i: number) => (i < length ? (LOWER[text.charCodeAt(i) & 255] as number) : 0);
  let a = at(0);
  let b = at(1);
  let c = at(2);
  for (let i = 0; i < length - 1; i++) {
    const d = at(i + 3);
    const quad = prefixHash(a, b, c, d);
    const triple = prefixHash(a, b, c);
    const pair = (a << 8) | b;
    a = b;
    b = c;
    c = d;
    if (
      ((quads[quad >> 3] as number) & (1 << (quad & 7))) === 0 &&
      ((triples[triple >> 3] as number) & (1 << (triple & 7))) === 0 &&
      pairs[pair] !== 1
    ) {
      continue;
    }
    const slot = slotOfPair[pair] as number;
    if (slot === 0 || stamp[slot] === call) continue;
    // `b` now holds the third character (0 past the end, where only a two-character keyword
    // fits, and its slot's mask is full).
    if (i + 2 < length && ((third[(slot << 5) | (b >> 3)] as number) & (1 << (b & 7))) === 0) {
      continue;
    }
    const entries = bySlot[slot] as KeywordEntry[];
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e] as KeywordEntry;
      if (closed[entry.id] === call || !matchesAt(text, i, entry.keyword)) continue;
      for (const group of entry.groups) {
        if (hit[group]) continue;
        hit[group] = true;
        // Close every keyword whose groups are now all hit; switch off slots left empty.
        for (const id of keywordsOfGroup[group] as number[]) {
          const left = (pending[id] ?? 0) - 1;
          pending[id] = left;
          if (left > 0 || closed[id] === call) continue;
          closed[id] = call;
          open--;
          const s = slotOf[id] ?? 0;
          const slotLeft = (slotPending[s] ?? 0) - 1;
          slotPending[s] = slotLeft;
          if (slotLeft === 0) stamp[s] = call;
        }
      }
    }
    if (open === 0) break;
  }
  return hit;
}

function matchesAt(text: string, at: number, keyword: string): boolean {
  if (at + keyword.length > text.length) return false;
  for (let j = 2; j < keyword.length; j++) {
    if (LOWER[text.charCodeAt(at + j) & 255] !== keyword.charCodeAt(j)) return false;
  }
  return true;
}
