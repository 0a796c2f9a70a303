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
import { isVaultError, vaultError } from "../errors.js";
import {
  closedObject,
  integer,
  list,
  optional,
  placeOf,
  str,
  validate,
} from "../validation/schema.js";
import { readJsonFile } from "./files.js";

/** The name looked for in the working folder. */
export const CONFIG_FILE = ".vault-scan.json";

/** Bounds far above any real config (a path or glob is at most PATH_MAX long). */
const MAX_ENTRIES = 10_000;
const MAX_PATTERN_LENGTH = 4096;

/** The file's shape: every field optional, nothing else allowed. */
const scanConfigSchema = closedObject({
  ignorePaths: optional(list(str({ max: MAX_PATTERN_LENGTH, pattern: /./ }), 0, MAX_ENTRIES)),
  ignoreRules: optional(list(str({ max: 256, pattern: /^[a-z0-9-]+$/ }), 0, MAX_ENTRIES)),
  maxFileBytes: optional(integer(1, Number.MAX_SAFE_INTEGER)),
});

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

/**
 * The most `**` one ignore pattern may hold. The matcher tries each `**` against every split of
 * a path, so its worst case is the path's length to the power of their number: a committed
 * pattern of nine `**` took seconds on one path 32 folders deep. Two cover what gitignore
 * patterns say (`**​/logs/**`, `a/**​/b`); a pattern with more is refused in a scan
 * config and left out of a `.gitignore` (its files are then scanned, not skipped).
 */
export const MAX_GLOBSTARS = 2;

/** Whether `pattern` holds more `**` than {@link MAX_GLOBSTARS}. */
export function hasTooManyGlobstars(pattern: string): boolean {
  let count = 0;
  for (let at = pattern.indexOf("**"); at >= 0; at = pattern.indexOf("**", at + 2)) {
    if (++count > MAX_GLOBSTARS) return true;
  }
  return false;
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
    raw = await readJsonFile(path, "scan config file");
  } catch (error) {
    if (isVaultError(error) && error.code !== "CORRUPT") throw error;
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
  const {
    ignorePaths = [],
    ignoreRules = [],
    maxFileBytes,
  } = validate(scanConfigSchema, raw, (mismatch) =>
    vaultError(
      "INVALID_INPUT",
      `The scan config file has unknown or malformed fields (first at ${placeOf(mismatch)}).`,
      `Allowed: {"ignorePaths": ["glob", ...], "ignoreRules": ["rule-id", ...], "maxFileBytes": N}.`,
    ),
  );
  const costly = ignorePaths.findIndex(hasTooManyGlobstars);
  if (costly >= 0) {
    throw vaultError(
      "INVALID_INPUT",
      `The scan config's ignorePaths entry ${costly + 1} has more than ${MAX_GLOBSTARS} "**".`,
      "Write it with at most two (for example **/name/** or dir/**/name).",
    );
  }
  return { ignorePaths, ignoreRules, ...(maxFileBytes === undefined ? {} : { maxFileBytes }) };
}
