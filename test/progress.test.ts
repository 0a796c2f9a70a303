/**
 * Progress lines: shown on standard error only when it is a terminal, rewritten in place and
 * erased when the work ends; never in a pipe or with --json, and never holding a value.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers/cli.js";

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
const VALUE = "tok-5b0e2f7c91d84a36";

beforeAll(async () => {
  ({ path: dir, cleanup } = tempDir("agent-vault-progress-"));
  env = { AGENT_VAULT_HOME: join(dir, "home"), AGENT_VAULT_KEY_FILE: join(dir, "main.key") };
  await runCli(["init", "--key-source", "keyfile", "--key-file", join(dir, "main.key")], { env });
  await runCli(["set", "API_TOKEN"], { env, stdin: VALUE });
  mkdirSync(join(dir, "notes"));
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, "notes", `note-${i}.md`), `note ${i}\n`);
});

afterAll(() => cleanup());

const ERASE = "\r\x1b[K";

describe("progress lines", () => {
  it("show a scan's files on a terminal, and end erased", async () => {
    const result = await runCli(["scan", join(dir, "notes")], { env, stderrIsTTY: true });
    expect(result.stderr).toContain(`${ERASE}Scanning 20 file(s)`);
    // Erased before the summary line, which starts at the left margin.
    expect(result.stderr.endsWith(`${ERASE}vault scan: no secrets found in 20 file(s).\n`)).toBe(
      true,
    );
    expect(result.stdout).not.toContain("\x1b");
  });

  it("say what a rekey is doing, without the value", async () => {
    const result = await runCli(["rekey", "--data-key"], { env, stderrIsTTY: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${ERASE}Re-encrypting every value under a new data key…`);
    expect(result.stderr).not.toContain(VALUE);
  });

  it("never appear off a terminal or with --json", async () => {
    for (const [argv, options] of [
      [["scan", join(dir, "notes")], {}],
      [["scan", join(dir, "notes"), "--json"], { stderrIsTTY: true }],
      [["rekey", "--data-key"], {}],
    ] as const) {
      const result = await runCli([...argv], { env, ...options });
      expect(result.stderr, argv.join(" ")).not.toContain("\x1b");
    }
  });
});
