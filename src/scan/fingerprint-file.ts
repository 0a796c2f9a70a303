/**
 * The fingerprint set's file, `fingerprints.json` in the agent's folder: its format (version,
 * window, the lengths and breakers in use, each name's fingerprints and the retired ones), read
 * and checked against its shape, and written atomically. What the fingerprints are and how a
 * scan matches them is fingerprints.ts.
 */
import { join } from "node:path";
import {
  fits,
  integer,
  list,
  literal,
  openObject,
  optional,
  record,
  str,
} from "../validation/schema.js";
import { readJsonFile, writeFileAtomic } from "./files.js";

/** Window length in bytes. */
export const FINGERPRINT_WINDOW = 16;
/** The fingerprint file's format: 3 = SipHash-2-4 windows of at least 2^64 guesses. */
export const FINGERPRINT_FORMAT = 3;
/** The fingerprint set's file name in the agent's folder. */
export const FINGERPRINT_FILE = "fingerprints.json";
/**
 * Characters that split text into runs when no stored form contains them: white space, ASCII
 * control characters (decoded binary data is full of them) and ASCII punctuation (never
 * letters or digits, which would say too much about the values).
 */
export const BREAKER_CANDIDATES = ` \t\r\n!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~${String.fromCharCode(
  ...Array.from({ length: 32 }, (_, code) => code).filter((code) => ![9, 10, 13].includes(code)),
  0x7f,
)}`;

/** At most this many retired fingerprints are kept per secret name (its oldest dropped first). */
export const MAX_RETIRED_PER_NAME = 256;
/** At most this many retired fingerprints are kept in all (the least recently retired name's first). */
export const MAX_RETIRED = 4096;

/** The retired fingerprints of one name, oldest first. */
export interface RetiredPrints {
  name: string;
  prints: string[];
}

export interface FingerprintFile {
  version: typeof FINGERPRINT_FORMAT;
  window: number;
  lengths: number[];
  breakers: string;
  secrets: Record<string, string[]>;
  /**
   * Fingerprints of values the vault no longer treats as valid, one entry per name, the name
   * least recently retired from first. Absent in files written before it existed: empty.
   */
  retired?: RetiredPrints[];
}

const PRINT = /^[0-9a-f]{16}$/;

/** True for a fingerprint file an earlier format wrote (version 2: BLAKE2b, every window). */
export function isOlderFormat(raw: unknown): boolean {
  const version = (raw as { version?: unknown } | null)?.version;
  return typeof version === "number" && Number.isInteger(version) && version < FINGERPRINT_FORMAT;
}

/** A list of fingerprints (16 hex digits each). */
const printList = list(str({ pattern: PRINT }));

/** The fingerprint file's shape (unknown keys are accepted: a later version may add some). */
const fingerprintFileSchema = openObject({
  breakers: str({
    pattern: { test: (text: string) => [...text].every((c) => BREAKER_CANDIDATES.includes(c)) },
  }),
  lengths: list(integer(1, FINGERPRINT_WINDOW)),
  retired: optional(list(openObject({ name: str(), prints: printList }))),
  secrets: record({ test: () => true }, printList),
  version: literal(FINGERPRINT_FORMAT),
  window: literal(FINGERPRINT_WINDOW),
});

/** The fingerprint file in `raw`, or `undefined` when it does not fit its shape. */
export function parseFingerprintFile(raw: unknown): FingerprintFile | undefined {
  return fits(fingerprintFileSchema, raw) as FingerprintFile | undefined;
}

/** The fingerprint file at `agentDir` when it is readable and of this format, else `undefined`. */
export async function readFingerprintFile(agentDir: string): Promise<FingerprintFile | undefined> {
  const raw = await readJsonFile(join(agentDir, FINGERPRINT_FILE), "fingerprint file").catch(
    () => undefined,
  );
  return raw === undefined ? undefined : parseFingerprintFile(raw);
}

/** Writes the set (names and fingerprints sorted, so that equal sets give equal files). */
export async function saveFingerprintFile(
  agentDir: string,
  byName: ReadonlyMap<string, ReadonlySet<string> | readonly string[]>,
  lengths: ReadonlySet<number>,
  breakers: string,
  retired: readonly RetiredPrints[],
): Promise<void> {
  const file: FingerprintFile = {
    version: FINGERPRINT_FORMAT,
    window: FINGERPRINT_WINDOW,
    lengths: [...lengths].sort((a, b) => a - b),
    breakers,
    secrets: Object.fromEntries(
      [...byName]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, set]) => [name, [...set].sort()]),
    ),
    ...(retired.length > 0 ? { retired: [...retired] } : {}),
  };
  await writeFileAtomic(join(agentDir, FINGERPRINT_FILE), `${JSON.stringify(file)}\n`);
}
