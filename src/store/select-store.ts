/**
 * The one place a store is chosen and made, for the library and the CLI alike (the choice's
 * inputs and the home's config file are home-config.ts; this module loads the stores, so a
 * command that opens none does not load it).
 */
import { join } from "node:path";
import { FileStore } from "./file-store.js";
import { readHomeConfig } from "./home-config.js";
import { PostgresStore } from "./postgres-store.js";
import type { VaultStore } from "./store.js";
import {
  checkStoreName,
  type PasswordSources,
  type StoreChoice,
  safeHomedir,
} from "./store-choice.js";

/**
 * The one place a store is chosen, for the library and the CLI alike: the store `choice` names,
 * else the one `<home>/config.json` names, else the file store under the home. A PostgreSQL
 * password not in the URL comes from `choice.password`, else the config's `passfile`, else
 * `choice.passfile`, else `~/.pgpass` (the library reads no environment variable; the CLI
 * passes `$PGPASSWORD` and `$PGPASSFILE`).
 * @throws VaultError USAGE (an unknown store) | INVALID_INPUT | INSECURE_PERMISSIONS (config file)
 */
export function selectStore(home: string, choice: StoreChoice = {}): VaultStore {
  if (choice.store !== undefined) checkStoreName(choice.store);
  const config = choice.store === undefined ? readHomeConfig(home) : undefined;
  const url = choice.store ?? config?.store;
  const lock = choice.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: choice.lockTimeoutMs };
  if (url && url !== "file") {
    const userHome = safeHomedir();
    const passfile =
      config?.passfile ?? choice.passfile ?? (userHome ? join(userHome, ".pgpass") : undefined);
    return postgresStore(url, { password: choice.password, passfile }, lock);
  }
  return new FileStore({ home, ...lock });
}

/** A PostgreSQL store for `url` with its password sources. @throws VaultError USAGE */
export function postgresStore(
  url: string,
  sources: PasswordSources,
  options: { lockTimeoutMs?: number } = {},
): PostgresStore {
  return new PostgresStore(url, {
    ...(sources.password ? { password: sources.password } : {}),
    ...(sources.passfile ? { passfile: sources.passfile } : {}),
    ...options,
  });
}
