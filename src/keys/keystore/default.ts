/**
 * The one place that picks the key store used when none is given: the OS keychain through
 * keytar. Everything that needs "the keychain" without being handed one asks here.
 */
import type { KeyStore } from "./keystore.js";
import { KeytarKeyStore } from "./keytar.js";

/** `given`, else the OS keychain (keytar). */
export function defaultKeyStore(given?: KeyStore): KeyStore {
  return given ?? new KeytarKeyStore();
}
