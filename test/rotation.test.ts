import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createVault,
  keyFileKey,
  openVault,
  type Rotator,
  type RotatorContext,
  readHostRotators,
  readVaultInfo,
  type Vault,
} from "../src/index.js";
import { parseRotatorSpec } from "../src/rotation/rotator-spec.js";
import { randomValue } from "../src/rotation/rotators.js";
import { ScheduleCalendar } from "../src/rotation/schedule.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import { prepareHome, readStoredAudit } from "./helpers/test-store.js";

let home: string;
let cleanup: () => void;
let keyFile: string;
let clock: Date;
const opened: Vault[] = [];

const now = () => new Date(clock);
const at = (iso: string) => {
  clock = new Date(iso);
};

async function newVault() {
  const { vault } = await createVault({ home, keySource: keyFileKey(keyFile), now });
  opened.push(vault);
  return vault;
}

async function reopen() {
  const vault = await openVault({ home, keySource: keyFileKey(keyFile), now });
  opened.push(vault);
  return vault;
}

beforeEach(() => {
  ({ path: home, cleanup } = tempDir());
  prepareHome(home);
  keyFile = join(home, "master.key");
  at("2026-01-15T12:00:00.000Z");
});

afterEach(() => {
  for (const vault of opened.splice(0)) vault.close();
  cleanup();
});

/** A provider that accepts a set of keys, and a registered rotator that drives it. */
function fakeProvider(options: { failAt?: string; crashAt?: string } = {}) {
  const valid = new Set<string>();
  const calls: string[] = [];
  let counter = 0;
  const rotator: Rotator = {
    create(context: RotatorContext) {
      calls.push(`create:${context.current ? "with-current" : "no-current"}`);
      if (options.failAt === "create") throw new Error("provider said no");
      counter += 1;
      return `key-${counter}-${"x".repeat(20)}`;
    },
    apply(context) {
      calls.push(`apply:${context.pending?.reveal()}`);
      if (options.crashAt === "apply")
        throw new Error(`crash holding ${context.pending?.reveal()}`);
      if (options.failAt === "apply") throw new Error("apply failed");
      valid.add(context.pending?.reveal() ?? "");
    },
    verify(context) {
      calls.push("verify");
      return valid.has(context.pending?.reveal() ?? "");
    },
    finish(context) {
      calls.push("finish");
      valid.delete(context.current?.reveal() ?? "");
      valid.add(context.pending?.reveal() ?? "");
    },
  };
  return { valid, calls, rotator };
}

describe("schedules", () => {
  it("computes the next occurrence in the policy's time zone", () => {
    const calendar = new ScheduleCalendar();
    const utc = calendar.nextAfter("0 3 1 * *", "UTC", new Date("2026-01-15T00:00:00Z"));
    const paris = calendar.nextAfter("0 3 1 * *", "Europe/Paris", new Date("2026-01-15T00:00:00Z"));
    expect(utc.toISOString()).toBe("2026-02-01T03:00:00.000Z");
    expect(paris.toISOString()).toBe("2026-02-01T02:00:00.000Z");
  });

  it("answers from its cache exactly as a fresh parse does", () => {
    const calendar = new ScheduleCalendar();
    const fresh = new ScheduleCalendar();
    for (let minutes = 0; minutes < 5000; minutes += 37) {
      const time = new Date(Date.UTC(2026, 0, 1) + minutes * 60_000 * 13);
      const cached = calendar.nextAfter("0 */6 * * *", "UTC", time).getTime();
      const direct = new ScheduleCalendar().nextAfter("0 */6 * * *", "UTC", time).getTime();
      expect(cached).toBe(direct);
      expect(fresh.nextAfter("0 */6 * * *", "UTC", time).getTime()).toBe(direct);
    }
  });

  it("refuses a bad cron expression, a bad time zone and a policy with no schedule", async () => {
    const vault = await newVault();
    for (const rotation of [
      { schedule: "61 * * * *" },
      { schedule: "* * *" },
      { schedule: "" },
      { schedule: "0 3 1 * * *" },
      { schedule: "0 3 1 * *", timezone: "Mars/Olympus" },
      { maxAge: "30x" },
      { maxAge: "10" },
      {},
      { schedule: "@monthly", keep: -1 },
    ]) {
      expect(await codeOf(vault.set("TOKEN", "value-1234", { rotation }))).toBe("INVALID_INPUT");
    }
    expect(await vault.has("TOKEN")).toBe(false);
  });

  it("reports a secret as due at its first occurrence after the last rotation", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "value-1234", { rotation: { schedule: "0 3 1 * *" } });
    let [status] = await vault.rotationStatus();
    expect(status?.state).toBe("ok");
    expect(status?.dueAt).toBe("2026-02-01T03:00:00.000Z");
    at("2026-02-01T04:00:00.000Z");
    [status] = await vault.rotationStatus();
    expect(status?.state).toBe("manual");
    at("2026-02-03T04:00:00.000Z");
    [status] = await vault.rotationStatus();
    expect(status?.state).toBe("overdue");
    [status] = await vault.rotationStatus({ graceSeconds: 7 * 86_400 });
    expect(status?.state).toBe("manual");
  });

  it("lists overdue and failing secrets before any unlock, for vault doctor", async () => {
    const vault = await newVault();
    await vault.set("LATE", "value-1234", { rotation: { maxAge: "1d" } });
    await vault.set("FINE", "value-5678", { rotation: { maxAge: "30d" } });
    vault.registerRotator("broken", { create: () => Promise.reject(new Error("down")) });
    await vault.set("BROKEN", "value-9012", { rotation: { maxAge: "30d", rotator: "broken" } });
    await vault.rotate({ names: ["BROKEN"], force: true });
    at("2026-01-20T00:00:00.000Z");
    expect((await readVaultInfo({ home, now })).rotation).toEqual({
      overdue: ["LATE"],
      failing: ["BROKEN"],
      rotators: [{ name: "BROKEN", rotator: "broken" }],
    });
    const doctor = await runCli(["doctor", "--json"], {
      env: { AGENT_VAULT_HOME: home },
      now,
    });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain("overdue: LATE");
  });

  it("setRotation and update change only the fields given: a schedule survives setting a rotator and a maximum age, and the value keeps its version", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "value-1234", { rotation: { schedule: "@monthly" }, tags: ["a"] });
    await vault.setRotation("TOKEN", { rotator: "random:32", maxAge: "30d" });
    const info = await vault.update("TOKEN", { description: "webhook", env: "HOOK" });
    expect(info.rotation).toMatchObject({
      schedule: "@monthly",
      rotator: "random:32",
      maxAge: "30d",
    });
    expect(info).toMatchObject({ description: "webhook", env: "HOOK", tags: ["a"], version: 1 });
    expect(await vault.get("TOKEN")).toBe("value-1234");
    await expect(vault.update("MISSING", { tags: ["b"] })).rejects.toMatchObject({
      code: "SECRET_NOT_FOUND",
    });
  });

  it("makes a maximum age due before the schedule when it comes first", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "value-1234", { rotation: { schedule: "@yearly", maxAge: "7d" } });
    const [status] = await vault.rotationStatus();
    expect(status?.dueAt).toBe("2026-01-22T12:00:00.000Z");
  });

  it("rotates once after sleeping through three due times, then waits for the next", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "value-1234", {
      rotation: { schedule: "0 3 1 * *", rotator: "random:32" },
    });
    at("2026-05-20T00:00:00.000Z");
    const first = await vault.rotate();
    expect(first.map((outcome) => outcome.result)).toEqual(["rotated"]);
    const second = await vault.rotate();
    expect(second).toEqual([]);
    const [status] = await vault.rotationStatus();
    expect(status?.dueAt).toBe("2026-06-01T03:00:00.000Z");
    expect((await vault.history("TOKEN")).length).toBe(2);
  });
});

describe("rotators", () => {
  it("parses the three rotator forms and refuses the rest", () => {
    expect(parseRotatorSpec("random:48")).toEqual({
      kind: "random",
      bytes: 48,
      alphabet: "base64url",
      prefix: "",
    });
    expect(parseRotatorSpec("random:32:hex:whk_")).toMatchObject({
      alphabet: "hex",
      prefix: "whk_",
    });
    expect(parseRotatorSpec("command:/opt/rotate 'an arg' two")).toEqual({
      kind: "command",
      path: "/opt/rotate",
      args: ["an arg", "two"],
    });
    expect(parseRotatorSpec("openai")).toEqual({ kind: "registered", name: "openai" });
    for (const bad of [
      "random:8",
      "random:48:base32",
      "random:48:hex:bad prefix",
      "command:rotate.sh",
      "command:",
      "Open AI",
    ]) {
      expect(() => parseRotatorSpec(bad), bad).toThrow();
    }
  });

  it("makes random values of the asked size, alphabet and prefix, all different", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const hex = randomValue({ kind: "random", bytes: 32, alphabet: "hex", prefix: "whk_" });
      expect(hex).toMatch(/^whk_[0-9a-f]{64}$/);
      const alnum = randomValue({ kind: "random", bytes: 32, alphabet: "alnum", prefix: "" });
      expect(alnum).toMatch(/^[A-Za-z0-9]{43}$/);
      const b64 = randomValue({ kind: "random", bytes: 48, alphabet: "base64url", prefix: "" });
      expect(b64).toMatch(/^[A-Za-z0-9_-]{64}$/);
      for (const value of [hex, alnum, b64]) {
        expect(seen.has(value)).toBe(false);
        seen.add(value);
      }
    }
  });

  it("spreads alnum characters evenly (no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      for (const char of randomValue({
        kind: "random",
        bytes: 64,
        alphabet: "alnum",
        prefix: "",
      })) {
        counts.set(char, (counts.get(char) ?? 0) + 1);
      }
    }
    const values = [...counts.values()];
    const mean = values.reduce((a, b) => a + b, 0) / 62;
    expect(counts.size).toBe(62);
    // 86 chars x 400 / 62 ≈ 555 per character; a modulo-256 bias would skew the first 8 by 25%.
    for (const count of values) expect(Math.abs(count - mean) / mean).toBeLessThan(0.2);
  });
});

describe("the staged protocol", () => {
  it("runs create, apply, verify and finish in order and promotes the pending value", async () => {
    const vault = await newVault();
    const provider = fakeProvider();
    vault.registerRotator("fake", provider.rotator);
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "30d", rotator: "fake" },
    });
    provider.valid.add("initial-value-123");
    const [outcome] = await vault.rotate({ names: ["API_KEY"], force: true });
    expect(outcome).toMatchObject({ name: "API_KEY", result: "rotated", version: 2 });
    const value = await vault.get("API_KEY");
    expect(value).toMatch(/^key-1-/);
    expect(provider.calls).toEqual(["create:with-current", `apply:${value}`, "verify", "finish"]);
    expect(provider.valid.has(value)).toBe(true);
    expect((await vault.history("API_KEY")).map((entry) => entry.label)).toEqual([
      "previous",
      "current",
    ]);
    const steps = (await vault.auditRecords())
      .filter((record) => record.op === "rotate")
      .map((record) => record.detail);
    expect(steps).toEqual(["step=create version=2", "step=apply", "step=verify", "step=finish"]);
  });

  it("keeps CURRENT and the pending value when a step fails, and resumes with the same pending value", async () => {
    const vault = await newVault();
    const crashing = fakeProvider({ crashAt: "apply" });
    vault.registerRotator("fake", crashing.rotator);
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "30d", rotator: "fake" },
    });
    const [failed] = await vault.rotate({ names: ["API_KEY"], force: true });
    expect(failed).toMatchObject({ result: "failed", step: "apply" });
    // The message mentioned the pending value: it was redacted before being recorded.
    expect(failed?.message).toContain("[redacted:value]");
    expect(await vault.get("API_KEY")).toBe("initial-value-123");
    const pendingSeen = crashing.calls.find((call) => call.startsWith("apply:"))?.slice(6);
    const [status] = await vault.rotationStatus();
    expect(status?.state).toBe("failing");
    expect(status?.inProgress?.step).toBe("created");
    expect(status?.error?.message).not.toContain(pendingSeen);
    expect((await readStoredAudit(home)).lines.join("\n")).not.toContain(pendingSeen);

    // Within the backoff nothing is retried; forced, the same pending value is applied.
    const again = await vault.rotate();
    expect(again.map((outcome) => outcome.result)).toEqual(["backoff"]);
    const healthy = fakeProvider();
    const resumed = await reopen();
    resumed.registerRotator("fake", healthy.rotator);
    const [done] = await resumed.rotate({ names: ["API_KEY"], force: true });
    expect(done).toMatchObject({ result: "rotated", version: 2 });
    expect(healthy.calls[0]).toBe(`apply:${pendingSeen}`);
    expect(healthy.calls.some((call) => call.startsWith("create"))).toBe(false);
    expect(await resumed.get("API_KEY")).toBe(pendingSeen);
  });

  it("retries after the backoff without forcing", async () => {
    const vault = await newVault();
    vault.registerRotator("fake", fakeProvider({ failAt: "create" }).rotator);
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "fake" },
    });
    at("2026-01-17T12:00:00.000Z");
    expect((await vault.rotate())[0]?.result).toBe("failed");
    at("2026-01-17T12:10:00.000Z");
    expect((await vault.rotate())[0]?.result).toBe("backoff");
    at("2026-01-17T12:20:00.000Z");
    vault.registerRotator("fake", fakeProvider().rotator);
    expect((await vault.rotate())[0]?.result).toBe("rotated");
  });

  it("fails verification that returns false and leaves CURRENT in place", async () => {
    const vault = await newVault();
    const provider = fakeProvider();
    vault.registerRotator("fake", { ...provider.rotator, verify: () => false });
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "fake" },
    });
    const [outcome] = await vault.rotate({ names: ["API_KEY"], force: true });
    expect(outcome).toMatchObject({ result: "failed", step: "verify" });
    expect(await vault.get("API_KEY")).toBe("initial-value-123");
  });

  it("reports a rotator that neither agent code nor the host serves, without losing anything", async () => {
    const vault = await newVault();
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "openai" },
    });
    const [outcome] = await vault.rotate({ names: ["API_KEY"], force: true });
    expect(outcome?.result).toBe("failed");
    expect(outcome?.message).toContain("rotator openai is not configured on this host");
    expect(outcome?.message).toContain("register it in the agent's code");
    expect(await vault.get("API_KEY")).toBe("initial-value-123");
  });

  it("runs a name through the program the host's list maps it to; a rotator the agent's code registers under that name comes first", async () => {
    const vault = await newVault();
    const program = join(home, "rotate-by-host.mjs");
    writeFileSync(
      program,
      '#!/usr/bin/env node\nlet s = ""; for await (const c of process.stdin) s += c;\nconst r = JSON.parse(s);\nconsole.log(JSON.stringify(r.step === "create" ? { ok: true, value: "from-host-" + r.current } : { ok: true }));\n',
      { mode: 0o755 },
    );
    chmodSync(program, 0o755);
    writeFileSync(
      join(home, "rotators.json"),
      JSON.stringify({ rotators: { provider: { command: [program] } } }),
      { mode: 0o600 },
    );
    chmodSync(join(home, "rotators.json"), 0o600);
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "provider" },
    });
    const hostRotators = readHostRotators(home);
    const [byHost] = await vault.rotate({ names: ["API_KEY"], force: true, hostRotators });
    expect(byHost?.result, byHost?.message).toBe("rotated");
    expect(await vault.get("API_KEY")).toBe("from-host-initial-value-123");
    vault.registerRotator("provider", { create: () => "from-code-value-456" });
    await vault.rotate({ names: ["API_KEY"], force: true, hostRotators });
    expect(await vault.get("API_KEY")).toBe("from-code-value-456");
  });

  it("refuses a created value equal to CURRENT or empty", async () => {
    const vault = await newVault();
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "same" },
    });
    vault.registerRotator("same", { create: (context) => context.current?.reveal() ?? "" });
    expect((await vault.rotate({ names: ["API_KEY"], force: true }))[0]?.result).toBe("failed");
    vault.registerRotator("same", { create: () => "" });
    expect((await vault.rotate({ names: ["API_KEY"], force: true }))[0]?.result).toBe("failed");
    expect(await vault.get("API_KEY")).toBe("initial-value-123");
  });

  it("times out a registered rotator step that never finishes", async () => {
    const vault = await newVault();
    vault.registerRotator("slow", { create: () => new Promise<string>(() => undefined) });
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "slow", timeoutSeconds: 1 },
    });
    const [outcome] = await vault.rotate({ names: ["API_KEY"], force: true });
    expect(outcome).toMatchObject({ result: "failed", step: "create" });
    expect(outcome?.message).toContain("timed out");
  });

  it("lets a cancelled rotation start over with a new pending value", async () => {
    const vault = await newVault();
    vault.registerRotator("fake", fakeProvider({ failAt: "apply" }).rotator);
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "fake" },
    });
    await vault.rotate({ names: ["API_KEY"], force: true });
    expect((await vault.history("API_KEY")).at(-1)?.label).toBe("pending");
    expect(await vault.cancelRotation("API_KEY")).toBe(true);
    expect((await vault.history("API_KEY")).map((entry) => entry.label)).toEqual(["current"]);
    expect(await vault.cancelRotation("API_KEY")).toBe(false);
  });

  it("drops a rotation in progress when a value is set by hand", async () => {
    const vault = await newVault();
    vault.registerRotator("fake", fakeProvider({ failAt: "apply" }).rotator);
    await vault.set("API_KEY", "initial-value-123", {
      rotation: { maxAge: "1d", rotator: "fake" },
    });
    await vault.rotate({ names: ["API_KEY"], force: true });
    await vault.set("API_KEY", "set-by-hand-456");
    expect((await vault.history("API_KEY")).map((entry) => entry.label)).toEqual([
      "previous",
      "current",
    ]);
    vault.registerRotator("fake", fakeProvider().rotator);
    expect(await vault.rotate()).toEqual([]);
    expect(await vault.get("API_KEY")).toBe("set-by-hand-456");
  });

  it("rotates many random secrets in one write, re-checking each is still due", async () => {
    const vault = await newVault();
    const names = Array.from({ length: 50 }, (_, i) => `TOKEN_${i}`);
    await vault.setMany(
      names.map((name) => ({
        name,
        value: `value-${name}`,
        rotation: { maxAge: "1d", rotator: "random:32" },
      })),
    );
    await vault.set("LATER", "value-later", { rotation: { maxAge: "30d", rotator: "random:32" } });
    at("2026-01-17T00:00:00.000Z");
    const outcomes = await vault.rotate();
    expect(outcomes).toHaveLength(50);
    expect(outcomes.every((outcome) => outcome.result === "rotated" && outcome.version === 2)).toBe(
      true,
    );
    expect(await vault.get("LATER")).toBe("value-later");
    const values = await Promise.all(names.map((name) => vault.get(name)));
    expect(new Set(values).size).toBe(50);
  });

  it("keeps refs and policies through reopening, and clears a policy", async () => {
    const vault = await newVault();
    await vault.set("OPENAI_API_KEY", "sk-test-12345678", {
      refs: ["providers/openai/apiKey"],
      rotation: { schedule: "0 3 1 * *", timezone: "Europe/Paris", rotator: "random:32", keep: 2 },
    });
    const reopened = await reopen();
    const [info] = await reopened.list();
    expect(info?.refs).toEqual(["providers/openai/apiKey"]);
    expect(info?.rotation).toMatchObject({
      schedule: "0 3 1 * *",
      timezone: "Europe/Paris",
      keep: 2,
    });
    await reopened.setRotation("OPENAI_API_KEY", null);
    expect((await reopened.list())[0]?.rotation).toBeUndefined();
    expect(await codeOf(reopened.set("X", "value-1234", { refs: ["bad id with spaces"] }))).toBe(
      "INVALID_INPUT",
    );
  });
});

describe("vault.on", () => {
  it("tells an open vault that another process rotated a secret, with its name and version", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "value-1234", { rotation: { maxAge: "1d", rotator: "random:32" } });
    const events: Array<{ name: string; version: number }> = [];
    const rotated = new Promise<void>((resolve) => {
      vault.on("rotated", (event) => {
        events.push(event);
        resolve();
      });
    });
    const other = await reopen();
    await other.rotate({ names: ["TOKEN"], force: true });
    await rotated;
    expect(events).toEqual([{ name: "TOKEN", version: 2 }]);
    expect(await vault.get("TOKEN")).toBe(await other.get("TOKEN"));
  });
});
