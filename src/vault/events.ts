/**
 * Change events of one open vault: the store's watch (started by the first listener, stopped
 * when the vault is released), notifications handled one at a time, and `rotated` / `changed`
 * / `error` told to the listeners.
 */
import { vaultError } from "../errors.js";
import type { VaultCore } from "./core.js";
import type { VaultEvent } from "./types.js";

type Listener = (payload: unknown) => void;

export class VaultEvents {
  readonly #core: VaultCore;
  readonly #listeners: Record<VaultEvent, Set<Listener>> = {
    rotated: new Set(),
    changed: new Set(),
    error: new Set(),
  };
  #watching: Promise<() => Promise<void>> | undefined;
  #changes: Promise<void> = Promise.resolve();

  constructor(core: VaultCore) {
    this.#core = core;
    core.onRelease(async () => {
      const stop = await this.#watching;
      await stop?.();
    });
  }

  /** @see Vault.on */
  add(event: VaultEvent, listener: Listener): void {
    const core = this.#core;
    core.assertOpen();
    const store = core.state.store;
    if (!store.watch) {
      throw vaultError(
        "USAGE",
        `The ${store.kind} store cannot be watched for changes.`,
        "Poll instead: re-read the secret when you need it.",
      );
    }
    this.#listeners[event].add(listener);
    this.#watching ??= store
      .watch(
        core.agent,
        () => this.#queueChange(),
        (error) => this.#emit("error", error),
      )
      .catch((error: unknown) => {
        this.#emit("error", error);
        return async () => {};
      });
  }

  /** @see Vault.off */
  remove(event: VaultEvent, listener: Listener): void {
    this.#listeners[event].delete(listener);
  }

  /** @see Vault.listening */
  async listening(): Promise<void> {
    await this.#watching;
  }

  #emit(event: VaultEvent, payload: unknown): void {
    for (const listener of this.#listeners[event]) {
      try {
        listener(payload);
      } catch {
        // A listener's failure is its own; the others still hear of the change.
      }
    }
  }

  /** Handles store notifications one at a time, in order. */
  #queueChange(): void {
    this.#changes = this.#changes.then(() => this.#announceChange()).catch(() => undefined);
  }

  async #announceChange(): Promise<void> {
    const core = this.#core;
    if (core.closed) return;
    const state = core.state;
    const before = new Map(state.file.secrets.map((r) => [r.name, r.versions.at(-1)?.version]));
    const generation = state.file.generation;
    try {
      await core.refresh();
    } catch (error) {
      this.#emit("error", error);
      return;
    }
    if (state.file.generation === generation) return;
    this.#emit("changed", { generation: state.file.generation });
    for (const record of state.file.secrets) {
      const version = record.versions.at(-1)?.version;
      if (
        record.removedAt === undefined &&
        version !== undefined &&
        version !== before.get(record.name)
      ) {
        this.#emit("rotated", { name: record.name, version });
      }
    }
  }
}
