/**
 * Keeps one host's scan fingerprints (fingerprints.ts) of an agent's values in step with its
 * vault, so `vault scan` and the pre-commit hook find the values without unlocking.
 *
 * - File store: the set lives beside the vault and every writer is on this host; each change
 *   updates it under the vault lock, for the secrets the change touched.
 * - Database store: the set lives under this host's home (`agents/<agent>/`), and other hosts
 *   change the vault without touching it. So the keeper also records which commit the set
 *   matches (vault id + generation) and rebuilds the set whole when the vault moved on
 *   without this host: after an open, or when a commit of ours was not the next one.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ioError } from "../errors.js";
import type { SecretRecord, VaultBody, VaultFile } from "../format.js";
import { FileStore } from "../store/file-store.js";
import type { VaultStore } from "../store/store.js";
import {
  type FingerprintInput,
  readFingerprintSync,
  updateFingerprints,
  writeFingerprintSync,
  writeFingerprints,
} from "./fingerprints.js";

/** Every value the scanner should know of `records` in `body` (decrypted by the vault). */
export type FingerprintValues = (
  body: VaultBody,
  records: readonly SecretRecord[],
) => FingerprintInput[];

/** One host's fingerprint set of one agent's vault. */
export class FingerprintKeeper {
  readonly #dir: string;
  /** Other hosts write the vault too (a database store). */
  readonly #shared: boolean;
  readonly #values: FingerprintValues;

  /**
   * The keeper for `agent` on `store`, or `undefined` when this host keeps no set: a database
   * store given without a home.
   */
  static for(
    store: VaultStore,
    agent: string,
    home: string | undefined,
    values: FingerprintValues,
  ): FingerprintKeeper | undefined {
    if (store instanceof FileStore)
      return new FingerprintKeeper(store.agentDir(agent), false, values);
    if (home === undefined) return undefined;
    return new FingerprintKeeper(join(home, "agents", agent), true, values);
  }

  private constructor(dir: string, shared: boolean, values: FingerprintValues) {
    this.#dir = dir;
    this.#shared = shared;
    this.#values = values;
  }

  /**
   * A change about to be committed, under the writer's lock (so two writers never leave a
   * stale set): the touched secrets' fingerprints become those of every kept version and a
   * pending one. @throws VaultError IO_ERROR | INSECURE_PERMISSIONS | CORRUPT
   */
  async changing(body: VaultBody, before: VaultBody): Promise<void> {
    const unchanged = new Set(before.secrets);
    const changed = body.secrets.filter((record) => !unchanged.has(record));
    const kept = new Set(body.secrets.map((record) => record.name));
    const removed = before.secrets.filter((record) => !kept.has(record.name));
    if (changed.length === 0 && removed.length === 0) return;
    const dir = await this.#folder();
    const names = [...changed, ...removed].map((record) => record.name);
    if (!(await updateFingerprints(dir, names, this.#values(body, changed)))) {
      await writeFingerprints(dir, this.#values(body, body.secrets));
    }
  }

  /** After a commit of ours (database store): note it, or rebuild if someone wrote between. */
  async committed(file: VaultFile): Promise<void> {
    await this.#sync(file, file.generation - 1);
  }

  /** After an open (database store): rebuild when the vault moved on without this host. */
  async opened(file: VaultFile): Promise<void> {
    await this.#sync(file, file.generation);
  }

  /**
   * The set is current when it matched the commit `expected` of this vault (after our own
   * commit: the one before it, as our change was added under the row lock). Best effort: a
   * host that cannot keep fingerprints still reads and writes its secrets.
   */
  async #sync(file: VaultFile, expected: number): Promise<void> {
    if (!this.#shared) return;
    const sync = { vaultId: file.vaultId, generation: file.generation };
    try {
      const known = await readFingerprintSync(this.#dir);
      const current = known?.vaultId === sync.vaultId && known.generation === expected;
      if (current && expected === sync.generation) return;
      if (!current) await writeFingerprints(await this.#folder(), this.#values(file, file.secrets));
      await writeFingerprintSync(this.#dir, sync);
    } catch {
      // The next open tries again; `vault scan` meanwhile finds what the set already holds.
    }
  }

  /**
   * The folder, created (0700) on a database store, where nothing else makes it; the file
   * store makes and checks its own folders.
   */
  async #folder(): Promise<string> {
    if (this.#shared) {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
        throw ioError(error, "create the folder for the scanner's fingerprints");
      });
    }
    return this.#dir;
  }
}
