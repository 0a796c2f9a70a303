/**
 * The OS keychain through keytar: macOS Keychain, Windows Credential Manager, Linux Secret
 * Service. The only module that knows keytar. keytar is an optional dependency loaded on first
 * use, so hosts without it (or without a keychain) still run every other key source.
 *
 * Every call is bounded by a timeout (2 s by default) and every failure becomes one typed
 * error: no D-Bus, no Secret Service, locked, denied, timed out, not installed.
 */
import { createRequire } from "node:module";
import { fromBase64, toBase64 } from "../crypto.js";
import { type VaultError, vaultError } from "../errors.js";
import type { KeyStore } from "./keystore.js";

/** keytar's service name for every agent-vault item. */
export const KEYCHAIN_SERVICE = "agent-vault";

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const ALTERNATIVES =
  "Use another key source: `vault init --key-source passphrase` or `--key-source keyfile --key-file F`, or $AGENT_VAULT_KEY in CI.";

/** Maps a keytar/libsecret failure to a typed error. The backend's words go into `cause`. */
export function classifyKeychainError(error: unknown): VaultError {
  const text = error instanceof Error ? error.message : String(error);
  const cause = new Error(text.slice(0, 300));
  if (/D-?Bus|DISPLAY|dbus/i.test(text) && !/secrets/i.test(text)) {
    return vaultError(
      "KEYCHAIN_NO_DBUS",
      "The OS keychain is unreachable: there is no D-Bus session (a headless host).",
      `Start one (dbus-run-session, or log in to a desktop session), or: ${ALTERNATIVES}`,
      cause,
    );
  }
  if (
    /org\.freedesktop\.secrets|not provided by any|ServiceUnknown|no such (name|service)/i.test(
      text,
    )
  ) {
    return vaultError(
      "KEYCHAIN_NO_SERVICE",
      "No Secret Service answers on D-Bus (gnome-keyring or KeePassXC is not running).",
      `Start gnome-keyring-daemon --components=secrets, or: ${ALTERNATIVES}`,
      cause,
    );
  }
  if (/locked/i.test(text)) {
    return vaultError(
      "KEYCHAIN_LOCKED",
      "The OS keychain is locked.",
      `Unlock it (log in to the desktop, or gnome-keyring-daemon --unlock), or: ${ALTERNATIVES}`,
      cause,
    );
  }
  if (/denied|dismissed|cancel|not allowed|authori[sz]/i.test(text)) {
    return vaultError(
      "KEYCHAIN_DENIED",
      "The OS keychain refused access to the agent-vault item.",
      `Allow agent-vault in the keychain prompt or its access settings, or: ${ALTERNATIVES}`,
      cause,
    );
  }
  return vaultError(
    "KEY_UNAVAILABLE",
    "The OS keychain failed.",
    `Run \`vault doctor\` to see why, or: ${ALTERNATIVES}`,
    cause,
  );
}

let keytarModule: Promise<Keytar> | undefined;

function loadKeytar(): Promise<Keytar> {
  keytarModule ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      return require("keytar") as Keytar;
    } catch (error) {
      keytarModule = undefined;
      throw vaultError(
        "KEYCHAIN_NOT_INSTALLED",
        "The OS keychain module (keytar) is not installed or did not build.",
        `Install libsecret-1-dev (Linux) and reinstall agent-vault, or: ${ALTERNATIVES}`,
        new Error((error as Error).message?.slice(0, 300)),
      );
    }
  })();
  return keytarModule;
}

/** Options of {@link KeytarKeyStore}. */
export interface KeytarKeyStoreOptions {
  /** Keychain service name (default `agent-vault`). */
  service?: string;
  /** Bound on each keychain call (default 2000 ms). */
  timeoutMs?: number;
}

/** The OS keychain as a {@link KeyStore}. */
export class KeytarKeyStore implements KeyStore {
  readonly name = "OS keychain (keytar)";
  readonly #service: string;
  readonly #timeoutMs: number;

  constructor(options: KeytarKeyStoreOptions = {}) {
    this.#service = options.service ?? KEYCHAIN_SERVICE;
    this.#timeoutMs = options.timeoutMs ?? 2000;
  }

  async #call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    const keytar = await loadKeytar();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            vaultError(
              "KEYCHAIN_TIMEOUT",
              `The OS keychain did not answer within ${this.#timeoutMs} ms.`,
              `It may be waiting for an unlock prompt no one can see. ${ALTERNATIVES}`,
            ),
          ),
        this.#timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([operation(keytar), timeout]);
    } catch (error) {
      if ((error as VaultError).name === "VaultError") throw error;
      throw classifyKeychainError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async get(account: string): Promise<Uint8Array | undefined> {
    const stored = await this.#call((keytar) => keytar.getPassword(this.#service, account));
    if (stored === null) return undefined;
    const key = fromBase64(stored);
    if (!key) {
      throw vaultError(
        "KEY_UNAVAILABLE",
        `The keychain item ${this.#service}/${account} does not hold an agent-vault key.`,
        "Restore the item, or unlock the vault with another key slot and run `vault rekey`.",
      );
    }
    return key;
  }

  async set(account: string, key: Uint8Array): Promise<void> {
    await this.#call((keytar) => keytar.setPassword(this.#service, account, toBase64(key)));
  }

  async remove(account: string): Promise<boolean> {
    return this.#call((keytar) => keytar.deletePassword(this.#service, account));
  }

  async probe(): Promise<void> {
    await this.#call((keytar) => keytar.getPassword(this.#service, "agent-vault-probe"));
  }
}
