/**
 * The vault keeps the scanner's fingerprints current by itself: a value set, rotated, rolled
 * back or purged is found (or no longer found) by `vault scan` without any key, and a sighting
 * makes the secret due in `vault status` and `vault rotate`.
 */
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sodium from "libsodium-wrappers-sumo";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createVault, keyFileKey, openVault, type Vault } from "../src/index.js";
import { runCli, spawnCli, startCli, tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import { prepareHome, readStoredVault, writeStoredVault } from "./helpers/test-store.js";
import { withGitHubChecksum } from "./helpers/test-tokens.js";

let home: string;
let work: string;
let cleanup: () => void;
let vault: Vault;
let clock: Date;
const now = () => new Date(clock);

beforeEach(async () => {
  const dir = tempDir();
  cleanup = dir.cleanup;
  home = join(dir.path, "home");
  prepareHome(home);
  work = dir.path;
  clock = new Date("2026-11-01T00:00:00.000Z");
  ({ vault } = await createVault({ home, keySource: keyFileKey(join(work, "k")), now }));
});

afterEach(() => {
  vault.close();
  cleanup();
});

const token = () => `tok_${randomBytes(24).toString("base64url")}`;

/** `vault scan FILE` with no key source at all, as a pre-commit hook runs it. */
async function scanFile(text: string) {
  const file = join(work, "MEMORY.md");
  writeFileSync(file, `# notes\n\nthe key is ${text} ok\n`);
  return runCli(["scan", file, "--format", "json"], {
    env: { AGENT_VAULT_HOME: home },
    cwd: work,
    now,
  });
}

describe("fingerprints kept by the vault", () => {
  it("finds a value as soon as it is set, and not once it is purged", async () => {
    const value = token();
    await vault.set("WEBHOOK_TOKEN", value);
    const found = await scanFile(value);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("WEBHOOK_TOKEN");
    expect(found.stdout).not.toContain(value);
    await vault.purge("WEBHOOK_TOKEN");
    expect((await scanFile(value)).stdout).not.toContain("WEBHOOK_TOKEN");
  });

  it("finds both the old and the new value after a rotation, and the base64 of the new one", async () => {
    const old = token();
    await vault.set("WEBHOOK_TOKEN", old, { rotation: { maxAge: "1d", rotator: "random:32" } });
    await vault.rotate({ names: ["WEBHOOK_TOKEN"], force: true });
    const current = await vault.get("WEBHOOK_TOKEN");
    expect((await scanFile(old)).stdout).toContain("WEBHOOK_TOKEN");
    expect((await scanFile(Buffer.from(current).toString("base64"))).stdout).toContain(
      "WEBHOOK_TOKEN",
    );
  });

  it("finds a value with Node's WebAssembly turned off (node --jitless)", async () => {
    const value = token();
    await vault.set("WEBHOOK_TOKEN", value);
    const file = join(work, "MEMORY.md");
    writeFileSync(file, `# notes\n\nthe key is ${value} and in base64 ${btoa(value)}\n`);
    const child = startCli(["scan", file, "--format", "json"], {
      env: { AGENT_VAULT_HOME: home },
      cwd: work,
      nodeArgs: ["--jitless"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    // The value and its base64, each found as the vault's secret.
    const found = JSON.parse(stdout).findings.filter((f: { secret?: string }) => f.secret);
    expect(found.map((f: { secret: string }) => f.secret)).toEqual([
      "WEBHOOK_TOKEN",
      "WEBHOOK_TOKEN",
    ]);
  });

  it("rebuilds a damaged fingerprint file on the next change", async () => {
    const first = token();
    await vault.set("FIRST", first);
    writeFileSync(join(home, "agents", "main", "fingerprints.json"), "{ damaged");
    await vault.set("SECOND", token());
    expect((await scanFile(first)).stdout).toContain("FIRST");
  });

  it("rebuilds, at the next open, a fingerprint set that was lost or fell behind", async () => {
    const first = token();
    await vault.set("FIRST", first);
    // Deleted by hand (or lost in a crash after the commit): any command that opens the vault
    // brings it back.
    rmSync(join(home, "agents", "main", "fingerprints.json"));
    expect((await scanFile(first)).stdout).not.toContain("FIRST");
    const reopened = await openVault({ home, keySource: keyFileKey(join(work, "k")), now });
    reopened.close();
    expect((await scanFile(first)).stdout).toContain("FIRST");
  });

  it("fingerprints a secret added after an older vault file was restored", async () => {
    await vault.set("FIRST", token());
    const older = (await readStoredVault(home)) as Buffer;
    // Two more commits: the set now records a later generation than the backup's.
    const second = token();
    await vault.set("SECOND", second);
    await vault.set("THIRD", token());
    vault.close();
    await writeStoredVault(home, "main", older);
    // The restored file is at an older generation; after one more commit it reaches the
    // generation the set recorded before the restore, with other content.
    vault = await openVault({ home, keySource: keyFileKey(join(work, "k")), now });
    await vault.set("FOURTH", token());
    const added = token();
    await vault.set("ADDED", added);
    const found = await scanFile(added);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("ADDED");
    expect((await scanFile((await vault.get("FOURTH")) as string)).stdout).toContain("FOURTH");
    // The set is the restored vault's: a value the restore took away is no longer the vault's.
    expect((await scanFile(second)).stdout).not.toContain("SECOND");
  });

  it("refuses to store a vault reference as a value", async () => {
    expect(await codeOf(vault.set("X", "vault://main/OPENAI_API_KEY"))).toBe("INVALID_VALUE");
    await vault.set("Y", "a note mentioning vault://main/OPENAI_API_KEY inside");
  });

  it("never writes a value into the fingerprint or key files", async () => {
    const value = token();
    await vault.set("WEBHOOK_TOKEN", value);
    for (const file of ["fingerprints.json", "scan.key"]) {
      const path = join(home, "agents", "main", file);
      expect(existsSync(path)).toBe(true);
      const bytes = readFileSync(path);
      expect(bytes.includes(Buffer.from(value))).toBe(false);
      expect(bytes.includes(Buffer.from(value.slice(4, 20)))).toBe(false);
    }
  });
});

describe("the bin's plain command line for vault scan", () => {
  it("answers as the full CLI does, for the command lines a hook uses", async () => {
    const value = token();
    await vault.set("WEBHOOK_TOKEN", value);
    const file = join(work, "SOUL.md");
    writeFileSync(
      file,
      `key: ${value}\nand a github token ${withGitHubChecksum("ghp_", randomBytes(27).toString("base64url").replace(/[-_]/g, "A").slice(0, 30))}\n`,
    );
    const full = await runCli(["--home", home, "scan", file, "--format", "json"], {
      cwd: work,
      now,
    });
    const fast = await spawnCli(["--home", home, "scan", file, "--format", "json"], { cwd: work });
    expect(fast.code).toBe(full.code);
    const rules = (result: { stdout: string }) =>
      JSON.parse(result.stdout).findings.map((f: { rule: string; line: number }) => [
        f.rule,
        f.line,
      ]);
    expect(rules(fast)).toEqual(rules(full));
    expect(fast.stdout).not.toContain(value);
    // An option the plain command line does not know goes to the full CLI: the same usage error.
    const unknown = await spawnCli(["--home", home, "scan", "--bogus"], { cwd: work });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option");
  });
});

describe("what the fingerprint files give away", () => {
  it("holds only windows of the raw value that do not overlap, so a window is 16 unknown bytes", async () => {
    await sodium.ready;
    // Letters and digits only: every window of it costs far more than 2^64 guesses.
    const value = `ghp_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x")}`; // 40 characters
    await vault.set("GITHUB_TOKEN", value);
    const dir = join(home, "agents", "main");
    const scanKey = readFileSync(join(dir, "scan.key"));
    const stored = JSON.parse(readFileSync(join(dir, "fingerprints.json"), "utf8"));
    // SipHash-2-4 (libsodium's crypto_shorthash) under HMAC-SHA256(scan.key, context)[0..16].
    const key = createHmac("sha256", scanKey)
      .update("agent-vault/scan-fingerprint/3")
      .digest()
      .subarray(0, 16);
    const print = (bytes: Uint8Array) =>
      Buffer.from(sodium.crypto_shorthash(bytes, key)).toString("hex");
    const raw = Buffer.from(value);
    // Windows at 0 and 16, and the last one ending at the value's end (24..40).
    const expected = [0, 16, 24].map((at) => print(raw.subarray(at, at + 16))).sort();
    expect(stored.secrets.GITHUB_TOKEN).toEqual(expected);
    // No window of an encoded form, and none shifted by a byte (which would chain).
    expect(stored.secrets.GITHUB_TOKEN).not.toContain(
      print(Buffer.from(raw.toString("hex")).subarray(0, 16)),
    );
    expect(stored.secrets.GITHUB_TOKEN).not.toContain(print(raw.subarray(8, 24)));
  });
});

describe("a sighting makes the secret due", () => {
  it("shows an exposed secret in status and rotates it at the next vault rotate", async () => {
    const value = token();
    await vault.set("WEBHOOK_TOKEN", value, {
      rotation: { schedule: "0 3 15 * *", rotator: "random:32" },
    });
    await vault.set("NO_POLICY", token());
    const env = { AGENT_VAULT_HOME: home };
    clock = new Date("2026-11-02T00:00:00.000Z");
    let status = await runCli(["status", "--json"], { env, now });
    expect(JSON.parse(status.stdout).secrets[0].state).toBe("ok");
    await scanFile(`${value} and ${await vault.get("NO_POLICY")}`);
    status = await runCli(["status", "--json"], { env, now });
    const report = JSON.parse(status.stdout);
    expect(report.secrets[0]).toMatchObject({ name: "WEBHOOK_TOKEN", state: "due" });
    expect(report.secrets[0].exposedAt).toBeDefined();
    expect(report.exposed.map((entry: { name: string }) => entry.name)).toEqual(["NO_POLICY"]);
    const check = await runCli(["status", "--check"], { env, now });
    expect(check.code, "a found value fails the gate at once, without waiting out a grace").toBe(1);
    expect(check.stderr).toContain("Exposed in a file: WEBHOOK_TOKEN, NO_POLICY.");
    const rotated = await runCli(["rotate", "--json"], { env, now });
    expect(JSON.parse(rotated.stdout).summary.rotated).toBe(1);
    status = await runCli(["status", "--json"], { env, now });
    expect(JSON.parse(status.stdout).secrets[0], status.stdout).toMatchObject({ state: "ok" });
    const stillExposed = await runCli(["status", "--check"], { env, now });
    expect(stillExposed.stderr).toContain("Exposed in a file: NO_POLICY.");
    clock = new Date("2026-11-02T01:00:00.000Z");
    await runCli(["set", "NO_POLICY"], { env, now, stdin: token() });
    expect((await runCli(["status", "--check"], { env, now })).code).toBe(0);
  });
});
