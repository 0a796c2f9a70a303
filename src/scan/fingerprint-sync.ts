/**
 * The sync marker beside a fingerprint set (`fingerprints.synced`): which state of which vault
 * the set was last brought up to date with, so a host rebuilds its set when the vault moved on
 * without it (another host's write, or an older vault file restored).
 */
import { join } from "node:path";
import { fits, integer, literal, openObject, str } from "../validation/schema.js";
import { readJsonFile, writeFileAtomic } from "./files.js";
import { FINGERPRINT_FORMAT } from "./fingerprint-file.js";

const SYNCED_FILE = "fingerprints.synced";

/**
 * Which state of which vault the fingerprint set was last brought up to date with: the vault id,
 * the generation and the vault file's checksum (which tells a restored older file that reached
 * the same generation again from the one the set was made of), and the set's format.
 */
export interface FingerprintSync {
  vaultId: string;
  generation: number;
  checksum: string;
}

/** The sync marker's shape (unknown keys accepted). */
const fingerprintSyncSchema = openObject({
  checksum: str({ pattern: /^[0-9a-f]{64}$/ }),
  format: literal(FINGERPRINT_FORMAT),
  generation: integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  retired: literal(true),
  vaultId: str(),
});

/**
 * The vault state the set was last synced with (database stores: other hosts write too, so a
 * host rebuilds its set when the vault moved on without it). `undefined`: unknown, or recorded
 * for a set of an older format (then the set is rebuilt).
 */
export async function readFingerprintSync(agentDir: string): Promise<FingerprintSync | undefined> {
  const raw = await readJsonFile(join(agentDir, SYNCED_FILE), "fingerprint sync file").catch(
    () => undefined,
  );
  // `retired`: the set tells the versions the vault treats as valid from the others. A set
  // synced without it holds every kept version as live: it is rebuilt.
  const sync = fits(fingerprintSyncSchema, raw);
  return sync && { vaultId: sync.vaultId, generation: sync.generation, checksum: sync.checksum };
}

/** Records that the set holds every value of the vault as of `sync`. @throws VaultError IO_ERROR */
export async function writeFingerprintSync(agentDir: string, sync: FingerprintSync): Promise<void> {
  const { vaultId, generation, checksum } = sync;
  await writeFileAtomic(
    join(agentDir, SYNCED_FILE),
    `${JSON.stringify({ vaultId, generation, checksum, format: FINGERPRINT_FORMAT, retired: true })}\n`,
  );
}
