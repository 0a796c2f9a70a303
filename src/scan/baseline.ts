/**
 * Baselines: known findings to accept (`vault scan --update-baseline` writes them, `--baseline
 * FILE` skips them). A finding is identified by its rule, its file and a keyed BLAKE2b hash of
 * the secret under a random salt kept in the baseline file, never by the secret itself: the
 * file can be committed.
 */
import { z } from "zod";
import {
  encodeFields,
  fromBase64Url,
  initCrypto,
  mac,
  randomBytes,
  toBase64Url,
  toHex,
} from "../crypto.js";
import { vaultError } from "../errors.js";
import { readJsonFile, writeFileAtomic } from "./files.js";

const baselineSchema = z.object({
  version: z.literal(1),
  salt: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  findings: z.array(
    z.object({ rule: z.string(), file: z.string(), hash: z.string().regex(/^[0-9a-f]{32}$/) }),
  ),
});

/** One accepted finding. */
export interface BaselineEntry {
  rule: string;
  file: string;
  hash: string;
}

/** A baseline in memory. */
export interface Baseline {
  salt: Uint8Array;
  entries: BaselineEntry[];
}

/** What identifies a finding to a baseline: rule, file (as the baseline names it), secret. */
export interface BaselineKey {
  rule: string;
  file: string;
  secret: string;
}

/** The baseline entry of a finding under `salt`. Call `initCrypto()` first. */
export function baselineEntry(salt: Uint8Array, key: BaselineKey): BaselineEntry {
  const hash = toHex(mac(salt, encodeFields([key.rule, key.file, key.secret]), 16));
  return { rule: key.rule, file: key.file, hash };
}

/** True when the baseline holds this finding. */
export function isInBaseline(baseline: Baseline, key: BaselineKey): boolean {
  const entry = baselineEntry(baseline.salt, key);
  return baseline.entries.some(
    (e) => e.rule === entry.rule && e.file === entry.file && e.hash === entry.hash,
  );
}

/** A baseline as the scan uses it. */
export function baselineMatcher(baseline: Baseline): { has(key: BaselineKey): boolean } {
  return { has: (key) => isInBaseline(baseline, key) };
}

/**
 * Reads a baseline file; `undefined` when it does not exist.
 * @throws VaultError INVALID_INPUT (malformed) | IO_ERROR
 */
export async function readBaseline(path: string): Promise<Baseline | undefined> {
  await initCrypto();
  let raw: unknown;
  try {
    raw = await readJsonFile(path, "baseline file");
  } catch (error) {
    throw vaultError(
      "INVALID_INPUT",
      "The baseline file is not valid JSON.",
      "Write it again with --update-baseline.",
      error,
    );
  }
  if (raw === undefined) return undefined;
  const parsed = baselineSchema.safeParse(raw);
  const salt = parsed.success ? fromBase64Url(parsed.data.salt) : undefined;
  if (!parsed.success || !salt || salt.length !== 32) {
    throw vaultError(
      "INVALID_INPUT",
      "The baseline file is not an agent-vault baseline.",
      "Write it again with --update-baseline.",
    );
  }
  return { salt, entries: parsed.data.findings };
}

/**
 * Writes a baseline of `keys`, keeping the salt of `previous` when given.
 * @throws VaultError IO_ERROR
 */
export async function writeBaseline(
  path: string,
  keys: readonly BaselineKey[],
  previous?: Baseline,
): Promise<number> {
  await initCrypto();
  const salt = previous?.salt ?? randomBytes(32);
  const seen = new Set<string>();
  const findings: BaselineEntry[] = [];
  for (const key of keys) {
    const entry = baselineEntry(salt, key);
    const id = `${entry.rule}\0${entry.file}\0${entry.hash}`;
    if (seen.has(id)) continue;
    seen.add(id);
    findings.push(entry);
  }
  findings.sort((a, b) => (a.file + a.rule + a.hash < b.file + b.rule + b.hash ? -1 : 1));
  const body = { version: 1, salt: toBase64Url(salt), findings };
  await writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`, 0o644);
  return findings.length;
}
