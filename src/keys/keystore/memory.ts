/**
 * A key store in this process's memory: for tests and for embedders that keep master keys
 * themselves. Nothing is persisted; each store starts empty. Keys are copied in and out, so
 * a caller wiping its copy does not wipe the stored one.
 */
import type { KeyStore } from "./keystore.js";

export class MemoryKeyStore implements KeyStore {
  readonly name = "memory";
  readonly #items = new Map<string, Uint8Array>();

  async get(account: string): Promise<Uint8Array | undefined> {
    return this.#items.get(account)?.slice();
  }

  async set(account: string, key: Uint8Array): Promise<void> {
    this.#items.get(account)?.fill(0);
    this.#items.set(account, key.slice());
  }

  async remove(account: string): Promise<boolean> {
    this.#items.get(account)?.fill(0);
    return this.#items.delete(account);
  }

  async probe(): Promise<void> {}

  /** How many items it holds. */
  get size(): number {
    return this.#items.size;
  }
}
