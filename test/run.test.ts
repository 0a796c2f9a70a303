/**
 * `vault run` and `Vault.run`: the command gets the secrets in its environment and nothing else
 * changes (arguments, exit code, signals, stdio), unless --mask or --pristine says otherwise.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { PassThrough, type Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVault, keyFileKey, openVault, type Vault } from "../src/index.js";
import { runCli, startCli, tempDir } from "./helpers/cli.js";
import { ON_FILE_STORE, prepareHome } from "./helpers/test-store.js";

const NODE = process.execPath;
const CHILD = join(import.meta.dirname, "fixtures/run/child.mjs");
const RSS_PRELOAD = join(import.meta.dirname, "fixtures/run/report-rss.mjs");

const API_KEY = `sk-live-${randomBytes(16).toString("hex")}`;
const DB_PASSWORD = `pässwörd-🔑-秘密-${randomBytes(6).toString("base64url")}`;
const OTHER = `other-${randomBytes(8).toString("hex")}`;

let dir: string;
let cleanup: () => void;
let home: string;
let keyFile: string;
let env: Record<string, string>;

beforeAll(async () => {
  ({ path: dir, cleanup } = tempDir());
  home = join(dir, "home");
  prepareHome(home);
  keyFile = join(dir, "main.key");
  const { vault } = await createVault({ home, keySource: keyFileKey(keyFile) });
  await vault.set("API_KEY", API_KEY, { tags: ["ci"] });
  await vault.set("DB_PASSWORD", DB_PASSWORD, { tags: ["ci", "db"], env: "DATABASE_PASSWORD" });
  await vault.set("OTHER", OTHER);
  vault.close();
  env = { AGENT_VAULT_HOME: home, HOME: dir, PATH: process.env.PATH ?? "/usr/bin:/bin" };
});

afterAll(() => cleanup());

async function withOpenVault<T>(action: (vault: Vault) => Promise<T>): Promise<T> {
  const vault = await openVault({ home, keySource: keyFileKey(keyFile) });
  try {
    return await action(vault);
  } finally {
    vault.close();
  }
}

/** Collects a stream's bytes and lets a test wait until some text has arrived. */
class Capture {
  readonly #chunks: Buffer[] = [];
  readonly #waiting: Array<{ needle: string; resolve: () => void }> = [];

  constructor(stream: Readable) {
    stream.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      const text = this.text;
      for (const waiter of [...this.#waiting]) {
        if (text.includes(waiter.needle)) {
          this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  get bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  get text(): string {
    return this.bytes.toString("utf8");
  }

  until(needle: string): Promise<void> {
    if (this.text.includes(needle)) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push({ needle, resolve }));
  }
}

/** Waits for `waiting`; fails if `run` ends first (instead of waiting forever). */
async function beforeEnd(waiting: Promise<void>, run: Promise<unknown>): Promise<void> {
  let arrived = false;
  let result: unknown;
  await Promise.race([
    waiting.then(() => {
      arrived = true;
    }),
    run.then((value) => {
      result = value;
    }),
  ]);
  if (!arrived) throw new Error(`vault run ended early: ${JSON.stringify(result)}`);
}

function childEnv(stdout: string): Record<string, string> {
  return JSON.parse(stdout) as Record<string, string>;
}

describe("vault run: environment and arguments", () => {
  it("gives the command the current environment plus the secrets, under their variable names", async () => {
    const result = await runCli(["run", "--", NODE, CHILD, "env"], {
      env: { ...env, GREETING: "hello" },
    });
    expect(result.code, result.stderr).toBe(0);
    const seen = childEnv(result.stdout);
    expect(seen).toMatchObject({
      GREETING: "hello",
      API_KEY,
      DATABASE_PASSWORD: DB_PASSWORD,
      OTHER,
    });
    expect(seen.DB_PASSWORD).toBeUndefined();
    expect(seen.AGENT_VAULT_HOME).toBeUndefined();
  });

  it("selects secrets with --only, --tag and --prefix", async () => {
    const only = await runCli(["run", "--only", "API_KEY,OTHER", "--", NODE, CHILD, "env"], {
      env,
    });
    expect(only.code, only.stderr).toBe(0);
    const onlySeen = childEnv(only.stdout);
    expect(onlySeen).toMatchObject({ API_KEY, OTHER });
    expect(onlySeen.DATABASE_PASSWORD).toBeUndefined();

    const tagged = await runCli(
      ["run", "--tag", "db", "--prefix", "APP_", "--", NODE, CHILD, "env"],
      { env },
    );
    expect(tagged.code, tagged.stderr).toBe(0);
    const tagSeen = childEnv(tagged.stdout);
    expect(tagSeen.APP_DATABASE_PASSWORD).toBe(DB_PASSWORD);
    expect(Object.values(tagSeen)).not.toContain(API_KEY);

    const missing = await runCli(["run", "--only", "NOPE", "--json", "--", NODE, CHILD, "env"], {
      env,
    });
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout).error.code).toBe("SECRET_NOT_FOUND");
  });

  it("with --pristine gives the command only PATH, HOME and the secrets", async () => {
    const result = await runCli(["run", "--pristine", "--", NODE, CHILD, "env"], {
      env: { ...env, GREETING: "hello", LD_LIBRARY_PATH: "/nowhere" },
    });
    expect(result.code, result.stderr).toBe(0);
    const seen = childEnv(result.stdout);
    expect(Object.keys(seen).sort()).toEqual(
      ["API_KEY", "DATABASE_PASSWORD", "HOME", "OTHER", "PATH"].sort(),
    );
    expect(seen.PATH).toBe(env.PATH);
    expect(seen.HOME).toBe(dir);
  });

  it("does not hand the vault's own CI key or passphrase to the command", async () => {
    const ciKey = await withOpenVault(async (vault) => (await vault.addCiKey("run-test")).key);
    const result = await runCli(["run", "--", NODE, CHILD, "env"], {
      env: { ...env, AGENT_VAULT_KEY: ciKey, AGENT_VAULT_PASSPHRASE: "unused" },
    });
    expect(result.code, result.stderr).toBe(0);
    const seen = childEnv(result.stdout);
    expect(seen.API_KEY).toBe(API_KEY);
    expect(seen.AGENT_VAULT_KEY).toBeUndefined();
    expect(seen.AGENT_VAULT_PASSPHRASE).toBeUndefined();
    expect(result.stdout).not.toContain(ciKey);
  });

  it("hands the command none of the vault's own variables, and on PostgreSQL none of the store's credentials", async () => {
    // The variables that really reach this vault: its key file, and on PostgreSQL the store URL
    // with the role's password in $PGPASSWORD (on the file store, PG* are not the vault's).
    const stored = ON_FILE_STORE
      ? undefined
      : new URL(JSON.parse(readFileSync(join(home, "config.json"), "utf8")).store as string);
    const password = stored ? decodeURIComponent(stored.password) : "a-password-of-another-db";
    if (stored) stored.password = "";
    const vaultEnv = {
      ...env,
      AGENT_VAULT_AGENT: "main",
      AGENT_VAULT_KEY_FILE: keyFile,
      AGENT_VAULT_STORE: stored ? stored.toString() : "file",
      PGPASSWORD: password,
      PGPASSFILE: join(dir, "pgpass"),
      PGSERVICEFILE: join(dir, "pg_service.conf"),
      PGHOST: "db.example",
    };
    const result = await runCli(["run", "--only", "API_KEY", "--", NODE, CHILD, "env"], {
      env: vaultEnv,
    });
    expect(result.code, result.stderr).toBe(0);
    const seen = childEnv(result.stdout);
    expect(seen.API_KEY).toBe(API_KEY);
    expect(Object.keys(seen).filter((name) => name.startsWith("AGENT_VAULT_"))).toEqual([]);
    expect(seen.PGHOST).toBe("db.example");
    if (stored) {
      expect(seen.PGPASSWORD).toBeUndefined();
      expect(seen.PGPASSFILE).toBeUndefined();
      expect(seen.PGSERVICEFILE).toBeUndefined();
      expect(result.stdout).not.toContain(password);
      expect(result.stdout).not.toContain(stored.host);
    } else {
      expect(seen.PGPASSWORD).toBe(password);
    }
  });

  it("passes arguments as typed, with no shell, and never puts a value in argv", async () => {
    const cwd = join(dir, "no-shell");
    mkdirSync(cwd, { recursive: true });
    const tricky = [
      "$(touch canary1)",
      "`touch canary2`",
      "; touch canary3",
      "*",
      "$API_KEY",
      "--mask",
      "",
    ];
    const result = await runCli(["run", "--", NODE, CHILD, "argv", ...tricky], { env, cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(tricky);
    expect(readdirSync(cwd)).toEqual([]);
    expect(result.stdout).not.toContain(API_KEY);
  });

  it("takes vault's own options only before --", async () => {
    const result = await runCli(
      ["run", "--only", "OTHER", "--", NODE, CHILD, "argv", "--only", "--agent", "x", "--json"],
      { env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(["--only", "--agent", "x", "--json"]);
  });

  it("requires a command", async () => {
    const result = await runCli(["run", "--mask"], { env });
    expect(result.code).toBe(2);
  });
});

describe("vault run: exit codes and signals", () => {
  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)(
    "returns the command's exit code, and 128+n when signal n ended it",
    async () => {
      for (const [args, code] of [
        [["exit", "0"], 0],
        [["exit", "3"], 3],
        [["exit", "255"], 255],
        [["kill", "SIGTERM"], 143],
        [["kill", "SIGKILL"], 137],
      ] as const) {
        const result = await runCli(["run", "--", NODE, CHILD, ...args], { env });
        expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(code);
      }
    },
  );

  it("reports a command that cannot be found or started as a typed error that does not quote it", async () => {
    const missing = await runCli(["run", "--json", "--", "no-such-command-7f3a", "arg"], { env });
    expect(missing.code).toBe(127);
    const error = JSON.parse(missing.stdout).error;
    expect(error.code).toBe("COMMAND_NOT_FOUND");
    expect(error.message).toMatch(/not found/);
    expect(missing.stdout).not.toContain("no-such-command-7f3a");

    const script = join(dir, "not-executable.sh");
    writeFileSync(script, "#!/bin/sh\necho hi\n");
    chmodSync(script, 0o644);
    const denied = await runCli(["run", "--", script], { env });
    expect(denied.code).toBe(126);
    expect(denied.stderr).toMatch(/not executable/);
    expect(denied.stderr).not.toContain(script);
  });

  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)(
    "forwards SIGINT, SIGTERM and SIGHUP from its signal source to the command",
    async () => {
      for (const [signal, number] of [
        ["SIGINT", 2],
        ["SIGTERM", 15],
        ["SIGHUP", 1],
      ] as const) {
        const signals = new EventEmitter();
        const stdout = new PassThrough();
        const capture = new Capture(stdout);
        const running = runCli(["run", "--", NODE, CHILD, "signals"], {
          env,
          signals,
          childStdio: { stdin: "ignore", stdout, stderr: "ignore" },
        });
        await beforeEnd(capture.until("ready\n"), running);
        signals.emit(signal);
        const result = await running;
        expect(result.code, result.stderr).toBe(40 + number);
        expect(capture.text).toBe(`ready\ngot ${signal}\n`);
        expect(signals.listenerCount(signal)).toBe(0);
      }
    },
  );

  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)(
    "forwards signals sent to the vault process (the built bin) and exits with the command's code",
    async () => {
      for (const [signal, number] of [
        ["SIGINT", 2],
        ["SIGTERM", 15],
        ["SIGHUP", 1],
      ] as const) {
        const child = startCli(["run", "--", NODE, CHILD, "signals"], { env });
        const capture = new Capture(child.stdout);
        const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
        await beforeEnd(capture.until("ready\n"), exited);
        child.kill(signal);
        expect(await exited).toBe(40 + number);
        expect(capture.text).toBe(`ready\ngot ${signal}\n`);
      }
    },
  );
});

describe("vault run: stdio", () => {
  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)(
    "passes stdin to the command and its stdout back byte for byte",
    async () => {
      const input = Buffer.concat([randomBytes(200_000), Buffer.from([0xff, 0xfe, 0xc3])]);
      const child = startCli(["run", "--", NODE, CHILD, "cat"], { env });
      const capture = new Capture(child.stdout);
      const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
      child.stdin.end(input);
      expect(await exited).toBe(0);
      expect(capture.bytes.equals(input)).toBe(true);
    },
  );

  it("without --mask, leaves values in the output as the command wrote them", async () => {
    const result = await runCli(["run", "--", NODE, CHILD, "env"], { env });
    expect(result.stdout).toContain(API_KEY);
    expect(result.stdout).toContain(DB_PASSWORD);
  });

  it("with --mask, replaces the values in stdout and stderr", async () => {
    const out = await runCli(["run", "--mask", "--", NODE, CHILD, "env"], { env });
    expect(out.code, out.stderr).toBe(0);
    for (const value of [API_KEY, DB_PASSWORD, OTHER]) expect(out.stdout).not.toContain(value);
    expect(out.stdout).toContain('"API_KEY":"[redacted:API_KEY]"');
    expect(out.stdout).toContain('"DATABASE_PASSWORD":"[redacted:DB_PASSWORD]"');

    const err = await runCli(["run", "--mask", "--", NODE, CHILD, "split", "API_KEY", "stderr"], {
      env,
      stdin: "go\n".repeat(Buffer.byteLength(API_KEY)),
    });
    expect(err.code, err.stderr).toBe(0);
    expect(err.stderr).not.toContain(API_KEY.slice(8));
    expect(err.stderr.split("\n").filter(Boolean)).toHaveLength(Buffer.byteLength(API_KEY) - 1);
    for (const line of err.stderr.split("\n").filter(Boolean)) {
      expect(line).toMatch(/^<\d+>\[redacted:API_KEY\]$/);
    }
  });
});

describe("Vault.run", () => {
  async function splitRun(variable: string, name: string, value: string) {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const capture = new Capture(stdout);
    const length = Buffer.byteLength(value);
    await withOpenVault(async (vault) => {
      const running = vault.run(NODE, [CHILD, "split", variable, "stdout"], {
        mask: true,
        env: { PATH: env.PATH },
        stdio: { stdin, stdout, stderr: "ignore" },
      });
      for (let k = 1; k < length; k++) {
        // "<k>" and the first k bytes came in one write: the marker is out, the bytes are held.
        await capture.until(`<${k}>`);
        expect(capture.text.endsWith(`<${k}>`)).toBe(true);
        stdin.write("go\n");
      }
      expect(await running).toBe(0);
    });
    const expected = Array.from({ length: length - 1 }, (_, i) => `<${i + 1}>[redacted:${name}]\n`);
    expect(capture.text).toBe(expected.join(""));
  }

  it("masks a value the command writes in two parts, at every split point, waiting between them", async () => {
    await splitRun("API_KEY", "API_KEY", API_KEY);
  });

  it("masks a multi-byte UTF-8 value split inside a character", async () => {
    await splitRun("DATABASE_PASSWORD", "DB_PASSWORD", DB_PASSWORD);
  });

  it("passes on at once output that cannot start a value, such as a prompt", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const capture = new Capture(stdout);
    const code = await withOpenVault(async (vault) => {
      const running = vault.run(NODE, [CHILD, "prompt"], {
        mask: true,
        stdio: { stdin, stdout, stderr: "ignore" },
      });
      await capture.until("Password: ");
      stdin.write("secret answer\n");
      return running;
    });
    expect(code).toBe(0);
    expect(capture.text).toBe("Password: ok\n");
  });

  it("gives the command only the secrets when no environment is passed in", async () => {
    const stdout = new PassThrough();
    const capture = new Capture(stdout);
    const code = await withOpenVault((vault) =>
      vault.run(NODE, [CHILD, "env"], { only: ["OTHER"], stdio: { stdin: "ignore", stdout } }),
    );
    expect(code).toBe(0);
    expect(childEnv(capture.text)).toEqual({ OTHER });
  });

  it("records one export per secret in the audit log, with no value", async () => {
    await withOpenVault(async (vault) => {
      const before = (await vault.auditRecords()).length;
      await vault.run(NODE, [CHILD, "exit", "0"], { tag: "ci" });
      const records = (await vault.auditRecords()).slice(before);
      const exports = records.filter((record) => record.op === "export");
      expect(exports.map((record) => [record.secret, record.detail]).sort()).toEqual([
        ["API_KEY", "run"],
        ["DB_PASSWORD", "run"],
      ]);
      const text = JSON.stringify(records);
      for (const value of [API_KEY, DB_PASSWORD]) expect(text).not.toContain(value);
    });
  });

  it("passes a variable named __proto__ like any other", async () => {
    const stdout = new PassThrough();
    const capture = new Capture(stdout);
    await withOpenVault(async (vault) => {
      await vault.set("PROTO", "proto-value", { env: "__proto__" });
      const code = await vault.run(NODE, [CHILD, "env"], {
        only: ["PROTO"],
        env: { ["__proto__" as string]: "base", KEEP: "1" },
        stdio: { stdin: "ignore", stdout },
      });
      expect(code).toBe(0);
      await vault.remove("PROTO");
    });
    expect(capture.text).toContain('"__proto__":"proto-value"');
    expect(capture.text).toContain('"KEEP":"1"');
  });

  it("refuses a command that is not a string, naming the argument", async () => {
    await withOpenVault(async (vault) => {
      await expect(vault.run("", [])).rejects.toThrow(/"command"/);
      await expect(vault.run(NODE, [1 as unknown as string])).rejects.toThrow(/"args"/);
    });
  });
});

describe("vault run: memory and disk", () => {
  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)(
    "streams 100 MiB of output through --mask in bounded memory",
    async () => {
      const measure = async (mebibytes: number) => {
        const report = join(dir, `rss-${mebibytes}.txt`);
        const child = startCli(
          ["run", "--mask", "--", NODE, CHILD, "emit", "API_KEY", `${mebibytes}`],
          {
            env: { ...env, RSS_REPORT: report },
            nodeArgs: ["--import", RSS_PRELOAD],
          },
        );
        const replacement = "[redacted:API_KEY]";
        let total = 0;
        let redactions = 0;
        let leaks = 0;
        let carry = "";
        child.stdout.on("data", (chunk: Buffer) => {
          total += chunk.length;
          const text = carry + chunk.toString("latin1");
          redactions += text.split(replacement).length - 1 - (carry.split(replacement).length - 1);
          leaks += text.split(API_KEY).length - 1 - (carry.split(API_KEY).length - 1);
          carry = text.slice(-(Math.max(replacement.length, API_KEY.length) - 1));
        });
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        expect(code).toBe(0);
        return { total, redactions, leaks, rssKiB: Number(readFileSync(report, "utf8")) };
      };
      const small = await measure(1);
      const big = await measure(100);
      const bigger = await measure(300);
      for (const [run, mebibytes] of [
        [big, 100],
        [bigger, 300],
      ] as const) {
        const placed = 16 * mebibytes;
        expect(run.leaks).toBe(0);
        expect(run.redactions).toBe(placed);
        expect(run.total).toBe(
          mebibytes * 2 ** 20 - placed * (API_KEY.length - "[redacted:API_KEY]".length),
        );
      }
      const growthMiB = (big.rssKiB - small.rssKiB) / 1024;
      const furtherMiB = (bigger.rssKiB - big.rssKiB) / 1024;
      console.log(
        `--mask: peak RSS ${(small.rssKiB / 1024).toFixed(1)} MiB for 1 MiB, ${(big.rssKiB / 1024).toFixed(1)} MiB for 100 MiB, ${(bigger.rssKiB / 1024).toFixed(1)} MiB for 300 MiB of output`,
      );
      // Bounded: a buffer proportional to the output would add 100 MiB, then 200 MiB more. The
      // garbage collector lets some tens of MiB of chunks pile up (more on Node 24 than on 20),
      // so the test asserts that tripling the output does not grow the peak with it.
      expect(growthMiB).toBeLessThan(100);
      expect(furtherMiB).toBeLessThan(64);
    },
  );

  it("writes nothing to disk but the audit records", async () => {
    const snapshot = () => {
      const files = new Map<string, Buffer>();
      const walk = (folder: string) => {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          const path = join(folder, entry.name);
          if (entry.isDirectory()) walk(path);
          else files.set(path, readFileSync(path));
        }
      };
      walk(dir);
      return files;
    };
    const before = snapshot();
    const result = await runCli(["run", "--mask", "--", NODE, CHILD, "env"], { env, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const after = snapshot();
    const changed = [...after.keys()].filter(
      (path) => !before.get(path)?.equals(after.get(path) as Buffer),
    );
    for (const path of changed) expect(path).toMatch(/audit/);
    for (const [path, bytes] of after) {
      for (const value of [API_KEY, DB_PASSWORD, OTHER]) {
        expect(bytes.includes(Buffer.from(value)), path).toBe(false);
      }
    }
    expect(existsSync(join(dir, "canary1"))).toBe(false);
  });
});

describe("examples/github-actions-run.yml", () => {
  it("runs its `vault run` line with the CI key from the repository secrets", async () => {
    const workflow = readFileSync(
      join(import.meta.dirname, "../examples/github-actions-run.yml"),
      "utf8",
    );
    expect(workflow).toMatch(/AGENT_VAULT_KEY: \$\{\{ secrets\.AGENT_VAULT_KEY \}\}/);
    const line = /^\s+run: (vault run .*)$/m.exec(workflow)?.[1] ?? "";
    expect(line).toBe("vault run --tag ci --mask -- npm test");
    const argv = line.split(" ").slice(1, -2);
    const ciKey = await withOpenVault(async (vault) => (await vault.addCiKey("example")).key);
    const result = await runCli([...argv, NODE, CHILD, "env"], {
      env: { AGENT_VAULT_HOME: home, PATH: env.PATH as string, AGENT_VAULT_KEY: ciKey },
    });
    expect(result.code, result.stderr).toBe(0);
    const seen = childEnv(result.stdout);
    expect(seen.API_KEY).toBe("[redacted:API_KEY]");
    expect(seen.OTHER).toBeUndefined();
    expect(seen.AGENT_VAULT_KEY).toBeUndefined();
  });
});

describe("vault run: dangerous variable names", () => {
  it("refuses to hand the command a secret exported as NODE_OPTIONS unless allowed", async () => {
    const home = join(dir, "danger");
    const dangerEnv = { ...env, AGENT_VAULT_HOME: home };
    const key = join(dir, "danger.key");
    expect(
      (await runCli(["init", "--key-source", "keyfile", "--key-file", key], { env: dangerEnv }))
        .code,
    ).toBe(0);
    await runCli(["set", "INJECT", "--env", "NODE_OPTIONS"], {
      env: dangerEnv,
      stdin: "--no-deprecation --title=evil",
    });
    const refused = await runCli(["run", "--", NODE, "-e", "0"], { env: dangerEnv });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/INJECT/);
    expect(refused.stderr).not.toContain("evil");
    const allowed = await runCli(
      [
        "run",
        "--allow-name",
        "NODE_OPTIONS",
        "--",
        NODE,
        "-e",
        "process.stdout.write(process.env.NODE_OPTIONS ? 'set' : 'unset')",
      ],
      { env: { ...dangerEnv, NODE_OPTIONS: "" } },
    );
    expect(allowed.stdout).toBe("set");
  });

  it("audits a run that did not start as refused or failed, after the export, never as a bare export", async () => {
    const home = join(dir, "not-started");
    const runEnv = { ...env, AGENT_VAULT_HOME: home };
    const key = join(dir, "not-started.key");
    await runCli(["init", "--key-source", "keyfile", "--key-file", key], { env: runEnv });
    await runCli(["set", "PRELOAD", "--env", "LD_PRELOAD"], { env: runEnv, stdin: "/tmp/x.so" });
    await runCli(["set", "API_TOKEN"], { env: runEnv, stdin: "tok-abcdefghijklmnop" });
    const records = async () => {
      const vault = await openVault({ home, keySource: keyFileKey(key) });
      try {
        return (await vault.auditRecords())
          .filter((r) => r.op === "export")
          .map((r) => [r.secret, r.detail, r.result, r.code ?? ""]);
      } finally {
        vault.close();
      }
    };
    expect((await runCli(["run", "--", NODE, "-e", "0"], { env: runEnv })).code).toBe(2);
    // The exports first (the values left the vault), then what became of them.
    expect(await records()).toEqual([
      ["API_TOKEN", "run", "ok", ""],
      ["PRELOAD", "run", "ok", ""],
      ["API_TOKEN", "run refused", "denied", "INVALID_INPUT"],
      ["PRELOAD", "run refused", "denied", "INVALID_INPUT"],
    ]);
    const missing = await runCli(["run", "--only", "API_TOKEN", "--", "no-such-command-7f3a"], {
      env: runEnv,
    });
    expect(missing.code).toBe(127);
    expect((await records()).slice(4)).toEqual([
      ["API_TOKEN", "run", "ok", ""],
      ["API_TOKEN", "run not started", "error", "COMMAND_NOT_FOUND"],
    ]);
    const malformed = await runCli(["run", "--only", "API_TOKEN", "--", NODE, "-e", "0"], {
      env: { ...runEnv, FOO: "vault://x" },
    });
    expect(malformed.code).toBe(2);
    expect((await records()).slice(6)).toEqual([
      ["API_TOKEN", "run", "ok", ""],
      ["API_TOKEN", "run refused", "denied", "INVALID_INPUT"],
    ]);
  });
});
