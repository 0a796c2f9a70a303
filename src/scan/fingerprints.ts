/**
 * Keyed fingerprints of the vault's own secrets, so `vault scan` finds them without unlocking
 * the vault (a pre-commit hook cannot prompt).
 *
 * `<agentDir>/scan.key` holds a random 32-byte key (0600); `<agentDir>/fingerprints.json`
 * (0600) holds, per secret name, 8-byte SipHash-2-4 fingerprints (keyed with a subkey of
 * `scan.key`) of the value's UTF-8 bytes in windows of W = 16 bytes that do not overlap (at 0,
 * 16, 32, … and one more ending at the value's end). Any fragment of 31 bytes or more holds a
 * whole window; the scanner hashes every 16-byte window of the text it scans, and of the
 * text's hex, base64, URL- and JSON-escaped runs once decoded, so encoded copies are found too.
 * A value shorter than W gets one whole-value fingerprint and its length is recorded. Values
 * shorter than 8 characters are not fingerprinted (too few to tell from ordinary text).
 *
 * Beside the live set (`secrets`: the versions the vault treats as valid), `retired` keeps the
 * fingerprints of values the vault held and no longer treats as valid (rotated out, replaced,
 * or of a removed secret), so a scan reports them as "exposed, already rotated" rather than
 * missing them or calling them live. They cannot be rebuilt from the vault once it dropped the
 * version, so they are carried over as long as the set belongs to the same vault, bounded per
 * name and overall (the least recently retired dropped first), and forgotten when the secret
 * is purged or its value comes back.
 *
 * With `scan.key` in hand each stored fingerprint is an offline guessing target, so a window is
 * stored only when guessing it costs at least 2^64 by the estimator of guess-cost.ts (which
 * counts punctuation as known structure, a word as one entry of a large list and digits at
 * log2 10 each): the windows of `{"user":"alice","pin":"482913"}` or of a DSN with a weak
 * password are not stored, and a value none of whose windows qualifies is not fingerprinted at
 * all (reported as too guessable). Windows do not overlap for the same reason: overlapping
 * windows would let an attacker recover a value a few characters at a time.
 *
 * Without the key the file says nothing about the values but their names, how many windows
 * each has, the short lengths, and which white-space, control and ASCII punctuation characters
 * occur in no value (the scanner skips runs of text split at those).
 *
 * Every pass over scanned text is linear in its length: the encoded runs are found by
 * single-pass scanners (no regular expression that can backtrack), and each window costs one
 * SipHash (a few dozen nanoseconds, in WebAssembly: window-hasher.ts).
 */
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { vaultError } from "../errors.js";
import { decodedRuns } from "./encoded-runs.js";
import type { SecretMatch, SecretMatcher } from "./engine.js";
import { readJsonFile } from "./files.js";
import {
  BREAKER_CANDIDATES,
  FINGERPRINT_FILE,
  FINGERPRINT_WINDOW,
  type FingerprintFile,
  isOlderFormat,
  MAX_RETIRED,
  MAX_RETIRED_PER_NAME,
  parseFingerprintFile,
  type RetiredPrints,
  readFingerprintFile,
  saveFingerprintFile,
} from "./fingerprint-file.js";
import {
  dedupeMatches,
  matchOf,
  mergeHits,
  type Owner,
  ownerKey,
  ownerTable,
} from "./fingerprint-owners.js";
import { guessBits, isCountedByte, MIN_COUNTED_BYTES, MIN_GUESS_BITS } from "./guess-cost.js";
import { readKey, readOrCreateKey } from "./scan-key.js";
import { type SipKey, sipHash24, sipKey } from "./siphash.js";
import { windowHasher } from "./window-hasher.js";

/** Distance between window starts: the window length (windows never overlap but the last). */
export const FINGERPRINT_STRIDE = FINGERPRINT_WINDOW;
/**
 * The most fingerprints a scan reads from a file (the live and retired ones together): 250,000
 * windows are 4 MB of secrets (15,000 values of 256 bytes) and load in about a second; a file
 * written to be slow holds more (a 64 MiB file holds 3.5 million, which took 36 s and 2.4 GB).
 */
export const MAX_FINGERPRINTS = 250_000;
/** Values shorter than this (in characters) are not fingerprinted. */
export const MIN_FINGERPRINT_LENGTH = 8;
/** Derives the SipHash key from `scan.key` (a new format never shares fingerprints with an old one). */
const SUBKEY_CONTEXT = "agent-vault/scan-fingerprint/3";
/** One value to fingerprint: a secret's name and one of its values (a version). */
export interface FingerprintInput {
  name: string;
  value: string;
  /**
   * A version the vault no longer treats as valid (rotated out, replaced, of a removed
   * secret): a scan reports it as exposed, already rotated, not as live.
   */
  retired?: boolean;
}

/** What {@link writeFingerprints} did. */
export interface FingerprintSummary {
  /** Names with at least one fingerprinted value. */
  fingerprinted: string[];
  /** Names whose values were all too short to fingerprint (under 8 characters). */
  tooShort: string[];
  /**
   * Names whose values were all too guessable to fingerprint: no window of them costs 2^64
   * guesses (guess-cost.ts). The scanner cannot find these; rotate them to random values.
   */
  tooGuessable: string[];
}

/** The SipHash key of a `scan.key` (HMAC-SHA256 under a fixed context, first 16 bytes). */
function fingerprintKey(scanKey: Uint8Array): SipKey {
  const digest = createHmac("sha256", scanKey).update(SUBKEY_CONTEXT).digest();
  const key = sipKey(digest.subarray(0, 16));
  digest.fill(0);
  return key;
}

/** A fingerprint as stored: the 8 bytes of SipHash's output (little-endian u64) in hex. */
function printText(out: Uint32Array): string {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32LE(out[0] as number, 0);
  bytes.writeUInt32LE(out[1] as number, 4);
  return bytes.toString("hex");
}

function fingerprintOf(key: SipKey, bytes: Uint8Array, out: Uint32Array): string {
  sipHash24(key, bytes, 0, bytes.length, out);
  return printText(out);
}

/**
 * Fingerprints of `secrets` by name (only windows costing at least 2^64 guesses), live and
 * retired apart, the short lengths stored, the breaker candidates present in some value, and
 * the names of values too guessable to keep any fingerprint.
 */
function fingerprintAll(key: SipKey, secrets: readonly FingerprintInput[]) {
  const byName = new Map<string, Set<string>>();
  const retiredByName = new Map<string, Set<string>>();
  const guessable = new Set<string>();
  const lengths = new Set<number>();
  const present = new Set<string>();
  const out = new Uint32Array(2);
  for (const { name, value, retired } of secrets) {
    if ([...value].length < MIN_FINGERPRINT_LENGTH) continue;
    for (const char of BREAKER_CANDIDATES) if (value.includes(char)) present.add(char);
    const bytes = Buffer.from(value, "utf8");
    const prints = new Set<string>();
    if (bytes.length < FINGERPRINT_WINDOW) {
      if (guessBits(bytes) >= MIN_GUESS_BITS) {
        lengths.add(bytes.length);
        prints.add(fingerprintOf(key, bytes, out));
      }
    } else {
      for (let at = 0; ; at += FINGERPRINT_STRIDE) {
        const start = Math.min(at, bytes.length - FINGERPRINT_WINDOW);
        const end = start + FINGERPRINT_WINDOW;
        if (guessBits(bytes, start, end) >= MIN_GUESS_BITS) {
          prints.add(fingerprintOf(key, bytes.subarray(start, end), out));
        }
        if (end === bytes.length) break;
      }
    }
    if (prints.size === 0) {
      if (!retired) guessable.add(name);
      continue;
    }
    const target = retired ? retiredByName : byName;
    const set = target.get(name) ?? new Set<string>();
    target.set(name, set);
    for (const print of prints) set.add(print);
  }
  // A window a valid version shares with a retired one is live.
  for (const [name, prints] of retiredByName) {
    for (const print of byName.get(name) ?? []) prints.delete(print);
  }
  return { byName, retiredByName, lengths, present, guessable };
}

/**
 * The retired fingerprints after a change: for each name in `touched`, what it held before,
 * then what it retires now (`retiring`), less what is live for it again (`live`); the names
 * in `forgotten` lose theirs. A name that retired something new moves to the end (newest).
 * Capped per name and overall, oldest first.
 */
function retireFingerprints(
  before: readonly RetiredPrints[],
  touched: Iterable<string>,
  live: ReadonlyMap<string, ReadonlySet<string> | readonly string[]>,
  retiring: ReadonlyMap<string, ReadonlySet<string>>,
  forgotten: ReadonlySet<string>,
): RetiredPrints[] {
  const byName = new Map(before.map((entry) => [entry.name, entry.prints]));
  // Names in the order they last retired something (a Map keeps insertion order: a name
  // deleted and set again moves to the end).
  const order = new Map<string, true>();
  for (const entry of before) if (!forgotten.has(entry.name)) order.set(entry.name, true);
  for (const name of touched) {
    if (forgotten.has(name)) continue;
    const current = new Set(live.get(name) ?? []);
    const kept = (byName.get(name) ?? []).filter((print) => !current.has(print));
    const known = new Set(kept);
    const added = [...(retiring.get(name) ?? [])]
      .filter((print) => !current.has(print) && !known.has(print))
      .sort();
    byName.set(name, [...kept, ...added]);
    if (added.length > 0 || kept.length === 0) {
      order.delete(name);
      if (kept.length + added.length > 0) order.set(name, true);
    }
  }
  const entries = [...order.keys()].map((name) => ({
    name,
    prints: (byName.get(name) ?? []).slice(-MAX_RETIRED_PER_NAME),
  }));
  let excess = entries.reduce((sum, entry) => sum + entry.prints.length, 0) - MAX_RETIRED;
  for (const entry of entries) {
    if (excess <= 0) break;
    const dropped = Math.min(excess, entry.prints.length);
    entry.prints = entry.prints.slice(dropped);
    excess -= dropped;
  }
  return entries.filter((entry) => entry.prints.length > 0);
}

/** Options of {@link writeFingerprints}. */
export interface WriteFingerprintsOptions {
  /**
   * The set on disk belongs to the same vault: keep its retired fingerprints (of the names
   * still in `secrets`), and retire the live ones a name no longer has. Otherwise the set
   * starts with only what `secrets` hold.
   */
  keepRetired?: boolean;
}

/**
 * Replaces the agent's fingerprint set with fingerprints of `secrets` (every version of every
 * secret, those the vault no longer treats as valid marked `retired`). Creates `scan.key`
 * when absent.
 * @throws VaultError IO_ERROR | INSECURE_PERMISSIONS | CORRUPT
 */
export async function writeFingerprints(
  agentDir: string,
  secrets: readonly FingerprintInput[],
  options: WriteFingerprintsOptions = {},
): Promise<FingerprintSummary> {
  const scanKey = await readOrCreateKey(agentDir);
  const key = fingerprintKey(scanKey.key);
  const { byName, retiredByName, lengths, present, guessable } = fingerprintAll(key, secrets);
  const names = new Set(secrets.map((secret) => secret.name));
  // Fingerprints made with another scan key would never match: only the same key's are kept.
  const existing =
    options.keepRetired && !scanKey.isNew ? await readFingerprintFile(agentDir) : undefined;
  let retired: RetiredPrints[] = [];
  let breakers = [...BREAKER_CANDIDATES].filter((char) => !present.has(char)).join("");
  if (existing) {
    // What a name held live and no longer does is retired with what the vault marks so.
    const retiring = new Map(retiredByName);
    for (const [name, prints] of Object.entries(existing.secrets)) {
      if (!names.has(name)) continue;
      const set = new Set(retiring.get(name) ?? []);
      for (const print of prints) set.add(print);
      retiring.set(name, set);
    }
    // A name the vault no longer has at all was purged: its retired fingerprints go too.
    const gone = new Set(
      (existing.retired ?? []).map((entry) => entry.name).filter((name) => !names.has(name)),
    );
    retired = retireFingerprints(existing.retired ?? [], names, byName, retiring, gone);
    // The kept fingerprints may be of lengths and split characters no current value has.
    for (const length of existing.lengths) lengths.add(length);
    breakers = [...breakers].filter((char) => existing.breakers.includes(char)).join("");
  } else {
    retired = retireFingerprints([], names, byName, retiredByName, new Set());
  }
  await saveFingerprintFile(agentDir, byName, lengths, breakers, retired);
  const fingerprinted = [...byName.keys()].sort();
  // The summary is of the values the scanner finds as live.
  const liveNames = new Set(
    secrets.filter((secret) => !secret.retired).map((secret) => secret.name),
  );
  const missing = [...liveNames].filter((n) => !byName.has(n)).sort();
  return {
    fingerprinted,
    tooShort: missing.filter((n) => !guessable.has(n)),
    tooGuessable: missing.filter((n) => guessable.has(n)),
  };
}

/** Options of {@link updateFingerprints}. */
export interface UpdateFingerprintsOptions {
  /** Names purged from the vault (history and all): their retired fingerprints are forgotten too. */
  purged?: readonly string[];
}

/**
 * Updates the fingerprint set for the secrets named in `names`: their live fingerprints become
 * those of the valid versions in `secrets`; what they held live before and no longer do, and
 * the versions marked `retired`, join their retired fingerprints (a name with no values here
 * keeps only retired ones; a `purged` name keeps none). The other secrets keep theirs.
 * Lengths and split characters only ever widen, so an update never makes the scanner miss a
 * value it found before. Returns false, changing nothing, when there is no readable set to
 * update (or `scan.key` is gone): then write a whole one.
 * @throws VaultError IO_ERROR | INSECURE_PERMISSIONS | CORRUPT
 */
export async function updateFingerprints(
  agentDir: string,
  names: readonly string[],
  secrets: readonly FingerprintInput[],
  options: UpdateFingerprintsOptions = {},
): Promise<boolean> {
  const existing = await readFingerprintFile(agentDir);
  // No usable set to update (first write, or damaged): the caller writes a whole one.
  if (!existing) return false;
  const scanKey = await readKey(agentDir);
  if (!scanKey) return false;
  const key = fingerprintKey(scanKey);
  // Only what a name held live and no longer does retires here: the versions the vault marks
  // retired were retired when they stopped being valid (adding them again at every change
  // would bring back what the cap dropped).
  const { byName, lengths, present } = fingerprintAll(key, secrets);
  const merged = new Map<string, ReadonlySet<string> | readonly string[]>(
    Object.entries(existing.secrets),
  );
  const retiring = new Map<string, Set<string>>();
  for (const name of names) {
    const set = new Set<string>();
    for (const print of Object.hasOwn(existing.secrets, name)
      ? (existing.secrets[name] ?? [])
      : []) {
      set.add(print);
    }
    retiring.set(name, set);
    merged.delete(name);
  }
  for (const [name, set] of byName) merged.set(name, set);
  const retired = retireFingerprints(
    existing.retired ?? [],
    names,
    merged,
    retiring,
    new Set(options.purged ?? []),
  );
  for (const length of existing.lengths) lengths.add(length);
  const breakers = [...existing.breakers].filter((char) => !present.has(char)).join("");
  await saveFingerprintFile(agentDir, merged, lengths, breakers, retired);
  return true;
}

/** The vault's own secrets as a matcher for the engine, with what it holds. */
export interface FingerprintMatcher extends SecretMatcher {
  /** Names of the secrets it can find. */
  readonly names: string[];
  /** Names of the secrets it can find values of that the vault no longer treats as valid. */
  readonly retiredNames: string[];
}

/**
 * The agent's fingerprint set as a matcher; `undefined` when there is none (no key or no set).
 * Needs no vault key.
 * @throws VaultError CORRUPT | INSECURE_PERMISSIONS | IO_ERROR
 */
export async function readFingerprints(agentDir: string): Promise<FingerprintMatcher | undefined> {
  const loaded = await loadFingerprints(agentDir);
  return loaded && fingerprintMatcher(loaded);
}

/**
 * The agent's fingerprint set and scan key as read and checked, plain data: a scan's worker
 * threads build their matchers from the one set the scan read ({@link fingerprintMatcher}), so
 * every file is matched against the same set even when the vault changes meanwhile.
 */
export interface LoadedFingerprints {
  set: FingerprintFile;
  scanKey: Uint8Array;
}

/**
 * Reads the agent's fingerprint set and scan key; `undefined` when there is none (no key or no
 * set, or a set in an older format).
 * @throws VaultError CORRUPT | INSECURE_PERMISSIONS | IO_ERROR
 */
export async function loadFingerprints(agentDir: string): Promise<LoadedFingerprints | undefined> {
  const raw = await readJsonFile(join(agentDir, FINGERPRINT_FILE), "fingerprint file");
  if (raw === undefined) return undefined;
  // A set in an older format (other hash, windows that may be guessable) is not used: the
  // vault rebuilds it at its next open, as it does a set that fell behind.
  if (isOlderFormat(raw)) return undefined;
  const parsed = parseFingerprintFile(raw);
  const rebuild = `Delete ${join(agentDir, FINGERPRINT_FILE)} and change any secret to write it again.`;
  if (!parsed) throw vaultError("CORRUPT", "The fingerprint file is damaged.", rebuild);
  const prints =
    Object.values(parsed.secrets).reduce((sum, list) => sum + list.length, 0) +
    (parsed.retired ?? []).reduce((sum, entry) => sum + entry.prints.length, 0);
  if (prints > MAX_FINGERPRINTS) {
    throw vaultError(
      "CORRUPT",
      `The fingerprint file holds ${prints} fingerprints, more than the ${MAX_FINGERPRINTS} a scan reads.`,
      rebuild,
    );
  }
  const scanKey = await readKey(agentDir);
  if (!scanKey) return undefined;
  return { set: parsed, scanKey };
}

/** The matcher of a set {@link loadFingerprints} read (on any thread). */
export function fingerprintMatcher(loaded: LoadedFingerprints): FingerprintMatcher {
  const { set: parsed, scanKey } = loaded;
  const key = fingerprintKey(scanKey);
  const owners = ownerTable(parsed.secrets, parsed.retired ?? []);
  const lengths = [...new Set([...parsed.lengths, FINGERPRINT_WINDOW])].sort((a, b) => a - b);
  const breaker = new Uint8Array(256);
  for (const char of parsed.breakers) breaker[char.charCodeAt(0) & 0xff] = 1;
  const shortest = lengths[0] as number;
  // Every window of every fingerprinted length in each run of bytes between breakers is hashed,
  // except those with too few letters and digits for the writer to have stored them (a cheap
  // count). The full guess estimate is not run here: a window matches only a stored hash, and
  // every stored window passed it; on random text the estimate cost more than the hash it saves.
  const windowHits = windowHasher({
    key,
    // The owner table holds each fingerprint once (under the first name that has it).
    prints: (function* () {
      for (const same of owners.values()) yield* same;
    })(),
    lengths,
    isBreaker: (byte) => breaker[byte] === 1,
    isCounted: isCountedByte,
    minCounted: MIN_COUNTED_BYTES,
  });
  const hitsIn = (bytes: Uint8Array, found: (start: number, end: number, owner: Owner) => void) =>
    windowHits(bytes, found);
  return {
    names: Object.keys(parsed.secrets),
    retiredNames: (parsed.retired ?? []).map((entry) => entry.name),
    match(text: string): SecretMatch[] {
      if (owners.size === 0) return [];
      const bytes = Buffer.from(text, "utf8");
      const hits: SecretMatch[] = [];
      hitsIn(bytes, (start, end, owner) => hits.push({ start, end, ...matchOf(owner) }));
      const matches = mergeHits(
        hits,
        bytes,
        text.length === bytes.length,
        (byte) => breaker[byte] === 1,
      );
      // Encoded copies: each decoded run that holds a value is reported over the whole run.
      for (const run of decodedRuns(text, shortest)) {
        const found = new Map<string, Owner>();
        hitsIn(run.bytes, (_start, _end, owner) => found.set(ownerKey(owner), owner));
        for (const owner of found.values()) {
          matches.push({ start: run.start, end: run.end, ...matchOf(owner) });
        }
      }
      return dedupeMatches(matches);
    },
  };
}

export { type Exposure, readExposures, recordExposures } from "./exposures.js";
