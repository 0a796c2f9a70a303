/**
 * Keyed fingerprints of the vault's own secrets, so `vault scan` finds them without unlocking
 * the vault (a pre-commit hook cannot prompt).
 *
 * `<agentDir>/scan.key` holds a random 32-byte key (0600); `<agentDir>/fingerprints.json`
 * (0600) holds, per secret name, keyed BLAKE2b fingerprints (8 bytes) of the value's UTF-8
 * bytes in windows of W = 16 bytes that do not overlap (at 0, 16, 32, … and one more ending
 * at the value's end). Any fragment of 31 bytes or more holds a whole window; the scanner
 * hashes every 16-byte window of the text it scans, and of the text's hex, base64, URL- and
 * JSON-escaped runs once decoded, so encoded copies are found too. A value shorter than W
 * gets one whole-value fingerprint and its length is recorded. Values shorter than 8
 * characters are not fingerprinted (too few to tell from ordinary text; reported as such).
 *
 * Windows do not overlap on purpose: with `scan.key` in hand, overlapping windows would let
 * an attacker recover a value a few characters at a time. As it is, each window is 16
 * unknown bytes to guess (a public prefix such as `ghp_` shortens only the first), so only a
 * short or guessable value can be recovered from both files.
 *
 * Without the key the file says nothing about the values but their names, how many windows
 * each has, the short lengths, and which white-space and ASCII punctuation characters occur
 * in no value (the scanner skips runs of text split at those).
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { ioError, vaultError } from "../errors.js";
import { acquireLock } from "../store/lock.js";
import type { SecretMatch, SecretMatcher } from "./engine.js";
import { readJsonFile, writeFileAtomic } from "./files.js";

/** Window length in bytes. */
export const FINGERPRINT_WINDOW = 16;
/** Distance between window starts: the window length (windows never overlap but the last). */
export const FINGERPRINT_STRIDE = FINGERPRINT_WINDOW;
/** Values shorter than this (in characters) are not fingerprinted. */
export const MIN_FINGERPRINT_LENGTH = 8;
const FINGERPRINT_BYTES = 8;
const KEY_FILE = "scan.key";
/** The fingerprint set's file name in the agent's folder. */
export const FINGERPRINT_FILE = "fingerprints.json";
const EXPOSED_FILE = "exposed.json";
const EXPOSED_LOCK = "exposed.lock";
/**
 * Characters that split text into runs when no stored form contains them: white space and
 * ASCII punctuation (never letters or digits, which would say too much about the values).
 */
const BREAKER_CANDIDATES = " \t\r\n!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

interface FingerprintFile {
  version: 2;
  window: number;
  lengths: number[];
  breakers: string;
  secrets: Record<string, string[]>;
}

/** The fingerprint file in `raw`, or `undefined` when malformed (by hand: zod loads slowly). */
function parseFingerprintFile(raw: unknown): FingerprintFile | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const file = raw as Record<string, unknown>;
  const { lengths, breakers, secrets } = file;
  if (file.version !== 2 || file.window !== FINGERPRINT_WINDOW) return undefined;
  if (
    !Array.isArray(lengths) ||
    !lengths.every((n) => Number.isInteger(n) && n >= 1 && n <= FINGERPRINT_WINDOW)
  ) {
    return undefined;
  }
  if (typeof breakers !== "string" || breakers.length > 64) return undefined;
  if (typeof secrets !== "object" || secrets === null || Array.isArray(secrets)) return undefined;
  for (const prints of Object.values(secrets)) {
    if (
      !Array.isArray(prints) ||
      !prints.every((p) => typeof p === "string" && /^[0-9a-f]{16}$/.test(p))
    ) {
      return undefined;
    }
  }
  return file as unknown as FingerprintFile;
}

/** crypto.ts loads libsodium (WebAssembly): only when there is something to hash. */
async function loadCrypto() {
  const crypto = await import("../crypto.js");
  await crypto.initCrypto();
  return crypto;
}

type MacFunction = (key: Uint8Array, message: Uint8Array, length?: number) => Uint8Array;

/** One value to fingerprint: a secret's name and one of its values (a version). */
export interface FingerprintInput {
  name: string;
  value: string;
}

/** What {@link writeFingerprints} did. */
export interface FingerprintSummary {
  /** Names with at least one fingerprinted value. */
  fingerprinted: string[];
  /** Names whose values were all too short to fingerprint. */
  tooShort: string[];
}

function fingerprintOf(mac: MacFunction, key: Uint8Array, bytes: Uint8Array): string {
  const digest = mac(key, bytes, 16);
  return Buffer.from(digest.buffer, digest.byteOffset, FINGERPRINT_BYTES).toString("hex");
}

async function readKey(agentDir: string): Promise<Uint8Array | undefined> {
  const path = join(agentDir, KEY_FILE);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError(error, "read the scan key");
  }
  try {
    const stat = await handle.stat();
    if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) {
      throw vaultError(
        "INSECURE_PERMISSIONS",
        "The scan key file is readable by other users.",
        `Run: chmod 600 ${path}`,
      );
    }
    const key = new Uint8Array(await handle.readFile());
    if (key.length !== 32) {
      throw vaultError(
        "CORRUPT",
        "The scan key file is damaged.",
        `Delete ${path}; the next change to the vault writes a new one.`,
      );
    }
    return key;
  } finally {
    await handle.close();
  }
}

async function readOrCreateKey(agentDir: string): Promise<Uint8Array> {
  const existing = await readKey(agentDir);
  if (existing) return existing;
  const key = (await loadCrypto()).randomBytes(32);
  await writeFileAtomic(join(agentDir, KEY_FILE), key);
  return key;
}

/** Fingerprints of `secrets` by name, the short form lengths seen and the characters present. */
function fingerprintAll(mac: MacFunction, key: Uint8Array, secrets: readonly FingerprintInput[]) {
  const byName = new Map<string, Set<string>>();
  const lengths = new Set<number>();
  const present = new Set<string>();
  for (const { name, value } of secrets) {
    if ([...value].length < MIN_FINGERPRINT_LENGTH) continue;
    const set = byName.get(name) ?? new Set<string>();
    byName.set(name, set);
    for (const char of BREAKER_CANDIDATES) if (value.includes(char)) present.add(char);
    const bytes = Buffer.from(value, "utf8");
    if (bytes.length < FINGERPRINT_WINDOW) {
      lengths.add(bytes.length);
      set.add(fingerprintOf(mac, key, bytes));
      continue;
    }
    for (let at = 0; ; at += FINGERPRINT_STRIDE) {
      const start = Math.min(at, bytes.length - FINGERPRINT_WINDOW);
      set.add(fingerprintOf(mac, key, bytes.subarray(start, start + FINGERPRINT_WINDOW)));
      if (start === bytes.length - FINGERPRINT_WINDOW) break;
    }
  }
  return { byName, lengths, present };
}

async function saveFingerprintFile(
  agentDir: string,
  byName: ReadonlyMap<string, ReadonlySet<string> | readonly string[]>,
  lengths: ReadonlySet<number>,
  breakers: string,
): Promise<void> {
  const file: FingerprintFile = {
    version: 2,
    window: FINGERPRINT_WINDOW,
    lengths: [...lengths].sort((a, b) => a - b),
    breakers,
    secrets: Object.fromEntries(
      [...byName]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, set]) => [name, [...set].sort()]),
    ),
  };
  await writeFileAtomic(join(agentDir, FINGERPRINT_FILE), `${JSON.stringify(file)}\n`);
}

/**
 * Replaces the agent's fingerprint set with fingerprints of `secrets` (give every still-valid
 * version of every secret). Creates `scan.key` when absent.
 * @throws VaultError IO_ERROR | INSECURE_PERMISSIONS | CORRUPT
 */
export async function writeFingerprints(
  agentDir: string,
  secrets: readonly FingerprintInput[],
): Promise<FingerprintSummary> {
  const { mac } = await loadCrypto();
  const key = await readOrCreateKey(agentDir);
  const { byName, lengths, present } = fingerprintAll(mac, key, secrets);
  const breakers = [...BREAKER_CANDIDATES].filter((char) => !present.has(char)).join("");
  await saveFingerprintFile(agentDir, byName, lengths, breakers);
  const names = new Set(secrets.map((secret) => secret.name));
  const fingerprinted = [...byName.keys()].sort();
  return { fingerprinted, tooShort: [...names].filter((n) => !byName.has(n)).sort() };
}

/**
 * Updates the fingerprint set for the secrets named in `names`: their fingerprints become
 * those of `secrets` (every still-valid version of each; a name with no values here is
 * dropped). The other secrets keep theirs. Lengths and split characters only ever widen, so
 * an update never makes the scanner miss a secret it found before. Returns false, changing
 * nothing, when there is no readable set to update: then write a whole one.
 * @throws VaultError IO_ERROR | INSECURE_PERMISSIONS | CORRUPT
 */
export async function updateFingerprints(
  agentDir: string,
  names: readonly string[],
  secrets: readonly FingerprintInput[],
): Promise<boolean> {
  const raw = await readJsonFile(join(agentDir, FINGERPRINT_FILE), "fingerprint file").catch(
    () => undefined,
  );
  const existing = raw === undefined ? undefined : parseFingerprintFile(raw);
  // No usable set to update (first write, or damaged): the caller writes a whole one.
  if (!existing) return false;
  const { mac } = await loadCrypto();
  const key = await readOrCreateKey(agentDir);
  const { byName, lengths, present } = fingerprintAll(mac, key, secrets);
  const merged = new Map<string, ReadonlySet<string> | readonly string[]>(
    Object.entries(existing?.secrets ?? {}),
  );
  for (const name of names) merged.delete(name);
  for (const [name, set] of byName) merged.set(name, set);
  for (const length of existing?.lengths ?? []) lengths.add(length);
  const breakers = [...(existing?.breakers ?? BREAKER_CANDIDATES)]
    .filter((char) => !present.has(char))
    .join("");
  await saveFingerprintFile(agentDir, merged, lengths, breakers);
  return true;
}

/** The vault's own secrets as a matcher for the engine, with what it holds. */
export interface FingerprintMatcher extends SecretMatcher {
  /** Names of the secrets it can find. */
  readonly names: string[];
}

/**
 * The agent's fingerprint set as a matcher; `undefined` when there is none (no key or no set).
 * Needs no vault key.
 * @throws VaultError CORRUPT | INSECURE_PERMISSIONS | IO_ERROR
 */
export async function readFingerprints(agentDir: string): Promise<FingerprintMatcher | undefined> {
  const raw = await readJsonFile(join(agentDir, FINGERPRINT_FILE), "fingerprint file");
  if (raw === undefined) return undefined;
  const parsed = parseFingerprintFile(raw);
  if (!parsed) {
    throw vaultError(
      "CORRUPT",
      "The fingerprint file is damaged.",
      `Delete ${join(agentDir, FINGERPRINT_FILE)} and change any secret to write it again.`,
    );
  }
  const key = await readKey(agentDir);
  if (!key) return undefined;
  const { mac } = await loadCrypto();
  const owners = new Map<string, string>();
  for (const [name, prints] of Object.entries(parsed.secrets)) {
    for (const print of prints) if (!owners.has(print)) owners.set(print, name);
  }
  const lengths = [...new Set([...parsed.lengths, FINGERPRINT_WINDOW])].sort((a, b) => a - b);
  const breaker = new Uint8Array(256);
  for (const char of parsed.breakers) breaker[char.charCodeAt(0) & 0xff] = 1;
  /** Hashes every window of every fingerprinted length in bytes[from, to). */
  const hitsIn = (
    bytes: Uint8Array,
    from: number,
    to: number,
    found: (start: number, end: number, name: string) => void,
  ) => {
    for (const length of lengths) {
      if (to - from < length) break;
      for (let at = from; at + length <= to; at++) {
        const name = owners.get(fingerprintOf(mac, key, bytes.subarray(at, at + length)));
        if (name !== undefined) found(at, at + length, name);
      }
    }
  };
  const shortest = lengths[0] as number;
  return {
    names: Object.keys(parsed.secrets),
    match(text: string): SecretMatch[] {
      if (owners.size === 0) return [];
      const bytes = Buffer.from(text, "utf8");
      const hits: Array<{ start: number; end: number; name: string }> = [];
      let runStart = 0;
      for (let i = 0; i <= bytes.length; i++) {
        if (i === bytes.length || breaker[bytes[i] as number] === 1) {
          if (i - runStart >= shortest) {
            hitsIn(bytes, runStart, i, (start, end, name) => hits.push({ start, end, name }));
          }
          runStart = i + 1;
        }
      }
      const matches = mergeHits(hits, bytes, text.length === bytes.length);
      // Encoded copies: each decoded run that holds a value is reported over the whole run.
      for (const run of decodedRuns(text, shortest)) {
        const names = new Set<string>();
        hitsIn(run.bytes, 0, run.bytes.length, (_start, _end, name) => names.add(name));
        for (const name of names) matches.push({ start: run.start, end: run.end, name });
      }
      return dedupeMatches(matches);
    },
  };
}

/** A run of the text in an encoding, decoded; `start`/`end` are UTF-16 offsets in the text. */
interface DecodedRun {
  start: number;
  end: number;
  bytes: Uint8Array;
}

const HEX_RUN = /[0-9A-Fa-f]{16,}/g;
const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;
const URL_ENCODED_RUN = /[^\s"'<>`]*%[0-9A-Fa-f]{2}[^\s"'<>`]*/g;
const JSON_ESCAPED_RUN =
  /(?:[^\s"\\]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})(?:[^\s"\\]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*/g;

/**
 * The hex, base64 / base64url, URL-encoded and JSON-escaped runs of `text`, decoded: where a
 * value pasted in an encoded form can be found again (its fingerprints are of the raw bytes
 * only, so that no encoded form adds windows that overlap).
 */
function decodedRuns(text: string, shortest: number): DecodedRun[] {
  const runs: DecodedRun[] = [];
  const add = (match: RegExpExecArray, decode: (run: string) => Uint8Array | undefined) => {
    let bytes: Uint8Array | undefined;
    try {
      bytes = decode(match[0]);
    } catch {
      bytes = undefined;
    }
    if (bytes && bytes.length >= shortest) {
      runs.push({ start: match.index, end: match.index + match[0].length, bytes });
    }
  };
  for (const match of text.matchAll(HEX_RUN)) {
    add(match, (run) => Buffer.from(run.length % 2 === 0 ? run : run.slice(0, -1), "hex"));
  }
  for (const match of text.matchAll(BASE64_RUN)) {
    add(match, (run) => Buffer.from(run, "base64"));
  }
  for (const match of text.matchAll(URL_ENCODED_RUN)) {
    add(match, (run) => Buffer.from(decodeURIComponent(run), "utf8"));
    add(match, (run) => Buffer.from(decodeURIComponent(run.replaceAll("+", "%20")), "utf8"));
  }
  for (const match of text.matchAll(JSON_ESCAPED_RUN)) {
    add(match, (run) => Buffer.from(JSON.parse(`"${run}"`) as string, "utf8"));
  }
  return runs;
}

/** One match per name and span; spans of one name that overlap are joined. */
function dedupeMatches(matches: SecretMatch[]): SecretMatch[] {
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretMatch[] = [];
  for (const match of matches) {
    const same = out.find(
      (m) => m.name === match.name && match.start <= m.end && m.start <= match.end,
    );
    if (same) {
      same.start = Math.min(same.start, match.start);
      same.end = Math.max(same.end, match.end);
    } else {
      out.push({ ...match });
    }
  }
  return out;
}

/** Overlapping or touching windows of one secret become one span, in UTF-16 offsets. */
function mergeHits(
  hits: Array<{ start: number; end: number; name: string }>,
  bytes: Buffer,
  isAscii: boolean,
): SecretMatch[] {
  hits.sort((a, b) => a.start - b.start);
  const merged: SecretMatch[] = [];
  for (const hit of hits) {
    const last = merged.at(-1);
    if (last && last.name === hit.name && hit.start <= last.end) {
      last.end = Math.max(last.end, hit.end);
    } else {
      merged.push({ ...hit });
    }
  }
  if (isAscii) return merged;
  const offset = (byte: number) => bytes.subarray(0, byte).toString("utf8").length;
  return merged.map((m) => ({ start: offset(m.start), end: offset(m.end), name: m.name }));
}

/** One sighting of a vault secret outside the vault. Never holds the value or a preview. */
export interface Exposure {
  name: string;
  /** Absolute path of the file (or `(stdin)`, `staged:PATH`). */
  file: string;
  line: number;
  time: string;
}

/**
 * Appends exposures to `<agentDir>/exposed.json` (0600); one already recorded for the same
 * name, file and line is kept as it was.
 * @throws VaultError IO_ERROR | CORRUPT
 */
export async function recordExposures(
  agentDir: string,
  sightings: ReadonlyArray<Omit<Exposure, "time">>,
  now: Date,
): Promise<void> {
  if (sightings.length === 0) return;
  // Two scans at once (a hook and an editor's) must not drop each other's sightings.
  const lock = await acquireLock(join(agentDir, EXPOSED_LOCK), {
    timeoutMs: 10_000,
    staleMs: 30_000,
    what: "exposure file",
  });
  try {
    const existing = await readExposures(agentDir);
    const seen = new Set(existing.map((e) => JSON.stringify([e.name, e.file, e.line])));
    const added = sightings
      .filter((s) => !seen.has(JSON.stringify([s.name, s.file, s.line])))
      .map((s) => ({ name: s.name, file: s.file, line: s.line, time: now.toISOString() }));
    if (added.length === 0) return;
    await writeFileAtomic(
      join(agentDir, EXPOSED_FILE),
      `${JSON.stringify([...existing, ...added], null, 2)}\n`,
    );
  } finally {
    await lock.release();
  }
}

function isExposureList(raw: unknown): raw is Exposure[] {
  return (
    Array.isArray(raw) &&
    raw.every(
      (e) =>
        typeof e === "object" &&
        e !== null &&
        typeof e.name === "string" &&
        typeof e.file === "string" &&
        typeof e.line === "number" &&
        typeof e.time === "string",
    )
  );
}

/**
 * The secrets a scan found outside the vault, oldest first (empty when none).
 * @throws VaultError CORRUPT | IO_ERROR
 */
export async function readExposures(agentDir: string): Promise<Exposure[]> {
  const raw = await readJsonFile(join(agentDir, EXPOSED_FILE), "exposure file");
  if (raw === undefined) return [];
  if (!isExposureList(raw)) {
    throw vaultError(
      "CORRUPT",
      "The exposure file is damaged.",
      `Fix or delete ${join(agentDir, EXPOSED_FILE)}.`,
    );
  }
  return raw.map(({ name, file, line, time }) => ({ name, file, line, time }));
}

const SYNCED_FILE = "fingerprints.synced";

/** Which commit of which vault the fingerprint set was last brought up to date with. */
export interface FingerprintSync {
  vaultId: string;
  generation: number;
}

/**
 * The vault commit the set was last synced with (database stores: other hosts write too, so
 * a host rebuilds its set when the vault moved on without it). `undefined`: unknown.
 */
export async function readFingerprintSync(agentDir: string): Promise<FingerprintSync | undefined> {
  const raw = await readJsonFile(join(agentDir, SYNCED_FILE), "fingerprint sync file").catch(
    () => undefined,
  );
  const sync = raw as Partial<FingerprintSync> | undefined;
  return typeof sync?.vaultId === "string" && Number.isSafeInteger(sync.generation)
    ? { vaultId: sync.vaultId, generation: sync.generation as number }
    : undefined;
}

/** Records that the set holds every value of the vault as of `sync`. @throws VaultError IO_ERROR */
export async function writeFingerprintSync(agentDir: string, sync: FingerprintSync): Promise<void> {
  await writeFileAtomic(
    join(agentDir, SYNCED_FILE),
    `${JSON.stringify({ vaultId: sync.vaultId, generation: sync.generation })}\n`,
  );
}
