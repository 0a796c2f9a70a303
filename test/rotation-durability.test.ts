/**
 * Rotation durability (issue 3, "The protocol" and "Tests and measures"): `vault rotate` (the
 * built bin) killed with SIGKILL at random points, inside rotator steps and between them, then
 * resumed; and three `vault rotate` runs started together over the same due secrets while a
 * reader keeps reading. The rotator is test/fixtures/rotation/fake-provider-rotator.mjs, a
 * provider whose valid keys the test can see. The test process checks the vault through the
 * library after every run.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createVault, keyFileKey, openVault, type Vault } from "../src/index.js";
import { FakeProvider, hashOf, ROTATOR_SPEC, serveRotators } from "./fixtures/rotation/provider.js";
import { BIN, ROOT, spawnCli, tempDir } from "./helpers/cli.js";
import { prepareHome } from "./helpers/test-store.js";

const AGENT = "main";
const DAY_MS = 86_400_000;
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

/** A small seeded PRNG (mulberry32), so a failing kill sequence can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A home with a key-file vault whose secrets were last set `ageMs` ago (so they are due). */
async function dueVault(ageMs: number) {
  const dir = tempDir("agent-vault-rotation-");
  cleanups.push(dir.cleanup);
  const home = join(dir.path, "home");
  prepareHome(home);
  const keyFile = join(dir.path, "main.key");
  const { vault } = await createVault({
    home,
    agent: AGENT,
    keySource: keyFileKey(keyFile),
    historyLimit: 1000,
    now: () => new Date(Date.now() - ageMs),
  });
  vault.close();
  const provider = new FakeProvider(dir.path);
  serveRotators(home);
  const open = (now?: () => Date) =>
    openVault({ home, agent: AGENT, keySource: keyFileKey(keyFile), ...(now ? { now } : {}) });
  return { dir: dir.path, home, keyFile, provider, open };
}

/** A `vault rotate` child: its output, and how it ended. */
interface RotateRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Rotator processes running when it was killed (the kill landed inside a step). */
  rotatorsAtKill?: number;
}

/** When to kill a run: `delayMs` after it starts, after a rotator step starts, or after N steps. */
type KillPlan =
  | { at: "start"; delayMs: number }
  | { at: "inside-step"; delayMs: number }
  | { at: "after-steps"; steps: number; delayMs: number };

/** Runs `vault rotate` (the built bin) and, with a plan, kills it with SIGKILL. */
function rotate(
  argv: string[],
  env: Record<string, string>,
  provider: FakeProvider,
  plan?: KillPlan,
): Promise<RotateRun> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, ...argv], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end();
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  let exited = false;
  let rotatorsAtKill: number | undefined;
  const closed = new Promise<RotateRun>((resolve) => {
    child.on("close", (code, signal) => {
      exited = true;
      resolve({
        code,
        signal,
        stdout,
        stderr,
        ...(rotatorsAtKill === undefined ? {} : { rotatorsAtKill }),
      });
    });
  });
  child.on("exit", () => {
    exited = true;
  });
  if (plan) {
    const stepsAtStart = provider.log().length;
    const ready = (): boolean => {
      if (plan.at === "start") return true;
      if (plan.at === "inside-step") return provider.running() > 0;
      return provider.log().length >= stepsAtStart + plan.steps;
    };
    void (async () => {
      while (!exited && !ready()) await sleep(3);
      await sleep(plan.delayMs);
      if (exited) return;
      rotatorsAtKill = provider.running();
      child.kill("SIGKILL");
    })();
  }
  return closed;
}

/** A random kill point: 8% none (the run finishes the round), the rest spread over the run. */
function killPlan(random: () => number): KillPlan | undefined {
  const pick = random();
  if (pick < 0.08) return undefined;
  if (pick < 0.28) return { at: "start", delayMs: Math.floor(random() * 700) };
  if (pick < 0.58) return { at: "inside-step", delayMs: Math.floor(random() * 70) };
  return {
    at: "after-steps",
    steps: 1 + Math.floor(random() * 2),
    delayMs: Math.floor(random() * 40),
  };
}

describe("vault rotate killed at random points", () => {
  it("resumes every rotation with the same pending value, never loses a working CURRENT, and rotates each due secret exactly once per round", async () => {
    const started = Date.now();
    const seed = Number(process.env.ROTATION_SEED ?? randomBytes(4).readUInt32LE(0));
    const random = prng(seed);
    const context = `(seed ${seed}; replay with ROTATION_SEED=${seed})`;
    const { home, provider, open } = await dueVault(2 * DAY_MS);
    const names = ["ALPHA", "BRAVO", "CHARLIE"];
    const local = "WEBHOOK_TOKEN";
    const all = [...names, local];
    const env = { AGENT_VAULT_HOME: home, ...provider.env({ FAKE_RANDOM_SLEEP_MS: "40" }) };

    // What the test knows: the value it set by hand in each round, and the version it got.
    const manual = new Map<string, Array<{ version: number; value: string }>>();
    const figures = {
      kills: 0,
      killsInsideRotatorStep: 0,
      runs: 0,
      runsToCompletion: 0,
      resumes: 0,
      rotations: 0,
      rounds: 0,
      checks: 0,
      runMs: 0,
      checkMs: 0,
      killsAt: { start: 0, "inside-step": 0, "after-steps": 0 },
    };
    const lastCurrent = new Map<string, number>();
    const pendingSeen = new Map<string, { version: number; createdAt: string }>();

    /** Makes every secret due again: a value set by hand two days ago (the provider knows it). */
    async function newRound(round: number) {
      await provider.idle(); // rotators orphaned by a kill also write the provider's state
      const past = new Date(Date.now() - 2 * DAY_MS);
      const vault = await open(() => past);
      try {
        for (const name of all) {
          const value = `fk_manual_${round}_${randomBytes(12).toString("hex")}`;
          if (name !== local) provider.accept(name, value);
          const info = await vault.set(name, value, {
            rotation: {
              maxAge: "1d",
              rotator: name === local ? "random:32" : ROTATOR_SPEC,
              keep: 1,
              timeoutSeconds: 30,
            },
          });
          manual.set(name, [...(manual.get(name) ?? []), { version: info.version, value }]);
          lastCurrent.set(name, info.version);
        }
      } finally {
        vault.close();
      }
    }

    /**
     * Opens the vault and checks it: audit chain intact, every CURRENT accepted by the provider,
     * CURRENT never older than before, and a pending version that stays the same until it is
     * promoted as is. Returns each secret's rotation state ("" when none is in progress).
     */
    async function check(): Promise<Map<string, string>> {
      figures.checks += 1;
      const vault = await open();
      const states = new Map<string, string>();
      try {
        const audit = await vault.verifyAudit();
        expect(audit.problems, context).toEqual([]);
        const statuses = await vault.rotationStatus();
        for (const name of all) {
          const history = await vault.history(name);
          const current = history.find((entry) => entry.current);
          const pending = history.find((entry) => entry.label === "pending");
          expect(current, `${name} has a CURRENT ${context}`).toBeDefined();
          if (!current) continue;
          const value = await vault.get(name);
          if (name !== local) {
            expect(
              provider.accepts(name, value),
              `CURRENT v${current.version} of ${name} is a key the provider accepts ${context}`,
            ).toBe(true);
          }
          expect(
            current.version,
            `${name}'s CURRENT never goes back ${context}`,
          ).toBeGreaterThanOrEqual(lastCurrent.get(name) ?? 0);
          lastCurrent.set(name, current.version);
          const seen = pendingSeen.get(name);
          if (seen && pending) {
            expect(
              { version: pending.version, createdAt: pending.createdAt },
              `${name}'s pending value is the one created first ${context}`,
            ).toEqual(seen);
          } else if (seen) {
            expect(
              { version: current.version, createdAt: current.createdAt },
              `${name}'s pending value became CURRENT as it was ${context}`,
            ).toEqual(seen);
            pendingSeen.delete(name);
          }
          if (pending && !seen) {
            expect(pending.version, `${name}'s pending is the next version ${context}`).toBe(
              current.version + 1,
            );
            pendingSeen.set(name, { version: pending.version, createdAt: pending.createdAt });
          }
          const status = statuses.find((entry) => entry.name === name);
          states.set(
            name,
            status?.inProgress ? `${pending?.version ?? "-"}:${status.inProgress.step}` : "",
          );
        }
      } finally {
        vault.close();
      }
      return states;
    }

    let round = 0;
    await newRound(round);
    let states = await check();
    for (;;) {
      // Past 60 kills, the next run finishes the round.
      const plan = figures.kills >= 60 ? undefined : killPlan(random);
      const runStart = Date.now();
      const result = await rotate(["rotate"], env, provider, plan);
      figures.runs += 1;
      figures.runMs += Date.now() - runStart;
      const before = states;
      const checkStart = Date.now();
      states = await check();
      figures.checkMs += Date.now() - checkStart;
      for (const [name, state] of before) {
        if (state !== "" && states.get(name) !== state) figures.resumes += 1;
      }
      if (result.signal === "SIGKILL") {
        figures.kills += 1;
        if (plan) figures.killsAt[plan.at] += 1;
        if ((result.rotatorsAtKill ?? 0) > 0) figures.killsInsideRotatorStep += 1;
        continue;
      }
      // A run that was not killed finishes the round: every secret rotated once, no journal.
      figures.runsToCompletion += 1;
      expect(result.code, `${result.stdout}${result.stderr} ${context}`).toBe(0);
      expect(result.stdout, context).not.toMatch(/busy|FAILED|waiting/);
      for (const name of all) {
        const made = manual.get(name)?.at(-1);
        expect(states.get(name), `${name} has no rotation in progress ${context}`).toBe("");
        expect(
          lastCurrent.get(name),
          `${name} rotated exactly once in round ${round} ${context}`,
        ).toBe((made?.version ?? 0) + 1);
      }
      figures.rotations += all.length;
      figures.rounds += 1;
      if (figures.kills >= 60) break;
      round += 1;
      await newRound(round);
      states = await check();
    }

    // Orphaned rotator steps (their `vault rotate` was killed) finish on their own.
    await provider.idle();
    const again = await spawnCli(["rotate"], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 rotated, 0 failed");
    const verified = await spawnCli(["audit", "--verify"], { env: { AGENT_VAULT_HOME: home } });
    expect(verified.code, verified.stdout).toBe(0);
    await check();

    // The log: each rotation's apply/verify/finish steps saw one pending value, which became
    // the next version; CURRENT stayed the value set by hand throughout that rotation.
    const log = provider.log();
    const vault: Vault = await open();
    let discardedCreates = 0;
    try {
      for (const name of names) {
        const rounds = manual.get(name) ?? [];
        const rotated: string[] = [];
        const currentOf = new Map<string, string>();
        for (const made of rounds) {
          const value = await vault.get(name, { version: made.version + 1 });
          rotated.push(hashOf(value));
          currentOf.set(hashOf(value), hashOf(made.value));
        }
        const steps = log.filter((entry) => entry.name === name && entry.step !== "create");
        const pendings = [...new Set(steps.map((entry) => entry.pendingHash))];
        expect(pendings, `${name}: one pending per rotation, in order ${context}`).toEqual(rotated);
        for (const entry of steps) {
          expect(entry.currentHash, `${name}: CURRENT unchanged during a rotation`).toBe(
            currentOf.get(entry.pendingHash ?? ""),
          );
        }
        const created = log
          .filter((entry) => entry.name === name && entry.step === "create")
          .map((entry) => entry.createdHash);
        for (const hash of rotated) expect(created).toContain(hash);
        discardedCreates += created.length - rotated.length;
        const history = await vault.history(name);
        expect(history.some((entry) => entry.label === "pending")).toBe(false);
        expect(history.at(-1)?.version).toBe((rounds.at(-1)?.version ?? 0) + 1);
      }
    } finally {
      vault.close();
    }
    expect(figures.kills).toBeGreaterThanOrEqual(60);
    console.log(
      `rotation SIGKILL loop ${context}: ${figures.kills} kills (${figures.killsAt.start} timed from the start, ${figures.killsAt["inside-step"]} timed from a step's start, ${figures.killsAt["after-steps"]} timed after a step; ${figures.killsInsideRotatorStep} while a rotator ran), ${figures.runs} runs, ${figures.resumes} resumed rotations, ${figures.rotations} rotations in ${figures.rounds} rounds (${all.length} secrets), ${discardedCreates} created values discarded before they were recorded, ${figures.checks} checks (${(figures.checkMs / 1000).toFixed(1)} s; runs ${(figures.runMs / 1000).toFixed(1)} s), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});

describe("vault rotate runs that overlap", () => {
  it("three runs started together rotate each due secret exactly once while a reader always gets a CURRENT the provider accepts", async () => {
    const { home, provider, open } = await dueVault(0);
    const commandNames = Array.from({ length: 10 }, (_, index) => `API_KEY_${index}`);
    const localNames = Array.from({ length: 5 }, (_, index) => `TOKEN_${index}`);
    const past = new Date(Date.now() - 2 * DAY_MS);
    const setup = await open(() => past);
    const initial = new Map<string, number>();
    try {
      for (const name of [...commandNames, ...localNames]) {
        const value = `fk_initial_${randomBytes(12).toString("hex")}`;
        const isCommand = commandNames.includes(name);
        if (isCommand) provider.accept(name, value);
        const info = await setup.set(name, value, {
          rotation: {
            maxAge: "1d",
            rotator: isCommand ? ROTATOR_SPEC : "random:32",
            keep: 1,
            timeoutSeconds: 30,
          },
        });
        initial.set(name, info.version);
      }
    } finally {
      setup.close();
    }

    // The reader: an agent reading every key in a loop while the runs rotate them.
    let stop = false;
    const reads = { total: 0, rejected: [] as string[] };
    const reader = (async () => {
      const vault = await open();
      try {
        while (!stop) {
          for (const name of commandNames) {
            const value = await vault.get(name);
            reads.total += 1;
            if (!provider.accepts(name, value)) reads.rejected.push(name);
          }
          await sleep(5);
        }
      } finally {
        vault.close();
      }
    })();

    const env = {
      AGENT_VAULT_HOME: home,
      ...provider.env({ FAKE_SLEEP_STEP: "any", FAKE_SLEEP_MS: "25" }),
    };
    const runs = await Promise.all(
      [0, 1, 2].map(() => rotate(["rotate", "--json"], env, provider)),
    );
    stop = true;
    await reader;

    const rotatedBy = new Map<string, number>();
    let failed = 0;
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as {
        summary: { rotated: number; failed: number };
        agents: Array<{ outcomes: Array<{ name: string; result: string }> }>;
      };
      failed += report.summary.failed;
      for (const outcome of report.agents.flatMap((agent) => agent.outcomes)) {
        if (outcome.result === "rotated") {
          rotatedBy.set(outcome.name, (rotatedBy.get(outcome.name) ?? 0) + 1);
        }
      }
    }
    expect(failed).toBe(0);
    const everyName = [...commandNames, ...localNames];
    expect(Object.fromEntries(rotatedBy)).toEqual(
      Object.fromEntries(everyName.map((name) => [name, 1])),
    );
    const creates = provider.log().filter((entry) => entry.step === "create");
    for (const name of commandNames) {
      expect(
        creates.filter((entry) => entry.name === name),
        `${name}: one create`,
      ).toHaveLength(1);
    }
    const vault = await open();
    try {
      for (const name of everyName) {
        const history = await vault.history(name);
        expect(
          history.map((entry) => entry.label),
          name,
        ).toEqual(["previous", "current"]);
        expect(history.at(-1)?.version).toBe((initial.get(name) ?? 0) + 1);
        if (commandNames.includes(name)) {
          expect(provider.accepts(name, await vault.get(name))).toBe(true);
        }
      }
      expect((await vault.verifyAudit()).problems).toEqual([]);
    } finally {
      vault.close();
    }
    expect(reads.rejected).toEqual([]);
    expect(reads.total).toBeGreaterThan(0);
    const busy = runs.reduce(
      (sum, run) => sum + (JSON.parse(run.stdout) as { summary: { busy: number } }).summary.busy,
      0,
    );
    console.log(
      `overlapping rotate runs: 3 runs, ${everyName.length} due secrets, ${[...rotatedBy.values()].reduce((a, b) => a + b, 0)} rotations, ${busy} skipped as busy, ${failed} failures, ${reads.total} reads (${reads.rejected.length} rejected by the provider)`,
    );
  });
});
