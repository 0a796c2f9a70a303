/**
 * set, get, list, rm, purge, history, rollback, and import (from a dotenv file).
 */
import { vaultError } from "../../errors.js";
import { checkSecretName, MAX_VALUE_BYTES, SECRET_NAME_PATTERN } from "../../grammar.js";
import { isVaultReference } from "../../references/reference.js";
import { parseRotatorSpec } from "../../rotation/rotator-spec.js";
import { randomValue } from "../../rotation/rotators.js";
import type { SecretInfo, SetOptions, Vault } from "../../vault.js";
import { type CommandSpec, emit, note } from "../command.js";
import {
  type CommandContext,
  promptOrFail,
  readUserFile,
  resolvePath,
  withVault,
} from "../context.js";
import { POLICY_OPTIONS, policyFromOptions, policyNote, warnAboutRotator } from "./rotation.js";

/** Strips one trailing newline (`echo value | vault set NAME` adds one). */
function stripOneNewline(text: string): string {
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n")) return text.slice(0, -1);
  return text;
}

function decodeUtf8(bytes: Buffer, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw vaultError(
      "INVALID_VALUE",
      `The value given for ${name} is not UTF-8 text.`,
      "Store text; encode binary data as base64 first.",
    );
  }
}

/** The most input read for a value: the largest value plus the newline a pipe may add (CRLF). */
const MAX_VALUE_INPUT = MAX_VALUE_BYTES + 2;

/** Decodes piped or file input, refusing more than {@link MAX_VALUE_INPUT} bytes. */
function valueFromInput(bytes: Buffer, name: string): string {
  if (bytes.length > MAX_VALUE_INPUT) {
    throw vaultError(
      "INVALID_VALUE",
      `The value for ${name} is larger than 64 KiB.`,
      "Store large material in a file and keep its key or path in the vault.",
    );
  }
  return stripOneNewline(decodeUtf8(bytes, name));
}

/**
 * Reads the value to store: --value-file, else stdin when piped, else a no-echo prompt. Input
 * is read only up to one byte past the largest value, whatever its source. `undefined` when
 * stdin was piped empty and `metadataOnly` allows that (metadata changes).
 */
async function readValue(
  ctx: CommandContext,
  name: string,
  valueFile: string | undefined,
  metadataOnly = false,
): Promise<string | undefined> {
  if (valueFile !== undefined) {
    const bytes =
      valueFile === "-"
        ? await ctx.io.readStdin(MAX_VALUE_INPUT)
        : await readUserFile(ctx.io, valueFile, "the file given with --value-file", {
            hint: "Check the path given with --value-file.",
            maxBytes: MAX_VALUE_INPUT,
          });
    return valueFromInput(bytes, name);
  }
  if (!ctx.io.isTTY) {
    const piped = valueFromInput(await ctx.io.readStdin(MAX_VALUE_INPUT), name);
    return piped === "" && metadataOnly ? undefined : piped;
  }
  return promptOrFail(ctx.io, `Value for ${name} (input hidden): `);
}

function secretLine(info: SecretInfo): string {
  const parts = [info.name.padEnd(28), `v${info.version}`.padEnd(5), info.updatedAt];
  if (info.env) parts.push(`env=${info.env}`);
  if (info.tags.length > 0) parts.push(`tags=${info.tags.join(",")}`);
  if (info.removedAt) parts.push("(removed)");
  if (info.description) parts.push(`- ${info.description}`);
  return parts.join("  ");
}

function parseVersion(text: unknown, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const version = Number(text);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw vaultError(
      "USAGE",
      `${flag} takes a version number (1, 2, ...).`,
      "See `vault history NAME`.",
    );
  }
  return version;
}

const set: CommandSpec = {
  name: "set",
  summary: "store a secret (value from stdin, --value-file, or a hidden prompt; never argv)",
  args: ["<name>"],
  refuseExtraArgs: () =>
    vaultError(
      "VALUE_IN_ARGV",
      "vault set does not take a value on the command line: argv is visible to other users and lands in shell history.",
      'Pipe it in (printf %s "$VALUE" | vault set NAME), use --value-file, or run vault set NAME on a terminal to be prompted.',
    ),
  options: [
    ["--value-file <file>", "read the value from a file ('-' for stdin)"],
    [
      "--generate",
      "make the value with the secret's random: rotator (given with --rotator or set before)",
    ],
    ["--env <var>", "environment variable name to export it as"],
    ["--tag <tag...>", "tag (repeatable)"],
    ["--description <text>", "what the secret is for"],
    ["--ref <id...>", "external id it answers to, e.g. providers/openai/apiKey (repeatable)"],
    ...POLICY_OPTIONS,
  ],
  help: '\nMetadata options alone (--tag, --env, --max-age, ...) on an existing secret change its metadata, not its value: no prompt, no new version (piped: when stdin is empty).\n\nExamples:\n  printf %s "$KEY" | vault set OPENAI_API_KEY\n  vault set OPENAI_API_KEY            (prompts without echo)\n  vault set WEBHOOK_TOKEN --generate --rotate @monthly --rotator random:32:hex:whk_\n  vault set OPENAI_API_KEY --max-age 30d --tag prod   (metadata only)\n',
  async run(ctx, args, options) {
    const name = checkSecretName(args[0] as string);
    // The policy is checked before the value is read: a typo never costs a prompt.
    const policy = policyFromOptions(options);
    warnAboutRotator(ctx, policy);
    const metadata: SetOptions = {};
    if (policy) metadata.rotation = policy;
    if (options.ref !== undefined) metadata.refs = options.ref as string[];
    if (options.env !== undefined) metadata.env = options.env as string;
    if (options.tag !== undefined) metadata.tags = options.tag as string[];
    if (options.description !== undefined) metadata.description = options.description as string;
    const valueFile = options.valueFile as string | undefined;
    if (options.generate) {
      if (valueFile !== undefined) {
        throw vaultError("USAGE", "--generate and --value-file both give the value.", "Use one.");
      }
      return reportSet(ctx, await withVault(ctx, (vault) => generateAndSet(vault, name, metadata)));
    }
    const changesMetadata = Object.keys(metadata).length > 0;
    // Metadata alone never needs the value: on a terminal an existing secret is not prompted
    // for; piped, an empty input with metadata options changes only the metadata.
    if (changesMetadata && valueFile === undefined && ctx.io.isTTY) {
      const updated = await withVault(ctx, async (vault) =>
        (await vault.has(name)) ? vault.update(name, metadata) : undefined,
      );
      if (updated) return reportUpdate(ctx, name, updated);
    }
    const value = await readValue(ctx, name, valueFile, changesMetadata);
    if (value === undefined) {
      return reportUpdate(ctx, name, await withVault(ctx, (vault) => vault.update(name, metadata)));
    }
    const info = await withVault(ctx, async (vault) =>
      vault.set(name, value, await mergedPolicy(vault, name, metadata)),
    );
    return reportSet(ctx, info);
  },
};

/** A partial policy given to `set` is merged over the secret's current one, as `update` does. */
async function mergedPolicy(vault: Vault, name: string, metadata: SetOptions): Promise<SetOptions> {
  if (!metadata.rotation) return metadata;
  const current = (await vault.list()).find((info) => info.name === name)?.rotation;
  return current ? { ...metadata, rotation: { ...current, ...metadata.rotation } } : metadata;
}

/** `set --generate`: a new value from the secret's `random:` rotator (given now or already set). */
async function generateAndSet(
  vault: Vault,
  name: string,
  metadata: SetOptions,
): Promise<SecretInfo> {
  const options = await mergedPolicy(vault, name, metadata);
  const rotator =
    options.rotation?.rotator ??
    (await vault.list()).find((info) => info.name === name)?.rotation?.rotator;
  const spec = rotator ? parseRotatorSpec(rotator) : undefined;
  if (spec?.kind !== "random") {
    throw vaultError(
      "USAGE",
      `--generate makes the value with the secret's random: rotator, and ${name} has none.`,
      `Give one: vault set ${name} --generate --rotator random:32 (or random:32:hex:prefix_).`,
    );
  }
  return vault.set(name, randomValue(spec), options);
}

function reportSet(ctx: CommandContext, info: SecretInfo): number {
  emit(ctx, { agent: ctx.agent, ...info }, [
    `Stored ${info.name} (version ${info.version}) for agent ${ctx.agent}.`,
    ...(info.rotation ? [policyNote(info.rotation) as string] : []),
  ]);
  return 0;
}

function reportUpdate(ctx: CommandContext, name: string, info: SecretInfo): number {
  emit(ctx, { agent: ctx.agent, ...info }, [
    `Updated the metadata of ${name} for agent ${ctx.agent}; its value is unchanged (version ${info.version}).`,
    ...(info.rotation ? [policyNote(info.rotation) as string] : []),
  ]);
  return 0;
}

const get: CommandSpec = {
  name: "get",
  summary: "print a secret's value (one of the commands that release values)",
  args: ["<name>"],
  options: [
    ["--version <n>", "an older kept version"],
    ["-n, --no-newline", "do not print a newline after the value"],
  ],
  async run(ctx, args, options) {
    if (isVaultReference(args[0] as string)) {
      throw vaultError(
        "USAGE",
        "vault get takes a secret name, not a vault reference.",
        "Read a reference with: vault read vault://AGENT/NAME",
      );
    }
    const name = checkSecretName(args[0] as string);
    const version = parseVersion(options.version, "--version");
    const value = await withVault(ctx, (vault) =>
      vault.get(name, version === undefined ? {} : { version }),
    );
    if (ctx.json) {
      ctx.io.stdout(`${JSON.stringify({ agent: ctx.agent, name, value })}\n`);
    } else {
      ctx.io.stdout(options.newline === false ? value : `${value}\n`);
    }
    return 0;
  },
};

const list: CommandSpec = {
  name: "list",
  summary: "names and metadata of the agent's secrets (never values)",
  options: [["--all", "include removed secrets"]],
  async run(ctx, _args, options) {
    const secrets = await withVault(ctx, (vault) =>
      vault.list({ includeRemoved: options.all === true }),
    );
    emit(
      ctx,
      { agent: ctx.agent, secrets },
      secrets.length === 0
        ? [`Agent ${ctx.agent} has no secrets yet. Add one: vault set NAME`]
        : secrets.map(secretLine),
    );
    return 0;
  },
};

const rm: CommandSpec = {
  name: "rm",
  summary: "remove a secret (its history is kept until `vault purge`)",
  args: ["<name>"],
  async run(ctx, args) {
    const name = checkSecretName(args[0] as string);
    await withVault(ctx, (vault) => vault.remove(name));
    emit(
      ctx,
      { agent: ctx.agent, name, removed: true },
      `Removed ${name}. Restore it with: vault rollback ${name} --to N`,
    );
    return 0;
  },
};

const purge: CommandSpec = {
  name: "purge",
  summary: "delete a secret and all its history for good",
  args: ["<name>"],
  async run(ctx, args) {
    const name = checkSecretName(args[0] as string);
    await withVault(ctx, (vault) => vault.purge(name));
    emit(ctx, { agent: ctx.agent, name, purged: true }, `Purged ${name} and its history.`);
    return 0;
  },
};

const history: CommandSpec = {
  name: "history",
  summary: "kept versions of a secret",
  args: ["<name>"],
  async run(ctx, args) {
    const name = checkSecretName(args[0] as string);
    const versions = await withVault(ctx, (vault) => vault.history(name));
    emit(
      ctx,
      { agent: ctx.agent, name, versions },
      versions.map((entry) => `v${entry.version}  ${entry.createdAt}  ${entry.label}`),
    );
    return 0;
  },
};

const rollback: CommandSpec = {
  name: "rollback",
  summary: "make an older version current again (as a new version)",
  args: ["<name>"],
  options: [["--to <n>", "the version to restore"]],
  async run(ctx, args, options) {
    const name = checkSecretName(args[0] as string);
    const to = parseVersion(options.to, "--to");
    if (to === undefined)
      throw vaultError("USAGE", "rollback needs --to N.", `See \`vault history ${name}\`.`);
    const info = await withVault(ctx, (vault) => vault.rollback(name, to));
    emit(
      ctx,
      { agent: ctx.agent, ...info, restoredFrom: to },
      `Restored ${name} version ${to} as version ${info.version}.`,
    );
    note(ctx, "If the newer value leaked, revoke it at its provider too.");
    return 0;
  },
};

/** Lines dotenv would skip that are not blank or comments: a malformed file. */
function hasStrayLines(text: string, parsedCount: number): boolean {
  const meaningful = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
  return meaningful.length > 0 && parsedCount === 0;
}

const importEnv: CommandSpec = {
  name: "import",
  summary: "move secrets from a dotenv file into the vault (reports names, never values)",
  args: ["<file>"],
  options: [["--overwrite", "store a new version of secrets that already exist"]],
  async run(ctx, args, options) {
    const path = resolvePath(ctx.io, args[0] as string);
    const hint = "Give a dotenv file: NAME=value lines.";
    const bytes = await readUserFile(ctx.io, path, "the dotenv file", { hint });
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw vaultError("INVALID_INPUT", "The dotenv file is not UTF-8 text.", hint);
    }
    if (text.includes("\0")) {
      throw vaultError(
        "INVALID_INPUT",
        "The file is not a dotenv file (it holds NUL bytes).",
        "Give a dotenv file: NAME=value lines.",
      );
    }
    // dotenv's own reading, in linear time (its parse is quadratic on runs of blank lines).
    const { parseDotenv } = await import("../../export/dotenv-parse.js");
    const entries = parseDotenv(text);
    if (hasStrayLines(text, entries.length)) {
      throw vaultError(
        "INVALID_INPUT",
        "The file has no NAME=value lines.",
        "Give a dotenv file: NAME=value lines.",
      );
    }
    const imported: string[] = [];
    const skipped: Array<{ name: string; reason: string }> = [];
    await withVault(ctx, async (vault) => {
      const toStore: Array<{ name: string; value: string }> = [];
      for (const [name, value] of entries) {
        if (!SECRET_NAME_PATTERN.test(name)) {
          skipped.push({
            name: name.slice(0, 128),
            reason: "not a valid secret name (A-Z, 0-9, _)",
          });
        } else if (value === "") {
          skipped.push({ name, reason: "empty value" });
        } else if (!options.overwrite && (await vault.has(name))) {
          skipped.push({ name, reason: "already in the vault (use --overwrite)" });
        } else {
          toStore.push({ name, value });
        }
      }
      // One write for the whole file: all of it is stored, or none of it.
      if (toStore.length > 0) await vault.setMany(toStore);
      imported.push(...toStore.map((entry) => entry.name));
    });
    emit(ctx, { agent: ctx.agent, file: path, imported, skipped }, [
      `Imported ${imported.length} secret(s) into agent ${ctx.agent}: ${imported.join(", ") || "none"}`,
      ...skipped.map((s) => `  skipped ${s.name}: ${s.reason}`),
      ...(imported.length > 0
        ? [`Next: delete or shred ${args[0]} (it still holds the values in plain text).`]
        : []),
    ]);
    return 0;
  },
};

/** The secret commands. */
export const secretCommands: CommandSpec[] = [
  set,
  get,
  list,
  rm,
  purge,
  history,
  rollback,
  importEnv,
];
