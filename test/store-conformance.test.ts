/**
 * The VaultStore contract (src/store/store.ts), run against every store: the run's own (the
 * file store, or PostgreSQL in the postgres projects) and the in-memory one the format tests
 * use. A file that drives the CLI or the library through a store relies on nothing more than
 * this contract, which is why such a file runs on the file store only
 * (STORE_AGNOSTIC_FILES in test/setup/suites.ts) while the tests that exercise storage itself
 * (kill loops, concurrency, the audit log, rotation, tamper, the format vector) run on both.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { selectStore } from "../src/store/select-store.js";
import type { StoredVault, VaultStore } from "../src/store/store.js";
import { ROOT, tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import { MemoryStore } from "./helpers/sample-vault.js";
import { ON_FILE_STORE, prepareHome, TEST_STORE } from "./helpers/test-store.js";
import { STORE_AGNOSTIC_FILES } from "./setup/suites.js";

/** Two handles on the same storage: two hosts (or processes) sharing one vault. */
interface Storage {
  first: VaultStore;
  second: VaultStore;
}

interface StoreUnderTest {
  name: string;
  open: (home: string) => Storage;
}

const STORES: StoreUnderTest[] = [
  {
    name: TEST_STORE,
    open: (home) => {
      prepareHome(home);
      return { first: selectStore(home), second: selectStore(home) };
    },
  },
  // The in-memory store is storage-agnostic too: once, beside the file store.
  ...(ON_FILE_STORE
    ? [
        {
          name: "memory",
          open: () => {
            const store = new MemoryStore();
            return { first: store, second: store };
          },
        },
      ]
    : []),
];

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir("agent-vault-conformance-");
});
afterAll(() => dir.cleanup());

let homes = 0;
const opened: VaultStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close?.()));
});

/** Fresh, empty storage for one test, and the home it belongs to. */
function fresh(store: StoreUnderTest): Storage & { home: string } {
  homes += 1;
  const home = join(dir.path, `home-${homes}`);
  const storage = store.open(home);
  opened.push(storage.first, storage.second);
  return { ...storage, home };
}

/** The password in the store URL of `home`'s config.json ("" when there is none). */
function storePassword(home: string): string {
  const config = join(home, "config.json");
  if (!existsSync(config)) return "";
  const { store } = JSON.parse(readFileSync(config, "utf8")) as { store?: string };
  return store ? decodeURIComponent(new URL(store).password) : "";
}

const bytesOf = (text: string) => new TextEncoder().encode(text);
const textOf = (stored: StoredVault | undefined) => new TextDecoder().decode(stored?.bytes);

/** Read-modify-write that appends `item` to a comma-separated list. */
const appendItem = (item: string) => (current: StoredVault) =>
  bytesOf(`${new TextDecoder().decode(current.bytes)},${item}`);

describe.each(STORES)("the $name store keeps the VaultStore contract", (store) => {
  it("holds nothing for an agent it has never seen", async () => {
    const { first } = fresh(store);
    expect(await first.listAgents()).toEqual([]);
    expect(await first.read("ghost")).toBeUndefined();
    expect(await first.token("ghost")).toBeUndefined();
    expect(await first.readAudit("ghost")).toEqual({ lines: [], head: undefined });
    expect(await codeOf(first.update("ghost", () => bytesOf("x")))).toBe("VAULT_NOT_FOUND");
    expect(await first.read("ghost")).toBeUndefined();
  });

  it("stores exactly the bytes it is given, for every handle, and lists the agent", async () => {
    const { first, second } = fresh(store);
    // Any bytes, not only UTF-8 JSON: the store never interprets a vault.
    const bytes = new Uint8Array(randomBytes(4096));
    await first.create("alpha", bytes);
    await first.create("beta", bytesOf("{}"));
    for (const handle of [first, second]) {
      const stored = await handle.read("alpha");
      expect(Buffer.compare(Buffer.from(stored?.bytes ?? []), Buffer.from(bytes))).toBe(0);
      expect(stored?.token).toBe(await handle.token("alpha"));
      expect([...(await handle.listAgents())].sort()).toEqual(["alpha", "beta"]);
    }
    // A read hands out a copy: changing it changes nothing stored.
    const copy = (await first.read("beta")) as StoredVault;
    copy.bytes[0] = 0x5b;
    expect(textOf(await first.read("beta"))).toBe("{}");
  });

  it("refuses a second vault for the same agent and keeps the first", async () => {
    const { first, second } = fresh(store);
    await first.create("alpha", bytesOf("one"));
    const token = await first.token("alpha");
    expect(await codeOf(second.create("alpha", bytesOf("two")))).toBe("ALREADY_EXISTS");
    expect(textOf(await first.read("alpha"))).toBe("one");
    expect(await first.token("alpha")).toBe(token);
  });

  it("commits what a transform returns, changes the token, and keeps it when nothing changes", async () => {
    const { first, second } = fresh(store);
    await first.create("alpha", bytesOf("v1"));
    const before = (await first.read("alpha")) as StoredVault;
    expect(await first.token("alpha")).toBe(before.token);
    let seen: StoredVault | undefined;
    const written = await first.update("alpha", (current) => {
      seen = current;
      return bytesOf("v2");
    });
    // The transform saw the stored vault; the write returns what is stored now.
    expect(textOf(seen)).toBe("v1");
    expect(seen?.token).toBe(before.token);
    expect(textOf(written)).toBe("v2");
    expect(written.token).not.toBe(before.token);
    expect(await second.token("alpha")).toBe(written.token);
    expect(textOf(await second.read("alpha"))).toBe("v2");
    // Same length, new bytes: still a new token (tokens are not sizes or times alone).
    const again = await second.update("alpha", () => bytesOf("v3"));
    expect(again.token).not.toBe(written.token);
    // A transform that returns nothing writes nothing.
    const unchanged = await first.update("alpha", () => undefined);
    expect(textOf(unchanged)).toBe("v3");
    expect(await first.token("alpha")).toBe(again.token);
  });

  it("leaves the vault as it was when a transform fails, and is writable right after", async () => {
    const { first, second } = fresh(store);
    await first.create("alpha", bytesOf("kept"));
    const token = await first.token("alpha");
    const failure = new Error("transform failed");
    await expect(
      first.update("alpha", async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(textOf(await second.read("alpha"))).toBe("kept");
    expect(await second.token("alpha")).toBe(token);
    // Whatever the failed write held (a lock, a row lock, a transaction) was let go.
    await second.update("alpha", () => bytesOf("next"));
    expect(textOf(await first.read("alpha"))).toBe("next");
  });

  it("loses no update when two handles read-modify-write the same vault at once", async () => {
    const { first, second } = fresh(store);
    await first.create("alpha", bytesOf("start"));
    const WRITES = 12;
    const outcomes = await Promise.all(
      Array.from({ length: WRITES }, (_, i) => {
        const handle = i % 2 === 0 ? first : second;
        // A transform that yields in the middle, as the vault's own (it encrypts) can.
        return codeOf(
          handle.update("alpha", async (current) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            return appendItem(`w${i}`)(current);
          }),
        ).then((code) => ({ i, code }));
      }),
    );
    // A store may serialise the writers or refuse one whose vault changed meanwhile
    // (CONFLICT, or BUSY past its lock timeout), never let one overwrite another.
    for (const { code } of outcomes) expect(["no error", "CONFLICT", "BUSY"]).toContain(code);
    const items = textOf(await first.read("alpha")).split(",");
    expect(items[0]).toBe("start");
    const committed = outcomes.filter((o) => o.code === "no error").map((o) => `w${o.i}`);
    expect(items.slice(1).sort()).toEqual(committed.sort());
    expect(committed.length).toBeGreaterThan(0);
  });

  it("appends audit lines in order, shows each append the log's last line, and keeps the head", async () => {
    const { first, second } = fresh(store);
    await first.create("alpha", bytesOf("v"));
    const lastLines: (string | undefined)[] = [];
    await first.appendAudit("alpha", (end) => {
      lastLines.push(end.lastLine);
      return { lines: ['{"n":1}', '{"n":2}'], head: "head-1" };
    });
    await second.appendAudit("alpha", (end) => {
      lastLines.push(end.lastLine);
      return { lines: ['{"n":3}'] };
    });
    expect(lastLines).toEqual([undefined, '{"n":2}']);
    // No new head given: the last one stays.
    expect(await first.readAudit("alpha")).toEqual({
      lines: ['{"n":1}', '{"n":2}', '{"n":3}'],
      head: "head-1",
    });
    await first.appendAudit("alpha", () => ({ lines: ['{"n":4}'], head: "head-2" }));
    const audit = await second.readAudit("alpha");
    expect(audit.lines.at(-1)).toBe('{"n":4}');
    expect(audit.head).toBe("head-2");
    // Each agent has a log of its own.
    expect(await second.readAudit("beta")).toEqual({ lines: [], head: undefined });
  });

  it("appends concurrent audit lines whole and each exactly once", async () => {
    const { first, second } = fresh(store);
    await first.create("alpha", bytesOf("v"));
    const APPENDS = 12;
    await Promise.all(
      Array.from({ length: APPENDS }, (_, i) =>
        (i % 2 === 0 ? first : second).appendAudit("alpha", () => ({
          lines: [`{"a":${i},"part":1}`, `{"a":${i},"part":2}`],
        })),
      ),
    );
    const { lines } = await first.readAudit("alpha");
    expect(lines).toHaveLength(APPENDS * 2);
    // Each append's two lines stay together: one append, one write.
    for (let n = 0; n < lines.length; n += 2) {
      const a = JSON.parse(lines[n] as string);
      expect(JSON.parse(lines[n + 1] as string)).toEqual({ a: a.a, part: 2 });
      expect(a.part).toBe(1);
    }
    expect(new Set(lines.map((line) => JSON.parse(line).a)).size).toBe(APPENDS);
  });

  it("names where a vault lives without a password in it", async () => {
    const { first, home } = fresh(store);
    const where = first.locate("alpha");
    expect(where).toContain("alpha");
    // The password the home's store URL carries (PostgreSQL) never reaches a message.
    const password = storePassword(home);
    if (store.name === "postgres") expect(password.length).toBeGreaterThan(0);
    if (password) expect(where).not.toContain(password);
  });
});

describe.runIf(ON_FILE_STORE)("the files that run on the file store only", () => {
  it("never branch on the store (a file that needs to is about storage and runs on both)", () => {
    const branching = STORE_AGNOSTIC_FILES.filter((file) =>
      /\b(ON_FILE_STORE|TEST_STORE)\b/.test(readFileSync(join(ROOT, file), "utf8")),
    );
    expect(branching, "move these out of STORE_AGNOSTIC_FILES (test/setup/suites.ts)").toEqual([]);
  });
});
