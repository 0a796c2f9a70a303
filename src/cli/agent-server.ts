/**
 * The `vault agent` process: holds one agent's unlocked data key in memory and answers `vault
 * get`, `env`, `run` and `openclaw resolve` for processes of the same user over a Unix socket
 * (a 0700 folder under the home, the socket 0600, and a per-start token in a 0600 file that
 * each request must carry). Each request reads and checks the vault file again with the held
 * key; when the key no longer opens it (rekey, another vault, a removed slot) the key is wiped
 * and the request declined, so the client opens the vault itself. The key is wiped on
 * `vault agent lock` and `stop`, after the idle time, and at the end of the TTL (the process
 * then exits). Nothing secret is ever written to disk or logged.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, open, readFile, unlink } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { wipe } from "../crypto/sodium.js";
import { ioError, vaultError } from "../errors.js";
import { splitAgentPrefix } from "../openclaw/mapping.js";
import { parseResolveRequest } from "../openclaw/protocol.js";
import { acquireLock } from "../store/lock.js";
import { type HeldKey, openWithHeldKey, unlockHeldKey } from "../vault/open.js";
import type { Vault } from "../vault.js";
import { KEY_SOURCE_VARIABLES } from "./agent-client.js";
import { prepareAgentFolder, refuseRunningAgent, removeStale } from "./agent-files.js";
import {
  agentFolder,
  type ExecRequest,
  FrameReader,
  frame,
  MAX_REQUEST_BYTES,
  parseExec,
  protocolError,
  socketPath,
  tokenPath,
} from "./agent-protocol.js";
import { commandWord } from "./command-table.js";
import type { RunPlan } from "./commands/run-launch.js";
import {
  type CommandContext,
  commandContext,
  keySourceFromFlags,
  loadStoreModule,
} from "./context.js";
import type { CliIo } from "./io.js";

/** How long the agent holds the key. */
export interface AgentTimes {
  ttlMs: number;
  /** 0: no idle lock. */
  idleMs: number;
}

/** How the starting process hears from the agent before it is ready. */
export interface AgentControl {
  ready(pid: number): void;
}

/** The longest a client may take to send its request. */
const REQUEST_TIMEOUT_MS = 30_000;
/** At most this many clients at once (each may buffer up to MAX_REQUEST_BYTES). */
const MAX_CONNECTIONS = 16;
/** The longest socket path Linux and macOS take (sun_path). */
const MAX_SOCKET_PATH = 103;

/** Declines a request: the client then opens the vault itself. */
class NotServed extends Error {}

/** Whether a request names its own key source (it is then opened with that source). */
function namesKeySource(ctx: CommandContext): boolean {
  const { options, io } = ctx;
  return (
    options.passphraseFile !== undefined ||
    options.keyFile !== undefined ||
    options.keyDir !== undefined ||
    KEY_SOURCE_VARIABLES.some((name) => io.env[name])
  );
}

/** The agent of one home and agent id. */
export class AgentServer {
  readonly #home: string;
  readonly #agent: string;
  readonly #times: AgentTimes;
  #held: HeldKey | undefined;
  #lockedBecause: string | undefined;
  #token: Buffer = Buffer.alloc(0);
  #connections = 0;
  #server: Server | undefined;
  #started = Date.now();
  #lastUse = Date.now();
  #ttlTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(home: string, agent: string, times: AgentTimes) {
    this.#home = home;
    this.#agent = agent;
    this.#times = times;
  }

  /**
   * Unlocks the vault with the key source `ctx` names, then listens. Another agent answering
   * at the socket is an error; a stale socket or token is replaced.
   * @throws VaultError the errors of opening the vault | ALREADY_EXISTS | IO_ERROR | USAGE
   */
  async start(ctx: CommandContext, control: AgentControl): Promise<void> {
    const socket = socketPath(this.#home, this.#agent);
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
      throw vaultError(
        "USAGE",
        `The agent's socket path under ${this.#home} is longer than Unix sockets allow.`,
        "Use a home with a shorter path (--home or $AGENT_VAULT_HOME).",
      );
    }
    await prepareAgentFolder(this.#home);
    // One start at a time per agent: a second waits, then finds the first running and stops.
    const startLock = await acquireLock(
      join(agentFolder(this.#home), `${this.#agent}.start.lock`),
      {
        timeoutMs: 120_000,
        staleMs: 300_000,
        what: "agent start",
      },
    );
    try {
      await this.#startHoldingLock(ctx, control, socket);
    } finally {
      await startLock.release();
    }
  }

  async #startHoldingLock(
    ctx: CommandContext,
    control: AgentControl,
    socket: string,
  ): Promise<void> {
    await refuseRunningAgent(this.#home, this.#agent);
    const keySource = await keySourceFromFlags(ctx);
    this.#held = await unlockHeldKey(
      keySource ? { ...ctx.vaultOptions, keySource } : ctx.vaultOptions,
    );
    try {
      const token = tokenPath(this.#home, this.#agent);
      await removeStale(socket);
      await removeStale(token);
      const text = randomBytes(32).toString("hex");
      this.#token = Buffer.from(text, "utf8");
      const handle = await open(token, "wx", 0o600).catch((error: unknown) => {
        throw ioError(error, "write the agent token");
      });
      try {
        await handle.writeFile(`${text}\n`);
      } finally {
        await handle.close();
      }
      this.#server = createServer((connection) => this.#serve(connection));
      await new Promise<void>((resolve, reject) => {
        this.#server?.once("error", (error) =>
          reject(ioError(error, "listen on the agent socket")),
        );
        this.#server?.listen(socket, () => resolve());
      });
      await chmod(socket, 0o600);
    } catch (error) {
      // Nothing held or left behind by a start that failed.
      this.lock("failed to start");
      this.#server?.close();
      await unlink(socket).catch(() => undefined);
      await unlink(tokenPath(this.#home, this.#agent)).catch(() => undefined);
      throw error;
    }
    this.#started = Date.now();
    this.#lastUse = this.#started;
    this.#ttlTimer = setTimeout(() => void this.stop(), this.#times.ttlMs);
    this.#armIdle();
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
      process.on(signal, () => void this.stop());
    }
    control.ready(process.pid);
  }

  /** Wipes the held key; the agent answers status until stopped or its TTL ends. */
  lock(reason: string): void {
    if (this.#held) {
      wipe(this.#held.dataKey);
      this.#held = undefined;
      this.#lockedBecause = reason;
    }
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
  }

  /** Wipes the key, removes the socket and token, and exits (after `delayMs`: an answer drains). */
  async stop(delayMs = 0): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#ttlTimer) clearTimeout(this.#ttlTimer);
    this.lock("stopped");
    this.#server?.close();
    // Only our own files: after another agent replaced a stale start of ours, they are its.
    const token = await readFile(tokenPath(this.#home, this.#agent), "utf8").catch(() => "");
    if (this.#token.length > 0 && token.trim() === this.#token.toString("utf8")) {
      await unlink(socketPath(this.#home, this.#agent)).catch(() => undefined);
      await unlink(tokenPath(this.#home, this.#agent)).catch(() => undefined);
    }
    setTimeout(() => process.exit(0), delayMs);
  }

  #armIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    if (this.#times.idleMs <= 0 || !this.#held) return;
    this.#idleTimer = setTimeout(() => this.lock("idle"), this.#times.idleMs);
  }

  #status(): Record<string, unknown> {
    const now = Date.now();
    const ttlLeft = Math.max(0, this.#started + this.#times.ttlMs - now);
    return {
      running: true,
      pid: process.pid,
      locked: this.#held === undefined,
      ...(this.#lockedBecause ? { reason: this.#lockedBecause } : {}),
      ttlSeconds: Math.ceil(ttlLeft / 1000),
      ...(this.#times.idleMs > 0 && this.#held
        ? { idleSeconds: Math.ceil(Math.max(0, this.#lastUse + this.#times.idleMs - now) / 1000) }
        : {}),
    };
  }

  /** One connection: one request, one answer. Bad input gets an error answer, never a crash. */
  #serve(connection: Socket): void {
    // A bounded number of clients, each with a whole-request deadline (a slow sender too).
    if (this.#connections >= MAX_CONNECTIONS) {
      connection.destroy();
      return;
    }
    this.#connections += 1;
    connection.once("close", () => {
      this.#connections -= 1;
    });
    const reader = new FrameReader(MAX_REQUEST_BYTES);
    connection.setTimeout(REQUEST_TIMEOUT_MS, () => connection.destroy());
    const deadline = setTimeout(() => connection.destroy(), REQUEST_TIMEOUT_MS);
    deadline.unref();
    connection.once("close", () => clearTimeout(deadline));
    connection.on("error", () => connection.destroy());
    let done = false;
    const answer = (reply: unknown) => {
      if (connection.destroyed) return;
      connection.end(frame(reply));
    };
    connection.on("data", (chunk: Buffer) => {
      if (done) return;
      const read = reader.push(chunk);
      if (read === undefined) return;
      done = true;
      if ("problem" in read) {
        answer(
          protocolError(
            read.problem === "too-large"
              ? `The request is larger than ${MAX_REQUEST_BYTES} bytes.`
              : "The request is not one length-prefixed JSON message.",
          ),
        );
        return;
      }
      this.#answer(read.message).then(answer, () => answer(protocolError("The request failed.")));
    });
  }

  async #answer(message: unknown): Promise<unknown> {
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      return protocolError("The request is not a JSON object.");
    }
    const request = message as Record<string, unknown>;
    const given = Buffer.from(typeof request.token === "string" ? request.token : "", "utf8");
    if (given.length !== this.#token.length || !timingSafeEqual(given, this.#token)) {
      return {
        error: {
          code: "DENIED",
          message: "The agent refused the request: it did not carry this agent's token.",
          hint: "Only processes that can read the agent's token file under the vault home are served.",
        },
      };
    }
    switch (request.op) {
      case "status":
        await this.#checkVault();
        return this.#status();
      case "lock":
        this.lock("locked with vault agent lock");
        return this.#status();
      case "stop":
        await this.stop(200);
        return { stopped: true, pid: process.pid };
      case "exec": {
        const exec = parseExec(request);
        if (!exec) return protocolError("The exec request is malformed.");
        return this.#exec(exec);
      }
      default:
        return protocolError("Unknown request.");
    }
  }

  /** Locks when the held key no longer opens the stored vault. */
  async #checkVault(): Promise<void> {
    const held = this.#held;
    if (!held) return;
    await loadStoreModule();
    const ctx = commandContext(quietIo(), { home: this.#home, agent: this.#agent, store: "file" });
    try {
      const opened = await openWithHeldKey(ctx.vaultOptions, held);
      if ("stale" in opened) this.lock(opened.stale);
      else opened.close();
    } finally {
      await ctx.close();
    }
  }

  /** Runs a command line as the CLI would, with the held key; declines what it cannot serve. */
  async #exec(request: ExecRequest): Promise<unknown> {
    const word = request.argv[0] === "openclaw" ? "openclaw" : commandWord(request.argv);
    const resolveLine = word === "openclaw" && request.argv[1] === "resolve";
    if (!this.#held || !(resolveLine || word === "get" || word === "env" || word === "run")) {
      return { fallback: true };
    }
    // A request that needs another agent's vault is declined before anything is read, so the
    // direct run that follows writes the same audit records a direct run alone would.
    if (this.#needsOtherAgent(request, resolveLine, word === "run")) return { fallback: true };
    this.#lastUse = Date.now();
    this.#armIdle();
    let declined = false;
    let plan: RunPlan | undefined;
    let stdout = "";
    let stderr = "";
    const stdin = request.stdin ?? Buffer.alloc(0);
    const io: CliIo = {
      ...quietIo(),
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      readStdin: async (limit) => (limit === undefined ? stdin : stdin.subarray(0, limit + 1)),
      env: request.env,
      cwd: request.cwd,
      heldVault: (ctx) =>
        this.#open(ctx).catch((error: unknown) => {
          if (error instanceof NotServed) declined = true;
          throw error;
        }),
      launchRun: async (given) => {
        plan = given;
        return 0;
      },
    };
    const code = await (await import("./plain.js")).runPlain(request.argv, io);
    if (code === undefined || declined) return { fallback: true };
    return plan ? { stdout, stderr, run: plan } : { stdout, stderr, code };
  }

  /**
   * Whether the request names another agent: a `vault://AGENT/` reference in the environment
   * `vault run` resolves, or an `agent:AGENT/` id in an OpenClaw request (taken broadly: a
   * false yes only sends the call to a direct open).
   */
  #needsOtherAgent(request: ExecRequest, resolveLine: boolean, isRun: boolean): boolean {
    const others = (text: string, pattern: RegExp) =>
      [...text.matchAll(pattern)].some((match) => match[1] !== this.#agent);
    if (resolveLine) {
      // The ids as the resolver will read them (a JSON escape cannot hide a prefix); a request
      // that does not parse is answered with its protocol error before any vault is opened.
      let ids: readonly string[];
      try {
        ids = parseResolveRequest(request.stdin ?? Buffer.alloc(0)).ids;
      } catch {
        return false;
      }
      return ids.some((id) => {
        const { agent } = splitAgentPrefix(id);
        return agent !== undefined && agent !== this.#agent;
      });
    }
    return (
      isRun &&
      Object.values(request.env).some((value) =>
        others(value, /vault:\/\/([a-z0-9][a-z0-9_-]{0,63})\//g),
      )
    );
  }

  /** The held vault for `ctx`, read afresh. @throws NotServed */
  async #open(ctx: CommandContext): Promise<Vault> {
    const held = this.#held;
    const ours =
      ctx.agent === this.#agent &&
      ctx.home === this.#home &&
      ctx.store.kind === "file" &&
      !namesKeySource(ctx);
    if (!held || !ours) throw new NotServed();
    const opened = await openWithHeldKey(ctx.vaultOptions, held);
    if ("stale" in opened) {
      this.lock(opened.stale);
      throw new NotServed();
    }
    return opened;
  }
}

/** An io with no terminal, no input and nowhere to write (the agent's own work). */
function quietIo(): CliIo {
  return {
    stdout: () => undefined,
    stderr: () => undefined,
    readStdin: async () => Buffer.alloc(0),
    isTTY: false,
    promptHidden: async () => {
      throw new Error("no terminal");
    },
    env: {},
    cwd: "/",
    now: () => new Date(),
  };
}
