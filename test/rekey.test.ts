import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ciKey,
  createVault,
  keychainKey,
  keyFileKey,
  openVault,
  passphraseKey,
  type Vault,
} from "../src/index.js";
import { runCli, runThenKill, tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import { MemoryKeyStore } from "./helpers/sample-vault.js";
import { prepareHome, readStoredVault } from "./helpers/test-store.js";

const CHURN = join(import.meta.dirname, "fixtures/durability/rekey-churn.mjs");
const KILLS = 40;

let home: string;
let cleanup: () => void;
const opened: Vault[] = [];

beforeEach(() => {
  ({ path: home, cleanup } = tempDir());
  prepareHome(home);
});

afterEach(() => {
  for (const vault of opened.splice(0)) vault.close();
  cleanup();
});

async function open(source: Parameters<typeof keyFileKey>[0] | ReturnType<typeof ciKey>) {
  const vault = await openVault({
    home,
    keySource: typeof source === "string" ? keyFileKey(source) : source,
  });
  opened.push(vault);
  return vault;
}

/** The stored vault (its file, or its row), as text. */
async function vaultFile(): Promise<string> {
  const bytes = await readStoredVault(home, "main");
  if (!bytes) throw new Error("no stored vault");
  return bytes.toString("utf8");
}

describe("vault rekey", () => {
  it("moves the master key between key sources; the old key stops working, values stay", async () => {
    const keyStore = new MemoryKeyStore();
    const first = join(home, "first.key");
    const { vault } = await createVault({ home, keySource: keyFileKey(first), keyStore });
    opened.push(vault);
    await vault.set("TOKEN", "value-one-123");
    await vault.rekey({ to: passphraseKey("a long new passphrase", "interactive") });
    expect(await codeOf(open(first))).toBe("NO_KEY_SOURCE");
    const byPassphrase = await openVault({
      home,
      keySource: passphraseKey("a long new passphrase"),
      keyStore,
    });
    opened.push(byPassphrase);
    await byPassphrase.rekey({ to: keychainKey(keyStore) });
    const byKeychain = await openVault({ home, keySource: keychainKey(keyStore), keyStore });
    opened.push(byKeychain);
    expect(await byKeychain.get("TOKEN")).toBe("value-one-123");
    // A new keychain key: a new item; the old one is removed.
    const before = keyStore.size;
    await byKeychain.rekey();
    expect(keyStore.size).toBe(before);
    const again = await openVault({ home, keySource: keychainKey(keyStore), keyStore });
    opened.push(again);
    expect(await again.get("TOKEN")).toBe("value-one-123");
    expect((await again.verifyAudit()).ok).toBe(true);
    expect(
      await codeOf(openVault({ home, keySource: passphraseKey("a long new passphrase") })),
    ).toBe("NO_KEY_SOURCE");
  });

  it("refuses to reuse the current key file path for a new key", async () => {
    const keyFile = join(home, "k");
    const { vault } = await createVault({ home, keySource: keyFileKey(keyFile) });
    opened.push(vault);
    expect(await codeOf(vault.rekey({ to: keyFileKey(keyFile) }))).toBe("USAGE");
  });

  it("with a new data key, re-encrypts every value and shuts out a revoked CI key", async () => {
    const keyFile = join(home, "k");
    const second = join(home, "second.key");
    const { vault } = await createVault({ home, keySource: keyFileKey(keyFile) });
    opened.push(vault);
    await vault.setMany([
      { name: "A", value: "value-a-123" },
      { name: "B", value: "value-b-456" },
    ]);
    await vault.set("A", "value-a-789");
    const leaked = await vault.addCiKey("leaked");
    await vault.addKey(keyFileKey(second), "backup");
    const oldCopy = await vaultFile();
    await vault.revokeKey("leaked");
    const result = await vault.rekey({ dataKey: true });
    expect(result).toMatchObject({ dataKeyReplaced: true, dropped: [] });
    expect(result.rewrapped.map((slot) => slot.label)).toEqual(["backup"]);
    const after = await vaultFile();
    const ciphertexts = (text: string) =>
      [...text.matchAll(/"ciphertext":"([^"]+)"/g)].map((match) => match[1]);
    const shared = ciphertexts(after).filter((c) => ciphertexts(oldCopy).includes(c));
    expect(shared).toEqual([]);
    // The leaked key: refused by the new file even if the slot were put back by hand.
    expect(await codeOf(open(ciKey(leaked.key)))).toBe("WRONG_KEY");
    const reopened = await open(keyFile);
    expect(await reopened.get("A")).toBe("value-a-789");
    expect(await reopened.get("A", { version: 1 })).toBe("value-a-123");
    expect(await (await open(second)).get("B")).toBe("value-b-456");
    expect((await reopened.verifyAudit()).ok).toBe(true);
    // The vault instance that rekeyed keeps working with the new keys.
    await vault.set("C", "value-c-000");
    expect(await reopened.get("C")).toBe("value-c-000");
  });

  it("refuses a new data key that would shut out a CI key unless told to drop it", async () => {
    const keyFile = join(home, "k");
    const { vault } = await createVault({ home, keySource: keyFileKey(keyFile) });
    opened.push(vault);
    const ci = await vault.addCiKey("ci-job");
    const before = await vaultFile();
    expect(await codeOf(vault.rekey({ dataKey: true }))).toBe("INVALID_INPUT");
    expect(await vaultFile()).toBe(before);
    const result = await vault.rekey({ dataKey: true, dropUnreachable: true });
    expect(result.dropped.map((slot) => slot.label)).toEqual(["ci-job"]);
    expect(await codeOf(open(ciKey(ci.key)))).toBe("WRONG_KEY");
  });

  it("tells another open instance that the vault was rekeyed", async () => {
    const keyFile = join(home, "k");
    const { vault } = await createVault({ home, keySource: keyFileKey(keyFile) });
    opened.push(vault);
    await vault.set("A", "value-a-123");
    const other = await open(keyFile);
    await vault.rekey({ dataKey: true });
    expect(await codeOf(other.get("A"))).toBe("CONFLICT");
  });

  it("works from the CLI: --to keyfile, then --data-key keeping the key file", async () => {
    const env = { AGENT_VAULT_HOME: home };
    const k1 = join(home, "k1");
    const k2 = join(home, "k2");
    expect(
      (await runCli(["init", "--key-source", "keyfile", "--key-file", k1], { env })).code,
    ).toBe(0);
    expect((await runCli(["set", "A", "--key-file", k1], { env, stdin: "value-a-123" })).code).toBe(
      0,
    );
    expect((await runCli(["rekey", "--key-file", k1], { env })).code).toBe(2);
    const moved = await runCli(
      ["rekey", "--to", "keyfile", "--new-key-file", k2, "--key-file", k1],
      { env },
    );
    expect(moved.code).toBe(0);
    expect((await runCli(["get", "A", "--key-file", k1], { env })).code).toBe(4);
    const rekeyed = await runCli(["rekey", "--data-key", "--key-file", k2, "--json"], { env });
    expect(rekeyed.code).toBe(0);
    expect(JSON.parse(rekeyed.stdout)).toMatchObject({ dataKeyReplaced: true });
    expect((await runCli(["get", "A", "--key-file", k2], { env })).stdout).toBe("value-a-123\n");
    expect(rekeyed.stdout + rekeyed.stderr + moved.stderr).not.toContain("value-a-123");
  });
});

describe("vault rekey under SIGKILL", () => {
  it(`always opens with the old key or the new one, over ${KILLS} kills`, async () => {
    const keyDir = join(home, "keys");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(keyDir, { mode: 0o700 });
    const { vault } = await createVault({ home, keySource: keyFileKey(join(keyDir, "k0")) });
    await vault.setMany([
      { name: "A", value: "value-a-123" },
      { name: "B", value: "value-b-456" },
    ]);
    vault.close();
    let acknowledged = 0;
    let completed = 0;
    let killedMidRekey = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // Most kills land 0-120 ms after the vault opened; every third one 0-120 ms after the
      // first completed rekey, so that rekeys complete between kills on any machine.
      const lines = await runThenKill(
        CHURN,
        [home, "main", keyDir],
        Math.floor(Math.random() * 120),
        kill % 3 === 2 ? "rekeyed " : "ready",
      );
      expect(lines).not.toContain("neither");
      let last = Number(lines.find((line) => line.startsWith("ready"))?.split(" ")[1] ?? 0);
      let inFlight: number | undefined;
      for (const line of lines) {
        const [step, n] = line.split(" ");
        if (step === "rekeyed") {
          last = Number(n);
          completed += 1;
          inFlight = undefined;
        } else if (step === "rekeying") inFlight = Number(n);
      }
      acknowledged = last;
      if (inFlight !== undefined) killedMidRekey += 1;
      // The last acknowledged key or the one in flight opens it; the values are intact.
      let opens: Vault | undefined;
      for (const n of [inFlight, last]) {
        if (n === undefined || !existsSync(join(keyDir, `k${n}`))) continue;
        try {
          opens = await openVault({ home, keySource: keyFileKey(join(keyDir, `k${n}`)) });
          break;
        } catch {
          // the other candidate
        }
      }
      expect(opens, `kill ${kill}: neither the old nor the new key opens the vault`).toBeDefined();
      expect(await opens?.get("A")).toBe("value-a-123");
      expect(await opens?.get("B")).toBe("value-b-456");
      opens?.close();
    }
    // Each third kill waited for a completed rekey, and kills did land in the middle of one.
    expect(completed).toBeGreaterThanOrEqual(KILLS / 3);
    expect(killedMidRekey).toBeGreaterThan(0);
    writeFileSync(
      join(home, "figures.txt"),
      `${KILLS} kills, ${completed} rekeys, last ${acknowledged}`,
    );
  });
});
