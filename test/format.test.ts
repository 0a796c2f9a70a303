/**
 * The vault file format (security-bar.md, "Crypto and file format"): files written through the
 * public API parse and re-encode byte for byte, stay canonical, and hold exactly what was set;
 * the associated-data encoding is injective.
 */
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFields, initCrypto } from "../src/crypto/sodium.js";
import { encodeVaultFile, parseVaultFile } from "../src/file-format/vault-file.js";
import { ENV_NAME_PATTERN, TAG_PATTERN } from "../src/grammar.js";
import {
  createVault,
  isVaultError,
  keychainKey,
  keyFileKey,
  MAX_VALUE_BYTES,
  openVault,
  passphraseKey,
  SECRET_NAME_PATTERN,
} from "../src/index.js";
import { tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import {
  MemoryKeyStore,
  MemoryStore,
  parseJsonDocument,
  steppingClock,
} from "./helpers/sample-vault.js";
import { prepareHome, readStoredVault } from "./helpers/test-store.js";

let dir: { path: string; cleanup: () => void };
let keyFile: string;

beforeAll(async () => {
  await initCrypto();
  dir = tempDir();
  keyFile = join(dir.path, "master.key");
});

afterAll(() => dir.cleanup());

// A leading byte-order mark is a field's own character here, not a marker to drop.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/** True when every object in `value` lists its keys sorted by UTF-16 code unit. */
function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    return (
      keys.every((key, index) => index === 0 || (keys[index - 1] as string) < key) &&
      Object.values(value).every(keysSorted)
    );
  }
  return true;
}

/**
 * True when `bytes` are canonical JSON: UTF-8, keys sorted at every level, no escapes or
 * spacing beyond what `JSON.stringify` prints (one line, or two-space indent), one final newline.
 */
function isCanonical(bytes: Uint8Array): boolean {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  const value = JSON.parse(text);
  const layouts = [`${JSON.stringify(value)}\n`, `${JSON.stringify(value, null, 2)}\n`];
  return keysSorted(value) && layouts.includes(text);
}

/** parse → encode of `bytes`, which must give the same bytes. */
function reencode(bytes: Uint8Array): Uint8Array {
  return encodeVaultFile(parseVaultFile(bytes, "test.json"));
}

function newMemoryVault(agent = "main", historyLimit?: number) {
  const store = new MemoryStore();
  return createVault({
    store,
    agent,
    keySource: keyFileKey(keyFile),
    now: steppingClock(),
    actor: "test@format",
    ...(historyLimit === undefined ? {} : { historyLimit }),
  }).then(({ vault }) => ({ vault, store }));
}

describe("parse → encode", () => {
  it("re-encodes every file the library writes byte for byte, through a vault's whole life", async () => {
    const home = join(dir.path, "home-roundtrip");
    prepareHome(home);
    const keyStore = new MemoryKeyStore();
    const options = { home, agent: "builder", now: steppingClock(), actor: "test@format" };
    const { vault } = await createVault({
      ...options,
      keySource: keyFileKey(join(dir.path, "builder.key")),
      label: "laptop",
      historyLimit: 3,
    });
    const files: Uint8Array[] = [];
    /** The stored file (the file store's vault.json, or the database row's body). */
    const snapshot = async () => {
      const bytes = await readStoredVault(home, "builder");
      if (!bytes) throw new Error("builder has no stored vault");
      files.push(new Uint8Array(bytes));
    };
    try {
      await snapshot();
      await vault.set("OPENAI_API_KEY", "sk-one", {
        description: 'Model access — für Tests \u{1F916} "quoted" \\ back\nslash',
        tags: ["prod", "ai", "prod", "team:ml"],
        env: "OPENAI_KEY",
      });
      await snapshot();
      for (const value of ["sk-two", "sk-three", "sk-four", "sk-five"]) {
        await vault.set("OPENAI_API_KEY", value);
        await snapshot();
      }
      await vault.set("Z_LAST", "z", { tags: [] });
      await vault.set("A_FIRST", "line 1\nline 2\r\n\ttab 'single' \"double\" $HOME `cmd`");
      await vault.set("GITHUB_TOKEN", "ghp_\u00e9\u4e2d\u{1F600}");
      await snapshot();
      await vault.remove("Z_LAST");
      await snapshot();
      await vault.rollback("OPENAI_API_KEY", 4);
      await snapshot();
      await vault.addCiKey("github-deploy");
      await snapshot();
      await vault.addKey(passphraseKey("correct horse battery", "interactive"), "backup");
      await snapshot();
      await vault.addKey(keyFileKey(join(dir.path, "second.key")), "server.key");
      await snapshot();
      await vault.addKey(keychainKey(keyStore), "desktop");
      await snapshot();
      await vault.revokeKey("github-deploy");
      await snapshot();
      await vault.purge("GITHUB_TOKEN");
      await snapshot();
      await vault.set("GITHUB_TOKEN", "ghp_new", { env: "GH_TOKEN" });
      await snapshot();
    } finally {
      vault.close();
    }

    const last = parseVaultFile(files.at(-1) as Uint8Array, "builder's stored vault");
    expect(last.slots.map((slot) => slot.type).sort()).toEqual([
      "keychain",
      "keyfile",
      "keyfile",
      "passphrase",
    ]);
    expect(last.secrets.map((secret) => secret.name)).toEqual([
      "A_FIRST",
      "GITHUB_TOKEN",
      "OPENAI_API_KEY",
      "Z_LAST",
    ]);
    const openai = last.secrets.find((secret) => secret.name === "OPENAI_API_KEY");
    expect(openai?.versions.map((version) => version.version)).toEqual([4, 5, 6]);
    expect(openai?.tags).toEqual(["ai", "prod", "team:ml"]);
    expect(last.secrets.find((secret) => secret.name === "Z_LAST")?.removedAt).toBeDefined();

    expect(files).toHaveLength(16);
    for (const bytes of files) {
      expect(isCanonical(bytes)).toBe(true);
      expect(Buffer.from(reencode(bytes)).equals(Buffer.from(bytes))).toBe(true);
    }

    // Every slot kind still opens the file it wrote.
    for (const keySource of [
      keyFileKey(join(dir.path, "builder.key")),
      keyFileKey(join(dir.path, "second.key")),
      passphraseKey("correct horse battery"),
      keychainKey(keyStore),
    ]) {
      const reopened = await openVault({ home, agent: "builder", keySource });
      expect(await reopened.get("OPENAI_API_KEY")).toBe("sk-four");
      reopened.close();
    }
  });

  it("refuses the same content in any other layout, even with a correct checksum", async () => {
    const { vault, store } = await newMemoryVault();
    await vault.set("API_KEY", "value", { tags: ["a", "b"], description: "Ä" });
    vault.close();
    const bytes = store.bytes("main");
    const document = parseJsonDocument(bytes);
    const text = decoder.decode(bytes);
    // The checksum is over content, so every one of these keeps a matching checksum.
    const layouts = {
      "one line": `${JSON.stringify(document)}\n`,
      "two spaces": `${JSON.stringify(document, null, 2)}\n`,
      "four spaces": `${JSON.stringify(document, null, 4)}\n`,
      tabs: `${JSON.stringify(document, null, "\t")}\n`,
      "no final newline": text.trimEnd(),
      "two final newlines": `${text}\n`,
      "CRLF line ends": text.replaceAll("\n", "\r\n"),
      "byte order mark": `\ufeff${text}`,
      "leading space": ` ${text}`,
      "unsorted keys": `${JSON.stringify({ secrets: document.secrets, ...document })}\n`,
      "escaped letters": text.replace('"API_KEY"', '"\\u0041PI_KEY"'),
      "escaped non-ASCII": text.replace("Ä", "\\u00c4"),
    };
    let tried = 0;
    for (const [layout, edited] of Object.entries(layouts)) {
      if (edited === text) continue; // the library's own layout
      tried += 1;
      let code = "accepted";
      try {
        parseVaultFile(encoder.encode(edited), "test.json");
      } catch (error) {
        code = isVaultError(error) ? error.code : "untyped";
      }
      expect(code, layout).toBe("CORRUPT");
    }
    expect(tried).toBe(Object.keys(layouts).length - 1);
  });
});

/** Cuts `value` to at most `limit` UTF-8 bytes without splitting a code point. */
function truncateUtf8(value: string, limit: number): string {
  let out = "";
  let bytes = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, "utf8");
    if (bytes + size > limit) break;
    out += char;
    bytes += size;
  }
  return out;
}

/** Any Unicode text but NUL (NUL is refused by design): whole code points, never half pairs. */
const anyValue = fc
  .oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 64 }),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 64 }),
    fc.string({ minLength: 1, maxLength: 64 }),
    fc.constantFrom(" ", "\n", "'", '"', "\\", "$(id)", "\u202e", "\ufeff", "\u{10ffff}", "\ud7ff"),
  )
  .map((value) => value.replaceAll("\0", "\u0001"));

/** Any UTF-16 text, lone surrogates and NUL included (descriptions are free text). */
const anyDescription = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  maxLength: 1024,
});

const secretEntry = fc.record({
  name: fc.stringMatching(SECRET_NAME_PATTERN),
  values: fc.array(anyValue, { minLength: 1, maxLength: 3 }),
  tags: fc.option(fc.array(fc.stringMatching(TAG_PATTERN), { maxLength: 6 }), { nil: undefined }),
  description: fc.option(anyDescription, { nil: undefined }),
  env: fc.option(fc.stringMatching(ENV_NAME_PATTERN), { nil: undefined }),
});

describe("what is set is what is read back", () => {
  it("stores any valid names, tags, descriptions and values exactly and keeps the file canonical", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(secretEntry, {
          selector: (entry) => entry.name,
          minLength: 1,
          maxLength: 4,
        }),
        async (entries) => {
          runs += 1;
          const { vault, store } = await newMemoryVault("prop");
          try {
            for (const entry of entries) {
              for (const [index, value] of entry.values.entries()) {
                const options =
                  index > 0
                    ? {}
                    : {
                        ...(entry.tags === undefined ? {} : { tags: entry.tags }),
                        ...(entry.description === undefined
                          ? {}
                          : { description: entry.description }),
                        ...(entry.env === undefined ? {} : { env: entry.env }),
                      };
                await vault.set(entry.name, value, options);
              }
            }
            const bytes = store.bytes("prop");
            expect(isCanonical(bytes)).toBe(true);
            expect(Buffer.from(reencode(bytes)).equals(Buffer.from(bytes))).toBe(true);

            const reopened = await openVault({
              store,
              agent: "prop",
              keySource: keyFileKey(keyFile),
            });
            try {
              const listed = await reopened.list();
              expect(listed.map((info) => info.name)).toEqual(
                entries.map((entry) => entry.name).sort(),
              );
              for (const entry of entries) {
                expect(await reopened.get(entry.name)).toBe(entry.values.at(-1));
                for (const [index, value] of entry.values.entries()) {
                  expect(await reopened.get(entry.name, { version: index + 1 })).toBe(value);
                }
                const info = listed.find((item) => item.name === entry.name);
                expect(info?.tags).toEqual([...new Set(entry.tags ?? [])].sort());
                expect(info?.description).toBe(entry.description);
                expect(info?.env).toBe(entry.env);
              }
            } finally {
              reopened.close();
            }
          } finally {
            vault.close();
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(runs).toBeGreaterThanOrEqual(150);
  });

  it("round-trips large Unicode values up to 64 KiB", async () => {
    const { vault, store } = await newMemoryVault("large");
    try {
      let version = 0;
      await fc.assert(
        fc.asyncProperty(
          fc
            .string({ unit: "binary", minLength: 4096, maxLength: 20_000 })
            .map((value) => truncateUtf8(value.replaceAll("\0", "\u0001"), MAX_VALUE_BYTES)),
          async (value) => {
            const info = await vault.set("BIG_VALUE", value);
            version += 1;
            expect(info.version).toBe(version);
            expect(await vault.get("BIG_VALUE")).toBe(value);
          },
        ),
        { numRuns: 12 },
      );
      const bytes = store.bytes("large");
      expect(isCanonical(bytes)).toBe(true);
      expect(Buffer.from(reencode(bytes)).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      vault.close();
    }
  });

  it("keeps a leading byte order mark (U+FEFF) in a value, and in a rollback of it", async () => {
    const { vault } = await newMemoryVault("bom");
    try {
      for (const value of ["\ufeff", "\ufeffsk-live", "\ufeff\ufeffdouble", "x\ufeff"]) {
        await vault.set("BOM_VALUE", value);
        expect(JSON.stringify(await vault.get("BOM_VALUE"))).toBe(JSON.stringify(value));
      }
      await vault.rollback("BOM_VALUE", 2);
      expect(JSON.stringify(await vault.get("BOM_VALUE"))).toBe(JSON.stringify("\ufeffsk-live"));
    } finally {
      vault.close();
    }
  });

  it("accepts a value of exactly 64 KiB and refuses NUL, half surrogate pairs and one byte more", async () => {
    const { vault } = await newMemoryVault("limits");
    try {
      const ascii = "x".repeat(MAX_VALUE_BYTES);
      const astral = "\u{1F511}".repeat(MAX_VALUE_BYTES / 4);
      await vault.set("ASCII_MAX", ascii);
      await vault.set("ASTRAL_MAX", astral);
      expect(await vault.get("ASCII_MAX")).toBe(ascii);
      expect(await vault.get("ASTRAL_MAX")).toBe(astral);
      for (const value of [`${ascii}y`, `${astral}a`, "a\0b", "\ud800", "a\udc00b", ""]) {
        expect(await codeOf(vault.set("REFUSED", value))).toBe("INVALID_VALUE");
      }
      expect(await vault.has("REFUSED")).toBe(false);
    } finally {
      vault.close();
    }
  });
});

describe("never writes a file it cannot read back", () => {
  it("refuses a 65th tag up front and the vault stays readable", async () => {
    const { vault, store } = await newMemoryVault("tags");
    const tags = Array.from({ length: 65 }, (_, index) => `tag-${index}`);
    let refusal: string;
    try {
      await vault.set("TAGGED", "v1", { tags: tags.slice(0, 64) });
      refusal = await codeOf(vault.set("TAGGED", "v2", { tags }));
    } finally {
      vault.close();
    }
    const reopened = openVault({ store, agent: "tags", keySource: keyFileKey(keyFile) });
    const afterwards = await reopened.then(
      async (opened) => {
        const value = await opened.get("TAGGED");
        opened.close();
        return value;
      },
      (error: unknown) => (isVaultError(error) ? error.code : "untyped"),
    );
    expect({ refusal, afterwards }).toEqual({ refusal: "INVALID_INPUT", afterwards: "v1" });
  });

  it("refuses a 257th key slot up front and the vault stays readable", async () => {
    const { vault, store } = await newMemoryVault("slots");
    let refusal: string;
    try {
      for (let index = 2; index <= 256; index += 1) await vault.addCiKey(`ci-${index}`);
      expect(vault.keys()).toHaveLength(256);
      refusal = await codeOf(vault.addCiKey("ci-257"));
    } finally {
      vault.close();
    }
    const afterwards = await openVault({
      store,
      agent: "slots",
      keySource: keyFileKey(keyFile),
    }).then(
      (opened) => {
        const count = opened.keys().length;
        opened.close();
        return `${count} keys`;
      },
      (error: unknown) => (isVaultError(error) ? error.code : "untyped"),
    );
    expect({ refusal, afterwards }).toEqual({ refusal: "INVALID_INPUT", afterwards: "256 keys" });
  });
});

/** Splits an {@link encodeFields} encoding back into its fields (length-prefixed, big-endian). */
function decodeFields(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    fields.push(bytes.slice(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  expect(offset).toBe(bytes.length);
  return fields;
}

const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("associated-data encoding", () => {
  it("keeps fields apart where a separator join would collide", () => {
    const pairs: Array<[string[], string[]]> = [
      [
        ["a:b", "c"],
        ["a", "b:c"],
      ],
      [
        ["ab", ""],
        ["a", "b"],
      ],
      [
        ["", "ab"],
        ["ab", ""],
      ],
      [["a"], ["a", ""]],
      [[], [""]],
      [
        ["agent-vault/1 value", "id", "main", "X", "1"],
        ["agent-vault/1 value", "id", "mainX", "", "1"],
      ],
    ];
    for (const [left, right] of pairs) {
      expect(left.join(":") === right.join(":") || left.join("") === right.join("")).toBe(true);
      expect(hexOf(encodeFields(left))).not.toBe(hexOf(encodeFields(right)));
    }
    expect(hexOf(encodeFields([1]))).not.toBe(hexOf(encodeFields([256])));
  });

  it("decodes back to the fields it was given, so no two field lists share an encoding", () => {
    const field = fc.oneof(
      fc.string({ unit: "binary", maxLength: 20 }),
      fc.string({ unit: fc.constantFrom("a", ":", "\0", "\u0004", "é"), maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 8 }), (fields) => {
        const decoded = decodeFields(encodeFields(fields)).map((bytes) => decoder.decode(bytes));
        expect(decoded).toEqual(fields);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives different encodings to any two different ways of splitting the same text", () => {
    const splitting = fc
      .string({ unit: fc.constantFrom("a", "b", ":", "\u0000", "\u0001"), maxLength: 12 })
      .chain((text) =>
        fc.tuple(
          fc.constant(text),
          fc.uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 4 }),
          fc.uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 4 }),
        ),
      );
    const split = (text: string, cuts: number[]) => {
      const points = [0, ...[...cuts].sort((a, b) => a - b), text.length];
      return points.slice(1).map((end, index) => text.slice(points[index], end));
    };
    fc.assert(
      fc.property(splitting, ([text, cutsA, cutsB]) => {
        const left = split(text, cutsA);
        const right = split(text, cutsB);
        const same = JSON.stringify(left) === JSON.stringify(right);
        expect(hexOf(encodeFields(left)) === hexOf(encodeFields(right))).toBe(same);
      }),
      { numRuns: 3000 },
    );
  });

  it("gives different encodings to different field lists of the same shape, numbers included", () => {
    // Every use in the vault has a fixed shape: a string or a number in each position.
    const field = (isNumber: boolean) =>
      isNumber
        ? fc.oneof(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 300 }))
        : fc.string({ unit: fc.constantFrom("a", ":", "\u0000", "\u0008"), maxLength: 9 });
    const pair = fc
      .array(fc.boolean(), { maxLength: 6 })
      .chain((shape) => fc.tuple(fc.tuple(...shape.map(field)), fc.tuple(...shape.map(field))));
    fc.assert(
      fc.property(pair, ([left, right]) => {
        const same = JSON.stringify(left) === JSON.stringify(right);
        expect(hexOf(encodeFields(left)) === hexOf(encodeFields(right))).toBe(same);
      }),
      { numRuns: 3000 },
    );
  });
});
