/**
 * The rotators a host is willing to run: `<home>/rotators.json`, written by the host's own user.
 *
 *   { "rotators": { "stripe": { "command": ["/usr/local/bin/rotate-stripe", "--live"],
 *                               "agents": ["billing"] } } }
 *
 * A vault only *names* a rotator (`rotator: "stripe"`). Which program that name runs is the
 * host's choice, never the vault's: whoever can write a vault (any holder of the agent's key or
 * database role) is the least trusted party of a fleet, and the host that runs `vault rotate`
 * often holds every agent's key. So:
 * - a name runs the command this file maps it to (for the agents its `agents` list names,
 *   every agent of the home when it has none), or a rotator the agent's code registered;
 * - a `command:/path args` spec written in a vault (the older form) runs only when this file
 *   maps some name to exactly that command;
 * - anything else fails the rotation with a message saying what to add here; nothing runs.
 *
 * The file must be the user's own and 0600 (like `.pgpass`): whoever can write it chooses code
 * that runs with the host's keys. Each command must be an absolute path to a file that only its
 * owner (the user or root) can write.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  type Stats,
  statSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { isVaultError, vaultError } from "../errors.js";
import { privacyProblem, writableByOthers } from "../fs/private-entry.js";
import { AGENT_ID_PATTERN } from "../grammar.js";
import {
  closedObject,
  list,
  optional,
  record,
  type SchemaMismatch,
  str,
  validate,
} from "../validation/schema.js";
import { ROTATOR_NAME_PATTERN, type RotatorSpec } from "./rotator-spec.js";

/** The host's rotators file inside the home. */
export const HOST_ROTATORS_FILE = "rotators.json";

/** A command the host runs for a rotator: an absolute path and its arguments (no shell). */
export interface HostCommand {
  path: string;
  args: readonly string[];
  /** The agents whose vaults may name it (absent: every agent of the home). */
  agents?: readonly string[];
}

/** The rotators a host serves: name → command. */
export type HostRotators = ReadonlyMap<string, HostCommand>;

const MAX_FILE_BYTES = 64 * 1024;
const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 4096;
const NO_NUL = { test: (part: string) => !part.includes("\u0000") };

function invalid(path: string, why: string) {
  return vaultError(
    "INVALID_INPUT",
    `The rotators file ${path} is not valid: ${why}.`,
    'It holds JSON like {"rotators": {"stripe": {"command": ["/usr/local/bin/rotate-stripe"]}}}; fix it or remove it.',
  );
}

/**
 * The file decides what runs with the host's keys: it must be a regular file (not a link) of
 * the user's own that no one else can read or write, in a home no one else can write.
 */
function checkPrivate(path: string, stat: Stats): void {
  const uid = process.getuid?.();
  if (!stat.isFile()) throw invalid(path, "it is not a regular file");
  const home = statSync(dirname(path));
  const othersWriteHome =
    writableByOthers(home) || (uid !== undefined && home.uid !== uid && home.uid !== 0);
  if (privacyProblem(stat, uid) !== undefined || othersWriteHome) {
    throw vaultError(
      "INSECURE_PERMISSIONS",
      `Refusing ${path}: it chooses the programs vault rotate runs, and another user can access it or its folder.`,
      `Run: chown $(id -u) ${path} && chmod 600 ${path} && chmod go-w ${dirname(path)}`,
    );
  }
}

/** Reads the file through one handle (no link followed): what is checked is what is read. */
function readPrivate(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    checkPrivate(path, stat);
    if (stat.size > MAX_FILE_BYTES) throw invalid(path, "it is over 64 KiB");
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/** The file's shape: one key, `rotators`, mapping names to commands (nothing else allowed). */
const hostRotatorsSchema = closedObject({
  rotators: optional(
    record(
      ROTATOR_NAME_PATTERN,
      closedObject({
        agents: optional(list(str({ pattern: AGENT_ID_PATTERN }))),
        command: list(str({ max: MAX_ARG_LENGTH, pattern: NO_NUL }), 1, MAX_ARGS),
      }),
    ),
  ),
});

/** Why the file does not fit, as the error says it (naming a rotator, never other content). */
function mismatchReason(mismatch: SchemaMismatch): string {
  const [top, name, field] = mismatch.segments;
  if (top === undefined) return 'it is a JSON object with one key, "rotators"';
  if (name === undefined) {
    return mismatch.reason === "unknown key"
      ? "a rotator name is not of the form [a-z][a-z0-9_.-]* (64 at most)"
      : '"rotators" maps names to {"command": [...]}';
  }
  if (field === "agents") return `"agents" of rotator "${name}" is a list of agent ids`;
  if (field === undefined && mismatch.reason === "unknown key") {
    return `rotator "${name}" takes only "command" and "agents"`;
  }
  return `rotator "${name}" needs "command": ["/absolute/path", "arg", ...]`;
}

/**
 * Reads `<home>/rotators.json`: an empty map when there is none. Nothing in the file is echoed
 * but rotator names.
 * @throws VaultError INVALID_INPUT | INSECURE_PERMISSIONS | IO_ERROR
 */
export function readHostRotators(home: string): HostRotators {
  const path = join(home, HOST_ROTATORS_FILE);
  let text: string;
  try {
    text = readPrivate(path);
  } catch (error) {
    if (isVaultError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return new Map();
    if (code === "ELOOP") throw invalid(path, "it is a symbolic link");
    throw vaultError(
      "IO_ERROR",
      `Cannot read ${path} (${code ?? "error"}).`,
      "Check the file's permissions.",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(path, "it is not JSON");
  }
  const { rotators: entries = {} } = validate(hostRotatorsSchema, parsed, (mismatch) =>
    invalid(path, mismatchReason(mismatch)),
  );
  const rotators = new Map<string, HostCommand>();
  for (const [name, { command, agents }] of Object.entries(entries)) {
    const [program, ...args] = command as [string, ...string[]];
    if (!program.startsWith("/")) {
      throw invalid(path, `the command of rotator "${name}" must be an absolute path`);
    }
    rotators.set(name, { path: program, args, ...(agents === undefined ? {} : { agents }) });
  }
  return rotators;
}

/** Whether two commands are the same program with the same arguments. */
function sameCommand(a: HostCommand, b: HostCommand): boolean {
  return (
    a.path === b.path &&
    a.args.length === b.args.length &&
    a.args.every((arg, i) => arg === b.args[i])
  );
}

/** Where a vault's rotator spec would run on this host. */
export type RotatorPlace =
  | { place: "random" }
  | { place: "host"; hostName: string; command: HostCommand }
  | { place: "code"; name: string }
  | { place: "nowhere"; reason: string };

/** What decides where a rotator runs: the agent, the host's list, the code's rotators. */
export interface RotatorHostView {
  agent: string;
  host: HostRotators;
  registered: ReadonlySet<string> | ReadonlyMap<string, unknown>;
}

/** Whether a host command may rotate `agent`'s secrets. */
function serves(command: HostCommand, agent: string): boolean {
  return command.agents === undefined || command.agents.includes(agent);
}

/**
 * Where `spec` runs for `agent` on a host. A named rotator registered in code comes first
 * (that code is the host's own); a host command serves only the agents it lists.
 */
export function placeRotator(spec: RotatorSpec, view: RotatorHostView): RotatorPlace {
  const { agent, host, registered } = view;
  if (spec.kind === "random") return { place: "random" };
  if (spec.kind === "registered") {
    if (registered.has(spec.name)) return { place: "code", name: spec.name };
    const command = host.get(spec.name);
    if (command && serves(command, agent)) return { place: "host", hostName: spec.name, command };
    if (command) {
      return {
        place: "nowhere",
        reason: `rotator ${spec.name} of this host does not serve agent ${agent}: its "agents" list in ${HOST_ROTATORS_FILE} does not name it.`,
      };
    }
    return {
      place: "nowhere",
      reason: `rotator ${spec.name} is not configured on this host: name its command in ${HOST_ROTATORS_FILE} of the home that runs vault rotate, or register it in the agent's code (vault.registerRotator).`,
    };
  }
  for (const [hostName, command] of host) {
    if (sameCommand(command, spec) && serves(command, agent)) {
      return { place: "host", hostName, command };
    }
  }
  return {
    place: "nowhere",
    reason: `the vault names a command: rotator, and a host runs only the commands its own ${HOST_ROTATORS_FILE} names: add this exact command there under a name, then \`vault schedule NAME --rotator <that name>\`.`,
  };
}
