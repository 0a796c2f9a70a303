/**
 * What the CLI needs from its process, passed in so tests can run `run(argv, io)` in-process.
 */
import type { RunStdio, SignalSource } from "../run/spawn.js";
import type { Vault } from "../vault.js";
import type { RunPlan } from "./commands/run-launch.js";
import type { CommandContext } from "./context.js";

/** The CLI's window on the world. */
export interface CliIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /**
   * Reads standard input: all of it, or with `limit` at most `limit` + 1 bytes, then stops
   * reading (so input that never ends, or is far too large, is refused after `limit` + 1
   * bytes, not held in memory). The caller refuses more than `limit`.
   */
  readStdin(limit?: number): Promise<Buffer>;
  /** True when standard input is a terminal (prompts are possible). */
  isTTY: boolean;
  /** True when standard error is a terminal (progress lines are shown). */
  stderrIsTTY?: boolean;
  /** Asks a question on the terminal without echoing the answer. */
  promptHidden(question: string): Promise<string>;
  /** The environment. */
  env: Record<string, string | undefined>;
  /** The working folder (relative paths resolve against it). */
  cwd: string;
  /** Clock. */
  now(): Date;
  /**
   * The standard streams a command started by `vault run` gets. Absent: its stdin is
   * `readStdin()` and its output goes through `stdout()` and `stderr()` (decoded as UTF-8).
   */
  childStdio?: RunStdio;
  /** Signals to forward to a command started by `vault run` (the real CLI: `process`). */
  signals?: SignalSource;
  /**
   * Set only inside a running `vault agent`: opens the context's vault with the keys the agent
   * holds (throws, and the agent declines the request, when it cannot serve that vault).
   */
  heldVault?: (ctx: CommandContext) => Promise<Vault>;
  /** Set only inside a running `vault agent`: takes `vault run`'s plan; the client starts it. */
  launchRun?: (plan: RunPlan) => Promise<number>;
}

/** A no-echo prompt on the controlling terminal of this process. */
export function promptHiddenOnTty(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    if (!stdin.isTTY) {
      reject(new Error("no terminal"));
      return;
    }
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let answer = "";
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new Error("interrupted"));
        if (char === "\u007f" || char === "\b") answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** The real process's io. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    async readStdin(limit?: number) {
      const chunks: Buffer[] = [];
      let total = 0;
      // Leaving the loop destroys the stream: nothing more is read, the writer gets EPIPE.
      for await (const chunk of process.stdin) {
        chunks.push(chunk as Buffer);
        total += (chunk as Buffer).length;
        if (limit !== undefined && total > limit) break;
      }
      const bytes = Buffer.concat(chunks);
      return limit === undefined ? bytes : bytes.subarray(0, limit + 1);
    },
    isTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    promptHidden: promptHiddenOnTty,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    childStdio: { stdin: "inherit", stdout: "inherit", stderr: "inherit" },
    signals: process,
  };
}
