/**
 * Starts a command without a shell, with secrets in its environment: `vault run` and
 * `Vault.run`. Signals are forwarded, the exit code is passed back, stdio goes through
 * untouched unless masked. Nothing is written to disk.
 */
import { spawn } from "node:child_process";
import { promises as fs, constants as fsConstants } from "node:fs";
import { constants } from "node:os";
import { delimiter, resolve as resolvePath } from "node:path";
import type { Readable, Writable } from "node:stream";
import { vaultError } from "../errors.js";
import { checkExportEntries } from "../export/variable-names.js";
import { createRedactStream, type MaskPattern, maskPatterns } from "./mask.js";

/** Signals forwarded to the command. */
export const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Where signals to forward come from; `process` is one. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/**
 * The command's standard streams. `"inherit"` (the default) hands it this process's own (with
 * `mask`, its output still reaches this process's stdout and stderr, redacted); a stream is
 * piped (never ended by the run).
 */
export interface RunStdio {
  stdin?: "inherit" | "ignore" | Readable;
  stdout?: "inherit" | "ignore" | Writable;
  stderr?: "inherit" | "ignore" | Writable;
}

/** How to run a command: which secrets, and the command's environment and streams. */
export interface RunOptions {
  /** Only these secret names (each must exist). */
  only?: string[];
  /** Only secrets with this tag. */
  tag?: string;
  /** Added in front of each variable name. */
  prefix?: string;
  /**
   * Replace each secret value (raw, base64, base64url, hex, URL-encoded, JSON-escaped) in the
   * command's stdout and stderr with `[redacted:NAME]`.
   */
  mask?: boolean;
  /**
   * Variable names to pass although they change how programs load code (NODE_OPTIONS,
   * LD_PRELOAD, PATH, ...): refused by default, as in `vault env`.
   */
  allowNames?: string[];
  /** More values to mask with `mask`, each as `[redacted:NAME]` (e.g. resolved references). */
  maskAlso?: ReadonlyArray<{ name: string; value: string }>;
  /** Give the command only PATH and HOME (from `env`) and the secrets. */
  pristine?: boolean;
  /**
   * The environment the secrets are added to. Default: none (the library does not read
   * `process.env`); pass `process.env` to inherit it. Its PATH finds the command.
   */
  env?: Record<string, string | undefined>;
  /** The command's working folder (default: this process's). */
  cwd?: string;
  /** The command's standard streams (default: all `"inherit"`). */
  stdio?: RunStdio;
  /** Forward SIGINT, SIGTERM and SIGHUP received here to the command (e.g. `process`). */
  signals?: SignalSource;
}

/** A secret handed to the command: its name, variable name and value. */
export interface RunSecret {
  name: string;
  envName: string;
  value: string;
}

/** @throws TypeError naming the argument when `command` or `args` is not strings. */
export function checkCommand(command: unknown, args: unknown): void {
  if (typeof command !== "string" || command === "") {
    throw new TypeError('"command" expected a non-empty string');
  }
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === "string")) {
    throw new TypeError('"args" expected an array of strings');
  }
}

/** The command's environment: `base` (or only its PATH and HOME) plus the secrets. */
export function childEnvironment(
  base: Record<string, string | undefined>,
  secrets: readonly RunSecret[],
  pristine: boolean,
): Record<string, string> {
  // No prototype: a variable may be called __proto__.
  const env: Record<string, string> = Object.create(null);
  const keys = pristine ? ["PATH", "HOME"] : Object.keys(base);
  for (const key of keys) {
    const value = base[key];
    if (value !== undefined) env[key] = value;
  }
  for (const secret of secrets) env[secret.envName] = secret.value;
  return env;
}

/**
 * The typed error for a command that could not start. Neither the command nor its arguments
 * are quoted: a value may have been typed there.
 */
function startFailure(errno: string | undefined) {
  if (errno === "EACCES" || errno === "EPERM") {
    return vaultError(
      "COMMAND_NOT_EXECUTABLE",
      "The command to run is not executable (EACCES).",
      "Check the command's permissions, or name the interpreter first (vault run -- node script.js).",
    );
  }
  if (errno === "ENOENT") {
    return vaultError(
      "COMMAND_NOT_FOUND",
      "The command to run was not found (ENOENT).",
      "Check its name and $PATH (with --pristine, PATH is kept); there is no shell, so aliases and builtins do not work.",
    );
  }
  return vaultError(
    "INVALID_INPUT",
    `The command to run could not be started (${errno ?? "error"}).`,
    "Check the command and its arguments (no NUL characters; there is no shell).",
  );
}

/**
 * Fails as starting it would when `command` cannot start: not found (as a path, or in a folder
 * of `path`, the child's PATH, when it names no folder), or not executable. Lets `vault run`
 * say so, and audit that nothing was exported, while its vault is still open; the start itself
 * can still fail (the file may change in between) and is reported the same way.
 * @throws VaultError COMMAND_NOT_FOUND | COMMAND_NOT_EXECUTABLE
 */
export async function checkCommandStarts(
  command: string,
  path: string | undefined,
  cwd: string,
): Promise<void> {
  // Windows finds commands by PATHEXT too: left to the start itself there.
  if (process.platform === "win32") return;
  // As execvp searches: an empty PATH entry is the working folder, no PATH the default one.
  const candidates = command.includes("/")
    ? [resolvePath(cwd, command)]
    : (path ?? "/usr/bin:/bin").split(delimiter).map((dir) => resolvePath(cwd, dir, command));
  let errno = "ENOENT";
  for (const candidate of candidates) {
    try {
      const stat = await fs.stat(candidate);
      if (!stat.isFile()) continue;
      await fs.access(candidate, fsConstants.X_OK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EACCES") errno = "EACCES";
    }
  }
  throw startFailure(errno);
}

/** 128 + the signal's number, as shells report a command killed by a signal. */
function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Runs `command` with `args` (no shell) and `secrets` in its environment.
 * @returns the command's exit code, or 128 + n when signal n ended it.
 * @throws VaultError INVALID_INPUT (the command could not be started)
 */
export function runWithSecrets(
  command: string,
  args: readonly string[],
  secrets: readonly RunSecret[],
  options: RunOptions = {},
): Promise<number> {
  checkCommand(command, args);
  checkExportEntries(secrets, { allowNames: options.allowNames ?? [] });
  const env = childEnvironment(options.env ?? {}, secrets, options.pristine === true);
  const patterns =
    options.mask === true
      ? maskPatterns([
          ...secrets.map(({ name, value }) => ({ name, value })),
          ...(options.maskAlso ?? []),
        ])
      : [];
  const stdio = options.stdio ?? {};
  const stdin = stdio.stdin ?? "inherit";
  // "inherit" with a mask: this process's own stream, reached through the redactor.
  const outputs = [
    { target: stdio.stdout ?? "inherit", inherited: () => process.stdout },
    { target: stdio.stderr ?? "inherit", inherited: () => process.stderr },
  ].map(({ target, inherited }) => {
    if (target === "ignore") return { mode: "ignore" as const };
    if (target === "inherit" && patterns.length === 0) return { mode: "inherit" as const };
    return { mode: "pipe" as const, dest: target === "inherit" ? inherited() : target };
  });

  return new Promise<number>((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, [...args], {
        env,
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        stdio: [
          typeof stdin === "string" ? stdin : "pipe",
          outputs[0]?.mode ?? "inherit",
          outputs[1]?.mode ?? "inherit",
        ],
        shell: false,
        windowsHide: true,
      });
    } catch (error) {
      // Node's message quotes the bad argument or variable; keep only its code.
      reject(startFailure((error as NodeJS.ErrnoException).code));
      return;
    }

    const cleanups: Array<() => void> = [];
    const drained: Array<Promise<void>> = [];
    let started = false;

    child.once("spawn", () => {
      started = true;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (!started) {
        for (const cleanup of cleanups) cleanup();
        reject(startFailure(error.code));
      }
    });

    if (options.signals) {
      const source = options.signals;
      for (const signal of FORWARDED_SIGNALS) {
        const forward = () => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        };
        source.on(signal, forward);
        cleanups.push(() => source.off(signal, forward));
      }
    }

    if (typeof stdin !== "string" && child.stdin) {
      const childStdin = child.stdin;
      // The command may exit without reading its input: EPIPE there is not our failure.
      childStdin.on("error", () => {});
      stdin.pipe(childStdin);
      cleanups.push(() => stdin.unpipe(childStdin));
    }

    const sources = [child.stdout, child.stderr];
    outputs.forEach((output, index) => {
      const source = sources[index];
      if (output.mode !== "pipe" || !source || !output.dest) return;
      drained.push(pipeOutput(source, output.dest, patterns));
    });

    child.once("close", (code, signal) => {
      for (const cleanup of cleanups) cleanup();
      const exitCode = code ?? (signal ? signalExitCode(signal) : 1);
      Promise.all(drained).then(
        () => resolve(exitCode),
        () => resolve(exitCode),
      );
    });
  });
}

/**
 * Pipes the command's output to `dest` (redacted when there are patterns), without ending
 * `dest`. When `dest` fails (its reader went away), stops reading, so the command meets a
 * closed pipe as it would in a shell pipeline.
 */
function pipeOutput(
  source: Readable,
  dest: Writable,
  patterns: readonly MaskPattern[],
): Promise<void> {
  return new Promise((resolve) => {
    const last = patterns.length > 0 ? source.pipe(createRedactStream(patterns)) : source;
    const onError = () => {
      last.unpipe(dest);
      source.destroy();
      done();
    };
    const done = () => {
      dest.off("error", onError);
      resolve();
    };
    dest.on("error", onError);
    last.once("end", done);
    last.once("error", done);
    last.pipe(dest, { end: false });
  });
}
