/**
 * `vault scan --history` on real repositories the tests build: several hundred commits with
 * tokens planted along them, on branches, in a renamed file, a merged branch, a binary file and
 * a file over the size limit; vault secrets found in the history; the remembered position.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from "vitest";
import { buildHistoryRepo } from "../bench/history-repo.mjs";
import type { CliIo } from "../src/cli/io.js";
import { run } from "../src/cli/run.js";
import { readExposures } from "../src/exports/scan.js";
import { createVault, keyFileKey, type Vault } from "../src/index.js";
import { missingTool, need } from "./helpers/capabilities.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { git, type HistoryJsonFinding as JsonFinding } from "./helpers/git.js";
import { sarifValidator } from "./helpers/sarif.js";
import { prepareHome } from "./helpers/test-store.js";
import { withGitHubChecksum } from "./helpers/test-tokens.js";

const needGit = need("git", missingTool("git"), "install git (apt-get install git)");

let dir: { path: string; cleanup: () => void };
let home: string;

beforeEach(() => {
  dir = tempDir();
  home = join(dir.path, "home");
  prepareHome(home);
});
afterEach(() => dir.cleanup());

const scanHistory = (cwd: string, ...args: string[]) =>
  runCli(["scan", "--history", ...args], {
    cwd,
    env: { AGENT_VAULT_HOME: home, PATH: process.env.PATH },
  });

describe("vault scan --history on a generated repository", () => {
  let shared: { path: string; cleanup: () => void };
  let repo: string;
  let built: ReturnType<typeof buildHistoryRepo>;
  beforeAll(() => {
    if (needGit.skipped && !needGit.problem) return;
    shared = tempDir();
    repo = join(shared.path, "repo");
    built = buildHistoryRepo(repo, { commits: 400, seed: 7, plantEvery: 9 });
  });
  afterAll(() => shared?.cleanup());

  needGit.it(
    "finds every planted token at the commit that added it, each once, and skips the binary and the large file",
    async () => {
      expect(built.commits).toBe(400);
      expect(built.planted.length).toBeGreaterThan(40);
      const result = await scanHistory(repo, "--format", "json");
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.commits).toBe(400);
      const found = (report.findings as JsonFinding[])
        .filter((f) => f.severity === "error")
        .map((f) => `${f.commit} ${f.file}:${f.line} ${f.rule}`);
      const expected = built.planted.map(
        (p) => `${built.commitOf(p.mark)} ${p.path}:${p.line} github-pat`,
      );
      expect(new Set(found).size, "nothing is reported twice").toBe(found.length);
      expect(found.sort()).toEqual(expected.sort());
      expect(report.skipped).toEqual(
        built.skipped.map((s) => ({
          file: s.path,
          reason: s.reason,
          commit: built.commitOf(s.mark),
        })),
      );
      for (const f of report.findings as JsonFinding[]) {
        expect(f.date).toMatch(/^2023-|^2024-/);
      }
      for (const token of built.tokens) expect(result.stdout).not.toContain(token.slice(4));
    },
  );

  needGit.it(
    "reports the renamed file and the file added again under their first commit only",
    async () => {
      const result = await scanHistory(repo, "--format", "json");
      const files = (JSON.parse(result.stdout).findings as JsonFinding[]).map((f) => f.file);
      expect(files).toContain("notes/creds.md");
      expect(files).not.toContain("archive/creds.md");
      expect(files.filter((file) => file === "tmp/token.md")).toHaveLength(1);
      expect(files).toContain("experiment.md");
      expect(files.filter((file) => file.startsWith("feature/"))).toHaveLength(2);
    },
  );

  needGit.it("scans only a range, and only paths, when given them", async () => {
    const range = await scanHistory(repo, "main~50..main", "--format", "json");
    const inRange = new Set(git(repo, "rev-list", "main~50..main").split("\n"));
    const rangeFindings = JSON.parse(range.stdout).findings as JsonFinding[];
    expect(rangeFindings.length).toBeGreaterThan(0);
    expect(rangeFindings.every((f) => inRange.has(f.commit))).toBe(true);
    const paths = await scanHistory(repo, "--format", "json", "SOUL.md");
    const pathFindings = JSON.parse(paths.stdout).findings as JsonFinding[];
    expect(pathFindings.length).toBeGreaterThan(0);
    expect(pathFindings.every((f) => f.file === "SOUL.md")).toBe(true);
  });

  needGit.it("puts the commit in each SARIF location's properties", async () => {
    const result = await scanHistory(repo, "--format", "sarif");
    const log = JSON.parse(result.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(40);
    for (const r of results) {
      expect(r.locations[0].properties.commit).toMatch(/^[0-9a-f]{40}$/);
    }
  });
});

describe("vault scan --history, by hand-made repositories", () => {
  let repo: string;
  beforeEach(() => {
    repo = join(dir.path, "repo");
    mkdirSync(repo);
    if (!needGit.skipped && !needGit.problem) git(repo, "init", "-q", "-b", "main");
  });
  const commitFile = (path: string, content: string, message = "edit") => {
    mkdirSync(join(repo, path, ".."), { recursive: true });
    writeFileSync(join(repo, path), content);
    git(repo, "add", "--", path);
    git(repo, "commit", "-q", "-m", message);
    return git(repo, "rev-parse", "HEAD");
  };
  const ghp = () =>
    withGitHubChecksum(
      "ghp_",
      randomBytes(27).toString("base64").replace(/[+/]/g, "x").slice(0, 30),
    );

  needGit.it(
    "reads only new commits with --since last, keeps the position in a 0600 file, and copes with a rewritten branch",
    async () => {
      commitFile("MEMORY.md", `first ${ghp()}\n`);
      const whole = await scanHistory(repo);
      expect(whole.code).toBe(1);
      expect((await scanHistory(repo, "--since", "last")).code, "nothing new").toBe(0);
      const added = commitFile("notes.md", `second ${ghp()}\n`);
      const next = await scanHistory(repo, "--since", "last", "--format", "json");
      expect(next.code).toBe(1);
      const findings = JSON.parse(next.stdout).findings as JsonFinding[];
      expect(findings.map((f) => [f.commit, f.file])).toEqual([[added, "notes.md"]]);
      expect(JSON.parse(next.stdout).commits).toBe(1);
      const folder = join(home, "agents", "main", "history");
      const [file] = readdirSync(folder);
      expect(statSync(join(folder, file as string)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(folder, file as string), "utf8")).toContain(added);
      // A branch rewritten since: what is new on it is read, nothing else.
      git(repo, "commit", "-q", "--amend", "-m", "reworded");
      // …and its old commit pruned: the position names a commit the repository no longer has.
      git(repo, "reflog", "expire", "--expire=now", "--all");
      git(repo, "gc", "-q", "--prune=now");
      expect(() => git(repo, "cat-file", "-e", added)).toThrow();
      const again = await scanHistory(repo, "--since", "last", "--format", "json");
      expect((JSON.parse(again.stdout).findings as JsonFinding[]).map((f) => f.file)).toEqual([
        "notes.md",
      ]);
    },
  );

  needGit.it(
    "reads the whole history again with --since last when the position file does not fit its shape",
    async () => {
      commitFile("MEMORY.md", `first ${ghp()}\n`);
      expect((await scanHistory(repo)).code).toBe(1);
      const folder = join(home, "agents", "main", "history");
      const path = join(folder, readdirSync(folder)[0] as string);
      const position = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      expect((await scanHistory(repo, "--since", "last")).code, "nothing new").toBe(0);
      const tip = (position.tips as string[])[0];
      for (const bad of [
        { ...position, tips: [`${tip}0`] },
        { ...position, tips: tip },
        { ...position, repository: `${position.repository}-other` },
        { ...position, scannedAt: 1 },
        [position],
      ]) {
        writeFileSync(path, JSON.stringify(bad));
        expect((await scanHistory(repo, "--since", "last")).code, JSON.stringify(bad)).toBe(1);
      }
      // Keys it does not know (a later version's, __proto__) are accepted.
      writeFileSync(
        path,
        JSON.stringify(position).replace("{", '{"__proto__":{"tips":[]},"extra":1,'),
      );
      expect((await scanHistory(repo, "--since", "last")).code).toBe(0);
    },
  );

  needGit.it(
    "finds what a merge commit itself added (a conflict resolution, a new file) and nothing its parents brought",
    async () => {
      commitFile("f.md", "a\nb\nc\n", "base");
      git(repo, "checkout", "-q", "-b", "side");
      const sideToken = commitFile("f.md", `a\nside ${ghp()}\nc\n`, "side");
      git(repo, "checkout", "-q", "main");
      commitFile("f.md", "a\nmain\nc\n", "main");
      try {
        git(repo, "merge", "-q", "side");
      } catch {
        // the conflict this test is about
      }
      writeFileSync(join(repo, "f.md"), `a\nresolved ${ghp()}\nc\n`);
      writeFileSync(join(repo, "evil.md"), `added in the merge ${ghp()}\n`);
      git(repo, "add", "f.md", "evil.md");
      git(repo, "commit", "-q", "--no-edit");
      const merge = git(repo, "rev-parse", "HEAD");
      const result = await scanHistory(repo, "--format", "json");
      const found = (JSON.parse(result.stdout).findings as JsonFinding[]).map((f) => [
        f.commit,
        f.file,
        f.line,
      ]);
      expect(found.sort()).toEqual(
        [
          [sideToken, "f.md", 2],
          [merge, "f.md", 2],
          [merge, "evil.md", 1],
        ].sort(),
      );
    },
  );

  needGit.it("takes --since DATE and refuses a malformed one", async () => {
    commitFile("MEMORY.md", `old ${ghp()}\n`);
    const result = await scanHistory(repo, "--since", "2999-01-01");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("0 commit(s)");
    expect((await scanHistory(repo, "--since", "$(touch pwned)")).code).toBe(2);
  });

  needGit.it(
    "never lets a range become a git option, and escapes control characters in paths",
    async () => {
      commitFile("a\u001b[31mred\u0007.md", `x ${ghp()}\n`);
      commitFile("-rf.md", `y ${ghp()}\n`);
      const refused = await scanHistory(repo, `--output=${join(dir.path, "written")}`);
      expect(refused.code).toBe(2);
      expect(() => statSync(join(dir.path, "written"))).toThrow();
      const result = await scanHistory(repo);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain("\u001b");
      expect(result.stdout).not.toContain("\u0007");
      expect(result.stdout).toContain("a\\x1b[31mred\\x07.md:1:3");
      expect(result.stdout).toContain("-rf.md:1:3");
    },
  );

  needGit.it("shows progress on a terminal only", async () => {
    commitFile("MEMORY.md", "# notes\n");
    const progressOf = async (stderrIsTTY: boolean) => {
      let stderr = "";
      const io: CliIo = {
        stdout: () => undefined,
        stderr: (text) => {
          stderr += text;
        },
        readStdin: async () => Buffer.alloc(0),
        isTTY: false,
        stderrIsTTY,
        promptHidden: async () => "",
        env: { AGENT_VAULT_HOME: home, PATH: process.env.PATH },
        cwd: repo,
        now: () => new Date(),
      };
      expect(await run(["scan", "--history"], io)).toBe(0);
      return stderr;
    };
    expect(await progressOf(true)).toContain(
      "\r\x1b[Kvault scan --history: 1 commit(s), 0 finding(s)…",
    );
    expect(await progressOf(false)).not.toContain("\r");
  });

  needGit.it("refuses --history outside a repository and with --fix", async () => {
    const outside = join(dir.path, "plain");
    mkdirSync(outside);
    const result = await scanHistory(outside);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("not in a git repository");
    expect((await scanHistory(repo, "--fix")).code).toBe(2);
  });

  describe("with the vault's own secrets", () => {
    let vault: Vault;
    beforeEach(async () => {
      ({ vault } = await createVault({ home, keySource: keyFileKey(join(dir.path, "k")) }));
    });
    afterEach(() => vault.close());

    needGit.it(
      "marks a vault secret found in the history as exposed with its commit: status --check fails and rotate rotates it",
      async () => {
        const value = `tok_${randomBytes(24).toString("base64url")}`;
        await vault.set("WEBHOOK_TOKEN", value, {
          rotation: { schedule: "0 3 15 * *", rotator: "random:32" },
        });
        commitFile("MEMORY.md", "# notes\n");
        const leaked = commitFile("MEMORY.md", `# notes\nthe hook token is ${value}\n`);
        commitFile("MEMORY.md", "# notes\n", "removed again");
        const env = { AGENT_VAULT_HOME: home };
        const result = await scanHistory(repo, "--format", "json");
        expect(result.code).toBe(1);
        expect(result.stdout).not.toContain(value.slice(4, 20));
        const [finding] = JSON.parse(result.stdout).findings as JsonFinding[];
        expect(finding).toMatchObject({
          commit: leaked,
          file: "MEMORY.md",
          line: 2,
          rule: "vault-secret",
          secret: "WEBHOOK_TOKEN",
        });
        const exposures = await readExposures(join(home, "agents", "main"));
        expect(exposures).toMatchObject([
          { name: "WEBHOOK_TOKEN", file: join(repo, "MEMORY.md"), line: 2, commit: leaked },
        ]);
        const status = await runCli(["status"], { env });
        expect(status.stdout).toContain(`exposed in commit ${leaked.slice(0, 12)}`);
        const check = await runCli(["status", "--check"], { env });
        expect(check.code).toBe(1);
        expect(check.stderr).toContain("WEBHOOK_TOKEN");
        const rotated = await runCli(["rotate", "--json"], { env });
        expect(JSON.parse(rotated.stdout).summary.rotated).toBe(1);
        expect(await vault.get("WEBHOOK_TOKEN")).not.toBe(value);
      },
    );
  });
});
