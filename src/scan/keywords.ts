/**
 * The keyword prefilter in one pass: which rules have one of their keywords in a text
 * (ASCII letters case-insensitively; a keyword may hold other characters, `密码`, matched as
 * written). Each keyword belongs to one bucket: by a hash of its first
 * four characters (keywords of 4+), of its three (keywords of three), or by its two characters.
 * At each position of the text, a bit per hash or pair (tables of 32, 32 and 8 KiB that stay in
 * the CPU cache) rules out most buckets; the few keywords of a bucket left are compared in full. A bucket stops being
 * looked at once every rule of its keywords is known to run, so the cost grows with neither the
 * number of keywords nor how common they are.
 */

/** One keyword: its id (for per-call bookkeeping), text and groups. */
interface KeywordEntry {
  id: number;
  keyword: string;
  groups: number[];
}

/** An index of keyword groups (one group per rule) for {@link findKeywordGroups}. */
export interface KeywordIndex {
  /** Bit `prefixHash(a, b, c, d)`: a bucket of keywords of 4+ characters starting so. */
  quadBits: Uint8Array;
  /** Bit `prefixHash(a, b, c)`: a bucket of three-character keywords. */
  tripleBits: Uint8Array;
  /** Bit `(a << 8) | b`: a two-character keyword. */
  pairBits: Uint8Array;
  /**
   * The bucket of each hash or pair that holds keywords, by `bucketKey`. A map, not tables:
   * a short-lived process pays for every page of fresh memory it touches, and the map is read
   * only where a bit is set.
   */
  bucketAt: Map<number, number>;
  /** The keywords of each bucket (index 0 unused), with the groups each belongs to. */
  buckets: KeywordEntry[][];
  keywordCount: number;
  groupCount: number;
  /** `stamp[bucket] === call`: nothing left to look for in that bucket in this call. */
  stamp: Uint32Array;
  /** `closed[id] === call`: every group of that keyword already runs in this call. */
  closed: Uint32Array;
  call: number;
  /** The keywords of each group, by id. */
  keywordsOfGroup: number[][];
  /** Each keyword's number of groups, and its bucket. */
  groupCount0: Int32Array;
  bucketOf: Int32Array;
  /** Each bucket's number of keywords. */
  keywordsInBucket: Int32Array;
  /** Per call: groups not yet hit for each keyword, keywords still open in each bucket. */
  pending: Int32Array;
  bucketPending: Int32Array;
}

const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);
/** Byte → lower-case byte (ASCII letters only). */
const LOWER = Uint8Array.from({ length: 256 }, (_, code) => lowerCode(code));

const PREFIX_BITS = 1 << 18;
/** A hash of three or four lower-cased bytes, below {@link PREFIX_BITS}. */
const prefixHash = (a: number, b: number, c: number, d = -1) =>
  (d < 0 ? (a * 1031 + b) * 1031 + c : ((a * 1031 + b) * 1031 + c) * 1031 + d) & (PREFIX_BITS - 1);

const hasBit = (bits: Uint8Array, hash: number) =>
  ((bits[hash >> 3] as number) & (1 << (hash & 7))) !== 0;
const setBit = (bits: Uint8Array, hash: number) => {
  bits[hash >> 3] = (bits[hash >> 3] as number) | (1 << (hash & 7));
};

/** The key of a bucket: the kind of its keywords (2, 3 or 4+ characters) and its hash. */
const bucketKey = (kind: 2 | 3 | 4, hash: number) => kind * PREFIX_BITS + hash;

/**
 * Builds the index of keyword groups (keywords of 2+ characters whose ASCII letters are lower
 * case, matched in any case; outside ASCII, characters of the Basic Multilingual Plane, matched
 * exactly: `пароль` and `ПАРОЛЬ` are two keywords).
 * @throws RangeError for another keyword
 */
export function indexKeywordGroups(groups: ReadonlyArray<readonly string[]>): KeywordIndex {
  const byKeyword = new Map<string, number[]>();
  groups.forEach((keywords, group) => {
    for (const keyword of keywords) {
      if (!/^[\x20-\x7e\u00a0-\ud7ff\ue000-\uffff]{2,}$/.test(keyword) || /[A-Z]/.test(keyword)) {
        throw new RangeError(
          `"keywords" expected text of 2+ characters whose ASCII letters are lower-case`,
        );
      }
      const owners = byKeyword.get(keyword);
      if (owners) owners.push(group);
      else byKeyword.set(keyword, [group]);
    }
  });
  const quadBits = new Uint8Array(PREFIX_BITS >> 3);
  const tripleBits = new Uint8Array(PREFIX_BITS >> 3);
  const pairBits = new Uint8Array(65536 >> 3);
  const bucketAt = new Map<number, number>();
  const buckets: KeywordEntry[][] = [[]];
  const keywordsOfGroup: number[][] = groups.map(() => []);
  const groupCount0: number[] = [];
  const bucketOf: number[] = [];
  let id = 0;
  // Plain loops and calls: this runs once per process, before the JIT has compiled anything,
  // where an array per keyword (`[a, b, c, d] = …map(…)`) cost more than the rest together.
  byKeyword.forEach((owners, keyword) => {
    // Hashed by the low byte of each character, as the text is read (see findKeywordGroups).
    const code = (i: number) => LOWER[keyword.charCodeAt(i) & 255] as number;
    const a = code(0);
    const b = code(1);
    let key: number;
    if (keyword.length === 2) {
      const pair = (a << 8) | b;
      setBit(pairBits, pair);
      key = bucketKey(2, pair);
    } else if (keyword.length === 3) {
      const hash = prefixHash(a, b, code(2));
      setBit(tripleBits, hash);
      key = bucketKey(3, hash);
    } else {
      const hash = prefixHash(a, b, code(2), code(3));
      setBit(quadBits, hash);
      key = bucketKey(4, hash);
    }
    let bucket = bucketAt.get(key);
    if (bucket === undefined) {
      bucket = buckets.length;
      bucketAt.set(key, bucket);
      buckets.push([]);
    }
    const entry = { id: id++, keyword, groups: owners };
    buckets[bucket]?.push(entry);
    for (const group of owners) keywordsOfGroup[group]?.push(entry.id);
    groupCount0.push(owners.length);
    bucketOf.push(bucket);
  });
  return {
    quadBits,
    tripleBits,
    pairBits,
    bucketAt,
    buckets,
    keywordCount: id,
    groupCount: groups.length,
    stamp: new Uint32Array(buckets.length),
    closed: new Uint32Array(id),
    call: 0,
    keywordsOfGroup,
    groupCount0: Int32Array.from(groupCount0),
    bucketOf: Int32Array.from(bucketOf),
    keywordsInBucket: Int32Array.from(buckets, (entries) => entries.length),
    pending: new Int32Array(id),
    bucketPending: new Int32Array(buckets.length),
  };
}

/** For each group, whether one of its keywords occurs in `text` (ignoring ASCII case). */
export function findKeywordGroups(text: string, index: KeywordIndex): boolean[] {
  const hit = new Array<boolean>(index.groupCount).fill(false);
  if (index.keywordCount === 0 || text.length < 2) return hit;
  index.call = (index.call + 1) >>> 0 || 1;
  const { quadBits, tripleBits, pairBits, bucketAt, stamp, call } = index;
  index.pending.set(index.groupCount0);
  index.bucketPending.set(index.keywordsInBucket);
  const state = { open: index.keywordCount };
  const length = text.length;
  // The low byte of each character (charCodeAt & 255): another character can only add a
  // candidate, which is then compared in full. Past the end a character reads as 0, which no
  // keyword holds.
  const at = (i: number) => (i < length ? (LOWER[text.charCodeAt(i) & 255] as number) : 0);
  let a = at(0);
  let b = at(1);
  let c = at(2);
  for (let i = 0; i < length - 1 && state.open > 0; i++) {
    const d = at(i + 3);
    const quad = prefixHash(a, b, c, d);
    const triple = prefixHash(a, b, c);
    const pair = (a << 8) | b;
    a = b;
    b = c;
    c = d;
    if (hasBit(quadBits, quad)) {
      const bucket = bucketAt.get(bucketKey(4, quad)) as number;
      if (stamp[bucket] !== call) compareBucket(text, i, bucket, index, hit, state);
    }
    if (hasBit(tripleBits, triple)) {
      const bucket = bucketAt.get(bucketKey(3, triple)) as number;
      if (stamp[bucket] !== call) compareBucket(text, i, bucket, index, hit, state);
    }
    if (hasBit(pairBits, pair)) {
      const bucket = bucketAt.get(bucketKey(2, pair)) as number;
      if (stamp[bucket] !== call) compareBucket(text, i, bucket, index, hit, state);
    }
  }
  return hit;
}

/**
 * Compares the open keywords of `bucket` with the text at `at`; marks the groups of those that
 * match, and closes every keyword whose groups are all hit (a bucket left empty is stamped).
 */
function compareBucket(
  text: string,
  at: number,
  bucket: number,
  index: KeywordIndex,
  hit: boolean[],
  state: { open: number },
): void {
  const { closed, call, keywordsOfGroup, bucketOf, pending, bucketPending, stamp } = index;
  for (const entry of index.buckets[bucket] as KeywordEntry[]) {
    if (closed[entry.id] === call || !matchesAt(text, at, entry.keyword)) continue;
    for (const group of entry.groups) {
      if (hit[group]) continue;
      hit[group] = true;
      for (const id of keywordsOfGroup[group] as number[]) {
        const left = (pending[id] ?? 0) - 1;
        pending[id] = left;
        if (left > 0 || closed[id] === call) continue;
        closed[id] = call;
        state.open--;
        const of = bucketOf[id] ?? 0;
        const bucketLeft = (bucketPending[of] ?? 0) - 1;
        bucketPending[of] = bucketLeft;
        if (bucketLeft === 0) stamp[of] = call;
      }
    }
  }
}

/** The keyword at `at`, compared in full (a bucket's hash may hold other keywords). */
function matchesAt(text: string, at: number, keyword: string): boolean {
  if (at + keyword.length > text.length) return false;
  for (let j = 0; j < keyword.length; j++) {
    const want = keyword.charCodeAt(j);
    const got = text.charCodeAt(at + j);
    // ASCII case-insensitively (by the low byte: another character can only add a candidate);
    // a character beyond ASCII (`密码`) exactly.
    if (want > 0x7f ? got !== want : LOWER[got & 255] !== want) return false;
  }
  return true;
}
