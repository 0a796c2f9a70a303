/**
 * The shared PostgreSQL store's schema: versioned, idempotent migrations, the roles and the
 * row-level security policies (docs/postgres.md).
 *
 *   agent_vault.migrations     version, applied_at                  what has been applied
 *   agent_vault.agents         agent, role                          which login role is which agent
 *   agent_vault.vaults         agent, body, generation, stamp, updated_at
 *                              one row per agent: the encoded vault (ciphertext, wrapped keys,
 *                              metadata, the rotation journal) exactly as the file store keeps it
 *   agent_vault.audit_records  agent, seq, line                     the audit log, one row a line
 *   agent_vault.audit_heads    agent, last_seq, head                the keyed head; its row lock
 *                                                                   serializes appends
 *
 * Roles (cluster-wide): `av_admin` (NOLOGIN group) may read and write every row and manage the
 * agents table; `av_agent` (NOLOGIN group) holds the table rights every agent role inherits;
 * each agent connects as its own LOGIN role (`av_agent_<agent>`, a member of `av_agent`) and
 * the policies let it see and write only the rows of the agent the agents table maps it to.
 * Agent roles get no DELETE anywhere and no UPDATE on audit records: the log is append-only
 * for them even through SQL.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import type { PoolClient } from "pg";

/** The schema every table lives in. */
export const SCHEMA = "agent_vault";
/** The group role of administrators (members manage agents and read every row). */
export const ADMIN_ROLE = "av_admin";
/** The group role every agent login role belongs to. */
export const AGENT_GROUP_ROLE = "av_agent";

/** One migration: applied once, in a transaction, in version order. */
export interface Migration {
  version: number;
  summary: string;
  statements: string[];
}

/** Creates a NOLOGIN group role unless it exists (roles are cluster-wide, not per database). */
function ensureRole(role: string): string {
  return `DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
      CREATE ROLE ${role} NOLOGIN;
    END IF;
  END $$`;
}

/** The agent of the connected role, as a policy expression (RLS of `agents` applies too). */
const OWN_AGENT = `agent IN (SELECT a.agent FROM ${SCHEMA}.agents a WHERE a.role = current_user)`;

/** Every migration, oldest first. Never edit one that has shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: "vaults, audit records and heads, agents; roles; row-level security",
    statements: [
      ensureRole(ADMIN_ROLE),
      ensureRole(AGENT_GROUP_ROLE),
      `CREATE TABLE ${SCHEMA}.agents (
        agent text PRIMARY KEY CHECK (agent ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
        role text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE ${SCHEMA}.vaults (
        agent text PRIMARY KEY CHECK (agent ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
        body bytea NOT NULL,
        generation bigint NOT NULL CHECK (generation >= 1),
        stamp text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE ${SCHEMA}.audit_records (
        agent text NOT NULL,
        seq bigint NOT NULL CHECK (seq >= 1),
        line text NOT NULL CHECK (strpos(line, E'\\n') = 0),
        PRIMARY KEY (agent, seq)
      )`,
      `CREATE TABLE ${SCHEMA}.audit_heads (
        agent text PRIMARY KEY,
        last_seq bigint NOT NULL DEFAULT 0,
        head text
      )`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA ${SCHEMA} FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA ${SCHEMA} TO ${ADMIN_ROLE}, ${AGENT_GROUP_ROLE}`,
      `GRANT SELECT ON ${SCHEMA}.migrations TO ${ADMIN_ROLE}, ${AGENT_GROUP_ROLE}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${SCHEMA}.agents, ${SCHEMA}.vaults,
        ${SCHEMA}.audit_records, ${SCHEMA}.audit_heads TO ${ADMIN_ROLE}`,
      `GRANT SELECT ON ${SCHEMA}.agents TO ${AGENT_GROUP_ROLE}`,
      `GRANT SELECT, INSERT, UPDATE ON ${SCHEMA}.vaults, ${SCHEMA}.audit_heads TO ${AGENT_GROUP_ROLE}`,
      `GRANT SELECT, INSERT ON ${SCHEMA}.audit_records TO ${AGENT_GROUP_ROLE}`,
      ...["agents", "vaults", "audit_records", "audit_heads"].flatMap((table) => [
        `ALTER TABLE ${SCHEMA}.${table} ENABLE ROW LEVEL SECURITY`,
        `CREATE POLICY admin_all ON ${SCHEMA}.${table} TO ${ADMIN_ROLE} USING (true) WITH CHECK (true)`,
      ]),
      `CREATE POLICY agent_self ON ${SCHEMA}.agents FOR SELECT TO ${AGENT_GROUP_ROLE}
        USING (role = current_user)`,
      ...["vaults", "audit_heads"].flatMap((table) => [
        `CREATE POLICY agent_read ON ${SCHEMA}.${table} FOR SELECT TO ${AGENT_GROUP_ROLE} USING (${OWN_AGENT})`,
        `CREATE POLICY agent_insert ON ${SCHEMA}.${table} FOR INSERT TO ${AGENT_GROUP_ROLE} WITH CHECK (${OWN_AGENT})`,
        `CREATE POLICY agent_update ON ${SCHEMA}.${table} FOR UPDATE TO ${AGENT_GROUP_ROLE}
          USING (${OWN_AGENT}) WITH CHECK (${OWN_AGENT})`,
      ]),
      `CREATE POLICY agent_read ON ${SCHEMA}.audit_records FOR SELECT TO ${AGENT_GROUP_ROLE} USING (${OWN_AGENT})`,
      `CREATE POLICY agent_insert ON ${SCHEMA}.audit_records FOR INSERT TO ${AGENT_GROUP_ROLE} WITH CHECK (${OWN_AGENT})`,
    ],
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** What {@link migrate} did. */
export interface MigrationResult {
  /** The version before. */
  from: number;
  /** The version now. */
  to: number;
  /** The versions applied by this call (empty when already current). */
  applied: number[];
}

/**
 * Brings the schema to {@link SCHEMA_VERSION}: one transaction, under an advisory lock so two
 * hosts running `vault db init` at once apply each migration once. Safe to run again.
 * Needs a role that may create schemas and roles (the database owner with CREATEROLE, or a
 * superuser). Errors are the driver's; the caller maps them.
 */
export async function migrate(client: PoolClient): Promise<MigrationResult> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('agent_vault.migrate'))");
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`REVOKE ALL ON SCHEMA ${SCHEMA} FROM PUBLIC`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.migrations (
        version integer PRIMARY KEY,
        summary text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${SCHEMA}.migrations`,
    );
    const from = rows[0]?.version ?? 0;
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      for (const statement of migration.statements) await client.query(statement);
      await client.query(`INSERT INTO ${SCHEMA}.migrations (version, summary) VALUES ($1, $2)`, [
        migration.version,
        migration.summary,
      ]);
      applied.push(migration.version);
    }
    await client.query("COMMIT");
    return { from, to: Math.max(from, SCHEMA_VERSION), applied };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * The login role a new agent gets: `av_agent_<agent>` for ids of up to 53 characters (at most
 * 62 bytes), else `av_agent_` + the id's first 21 characters + `_` + 32 hex digits (128 bits)
 * of the SHA-256 of the whole id: exactly 63 bytes, PostgreSQL's limit. The two forms never
 * meet (their lengths differ), and two long ids share a role only if SHA-256 collides on 128
 * bits, so no id can be crafted to name another agent's role. Existing agents keep the role
 * the agents table maps them to ({@link mappedAgentRole}).
 */
export function agentRoleName(agent: string): string {
  const plain = `${AGENT_GROUP_ROLE}_${agent}`;
  if (plain.length < 63) return plain;
  const digest = createHash("sha256").update(agent).digest("hex").slice(0, 32);
  return `${AGENT_GROUP_ROLE}_${agent.slice(0, 21)}_${digest}`;
}

/** The role the agents table maps `agent` to, or `undefined` when it has none. */
export async function mappedAgentRole(
  client: PoolClient,
  agent: string,
): Promise<string | undefined> {
  const { rows } = await client.query<{ role: string }>(
    `SELECT role FROM ${SCHEMA}.agents WHERE agent = $1`,
    [agent],
  );
  return rows[0]?.role;
}

/** The agent the agents table maps `role` to, or `undefined` when it maps none. */
export async function agentOfRole(client: PoolClient, role: string): Promise<string | undefined> {
  const { rows } = await client.query<{ agent: string }>(
    `SELECT agent FROM ${SCHEMA}.agents WHERE role = $1`,
    [role],
  );
  return rows[0]?.agent;
}

/** Quotes an identifier for SQL (role names with `-` need it). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for SQL (standard_conforming_strings, the default since 9.1). */
function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The SCRAM-SHA-256 verifier of `password` (RFC 5802, PostgreSQL's `rolpassword` format), so
 * `CREATE ROLE … PASSWORD` never sends the password itself: not to the server, not to its
 * statement log.
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  salted.fill(0);
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** Whether a role of this name exists (in the whole cluster). */
export async function roleExists(client: PoolClient, role: string): Promise<boolean> {
  const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
  return (rowCount ?? 0) > 0;
}

/**
 * Creates `role` (or, with `reset`, gives the existing one a new password and its group back)
 * as the login role of `agent`, and maps it to the agent. Run in a transaction by a role with
 * CREATEROLE that is a member of `av_admin`; the caller has checked that `role` is the agent's
 * own ({@link mappedAgentRole}, {@link agentOfRole}).
 */
export async function createAgentRole(
  client: PoolClient,
  agent: string,
  role: string,
  verifier: string,
  reset: boolean,
): Promise<void> {
  const password = `PASSWORD ${quoteLiteral(verifier)}`;
  if (reset) {
    await client.query(`ALTER ROLE ${quoteIdent(role)} LOGIN ${password}`);
    await client.query(`GRANT ${AGENT_GROUP_ROLE} TO ${quoteIdent(role)}`);
  } else {
    await client.query(
      `CREATE ROLE ${quoteIdent(role)} LOGIN INHERIT ${password} IN ROLE ${AGENT_GROUP_ROLE}`,
    );
  }
  await client.query(
    `INSERT INTO ${SCHEMA}.agents (agent, role) VALUES ($1, $2)
      ON CONFLICT (agent) DO UPDATE SET role = excluded.role`,
    [agent, role],
  );
}

/**
 * Revokes the role the agents table maps `agent` to: no more logins, no more rights, no more
 * rows. Its vault and audit records stay (the admin may read them; the keys were never here).
 * `undefined` when the table maps the agent to no role: nothing is touched (a role is never
 * found by its name alone).
 */
export async function revokeAgentRole(
  client: PoolClient,
  agent: string,
): Promise<string | undefined> {
  const role = await mappedAgentRole(client, agent);
  if (role === undefined) return undefined;
  await client.query(`DELETE FROM ${SCHEMA}.agents WHERE agent = $1`, [agent]);
  if (await roleExists(client, role)) {
    await client.query(`ALTER ROLE ${quoteIdent(role)} NOLOGIN`);
    await client.query(`REVOKE ${AGENT_GROUP_ROLE} FROM ${quoteIdent(role)}`);
  }
  return role;
}
