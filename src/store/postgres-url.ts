/**
 * The store URL (`postgres://ROLE@HOST:PORT/DATABASE`): recognising it, reading its parts, and
 * the form of it that may be shown.
 *
 * A store URL may hold a password: nothing here ever puts the URL as given, or a part that
 * did not parse, in an error or a return value meant for messages; messages and logs get
 * {@link redactStoreUrl}'s form.
 */
import { vaultError } from "../errors.js";

/** Whether `url` names a PostgreSQL store (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The parts of a store URL that may be shown. */
export interface StoreUrlParts {
  user: string;
  host: string;
  port: string;
  database: string;
  password: string | undefined;
}

/**
 * Parses a store URL without ever echoing it (it may hold a password).
 * @throws VaultError USAGE
 */
export function parseStoreUrl(url: string): StoreUrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined as unknown as URL;
  }
  if (!parsed || !isPostgresUrl(url)) {
    throw vaultError(
      "USAGE",
      "The store URL is not a valid postgres:// URL.",
      "Use --store postgres://ROLE@HOST:PORT/DATABASE (no password: use PGPASSWORD or a .pgpass file).",
    );
  }
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const queryPassword = parsed.searchParams.get("password") ?? undefined;
  return {
    user: decode(parsed.username),
    host: parsed.hostname || "localhost",
    port: parsed.port || "5432",
    database: decode(parsed.pathname.replace(/^\//, "")) || decode(parsed.username),
    password: parsed.password ? decode(parsed.password) : queryPassword,
  };
}

/**
 * The store URL with any password replaced by `***` (and query parameters dropped), for
 * messages and logs.
 */
export function redactStoreUrl(url: string): string {
  try {
    const parts = parseStoreUrl(url);
    const user = parts.user
      ? `${encodeURIComponent(parts.user)}${parts.password ? ":***" : ""}@`
      : "";
    return `postgres://${user}${parts.host}:${parts.port}/${encodeURIComponent(parts.database)}`;
  } catch {
    return "postgres://(invalid URL)";
  }
}
