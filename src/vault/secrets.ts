/**
 * Secret CRUD over the core: set (one or many in one write), get and resolve, has, list,
 * remove, purge, history, rollback, and metadata updates. Every change is one audited commit.
 */
import { vaultError } from "../errors.js";
import { type RotationRecord, type SecretRecord, secretNamed } from "../file-format/vault-file.js";
import {
  checkEnvName,
  checkRefId,
  checkSecretName,
  checkSecretValue,
  checkTag,
} from "../grammar.js";
import {
  isVaultReference,
  otherAgentReference,
  parseVaultReference,
} from "../references/reference.js";
import { checkRotationPolicy, describePolicy } from "../rotation/policy.js";
import { secretNotFound, type VaultCore } from "./core.js";
import type { SecretInfo, SetOptions, VersionInfo } from "./types.js";
import { versionsByValidity } from "./valid-versions.js";

/** Limits of format v1 (file-format/vault-file.ts): checked before writing, so no write makes an unreadable file. */
const MAX_TAGS = 64;
const MAX_REFS = 64;

/** @throws VaultError INVALID_INPUT */
function checkRefs(name: string, refs: string[] | undefined): void {
  if (refs === undefined) return;
  for (const ref of refs) checkRefId(ref);
  if (new Set(refs).size > MAX_REFS) {
    throw vaultError(
      "INVALID_INPUT",
      `Secret ${name} has more than ${MAX_REFS} refs.`,
      "Use fewer refs.",
    );
  }
}

function applyRefs(record: SecretRecord, refs: string[] | undefined): void {
  if (refs === undefined) return;
  if (refs.length === 0) delete record.refs;
  else record.refs = [...new Set(refs)].sort();
}

/**
 * Checks the metadata options of `set` and `update`.
 * @throws VaultError INVALID_NAME | INVALID_INPUT
 */
function checkMetadata(name: string, options: SetOptions): void {
  if (options.env !== undefined) checkEnvName(options.env);
  for (const tag of options.tags ?? []) checkTag(tag);
  checkRefs(name, options.refs);
  if (new Set(options.tags ?? []).size > MAX_TAGS) {
    throw vaultError(
      "INVALID_INPUT",
      `Secret ${name} has more than ${MAX_TAGS} tags.`,
      "Use fewer tags.",
    );
  }
  if (options.description !== undefined && options.description.length > 1024) {
    throw vaultError(
      "INVALID_INPUT",
      `Description of ${name} is longer than 1024 characters.`,
      "Shorten it.",
    );
  }
}

function applyPolicy(record: SecretRecord, policy: RotationRecord | null | undefined): void {
  if (policy === undefined) return;
  if (policy === null) delete record.rotation;
  else record.rotation = policy;
}

export function describeSecret(record: SecretRecord): SecretInfo {
  const current = record.versions.at(-1);
  const info: SecretInfo = {
    name: record.name,
    tags: [...record.tags],
    version: current?.version ?? 0,
    versions: record.versions.length,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.description !== undefined) info.description = record.description;
  if (record.env !== undefined) info.env = record.env;
  if (record.refs !== undefined) info.refs = [...record.refs];
  if (record.rotation !== undefined) info.rotation = describePolicy(record.rotation);
  if (record.journal !== undefined) info.rotating = true;
  if (record.removedAt !== undefined) info.removedAt = record.removedAt;
  return info;
}

function byName(a: SecretRecord, b: SecretRecord): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** @see Vault.setMany */
export async function setMany(
  core: VaultCore,
  entries: Array<SetOptions & { name: string; value: string }>,
): Promise<SecretInfo[]> {
  for (const entry of entries) {
    checkSecretName(entry.name);
    checkSecretValue(entry.name, entry.value);
    if (isVaultReference(entry.value)) {
      throw vaultError(
        "INVALID_VALUE",
        `The value given for ${entry.name} is a vault reference (vault://AGENT/NAME), not a secret.`,
        "Store the real value; a reference only points at one.",
      );
    }
    checkMetadata(entry.name, entry);
  }
  const policies = new Map(
    entries.map((entry) => [
      entry,
      entry.rotation ? checkRotationPolicy(entry.rotation) : entry.rotation,
    ]),
  );
  const infos: SecretInfo[] = [];
  const names = entries.map((entry) => entry.name);
  await core.audited(
    names.map((name) => ({ op: "set", secret: name })),
    () =>
      core.mutate((body) => {
        const createdAt = core.state.now().toISOString();
        const indexOf = new Map(body.secrets.map((record, index) => [record.name, index]));
        const touched = new Map<string, SecretRecord>();
        let added = false;
        for (const entry of entries) {
          let record = touched.get(entry.name);
          if (!record) {
            const index = indexOf.get(entry.name);
            const original = index === undefined ? undefined : body.secrets[index];
            if (index !== undefined && original) {
              record = structuredClone(original);
              body.secrets[index] = record;
            } else {
              record = {
                createdAt,
                name: entry.name,
                nextVersion: 1,
                tags: [],
                updatedAt: createdAt,
                versions: [],
              };
              indexOf.set(entry.name, body.secrets.push(record) - 1);
              added = true;
            }
            touched.set(entry.name, record);
          }
          if (entry.description !== undefined) record.description = entry.description;
          if (entry.tags !== undefined) record.tags = [...new Set(entry.tags)].sort();
          if (entry.env !== undefined) record.env = entry.env;
          applyRefs(record, entry.refs);
          applyPolicy(record, policies.get(entry));
          core.addVersion(body, record, entry.value);
          infos.push(describeSecret(record));
        }
        if (added) body.secrets.sort(byName);
        return true;
      }),
  );
  return infos;
}

/** @see Vault.get */
export async function getValue(
  core: VaultCore,
  name: string,
  options: { version?: number },
): Promise<string> {
  checkSecretName(name);
  const detail = options.version === undefined ? undefined : `version=${options.version}`;
  return core.audited({ op: "get", secret: name, ...(detail ? { detail } : {}) }, async () => {
    await core.refresh();
    return core.decrypt(core.state.file, core.find(name), options.version);
  });
}

/** @see Vault.resolve */
export async function resolveReference(
  core: VaultCore,
  reference: string,
  options: { purpose?: string },
): Promise<string> {
  const { agent, name } = parseVaultReference(reference);
  if (agent !== core.agent) throw otherAgentReference(core.agent, agent);
  const detail = options.purpose ?? "resolve";
  return core.audited({ op: "get", secret: name, detail }, async () => {
    await core.refresh();
    return core.decrypt(core.state.file, core.find(name));
  });
}

/** @see Vault.has */
export async function hasSecret(core: VaultCore, name: string): Promise<boolean> {
  checkSecretName(name);
  await core.refresh();
  const record = secretNamed(core.state.file, name);
  return record !== undefined && record.removedAt === undefined;
}

/** @see Vault.list */
export async function listSecrets(
  core: VaultCore,
  options: { includeRemoved?: boolean },
): Promise<SecretInfo[]> {
  return core.audited({ op: "list" }, async () => {
    await core.refresh();
    return core.state.file.secrets
      .filter((record) => options.includeRemoved || record.removedAt === undefined)
      .map(describeSecret);
  });
}

/** @see Vault.remove */
export async function removeSecret(core: VaultCore, name: string): Promise<void> {
  checkSecretName(name);
  await core.audited({ op: "rm", secret: name }, () =>
    core.mutate((_body, edit) => {
      const record = edit(name);
      if (!record || record.removedAt !== undefined) {
        throw secretNotFound(core.agent, name, !!record);
      }
      record.removedAt = core.state.now().toISOString();
      record.updatedAt = record.removedAt;
      return true;
    }),
  );
}

/** @see Vault.purge */
export async function purgeSecret(core: VaultCore, name: string): Promise<void> {
  checkSecretName(name);
  await core.audited({ op: "purge", secret: name }, () =>
    core.mutate((body) => {
      const index = body.secrets.findIndex((secret) => secret.name === name);
      if (index < 0) throw secretNotFound(core.agent, name);
      body.secrets.splice(index, 1);
      return true;
    }),
  );
}

/** @see Vault.history */
export async function secretHistory(core: VaultCore, name: string): Promise<VersionInfo[]> {
  checkSecretName(name);
  return core.audited({ op: "history", secret: name }, async () => {
    await core.refresh();
    const record = core.find(name, { includeRemoved: true });
    const isRemoved = record.removedAt !== undefined;
    const last = record.versions.length - 1;
    // One rule for what is still valid, shared with the scanner (valid-versions.ts).
    const history: VersionInfo[] = versionsByValidity(record).map(({ sealed, valid }, index) => {
      const isPending = index > last;
      const isCurrent = !isRemoved && index === last;
      const label = isPending ? "pending" : isCurrent ? "current" : valid ? "previous" : "retired";
      return { version: sealed.version, createdAt: sealed.createdAt, current: isCurrent, label };
    });
    return history;
  });
}

/** @see Vault.rollback */
export async function rollbackSecret(
  core: VaultCore,
  name: string,
  to: number,
): Promise<SecretInfo> {
  checkSecretName(name);
  if (!Number.isSafeInteger(to) || to < 1) {
    throw vaultError(
      "INVALID_INPUT",
      "The version to roll back to must be a positive whole number.",
      `See \`vault history ${name}\`.`,
    );
  }
  let info: SecretInfo | undefined;
  await core.audited({ op: "rollback", secret: name, detail: `to=${to}` }, () =>
    core.mutate((body, edit) => {
      const record = edit(name);
      if (!record) throw secretNotFound(core.agent, name);
      const value = core.decrypt(body, record, to);
      core.addVersion(body, record, value);
      info = describeSecret(record);
      return true;
    }),
  );
  return info as unknown as SecretInfo;
}

/** @see Vault.update */
export async function updateSecret(
  core: VaultCore,
  name: string,
  options: SetOptions,
): Promise<SecretInfo> {
  checkSecretName(name);
  checkMetadata(name, options);
  if (options.rotation) checkRotationPolicy(options.rotation);
  const changed = Object.keys(options)
    .filter((key) => (options as Record<string, unknown>)[key] !== undefined)
    .sort();
  const audit =
    changed.length === 1 && changed[0] === "rotation"
      ? { op: "policy", secret: name, detail: options.rotation ? "set" : "removed" }
      : { op: "update", secret: name, detail: changed.join(",") };
  let info: SecretInfo | undefined;
  await core.audited(audit, () =>
    core.mutate((_body, edit) => {
      const secret = edit(name);
      if (!secret || secret.removedAt !== undefined) {
        throw secretNotFound(core.agent, name, !!secret);
      }
      if (options.description !== undefined) secret.description = options.description;
      if (options.tags !== undefined) secret.tags = [...new Set(options.tags)].sort();
      if (options.env !== undefined) secret.env = options.env;
      applyRefs(secret, options.refs);
      if (options.rotation !== undefined) {
        const current = describeSecret(secret).rotation;
        applyPolicy(
          secret,
          options.rotation === null
            ? null
            : checkRotationPolicy({ ...current, ...options.rotation }),
        );
      }
      info = describeSecret(secret);
      return true;
    }),
  );
  return info as SecretInfo;
}
