import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ciKey, createVault, keyFileKey, openVault } from "../src/index.js";
import { runThenKill, tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import { prepareHome } from "./helpers/test-store.js";

const FIXTURE = join(import.meta.dirname, "fixtures/durability/slot-churn.mjs");
const KILLS = 60;

let home: string;
let cleanup: () => void;
let keyFile: string;

beforeAll(async () => {
  ({ path: home, cleanup } = tempDir());
  prepareHome(home);
  keyFile = join(home, "main.key");
  const { vault } = await createVault({ home, agent: "main", keySource: keyFileKey(keyFile) });
  await vault.set("TOKEN", "still-here");
  vault.close();
});

afterAll(() => cleanup());

describe("adding and revoking key slots under SIGKILL", () => {
  it(`leaves a vault that every acknowledged key opens, and no revoked key opens, over ${KILLS} kills`, async () => {
    const live = new Map<string, string>();
    const revoked = new Map<string, string>();
    const keys = new Map<string, string>();
    let acknowledged = 0;
    let cutShort = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // Most kills land 0-150 ms after the vault opened; every third one 0-150 ms after the
      // first acknowledged change, so that there are acknowledged keys to lose on any machine.
      const lines = await runThenKill(
        FIXTURE,
        [home, "main", keyFile],
        Math.floor(Math.random() * 150),
        kill % 3 === 2 ? "added " : "ready",
      );
      // A revocation in flight at the kill: the step the kill cut short.
      if (lines.at(-1)?.startsWith("revoking ")) cutShort += 1;
      for (const line of lines) {
        const [step, label, key] = line.split(" ");
        if (step === "added" && label && key) {
          live.set(label, key);
          keys.set(label, key);
          acknowledged += 1;
        } else if (step === "revoking" && label) {
          // In flight when killed: either outcome is correct, so it is checked no further.
          live.delete(label);
        } else if (step === "revoked" && label) {
          revoked.set(label, keys.get(label) as string);
          acknowledged += 1;
        }
      }
      // The base slot always opens it, and the value is intact.
      const vault = await openVault({ home, agent: "main", keySource: keyFileKey(keyFile) });
      expect(await vault.get("TOKEN")).toBe("still-here");
      const labels = new Set(vault.keys().map((slot) => slot.label));
      vault.close();
      for (const label of live.keys()) expect(labels.has(label)).toBe(true);
      for (const label of revoked.keys()) expect(labels.has(label)).toBe(false);
    }
    // Every acknowledged live key opens it; every revoked key is refused.
    for (const key of live.values()) {
      const vault = await openVault({ home, agent: "main", keySource: ciKey(key) });
      vault.close();
    }
    for (const key of revoked.values()) {
      expect(await codeOf(openVault({ home, agent: "main", keySource: ciKey(key) }))).toBe(
        "WRONG_KEY",
      );
    }
    console.log(
      `slot churn: ${KILLS} kills, ${acknowledged} acknowledged slot changes, ${cutShort} revocations cut short, ${live.size} live and ${revoked.size} revoked keys checked`,
    );
    // The kills landed after acknowledged changes (each third kill waits for one) and live and
    // revoked keys were both checked.
    expect(acknowledged).toBeGreaterThanOrEqual(KILLS / 3);
    expect(live.size).toBeGreaterThan(0);
    expect(revoked.size).toBeGreaterThan(0);
  });
});
