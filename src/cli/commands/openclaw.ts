/**
 * `vault openclaw resolve | setup | import`: agent-vault as OpenClaw's exec SecretRef provider.
 *
 * `resolve` runs on every OpenClaw secrets reload, so this module loads only what it needs
 * (setup and import load their modules when they run), and the bin answers a plain `resolve`
 * line without building the whole command line (plain.ts).
 */
import { existsSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ioError, isVaultError, type VaultError, vaultError } from "../../errors.js";
import {
  failureResponse,
  MAX_REQUEST_BYTES,
  parseResolveRequest,
  type ResolveRequest,
  type ResolveResponse,
  resolveResponse,
} from "../../openclaw/protocol.js";
import { resolveOpenclawIds } from "../../openclaw/resolve.js";
import type { ExecProviderBlock } from "../../openclaw/setup.js";
import { openVault } from "../../vault.js";
import { type CommandSpec, emit } from "../command.js";
import { type CommandContext, keySourceFromFlags, resolvePath, withVault } from "../context.js";
import { progressLine } from "../progress.js";

function writeResponse(ctx: CommandContext, response: ResolveResponse): void {
  ctx.io.stdout(`${JSON.stringify(response)}\n`);
}

/** For people running it by hand: what failed, never a value. */
function explain(ctx: CommandContext, error: VaultError): void {
  ctx.io.stderr(`vault: ${error.message}\n  ${error.hint}\n`);
}

/** An unexpected failure (a bug), reported by its type only: its message could quote input. */
function internalError(error: unknown): VaultError {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return vaultError(
    "INTERNAL",
    `Internal error (${name}).`,
    "This is a bug in agent-vault; please report the command you ran (not its values).",
  );
}

/** Answers with `error` (and `ids` failing with its code), explains on stderr, exits with it. */
function fail(ctx: CommandContext, error: unknown, ids: readonly string[] = []): number {
  const failure = isVaultError(error) ? error : internalError(error);
  const errors = new Map(ids.map((id) => [id, failure.code]));
  writeResponse(ctx, failureResponse(failure, new Map(), errors));
  explain(ctx, failure);
  return failure.exitCode;
}

/**
 * Reads one request from stdin and answers it on stdout. Exit 0 when every vault opened (ids
 * it has no secret for are `NOT_FOUND`); a malformed request, a vault that would not open or
 * a bug exits with that error's code, the response then carrying `error` and per-id codes.
 * Never throws: OpenClaw reads stdout, and a stack trace could quote input.
 */
async function resolve(ctx: CommandContext): Promise<number> {
  let request: ResolveRequest;
  try {
    request = parseResolveRequest(await ctx.io.readStdin(MAX_REQUEST_BYTES));
  } catch (error) {
    return fail(ctx, error);
  }
  try {
    // Never a prompt: OpenClaw holds stdin, and nobody is there to answer.
    const { prompt: _prompt, ...options } = ctx.vaultOptions;
    const outcome = await resolveOpenclawIds(request.ids, {
      defaultAgent: ctx.agent,
      async open(agent) {
        // Inside a `vault agent`: its held keys (or it declines the request).
        const held = ctx.io.heldVault;
        if (held) return held({ ...ctx, agent, vaultOptions: { ...options, agent } });
        // Per agent: --key-dir names each agent's own key file.
        const keySource = await keySourceFromFlags({ ...ctx, agent });
        return openVault({ ...options, agent, ...(keySource ? { keySource } : {}) });
      },
    });
    if (outcome.failure) {
      writeResponse(ctx, failureResponse(outcome.failure, outcome.values, outcome.errors));
      explain(ctx, outcome.failure);
      return outcome.failure.exitCode;
    }
    writeResponse(ctx, resolveResponse(outcome.values, outcome.errors));
    return 0;
  } catch (error) {
    return fail(ctx, error, request.ids);
  }
}

/** The built bin (`dist/cli/bin.js`), also when this module runs from `src/` (tests). */
function binPath(): string {
  const sibling = fileURLToPath(new URL("../bin.js", import.meta.url));
  return existsSync(sibling)
    ? sibling
    : fileURLToPath(new URL("../../../dist/cli/bin.js", import.meta.url));
}

/**
 * A store URL for OpenClaw's config, which is no place for a password.
 * @throws VaultError USAGE when the URL carries one
 */
function storeArgument(url: string): string {
  if (url !== "file" && /^[a-z]+:\/\/[^/@:]*:[^/@]*@|[?&]password=/i.test(url)) {
    throw vaultError(
      "USAGE",
      "The store URL holds a password; it would be written into openclaw.json.",
      'Give the URL without it (the password goes in ~/.pgpass), or name the store in the home\'s config.json ({"store": "postgres://…"}).',
    );
  }
  return url;
}

/** The name of the launcher script `setup` writes beside openclaw.json when it needs one. */
const LAUNCHER_NAME = "agent-vault-resolve";

/**
 * The provider block for this agent and home, and the launcher script to write first when
 * OpenClaw would run neither Node.js nor the bin (both owned by root, for a user).
 */
async function providerBlock(
  ctx: CommandContext,
  configPath: string,
): Promise<{ block: ExecProviderBlock; launcher?: { path: string; text: string } }> {
  const { chooseExecCommand, execProviderBlock, PASS_ENV } = await import(
    "../../openclaw/setup.js"
  );
  const args = ["openclaw", "resolve", "--agent", ctx.agent, "--home", ctx.home];
  if (ctx.options.keyFile) args.push("--key-file", resolvePath(ctx.io, ctx.options.keyFile));
  if (ctx.options.keyDir) args.push("--key-dir", resolvePath(ctx.io, ctx.options.keyDir));
  if (ctx.options.store) args.push("--store", storeArgument(ctx.options.store));
  if (ctx.options.passphraseFile) {
    args.push("--passphrase-file", resolvePath(ctx.io, ctx.options.passphraseFile));
  }
  const uid = process.getuid?.();
  const chosen = await chooseExecCommand({
    node: await realpath(process.execPath),
    bin: await realpath(binPath()).catch((error: unknown) => {
      throw ioError(error, "find the vault bin (dist/cli/bin.js: is agent-vault built?)");
    }),
    ...(uid === undefined ? {} : { uid }),
    launcherPath: join(dirname(configPath), LAUNCHER_NAME),
  });
  const block = execProviderBlock(
    chosen.command,
    [...chosen.argsBefore, ...args],
    chosen.needsPath ? [...PASS_ENV, "PATH"] : PASS_ENV,
  );
  return chosen.launcher ? { block, launcher: chosen.launcher } : { block };
}

function openclawHome(ctx: CommandContext): string {
  return ctx.io.env.HOME ?? homedir();
}

async function configPathOf(ctx: CommandContext, option: unknown): Promise<string> {
  const { openclawPaths } = await import("../../openclaw/config-file.js");
  const given = typeof option === "string" ? resolvePath(ctx.io, option) : undefined;
  return openclawPaths(ctx.io.env, openclawHome(ctx), given).configPath;
}

const resolveCommand: CommandSpec = {
  name: "openclaw resolve",
  summary: "answer one OpenClaw exec SecretRef request (JSON on stdin and stdout)",
  help: `
Reads {"protocolVersion":1,"ids":[...]} and prints {"protocolVersion":1,"values":{...}}.
Ids map to secrets: agent:AGENT/ prefix picks the vault; then the secret whose refs list the
id (vault set NAME --ref ID); then the name rule providers/openai/apiKey -> OPENAI_API_KEY.
Unknown ids get {"code":"NOT_FOUND"}. Never prompts: unlocks with the keychain, a remembered
key file, --key-file, $AGENT_VAULT_KEY_FILE, $AGENT_VAULT_KEY or $AGENT_VAULT_PASSPHRASE.`,
  async run(ctx) {
    return resolve(ctx);
  },
};

const setupCommand: CommandSpec = {
  name: "openclaw setup",
  summary: "print (or --write into openclaw.json) the exec provider block for this agent",
  options: [
    ["--alias <alias>", "provider alias (default agentvault)"],
    ["--write", "merge it into openclaw.json (after a 0600 backup)"],
    [
      "--config <path>",
      "openclaw.json (default $OPENCLAW_CONFIG_PATH or ~/.openclaw/openclaw.json)",
    ],
  ],
  async run(ctx, _args, options) {
    const { checkAlias, DEFAULT_ALIAS, mergeProvider } = await import("../../openclaw/setup.js");
    const alias = checkAlias(typeof options.alias === "string" ? options.alias : DEFAULT_ALIAS);
    const configPath = await configPathOf(ctx, options.config);
    const { block, launcher } = await providerBlock(ctx, configPath);
    const snippet = { secrets: { providers: { [alias]: block } } };
    const example = { source: "exec", provider: alias, id: "providers/openai/apiKey" };
    const launcherNote = launcher
      ? [
          `OpenClaw would refuse Node.js and the vault bin (not owned by you): the command is a`,
          `launcher script, ${launcher.path}, which --write creates (mode 0700).`,
        ]
      : [];
    if (!options.write) {
      emit(
        ctx,
        {
          alias,
          provider: block,
          written: false,
          ...(launcher ? { launcher: launcher.path } : {}),
        },
        [
          JSON.stringify(snippet, null, 2),
          "",
          `Refer to a secret as ${JSON.stringify(example)} (here: OPENAI_API_KEY).`,
          ...launcherNote,
          "Merge it into openclaw.json with --write, then: openclaw secrets audit --allow-exec",
        ],
      );
      return 0;
    }
    const { parseOpenclawConfig, readTextFile, replaceFile } = await import(
      "../../openclaw/config-file.js"
    );
    if (launcher) {
      const { writeLauncher } = await import("../../openclaw/import.js");
      await writeLauncher(launcher, ctx.io.now());
    }
    const original = await readTextFile(configPath);
    const config = original
      ? parseOpenclawConfig(
          original.text,
          typeof options.config === "string" ? "the file given with --config" : configPath,
        )
      : {};
    const changed = mergeProvider(config, alias, block);
    let backup: string | undefined;
    if (changed) {
      backup = await replaceFile(configPath, `${JSON.stringify(config, null, 2)}\n`, {
        ...(original ? { original } : {}),
        now: ctx.io.now(),
      });
    }
    emit(
      ctx,
      {
        alias,
        provider: block,
        written: changed,
        configPath,
        ...(backup ? { backup } : {}),
        ...(launcher ? { launcher: launcher.path } : {}),
      },
      changed
        ? [
            ...(launcher ? [`Wrote the launcher script ${launcher.path}.`] : []),
            `Wrote provider ${alias} to ${configPath}${backup ? ` (backup: ${backup})` : ""}.`,
            "The file is now plain JSON: JSON5 comments are not kept (the backup has them).",
            "Check it with: openclaw secrets audit --allow-exec",
          ]
        : `Provider ${alias} in ${configPath} is already up to date.`,
    );
    return 0;
  },
};

const importCommand: CommandSpec = {
  name: "openclaw import",
  summary: "move OpenClaw's plaintext credentials (openclaw.json, .env) into the vault",
  options: [
    [
      "--config <path>",
      "openclaw.json (default $OPENCLAW_CONFIG_PATH or ~/.openclaw/openclaw.json)",
    ],
    ["--env-file <path>", "the .env file to read (default: OpenClaw's own .env files)"],
    ["--dry-run", "print the plan (names and paths, never values) and change nothing"],
    ["--alias <alias>", "provider alias (default agentvault)"],
    ["--overwrite", "store a new version of secrets the vault holds with another value"],
  ],
  help: `
Each plaintext credential in a field where OpenClaw accepts a SecretRef is stored in the vault
(name by the rule providers/openai/apiKey -> OPENAI_API_KEY) and replaced by
{"source":"exec","provider":"agentvault","id":"providers/openai/apiKey"}. Credential lines of
.env are stored under their own name and replaced by a comment without the value. Both files
are backed up (mode 0600) and replaced atomically; openclaw.json is written as plain JSON.`,
  async run(ctx, _args, options) {
    const setup = await import("../../openclaw/setup.js");
    const importing = await import("../../openclaw/import.js");
    const alias = setup.checkAlias(
      typeof options.alias === "string" ? options.alias : setup.DEFAULT_ALIAS,
    );
    const files = await importing.readOpenclawImportFiles({
      env: ctx.io.env,
      home: openclawHome(ctx),
      configPath:
        typeof options.config === "string" ? resolvePath(ctx.io, options.config) : undefined,
      envFile:
        typeof options.envFile === "string" ? resolvePath(ctx.io, options.envFile) : undefined,
    });
    const provider = importing.needsProviderBlock(files.config, alias)
      ? await providerBlock(ctx, files.configPath)
      : undefined;
    const dryRun = options.dryRun === true;
    const progress = progressLine(ctx);
    const result = await withVault(ctx, (vault) =>
      importing
        .importOpenclawCredentials(vault, files, {
          agent: ctx.agent,
          alias,
          now: ctx.io.now(),
          overwrite: options.overwrite === true,
          dryRun,
          provider,
          onStoring: (count) =>
            progress.show(
              `Storing ${count} secret(s) in the vault, then rewriting the files…`,
              true,
            ),
        })
        .finally(() => progress.end()),
    );
    const { plan, envOnly } = result;
    const summary = {
      agent: ctx.agent,
      alias,
      configPath: files.configPath,
      dryRun,
      config: plan.config.map(({ path, id, name, from }) => ({ path, id, name, from })),
      env: plan.env,
      leftAlone: plan.leftAlone,
    };
    const lines = [
      `${dryRun ? "Plan" : "Import"} for agent ${ctx.agent}, provider ${alias} (${files.configPath}):`,
      ...plan.config.map((m) => `  ${m.path} -> ${m.name} (ref ${m.id})`),
      ...plan.env.map(
        (m) => `  ${m.file}:${m.line} ${m.key} -> ${m.name} (line replaced by a comment)`,
      ),
      ...(plan.config.length + plan.env.length === 0 ? ["  no plaintext credentials found"] : []),
      ...(plan.leftAlone.length > 0 ? ["Left alone:"] : []),
      ...plan.leftAlone.map((l) => `  ${l.where}: ${l.reason}`),
    ];
    if (envOnly.length > 0) {
      lines.push(
        `OpenClaw no longer finds ${envOnly.join(", ")} in .env: start it with`,
        `  vault run --agent ${ctx.agent} --only ${envOnly.join(",")} -- openclaw gateway`,
      );
    }
    if (!result.applied) {
      emit(ctx, summary, lines);
      return 0;
    }
    lines.push(
      `Stored ${result.stored.length} secret(s) in the vault of agent ${ctx.agent}.`,
      ...(provider ? [`Added provider ${alias} to ${files.configPath}.`] : []),
      ...result.backups.map(
        (path) => `Backup (holds the old plaintext; delete it once OpenClaw works): ${path}`,
      ),
      "Check with: openclaw secrets audit --allow-exec",
    );
    emit(ctx, { ...summary, stored: result.stored, backups: result.backups }, lines);
    return 0;
  },
};

/** The OpenClaw commands, in help order. */
export const openclawCommands: CommandSpec[] = [setupCommand, importCommand, resolveCommand];
