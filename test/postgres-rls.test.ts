/**
 * Row-level security and administration of the shared PostgreSQL store (issue 7): an agent's
 * role sees 0 rows of another agent and every write to them is refused; `vault db init`,
 * `add-agent` and `revoke-agent`; and each connection failure (refused, wrong password, no
 * password, no schema, no database, denied, revoked) as a typed error with a hint that never
 * shows a password.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStoreFor } from "../src/cli/commands/db.js";
import { createVault, isVaultError, keyFileKey, openVault } from "../src/index.js";
import { PostgresStore, redactStoreUrl } from "../src/store/postgres-store.js";
import {
  agentRoleName,
  type Cluster,
  initStore,
  runDb,
  sql,
  startCluster,
} from "./helpers/postgres.js";

/** A password for URLs that never reach a server. */
const MADE_UP_PASSWORD = "s3cret";

let cluster: Cluster;
let agents: Map<string, { url: string; password: string; passwordFile: string }>;
const stores: PostgresStore[] = [];

function entry(agent: string) {
  const found = agents.get(agent);
  if (!found) throw new Error(`no role for ${agent}`);
  return found;
}

function storeOf(agent: string): PostgresStore {
  const store = new PostgresStore(entry(agent).url, { password: entry(agent).password });
  stores.push(store);
  return store;
}

/** The typed error a promise rejects with (fails the test on anything else). */
async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isVaultError(error)) return error;
    throw error;
  }
  throw new Error("expected a VaultError, got success");
}

/** SQL as an agent's own role. */
function asAgent<R extends Record<string, unknown>>(
  agent: string,
  text: string,
  values?: unknown[],
) {
  return sql<R>(entry(agent).url, text, values, entry(agent).password);
}

beforeAll(async () => {
  cluster = startCluster();
  agents = await initStore(cluster, ["alice", "bob", "carol"]);
  for (const agent of ["alice", "bob"]) {
    const { vault } = await createVault({
      agent,
      store: storeOf(agent),
      keySource: keyFileKey(join(cluster.dir, `${agent}.key`)),
    });
    await vault.set("API_KEY", `${agent} value`);
    vault.close();
  }
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  cluster?.stop();
});

describe("row-level security: an agent's role reaches only its own rows", () => {
  it("gives agent A's role 0 rows of agent B's vault, audit records and audit head", async () => {
    for (const table of ["vaults", "audit_records", "audit_heads"]) {
      const own = await asAgent(
        "alice",
        `SELECT count(*)::int AS n FROM agent_vault.${table} WHERE agent = 'alice'`,
      );
      const other = await asAgent(
        "alice",
        `SELECT count(*)::int AS n FROM agent_vault.${table} WHERE agent = 'bob'`,
      );
      const all = await asAgent("alice", `SELECT DISTINCT agent FROM agent_vault.${table}`);
      expect(own[0]?.n, table).toBeGreaterThan(0);
      expect(other[0]?.n, table).toBe(0);
      expect(all.map((row) => row.agent)).toEqual(["alice"]);
    }
    const store = storeOf("alice");
    // Through the store, alice's role is told it cannot see bob's vault (rather than "none").
    const hidden = await errorOf(store.read("bob"));
    expect(hidden.code).toBe("KEY_UNAVAILABLE");
    expect(hidden.message).toContain("belongs to agent alice; it cannot see agent bob's vault");
    expect((await errorOf(store.token("bob"))).code).toBe("KEY_UNAVAILABLE");
    expect(await store.readAudit("bob")).toEqual({ lines: [], head: undefined });
    expect(await store.listAgents()).toEqual(["alice"]);
    // The agents table too: a role sees only its own mapping.
    expect(await asAgent("alice", "SELECT agent FROM agent_vault.agents")).toEqual([
      { agent: "alice" },
    ]);
  });

  it("refuses every write of agent A's role to agent B's rows", async () => {
    const before = await sql<{ body: Buffer; generation: string }>(
      cluster.url,
      "SELECT body, generation FROM agent_vault.vaults WHERE agent = 'bob'",
    );
    const auditBefore = await sql(
      cluster.url,
      "SELECT seq, line FROM agent_vault.audit_records WHERE agent = 'bob' ORDER BY seq",
    );
    // Inserts are refused by the policy's WITH CHECK.
    for (const statement of [
      "INSERT INTO agent_vault.vaults (agent, body, generation, stamp) VALUES ('bob', '\\x00', 9, 'x')",
      "INSERT INTO agent_vault.vaults (agent, body, generation, stamp) VALUES ('dave', '\\x00', 1, 'x')",
      "INSERT INTO agent_vault.audit_records (agent, seq, line) VALUES ('bob', 999, 'forged')",
      "INSERT INTO agent_vault.audit_heads (agent, last_seq) VALUES ('carol', 0)",
      "INSERT INTO agent_vault.agents (agent, role) VALUES ('bob', current_user)",
      "UPDATE agent_vault.vaults SET agent = 'bob' WHERE agent = 'alice'",
    ]) {
      await expect(asAgent("alice", statement), statement).rejects.toMatchObject({
        code: "42501",
      });
    }
    // Updates and deletes of B's rows reach no row (the policy hides them) or no right at all.
    const updated = await asAgent(
      "alice",
      "WITH u AS (UPDATE agent_vault.vaults SET generation = 99 WHERE agent = 'bob' RETURNING 1) SELECT count(*)::int AS n FROM u",
    );
    expect(updated[0]?.n).toBe(0);
    const heads = await asAgent(
      "alice",
      "WITH u AS (UPDATE agent_vault.audit_heads SET head = NULL WHERE agent = 'bob' RETURNING 1) SELECT count(*)::int AS n FROM u",
    );
    expect(heads[0]?.n).toBe(0);
    for (const statement of [
      "DELETE FROM agent_vault.vaults WHERE agent = 'bob'",
      "DELETE FROM agent_vault.audit_records WHERE agent = 'bob'",
      "UPDATE agent_vault.audit_records SET line = 'x' WHERE agent = 'bob'",
      // Even its own log is append-only for an agent's role.
      "UPDATE agent_vault.audit_records SET line = 'x' WHERE agent = 'alice'",
      "DELETE FROM agent_vault.vaults WHERE agent = 'alice'",
    ]) {
      await expect(asAgent("alice", statement), statement).rejects.toMatchObject({
        code: "42501",
      });
    }
    // Through the store: a typed error, and B's vault and log are untouched.
    const store = storeOf("alice");
    const denied = await errorOf(store.create("bob", new Uint8Array([1, 2, 3])));
    expect(denied.code).toBe("KEY_UNAVAILABLE");
    expect(denied.message).toContain("row-level security");
    expect((await errorOf(store.update("bob", (current) => current.bytes))).code).toBe(
      "KEY_UNAVAILABLE",
    );
    expect((await errorOf(store.appendAudit("bob", () => ({ lines: ["{}"] })))).code).toBe(
      "KEY_UNAVAILABLE",
    );
    expect(
      await sql(cluster.url, "SELECT body, generation FROM agent_vault.vaults WHERE agent = 'bob'"),
    ).toEqual(before);
    expect(
      await sql(
        cluster.url,
        "SELECT seq, line FROM agent_vault.audit_records WHERE agent = 'bob' ORDER BY seq",
      ),
    ).toEqual(auditBefore);
    const bob = await openVault({
      agent: "bob",
      store: storeOf("bob"),
      keySource: keyFileKey(join(cluster.dir, "bob.key")),
    });
    expect(await bob.get("API_KEY")).toBe("bob value");
    expect((await bob.verifyAudit()).ok).toBe(true);
    bob.close();
  });

  it("lets a member of the admin role read and manage every agent's rows", async () => {
    await sql(cluster.url, "CREATE ROLE ops LOGIN PASSWORD 'ops-password' IN ROLE av_admin");
    const admin = new PostgresStore(cluster.url.replace(/\/\/[^@]*@/, "//ops@"), {
      password: "ops-password",
    });
    stores.push(admin);
    expect(await admin.listAgents()).toEqual(["alice", "bob"]);
    expect((await admin.readAudit("bob")).lines.length).toBeGreaterThan(0);
    // It opens any vault whose key it is given (the database never had the key).
    const bob = await openVault({
      agent: "bob",
      store: admin,
      keySource: keyFileKey(join(cluster.dir, "bob.key")),
    });
    await bob.set("FROM_ADMIN", "admin wrote this");
    bob.close();
    const roles = await sql<{ agent: string; role: string }>(
      cluster.url.replace(/\/\/[^@]*@/, "//ops:ops-password@"),
      "SELECT agent, role FROM agent_vault.agents ORDER BY agent",
    );
    expect(roles).toEqual([
      { agent: "alice", role: agentRoleName("alice") },
      { agent: "bob", role: agentRoleName("bob") },
      { agent: "carol", role: agentRoleName("carol") },
    ]);
  });
});

describe("vault db", () => {
  it("names each agent's role within PostgreSQL's 63 bytes, distinct for long ids", () => {
    expect(agentRoleName("support")).toBe("av_agent_support");
    const long = `a${"b".repeat(63)}`;
    const longer = `a${"b".repeat(62)}c`;
    expect(agentRoleName(long).length).toBeLessThanOrEqual(63);
    expect(agentRoleName(long)).not.toBe(agentRoleName(longer));
  });

  it("gives long agent ids role names no other id can be crafted to reach", () => {
    const long = `a${"b".repeat(63)}`;
    // The rest of its role name after av_agent_ would be a valid agent id of its own.
    const crafted = agentRoleName(long).slice("av_agent_".length);
    expect(crafted).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
    expect(agentRoleName(crafted)).not.toBe(agentRoleName(long));
    // Short ids keep their plain name (at most 62 bytes); long ones get exactly 63.
    expect(agentRoleName("a".repeat(53))).toBe(`av_agent_${"a".repeat(53)}`);
    for (const length of [54, 55, 63, 64]) {
      expect(agentRoleName("a".repeat(length))).toHaveLength(63);
    }
  });

  it("revoke-agent refuses an agent without a role (exit 3), even an id crafted to name another agent's role", async () => {
    const victim = `victim-${"v".repeat(57)}`;
    const added = await runDb(
      "add-agent",
      [victim],
      { passwordFile: join(cluster.dir, "victim.pgpass") },
      { store: cluster.url, cwd: cluster.dir, json: true },
    );
    expect(added.code, added.stderr).toBe(0);
    const { role, store: victimUrl } = JSON.parse(added.stdout) as { role: string; store: string };
    const victimPassword =
      readFileSync(join(cluster.dir, "victim.pgpass"), "utf8").trim().split(":").at(-1) ?? "";
    // An id whose plain role name would be the victim's role.
    const crafted = role.slice("av_agent_".length);
    expect(crafted).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
    const canLogIn = async () =>
      (
        await sql<{ login: boolean; member: boolean }>(
          cluster.url,
          "SELECT rolcanlogin AS login, pg_has_role(rolname, 'av_agent', 'MEMBER') AS member FROM pg_roles WHERE rolname = $1",
          [role],
        )
      )[0];

    const revoked = await runDb(
      "revoke-agent",
      [crafted],
      {},
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toContain(`Agent ${crafted} has no role`);
    expect(await canLogIn()).toEqual({ login: true, member: true });
    const victimStore = new PostgresStore(victimUrl, { password: victimPassword });
    stores.push(victimStore);
    expect(await victimStore.listAgents()).toEqual([]);

    // --reset-password on an agent without a role is refused the same way.
    const reset = await runDb(
      "add-agent",
      [crafted],
      { printPassword: true, resetPassword: true },
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(reset.code).toBe(3);
    expect(reset.stdout).toBe("");

    // Added for real, the crafted id gets a role of its own; revoking it leaves the victim's.
    const own = await runDb(
      "add-agent",
      [crafted],
      { printPassword: true },
      { store: cluster.url, cwd: cluster.dir, json: true },
    );
    expect(own.code, own.stderr).toBe(0);
    expect((JSON.parse(own.stdout) as { role: string }).role).not.toBe(role);
    const again = await runDb(
      "revoke-agent",
      [crafted],
      {},
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(await canLogIn()).toEqual({ login: true, member: true });
    expect(await victimStore.listAgents()).toEqual([]);
  });

  it("add-agent writes the password file under the home by default, never into the working folder", async () => {
    const work = join(cluster.dir, "work");
    const adminHome = join(cluster.dir, "admin-home");
    mkdirSync(work);
    const added = await runDb(
      "add-agent",
      ["frank"],
      {},
      { store: cluster.url, cwd: work, env: { AGENT_VAULT_HOME: adminHome }, json: true },
    );
    expect(added.code, added.stderr).toBe(0);
    const file = join(adminHome, "pgpass", "frank.pgpass");
    expect((JSON.parse(added.stdout) as { passwordFile: string }).passwordFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(adminHome, "pgpass")).mode & 0o777).toBe(0o700);
    expect(readdirSync(work)).toEqual([]);
    const text = await runDb(
      "add-agent",
      ["grace"],
      {},
      { store: cluster.url, cwd: work, env: { AGENT_VAULT_HOME: adminHome } },
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      `Its password is in ${join(adminHome, "pgpass", "grace.pgpass")}`,
    );
    expect(text.stdout).toContain('"passfile": "pgpass/grace.pgpass"');
    expect(readdirSync(work)).toEqual([]);
    // The file works as the host's passfile.
    const password = readFileSync(file, "utf8").trim().split(":").at(-1) ?? "";
    const frank = new PostgresStore((JSON.parse(added.stdout) as { store: string }).store, {
      passfile: file,
    });
    stores.push(frank);
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(await frank.listAgents()).toEqual([]);
  });

  it("init applies the migrations once and is safe to run again", async () => {
    const again = await runDb("init", [], {}, { store: cluster.url, cwd: cluster.dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already at version 1; nothing to do");
    const versions = await sql(cluster.url, "SELECT version FROM agent_vault.migrations");
    expect(versions).toEqual([{ version: 1 }]);
  });

  it("add-agent writes the password to a new 0600 file and never prints it", async () => {
    const file = entry("carol").passwordFile;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const added = await runDb(
      "add-agent",
      ["dave"],
      { passwordFile: join(cluster.dir, "dave.pgpass") },
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(added.code).toBe(0);
    const password = (await import("node:fs")).readFileSync(
      join(cluster.dir, "dave.pgpass"),
      "utf8",
    );
    const secret = password.trim().split(":").at(-1) ?? "";
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(added.stdout + added.stderr).not.toContain(secret);
    expect(added.stdout).toContain("postgres://av_agent_dave@127.0.0.1");
    expect(added.stdout + added.stderr).not.toContain(
      decodeURIComponent(new URL(cluster.url).password),
    );
    // The file works as a .pgpass file (PGPASSFILE), the way the agent's host uses it.
    const store = postgresStoreFor(
      { env: { PGPASSFILE: join(cluster.dir, "dave.pgpass") }, cwd: cluster.dir } as never,
      `postgres://av_agent_dave@${new URL(cluster.url).host}/postgres`,
    );
    stores.push(store);
    expect(await store.listAgents()).toEqual([]);
    // The server keeps only a SCRAM verifier.
    const stored = await sql<{ rolpassword: string }>(
      cluster.url,
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'av_agent_dave'",
    );
    expect(stored[0]?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
  });

  it("add-agent refuses an existing agent and an existing password file", async () => {
    const twice = await runDb(
      "add-agent",
      ["carol"],
      { passwordFile: join(cluster.dir, "carol-2.pgpass") },
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("already has a role");
    const overwrite = await runDb(
      "add-agent",
      ["erin"],
      { passwordFile: entry("carol").passwordFile },
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toContain("Cannot create the password file");
  });

  it("add-agent prints the password only when asked to, and --reset-password replaces it", async () => {
    const shown = await runDb(
      "add-agent",
      ["carol"],
      { printPassword: true, resetPassword: true },
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(shown.code).toBe(0);
    const password = shown.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const withNew = new PostgresStore(entry("carol").url, { password });
    const withOld = new PostgresStore(entry("carol").url, { password: entry("carol").password });
    stores.push(withNew, withOld);
    expect(await withNew.listAgents()).toEqual([]);
    expect((await errorOf(withOld.listAgents())).code).toBe("KEY_UNAVAILABLE");
    entry("carol").password = password;
  });

  it("an agent role cannot add agents", async () => {
    const result = await runDb(
      "add-agent",
      ["mallory"],
      { passwordFile: join(cluster.dir, "mallory.pgpass") },
      { store: entry("alice").url, cwd: cluster.dir, env: { PGPASSWORD: entry("alice").password } },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("may not create the role of agent mallory");
    expect(() => statSync(join(cluster.dir, "mallory.pgpass"))).toThrow();
  });
});

describe("store errors: typed, with a hint, never a password", () => {
  const superPassword = () => decodeURIComponent(new URL(cluster.url).password);

  function expectClean(error: { message: string; hint: string; stack?: string }) {
    for (const text of [error.message, error.hint]) {
      expect(text).not.toContain(superPassword());
      expect(text).not.toContain(entry("alice").password);
      expect(text).not.toMatch(/\n\s+at /);
    }
  }

  it("redacts the password of a store URL", () => {
    expect(redactStoreUrl(`postgres://ops:${MADE_UP_PASSWORD}@db.example:6543/vaults`)).toBe(
      "postgres://ops:***@db.example:6543/vaults",
    );
    expect(redactStoreUrl(`postgresql://ops@db.example/vaults?password=${MADE_UP_PASSWORD}`)).toBe(
      "postgres://ops:***@db.example:5432/vaults",
    );
    const bad = (() => {
      try {
        return new PostgresStore(`postgres://ops:${MADE_UP_PASSWORD}@[bad`);
      } catch (error) {
        return error;
      }
    })();
    expect(isVaultError(bad) && bad.code).toBe("USAGE");
    expect(String((bad as Error).message)).not.toContain(MADE_UP_PASSWORD);
  });

  it("reports a refused connection as IO_ERROR", async () => {
    const store = new PostgresStore(`postgres://ops:${MADE_UP_PASSWORD}@127.0.0.1:1/postgres`);
    stores.push(store);
    const error = await errorOf(store.read("alice"));
    expect(error.code).toBe("IO_ERROR");
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("postgres://ops:***@127.0.0.1:1/postgres");
    expect(error.message).not.toContain(MADE_UP_PASSWORD);
  });

  it("reports a wrong password, a missing password and a revoked role as KEY_UNAVAILABLE", async () => {
    const wrong = new PostgresStore(entry("alice").url, { password: "not the password" });
    const none = new PostgresStore(entry("alice").url);
    stores.push(wrong, none);
    const wrongError = await errorOf(wrong.read("alice"));
    expect(wrongError.code).toBe("KEY_UNAVAILABLE");
    expect(wrongError.message).toContain("refused to log in role av_agent_alice (28P01)");
    const noneError = await errorOf(none.read("alice"));
    expect(noneError.code).toBe("KEY_UNAVAILABLE");
    expect(noneError.hint).toContain("PGPASSWORD");
    expectClean(wrongError);
    expectClean(noneError);

    const revoke = await runDb(
      "revoke-agent",
      ["carol"],
      {},
      { store: cluster.url, cwd: cluster.dir },
    );
    expect(revoke.code).toBe(0);
    const carol = new PostgresStore(entry("carol").url, { password: entry("carol").password });
    stores.push(carol);
    const revoked = await errorOf(carol.read("carol"));
    expect(revoked.code).toBe("KEY_UNAVAILABLE");
    expect(revoked.message).toContain("removed or revoked");
  });

  it("tells a role without rights apart, and a database without the schema or no database at all", async () => {
    await sql(cluster.url, "CREATE ROLE stranger LOGIN PASSWORD 'stranger-pw'");
    const host = new URL(cluster.url).host;
    const stranger = new PostgresStore(`postgres://stranger@${host}/postgres`, {
      password: "stranger-pw",
    });
    await sql(cluster.url, "CREATE DATABASE empty");
    const empty = new PostgresStore(cluster.url.replace(/\/postgres$/, "/empty"));
    const missing = new PostgresStore(cluster.url.replace(/\/postgres$/, "/nowhere"));
    stores.push(stranger, empty, missing);
    const denied = await errorOf(stranger.read("alice"));
    expect(denied.code).toBe("KEY_UNAVAILABLE");
    expect(denied.message).toContain("Role stranger may not read the vault");
    const noSchema = await errorOf(empty.read("alice"));
    expect(noSchema.code).toBe("VAULT_NOT_FOUND");
    expect(noSchema.hint).toContain("vault db init");
    const noDatabase = await errorOf(missing.listAgents());
    expect(noDatabase.code).toBe("VAULT_NOT_FOUND");
    for (const error of [denied, noSchema, noDatabase]) expectClean(error);
  });

  it("says that agent A's role cannot see agent B's vault, and that an agent without a vault has none", async () => {
    const error = await errorOf(
      openVault({
        agent: "bob",
        store: storeOf("alice"),
        keySource: keyFileKey(join(cluster.dir, "bob.key")),
      }),
    );
    expect(error.code).toBe("KEY_UNAVAILABLE");
    expect(error.hint).toContain("--agent alice");
    // An admin (no agent of its own) asking for an agent without a vault: not found.
    const admin = new PostgresStore(cluster.url);
    stores.push(admin);
    expect(await admin.read("nobody")).toBeUndefined();
    expect(
      (
        await errorOf(
          openVault({
            agent: "nobody",
            store: admin,
            keySource: keyFileKey(join(cluster.dir, "bob.key")),
          }),
        )
      ).code,
    ).toBe("VAULT_NOT_FOUND");
  });

  it("ignores a password file that others can read, as libpq does", async () => {
    const file = join(cluster.dir, "loose.pgpass");
    writeFileSync(file, `*:*:*:${agentRoleName("alice")}:${entry("alice").password}\n`, {
      mode: 0o644,
    });
    const loose = new PostgresStore(entry("alice").url, { passfile: file });
    stores.push(loose);
    expect((await errorOf(loose.read("alice"))).code).toBe("KEY_UNAVAILABLE");
  });
});
