/**
 * The bin answers plain command lines of `get`, `list`, `env`, `run`, `read` and
 * `openclaw resolve` without
 * commander (src/cli/plain.ts). Each line below runs through the built bin and through the full
 * command line (`run`, in process) and must give the same exit code, stdout and stderr.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli, tempDir } from "./helpers/cli.js";

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let keyFile: string;

beforeAll(async () => {
  ({ path: dir, cleanup } = tempDir("agent-vault-plain-"));
  env = { AGENT_VAULT_HOME: join(dir, "home"), HOME: dir };
  keyFile = join(dir, "main.key");
  const init = await runCli(["init", "--key-source", "keyfile", "--key-file", keyFile], { env });
  expect(init.code, init.stderr).toBe(0);
  for (const [name, value, tag] of [
    ["API_TOKEN", "tok-1", "ci"],
    ["DB_PASSWORD", "pw-2", "db"],
    ["OPENAI_API_KEY", "sk-openai-3", "ai"],
  ] as const) {
    const set = await runCli(["set", name, "--tag", tag, "--key-file", keyFile], {
      env,
      stdin: value,
    });
    expect(set.code, set.stderr).toBe(0);
  }
  const again = await runCli(["set", "API_TOKEN", "--key-file", keyFile], { env, stdin: "tok-2" });
  expect(again.code, again.stderr).toBe(0);
}, 60_000);

afterAll(() => cleanup());

const LINES: string[][] = [
  ["get", "API_TOKEN"],
  ["get", "-n", "API_TOKEN"],
  ["get", "API_TOKEN", "--no-newline", "--version", "1"],
  ["--json", "get", "API_TOKEN"],
  ["get", "NO_SUCH"],
  ["get", "NO_SUCH", "--json"],
  ["get", "--agent=Bad Agent", "API_TOKEN"],
  ["--agent", "other", "get", "API_TOKEN"],
  ["get"],
  ["get", "API_TOKEN", "extra"],
  ["get", "API_TOKEN", "--unknown"],
  ["get", "--help"],
  ["list"],
  ["--json", "list", "--all"],
  ["env", "--format", "json", "--prefix", "APP_"],
  ["env", "--tag", "db", "--format=shell"],
  ["env", "--only", "API_TOKEN", "--format", "dotenv"],
  ["read", "vault://main/DB_PASSWORD"],
  ["read", "-n", "vault://main/NO_SUCH"],
  ["run", "--only", "API_TOKEN", "--", "node", "-e", "console.log(process.env.API_TOKEN)"],
  ["run", "--tag", "db", "node", "-e", "console.log(process.env.DB_PASSWORD ?? 'none')", "--x"],
  // vault fails before starting the command; the --json is the command's own.
  ["run", "--agent=Bad Agent", "node", "-e", "1", "--json"],
];

describe("plain command lines", () => {
  it.each(LINES.map((line) => [line]))(
    "%j gives the same exit code and output through the bin as through the full command line",
    async (line) => {
      const argv = [...line, "--key-file", keyFile];
      // `run` passes what follows its command on; the key file goes before it.
      if (line[0] === "run") argv.splice(1, 0, ...argv.splice(-2));
      const bin = await spawnCli(argv, { env, cwd: dir });
      const full = await runCli(argv, { env, cwd: dir });
      expect(bin).toEqual(full);
    },
    30_000,
  );
});

/** OpenClaw's request on stdin: one id the name rule maps to a secret, one it does not. */
const REQUEST = JSON.stringify({
  protocolVersion: 1,
  provider: "vault",
  ids: ["providers/openai/apiKey", "providers/none/apiKey"],
});

const RESOLVE_LINES: Array<[string[], string]> = [
  [["openclaw", "resolve"], REQUEST],
  [["--agent", "main", "openclaw", "resolve"], REQUEST],
  [["openclaw", "--agent", "main", "resolve"], REQUEST],
  [["openclaw", "--json", "resolve"], REQUEST],
  [["openclaw", "resolve", "--agent=main", "--json"], REQUEST],
  [["openclaw", "resolve"], "{not json"],
  [["openclaw", "resolve", "--agent=Bad Agent"], REQUEST],
  [["openclaw", "resolve", "extra"], REQUEST],
  [["openclaw", "resolve", "--agent", "main", "--agent", "main"], REQUEST],
];

describe("plain `openclaw resolve` lines", () => {
  it.each(RESOLVE_LINES)(
    "%j gives the same exit code and output through the bin as through the full command line",
    async (line, stdin) => {
      const argv = [...line, "--key-file", keyFile];
      const bin = await spawnCli(argv, { env, cwd: dir, stdin });
      const full = await runCli(argv, { env, cwd: dir, stdin });
      expect(bin).toEqual(full);
    },
    30_000,
  );

  it("hands out the value through the bin", async () => {
    const result = await spawnCli(["openclaw", "resolve", "--key-file", keyFile], {
      env,
      cwd: dir,
      stdin: REQUEST,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).values).toEqual({ "providers/openai/apiKey": "sk-openai-3" });
  });
});
