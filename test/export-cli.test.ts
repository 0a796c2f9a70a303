import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseGithubEnvFile, parseWorkflowCommands } from "./fixtures/export/github-runner.js";
import { parseGitlabDotenv } from "./fixtures/export/gitlab-dotenv.js";
import { BIN, ROOT, runCli, tempDir } from "./helpers/cli.js";
import { readStoredAudit, readStoredVault, usesFileStoreByDesign } from "./helpers/test-store.js";

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
let canary: string;

/** Values chosen to break quoting; none ends in a newline (`vault set` strips one). */
let values: Record<string, string>;

beforeEach(async () => {
  ({ path: dir, cleanup } = tempDir("agent-vault-env-"));
  env = { AGENT_VAULT_HOME: join(dir, "home"), HOME: dir };
  canary = join(dir, "canary");
  values = {
    API_KEY: `it's $(touch ${canary}) "q" \\ % = # end`,
    CERT: `-----BEGIN KEY-----\nMIIB \`touch ${canary}\`\r\nEOF\nINJECTED=1\n-----END KEY-----`,
    TOKEN: "abcdefgh12345678",
  };
  const init = await runCli(
    ["init", "--key-source", "keyfile", "--key-file", join(dir, "main.key")],
    { env },
  );
  expect(init.code, init.stderr).toBe(0);
  await set("API_KEY", values.API_KEY as string);
  await set("CERT", values.CERT as string, "--tag", "ci");
  await set("TOKEN", values.TOKEN as string, "--env", "GH_PAT", "--tag", "ci");
});

afterEach(() => cleanup());

async function set(name: string, value: string, ...flags: string[]) {
  const result = await runCli(["set", name, ...flags], { env, stdin: value });
  expect(result.code, result.stderr).toBe(0);
}

async function vaultEnv(args: string[], extraEnv: Record<string, string> = {}) {
  return runCli(["env", ...args], { env: { ...env, ...extraEnv } });
}

/** The export records of the audit log, and the raw bytes of every audit file. */
async function exportAudit() {
  const result = await runCli(["audit", "--json"], { env });
  expect(result.code, result.stderr).toBe(0);
  const records = (
    JSON.parse(result.stdout).records as Array<{
      op: string;
      secret?: string;
      detail?: string;
      result: string;
    }>
  ).filter((r) => r.op === "export");
  return records.map(({ secret, detail, result: outcome }) => ({ secret, detail, outcome }));
}

/**
 * Every file under the agent-vault home and what the store holds for the agent (its vault and
 * audit log, in files or in database rows), concatenated (to look for values in it).
 */
async function homeBytes(): Promise<string> {
  const root = join(dir, "home");
  const all: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, name.name);
      if (name.isDirectory()) walk(full);
      else all.push(readFileSync(full, "latin1"));
    }
  };
  walk(root);
  const vault = await readStoredVault(root, "main");
  if (vault) all.push(vault.toString("latin1"));
  const audit = await readStoredAudit(root, "main");
  all.push(...audit.lines, audit.head ?? "");
  return all.join("\n");
}

const expected = () => ({
  API_KEY: values.API_KEY,
  CERT: values.CERT,
  GH_PAT: values.TOKEN,
});

describe("vault env formats", () => {
  it("prints dotenv by default, read back exactly by dotenv, under the env alias", async () => {
    const result = await vaultEnv([]);
    expect(result.code, result.stderr).toBe(0);
    expect(parseDotenv(result.stdout)).toEqual(expected());
    expect(result.stdout).not.toContain("TOKEN=");
  });

  it("refuses dotenv for a value dotenv cannot carry, naming the secret, not the value", async () => {
    await set("AWKWARD", "'\"`\r tail");
    const result = await vaultEnv(["--strict", "--only", "AWKWARD,TOKEN"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("AWKWARD");
    expect(result.stderr).toContain("--format json or --format shell");
    expect(result.stderr).not.toContain("tail");
    expect(result.stderr).not.toContain(values.TOKEN);
  });

  it("prints shell exports that bash evaluates back exactly without running the payloads", async () => {
    const result = await vaultEnv(["--format", "shell"]);
    expect(result.code, result.stderr).toBe(0);
    writeFileSync(join(dir, "exports.sh"), result.stdout);
    const shell = spawnSync(
      "bash",
      ["-c", `eval "$(cat exports.sh)"; printf '%s\\0' "$API_KEY" "$CERT" "$GH_PAT"`],
      { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } },
    );
    expect(shell.status).toBe(0);
    expect(shell.stdout.toString("utf8").split("\0").slice(0, -1)).toEqual(
      Object.values(expected()),
    );
    expect(existsSync(canary)).toBe(false);
  });

  it("prints one JSON object", async () => {
    const result = await vaultEnv(["--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected());
  });

  it("prints a GitLab dotenv report with a warning per value GitLab cannot mask", async () => {
    await set("SHORT", "abc");
    const refused = await vaultEnv(["--format", "gitlab", "--strict"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("CERT");
    const result = await vaultEnv(["--format", "gitlab", "--only", "TOKEN,SHORT,API_KEY"]);
    expect(result.code, result.stderr).toBe(0);
    expect(Object.fromEntries(parseGitlabDotenv(result.stdout))).toEqual({
      API_KEY: values.API_KEY,
      SHORT: "abc",
      GH_PAT: values.TOKEN,
    });
    const warnings = result.stderr.split("\n").filter((line) => line.includes("cannot mask"));
    expect(warnings).toHaveLength(2);
    expect(warnings.join("\n")).toMatch(/SHORT.*shorter than 8/);
    expect(warnings.join("\n")).toMatch(/API_KEY.*outside the Base64 alphabet/);
    expect(result.stderr).not.toContain("abc\n");
    expect(result.stderr).not.toContain("touch");
  });

  it("refuses an unknown format as a usage error", async () => {
    const result = await vaultEnv(["--format", "yaml", "--json"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.code).toBe("USAGE");
  });
});

describe("vault env --format github", () => {
  it("refuses without $GITHUB_ENV or --out, before reading any value", async () => {
    const result = await vaultEnv(["--format", "github"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("GITHUB_ENV");
    expect(await exportAudit()).toEqual([]);
  });

  it("prints the masks first, then appends NAME<<DELIM blocks to $GITHUB_ENV, never $GITHUB_OUTPUT", async () => {
    const githubEnv = join(dir, "set_env_1");
    const githubOutput = join(dir, "set_output_1");
    writeFileSync(githubEnv, "EARLIER=kept\n");
    writeFileSync(githubOutput, "");
    const result = await vaultEnv(["--format", "github"], {
      GITHUB_ENV: githubEnv,
      GITHUB_OUTPUT: githubOutput,
    });
    expect(result.code, result.stderr).toBe(0);
    const commands = parseWorkflowCommands(result.stdout);
    expect(commands.every((c) => c.command === "add-mask")).toBe(true);
    const masked = commands.map((c) => c.data);
    expect(masked).toEqual([
      values.API_KEY,
      values.CERT,
      "-----BEGIN KEY-----",
      `MIIB \`touch ${canary}\``,
      "EOF",
      "INJECTED=1",
      "-----END KEY-----",
      values.TOKEN,
    ]);
    const parsed = parseGithubEnvFile(readFileSync(githubEnv, "utf8"));
    expect(Object.fromEntries(parsed)).toEqual({ EARLIER: "kept", ...expected() });
    expect(readFileSync(githubOutput, "utf8")).toBe("");
    expect(result.stderr).toContain("Exported 3 variables");
  });

  it("writes CRLF lines when $RUNNER_OS is Windows", async () => {
    const githubEnv = join(dir, "set_env_win");
    const result = await vaultEnv(["--format", "github", "--only", "CERT"], {
      GITHUB_ENV: githubEnv,
      RUNNER_OS: "Windows",
    });
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(githubEnv, "utf8");
    expect(text).toMatch(/^CERT<<ghadelimiter_[0-9a-f]{32}\r\n/);
    expect(parseGithubEnvFile(text, { windows: true }).get("CERT")).toBe(values.CERT);
  });

  it("writes to --out when given, even without $GITHUB_ENV", async () => {
    const out = join(dir, "github.env");
    const result = await vaultEnv(["--format", "github", "--tag", "ci", "--out", out, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.filter((line) => line.startsWith("::add-mask::"))).toHaveLength(7);
    const summary = JSON.parse(lines.filter((line) => !line.startsWith("::")).join("\n"));
    expect(summary).toEqual({
      agent: "main",
      format: "github",
      file: out,
      names: ["CERT", "GH_PAT"],
      skipped: [],
    });
    expect(Object.fromEntries(parseGithubEnvFile(readFileSync(out, "utf8")))).toEqual({
      CERT: values.CERT,
      GH_PAT: values.TOKEN,
    });
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it("refuses a $GITHUB_ENV that is a symlink", async () => {
    writeFileSync(join(dir, "elsewhere"), "");
    symlinkSync(join(dir, "elsewhere"), join(dir, "link_env"));
    const result = await vaultEnv(["--format", "github"], { GITHUB_ENV: join(dir, "link_env") });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("symlink");
    expect(readFileSync(join(dir, "elsewhere"), "utf8")).toBe("");
  });
});

describe("vault env selection", () => {
  it("selects with --only (commas or repeated), --tag and --prefix", async () => {
    const only = await vaultEnv(["--format", "json", "--only", "API_KEY", "--only", "TOKEN"]);
    expect(Object.keys(JSON.parse(only.stdout))).toEqual(["API_KEY", "GH_PAT"]);
    const commas = await vaultEnv(["--format", "json", "--only", "CERT,TOKEN"]);
    expect(Object.keys(JSON.parse(commas.stdout))).toEqual(["CERT", "GH_PAT"]);
    const tagged = await vaultEnv(["--format", "json", "--tag", "ci"]);
    expect(Object.keys(JSON.parse(tagged.stdout))).toEqual(["CERT", "GH_PAT"]);
    const prefixed = await vaultEnv(["--format", "json", "--prefix", "APP_", "--tag", "ci"]);
    expect(JSON.parse(prefixed.stdout)).toEqual({
      APP_CERT: values.CERT,
      APP_GH_PAT: values.TOKEN,
    });
  });

  it("fails for an --only name that does not exist, and for an invalid prefix", async () => {
    const missing = await vaultEnv(["--only", "NOPE", "--json"]);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout).error.code).toBe("SECRET_NOT_FOUND");
    const badPrefix = await vaultEnv(["--prefix", "1-", "--json"]);
    expect(badPrefix.code).toBe(2);
    expect(JSON.parse(badPrefix.stdout).error.code).toBe("INVALID_INPUT");
    const empty = await vaultEnv(["--only", "A,,B"]);
    expect(empty.code).toBe(2);
  });

  it("prints nothing and says so when no secret matches the tag", async () => {
    const result = await vaultEnv(["--format", "json", "--tag", "none"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({});
    expect(result.stderr).toContain("No secrets selected");
  });
});

describe("vault env dangerous names", () => {
  it("refuses NODE_OPTIONS, an LD_ alias and a GITHUB_ prefix unless each name is allowed", async () => {
    await set("NODE_OPTIONS", "--require ./evil.js");
    await set("PRELOAD", "/tmp/evil.so", "--env", "LD_PRELOAD");
    const refused = await vaultEnv(["--format", "json", "--strict"]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain("NODE_OPTIONS");
    expect(refused.stderr).toContain("--allow-name NODE_OPTIONS");
    expect(refused.stderr).not.toContain("evil");

    const partly = await vaultEnv(["--format", "json", "--strict", "--allow-name", "NODE_OPTIONS"]);
    expect(partly.code).toBe(2);
    expect(partly.stderr).toContain("PRELOAD (as LD_PRELOAD)");

    const allowed = await vaultEnv(["--format", "json", "--allow-name", "NODE_OPTIONS,LD_PRELOAD"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({
      NODE_OPTIONS: "--require ./evil.js",
      LD_PRELOAD: "/tmp/evil.so",
    });

    const prefixed = await vaultEnv(["--strict", "--prefix", "GITHUB_", "--only", "TOKEN"]);
    expect(prefixed.code).toBe(2);
    expect(prefixed.stderr).toContain("GITHUB_GH_PAT");
    const prefixedAllowed = await vaultEnv([
      "--prefix",
      "GITHUB_",
      "--only",
      "TOKEN",
      "--allow-name",
      "GITHUB_GH_PAT",
    ]);
    expect(prefixedAllowed.code, prefixedAllowed.stderr).toBe(0);
  });

  it("skips GITHUB_TOKEN with the alias to use instead, GH_TOKEN, which GitHub's CLI reads", async () => {
    await set("GITHUB_TOKEN", "ghp_not-shown-either");
    const result = await vaultEnv(["--format", "shell"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("vault set GITHUB_TOKEN --env GH_TOKEN");
    expect(result.stdout).toContain("GH_PAT");
    expect(`${result.stdout}${result.stderr}`).not.toContain("not-shown-either");
  });

  it("skips a refused secret, exports the others and says which and why on stderr", async () => {
    await set("NODE_OPTIONS", "--require ./not-shown.js");
    for (const format of ["dotenv", "shell", "json", "gitlab"]) {
      const result = await vaultEnv(["--format", format]);
      expect(result.code, `${format}: ${result.stderr}`).toBe(0);
      expect(result.stderr).toContain("vault: skipped NODE_OPTIONS: ");
      expect(result.stdout).toContain("GH_PAT");
      expect(result.stdout).not.toContain("not-shown");
      expect(`${result.stdout}${result.stderr}`).not.toContain("NODE_OPTIONS=");
    }
    // gitlab cannot carry the multi-line CERT either: skipped too, the rest exported.
    const gitlab = await vaultEnv(["--format", "gitlab"]);
    expect(gitlab.stderr).toContain("vault: skipped CERT:");
    expect(Object.fromEntries(parseGitlabDotenv(gitlab.stdout))).toEqual({
      API_KEY: values.API_KEY,
      GH_PAT: values.TOKEN,
    });
    const out = join(dir, "ci.json");
    const json = await vaultEnv(["--format", "json", "--out", out, "--json"]);
    expect(JSON.parse(json.stdout).skipped).toEqual([
      {
        name: "NODE_OPTIONS",
        variable: "NODE_OPTIONS",
        code: "INVALID_INPUT",
        reason: expect.stringContaining("--require"),
      },
    ]);
    expect(Object.keys(JSON.parse(readFileSync(out, "utf8"))).sort()).toEqual([
      "API_KEY",
      "CERT",
      "GH_PAT",
    ]);
    const strict = await vaultEnv(["--format", "json", "--strict"]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe("");
  });

  it("refuses a secret exported as GIT_DIR (a later git would run the commands of its config) unless allowed", async () => {
    await set("REPO", "/tmp/crafted-repo", "--env", "GIT_DIR");
    await set("KUBE", "/tmp/crafted-kubeconfig", "--env", "KUBECONFIG");
    const githubEnv = join(dir, "github_env");
    for (const format of ["github", "shell", "dotenv"]) {
      const refused = await vaultEnv(["--format", format, "--only", "REPO", "--strict"], {
        GITHUB_ENV: githubEnv,
      });
      expect(refused.code, format).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain("REPO (as GIT_DIR)");
      expect(refused.stderr).toContain("--allow-name GIT_DIR");
      expect(refused.stderr).not.toContain("crafted");
    }
    expect(existsSync(githubEnv)).toBe(false);
    expect((await vaultEnv(["--only", "KUBE", "--strict"])).stderr).toContain(
      "--allow-name KUBECONFIG",
    );
    const allowed = await vaultEnv([
      "--format",
      "json",
      "--only",
      "REPO",
      "--allow-name",
      "GIT_DIR",
    ]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout)).toEqual({ GIT_DIR: "/tmp/crafted-repo" });
  });

  it("refuses two secrets exported under the same name", async () => {
    await set("OTHER", "x", "--env", "API_KEY");
    const result = await vaultEnv(["--format", "shell"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("API_KEY and OTHER would both be exported as API_KEY");
  });
});

describe("vault env --out", () => {
  it("creates the file with mode 0600 and replaces an existing one", async () => {
    const out = join(dir, "secrets.env");
    const first = await vaultEnv(["--out", out]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe("");
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(parseDotenv(readFileSync(out))).toEqual(expected());
    writeFileSync(out, "STALE=1\n".repeat(1000), { mode: 0o644 });
    const second = await vaultEnv(["--format", "json", "--out", out, "--only", "TOKEN"]);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ GH_PAT: values.TOKEN });
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it("refuses to write through a symlink", async () => {
    writeFileSync(join(dir, "target"), "untouched");
    symlinkSync(join(dir, "target"), join(dir, "out-link"));
    const result = await vaultEnv(["--out", join(dir, "out-link")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("symlink");
    expect(readFileSync(join(dir, "target"), "utf8")).toBe("untouched");
    // Refused before the vault was opened: no value left it.
    expect(await exportAudit()).toEqual([]);
  });
});

describe("vault env audit", () => {
  it("records one export per secret with the format, and never a value", async () => {
    const githubEnv = join(dir, "gh_env");
    expect((await vaultEnv(["--format", "shell", "--only", "API_KEY"])).code).toBe(0);
    expect(
      (await vaultEnv(["--format", "github", "--tag", "ci"], { GITHUB_ENV: githubEnv })).code,
    ).toBe(0);
    await set("NODE_OPTIONS", "--require ./evil.js");
    expect((await vaultEnv(["--format", "json", "--only", "NODE_OPTIONS", "--strict"])).code).toBe(
      2,
    );
    expect((await vaultEnv(["--format", "json", "--only", "NODE_OPTIONS"])).code).toBe(0);
    expect(await exportAudit()).toEqual([
      { secret: "API_KEY", detail: "format=shell", outcome: "ok" },
      { secret: "CERT", detail: "format=github", outcome: "ok" },
      { secret: "TOKEN", detail: "format=github", outcome: "ok" },
      { secret: "NODE_OPTIONS", detail: "format=json", outcome: "ok" },
      { secret: "NODE_OPTIONS", detail: "format=json refused", outcome: "denied" },
      { secret: "NODE_OPTIONS", detail: "format=json", outcome: "ok" },
      { secret: "NODE_OPTIONS", detail: "format=json refused", outcome: "denied" },
    ]);
    const stored = await homeBytes();
    for (const value of [...Object.values(values), "--require ./evil.js"]) {
      expect(stored).not.toContain(value);
    }
  });
});

describe("vault env end to end", () => {
  it('works as eval "$(vault env --format shell)" with the built bin', () => {
    const cliEnv = { ...env, PATH: process.env.PATH ?? "/usr/bin:/bin", VAULT: BIN };
    const script = `eval "$(node "$VAULT" env --format shell --only API_KEY)" && printf '%s' "$API_KEY"`;
    const shell = spawnSync("sh", ["-c", script], { cwd: dir, env: cliEnv, encoding: "utf8" });
    expect(shell.stderr).toBe("");
    expect(shell.status).toBe(0);
    expect(shell.stdout).toBe(values.API_KEY);
    expect(existsSync(canary)).toBe(false);
  });
});

/** The `run:` script of each named step of a workflow file (plain or `|` block scalars). */
function workflowRunBlocks(yml: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const lines = yml.split("\n");
  const indentOf = (line: string) => line.length - line.trimStart().length;
  let step: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const name = /^\s*- name: (.*)$/.exec(line);
    if (name) step = name[1];
    const run = /^(\s*)(?:- )?run: (.*)$/.exec(line);
    if (!run || step === undefined) continue;
    if (run[2] !== "|") {
      blocks.set(step, run[2] as string);
      continue;
    }
    const indent = (run[1] as string).length;
    const body: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1] as string;
      if (next.trim() !== "" && indentOf(next) <= indent) break;
      body.push(next.slice(indent + 2));
      i++;
    }
    blocks.set(step, body.join("\n"));
  }
  return blocks;
}

describe("examples/github-actions-env.yml", () => {
  it("runs its steps as a runner would: vault home from the committed file, secrets into later steps", async () => {
    const blocks = workflowRunBlocks(
      readFileSync(join(ROOT, "examples/github-actions-env.yml"), "utf8"),
    );
    await set("DEPLOY_TOKEN", "dt_0123456789abcdef", "--tag", "ci");
    const ci = await runCli(["key", "add-ci", "github-deploy"], { env });
    expect(ci.code, ci.stderr).toBe(0);
    const ciKey = ci.stdout.trim();

    // The checkout: the vault file committed with a checkout's mode. The runner's home is a
    // file store whatever store the vault came from (on PostgreSQL: its row's bytes, the same
    // encoding as the file).
    usesFileStoreByDesign(dir);
    const repo = join(dir, "repo");
    mkdirSync(join(repo, "ci/agent-vault"), { recursive: true });
    const committed = await readStoredVault(join(dir, "home"), "main");
    expect(committed).toBeDefined();
    writeFileSync(join(repo, "ci/agent-vault/vault.json"), committed as Buffer);
    chmodSync(join(repo, "ci/agent-vault/vault.json"), 0o644);
    // `vault` on PATH, as `npm install --global` would put it.
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin/vault"), `#!/bin/sh\nexec node '${BIN}' "$@"\n`, { mode: 0o755 });
    mkdirSync(join(dir, "runner-temp"));
    const githubEnv = join(dir, "set_env_ci");
    writeFileSync(githubEnv, "");
    const runnerEnv = () => ({
      PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: join(dir, "runner-home"),
      RUNNER_TEMP: join(dir, "runner-temp"),
      GITHUB_ENV: githubEnv,
      ...Object.fromEntries(parseGithubEnvFile(readFileSync(githubEnv, "utf8"))),
    });
    const step = (name: string, extra: Record<string, string> = {}) => {
      const script = blocks.get(name);
      expect(script, name).toBeDefined();
      return spawnSync("bash", ["-e", "-c", script as string], {
        cwd: repo,
        env: { ...runnerEnv(), ...extra },
        encoding: "utf8",
      });
    };

    const home = step("Put the vault file in a private agent-vault home");
    expect(home.status, home.stderr).toBe(0);
    const exported = step("Export the CI secrets to the later steps", { AGENT_VAULT_KEY: ciKey });
    expect(exported.status, exported.stderr).toBe(0);
    expect(parseWorkflowCommands(exported.stdout).every((c) => c.command === "add-mask")).toBe(
      true,
    );
    expect(parseWorkflowCommands(exported.stdout).map((c) => c.data)).toContain(
      "dt_0123456789abcdef",
    );
    expect(runnerEnv()).toMatchObject({
      DEPLOY_TOKEN: "dt_0123456789abcdef",
      CERT: values.CERT,
      GH_PAT: values.TOKEN,
    });
    expect(runnerEnv()).not.toHaveProperty("API_KEY");
    const deploy = step("Deploy");
    expect(deploy.status, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain("a token of 19 characters");
  });
});
