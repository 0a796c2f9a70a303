/**
 * The fleet simulation of issue 7 on a real PostgreSQL server: six writer processes as three
 * agent roles, and two `vault rotate --all-agents` hosts (an admin role) rotating every due
 * secret at the same time. One rotation host is killed with SIGKILL inside a rotator's apply
 * step; the other host's next run resumes that rotation.
 *
 * Figures: 0 lost updates (every acknowledged write is there), every due secret rotated exactly
 * once (one create and one finish step each, one new version each), audit chains intact.
 *
 * The processes run test/fixtures/postgres/fleet-worker.mjs on the library bundled from the
 * sources for them (test/setup/test-library.ts).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVault, keyFileKey, openVault } from "../src/index.js";
import { PostgresStore } from "../src/store/postgres-store.js";
import { ROOT, spawnCli } from "./helpers/cli.js";
import { type Cluster, initStore, sql, startCluster } from "./helpers/postgres.js";

const WORKER = join(ROOT, "test/fixtures/postgres/fleet-worker.mjs");
const AGENTS = ["fleet-a", "fleet-b", "fleet-c"];
const STAGED = ["STAGED_1", "STAGED_2", "STAGED_3", "STAGED_4"];
const LOCAL = ["LOCAL_1", "LOCAL_2"];
const WRITES_PER_WRITER = 30;
/** The rotation hosts' clock: two days on, when every one-day max age has run out. */
const LATER = new Date(Date.now() + 2 * 86_400_000);

let cluster: Cluster;
let agents: Map<string, { url: string; password: string }>;
let adminUrl: string;
const stores: PostgresStore[] = [];

interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves with the `nth` line starting with `prefix` (now or later). */
  line(prefix: string, nth?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function spawnWorker(args: string[], password: string): Child {
  const child = spawn(process.execPath, [WORKER, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PGPASSWORD: password },
  });
  const lines: string[] = [];
  const waiters: Array<{ prefix: string; nth: number; resolve: (line: string) => void }> = [];
  const matching = (prefix: string) => lines.filter((line) => line.startsWith(prefix));
  let buffered = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (line.startsWith(waiter.prefix) && matching(waiter.prefix).length === waiter.nth) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdin.on("error", () => undefined);
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
  return {
    process: child,
    lines,
    exited,
    line(prefix, nth = 1) {
      const seen = matching(prefix)[nth - 1];
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ prefix, nth, resolve });
        void exited.then(({ stderr: text }) =>
          reject(
            new Error(
              `worker ${args[0]} exited before "${prefix}" (${lines.length} lines): ${text.slice(0, 2000)}`,
            ),
          ),
        );
      });
    },
  };
}

function keyFile(agent: string): string {
  return join(cluster.dir, `${agent}.key`);
}

beforeAll(async () => {
  cluster = startCluster();
  agents = await initStore(cluster, AGENTS);
  await sql(cluster.url, "CREATE ROLE rotation_host LOGIN PASSWORD 'rotation-pw' IN ROLE av_admin");
  adminUrl = cluster.url.replace(/\/\/[^@]*@/, "//rotation_host@");
  for (const agent of AGENTS) {
    const entry = agents.get(agent);
    if (!entry) throw new Error("no role");
    const store = new PostgresStore(entry.url, { password: entry.password });
    stores.push(store);
    const { vault } = await createVault({ agent, store, keySource: keyFileKey(keyFile(agent)) });
    for (const name of STAGED) {
      await vault.set(name, `${agent} ${name} v1`, {
        rotation: { maxAge: "1d", rotator: "provider" },
      });
    }
    for (const name of LOCAL) {
      await vault.set(name, `${agent} ${name} v1`, {
        rotation: { maxAge: "1d", rotator: "random:32" },
      });
    }
    vault.close();
  }
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  cluster?.stop();
});

describe("a fleet of hosts on one PostgreSQL store", () => {
  it("loses no update and rotates every due secret exactly once, resuming a rotation host killed mid-rotation", async () => {
    const log = join(cluster.dir, "provider.log");
    writeFileSync(log, "");
    const writers: Array<{ agent: string; id: string; child: Child }> = [];
    AGENTS.forEach((agent, index) => {
      const entry = agents.get(agent);
      if (!entry) throw new Error("no role");
      for (const copy of [0, 1]) {
        const id = `${index}${copy}`;
        const child = spawnWorker(
          ["writer", entry.url, agent, keyFile(agent), id, String(WRITES_PER_WRITER)],
          entry.password,
        );
        writers.push({ agent, id, child });
      }
    });
    const runnerArgs = ["runner", adminUrl, cluster.dir, log, LATER.toISOString()];
    const victim = spawnWorker([...runnerArgs, "--hang", "--reverse"], "rotation-pw");
    const survivor = spawnWorker(runnerArgs, "rotation-pw");
    await Promise.all(
      [victim, survivor, ...writers.map((w) => w.child)].map((c) => c.line("ready")),
    );
    // All eight start at once.
    for (const writer of writers) writer.child.process.stdin.write("go\n");
    victim.process.stdin.write("pass\n");
    survivor.process.stdin.write("pass\n");

    // The victim stops inside an apply step; the survivor finishes its first pass beside it.
    const applying = await victim.line("applying ");
    const [, hungAgent, hungName] = applying.split(" ");
    await survivor.line("pass-done ");
    victim.process.kill("SIGKILL");
    expect((await victim.exited).signal).toBe("SIGKILL");
    // The next run on the other host resumes the killed rotation.
    survivor.process.stdin.write("pass\n");
    await survivor.line("pass-done ", 2);
    expect(survivor.lines.filter((line) => line.startsWith("pass-done "))).toHaveLength(2);
    survivor.process.stdin.write("exit\n");
    const survivorExit = await survivor.exited;
    expect(survivorExit.code, survivorExit.stderr).toBe(0);

    for (const writer of writers) {
      const exit = await writer.child.exited;
      expect(exit.code, exit.stderr).toBe(0);
    }

    // Exactly once: one create and one finish per staged secret; the hung one applied twice.
    const steps = readFileSync(log, "utf8").trim().split("\n");
    const count = (step: string, agent: string, name: string) =>
      steps.filter((line) => line.startsWith(`${step} ${agent} ${name} `)).length;
    for (const agent of AGENTS) {
      for (const name of STAGED) {
        expect(count("create", agent, name), `${agent} ${name}`).toBe(1);
        expect(count("finish", agent, name), `${agent} ${name}`).toBe(1);
      }
    }
    expect(count("apply", hungAgent as string, hungName as string)).toBe(2);
    const resumedBy = steps.find((line) => line.startsWith(`finish ${hungAgent} ${hungName} `));
    expect(resumedBy?.split(" ")[3]).toBe(String(survivor.process.pid));

    let acked = 0;
    let interleavings = 0;
    for (const agent of AGENTS) {
      const entry = agents.get(agent);
      if (!entry) throw new Error("no role");
      const vault = await openVault({
        agent,
        store: stores[AGENTS.indexOf(agent)] as PostgresStore,
        keySource: keyFileKey(keyFile(agent)),
        now: () => LATER,
      });
      // 0 lost updates: every write a writer acknowledged is there with its value.
      for (const writer of writers.filter((entry) => entry.agent === agent)) {
        for (const line of writer.child.lines.filter((text) => text.startsWith("acked "))) {
          const name = line.slice("acked ".length);
          const index = name.split("_")[1];
          expect(await vault.get(name)).toBe(`value-${writer.id}-${index}`);
          acked += 1;
        }
      }
      // Every due secret rotated exactly once: one new version, no journal left, none due.
      for (const name of [...STAGED, ...LOCAL]) {
        const history = await vault.history(name);
        expect(
          history.map((entry) => entry.version),
          `${agent} ${name}`,
        ).toEqual([1, 2]);
        expect(await vault.get(name)).not.toBe(`${agent} ${name} v1`);
      }
      const status = await vault.rotationStatus();
      expect(status.filter((entry) => entry.state !== "ok")).toEqual([]);
      expect((await vault.verifyAudit()).ok).toBe(true);
      // The writers and the rotation hosts really ran at the same time: their records interleave.
      const actors = (await vault.auditRecords()).map((record) => record.actor.split("-")[0]);
      interleavings += actors.filter(
        (actor, i) =>
          actor === "writer" && actors[i - 1] === "runner" && actors.includes("runner", i),
      ).length;
      vault.close();
    }
    expect(interleavings).toBeGreaterThan(0);
    expect(acked).toBe(AGENTS.length * 2 * WRITES_PER_WRITER);
  });

  it("runs the real vault rotate --all-agents on two hosts at once: each due secret rotated by exactly one", async () => {
    const cliAgents = ["cli-a", "cli-b", "cli-c"];
    const names = Array.from({ length: 20 }, (_, i) => `DUE_${i}`);
    const admin = new PostgresStore(adminUrl, { password: "rotation-pw" });
    stores.push(admin);
    const twoDaysAgo = () => new Date(Date.now() - 2 * 86_400_000);
    for (const agent of cliAgents) {
      const { vault } = await createVault({
        agent,
        store: admin,
        keySource: keyFileKey(keyFile(agent)),
        now: twoDaysAgo,
      });
      await vault.setMany(
        names.map((name) => ({
          name,
          value: `${agent} ${name} v1`,
          rotation: { maxAge: "1d", rotator: "random:32" },
        })),
      );
      vault.close();
    }
    // Two cron hosts: the same command line at the same moment, each with the agents' key
    // files in one folder (--key-dir) and the admin role's password in PGPASSWORD.
    const host = () =>
      spawnCli(
        ["--store", adminUrl, "--key-dir", cluster.dir, "rotate", "--all-agents", "--json"],
        { env: { HOME: cluster.dir, PGPASSWORD: "rotation-pw" } },
      );
    const results = await Promise.all([host(), host()]);
    const rotatedBy = new Map<string, number>();
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as {
        agents: Array<{ agent: string; outcomes: Array<{ name: string; result: string }> }>;
      };
      for (const run of report.agents.filter((entry) => cliAgents.includes(entry.agent))) {
        for (const outcome of run.outcomes.filter((entry) => entry.result === "rotated")) {
          const key = `${run.agent}/${outcome.name}`;
          rotatedBy.set(key, (rotatedBy.get(key) ?? 0) + 1);
        }
      }
    }
    // Every due secret: rotated once in all (by one host or the other), one new version each.
    expect(rotatedBy.size).toBe(cliAgents.length * names.length);
    expect([...rotatedBy.values()].every((count) => count === 1)).toBe(true);
    for (const agent of cliAgents) {
      const vault = await openVault({ agent, store: admin, keySource: keyFileKey(keyFile(agent)) });
      for (const name of names) {
        expect((await vault.history(name)).map((entry) => entry.version)).toEqual([1, 2]);
      }
      expect((await vault.verifyAudit()).ok).toBe(true);
      vault.close();
    }
  });
});
