import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSchedule } from "../src/rotation/policy.js";
import { ROOT, runCli, tempDir } from "./helpers/cli.js";

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
