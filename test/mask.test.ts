/**
 * The streaming redactor behind `vault run --mask`: every form of a value replaced, however the
 * output is cut into chunks, with nothing held back that could not start a value.
 */
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createRedactStream,
  type MaskPattern,
  maskPatterns,
  Redactor,
  redact,
} from "../src/run/mask.js";

const VALUE = "sk-live-4f9a/b+c==?&x y";

/** Redaction on the whole text by brute force: at each byte the longest pattern there, else the byte. */
function reference(text: Buffer, patterns: readonly MaskPattern[]): Buffer {
  const out: Buffer[] = [];
  let plain = 0;
  let i = 0;
  while (i < text.length) {
    let best: MaskPattern | undefined;
    for (const pattern of patterns) {
      const end = i + pattern.bytes.length;
      if (end <= text.length && text.subarray(i, end).equals(pattern.bytes)) {
        if (!best || pattern.bytes.length > best.bytes.length) best = pattern;
      }
    }
    if (best) {
      out.push(text.subarray(plain, i), Buffer.from(`[redacted:${best.name}]`));
      i += best.bytes.length;
      plain = i;
    } else {
      i += 1;
    }
  }
  out.push(text.subarray(plain));
  return Buffer.concat(out);
}

/** True when `tail` is the start of some pattern, and shorter than it. */
function startsSomePattern(tail: Buffer, patterns: readonly MaskPattern[]): boolean {
  return patterns.some(
    (p) => p.bytes.length > tail.length && p.bytes.subarray(0, tail.length).equals(tail),
  );
}

/**
 * Feeds `text` cut at `cuts` through one Redactor. After each chunk, what it holds back is at
 * most the longest pattern less one byte, and the start of some pattern.
 */
function streamed(text: Buffer, cuts: number[], patterns: readonly MaskPattern[]): Buffer {
  const redactor = new Redactor(patterns);
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const point of [...points, text.length]) {
    out.push(redactor.push(text.subarray(start, point)));
    expect(redactor.held).toBeLessThanOrEqual(Math.max(0, redactor.longest - 1));
    if (redactor.held > 0) {
      expect(startsSomePattern(text.subarray(point - redactor.held, point), patterns)).toBe(true);
    }
    start = point;
  }
  out.push(redactor.end());
  expect(redactor.held).toBe(0);
  return Buffer.concat(out);
}

function text(parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part) : part)));
}

describe("maskPatterns", () => {
  it("covers the raw value, base64 and base64url with and without padding, hex and URL encodings", () => {
    const forms = maskPatterns([{ name: "API_KEY", value: VALUE }]).map((p) =>
      p.bytes.toString("utf8"),
    );
    const raw = Buffer.from(VALUE);
    expect(forms).toEqual(
      expect.arrayContaining([
        VALUE,
        raw.toString("base64"),
        raw.toString("base64").replace(/=+$/, ""),
        raw.toString("base64url"),
        raw.toString("hex"),
        raw.toString("hex").toUpperCase(),
        encodeURIComponent(VALUE),
        "sk-live-4f9a%2Fb%2Bc%3D%3D%3F%26x+y",
      ]),
    );
    expect(new Set(forms).size).toBe(forms.length);
  });

  it("lists a byte sequence shared by two secrets once, under the first name", () => {
    const patterns = maskPatterns([
      { name: "A", value: "same-value" },
      { name: "B", value: "same-value" },
    ]);
    expect(patterns.every((pattern) => pattern.name === "A")).toBe(true);
  });
});

describe("Redactor", () => {
  const patterns = maskPatterns([{ name: "API_KEY", value: VALUE }]);
  const raw = Buffer.from(VALUE);

  it("replaces the value in every form it is printed in", () => {
    const input = text([
      `raw ${VALUE}\n`,
      `b64 ${raw.toString("base64")}\n`,
      `b64 unpadded ${raw.toString("base64").replace(/=+$/, "")}.\n`,
      `b64url ${raw.toString("base64url")}\n`,
      `hex ${raw.toString("hex")} HEX ${raw.toString("hex").toUpperCase()}\n`,
      `url https://x.test/?k=${encodeURIComponent(VALUE)}&q=${new URLSearchParams({ k: VALUE }).toString().slice(2)}\n`,
      `json {"k":${JSON.stringify(VALUE)}}\n`,
    ]);
    expect(redact(input, patterns).toString()).toBe(
      [
        "raw [redacted:API_KEY]",
        "b64 [redacted:API_KEY]",
        "b64 unpadded [redacted:API_KEY].",
        "b64url [redacted:API_KEY]",
        "hex [redacted:API_KEY] HEX [redacted:API_KEY]",
        "url https://x.test/?k=[redacted:API_KEY]&q=[redacted:API_KEY]",
        'json {"k":"[redacted:API_KEY]"}',
        "",
      ].join("\n"),
    );
  });

  it("finds a value split across two chunks at every split point", () => {
    for (const form of patterns) {
      const input = text(["before ", form.bytes, " after"]);
      for (let cut = 0; cut <= input.length; cut++) {
        expect(streamed(input, [cut], patterns).toString()).toBe("before [redacted:API_KEY] after");
      }
    }
  });

  it("finds a multi-byte UTF-8 value cut inside a character, and its encodings", () => {
    const value = "pässwörd-🔑-秘密";
    const utf8 = maskPatterns([{ name: "PW", value }]);
    const bytes = Buffer.from(value);
    for (let cut = 0; cut <= bytes.length + 2; cut++) {
      const input = text(["é", bytes, "ü"]);
      expect(streamed(input, [cut], utf8).toString()).toBe("é[redacted:PW]ü");
    }
    const encoded = `${encodeURIComponent(value)} ${bytes.toString("base64")} ${bytes.toString("hex")}`;
    expect(redact(Buffer.from(encoded), utf8).toString()).toBe(
      "[redacted:PW] [redacted:PW] [redacted:PW]",
    );
  });

  it("prefers the earliest match, then the longest", () => {
    const overlapping: MaskPattern[] = [
      { name: "A", bytes: Buffer.from("abc") },
      { name: "B", bytes: Buffer.from("bcdef") },
      { name: "C", bytes: Buffer.from("xy") },
      { name: "D", bytes: Buffer.from("xyz") },
    ];
    expect(redact(Buffer.from("abcdef xyz xy"), overlapping).toString()).toBe(
      "[redacted:A]def [redacted:D] [redacted:C]",
    );
    const padded = raw.toString("base64");
    expect(padded.endsWith("=")).toBe(true);
    expect(redact(Buffer.from(`${padded}!`), patterns).toString()).toBe("[redacted:API_KEY]!");
  });

  it("passes on at once what cannot start a value, and holds back at most the longest form less one byte", () => {
    const redactor = new Redactor(patterns);
    expect(redactor.push(Buffer.from("Password: ")).toString()).toBe("Password: ");
    expect(redactor.held).toBe(0);
    const longest = patterns.reduce((a, b) => (a.bytes.length >= b.bytes.length ? a : b));
    const open = longest.bytes.subarray(0, longest.bytes.length - 1);
    expect(redactor.push(text(["line\n", open])).toString()).toBe("line\n");
    expect(redactor.held).toBe(longest.bytes.length - 1);
    expect(redactor.push(Buffer.from("!")).toString()).toBe(`${open.toString()}!`);
    expect(redactor.end().length).toBe(0);
  });

  it("holds back a long value's start only while it matches to the last byte", () => {
    const value = "x/é".repeat(400);
    const long = maskPatterns([{ name: "BIG", value }]);
    for (const { bytes } of long) {
      for (const cut of [1, 9, 300, bytes.length - 1]) {
        const start = bytes.subarray(0, cut);
        const open = new Redactor(long);
        expect(open.push(text(["log ", start])).toString()).toBe("log ");
        expect(open.held).toBe(cut);
        // A byte the value has, but not at this place.
        const other = bytes.find((byte) => byte !== bytes[cut]) as number;
        const input = text(["log ", start, Buffer.from([other])]);
        expect(streamed(input, [], long)).toEqual(reference(input, long));
      }
    }
  });

  it("flushes a held prefix unchanged when the stream ends", () => {
    const redactor = new Redactor(patterns);
    expect(redactor.push(Buffer.from("tail sk-live")).toString()).toBe("tail ");
    expect(redactor.end().toString()).toBe("sk-live");
  });

  it("refuses an empty pattern, naming the argument", () => {
    expect(() => new Redactor([{ name: "A", bytes: Buffer.alloc(0) }])).toThrow(
      /patterns\[0\]\.bytes/,
    );
  });

  it("works as a stream", async () => {
    const chunks = [`a ${VALUE.slice(0, 5)}`, VALUE.slice(5), " b"].map((s) => Buffer.from(s));
    const out = await buffer(Readable.from(chunks).pipe(createRedactStream(patterns)));
    expect(out.toString()).toBe("a [redacted:API_KEY] b");
  });
});

describe("Redactor properties", () => {
  // A small alphabet (with multi-byte characters) so values overlap, repeat and share prefixes.
  const unit = fc.constantFrom("a", "b", "=", "é", "🔑", " ", "\n", "%");
  const value = fc.oneof(
    fc.string({ unit, minLength: 1, maxLength: 6 }),
    fc.string({ unit, minLength: 6, maxLength: 24 }),
  );
  const secrets = fc
    .uniqueArray(value, { minLength: 1, maxLength: 4 })
    .map((values) => values.map((v, i) => ({ name: `S${i}`, value: v })));
  const scenario = secrets.chain((list) => {
    const patterns = maskPatterns(list);
    const piece = fc.oneof(
      fc.string({ unit, maxLength: 6 }).map((s) => Buffer.from(s)),
      fc.constantFrom(...patterns.map((p) => p.bytes)),
      // part of a form: a near miss
      fc
        .tuple(fc.constantFrom(...patterns.map((p) => p.bytes)), fc.nat())
        .map(([bytes, n]) => bytes.subarray(0, n % bytes.length)),
    );
    return fc.record({
      patterns: fc.constant(patterns),
      input: fc.array(piece, { maxLength: 16 }).map((parts) => Buffer.concat(parts)),
      cuts: fc.array(fc.nat(), { maxLength: 8 }),
    });
  });

  it("gives the same output as redaction on the whole text by brute force, however the text is cut", () => {
    let withMatches = 0;
    let manyPatterns = 0;
    fc.assert(
      fc.property(scenario, ({ patterns, input, cuts }) => {
        const expected = reference(input, patterns);
        if (!expected.equals(input)) withMatches += 1;
        if (patterns.filter((p) => p.bytes.length >= 8).length > 8) manyPatterns += 1;
        expect(streamed(input, cuts, patterns)).toEqual(expected);
        expect(redact(input, patterns)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // Both search strategies (indexOf for a few patterns, Wu-Manber for many) ran.
    expect(withMatches).toBeGreaterThan(1000);
    expect(manyPatterns).toBeGreaterThan(500);
  });

  it("handles values of several KiB among many secrets, however the text is cut", () => {
    const long = fc.string({
      unit: fc.constantFrom("a", "b", "é", "/"),
      minLength: 300,
      maxLength: 3000,
    });
    const many = fc
      .uniqueArray(long, { minLength: 1, maxLength: 3 })
      .map((values) => maskPatterns(values.map((v, i) => ({ name: `L${i}`, value: v }))));
    fc.assert(
      fc.property(
        many,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (patterns, picks, cuts) => {
          const parts = picks.map(([index, cut, whole]) => {
            const bytes = (patterns[index % patterns.length] as MaskPattern).bytes;
            return whole ? bytes : bytes.subarray(0, cut % bytes.length);
          });
          const input = Buffer.concat(parts.flatMap((part) => [part, Buffer.from("ab ")]));
          expect(streamed(input, cuts, patterns)).toEqual(reference(input, patterns));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("holds back only a tail that some form of a value starts with", () => {
    fc.assert(
      fc.property(scenario, ({ patterns, input }) => {
        const redactor = new Redactor(patterns);
        const out = redactor.push(input);
        const tail = input.subarray(input.length - redactor.held);
        if (redactor.held > 0) expect(startsSomePattern(tail, patterns)).toBe(true);
        expect(Buffer.concat([out, redactor.end()])).toEqual(reference(input, patterns));
      }),
      { numRuns: 2000 },
    );
  });
});
