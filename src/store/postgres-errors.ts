/**
 * What a PostgreSQL failure means to the user: a driver error (SQLSTATE or errno) turned into a
 * typed `VaultError` that names the database (without password), the role, what was being
 * done and for which agent, with a hint saying what to do next.
 *
 * It reads the driver's code, never passes its message on: a server message can quote rows
 * (ciphertext, audit lines) or the statement. A `VaultError` comes out as it went in.
 */
import { isVaultError, type VaultError, vaultError } from "../errors.js";

/** The error codes a store failure maps to (until errors.ts has codes of its own). */
export const STORE_ERROR_CODES = {
  unreachable: "IO_ERROR",
  auth: "KEY_UNAVAILABLE",
  denied: "KEY_UNAVAILABLE",
  schema: "VAULT_NOT_FOUND",
  busy: "BUSY",
  conflict: "CONFLICT",
  failed: "IO_ERROR",
} as const;

const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/** SQLSTATE (5 characters) or errno of a driver error; never its message. */
function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  const inner = (error as { errors?: unknown[] } | undefined)?.errors?.[0];
  const innerCode = (inner as { code?: unknown } | undefined)?.code;
  return typeof innerCode === "string" ? innerCode : undefined;
}

/** Which store a failure happened in, as messages may name it. */
export interface FailedStore {
  /** The store URL without its password (redactStoreUrl's form). */
  url: string;
  /** The login role of the store URL (empty: the driver's default). */
  role: string;
}

/**
 * A store failure as a typed error naming the database (without password) and the driver's
 * code, never its message (which can quote rows).
 */
export function storeFailure(
  store: FailedStore,
  error: unknown,
  what: string,
  agent?: string,
): VaultError {
  if (isVaultError(error)) return error;
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message : "";
  const role = store.role || "(default role)";
  const where = store.url;
  if (code && NETWORK_ERRORS.has(code)) {
    return vaultError(
      STORE_ERROR_CODES.unreachable,
      `Cannot reach the store ${where} to ${what} (${code}).`,
      "Check that PostgreSQL is running and that the host and port of the store URL (--store, $AGENT_VAULT_STORE or the home's config.json) are right.",
    );
  }
  if (!code && /timeout|terminated/i.test(message)) {
    return vaultError(
      STORE_ERROR_CODES.unreachable,
      `The store ${where} did not answer in time to ${what}.`,
      "Check the network and the server, then retry.",
    );
  }
  if (!code && /password must be a string/i.test(message)) {
    return vaultError(
      STORE_ERROR_CODES.auth,
      `The store ${where} asks role ${role} for a password and none was given.`,
      "Set PGPASSWORD from the agent's password file, or install it as ~/.pgpass (or PGPASSFILE).",
    );
  }
  if (code === "28P01" || code === "28000") {
    return vaultError(
      STORE_ERROR_CODES.auth,
      `The store ${where} refused to log in role ${role} (${code}): wrong password, or the role was removed or revoked.`,
      "Check the role's password file, or ask the store's admin (`vault db add-agent` makes a new one).",
    );
  }
  if (code === "3D000") {
    return vaultError(
      STORE_ERROR_CODES.schema,
      `The database of the store ${where} does not exist.`,
      "Create it (createdb), then run `vault db init --store URL` as its owner.",
    );
  }
  if (code === "3F000" || code === "42P01") {
    return vaultError(
      STORE_ERROR_CODES.schema,
      `The store ${where} has no agent-vault tables.`,
      "Run `vault db init --store URL` once, as the database owner.",
    );
  }
  if (code === "42501") {
    return vaultError(
      STORE_ERROR_CODES.denied,
      `Role ${role} may not ${what} in the store ${where}${agent ? ` for agent ${agent}` : ""} (permission denied or row-level security).`,
      "Each agent role reads and writes only its own agent's vault; connect as that agent's role, or ask the admin (`vault db add-agent`).",
    );
  }
  if (code === "55P03" || code === "57014" || code === "53300") {
    return vaultError(
      STORE_ERROR_CODES.busy,
      `The vault${agent ? ` of agent ${agent}` : ""} is busy in the store ${where} (${code}).`,
      "Another host holds it; retry, or raise --lock-timeout.",
    );
  }
  if (code === "40001" || code === "40P01") {
    return vaultError(
      STORE_ERROR_CODES.conflict,
      `A concurrent write to the store ${where} won (${code}); nothing was written.`,
      "Retry the command.",
    );
  }
  return vaultError(
    STORE_ERROR_CODES.failed,
    `The store ${where} failed to ${what} (${code ?? "no code"}).`,
    "Check the server's log and the role's rights, then retry.",
  );
}
