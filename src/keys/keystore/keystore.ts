/**
 * Where master keys live outside the vault file. Mirrors 99designs/keyring's `Keyring`:
 * one small interface, one file per backend.
 */

/** A store of master keys, one item per account. */
export interface KeyStore {
  /** Backend name for messages, e.g. "Secret Service (keytar)". */
  readonly name: string;
  /**
   * The key stored for `account`, or `undefined` when there is none. A locked keychain may
   * also answer `undefined` (keytar cannot tell the two apart): callers with an existing vault
   * treat it as "key unavailable", never as a reason to create a key.
   * @throws VaultError KEYCHAIN_* when the backend cannot be reached.
   */
  get(account: string): Promise<Uint8Array | undefined>;
  /** Stores `key` for `account`, replacing any previous one. @throws VaultError KEYCHAIN_* */
  set(account: string, key: Uint8Array): Promise<void>;
  /** Removes the item; true when one was there. @throws VaultError KEYCHAIN_* */
  remove(account: string): Promise<boolean>;
  /** Resolves when the backend answers, or throws the typed reason it does not. */
  probe(): Promise<void>;
}
