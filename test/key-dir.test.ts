/**
 * `--key-dir D` / `$AGENT_VAULT_KEY_DIR`: each agent unlocks with `D/<agent>.key`, so one host
 * (a rotation host, a CI job) can serve many agents.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, spawnCli, tempDir } from "./helpers/cli.js";

let dir: { path: string; cleanup: () => void };
let keys: string;
let env: Record<string, string>;
const HOUR = 3_600_000;

beforeEach(() => {
  dir = tempDir();
  keys = join(dir.path, "keys");
  mkdirSync(keys, { mode: 0o700 });
  env = { HOME: dir.path, AGENT_VAULT_HOME: join(dir.path, "home") };
});

afterEach(() => dir.cleanup());

async function agentWithDueSecret(agent: string): Promise<void> {
  const init = await runCli(
    ["--agent", agent, "--key-dir", keys, "init", "--key-source", "keyfile"],
    { env },
  );
  expect(init.code, init.stderr).toBe(0);
  const set = await runCli(
    [
      "--agent",
      agent,
      "--key-dir",
      keys,
      "set",
      "TOKEN",
      "--max-age",
      "1h",
      "--rotator",
      "random:24",
    ],
    { env, stdin: `first-value-of-${agent}`, now: () => new Date(Date.now() - 2 * HOUR) },
  );
  expect(set.code, set.stderr).toBe(0);
}

/** `vault key add-file rotation-host --out-dir OUT` for `agent` (unlocked with its own key). */
function addRotationKey(agent: string, out: string) {
  return runCli(
    ["--agent", agent, "--key-dir", keys, "key", "add-file", "rotation-host", "--out-dir", out],
    { env },
  );
}

describe("--key-dir", () => {
  it("creates and opens each agent's vault with DIR/<agent>.key", async () => {
    await agentWithDueSecret("support");
    expect(existsSync(join(keys, "support.key"))).toBe(true);
    const got = await runCli(["--agent", "support", "--key-dir", keys, "get", "TOKEN"], { env });
    expect(got.stdout).toBe("first-value-of-support\n");
    const viaEnv = await runCli(["--agent", "support", "get", "TOKEN"], {
      env: { ...env, AGENT_VAULT_KEY_DIR: keys },
    });
    expect(viaEnv.stdout).toBe("first-value-of-support\n");
  });

  it("lets vault rotate --all-agents unlock every agent with keys added by key add-file, and names the agent whose key is missing", async () => {
    await agentWithDueSecret("support");
    await agentWithDueSecret("research");
    await agentWithDueSecret("ops");
    // The rotation host's folder: one more key per agent, each its own slot.
    const rotationKeys = join(dir.path, "rotation-keys");
    for (const agent of ["support", "research"]) {
      const added = await addRotationKey(agent, rotationKeys);
      expect(added.code, added.stderr).toBe(0);
      expect(statSync(join(rotationKeys, `${agent}.key`)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(rotationKeys).mode & 0o777).toBe(0o700);
    const result = await runCli(["--key-dir", rotationKeys, "rotate", "--all-agents", "--json"], {
      env,
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      agents: Array<{
        agent: string;
        outcomes: Array<{ result: string }>;
        error?: { code: string };
      }>;
    };
    const byAgent = new Map(report.agents.map((run) => [run.agent, run]));
    for (const agent of ["support", "research"]) {
      expect(byAgent.get(agent)?.outcomes.map((o) => o.result)).toEqual(["rotated"]);
      const value = await runCli(["--agent", agent, "--key-dir", rotationKeys, "get", "TOKEN"], {
        env,
      });
      expect(value.stdout).not.toBe(`first-value-of-${agent}\n`);
    }
    expect(byAgent.get("ops")?.error?.code).toBe("KEY_UNAVAILABLE");
    expect(result.stdout + result.stderr).not.toContain("first-value-of");
  });

  it("gives vault openclaw resolve each agent's own key, through the bin's plain command line", async () => {
    await agentWithDueSecret("support");
    await agentWithDueSecret("ops");
    const ids = ["agent:ops/TOKEN", "TOKEN"];
    const result = await spawnCli(
      ["openclaw", "resolve", "--agent", "support", "--key-dir", keys],
      {
        env,
        stdin: JSON.stringify({ protocolVersion: 1, provider: "agentvault", ids }),
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).values).toEqual({
      "agent:ops/TOKEN": "first-value-of-ops",
      TOKEN: "first-value-of-support",
    });
  });

  it("refuses a key folder other users can write to, and writes no key there", async () => {
    await agentWithDueSecret("support");
    const shared = join(dir.path, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const added = await addRotationKey("support", shared);
    expect(added.code).toBe(5);
    expect(added.stderr).toContain("chmod 700");
    expect(existsSync(join(shared, "support.key"))).toBe(false);
    const init = await runCli(
      ["--agent", "other", "--key-dir", shared, "init", "--key-source", "keyfile"],
      {
        env,
      },
    );
    expect(init.code).toBe(5);
    expect(existsSync(join(shared, "other.key"))).toBe(false);
  });

  it("is not handed to a command vault run starts", async () => {
    await agentWithDueSecret("support");
    const result = await runCli(
      [
        "--agent",
        "support",
        "run",
        "--",
        process.execPath,
        "-e",
        "process.stdout.write(String(process.env.AGENT_VAULT_KEY_DIR))",
      ],
      { env: { ...env, AGENT_VAULT_KEY_DIR: keys, PATH: process.env.PATH ?? "/usr/bin:/bin" } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("undefined");
  });
});
