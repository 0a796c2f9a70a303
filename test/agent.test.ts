/**
 * `vault agent`: real processes on temp homes. A call answered by the agent and the same call
 * opened directly give byte-identical stdout, stderr and exit codes; the agent's audit records
 * say `via: "agent"`; other users and clients without the token are refused; the key is wiped
 * on stop, lock, TTL, idle and a new data key, after which calls open the vault themselves; a
 * killed agent leaves the CLI working.
 *
 * File store only: the agent serves vaults in the file store (on a database store `vault agent
 * start` refuses), and these tests look at the socket, token and audit files themselves.
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createConnection } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, spawnCli, startCli, tempDir } from "./helpers/cli.js";
import { ON_FILE_STORE } from "./helpers/test-store.js";

let dir: string;
let cleanup: () => void;
let home: string;
let env: Record<string, string>;

const socket = () => join(home, "run", "main.sock");
const token = () => join(home, "run", "main.token");

function auditRecords(): Array<Record<string, unknown>> {
  return readFileSync(join(home, "agents", "main", "audit.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function vault(argv: string[], stdin?: string, extra: Record<string, string> = {}) {
  return spawnCli(argv, { env: { ...env, ...extra }, cwd: dir, ...(stdin ? { stdin } : {}) });
}

async function startAgent(...options: string[]) {
  const started = await vault(["agent", "start", ...options]);
  expect(started.code, started.stderr).toBe(0);
  return started;
}

/** Starts an agent unless one holding the key runs. */
async function ensureAgent(): Promise<void> {
  if ((await status()).locked !== false) await startAgent();
}

async function status(): Promise<Record<string, unknown>> {
  return JSON.parse((await vault(["agent", "status", "--json"])).stdout) as Record<string, unknown>;
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends raw bytes to the agent's socket and returns what it answered (or the error code). */
function rawRequest(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const connection = createConnection(socket());
    let answer = Buffer.alloc(0);
    connection.on("data", (chunk) => {
      answer = Buffer.concat([answer, chunk]);
    });
    connection.on("error", (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    connection.on("close", () => resolve(answer.subarray(4).toString("utf8")));
    connection.end(bytes);
  });
}

function framed(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

const OPENCLAW_REQUEST = JSON.stringify({
  protocolVersion: 1,
  provider: "agentvault",
  ids: ["API_TOKEN", "NO_SUCH", "providers/work/apiKey"],
});

/**
 * A Node.js binary another user can run: this one, or the system's (the Node 24 of CI comes
 * from npm's cache in root's home, which other users cannot enter).
 */
function nodeForOtherUsers(): string {
  const runnable = (path: string) => {
    try {
      let at = realpathSync(path);
      if ((statSync(at).mode & 0o001) === 0) return false;
      for (at = dirname(at); at !== dirname(at); at = dirname(at)) {
        if ((statSync(at).mode & 0o001) === 0) return false;
      }
      return true;
    } catch {
      return false;
    }
  };
  const found = [process.execPath, "/usr/bin/node", "/usr/local/bin/node"].find(runnable);
  if (!found) throw new Error("No Node.js binary that uid 65534 can run.");
  return found;
}

describe.runIf(ON_FILE_STORE)("vault agent", () => {
  beforeAll(async () => {
    ({ path: dir, cleanup } = tempDir("agent-vault-agent-"));
    home = join(dir, "home");
    env = { AGENT_VAULT_HOME: home, HOME: dir };
    const keyFile = join(dir, "main.key");
    const init = await vault(["init", "--key-source", "keyfile", "--key-file", keyFile]);
    expect(init.code, init.stderr).toBe(0);
    for (const [name, value, more] of [
      ["API_TOKEN", "tok-1", ["--tag", "ci"]],
      ["DB_PASSWORD", "pw 'two'\nlines", ["--tag", "db"]],
      ["WORK_KEY", "work-value", ["--ref", "providers/work/apiKey"]],
    ] as const) {
      const set = await vault(["set", name, ...more], value);
      expect(set.code, set.stderr).toBe(0);
    }
    const again = await vault(["set", "API_TOKEN"], "tok-2");
    expect(again.code, again.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await vault(["agent", "stop"]);
    cleanup();
  });

  const LINES: Array<{ argv: string[]; stdin?: string }> = [
    { argv: ["get", "API_TOKEN"] },
    { argv: ["get", "-n", "API_TOKEN"] },
    { argv: ["get", "API_TOKEN", "--version", "1"] },
    { argv: ["--json", "get", "DB_PASSWORD"] },
    { argv: ["get", "NO_SUCH"] },
    { argv: ["get", "NO_SUCH", "--json"] },
    { argv: ["get", "API_TOKEN", "--version", "9"] },
    { argv: ["get", "vault://main/API_TOKEN"] },
    { argv: ["env"] },
    { argv: ["env", "--format", "shell"] },
    { argv: ["env", "--format", "json", "--prefix", "APP_"] },
    { argv: ["env", "--format", "gitlab", "--tag", "ci"] },
    { argv: ["env", "--format", "dotenv", "--only", "API_TOKEN,NO_SUCH"] },
    { argv: ["env", "--format", "github"] },
    { argv: ["env", "--format", "bogus"] },
    {
      argv: [
        "run",
        "--only",
        "API_TOKEN",
        "--",
        "node",
        "-e",
        "console.log(process.env.API_TOKEN)",
      ],
    },
    {
      argv: [
        "run",
        "--mask",
        "--",
        "node",
        "-e",
        "console.error(process.env.DB_PASSWORD); process.exit(3)",
      ],
    },
    { argv: ["run", "--", "no-such-command-anywhere"] },
    { argv: ["openclaw", "resolve"], stdin: OPENCLAW_REQUEST },
    { argv: ["openclaw", "resolve"], stdin: "{not json" },
  ];

  it("answers get, env, run and openclaw resolve byte for byte as a direct open does, audited via the agent", async () => {
    await startAgent();
    for (const { argv, stdin } of LINES) {
      const before = auditRecords().length;
      const served = await vault(argv, stdin);
      const added = auditRecords().slice(before);
      const opened = await vault(argv, stdin, { AGENT_VAULT_NO_AGENT: "1" });
      const line = argv.join(" ");
      expect({ line, ...served }).toEqual({ line, ...opened });
      // Lines that read the vault were answered by the agent.
      for (const record of added) expect(record.via, line).toBe("agent");
    }
    const records = auditRecords();
    const served = records.filter((record) => record.via === "agent");
    expect(served.length).toBeGreaterThan(10);
    expect(served.some((r) => r.op === "get" && r.secret === "API_TOKEN")).toBe(true);
    expect((await status()).locked).toBe(false);
  }, 120_000);

  it("loads no vault code, libsodium or commander for a call the agent answers", async () => {
    await ensureAgent();
    const record = join(dir, "modules.txt");
    const child = startCli(["get", "API_TOKEN"], {
      env: { ...env, RECORD_MODULES_FILE: record },
      cwd: dir,
      nodeArgs: ["--import", join(ROOT, "test/fixtures/modules/record-modules.mjs")],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stdin.end();
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect({ code, stdout }).toEqual({ code: 0, stdout: "tok-2\n" });
    expect(auditRecords().at(-1)?.via).toBe("agent");
    const bundle: Record<string, string[]> = JSON.parse(
      readFileSync(join(ROOT, "dist/cli/chunks/meta.json"), "utf8"),
    );
    const cli = join(ROOT, "dist/cli/");
    const loaded = readFileSync(record, "utf8")
      .split("\n")
      .filter(Boolean)
      .flatMap((path) =>
        path.startsWith(cli) ? (bundle[path.slice(cli.length)] ?? [path]) : [path],
      );
    expect(loaded).toContain("src/cli/agent-client.ts");
    const heavy = loaded.filter((path) =>
      /node_modules|src\/(vault|crypto|format|store|keys|audit)|src\/cli\/(context|run|commands)/.test(
        path,
      ),
    );
    expect(heavy).toEqual([]);
  });

  it("leaves a request that needs another agent's vault to a direct open, with the stdin it read", async () => {
    await ensureAgent();
    // The other agent's id as JSON may spell it: plainly, or with escapes.
    for (const otherId of [
      "agent:other/API_TOKEN",
      "agent:other\\/API_TOKEN",
      "agent:\\u006fther/API_TOKEN",
    ]) {
      const request = `{"protocolVersion":1,"provider":"agentvault","ids":["API_TOKEN","${otherId}"]}`;
      const before = auditRecords().length;
      const served = await vault(["openclaw", "resolve"], request);
      const added = auditRecords().slice(before);
      expect(added.some((record) => record.via === "agent")).toBe(false);
      const opened = await vault(["openclaw", "resolve"], request, { AGENT_VAULT_NO_AGENT: "1" });
      expect(served).toEqual(opened);
      expect(JSON.parse(served.stdout).values).toEqual({ API_TOKEN: "tok-2" });
      // One direct run's records, not the agent's and then a direct run's again.
      expect(added.length).toBe(auditRecords().length - before - added.length);
    }
    expect((await status()).locked).toBe(false);
    // vault run with a reference to another agent: the same audit records as a direct run.
    const refs = { R1: "vault://main/API_TOKEN", R2: "vault://other/API_TOKEN" };
    const argv = ["run", "--", "node", "-e", "console.log(process.env.R1)"];
    const before = auditRecords().length;
    const viaAgent = await vault(argv, undefined, refs);
    const added = auditRecords().slice(before);
    const direct = await vault(argv, undefined, { ...refs, AGENT_VAULT_NO_AGENT: "1" });
    expect(viaAgent).toEqual(direct);
    expect(added.map(({ op, secret, detail, result }) => ({ op, secret, detail, result }))).toEqual(
      auditRecords()
        .slice(before + added.length)
        .map(({ op, secret, detail, result }) => ({ op, secret, detail, result })),
    );
    expect(added.some((record) => record.via === "agent")).toBe(false);
  });

  it("keeps the token and socket private, and refuses a connection without the token", async () => {
    await ensureAgent();
    expect(lstatSync(join(home, "run")).mode & 0o777).toBe(0o700);
    expect(lstatSync(socket()).mode & 0o777).toBe(0o600);
    expect(lstatSync(token()).mode & 0o777).toBe(0o600);
    const wrong = JSON.parse(
      await rawRequest(
        framed({ op: "exec", token: "0".repeat(64), argv: ["get", "API_TOKEN"], env, cwd: dir }),
      ),
    );
    expect(wrong.error.code).toBe("DENIED");
    expect(JSON.stringify(wrong)).not.toContain("tok-2");
    const none = JSON.parse(await rawRequest(framed({ op: "status" })));
    expect(none.error.code).toBe("DENIED");
    const oversize = Buffer.alloc(8);
    oversize.writeUInt32BE(0xffffffff);
    expect(JSON.parse(await rawRequest(oversize)).error.message).toMatch(/larger than/);
    const garbage = Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from("{{{{{")]);
    expect(JSON.parse(await rawRequest(garbage)).error.message).toMatch(/not one/);
    const array = JSON.parse(await rawRequest(framed([1, 2])));
    expect(array.error.code).toBe("INVALID_INPUT");
    expect((await status()).locked).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)("refuses another user's connection", async () => {
    const script = `
      const net = require("node:net");
      const c = net.createConnection(${JSON.stringify(socket())});
      c.on("connect", () => { console.log("connected"); c.end(); });
      c.on("error", (e) => console.log("refused " + e.code));
      try { require("node:fs").readFileSync(${JSON.stringify(token())}); console.log("read token"); }
      catch (e) { console.log("token " + e.code); }`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(nodeForOtherUsers(), ["-e", script], {
        uid: 65534,
        gid: 65534,
        cwd: "/",
      });
      let text = "";
      child.stdout.on("data", (chunk) => {
        text += chunk;
      });
      child.on("error", reject);
      child.on("close", () => resolve(text));
    });
    expect(output).toMatch(/refused EACCES/);
    expect(output).toMatch(/token EACCES/);
    expect(output).not.toMatch(/connected|read token/);
  });

  it("wipes the key on lock: status says locked and calls open the vault themselves", async () => {
    const again = await vault(["agent", "start"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already running/);
    const locked = await vault(["agent", "lock"]);
    expect(locked.code, locked.stderr).toBe(0);
    const after = await status();
    expect(after).toMatchObject({ running: true, locked: true });
    expect((await vault(["agent", "status"])).code).toBe(1);
    const get = await vault(["get", "API_TOKEN"]);
    expect(get).toEqual({ code: 0, stdout: "tok-2\n", stderr: "" });
    expect(auditRecords().at(-1)?.via).toBeUndefined();
    // A locked agent is replaced by the next start.
    await startAgent();
    expect((await status()).locked).toBe(false);
  });

  it("wipes the key on stop: no agent runs and calls open the vault themselves", async () => {
    const stopped = await vault(["agent", "stop"]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(await status()).toEqual({ agent: "main", running: false });
    expect(existsSync(socket()) || existsSync(token())).toBe(false);
    expect(await vault(["get", "API_TOKEN"])).toEqual({ code: 0, stdout: "tok-2\n", stderr: "" });
    expect(auditRecords().at(-1)?.via).toBeUndefined();
  });

  it("ends at its TTL and locks when idle", async () => {
    await startAgent("--ttl", "2s");
    await waitFor(async () => (await status()).running === false);
    expect(existsSync(socket())).toBe(false);
    expect((await vault(["get", "API_TOKEN"])).stdout).toBe("tok-2\n");
    await startAgent("--idle", "1s");
    expect((await vault(["get", "API_TOKEN"])).stdout).toBe("tok-2\n");
    expect(auditRecords().at(-1)?.via).toBe("agent");
    await waitFor(async () => (await status()).locked === true);
    expect(await status()).toMatchObject({ running: true, locked: true, reason: "idle" });
    expect((await vault(["get", "API_TOKEN"])).stdout).toBe("tok-2\n");
    expect(auditRecords().at(-1)?.via).toBeUndefined();
    await vault(["agent", "stop"]);
  }, 30_000);

  it("locks when the vault gets a new data key, and when the file is replaced by another vault", async () => {
    await startAgent();
    const rekey = await vault(["rekey", "--data-key"]);
    expect(rekey.code, rekey.stderr).toBe(0);
    expect(await status()).toMatchObject({ locked: true, reason: "the vault's data key changed" });
    expect((await vault(["get", "API_TOKEN"])).stdout).toBe("tok-2\n");
    expect(auditRecords().at(-1)?.via).toBeUndefined();

    await startAgent();
    const otherHome = join(dir, "other");
    const other = await spawnCli(
      ["init", "--key-source", "keyfile", "--key-file", join(dir, "other.key")],
      { env: { AGENT_VAULT_HOME: otherHome, HOME: dir }, cwd: dir },
    );
    expect(other.code, other.stderr).toBe(0);
    const ours = join(home, "agents", "main", "vault.json");
    const saved = readFileSync(ours);
    copyFileSync(join(otherHome, "agents", "main", "vault.json"), ours);
    const served = await vault(["get", "API_TOKEN"]);
    const opened = await vault(["get", "API_TOKEN"], undefined, { AGENT_VAULT_NO_AGENT: "1" });
    expect(served).toEqual(opened);
    expect(served.code).not.toBe(0);
    expect(await status()).toMatchObject({ locked: true });
    writeFileSync(ours, saved);
    await vault(["agent", "stop"]);
  }, 60_000);

  it("leaves the CLI working after a SIGKILL, and a new start replaces the stale socket", async () => {
    await startAgent();
    const { pid } = await status();
    process.kill(pid as number, "SIGKILL");
    await waitFor(() => {
      try {
        process.kill(pid as number, 0);
        return false;
      } catch {
        return true;
      }
    });
    expect(existsSync(socket())).toBe(true);
    expect(await vault(["get", "API_TOKEN"])).toEqual({ code: 0, stdout: "tok-2\n", stderr: "" });
    expect(auditRecords().at(-1)?.via).toBeUndefined();
    expect((await status()).running).toBe(false);
    await startAgent();
    expect((await vault(["get", "API_TOKEN"])).stdout).toBe("tok-2\n");
    expect(auditRecords().at(-1)?.via).toBe("agent");
    await vault(["agent", "stop"]);
  }, 30_000);

  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it.runIf(process.getuid?.() === 0)(
    "never speaks to an agent socket another user could have placed (a home of theirs)",
    async () => {
      // A world-traversable folder, so that uid 65534 can reach its own home inside it.
      const { path: open, cleanup: removeOpen } = tempDir("agent-vault-foreign-");
      try {
        chmodSync(open, 0o755);
        const foreign = join(open, "home");
        mkdirSync(join(foreign, "run"), { recursive: true, mode: 0o700 });
        writeFileSync(join(foreign, "run", "main.token"), "any\n", { mode: 0o600 });
        for (const path of [foreign, join(foreign, "run"), join(foreign, "run", "main.token")]) {
          chownSync(path, 65534, 65534);
        }
        const log = join(open, "connections");
        writeFileSync(log, "");
        chmodSync(log, 0o666);
        // A fake agent of uid 65534: it records every connection.
        const rogue = spawn(
          nodeForOtherUsers(),
          [
            "-e",
            `require("net").createServer((c) => { require("fs").appendFileSync(${JSON.stringify(log)}, "x"); c.end(); }).listen(${JSON.stringify(join(foreign, "run", "main.sock"))}, () => console.log("up"));`,
          ],
          { uid: 65534, gid: 65534, cwd: "/", stdio: ["ignore", "pipe", "inherit"] },
        );
        try {
          await new Promise((resolve) => rogue.stdout.once("data", resolve));
          const result = await vault(["get", "API_TOKEN"], undefined, {
            AGENT_VAULT_HOME: foreign,
          });
          expect(result.code).not.toBe(0);
          expect(readFileSync(log, "utf8")).toBe("");
        } finally {
          rogue.kill("SIGKILL");
        }
      } finally {
        removeOpen();
      }
    },
    30_000,
  );

  it("does not serve a vault file rolled back to an older generation", async () => {
    await startAgent();
    const ours = join(home, "agents", "main", "vault.json");
    const older = readFileSync(ours);
    expect((await vault(["set", "WORK_KEY"], "work-value-2")).code).toBe(0);
    expect((await vault(["get", "WORK_KEY"])).stdout).toBe("work-value-2\n");
    writeFileSync(ours, older);
    const served = await vault(["get", "WORK_KEY"]);
    expect(await status()).toMatchObject({ locked: true });
    expect(auditRecords().at(-1)?.via).toBeUndefined();
    const opened = await vault(["get", "WORK_KEY"], undefined, { AGENT_VAULT_NO_AGENT: "1" });
    expect(served).toEqual(opened);
    expect((await vault(["set", "WORK_KEY"], "work-value")).code).toBe(0);
    await vault(["agent", "stop"]);
  }, 60_000);

  it("falls back to a direct open when the agent does not answer", async () => {
    await startAgent();
    const { pid } = (await status()) as { pid: number };
    process.kill(pid, "SIGSTOP");
    try {
      expect(await vault(["get", "API_TOKEN"])).toEqual({ code: 0, stdout: "tok-2\n", stderr: "" });
      expect(auditRecords().at(-1)?.via).toBeUndefined();
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await vault(["agent", "stop"]);
  }, 60_000);

  it("runs one agent when two starts race, and stop leaves none holding the key", async () => {
    const starts = await Promise.all([
      vault(["agent", "start", "--json"]),
      vault(["agent", "start", "--json"]),
    ]);
    expect(
      starts.filter((s) => s.code === 0),
      starts.map((s) => s.stderr).join(""),
    ).toHaveLength(1);
    const { pid } = (await status()) as { pid: number };
    expect(isAlive(pid)).toBe(true);
    expect((await vault(["agent", "stop"])).code).toBe(0);
    await waitFor(() => !isAlive(pid));
    expect((await status()).running).toBe(false);
  }, 60_000);

  it("never follows a symlink planted at the socket path", async () => {
    const target = join(dir, "target.txt");
    writeFileSync(target, "keep me");
    symlinkSync(target, socket());
    await startAgent();
    expect(readFileSync(target, "utf8")).toBe("keep me");
    expect(lstatSync(socket()).isSocket()).toBe(true);
    await vault(["agent", "stop"]);
  });

  it("fails clearly, leaving nothing behind, when it cannot unlock", async () => {
    const missing = join(dir, "missing.key");
    const started = await vault(["agent", "start", "--key-file", missing]);
    const opened = await vault(["get", "API_TOKEN", "--key-file", missing]);
    expect(started.code).toBe(opened.code);
    expect(started.code).toBe(4);
    expect(started.stderr).toBe(opened.stderr);
    expect(existsSync(socket()) || existsSync(token())).toBe(false);
  });

  it("starts once with a passphrase and serves calls without it", async () => {
    const passHome = join(dir, "pass");
    const passphraseFile = join(dir, "passphrase");
    writeFileSync(passphraseFile, "correct horse battery staple\n");
    const passEnv = { AGENT_VAULT_HOME: passHome, HOME: dir };
    const run = (argv: string[], stdin?: string) =>
      spawnCli(argv, { env: passEnv, cwd: dir, ...(stdin ? { stdin } : {}) });
    const pf = ["--passphrase-file", passphraseFile];
    expect((await run(["init", "--key-source", "passphrase", ...pf])).code).toBe(0);
    expect((await run(["set", "P", ...pf], "p-value")).code).toBe(0);
    expect((await run(["get", "P"])).code).toBe(4);
    const started = await run(["agent", "start", ...pf]);
    expect(started.code, started.stderr).toBe(0);
    expect(await run(["get", "P"])).toEqual({ code: 0, stdout: "p-value\n", stderr: "" });
    expect((await run(["agent", "stop"])).code).toBe(0);
    expect((await run(["get", "P"])).code).toBe(4);
    // From $AGENT_VAULT_PASSPHRASE: passed over a pipe, not left in the agent's environment.
    const fromEnv = await spawnCli(["agent", "start", "--json"], {
      env: { ...passEnv, AGENT_VAULT_PASSPHRASE: "correct horse battery staple" },
      cwd: dir,
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const { pid } = JSON.parse(fromEnv.stdout) as { pid: number };
    if (process.platform === "linux") {
      expect(readFileSync(`/proc/${pid}/environ`, "latin1")).not.toContain("battery");
    }
    expect(await run(["get", "P"])).toEqual({ code: 0, stdout: "p-value\n", stderr: "" });
    expect((await run(["agent", "stop"])).code).toBe(0);
  }, 90_000);
});
