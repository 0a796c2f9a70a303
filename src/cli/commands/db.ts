/**
 * `vault db init` and `vault db add-agent NAME` / `vault db revoke-agent NAME`: set up the
 * shared PostgreSQL store (docs/postgres.md).
 *
 * Passwords: `add-agent` makes a random password, sends the server only its SCRAM verifier,
 * and writes the password to a new 0600 file in `.pgpass` format (`--password-file FILE`,
 * default `./av_agent_<agent>.pgpass`), never to argv, stdout or the audit log. Only
 * `--print-password` (explicit) prints it on stdout instead of writing the file.
 */
import { randomBytes } from "node:crypto";
import { promises as fs, constants as fsConstants } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { vaultError } from "../../errors.js";
import { checkAgentId } from "../../names.js";
import { defaultPassfile, postgresStore } from "../../store/home-config.js";
import {
  agentRoleName,
  createAgentRole,
  migrate,
  revokeAgentRole,
  roleExists,
  SCHEMA_VERSION,
  scramVerifier,
} from "../../store/postgres-schema.js";
import {
  formatPgpassLine,
  isPostgresUrl,
  type PostgresStore,
  redactStoreUrl,
} from "../../store/postgres-store.js";
import { type CommandSpec, emit, note } from "../command.js";
// Type-only: context.ts imports postgresStoreFor from here, so no runtime import back.
import type { CommandContext } from "../context.js";
import type { CliIo } from "../io.js";

function resolvePath(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/**
 * A PostgreSQL store for the CLI: the password from the URL (discouraged), `$PGPASSWORD`, or
 * the `.pgpass` file (`$PGPASSFILE`, default `~/.pgpass`), like libpq.
 * @throws VaultError USAGE
 */
export function postgresStoreFor(
  io: CliIo,
  url: string,
  options: { lockTimeoutMs?: number; passfile?: string } = {},
): PostgresStore {
  const { passfile, ...rest } = options;
  return postgresStore(
    url,
    { password: io.env.PGPASSWORD, passfile: passfile ?? defaultPassfile(io.env, io.cwd) },
    rest,
  );
}

/** The store URL the command needs: `--store` or `$AGENT_VAULT_STORE`, a postgres:// URL. */
function storeUrlOf(ctx: CommandContext): string {
  const url = ctx.options.store ?? ctx.io.env.AGENT_VAULT_STORE;
  if (!url || !isPostgresUrl(url)) {
    throw vaultError(
      "USAGE",
      "vault db commands need a PostgreSQL store.",
      "Give it with --store postgres://ROLE@HOST:PORT/DATABASE (or $AGENT_VAULT_STORE).",
    );
  }
  return url;
}

async function withStore<T>(
  ctx: CommandContext,
  work: (store: PostgresStore, url: string) => Promise<T>,
): Promise<T> {
  const url = storeUrlOf(ctx);
  const store = postgresStoreFor(ctx.io, url);
  try {
    return await work(store, url);
  } finally {
    await store.close();
  }
}

const init: CommandSpec = {
  name: "db init",
  summary: "create or upgrade the shared store's tables, roles and row-level security policies",
  help: "Run as the database owner with CREATEROLE (or a superuser). Safe to run again: it applies only the migrations not yet applied.",
  async run(ctx) {
    return withStore(ctx, async (store) => {
      const result = await store.administer("create the agent-vault schema", (client) =>
        migrate(client),
      );
      emit(
        ctx,
        { store: store.url, ...result },
        result.applied.length > 0
          ? `Store ${store.url}: schema at version ${result.to} (applied ${result.applied.join(", ")}). Next: vault db add-agent NAME --store URL`
          : `Store ${store.url}: schema already at version ${result.to}; nothing to do.`,
      );
      return 0;
    });
  },
};

/** The URL an agent's host uses: the admin's URL with the agent's role and no password. */
function agentUrl(url: string, role: string): string {
  const redacted = new URL(redactStoreUrl(url));
  redacted.username = role;
  redacted.password = "";
  return redacted.toString();
}

/** Creates `path` (0600, never over an existing file) holding `text`. */
async function writeNewSecretFile(path: string, text: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(
      path,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
      0o600,
    );
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? "error";
    throw vaultError(
      errno === "EEXIST" ? "ALREADY_EXISTS" : "IO_ERROR",
      `Cannot create the password file ${path} (${errno}).`,
      errno === "EEXIST"
        ? "Pick a new path with --password-file, or remove the old file first."
        : "Check the folder, or pick another path with --password-file.",
    );
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const addAgent: CommandSpec = {
  name: "db add-agent",
  summary: "create an agent's database role (its own rows only) and a password file for its host",
  args: ["<agent>"],
  options: [
    ["--password-file <file>", "where to write the role's password (.pgpass format, 0600)"],
    ["--print-password", "print the password on stdout instead of writing a file"],
    ["--reset-password", "give an existing agent role a new password"],
  ],
  help: "Run as a role with CREATEROLE that is a member of av_admin (or a superuser). The password never appears in argv; the server gets only its SCRAM verifier.",
  async run(ctx, args, options) {
    const agent = checkAgentId(args[0] as string);
    const role = agentRoleName(agent);
    return withStore(ctx, async (store, url) => {
      const parts = new URL(agentUrl(url, role));
      const password = randomBytes(24).toString("base64url");
      const line = formatPgpassLine({
        host: parts.hostname,
        port: parts.port || "5432",
        database: decodeURIComponent(parts.pathname.slice(1)),
        user: role,
        password,
      });
      const printPassword = options.printPassword === true;
      const file = printPassword
        ? undefined
        : resolvePath(ctx.io, (options.passwordFile as string | undefined) ?? `${role}.pgpass`);
      if (file) await writeNewSecretFile(file, `${line}\n`);
      try {
        await store.administer(`create the role of agent ${agent}`, async (client) => {
          const exists = await roleExists(client, role);
          if (exists && options.resetPassword !== true) {
            throw vaultError(
              "ALREADY_EXISTS",
              `Agent ${agent} already has a role (${role}) in ${store.url}.`,
              "Give it a new password with --reset-password, or revoke it with `vault db revoke-agent`.",
            );
          }
          await createAgentRole(client, agent, scramVerifier(password), exists);
        });
      } catch (error) {
        if (file) await fs.rm(file, { force: true });
        throw error;
      }
      const storeUrl = agentUrl(url, role);
      const result = { agent, role, store: storeUrl, ...(file ? { passwordFile: file } : {}) };
      if (printPassword) {
        emit(ctx, { ...result, password }, [`${password}`]);
        note(ctx, `Role ${role} for agent ${agent}; its store URL: ${storeUrl}`);
        return 0;
      }
      emit(ctx, result, [
        `Role ${role} now reads and writes only agent ${agent}'s rows in ${store.url}.`,
        `Its password is in ${file} (mode 0600, .pgpass format).`,
        "On the agent's host: install that file as ~/.pgpass (or point $PGPASSFILE at it), then",
        `  vault init --agent ${agent} --store ${storeUrl}`,
        `To skip --store on that host, put {"store": "${storeUrl}"} in ~/.agent-vault/config.json.`,
      ]);
      return 0;
    });
  },
};

const revokeAgent: CommandSpec = {
  name: "db revoke-agent",
  summary: "revoke an agent's database role: no more logins, no more rows (its vault stays)",
  args: ["<agent>"],
  async run(ctx, args) {
    const agent = checkAgentId(args[0] as string);
    return withStore(ctx, async (store) => {
      const role = await store.administer(`revoke the role of agent ${agent}`, (client) =>
        revokeAgentRole(client, agent),
      );
      emit(
        ctx,
        { agent, role, revoked: true },
        `Role ${role} of agent ${agent} can no longer log in or read any row of ${store.url}.`,
      );
      return 0;
    });
  },
};

/** The `vault db` commands (schema version {@link SCHEMA_VERSION}). */
export const dbCommands: CommandSpec[] = [init, addAgent, revokeAgent];
