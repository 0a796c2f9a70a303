/**
 * The commands scripts and hooks call most (`vault get`, `list`, `env`, `run`, `read`, `scan`
 * in every pre-commit hook, and `openclaw resolve` at every OpenClaw secrets reload) answered
 * without commander, whose load is a fifth of such a call. Only a plain command line is taken here:
 * known options, each at most once, with their values; the right number of operands. Anything
 * else (help, a typo, a missing value, a short-flag cluster, a variadic option) returns
 * `undefined` and the full command line (run.ts) answers it, errors included. A plain line
 * gives its command the same arguments and options commander would.
 *
 * It is also where a call is handed to a running `vault agent` ({@link runThroughAgent}): before
 * anything that opens a vault is loaded, so a call the agent answers loads almost nothing.
 */
import { type AgentOutcome, runThroughAgent } from "./agent-client.js";
import type { CommandSpec } from "./command.js";
import { COMMAND_MODULES, commandWord, VALUE_OPTIONS } from "./command-table.js";
import type { GlobalOptions } from "./context.js";
import type { CliIo } from "./io.js";

/**
 * `vault get`, `env`, `run` and `openclaw resolve` answered by the agent running for the
 * line's agent, when there is one (same output, errors, exit code and audit records as a
 * direct run; the records say `via: "agent"`). Otherwise no code, and the io to run with.
 */
export function servedByAgent(argv: readonly string[], io: CliIo): Promise<AgentOutcome> {
  return runThroughAgent(argv, io);
}

/** The commands answered here. */
const PLAIN_COMMANDS: ReadonlySet<string> = new Set([
  "get",
  "list",
  "env",
  "run",
  "read",
  "scan",
  "openclaw resolve",
]);

/** `--key-file` → `keyFile` (commander's attribute names). */
function camel(long: string): string {
  return long.replace(/^--/, "").replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** One option of a command, as its flags declare it. */
interface OptionShape {
  key: string;
  /** Takes a value (`<v>`); `negate`: a `--no-x` flag (x defaults to true). */
  value: boolean;
  negate: boolean;
  variadic: boolean;
}

/** A command's options by each of their names (`-n` and `--no-newline`). */
function optionShapes(spec: CommandSpec): Map<string, OptionShape> {
  const shapes = new Map<string, OptionShape>();
  for (const [flags] of spec.options ?? []) {
    const names = flags.split(/[ ,]+/).filter((part) => part.startsWith("-"));
    const long = names.find((name) => name.startsWith("--")) as string;
    const negate = long.startsWith("--no-");
    const shape = {
      key: camel(negate ? `--${long.slice(5)}` : long),
      value: /[<[]/.test(flags),
      negate,
      variadic: flags.includes("..."),
    };
    for (const name of names) shapes.set(name, shape);
  }
  return shapes;
}

interface PlainLine {
  spec: CommandSpec;
  args: string[];
  options: Record<string, unknown>;
  globals: GlobalOptions;
}

/** The plain reading of `argv` for `spec`, or undefined when commander must read it. */
function parsePlain(argv: readonly string[], spec: CommandSpec): PlainLine | undefined {
  const shapes = optionShapes(spec);
  const options: Record<string, unknown> = {};
  for (const shape of shapes.values()) if (shape.negate) options[shape.key] = true;
  const globals: Record<string, unknown> = {};
  const seen = new Set<string>();
  const args: string[] = [];
  const words = spec.name.split(" ");
  let wordsSeen = 0;
  let command = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const operandsOnly = arg === "--" || (spec.passThrough === true && args.length > 0);
    if (operandsOnly) {
      // Options after the first operand belong to the command `vault run` starts; a `--` before
      // any operand ends vault's options. Any other `--` is left to commander.
      if (arg === "--" && (!spec.passThrough || args.length > 0)) return undefined;
      args.push(...argv.slice(arg === "--" ? index + 1 : index));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      if (!command) {
        if (arg !== words[wordsSeen]) return undefined;
        wordsSeen++;
        command = wordsSeen === words.length;
      } else {
        args.push(arg);
      }
      continue;
    }
    // Between the words of a command (`openclaw --agent x resolve`) commander takes no option.
    if (wordsSeen > 0 && !command) return undefined;
    const equals = arg.indexOf("=");
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (seen.has(name)) return undefined;
    seen.add(name);
    if (name === "--json" && equals < 0) {
      globals.json = true;
      continue;
    }
    const isGlobal = VALUE_OPTIONS.has(name);
    const shape = command ? shapes.get(name) : undefined;
    if (!isGlobal && !shape) return undefined;
    if (shape?.variadic || (shape && isGlobal)) return undefined;
    if (isGlobal || shape?.value) {
      const value = equals > 0 ? arg.slice(equals + 1) : argv[++index];
      if (value === undefined || (equals < 0 && value.startsWith("-"))) return undefined;
      if (isGlobal) globals[camel(name)] = value;
      else options[(shape as OptionShape).key] = value;
    } else {
      if (equals > 0) return undefined;
      options[(shape as OptionShape).key] = !(shape as OptionShape).negate;
    }
  }
  if (!command) return undefined;
  const declared = spec.args ?? [];
  const required = declared.filter((arg) => arg.startsWith("<")).length;
  const variadic = declared.at(-1)?.endsWith("...]") || declared.at(-1)?.endsWith("...>");
  if (args.length < required || (!variadic && args.length > declared.length)) return undefined;
  return { spec, args, options, globals: globals as GlobalOptions };
}

/**
 * Runs a plain command line of one of the commands above and returns its exit code, or
 * `undefined` when `argv` is not one (the caller then runs the full command line).
 */
export async function runPlain(argv: readonly string[], io: CliIo): Promise<number | undefined> {
  const word = commandWord(argv);
  if (!word || argv.includes("-h") || argv.includes("--help")) return undefined;
  const plain = [...PLAIN_COMMANDS].filter((name) => name.split(" ")[0] === word);
  if (plain.length === 0) return undefined;
  const module = COMMAND_MODULES.find((candidate) => candidate.words.includes(word));
  const specs = ((await module?.load()) ?? []).filter((spec) => plain.includes(spec.name));
  const line = specs.map((spec) => parsePlain(argv, spec)).find((parsed) => parsed);
  if (!line) return undefined;
  const json = line.globals.json === true;
  const { commandContext, loadStoreModule } = await import("./context.js");
  try {
    if (line.spec.opensStore !== false) await loadStoreModule();
    const ctx = commandContext(io, line.globals);
    try {
      return await line.spec.run(ctx, line.args, line.options);
    } finally {
      await ctx.close();
    }
  } catch (error) {
    return (await import("./report.js")).reportFailure(io, json, error);
  }
}
