/**
 * A scan of many files on several threads reports exactly what the same scan on one thread
 * reports: the same findings in the same order (the rules' and the vault's own secrets), the
 * same files skipped and ignored, the same counts and exposures. The built bin is run, as the
 * worker's module exists only in a build.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededRandom } from "../bench/scan-corpus/generate.mjs";
import { readExposures } from "../src/scan/fingerprints.js";
import { ROOT, runCli, spawnCli, tempDir } from "./helpers/cli.js";
import { withGitHubChecksum } from "./helpers/test-tokens.js";

const random = seededRandom(7);
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");

const PRELOAD = join(ROOT, "test/fixtures/modules/record-modules.mjs");

let dir: { path: string; cleanup: () => void };
let home: string;
let work: string;
let env: Record<string, string>;
const vaultValue = `vv-${pick(ALNUM, 30)}`;

beforeEach(async () => {
  dir = tempDir("agent-vault-threads-");
  home = join(dir.path, "home");
  work = join(dir.path, "work");
  mkdirSync(join(work, "notes", "ignored"), { recursive: true });
  env = { AGENT_VAULT_HOME: home, HOME: dir.path };
  const keyFile = join(dir.path, "main.key");
  const init = await runCli(["init", "--key-source", "keyfile", "--key-file", keyFile], { env });
  expect(init.code, init.stderr).toBe(0);
  const set = await runCli(["set", "DB_PASSWORD", "--key-file", keyFile], {
    env,
    stdin: vaultValue,
  });
  expect(set.code, set.stderr).toBe(0);
  // 150 files: most clean, some with a token on various lines, the vault's own value, an
  // allowed line, a rule the config ignores, a binary file, one over the size limit and a
  // folder the config ignores.
  for (let i = 0; i < 150; i++) {
    // Some 80 KiB each, 12 MiB in all: a scan long enough for workers to start (one that has
    // run 100 ms with half a second's work left starts them).
    const lines = Array.from({ length: 3200 + (i % 9) }, (_, n) => `line ${n} of note ${i}`);
    if (i % 7 === 0)
      lines.splice(
        (i * 37) % lines.length,
        0,
        `token: ${withGitHubChecksum("ghp_", pick(ALNUM, 30))}`,
      );
    if (i % 31 === 5) lines.push(`db password is ${vaultValue}`);
    if (i % 23 === 4)
      lines.push(
        `export GITHUB_TOKEN=${withGitHubChecksum("ghp_", pick(ALNUM, 30))} # vault-allow`,
      );
    if (i % 19 === 3) lines.push(`aws_access_key_id = AKIA${pick(UPPER, 16)}`);
    writeFileSync(join(work, "notes", `note-${String(i).padStart(3, "0")}.md`), lines.join("\n"));
  }
  writeFileSync(join(work, "notes", "image.bin"), Buffer.from([1, 0, 2, 0, 3]));
  writeFileSync(
    join(work, "notes", "large.md"),
    `${"x".repeat(140_000)}\n${withGitHubChecksum("ghp_", pick(ALNUM, 30))}\n`,
  );
  writeFileSync(
    join(work, "notes", "ignored", "a.md"),
    `${withGitHubChecksum("ghp_", pick(ALNUM, 30))}\n`,
  );
  writeFileSync(
    join(work, ".vault-scan.json"),
    JSON.stringify({
      ignorePaths: ["notes/ignored/**"],
      ignoreRules: ["aws-access-key-id"],
      maxFileBytes: 131072,
    }),
  );
});

afterEach(() => dir.cleanup());

/** Runs the built bin's scan in `work` with the module recorder; its result and modules. */
let runs = 0;
async function scanRecorded(
  args: string[],
  paths = ["."],
): Promise<{ code: number; stdout: string; stderr: string; loaded: string }> {
  const record = join(dir.path, `modules-${++runs}.txt`);
  const result = await spawnCli(["scan", "--format", "json", ...args, ...paths], {
    env: { ...env, RECORD_MODULES_FILE: record },
    nodeArgs: ["--import", PRELOAD],
    cwd: work,
  });
  return { ...result, loaded: readFileSync(record, "utf8") };
}

describe("vault scan on several threads", () => {
  it("reports what one thread reports, in the same order, with the vault's own secrets", async () => {
    const oneStarted = performance.now();
    const one = await scanRecorded(["--threads", "1"]);
    // Workers must start when one thread needed over a second (its scan, after Node's start,
    // then took 600 ms or more); on a machine fast enough to need less, they may not.
    const long = performance.now() - oneStarted > 1000 && availableParallelism() > 1;
    expect(one.code, one.stderr).toBe(1);
    expect(one.loaded).not.toContain("scan-worker");
    const report = JSON.parse(one.stdout);
    expect(report.scanned).toBe(151); // the notes and .vault-scan.json
    expect(report.skipped).toEqual([
      { file: "notes/image.bin", reason: "binary" },
      { file: "notes/large.md", reason: "too-large" },
    ]);
    const rules = new Set(report.findings.map((f: { rule: string }) => f.rule));
    expect([...rules].sort()).toEqual(["github-pat", "vault-secret"]);
    expect(report.findings.filter((f: { rule: string }) => f.rule === "vault-secret")).toHaveLength(
      5,
    );
    const exposuresOfOne = await readExposures(join(home, "agents", "main"));
    expect(exposuresOfOne).toHaveLength(5);

    for (const threads of ["2", "3"]) {
      const many = await scanRecorded(["--threads", threads]);
      expect(many.code, many.stderr).toBe(1);
      if (long) expect(many.loaded).toContain("scan-worker");
      expect(JSON.parse(many.stdout)).toEqual(report);
      expect(many.stdout).not.toContain(vaultValue);
    }
    // The same sightings again: nothing new recorded.
    expect(await readExposures(join(home, "agents", "main"))).toEqual(exposuresOfOne);

    // The library on one thread (run from the sources: no worker module) agrees too.
    const inProcess = await runCli(["scan", "--format", "json", "."], { env, cwd: work });
    expect(JSON.parse(inProcess.stdout)).toEqual(report);
  });

  it("scans a short scan on one thread, and refuses a bad --threads", async () => {
    const few = await scanRecorded(["--threads", "4"], ["notes/note-001.md", "notes/note-007.md"]);
    expect(few.code, few.stderr).toBe(1);
    expect(JSON.parse(few.stdout).scanned).toBe(2);
    expect(few.loaded).not.toContain("scan-worker");
    for (const bad of ["0", "17", "two", "1.5", "-1", ""]) {
      const result = await spawnCli(["scan", "--threads", bad, "."], { env, cwd: work });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--threads takes a whole number from 1 to 16.");
    }
    const staged = await spawnCli(["scan", "--staged", "--threads", "2"], { env, cwd: work });
    expect(staged.code).toBe(2);
    expect(staged.stderr).toContain("--threads is for a scan of files and folders");
  });
});
