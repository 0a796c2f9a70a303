/**
 * The home's config file, `<home>/config.json`: which store a host's vaults live in, so a host
 * set up once for the shared PostgreSQL store needs no `--store` on every command.
 *
 *   { "store": "postgres://agent_main@db.internal:5432/vaults", "passfile": "pgpass" }
 *
 * - `store`: `"file"` (the default) or a postgres:// URL. A URL that carries a password makes
 *   the file private: it must be 0600 and the user's own, or it is refused.
 * - `passfile`: a `.pgpass`-format file for the role's password (relative to the home).
 *
 * `--store` and `$AGENT_VAULT_STORE` come before this file; the library uses it when
 * `openVault` is given a home and no store.
 */
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { vaultError } from "../errors.js";
import { privacyProblem } from "../fs/private-entry.js";
import {
  closedObject,
  optional,
  type SchemaMismatch,
  str,
  validate,
} from "../validation/schema.js";
import { isStoreName } from "./store-choice.js";

/** The config file's name inside the home. */
export const HOME_CONFIG_FILE = "config.json";

/** What `<home>/config.json` may say. */
export interface HomeConfig {
  /** `"file"` or a postgres:// URL. */
  store?: string;
  /** A `.pgpass`-format file (absolute, or relative to the home). */
  passfile?: string;
}

/** Longer than any path or URL a system accepts (PATH_MAX is 4096). */
const MAX_FIELD_LENGTH = 4096;

const HOME_CONFIG_SHAPE = {
  passfile: optional(str({ min: 1, max: MAX_FIELD_LENGTH })),
  store: optional(str({ max: MAX_FIELD_LENGTH, pattern: { test: isStoreName } })),
};
const homeConfigSchema = closedObject(HOME_CONFIG_SHAPE);

/** Why the config does not fit, as the error says it (a key named only when it looks like one). */
function mismatchReason(config: unknown, mismatch: SchemaMismatch): string {
  if (mismatch.path === "store") return '"store" is "file" or a postgres:// URL';
  if (mismatch.path === "passfile") return '"passfile" is a path';
  if (mismatch.reason === "unknown key") {
    const key = Object.keys(config as object).find(
      (name) => !Object.hasOwn(HOME_CONFIG_SHAPE, name),
    );
    // A value pasted as a key is not echoed.
    return key !== undefined && /^[A-Za-z_]{1,32}$/.test(key)
      ? `unknown key "${key}"`
      : "an unknown key";
  }
  return "it is not a JSON object";
}

function invalid(path: string, why: string) {
  return vaultError(
    "INVALID_INPUT",
    `The config file ${path} is not valid: ${why}.`,
    'It holds JSON like {"store": "postgres://ROLE@HOST:5432/DATABASE"}; fix it or remove it.',
  );
}

/** Whether a store URL carries a password (in its user part or a `password=` parameter). */
function urlHasPassword(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.password !== "" || parsed.searchParams.has("password");
  } catch {
    return false;
  }
}

/**
 * Reads `<home>/config.json`; `undefined` when there is none. Nothing in the file is ever
 * echoed (a URL may hold a password).
 * @throws VaultError INVALID_INPUT (not the expected JSON) | INSECURE_PERMISSIONS | IO_ERROR
 */
export function readHomeConfig(home: string): HomeConfig | undefined {
  const path = join(home, HOME_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw vaultError(
      "IO_ERROR",
      `Cannot read ${path} (${code ?? "error"}).`,
      "Check the file's permissions.",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(path, "it is not JSON");
  }
  const { store, passfile } = validate(homeConfigSchema, parsed, (mismatch) =>
    invalid(path, mismatchReason(parsed, mismatch)),
  );
  if (store !== undefined && urlHasPassword(store)) checkPrivate(path);
  return {
    ...(store === undefined ? {} : { store }),
    ...(passfile === undefined ? {} : { passfile: resolve(home, passfile) }),
  };
}

/** A config file holding a password must be the user's own and 0600, like a `.pgpass`. */
function checkPrivate(path: string): void {
  if (privacyProblem(statSync(path)) !== undefined) {
    throw vaultError(
      "INSECURE_PERMISSIONS",
      `Refusing ${path}: its store URL holds a password and other users can read the file.`,
      `Run: chmod 600 ${path} (or move the password to a .pgpass file named by "passfile").`,
    );
  }
}
