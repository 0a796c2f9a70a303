/**
 * Vault references back to values: the template syntax, `resolveReferences` and
 * `Vault.resolve`, `vault read`, `vault inject` and `vault run` with references in its
 * environment. A reference resolves only from its own agent's vault, with that agent's key.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createVault,
  isVaultError,
  keyFileKey,
  openVault,
  resolveReferences,
  type Vault,
} from "../src/index.js";
import { findReferences } from "../src/references/template.js";
import { runCli, tempDir } from "./helpers/cli.js";
import { prepareHome, readStoredAudit } from "./helpers/test-store.js";

const NODE = process.execPath;
const CHILD = join(import.meta.dirname, "fixtures/run/child.mjs");

/**
 * A value with every character that could trip a template, a shell or JSON, each between
 * 20 random characters: every 16-byte window of it is costly to guess, so the scan's
 * fingerprints (which skip cheap windows) cover all of it and `--fix` replaces it whole.
 */
const TRICKY = ["sk-", '"', "\\", "'", "$", "`", "{{x}}", "\r\n", "Ä", "🔑"]
  .map((part) => `${part}${randomBytes(15).toString("base64url")}`)
  .join("");
const TOKEN = `tok-${randomBytes(12).toString("hex")}`;
const OTHER_VALUE = `other-${randomBytes(12).toString("hex")}`;

let dir: string;
let cleanup: () => void;
let home: string;
let keys: string;
let env: Record<string, string>;

beforeAll(async () => {
  ({ path: dir, cleanup } = tempDir("agent-vault-refs-"));
  home = join(dir, "home");
  keys = join(dir, "keys");
  mkdirSync(keys, { mode: 0o700 });
  prepareHome(home);
  const main = await createVault({ home, keySource: keyFileKey(join(keys, "main.key")) });
  await main.vault.set("TRICKY", TRICKY);
  await main.vault.set("TOKEN", TOKEN);
  main.vault.close();
  const other = await createVault({
    home,
    agent: "other",
    keySource: keyFileKey(join(keys, "other.key")),
  });
  await other.vault.set("OTHER_KEY", OTHER_VALUE);
  other.vault.close();
  env = {
    AGENT_VAULT_HOME: home,
    AGENT_VAULT_KEY_DIR: keys,
    HOME: dir,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
  };
});

afterAll(() => cleanup());

function open(agent = "main"): Promise<Vault> {
  return openVault({ home, agent, keySource: keyFileKey(join(keys, `${agent}.key`)) });
}

async function auditDetails(agent = "main"): Promise<string[]> {
  const { lines } = await readStoredAudit(home, agent);
  return lines
    .map((line) => JSON.parse(line) as { op: string; secret?: string; detail?: string })
    .filter((record) => record.op === "get")
    .map((record) => `${record.secret} ${record.detail ?? ""}`);
}

function codeOf(error: unknown): string | undefined {
  return isVaultError(error) ? error.code : undefined;
}

/** A fresh folder for one test's files. */
function folder(): string {
  const path = join(dir, `case-${randomBytes(4).toString("hex")}`);
  mkdirSync(path);
  return path;
}

describe("the template syntax", () => {
  it("ends a bare reference at the first character a secret name cannot hold", () => {
    const text = "a vault://main/API_KEY. b vault://main/TOKENs c:vault://ops/X_1/y";
    expect(findReferences(text).map((s) => [s.agent, s.name, text.slice(s.start, s.end)])).toEqual([
      ["main", "API_KEY", "vault://main/API_KEY"],
      ["main", "TOKEN", "vault://main/TOKEN"],
      ["ops", "X_1", "vault://ops/X_1"],
    ]);
  });

  it("replaces an enclosed reference braces and padding included", () => {
    const text = "x{{vault://main/A}}y {{ \tvault://main/B }}z {{ vault://main/C}";
    expect(findReferences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      "{{vault://main/A}}",
      "{{ \tvault://main/B }}",
      "vault://main/C",
    ]);
  });

  it("refuses a malformed reference with its line and column, never quoting it", () => {
    for (const [text, where] of [
      ["ok\n  vault://Main/KEY", "line 2, column 3"],
      ["vault://main/", "line 1, column 1"],
      ["x vault://main/lower", "line 1, column 3"],
      ["vault://main", "line 1, column 1"],
      [`vault://main/${"A".repeat(129)}`, "line 1, column 1"],
      [`vault://${"a".repeat(65)}/A`, "line 1, column 1"],
    ] as const) {
      let error: unknown;
      try {
        findReferences(text);
      } catch (caught) {
        error = caught;
      }
      expect(codeOf(error), text).toBe("INVALID_INPUT");
      expect((error as Error).message).toContain(where);
      expect((error as Error).message).not.toContain("vault://");
    }
  });
});

describe("resolveReferences and Vault.resolve", () => {
  it("resolves the vault's own references and refuses another agent's", async () => {
    const vault = await open();
    try {
      expect(await vault.resolve("vault://main/TRICKY")).toBe(TRICKY);
      await expect(vault.resolve("vault://other/OTHER_KEY")).rejects.toMatchObject({
        code: "NO_KEY_SOURCE",
        exitCode: 4,
      });
      await expect(vault.resolve("vault://main/MISSING")).rejects.toMatchObject({
        code: "SECRET_NOT_FOUND",
      });
      await expect(vault.resolve("main/TRICKY")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    } finally {
      vault.close();
    }
    expect((await auditDetails()).slice(-2)).toEqual(["TRICKY resolve", "MISSING resolve"]);
  });

  it("resolves a text, an environment record and a nested config, each reference once", async () => {
    const before = (await auditDetails()).length;
    const vault = await open();
    try {
      const text = "a={{ vault://main/TRICKY }}; b=vault://main/TRICKY!";
      expect(await resolveReferences(text, vault)).toBe(`a=${TRICKY}; b=${TRICKY}!`);
      expect(
        await resolveReferences({ KEY: "vault://main/TOKEN", PLAIN: "x", N: undefined }, vault),
      ).toEqual({ KEY: TOKEN, PLAIN: "x", N: undefined });
      const config = {
        providers: [{ apiKey: "vault://main/TOKEN", url: "https://u:vault://main/TOKEN@h" }],
        port: 8080,
        when: new Date(0),
      };
      const resolved = await resolveReferences(config, vault, { purpose: "config" });
      expect(resolved).toEqual({
        providers: [{ apiKey: TOKEN, url: `https://u:${TOKEN}@h` }],
        port: 8080,
        when: new Date(0),
      });
      expect(config.providers[0]?.apiKey).toBe("vault://main/TOKEN");
      expect(await vault.has("TOKEN")).toBe(true); // a given vault is left open
    } finally {
      vault.close();
    }
    expect((await auditDetails()).slice(before)).toEqual([
      "TRICKY resolve",
      "TOKEN resolve",
      "TOKEN config",
    ]);
  });

  it("reads another agent's reference only through a vault opened for that agent", async () => {
    const main = await open();
    const other = await open("other");
    const opened: Vault[] = [];
    try {
      const text = "vault://main/TOKEN vault://other/OTHER_KEY";
      await expect(resolveReferences(text, main)).rejects.toMatchObject({
        code: "NO_KEY_SOURCE",
        message: expect.stringContaining("agent other"),
      });
      await expect(resolveReferences(text, { main })).rejects.toMatchObject({
        code: "NO_KEY_SOURCE",
      });
      await expect(resolveReferences(text, { main, other: main })).rejects.toMatchObject({
        code: "WRONG_AGENT",
      });
      expect(
        await resolveReferences(
          text,
          new Map([
            ["main", main],
            ["other", other],
          ]),
        ),
      ).toBe(`${TOKEN} ${OTHER_VALUE}`);
      const opener = async (agent: string) => {
        const vault = await open(agent);
        opened.push(vault);
        return vault;
      };
      expect(await resolveReferences(text, opener)).toBe(`${TOKEN} ${OTHER_VALUE}`);
      expect(opened.map((vault) => vault.agent)).toEqual(["main", "other"]);
      // Vaults the function opened are closed when the call is done.
      for (const vault of opened) await expect(vault.has("TOKEN")).rejects.toThrow(/closed/);
      await expect(
        resolveReferences("vault://ghost/X", (agent) => open(agent)),
      ).rejects.toMatchObject({ code: "VAULT_NOT_FOUND", exitCode: 3 });
    } finally {
      main.close();
      other.close();
    }
  });

  it("checks every reference before reading any value", async () => {
    const before = (await auditDetails()).length;
    const vault = await open();
    try {
      await expect(
        resolveReferences({ a: "vault://main/TOKEN", b: ["x", "vault://main/bad"] }, vault),
      ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("b[1]") });
    } finally {
      vault.close();
    }
    expect((await auditDetails()).length).toBe(before);
  });

  it("refuses nesting deeper than 64 levels with a typed error", async () => {
    let deep: unknown = "vault://main/TOKEN";
    for (let depth = 0; depth < 100; depth++) deep = { next: deep };
    const vault = await open();
    try {
      await expect(resolveReferences(deep, vault)).rejects.toMatchObject({
        code: "INVALID_INPUT",
      });
    } finally {
      vault.close();
    }
  });
});

describe("vault read", () => {
  it("prints the value like vault get, audited as a get", async () => {
    const result = await runCli(["read", "vault://main/TRICKY"], { env });
    expect(result).toMatchObject({ code: 0, stdout: `${TRICKY}\n`, stderr: "" });
    expect((await runCli(["read", "-n", "vault://main/TRICKY"], { env })).stdout).toBe(TRICKY);
    const json = await runCli(["--json", "read", "vault://main/TOKEN"], { env });
    expect(JSON.parse(json.stdout)).toEqual({
      agent: "main",
      name: "TOKEN",
      reference: "vault://main/TOKEN",
      value: TOKEN,
    });
    expect((await auditDetails()).slice(-3)).toEqual(["TRICKY read", "TRICKY read", "TOKEN read"]);
  });

  it("opens another agent's vault with that agent's key, as --agent would", async () => {
    const result = await runCli(["read", "vault://other/OTHER_KEY"], { env });
    expect(result).toMatchObject({ code: 0, stdout: `${OTHER_VALUE}\n` });
    // One key file for every agent: the other vault refuses main's key (exit 4, as get --agent).
    const { AGENT_VAULT_KEY_DIR: _dir, ...rest } = env;
    const wrongKey = { ...rest, AGENT_VAULT_KEY_FILE: join(keys, "main.key") };
    const refused = await runCli(["read", "vault://other/OTHER_KEY"], { env: wrongKey });
    const get = await runCli(["--agent", "other", "get", "OTHER_KEY"], { env: wrongKey });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe(get.stderr);
    expect(refused.stdout).toBe("");
  });

  it("fails with a typed error and exit code for what it cannot resolve", async () => {
    const cases: Array<[string[], number, string]> = [
      [["read", "vault://ghost/KEY"], 3, "Agent ghost has no vault"],
      [["read", "vault://main/MISSING"], 3, "Agent main has no secret MISSING"],
      [["read", "vault://main/lower"], 2, "Not a vault reference"],
      [["--agent", "other", "read", "vault://main/TOKEN"], 2, "--agent other conflicts"],
      [["get", "vault://main/TOKEN"], 2, "vault read"],
    ];
    for (const [argv, code, message] of cases) {
      const result = await runCli(argv, { env });
      expect(result.code, argv.join(" ")).toBe(code);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe("");
    }
    const json = await runCli(["--json", "read", "vault://main/MISSING"], { env });
    expect(JSON.parse(json.stdout).error.code).toBe("SECRET_NOT_FOUND");
  });
});

describe("vault inject", () => {
  it("writes the template with every reference replaced, mode 0600, and says where", async () => {
    const at = folder();
    const template = join(at, "config.yml.tpl");
    writeFileSync(
      template,
      "\uFEFFkey: {{ vault://main/TRICKY }}\nurl: https://u:vault://main/TOKEN@h\nother: vault://other/OTHER_KEY\n",
    );
    const out = join(at, "config.yml");
    const result = await runCli(["inject", "-i", template, "-o", out], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("3 references resolved");
    expect(readFileSync(out, "utf8")).toBe(
      `\uFEFFkey: ${TRICKY}\nurl: https://u:${TOKEN}@h\nother: ${OTHER_VALUE}\n`,
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(at).sort()).toEqual(["config.yml", "config.yml.tpl"]);
    expect((await auditDetails()).slice(-2)).toEqual(["TRICKY inject", "TOKEN inject"]);
    expect((await auditDetails("other")).at(-1)).toBe("OTHER_KEY inject");
  });

  it("replaces an existing output by rename: a reader of the old file sees it whole", async () => {
    const at = folder();
    const out = join(at, "config.env");
    writeFileSync(out, "OLD=1\n".repeat(1000), { mode: 0o644 });
    const reader = openSync(out, "r");
    try {
      const result = await runCli(["inject", "-o", out], { env, stdin: "K=vault://main/TOKEN\n" });
      expect(result.code, result.stderr).toBe(0);
      expect(readFileSync(out, "utf8")).toBe(`K=${TOKEN}\n`);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(readFileSync(reader, "utf8")).toBe("OLD=1\n".repeat(1000));
    } finally {
      closeSync(reader);
    }
    expect(readdirSync(at)).toEqual(["config.env"]);
  });

  it("prints values only when told to with -o -, and reads a piped template", async () => {
    const none = await runCli(["inject"], { env, stdin: "k: vault://main/TOKEN\n" });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    const piped = await runCli(["inject", "-o", "-"], { env, stdin: "k: vault://main/TOKEN\n" });
    expect(piped).toMatchObject({ code: 0, stdout: `k: ${TOKEN}\n` });
  });

  it("writes nothing when a reference cannot be resolved, and keeps an existing output", async () => {
    const at = folder();
    const out = join(at, "out.env");
    const kept = join(at, "kept.env");
    writeFileSync(kept, "OLD=1\n", { mode: 0o600 });
    const cases: Array<[string, number, string]> = [
      ["A=vault://main/TOKEN\nB=vault://ghost/KEY\n", 3, "Agent ghost has no vault"],
      ["A=vault://main/TOKEN\nB=vault://main/MISSING\n", 3, "no secret MISSING"],
      ["A=vault://main/TOKEN\nB={{ vault://main/bad }}\n", 2, "line 2, column 6"],
    ];
    for (const [template, code, message] of cases) {
      for (const target of [out, kept]) {
        const result = await runCli(["inject", "-o", target], { env, stdin: template });
        expect(result.code, template).toBe(code);
        expect(result.stderr).toContain(message);
        expect(result.stdout).toBe("");
      }
    }
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(kept, "utf8")).toBe("OLD=1\n");
    expect(readdirSync(at)).toEqual(["kept.env"]);
  });

  it("refuses a template over 1 MiB, a conflicting --agent, and the template as its output", async () => {
    const at = folder();
    const big = join(at, "big.tpl");
    writeFileSync(big, "x".repeat(1024 * 1024 + 1));
    const template = join(at, "t.tpl");
    writeFileSync(template, "vault://main/TOKEN\n");
    const cases: Array<[string[], string]> = [
      [["inject", "-i", big, "-o", join(at, "out")], "larger than 1 MiB"],
      [["--agent", "other", "inject", "-i", template, "-o", join(at, "out")], "conflicts"],
      [["inject", "-i", template, "-o", template], "the template itself"],
      [["inject", "-i", join(at, "missing"), "-o", join(at, "out")], "(ENOENT)"],
    ];
    for (const [argv, message] of cases) {
      const result = await runCli(argv, { env });
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(readdirSync(at).sort()).toEqual(["big.tpl", "t.tpl"]);
    expect(readFileSync(template, "utf8")).toBe("vault://main/TOKEN\n");
  });
});

describe("vault run with references in its environment", () => {
  async function childEnv(extra: Record<string, string>, flags: string[] = []) {
    const result = await runCli(["run", ...flags, "--only", "TOKEN", "--", NODE, CHILD, "env"], {
      env: { ...env, ...extra },
    });
    return { ...result, env: JSON.parse(result.stdout || "{}") as Record<string, string> };
  }

  it("gives a variable whose whole value is a reference its value, from any agent's vault", async () => {
    const result = await childEnv({
      MODEL_KEY: "vault://main/TRICKY",
      PADDED: " vault://other/OTHER_KEY\n",
      EMBEDDED: "Bearer vault://main/TOKEN",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.env.MODEL_KEY).toBe(TRICKY);
    expect(result.env.PADDED).toBe(OTHER_VALUE);
    expect(result.env.EMBEDDED).toBe("Bearer vault://main/TOKEN");
    expect(result.env.TOKEN).toBe(TOKEN);
    expect((await auditDetails()).at(-1)).toBe("TRICKY run");
    expect((await auditDetails("other")).at(-1)).toBe("OTHER_KEY run");
  });

  it("masks resolved values with --mask", async () => {
    const result = await childEnv({ MODEL_KEY: "vault://other/OTHER_KEY" }, ["--mask"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(OTHER_VALUE);
    expect(result.env.MODEL_KEY).toBe("[redacted:MODEL_KEY]");
  });

  it("refuses to start the command for a malformed or unresolvable reference", async () => {
    for (const [value, code] of [
      ["vault://main/lower", 2],
      ["vault://main/MISSING", 3],
      ["vault://ghost/KEY", 3],
    ] as const) {
      const result = await childEnv({ MODEL_KEY: value });
      expect(result.code, value).toBe(code);
      expect(result.stdout).toBe("");
      if (code === 2) expect(result.stderr).toContain("MODEL_KEY holds a malformed");
    }
  });
});

describe("the round trip: vault scan --fix, then back to the original bytes", () => {
  it("gives back the original file through inject, and the value through read, run and resolve", async () => {
    const work = folder();
    const original = `# Soul\nModel key: ${TRICKY} (do not share)\n`;
    writeFileSync(join(work, "SOUL.md"), original, { mode: 0o600 });
    const fix = await runCli(["scan", "--fix", "SOUL.md"], { env, cwd: work });
    expect(fix.code, fix.stderr).toBe(0);
    const fixed = readFileSync(join(work, "SOUL.md"), "utf8");
    expect(fixed).toBe("# Soul\nModel key: vault://main/TRICKY (do not share)\n");

    const injected = await runCli(["inject", "-i", "SOUL.md", "-o", "SOUL.out.md"], {
      env,
      cwd: work,
    });
    expect(injected.code, injected.stderr).toBe(0);
    expect(readFileSync(join(work, "SOUL.out.md"))).toEqual(Buffer.from(original, "utf8"));

    const reference = /vault:\/\/\S+/.exec(fixed)?.[0] as string;
    expect((await runCli(["read", "-n", reference], { env })).stdout).toBe(TRICKY);
    const run = await runCli(["run", "--only", "TOKEN", "--", NODE, CHILD, "env"], {
      env: { ...env, SOUL_KEY: reference },
    });
    expect(JSON.parse(run.stdout).SOUL_KEY).toBe(TRICKY);
    const vault = await open();
    try {
      expect(await vault.resolve(reference)).toBe(TRICKY);
      expect(await resolveReferences(fixed, vault)).toBe(original);
    } finally {
      vault.close();
    }
  });
});
