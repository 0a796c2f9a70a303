/**
 * Test helpers for the vault file format: an in-memory {@link VaultStore} (so thousands of
 * altered files can be opened in-process without touching the disk), an in-memory
 * {@link KeyStore}, a small sample vault built through the public API, and a way to recompute
 * the unkeyed checksum of an edited file (what any careless or hostile editor can do).
 */
import { join } from "node:path";
import { initCrypto } from "../../src/crypto/sodium.js";
import { isVaultError, type VaultErrorCode, vaultError } from "../../src/errors.js";
import { encodeVaultFile, type VaultFile } from "../../src/file-format/vault-file.js";
import { createVault, type KeySource, keyFileKey, openVault } from "../../src/index.js";
import type { KeyStore } from "../../src/keys/keystore/keystore.js";
import type { AuditAppend, StoredAudit, StoredVault, VaultStore } from "../../src/store/store.js";

/** A vault store held in memory. `put` replaces a stored file as someone with write access would. */
export class MemoryStore implements VaultStore {
  readonly kind = "memory";
  readonly #vaults = new Map<string, StoredVault>();
  readonly #audits = new Map<string, { lines: string[]; head: string | undefined }>();
  #counter = 0;

  locate(agent: string): string {
    return `memory://${agent}`;
  }

  async listAgents(): Promise<string[]> {
    return [...this.#vaults.keys()].sort();
  }

  async read(agent: string): Promise<StoredVault | undefined> {
    const stored = this.#vaults.get(agent);
    return stored ? { bytes: stored.bytes.slice(), token: stored.token } : undefined;
  }

  async token(agent: string): Promise<string | undefined> {
    return this.#vaults.get(agent)?.token;
  }

  async create(agent: string, bytes: Uint8Array): Promise<void> {
    if (this.#vaults.has(agent)) {
      throw vaultError("ALREADY_EXISTS", `Agent ${agent} already has a vault.`, "Pick another.");
    }
    this.put(agent, bytes);
  }

  async update(
    agent: string,
    transform: (current: StoredVault) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
  ): Promise<StoredVault> {
    const current = await this.read(agent);
    if (!current) throw vaultError("VAULT_NOT_FOUND", `Agent ${agent} has no vault.`, "Init.");
    const next = await transform(current);
    if (!next) return current;
    if (this.#vaults.get(agent)?.token !== current.token) {
      throw vaultError("CONFLICT", `The vault of agent ${agent} changed.`, "Retry.");
    }
    this.put(agent, next);
    return (await this.read(agent)) as StoredVault;
  }

  async appendAudit(
    agent: string,
    build: (end: AuditAppend) => { lines: string[]; head?: string },
  ): Promise<void> {
    const log = this.#audits.get(agent) ?? { lines: [], head: undefined };
    const { lines, head } = build({ lastLine: log.lines.at(-1) });
    log.lines.push(...lines);
    if (head !== undefined) log.head = head;
    this.#audits.set(agent, log);
  }

  async readAudit(agent: string): Promise<StoredAudit> {
    const log = this.#audits.get(agent);
    return { lines: [...(log?.lines ?? [])], head: log?.head };
  }

  /** Replaces the stored vault of `agent` with `bytes`. */
  put(agent: string, bytes: Uint8Array): void {
    this.#counter += 1;
    this.#vaults.set(agent, { bytes: bytes.slice(), token: `t${this.#counter}` });
  }

  /** The stored bytes of `agent`'s vault. */
  bytes(agent: string): Uint8Array {
    const stored = this.#vaults.get(agent);
    if (!stored) throw new Error(`no vault for ${agent}`);
    return stored.bytes.slice();
  }

  /** Forgets the audit log of `agent` (keeps long loops from growing it). */
  clearAudit(agent: string): void {
    this.#audits.delete(agent);
  }
}

/** A keychain held in memory (a real {@link KeyStore}, not a stub of one). */
export { MemoryKeyStore } from "../../src/index.js";

/** A clock that starts at a fixed instant and moves one second per call. */
export function steppingClock(start = Date.UTC(2025, 0, 15, 9, 30, 0)): () => Date {
  let tick = 0;
  return () => new Date(start + 1000 * tick++);
}

/** The error codes a damaged, altered or foreign vault file may be refused with. */
export const REFUSAL_CODES: VaultErrorCode[] = [
  "CORRUPT",
  "TAMPERED",
  "WRONG_AGENT",
  "WRONG_KEY",
  "UNSUPPORTED_FORMAT",
  "NO_KEY_SOURCE",
  "KEY_UNAVAILABLE",
];

/** A small vault with a few secrets and two key slots (key file + CI key), in memory. */
export interface SampleVault {
  store: MemoryStore;
  agent: string;
  keyFile: string;
  keySource: KeySource;
  /** The CI key of the second slot (base64). */
  ciKey: string;
  /** The file as written by the library. */
  bytes: Uint8Array;
  /** Plain values by name, as last set. */
  values: Record<string, string>;
}

/**
 * Builds the sample vault of `agent` through the public API: three secrets (one with tags,
 * description, env name and two versions; one removed), a key file slot and a CI key slot.
 */
export async function buildSampleVault(dir: string, agent = "sample"): Promise<SampleVault> {
  await initCrypto();
  const store = new MemoryStore();
  const keyFile = join(dir, `${agent}.key`);
  const options = { store, agent, now: steppingClock(), actor: "test@sample" };
  const { vault } = await createVault({
    ...options,
    keySource: keyFileKey(keyFile),
    label: "laptop",
    historyLimit: 3,
  });
  try {
    await vault.set("API_TOKEN", "tok-1", {
      tags: ["ci", "prod"],
      description: "Deploy token",
      env: "DEPLOY_TOKEN",
    });
    await vault.set("API_TOKEN", "tok-2");
    await vault.set("DB_PASSWORD", "pässwörd \u{1F511}");
    await vault.set("OLD_KEY", "old");
    await vault.remove("OLD_KEY");
    const { key } = await vault.addCiKey("ci");
    return {
      store,
      agent,
      keyFile,
      keySource: keyFileKey(keyFile),
      ciKey: key,
      bytes: store.bytes(agent),
      values: { API_TOKEN: "tok-2", DB_PASSWORD: "pässwörd \u{1F511}" },
    };
  } finally {
    vault.close();
  }
}

/** What opening a stored file came to: "accepted", a VaultError code, or an untyped error. */
export type OpenOutcome =
  | { kind: "accepted" }
  | { kind: "refused"; code: VaultErrorCode; exitCode: number }
  | { kind: "untyped"; error: unknown };

/** Stores `bytes` as `agent`'s vault and opens it with `keySource`. */
export async function openStored(
  store: MemoryStore,
  agent: string,
  bytes: Uint8Array,
  keySource: KeySource,
): Promise<OpenOutcome> {
  store.put(agent, bytes);
  try {
    const vault = await openVault({ store, agent, keySource, actor: "test@fuzz" });
    vault.close();
    return { kind: "accepted" };
  } catch (error) {
    if (isVaultError(error)) return { kind: "refused", code: error.code, exitCode: error.exitCode };
    return { kind: "untyped", error };
  } finally {
    store.clearAudit(agent);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Parses vault bytes as plain JSON (no checks): the attacker's view of a file. */
export function parseJsonDocument(bytes: Uint8Array): Record<string, unknown> {
  return JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
}

/**
 * Encodes an edited document the way the library writes files (its own encoder: canonical,
 * unkeyed checksum recomputed); the keyed `mac` is kept as it is.
 * @throws RangeError (or another error) when canonical JSON cannot hold the document.
 */
export function encodeEdited(document: Record<string, unknown> | VaultFile): Uint8Array {
  return encodeVaultFile(document as VaultFile);
}

/** The unkeyed checksum the library's encoder gives `document`; `undefined` if it cannot. */
export function checksumOf(document: Record<string, unknown>): string | undefined {
  try {
    return /"checksum":\s*"([0-9a-f]{64})"/.exec(decoder.decode(encodeEdited(document)))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Recomputes the unkeyed checksum of edited bytes in place (every `"checksum": "…"` entry),
 * leaving every other byte as it is. `undefined` when the bytes are not a JSON object with a
 * checksum, or hold something canonical JSON cannot (then there is nothing to repair).
 */
export function withRepairedChecksum(bytes: Uint8Array): Uint8Array | undefined {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return undefined;
  }
  const sum = checksumOf(document as Record<string, unknown>);
  if (sum === undefined) return undefined;
  const text = decoder.decode(bytes);
  const pattern = /"checksum":(\s*)"[^"\\]*"/g;
  if (!pattern.test(text)) return undefined;
  return encoder.encode(text.replace(pattern, (_match, space) => `"checksum":${space}"${sum}"`));
}

/** Counts one more `key` (an outcome of a sweep of edited vault files). */
export function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The counts, most frequent first: `CORRUPT 15716, UNSUPPORTED_FORMAT 4`. */
export function formatCounts(counts: Map<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count}`)
    .join(", ");
}
