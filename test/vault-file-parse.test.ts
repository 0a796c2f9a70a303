/**
 * A vault file is parsed secret by secret (each record checked on its own and let go, built
 * again only when read) where its text is proven canonical in one pass, and as a whole
 * otherwise. The two must agree on every input: the same value, or the same error. Checked
 * here on a vault with every kind of record (escapes, non-ASCII text, rotation policies,
 * removed secrets, references) and on thousands of edits of it, with the checksum repaired so
 * that each edit reaches the checks it is meant to probe.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hash, initCrypto, toHex } from "../src/crypto/sodium.js";
import { canonicalJson } from "../src/file-format/canonical-json.js";
import {
  macInput,
  parseVaultFile,
  parseVaultFileWhole,
  secretNamed,
  type VaultFile,
} from "../src/file-format/vault-file.js";
import { createVault, keyFileKey } from "../src/index.js";
import { tempDir } from "./helpers/cli.js";
import { MemoryStore, steppingClock, withRepairedChecksum } from "./helpers/sample-vault.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let dir: { path: string; cleanup: () => void };
/** A vault file with many kinds of records, as the library writes it. */
let bytes: Uint8Array;
let text: string;

beforeAll(async () => {
  await initCrypto();
  dir = tempDir();
  const store = new MemoryStore();
  const { vault } = await createVault({
    store,
    agent: "parse",
    keySource: keyFileKey(`${dir.path}/parse.key`),
    now: steppingClock(),
  });
  try {
    await vault.set("API_TOKEN", "tok-1", {
      description: 'Quotes " and \\ backslashes, a tab\t, a bell \u0007, a line\nbreak',
      tags: ["ci", "prod"],
      env: "DEPLOY_TOKEN",
    });
    await vault.set("API_TOKEN", "tok-2");
    await vault.set("DB_PASSWORD", "pässwörd", { description: "Zugang für die Datenbank 🔑" });
    await vault.set("ROTATED", "r-1", { rotation: { maxAge: "30d", rotator: "random:32" } });
    await vault.set("DECOY", "d", { description: '"name":"ROTATED" is not a name' });
    await vault.set("OLD_KEY", "old");
    await vault.remove("OLD_KEY");
    for (let i = 0; i < 20; i++) await vault.set(`BULK_${i}`, `value-${i}`, { tags: ["bulk"] });
  } finally {
    vault.close();
  }
  bytes = store.bytes("parse");
  text = decoder.decode(bytes);
});

afterAll(() => dir.cleanup());

type Outcome = { value: string; keys: string } | { error: string };

/** What a parse came to: the value as canonical text and its key order, or the error. */
function outcomeOf(parse: () => VaultFile): Outcome {
  try {
    const file = parse();
    return { value: JSON.stringify(file), keys: Object.keys(file).join(",") };
  } catch (error) {
    return { error: `${(error as { code?: string }).code}: ${(error as Error).message}` };
  }
}

function bothWays(input: Uint8Array): { bySecret: Outcome; whole: Outcome } {
  return {
    bySecret: outcomeOf(() => parseVaultFile(input, "f")),
    whole: outcomeOf(() => parseVaultFileWhole(input, "f")),
  };
}

/** `text` edited and its checksum made right again (or the edit as it is, if it cannot be). */
function edited(edit: string): Uint8Array {
  const raw = encoder.encode(edit);
  return withRepairedChecksum(raw) ?? raw;
}

describe("parsing a vault file secret by secret", () => {
  it("gives the whole-file parse's value, keys in the same order", () => {
    const { bySecret, whole } = bothWays(bytes);
    expect("value" in whole).toBe(true);
    expect(bySecret).toEqual(whole);
  });

  it("builds only the secret that is read, the same object every time", () => {
    const file = parseVaultFile(bytes, "f");
    // The list is not built yet: only reading it builds it.
    expect(Object.getOwnPropertyDescriptor(file, "secrets")?.get).toBeTypeOf("function");
    const rotated = secretNamed(file, "ROTATED");
    expect(rotated?.rotation?.rotator).toBe("random:32");
    expect(secretNamed(file, "ROTATED")).toBe(rotated);
    expect(Object.getOwnPropertyDescriptor(file, "secrets")?.get).toBeTypeOf("function");
    expect(file.secrets.find((record) => record.name === "ROTATED")).toBe(rotated);
    expect(secretNamed(file, "ROTATED")).toBe(rotated);
    expect(file.secrets).toBe(file.secrets);
  });

  it("finds a name only as a record's own name, and the first record of a name", () => {
    const file = parseVaultFile(bytes, "f");
    expect(secretNamed(file, "NOPE")).toBeUndefined();
    expect(secretNamed(file, "name")).toBeUndefined();
    expect(secretNamed(file, 'ROTATED" is not a name')).toBeUndefined();
    expect(secretNamed(file, "DECOY")?.name).toBe("DECOY");
    expect(secretNamed(file, "OLD_KEY")?.removedAt).toBeDefined();
    // Two records of one name (the schema allows it): the first, as Array#find picks it.
    const whole = parseVaultFileWhole(bytes, "f");
    const first = whole.secrets.findIndex((record) => record.name === "BULK_3");
    const copy = { ...whole.secrets[first], description: "second" };
    const twice = canonicalJson({ ...whole, secrets: [...whole.secrets, copy] });
    const file2 = parseVaultFile(edited(`${twice}\n`), "f");
    expect(Object.getOwnPropertyDescriptor(file2, "secrets")?.get).toBeTypeOf("function");
    expect(secretNamed(file2, "BULK_3")?.description).toBeUndefined();
    expect(file2.secrets.filter((record) => record.name === "BULK_3")).toHaveLength(2);
  });

  it("keeps an assigned list of secrets as it is", () => {
    const file = parseVaultFile(bytes, "f");
    file.secrets = [];
    expect(file.secrets).toEqual([]);
    expect(secretNamed(file, "ROTATED")).toBeUndefined();
  });

  it("finds a record renamed in place by its new name only", () => {
    const file = parseVaultFile(bytes, "f");
    const record = secretNamed(file, "BULK_5");
    if (!record) throw new Error("no BULK_5");
    record.name = "RENAMED";
    expect(secretNamed(file, "RENAMED")).toBe(record);
    expect(secretNamed(file, "BULK_5")).toBeUndefined();
    expect(secretNamed(file, "BULK_6")?.name).toBe("BULK_6");
  });

  it("covers the text as read with the MAC, as often as it is asked", () => {
    const file = parseVaultFile(bytes, "f");
    const zeroed = text
      .replace(/"checksum":"[0-9a-f]{64}"/, `"checksum":"${"0".repeat(64)}"`)
      .replace(/"mac":"[0-9a-f]{64}"/, `"mac":"${"0".repeat(64)}"`);
    const expected = toHex(hash(encoder.encode(zeroed)));
    expect(toHex(hash(macInput(file)))).toBe(expected);
    expect(toHex(hash(macInput(file)))).toBe(expected);
  });

  it("refuses a file cut inside a string as not JSON, after an emoji too", () => {
    const at = text.lastIndexOf("🔑") + 5;
    for (const cut of [text.slice(0, at), text.slice(0, -3)]) {
      const { bySecret, whole } = bothWays(encoder.encode(`${cut}\n`));
      expect(whole).toEqual({
        error: "CORRUPT: The vault file f is damaged or was altered (not JSON).",
      });
      expect(bySecret).toEqual(whole);
    }
  });

  const inserts = [" ", "\n", ",", '"', "\\", "0", "1.5", "}", "]", "{", "[", "null", ":", "ä"];
  it("agrees with the whole-file parse on thousands of edited files", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.constantFrom(...inserts),
        fc.boolean(),
        (at, cut, insert, replace) => {
          const position = at % text.length;
          const rest = replace ? position + Math.min(cut, 3) : position;
          const input = edited(text.slice(0, position) + insert + text.slice(rest));
          const { bySecret, whole } = bothWays(input);
          expect(bySecret).toEqual(whole);
        },
      ),
      { numRuns: 3000 },
    );
  });

  /** `t` with its list of secrets changed by `change`. */
  const withSecrets = (t: string, change: (secrets: unknown[]) => unknown[]) => {
    const file = JSON.parse(t) as { secrets: unknown[] };
    return `${JSON.stringify({ ...file, secrets: change(file.secrets) })}\n`;
  };
  it.each<[string, "value" | "error", (t: string) => string]>([
    ["a record repeated", "value", (t) => withSecrets(t, (all) => [all[0], ...all])],
    ["the records in reverse order", "value", (t) => withSecrets(t, (all) => all.reverse())],
    [
      "no secrets",
      "value",
      (t) => t.replace(/"secrets":\[.*\],"settings"/, '"secrets":[],"settings"'),
    ],
    ["an escaped slash", "error", (t) => t.replace("random:32", "random:32\\/")],
    ["a needless \\u escape", "error", (t) => t.replace('"name":"DECOY"', '"name":"\\u0044ECOY"')],
    [
      "a needless \\u escape after the secrets",
      "error",
      (t) =>
        t.replace(
          /"vaultId":"(.)/,
          (_, c: string) => `"vaultId":"\\u00${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
        ),
    ],
    ["1.0 for a version", "error", (t) => t.replace('"version":1}', '"version":1.0}')],
    ["a space after a comma", "error", (t) => t.replace('],"settings"', '], "settings"')],
    [
      "a record's keys reordered",
      "error",
      (t) => t.replace('"name":"DECOY","nextVersion":2', '"nextVersion":2,"name":"DECOY"'),
    ],
    ["a record that is not an object", "error", (t) => t.replace('"secrets":[', '"secrets":[1,')],
    [
      "an unknown key in a record",
      "error",
      (t) => t.replace('"name":"DECOY"', '"name":"DECOY","x":1'),
    ],
    ["a list where a record was", "error", (t) => t.replace('"secrets":[', '"secrets":[[],')],
    [
      "the secrets in an object",
      "error",
      (t) => t.replace(/"secrets":\[(.*)\],"settings"/, '"secrets":{"a":[$1]},"settings"'),
    ],
    ["text after the file", "error", (t) => `${t.slice(0, -1)}{}\n`],
    [
      "the list's brackets inside a string",
      "error",
      (t) => t.replace('"secrets":[', '"secrets":"[').replace('],"settings"', ']","settings"'),
    ],
    ["a literal misspelt", "error", (t) => t.replace('"secrets":[', '"secrets":[nul,')],
    ["an empty record", "error", (t) => t.replace('"secrets":[', '"secrets":[,')],
  ])("agrees with the whole-file parse on %s (%s)", (_, expected, edit) => {
    const changed = edit(text);
    expect(changed).not.toBe(text);
    const { bySecret, whole } = bothWays(edited(changed));
    expect(expected in whole).toBe(true);
    expect(bySecret).toEqual(whole);
  });
});
