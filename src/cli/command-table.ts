/**
 * Which module defines which commands, so that a command line loads only the module of the
 * command it runs (a `vault get` never loads the scanner, the PostgreSQL driver or the
 * rotation scheduler). Help, completion and unknown commands load every module.
 */
import type { CommandSpec } from "./command.js";

/** A command module: the first words of the commands it defines and how to load them. */
export interface CommandModule {
  words: readonly string[];
  load: () => Promise<CommandSpec[]>;
}

/** Every command module, in help order. */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { words: ["init"], load: async () => (await import("./commands/init.js")).initCommands },
  {
    words: ["set", "get", "list", "rm", "purge", "history", "rollback", "import"],
    load: async () => (await import("./commands/secrets.js")).secretCommands,
  },
  {
    words: ["read", "inject"],
    load: async () => (await import("./commands/references.js")).referenceCommands,
  },
  {
    words: ["rotate", "status", "schedule"],
    load: async () => (await import("./commands/rotation.js")).rotationCommands,
  },
  { words: ["key", "agents"], load: async () => (await import("./commands/keys.js")).keyCommands },
  { words: ["rekey"], load: async () => (await import("./commands/rekey.js")).rekeyCommands },
  { words: ["agent"], load: async () => (await import("./commands/agent.js")).agentCommands },
  { words: ["env"], load: async () => (await import("./commands/env.js")).envCommands },
  { words: ["run"], load: async () => (await import("./commands/run.js")).runCommands },
  { words: ["scan"], load: async () => (await import("./commands/scan.js")).scanCommands },
  { words: ["hook"], load: async () => (await import("./commands/hook.js")).hookCommands },
  { words: ["audit"], load: async () => (await import("./commands/audit.js")).auditCommands },
  {
    words: ["openclaw"],
    load: async () => (await import("./commands/openclaw.js")).openclawCommands,
  },
  { words: ["doctor"], load: async () => (await import("./commands/doctor.js")).doctorCommands },
  { words: ["db"], load: async () => (await import("./commands/db.js")).dbCommands },
  { words: ["demo"], load: async () => (await import("./commands/demo.js")).demoCommands },
  {
    words: ["completion"],
    load: async () => (await import("./commands/completion.js")).completionCommands,
  },
];

/** Global options that take a value (`--agent ID`); `--json` is the one global flag. */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  "--agent",
  "--home",
  "--store",
  "--passphrase-file",
  "--key-file",
  "--key-dir",
  "--lock-timeout",
]);

/** The command word of `argv`: its first operand, global options and their values skipped. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === "--") return undefined;
    if (!arg.startsWith("-")) return arg;
    if (VALUE_OPTIONS.has(arg)) index++;
  }
  return undefined;
}

/** Every command, in help order. */
export async function loadAllCommands(): Promise<CommandSpec[]> {
  return (await Promise.all(COMMAND_MODULES.map((module) => module.load()))).flat();
}

/**
 * The commands `argv` can run: those of the module its command word names, or every command
 * when the word names none (help, a typo, no command).
 */
export async function loadCommandsFor(argv: readonly string[]): Promise<CommandSpec[]> {
  const word = commandWord(argv);
  const module = COMMAND_MODULES.find((candidate) => word && candidate.words.includes(word));
  return module ? module.load() : loadAllCommands();
}
