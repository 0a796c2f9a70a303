import { statSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ciKey,
  createVault,
  keyFileKey,
  keySourceFromEnv,
  openVault,
  passphraseKey,
  readVaultInfo,
  type Vault,
  VaultError,
} from "../src/index.js";
import { tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import {
  ON_FILE_STORE,
  prepareHome,
  readStoredAudit,
  readStoredVault,
  writeStoredVault,
} from "./helpers/test-store.js";

/** The stored vault of `agent` (its file, or its row), which must exist. */
async function stored(agent = "main"): Promise<Buffer> {
  const bytes = await readStoredVault(home, agent);
  if (!bytes) throw new Error(`no stored vault for ${agent}`);
  return bytes;
}

let home: string;
let cleanup: () => void;
let keyFile: string;
const opened: Vault[] = [];

async function newVault(agent = "main", options: { historyLimit?: number } = {}) {
  const { vault } = await createVault({ home, agent, keySource: keyFileKey(keyFile), ...options });
  opened.push(vault);
  return vault;
}

async function reopen(agent = "main", source = keyFileKey(keyFile)) {
  const vault = await openVault({ home, agent, keySource: source });
  opened.push(vault);
  return vault;
}

beforeEach(() => {
  ({ path: home, cleanup } = tempDir());
  prepareHome(home);
  keyFile = join(home, "master.key");
});

afterEach(() => {
  for (const vault of opened.splice(0)) vault.close();
  cleanup();
});

describe("storing secrets", () => {
  it("returns what was stored, after reopening the vault", async () => {
    const vault = await newVault();
    await vault.set("OPENAI_API_KEY", "sk-test-1", {
      tags: ["llm"],
      description: "d",
      env: "OPENAI_KEY",
    });
    const again = await reopen();
    expect(await again.get("OPENAI_API_KEY")).toBe("sk-test-1");
    const [info] = await again.list();
    expect(info).toMatchObject({
      name: "OPENAI_API_KEY",
      tags: ["llm"],
      env: "OPENAI_KEY",
      version: 1,
    });
  });

  it("keeps the last versions up to the history limit", async () => {
    const vault = await newVault("main", { historyLimit: 3 });
    for (let i = 1; i <= 5; i++) await vault.set("TOKEN", `value-${i}`);
    const history = await vault.history("TOKEN");
    expect(history.map((entry) => entry.version)).toEqual([3, 4, 5]);
    expect(await vault.get("TOKEN", { version: 4 })).toBe("value-4");
    expect(await codeOf(vault.get("TOKEN", { version: 1 }))).toBe("VERSION_NOT_FOUND");
  });

  it("labels as valid only what the rotation policy keeps, the same rule the scanner uses", async () => {
    const vault = await newVault();
    await vault.set("PLAIN", "one");
    await vault.set("PLAIN", "two");
    const labels = async (name: string) => (await vault.history(name)).map((e) => e.label);
    // Without a policy a replaced value is no longer valid.
    expect(await labels("PLAIN")).toEqual(["retired", "current"]);
    await vault.set("KEPT", "one", { rotation: { maxAge: "30d", keep: 1 } });
    await vault.set("KEPT", "two");
    await vault.set("KEPT", "three");
    expect(await labels("KEPT")).toEqual(["retired", "previous", "current"]);
    await vault.remove("KEPT");
    expect(await labels("KEPT")).toEqual(["retired", "retired", "retired"]);
  });

  it("keeps a removed secret's history until it is purged", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "one");
    await vault.set("TOKEN", "two");
    await vault.remove("TOKEN");
    expect(await codeOf(vault.get("TOKEN"))).toBe("SECRET_NOT_FOUND");
    expect(await vault.has("TOKEN")).toBe(false);
    expect((await vault.list()).map((s) => s.name)).toEqual([]);
    expect((await vault.list({ includeRemoved: true }))[0]?.removedAt).toBeDefined();
    await vault.rollback("TOKEN", 1);
    expect(await vault.get("TOKEN")).toBe("one");
    await vault.purge("TOKEN");
    expect(await codeOf(vault.history("TOKEN"))).toBe("SECRET_NOT_FOUND");
  });

  it("rolls back to an older version as a new version", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "old");
    await vault.set("TOKEN", "leaked");
    const info = await vault.rollback("TOKEN", 1);
    expect(info.version).toBe(3);
    expect(await vault.get("TOKEN")).toBe("old");
  });

  it("refuses bad names and values with typed errors", async () => {
    const vault = await newVault();
    expect(await codeOf(vault.set("lower_case", "x"))).toBe("INVALID_NAME");
    expect(await codeOf(vault.set("A".repeat(129), "x"))).toBe("INVALID_NAME");
    expect(await codeOf(vault.set("EMPTY", ""))).toBe("INVALID_VALUE");
    expect(await codeOf(vault.set("BIG", "x".repeat(64 * 1024 + 1)))).toBe("INVALID_VALUE");
    expect(await codeOf(vault.set("NUL", "a\0b"))).toBe("INVALID_VALUE");
    expect(await codeOf(vault.set("LONE", "\ud800"))).toBe("INVALID_VALUE");
    await vault.set("BIG", "é".repeat(32 * 1024));
    expect(await vault.get("BIG")).toBe("é".repeat(32 * 1024));
  });

  it("sees a value another process wrote after it opened", async () => {
    const reader = await newVault();
    await reader.set("TOKEN", "first");
    const writer = await reopen();
    await writer.set("TOKEN", "second");
    expect(await reader.get("TOKEN")).toBe("second");
  });
});

describe("closing", () => {
  it("lets operations already running finish with their keys, and refuses new ones", async () => {
    const vault = await newVault();
    await vault.set("KEPT", "kept-value");
    // Closed while the writes and a read are still in flight (none awaited yet).
    const running = [
      vault.set("TOKEN", "written-while-closing"),
      vault.setMany([{ name: "OTHER", value: "other-value" }]),
      vault.get("KEPT"),
    ];
    vault.close();
    const [, , read] = await Promise.all(running);
    expect(read).toBe("kept-value");
    expect(await codeOf(vault.get("KEPT"))).toBe("USAGE");
    expect(await codeOf(vault.set("LATE", "x"))).toBe("USAGE");
    // Everything was sealed and audited with the real keys: the vault opens and verifies.
    const again = await reopen();
    expect(await again.get("TOKEN")).toBe("written-while-closing");
    expect(await again.get("OTHER")).toBe("other-value");
    expect((await again.verifyAudit()).ok).toBe(true);
  });
});

describe("the file on disk", () => {
  // File and folder modes: a database store has no files (its rows are guarded by roles).
  it.runIf(ON_FILE_STORE)("is private to the user whatever the umask", async () => {
    const old = process.umask(0o000);
    try {
      const vault = await newVault();
      await vault.set("TOKEN", "x");
      const dir = join(home, "agents", "main");
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, "vault.json")).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, "audit.jsonl")).mode & 0o777).toBe(0o600);
      expect(statSync(join(home, "agents")).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });

  // File and folder modes, like ssh: a database store has no files to chmod.
  it.runIf(ON_FILE_STORE)("refuses a vault that other users can read, like ssh does", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "x");
    const { chmodSync } = await import("node:fs");
    chmodSync(join(home, "agents", "main", "vault.json"), 0o644);
    expect(await codeOf(reopen())).toBe("INSECURE_PERMISSIONS");
    chmodSync(join(home, "agents", "main", "vault.json"), 0o600);
    chmodSync(join(home, "agents", "main"), 0o755);
    expect(await codeOf(reopen())).toBe("INSECURE_PERMISSIONS");
  });

  it("never holds a value in plain text", async () => {
    const vault = await newVault();
    const value = `sk-${"q".repeat(40)}`;
    await vault.set("TOKEN", value);
    const text = (await stored()).toString("utf8");
    expect(text).not.toContain(value);
    expect(text).not.toContain(Buffer.from(value).toString("base64"));
  });
});

describe("key slots", () => {
  it("opens with any of its slots, and a revoked CI key stops working while the others go on", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "x");
    const first = await vault.addCiKey("ci-one");
    const second = await vault.addCiKey("ci-two");
    expect(await (await reopen("main", ciKey(first.key))).get("TOKEN")).toBe("x");
    await vault.revokeKey("ci-one");
    expect(await codeOf(reopen("main", ciKey(first.key)))).toBe("WRONG_KEY");
    expect(await (await reopen("main", ciKey(second.key))).get("TOKEN")).toBe("x");
    expect(await (await reopen()).get("TOKEN")).toBe("x");
  });

  it("refuses to revoke the last slot", async () => {
    const vault = await newVault();
    expect(await codeOf(vault.revokeKey("keyfile"))).toBe("INVALID_INPUT");
  });

  it("tells a wrong passphrase (exit 4) from a damaged file (exit 5)", async () => {
    const { vault } = await createVault({
      home,
      agent: "pw",
      keySource: passphraseKey("correct horse battery staple", "interactive"),
    });
    await vault.set("TOKEN", "x");
    vault.close();
    const wrong = await openVault({
      home,
      agent: "pw",
      keySource: passphraseKey("wrong", "interactive"),
    }).catch((e) => e);
    expect(wrong).toBeInstanceOf(VaultError);
    expect([wrong.code, wrong.exitCode]).toEqual(["WRONG_KEY", 4]);
    const text = (await stored("pw")).toString("utf8");
    await writeStoredVault(home, "pw", Buffer.from(text.replace('"TOKEN"', '"TOKEX"')));
    const damaged = await openVault({
      home,
      agent: "pw",
      keySource: passphraseKey("correct horse battery staple"),
    }).catch((e) => e);
    expect(damaged.exitCode).toBe(5);
  });

  it("reads slot metadata without unlocking", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "x");
    await vault.addCiKey("ci");
    const info = await readVaultInfo({ home, agent: "main" });
    expect(info.secrets).toBe(1);
    expect(info.keys.map((k) => [k.type, k.label])).toEqual([
      ["keyfile", "keyfile"],
      ["ci", "ci"],
    ]);
    expect(info.keys[0]?.keyFile).toBe(keyFile);
  });

  it("never creates a vault over an existing one", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "x");
    const before = await stored();
    expect(
      await codeOf(
        createVault({ home, agent: "main", keySource: keyFileKey(join(home, "other.key")) }),
      ),
    ).toBe("ALREADY_EXISTS");
    expect((await stored()).equals(before)).toBe(true);
  });

  it("opens with its remembered key file when no source is given", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "x");
    const again = await openVault({ home, agent: "main" });
    opened.push(again);
    expect(await again.get("TOKEN")).toBe("x");
  });
});

describe("agents are isolated", () => {
  it("does not open one agent's vault with another agent's key", async () => {
    await newVault("alpha");
    const otherKey = join(home, "beta.key");
    const { vault: beta } = await createVault({
      home,
      agent: "beta",
      keySource: keyFileKey(otherKey),
    });
    opened.push(beta);
    expect(await codeOf(openVault({ home, agent: "alpha", keySource: keyFileKey(otherKey) }))).toBe(
      "WRONG_KEY",
    );
  });

  it("refuses a whole vault file copied from another agent", async () => {
    const alpha = await newVault("alpha");
    await alpha.set("TOKEN", "alpha-value");
    const beta = await newVault("beta");
    await beta.set("TOKEN", "beta-value");
    await writeStoredVault(home, "beta", await stored("alpha"));
    expect(await codeOf(reopen("beta"))).toBe("WRONG_AGENT");
    expect(await codeOf(beta.get("TOKEN"))).toBe("WRONG_AGENT");
  });

  it("rejects invalid agent ids", async () => {
    expect(await codeOf(openVault({ home, agent: "../etc" }))).toBe("INVALID_AGENT");
    expect(await codeOf(openVault({ home, agent: "Main" }))).toBe("INVALID_AGENT");
  });
});

describe("printing", () => {
  it("redacts values in util.inspect and JSON of a Vault and a SecretValue", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "sk-visible-if-broken");
    const secret = await vault.reveal("TOKEN");
    const printed = [
      inspect(vault),
      inspect(secret),
      JSON.stringify({ vault, secret }),
      `${secret}`,
      String(secret),
    ];
    for (const text of printed) expect(text).not.toContain("sk-visible-if-broken");
    expect(secret.reveal()).toBe("sk-visible-if-broken");
  });

  it("refuses to work after close and wipes its keys", async () => {
    const vault = await newVault();
    vault.close();
    expect(await codeOf(vault.get("TOKEN"))).toBe("USAGE");
  });
});

describe("the audit log", () => {
  it("records each operation, its result, and never a value", async () => {
    const vault = await newVault();
    await vault.set("TOKEN", "audit-canary-value");
    await vault.get("TOKEN");
    await codeOf(vault.get("MISSING"));
    await codeOf(
      openVault({ home, agent: "main", keySource: keyFileKey(join(home, "wrong.key")) }),
    );
    const records = await vault.auditRecords();
    expect(records.map((r) => [r.op, r.result, r.secret ?? "", r.code ?? ""])).toEqual([
      ["init", "ok", "", ""],
      ["set", "ok", "TOKEN", ""],
      ["get", "ok", "TOKEN", ""],
      ["get", "error", "MISSING", "SECRET_NOT_FOUND"],
      ["unlock", "denied", "", "KEY_UNAVAILABLE"],
    ]);
    const log = (await readStoredAudit(home)).lines.join("\n");
    expect(log).not.toContain("audit-canary-value");
    expect((await vault.verifyAudit()).ok).toBe(true);
  });
});

describe("Vault.exportSecrets with select", () => {
  it("exports what the chooser picks from the live secrets, with export records only", async () => {
    const vault = await newVault();
    await vault.set("A_TOKEN", "a-value", { tags: ["ci"] });
    await vault.set("B_TOKEN", "b-value");
    await vault.set("GONE", "gone-value");
    await vault.remove("GONE");
    const before = (await vault.auditRecords()).length;
    let offered: string[] = [];
    const exported = await vault.exportSecrets({
      purpose: "resolver",
      select: (secrets) => {
        offered = secrets.map((secret) => secret.name);
        return ["B_TOKEN", "GONE", "NEVER_SET"];
      },
    });
    expect(offered.sort()).toEqual(["A_TOKEN", "B_TOKEN"]);
    expect(exported.map(({ name, value }) => [name, value])).toEqual([["B_TOKEN", "b-value"]]);
    const records = (await vault.auditRecords()).slice(before);
    expect(records.map((r) => [r.op, r.secret, r.detail, r.result])).toEqual([
      ["export", "B_TOKEN", "resolver", "ok"],
    ]);
    // With a tag, only the chosen secrets that carry it.
    const tagged = await vault.exportSecrets({ tag: "ci", select: () => ["A_TOKEN", "B_TOKEN"] });
    expect(tagged.map((secret) => secret.name)).toEqual(["A_TOKEN"]);
  });
});

describe("Vault.env", () => {
  it("keeps a secret exported as __proto__ (a plain object would drop it)", async () => {
    const vault = await newVault();
    await vault.set("PROTO", "v", { env: "__proto__" });
    const env = await vault.env();
    expect(Object.keys(env)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(env, "__proto__")?.value).toBe("v");
  });
});

describe("getSecret", () => {
  it("wraps the value so it prints as [redacted]; the deprecated reveal is the same", async () => {
    const vault = await newVault();
    await vault.set("API_KEY", "sk-wrapped-1");
    const secret = await vault.getSecret("API_KEY");
    expect(`${secret}`).toBe("[redacted]");
    expect(secret.reveal()).toBe(await vault.get("API_KEY"));
    expect((await vault.reveal("API_KEY")).reveal()).toBe("sk-wrapped-1");
  });
});

describe("keySourceFromEnv", () => {
  it("takes the key source the CLI takes from its environment, in the same order", async () => {
    const vault = await newVault();
    await vault.set("API_KEY", "sk-env-1");
    expect(keySourceFromEnv({})).toBeUndefined();
    const fromFile = keySourceFromEnv({ AGENT_VAULT_KEY_FILE: keyFile, HOME: "/nowhere" });
    const again = await openVault({ home, agent: "main", keySource: fromFile });
    opened.push(again);
    expect(await again.get("API_KEY")).toBe("sk-env-1");
    // A CI key comes first, then a passphrase, then a key file, then a key folder.
    expect(keySourceFromEnv({ AGENT_VAULT_KEY: "a2V5", AGENT_VAULT_KEY_FILE: keyFile })).toEqual({
      kind: "ci",
      key: "a2V5",
    });
    expect(
      keySourceFromEnv({ AGENT_VAULT_PASSPHRASE: "pw", AGENT_VAULT_KEY_FILE: keyFile })?.kind,
    ).toBe("passphrase");
    expect(
      keySourceFromEnv({ AGENT_VAULT_KEY_DIR: "keys" }, { agent: "ops", cwd: "/srv" }),
    ).toEqual({ kind: "keyfile", path: "/srv/keys/ops.key" });
  });
});
