/**
 * Start-up: a command line loads only the modules of the command it runs. The built bin (a
 * bundle: dist/cli/bin.js and its chunks) runs with a preload that records every module loaded
 * (test/fixtures/modules/record-modules.mjs); the bundle's map (dist/cli/chunks/meta.json)
 * names the source files in each chunk loaded.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMAND_MODULES, commandWord } from "../src/cli/command-table.js";
import { ROOT, runCli, startCli, tempDir } from "./helpers/cli.js";
import { ON_FILE_STORE } from "./helpers/test-store.js";

const PRELOAD = join(ROOT, "test/fixtures/modules/record-modules.mjs");
/**
 * Modules no reading command needs: the scanner and its dependency, cron-parser, keytar,
 * and pg unless the vault is on PostgreSQL.
 */
const NOT_FOR_READING = [
  "/node_modules/ignore/",
  ...(ON_FILE_STORE ? ["/node_modules/pg/"] : []),
  "/node_modules/cron-parser/",
  "/node_modules/keytar/",
  "/node_modules/json5/",
  "/node_modules/commander/",
  // libsodium's larger build, only for Argon2id (a passphrase slot); these calls use a key file.
  "/node_modules/libsodium-wrappers-sumo/",
  "src/scan/scan.ts",
  "src/scan/engine.ts",
  "src/scan/rules.ts",
  "src/scan/sources.ts",
  "src/cli/commands/scan.ts",
  "src/cli/commands/db.ts",
  "src/cli/run.ts",
];

/** The bundle's map: each chunk (path under dist/cli) → the source files in it. */
const BUNDLE: Record<string, string[]> = JSON.parse(
  readFileSync(join(ROOT, "dist/cli/chunks/meta.json"), "utf8"),
);

/** The loaded files, each bundle chunk replaced by the source files in it. */
function sourcesOf(loaded: string[]): string[] {
  const cli = join(ROOT, "dist/cli/");
  return loaded.flatMap((path) => {
    const chunk = path.startsWith(cli) ? BUNDLE[path.slice(cli.length)] : undefined;
    return chunk ?? [path];
  });
}

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let keyFile: string;

beforeEach(async () => {
  ({ path: dir, cleanup } = tempDir("agent-vault-startup-"));
  env = { AGENT_VAULT_HOME: join(dir, "home"), HOME: dir };
  keyFile = join(dir, "main.key");
  const init = await runCli(["init", "--key-source", "keyfile", "--key-file", keyFile], { env });
  expect(init.code, init.stderr).toBe(0);
  const set = await runCli(["set", "API_TOKEN", "--key-file", keyFile], { env, stdin: "tok-1" });
  expect(set.code, set.stderr).toBe(0);
});

afterEach(() => cleanup());

/** Runs the built bin with the recording preload; its exit code, stdout and loaded modules. */
function runRecorded(
  argv: string[],
  stdin = "",
  cwd?: string,
): Promise<{ code: number; stdout: string; loaded: string[] }> {
  const record = join(dir, "modules.txt");
  const child = startCli(argv, {
    env: { ...env, RECORD_MODULES_FILE: record },
    nodeArgs: ["--import", PRELOAD],
    ...(cwd ? { cwd } : {}),
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const loaded = sourcesOf(readFileSync(record, "utf8").split("\n").filter(Boolean));
      resolve({ code: code ?? -1, stdout, loaded });
    });
  });
}

describe("start-up", () => {
  it.each([
    [["get", "API_TOKEN"], "tok-1"],
    [["env", "--format", "dotenv"], "API_TOKEN="],
    [["--json", "list"], "API_TOKEN"],
    [["openclaw", "resolve"], '"API_TOKEN":"tok-1"'],
  ])(
    "vault %j loads neither commander, the scanner, cron-parser, keytar, libsodium's sumo build nor (on files) pg",
    async (argv, out) => {
      const request = JSON.stringify({ protocolVersion: 1, ids: ["API_TOKEN"] });
      const { code, stdout, loaded } = await runRecorded(
        [...argv, "--key-file", keyFile],
        argv[0] === "openclaw" ? request : "",
      );
      expect(code).toBe(0);
      expect(stdout).toContain(out);
      // The recording works: the command's own module and libsodium were seen.
      expect(loaded).toContain("src/cli/bin.ts");
      expect(loaded).toContain("src/crypto/sodium.ts");
      expect(loaded.some((path) => path.includes("/node_modules/libsodium-wrappers/"))).toBe(true);
      expect(loaded.filter((path) => NOT_FOR_READING.some((part) => path.includes(part)))).toEqual(
        [],
      );
    },
  );

  it("lists in the command table exactly the first words of each module's commands", async () => {
    for (const module of COMMAND_MODULES) {
      const words = new Set((await module.load()).map((spec) => spec.name.split(" ")[0]));
      expect([...words].sort()).toEqual([...module.words].sort());
    }
  });

  it("finds the command word after global options and their values", () => {
    expect(commandWord(["--agent", "get", "--json", "list"])).toBe("list");
    expect(commandWord(["--home=/h", "get", "X"])).toBe("get");
    expect(commandWord(["--json"])).toBeUndefined();
    expect(commandWord(["--", "get"])).toBeUndefined();
  });

  it("vault scan --staged (the pre-commit hook) loads neither the vault, libsodium, commander, --fix's modules nor ignore", async () => {
    const repo = join(dir, "repo");
    mkdirSync(repo);
    const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
    execFileSync("git", ["init", "-q"], { cwd: repo, env: gitEnv });
    writeFileSync(join(repo, "SOUL.md"), "# Soul\nNothing secret.\n");
    execFileSync("git", ["add", "SOUL.md"], { cwd: repo, env: gitEnv });
    const { code, loaded } = await runRecorded(["scan", "--staged"], "", repo);
    expect(code).toBe(0);
    expect(loaded).toContain("src/scan/rules.ts");
    expect(loaded).toContain("src/scan/git.ts");
    const unneeded = loaded.filter((path) =>
      /node_modules\/(libsodium|commander|ignore)|src\/(vault|crypto|keys|audit)|src\/cli\/(run|commands\/scan-fix)\.ts|src\/scan\/move-to-vault/.test(
        path,
      ),
    );
    expect(unneeded).toEqual([]);
  });

  it("vault scan refuses --name without --fix, and a --name it cannot read with --fix", async () => {
    const alone = await runCli(["scan", "--name", "TOKEN", "SOUL.md"], { env, cwd: dir });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--name goes with --fix.");
    const unreadable = await runCli(["scan", "--fix", "--name", "3=A=B", "SOUL.md"], {
      env,
      cwd: dir,
    });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain("--name takes NAME, or LINE=NAME");
  });
});
