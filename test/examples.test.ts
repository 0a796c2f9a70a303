import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import JSON5 from "json5";
import { describe, expect, it } from "vitest";
import { checkSchedule } from "../src/rotation/policy.js";
import { missingTool, need } from "./helpers/capabilities.js";
import { BIN, ROOT, runCli, tempDir } from "./helpers/cli.js";
import { withGitHubChecksum } from "./helpers/test-tokens.js";

const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const needGit = need("git", missingTool("git"), "install git (apt-get install git)");

const ROTATION = join(ROOT, "examples/rotation");

/** The `vault ...` command lines of an example file, as argv (without `vault`). */
function vaultCommands(text: string): string[][] {
  return [
    ...text.matchAll(/(?:^|[\s=])(?:\/usr\/local\/bin\/)?vault ((?:rotate|status)[^>\n]*)/gm),
  ].map((match) => (match[1] ?? "").trim().split(/\s+/));
}

/** A home with one vault holding one due secret, and a CI key for it. */
async function dueVault() {
  const { path: home, cleanup } = tempDir();
  const keyFile = join(home, "main.key");
  const env = { AGENT_VAULT_HOME: home, AGENT_VAULT_KEY_FILE: keyFile };
  await runCli(["init", "--key-source", "keyfile", "--key-file", keyFile], { env });
  await runCli(["set", "TOKEN", "--max-age", "1m", "--rotator", "random:32"], {
    env,
    stdin: "initial-token-value",
    now: () => new Date(Date.now() - 3_600_000),
  });
  const ci = await runCli(["key", "add-ci", "github-rotate"], { env });
  return { home, cleanup, env, ciKey: ci.stdout.trim() };
}

describe("examples", () => {
  it("runs examples/agent.mjs against the built library, printing no value", () => {
    const out = execFileSync(process.execPath, [join(ROOT, "examples/agent.mjs")], {
      encoding: "utf8",
    });
    expect(out).toContain("got OPENAI_API_KEY: [redacted]");
    expect(out).toContain("SECRET_NOT_FOUND (exit 3)");
    expect(out).not.toContain("sk-example-not-a-real-key");
  });

  it("gives cron a valid schedule and a vault rotate command that runs unattended", async () => {
    const text = readFileSync(join(ROTATION, "crontab"), "utf8");
    const line = text.split("\n").find((entry) => /^[0-9*]/.test(entry)) ?? "";
    expect(checkSchedule(line.split(/\s+/).slice(0, 5).join(" "))).toBe("17 * * * *");
    const { env, cleanup } = await dueVault();
    try {
      for (const argv of vaultCommands(line)) {
        const result = await runCli([...argv, "--dry-run"], { env });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain("1 would rotate");
      }
    } finally {
      cleanup();
    }
  });

  it("gives systemd a oneshot service whose vault rotate command runs, and a persistent timer", async () => {
    const service = readFileSync(join(ROTATION, "agent-vault-rotate.service"), "utf8");
    const timer = readFileSync(join(ROTATION, "agent-vault-rotate.timer"), "utf8");
    expect(service).toMatch(/^Type=oneshot$/m);
    expect(timer).toMatch(/^Persistent=true$/m);
    expect(timer).toMatch(/^OnCalendar=hourly$/m);
    const execStart = service.split("\n").find((line) => line.startsWith("ExecStart=")) ?? "";
    const commands = vaultCommands(execStart);
    expect(commands).toHaveLength(1);
    const { env, cleanup } = await dueVault();
    try {
      const result = await runCli([...(commands[0] ?? []), "--json"], { env });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).summary.rotated).toBe(1);
    } finally {
      cleanup();
    }
  });

  it("runs the scheduled GitHub workflow's vault commands with a CI key", async () => {
    const text = readFileSync(join(ROTATION, "github-actions-rotate.yml"), "utf8");
    expect(text).toMatch(/cron: "17 3 \* \* \*"/);
    const commands = vaultCommands(text);
    expect(commands.map((argv) => argv[0])).toEqual(["rotate", "status"]);
    const { home, ciKey, cleanup } = await dueVault();
    try {
      const env = { AGENT_VAULT_HOME: home, AGENT_VAULT_KEY: ciKey };
      for (const argv of commands) {
        const result = await runCli(argv, { env });
        expect(result.code, `${argv.join(" ")}: ${result.stderr}`).toBe(0);
        expect(result.stdout + result.stderr).not.toContain("initial-token-value");
      }
    } finally {
      cleanup();
    }
  });
});

describe("examples/typescript", () => {
  // The example opens its own file-store home by design.
  it("type-checks with tsc --strict and no skipLibCheck, importing agent-vault by name, and runs", () => {
    execFileSync(process.execPath, [TSC, "-p", join(ROOT, "examples/typescript/tsconfig.json")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const out = execFileSync(process.execPath, [join(ROOT, ".cache/examples-ts/agent.js")], {
      encoding: "utf8",
    });
    expect(out).toContain("model gpt-5, key [redacted]");
    expect(out).toContain("rotated WEBHOOK_TOKEN: rotated");
    expect(out).toContain("SECRET_NOT_FOUND (exit 3)");
    expect(out).not.toContain("sk-example-not-a-real-key");
  });
});

describe("examples/openclaw-workspace", () => {
  it("keeps the workspace clean, resolves every id of its openclaw.json, and injects TOOLS.md", async () => {
    const { path: dir, cleanup } = tempDir();
    try {
      const env = { AGENT_VAULT_HOME: join(dir, "home"), AGENT_VAULT_KEY_FILE: join(dir, "k") };
      await runCli(["init", "--key-source", "keyfile", "--key-file", env.AGENT_VAULT_KEY_FILE], {
        env,
      });
      const values = {
        OPENAI_API_KEY: `sk-proj-${"Q7w".repeat(16)}`,
        TELEGRAM_BOT_TOKEN: "7123456789:AAFh3kq9ZxR2mW8vT5nB1cY4dL6pJ0sG7eU",
        WEATHER_API_KEY: "wx_5f2b9c1e7a4d8036b2c9e1f4",
      };
      for (const [name, value] of Object.entries(values)) {
        expect((await runCli(["set", name], { env, stdin: value })).code).toBe(0);
      }
      const example = join(dir, "example");
      cpSync(join(ROOT, "examples/openclaw-workspace"), example, { recursive: true });

      const scan = await runCli(["scan", join(example, "workspace")], { env, cwd: example });
      expect(scan.code, scan.stdout).toBe(0);

      const config = JSON5.parse(readFileSync(join(example, "openclaw.json"), "utf8"));
      const ids = secretRefIds(config);
      expect(ids.sort()).toEqual(["channels/telegram/botToken", "providers/openai/apiKey"]);
      const resolved = await runCli(["openclaw", "resolve"], {
        env,
        stdin: JSON.stringify({ protocolVersion: 1, provider: "agentvault", ids }),
      });
      expect(resolved.code, resolved.stderr).toBe(0);
      expect(JSON.parse(resolved.stdout).values).toEqual({
        "providers/openai/apiKey": values.OPENAI_API_KEY,
        "channels/telegram/botToken": values.TELEGRAM_BOT_TOKEN,
      });

      const tools = await runCli(["inject", "-i", join(example, "workspace/TOOLS.md"), "-o", "-"], {
        env,
      });
      expect(tools.stdout).toContain(`- Key: ${values.WEATHER_API_KEY}\n`);

      const setup = await runCli(
        ["openclaw", "setup", "--write", "--config", join(example, "openclaw.json")],
        { env },
      );
      expect(setup.code, setup.stderr).toBe(0);
      const written = JSON5.parse(readFileSync(join(example, "openclaw.json"), "utf8"));
      expect(written.secrets.providers.agentvault.source).toBe("exec");
    } finally {
      cleanup();
    }
  });
});

needGit.describe("examples/pre-commit", () => {
  it("blocks a commit whose staged file holds a token, and lets a clean one through", () => {
    const { path: dir, cleanup } = tempDir();
    try {
      const repo = join(dir, "repo");
      const bin = join(dir, "bin");
      mkdirSync(repo);
      mkdirSync(bin);
      writeFileSync(join(bin, "vault"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
      chmodSync(join(bin, "vault"), 0o755);
      const env = {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: dir,
        AGENT_VAULT_HOME: join(dir, "home"),
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      };
      const git = (...args: string[]) =>
        spawnSync("git", args, { cwd: repo, env, encoding: "utf8" });
      git("init", "-q");
      cpSync(join(ROOT, "examples/pre-commit/pre-commit"), join(repo, ".git/hooks/pre-commit"));
      writeFileSync(join(repo, "NOTES.md"), "Nothing secret here.\n");
      git("add", "NOTES.md");
      expect(git("commit", "-q", "-m", "clean").status).toBe(0);
      const token = withGitHubChecksum("ghp_", "R7xk2Qm9Lp4Vz8Wn3Yb6Tc1Hd5Fg0J");
      writeFileSync(join(repo, "TOOLS.md"), `GitHub: ${token}\n`);
      git("add", "TOOLS.md");
      const blocked = git("commit", "-q", "-m", "leak");
      expect(blocked.status).not.toBe(0);
      expect(blocked.stdout + blocked.stderr).toContain("github-pat");
      expect(blocked.stdout + blocked.stderr).not.toContain(token);
      expect(git("log", "--format=%s").stdout.trim()).toBe("clean");
    } finally {
      cleanup();
    }
  });

  it("names a hook id in its .pre-commit-config.yaml that .pre-commit-hooks.yaml defines", () => {
    const config = readFileSync(join(ROOT, "examples/pre-commit/.pre-commit-config.yaml"), "utf8");
    const hooks = readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8");
    const id = /- id: (\S+)/.exec(config)?.[1];
    expect(id).toBe("agent-vault-scan");
    expect(hooks).toContain(`- id: ${id}\n`);
  });
});

/** The ids of every SecretRef to the agentvault provider in an OpenClaw config. */
function secretRefIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(secretRefIds);
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  if (record.source === "exec" && record.provider === "agentvault") return [String(record.id)];
  return Object.values(record).flatMap(secretRefIds);
}
