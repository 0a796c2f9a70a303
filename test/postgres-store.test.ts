/**
 * The library on the shared PostgreSQL store (issue 7): the same API as on the file store,
 * writers on two "hosts" that lose no update, a busy row lock, and the canary: a superuser who
 * reads every table (and pg_dump's output) finds no value.
 *
 * Runs against a real server: a throwaway cluster (scripts/pg-cluster.mjs) started here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVault, isVaultError, keyFileKey, openVault } from "../src/index.js";
import { PostgresStore } from "../src/store/postgres-store.js";
import { LeakSearch, makeCanaries } from "./fixtures/canary/leaks.js";
import { need } from "./helpers/capabilities.js";
import { ROOT, runCli } from "./helpers/cli.js";
import {
  type Cluster,
  initStore,
  missingPgDump,
  pgDumpOf,
  sql,
  startCluster,
} from "./helpers/postgres.js";

let cluster: Cluster;
let agents: Map<string, { url: string; password: string }>;
const stores: PostgresStore[] = [];

/** A store connected as `agent`'s own role (a new connection pool: another "host"). */
function storeOf(agent: string, options: { lockTimeoutMs?: number } = {}): PostgresStore {
  const entry = agents.get(agent);
  if (!entry) throw new Error(`no role for ${agent}`);
  const store = new PostgresStore(entry.url, { password: entry.password, ...options });
  stores.push(store);
  return store;
}

function keyFile(agent: string): string {
  return join(cluster.dir, `${agent}.key`);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return isVaultError(error) ? error.code : `untyped ${String(error)}`;
  }
}

beforeAll(async () => {
  cluster = startCluster();
  agents = await initStore(cluster, ["alpha", "beta", "canary", "gamma", "delta"]);
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  cluster?.stop();
});

describe("the PostgreSQL store behind the library API", () => {
  it("sets, gets, lists, keeps history, rolls back, rotates, rekeys and verifies the audit log", async () => {
    const store = storeOf("alpha");
    const { vault } = await createVault({
      agent: "alpha",
      store,
      keySource: keyFileKey(keyFile("alpha")),
    });
    await vault.set("API_KEY", "first value", { tags: ["prod"] });
    await vault.set("API_KEY", "second value");
    await vault.setMany([
      { name: "DB_PASSWORD", value: "db one" },
      { name: "TOKEN", value: "token one" },
    ]);
    expect(await vault.get("API_KEY")).toBe("second value");
    expect((await vault.list()).map((info) => info.name)).toEqual([
      "API_KEY",
      "DB_PASSWORD",
      "TOKEN",
    ]);
    expect((await vault.history("API_KEY")).map((entry) => entry.version)).toEqual([1, 2]);
    await vault.rollback("API_KEY", 1);
    expect(await vault.get("API_KEY")).toBe("first value");
    await vault.set("TOKEN", "token one", { rotation: { maxAge: "30d", rotator: "random:32" } });
    const [rotated] = await vault.rotate({ names: ["TOKEN"], force: true });
    expect(rotated?.result).toBe("rotated");
    expect(await vault.get("TOKEN")).not.toBe("token one");
    await vault.remove("DB_PASSWORD");
    expect(await codeOf(vault.get("DB_PASSWORD"))).toBe("SECRET_NOT_FOUND");
    const rekeyed = await vault.rekey({ dataKey: true });
    expect(rekeyed.dataKeyReplaced).toBe(true);
    expect(await vault.get("API_KEY")).toBe("first value");
    const audit = await vault.verifyAudit();
    expect(audit).toMatchObject({ ok: true, problems: [] });
    expect(audit.records).toBeGreaterThan(8);
    vault.close();

    // Another host (its own connections) opens the same vault with the same key.
    const again = await openVault({
      agent: "alpha",
      store: storeOf("alpha"),
      keySource: keyFileKey(keyFile("alpha")),
    });
    expect(await again.get("API_KEY")).toBe("first value");
    expect((await again.verifyAudit()).ok).toBe(true);
    again.close();
  });

  it("refuses a second vault for the same agent", async () => {
    const store = storeOf("beta");
    const { vault } = await createVault({
      agent: "beta",
      store,
      keySource: keyFileKey(keyFile("beta")),
    });
    vault.close();
    expect(
      await codeOf(
        createVault({
          agent: "beta",
          store,
          keySource: keyFileKey(join(cluster.dir, "other.key")),
        }),
      ),
    ).toBe("ALREADY_EXISTS");
  });

  it("loses no update when two hosts write the same vault at once, and each sees the other's writes", async () => {
    const hostA = await openVault({
      agent: "beta",
      store: storeOf("beta"),
      keySource: keyFileKey(keyFile("beta")),
    });
    const hostB = await openVault({
      agent: "beta",
      store: storeOf("beta"),
      keySource: keyFileKey(keyFile("beta")),
    });
    const writes = 25;
    await Promise.all([
      (async () => {
        for (let i = 0; i < writes; i++) await hostA.set(`A_${i}`, `a value ${i}`);
      })(),
      (async () => {
        for (let i = 0; i < writes; i++) await hostB.set(`B_${i}`, `b value ${i}`);
      })(),
    ]);
    const names = (await hostA.list()).map((info) => info.name);
    expect(names.filter((name) => name.startsWith("A_"))).toHaveLength(writes);
    expect(names.filter((name) => name.startsWith("B_"))).toHaveLength(writes);
    expect(await hostA.get(`B_${writes - 1}`)).toBe(`b value ${writes - 1}`);
    expect(await hostB.get(`A_${writes - 1}`)).toBe(`a value ${writes - 1}`);
    expect((await hostB.verifyAudit()).ok).toBe(true);
    hostA.close();
    hostB.close();
  });

  it("reports BUSY when another host holds the vault's row lock past the lock timeout", async () => {
    const holder = storeOf("beta");
    const waiter = storeOf("beta", { lockTimeoutMs: 200 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = holder.update("beta", async () => {
      locked();
      await held;
      return undefined;
    });
    await isLocked;
    const before = await waiter.token("beta");
    expect(await codeOf(waiter.update("beta", (current) => current.bytes))).toBe("BUSY");
    release();
    await holding;
    expect(await waiter.token("beta")).toBe(before);
  });

  it("leaves the stored vault as it was when the transform fails", async () => {
    const store = storeOf("beta");
    const before = await store.read("beta");
    const failure = new RangeError("transform failed");
    await expect(
      store.update("beta", () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await store.read("beta")).toEqual(before);
  });

  it("changes the token on every write and keeps it on a read", async () => {
    const store = storeOf("beta");
    const first = await store.token("beta");
    expect(await store.token("beta")).toBe(first);
    const written = await store.update("beta", (current) => current.bytes);
    expect(written.token).not.toBe(first);
    expect(await store.token("beta")).toBe(written.token);
  });
});

describe("watching a vault (LISTEN/NOTIFY)", () => {
  it("tells a long-running host on another connection that a rotation committed, and it reads the new value", async () => {
    const reader = await openVault({
      agent: "alpha",
      store: storeOf("alpha"),
      keySource: keyFileKey(keyFile("alpha")),
    });
    const before = await reader.get("TOKEN");
    const watcherStore = storeOf("alpha");
    const changes: number[] = [];
    let changed: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => {
      changed = resolve;
    });
    const stop = await watcherStore.watch("alpha", ({ generation }) => {
      changes.push(generation);
      changed();
    });
    const writer = await openVault({
      agent: "alpha",
      store: storeOf("alpha"),
      keySource: keyFileKey(keyFile("alpha")),
    });
    const [outcome] = await writer.rotate({ names: ["TOKEN"], force: true });
    expect(outcome?.result).toBe("rotated");
    await seen;
    expect(changes[0]).toBeGreaterThan(1);
    expect(await reader.get("TOKEN")).toBe(await writer.get("TOKEN"));
    expect(await reader.get("TOKEN")).not.toBe(before);
    await stop();
    reader.close();
    writer.close();
  });
});

describe("vault.on: rotation events from another host", () => {
  it("emits rotated with the name and version, never the value, when another host rotates", async () => {
    const watcher = await openVault({
      agent: "alpha",
      store: storeOf("alpha"),
      keySource: keyFileKey(keyFile("alpha")),
    });
    const events: Array<{ name: string; version: number }> = [];
    const rotated = new Promise<void>((resolve) => {
      watcher.on("rotated", (event) => {
        events.push(event);
        resolve();
      });
    });
    const writer = await openVault({
      agent: "alpha",
      store: storeOf("alpha"),
      keySource: keyFileKey(keyFile("alpha")),
    });
    await watcher.listening();
    const [outcome] = await writer.rotate({ names: ["TOKEN"], force: true });
    await rotated;
    expect(events).toEqual([{ name: "TOKEN", version: outcome?.version }]);
    expect(await watcher.get("TOKEN")).toBe(await writer.get("TOKEN"));
    watcher.close();
    writer.close();
  });
});

describe("a rotation claimed by a host that stopped answering", () => {
  it("is taken over by another host once the claim expires, with the same pending value, and the first host cannot commit", async () => {
    const options = { agent: "delta", keySource: keyFileKey(keyFile("delta")) };
    const created = await createVault({ ...options, store: storeOf("delta") });
    await created.vault.set("TOKEN", "delta-initial-value", {
      rotation: { maxAge: "30d", rotator: "provider", timeoutSeconds: 600 },
    });
    created.vault.close();
    // Host 1 creates the new value, then hangs inside apply (a host cut off from the network).
    let applying: () => void = () => undefined;
    const inApply = new Promise<void>((resolve) => {
      applying = resolve;
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const host1 = await openVault({ ...options, store: storeOf("delta") });
    host1.registerRotator("provider", {
      create: () => "delta-created-by-host-1",
      apply: async () => {
        applying();
        await released;
      },
    });
    const first = host1.rotate({ names: ["TOKEN"], force: true });
    await inApply;
    // Host 2, while the claim lasts: busy. After its expiry (600 s + margin): it resumes.
    let clock = new Date();
    const host2 = await openVault({ ...options, store: storeOf("delta"), now: () => clock });
    const pendingSeen: string[] = [];
    host2.registerRotator("provider", {
      create: () => "delta-created-by-host-2",
      apply: (context) => {
        pendingSeen.push(context.pending?.reveal() ?? "none");
      },
    });
    const [early] = await host2.rotate({ names: ["TOKEN"], force: true });
    expect(early?.result).toBe("busy");
    clock = new Date(Date.now() + 631_000);
    const [late] = await host2.rotate({ names: ["TOKEN"], force: true });
    expect(late?.result).toBe("rotated");
    expect(pendingSeen).toEqual(["delta-created-by-host-1"]);
    expect(await host2.get("TOKEN")).toBe("delta-created-by-host-1");
    // Host 1 wakes up: its claim is gone, so it commits nothing.
    release();
    const [stale] = await first;
    expect(stale?.result).not.toBe("rotated");
    const history = await host2.history("TOKEN");
    expect(history.map((entry) => entry.version)).toEqual([1, 2]);
    expect(await host2.get("TOKEN")).toBe("delta-created-by-host-1");
    host1.close();
    host2.close();
  });
});

describe("hosts set up through the home's config.json", () => {
  /** A host: its own home whose config.json names gamma's role, and its .pgpass file. */
  function host(name: string): Record<string, string> {
    const entry = agents.get("gamma");
    if (!entry) throw new Error("no role for gamma");
    const home = join(cluster.dir, `host-${name}`);
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const passfile = join(home, "pgpass");
    const url = new URL(entry.url);
    writeFileSync(passfile, `${url.hostname}:${url.port}:*:${url.username}:${entry.password}\n`, {
      mode: 0o600,
    });
    writeFileSync(join(home, "config.json"), JSON.stringify({ store: entry.url, passfile }), {
      mode: 0o600,
    });
    return {
      HOME: cluster.dir,
      AGENT_VAULT_HOME: home,
      AGENT_VAULT_AGENT: "gamma",
      AGENT_VAULT_KEY_FILE: keyFile("gamma"),
    };
  }

  it("keeps the vault in the database, and each host's scan finds values another host set once it has opened the vault", async () => {
    const laptop = host("laptop");
    const server = host("server");
    const init = await runCli(["init", "--key-source", "keyfile", "--key-file", keyFile("gamma")], {
      env: laptop,
    });
    expect(init.code, init.stderr).toBe(0);
    const value = "gamma-token-4f9c2d7e81b3a6c5d0e9f8a7b6c5d4e3";
    expect((await runCli(["set", "GAMMA_TOKEN"], { env: server, stdin: value })).code).toBe(0);
    // The database holds the vault; neither home holds a vault file.
    const rows = await sql<{ agent: string }>(cluster.url, "SELECT agent FROM agent_vault.vaults");
    expect(rows.map((row) => row.agent)).toContain("gamma");
    for (const env of [laptop, server]) {
      expect(existsSync(join(env.AGENT_VAULT_HOME as string, "agents/gamma/vault.json"))).toBe(
        false,
      );
    }
    const work = join(cluster.dir, "work");
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, "MEMORY.md"), `The token is ${value}\n`);
    const scan = (env: Record<string, string>) =>
      runCli(["scan", "MEMORY.md", "--format", "json"], { env, cwd: work });
    // The server set it: its fingerprints know the value.
    expect((await scan(server)).stdout).toContain("GAMMA_TOKEN");
    // The laptop's fingerprints were made before the value existed; any command that opens
    // the vault there brings them up to date.
    expect((await runCli(["list"], { env: laptop })).code).toBe(0);
    const found = await scan(laptop);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("GAMMA_TOKEN");
    expect(found.stdout).not.toContain(value);

    // A set the laptop had brought up to date falls behind again when the server writes, and
    // catches up on the laptop's next open.
    const second = "gamma-second-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";
    expect((await runCli(["set", "GAMMA_SECOND"], { env: server, stdin: second })).code).toBe(0);
    writeFileSync(join(work, "MEMORY.md"), `Second: ${second}\n`);
    expect((await scan(laptop)).stdout).not.toContain("GAMMA_SECOND");
    expect((await runCli(["list"], { env: laptop })).code).toBe(0);
    expect((await scan(laptop)).stdout).toContain("GAMMA_SECOND");

    // The server writes between the laptop's open and the laptop's own write: the laptop's
    // commit is not the next one after its set, so it rebuilds the set rather than adding to it.
    const third = "gamma-third-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    const own = "gamma-own-f9e8d7c6b5a4039281706f5e4d3c2b1a";
    const laptopVault = await openVault({
      agent: "gamma",
      home: laptop.AGENT_VAULT_HOME as string,
      keySource: keyFileKey(keyFile("gamma")),
    });
    expect((await runCli(["set", "GAMMA_THIRD"], { env: server, stdin: third })).code).toBe(0);
    await laptopVault.set("GAMMA_OWN", own);
    laptopVault.close();
    writeFileSync(join(work, "MEMORY.md"), `Third: ${third}\nOwn: ${own}\n`);
    const both = (await scan(laptop)).stdout;
    expect(both).toContain("GAMMA_THIRD");
    expect(both).toContain("GAMMA_OWN");
  });
});

describe("loading the driver", () => {
  it("leaves the process's globals as they were (no navigator where Node has none)", () => {
    const entry = agents.get("alpha");
    if (!entry) throw new Error("no role for alpha");
    // A fresh process: the driver loads for the first time there.
    const script = `
      const before = "navigator" in globalThis;
      const { PostgresStore } = await import(process.argv[1]);
      const store = new PostgresStore(process.env.URL, { password: process.env.PW });
      const agents = await store.listAgents();
      await store.close();
      console.log(JSON.stringify({ before, after: "navigator" in globalThis, agents: agents.length }));`;
    const child = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", script, join(ROOT, "dist/store/postgres-store.js")],
      { env: { PATH: process.env.PATH, URL: entry.url, PW: entry.password }, encoding: "utf8" },
    );
    expect(child.status, child.stderr).toBe(0);
    const seen = JSON.parse(child.stdout) as { before: boolean; after: boolean; agents: number };
    expect(seen.after).toBe(seen.before);
    expect(seen.before).toBe(Number(process.versions.node.split(".")[0]) >= 21);
    expect(seen.agents).toBeGreaterThanOrEqual(0); // it did connect and query
  });
});

describe("the canary: the database holds no value", () => {
  const { c1, c2 } = makeCanaries();

  it("finds no form of a canary in any table a superuser reads, nor in the server's log", async () => {
    const store = storeOf("canary");
    const { vault } = await createVault({
      agent: "canary",
      store,
      keySource: keyFileKey(keyFile("canary")),
    });
    await vault.set("CANARY_ONE", c1.value, { description: "planted" });
    await vault.set("CANARY_TWO", c2.value);
    await vault.set("CANARY_ONE", `${c1.value}-v2`);
    await vault.rollback("CANARY_ONE", 1);
    await vault.set("ROTATED", c1.value, { rotation: { maxAge: "1d", rotator: "random:32" } });
    await vault.rotate({ names: ["ROTATED"], force: true });
    expect(await vault.get("CANARY_ONE")).toBe(c1.value);
    vault.close();

    const search = new LeakSearch([c1, c2]);
    const tables = await sql<{ table_name: string }>(
      cluster.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'agent_vault' ORDER BY 1",
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      "agents",
      "audit_heads",
      "audit_records",
      "migrations",
      "vaults",
    ]);
    let rowsRead = 0;
    for (const { table_name: table } of tables) {
      // As text (bytea as \x hex) and as the driver returns it (bytea as raw bytes).
      const asText = await sql<{ row: string }>(
        cluster.url,
        `SELECT t::text AS row FROM agent_vault.${table} t`,
      );
      for (const { row } of asText) search.text(`${table} (text)`, row);
      const raw = await sql(cluster.url, `SELECT * FROM agent_vault.${table}`);
      for (const row of raw) {
        rowsRead += 1;
        for (const [column, value] of Object.entries(row)) {
          if (Buffer.isBuffer(value)) search.bytesAt(`${table}.${column}`, value);
          else search.text(`${table}.${column}`, String(value));
        }
      }
    }
    expect(rowsRead).toBeGreaterThan(10);
    // The server's own log (errors, with their statements) holds none either.
    search.bytesAt("server.log", readFileSync(join(cluster.dir, "cluster/server.log")));
    // The search itself finds a planted canary (it can fail).
    const probe = new LeakSearch([c1]);
    probe.text("probe", `x${Buffer.from(c1.value).toString("hex")}x`);
    expect(probe.hits).toHaveLength(1);
    expect(search.hits).toEqual([]);
  });

  // After the test above, which planted the canaries.
  need(
    "pgdump",
    missingPgDump(),
    "install the system's PostgreSQL with its pg_dump (apt-get install postgresql) and set AGENT_VAULT_TEST_PG=system",
  ).it("finds no form of a canary in pg_dump's output", async () => {
    const search = new LeakSearch([c1, c2]);
    const url = new URL(cluster.url);
    const dump = spawnSync(
      pgDumpOf(cluster) ?? "pg_dump",
      ["-h", url.hostname, "-p", url.port, "-U", "postgres", "-d", "postgres", "-n", "agent_vault"],
      {
        env: { PATH: process.env.PATH ?? "", PGPASSWORD: decodeURIComponent(url.password) },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(dump.status, dump.stderr?.toString()).toBe(0);
    expect(dump.stdout.length).toBeGreaterThan(1000);
    search.bytesAt("pg_dump", dump.stdout);
    expect(search.hits).toEqual([]);
  });
});
