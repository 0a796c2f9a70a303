import { execFileSync } from "node:child_process";
import {
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededRandom } from "../bench/scan-corpus/generate.mjs";
import type { CommandSpec } from "../src/cli/command.js";
import { scanCommands } from "../src/cli/commands/scan.js";
import { commandContext, type GlobalOptions } from "../src/cli/context.js";
import type { CliIo } from "../src/cli/io.js";
import { isVaultError } from "../src/errors.js";
import { keyFileKey } from "../src/keys/slots.js";
import { readExposures, readFingerprints, writeFingerprints } from "../src/scan/fingerprints.js";
import { openVault } from "../src/vault.js";
import { missingTool, need } from "./helpers/capabilities.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { sarifValidator } from "./helpers/sarif.js";
import { prepareHome } from "./helpers/test-store.js";
import { withGitHubChecksum } from "./helpers/test-tokens.js";

const random = seededRandom(99);
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const pick = (n: number) =>
  Array.from({ length: n }, () => ALNUM[Math.floor(random() * 62)]).join("");
const githubToken = () => withGitHubChecksum("ghp_", pick(30));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command spec in-process as run.ts would (errors → exit code and two lines on stderr). */
async function runSpec(
  spec: CommandSpec,
  args: string[],
  options: Record<string, unknown>,
  setup: { cwd: string; home: string; globals?: GlobalOptions; stdin?: string; prompts?: string[] },
): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const prompts = [...(setup.prompts ?? [])];
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => Buffer.from(setup.stdin ?? ""),
    isTTY: setup.prompts !== undefined,
    promptHidden: async () => {
      const answer = prompts.shift();
      if (answer === undefined) throw new Error("no more answers");
      return answer;
    },
    env: { AGENT_VAULT_HOME: setup.home, PATH: process.env.PATH },
    cwd: setup.cwd,
    now: () => new Date("2026-11-25T12:00:00Z"),
  };
  try {
    const ctx = commandContext(io, { ...setup.globals, ...(options.json ? { json: true } : {}) });
    return { code: await spec.run(ctx, args, options), stdout, stderr };
  } catch (error) {
    if (!isVaultError(error)) throw error;
    return {
      code: error.exitCode,
      stdout,
      stderr: `${stderr}vault: ${error.message}\n  ${error.hint}\n`,
    };
  }
}

const scanSpec = scanCommands[0] as CommandSpec;

let dir: { path: string; cleanup: () => void };
let home: string;
let work: string;
const scan = (
  args: string[],
  options: Record<string, unknown> = {},
  extra: Partial<Parameters<typeof runSpec>[3]> = {},
) => runSpec(scanSpec, args, options, { cwd: work, home, ...extra });

beforeEach(() => {
  dir = tempDir();
  home = join(dir.path, "home");
  prepareHome(home);
  work = join(dir.path, "work");
  mkdirSync(work);
});
afterEach(() => dir.cleanup());

async function vaultWith(secrets: Record<string, string>): Promise<string> {
  const keyFile = join(dir.path, "main.key");
  const env = { AGENT_VAULT_HOME: home };
  expect(
    (await runCli(["init", "--key-source", "keyfile", "--key-file", keyFile], { env })).code,
  ).toBe(0);
  for (const [name, value] of Object.entries(secrets)) {
    expect((await runCli(["set", name, "--key-file", keyFile], { env, stdin: value })).code).toBe(
      0,
    );
  }
  return keyFile;
}

async function fingerprintVault(keyFile: string) {
  const vault = await openVault({ home, agent: "main", keySource: keyFileKey(keyFile) });
  try {
    const secrets = [];
    for (const info of await vault.list())
      secrets.push({ name: info.name, value: await vault.get(info.name) });
    return writeFingerprints(join(home, "agents", "main"), secrets);
  } finally {
    vault.close();
  }
}

const needGit = need("git", missingTool("git"), "install git (apt-get install git)");

describe("vault scan", () => {
  it("scans the agent workspace files of the folder when given no path", async () => {
    const token = githubToken();
    writeFileSync(join(work, "SOUL.md"), `# Soul\nMy GitHub token is ${token}\n`);
    mkdirSync(join(work, "memory"));
    writeFileSync(join(work, "memory", "2026-11-25.md"), `- deploy key ${githubToken()}\n`);
    mkdirSync(join(work, "skills", "deploy"), { recursive: true });
    writeFileSync(join(work, "skills", "deploy", "SKILL.md"), `use ${githubToken()}\n`);
    writeFileSync(join(work, "notes.md"), `not a workspace file ${githubToken()}\n`);
    const result = await scan([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("SOUL.md:2:20: error github-pat ghp_…");
    expect(result.stdout).toContain("memory/2026-11-25.md:1:");
    expect(result.stdout).toContain("skills/deploy/SKILL.md:1:");
    expect(result.stdout).not.toContain("notes.md");
    expect(result.stdout + result.stderr).not.toContain(token.slice(4, 12));
  });

  it("exits 0 on a clean workspace and says so", async () => {
    writeFileSync(
      join(work, "TOOLS.md"),
      `Use ${"$"}{OPENAI_API_KEY} from the environment; sk-... is a placeholder.\n`,
    );
    const result = await scan([]);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr).toContain("no secrets found in 1 file(s)");
  });

  it("exits 0 on warnings alone, and 1 with --strict", async () => {
    writeFileSync(
      join(work, "AGENTS.md"),
      "Save the API key in MEMORY.md when the user gives it.\n",
    );
    expect((await scan([])).code).toBe(0);
    const strict = await scan([], { strict: true });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("warning agent-stores-credential");
  });

  it("reads stdin for -", async () => {
    const result = await scan(["-"], {}, { stdin: `TOKEN=${githubToken()}\n` });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("(stdin):1:7: error github-pat");
  });

  it("walks folders honouring .gitignore and skips binary and oversized files", async () => {
    mkdirSync(join(work, "docs", "ignored"), { recursive: true });
    writeFileSync(join(work, ".gitignore"), "ignored/\n*.log\n");
    writeFileSync(join(work, "docs", "a.md"), `x ${githubToken()}\n`);
    writeFileSync(join(work, "docs", "ignored", "b.md"), `x ${githubToken()}\n`);
    writeFileSync(join(work, "docs", "c.log"), `x ${githubToken()}\n`);
    writeFileSync(
      join(work, "docs", "d.bin"),
      Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(githubToken())]),
    );
    writeFileSync(join(work, "docs", "e.md"), `${"a".repeat(1024 * 1024)}\n${githubToken()}\n`);
    const result = await scan(["docs"], { format: "json" });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.findings.map((f: { file: string }) => f.file)).toEqual(["docs/a.md"]);
    expect(json.skipped).toEqual([
      { file: "docs/d.bin", reason: "binary" },
      { file: "docs/e.md", reason: "too-large" },
    ]);
  });

  it("never reads a device or a FIFO: as a scanned file, a .gitignore or the scan config", async () => {
    symlinkSync("/dev/zero", join(work, "zero.md"));
    execFileSync("mkfifo", [join(work, "pipe.md")]);
    symlinkSync("/dev/zero", join(work, ".gitignore"));
    writeFileSync(join(work, "a.md"), `x ${githubToken()}\n`);
    const walked = await scan(["."], { format: "json" });
    expect(walked.code).toBe(1);
    const json = JSON.parse(walked.stdout);
    expect(json.findings.map((f: { file: string }) => f.file)).toEqual(["a.md"]);
    expect(json.skipped).toEqual([]); // a folder's walk takes regular files only
    const named = await scan(["zero.md", "pipe.md"], { format: "json" });
    expect(JSON.parse(named.stdout).skipped).toEqual([
      { file: "zero.md", reason: "unreadable" },
      { file: "pipe.md", reason: "unreadable" },
    ]);
    symlinkSync("/dev/zero", join(work, ".vault-scan.json"));
    const config = await scan(["a.md"]);
    expect(config.code).not.toBe(0);
    expect(config.stderr).toContain("not a regular file");
  });

  it("fails with exit 2 for a path that does not exist, without naming it", async () => {
    const result = await scan(["no-such-file-sk_live_x"]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("sk_live_x");
  });

  it("writes SARIF 2.1.0 that validates against the schema and holds no secret", async () => {
    const token = githubToken();
    writeFileSync(join(work, "SOUL.md"), `token ${token}\nSave the API key in MEMORY.md.\n`);
    const result = await scan([], { format: "sarif" });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain(token.slice(4));
    const log = JSON.parse(result.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      "github-pat",
      "agent-stores-credential",
    ]);
    expect(log.runs[0].results[0].locations[0].physicalLocation.region).toMatchObject({
      startLine: 1,
      startColumn: 7,
    });
    // A broken log is refused: the check can fail.
    expect(validate({ version: "2.1.0", runs: [{ results: [] }] })).toBe(false);
  });

  it("reports how sure each finding is: JSON confidence, SARIF level and rank, exit code by severity", async () => {
    const token = githubToken();
    writeFileSync(
      join(work, "SOUL.md"),
      `token ${token}
password = "${pick(6)}-${pick(6)}"
`,
    );
    const json = JSON.parse((await scan([], { format: "json" })).stdout);
    expect(
      json.findings.map((f: { rule: string; confidence: string }) => [f.rule, f.confidence]),
    ).toEqual([
      ["github-pat", "high"],
      ["generic-secret", "low"],
    ]);
    const sarif = await scan([], { format: "sarif" });
    expect(sarif.code).toBe(1);
    const results = JSON.parse(sarif.stdout).runs[0].results;
    expect(
      results.map((r: { level: string; rank: number; properties: { confidence: string } }) => [
        r.level,
        r.rank,
        r.properties.confidence,
      ]),
    ).toEqual([
      ["error", 90, "high"],
      ["warning", 30, "low"],
    ]);
    // A low-confidence credential alone still fails the scan (the hook's exit code).
    writeFileSync(
      join(work, "SOUL.md"),
      `password = "${pick(6)}-${pick(6)}"
`,
    );
    const text = await scan([]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("; low confidence)");
  });

  it("honours path and rule ignores from .vault-scan.json, and refuses a malformed one", async () => {
    mkdirSync(join(work, "examples"));
    writeFileSync(join(work, "examples", "a.md"), `x ${githubToken()}\n`);
    writeFileSync(join(work, "b.md"), `x ${githubToken()}\nSave the API key in MEMORY.md.\n`);
    writeFileSync(
      join(work, ".vault-scan.json"),
      JSON.stringify({ ignorePaths: ["examples/**"], ignoreRules: ["agent-stores-credential"] }),
    );
    const result = await scan(["."], { format: "json", strict: true });
    const json = JSON.parse(result.stdout);
    expect(json.findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`)).toEqual(
      ["b.md github-pat"],
    );
    writeFileSync(join(work, ".vault-scan.json"), JSON.stringify({ ignorePath: ["x"] }));
    expect((await scan(["."])).code).toBe(2);
    // A pattern whose matching would cost a path's length to the power of its "**" count.
    writeFileSync(
      join(work, ".vault-scan.json"),
      JSON.stringify({ ignorePaths: ["**/logs/**", "**/a/**/a/**/b"] }),
    );
    const costly = await scan(["."]);
    expect(costly.code).toBe(2);
    expect(costly.stderr).toContain('ignorePaths entry 2 has more than 2 "**"');
  });

  it("accepts the findings of a baseline, keeps no secret in it, and still reports new ones", async () => {
    const token = githubToken();
    writeFileSync(join(work, "MEMORY.md"), `old ${token}\n`);
    const baseline = join(work, ".vault-baseline.json");
    const update = await scan([], { baseline, updateBaseline: true });
    expect(update.code).toBe(0);
    const text = readFileSync(baseline, "utf8");
    expect(text).not.toContain(token.slice(4, 12));
    expect(JSON.parse(text).findings).toHaveLength(1);
    expect((await scan([], { baseline })).code).toBe(0);
    writeFileSync(join(work, "MEMORY.md"), `old ${token}\nnew ${githubToken()}\n`);
    const after = await scan([], { baseline });
    expect(after.code).toBe(1);
    expect(after.stdout.trim().split("\n")).toHaveLength(1);
    expect(after.stdout).toContain("MEMORY.md:2:");
  });

  it("finds the vault's own secrets without unlocking it, in every encoded form, and records the exposure", async () => {
    const value = `pw-${pick(29)}/+ä`;
    const keyFile = await vaultWith({ DB_PASSWORD: value, PIN: "1234" });
    const summary = await fingerprintVault(keyFile);
    expect(summary).toEqual({
      fingerprinted: ["DB_PASSWORD"],
      tooShort: ["PIN"],
      tooGuessable: [],
    });
    const bytes = Buffer.from(value);
    const forms = {
      raw: value,
      base64: bytes.toString("base64"),
      base64url: bytes.toString("base64url"),
      hex: bytes.toString("hex"),
      url: encodeURIComponent(value),
      json: JSON.stringify(value).slice(1, -1),
      fragment: value.slice(2, 34),
    };
    const lines = Object.entries(forms).map(([kind, form]) => `${kind}: ${form}`);
    writeFileSync(join(work, "MEMORY.md"), `# Memory\n${lines.join("\n")}\nnothing here\n`);
    // No key source at all: a vault-opening scan would fail with exit 4.
    const result = await scan([], { format: "json" });
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout).findings;
    expect(
      findings.map((f: { line: number; rule: string; secret: string }) => [
        f.line,
        f.rule,
        f.secret,
      ]),
    ).toEqual(lines.map((_, i) => [i + 2, "vault-secret", "DB_PASSWORD"]));
    expect(result.stdout).not.toContain(value.slice(4, 10));
    const exposures = await readExposures(join(home, "agents", "main"));
    expect(exposures).toHaveLength(lines.length);
    expect(exposures[0]).toEqual({
      name: "DB_PASSWORD",
      file: join(work, "MEMORY.md"),
      line: 2,
      time: "2026-11-25T12:00:00.000Z",
    });
    const exposedFile = join(home, "agents", "main", "exposed.json");
    expect(statSync(exposedFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(exposedFile, "utf8")).not.toContain(value.slice(3, 11));
    // Scanning again adds nothing for the same sightings.
    await scan([]);
    expect(await readExposures(join(home, "agents", "main"))).toHaveLength(lines.length);
  });

  it("keeps fingerprints that reveal no value, in 0600 files apart from their key", async () => {
    const value = pick(40);
    await vaultWith({ API_TOKEN: value });
    const agentDir = join(home, "agents", "main");
    await writeFingerprints(agentDir, [{ name: "API_TOKEN", value }]);
    const stored = readFileSync(join(agentDir, "fingerprints.json"), "utf8");
    for (let i = 0; i + 8 <= value.length; i += 4)
      expect(stored).not.toContain(value.slice(i, i + 8));
    expect(stored).not.toContain(Buffer.from(value).toString("hex").slice(0, 16));
    expect(statSync(join(agentDir, "fingerprints.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(agentDir, "scan.key")).mode & 0o777).toBe(0o600);
    const matcher = await readFingerprints(agentDir);
    expect(matcher?.match(`x ${value.slice(10, 34)} y`).map((m) => m.name)).toEqual(["API_TOKEN"]);
    expect(matcher?.match(`x ${value.slice(10, 25)} y`)).toEqual([]);
    // A new key makes the old set useless: the fingerprints are keyed.
    writeFileSync(join(agentDir, "scan.key"), Buffer.alloc(32, 1), { mode: 0o600 });
    expect((await readFingerprints(agentDir))?.match(value)).toEqual([]);
  });

  it("with --fix --name, moves the credential into the vault and leaves a vault reference", async () => {
    const keyFile = await vaultWith({});
    const token = githubToken();
    writeFileSync(join(work, "TOOLS.md"), `# Tools\nGitHub: ${token} (ci)\n`, { mode: 0o640 });
    const result = await scan(
      ["TOOLS.md"],
      { fix: true, name: "GITHUB_TOKEN" },
      { globals: { keyFile } },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Fixed TOOLS.md:2: github-pat → vault://main/GITHUB_TOKEN");
    expect(readFileSync(join(work, "TOOLS.md"), "utf8")).toBe(
      "# Tools\nGitHub: vault://main/GITHUB_TOKEN (ci)\n",
    );
    expect(statSync(join(work, "TOOLS.md")).mode & 0o777).toBe(0o640);
    const get = await runCli(["get", "GITHUB_TOKEN", "--key-file", keyFile], {
      env: { AGENT_VAULT_HOME: home },
    });
    expect(get.stdout.trimEnd()).toBe(token);
    const audit = await runCli(["audit", "--json", "--key-file", keyFile], {
      env: { AGENT_VAULT_HOME: home },
    });
    const ops = JSON.parse(audit.stdout).records.map(
      (r: { op: string; detail?: string }) => `${r.op} ${r.detail ?? ""}`,
    );
    expect(ops).toContain("scan-fix file=TOOLS.md line=2 rule=github-pat");
    expect(audit.stdout).not.toContain(token.slice(4));
    expect((await scan(["TOOLS.md"])).code).toBe(0);
  });

  it("with --fix, replaces all of a vault secret's value, also the parts too guessable to fingerprint", async () => {
    // Only windows costing 2^64 guesses are fingerprinted: this value's first 16 bytes and the
    // 32 after its first random part are not, so the scan finds two pieces of it two windows
    // apart; the fix must still take it whole.
    const value = `password12345678${pick(16)}aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb${pick(16)}-end`;
    const keyFile = await vaultWith({ MODEL_KEY: value });
    writeFileSync(join(work, "SOUL.md"), `key: ${value} (model)\n`);
    const found = await scan(["SOUL.md"], { json: true });
    expect(found.code).toBe(1);
    expect(JSON.parse(found.stdout).findings.length).toBeGreaterThan(1);
    const result = await scan(["SOUL.md"], { fix: true }, { globals: { keyFile } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/Fixed SOUL\.md:1/g)).toHaveLength(1);
    expect(readFileSync(join(work, "SOUL.md"), "utf8")).toBe(
      "key: vault://main/MODEL_KEY (model)\n",
    );
  });

  it("with --fix on a terminal, asks for each name and offers the rule's suggestion", async () => {
    const keyFile = await vaultWith({});
    writeFileSync(join(work, "SOUL.md"), `a ${githubToken()}\nb npm_${pick(36)}\n`);
    const result = await scan(
      [],
      { fix: true },
      { globals: { keyFile }, prompts: ["", "NPM_PUBLISH"] },
    );
    expect(result.code).toBe(0);
    expect(readFileSync(join(work, "SOUL.md"), "utf8")).toBe(
      "a vault://main/GITHUB_TOKEN\nb vault://main/NPM_PUBLISH\n",
    );
  });

  it("with --fix, refuses a symlink or a hard-linked file (the other names would keep the credential), storing nothing", async () => {
    const keyFile = await vaultWith({});
    const outside = join(dir.path, "outside.env");
    const token = githubToken();
    writeFileSync(outside, `TOKEN=${token}\n`);
    symlinkSync(outside, join(work, "AGENTS.md"));
    const viaLink = await scan(
      ["AGENTS.md"],
      { fix: true, name: "1=GH_TOKEN" },
      { globals: { keyFile } },
    );
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain("does not rewrite AGENTS.md: it is a symlink");
    expect(viaLink.stderr).not.toContain(token);
    expect(readFileSync(outside, "utf8")).toBe(`TOKEN=${token}\n`);
    expect(lstatSync(join(work, "AGENTS.md")).isSymbolicLink()).toBe(true);

    writeFileSync(join(work, "orig.md"), `token: ${token}\n`);
    linkSync(join(work, "orig.md"), join(work, "hard.md"));
    const viaHardLink = await scan(
      ["hard.md"],
      { fix: true, name: "1=GH_TOKEN" },
      { globals: { keyFile } },
    );
    expect(viaHardLink.code).toBe(2);
    expect(viaHardLink.stderr).toContain("does not rewrite hard.md: it has other hard links");
    expect(readFileSync(join(work, "orig.md"), "utf8")).toBe(`token: ${token}\n`);
    const listed = await runCli(["list", "--json", "--key-file", keyFile], {
      env: { AGENT_VAULT_HOME: home },
    });
    expect(JSON.parse(listed.stdout).secrets).toEqual([]);
  });

  it("with --fix --name LINE=NAME, names each finding, and leaves the ones it does not name", async () => {
    const keyFile = await vaultWith({});
    const [github, npm] = [githubToken(), `npm_${pick(36)}`];
    writeFileSync(join(work, "SOUL.md"), `# Soul\na ${github}\nb ${npm}\n`);
    const both = await scan(
      ["SOUL.md"],
      { fix: true, name: "2=GH_TOKEN,SOUL.md:3=NPM_PUBLISH" },
      { globals: { keyFile } },
    );
    expect(both.code, both.stderr).toBe(0);
    expect(readFileSync(join(work, "SOUL.md"), "utf8")).toBe(
      "# Soul\na vault://main/GH_TOKEN\nb vault://main/NPM_PUBLISH\n",
    );

    writeFileSync(join(work, "MEMORY.md"), `a ${githubToken()}\nb npm_${pick(36)}\n`);
    const one = await scan(
      ["MEMORY.md"],
      { fix: true, name: "1=OTHER_GH" },
      { globals: { keyFile } },
    );
    expect(one.code).toBe(1);
    expect(one.stdout).toContain("MEMORY.md:2");
    expect(readFileSync(join(work, "MEMORY.md"), "utf8")).toMatch(
      /^a vault:\/\/main\/OTHER_GH\nb npm_/,
    );

    const before = readFileSync(join(work, "MEMORY.md"), "utf8");
    const typo = await scan(
      ["MEMORY.md"],
      { fix: true, name: "9=NPM_X" },
      { globals: { keyFile } },
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("names no credential found");
    expect(readFileSync(join(work, "MEMORY.md"), "utf8")).toBe(before);
  });

  it("with --fix on a terminal, refuses a taken name at its prompt and asks again", async () => {
    const keyFile = await vaultWith({ GITHUB_TOKEN: githubToken() });
    writeFileSync(join(work, "SOUL.md"), `a ${githubToken()}\nb ${githubToken()}\n`);
    // GITHUB_TOKEN holds another value; FIRST is then taken by the first credential.
    const result = await scan(
      [],
      { fix: true },
      { globals: { keyFile }, prompts: ["", "FIRST", "FIRST", "SECOND"] },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "Secret GITHUB_TOKEN already exists with another value. Choose another name.",
    );
    expect(result.stderr).toContain("FIRST is already the name of another credential in this fix.");
    expect(readFileSync(join(work, "SOUL.md"), "utf8")).toBe(
      "a vault://main/FIRST\nb vault://main/SECOND\n",
    );
  });

  it("refuses --fix without a name off a terminal, and a name already holding another value", async () => {
    const keyFile = await vaultWith({ GITHUB_TOKEN: githubToken() });
    writeFileSync(join(work, "SOUL.md"), `a ${githubToken()}\n`);
    expect((await scan([], { fix: true }, { globals: { keyFile } })).code).toBe(2);
    const taken = await scan([], { fix: true, name: "GITHUB_TOKEN" }, { globals: { keyFile } });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("already exists");
    expect(readFileSync(join(work, "SOUL.md"), "utf8")).toMatch(/^a ghp_/);
  });

  needGit.it("with --staged, scans what the index holds, not the working tree", async () => {
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: work,
        env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
      });
    git("init", "-q");
    writeFileSync(join(work, "SOUL.md"), `token ${githubToken()}\n`);
    git("add", "SOUL.md");
    writeFileSync(join(work, "SOUL.md"), "clean now, but not staged\n");
    const staged = await scan([], { staged: true });
    expect(staged.code).toBe(1);
    expect(staged.stdout).toContain("SOUL.md:1:7: error github-pat");
    git("add", "SOUL.md");
    expect((await scan([], { staged: true })).code).toBe(0);
  });

  it("runs through the CLI with its options (vault scan is registered in run.ts)", async () => {
    writeFileSync(join(work, "SOUL.md"), `x ${githubToken()}\n`);
    const env = { AGENT_VAULT_HOME: home };
    const baseline = join(work, "b.json");
    const json = await runCli(["scan", "--json"], { env, cwd: work });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).findings[0]).toMatchObject({
      file: "SOUL.md",
      rule: "github-pat",
    });
    expect(
      (await runCli(["scan", "--baseline", baseline, "--update-baseline"], { env, cwd: work }))
        .code,
    ).toBe(0);
    expect((await runCli(["scan", "--baseline", baseline], { env, cwd: work })).code).toBe(0);
    const rules = await runCli(["scan", "--list-rules", "--json"], { env, cwd: work });
    expect(JSON.parse(rules.stdout).rules.length).toBeGreaterThan(30);
    expect((await runCli(["scan", "--format", "yaml"], { env, cwd: work })).code).toBe(2);
  });
});
