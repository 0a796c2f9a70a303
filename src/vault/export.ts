/**
 * Values out of the vault for an environment: `exportSecrets` (selection by names, tag or a
 * chooser over the live secrets, env names, prefix;
 * one audit record per secret) and `run` (a command with them in its environment).
 */
import type { AuditEntry } from "../audit.js";
import { isVaultError, vaultError } from "../errors.js";
import { checkExportEntries } from "../export/variable-names.js";
import { checkSecretName, checkTag } from "../grammar.js";
import { checkCommand, checkCommandStarts, type RunOptions, runWithSecrets } from "../run/spawn.js";
import { secretNotFound, type VaultCore } from "./core.js";
import { describeSecret } from "./secrets.js";
import type { ExportedSecret, ExportOptions } from "./types.js";

/** @see Vault.exportSecrets */
export async function exportSecrets(
  core: VaultCore,
  options: ExportOptions,
): Promise<ExportedSecret[]> {
  const prefix = options.prefix ?? "";
  if (prefix !== "" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) {
    throw vaultError(
      "INVALID_INPUT",
      "Invalid --prefix.",
      "Use letters, digits and _, not starting with a digit.",
    );
  }
  for (const name of options.only ?? []) checkSecretName(name);
  if (options.tag !== undefined) checkTag(options.tag);
  await core.refresh();
  const live = core.state.file.secrets.filter((record) => record.removedAt === undefined);
  const only = options.only ? new Set(options.only) : undefined;
  for (const name of only ?? []) {
    if (!live.some((record) => record.name === name)) throw secretNotFound(core.agent, name);
  }
  const chosen = options.select ? new Set(options.select(live.map(describeSecret))) : undefined;
  const selected = live.filter(
    (record) =>
      (!only || only.has(record.name)) &&
      (!chosen || chosen.has(record.name)) &&
      (options.tag === undefined || record.tags.includes(options.tag)),
  );
  const detail = options.purpose ?? "env";
  return core.audited(
    selected.map((record) => ({ op: "export", secret: record.name, detail })),
    async () =>
      selected.map((record) => ({
        name: record.name,
        envName: `${prefix}${record.env ?? record.name}`,
        value: core.decrypt(core.state.file, record),
      })),
  );
}

/**
 * The audit records of secrets exported for a command that then did not start (after their
 * export records: the values did leave the vault): "denied" when it was refused (a dangerous
 * name, a malformed reference), "error" otherwise, as `vault env` records a value it did not
 * write. Never fails: the error that stopped the command is the one to report.
 */
export async function auditRunNotStarted(
  record: (entries: AuditEntry[]) => Promise<void>,
  names: readonly string[],
  error: unknown,
): Promise<void> {
  const code = isVaultError(error) ? error.code : "INTERNAL";
  const refused = code === "INVALID_INPUT";
  await record(
    names.map((name) => ({
      op: "export",
      secret: name,
      detail: `run ${refused ? "refused" : "not started"}`,
      result: refused ? "denied" : "error",
      code,
    })),
  ).catch(() => undefined);
}

/** @see Vault.run */
export async function runCommand(
  core: VaultCore,
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<number> {
  checkCommand(command, args);
  const secrets = await exportSecrets(core, {
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.tag === undefined ? {} : { tag: options.tag }),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    purpose: "run",
  });
  try {
    checkExportEntries(secrets, { allowNames: options.allowNames ?? [] });
    await checkCommandStarts(command, options.env?.PATH, options.cwd ?? process.cwd());
  } catch (error) {
    await auditRunNotStarted(
      (entries) => core.recordAudit(entries),
      secrets.map((s) => s.name),
      error,
    );
    throw error;
  }
  return runWithSecrets(command, args, secrets, options);
}
