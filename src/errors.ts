/**
 * One error type for every failure a user can meet. Each code maps to one exit code
 * (product.md, "Exit codes") and carries a one-line hint saying what to do next.
 *
 * Messages name things by identifier (agent, secret name, file), never by value.
 */

/** Every error code agent-vault raises, grouped by exit code. */
export const ERROR_EXIT_CODES = {
  // 1: ran, and the answer is "no"
  AUDIT_CHAIN_BROKEN: 1,
  // 2: usage error or invalid input
  USAGE: 2,
  INVALID_NAME: 2,
  INVALID_AGENT: 2,
  INVALID_VALUE: 2,
  INVALID_INPUT: 2,
  VALUE_IN_ARGV: 2,
  ALREADY_EXISTS: 2,
  // 3: not found
  VAULT_NOT_FOUND: 3,
  SECRET_NOT_FOUND: 3,
  VERSION_NOT_FOUND: 3,
  KEY_SLOT_NOT_FOUND: 3,
  AGENT_NOT_FOUND: 3,
  // 4: key unavailable or wrong
  KEY_UNAVAILABLE: 4,
  WRONG_KEY: 4,
  NO_KEY_SOURCE: 4,
  KEYCHAIN_NO_DBUS: 4,
  KEYCHAIN_NO_SERVICE: 4,
  KEYCHAIN_LOCKED: 4,
  KEYCHAIN_DENIED: 4,
  KEYCHAIN_TIMEOUT: 4,
  KEYCHAIN_NOT_INSTALLED: 4,
  KEY_FILE_INSECURE: 4,
  // 5: integrity failure
  TAMPERED: 5,
  CORRUPT: 5,
  WRONG_AGENT: 5,
  UNSUPPORTED_FORMAT: 5,
  INSECURE_PERMISSIONS: 5,
  // 6: busy
  BUSY: 6,
  CONFLICT: 6,
  // 126 / 127: `vault run` could not start the command (the shells' convention)
  COMMAND_NOT_EXECUTABLE: 126,
  COMMAND_NOT_FOUND: 127,
  // 70: a bug in agent-vault (sysexits EX_SOFTWARE); reported without details that could hold input
  INTERNAL: 70,
  // 74: the operating system refused (disk full, I/O error, read-only) (sysexits EX_IOERR)
  IO_ERROR: 74,
} as const;

/** A stable, machine-readable error code (public API). */
export type VaultErrorCode = keyof typeof ERROR_EXIT_CODES;

/** Process exit code a {@link VaultErrorCode} maps to. */
export type ExitCode = (typeof ERROR_EXIT_CODES)[VaultErrorCode];

/** The one error class of agent-vault. Never carries a secret value in any field. */
export class VaultError extends Error {
  override readonly name = "VaultError";
  /** Stable machine-readable code. */
  readonly code: VaultErrorCode;
  /** One line saying what to do next. */
  readonly hint: string;
  /** Process exit code for the CLI. */
  readonly exitCode: ExitCode;

  constructor(code: VaultErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = hint;
    this.exitCode = ERROR_EXIT_CODES[code];
  }

  /** The `--json` error shape. */
  toJSON(): { code: VaultErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/**
 * Builds a {@link VaultError}. The single helper every module uses.
 * `cause` must itself be free of secret values (e.g. an errno error about a path).
 */
export function vaultError(
  code: VaultErrorCode,
  message: string,
  hint: string,
  cause?: unknown,
): VaultError {
  return new VaultError(code, message, hint, { cause });
}

/** True for a {@link VaultError}, optionally of one of the given codes. */
export function isVaultError(error: unknown, ...codes: VaultErrorCode[]): error is VaultError {
  return error instanceof VaultError && (codes.length === 0 || codes.includes(error.code));
}

/**
 * Turns an operating-system error (errno) about `what` into a VaultError that names the path
 * and the errno code only.
 */
export function ioError(error: unknown, what: string): VaultError {
  if (error instanceof VaultError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? "EIO";
  const hints: Record<string, string> = {
    ENOSPC: "Free disk space and retry; the vault was left as it was.",
    EDQUOT: "Free disk quota and retry; the vault was left as it was.",
    EACCES: "Check the owner and permissions of the agent-vault home (run `vault doctor`).",
    EPERM: "Check the owner and permissions of the agent-vault home (run `vault doctor`).",
    EROFS: "The file system is read-only; point --home at a writable folder.",
  };
  return vaultError(
    "IO_ERROR",
    `Could not ${what}: ${errno}`,
    hints[errno] ?? "Check the disk and the agent-vault home, then retry.",
  );
}
