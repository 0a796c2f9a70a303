/**
 * The scan config file, `.vault-scan.json` in the working folder (or `--config FILE`):
 *
 * ```json
 * { "ignorePaths": ["docs/examples/**"], "ignoreRules": ["generic-secret"], "maxFileBytes": 1048576 }
 * ```
 *
 * `ignorePaths` are gitignore-style patterns matched against paths relative to the working
 * folder; `ignoreRules` are rule ids (see `vault scan --list-rules`).
 */
import { createRequire } from "node:module";
import type { Ignore } from "ignore";
import { vaultError } from "../errors.js";
import { readJsonFile } from "./files.js";

/** The name looked for in the working folder. */
export const CONFIG_FILE = ".vault-scan.json";

const CONFIG_KEYS = new Set(["ignorePaths", "ignoreRules", "maxFileBytes"]);

const isStringList = (value: unknown, item: RegExp): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string" && item.test(v));

/** The config in `raw`, or `undefined` when malformed (checked by hand: zod is slow to load). */
function parseConfig(raw: unknown): ScanConfig | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const record = raw as Record<string, unknown>;
  if (Object.keys(record).some((key) => !CONFIG_KEYS.has(key))) return undefined;
  const { ignorePaths = [], ignoreRules = [], maxFileBytes } = record;
  if (!isStringList(ignorePaths, /./) || !isStringList(ignoreRules, /^[a-z0-9-]+$/))
    return undefined;
  if (
    maxFileBytes !== undefined &&
    !(Number.isInteger(maxFileBytes) && (maxFileBytes as number) > 0)
  ) {
    return undefined;
  }
  return {
    ignorePaths,
    ignoreRules,
    ...(maxFileBytes === undefined ? {} : { maxFileBytes: maxFileBytes as number }),
  };
}

/** A parsed config. */
export interface ScanConfig {
  ignorePaths: string[];
  ignoreRules: string[];
  maxFileBytes?: number;
}

/** What a config decides for one finding. */
export interface ConfigFilter {
  config: ScanConfig;
  isPathIgnored(file: string): boolean;
  isRuleIgnored(ruleId: string): boolean;
}

/** The `ignore` package (CommonJS), loaded on first use. */
function loadIgnore(): () => Ignore {
  return createRequire(import.meta.url)("ignore") as () => Ignore;
}

/** A filter from a config (the empty config ignores nothing). */
export function configFilter(config: ScanConfig): ConfigFilter {
  // The gitignore matcher loads only for a config with paths (a hook's scan seldom has one).
  const paths: Ignore | undefined =
    config.ignorePaths.length > 0 ? loadIgnore()().add(config.ignorePaths) : undefined;
  const rules = new Set(config.ignoreRules);
  return {
    config,
    isPathIgnored: (file) =>
      paths !== undefined &&
      !file.startsWith("/") &&
      !file.startsWith("..") &&
      file !== "(stdin)" &&
      paths.ignores(file),
    isRuleIgnored: (ruleId) => rules.has(ruleId),
  };
}

/**
 * Reads a config file; the empty config when it does not exist and was not named explicitly.
 * @throws VaultError INVALID_INPUT (malformed, or named and missing) | IO_ERROR
 */
export async function readScanConfig(path: string, explicit: boolean): Promise<ScanConfig> {
  let raw: unknown;
  try {
    raw = await readJsonFile(path, "scan config");
  } catch (error) {
    throw vaultError(
      "INVALID_INPUT",
      "The scan config file is not valid JSON.",
      `Fix ${CONFIG_FILE}: {"ignorePaths": [...], "ignoreRules": [...]}.`,
      error,
    );
  }
  if (raw === undefined) {
    if (explicit) {
      throw vaultError("INVALID_INPUT", "The scan config file does not exist.", "Check --config.");
    }
    return { ignorePaths: [], ignoreRules: [] };
  }
  const parsed = parseConfig(raw);
  if (!parsed) {
    throw vaultError(
      "INVALID_INPUT",
      "The scan config file has unknown or malformed fields.",
      `Allowed: {"ignorePaths": ["glob", ...], "ignoreRules": ["rule-id", ...], "maxFileBytes": N}.`,
    );
  }
  return parsed;
}
