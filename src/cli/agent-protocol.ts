/**
 * What a `vault agent` and its clients share: where an agent's socket and token live under the
 * home, and the wire format (each message a 4-byte big-endian length, then that many bytes of
 * UTF-8 JSON, under a size limit), and the shape of a request to run a command line. Loaded by every call that may be served by an agent, so it
 * imports nothing but Node's modules. Never a value in an error it raises.
 */
import { join } from "node:path";

/** The folder (0700) holding the agents' sockets and tokens. */
export function agentFolder(home: string): string {
  return join(home, "run");
}

/** The agent's Unix socket (0600). */
export function socketPath(home: string, agent: string): string {
  return join(agentFolder(home), `${agent}.sock`);
}

/** The agent's per-start token (0600): a client proves it can read the user's files with it. */
export function tokenPath(home: string, agent: string): string {
  return join(agentFolder(home), `${agent}.token`);
}

/** The largest request a client may send (argv, environment, the stdin of `openclaw resolve`). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** The largest answer a client reads (the values of `vault env` or `vault run`). */
export const MAX_REPLY_BYTES = 256 * 1024 * 1024;

/** One framed message: length, then JSON. */
export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}

/** Why a message could not be read. */
export type FrameProblem = "too-large" | "malformed";

/**
 * Collects one framed message from chunks as they arrive: `push` returns the message once it
 * is whole, a problem as soon as one is known (a length over `limit`: nothing more is kept),
 * or undefined while more is needed. Linear in the bytes received.
 */
export class FrameReader {
  readonly #limit: number;
  readonly #chunks: Buffer[] = [];
  #received = 0;
  #expected: number | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  push(chunk: Buffer): { message: unknown } | { problem: FrameProblem } | undefined {
    this.#chunks.push(chunk);
    this.#received += chunk.length;
    if (this.#expected === undefined) {
      if (this.#received < 4) return undefined;
      const head = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks);
      this.#chunks.length = 0;
      this.#chunks.push(head);
      this.#expected = head.readUInt32BE(0);
      if (this.#expected > this.#limit) return { problem: "too-large" };
    }
    if (this.#received > this.#expected + 4) return { problem: "malformed" };
    if (this.#received < this.#expected + 4) return undefined;
    const whole = Buffer.concat(this.#chunks).subarray(4);
    try {
      return { message: JSON.parse(whole.toString("utf8")) as unknown };
    } catch {
      return { problem: "malformed" };
    }
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === "string")
  );
}

/** A request to run a command line, as the client sent it. */
export interface ExecRequest {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdin?: Buffer;
}

/** The answer to a request the agent cannot read (never quoting it). */
export function protocolError(message: string) {
  return {
    error: {
      code: "INVALID_INPUT",
      message,
      hint: "Talk to the agent through the vault CLI.",
    },
  };
}

/** A command-line request read from its JSON, or undefined when a field has the wrong shape. */
export function parseExec(request: Record<string, unknown>): ExecRequest | undefined {
  const { argv, env, cwd, stdin } = request;
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === "string")) return undefined;
  if (!isStringRecord(env) || typeof cwd !== "string") return undefined;
  if (stdin !== undefined && typeof stdin !== "string") return undefined;
  const exec: ExecRequest = { argv: argv as string[], env: { ...env }, cwd };
  if (typeof stdin === "string") exec.stdin = Buffer.from(stdin, "base64");
  return exec;
}
