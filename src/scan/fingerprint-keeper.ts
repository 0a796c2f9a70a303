/**
 * Keeps one host's scan fingerprints (fingerprints.ts) of an agent's values in step with its
 * vault, so `vault scan` and the pre-commit hook find the values without unlocking.
 *
 * The set lives beside the vault on the file store, and under this host's home
 * (`agents/<agent>/`) on a database store, where other hosts change the vault without
 * touching it. Beside the set, `fingerprints.synced` records the vault state the set holds
 * every value of: vault id, generation AND the vault file's checksum (a generation alone does
 * not name a state: a restored older file reaches the same generation again with other
 * values). Every update runs under a lock of its own, after the vault's commit succeeded:
 *
 * - after a commit of ours made from the state the set records, the change is applied to the
 *   set (only the secrets it touched);
 * - when the set records that very commit, nothing is done;
 * - when it records a later generation that is the vault's current state in the store (another
 *   writer got there first with a newer vault, which holds our change), nothing is done;
 * - in every other case (another process or host wrote in between, an update was lost, the
 *   vault file was restored from a backup, the set is in an older format) the set is rebuilt
 *   whole from the vault as committed.
 *
 * Upkeep is best effort: the secret is stored whatever happens to the set, and the next open
 * rebuilds a set that does not match the vault.
 */
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ioError } from "../errors.js";
import {
  peekChecksum,
  type SecretRecord,
  type VaultBody,
  type VaultFile,
} from "../file-format/vault-file.js";
import { FileStore } from "../store/file-store.js";
import { acquireLock } from "../store/lock.js";
import type { VaultStore } from "../store/store.js";
import { FINGERPRINT_FILE } from "./fingerprint-file.js";
import {
  type FingerprintSync,
  readFingerprintSync,
  writeFingerprintSync,
} from "./fingerprint-sync.js";
import { type FingerprintInput, updateFingerprints, writeFingerprints } from "./fingerprints.js";

/** Every value the scanner should know of `records` in `body` (decrypted by the vault). */
export type FingerprintValues = (
  body: VaultBody,
  records: readonly SecretRecord[],
) => FingerprintInput[];

const LOCK_FILE = "fingerprints.lock";

/**
 * What one commit does to the set: the vault state it starts from, the secrets it touched and
 * their values now, and those it purged (their retired fingerprints are forgotten too).
 */
export interface FingerprintChange {
  from: FingerprintSync;
  names: string[];
  values: FingerprintInput[];
  purged: string[];
}

/** One host's fingerprint set of one agent's vault. */
export class FingerprintKeeper {
  readonly #dir: string;
  /** The folder is ours to make (a database store); the file store makes and checks its own. */
  readonly #makeFolder: boolean;
  readonly #values: FingerprintValues;
  readonly #store: VaultStore;
  readonly #agent: string;

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
      return new FingerprintKeeper(store, agent, store.agentDir(agent), false, values);
    }
    if (home === undefined) return undefined;
    return new FingerprintKeeper(store, agent, join(home, "agents", agent), true, values);
  }

  private constructor(
    store: VaultStore,
    agent: string,
    dir: string,
    makeFolder: boolean,
    values: FingerprintValues,
  ) {
    this.#store = store;
    this.#agent = agent;
    this.#dir = dir;
    this.#makeFolder = makeFolder;
    this.#values = values;
  }

  /**
   * What a change about to be committed to `before` does to the set (computed while its values
   * are at hand), for {@link committed}.
   */
  changing(body: VaultBody, before: VaultFile): FingerprintChange {
    const unchanged = new Set(before.secrets);
    const changed = body.secrets.filter((record) => !unchanged.has(record));
    const kept = new Set(body.secrets.map((record) => record.name));
    const removed = before.secrets.filter((record) => !kept.has(record.name));
    return {
      from: syncOf(before),
      names: [...changed, ...removed].map((record) => record.name),
      values: changed.length === 0 ? [] : this.#values(body, changed),
      purged: removed.map((record) => record.name),
    };
  }

  /** After a commit of ours: applies its change, or rebuilds a set that does not match. */
  async committed(file: VaultFile, pending: FingerprintChange | undefined): Promise<void> {
    await this.#bestEffort(async () => {
      const sync = syncOf(file);
      const known = await readFingerprintSync(this.#dir);
      if (isSameState(known, sync)) return;
      if (pending && isSameState(known, pending.from)) {
        const applied =
          pending.names.length === 0 ||
          (await updateFingerprints(this.#dir, pending.names, pending.values, {
            purged: pending.purged,
          }));
        if (applied) {
          await writeFingerprintSync(this.#dir, sync);
          return;
        }
      }
      if (await this.#isLaterAndCurrent(known, sync)) return;
      await this.#rebuild(file, known);
    });
  }

  /** After an open: rebuilds the set when it does not match the vault as opened. */
  async opened(file: VaultFile): Promise<void> {
    const sync = syncOf(file);
    // The common case, without the lock: the set is current (and still there).
    if (await this.#isCurrent(sync)) return;
    await this.#bestEffort(async () => {
      if (await this.#isCurrent(sync)) return;
      const known = await readFingerprintSync(this.#dir);
      if ((await this.#hasSet()) && (await this.#isLaterAndCurrent(known, sync))) return;
      await this.#rebuild(file, known);
    });
  }

  /**
   * Writes the whole set from the vault as `file` holds it. Retired fingerprints cannot be
   * rebuilt from the vault (it dropped those versions): those of a set made from the same
   * vault are kept; a set of another vault (or of none known) starts without them.
   */
  async #rebuild(file: VaultFile, known: FingerprintSync | undefined): Promise<void> {
    await writeFingerprints(this.#dir, this.#values(file, file.secrets), {
      keepRetired: known?.vaultId === file.vaultId,
    });
    await writeFingerprintSync(this.#dir, syncOf(file));
  }

  async #isCurrent(sync: FingerprintSync): Promise<boolean> {
    const known = await readFingerprintSync(this.#dir).catch(() => undefined);
    return isSameState(known, sync) && (await this.#hasSet());
  }

  async #hasSet(): Promise<boolean> {
    return access(join(this.#dir, FINGERPRINT_FILE)).then(
      () => true,
      () => false,
    );
  }

  /**
   * True when the set records a later generation of this vault that is what the store holds
   * now: a writer after us already brought it up to date. A restored older file is not: the
   * store then holds another state than the one recorded.
   */
  async #isLaterAndCurrent(
    known: FingerprintSync | undefined,
    sync: FingerprintSync,
  ): Promise<boolean> {
    if (known?.vaultId !== sync.vaultId || known.generation <= sync.generation) return false;
    const stored = await this.#store.read(this.#agent);
    return stored !== undefined && peekChecksum(stored.bytes) === known.checksum;
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
  return { vaultId: file.vaultId, generation: file.generation, checksum: file.checksum };
}

/** The set records exactly this vault state. */
function isSameState(known: FingerprintSync | undefined, sync: FingerprintSync): boolean {
  return (
    known?.vaultId === sync.vaultId &&
    known.generation === sync.generation &&
    known.checksum === sync.checksum
  );
}
