/**
 * Values the vault held and no longer treats as valid (rotated out with `vault rotate`,
 * replaced with `vault set`, of a removed secret) are reported by `vault scan` as "exposed,
 * already rotated" with the secret's name, in the working tree, the staged files and the
 * history: a warning that records no exposure, fails neither the scan nor `status --check`
 * and triggers no rotation. Purge forgets them, a value that comes back is live again, the
 * retired set is capped, an older fingerprint file still loads, and no retired window is
 * cheaper to guess than a live one may be.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sodium from "libsodium-wrappers-sumo";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readExposures } from "../src/exports/scan.js";
import { createVault, keyFileKey, openVault, type Vault } from "../src/index.js";
import { guessBits, MIN_GUESS_BITS } from "../src/scan/guess-cost.js";
import { missingTool, need } from "./helpers/capabilities.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { type JsonFinding, git as runGit } from "./helpers/git.js";
import { sarifValidator } from "./helpers/sarif.js";
import { prepareHome } from "./helpers/test-store.js";

const needGit = need("git", missingTool("git"), "install git (apt-get install git)");

interface RetiredEntry {
  name: string;
  prints: string[];
}

let dir: { path: string; cleanup: () => void };
let home: string;
let repo: string;
let vault: Vault;
let clock: Date;
const now = () => new Date(clock);

const git = (...args: string[]) => runGit(repo, ...args);

beforeEach(async () => {
  dir = tempDir();
  home = join(dir.path, "home");
  repo = join(dir.path, "repo");
  prepareHome(home);
  mkdirSync(repo);
  clock = new Date("2026-11-01T00:00:00.000Z");
  ({ vault } = await createVault({ home, keySource: keyFileKey(join(dir.path, "k")), now }));
});

afterEach(() => {
  vault.close();
  dir.cleanup();
});

const token = () => `tok_${randomBytes(24).toString("base64url")}`;
/** 800 random letters and digits: 50 windows, each far above 2^64 guesses. */
const long = () => randomBytes(600).toString("base64url").replace(/[-_]/g, "x").slice(0, 800);
const agentDir = () => join(home, "agents", "main");
const env = () => ({ AGENT_VAULT_HOME: home, PATH: process.env.PATH });
const cli = (argv: string[], stdin?: string) =>
  runCli(argv, { env: env(), cwd: repo, now, ...(stdin === undefined ? {} : { stdin }) });

/** `vault scan FILE --format json` of a MEMORY.md holding `text` on its third line. */
async function scanText(text: string, ...extra: string[]) {
  writeFileSync(join(repo, "MEMORY.md"), `# notes\n\nthe key is ${text} ok\n`);
  const result = await cli(["scan", "MEMORY.md", "--format", "json", ...extra]);
  return { ...result, findings: JSON.parse(result.stdout).findings as JsonFinding[] };
}

function readSet(): { secrets: Record<string, string[]>; retired?: RetiredEntry[] } {
  return JSON.parse(readFileSync(join(agentDir(), "fingerprints.json"), "utf8"));
}

function retiredPrints(name: string): string[] {
  return readSet().retired?.find((entry) => entry.name === name)?.prints ?? [];
}

/** The fingerprint of `bytes` as the writer stores it (SipHash-2-4 under the scan subkey). */
async function printer(): Promise<(bytes: Uint8Array) => string> {
  await sodium.ready;
  const key = createHmac("sha256", readFileSync(join(agentDir(), "scan.key")))
    .update("agent-vault/scan-fingerprint/3")
    .digest()
    .subarray(0, 16);
  return (bytes) => Buffer.from(sodium.crypto_shorthash(bytes, key)).toString("hex");
}

/** The windows the writer considers for a value: at 0, 16, 32, … and one ending at its end. */
function windowsOf(value: string): Buffer[] {
  const bytes = Buffer.from(value);
  const windows: Buffer[] = [];
  for (let at = 0; ; at += 16) {
    const start = Math.min(at, bytes.length - 16);
    windows.push(bytes.subarray(start, start + 16));
    if (start + 16 === bytes.length) break;
  }
  return windows;
}

describe("a value rotated out with vault rotate", () => {
  needGit.it(
    "is reported as exposed, already rotated in the working tree, staged files and history, and fails neither the scan nor status --check",
    async () => {
      git("init", "-q", "-b", "main");
      const leaked = token();
      await vault.set("WEBHOOK_TOKEN", leaked, {
        rotation: { schedule: "0 3 15 * *", rotator: "random:32" },
      });
      // Pasted into MEMORY.md and committed "months ago".
      writeFileSync(join(repo, "MEMORY.md"), `# notes\nthe hook token is ${leaked}\n`);
      git("add", "MEMORY.md");
      git("commit", "-q", "-m", "notes");
      const commit = git("rev-parse", "HEAD");
      // keep 1 (the default): one rotation leaves the old value valid, the second retires it.
      expect((await cli(["rotate", "WEBHOOK_TOKEN", "--force"])).code).toBe(0);
      const stillValid = await scanText(leaked);
      expect(stillValid.findings[0]).toMatchObject({ secret: "WEBHOOK_TOKEN", state: "live" });
      expect(stillValid.code).toBe(1);
      clock = new Date("2026-11-01T00:10:00.000Z");
      expect((await cli(["rotate", "WEBHOOK_TOKEN", "--force"])).code).toBe(0);
      clock = new Date("2026-11-02T00:00:00.000Z");

      // The working tree.
      const tree = await scanText(leaked);
      expect(tree.code, tree.stderr).toBe(0);
      expect(tree.findings).toEqual([
        expect.objectContaining({
          file: "MEMORY.md",
          line: 3,
          rule: "vault-secret",
          severity: "warning",
          secret: "WEBHOOK_TOKEN",
          state: "rotated",
        }),
      ]);
      expect(tree.stdout).not.toContain(leaked.slice(4, 20));
      const text = await cli(["scan", "MEMORY.md"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain("warning vault-secret [vault secret WEBHOOK_TOKEN]");
      expect(text.stdout).toContain("Exposed, already rotated");
      expect(text.stderr).toContain("1 vault value(s) exposed, already rotated (not live)");
      expect((await cli(["scan", "MEMORY.md", "--strict"])).code).toBe(1);

      // The staged files, as the pre-commit hook scans them: the commit is not blocked.
      git("add", "MEMORY.md");
      const staged = await cli(["scan", "--staged", "--format", "json"]);
      expect(staged.code).toBe(0);
      expect(JSON.parse(staged.stdout).findings).toEqual([
        expect.objectContaining({ secret: "WEBHOOK_TOKEN", state: "rotated" }),
      ]);

      // The history: reported at the commit that added it.
      const history = await cli(["scan", "--history", "--format", "json"]);
      expect(history.code, history.stderr).toBe(0);
      expect(JSON.parse(history.stdout).findings).toEqual([
        expect.objectContaining({
          commit,
          file: "MEMORY.md",
          line: 2,
          rule: "vault-secret",
          secret: "WEBHOOK_TOKEN",
          state: "rotated",
        }),
      ]);
      const historyText = await cli(["scan", "--history"]);
      expect(historyText.stdout).toContain(commit.slice(0, 12));
      expect(historyText.stdout).toContain("Exposed, already rotated");
      const sarif = await cli(["scan", "--history", "--format", "sarif"]);
      const log = JSON.parse(sarif.stdout);
      const validate = sarifValidator();
      expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
      expect(log.runs[0].results).toEqual([
        expect.objectContaining({
          ruleId: "vault-secret",
          level: "note",
          properties: expect.objectContaining({ secret: "WEBHOOK_TOKEN", state: "rotated" }),
        }),
      ]);
      expect(log.runs[0].results[0].locations[0].properties.commit).toBe(commit);

      // Nothing recorded since the sighting of the still-valid value (dealt with by the
      // second rotation), nothing due, nothing rotated again.
      expect((await readExposures(agentDir())).map((e) => e.time)).toEqual([
        "2026-11-01T00:00:00.000Z",
      ]);
      const check = await cli(["status", "--check"]);
      expect(check.code, check.stderr).toBe(0);
      const current = await vault.get("WEBHOOK_TOKEN");
      const rotate = await cli(["rotate", "--json"]);
      expect(JSON.parse(rotate.stdout).summary.rotated).toBe(0);
      expect(await vault.get("WEBHOOK_TOKEN")).toBe(current);
    },
  );

  needGit.it("leaves a live value a live exposure, beside a rotated one", async () => {
    git("init", "-q", "-b", "main");
    const old = token();
    await vault.set("WEBHOOK_TOKEN", old, {
      rotation: { schedule: "0 3 15 * *", rotator: "random:32", keep: 0 },
    });
    expect((await cli(["rotate", "WEBHOOK_TOKEN", "--force"])).code).toBe(0);
    const live = token();
    await vault.set("API_TOKEN", live);
    writeFileSync(join(repo, "MEMORY.md"), `# notes\nold ${old}\nlive ${live}\n`);
    git("add", "MEMORY.md");
    git("commit", "-q", "-m", "both");
    const commit = git("rev-parse", "HEAD");
    clock = new Date("2026-11-02T00:00:00.000Z");
    const history = await cli(["scan", "--history", "--format", "json"]);
    expect(history.code).toBe(1);
    const findings = JSON.parse(history.stdout).findings as JsonFinding[];
    expect(findings.map((f) => [f.line, f.secret, f.state, f.severity])).toEqual([
      [2, "WEBHOOK_TOKEN", "rotated", "warning"],
      [3, "API_TOKEN", "live", "error"],
    ]);
    expect((await readExposures(agentDir())).map((e) => [e.name, e.commit])).toEqual([
      ["API_TOKEN", commit],
    ]);
    const check = await cli(["status", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("API_TOKEN");
    expect(check.stderr).not.toContain("WEBHOOK_TOKEN");
  });

  it("is left in place by --fix, which replaces only live values with their reference", async () => {
    const old = token();
    await vault.set("WEBHOOK_TOKEN", old, {
      rotation: { schedule: "0 3 15 * *", rotator: "random:32", keep: 0 },
    });
    const live = token();
    await vault.set("API_TOKEN", live);
    expect((await cli(["rotate", "WEBHOOK_TOKEN", "--force"])).code).toBe(0);
    writeFileSync(join(repo, "MEMORY.md"), `old ${old}\nlive ${live}\n`);
    const fixed = await cli(["scan", "--fix", "MEMORY.md"]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(readFileSync(join(repo, "MEMORY.md"), "utf8")).toBe(
      `old ${old}\nlive vault://main/API_TOKEN\n`,
    );
  });

  it("is left out by a vault-allow comment, a config ignore and a baseline, as any finding", async () => {
    const old = token();
    await vault.set("DEPLOY_TOKEN", old);
    await vault.set("DEPLOY_TOKEN", token());
    const file = join(repo, "MEMORY.md");
    writeFileSync(file, `old ${old} <!-- vault-allow: vault-secret -->\n`);
    expect(JSON.parse((await cli(["scan", "MEMORY.md", "--json"])).stdout).findings).toEqual([]);
    writeFileSync(file, `old ${old}\n`);
    writeFileSync(join(repo, "ignores.json"), JSON.stringify({ ignoreRules: ["vault-secret"] }));
    // One finding or two: a window of a random token may read as cheap to guess and is then
    // not stored, which splits the match around it.
    const ignored = JSON.parse(
      (await cli(["scan", "MEMORY.md", "--json", "--config", "ignores.json"])).stdout,
    );
    expect(ignored.findings).toEqual([]);
    expect(ignored.suppressed.config).toBeGreaterThanOrEqual(1);
    expect(
      (await cli(["scan", "MEMORY.md", "--baseline", "b.json", "--update-baseline"])).code,
    ).toBe(0);
    const baselined = JSON.parse(
      (await cli(["scan", "MEMORY.md", "--json", "--baseline", "b.json"])).stdout,
    );
    expect(baselined.findings).toEqual([]);
    expect(baselined.suppressed.baseline).toBe(ignored.suppressed.config);
    expect((await scanText(old)).findings).toMatchObject([{ state: "rotated" }]);
  });
});

describe("what retires a value, and what brings it back", () => {
  it("retires the value vault set replaces, and finds the new one live", async () => {
    const first = token();
    expect((await cli(["set", "DEPLOY_TOKEN"], first)).code).toBe(0);
    // The windows stored for it (a window of a random token can read as cheap to guess, and
    // is then never stored: live or retired).
    const print = await printer();
    const stored = [...new Set(windowsOf(first).map(print))].filter((p) =>
      readSet().secrets.DEPLOY_TOKEN?.includes(p),
    );
    expect(stored.length).toBeGreaterThan(0);
    const second = token();
    expect((await cli(["set", "DEPLOY_TOKEN"], second)).code).toBe(0);
    expect((await scanText(first)).findings).toMatchObject([
      { secret: "DEPLOY_TOKEN", state: "rotated" },
    ]);
    expect((await scanText(second)).findings).toMatchObject([
      { secret: "DEPLOY_TOKEN", state: "live" },
    ]);
    expect(retiredPrints("DEPLOY_TOKEN").sort()).toEqual(stored.sort());
    for (const p of stored) expect(readSet().secrets.DEPLOY_TOKEN).not.toContain(p);
  });

  it("retires a removed secret's value, and forgets it when the secret is purged", async () => {
    const value = token();
    expect((await cli(["set", "DEPLOY_TOKEN"], value)).code).toBe(0);
    expect((await cli(["rm", "DEPLOY_TOKEN"])).code).toBe(0);
    const removed = await scanText(value);
    expect(removed.code).toBe(0);
    expect(removed.findings).toMatchObject([{ secret: "DEPLOY_TOKEN", state: "rotated" }]);
    expect((await cli(["purge", "DEPLOY_TOKEN"])).code).toBe(0);
    expect((await scanText(value)).findings).toEqual([]);
    expect(readSet().retired ?? []).toEqual([]);
    expect(readSet().secrets.DEPLOY_TOKEN).toBeUndefined();
  });

  it("finds a value live again once a rollback makes it current", async () => {
    const first = token();
    expect((await cli(["set", "DEPLOY_TOKEN"], first)).code).toBe(0);
    expect((await cli(["set", "DEPLOY_TOKEN"], token())).code).toBe(0);
    expect((await scanText(first)).findings).toMatchObject([{ state: "rotated" }]);
    expect((await cli(["rollback", "DEPLOY_TOKEN", "--to", "1"])).code).toBe(0);
    const back = await scanText(first);
    expect(back.code).toBe(1);
    expect(back.findings).toMatchObject([{ secret: "DEPLOY_TOKEN", state: "live" }]);
    const print = await printer();
    const firstPrints = new Set(windowsOf(first).map(print));
    expect(retiredPrints("DEPLOY_TOKEN").filter((p) => firstPrints.has(p))).toEqual([]);
  });

  it("keeps retired values the vault no longer holds when the set is rebuilt from the same vault, and not from another", async () => {
    const first = token();
    await vault.set("DEPLOY_TOKEN", first);
    // Ten more values: the vault's history (10 versions) drops the first one.
    for (let i = 0; i < 10; i++) await vault.set("DEPLOY_TOKEN", token());
    expect((await vault.history("DEPLOY_TOKEN")).map((v) => v.version)).not.toContain(1);
    expect((await scanText(first)).findings).toMatchObject([{ state: "rotated" }]);
    // The set fell behind its vault (a crash after a commit): the next open rebuilds it, and
    // keeps what only the set still knows.
    const syncPath = join(agentDir(), "fingerprints.synced");
    const sync = JSON.parse(readFileSync(syncPath, "utf8"));
    writeFileSync(syncPath, `${JSON.stringify({ ...sync, generation: sync.generation - 1 })}\n`);
    vault.close();
    vault = await openVault({ home, keySource: keyFileKey(join(dir.path, "k")), now });
    expect(JSON.parse(readFileSync(syncPath, "utf8"))).toMatchObject({
      generation: sync.generation,
    });
    expect((await scanText(first)).findings).toMatchObject([{ state: "rotated" }]);
    // A set recorded as another vault's: rebuilt from this vault alone.
    writeFileSync(syncPath, `${JSON.stringify({ ...sync, vaultId: "A".repeat(22) })}\n`);
    vault.close();
    vault = await openVault({ home, keySource: keyFileKey(join(dir.path, "k")), now });
    expect((await scanText(first)).findings).toEqual([]);
  });
});

describe("the retired set's file", () => {
  it("caps the retired fingerprints per name, dropping the oldest first", async () => {
    const values = Array.from({ length: 8 }, long);
    for (const value of values) await vault.set("BIG_KEY", value);
    const prints = retiredPrints("BIG_KEY");
    expect(prints.length).toBe(256);
    // Seven values retired (350 fingerprints): the newest kept whole, the first one gone.
    expect((await scanText(values[6] as string)).findings).toMatchObject([{ state: "rotated" }]);
    expect((await scanText(values[0] as string)).findings).toEqual([]);
  });

  it("caps the retired fingerprints overall, dropping the least recently retired first", async () => {
    const names = Array.from({ length: 100 }, (_, i) => `KEY_${String(i).padStart(3, "0")}`);
    const first = names.map((name) => ({ name, value: long() }));
    await vault.setMany(first);
    // Half the names retire their value, then the other half: 5,000 fingerprints retired.
    await vault.setMany(first.slice(0, 50).map(({ name }) => ({ name, value: long() })));
    await vault.setMany(first.slice(50).map(({ name }) => ({ name, value: long() })));
    const retired = readSet().retired ?? [];
    expect(retired.reduce((sum, entry) => sum + entry.prints.length, 0)).toBe(4096);
    expect(retired.at(-1)?.name).toBe("KEY_099");
    // The oldest retirements went first; the newest are all kept.
    expect((await scanText(first[0]?.value as string)).findings).toEqual([]);
    expect((await scanText(first[99]?.value as string)).findings).toMatchObject([
      { secret: "KEY_099", state: "rotated" },
    ]);
    expect((await scanText(first[50]?.value as string)).findings).toMatchObject([
      { secret: "KEY_050", state: "rotated" },
    ]);
  });

  it("loads a fingerprint file written before retired values were kept, and rebuilds it at the next open", async () => {
    const first = token();
    const second = token();
    await vault.set("DEPLOY_TOKEN", first);
    await vault.set("DEPLOY_TOKEN", second);
    // What an older writer left: every kept version live, no `retired`, a sync marker without it.
    const print = await printer();
    const set = readSet();
    delete set.retired;
    set.secrets.DEPLOY_TOKEN = [...new Set([...windowsOf(first), ...windowsOf(second)].map(print))];
    writeFileSync(join(agentDir(), "fingerprints.json"), `${JSON.stringify(set)}\n`);
    const sync = JSON.parse(readFileSync(join(agentDir(), "fingerprints.synced"), "utf8"));
    delete sync.retired;
    writeFileSync(join(agentDir(), "fingerprints.synced"), `${JSON.stringify(sync)}\n`);
    // It loads: both values are found, as the older writer meant them (live).
    expect((await scanText(first)).findings).toMatchObject([{ state: "live" }]);
    expect((await scanText(second)).findings).toMatchObject([{ state: "live" }]);
    // The next open rebuilds it with what the vault treats as valid.
    vault.close();
    vault = await openVault({ home, keySource: keyFileKey(join(dir.path, "k")), now });
    expect((await scanText(first)).findings).toMatchObject([{ state: "rotated" }]);
    expect((await scanText(second)).findings).toMatchObject([{ state: "live" }]);
  });

  it("stores no retired window that costs fewer than 2^64 guesses", async () => {
    // A DSN with a dictionary password and a JSON PIN around a random token: some windows weak.
    const random = randomBytes(24).toString("base64url").replace(/[-_]/g, "x");
    const value = `postgres://app:Summer2024!@db.example.com/app?pin={"pin":"482913"}&t=${random}`;
    await vault.set("DATABASE_URL", value);
    await vault.set("DATABASE_URL", token());
    const print = await printer();
    const windows = windowsOf(value);
    const strong = new Set(windows.filter((w) => guessBits(w) >= MIN_GUESS_BITS).map(print));
    const weak = windows.filter((w) => guessBits(w) < MIN_GUESS_BITS).map(print);
    expect(weak.length).toBeGreaterThan(0);
    expect(strong.size).toBeGreaterThan(0);
    const prints = retiredPrints("DATABASE_URL");
    expect(new Set(prints)).toEqual(strong);
    for (const p of weak) expect(prints).not.toContain(p);
  });
});
