/**
 * Opening, creating and describing an agent's vault: the store (given, or the home's), the key
 * source, the checks of the file, and the observers a library vault gets by default (this
 * host's scan fingerprints of the values).
 */
import { homedir, userInfo } from "node:os";
import { join } from "node:path";
import { appendAudit } from "../audit.js";
import {
  deriveKeys,
  macWith,
  type VaultKeys,
  verifyFile,
  wipeKeys,
} from "../crypto/derived-keys.js";
import { initCrypto, KEY_BYTES, randomBytes, toBase64Url } from "../crypto/sodium.js";
import { isVaultError, vaultError } from "../errors.js";
import {
  FORMAT_V1,
  sealVaultFile,
  type VaultBody,
  type VaultFile,
} from "../file-format/vault-file.js";
import { checkAgentId, checkSlotLabel, DEFAULT_AGENT } from "../grammar.js";
import { createSlot, defaultKeySource, describeSlot, unlockWithSource } from "../keys/slots.js";
import { FingerprintKeeper } from "../scan/fingerprint-keeper.js";
import { selectStore } from "../store/select-store.js";
import type { VaultStore } from "../store/store.js";
import { loadFile, VaultCore, type VaultState } from "./core.js";
import { resolvePath } from "./paths.js";
import { rotationDebt } from "./rotation.js";
import type { CreateVaultOptions, VaultInfo, VaultOptions } from "./types.js";
import { Vault } from "./vault.js";

const DEFAULT_HISTORY_LIMIT = 10;

function defaultActor(): string {
  try {
    return `${userInfo().username}@library`;
  } catch {
    return "library";
  }
}

/** The store given, else the one the home's config file names, else the file store under the home. */
function resolveStore(options: VaultOptions): VaultStore {
  if (options.store) return options.store;
  const home = resolvePath(options.home ?? join(homedir(), ".agent-vault"));
  return selectStore(home, { lockTimeoutMs: options.lockTimeoutMs });
}

/**
 * The home this host keeps its own files under (e.g. the scanner's fingerprints on a database
 * store): the one given, else the default, except for a caller's own store without a home.
 */
function hostHomeOf(options: VaultOptions): string | undefined {
  if (options.store && options.home === undefined) return undefined;
  return resolvePath(options.home ?? join(homedir(), ".agent-vault"));
}

/** Closes a store this module made itself (a caller's own store stays open for its owner). */
async function releaseStore(options: VaultOptions, store: VaultStore): Promise<void> {
  if (!options.store) await store.close?.().catch(() => undefined);
}

/** Who acts, when, on which store and agent: the parts of a vault's state known before its key. */
function context(options: VaultOptions, agent: string, store: VaultStore) {
  return {
    store,
    agent,
    now: options.now ?? (() => new Date()),
    actor: options.actor ?? defaultActor(),
  };
}

/** The core of a vault just opened or created, with this host's fingerprint keeper attached. */
function coreFor(options: VaultOptions, state: Omit<VaultState, "keyStore" | "ownsStore">) {
  const core = new VaultCore({
    ...state,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ownsStore: !options.store,
  });
  core.observe(
    FingerprintKeeper.for(state.store, state.agent, hostHomeOf(options), (body, records) =>
      core.valuesOf(body, records),
    ),
  );
  return core;
}

/**
 * Opens the vault of an agent with its key source.
 * @throws VaultError VAULT_NOT_FOUND | CORRUPT | WRONG_AGENT | TAMPERED | KEY_UNAVAILABLE |
 *   WRONG_KEY | NO_KEY_SOURCE | KEYCHAIN_* | INSECURE_PERMISSIONS
 */
export async function openVault(options: VaultOptions = {}): Promise<Vault> {
  // libsodium finishes loading while the vault file is read (loadFile waits for it to parse).
  void initCrypto().catch(() => undefined);
  const agent = checkAgentId(options.agent ?? DEFAULT_AGENT);
  const store = resolveStore(options);
  try {
    return await openWithStore(options, agent, store);
  } catch (error) {
    await releaseStore(options, store);
    throw error;
  }
}

/** Reads the stored vault and unlocks it with the key source (failures audited unkeyed). */
async function unlockStored(options: VaultOptions, known: ReturnType<typeof context>) {
  const { store, agent, now, actor } = known;
  const { file, token } = await loadFile(store, agent);
  let unlocked: Awaited<ReturnType<typeof unlockWithSource>>;
  try {
    const source =
      options.keySource ??
      defaultKeySource(file, {
        ...(options.keyStore ? { keyStore: options.keyStore } : {}),
        ...(options.prompt ? { prompt: options.prompt } : {}),
      });
    unlocked = await unlockWithSource(file, source);
  } catch (error) {
    if (isVaultError(error)) {
      // A failed unlock is audited without a key (none is at hand); the next keyed record seals it.
      await appendAudit(
        store,
        agent,
        { op: "unlock", result: error.exitCode === 5 ? "error" : "denied", code: error.code },
        { actor, now },
      ).catch(() => undefined);
    }
    throw error;
  }
  const keys = deriveKeys(unlocked.dataKey, file);
  try {
    verifyFile(file, keys, store.locate(agent));
  } catch (error) {
    wipeKeys(keys);
    throw error;
  }
  return { file, token, keys, slotId: unlocked.slot.id };
}

async function openWithStore(
  options: VaultOptions,
  agent: string,
  store: VaultStore,
): Promise<Vault> {
  const known = context(options, agent, store);
  const { file, token, keys, slotId } = await unlockStored(options, known);
  const core = coreFor(options, { ...known, keys, file, token, slotId });
  await core.opened();
  return new Vault(core);
}

/**
 * An agent's unlocked data key, held in memory by a long-running process (`vault agent`):
 * which vault and key slot it opened. `dataKey` is wiped with {@link wipe} when let go.
 */
export interface HeldKey {
  agent: string;
  vaultId: string;
  slotId: string;
  dataKey: Uint8Array;
  /** The highest generation of the vault file seen: an older one is a rollback, never served. */
  generation: number;
}

/**
 * Unlocks an agent's vault once with its key source and returns its data key to hold.
 * @throws VaultError the errors of {@link openVault}
 */
export async function unlockHeldKey(options: VaultOptions): Promise<HeldKey> {
  await initCrypto();
  const agent = checkAgentId(options.agent ?? DEFAULT_AGENT);
  const store = resolveStore(options);
  try {
    const { file, keys, slotId } = await unlockStored(options, context(options, agent, store));
    const dataKey = new Uint8Array(keys.dataKey);
    wipeKeys(keys);
    return { agent, vaultId: file.vaultId, slotId, dataKey, generation: file.generation };
  } finally {
    await releaseStore(options, store);
  }
}

/**
 * Opens the vault `held` unlocked, as stored now (read and checked again), with the held key:
 * its audit records say `via: "agent"`. `{ stale }` when the held key no longer opens it: the
 * file is gone or unreadable, holds another vault, dropped the key slot the key came from, or
 * no longer verifies under the key (a new data key, or an altered file). The caller then lets
 * the key go; an ordinary open says what is wrong.
 */
export async function openWithHeldKey(
  options: VaultOptions,
  held: HeldKey,
): Promise<Vault | { stale: string }> {
  await initCrypto();
  const store = resolveStore(options);
  const known = context(options, held.agent, store);
  let state: { file: VaultFile; token: string; keys: VaultKeys };
  try {
    const { file, token } = await loadFile(store, held.agent).catch(() => ({
      file: undefined,
      token: "",
    }));
    if (!file) return await staleOpen(options, store, "the vault file cannot be read");
    if (file.vaultId !== held.vaultId) {
      return await staleOpen(options, store, "the vault file holds another vault");
    }
    if (!file.slots.some((slot) => slot.id === held.slotId)) {
      return await staleOpen(options, store, "the key slot it was unlocked with was removed");
    }
    // As a running process refuses a lower generation (core.ts), the agent never serves one.
    if (file.generation < held.generation) {
      return await staleOpen(
        options,
        store,
        "the vault file was rolled back to an older generation",
      );
    }
    let keys: VaultKeys;
    try {
      keys = deriveKeys(new Uint8Array(held.dataKey), file);
      verifyFile(file, keys, store.locate(held.agent));
    } catch {
      // deriveKeys wipes its keys when it throws; verifyFile's failure is handled here.
      return await staleOpen(options, store, "the vault's data key changed", () =>
        keys ? wipeKeys(keys) : undefined,
      );
    }
    held.generation = file.generation;
    state = { file, token, keys };
  } catch (error) {
    await releaseStore(options, store);
    throw error;
  }
  const core = coreFor(options, { ...known, ...state, slotId: held.slotId, via: "agent" });
  try {
    await core.opened();
  } catch (error) {
    core.close();
    throw error;
  }
  return new Vault(core);
}

async function staleOpen(
  options: VaultOptions,
  store: VaultStore,
  stale: string,
  cleanup?: () => void,
): Promise<{ stale: string }> {
  cleanup?.();
  await releaseStore(options, store);
  return { stale };
}

/**
 * Creates the vault of an agent with its first key slot.
 * @returns the open vault and, for a CI key source, the key to show once.
 * @throws VaultError ALREADY_EXISTS | KEYCHAIN_* | IO_ERROR | INVALID_INPUT
 */
export async function createVault(
  options: CreateVaultOptions,
): Promise<{ vault: Vault; key?: string }> {
  await initCrypto();
  const agent = checkAgentId(options.agent ?? DEFAULT_AGENT);
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(historyLimit) || historyLimit < 1 || historyLimit > 1000) {
    throw vaultError(
      "INVALID_INPUT",
      "History limit must be 1 to 1000 versions.",
      "Pick a number from 1 to 1000.",
    );
  }
  const label = checkSlotLabel(options.label ?? options.keySource.kind);
  const store = resolveStore(options);
  try {
    return await createWithStore(options, { agent, label, historyLimit }, store);
  } catch (error) {
    await releaseStore(options, store);
    throw error;
  }
}

async function createWithStore(
  options: CreateVaultOptions,
  { agent, label, historyLimit }: { agent: string; label: string; historyLimit: number },
  store: VaultStore,
): Promise<{ vault: Vault; key?: string }> {
  const known = context(options, agent, store);
  // Never create a key over an existing vault: look before any slow or external step.
  if (await store.token(agent)) {
    throw vaultError(
      "ALREADY_EXISTS",
      `Agent ${agent} already has a vault (${store.locate(agent)}).`,
      "Use it as it is (`vault list`), or pick another agent with --agent.",
    );
  }
  const dataKey = randomBytes(KEY_BYTES);
  const vaultId = toBase64Url(randomBytes(16));
  const createdAt = known.now().toISOString();
  const added = await createSlot(options.keySource, dataKey, { vaultId, agent, label, createdAt });
  const keys = deriveKeys(dataKey);
  const body: VaultBody = {
    format: FORMAT_V1,
    vaultId,
    agent,
    generation: 1,
    createdAt,
    settings: { historyLimit },
    slots: [added.slot],
    secrets: [],
  };
  const sealed = sealVaultFile(body, macWith(keys));
  try {
    await store.create(agent, sealed.bytes);
  } catch (error) {
    await added.rollback();
    wipeKeys(keys);
    throw error;
  }
  const token = (await store.token(agent)) ?? "";
  const core = coreFor(options, {
    ...known,
    keys,
    file: sealed.file,
    token,
    slotId: added.slot.id,
  });
  await core.recordAudit({ op: "init", detail: `slot=${label}`, result: "ok" });
  const vault = new Vault(core);
  return added.revealOnce === undefined ? { vault } : { vault, key: added.revealOnce };
}

/**
 * Describes an agent's stored vault without unlocking it: its key slots and how many secrets
 * it holds. Checks the file's form and checksum, not its keyed integrity.
 * @throws VaultError VAULT_NOT_FOUND | CORRUPT | WRONG_AGENT | INSECURE_PERMISSIONS
 */
export async function readVaultInfo(options: VaultOptions = {}): Promise<VaultInfo> {
  await initCrypto();
  const agent = checkAgentId(options.agent ?? DEFAULT_AGENT);
  const store = resolveStore(options);
  let file: Awaited<ReturnType<typeof loadFile>>["file"];
  try {
    ({ file } = await loadFile(store, agent));
  } finally {
    await releaseStore(options, store);
  }
  return {
    agent,
    location: store.locate(agent),
    createdAt: file.createdAt,
    generation: file.generation,
    secrets: file.secrets.filter((secret) => secret.removedAt === undefined).length,
    keys: file.slots.map(describeSlot),
    rotation: rotationDebt(file, (options.now ?? (() => new Date()))()),
  };
}
