/**
 * How a failed command line is reported, with or without commander: one line saying what
 * failed and one saying what to do next; with `--json`, `{"error": {code, message, hint}}` on
 * stdout. An unexpected failure is shown by its type only: its message could quote input.
 */
import { isVaultError, type VaultError, vaultError } from "../errors.js";
import type { CliIo } from "./io.js";

/** Prints a vault error as the CLI does. */
export function reportError(io: CliIo, json: boolean, error: VaultError): void {
  if (json) {
    io.stdout(`${JSON.stringify({ error: error.toJSON() })}\n`);
  } else {
    io.stderr(`vault: ${error.message}\n  ${error.hint}\n`);
  }
}

/** Reports a command's failure (a vault error, or a bug shown by type) and returns its exit code. */
export function reportFailure(io: CliIo, json: boolean, error: unknown): number {
  if (isVaultError(error)) {
    reportError(io, json, error);
    return error.exitCode;
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  reportError(
    io,
    json,
    vaultError(
      "INTERNAL",
      `Internal error (${name}${typeof errno === "string" ? ` ${errno}` : ""}).`,
      "This is a bug in agent-vault; please report the command you ran (not its values).",
    ),
  );
  return 70;
}
