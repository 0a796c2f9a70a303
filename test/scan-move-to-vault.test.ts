/**
 * `vault scan --fix` as agent code calls it: moveFindingsToVault on a scan's findings, with an
 * in-memory store (the CLI's --fix on both stores is in scan-cli.test.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyFileKey } from "../src/keys/sources.js";
import { credentialsToStore, moveFindingsToVault } from "../src/scan/move-to-vault.js";
import { scanSources } from "../src/scan/scan.js";
import { collectFiles } from "../src/scan/sources.js";
import { createVault } from "../src/vault.js";
import { tempDir } from "./helpers/cli.js";
import { MemoryStore } from "./helpers/sample-vault.js";
import { withGitHubChecksum } from "./helpers/test-tokens.js";

describe("moving found credentials into the vault, as a library call", () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it("stores each named credential, leaves references, and leaves unnamed ones in place", async () => {
    const token = withGitHubChecksum("ghp_", "Zq7Rw2Lp9Xv4Mn8Tb3Ys6Hd1Jf5Gc0");
    const other = `glpat-${"Vb7Np2Qs9Lx4Kd8Hf3Jw"}`;
    writeFileSync(join(dir.path, "TOOLS.md"), `github: ${token}\ngitlab: ${other}\n`);
    const { sources, skipped } = await collectFiles(dir.path, ["TOOLS.md"]);
    const { bySource } = scanSources(sources, skipped);
    expect(
      credentialsToStore(bySource)
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(expect.arrayContaining(["github-pat"]));
    const { vault } = await createVault({
      store: new MemoryStore(),
      agent: "main",
      keySource: keyFileKey(join(dir.path, "main.key")),
      actor: "test@scan",
    });
    const asked: string[] = [];
    const outcome = await moveFindingsToVault(vault, bySource, {
      agent: "main",
      chooseName: async (finding, suggested) => {
        asked.push(suggested);
        return finding.match === token ? "GITHUB_TOKEN" : undefined;
      },
    });
    expect(outcome.fixed).toEqual([
      { file: "TOOLS.md", line: 1, rule: "github-pat", name: "GITHUB_TOKEN" },
    ]);
    expect(await vault.get("GITHUB_TOKEN")).toBe(token);
    expect(await vault.has("GITLAB_TOKEN")).toBe(false);
    const text = readFileSync(join(dir.path, "TOOLS.md"), "utf8");
    expect(text).toBe(`github: vault://main/GITHUB_TOKEN\ngitlab: ${other}\n`);
    expect(outcome.remaining.flatMap((s) => s.findings.map((f) => f.line))).toEqual([2]);
    expect(JSON.stringify(outcome.fixed)).not.toContain(token);
    vault.close();
  });
});
