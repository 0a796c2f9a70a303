/**
 * Baselines may be committed: they identify a finding by file, rule and its line with the
 * findings masked, and hold nothing from which a guess of a secret can be tested.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { baselineKeys } from "../src/scan/baseline.js";
import { scanText } from "../src/scan/engine.js";
import { runCli, tempDir } from "./helpers/cli.js";

let dir: { path: string; cleanup: () => void };
let env: Record<string, string>;
let baseline: string;

beforeEach(() => {
  dir = tempDir();
  env = { AGENT_VAULT_HOME: join(dir.path, "home") };
  baseline = join(dir.path, ".vault-baseline.json");
});
afterEach(() => dir.cleanup());

const SECRET = "Summer2024!";
const dsnLine = (password: string) =>
  `DATABASE_URL=postgres://app:${password}@db.internal:5432/prod`;
const memory = (lines: string[]) => {
  writeFileSync(join(dir.path, "MEMORY.md"), `${lines.join("\n")}\n`);
};
const scan = (...args: string[]) =>
  runCli(["scan", "MEMORY.md", "--baseline", baseline, ...args], { env, cwd: dir.path });

/** 10,000 passwords people pick (word, year, symbol), the right one among them. */
function dictionary(): string[] {
  const words = [
    "Summer",
    "Winter",
    "Spring",
    "Autumn",
    "Password",
    "Welcome",
    "Monkey",
    "Dragon",
    "Sunshine",
    "Football",
    "Baseball",
    "Letmein",
    "Master",
    "Shadow",
    "Michael",
    "Jennifer",
    "Charlie",
    "Superman",
    "Batman",
    "Trustme",
    "Freedom",
    "Whatever",
    "Qwerty",
    "Iloveyou",
    "Princess",
    "Starwars",
    "Hello",
    "Secret",
    "Admin",
    "Company",
    "January",
    "February",
    "March",
    "April",
    "August",
    "October",
    "November",
    "December",
    "Tiger",
    "Soccer",
    "Hockey",
    "Ranger",
    "Hunter",
    "Buster",
    "Pepper",
    "Ginger",
    "Cookie",
    "Orange",
    "Purple",
    "Silver",
    "Golden",
    "Thunder",
    "Matrix",
    "Phoenix",
    "Maverick",
    "Falcon",
  ];
  // Characters a URL's password may hold as they are (`@ ? # /` would need percent-encoding).
  const symbols = ["!", "$", "*", ".", "!!", "1", "123", "_", "~", "&"];
  const out: string[] = [];
  for (let year = 2010; out.length < 10_000 && year < 2100; year++) {
    for (const word of words) for (const symbol of symbols) out.push(`${word}${year}${symbol}`);
  }
  const candidates = out.slice(0, 10_000);
  expect(candidates).toContain(SECRET);
  return candidates;
}

describe("a baseline", () => {
  it("keeps a finding accepted when unrelated lines move, and reports one whose line changed", async () => {
    memory(["# notes", dsnLine(SECRET), "end"]);
    expect((await scan("--update-baseline")).code).toBe(0);
    memory(["# notes", "a new line above", "", dsnLine(SECRET), "end", "more below"]);
    const moved = await scan();
    expect(moved.code).toBe(0);
    expect(moved.stderr).toContain("1 suppressed");
    memory(["# notes", `${dsnLine(SECRET)}?sslmode=disable`, "end"]);
    expect((await scan()).code).toBe(1);
  });

  it("accepts each recorded finding once: a second copy of the line is reported", async () => {
    memory([dsnLine(SECRET)]);
    await scan("--update-baseline");
    memory([dsnLine(SECRET), dsnLine(SECRET)]);
    const twice = await scan("--format", "json");
    expect(twice.code).toBe(1);
    expect(JSON.parse(twice.stdout).findings.map((f: { line: number }) => f.line)).toEqual([2]);
  });

  it("holds the line with the secret masked, readable in a review", async () => {
    memory(["# notes", dsnLine(SECRET)]);
    await scan("--update-baseline");
    const file = JSON.parse(readFileSync(baseline, "utf8"));
    expect(file).toEqual({
      version: 2,
      findings: [
        {
          file: "MEMORY.md",
          rule: "url-credentials",
          line: "DATABASE_URL=postgres://app:‹url-credentials›@db.internal:5432/prod",
        },
      ],
    });
  });

  it("holds nothing from which a guess of the secret can be tested (10,000-word dictionary attack)", async () => {
    memory(["# config", dsnLine(SECRET)]);
    expect((await scan("--update-baseline")).code).toBe(0);
    const stolen = readFileSync(baseline);
    const text = stolen.toString("utf8");
    const candidates = dictionary();
    // The attacker's test of a guess: is the file what the tool writes when that guess is the
    // secret? (The file is a function of what the tool sees; any hash or encoding of the
    // secret in it would make it differ between guesses.)
    const entries = JSON.parse(text).findings;
    const consistent: string[] = [];
    let detectable = 0;
    for (const guess of candidates) {
      const guessed = `# config\n${dsnLine(guess)}\n`;
      const findings = scanText(guessed, { file: "MEMORY.md" });
      if (findings.length > 0) detectable++;
      const keys = baselineKeys("MEMORY.md", guessed, findings);
      if (JSON.stringify(keys) === JSON.stringify(entries)) consistent.push(guess);
      // Nor does any encoded form of a guess appear in it.
      for (const form of [
        guess,
        Buffer.from(guess).toString("hex"),
        Buffer.from(guess).toString("base64"),
        encodeURIComponent(guess),
      ]) {
        expect(text.includes(form)).toBe(false);
      }
    }
    // Every guess the rule would report at all fits the file equally (the few it would not,
    // such as ones its placeholder filter drops, say nothing about this secret): the right
    // guess is never singled out.
    expect(detectable).toBeGreaterThan(9_900);
    expect(consistent).toHaveLength(detectable);
    expect(consistent).toContain(SECRET);
    // And the tool writes the very same bytes for another secret in its place.
    memory(["# config", dsnLine("Winter2019#")]);
    await scan("--update-baseline");
    expect(readFileSync(baseline)).toEqual(stolen);
  });

  it("does not accept, in a staged scan, a new secret put on a baselined line", async () => {
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: dir.path,
        env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
      });
    git("init", "-q");
    memory(["# config", dsnLine(SECRET)]);
    await scan("--update-baseline");
    git("add", "MEMORY.md", ".vault-baseline.json");
    git("commit", "-q", "--no-verify", "-m", "known finding");
    // An unrelated change to the file: the baselined line is still HEAD's.
    memory(["# config", "more notes", dsnLine(SECRET)]);
    git("add", "MEMORY.md");
    const stagedScan = () =>
      runCli(["scan", "--staged", "--baseline", baseline], { env, cwd: dir.path });
    expect((await stagedScan()).code).toBe(0);
    // The same line with another password: the baseline's text matches, but HEAD never had it.
    memory(["# config", "more notes", dsnLine("Winter2019$")]);
    git("add", "MEMORY.md");
    const staged = await stagedScan();
    expect(staged.code).toBe(1);
    expect(staged.stdout).toContain("MEMORY.md:3:");
    // A scan of the working tree cannot tell (the documented limit of a secret-free baseline).
    expect((await scan()).code).toBe(0);
  });

  it("refuses a baseline of the older, hash-based format with the command that replaces it", async () => {
    memory([dsnLine(SECRET)]);
    const old = {
      version: 1,
      salt: "A".repeat(43),
      findings: [{ rule: "database-url-password", file: "MEMORY.md", hash: "0".repeat(32) }],
    };
    writeFileSync(baseline, JSON.stringify(old));
    const refused = await scan();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("older format");
    expect(refused.stderr).toContain(`vault scan --baseline ${baseline} --update-baseline`);
    expect((await scan("--update-baseline")).code).toBe(0);
    expect(JSON.parse(readFileSync(baseline, "utf8")).version).toBe(2);
    expect((await scan()).code).toBe(0);
  });
});
