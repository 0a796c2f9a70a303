/**
 * `vault read REF` and `vault inject`: vault references (`vault://AGENT/NAME`, what
 * `vault scan --fix` leaves behind) turned back into values. Each reference is read from its
 * own agent's vault, opened with the key sources `--agent AGENT` would use.
 */
import { open } from "node:fs/promises";
import { vaultError } from "../../errors.js";
import { checkExportTarget, writeExportFile } from "../../export/file.js";
import { parseVaultReference, type VaultReference } from "../../references/reference.js";
import {
  environmentReferences,
  ReferenceResolver,
  referenceText,
  resolveTemplate,
  type VaultOpener,
} from "../../references/resolver.js";
import { findReferences, MAX_TEMPLATE_BYTES } from "../../references/template.js";
import type { Vault } from "../../vault.js";
import { type CommandSpec, emit, note } from "../command.js";
import { type CommandContext, openFromContext, resolvePath } from "../context.js";

/** Opens an agent's vault as `vault --agent AGENT ...` would (same flags, env, key sources). */
export function cliVaultOpener(ctx: CommandContext): VaultOpener {
  return (agent) =>
    openFromContext({ ...ctx, agent, vaultOptions: { ...ctx.vaultOptions, agent } });
}

/**
 * `vault run`'s environment with each variable whose whole value is a reference replaced by
 * the value (as `op run` does), and those values by variable name (for `--mask`). `vault` is
 * the agent's vault, already open; other agents' vaults are opened as `--agent` would.
 * With `pristine`, only PATH and HOME are looked at (the command gets no other variable).
 * Audited as a get per reference (detail: run).
 * @throws VaultError INVALID_INPUT (a malformed reference, naming the variable) | the errors
 *   of `vault read`
 */
export async function resolveEnvironment(
  ctx: CommandContext,
  vault: Vault,
  env: Record<string, string | undefined>,
  pristine: boolean,
): Promise<{
  env: Record<string, string | undefined>;
  values: Array<{ name: string; value: string }>;
}> {
  const looked = pristine ? { PATH: env.PATH, HOME: env.HOME } : env;
  const found = environmentReferences(looked);
  if (found.length === 0) return { env, values: [] };
  // The agent's own vault is the one already open (left open: the caller closes it).
  const own = new ReferenceResolver(vault, { purpose: "run" });
  const others = new ReferenceResolver(cliVaultOpener(ctx), { purpose: "run" });
  const resolved = { ...env };
  const values: Array<{ name: string; value: string }> = [];
  try {
    for (const { variable, reference } of found) {
      const resolver = reference.agent === vault.agent ? own : others;
      const value = await resolver.value(reference);
      resolved[variable] = value;
      values.push({ name: variable, value });
    }
  } finally {
    others.close();
  }
  return { env: resolved, values };
}

/** `--agent A` given and a reference naming another agent: a usage error, not a guess. */
function checkAgentFlag(ctx: CommandContext, references: readonly VaultReference[]): void {
  const flag = ctx.options.agent;
  const other = references.find((reference) => flag !== undefined && reference.agent !== flag);
  if (other) {
    throw vaultError(
      "USAGE",
      `--agent ${flag} conflicts with the reference ${referenceText(other)}.`,
      "A reference names its own agent: drop --agent, or fix the reference.",
    );
  }
}

const read: CommandSpec = {
  name: "read",
  summary: "print the value a vault reference (vault://AGENT/NAME) stands for",
  args: ["<reference>"],
  options: [["-n, --no-newline", "do not print a newline after the value"]],
  help: [
    "",
    "The reference names its agent; that agent's vault is opened with the key sources",
    "`vault --agent AGENT get NAME` would use. Audited as a get (detail: read).",
    "",
    "Examples:",
    "  vault read vault://main/OPENAI_API_KEY",
    '  curl -H "Authorization: Bearer $(vault read -n vault://ops/API_TOKEN)" ...',
    "",
  ].join("\n"),
  async run(ctx, args, options) {
    const reference = parseVaultReference(args[0] as string);
    checkAgentFlag(ctx, [reference]);
    const resolver = new ReferenceResolver(cliVaultOpener(ctx), { purpose: "read" });
    let value: string;
    try {
      value = await resolver.value(reference);
    } finally {
      resolver.close();
    }
    if (ctx.json) {
      const { agent, name } = reference;
      ctx.io.stdout(
        `${JSON.stringify({ agent, name, reference: referenceText(reference), value })}\n`,
      );
    } else {
      ctx.io.stdout(options.newline === false ? value : `${value}\n`);
    }
    return 0;
  },
};

/** Reads at most MAX_TEMPLATE_BYTES + 1 bytes; never names the path (a value may be there). */
async function readTemplateFile(ctx: CommandContext, path: string): Promise<Buffer> {
  const failure = (errno: string) =>
    vaultError(
      "INVALID_INPUT",
      `Cannot read the template given with --in-file (${errno}).`,
      "Check the path given with --in-file.",
    );
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(resolvePath(ctx.io, path), "r");
  } catch (error) {
    throw failure((error as NodeJS.ErrnoException).code ?? "error");
  }
  try {
    const buffer = Buffer.alloc(MAX_TEMPLATE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    throw failure((error as NodeJS.ErrnoException).code ?? "error");
  } finally {
    await handle.close();
  }
}

async function readTemplate(ctx: CommandContext, inFile: string | undefined): Promise<string> {
  if (inFile === undefined && ctx.io.isTTY) {
    throw vaultError(
      "USAGE",
      "vault inject needs a template: --in-file FILE, or one piped on stdin.",
      "e.g. vault inject -i config.yml.tpl -o config.yml",
    );
  }
  const bytes =
    inFile === undefined || inFile === "-"
      ? await ctx.io.readStdin()
      : await readTemplateFile(ctx, inFile);
  if (bytes.length > MAX_TEMPLATE_BYTES) {
    throw vaultError(
      "INVALID_INPUT",
      "The template is larger than 1 MiB.",
      "Split it into smaller templates.",
    );
  }
  try {
    // ignoreBOM keeps a byte order mark in the text: the output is the template's bytes.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw vaultError("INVALID_INPUT", "The template is not UTF-8 text.", "Save it as UTF-8.");
  }
}

const INJECT_HELP = `
Template syntax:
  Every vault:// starts a reference: vault://AGENT/NAME, where NAME is the longest run of
  A-Z, 0-9 and _ after the slash (it ends at the first other character: a dot, a quote, a
  lower-case letter, a space, the end of the text). {{ vault://AGENT/NAME }} (spaces
  optional) is replaced braces included: use it when letters or digits follow the value.
  A vault:// that is not a valid reference is an error (line and column are given).

Output:
  --out-file FILE is written whole or not at all (temp file, fsync, rename) with mode 0600;
  an existing regular file of yours is replaced; symlinks, folders and devices are refused.
  Values go to stdout only with --out-file - : nothing is printed by default.
  If any reference cannot be resolved, nothing is written and the error names it.
  Each reference is read from its own agent's vault (with the key sources --agent AGENT
  would use) and audited as a get (detail: inject).

Examples:
  vault inject -i config.yml.tpl -o config.yml
  echo 'token: {{ vault://main/API_TOKEN }}' | vault inject -o -
`;

const inject: CommandSpec = {
  name: "inject",
  summary: "write a config file from a template, vault references replaced by their values",
  options: [
    ["-i, --in-file <file>", "the template ('-' or none: stdin)"],
    ["-o, --out-file <file>", "where to write the result (mode 0600); '-' for stdout"],
  ],
  help: INJECT_HELP,
  async run(ctx, _args, options) {
    const outOption = options.outFile as string | undefined;
    if (outOption === undefined) {
      throw vaultError(
        "USAGE",
        "vault inject writes values only where told: give --out-file FILE (or --out-file - for stdout).",
        "e.g. vault inject -i config.yml.tpl -o config.yml",
      );
    }
    const inOption = options.inFile as string | undefined;
    const out = outOption === "-" ? undefined : resolvePath(ctx.io, outOption);
    if (out !== undefined && inOption !== undefined && inOption !== "-") {
      if (resolvePath(ctx.io, inOption) === out) {
        throw vaultError(
          "USAGE",
          "--out-file names the template itself.",
          "Write the result to another file; keep the template (it holds no values).",
        );
      }
    }
    const template = await readTemplate(ctx, inOption);
    const spans = findReferences(template);
    checkAgentFlag(ctx, spans);
    // A file that would be refused fails before any value leaves a vault.
    if (out !== undefined) await checkExportTarget(out);
    const resolver = new ReferenceResolver(cliVaultOpener(ctx), { purpose: "inject" });
    let text: string;
    try {
      text = await resolveTemplate(template, resolver);
    } finally {
      resolver.close();
    }
    const references = [...new Set(spans.map(referenceText))];
    if (out === undefined) {
      ctx.io.stdout(text);
      return 0;
    }
    await writeExportFile(out, text);
    const count = `${references.length} reference${references.length === 1 ? "" : "s"}`;
    if (ctx.json) emit(ctx, { file: out, references }, []);
    else note(ctx, `Wrote ${out} (${count} resolved).`);
    return 0;
  },
};

/** `vault read` and `vault inject`. */
export const referenceCommands: CommandSpec[] = [read, inject];
