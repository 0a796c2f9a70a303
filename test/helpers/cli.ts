/**
 * Test helpers: temp homes, the CLI run in-process through `run(argv, io)`, and the built bin
 * spawned as a user would run it.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import type { RunStdio, SignalSource } from "../../src/run/spawn.js";
import { prepareCliHome, removeTempDir, watchForVaultFiles } from "./test-store.js";

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, "../..");
/** The built CLI (npm test builds it first). */
export const BIN = join(ROOT, "dist/cli/bin.js");

/** A fresh temp folder under $TMPDIR; removed by `cleanup()`. */
export function tempDir(prefix = "agent-vault-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  watchForVaultFiles(path);
  return { path, cleanup: () => removeTempDir(path) };
}

/** What one CLI run produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Environment (HOME and AGENT_VAULT_HOME are not inherited from the real process). */
  env?: Record<string, string | undefined>;
  /** Bytes on stdin (stdin is not a TTY). */
  stdin?: string | Buffer;
  /** Answers to hidden prompts; given, stdin counts as a TTY. */
  prompts?: string[];
  /** Standard error is a terminal: progress lines are shown. */
  stderrIsTTY?: boolean;
  cwd?: string;
  now?: () => Date;
  /** Signals for `vault run` to forward (e.g. an EventEmitter the test emits "SIGTERM" on). */
  signals?: SignalSource;
  /** Streams for a command `vault run` starts (default: `stdin`, and output captured as text). */
  childStdio?: RunStdio;
}

/**
 * An io for running a command in-process with no terminal and empty stdin, and what it wrote.
 * Unlike `runCli`, it prepares no home for the run's store.
 */
export function capturingIo(settings: { env: Record<string, string>; cwd: string }): {
  io: CliIo;
  output: () => { stdout: string; stderr: string };
} {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => Buffer.alloc(0),
    isTTY: false,
    promptHidden: async () => {
      throw new Error("no terminal");
    },
    env: settings.env,
    cwd: settings.cwd,
    now: () => new Date(),
  };
  return { io, output: () => ({ stdout, stderr }) };
}

/** Runs the CLI in-process and captures its output. */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  prepareCliHome(argv, options.env ?? {}, options.cwd ?? process.cwd());
  let stdout = "";
  let stderr = "";
  const prompts = [...(options.prompts ?? [])];
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => Buffer.from(options.stdin ?? ""),
    isTTY: options.prompts !== undefined,
    ...(options.stderrIsTTY ? { stderrIsTTY: true } : {}),
    promptHidden: async () => {
      const answer = prompts.shift();
      if (answer === undefined) throw new Error("no more prompt answers");
      return answer;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => new Date()),
    ...(options.signals ? { signals: options.signals } : {}),
    ...(options.childStdio ? { childStdio: options.childStdio } : {}),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/**
 * Spawns the built bin with `argv`, a clean environment plus `env`, and `stdin`; `nodeArgs` go
 * to node before the bin (e.g. `--import` a preload).
 */
export function spawnCli(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string; nodeArgs?: string[] } = {},
): Promise<CliResult> {
  prepareCliHome(argv, options.env ?? {}, options.cwd ?? ROOT);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...argv], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...options.env },
      cwd: options.cwd ?? ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/**
 * Starts the built bin with `argv` and a clean environment plus `env`, and returns the running
 * process with its stdio piped (for tests that stream, send signals or need raw bytes).
 * `nodeArgs` go to node before the bin (e.g. `--import` a preload).
 */
export function startCli(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; nodeArgs?: string[] } = {},
): ChildProcessWithoutNullStreams {
  prepareCliHome(argv, options.env ?? {}, options.cwd ?? ROOT);
  return spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...argv], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...options.env },
    cwd: options.cwd ?? ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/**
 * Runs a fixture script with `args` and kills it with SIGKILL `killAfterMs` after it prints a
 * line starting with `after` ("ready" unless told: the fixture has loaded and opened the vault);
 * resolves with the lines it printed once it has exited. Timing the kill from a line the fixture
 * printed, not from the spawn, lands it at the same point of the work on a loaded machine.
 */
export function runThenKill(
  script: string,
  args: string[],
  killAfterMs: number,
  after = "ready",
): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    let armed = false;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const lines = output.split("\n").slice(0, -1);
      if (!armed && lines.some((line) => line.startsWith(after))) {
        armed = true;
        setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      }
    });
    child.on("error", reject);
    child.on("close", () => resolvePromise(output.split("\n").filter(Boolean)));
  });
}
