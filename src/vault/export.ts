/**
 * Values out of the vault for an environment: `exportSecrets` (selection, env names, prefix;
 * one audit record per secret) and `run` (a command with them in its environment).
 */
import { vaultError } from "../errors.js";
import { checkSecretName, checkTag } from "../grammar.js";
import { checkCommand, type RunOptions, runWithSecrets } from "../run/spawn.js";
import { secretNotFound, type VaultCore } from "./core.js";
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
  const selected = live.filter(
    (record) =>
      (!only || only.has(record.name)) &&
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
  return runWithSecrets(command, args, secrets, options);
}
