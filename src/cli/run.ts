/**
 * The CLI as a function: `run(argv, io) → exit code`. The only code that interprets argv.
 * Errors print one line saying what failed and one saying what to do next; with `--json`,
 * `{"error": {code, message, hint}}` on stdout. Nothing the user typed is echoed back in an
 * error: a value may have been typed where a name belongs.
 */
import { Command, CommanderError, Option } from "commander";
import { type VaultError, vaultError } from "../errors.js";
import type { CommandSpec, GlobalOptionName } from "./command.js";
import { loadAllCommands, loadCommandsFor } from "./command-table.js";
import type { CompletionCommand } from "./completion.js";
import { commandContext, type GlobalOptions, loadStoreModule } from "./context.js";
import type { CliIo } from "./io.js";
import { reportError, reportFailure } from "./report.js";

const VERSION = "0.1.0";

/**
 * Commander's usage errors, reworded so they never quote what was typed: an unknown "option"
 * may be a value that starts with a dash. Only options that some command really has are named.
 */
function usageError(error: CommanderError, argv: string[], known: Set<string>): VaultError {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  const option = quoted.split("=", 1)[0] ?? "";
  const safeOption = known.has(option) ? ` ${option}` : "";
  if (error.code === "commander.unknownOption" && argv[0] === "set") {
    return vaultError(
      "VALUE_IN_ARGV",
      "vault set does not take a value on the command line (an unknown option there may be one).",
      'Pipe the value in (printf %s "$VALUE" | vault set NAME), or use --value-file.',
    );
  }
  const messages: Record<string, string> = {
    "commander.unknownOption": `Unknown option${safeOption}.`,
    "commander.unknownCommand": "Unknown command.",
    "commander.missingArgument": "A required argument is missing.",
    "commander.optionMissingArgument": `Option${safeOption} needs a value.`,
    "commander.excessArguments": "Too many arguments.",
    "commander.missingMandatoryOptionValue": `Option${safeOption} is required.`,
    "commander.invalidArgument": `Invalid value for option${safeOption}.`,
  };
  return vaultError(
    "USAGE",
    `${messages[error.code] ?? "Invalid command line."}${suggestionOf(error, known)}`,
    "Run `vault --help` or `vault COMMAND --help`.",
  );
}

/**
 * Commander's "(Did you mean X?)" for a mistyped command or option, kept only when every
 * name it offers is one of ours (never something the user typed).
 */
function suggestionOf(error: CommanderError, known: Set<string>): string {
  const offered = /\(Did you mean (?:one of )?([^?]+)\?\)/.exec(error.message)?.[1];
  const names = offered?.split(", ") ?? [];
  if (names.length === 0 || !names.every((name) => known.has(name))) return "";
  return ` Did you mean ${names.length === 1 ? names[0] : `one of ${names.join(", ")}`}?`;
}

/** What `vault --help` ends with: where settings come from, and what the exit codes mean. */
const PROGRAM_HELP = `
Environment:
  AGENT_VAULT_HOME        the home (default ~/.agent-vault); --home
  AGENT_VAULT_AGENT       the agent id (default main); --agent
  AGENT_VAULT_STORE       file or postgres://ROLE@HOST/DB; --store (else the home's config.json)
  AGENT_VAULT_KEY         a CI key (from vault key add-ci)
  AGENT_VAULT_PASSPHRASE  the passphrase (prefer --passphrase-file)
  AGENT_VAULT_KEY_FILE    a key file; --key-file
  AGENT_VAULT_KEY_DIR     a folder of key files, DIR/<agent>.key; --key-dir
  AGENT_VAULT_NO_AGENT    set: open the vault directly even when a vault agent runs
  PGPASSFILE, PGPASSWORD  the PostgreSQL store's password, as libpq reads them

Exit codes:
  0   done                       4   key unavailable or wrong
  1   the answer is no (found,   5   integrity failure (tampered, unsafe permissions)
      broken, overdue, failed)   6   busy (locked, or another write won)
  2   usage or invalid input     70  internal error
  3   not found                  74  I/O error
  vault run returns its command's exit code (126/127: it could not be started or found).
`;

function addGlobalOptions(
  command: Command,
  shown: readonly GlobalOptionName[] | undefined = undefined,
): Command {
  command
    .addOption(new Option("--json", "machine-readable output"))
    .addOption(new Option("--agent <id>", "agent id (default $AGENT_VAULT_AGENT or main)"))
    .addOption(
      new Option("--home <dir>", "agent-vault home (default $AGENT_VAULT_HOME or ~/.agent-vault)"),
    )
    .addOption(
      new Option(
        "--store <url>",
        "file or postgres://… (default $AGENT_VAULT_STORE, the home's config.json, or file)",
      ),
    )
    .addOption(new Option("--passphrase-file <file>", "unlock with the passphrase in this file"))
    .addOption(new Option("--key-file <file>", "unlock with (or create, for init) this key file"))
    .addOption(
      new Option(
        "--key-dir <dir>",
        "unlock each agent with DIR/<agent>.key (a rotation host serving many agents)",
      ),
    )
    .addOption(
      new Option("--lock-timeout <seconds>", "how long to wait for the vault lock").hideHelp(),
    );
  if (shown !== undefined) {
    for (const option of command.options) {
      if (!shown.includes(option.long?.slice(2) as GlobalOptionName)) option.hideHelp();
    }
  }
  return command;
}

/** Every command's name, summary and options, and the global options (`vault completion`). */
export async function describeCommands(): Promise<{
  commands: CompletionCommand[];
  globals: string[];
}> {
  return {
    commands: (await loadAllCommands()).map((spec) => ({
      name: spec.name,
      summary: spec.summary,
      options: (spec.options ?? []).map(([flags]) => flags),
    })),
    globals: addGlobalOptions(new Command())
      .options.filter((option) => !option.hidden)
      .map((option) => option.flags),
  };
}

function buildProgram(
  io: CliIo,
  commands: CommandSpec[],
  setExit: (code: number) => void,
  setJson: (json: boolean) => void = () => {},
): Command {
  const program = addGlobalOptions(new Command("vault"))
    .description("agent-vault: an encrypted secret store for each AI agent")
    .version(VERSION, "-V, --version")
    // Program options only before the command, so `vault get NAME --version 2` is get's option.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: () => {},
      outputError: () => {},
    })
    .showHelpAfterError(false)
    .addHelpText("after", PROGRAM_HELP);
  const groups = new Map<string, Command>();
  for (const spec of commands) {
    const words = spec.name.split(" ");
    let parent = program;
    if (words.length === 2) {
      const group = words[0] as string;
      let groupCommand = groups.get(group);
      if (!groupCommand) {
        groupCommand = program.command(group).description(`${group} commands`);
        groupCommand.exitOverride().configureOutput({
          writeOut: (text) => io.stdout(text),
          writeErr: () => {},
          outputError: () => {},
        });
        groups.set(group, groupCommand);
      }
      parent = groupCommand;
    }
    const command = addGlobalOptions(
      parent.command(words.at(-1) as string),
      spec.globals,
    ).description(spec.summary);
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: () => {},
      outputError: () => {},
    });
    for (const arg of spec.args ?? []) command.argument(arg);
    for (const [flags, description] of spec.options ?? []) command.option(flags, description);
    if (spec.help) command.addHelpText("after", spec.help);
    command.allowExcessArguments(true);
    if (spec.passThrough) command.passThroughOptions();
    command.action(async (...received: unknown[]) => {
      const self = received.at(-1) as Command;
      const options = self.opts();
      const globals = self.optsWithGlobals() as GlobalOptions;
      // As parsed: a --json after `vault run`'s command is that command's own.
      setJson(globals.json === true);
      const args = received
        .slice(0, self.registeredArguments.length)
        .flatMap((value) =>
          Array.isArray(value) ? (value as string[]) : value === undefined ? [] : [value as string],
        );
      // A variadic last argument ("[args...]") takes every remaining operand.
      const isVariadic = self.registeredArguments.at(-1)?.variadic === true;
      if (!isVariadic && self.args.length > self.registeredArguments.length) {
        throw (
          spec.refuseExtraArgs?.() ??
          vaultError("USAGE", "Too many arguments.", `Run \`vault ${spec.name} --help\`.`)
        );
      }
      if (spec.opensStore !== false) await loadStoreModule();
      const ctx = commandContext(io, globals);
      try {
        setExit(await spec.run(ctx, args, options));
      } finally {
        await ctx.close();
      }
    });
  }
  return program;
}

/** Every command name and every long and short option name any command accepts. */
function knownNames(program: Command): Set<string> {
  const names = new Set<string>(["help"]);
  const visit = (command: Command) => {
    if (command !== program) names.add(command.name());
    for (const option of command.options) {
      if (option.long) names.add(option.long);
      if (option.short) names.add(option.short);
    }
    command.commands.forEach(visit);
  };
  visit(program);
  return names;
}

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code.
 * Never throws and never calls `process.exit`.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  // Only vault's own --json counts, not one meant for the command after `--` (vault run).
  const separator = argv.indexOf("--");
  let json = (separator < 0 ? argv : argv.slice(0, separator)).includes("--json");
  let exitCode = 0;
  // Only the module of the command being run is loaded (all of them for help or a typo).
  const program = buildProgram(
    io,
    await loadCommandsFor(argv),
    (code) => {
      exitCode = code;
    },
    (parsed) => {
      json = parsed;
    },
  );
  try {
    if (argv.length === 0) {
      io.stdout(`${program.helpInformation()}${PROGRAM_HELP}`);
      return 0;
    }
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return 0;
      }
      // Every command's names: an option of another command may be named in the message.
      const everyCommand = buildProgram(io, await loadAllCommands(), () => {});
      reportError(io, json, usageError(error, argv, knownNames(everyCommand)));
      return 2;
    }
    return reportFailure(io, json, error);
  }
}
