/**
 * `vault db init` and `vault db add-agent NAME` / `vault db revoke-agent NAME`: set up the
 * shared PostgreSQL store (docs/postgres.md).
 *
 * Passwords: `add-agent` makes a random password, sends the server only its SCRAM verifier,
 * and writes the password to a new 0600 file in `.pgpass` format (`--password-file FILE`,
 * default `<home>/pgpass/<agent>.pgpass`, out of any working tree), never to argv, stdout or
 * the audit log. Only `--print-password` (explicit) prints it on stdout instead.
 *
 * Roles: an agent's role is the one the agents table maps it to; a role is never taken by its
 * name alone, so no agent id reaches another agent's role.
 */
import { randomBytes } from "node:crypto";
import { promises as fs, constants as fsConstants } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { PoolClient } from "pg";
import { vaultError } from "../../errors.js";
import { checkAgentId } from "../../grammar.js";
import {
  agentOfRole,
  agentRoleName,
  createAgentRole,
  mappedAgentRole,
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
import { postgresStore } from "../../store/select-store.js";
import { defaultPassfile } from "../../store/store-choice.js";
import { type CommandSpec, emit, note } from "../command.js";
import type { CommandContext } from "../context.js";
import type { CliIo } from "../io.js";

function resolvePath(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
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

/**
 * A PostgreSQL store for `vault db`: the password from the URL (discouraged), `$PGPASSWORD`, or
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
  globals: ["json", "home", "store"],
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

/** The folder under the home that `add-agent` writes password files to by default. */
export const PASSWORD_FOLDER = "pgpass";

/**
 * Where `add-agent` writes the password: `--password-file`, else `<home>/pgpass/<agent>.pgpass`
 * (the folder made 0700), a path a home's config.json names as `"passfile":
 * "pgpass/<agent>.pgpass"`; never the working folder, where a file is easily committed.
 */
async function passwordFileOf(ctx: CommandContext, agent: string, option: unknown) {
  if (typeof option === "string") return resolvePath(ctx.io, option);
  const folder = join(ctx.home, PASSWORD_FOLDER);
  await fs.mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    const errno = (error as NodeJS.ErrnoException).code ?? "error";
    throw vaultError(
      "IO_ERROR",
      `Cannot create the folder ${folder} for the password file (${errno}).`,
      "Check the home's permissions, or pick a path with --password-file.",
    );
  });
  return join(folder, `${agent}.pgpass`);
}

/**
 * The role `add-agent` gives `agent`: the one the agents table maps it to, else a new name
 * ({@link agentRoleName}). Refuses a role mapped to another agent, an agent that has a role
 * (unless `reset`), and `reset` for an agent without one.
 * @throws VaultError ALREADY_EXISTS | AGENT_NOT_FOUND
 */
async function roleToAdd(
  client: PoolClient,
  agent: string,
  reset: boolean,
  storeUrl: string,
): Promise<{ role: string; exists: boolean }> {
  const role = (await mappedAgentRole(client, agent)) ?? agentRoleName(agent);
  const owner = await agentOfRole(client, role);
  if (owner !== undefined && owner !== agent) {
    throw vaultError(
      "ALREADY_EXISTS",
      `Role ${role} belongs to agent ${owner} in ${storeUrl}, not to agent ${agent}.`,
      "Check the agent id; no agent may take another agent's role.",
    );
  }
  const exists = await roleExists(client, role);
  if (exists && !reset) {
    throw vaultError(
      "ALREADY_EXISTS",
      `Agent ${agent} already has a role (${role}) in ${storeUrl}.`,
      "Give it a new password with --reset-password, or revoke it with `vault db revoke-agent`.",
    );
  }
  if (!exists && reset) {
    throw vaultError(
      "AGENT_NOT_FOUND",
      `Agent ${agent} has no role in ${storeUrl} to give a new password to.`,
      `Check the agent id, or add it: vault db add-agent ${agent}`,
    );
  }
  return { role, exists };
}

const addAgent: CommandSpec = {
  name: "db add-agent",
  summary: "create an agent's database role (its own rows only) and a password file for its host",
  globals: ["json", "home", "store"],
  args: ["<agent>"],
  options: [
    [
      "--password-file <file>",
      "where to write the role's password (.pgpass format, 0600; default <home>/pgpass/<agent>.pgpass)",
    ],
    ["--print-password", "print the password on stdout instead of writing a file"],
    ["--reset-password", "give an existing agent role a new password"],
  ],
  help: "Run as a role with CREATEROLE that is a member of av_admin (or a superuser). The password never appears in argv; the server gets only its SCRAM verifier.",
  async run(ctx, args, options) {
    const agent = checkAgentId(args[0] as string);
    const reset = options.resetPassword === true;
    const printPassword = options.printPassword === true;
    return withStore(ctx, async (store, url) => {
      const password = randomBytes(24).toString("base64url");
      const file = printPassword
        ? undefined
        : await passwordFileOf(ctx, agent, options.passwordFile);
      let written = false;
      let role: string;
      try {
        role = await store.administer(`create the role of agent ${agent}`, async (client) => {
          const { role, exists } = await roleToAdd(client, agent, reset, store.url);
          if (file) {
            const parts = new URL(agentUrl(url, role));
            const line = formatPgpassLine({
              host: parts.hostname,
              port: parts.port || "5432",
              database: decodeURIComponent(parts.pathname.slice(1)),
              user: role,
              password,
            });
            await writeNewSecretFile(file, `${line}\n`);
            written = true;
          }
          await createAgentRole(client, agent, role, scramVerifier(password), exists);
          return role;
        });
      } catch (error) {
        if (file && written) await fs.rm(file, { force: true });
        throw error;
      }
      const storeUrl = agentUrl(url, role);
      const result = { agent, role, store: storeUrl, ...(file ? { passwordFile: file } : {}) };
      if (printPassword) {
        emit(ctx, { ...result, password }, [`${password}`]);
        note(ctx, `Role ${role} for agent ${agent}; its store URL: ${storeUrl}`);
        return 0;
      }
      const passfile = `${PASSWORD_FOLDER}/${agent}.pgpass`;
      emit(ctx, result, [
        `Role ${role} now reads and writes only agent ${agent}'s rows in ${store.url}.`,
        `Its password is in ${file} (mode 0600, .pgpass format).`,
        `On the agent's host: copy that file to <home>/${passfile} (mode 0600) and name it in`,
        `<home>/config.json: {"store": "${storeUrl}", "passfile": "${passfile}"}`,
        "(or install it as ~/.pgpass, or point $PGPASSFILE at it), then",
        `  vault init --agent ${agent}`,
      ]);
      return 0;
    });
  },
};

const revokeAgent: CommandSpec = {
  name: "db revoke-agent",
  summary: "revoke an agent's database role: no more logins, no more rows (its vault stays)",
  globals: ["json", "home", "store"],
  args: ["<agent>"],
  async run(ctx, args) {
    const agent = checkAgentId(args[0] as string);
    return withStore(ctx, async (store) => {
      const role = await store.administer(`revoke the role of agent ${agent}`, (client) =>
        revokeAgentRole(client, agent),
      );
      if (role === undefined) {
        throw vaultError(
          "AGENT_NOT_FOUND",
          `Agent ${agent} has no role in ${store.url}: nothing was revoked.`,
          "Check the agent id (it was never added with `vault db add-agent`, or is already revoked).",
        );
      }
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
