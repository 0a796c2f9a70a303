/**
 * The client side of `vault agent`: finds the agent a command line would use (its home and
 * agent id, as the command would resolve them), and when one is running there, has it answer
 * `vault get`, `env`, `run` and `openclaw resolve`. Anything else, a key source named on the
 * line or in the environment, no agent, a stale socket, or an agent that declines: `undefined`,
 * and the caller opens the vault itself. Kept to Node's modules and the small protocol file, so
 * a call with no agent running pays one failed file read.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { userInfo } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { privacyProblem, writableByOthers } from "../fs/private-entry.js";
import { AGENT_ID_PATTERN, DEFAULT_AGENT } from "../grammar.js";
import {
  agentFolder,
  FrameReader,
  frame,
  MAX_REPLY_BYTES,
  MAX_REQUEST_BYTES,
  socketPath,
  tokenPath,
} from "./agent-protocol.js";
import { commandWord, VALUE_OPTIONS } from "./command-table.js";
import type { RunPlan } from "./commands/run-launch.js";
import type { CliIo } from "./io.js";

/** The flags that name a key source: a call naming one opens the vault with it. */
const KEY_SOURCE_FLAGS = new Set(["--passphrase-file", "--key-file", "--key-dir"]);
/** The variables that name a key source (keySourceFromEnv). */
export const KEY_SOURCE_VARIABLES = [
  "AGENT_VAULT_KEY",
  "AGENT_VAULT_PASSPHRASE",
  "AGENT_VAULT_KEY_FILE",
  "AGENT_VAULT_KEY_DIR",
];
/** The commands an agent answers. */
const SERVED_WORDS = new Set(["get", "env", "run"]);

/** Where a command line's agent would be: its home and agent id. */
export interface AgentAddress {
  home: string;
  agent: string;
}

/** The home a command resolves from `--home`, `$AGENT_VAULT_HOME` or `$HOME` (context.ts). */
export function homeFor(io: CliIo, homeOption: string | undefined): string {
  const given = homeOption ?? io.env.AGENT_VAULT_HOME;
  if (given) return isAbsolute(given) ? given : resolve(io.cwd, given);
  // A relative $HOME is taken against the working folder, as every path the CLI is given.
  return resolve(io.cwd, join(io.env.HOME ?? userInfo().homedir, ".agent-vault"));
}

/**
 * The agent a served command line would use, or undefined when it is not one an agent answers
 * (another command, help, a key source named, another store, `$AGENT_VAULT_NO_AGENT` set).
 * The agent parses the line again and declines anything it would read otherwise.
 */
function addressOf(argv: readonly string[], io: CliIo): AgentAddress | undefined {
  if (io.env.AGENT_VAULT_NO_AGENT) return undefined;
  if (KEY_SOURCE_VARIABLES.some((name) => io.env[name])) return undefined;
  const resolveLine = argv[0] === "openclaw" && argv[1] === "resolve";
  const word = resolveLine ? "openclaw" : commandWord(argv);
  if (!resolveLine && (!word || !SERVED_WORDS.has(word))) return undefined;
  const values: Record<string, string> = {};
  let seenWord = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === "--" || arg === "-h" || arg === "--help") break;
    if (!arg.startsWith("-")) {
      // `vault run CMD ...`: what follows the command is the command's own.
      if (seenWord && word === "run") break;
      seenWord = true;
      continue;
    }
    const equals = arg.indexOf("=");
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (KEY_SOURCE_FLAGS.has(name)) return undefined;
    if (!VALUE_OPTIONS.has(name)) continue;
    const value = equals > 0 ? arg.slice(equals + 1) : argv[++index];
    if (value !== undefined && values[name] === undefined) values[name] = value;
  }
  if (argv.includes("-h") || argv.includes("--help")) return undefined;
  const store = values["--store"] ?? io.env.AGENT_VAULT_STORE;
  if (store !== undefined && store !== "file") return undefined;
  const agent = values["--agent"] ?? io.env.AGENT_VAULT_AGENT ?? DEFAULT_AGENT;
  if (!AGENT_ID_PATTERN.test(agent)) return undefined;
  return { home: homeFor(io, values["--home"]), agent };
}

/** This process's user id (undefined where the OS has none: the agent is not for Windows). */
const uid = process.getuid?.();

/**
 * Whether the agent files at `address` are this user's own, so that what answers on the socket
 * can only be an agent this user started: the home is not writable by other users and is
 * theirs or root's; the agents' folder is a real folder of theirs that no one else can enter;
 * the socket is theirs. A socket another user could plant (in a shared or foreign home) is
 * never spoken to: the call then opens the vault itself, and is refused as it would be.
 */
function isOwnAgentPlace(address: AgentAddress): boolean {
  if (uid === undefined) return false;
  try {
    const home = statSync(address.home);
    if (!home.isDirectory() || (home.uid !== uid && home.uid !== 0)) return false;
    if (writableByOthers(home)) return false;
    const folder = lstatSync(agentFolder(address.home));
    if (!folder.isDirectory() || privacyProblem(folder, uid) !== undefined) return false;
    const socket = lstatSync(socketPath(address.home, address.agent));
    return socket.isSocket() && socket.uid === uid;
  } catch {
    return false;
  }
}

/**
 * The running agent's token, or undefined (no agent, or not this user's own: a regular file of
 * theirs, mode 0600, not a symlink).
 */
function readToken(address: AgentAddress): string | undefined {
  if (!isOwnAgentPlace(address)) return undefined;
  let fd: number;
  try {
    fd = openSync(
      tokenPath(address.home, address.agent),
      constants.O_RDONLY | constants.O_NOFOLLOW,
    );
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || privacyProblem(stat, uid) !== undefined || stat.size > 256) {
      return undefined;
    }
    const bytes = Buffer.alloc(stat.size);
    const read = readSync(fd, bytes, 0, bytes.length, 0);
    return bytes.subarray(0, read).toString("utf8").trim();
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The longest a client waits for an agent's answer before opening the vault itself. */
const ANSWER_TIMEOUT_MS = 5_000;

/**
 * Sends `request` to the agent at `address` and returns its answer, or undefined when no agent
 * answers there (no socket, a stale one, a connection that ends without an answer).
 */
export function askAgent(
  address: AgentAddress,
  request: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const token = readToken(address);
  if (token === undefined) return Promise.resolve(undefined);
  const bytes = frame({ ...request, token });
  if (bytes.length - 4 > MAX_REQUEST_BYTES) return Promise.resolve(undefined);
  return new Promise((done) => {
    const socket = createConnection(socketPath(address.home, address.agent));
    const reader = new FrameReader(MAX_REPLY_BYTES);
    let answered = false;
    const finish = (reply: Record<string, unknown> | undefined) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      socket.destroy();
      done(reply);
    };
    // A stopped or hung agent: the call goes on without it.
    const timer = setTimeout(() => finish(undefined), ANSWER_TIMEOUT_MS);
    timer.unref();
    socket.on("error", () => finish(undefined));
    socket.on("close", () => finish(undefined));
    socket.on("data", (chunk: Buffer) => {
      const read = reader.push(chunk);
      if (read === undefined) return;
      const message = "message" in read ? read.message : undefined;
      finish(
        message && typeof message === "object" && !Array.isArray(message)
          ? (message as Record<string, unknown>)
          : undefined,
      );
    });
    socket.write(bytes);
  });
}

/** What {@link runThroughAgent} did: the exit code when an agent answered; the io to go on with. */
export interface AgentOutcome {
  code?: number;
  /** `io`, or one whose stdin gives back what was read for the agent. */
  io: CliIo;
}

/**
 * Has the running agent answer `argv` when it is a command line an agent serves. Without an
 * answer the caller runs the command itself, with the io returned.
 */
export async function runThroughAgent(argv: readonly string[], io: CliIo): Promise<AgentOutcome> {
  const address = addressOf(argv, io);
  if (!address || readToken(address) === undefined) return { io };
  let stdin: Buffer | undefined;
  let nextIo = io;
  if (argv[0] === "openclaw") {
    // The request OpenClaw wrote: read once, and kept for a direct run if the agent declines.
    const { MAX_REQUEST_BYTES: limit } = await import("../openclaw/protocol.js");
    const bytes = await io.readStdin(limit);
    stdin = bytes;
    nextIo = {
      ...io,
      readStdin: async (max?: number) => (max === undefined ? bytes : bytes.subarray(0, max + 1)),
    };
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(io.env)) if (value !== undefined) env[name] = value;
  const reply = await askAgent(address, {
    op: "exec",
    argv,
    env,
    cwd: io.cwd,
    ...(stdin === undefined ? {} : { stdin: stdin.toString("base64") }),
  });
  if (!reply || reply.fallback === true || typeof reply.stdout !== "string") return { io: nextIo };
  if (typeof reply.stderr !== "string") return { io: nextIo };
  if (reply.stdout !== "") io.stdout(reply.stdout);
  if (reply.stderr !== "") io.stderr(reply.stderr);
  if (reply.run !== undefined) {
    const { launchAgentRun } = await import("./commands/run-launch.js");
    return { code: await launchAgentRun(io, reply.run as RunPlan), io };
  }
  return { code: typeof reply.code === "number" ? reply.code : 70, io };
}
