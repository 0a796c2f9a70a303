import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createVault, keyFileKey, type Vault } from "../src/index.js";
import { runCli, tempDir } from "./helpers/cli.js";
import {
  ON_FILE_STORE,
  prepareHome,
  readStoredAudit,
  writeStoredAudit,
} from "./helpers/test-store.js";

let home: string;
let cleanup: () => void;
let vault: Vault;

/** The stored audit records (the log file's lines, or the table's rows). */
async function lines(): Promise<string[]> {
  return (await readStoredAudit(home)).lines;
}

/** Replaces the stored records, as someone with write access to the storage could. */
async function writeLines(next: string[]): Promise<void> {
  await writeStoredAudit(home, "main", next);
}

beforeEach(async () => {
  ({ path: home, cleanup } = tempDir());
  prepareHome(home);
  ({ vault } = await createVault({ home, agent: "main", keySource: keyFileKey(join(home, "k")) }));
  for (let i = 0; i < 5; i++) await vault.set("TOKEN", `value-${i}`);
  await vault.get("TOKEN");
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
    const edited = await lines();
    edited[2] = (edited[2] as string).replace('"op":"set"', '"op":"get"');
    await writeLines(edited);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects a removed record in the middle", async () => {
    const all = await lines();
    await writeLines([...all.slice(0, 3), ...all.slice(4)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects an inserted record, even one copied from the same log", async () => {
    const all = await lines();
    await writeLines([...all.slice(0, 3), all[2] as string, ...all.slice(3)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects truncation of the last records", async () => {
    await writeLines((await lines()).slice(0, -2));
    const result = await vault.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/truncated/);
  });

  it("detects reordered records", async () => {
    const all = await lines();
    await writeLines([all[0] as string, all[2] as string, all[1] as string, ...all.slice(3)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("detects a record forged with a recomputed plain hash chain but no key", async () => {
    const all = await lines();
    const last = JSON.parse(all.at(-1) as string);
    const forged = { ...last, seq: last.seq + 1, op: "get", secret: "OTHER", mac: "0".repeat(64) };
    await writeLines([...all, JSON.stringify(forged)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("exits 1 from the CLI on a broken chain and 0 on an intact one", async () => {
    const env = { AGENT_VAULT_HOME: home };
    expect((await runCli(["audit", "--verify"], { env })).code).toBe(0);
    await writeLines((await lines()).slice(1));
    const broken = await runCli(["audit", "--verify", "--json"], { env });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).ok).toBe(false);
  });

  it("reports a record of the wrong shape by its line number, never its content", async () => {
    const canary = "canary-sk-live-7c1e";
    const all = await lines();
    const third = JSON.parse(all[2] as string) as Record<string, unknown>;
    const variants = [
      { ...third, seq: "2", detail: canary },
      { ...third, prev: undefined, detail: canary },
      { ...third, secret: [canary] },
      { ...third, zz: canary },
      [canary],
    ].map((variant) => JSON.stringify(variant));
    // Written as text: a `__proto__` key stays an own key of the parsed record.
    variants.push((all[2] as string).replace("{", `{"__proto__":"${canary}",`));
    const env = { AGENT_VAULT_HOME: home };
    for (const variant of variants) {
      await writeLines([...all.slice(0, 2), variant, ...all.slice(3)]);
      const result = await vault.verifyAudit();
      expect(result.ok).toBe(false);
      // Line 3 is named; line 4 no longer follows it.
      expect(result.problems[0]).toMatch(/^line 3: (not a well-formed|keyed hash does not match)/);
      expect(result.problems.join("\n")).not.toContain(canary);
      const cli = await runCli(["audit", "--verify"], { env });
      expect(cli.code).toBe(1);
      expect(cli.stdout + cli.stderr).not.toContain(canary);
    }
  });

  // A database row is written whole: only a file can be left with a torn line.
  it.runIf(ON_FILE_STORE)(
    "keeps working after a torn last line left by a killed writer",
    async () => {
      const logPath = join(home, "agents", "main", "audit.jsonl");
      writeFileSync(logPath, `${readFileSync(logPath, "utf8")}{"seq":99,"op":"se`);
      await vault.get("TOKEN");
      expect((await vault.verifyAudit()).ok).toBe(true);
    },
  );

  it("detects a log deleted together with its head", async () => {
    await writeStoredAudit(home, "main", [], null);
    const result = await vault.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/head is missing/);
  });

  it("detects an unkeyed record that is not a failed unlock", async () => {
    const all = await lines();
    const last = JSON.parse(all.at(-1) as string);
    const { mac: _mac, ...unkeyed } = { ...last, seq: last.seq + 1, op: "get", secret: "OTHER" };
    await writeLines([...all, JSON.stringify(unkeyed)]);
    expect((await vault.verifyAudit()).ok).toBe(false);
  });

  it("keeps working after a damaged last record, and verify reports it", async () => {
    await writeLines([...(await lines()), '{"seq":0.5,"op":"x"}']);
    expect(await vault.get("TOKEN")).toBe("value-4");
    const result = await vault.verifyAudit();
    expect(result.ok).toBe(false);
  });
});
