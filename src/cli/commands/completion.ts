/**
 * `vault completion bash|zsh|fish`: prints a completion script for the shell.
 */
import { vaultError } from "../../errors.js";
import type { CommandSpec } from "../command.js";
import { COMPLETION_SHELLS, type CompletionShell, completionScript } from "../completion.js";

const completion: CommandSpec = {
  name: "completion",
  summary: "print a shell completion script (bash, zsh or fish)",
  globals: [],
  args: ["<shell>"],
  help: [
    "",
    "Install:",
    '  bash  eval "$(vault completion bash)"        (in ~/.bashrc)',
    '  zsh   eval "$(vault completion zsh)"         (in ~/.zshrc)',
    "  fish  vault completion fish > ~/.config/fish/completions/vault.fish",
    "",
  ].join("\n"),
  async run(ctx, args) {
    const shell = args[0] as string;
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
      throw vaultError(
        "USAGE",
        "Unknown shell for vault completion.",
        `Shells: ${COMPLETION_SHELLS.join(", ")}.`,
      );
    }
    // Loaded here: run.ts loads this module (command-table.ts), so no import back at the top.
    const { describeCommands } = await import("../run.js");
    const { commands, globals } = await describeCommands();
    ctx.io.stdout(completionScript(shell as CompletionShell, commands, globals));
    return 0;
  },
};

/** `vault completion`. */
export const completionCommands: CommandSpec[] = [completion];
