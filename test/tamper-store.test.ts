/**
 * Tamper resistance through the run's store (files or PostgreSQL): a flipped vault read back
 * from it, and vault files copied between agents, are refused as in tamper.test.ts.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initCrypto } from "../src/crypto/sodium.js";
import { createVault, isVaultError, keyFileKey, openVault, readVaultInfo } from "../src/index.js";
import { selectStore } from "../src/store/select-store.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import {
  buildSampleVault,
  formatCounts,
  type SampleVault,
  tally,
  withRepairedChecksum,
} from "./helpers/sample-vault.js";
import {
  prepareHome,
  readStoredVault,
  TEST_STORE,
  withStoredVaultWriter,
  writeStoredVault,
} from "./helpers/test-store.js";

let dir: { path: string; cleanup: () => void };
let sample: SampleVault;

beforeAll(async () => {
  await initCrypto();
  dir = tempDir();
  sample = await buildSampleVault(dir.path, "sample");
});

afterAll(() => dir.cleanup());

const decoder = new TextDecoder();

describe("flipped vault files in the store", () => {
  it("refuses a flipped file read through the run's store (files or database) the same way, one flip per byte", async () => {
    const home = join(dir.path, "home-flips");
    prepareHome(home);
    const { bytes, keySource, agent } = sample;
    // One store (one connection pool) for the ~2,000 opens, one client for the writes.
    const store = selectStore(home);
    const open = async () => {
      try {
        (await openVault({ home, agent, keySource, store })).close();
        return "accepted";
      } catch (error) {
        return isVaultError(error) ? `${error.code} (exit ${error.exitCode})` : "untyped";
      }
    };
    try {
      await withStoredVaultWriter(home, async (write) => {
        await write(agent, bytes);
        expect(await open()).toBe("accepted");
        const started = performance.now();
        const codes = new Map<string, number>();
        for (let index = 0; index < bytes.length; index += 1) {
          const flipped = bytes.slice();
          flipped[index] = (flipped[index] as number) ^ (1 << (index % 8));
          await write(agent, flipped);
          tally(codes, await open());
        }
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `bit flips in the ${TEST_STORE} store: ${bytes.length} files in ${seconds.toFixed(1)} s: ${formatCounts(codes)}`,
        );
        expect([...codes.keys()].every((outcome) => outcome.endsWith("(exit 5)"))).toBe(true);
        await write(agent, bytes);
        expect(await open()).toBe("accepted");
      });
    } finally {
      await store.close?.();
    }
  });
});

describe("vault files in the store", () => {
  it("refuses a whole vault file copied from another agent's folder, and a wrong key is exit 4", async () => {
    const home = join(dir.path, "home-agents");
    prepareHome(home);
    const keyAlpha = join(dir.path, "alpha.key");
    const keyBeta = join(dir.path, "beta.key");
    for (const [agent, keyFile] of [
      ["alpha", keyAlpha],
      ["beta", keyBeta],
    ] as const) {
      const { vault } = await createVault({ home, agent, keySource: keyFileKey(keyFile) });
      await vault.set("API_TOKEN", `${agent}-token`);
      vault.close();
    }
    const cli = (agent: string, keyFile: string) =>
      runCli(["get", "API_TOKEN", "--home", home, "--agent", agent, "--key-file", keyFile]);

    // The right key and file: exit 0.
    expect(await cli("beta", keyBeta)).toMatchObject({ code: 0, stdout: "beta-token\n" });
    // A wrong key: exit 4, WRONG_KEY.
    expect(await codeOf(openVault({ home, agent: "beta", keySource: keyFileKey(keyAlpha) }))).toBe(
      "WRONG_KEY",
    );
    expect((await cli("beta", keyAlpha)).code).toBe(4);

    // Alpha's file copied over beta's: refused whichever key is used, exit 5.
    const stored = await readStoredVault(home, "alpha");
    if (!stored) throw new Error("alpha has no stored vault");
    await writeStoredVault(home, "beta", stored);
    for (const keyFile of [keyAlpha, keyBeta]) {
      expect(await codeOf(openVault({ home, agent: "beta", keySource: keyFileKey(keyFile) }))).toBe(
        "WRONG_AGENT",
      );
      const result = await cli("beta", keyFile);
      expect(result.code).toBe(5);
      expect(result.stdout).toBe("");
      expect(result.stderr).not.toContain("alpha-token");
    }
    expect(await codeOf(readVaultInfo({ home, agent: "beta" }))).toBe("WRONG_AGENT");

    // A damaged file is exit 5 (CORRUPT); an altered one with a recomputed checksum too (TAMPERED).
    const alphaBytes = new Uint8Array(stored);
    const damaged = alphaBytes.slice();
    const ciphertextAt = /"ciphertext":\s*"/.exec(decoder.decode(alphaBytes));
    const at = (ciphertextAt?.index ?? 0) + (ciphertextAt?.[0].length ?? 0) + 5;
    // Another base64url character (a flipped bit could leave the alphabet: then even the
    // altered copy would be CORRUPT rather than TAMPERED).
    damaged[at] = damaged[at] === 0x41 ? 0x42 : 0x41;
    const altered = withRepairedChecksum(damaged) as Uint8Array;
    for (const [bytes, code] of [
      [damaged, "CORRUPT"],
      [altered, "TAMPERED"],
    ] as const) {
      await writeStoredVault(home, "alpha", bytes);
      expect(
        await codeOf(openVault({ home, agent: "alpha", keySource: keyFileKey(keyAlpha) })),
      ).toBe(code);
      expect((await cli("alpha", keyAlpha)).code).toBe(5);
      // Damage is found before any key is tried; an altered file needs the right key to tell.
      expect((await cli("alpha", keyBeta)).code).toBe(code === "CORRUPT" ? 5 : 4);
    }
  });
});
