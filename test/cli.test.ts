import { execFileSync } from "node:child_process";
import { chmodSync, createWriteStream, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, spawnCli, startCli, tempDir } from "./helpers/cli.js";
import { flood, outcome, RSS_PRELOAD } from "./helpers/flood.js";
import { ON_FILE_STORE, prepareHome } from "./helpers/test-store.js";

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeEach(() => {
  ({ path: dir, cleanup } = tempDir());
  env = { AGENT_VAULT_HOME: join(dir, "home"), HOME: dir };
});

afterEach(() => cleanup());

async function initKeyFile(agent = "main") {
  const result = await runCli(
    ["init", "--agent", agent, "--key-source", "keyfile", "--key-file", join(dir, `${agent}.key`)],
    {
      env,
    },
  );
  expect(result.code, result.stderr).toBe(0);
}

/** A passphrase vault ("a long enough passphrase") holding TOKEN=v. */
async function initPassphraseVault() {
  const pwEnv = { ...env, AGENT_VAULT_PASSPHRASE: "a long enough passphrase" };
  expect(
    (await runCli(["init", "--key-source", "passphrase", "--kdf", "interactive"], { env: pwEnv }))
      .code,
  ).toBe(0);
  expect((await runCli(["set", "TOKEN"], { env: pwEnv, stdin: "v" })).code).toBe(0);
}

describe("vault init", () => {
  it("creates a key file vault and remembers the key file", async () => {
    const result = await runCli(
      ["init", "--key-source", "keyfile", "--key-file", join(dir, "k"), "--json"],
      { env },
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({
      agent: "main",
      keySource: "keyfile",
      slot: { type: "keyfile", keyFile: join(dir, "k") },
    });
    expect(statSync(join(dir, "k")).mode & 0o777).toBe(0o600);
    expect((await runCli(["list"], { env })).code).toBe(0);
  });

  it("refuses a new passphrase under 12 characters however it arrives: prompt, file, environment or library", async () => {
    const short = join(dir, "short.txt");
    writeFileSync(short, "ab\n", { mode: 0o600 });
    const ways: Array<[string[], Record<string, string>, string[] | undefined]> = [
      [["init", "--key-source", "passphrase", "--passphrase-file", short], env, undefined],
      [["init", "--key-source", "passphrase"], { ...env, AGENT_VAULT_PASSPHRASE: "ab" }, undefined],
      [["init", "--key-source", "passphrase"], env, ["ab", "ab"]],
    ];
    for (const [argv, runEnv, prompts] of ways) {
      const result = await runCli(["--json", ...argv, "--kdf", "interactive"], {
        env: runEnv,
        ...(prompts ? { prompts } : {}),
      });
      expect(result.code, argv.join(" ")).toBe(2);
      expect(JSON.parse(result.stdout).error.message).toContain("shorter than 12 characters");
    }
    const { createVault, passphraseKey } = await import("../src/index.js");
    prepareHome(join(dir, "lib-home"));
    await expect(
      createVault({
        home: join(dir, "lib-home"),
        keySource: passphraseKey("short", "interactive"),
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect((await runCli(["list"], { env })).code).toBe(3);
  });

  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)(
    "reads a passphrase file's first line and stops reading there, refusing a first line over 64 KiB",
    async () => {
      await initPassphraseVault();
      const fifo = join(dir, "fifo");
      execFileSync("mkfifo", [fifo]);
      for (const head of ["a long enough passphrase\r\n", ""]) {
        const report = join(dir, "rss.txt");
        const child = startCli(["get", "TOKEN", "-n", "--passphrase-file", fifo], {
          env: { ...env, RSS_REPORT: report },
          nodeArgs: ["--import", RSS_PRELOAD],
        });
        child.stdin.end();
        const [accepted, result] = await Promise.all([
          flood(createWriteStream(fifo), 50_000_000, head),
          outcome(child, report),
        ]);
        if (head === "") {
          expect(result.code).toBe(2);
          expect(result.stderr).toContain("is longer than 64 KiB");
        } else {
          expect(result.code, result.stderr).toBe(0);
          expect(result.stdout).toBe("v");
        }
        expect(accepted).toBeLessThan(1024 * 1024);
      }
    },
  );

  it("creates a passphrase vault from $AGENT_VAULT_PASSPHRASE and opens only with it", async () => {
    await initPassphraseVault();
    const wrong = await runCli(["get", "TOKEN", "--json"], {
      env: { ...env, AGENT_VAULT_PASSPHRASE: "nope" },
    });
    expect(wrong.code).toBe(4);
    expect(JSON.parse(wrong.stdout).error.code).toBe("WRONG_KEY");
    const none = await runCli(["get", "TOKEN"], { env });
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/AGENT_VAULT_PASSPHRASE|passphrase-file/);
  });

  it("asks twice for a new passphrase on a terminal and refuses a mismatch", async () => {
    const mismatch = await runCli(["init", "--key-source", "passphrase", "--kdf", "interactive"], {
      env,
      prompts: ["first passphrase here", "second passphrase"],
    });
    expect(mismatch.code).toBe(2);
    const ok = await runCli(["init", "--key-source", "passphrase", "--kdf", "interactive"], {
      env,
      prompts: ["same passphrase here", "same passphrase here"],
    });
    expect(ok.code).toBe(0);
    const get = await runCli(["list"], { env, prompts: ["same passphrase here"] });
    expect(get.code).toBe(0);
  });

  it("refuses to create a second vault for the same agent", async () => {
    await initKeyFile();
    const again = await runCli(
      ["init", "--key-source", "keyfile", "--key-file", join(dir, "other.key")],
      { env },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has a vault/);
  });

  it("refuses an unknown key source with a usage error", async () => {
    expect((await runCli(["init", "--key-source", "magic"], { env })).code).toBe(2);
  });
});

describe("vault set and get", () => {
  beforeEach(() => initKeyFile());

  it("reads the value from stdin without its trailing newline", async () => {
    expect(
      (
        await runCli(["set", "OPENAI_API_KEY", "--tag", "llm", "--env", "OPENAI_KEY"], {
          env,
          stdin: "sk-1\n",
        })
      ).code,
    ).toBe(0);
    expect((await runCli(["get", "OPENAI_API_KEY"], { env })).stdout).toBe("sk-1\n");
    expect((await runCli(["get", "OPENAI_API_KEY", "-n"], { env })).stdout).toBe("sk-1");
    expect(JSON.parse((await runCli(["get", "OPENAI_API_KEY", "--json"], { env })).stdout)).toEqual(
      {
        agent: "main",
        name: "OPENAI_API_KEY",
        value: "sk-1",
      },
    );
  });

  it("reads the value from --value-file, multi-line values included", async () => {
    const pem = "-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----";
    writeFileSync(join(dir, "value"), `${pem}\n`);
    expect(
      (await runCli(["set", "TLS_KEY", "--value-file", join(dir, "value")], { env })).code,
    ).toBe(0);
    expect((await runCli(["get", "TLS_KEY", "-n"], { env })).stdout).toBe(pem);
  });

  it("refuses a value over 64 KiB from stdin or a file, newline aside", async () => {
    const largest = "v".repeat(64 * 1024);
    expect((await runCli(["set", "BIG"], { env, stdin: `${largest}\r\n` })).code).toBe(0);
    writeFileSync(join(dir, "value"), `${largest}\n`);
    expect((await runCli(["set", "BIG", "--value-file", join(dir, "value")], { env })).code).toBe(
      0,
    );
    writeFileSync(join(dir, "value"), `${largest}vvv`);
    for (const args of [[], ["--value-file", join(dir, "value")]]) {
      const result = await runCli(["set", "BIG", ...args], { env, stdin: `${largest}vvv` });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("The value for BIG is larger than 64 KiB.");
    }
  });

  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)(
    "stops reading a value one byte past the limit: 50 MB from stdin or a FIFO is refused without being read",
    async () => {
      const fifo = join(dir, "fifo");
      execFileSync("mkfifo", [fifo]);
      for (const args of [[], ["--value-file", "-"], ["--value-file", fifo]]) {
        const report = join(dir, "rss.txt");
        const child = startCli(["set", "HUGE", ...args], {
          env: { ...env, RSS_REPORT: report },
          nodeArgs: ["--import", RSS_PRELOAD],
        });
        const input = args[1] === fifo ? createWriteStream(fifo) : child.stdin;
        if (input !== child.stdin) child.stdin.end();
        const [accepted, result] = await Promise.all([
          flood(input, 50_000_000),
          outcome(child, report),
        ]);
        expect(result.code, args.join(" ")).toBe(2);
        expect(result.stderr).toContain("The value for HUGE is larger than 64 KiB.");
        // The 64 KiB + 3 bytes it read, and at most a pipe buffer and a write more.
        expect(accepted, args.join(" ")).toBeLessThan(1024 * 1024);
        expect(result.rssKiB / 1024, args.join(" ")).toBeLessThan(100);
      }
      expect((await runCli(["list", "--json"], { env })).stdout).not.toContain("HUGE");
    },
  );

  it("prompts without echo on a terminal", async () => {
    expect((await runCli(["set", "TOKEN"], { env, prompts: ["typed-value"] })).code).toBe(0);
    expect((await runCli(["get", "TOKEN", "-n"], { env })).stdout).toBe("typed-value");
  });

  it("refuses a value in argv without echoing it", async () => {
    const result = await runCli(["set", "TOKEN", "sk-live-in-argv"], { env });
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).not.toContain("sk-live-in-argv");
    const asOption = await runCli(["set", "TOKEN", "--value=sk-live-in-argv"], { env });
    expect(asOption.code).toBe(2);
    expect(asOption.stderr + asOption.stdout).not.toContain("sk-live-in-argv");
  });

  it("gives an older version with --version and the history", async () => {
    await runCli(["set", "TOKEN"], { env, stdin: "one" });
    await runCli(["set", "TOKEN"], { env, stdin: "two" });
    expect((await runCli(["get", "TOKEN", "--version", "1", "-n"], { env })).stdout).toBe("one");
    const history = JSON.parse((await runCli(["history", "TOKEN", "--json"], { env })).stdout);
    expect(history.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await runCli(["rollback", "TOKEN", "--to", "1"], { env })).code).toBe(0);
    expect((await runCli(["get", "TOKEN", "-n"], { env })).stdout).toBe("one");
  });

  it("maps errors to the exit codes of the contract", async () => {
    expect((await runCli(["get", "MISSING"], { env })).code).toBe(3);
    expect((await runCli(["get", "bad-name"], { env })).code).toBe(2);
    expect((await runCli(["get", "TOKEN", "--agent", "nobody"], { env })).code).toBe(3);
    expect((await runCli(["set", "EMPTY"], { env, stdin: "" })).code).toBe(2);
    expect((await runCli(["frobnicate"], { env })).code).toBe(2);
    expect((await runCli(["get", "X", "--no-such-flag"], { env })).code).toBe(2);
  });

  it("prints errors as one JSON object with --json", async () => {
    const result = await runCli(["get", "MISSING", "--json"], { env });
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: "SECRET_NOT_FOUND", message: expect.any(String), hint: expect.any(String) },
    });
    expect(result.stderr).toBe("");
  });

  it("lists names and metadata, and removes and purges", async () => {
    await runCli(["set", "B_TOKEN", "--description", "bee"], { env, stdin: "b" });
    await runCli(["set", "A_TOKEN"], { env, stdin: "a" });
    const list = JSON.parse((await runCli(["list", "--json"], { env })).stdout);
    expect(list.secrets.map((s: { name: string }) => s.name)).toEqual(["A_TOKEN", "B_TOKEN"]);
    expect(JSON.stringify(list)).not.toMatch(/"value"/);
    expect((await runCli(["rm", "A_TOKEN"], { env })).code).toBe(0);
    expect((await runCli(["get", "A_TOKEN"], { env })).code).toBe(3);
    expect((await runCli(["history", "A_TOKEN"], { env })).code).toBe(0);
    expect((await runCli(["purge", "A_TOKEN"], { env })).code).toBe(0);
    expect((await runCli(["history", "A_TOKEN"], { env })).code).toBe(3);
  });
});

describe("agents and keys", () => {
  it("keeps agents apart and lists where each key lives", async () => {
    await initKeyFile("support");
    await initKeyFile("research");
    await runCli(["set", "TOKEN", "--agent", "support"], { env, stdin: "s" });
    const agents = JSON.parse((await runCli(["agents", "--json"], { env })).stdout);
    expect(agents.agents.map((a: { agent: string }) => a.agent)).toEqual(["research", "support"]);
    const crossed = await runCli(
      ["get", "TOKEN", "--agent", "support", "--key-file", join(dir, "research.key")],
      { env },
    );
    expect(crossed.code).toBe(4);
    expect(
      (await runCli(["get", "TOKEN"], { env: { ...env, AGENT_VAULT_AGENT: "support" } })).stdout,
    ).toBe("s\n");
  });

  it("lets an explicit --key-file win over $AGENT_VAULT_KEY", async () => {
    await initKeyFile();
    await runCli(["set", "TOKEN"], { env, stdin: "v" });
    const withBadCiKey = { ...env, AGENT_VAULT_KEY: Buffer.alloc(32, 7).toString("base64") };
    expect((await runCli(["get", "TOKEN"], { env: withBadCiKey })).code).toBe(4);
    const explicit = await runCli(["get", "TOKEN", "--key-file", join(dir, "main.key")], {
      env: withBadCiKey,
    });
    expect(explicit.stdout).toBe("v\n");
  });

  it("adds a CI key that works through $AGENT_VAULT_KEY until revoked", async () => {
    await initKeyFile();
    await runCli(["set", "TOKEN"], { env, stdin: "v" });
    const added = await runCli(["key", "add-ci", "github"], { env });
    expect(added.code).toBe(0);
    const key = added.stdout.trim();
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    const ciEnv = { AGENT_VAULT_HOME: env.AGENT_VAULT_HOME as string, AGENT_VAULT_KEY: key };
    expect((await runCli(["get", "TOKEN"], { env: ciEnv })).stdout).toBe("v\n");
    const keys = JSON.parse((await runCli(["key", "list", "--json"], { env })).stdout);
    expect(keys.keys.map((k: { label: string }) => k.label)).toEqual(["keyfile", "github"]);
    expect(JSON.stringify(keys)).not.toContain(key);
    expect((await runCli(["key", "revoke", "github"], { env })).code).toBe(0);
    expect((await runCli(["get", "TOKEN"], { env: ciEnv })).code).toBe(4);
    expect((await runCli(["key", "revoke", "github"], { env })).code).toBe(3);
  });
});

describe("vault import", () => {
  beforeEach(() => initKeyFile());

  it("stores quoted and multi-line dotenv values and reports names only", async () => {
    const file = join(dir, ".env");
    writeFileSync(
      file,
      [
        "# comment",
        "OPENAI_API_KEY=sk-import-1",
        'QUOTED="a value with spaces # not a comment"',
        "SINGLE='it''s'",
        'PEM="-----BEGIN-----\nline1\nline2\n-----END-----"',
        "export EXPORTED=yes",
        "lower_case=skipped",
        "EMPTY=",
      ].join("\n"),
    );
    const result = await runCli(["import", file, "--json"], { env });
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.imported).toEqual(["OPENAI_API_KEY", "QUOTED", "SINGLE", "PEM", "EXPORTED"]);
    expect(out.skipped.map((s: { name: string }) => s.name)).toEqual(["lower_case", "EMPTY"]);
    expect(result.stdout).not.toContain("sk-import-1");
    expect((await runCli(["get", "QUOTED", "-n"], { env })).stdout).toBe(
      "a value with spaces # not a comment",
    );
    expect((await runCli(["get", "PEM", "-n"], { env })).stdout).toBe(
      "-----BEGIN-----\nline1\nline2\n-----END-----",
    );
  });

  it("skips existing secrets unless --overwrite", async () => {
    await runCli(["set", "TOKEN"], { env, stdin: "old" });
    writeFileSync(join(dir, "a.env"), "TOKEN=new\n");
    await runCli(["import", join(dir, "a.env")], { env });
    expect((await runCli(["get", "TOKEN", "-n"], { env })).stdout).toBe("old");
    await runCli(["import", join(dir, "a.env"), "--overwrite"], { env });
    expect((await runCli(["get", "TOKEN", "-n"], { env })).stdout).toBe("new");
  });

  it("refuses a file that is not dotenv with exit 2", async () => {
    writeFileSync(join(dir, "bin.env"), Buffer.from([0, 1, 2, 3]));
    expect((await runCli(["import", join(dir, "bin.env")], { env })).code).toBe(2);
    writeFileSync(join(dir, "prose.env"), "this is not a dotenv file\nat all\n");
    expect((await runCli(["import", join(dir, "prose.env")], { env })).code).toBe(2);
    expect((await runCli(["import", join(dir, "missing.env")], { env })).code).toBe(2);
  });
});

describe("vault doctor", () => {
  // File modes: a database store has no vault file whose permissions could be too loose.
  it.runIf(ON_FILE_STORE)(
    "reports a readable vault file with the chmod that fixes it, and exits 1",
    async () => {
      await initKeyFile();
      await runCli(["set", "TOKEN"], { env, stdin: "v" });
      expect((await runCli(["doctor"], { env })).code).toBe(0);
      const vaultFile = join(dir, "home", "agents", "main", "vault.json");
      chmodSync(vaultFile, 0o644);
      const result = await runCli(["doctor", "--json"], { env });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(
        report.checks.some((c: { fix?: string }) => c.fix === `chmod 600 '${vaultFile}'`),
      ).toBe(true);
    },
  );
});

describe("the built bin", () => {
  it("runs end to end as a user would run it", async () => {
    const home = join(dir, "spawned");
    const spawnEnv = { AGENT_VAULT_HOME: home, HOME: dir };
    expect(
      (
        await spawnCli(["init", "--key-source", "keyfile", "--key-file", join(dir, "s.key")], {
          env: spawnEnv,
        })
      ).code,
    ).toBe(0);
    expect((await spawnCli(["set", "TOKEN"], { env: spawnEnv, stdin: "spawned-value" })).code).toBe(
      0,
    );
    const got = await spawnCli(["get", "TOKEN"], { env: spawnEnv });
    expect(got).toMatchObject({ code: 0, stdout: "spawned-value\n" });
    const missing = await spawnCli(["get", "NOPE"], { env: spawnEnv });
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split("\n")).toHaveLength(2);
  });

  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)("prints help and its version", async () => {
    const help = await spawnCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/init/);
    expect((await spawnCli(["--version"])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  // Not about storage: runs once, on the file-store pass.
  it.runIf(ON_FILE_STORE)("runs the demo to the end", async () => {
    const demo = await spawnCli(["demo"], { env: { HOME: dir } });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/refused: WRONG_KEY/);
    expect(demo.stdout).toMatch(/refused: WRONG_AGENT/);
    expect(demo.stdout).toMatch(/intact/);
    expect(demo.stdout).not.toMatch(/bug!|unexpected/);
  });
});
