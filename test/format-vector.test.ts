/**
 * The frozen `agent-vault/1` vector (test/vectors/format/, docs/testing.md): a vault written
 * once by an earlier build, with a passphrase slot (its Argon2id parameters in the file) and a
 * key-file slot, its audit log and the values it holds. Today's code must open it with either
 * key, read every value and old version back, verify its audit chain, and re-encode the file
 * byte for byte: a change that breaks existing vaults cannot pass. The vector is never
 * regenerated; a format change adds optional fields and a new vector beside this one.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeVaultFile, parseVaultFile } from "../src/file-format/vault-file.js";
import { keyFileKey, openVault, passphraseKey } from "../src/index.js";
import { ROOT, tempDir } from "./helpers/cli.js";
import {
  prepareHome,
  readStoredAudit,
  readStoredVault,
  writeStoredAudit,
  writeStoredVault,
} from "./helpers/test-store.js";

const VECTOR = join(ROOT, "test/vectors/format");
const expected = JSON.parse(readFileSync(join(VECTOR, "expected.json"), "utf8")) as {
  format: string;
  agent: string;
  passphrase: string;
  keyFile: string;
  values: Record<string, string>;
  versions: Record<string, Array<{ version: number }>>;
  previousValues: Record<string, Record<string, string>>;
  removed: string[];
  audit: {
    verified: { ok: boolean; records: number };
    records: Array<{ seq: number; op: string; secret?: string; result: string }>;
  };
  vaultSha256: string;
};
const stored = join(VECTOR, "home/agents", expected.agent);
const vaultBytes = readFileSync(join(stored, "vault.json"));
const auditLines = readFileSync(join(stored, "audit.jsonl"), "utf8").trimEnd().split("\n");
const auditHead = readFileSync(join(stored, "audit.head"), "utf8").trim();

let dir: { path: string; cleanup: () => void };
let home: string;
/** The vector's key file, copied 0600 (git keeps no file modes but the executable bit). */
let keyFile: string;

/** The vector, copied into this run's store (files, or the database's rows). */
beforeEach(async () => {
  dir = tempDir("agent-vault-vector-");
  home = join(dir.path, "home");
  prepareHome(home);
  await writeStoredVault(home, expected.agent, vaultBytes);
  await writeStoredAudit(home, expected.agent, auditLines, auditHead);
  keyFile = join(dir.path, "vector.key");
  writeFileSync(keyFile, readFileSync(join(VECTOR, expected.keyFile)), { mode: 0o600 });
});
afterEach(() => dir.cleanup());

describe("the frozen agent-vault/1 vector", () => {
  it("is the committed file, and re-encodes byte for byte", () => {
    expect(createHash("sha256").update(vaultBytes).digest("hex")).toBe(expected.vaultSha256);
    const file = parseVaultFile(vaultBytes, "the vector's vault.json");
    expect(file.format).toBe(expected.format);
    expect(Buffer.from(encodeVaultFile(file)).equals(vaultBytes)).toBe(true);
  });

  for (const [label, source] of [
    [
      "its passphrase (Argon2id parameters from the file)",
      () => passphraseKey(expected.passphrase),
    ],
    ["its key file", () => keyFileKey(keyFile)],
  ] as const) {
    it(`opens with ${label} and reads every value and old version back`, async () => {
      const vault = await openVault({ home, agent: expected.agent, keySource: source() });
      try {
        const names = (await vault.list()).map((secret) => secret.name).sort();
        expect(names).toEqual(Object.keys(expected.values).sort());
        for (const [name, value] of Object.entries(expected.values)) {
          expect(await vault.get(name)).toBe(value);
        }
        for (const [name, versions] of Object.entries(expected.previousValues)) {
          for (const [version, value] of Object.entries(versions)) {
            expect(await vault.get(name, { version: Number(version) })).toBe(value);
          }
          expect((await vault.history(name)).map((entry) => entry.version)).toEqual(
            expected.versions[name]?.map((entry) => entry.version),
          );
        }
        for (const name of expected.removed) expect(await vault.has(name)).toBe(false);
      } finally {
        vault.close();
      }
    });
  }

  it("verifies its audit chain and keeps its records, before and after new ones", async () => {
    const vault = await openVault({
      home,
      agent: expected.agent,
      keySource: keyFileKey(keyFile),
    });
    try {
      const before = await vault.verifyAudit();
      expect(before.ok, before.problems.join("; ")).toBe(true);
      expect(before.records).toBe(expected.audit.verified.records);
      await vault.set("ADDED_TODAY", "a value written by today's code");
      const records = await vault.auditRecords();
      expect(
        records.slice(0, expected.audit.records.length).map(({ seq, op, secret, result }) => ({
          seq,
          op,
          ...(secret ? { secret } : {}),
          result,
        })),
      ).toEqual(expected.audit.records);
      const after = await vault.verifyAudit();
      expect(after.ok, after.problems.join("; ")).toBe(true);
      expect(after.records).toBeGreaterThan(expected.audit.verified.records);
    } finally {
      vault.close();
    }
    // The stored vector was changed only by appending: its first records are the same lines.
    const { lines } = await readStoredAudit(home, expected.agent);
    expect(lines.slice(0, auditLines.length)).toEqual(auditLines);
    expect((await readStoredVault(home, expected.agent))?.equals(vaultBytes)).toBe(false);
  });
});
