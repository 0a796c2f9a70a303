/**
 * Tamper resistance of the vault file (security-bar.md, "Crypto and file format"): every
 * single-bit flip of a sample file, 10,000+ fuzzed files, moved ciphertexts, files copied
 * between agents and out-of-bounds Argon2 parameters are all refused with typed errors; a
 * wrong key (exit 4) is told apart from a damaged or altered file (exit 5).
 *
 * The sample vault is built at test time through the public API (no binary fixtures), in an
 * in-memory store: these checks are of the file format and run once. The same refusals
 * through the run's store (files or PostgreSQL) are in tamper-store.test.ts.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARGON2_LIMITS,
  argon2Profile,
  deriveKeyFromPassphrase,
  deriveSubkey,
  encodeFields,
  fromBase64,
  fromBase64Url,
  initCrypto,
  mac,
  open,
  passphraseSodium,
  randomBytes,
  seal,
  toHex,
} from "../src/crypto/sodium.js";
import {
  encodeVaultFile,
  macInput,
  parseVaultFile,
  type VaultFile,
} from "../src/file-format/vault-file.js";
import { createVault, openVault, passphraseKey } from "../src/index.js";
import { tempDir } from "./helpers/cli.js";
import { codeOf } from "./helpers/errors.js";
import {
  buildSampleVault,
  encodeEdited,
  formatCounts,
  MemoryStore,
  type OpenOutcome,
  openStored,
  parseJsonDocument,
  REFUSAL_CODES,
  type SampleVault,
  steppingClock,
  tally,
  withRepairedChecksum,
} from "./helpers/sample-vault.js";

let dir: { path: string; cleanup: () => void };
let sample: SampleVault;
/** A second vault (another agent, another data key) to splice pieces from. */
let other: SampleVault;

beforeAll(async () => {
  await initCrypto();
  dir = tempDir();
  sample = await buildSampleVault(dir.path, "sample");
  other = await buildSampleVault(dir.path, "other");
});

afterAll(() => dir.cleanup());

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

function describeOutcome(outcome: OpenOutcome): string {
  if (outcome.kind === "accepted") return "accepted";
  if (outcome.kind === "refused") return `${outcome.code} (exit ${outcome.exitCode})`;
  const error = outcome.error;
  return `untyped ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`;
}

/** The JSON key whose entry holds byte `index` of a file (nearest key before it, for reports). */
function fieldAt(bytes: Uint8Array, index: number): string {
  const before = decoder.decode(bytes.subarray(0, index));
  const keys = [...before.matchAll(/"([A-Za-z]+)":/g)];
  return keys.at(-1)?.[1] ?? "(start)";
}

/** Byte range of the value of the top-level `checksum` entry. */
function checksumSpan(bytes: Uint8Array): [number, number] {
  const text = decoder.decode(bytes);
  const match = /"checksum":\s*"[0-9a-f]{64}"/.exec(text);
  if (!match) throw new Error("sample has no checksum");
  const start = encoder.encode(text.slice(0, match.index + match[0].length - 65)).length;
  return [start, start + 64];
}

async function expectOpens(vault: SampleVault, bytes: Uint8Array): Promise<void> {
  expect(await openStored(vault.store, vault.agent, bytes, vault.keySource)).toEqual({
    kind: "accepted",
  });
}

describe("every single-bit flip of a sample vault file", () => {
  it("refuses each flipped file as damaged (exit 5), never accepting it or throwing untyped", async () => {
    const { store, agent, keySource, bytes } = sample;
    await expectOpens(sample, bytes);
    const started = performance.now();
    const codes = new Map<string, number>();
    const failures: string[] = [];
    let flips = 0;
    for (let index = 0; index < bytes.length; index += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const flipped = bytes.slice();
        flipped[index] = (flipped[index] as number) ^ (1 << bit);
        const outcome = await openStored(store, agent, flipped, keySource);
        flips += 1;
        tally(codes, outcome.kind === "refused" ? outcome.code : outcome.kind);
        if (outcome.kind !== "refused" || outcome.exitCode !== 5) {
          failures.push(`byte ${index} bit ${bit}: ${describeOutcome(outcome)}`);
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `bit flips: ${flips} flips of a ${bytes.length}-byte vault file in ${seconds.toFixed(1)} s: ${formatCounts(codes)}`,
    );
    expect(flips).toBe(bytes.length * 8);
    expect(failures).toEqual([]);
    await expectOpens(sample, bytes);
  });

  it("refuses each flipped file even when the editor recomputes the unkeyed checksum", async () => {
    const { store, agent, keySource, bytes } = sample;
    const [checksumStart, checksumEnd] = checksumSpan(bytes);
    expect(sameBytes(withRepairedChecksum(bytes) as Uint8Array, bytes)).toBe(true);
    const started = performance.now();
    const codes = new Map<string, number>();
    const keyErrorFields = new Map<string, number>();
    const failures: string[] = [];
    let flips = 0;
    let unchanged = 0;
    for (let index = 0; index < bytes.length; index += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const flipped = bytes.slice();
        flipped[index] = (flipped[index] as number) ^ (1 << bit);
        const edited = withRepairedChecksum(flipped) ?? flipped;
        flips += 1;
        if (sameBytes(edited, bytes)) {
          // Only a flip inside the checksum itself can be repaired back to the original file.
          unchanged += 1;
          if (index < checksumStart || index >= checksumEnd) {
            failures.push(`byte ${index} bit ${bit}: repaired to the original`);
          }
          continue;
        }
        const outcome = await openStored(store, agent, edited, keySource);
        if (outcome.kind === "refused") {
          tally(codes, outcome.code);
          if (outcome.exitCode === 4) tally(keyErrorFields, fieldAt(bytes, index));
        }
        if (outcome.kind !== "refused" || !REFUSAL_CODES.includes(outcome.code)) {
          failures.push(`byte ${index} bit ${bit}: ${describeOutcome(outcome)}`);
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `bit flips with recomputed checksum: ${flips} flips in ${seconds.toFixed(1)} s: ` +
        `${formatCounts(codes)}, unchanged after repair ${unchanged}; ` +
        `exit-4 answers came from flips in: ${formatCounts(keyErrorFields) || "none"}`,
    );
    expect(flips).toBe(bytes.length * 8);
    expect(failures).toEqual([]);
    // Most repaired flips get past the unkeyed checks: the keyed checks are what refuses them.
    expect((codes.get("TAMPERED") ?? 0) + (codes.get("WRONG_AGENT") ?? 0)).toBeGreaterThan(1000);
  });
});

/** Every path (object keys and array indexes) in a JSON document, root excluded. */
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index], ...pathsOf(item, [...prefix, index]));
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key], ...pathsOf(item, [...prefix, key]));
    }
  }
  return out;
}

type Json = Record<string, unknown>;

function getAt(document: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], document);
}

/** Sets (or with `value` undefined, deletes) the node at `path`. */
function setAt(document: unknown, path: Array<string | number>, value: unknown): void {
  const parent = getAt(document, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1) as string | number;
  if (value !== undefined) {
    parent[key] = value;
  } else if (Array.isArray(parent)) {
    parent.splice(key as number, 1);
  } else {
    delete parent[key];
  }
}

/** Pretty JSON with the checksum recomputed when canonical JSON can hold the content. */
function encodeDocument(document: unknown, repair: boolean): Uint8Array {
  if (repair && document !== null && typeof document === "object" && !Array.isArray(document)) {
    try {
      return encodeEdited(document as Json);
    } catch {
      // Floats and unsafe integers: canonical JSON cannot hold them; keep the old checksum.
    }
  }
  return encoder.encode(`${JSON.stringify(document, null, 2)}\n`);
}

function pick<T>(items: readonly T[], seed: number): T {
  return items[seed % items.length] as T;
}

function versionPaths(document: Json): Array<Array<string | number>> {
  const secrets = document.secrets as Array<{ versions: unknown[] }>;
  return secrets.flatMap((secret, s) =>
    secret.versions.map((_, v) => ["secrets", s, "versions", v] as Array<string | number>),
  );
}

interface Mutation {
  kind: string;
  apply: (original: Uint8Array) => Uint8Array;
}

const GiB = 1024 * 1024 * 1024;
const strangeNumbers = [
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  -1,
  0,
  1.5,
  1e308,
  -0,
  GiB + 1,
  2 ** 32,
  2 ** 40,
];
const strangeValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(...strangeNumbers, "", null, [], {}, true, "x".repeat(100_000)),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer(),
  fc.constantFrom("agent-vault/1", "2025-01-15T09:30:00.000Z", "AAAAAAAAAAAAAAAAAAAAAA", "A"),
);

/** Byte-level damage: overwrites, truncation, insertion, deletion, duplicated or moved entries. */
const byteMutation: fc.Arbitrary<Mutation> = fc
  .tuple(
    fc.oneof(
      fc.record({
        kind: fc.constant("overwrite bytes"),
        writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
      }),
      fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
      fc.record({
        kind: fc.constant("insert bytes"),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
      }),
      fc.record({
        kind: fc.constant("insert text"),
        at: fc.nat(),
        text: fc.constantFrom(
          " ",
          "\n",
          ",",
          '"',
          "{",
          "}",
          "[",
          "]",
          "0",
          "-",
          "e9",
          '"x": 1,',
          "\\u0000",
          "é",
          "\ufeff",
          "null",
          "1e999",
        ),
      }),
      fc.record({
        kind: fc.constant("delete slice"),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 256 }),
      }),
      fc.record({
        kind: fc.constant("duplicate slice"),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 256 }),
        to: fc.nat(),
      }),
      fc.record({
        kind: fc.constantFrom(
          "swap JSON entries",
          "duplicate a JSON entry",
          "delete a JSON entry",
          "move a JSON entry",
        ),
        a: fc.nat(),
        b: fc.nat(),
      }),
      fc.record({
        kind: fc.constant("replace number literal"),
        which: fc.nat(),
        literal: fc.constantFrom(
          "9007199254740993",
          "1e308",
          "1e999",
          "-1",
          "0",
          "1.5",
          "123456789012345678901234567890",
          "-0",
          "1E3",
          "01",
          "1073741825",
        ),
      }),
    ),
    fc.boolean(),
  )
  .map(([spec, repair]) => ({
    kind: `${spec.kind}${repair ? " (checksum recomputed)" : ""}`,
    apply: (original: Uint8Array) => {
      let out: Uint8Array;
      const size = original.length;
      switch (spec.kind) {
        case "overwrite bytes": {
          out = original.slice();
          for (const [at, value] of spec.writes) out[at % size] = value;
          break;
        }
        case "truncate":
          out = original.slice(0, spec.at % size);
          break;
        case "insert bytes": {
          const at = spec.at % (size + 1);
          out = Buffer.concat([original.subarray(0, at), spec.bytes, original.subarray(at)]);
          break;
        }
        case "insert text": {
          const at = spec.at % (size + 1);
          out = Buffer.concat([
            original.subarray(0, at),
            encoder.encode(spec.text),
            original.subarray(at),
          ]);
          break;
        }
        case "delete slice": {
          const at = spec.at % size;
          out = Buffer.concat([original.subarray(0, at), original.subarray(at + spec.length)]);
          break;
        }
        case "duplicate slice": {
          const at = spec.at % size;
          const slice = original.subarray(at, at + spec.length);
          const to = spec.to % (size + 1);
          out = Buffer.concat([original.subarray(0, to), slice, original.subarray(to)]);
          break;
        }
        case "replace number literal": {
          const text = decoder.decode(original);
          const numbers = [...text.matchAll(/(?<=":\s*)-?\d+(?=\s*[,}\]])/g)];
          const target = numbers[spec.which % numbers.length];
          if (!target) throw new Error("sample has no numbers");
          out = encoder.encode(
            text.slice(0, target.index) +
              spec.literal +
              text.slice(target.index + target[0].length),
          );
          break;
        }
        default: {
          // Entries as text: cut after every `,`, `{` and `[` (works for any layout).
          const pieces = decoder.decode(original).split(/(?<=[,{[])/);
          const a = spec.a % pieces.length;
          const b = spec.b % pieces.length;
          const pieceA = pieces[a] as string;
          if (spec.kind === "swap JSON entries") {
            pieces[a] = pieces[b] as string;
            pieces[b] = pieceA;
          } else if (spec.kind === "duplicate a JSON entry") {
            pieces.splice(b, 0, pieceA);
          } else if (spec.kind === "delete a JSON entry") {
            pieces.splice(a, 1);
          } else {
            pieces.splice(a, 1);
            pieces.splice(b % (pieces.length + 1), 0, pieceA);
          }
          out = encoder.encode(pieces.join(""));
        }
      }
      return repair ? (withRepairedChecksum(out) ?? out) : out;
    },
  }));

/** Structural edits of the parsed document, re-encoded canonically (checksum recomputed). */
function structural(
  kind: string,
  edit: (document: Json, paths: Array<Array<string | number>>) => unknown,
  repairArbitrary: fc.Arbitrary<boolean> = fc.boolean(),
) {
  return repairArbitrary.map(
    (repair): Mutation => ({
      kind: `${kind}${repair ? " (checksum recomputed)" : ""}`,
      apply: (original: Uint8Array) => {
        const document = parseJsonDocument(original);
        const result = edit(document, pathsOf(document));
        return encodeDocument(result === undefined ? document : result, repair);
      },
    }),
  );
}

const structuralMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.nat(), strangeValue)
    .chain(([seed, value]) =>
      structural("set a field to another value", (document, paths) =>
        setAt(document, pick(paths, seed), value),
      ),
    ),
  fc
    .nat()
    .chain((seed) =>
      structural("delete a field or entry", (document, paths) =>
        setAt(document, pick(paths, seed), undefined),
      ),
    ),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(
        fc.constantFrom("name", "tags", "kdf", "agent", "mac", "version", "__proto__", "x"),
        fc.string({ maxLength: 10 }),
      ),
      strangeValue,
    )
    .chain(([seed, key, value]) =>
      structural("add a field", (document, paths) => {
        const objects = [[], ...paths].filter((path) => {
          const node = getAt(document, path);
          return node !== null && typeof node === "object" && !Array.isArray(node);
        });
        const target = getAt(document, pick(objects, seed)) as Json;
        Object.defineProperty(target, key, { value, enumerable: true, writable: true });
      }),
    ),
  fc.tuple(fc.nat(), fc.nat(), fc.nat()).chain(([seed, from, to]) =>
    structural("duplicate an array entry", (document, paths) => {
      const arrays = paths.filter((path) => Array.isArray(getAt(document, path)));
      const array = getAt(document, pick(arrays, seed)) as unknown[];
      if (array.length === 0) {
        array.push("extra");
      } else {
        array.splice(to % (array.length + 1), 0, structuredClone(array[from % array.length]));
      }
    }),
  ),
  fc.tuple(fc.nat(), fc.array(fc.nat(), { minLength: 2, maxLength: 8 })).chain(([seed, order]) =>
    structural("reorder an array", (document, paths) => {
      const arrays = paths.filter((path) => {
        const node = getAt(document, path);
        return Array.isArray(node) && node.length > 1;
      });
      const array = getAt(document, pick(arrays, seed)) as unknown[];
      const keyed = array.map((item, index) => ({ item, key: order[index % order.length] }));
      keyed.sort((a, b) => (a.key as number) - (b.key as number));
      const reordered = keyed.map((entry) => entry.item);
      if (reordered.every((item, index) => item === array[index])) reordered.reverse();
      array.splice(0, array.length, ...reordered);
    }),
  ),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(
        fc.constantFrom(0, 11, 100, 2 ** 31, 2 ** 32, -1, 1.5, Number.MAX_SAFE_INTEGER),
        fc.integer(),
      ),
      fc.oneof(
        fc.constantFrom(
          GiB + 1,
          2 ** 32,
          2 ** 40,
          Number.MAX_SAFE_INTEGER,
          8191,
          0,
          -1,
          1e20,
          GiB * 1.5,
        ),
        fc.integer({ min: GiB + 1, max: Number.MAX_SAFE_INTEGER }),
      ),
      fc.boolean(),
    )
    .chain(([seed, opsLimit, memLimit, retype]) =>
      structural("Argon2 parameters out of bounds", (document) => {
        const slot = pick(document.slots as Json[], seed);
        if (retype) slot.type = "passphrase";
        slot.kdf = { alg: "argon2id13", salt: "AAAAAAAAAAAAAAAAAAAAAA", opsLimit, memLimit };
      }),
    ),
  fc
    .constantFrom(
      "agent-vault/2",
      "agent-vault/0",
      "agent-vault/10",
      "agent-vault/1 ",
      "AGENT-VAULT/1",
      "",
      "agent-vault/01",
      "agent-vault/999999999999999999999",
    )
    .chain((format) =>
      structural("another format tag", (document) => {
        document.format = format;
      }),
    ),
  fc.tuple(fc.nat(), fc.nat(), fc.boolean()).chain(([from, to, nonceToo]) =>
    structural(
      "move a ciphertext to another version",
      (document) => {
        const versions = versionPaths(document);
        const source = getAt(document, pick(versions, from)) as Json;
        let target = getAt(document, pick(versions, to)) as Json;
        if (target === source) target = getAt(document, pick(versions, to + 1)) as Json;
        target.ciphertext = source.ciphertext;
        if (nonceToo) target.nonce = source.nonce;
      },
      fc.constant(true),
    ),
  ),
  fc
    .constantFrom("slots", "secrets", "vaultId", "mac", "agent", "createdAt", "a slot", "a version")
    .chain((part) =>
      structural(
        "splice a part of another agent's vault",
        (document) => {
          const foreign = parseJsonDocument(other.bytes);
          if (part === "a slot") {
            (document.slots as Json[])[0] = (foreign.slots as Json[])[0] as Json;
          } else if (part === "a version") {
            const [path] = versionPaths(document);
            const [foreignPath] = versionPaths(foreign);
            setAt(document, path as Array<string | number>, getAt(foreign, foreignPath ?? []));
          } else {
            document[part] = foreign[part];
          }
        },
        fc.constant(true),
      ),
    ),
  fc.tuple(fc.jsonValue(), fc.boolean()).map(
    ([value, framed]): Mutation => ({
      kind: "random JSON",
      apply: () => {
        if (!framed || value === null || typeof value !== "object" || Array.isArray(value)) {
          return encodeDocument(value, false);
        }
        return encodeDocument({ ...value, format: "agent-vault/1", checksum: "" }, true);
      },
    }),
  ),
);

describe("fuzzed and mutated vault files", () => {
  it("refuses at least 10,000 mutated files per run with typed errors only", async () => {
    const { store, agent, keySource, bytes } = sample;
    await expectOpens(sample, bytes);
    const started = performance.now();
    const codes = new Map<string, number>();
    const kinds = new Map<string, number>();
    let tested = 0;
    let unchanged = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(byteMutation, structuralMutation), async (mutation) => {
        const mutated = mutation.apply(bytes);
        if (sameBytes(mutated, bytes)) {
          unchanged += 1;
          return;
        }
        const outcome = await openStored(store, agent, mutated, keySource);
        tested += 1;
        tally(kinds, mutation.kind.replace(/ \(checksum recomputed\)$/, ""));
        tally(codes, outcome.kind === "refused" ? outcome.code : outcome.kind);
        expect(
          outcome.kind === "refused" && REFUSAL_CODES.includes(outcome.code),
          `${mutation.kind}: ${describeOutcome(outcome)}`,
        ).toBe(true);
      }),
      { numRuns: 10_400 },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fuzz: ${tested} mutated files in ${seconds.toFixed(1)} s (${unchanged} mutations left the file unchanged): ` +
        `${formatCounts(codes)}\n  by mutation: ${formatCounts(kinds)}`,
    );
    expect(tested).toBeGreaterThanOrEqual(10_000);
    // The keyed checks are reached, not only the parser.
    expect(codes.get("TAMPERED") ?? 0).toBeGreaterThan(500);
    await expectOpens(sample, bytes);
  });
});

describe("Argon2 parameters read from a file", () => {
  it("refuses more than 1 GiB of memory or more than 10 passes before deriving any key", async () => {
    const store = new MemoryStore();
    const passphrase = "correct horse battery staple";
    const { vault } = await createVault({
      store,
      agent: "pw",
      keySource: passphraseKey(passphrase, "interactive"),
      now: steppingClock(),
    });
    await vault.set("API_KEY", "value");
    vault.close();
    const bytes = store.bytes("pw");
    const source = passphraseKey(passphrase);
    expect(await openStored(store, "pw", bytes, source)).toEqual({ kind: "accepted" });

    const cases: Array<[opsLimit: number, memLimit: number]> = [
      [2, GiB + 1],
      [2, 2 ** 32],
      [2, 2 ** 40],
      [2, Number.MAX_SAFE_INTEGER],
      [11, 64 * 1024 * 1024],
      [2 ** 31, 64 * 1024 * 1024],
      [0, 64 * 1024 * 1024],
      [2, 8191],
    ];
    const externalBefore = process.memoryUsage().external;
    const started = performance.now();
    for (const [opsLimit, memLimit] of cases) {
      const document = parseJsonDocument(bytes);
      const slot = (document.slots as Json[])[0] as Json;
      slot.kdf = { ...(slot.kdf as Json), opsLimit, memLimit };
      const outcome = await openStored(store, "pw", encodeEdited(document), source);
      expect(describeOutcome(outcome), `opsLimit ${opsLimit}, memLimit ${memLimit}`).toBe(
        "CORRUPT (exit 5)",
      );
    }
    const elapsed = performance.now() - started;
    const grown = process.memoryUsage().external - externalBefore;
    console.log(
      `Argon2 bounds: ${cases.length} out-of-bounds files refused in ${elapsed.toFixed(0)} ms, ` +
        `external memory grew ${(grown / 1024 / 1024).toFixed(1)} MiB`,
    );
    // One Argon2id pass over 1 GiB takes seconds and grows the WebAssembly heap by 1 GiB.
    expect(elapsed).toBeLessThan(2000);
    expect(grown).toBeLessThan(256 * 1024 * 1024);
  });

  it("keeps the key derivation itself bounded, whatever its caller passes", async () => {
    const salt = randomBytes(16);
    const passphrase = encoder.encode("pw");
    for (const params of [
      { opsLimit: 2, memLimit: ARGON2_LIMITS.maxMem + 1 },
      { opsLimit: ARGON2_LIMITS.maxOps + 1, memLimit: 8192 },
      { opsLimit: 2, memLimit: ARGON2_LIMITS.minMem - 1 },
      { opsLimit: 0, memLimit: 8192 },
      { opsLimit: 2.5, memLimit: 8192 },
    ]) {
      await expect(deriveKeyFromPassphrase(passphrase, salt, params)).rejects.toThrow(RangeError);
    }
    expect(ARGON2_LIMITS.maxMem).toBe(GiB);
    expect(ARGON2_LIMITS.maxOps).toBe(10);
  });

  it("names libsodium's own Argon2id profiles", async () => {
    const withArgon2 = await passphraseSodium();
    for (const name of ["interactive", "moderate", "sensitive"] as const) {
      const upper = name.toUpperCase() as Uppercase<typeof name>;
      expect(argon2Profile(name)).toEqual({
        opsLimit: withArgon2[`crypto_pwhash_OPSLIMIT_${upper}`],
        memLimit: withArgon2[`crypto_pwhash_MEMLIMIT_${upper}`],
      });
    }
    // That the derivation itself is unchanged is the frozen vault's passphrase slot
    // (format-vector.test.ts), written by an earlier build.
  });
});

/** The data key of a vault, unwrapped with its key file (what only a key holder can do). */
function dataKeyOf(file: VaultFile, keyFilePath: string): Uint8Array {
  const kek = fromBase64(readFileSync(keyFilePath, "utf8").trim()) as Uint8Array;
  const slot = file.slots.find((entry) => entry.type === "keyfile");
  if (!slot) throw new Error("no key file slot");
  const ad = encodeFields(["agent-vault/1 slot", file.vaultId, file.agent, slot.id, slot.type]);
  const dataKey = open(
    kek,
    fromBase64Url(slot.nonce) as Uint8Array,
    fromBase64Url(slot.wrappedKey) as Uint8Array,
    ad,
  );
  expect(dataKey, "the key file slot unwraps with format v1's slot binding").toBeDefined();
  return dataKey as Uint8Array;
}

/**
 * The keyed MAC key of a vault file, for simulating an attacker who also holds the vault's key.
 * Checked against the file's own MAC, so a change of construction fails here, not silently.
 */
function macKeyOf(file: VaultFile, keyFilePath: string): Uint8Array {
  const macKey = deriveSubkey(dataKeyOf(file, keyFilePath), 1, "avmac___");
  expect(toHex(mac(macKey, macInput(file))), "the MAC construction of format v1").toBe(file.mac);
  return macKey;
}

/** Re-encodes an edited file with its keyed MAC and checksum recomputed. */
function resealed(file: VaultFile, macKey: Uint8Array): Uint8Array {
  const { mac: _mac, checksum: _checksum, ...body } = file;
  return encodeVaultFile({ ...body, mac: toHex(mac(macKey, macInput(body))) });
}

function valueAd(vaultId: string, agent: string, name: string, version: number): Uint8Array {
  return encodeFields(["agent-vault/1 value", vaultId, agent, name, version]);
}

function versionOf(file: VaultFile, name: string, version: number) {
  const found = file.secrets
    .find((secret) => secret.name === name)
    ?.versions.find((entry) => entry.version === version);
  if (!found) throw new Error(`no ${name} v${version}`);
  return found;
}

/** The entry at `index`, which the test knows is there. */
function at<T>(items: T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no entry ${index}`);
  return item;
}

describe("ciphertexts bound to where they belong", () => {
  it("binds each sealed value to its format, vault id, agent, secret name and version", () => {
    const file = parseVaultFile(sample.bytes, "sample");
    const valueKey = deriveSubkey(dataKeyOf(file, sample.keyFile), 2, "avvalue_");
    const sealed = versionOf(file, "API_TOKEN", 2);
    const nonce = fromBase64Url(sealed.nonce) as Uint8Array;
    const ciphertext = fromBase64Url(sealed.ciphertext) as Uint8Array;
    const openWith = (ad: Uint8Array) => {
      const plain = open(valueKey, nonce, ciphertext, ad);
      return plain === undefined ? undefined : decoder.decode(plain);
    };
    // The file's own ciphertext opens only with exactly its own binding.
    expect(openWith(valueAd(file.vaultId, "sample", "API_TOKEN", 2))).toBe("tok-2");
    const otherVaultId = parseVaultFile(other.bytes, "other").vaultId;
    for (const [what, ad] of Object.entries({
      "another agent": valueAd(file.vaultId, "other", "API_TOKEN", 2),
      "another secret": valueAd(file.vaultId, "sample", "DB_PASSWORD", 2),
      "another version": valueAd(file.vaultId, "sample", "API_TOKEN", 1),
      "another vault id": valueAd(otherVaultId, "sample", "API_TOKEN", 2),
      "another format": encodeFields([
        "agent-vault/2 value",
        file.vaultId,
        "sample",
        "API_TOKEN",
        2,
      ]),
      "a slot's binding": encodeFields([
        "agent-vault/1 slot",
        file.vaultId,
        "sample",
        "API_TOKEN",
        2,
      ]),
      "shifted fields": encodeFields([
        "agent-vault/1 value",
        file.vaultId,
        "sampleAPI_TOKEN",
        "",
        2,
      ]),
      "no binding": new Uint8Array(0),
    })) {
      expect(openWith(ad), what).toBeUndefined();
    }

    // The same holds for a value sealed afresh for (agent A, name X, version 1).
    const key = randomBytes(32);
    const vaultId = "AAAAAAAAAAAAAAAAAAAAAA";
    const fresh = seal(key, encoder.encode("secret"), valueAd(vaultId, "agent-a", "NAME_X", 1));
    const reopen = (ad: Uint8Array) => open(key, fresh.nonce, fresh.ciphertext, ad);
    expect(decoder.decode(reopen(valueAd(vaultId, "agent-a", "NAME_X", 1)))).toBe("secret");
    expect(reopen(valueAd(vaultId, "agent-b", "NAME_X", 1))).toBeUndefined();
    expect(reopen(valueAd(vaultId, "agent-a", "NAME_Y", 1))).toBeUndefined();
    expect(reopen(valueAd(vaultId, "agent-a", "NAME_X", 2))).toBeUndefined();
    expect(reopen(valueAd("BBBBBBBBBBBBBBBBBBBBBB", "agent-a", "NAME_X", 1))).toBeUndefined();
  });

  it("refuses a file whose ciphertext was moved to another secret, version or agent's vault", async () => {
    const file = parseVaultFile(sample.bytes, "sample");
    const foreign = parseVaultFile(other.bytes, "other");
    const moves: Record<string, (edited: VaultFile) => void> = {
      "to another secret": (edited) => {
        Object.assign(versionOf(edited, "DB_PASSWORD", 1), {
          nonce: versionOf(file, "API_TOKEN", 2).nonce,
          ciphertext: versionOf(file, "API_TOKEN", 2).ciphertext,
        });
      },
      "to another version": (edited) => {
        Object.assign(versionOf(edited, "API_TOKEN", 2), {
          nonce: versionOf(file, "API_TOKEN", 1).nonce,
          ciphertext: versionOf(file, "API_TOKEN", 1).ciphertext,
        });
      },
      "from another agent's vault": (edited) => {
        Object.assign(versionOf(edited, "API_TOKEN", 2), {
          nonce: versionOf(foreign, "API_TOKEN", 2).nonce,
          ciphertext: versionOf(foreign, "API_TOKEN", 2).ciphertext,
        });
      },
    };
    const macKey = macKeyOf(file, sample.keyFile);
    for (const [what, move] of Object.entries(moves)) {
      const edited = structuredClone(file);
      move(edited);
      // As anyone could: the unkeyed checksum is recomputed, the keyed MAC cannot be.
      const outcome = await openStored(
        sample.store,
        "sample",
        encodeEdited(edited),
        sample.keySource,
      );
      expect(describeOutcome(outcome), what).toBe("TAMPERED (exit 5)");

      // Even a holder of the MAC key cannot make a moved value decrypt: the AEAD binding holds.
      sample.store.put("sample", resealed(edited, macKey));
      const vault = await openVault({
        store: sample.store,
        agent: "sample",
        keySource: sample.keySource,
      });
      try {
        const movedName = what === "to another secret" ? "DB_PASSWORD" : "API_TOKEN";
        const keptName = movedName === "API_TOKEN" ? "DB_PASSWORD" : "API_TOKEN";
        expect(await codeOf(vault.get(movedName)), what).toBe("TAMPERED");
        expect(await vault.get(keptName)).toBe(sample.values[keptName]);
      } finally {
        vault.close();
      }
    }
    sample.store.put("sample", sample.bytes);
  });

  it("refuses a vault file renamed to another agent even with its MAC recomputed", async () => {
    const file = parseVaultFile(sample.bytes, "sample");
    const macKey = macKeyOf(file, sample.keyFile);
    const renamed = structuredClone(file);
    renamed.agent = "intruder";
    const store = new MemoryStore();
    const outcome = await openStored(
      store,
      "intruder",
      resealed(renamed, macKey),
      sample.keySource,
    );
    // The slot's wrapping is bound to the agent: the right key no longer unwraps it.
    expect(describeOutcome(outcome)).toBe("TAMPERED (exit 5)");
  });

  it("refuses entries deleted, added, reordered or edited, and tells this from a wrong key", async () => {
    const file = parseVaultFile(sample.bytes, "sample");
    const edits: Record<string, (edited: VaultFile) => void> = {
      "secret deleted": (edited) => edited.secrets.splice(1, 1),
      "secret duplicated": (edited) => edited.secrets.push(structuredClone(at(edited.secrets, 0))),
      "secrets reordered": (edited) => edited.secrets.reverse(),
      "version deleted": (edited) => at(edited.secrets, 0).versions.shift(),
      "versions reordered": (edited) => at(edited.secrets, 0).versions.reverse(),
      "removed secret restored": (edited) => {
        delete at(edited.secrets, 2).removedAt;
      },
      "description edited": (edited) => {
        at(edited.secrets, 0).description = "Deploy token!";
      },
      "tag added": (edited) => at(edited.secrets, 0).tags.push("public"),
      "env edited": (edited) => {
        at(edited.secrets, 0).env = "PATH";
      },
      "history limit edited": (edited) => {
        edited.settings.historyLimit = 1000;
      },
      "generation edited": (edited) => {
        edited.generation += 1;
      },
      "CI slot deleted": (edited) => edited.slots.splice(1, 1),
      "slots reordered": (edited) => edited.slots.reverse(),
      "slot label edited": (edited) => {
        at(edited.slots, 1).label = "laptop-2";
      },
      "timestamp edited": (edited) => {
        at(edited.secrets, 0).updatedAt = "2030-01-01T00:00:00.000Z";
      },
    };
    for (const [what, edit] of Object.entries(edits)) {
      const edited = structuredClone(file);
      edit(edited);
      const repaired = encodeEdited(edited);
      const stale = encoder.encode(
        decoder
          .decode(repaired)
          .replace(
            /"checksum":(\s*)"[0-9a-f]{64}"/,
            (_match, space) => `"checksum":${space}"${file.checksum}"`,
          ),
      );
      expect(
        describeOutcome(await openStored(sample.store, "sample", stale, sample.keySource)),
        what,
      ).toBe("CORRUPT (exit 5)");
      expect(
        describeOutcome(await openStored(sample.store, "sample", repaired, sample.keySource)),
        what,
      ).toBe("TAMPERED (exit 5)");
    }
    sample.store.put("sample", sample.bytes);
  });

  it("reports an altered key check as tampering, not as a wrong key", async () => {
    const file = parseVaultFile(sample.bytes, "sample");
    const edited = structuredClone(file);
    const slot = edited.slots.find((entry) => entry.type === "keyfile");
    if (!slot) throw new Error("no key file slot");
    slot.check = slot.check.startsWith("A") ? `B${slot.check.slice(1)}` : `A${slot.check.slice(1)}`;
    // The key file is the right one: its wrapped data key still opens; only the check was edited.
    const outcome = await openStored(
      sample.store,
      "sample",
      encodeEdited(edited),
      sample.keySource,
    );
    sample.store.put("sample", sample.bytes);
    expect(describeOutcome(outcome)).toBe("TAMPERED (exit 5)");
  });
});

describe("the keyed check covers the bytes as they were read", () => {
  it("refuses a tampered file even when the store's buffer turns genuine while the key is found", async () => {
    // Same length, so that the genuine bytes can overwrite the tampered ones in place.
    const text = decoder.decode(sample.bytes).replace("Deploy token", "Evil!! token");
    const tampered = withRepairedChecksum(encoder.encode(text)) as Uint8Array;
    expect(tampered).toBeDefined();
    expect(tampered.length).toBe(sample.bytes.length);
    // A store of a library user's own that hands out one buffer and refills it later.
    const shared = new Uint8Array(tampered);
    const store = new MemoryStore();
    store.put(sample.agent, sample.bytes);
    store.read = async () => {
      setImmediate(() => shared.set(sample.bytes));
      return { bytes: shared, token: "t" };
    };
    const code = await codeOf(
      openVault({ store, agent: sample.agent, keySource: sample.keySource }),
    );
    expect(code).toBe("TAMPERED");
  });
});
