/**
 * Keeps one host's scan fingerprints (fingerprints.ts) of an agent's values in step with its
 * vault, so `vault scan` and the pre-commit hook find the values without unlocking.
 *
 * The set lives beside the vault on the file store, and under this host's home
 * (`agents/<agent>/`) on a database store, where other hosts change the vault without
 * touching it. Beside the set, `fingerprints.synced` records the commit (vault id +
 * generation) the set holds every value of. Every update runs under a lock of its own, after
 * the vault's commit succeeded:
 *
 * - after a commit of ours that was the next one after the recorded commit, the change is
 *   applied to the set (only the secrets it touched);
 * - when the set is older than that (another process or host wrote in between, or an earlier
 *   update was lost), it is rebuilt whole from the vault as committed;
 * - when it is already at or past the commit, nothing is done (a later writer got there first
 *   with a newer vault, which holds our change).
 *
 * Upkeep is best effort: the secret is stored whatever happens to the set, and the next open
 * rebuilds a set that fell behind.
 */
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ioError } from "../errors.js";
import type { SecretRecord, VaultBody, VaultFile } from "../format.js";
import { FileStore } from "../store/file-store.js";
import { acquireLock } from "../store/lock.js";
import type { VaultStore } from "../store/store.js";
import {
  FINGERPRINT_FILE,
  type FingerprintInput,
  type FingerprintSync,
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

const LOCK_FILE = "fingerprints.lock";

/** What one commit does to the set: the secrets it touched and their values now. */
export interface FingerprintChange {
  names: string[];
  values: FingerprintInput[];
}

/** One host's fingerprint set of one agent's vault. */
export class FingerprintKeeper {
  readonly #dir: string;
  /** The folder is ours to make (a database store); the file store makes and checks its own. */
  readonly #makeFolder: boolean;
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
    if (store instanceof FileStore) {
      return new FingerprintKeeper(store.agentDir(agent), false, values);
    }
    if (home === undefined) return undefined;
    return new FingerprintKeeper(join(home, "agents", agent), true, values);
  }

  private constructor(dir: string, makeFolder: boolean, values: FingerprintValues) {
    this.#dir = dir;
    this.#makeFolder = makeFolder;
    this.#values = values;
  }

  /**
   * What a change about to be committed does to the set (computed while its values are at
   * hand), for {@link committed}; `undefined` when it touches no secret.
   */
  changing(body: VaultBody, before: VaultBody): FingerprintChange | undefined {
    const unchanged = new Set(before.secrets);
    const changed = body.secrets.filter((record) => !unchanged.has(record));
    const kept = new Set(body.secrets.map((record) => record.name));
    const removed = before.secrets.filter((record) => !kept.has(record.name));
    if (changed.length === 0 && removed.length === 0) return undefined;
    return {
      names: [...changed, ...removed].map((record) => record.name),
      values: this.#values(body, changed),
    };
  }

  /** After a commit of ours: applies its change, or rebuilds a set that fell behind. */
  async committed(file: VaultFile, pending: FingerprintChange | undefined): Promise<void> {
    await this.#bestEffort(async () => {
      const sync = syncOf(file);
      const known = await readFingerprintSync(this.#dir);
      if (isAtOrPast(known, sync)) return;
      const next = known?.vaultId === sync.vaultId && known.generation === sync.generation - 1;
      const applied =
        next &&
        (pending === undefined ||
          (await updateFingerprints(this.#dir, pending.names, pending.values)));
      if (!applied) await writeFingerprints(this.#dir, this.#values(file, file.secrets));
      await writeFingerprintSync(this.#dir, sync);
    });
  }

  /** After an open: rebuilds the set when the vault moved on without it. */
  async opened(file: VaultFile): Promise<void> {
    const sync = syncOf(file);
    // The common case, without the lock: the set is current (and still there).
    if (await this.#isCurrent(sync)) return;
    await this.#bestEffort(async () => {
      if (await this.#isCurrent(sync)) return;
      await writeFingerprints(this.#dir, this.#values(file, file.secrets));
      await writeFingerprintSync(this.#dir, sync);
    });
  }

  async #isCurrent(sync: FingerprintSync): Promise<boolean> {
    const known = await readFingerprintSync(this.#dir).catch(() => undefined);
    if (!isAtOrPast(known, sync)) return false;
    return access(join(this.#dir, FINGERPRINT_FILE)).then(
      () => true,
      () => false,
    );
  }

  /** Runs `work` under the set's lock; a failure leaves the set for the next open to rebuild. */
  async #bestEffort(work: () => Promise<void>): Promise<void> {
    try {
      if (this.#makeFolder) {
        await mkdir(this.#dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
          throw ioError(error, "create the folder for the scanner's fingerprints");
        });
      }
      const lock = await acquireLock(join(this.#dir, LOCK_FILE), {
        timeoutMs: 10_000,
        staleMs: 30_000,
        what: "fingerprint file",
      });
      try {
        await work();
      } finally {
        await lock.release();
      }
    } catch {
      // `vault scan` meanwhile finds what the set already holds; the next open catches up.
    }
  }
}

function syncOf(file: VaultFile): FingerprintSync {
  return { vaultId: file.vaultId, generation: file.generation };
}

/** The set already holds every value of `sync`'s commit (or of a later one of that vault). */
function isAtOrPast(known: FingerprintSync | undefined, sync: FingerprintSync): boolean {
  return known?.vaultId === sync.vaultId && known.generation >= sync.generation;
}
