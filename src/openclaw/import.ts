/**
 * `vault openclaw import` as a library call: read an OpenClaw config and its `.env` files, plan
 * which plaintext credentials move into a vault (import-plan.ts), store them in one vault write,
 * then rewrite the files (each backed up, mode 0600, and replaced atomically). The vault write
 * comes first: a failure after it leaves the values stored and the files as they were, so a
 * second run finds nothing left to move. No value is ever in the plan or the result.
 */
import { vaultError } from "../errors.js";
import type { SetOptions, Vault } from "../vault.js";
import {
  type OpenclawEnv,
  openclawPaths,
  parseOpenclawConfig,
  type ReadFile,
  readTextFile,
  replaceFile,
} from "./config-file.js";
import {
  type ImportPlan,
  planImport,
  refsByName,
  rewriteConfig,
  rewriteEnvFile,
} from "./import-plan.js";
import type { ExecProviderBlock } from "./setup.js";

/** A `.env` file to import from, as read. */
export interface ImportEnvFile {
  path: string;
  text: string;
  original: ReadFile;
}

/** What an import reads: the config (parsed and as it was) and the `.env` files. */
export interface OpenclawImportFiles {
  configPath: string;
  original: ReadFile;
  config: Record<string, unknown>;
  envFiles: ImportEnvFile[];
}

/** The provider block to add under the alias, and a launcher script to write before it. */
export interface ProviderToAdd {
  block: ExecProviderBlock;
  launcher?: { path: string; text: string };
}

/** What {@link importOpenclawCredentials} did (names and paths, never values). */
export interface OpenclawImportResult {
  plan: ImportPlan;
  /** Names moved out of `.env` that no config ref names: OpenClaw needs `vault run` for them. */
  envOnly: string[];
  /** Names given a new value or new refs in the vault (none on a dry run). */
  stored: string[];
  /** Backups written (each holds the old plaintext). */
  backups: string[];
  /** Whether the plan was carried out (false on a dry run and when there was nothing to move). */
  applied: boolean;
}

/**
 * Reads the OpenClaw config (`configPath`, else `$OPENCLAW_CONFIG_PATH`, else
 * `~/.openclaw/openclaw.json`) and the `.env` files to import from (`envFile`, else OpenClaw's
 * own). A path the caller gave is named in errors as "the file given with --config"
 * (a value may have been typed there).
 * @throws VaultError INVALID_INPUT (missing or malformed) | IO_ERROR
 */
export async function readOpenclawImportFiles(options: {
  env: OpenclawEnv;
  home: string;
  configPath?: string | undefined;
  envFile?: string | undefined;
}): Promise<OpenclawImportFiles> {
  const paths = openclawPaths(options.env, options.home, options.configPath);
  const configName = options.configPath ? "the file given with --config" : paths.configPath;
  const original = await readTextFile(paths.configPath);
  if (!original) {
    throw vaultError(
      "INVALID_INPUT",
      `There is no OpenClaw config at ${configName}.`,
      "Give its path with --config (or set $OPENCLAW_CONFIG_PATH).",
    );
  }
  const config = parseOpenclawConfig(original.text, configName);
  const envFiles: ImportEnvFile[] = [];
  for (const path of options.envFile ? [options.envFile] : paths.envPaths) {
    const read = await readTextFile(path);
    if (read) envFiles.push({ path, text: read.text, original: read });
    else if (options.envFile) {
      throw vaultError(
        "INVALID_INPUT",
        "The file given with --env-file does not exist.",
        "Check the path, or leave --env-file out to read OpenClaw's own .env files.",
      );
    }
  }
  return { configPath: paths.configPath, original, config, envFiles };
}

/**
 * Whether the config needs a provider block under `alias` (it has none yet).
 * @throws VaultError INVALID_INPUT when the alias names a provider that is not an exec provider
 */
export function needsProviderBlock(config: Record<string, unknown>, alias: string): boolean {
  const providers = (config.secrets as { providers?: Record<string, unknown> } | undefined)
    ?.providers;
  const existing = providers?.[alias] as { source?: unknown } | undefined;
  if (existing !== undefined && existing.source !== "exec") {
    throw vaultError(
      "INVALID_INPUT",
      `Provider alias ${alias} is already used by a provider that is not an exec provider.`,
      "Choose another alias with --alias.",
    );
  }
  return existing === undefined;
}

/** Writes a launcher script (mode 0700) unless it is already there as it should be. */
export async function writeLauncher(
  launcher: { path: string; text: string },
  now: Date,
): Promise<void> {
  const current = await readTextFile(launcher.path);
  if (current?.text === launcher.text && current.mode === 0o700) return;
  await replaceFile(launcher.path, launcher.text, { now, mode: 0o700 });
}

/**
 * Moves the plaintext credentials of `files` into `vault`: each config value where OpenClaw
 * takes a SecretRef becomes a ref to provider `alias`, each credential line of `.env` becomes a
 * comment. With `dryRun` only the plan is made. `provider` is added to the config when given.
 * `onStoring` is told how many secrets are about to be stored (for a progress line).
 * @throws VaultError (the vault's write errors, IO_ERROR for the files)
 */
export async function importOpenclawCredentials(
  vault: Vault,
  files: OpenclawImportFiles,
  options: {
    agent: string;
    alias: string;
    now: Date;
    overwrite?: boolean;
    dryRun?: boolean;
    provider?: ProviderToAdd | undefined;
    onStoring?: (count: number) => void;
  },
): Promise<OpenclawImportResult> {
  const infos = new Map((await vault.list()).map((info) => [info.name, info]));
  /** Current values of names the import may reuse (read once, to compare). */
  const stored = new Map<string, string>();
  const { plan, values } = await planImport(files.config, files.envFiles, {
    existing: async (name) => {
      if (infos.has(name) && !stored.has(name)) stored.set(name, await vault.get(name));
      return stored.get(name);
    },
    overwrite: options.overwrite === true,
  });
  const referenced = new Set(plan.config.map((move) => move.name));
  const envOnly = plan.env.filter((move) => !referenced.has(move.name)).map((m) => m.name);
  const result: OpenclawImportResult = { plan, envOnly, stored: [], backups: [], applied: false };
  if (options.dryRun || values.size === 0) return result;
  result.applied = true;

  const refs = refsByName(plan);
  const entries: Array<SetOptions & { name: string; value: string }> = [];
  for (const [name, value] of values) {
    const known = infos.get(name)?.refs ?? [];
    const wanted = [...new Set([...known, ...(refs.get(name) ?? [])])].sort();
    if (stored.get(name) === value && wanted.length === known.length) continue;
    entries.push({ name, value, ...(wanted.length > 0 ? { refs: wanted } : {}) });
  }
  options.onStoring?.(entries.length);
  if (entries.length > 0) await vault.setMany(entries);
  result.stored = entries.map((entry) => entry.name);

  const { provider, now } = options;
  if (provider?.launcher) await writeLauncher(provider.launcher, now);
  if (plan.config.length > 0 || provider) {
    const rewritten = rewriteConfig(files.config, plan, options.alias, provider?.block);
    const backup = await replaceFile(files.configPath, `${JSON.stringify(rewritten, null, 2)}\n`, {
      original: files.original,
      now,
    });
    if (backup) result.backups.push(backup);
  }
  for (const file of files.envFiles) {
    if (!plan.env.some((move) => move.file === file.path)) continue;
    const text = rewriteEnvFile(file, plan, options.agent);
    const backup = await replaceFile(file.path, text, { original: file.original, now });
    if (backup) result.backups.push(backup);
  }
  return result;
}
