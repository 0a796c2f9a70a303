/**
 * Sightings of the vault's own secrets outside the vault (`exposed.json` in the agent's
 * folder): which secret, in which file and line (or commit), and when. Never a value.
 */
import { join } from "node:path";
import { vaultError } from "../errors.js";
import { acquireLock } from "../store/lock.js";
import {
  integer,
  list,
  openObject,
  optional,
  placeOf,
  str,
  validate,
} from "../validation/schema.js";
import { readJsonFile, writeFileAtomic } from "./files.js";

const EXPOSED_FILE = "exposed.json";
const EXPOSED_LOCK = "exposed.lock";

/** One sighting of a vault secret outside the vault. Never holds the value or a preview. */
export interface Exposure {
  name: string;
  /** Absolute path of the file (or `(stdin)`, `staged:PATH`). */
  file: string;
  line: number;
  time: string;
  /** For a sighting in a repository's history: the commit that added the line. */
  commit?: string;
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
    const key = (e: Omit<Exposure, "time">) => JSON.stringify([e.name, e.file, e.line, e.commit]);
    const seen = new Set(existing.map(key));
    const added = sightings
      .filter((s) => !seen.has(key(s)))
      .map((s) => ({
        name: s.name,
        file: s.file,
        line: s.line,
        time: now.toISOString(),
        ...(s.commit ? { commit: s.commit } : {}),
      }));
    if (added.length === 0) return;
    await writeFileAtomic(
      join(agentDir, EXPOSED_FILE),
      `${JSON.stringify([...existing, ...added], null, 2)}\n`,
    );
  } finally {
    await lock.release();
  }
}

/** The exposure file's shape: a list of sightings (unknown keys accepted). */
const exposureListSchema = list(
  openObject({
    commit: optional(str()),
    file: str(),
    line: integer(0, Number.MAX_SAFE_INTEGER),
    name: str(),
    time: str(),
  }),
);

/**
 * The secrets a scan found outside the vault, oldest first (empty when none).
 * @throws VaultError CORRUPT | IO_ERROR
 */
export async function readExposures(agentDir: string): Promise<Exposure[]> {
  const raw = await readJsonFile(join(agentDir, EXPOSED_FILE), "exposure file");
  if (raw === undefined) return [];
  const sightings = validate(exposureListSchema, raw, (mismatch) =>
    vaultError(
      "CORRUPT",
      `The exposure file is damaged (unexpected content at ${placeOf(mismatch)}).`,
      `Fix or delete ${join(agentDir, EXPOSED_FILE)}.`,
    ),
  );
  return sightings.map(({ name, file, line, time, commit }) => ({
    name,
    file,
    line,
    time,
    ...(commit === undefined ? {} : { commit }),
  }));
}
