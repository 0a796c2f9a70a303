/**
 * The home's config.json: which store a host uses without --store. Its checks need no
 * database: a bad file is refused before anything connects.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createVault, keyFileKey, openVault } from "../src/index.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import { usesFileStoreByDesign } from "./helpers/test-store.js";

let dir: { path: string; cleanup: () => void };
let home: string;
let env: Record<string, string>;

/** A made-up password, a canary: it must never be printed. */
const CANARY_PASSWORD = "canary-password";
const URL_WITH_PASSWORD = `postgres://agent_main:${CANARY_PASSWORD}@127.0.0.1:1/vaults`;

function writeConfig(content: unknown, mode = 0o600): void {
  writeFileSync(
    join(home, "config.json"),
    typeof content === "string" ? content : JSON.stringify(content),
    { mode },
  );
  chmodSync(join(home, "config.json"), mode);
}

beforeEach(() => {
  dir = tempDir();
  // These tests name the store themselves, in the file they are about.
  usesFileStoreByDesign(dir.path);
  home = join(dir.path, "home");
  mkdirSync(home, { mode: 0o700 });
  env = { HOME: dir.path, AGENT_VAULT_HOME: home, AGENT_VAULT_KEY_FILE: join(dir.path, "k") };
});

afterEach(() => dir.cleanup());

describe("the home's config.json", () => {
  it('selects the file store with "file", as having no config does', async () => {
    writeConfig({ store: "file" });
    expect(
      (
        await runCli(
          ["init", "--key-source", "keyfile", "--key-file", env.AGENT_VAULT_KEY_FILE as string],
          { env },
        )
      ).code,
    ).toBe(0);
    expect(existsSync(join(home, "agents", "main", "vault.json"))).toBe(true);
    const vault = await openVault({
      home,
      keySource: keyFileKey(env.AGENT_VAULT_KEY_FILE as string),
    });
    expect(vault.location).toBe(join(home, "agents", "main", "vault.json"));
    vault.close();
  });

  it("is used by the CLI and the library, and --store and $AGENT_VAULT_STORE come before it", async () => {
    // Nothing listens on port 1: reaching for the configured store fails with IO_ERROR (74).
    writeConfig({ store: "postgres://agent_main@127.0.0.1:1/vaults" });
    const viaConfig = await runCli(["list", "--json"], { env });
    expect(viaConfig.code).toBe(74);
    expect(JSON.parse(viaConfig.stdout).error.message).toContain("127.0.0.1:1");
    expect(
      await codeOf(openVault({ home, keySource: keyFileKey(env.AGENT_VAULT_KEY_FILE as string) })),
    ).toBe("IO_ERROR");
    // The file store, named on the command line or in the environment, wins.
    expect((await runCli(["--store", "file", "list"], { env })).code).toBe(3);
    expect((await runCli(["list"], { env: { ...env, AGENT_VAULT_STORE: "file" } })).code).toBe(3);
  });

  it("refuses a file that is not the expected JSON, naming the file and never its content", async () => {
    for (const content of [
      "{ not json",
      "[]",
      { store: "mysql://x" },
      { store: URL_WITH_PASSWORD, extra: true },
      { passfile: "" },
    ]) {
      writeConfig(content);
      const result = await runCli(["list"], { env });
      expect(result.code, JSON.stringify(content)).toBe(2);
      expect(result.stderr).toContain("config.json");
      expect(result.stderr).not.toContain(CANARY_PASSWORD);
      expect(await codeOf(createVault({ home, keySource: keyFileKey(join(dir.path, "k2")) }))).toBe(
        "INVALID_INPUT",
      );
    }
  });

  it("refuses a store URL with a password in a file other users can read, like .pgpass", async () => {
    writeConfig({ store: URL_WITH_PASSWORD }, 0o644);
    const result = await runCli(["list"], { env });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("chmod 600");
    expect(result.stderr).not.toContain(CANARY_PASSWORD);
    // Without a password in it, the file may be readable: it names a place, not a secret.
    writeConfig({ store: "postgres://agent_main@127.0.0.1:1/vaults" }, 0o644);
    expect((await runCli(["list"], { env })).code).toBe(74);
  });
});
