/**
 * The OS keychain key source against a real Secret Service (gnome-keyring over D-Bus).
 *
 * - "headless host": the built CLI with no D-Bus session and no DISPLAY. Runs everywhere.
 * - "private D-Bus sessions": each test starts its own `dbus-run-session` with a temp HOME, so
 *   gnome-keyring keeps its keyrings there: no Secret Service at all, a login keyring that was
 *   never unlocked, and an unlock prompt no one answers. Needs dbus-run-session and
 *   gnome-keyring-daemon.
 * - "the session keychain": the CLI in-process against the keychain of the D-Bus session the
 *   suite runs in (CI: `dbus-run-session` with an unlocked gnome-keyring).
 *
 * A group whose prerequisites are missing (keytar not built, no D-Bus tools or session) is
 * skipped and its title says why (helpers/capabilities.ts). With
 * AGENT_VAULT_TEST_KEYCHAIN=required (.ci/run) nothing is skipped: a missing keychain fails.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ERROR_EXIT_CODES, isVaultError, type VaultErrorCode } from "../src/errors.js";
import { KEYCHAIN_SERVICE, KeytarKeyStore } from "../src/keys/keystore/keytar.js";
import { keychainKey } from "../src/keys/sources.js";
import { createVault, openVault } from "../src/vault.js";
import { missingKeytar, missingTool, need } from "./helpers/capabilities.js";
import { BIN, ROOT, runCli, spawnCli, tempDir } from "./helpers/cli.js";
import { MemoryKeyStore } from "./helpers/sample-vault.js";
import { prepareHome, readStoredVault } from "./helpers/test-store.js";

/** How to get what these tests need. */
const ENABLE_KEYCHAIN =
  "apt-get install libsecret-1-dev gnome-keyring dbus dbus-x11, npm install (builds keytar), then npm test inside dbus-run-session with an unlocked gnome-keyring (docs/testing.md)";
const keytarProblem = missingKeytar();
/** Upper bound on any keychain failure: the design is a 2 s timeout; this catches hangs. */
const BOUND_MS = 2500;
const RUNNER = join(ROOT, "test/fixtures/keychain/in-session.mjs");
const KEYCHAIN_CODES: VaultErrorCode[] = [
  "KEY_UNAVAILABLE",
  "KEYCHAIN_NO_DBUS",
  "KEYCHAIN_NO_SERVICE",
  "KEYCHAIN_LOCKED",
  "KEYCHAIN_DENIED",
  "KEYCHAIN_TIMEOUT",
  "KEYCHAIN_NOT_INSTALLED",
];

/** Timings measured by this file, printed at the end for the report. */
const figures: string[] = [];
function figure(label: string, ms: number | null | undefined): void {
  figures.push(`${label}: ${ms === null || ms === undefined ? "n/a" : `${Math.round(ms)} ms`}`);
}
afterAll(() => {
  if (figures.length > 0) console.info(`keychain timings\n  ${figures.join("\n  ")}`);
});

function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

interface ErrorJson {
  code: VaultErrorCode;
  message: string;
  hint: string;
}

/** The `--json` error a failed command printed. */
function errorOf(stdout: string): ErrorJson {
  const parsed = JSON.parse(stdout) as { error?: ErrorJson };
  if (!parsed.error) throw new Error(`no error in: ${stdout.slice(0, 200)}`);
  return parsed.error;
}

/** A typed keychain failure: its code is a keychain code and the exit code is that code's. */
function expectKeychainFailure(code: number | null, stdout: string): ErrorJson {
  const error = errorOf(stdout);
  expect(KEYCHAIN_CODES).toContain(error.code);
  expect(code).toBe(ERROR_EXIT_CODES[error.code]);
  expect(code).toBe(4);
  expect(error.hint.length).toBeGreaterThan(10);
  return error;
}

/**
 * A vault with a keychain slot whose item lives in no OS keychain, and one secret, in this
 * run's store; resolves with its stored bytes.
 */
async function keychainVault(home: string, agent: string): Promise<Buffer> {
  prepareHome(home);
  const keyStore = new MemoryKeyStore();
  const { vault } = await createVault({ home, agent, keySource: keychainKey(keyStore) });
  await vault.set("API_TOKEN", "value-of-the-token");
  vault.close();
  return (await readStoredVault(home, agent)) as Buffer;
}

// ---------------------------------------------------------------------------------------------
need("keychain", keytarProblem, ENABLE_KEYCHAIN).describe(
  "headless host (no D-Bus session, no DISPLAY)",
  () => {
    let dir: string;
    let cleanup: () => void;
    let env: Record<string, string>;

    beforeEach(() => {
      ({ path: dir, cleanup } = tempDir());
      // spawnCli passes PATH and these only: no DBUS_SESSION_BUS_ADDRESS, no DISPLAY.
      env = { HOME: dir, AGENT_VAULT_HOME: join(dir, "home") };
    });
    afterEach(() => cleanup());

    it("refuses vault init with KEYCHAIN_NO_DBUS naming passphrase and keyfile, within 2 s", async () => {
      const started = performance.now();
      const result = await spawnCli(["init", "--agent", "headless", "--json"], { env });
      const elapsed = performance.now() - started;
      figure("headless init (spawned CLI, whole process)", elapsed);

      const error = expectKeychainFailure(result.code, result.stdout);
      expect(error.code).toBe("KEYCHAIN_NO_DBUS");
      expect(error.hint).toMatch(/passphrase/);
      expect(error.hint).toMatch(/keyfile/);
      expect(elapsed).toBeLessThan(BOUND_MS);
      // Never silently falls back to a weaker key source: nothing was created.
      expect(existsSync(join(dir, "home", "agents", "headless"))).toBe(false);
      expect(await readStoredVault(join(dir, "home"), "headless")).toBeUndefined();
    });

    it("exits 4 quickly when opening an existing keychain vault, leaving it unchanged", async () => {
      const before = await keychainVault(join(dir, "home"), "headless-open");

      const started = performance.now();
      const result = await spawnCli(["get", "API_TOKEN", "--agent", "headless-open", "--json"], {
        env,
      });
      const elapsed = performance.now() - started;
      figure("headless get on a keychain vault (spawned CLI, whole process)", elapsed);

      const error = expectKeychainFailure(result.code, result.stdout);
      expect(error.code).toBe("KEYCHAIN_NO_DBUS");
      expect(elapsed).toBeLessThan(BOUND_MS);
      expect(result.stdout + result.stderr).not.toContain("value-of-the-token");
      expect((await readStoredVault(join(dir, "home"), "headless-open"))?.equals(before)).toBe(
        true,
      );
    });
  },
);

// ---------------------------------------------------------------------------------------------
// Private D-Bus sessions, each with its own temp HOME (so its own gnome-keyring keyrings).

interface Step {
  argv: string[];
  stdin?: string;
  killAfterMs?: number;
}
interface StepResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  firstOutputMs: number | null;
  exitMs: number;
  killed: boolean;
}

/**
 * The session bus configuration without the system's service files, so nothing is started by
 * D-Bus activation (Debian's session.conf would start gnome-keyring on the first call to
 * org.freedesktop.secrets). `serviceDir` adds one folder of service files.
 */
function bareBusConfig(dir: string, serviceDir?: string): string {
  const path = join(dir, `bus-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(
    path,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=${dir}</listen>
  <auth>EXTERNAL</auth>
  ${serviceDir ? `<servicedir>${serviceDir}</servicedir>` : ""}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="service_start_timeout">15000</limit>
</busconfig>
`,
  );
  return path;
}

/**
 * Runs `steps` with the built CLI inside a new D-Bus session whose HOME is `home` (no DISPLAY),
 * after starting gnome-keyring-daemon unlocked with `password`, without unlocking, or not at
 * all. `config` replaces the standard session bus configuration.
 */
async function inSession(options: {
  home: string;
  keyring: "none" | "unlocked" | "locked";
  steps: Step[];
  config?: string;
}): Promise<{ keyringStarted: boolean; steps: StepResult[] }> {
  const planFile = join(options.home, `plan-${Math.random().toString(36).slice(2)}.json`);
  const out = `${planFile}.out`;
  writeFileSync(
    planFile,
    JSON.stringify({
      bin: BIN,
      out,
      keyring: options.keyring,
      password: "keyring-password",
      steps: options.steps,
    }),
  );
  const args = [
    ...(options.config ? [`--config-file=${options.config}`] : []),
    "--",
    process.execPath,
    RUNNER,
    planFile,
  ];
  const stderr = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn("dbus-run-session", args, {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: options.home, LANG: "C.UTF-8" },
      cwd: options.home,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let text = "";
    child.stderr.on("data", (chunk) => {
      text += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      resolvePromise(text);
    });
  });
  if (!existsSync(out)) throw new Error(`the D-Bus session produced no result:\n${stderr}`);
  return JSON.parse(readFileSync(out, "utf8"));
}

need(
  "keychain",
  keytarProblem || missingTool("dbus-run-session", "gnome-keyring-daemon", "dbus-monitor"),
  ENABLE_KEYCHAIN,
).describe("private D-Bus sessions with gnome-keyring", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ path: dir, cleanup } = tempDir("agent-vault-kc-"));
  });
  afterEach(() => cleanup());

  it("without a Secret Service on the bus, init and open fail with KEYCHAIN_NO_SERVICE within 2 s", async () => {
    const vaults = join(dir, "vaults");
    const before = await keychainVault(vaults, "has-vault");

    const { keyringStarted, steps } = await inSession({
      home: dir,
      keyring: "none",
      config: bareBusConfig(dir),
      steps: [
        { argv: ["init", "--home", vaults, "--agent", "fresh", "--json"] },
        { argv: ["get", "API_TOKEN", "--home", vaults, "--agent", "has-vault", "--json"] },
      ],
    });
    expect(keyringStarted).toBe(false);
    const [init, get] = steps as [StepResult, StepResult];
    figure("no Secret Service: init (exit)", init.exitMs);
    figure("no Secret Service: get (exit)", get.exitMs);

    for (const step of [init, get]) {
      expect(step.killed).toBe(false);
      expect(expectKeychainFailure(step.code, step.stdout).code).toBe("KEYCHAIN_NO_SERVICE");
      expect(errorOf(step.stdout).hint).toMatch(/passphrase/);
      expect(step.exitMs).toBeLessThan(BOUND_MS);
    }
    expect(existsSync(join(vaults, "agents", "fresh"))).toBe(false);
    expect(await readStoredVault(vaults, "fresh")).toBeUndefined();
    expect((await readStoredVault(vaults, "has-vault"))?.equals(before)).toBe(true);
  });

  it("with a Secret Service but no login keyring, init fails typed within 2 s and says to unlock one", async () => {
    // The standard session bus starts gnome-keyring on the first call (D-Bus activation); in
    // a fresh HOME it has no login keyring, so there is no default collection to write to.
    const vaults = join(dir, "vaults");
    // The CLI runs inside the session, not through spawnCli: the home is prepared here.
    prepareHome(vaults);
    const { keyringStarted, steps } = await inSession({
      home: dir,
      keyring: "none",
      steps: [
        { argv: ["init", "--home", vaults, "--agent", "fresh", "--json"] },
        { argv: ["doctor", "--home", vaults, "--json"] },
      ],
    });
    expect(keyringStarted).toBe(false);
    const [init, doctor] = steps as [StepResult, StepResult];
    figure("no login keyring: init (exit)", init.exitMs);

    const error = expectKeychainFailure(init.code, init.stdout);
    expect(init.exitMs).toBeLessThan(BOUND_MS);
    expect(existsSync(join(vaults, "agents", "fresh"))).toBe(false);
    expect(await readStoredVault(vaults, "fresh")).toBeUndefined();
    // The hint must lead somewhere: create or unlock the keyring (gnome-keyring-daemon --unlock).
    expect(error.hint).toMatch(/unlock/i);
    // ...and vault doctor, which the generic hint points to, must not call the keychain fine.
    const checks = JSON.parse(doctor.stdout).checks as Array<{ subject: string; level: string }>;
    expect(checks.find((check) => check.subject === "keychain")?.level).not.toBe("ok");
  });

  describe("a login keyring that exists but is not unlocked", () => {
    let keyringHome: string;
    let vaults: string;
    let removeHome: () => void;
    /** The stored vault of agent "locked", as it is after the first login. */
    const stored = () => readStoredVault(vaults, "locked");
    const value = `locked-canary-${Math.random().toString(36).slice(2)}`;

    beforeAll(async () => {
      ({ path: keyringHome, cleanup: removeHome } = tempDir("agent-vault-login-"));
      vaults = join(keyringHome, "vaults");
      // The CLI runs inside the session, not through spawnCli: the home is prepared here.
      prepareHome(vaults);
      // First login: gnome-keyring creates the login keyring, unlocked with the password.
      const { keyringStarted, steps } = await inSession({
        home: keyringHome,
        keyring: "unlocked",
        steps: [
          { argv: ["init", "--home", vaults, "--agent", "locked", "--json"] },
          { argv: ["set", "API_TOKEN", "--home", vaults, "--agent", "locked"], stdin: value },
        ],
      });
      expect(keyringStarted).toBe(true);
      for (const step of steps) expect(step.code, step.stderr).toBe(0);
      expect(JSON.parse(steps[0]?.stdout ?? "")).toMatchObject({ keySource: "keychain" });
      expect(existsSync(join(keyringHome, ".local/share/keyrings/login.keyring"))).toBe(true);
      expect(await stored()).toBeDefined();
    });
    afterAll(() => removeHome?.());

    it("answers get with a typed keychain error within 2 s, creating nothing and changing nothing", async () => {
      const before = (await stored()) as Buffer;
      // Second login: the daemon runs, the keyring stays locked; its unlock prompt cannot show
      // (no DISPLAY), so gnome-keyring dismisses it.
      const { keyringStarted, steps } = await inSession({
        home: keyringHome,
        keyring: "locked",
        steps: [
          { argv: ["get", "API_TOKEN", "--home", vaults, "--agent", "locked", "--json"] },
          { argv: ["init", "--home", vaults, "--agent", "locked", "--json"] },
          { argv: ["init", "--home", vaults, "--agent", "other", "--json"] },
        ],
      });
      expect(keyringStarted).toBe(true);
      const [get, reinit, initOther] = steps as [StepResult, StepResult, StepResult];
      figure("locked keyring: get (exit)", get.exitMs);
      figure("locked keyring: init of a new agent (exit)", initOther.exitMs);

      // gnome-keyring answers "no item" for a locked item: the same as a removed one.
      const error = expectKeychainFailure(get.code, get.stdout);
      expect(error.code).toBe("KEY_UNAVAILABLE");
      expect(error.hint).toMatch(/[Uu]nlock/);
      expect(get.stdout).not.toContain(value);
      expect(get.exitMs).toBeLessThan(BOUND_MS);

      // Never a new key over the existing vault.
      expect(reinit.code).toBe(2);
      expect(errorOf(reinit.stdout).code).toBe("ALREADY_EXISTS");

      // A new vault cannot store its key in a locked collection: a typed error, no vault.
      const other = expectKeychainFailure(initOther.code, initOther.stdout);
      expect(other.code).toBe("KEYCHAIN_LOCKED");
      expect(initOther.exitMs).toBeLessThan(BOUND_MS);
      expect(existsSync(join(vaults, "agents", "other"))).toBe(false);
      expect(await readStoredVault(vaults, "other")).toBeUndefined();

      expect((await stored())?.equals(before)).toBe(true);
    });

    it("answers KEYCHAIN_TIMEOUT within 2 s when the unlock prompt never answers, and exits", async () => {
      // A prompter that connects to the bus but never takes its name: gnome-keyring waits for
      // it as it would for a prompt shown where no one looks.
      const services = join(dir, "services");
      mkdirSync(services);
      writeFileSync(
        join(services, "org.gnome.keyring.SystemPrompter.service"),
        `[D-BUS Service]\nName=org.gnome.keyring.SystemPrompter\nExec=/bin/sh -c "exec dbus-monitor --session >/dev/null 2>&1"\n`,
      );
      const before = (await stored()) as Buffer;
      const { steps } = await inSession({
        home: keyringHome,
        keyring: "locked",
        config: bareBusConfig(dir, services),
        steps: [
          // The same CLI without the keychain: what starting Node costs on this host.
          { argv: ["--version"] },
          {
            argv: ["get", "API_TOKEN", "--home", vaults, "--agent", "locked", "--json"],
            killAfterMs: 6000,
          },
        ],
      });
      const [startup, get] = steps as [StepResult, StepResult];
      const answerMs = (get.firstOutputMs ?? Number.POSITIVE_INFINITY) - startup.exitMs;
      figure("CLI start and exit without the keychain (--version)", startup.exitMs);
      figure("unanswered unlock prompt: get (answer on stdout)", get.firstOutputMs);
      figure("unanswered unlock prompt: get (answer minus Node start-up)", answerMs);
      figure(
        `unanswered unlock prompt: get (process exit${get.killed ? ": still running, killed" : ""})`,
        get.exitMs,
      );

      const error = errorOf(get.stdout);
      expect(error.code).toBe("KEYCHAIN_TIMEOUT");
      expect(error.hint).toMatch(/passphrase/);
      // The 2 s keychain timeout, plus start-up: measured against the same CLI's start-up.
      expect(startup.code).toBe(0);
      expect(answerMs).toBeLessThan(BOUND_MS);
      expect((await stored())?.equals(before)).toBe(true);
      // The CLI must also end: a caller waits for the exit, not for the message.
      expect(get.killed).toBe(false);
      expect(get.code).toBe(4);
      // Its exit too, past the same CLI's start-up (a loaded machine slows both alike).
      expect(get.exitMs - startup.exitMs).toBeLessThan(BOUND_MS);
    });

    it("opens the same vault with the same secret once the keyring is unlocked again", async () => {
      const { steps } = await inSession({
        home: keyringHome,
        keyring: "unlocked",
        steps: [{ argv: ["get", "API_TOKEN", "--home", vaults, "--agent", "locked"] }],
      });
      const [get] = steps as [StepResult];
      expect(get.code, get.stderr).toBe(0);
      expect(get.stdout).toBe(`${value}\n`);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The keychain of the D-Bus session the suite runs in.

interface KeytarModule {
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** Why the session keychain cannot be used, or "" when it can (an item is written and removed). */
async function sessionKeychainProblem(): Promise<string> {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    return "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset)";
  }
  const store = new KeytarKeyStore();
  const account = unique("agent-vault-test-probe");
  try {
    await store.set(account, new Uint8Array(32).fill(7));
    await store.remove(account);
    return "";
  } catch (error) {
    return isVaultError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

const sessionProblem = keytarProblem || (await sessionKeychainProblem());

need("keychain", sessionProblem, ENABLE_KEYCHAIN).describe("the session keychain", () => {
  const keyStore = new KeytarKeyStore();
  // Loaded when a test runs: a skipped group is still collected where keytar is absent.
  const keytar = () => createRequire(import.meta.url)("keytar") as KeytarModule;
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  let agent: string;

  /** The keychain items of `agent` (service "agent-vault"). */
  async function itemsOf(forAgent: string) {
    const all = await keytar().findCredentials(KEYCHAIN_SERVICE);
    return all.filter((item) => item.account.startsWith(`${forAgent}/`));
  }

  beforeEach(() => {
    ({ path: dir, cleanup } = tempDir());
    env = { HOME: dir, AGENT_VAULT_HOME: join(dir, "home") };
    agent = unique("kc");
  });
  afterEach(async () => {
    for (const item of await itemsOf(agent)) await keyStore.remove(item.account);
    cleanup();
  });

  async function init(): Promise<{ account: string }> {
    const started = performance.now();
    const result = await runCli(["init", "--agent", agent, "--json"], { env });
    figure("session keychain: init (in-process)", performance.now() - started);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ agent, keySource: "keychain", slot: { type: "keychain" } });
    return { account: out.slot.account };
  }

  it("keeps the master key of a new vault in the keychain, not in the vault file", async () => {
    const { account } = await init();
    expect(account.startsWith(`${agent}/`)).toBe(true);
    const items = await itemsOf(agent);
    expect(items.map((item) => item.account)).toEqual([account]);

    const key = await keyStore.get(account);
    expect(key?.length).toBe(32);
    const bytes = Buffer.from(key as Uint8Array);
    const file = ((await readStoredVault(join(dir, "home"), agent)) as Buffer).toString("utf8");
    for (const form of [
      bytes.toString("base64"),
      bytes.toString("base64url"),
      bytes.toString("hex"),
      items[0]?.password ?? "",
    ]) {
      expect(form.length).toBeGreaterThan(0);
      expect(file).not.toContain(form);
    }
    const slot = JSON.parse(file).slots[0];
    expect(slot).toMatchObject({ type: "keychain", account });
    expect(slot.kdf).toBeUndefined();
    expect(slot.keyFile).toBeUndefined();
  });

  it("stores and reads secrets through the keychain slot", async () => {
    await init();
    const value = `v-${Math.random().toString(36).slice(2)}`;
    const set = await runCli(["set", "API_TOKEN", "--agent", agent], { env, stdin: value });
    expect(set.code, set.stderr).toBe(0);
    const get = await runCli(["get", "API_TOKEN", "--agent", agent], { env });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(`${value}\n`);
  });

  it("shows the keychain slot in vault agents and vault key list", async () => {
    const { account } = await init();
    const agents = await runCli(["agents", "--json"], { env });
    expect(agents.code, agents.stderr).toBe(0);
    const row = JSON.parse(agents.stdout).agents.find((entry: { agent: string }) => {
      return entry.agent === agent;
    });
    expect(row).toMatchObject({ ok: true, keys: [{ type: "keychain", account }] });

    const list = await runCli(["key", "list", "--agent", agent, "--json"], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({
      agent,
      keys: [expect.objectContaining({ type: "keychain", label: "keychain", account })],
    });
  });

  it("treats a removed keychain item as KEY_UNAVAILABLE and never creates a new key", async () => {
    const { account } = await init();
    const set = await runCli(["set", "API_TOKEN", "--agent", agent], { env, stdin: "x-value" });
    expect(set.code, set.stderr).toBe(0);
    // keytar cannot tell a removed item from a locked keychain: both read as "no item".
    expect(await keyStore.remove(account)).toBe(true);
    const before = (await readStoredVault(join(dir, "home"), agent)) as Buffer;

    const started = performance.now();
    const get = await runCli(["get", "API_TOKEN", "--agent", agent, "--json"], { env });
    figure("session keychain: get with the item removed (in-process)", performance.now() - started);
    const error = expectKeychainFailure(get.code, get.stdout);
    expect(error.code).toBe("KEY_UNAVAILABLE");
    expect(error.message).toContain(agent);
    expect(error.hint).toMatch(/[Uu]nlock the keychain/);
    expect(error.hint).toMatch(/--passphrase-file|--key-file|AGENT_VAULT_KEY/);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);

    const reinit = await runCli(["init", "--agent", agent, "--json"], { env });
    expect(reinit.code).toBe(2);
    expect(errorOf(reinit.stdout).code).toBe("ALREADY_EXISTS");

    // The library refuses the same way.
    await expect(openVault({ home: join(dir, "home"), agent })).rejects.toMatchObject({
      code: "KEY_UNAVAILABLE",
    });

    expect((await readStoredVault(join(dir, "home"), agent))?.equals(before)).toBe(true);
    expect(await itemsOf(agent)).toEqual([]);
  });

  it("removes the keychain item of a keychain slot revoked with vault key revoke", async () => {
    const { account: first } = await init();
    const vault = await openVault({ home: join(dir, "home"), agent });
    const added = await vault.addKey(keychainKey(), "second");
    vault.close();
    const second = added.slot.account as string;
    expect((await itemsOf(agent)).map((item) => item.account).sort()).toEqual(
      [first, second].sort(),
    );

    const revoke = await runCli(["key", "revoke", "second", "--agent", agent], { env });
    expect(revoke.code, revoke.stderr).toBe(0);
    expect((await itemsOf(agent)).map((item) => item.account)).toEqual([first]);
    const get = await runCli(["list", "--agent", agent], { env });
    expect(get.code, get.stderr).toBe(0);
  });
});
