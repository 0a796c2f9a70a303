import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../src/cli/io.js";
import { run } from "../src/cli/run.js";
import { createVault, keyFileKey, openVault } from "../src/index.js";
import { MAX_REQUEST_BYTES } from "../src/openclaw/protocol.js";
import { runCli, spawnCli, startCli, tempDir } from "./helpers/cli.js";
import { flood, outcome, RSS_PRELOAD } from "./helpers/flood.js";
import { prepareHome, readStoredVault, writeStoredVault } from "./helpers/test-store.js";

const FIXTURES = join(import.meta.dirname, "fixtures/openclaw");

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let keyFile: string;
let home: string;

beforeEach(async () => {
  ({ path: dir, cleanup } = tempDir("agent-vault-openclaw-cli-"));
  home = join(dir, "vaults");
  prepareHome(home);
  keyFile = join(dir, "main.key");
  env = { HOME: dir, AGENT_VAULT_HOME: home, AGENT_VAULT_KEY_FILE: keyFile };
  const { vault } = await createVault({ agent: "main", home, keySource: keyFileKey(keyFile) });
  await vault.setMany([
    { name: "OPENAI_API_KEY", value: "sk-cli-openai-value" },
    { name: "TELEGRAM_BOT_TOKEN", value: "tg-cli-telegram-value" },
    { name: "WORK_KEY", value: "work-cli-value", refs: ["providers/work/apiKey"] },
  ]);
  vault.close();
});

afterEach(() => cleanup());

function request(...ids: string[]): string {
  return JSON.stringify({ protocolVersion: 1, provider: "agentvault", ids });
}

/** A CliIo for calling the command line in process, with stdin from `readStdin`. */
function fastIo(readStdin: () => Promise<Buffer>) {
  const output = { stdout: "", stderr: "" };
  const io: CliIo = {
    stdout: (text) => {
      output.stdout += text;
    },
    stderr: (text) => {
      output.stderr += text;
    },
    readStdin,
    isTTY: false,
    promptHidden: async () => "",
    env,
    cwd: dir,
    now: () => new Date(),
  };
  return { io, output };
}

async function resolve(stdin: string, extraEnv: Record<string, string> = {}, args: string[] = []) {
  return runCli(["openclaw", "resolve", ...args], { env: { ...env, ...extraEnv }, stdin });
}

describe("vault openclaw resolve", () => {
  it("answers ids by explicit ref and by the name rule, and unknown ids with NOT_FOUND", async () => {
    const result = await resolve(
      request(
        "providers/openai/apiKey",
        "channels/telegram/botToken",
        "providers/work/apiKey",
        "providers/none/apiKey",
      ),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      protocolVersion: 1,
      values: {
        "providers/openai/apiKey": "sk-cli-openai-value",
        "channels/telegram/botToken": "tg-cli-telegram-value",
        "providers/work/apiKey": "work-cli-value",
      },
      errors: { "providers/none/apiKey": { code: "NOT_FOUND" } },
    });
    expect(result.stderr).toBe("");
  });

  it("records each secret it hands out in the audit log, with purpose openclaw", async () => {
    const before = await auditLength();
    await resolve(request("providers/openai/apiKey", "providers/none/apiKey"));
    const vault = await openVault({ agent: "main", home, keySource: keyFileKey(keyFile) });
    const records = await vault.auditRecords();
    vault.close();
    // One export record for the secret answered; none for mapping the ids, none for the miss.
    expect(
      records
        .slice(before)
        .map(({ op, secret, detail, result }) => ({ op, secret, detail, result })),
    ).toEqual([{ op: "export", secret: "OPENAI_API_KEY", detail: "openclaw", result: "ok" }]);
  });

  async function auditLength(): Promise<number> {
    const vault = await openVault({ agent: "main", home, keySource: keyFileKey(keyFile) });
    try {
      return (await vault.auditRecords()).length;
    } finally {
      vault.close();
    }
  }

  it("reads ids of another agent through the agent: prefix", async () => {
    const { vault } = await createVault({
      agent: "ops",
      home,
      keySource: keyFileKey(keyFile.replace("main", "ops")),
    });
    await vault.set("OPENAI_API_KEY", "sk-ops-value");
    vault.close();
    // Each vault unlocks with the key file it remembers ($AGENT_VAULT_KEY_FILE would apply to both).
    const result = await resolve(
      request("agent:ops/providers/openai/apiKey", "providers/openai/apiKey"),
      { AGENT_VAULT_KEY_FILE: "" },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).values).toEqual({
      "agent:ops/providers/openai/apiKey": "sk-ops-value",
      "providers/openai/apiKey": "sk-cli-openai-value",
    });
  });

  it("answers a malformed request with a protocol error on stdout and exit 2", async () => {
    const result = await resolve("sk-live-typed-by-mistake");
    expect(result.code).toBe(2);
    const response = JSON.parse(result.stdout);
    expect(response).toMatchObject({
      protocolVersion: 1,
      values: {},
      error: { code: "INVALID_INPUT" },
    });
    expect(result.stdout + result.stderr).not.toContain("sk-live-typed-by-mistake");
  });

  it("fails every id with the vault's error code when the key is wrong, and exits 4", async () => {
    prepareHome(join(dir, "elsewhere"));
    const { vault } = await createVault({
      agent: "other",
      home: join(dir, "elsewhere"),
      keySource: keyFileKey(join(dir, "other.key")),
    });
    vault.close();
    const result = await resolve(request("providers/openai/apiKey"), {
      AGENT_VAULT_KEY_FILE: join(dir, "other.key"),
    });
    expect(result.code).toBe(4);
    const response = JSON.parse(result.stdout);
    expect(response.values).toEqual({});
    expect(response.errors).toEqual({ "providers/openai/apiKey": { code: "WRONG_KEY" } });
    expect(response.error.code).toBe("WRONG_KEY");
    expect(result.stdout + result.stderr).not.toMatch(/sk-cli|tg-cli|work-cli/);
  });

  it("fails with VAULT_NOT_FOUND for an agent without a vault, keeping what it resolved", async () => {
    const result = await resolve(request("agent:nobody/x", "providers/openai/apiKey"));
    expect(result.code).toBe(3);
    const response = JSON.parse(result.stdout);
    expect(response.values).toEqual({ "providers/openai/apiKey": "sk-cli-openai-value" });
    expect(response.errors).toEqual({ "agent:nobody/x": { code: "VAULT_NOT_FOUND" } });
  });

  it("reports a tampered vault as TAMPERED (exit 5) and hands out nothing", async () => {
    const text = (await readStoredVault(home, "main"))?.toString("utf8") ?? "";
    await writeStoredVault(
      home,
      "main",
      Buffer.from(text.replace(/"generation":(\d+)/, (_m, n) => `"generation":${Number(n) + 7}`)),
    );
    const result = await resolve(request("providers/openai/apiKey"));
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stdout).values).toEqual({});
    expect(result.stdout + result.stderr).not.toContain("sk-cli-openai-value");
  });

  it("answers a failure it did not expect with INTERNAL, naming only the error's type", async () => {
    const { io, output } = fastIo(async () => {
      throw new RangeError("sk-live-in-a-message");
    });
    expect(await run(["openclaw", "resolve"], io)).toBe(70);
    expect(JSON.parse(output.stdout).error).toMatchObject({
      code: "INTERNAL",
      message: "Internal error (RangeError).",
    });
    expect(output.stdout + output.stderr).not.toContain("sk-live");
  });

  it("stops reading a request at 1 MiB + 1 byte: 50 MB on stdin is refused without being read or held", async () => {
    const run = async (bytes: number) => {
      const report = join(dir, `rss-${bytes}.txt`);
      const child = startCli(["openclaw", "resolve"], {
        env: { ...env, RSS_REPORT: report },
        nodeArgs: ["--import", RSS_PRELOAD],
      });
      const [accepted, result] = await Promise.all([
        flood(child.stdin, bytes),
        outcome(child, report),
      ]);
      return { accepted, ...result };
    };
    const small = await run(1000);
    const big = await run(50_000_000);
    for (const result of [small, big]) {
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout).error.code).toBe("INVALID_INPUT");
    }
    expect(JSON.parse(big.stdout).error.message).toContain(
      `larger than ${MAX_REQUEST_BYTES} bytes`,
    );
    // What it took: the 1 MiB + 1 it read, at most a pipe buffer and a write more.
    expect(big.accepted).toBeLessThan(MAX_REQUEST_BYTES + 1024 * 1024);
    console.log(
      `openclaw resolve: ${big.accepted} of 50000000 bytes taken; peak RSS ${(small.rssKiB / 1024).toFixed(1)} MiB for 1000 bytes, ${(big.rssKiB / 1024).toFixed(1)} MiB for 50 MB`,
    );
    expect((big.rssKiB - small.rssKiB) / 1024).toBeLessThan(24);
  });

  it("works as a spawned bin and never writes a value to stderr", async () => {
    const result = await spawnCli(["openclaw", "resolve"], {
      env,
      stdin: request("providers/openai/apiKey", "nope"),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).values["providers/openai/apiKey"]).toBe("sk-cli-openai-value");
    expect(result.stderr).toBe("");
  });
});

describe("vault openclaw setup", () => {
  it("prints an exec provider block whose command passes OpenClaw's checks", async () => {
    const result = await runCli(["openclaw", "setup", "--json"], { env });
    expect(result.code, result.stderr).toBe(0);
    const { provider } = JSON.parse(result.stdout);
    expect(provider).toMatchObject({ source: "exec", jsonOnly: true });
    expect(provider.args).toEqual(
      expect.arrayContaining(["openclaw", "resolve", "--agent", "main", "--home", home]),
    );
    expect(provider.passEnv).toEqual(expect.arrayContaining(["HOME", "AGENT_VAULT_KEY_FILE"]));
    const stat = statSync(provider.command);
    expect(stat.isFile()).toBe(true);
    expect(stat.mode & 0o022).toBe(0);
  });

  it("merges the block into openclaw.json after a 0600 backup, reading JSON5", async () => {
    const config = join(dir, ".openclaw", "openclaw.json");
    await mkdir(join(dir, ".openclaw"));
    writeFileSync(config, "// mine\n{ gateway: { port: 18789 }, }\n");
    const result = await runCli(["openclaw", "setup", "--write", "--alias", "av"], { env });
    expect(result.code, result.stderr).toBe(0);
    const written = JSON.parse(readFileSync(config, "utf8"));
    expect(written.gateway).toEqual({ port: 18789 });
    expect(written.secrets.providers.av.source).toBe("exec");
    const backups = readdirSync(join(dir, ".openclaw")).filter((name) => name.includes(".bak-"));
    expect(backups).toHaveLength(1);
    const backup = join(dir, ".openclaw", backups[0] as string);
    expect(readFileSync(backup, "utf8")).toContain("// mine");
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    const again = await runCli(["openclaw", "setup", "--write", "--alias", "av"], { env });
    expect(again.stdout).toMatch(/already up to date/);
  });

  it("refuses an alias OpenClaw would not accept", async () => {
    const result = await runCli(["openclaw", "setup", "--alias", "Bad Alias"], { env });
    expect(result.code).toBe(2);
  });
});

describe("vault openclaw import", () => {
  let configPath: string;
  let envPath: string;
  const configText = readFileSync(join(FIXTURES, "plaintext.json5"), "utf8");
  const envText = readFileSync(join(FIXTURES, "dotenv"), "utf8");

  beforeEach(async () => {
    await mkdir(join(dir, ".openclaw"));
    configPath = join(dir, ".openclaw", "openclaw.json");
    envPath = join(dir, ".openclaw", ".env");
    writeFileSync(configPath, configText);
    writeFileSync(envPath, envText);
  });

  it("prints the plan without values and changes nothing with --dry-run", async () => {
    const result = await runCli(["openclaw", "import", "--dry-run"], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "gateway.auth.token -> GATEWAY_AUTH_TOKEN (ref gateway/auth/token)",
    );
    expect(result.stdout).toContain(".env:2 ANTHROPIC_API_KEY -> ANTHROPIC_API_KEY");
    expect(result.stdout).toContain("hooks.token: OpenClaw does not accept a SecretRef here");
    expect(result.stdout + result.stderr).not.toMatch(/fixture-|sk-ant|ghp_/);
    expect(readFileSync(configPath, "utf8")).toBe(configText);
    expect(readFileSync(envPath, "utf8")).toBe(envText);
    expect(readdirSync(join(dir, ".openclaw"))).toEqual([".env", "openclaw.json"]);
    const vault = await openVault({ agent: "main", home, keySource: keyFileKey(keyFile) });
    expect(await vault.has("GATEWAY_AUTH_TOKEN")).toBe(false);
    vault.close();
  });

  it("stores the credentials with their refs, rewrites both files and backs them up", async () => {
    const result = await runCli(["openclaw", "import", "--json"], { env });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.stored).toContain("GATEWAY_AUTH_TOKEN");
    expect(summary.backups).toHaveLength(2);
    for (const backup of summary.backups) expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(result.stdout).not.toMatch(/fixture-|sk-ant|ghp_/);

    const config = JSON.parse(readFileSync(configPath, "utf8"));
    expect(config.gateway.auth.token).toEqual({
      source: "exec",
      provider: "agentvault",
      id: "gateway/auth/token",
    });
    expect(config.models.providers.anthropic.apiKey.id).toBe("providers/anthropic/apiKey");
    expect(config.secrets.providers.agentvault.source).toBe("exec");
    expect(config.hooks.token).toBe("fixture-hooks-0008");
    const rewrittenEnv = readFileSync(envPath, "utf8");
    expect(rewrittenEnv).toContain("LOG_LEVEL=debug");
    expect(rewrittenEnv).not.toMatch(/sk-ant|ghp_/);

    const vault = await openVault({ agent: "main", home, keySource: keyFileKey(keyFile) });
    expect(await vault.get("GATEWAY_AUTH_TOKEN")).toBe("fixture-gateway-0007");
    expect(await vault.get("ANTHROPIC_API_KEY")).toBe("sk-ant-fixture-0010");
    const info = (await vault.list()).find((secret) => secret.name === "GATEWAY_AUTH_TOKEN");
    vault.close();
    expect(info?.refs).toEqual(["gateway/auth/token"]);

    // The rewritten config resolves through the resolver.
    const ids = ["gateway/auth/token", "providers/anthropic/apiKey", "skills/weather/apiKey"];
    const answer = JSON.parse((await resolve(request(...ids))).stdout);
    expect(answer.values).toEqual({
      "gateway/auth/token": "fixture-gateway-0007",
      "providers/anthropic/apiKey": "sk-ant-fixture-0010",
      "skills/weather/apiKey": "fixture-weather-0005",
    });
  });

  it("leaves a field alone when the vault holds another value under its name", async () => {
    const result = await runCli(["openclaw", "import"], { env });
    expect(result.code, result.stderr).toBe(0);
    // OPENAI_API_KEY was in the vault with another value: that field stays plaintext.
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    expect(config.models.providers.openai.apiKey).toBe("sk-fixture-openai-0001");
    expect(result.stdout).toMatch(
      /models\.providers\.openai\.apiKey: the vault already holds a different OPENAI_API_KEY/,
    );
  });

  it("says so when there is no config", async () => {
    const result = await runCli(["openclaw", "import", "--config", join(dir, "missing.json")], {
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no OpenClaw config at the file given with --config/);
    expect(result.stderr).not.toContain("missing.json");
    expect(existsSync(join(dir, "missing.json"))).toBe(false);
  });
});
