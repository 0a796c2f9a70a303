/**
 * `vault hook install` / `vault hook uninstall`: the git pre-commit hook that runs
 * `vault scan --staged` (see src/scan/hook.ts).
 */
import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { installHook, uninstallHook } from "../../scan/hook.js";
import { type CommandSpec, emit } from "../command.js";
import type { CommandContext } from "../context.js";

/** The bin.js next to this command's folder: the CLI that installs the hook is the one it runs. */
function binPath(): string {
  const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin.js");
  try {
    return realpathSync(bin);
  } catch {
    return bin;
  }
}

function gitOptions(ctx: CommandContext) {
  return { cwd: ctx.io.cwd, ...(ctx.io.env.PATH ? { env: ctx.io.env } : {}) };
}

const install: CommandSpec = {
  name: "hook install",
  summary: "install the git pre-commit hook that runs `vault scan --staged`",
  globals: ["json", "agent", "home"],
  help: `
An existing pre-commit hook is kept as pre-commit.local and run first. core.hooksPath is
honoured. --agent and --home given here are written into the hook.`,
  async run(ctx) {
    const args = [
      ...(ctx.options.agent ? ["--agent", ctx.agent] : []),
      ...(ctx.options.home ? ["--home", ctx.home] : []),
    ];
    const result = await installHook(gitOptions(ctx), {
      node: process.execPath,
      bin: binPath(),
      args,
    });
    const said = {
      installed: "Installed",
      updated: "Updated",
      chained: "Installed (the existing hook was kept as pre-commit.local and runs first)",
    } as Record<string, string>;
    emit(ctx, result, [
      `${said[result.action] ?? result.action}: ${result.path}`,
      "Commits whose staged files hold a secret are now blocked; bypass one with git commit --no-verify.",
    ]);
    return 0;
  },
};

const uninstall: CommandSpec = {
  name: "hook uninstall",
  summary: "remove the pre-commit hook (and restore the hook it had kept)",
  globals: ["json"],
  async run(ctx) {
    const result = await uninstallHook(gitOptions(ctx));
    const said: Record<string, string> = {
      removed: `Removed ${result.path}.`,
      restored: `Removed; the previous hook is back at ${result.path}.`,
      absent: `No agent-vault hook at ${result.path}; nothing changed.`,
    };
    emit(ctx, result, said[result.action] ?? result.action);
    return 0;
  },
};

/** The hook commands. */
export const hookCommands: CommandSpec[] = [install, uninstall];
