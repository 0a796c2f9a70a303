/**
 * What chooses a store, without loading one: the names `--store` takes, where a PostgreSQL
 * password comes from, and the choice the CLI passes to selectStore (select-store.ts).
 */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { vaultError } from "../errors.js";
import { isPostgresUrl } from "./postgres-url.js";

/** Whether `name` selects a store: `file` or a postgres:// URL. */
export function isStoreName(name: string): boolean {
  return name === "file" || isPostgresUrl(name);
}

/** `name` when it selects a store (`--store`, `$AGENT_VAULT_STORE`). @throws VaultError USAGE */
export function checkStoreName(name: string): string {
  if (!isStoreName(name)) {
    throw vaultError(
      "USAGE",
      "Unknown store: --store takes `file` or a postgres:// URL.",
      "e.g. --store postgres://ROLE@HOST:5432/DATABASE (password in ~/.pgpass or PGPASSWORD).",
    );
  }
  return name;
}

/** Where the password of a PostgreSQL store comes from when its URL has none. */
export interface PasswordSources {
  /** `$PGPASSWORD`. */
  password?: string | undefined;
  /** A `.pgpass`-format file. */
  passfile?: string | undefined;
}

/** What selects a store besides the home's config file (the CLI fills it from its flags and environment). */
export interface StoreChoice {
  /** `file` or a postgres:// URL (`--store`, `$AGENT_VAULT_STORE`): comes before the config file. */
  store?: string | undefined;
  /** A PostgreSQL password not in the URL (`$PGPASSWORD`). */
  password?: string | undefined;
  /** The `.pgpass` file when the config file names none (default `~/.pgpass`). */
  passfile?: string | undefined;
  lockTimeoutMs?: number | undefined;
}

/** `$PGPASSFILE` (against `cwd`), else `$HOME/.pgpass` (else the OS home's). */
export function defaultPassfile(
  env: Record<string, string | undefined>,
  cwd: string,
): string | undefined {
  if (env.PGPASSFILE)
    return isAbsolute(env.PGPASSFILE) ? env.PGPASSFILE : resolve(cwd, env.PGPASSFILE);
  const home = env.HOME ?? safeHomedir();
  return home ? join(home, ".pgpass") : undefined;
}

/** The OS home folder, if there is one. */
export function safeHomedir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}
