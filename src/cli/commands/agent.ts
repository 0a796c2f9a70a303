/**
 * `vault agent start|status|lock|stop`: an opt-in process that unlocks an agent's vault once
 * and answers `vault get`, `env`, `run` and `openclaw resolve` from memory (agent-server.ts).
 * `start` runs the agent as a detached process and returns once it is ready (or with the error
 * that kept it from unlocking); a passphrase prompt is asked here and passed to it over a pipe.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { ERROR_EXIT_CODES, isVaultError, type VaultErrorCode, vaultError } from "../../errors.js";
import { askAgent } from "../agent-client.js";
import { refuseRunningAgent, waitUntilGone } from "../agent-files.js";
import { AgentServer, type AgentTimes } from "../agent-server.js";
import { type CommandSpec, emit } from "../command.js";
import { type CommandContext, promptOrFail } from "../context.js";

/** Set in the environment of the process `vault agent start` starts: it is the agent. */
const CONTROL_VARIABLE = "AGENT_VAULT_AGENT_CONTROL";
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The longest TTL or idle time (a timer's limit is about 24.8 days). */
const MAX_DURATION_MS = 24 * 86_400_000;

/** `90s`, `30m`, `8h`, `1d` (a bare number is seconds). @throws VaultError USAGE */
export function parseDuration(text: unknown, flag: string, allowZero: boolean): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(String(text));
  const ms = match ? Number(match[1]) * (UNITS[match[2] || "s"] as number) : Number.NaN;
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS || (ms === 0 && !allowZero)) {
    throw vaultError(
      "USAGE",
      `${flag} takes a duration such as 90s, 30m, 8h or 1d (at most 24d${allowZero ? "; 0: never" : ""}).`,
      `e.g. ${flag} ${allowZero ? "30m" : "8h"}`,
    );
  }
  return ms;
}

/** 5400 s → `1h30m`. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let left = Math.max(0, Math.round(seconds));
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
  ] as const) {
    if (left >= size) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
  }
  if (left > 0 || parts.length === 0) parts.push(`${left}s`);
  return parts.join("");
}

function checkSupported(ctx: CommandContext): void {
  if (process.platform === "win32") {
    throw vaultError(
      "USAGE",
      "vault agent is not supported on Windows.",
      "Run the commands directly; each call unlocks the vault.",
    );
  }
  if (ctx.store.kind !== "file") {
    throw vaultError(
      "USAGE",
      "vault agent serves vaults in the file store only.",
      "Run the commands directly on a database store.",
    );
  }
}

/** The agent process itself: unlock, listen, tell the starting process, then serve. */
async function serve(ctx: CommandContext, times: AgentTimes): Promise<number> {
  const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
  process.stdout.on("error", () => undefined);
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const askStarter = async (question: string) => {
    send({ prompt: question });
    const line = await lines.next();
    const answer = line.done ? undefined : (JSON.parse(line.value) as { answer?: unknown }).answer;
    if (typeof answer !== "string") throw new Error("no answer");
    return answer;
  };
  // The key variables come over the pipe, not in this long-lived process's environment.
  const first = await lines.next();
  let keys: Record<string, string> = {};
  try {
    keys = first.done ? {} : (JSON.parse(first.value) as { keys: Record<string, string> }).keys;
  } catch {
    // none given
  }
  const io = { ...ctx.io, env: { ...ctx.io.env, ...keys } };
  const prompting = ctx.io.env[CONTROL_VARIABLE] === "prompt";
  const served: CommandContext = {
    ...ctx,
    io,
    ...(prompting
      ? { vaultOptions: { ...ctx.vaultOptions, prompt: (q) => promptOrFailVia(askStarter, q) } }
      : {}),
  };
  const server = new AgentServer(ctx.home, ctx.agent, times);
  try {
    await server.start(served, { ready: (pid) => send({ ready: { pid } }) });
  } catch (error) {
    const failure = isVaultError(error)
      ? error.toJSON()
      : { code: "INTERNAL", message: "The agent failed to start.", hint: "Report this bug." };
    send({ error: failure });
    return isVaultError(error) ? error.exitCode : 70;
  }
  process.stdin.destroy();
  process.chdir("/");
  // Serves until stopped, the TTL ends or a signal comes (each exits the process).
  return new Promise<number>(() => undefined);
}

/** The prompt's failure as the CLI reports it (NO_KEY_SOURCE). */
async function promptOrFailVia(ask: (q: string) => Promise<string>, question: string) {
  try {
    return await ask(question);
  } catch {
    throw vaultError(
      "NO_KEY_SOURCE",
      "The prompt was interrupted or there is no terminal to ask on.",
      "Run it again on a terminal, or use --passphrase-file / --key-file / $AGENT_VAULT_KEY.",
    );
  }
}

/** Starts the agent process and waits until it is ready or has failed; its pid. */
async function startDetached(ctx: CommandContext): Promise<number> {
  const script = process.argv[1] as string;
  const { AGENT_VAULT_KEY, AGENT_VAULT_PASSPHRASE, ...others } = ctx.io.env;
  const passedKeys = { AGENT_VAULT_KEY, AGENT_VAULT_PASSPHRASE };
  // No core dumps of a process that holds the key (a core file would put it on disk): the
  // agent starts under `ulimit -c 0` where a POSIX shell is there to set it.
  const argv = [script, ...process.argv.slice(2)];
  const [file, args] =
    process.platform !== "win32" && existsSync("/bin/sh")
      ? ["/bin/sh", ["-c", 'ulimit -c 0 && exec "$0" "$@"', process.execPath, ...argv]]
      : [process.execPath, argv];
  const child = spawn(file, args, {
    detached: true,
    stdio: ["pipe", "pipe", "ignore"],
    cwd: ctx.io.cwd,
    env: { ...others, [CONTROL_VARIABLE]: ctx.io.isTTY ? "prompt" : "quiet" },
  });
  child.stdin.on("error", () => undefined);
  child.stdin.write(`${JSON.stringify({ keys: passedKeys })}\n`);
  const exited = new Promise<never>((_, reject) => {
    // An exit is seen as the end of its output (after any error line it wrote).
    child.once("error", () => reject(notReady()));
  });
  exited.catch(() => undefined);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  try {
    for (;;) {
      const line = await Promise.race([lines.next(), exited]);
      if (line.done) throw notReady();
      const message = parseControl(line.value);
      if ("ready" in message) return message.ready;
      if ("error" in message) throw message.error;
      const answer = await promptOrFail(ctx.io, message.prompt);
      child.stdin.write(`${JSON.stringify({ answer })}\n`);
    }
  } catch (error) {
    if (child.exitCode === null) child.kill();
    throw error;
  } finally {
    child.stdin.destroy();
    child.stdout.destroy();
    child.unref();
  }
}

function notReady() {
  return vaultError(
    "INTERNAL",
    "The agent process ended before it was ready.",
    "Run the command again; if it fails again, report it.",
  );
}

/** One line from the agent process before it is ready. */
function parseControl(line: string): { ready: number } | { error: Error } | { prompt: string } {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { error: notReady() };
  }
  const ready = value.ready as { pid?: unknown } | undefined;
  if (ready && typeof ready.pid === "number") return { ready: ready.pid };
  if (typeof value.prompt === "string") return { prompt: value.prompt };
  const error = value.error as { code?: unknown; message?: unknown; hint?: unknown } | undefined;
  if (
    error &&
    typeof error.code === "string" &&
    error.code in ERROR_EXIT_CODES &&
    typeof error.message === "string" &&
    typeof error.hint === "string"
  ) {
    return { error: vaultError(error.code as VaultErrorCode, error.message, error.hint) };
  }
  return { error: notReady() };
}

const HELP = `
The agent unlocks the vault once (keychain, key file or passphrase: one Argon2id) and keeps
the key in memory only. While it runs, vault get, env, run and openclaw resolve for this
agent and home are answered by it, with the same output, errors and exit codes, and audit
records that say via "agent". A call that names a key source (--passphrase-file, --key-file,
--key-dir, $AGENT_VAULT_KEY, ...) or sets $AGENT_VAULT_NO_AGENT opens the vault itself.
The key is wiped on vault agent lock or stop, after --idle without a request, at the end of
--ttl (the agent then exits), and as soon as the vault file no longer opens with it (a new
data key, another vault, the key slot removed). Each request reads the vault file again.
The socket is in <home>/run/ (0700), with a token file (0600) every request must carry.
Not supported on Windows, nor on a database store.

Examples:
  vault agent start --ttl 8h --idle 30m
  vault agent status --json
  vault agent stop
`;

const start: CommandSpec = {
  name: "agent start",
  summary: "unlock the vault once and answer get, env, run and openclaw resolve from memory",
  options: [
    ["--ttl <duration>", "how long the agent holds the key, e.g. 90m, 8h, 1d (default 8h)"],
    ["--idle <duration>", "wipe the key after this long without a request (default 0: never)"],
  ],
  globals: ["json", "agent", "home", "passphrase-file", "key-file", "key-dir"],
  help: HELP,
  async run(ctx, _args, options) {
    checkSupported(ctx);
    const times: AgentTimes = {
      ttlMs: options.ttl === undefined ? 8 * 3_600_000 : parseDuration(options.ttl, "--ttl", false),
      idleMs: options.idle === undefined ? 0 : parseDuration(options.idle, "--idle", true),
    };
    if (ctx.io.env[CONTROL_VARIABLE]) return serve(ctx, times);
    // Before any prompt: an agent already running is an error, a locked one is replaced.
    await refuseRunningAgent(ctx.home, ctx.agent);
    const pid = await startDetached(ctx);
    const ttlSeconds = times.ttlMs / 1000;
    const idleSeconds = times.idleMs / 1000;
    emit(
      ctx,
      { agent: ctx.agent, running: true, pid, ttlSeconds, ...(idleSeconds ? { idleSeconds } : {}) },
      `Agent ${ctx.agent}: running (pid ${pid}), holding the key for ${formatDuration(ttlSeconds)}${idleSeconds ? ` or until ${formatDuration(idleSeconds)} without a request` : ""}. Stop it with: vault agent stop`,
    );
    return 0;
  },
};

/** Says no agent runs for this agent id; returns `code`. */
function noAgent(ctx: CommandContext, code: number, json: Record<string, unknown>): number {
  emit(ctx, { agent: ctx.agent, ...json }, `Agent ${ctx.agent}: no agent running.`);
  return code;
}

const status: CommandSpec = {
  name: "agent status",
  summary: "whether an agent runs for this agent id, its pid and the time it has left",
  globals: ["json", "agent", "home"],
  help: "\nExit code 0 when an agent runs and holds the key; 1 when none runs or it is locked.\n",
  async run(ctx) {
    checkSupported(ctx);
    const reply = await askAgent({ home: ctx.home, agent: ctx.agent }, { op: "status" });
    if (reply?.running !== true) return noAgent(ctx, 1, { running: false });
    const { pid, locked, reason, ttlSeconds, idleSeconds } = reply;
    const value = {
      agent: ctx.agent,
      running: true,
      pid,
      locked,
      ...(reason === undefined ? {} : { reason }),
      ttlSeconds,
      ...(idleSeconds === undefined ? {} : { idleSeconds }),
    };
    const left = `${formatDuration(Number(ttlSeconds))} left`;
    const text =
      locked === true
        ? `Agent ${ctx.agent}: running (pid ${String(pid)}), locked (${String(reason)}); exits in ${formatDuration(Number(ttlSeconds))}.`
        : `Agent ${ctx.agent}: running (pid ${String(pid)}), holding the key; ${left}${idleSeconds === undefined ? "" : `, idle lock in ${formatDuration(Number(idleSeconds))}`}.`;
    emit(ctx, value, text);
    return locked === true ? 1 : 0;
  },
};

const lock: CommandSpec = {
  name: "agent lock",
  summary: "wipe the key the agent holds (calls then open the vault themselves)",
  globals: ["json", "agent", "home"],
  async run(ctx) {
    checkSupported(ctx);
    const reply = await askAgent({ home: ctx.home, agent: ctx.agent }, { op: "lock" });
    if (reply?.running !== true) return noAgent(ctx, 1, { running: false });
    emit(
      ctx,
      { agent: ctx.agent, running: true, pid: reply.pid, locked: true },
      `Agent ${ctx.agent}: key wiped (pid ${String(reply.pid)}).`,
    );
    return 0;
  },
};

const stop: CommandSpec = {
  name: "agent stop",
  summary: "wipe the key and end the agent",
  globals: ["json", "agent", "home"],
  async run(ctx) {
    checkSupported(ctx);
    const reply = await askAgent({ home: ctx.home, agent: ctx.agent }, { op: "stop" });
    if (reply?.stopped !== true) return noAgent(ctx, 0, { stopped: false });
    await waitUntilGone(ctx.home, ctx.agent);
    emit(
      ctx,
      { agent: ctx.agent, stopped: true, pid: reply.pid },
      `Agent ${ctx.agent}: stopped (pid ${String(reply.pid)}).`,
    );
    return 0;
  },
};

/** `vault agent` commands. */
export const agentCommands: CommandSpec[] = [start, status, lock, stop];
