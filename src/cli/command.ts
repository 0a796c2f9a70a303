/**
 * Commands are data: a name, a summary, arguments, options and a function from a context to an
 * exit code. `run.ts` turns the list into a commander program.
 */
import type { CommandContext } from "./context.js";

/** The options every command accepts (`--json`, `--agent`, …), by their long name. */
export type GlobalOptionName =
  | "json"
  | "agent"
  | "home"
  | "store"
  | "passphrase-file"
  | "key-file"
  | "key-dir";

/** One CLI command. */
export interface CommandSpec {
  /** "set", or "key add-ci" for a subcommand of a group. */
  name: string;
  summary: string;
  /** commander argument syntax: "<name>", "[paths...]". */
  args?: string[];
  /** [flags, description] pairs in commander syntax; repeatable options end in "...". */
  options?: Array<[string, string]>;
  /**
   * What extra positional arguments mean, when they are not simply a usage error
   * (`vault set NAME VALUE` is refused as a value in argv).
   */
  refuseExtraArgs?: () => Error;
  /** Options after the first operand belong to it (`vault run CMD --flag`). */
  passThrough?: boolean;
  /**
   * The global options this command uses, shown in its help (default: all of them). The
   * others are still accepted, so a script that passes `--agent` everywhere keeps working.
   */
  globals?: readonly GlobalOptionName[];
  /**
   * `false`: the command seldom opens a store, so the store modules are not loaded before it
   * runs (they load if it opens a vault after all). `vault scan` runs in every pre-commit hook.
   */
  opensStore?: false;
  /** Longer help shown after the options. */
  help?: string;
  /** Returns the exit code (0 when nothing to report). */
  run(ctx: CommandContext, args: string[], options: Record<string, unknown>): Promise<number>;
}

/** Prints `value` as JSON on stdout (with `--json`) or the text lines otherwise. */
export function emit(ctx: CommandContext, value: unknown, text: string | string[]): void {
  if (ctx.json) {
    ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const lines = Array.isArray(text) ? text : [text];
  if (lines.length > 0) ctx.io.stdout(`${lines.join("\n")}\n`);
}

/** A note for people on stderr (silent with --json). */
export function note(ctx: CommandContext, text: string): void {
  if (!ctx.json) ctx.io.stderr(`${text}\n`);
}
