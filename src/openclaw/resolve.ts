/**
 * Answers OpenClaw ref ids from agent vaults: each vault named by the ids is opened once and
 * read once: the ids are mapped to its secrets (by their refs and names) and the values read
 * in one audited export whose purpose is `openclaw` (one audit record per secret answered,
 * never a value).
 */
import { isVaultError, type VaultError } from "../errors.js";
import type { Vault } from "../vault.js";
import { type IdMapping, type MappableSecret, mapIds, splitAgentPrefix } from "./mapping.js";

/** How the resolver reaches vaults. */
export interface ResolveSource {
  /** The agent of ids without an `agent:` prefix. */
  defaultAgent: string;
  /** Opens an agent's vault (never prompting). @throws VaultError */
  open(agent: string): Promise<Vault>;
}

/** The outcome: values, per-id error codes, and the first vault failure (if any). */
export interface ResolveOutcome {
  values: Map<string, string>;
  errors: Map<string, string>;
  /** A vault that would not open or read (wrong key, tampered...): the request failed. */
  failure?: VaultError;
}

async function resolveInVault(
  vault: Vault,
  ids: ReadonlyArray<{ id: string; rest: string }>,
  outcome: ResolveOutcome,
): Promise<void> {
  // The ids are mapped to secrets inside the export: one read of the vault, and the audit log
  // holds one export record per secret answered, nothing for the mapping.
  let mapping = new Map<string, IdMapping>();
  const exported = await vault.exportSecrets({
    purpose: "openclaw",
    select: (secrets: readonly MappableSecret[]) => {
      mapping = mapIds(ids, secrets);
      return [...mapping.values()].flatMap((target) => ("name" in target ? [target.name] : []));
    },
  });
  for (const [id, target] of mapping) if (!("name" in target)) outcome.errors.set(id, target.code);
  const byName = new Map(exported.map((secret) => [secret.name, secret.value]));
  for (const [id, target] of mapping) {
    if (!("name" in target)) continue;
    const value = byName.get(target.name);
    if (value === undefined) outcome.errors.set(id, "NOT_FOUND");
    else outcome.values.set(id, value);
  }
}

/**
 * Resolves `ids` (valid exec ref ids). Never throws a VaultError: a vault that fails gives its
 * error code to each of its ids and becomes `failure`; unknown ids are `NOT_FOUND`.
 */
export async function resolveOpenclawIds(
  ids: readonly string[],
  source: ResolveSource,
): Promise<ResolveOutcome> {
  const outcome: ResolveOutcome = { values: new Map(), errors: new Map() };
  const byAgent = new Map<string, Array<{ id: string; rest: string }>>();
  for (const id of ids) {
    const { agent, rest } = splitAgentPrefix(id);
    const key = agent ?? source.defaultAgent;
    const group = byAgent.get(key) ?? [];
    group.push({ id, rest });
    byAgent.set(key, group);
  }
  for (const [agent, group] of byAgent) {
    let vault: Vault | undefined;
    try {
      vault = await source.open(agent);
      await resolveInVault(vault, group, outcome);
    } catch (error) {
      if (!isVaultError(error)) throw error;
      outcome.failure ??= error;
      for (const { id } of group) {
        outcome.values.delete(id);
        outcome.errors.set(id, error.code);
      }
    } finally {
      vault?.close();
    }
  }
  return outcome;
}
