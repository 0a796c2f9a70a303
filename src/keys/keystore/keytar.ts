/**
 * The OS keychain through keytar: macOS Keychain, Windows Credential Manager, Linux Secret
 * Service. The only module that knows keytar. keytar is an optional dependency loaded on first
 * use, so hosts without it (or without a keychain) still run every other key source.
 *
 * Every call runs in a short-lived child process (keytar-worker.ts) bounded by a timeout (2 s
 * by default), and every failure becomes one typed error: no D-Bus, no Secret Service, locked,
 * denied, timed out, not installed.
 */
import { spawn } from "node:child_process";
import { fromBase64, toBase64 } from "../../crypto/sodium.js";
import { type VaultError, vaultError } from "../../errors.js";
import type { KeyStore } from "./keystore.js";
import {
  KEYTAR_WORKER_SOURCE,
  type KeytarAnswer,
  type KeytarCall,
  type KeytarRequest,
} from "./keytar-worker.js";

/** keytar's service name for every agent-vault item. */
export const KEYCHAIN_SERVICE = "agent-vault";

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
  if (/does not exist at path .*collection|no such (object|collection)/i.test(text)) {
    return vaultError(
      "KEYCHAIN_LOCKED",
      "The OS keychain has no default keyring to store keys in (none was created, or it is locked).",
      `Create and unlock one (log in to the desktop, or: gnome-keyring-daemon --unlock), or: ${ALTERNATIVES}`,
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

/**
 * The environment the keychain helper needs (D-Bus, display, home, locale), without our own
 * key material (`AGENT_VAULT_*`) or NODE_OPTIONS-style loader variables.
 */
function keychainEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith("AGENT_VAULT_") || name.startsWith("NODE_"))
      continue;
    env[name] = value;
  }
  return env;
}

/**
 * Runs one keytar call in a child process (keytar-worker.ts) and kills it after `timeoutMs`.
 * In-process keytar cannot be abandoned: its blocked thread keeps the process from exiting.
 */
function callWorker(request: KeytarCall, timeoutMs: number): Promise<KeytarAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", KEYTAR_WORKER_SOURCE], {
      stdio: ["pipe", "pipe", "ignore"],
      env: keychainEnvironment(),
    });
    let output = "";
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      child.unref();
      finish(() =>
        reject(
          vaultError(
            "KEYCHAIN_TIMEOUT",
            `The OS keychain did not answer within ${timeoutMs} ms.`,
            `It may be waiting for an unlock prompt no one can see. ${ALTERNATIVES}`,
          ),
        ),
      );
    }, timeoutMs);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", (error) => finish(() => reject(classifyKeychainError(error))));
    child.on("close", () =>
      finish(() => {
        try {
          resolve(JSON.parse(output) as KeytarAnswer);
        } catch {
          reject(classifyKeychainError(new Error("the keychain helper process failed")));
        }
      }),
    );
    const full: KeytarRequest = { ...request, requireFrom: import.meta.url };
    child.stdin.end(JSON.stringify(full));
  });
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

  async #call(request: KeytarCall): Promise<KeytarAnswer & { ok: true }> {
    const answer = await callWorker(request, this.#timeoutMs);
    if (answer.ok) return answer;
    if (answer.notInstalled) {
      throw vaultError(
        "KEYCHAIN_NOT_INSTALLED",
        "The OS keychain module (keytar) is not installed or did not build.",
        `Install libsecret-1-dev (Linux) and reinstall agent-vault, or: ${ALTERNATIVES}`,
        new Error(answer.message),
      );
    }
    throw classifyKeychainError(new Error(answer.message));
  }

  async get(account: string): Promise<Uint8Array | undefined> {
    const stored = (await this.#call({ op: "get", service: this.#service, account })).value;
    if (stored === null || stored === undefined) return undefined;
    const key = fromBase64(stored);
    if (key?.length !== 32) {
      throw vaultError(
        "KEY_UNAVAILABLE",
        `The keychain item ${this.#service}/${account} does not hold an agent-vault key.`,
        "Restore the item, or unlock the vault with another key slot and run `vault rekey`.",
      );
    }
    return key;
  }

  async set(account: string, key: Uint8Array): Promise<void> {
    await this.#call({ op: "set", service: this.#service, account, secret: toBase64(key) });
  }

  async remove(account: string): Promise<boolean> {
    return (await this.#call({ op: "remove", service: this.#service, account })).removed === true;
  }

  async probe(): Promise<void> {
    await this.#call({ op: "probe", service: this.#service, account: "agent-vault-probe" });
  }
}
