import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { seededRandom } from "../bench/scan-corpus/generate.mjs";
import type { CommandSpec } from "../src/cli/command.js";
import { hookCommands } from "../src/cli/commands/hook.js";
import { commandContext } from "../src/cli/context.js";
import { gitRoot } from "../src/scan/git.js";
import { HOOK_MARKER, installHook, uninstallHook } from "../src/scan/hook.js";
import { missingTool, need } from "./helpers/capabilities.js";
import { BIN, tempDir } from "./helpers/cli.js";
import { withGitHubChecksum } from "./helpers/test-tokens.js";

const random = seededRandom(5);
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const githubToken = () =>
  withGitHubChecksum(
    "ghp_",
    Array.from({ length: 30 }, () => ALNUM[Math.floor(random() * 62)]).join(""),
  );

let dir: { path: string; cleanup: () => void };
let repo: string;
let env: NodeJS.ProcessEnv;

function git(...args: string[]) {
  return spawnSync("git", args, { cwd: repo, env, encoding: "utf8" });
}

beforeEach(() => {
  dir = tempDir();
  repo = join(dir.path, "repo");
  mkdirSync(repo);
  env = {
    PATH: process.env.PATH,
    HOME: dir.path,
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    AGENT_VAULT_HOME: join(dir.path, "vault-home"),
  };
  execFileSync("git", ["init", "-q"], { cwd: repo, env });
  execFileSync("git", ["config", "user.name", "Test"], { cwd: repo, env });
  execFileSync("git", ["config", "user.email", "test@example.invalid"], { cwd: repo, env });
});
afterEach(() => dir.cleanup());

const hookPath = () => join(repo, ".git", "hooks", "pre-commit");
const command = () => ({ node: process.execPath, bin: BIN });

const needGit = need("git", missingTool("git"), "install git (apt-get install git)");

needGit.describe("the pre-commit hook", () => {
  it("blocks a commit of a staged SOUL.md holding a token, and lets it through once removed", async () => {
    await installHook({ cwd: repo }, command());
    writeFileSync(join(repo, "SOUL.md"), `# Soul\nGitHub token: ${githubToken()}\n`);
    expect(git("add", "SOUL.md").status).toBe(0);
    const blocked = git("commit", "-m", "leak");
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain("commit blocked");
    expect(blocked.stderr).toContain("git commit --no-verify");
    // git sends a hook's stdout to stderr.
    expect(blocked.stderr).toContain("SOUL.md:2:15: error github-pat ghp_…");
    expect(git("rev-parse", "--verify", "HEAD").status).not.toBe(0);

    writeFileSync(join(repo, "SOUL.md"), "# Soul\nGitHub token: vault://main/GITHUB_TOKEN\n");
    git("add", "SOUL.md");
    const passed = git("commit", "-m", "clean");
    expect(passed.stderr).toContain("no secrets found in 1 file(s)");
    expect(passed.status).toBe(0);
    expect(git("rev-parse", "--verify", "HEAD").status).toBe(0);
  });

  it("scans what is staged from a subfolder: its paths, the size limit, a modified file", () => {
    mkdirSync(join(repo, "docs"));
    writeFileSync(join(repo, "docs", "old.md"), "nothing yet\n");
    git("add", ".");
    expect(git("commit", "-qm", "start").status).toBe(0);
    const token = githubToken();
    writeFileSync(join(repo, "docs", "old.md"), `now: ${token}\n`);
    writeFileSync(join(repo, "SOUL.md"), `# Soul\nGitHub token: ${githubToken()}\n`);
    writeFileSync(join(repo, "docs", "big.md"), `${"a".repeat(1024 * 1024)}\n${githubToken()}\n`);
    git("add", ".");
    // Not staged: what the working tree has since.
    writeFileSync(join(repo, "docs", "old.md"), "clean again\n");
    const result = spawnSync(
      process.execPath,
      [BIN, "--agent", "ops", "scan", "--staged", "--format", "json"],
      { cwd: join(repo, "docs"), env, encoding: "utf8" },
    );
    expect(result.status, result.stderr).toBe(1);
    const json = JSON.parse(result.stdout);
    // Files outside the folder it runs in are named by their full path.
    expect(json.findings.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([
      [join(repo, "SOUL.md"), 2],
      ["old.md", 1],
    ]);
    expect(json.skipped).toEqual([{ file: "big.md", reason: "too-large" }]);
    expect(result.stdout).not.toContain(token);
  });

  it("is idempotent, chains an existing hook and restores it on uninstall", async () => {
    const original = "#!/bin/sh\necho local-hook-ran >&2\nexit 0\n";
    writeFileSync(hookPath(), original, { mode: 0o755 });
    expect((await installHook({ cwd: repo }, command())).action).toBe("chained");
    expect((await installHook({ cwd: repo }, command())).action).toBe("updated");
    expect(readFileSync(hookPath(), "utf8")).toContain(HOOK_MARKER);
    expect(readFileSync(`${hookPath()}.local`, "utf8")).toBe(original);
    expect(statSync(hookPath()).mode & 0o111).not.toBe(0);
    writeFileSync(join(repo, "a.md"), "nothing secret\n");
    git("add", "a.md");
    const commit = git("commit", "-m", "a");
    expect(commit.status).toBe(0);
    expect(commit.stderr).toContain("local-hook-ran");

    expect((await uninstallHook({ cwd: repo })).action).toBe("restored");
    expect(readFileSync(hookPath(), "utf8")).toBe(original);
    expect(existsSync(`${hookPath()}.local`)).toBe(false);
    expect((await uninstallHook({ cwd: repo })).action).toBe("absent");
    expect(readFileSync(hookPath(), "utf8")).toBe(original);
  });

  it("stops the commit when the chained hook fails, before scanning", async () => {
    writeFileSync(hookPath(), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    await installHook({ cwd: repo }, command());
    writeFileSync(join(repo, "a.md"), "x\n");
    git("add", "a.md");
    expect(git("commit", "-m", "a").status).not.toBe(0);
  });

  it("installs into core.hooksPath when it is set", async () => {
    git("config", "core.hooksPath", ".githooks");
    const result = await installHook({ cwd: repo }, command());
    expect(result.path).toBe(join(repo, ".githooks", "pre-commit"));
    expect(readFileSync(result.path, "utf8")).toContain(HOOK_MARKER);
    expect(existsSync(hookPath())).toBe(false);
    expect((await uninstallHook({ cwd: repo })).action).toBe("removed");
    expect(existsSync(result.path)).toBe(false);
  });

  it("quotes the node and bin paths it runs for the shell", async () => {
    await installHook(
      { cwd: repo },
      { node: "/opt/it's node/node", bin: "/x/bin.js", args: ["--agent", "ops"] },
    );
    expect(readFileSync(hookPath(), "utf8")).toContain(
      "'/opt/it'\\''s node/node' '/x/bin.js' '--agent' 'ops' 'scan' '--staged'",
    );
  });

  it("vault hook install writes a hook that runs this node and the CLI's bin.js", async () => {
    const spec = hookCommands.find((c) => c.name === "hook install") as CommandSpec;
    let stdout = "";
    const ctx = commandContext(
      {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
        readStdin: async () => Buffer.alloc(0),
        isTTY: false,
        promptHidden: async () => "",
        env: { PATH: process.env.PATH, AGENT_VAULT_HOME: join(dir.path, "vault-home") },
        cwd: repo,
        now: () => new Date(),
      },
      { agent: "ops" },
    );
    expect(await spec.run(ctx, [], {})).toBe(0);
    expect(stdout).toContain("Installed: ");
    const script = readFileSync(hookPath(), "utf8");
    expect(script).toContain(`'${process.execPath}'`);
    expect(script).toMatch(/cli\/bin\.js' '--agent' 'ops' 'scan' '--staged'/);
    chmodSync(hookPath(), 0o755);
  });
});

/** `git rev-parse --show-toplevel` in `cwd`: the root or, when git refuses, its error. */
function showToplevel(cwd: string, extra: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync("git", ["rev-parse", "--show-toplevel"], {
    cwd,
    env: { ...env, ...extra },
    encoding: "utf8",
  });
  return result.status === 0 ? result.stdout.trim() : `fails: ${result.stderr.trim()}`;
}

/** gitRoot in `cwd`, with git on the PATH or (`withoutGit`) with none. */
function rootOf(cwd: string, extra: NodeJS.ProcessEnv = {}, withoutGit = false): Promise<string> {
  const withEnv = { ...env, ...extra, ...(withoutGit ? { PATH: join(dir.path, "no-bin") } : {}) };
  return gitRoot({ cwd, env: withEnv }).then(
    (root) => root,
    () => "fails",
  );
}

needGit.describe("the repository root of a staged scan", () => {
  beforeEach(() => {
    writeFileSync(join(repo, "a.md"), "a\n");
    git("add", "a.md");
    expect(git("commit", "-qm", "a").status).toBe(0);
  });

  it("is the working folder at a work tree's top, read without running git", async () => {
    const top = realpathSync(repo);
    expect(showToplevel(top)).toBe(top);
    expect(await rootOf(top, {}, true)).toBe(top);
    // A linked worktree (`.git` is a file naming its folder), run directly or from its hook.
    const linked = join(realpathSync(dir.path), "linked");
    expect(git("worktree", "add", "-q", linked).status).toBe(0);
    expect(showToplevel(linked)).toBe(linked);
    expect(await rootOf(linked, {}, true)).toBe(linked);
    const hookEnv = { GIT_DIR: join(top, ".git", "worktrees", "linked") };
    expect(showToplevel(linked, hookEnv)).toBe(linked);
    expect(await rootOf(linked, hookEnv, true)).toBe(linked);
  });

  it("is git's answer wherever the working folder may not be the top", async () => {
    const top = realpathSync(repo);
    mkdirSync(join(top, "docs", "inner", ".git"), { recursive: true });
    mkdirSync(join(top, "docs", "other", ".git"), { recursive: true });
    writeFileSync(join(top, "docs", "other", ".git", "config"), "[core]\n");
    const link = join(realpathSync(dir.path), "link");
    symlinkSync(top, link);
    const cases: Array<[string, NodeJS.ProcessEnv]> = [
      [join(top, "docs"), {}],
      // An empty `.git` folder is no repository: git looks above it.
      [join(top, "docs", "inner"), {}],
      [join(top, "docs", "other"), {}],
      [link, {}],
      [top, { GIT_WORK_TREE: join(top, "docs") }],
      [join(top, "docs"), { GIT_DIR: join(top, ".git") }],
      [join(top, ".git"), {}],
      [top, { GIT_DIR: join(top, ".git"), GIT_IMPLICIT_WORK_TREE: "0" }],
      [top, { GIT_COMMON_DIR: join(top, "docs") }],
    ];
    for (const [cwd, extra] of cases) {
      expect(await rootOf(cwd, extra), `${cwd} ${JSON.stringify(extra)}`).toBe(
        showToplevel(cwd, extra).startsWith("fails") ? "fails" : showToplevel(cwd, extra),
      );
    }
    git("config", "core.worktree", join(top, "docs"));
    expect(await rootOf(top)).toBe(join(top, "docs"));
    git("config", "--unset", "core.worktree");
    git("config", "core.bare", "true");
    expect(showToplevel(top)).toMatch(/^fails/);
    expect(await rootOf(top)).toBe("fails");
  });

  it("names a submodule's staged files from the submodule, its config naming its work tree", () => {
    const library = join(dir.path, "library");
    mkdirSync(library);
    execFileSync("git", ["init", "-q"], { cwd: library, env });
    writeFileSync(join(library, "README.md"), "library\n");
    execFileSync("git", ["add", "."], { cwd: library, env });
    execFileSync(
      "git",
      ["-c", "user.name=T", "-c", "user.email=t@e.invalid", "commit", "-qm", "l"],
      {
        cwd: library,
        env,
      },
    );
    const added = git("-c", "protocol.file.allow=always", "submodule", "add", "-q", library, "lib");
    expect(added.status, added.stderr).toBe(0);
    const sub = join(realpathSync(repo), "lib");
    writeFileSync(join(sub, "SOUL.md"), `# Soul\nGitHub token: ${githubToken()}\n`);
    execFileSync("git", ["add", "SOUL.md"], { cwd: sub, env });
    const result = spawnSync(process.execPath, [BIN, "scan", "--staged"], {
      cwd: sub,
      env,
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain("SOUL.md:2:15: error github-pat");
  });

  it("blocks a commit in a linked worktree through its hook (git sets GIT_DIR)", async () => {
    await installHook({ cwd: repo }, command());
    const linked = join(dir.path, "linked");
    expect(git("worktree", "add", "-q", linked).status).toBe(0);
    mkdirSync(join(linked, "memory"));
    writeFileSync(join(linked, "memory", "notes today.md"), `token ${githubToken()}\n`);
    const run = (...args: string[]) =>
      spawnSync("git", args, { cwd: linked, env, encoding: "utf8" });
    expect(run("add", ".").status).toBe(0);
    const blocked = run("commit", "-m", "leak");
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain("memory/notes today.md:1:7: error github-pat");
  });
});

needGit.describe("the staged read (one process: the diff, then cat-file)", () => {
  /** `vault scan --staged --format json` in the repository: its code and report. */
  function scanStaged(extra: NodeJS.ProcessEnv = {}) {
    const result = spawnSync(process.execPath, [BIN, "scan", "--staged", "--format", "json"], {
      cwd: repo,
      env: { ...env, ...extra },
      encoding: "utf8",
    });
    return {
      code: result.status,
      stderr: result.stderr,
      json: result.stdout ? JSON.parse(result.stdout) : undefined,
    };
  }

  it("reads files whose names hold spaces, a newline and non-ASCII, and a renamed file by its new name, not a deleted one", () => {
    writeFileSync(join(repo, "old name.md"), `moved: ${githubToken()}\n`);
    writeFileSync(join(repo, "gone.md"), `gone: ${githubToken()}\n`);
    writeFileSync(join(repo, "kept.md"), "nothing\n");
    git("add", ".");
    expect(git("commit", "-qm", "start", "--no-verify").status).toBe(0);
    expect(git("mv", "old name.md", "new name.md").status).toBe(0);
    expect(git("rm", "-q", "gone.md").status).toBe(0);
    writeFileSync(join(repo, "ünï cödé.md"), `token ${githubToken()}\n`);
    writeFileSync(join(repo, "two\nlines.md"), `token ${githubToken()}\n`);
    writeFileSync(join(repo, "kept.md"), `now: ${githubToken()}\n`);
    git("add", ".");
    const { code, json } = scanStaged();
    expect(code).toBe(1);
    expect(json.findings.map((f: { file: string; line: number }) => f.file).sort()).toEqual(
      ["kept.md", "new name.md", "two\nlines.md", "ünï cödé.md"].sort(),
    );
  });

  it("scans no file when nothing is staged, and says so when git is missing or this is no repository", () => {
    expect(scanStaged()).toMatchObject({ code: 0, json: { findings: [], skipped: [] } });
    const noGit = scanStaged({ PATH: join(dir.path, "no-bin") });
    expect(noGit.code).toBe(2);
    expect(noGit.stderr).toContain("Could not run git (ENOENT).");
    const outside = spawnSync(process.execPath, [BIN, "scan", "--staged"], {
      cwd: dir.path,
      env: { ...env, GIT_CEILING_DIRECTORIES: dir.path },
      encoding: "utf8",
    });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain("This folder is not in a git repository.");
    const bare = join(dir.path, "bare.git");
    execFileSync("git", ["init", "-q", "--bare", bare], { env });
    const inBare = spawnSync(process.execPath, [BIN, "scan", "--staged"], {
      cwd: bare,
      env,
      encoding: "utf8",
    });
    expect(inBare.status).toBe(2);
    expect(inBare.stderr).toContain("git rev-parse failed (exit 128).");
  });
});
