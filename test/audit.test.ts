import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createVault, keyFileKey, type Vault } from "../src/index.js";
import { runCli, tempDir } from "./helpers/cli.js";

let home: string;
let cleanup: () => void;
let vault: Vault;
let logPath: string;

function lines(): string[] {
  return readFileSync(logPath, "utf8").trimEnd().split("\n");
}

function writeLines(next: string[]): void {
  writeFileSync(logPath, `${next.join("\n")}\n`);
}

beforeEach(async () => {
  ({ path: home, cleanup } = tempDir());
  ({ vault } = await createVault({ home, agent: "main", keySource: keyFileKey(join(home, "k")) }));
  for (let i = 0; i < 5; i++) await vault.set("TOKEN", `value-${i}`);
  await vault.get("TOKEN");
  logPath = join(home, "agents", "main", "audit.jsonl");
});

afterEach(() => {
  vault.close();
  cleanup();
});

describe("vault audit --verify", () => {
  it("passes on an untouched log", async () => {
    const result = await vault.verifyAudit();
    expect(result).toMatchObject({ ok: true, records: 7, keyedRecords: 7 });
  });

  it("detects an edited record", async () => {
    const edited = lines();
    edited[2] = (edited[2] as string).replace('"op":"set"', '"op":"get"');
    writeLines(edited);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects a removed record in the middle", async () => {
    const all = lines();
    writeLines([...all.slice(0, 3), ...all.slice(4)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects an inserted record, even one copied from the same log", async () => {
    const all = lines();
    writeLines([...all.slice(0, 3), all[2] as string, ...all.slice(3)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects truncation of the last records", async () => {
    writeLines(lines().slice(0, -2));
    const result = await vault.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/truncated/);
  });

  it("detects reordered records", async () => {
    const all = lines();
    writeLines([all[0] as string, all[2] as string, all[1] as string, ...all.slice(3)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects a record forged with a recomputed plain hash chain but no key", async () => {
    const all = lines();
    const last = JSON.parse(all.at(-1) as string);
    const forged = { ...last, seq: last.seq + 1, op: "get", secret: "OTHER", mac: "0".repeat(64) };
    writeLines([...all, JSON.stringify(forged)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("exits 1 from the CLI on a broken chain and 0 on an intact one", async () => {
    const env = { AGENT_VAULT_HOME: home };
    expect((await runCli(["audit", "--verify"], { env })).code).toBe(0);
    writeLines(lines().slice(1));
    const broken = await runCli(["audit", "--verify", "--json"], { env });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).ok).toBe(false);
  });

  it("keeps working after a torn last line left by a killed writer", async () => {
    writeFileSync(logPath, `${readFileSync(logPath, "utf8")}{"seq":99,"op":"se`);
    await vault.get("TOKEN");
    expect((await vault.verifyAudit()).ok).toBe(true);
  });

  it("detects a log deleted together with its head", async () => {
    const { rmSync } = await import("node:fs");
    rmSync(logPath);
    rmSync(join(home, "agents", "main", "audit.head"));
    const result = await vault.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/head is missing/);
  });

  it("detects an unkeyed record that is not a failed unlock", async () => {
    const all = lines();
    const last = JSON.parse(all.at(-1) as string);
    const { mac: _mac, ...unkeyed } = { ...last, seq: last.seq + 1, op: "get", secret: "OTHER" };
    writeLines([...all, JSON.stringify(unkeyed)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("keeps working after a damaged last record, and verify reports it", async () => {
    writeFileSync(logPath, `${readFileSync(logPath, "utf8")}{"seq":0.5,"op":"x"}\n`);
    expect(await vault.get("TOKEN")).toBe("value-4");
    const result = await vault.verifyAudit();
    expect(result.ok).toBe(false);
  });
});
