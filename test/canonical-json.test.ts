/**
 * The one-pass canonical-form proof of a parsed text (isCanonicalJsonText) never disagrees with
 * comparing the text to the value's canonical encoding: it says true only for the canonical
 * text, false only for another spelling, and otherwise leaves the answer to the comparison.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, isCanonicalJsonText } from "../src/file-format/canonical-json.js";

/** The exact answer: the text is the canonical encoding of its value and a newline. */
function exact(text: string): boolean {
  try {
    return text === `${canonicalJson(JSON.parse(text))}\n`;
  } catch {
    return false;
  }
}

const key = fc.oneof(
  fc.constantFrom("a", "b", "agent", "name", "tags", "10", "9", "", "__proto__"),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(true, false, null, 0, -1, Number.MAX_SAFE_INTEGER),
);
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
})).value;

/** Other spellings of a canonical text: each changes the text but not its value, or adds a key. */
const respellings: Array<[string, (text: string) => string]> = [
  ["a space after a colon", (text) => text.replace(":", ": ")],
  ["a space before the newline", (text) => text.replace(/\n$/, " \n")],
  ["no final newline", (text) => text.slice(0, -1)],
  ["two final newlines", (text) => `${text}\n`],
  ["an escaped slash", (text) => text.replace("/", "\\/")],
  ["a needless \\u escape", (text) => text.replace('"a', '"\\u0061')],
  ["an upper-case \\u escape", (text) => text.replace("\\u001f", "\\u001F")],
  ["\\u000a for \\n", (text) => text.replace("\\n", "\\u000a")],
  ["1.0 for 1", (text) => text.replace(":1,", ":1.0,")],
  ["1e0 for 1", (text) => text.replace(":1,", ":1e0,")],
  ["-0 for 0", (text) => text.replace(":0,", ":-0,")],
  ["a repeated key", (text) => text.replace('{"a":1,', '{"a":1,"a":1,')],
  ["keys out of order", (text) => text.replace('"a":1,"b":0', '"b":0,"a":1')],
];

describe("canonical JSON text", () => {
  it("proves canonical texts canonical and never rejects one", () => {
    fc.assert(
      fc.property(tree, (value) => {
        const text = `${canonicalJson(value)}\n`;
        expect(isCanonicalJsonText(text)).not.toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("answers true only where the encoding matches, false only where it does not", () => {
    fc.assert(
      fc.property(
        tree,
        fc.nat(),
        fc.constantFrom(" ", "\n", ",", '"', "\\", "0", "1.5", "}"),
        (value, at, insert) => {
          const canonical = `${canonicalJson(value)}\n`;
          const position = at % canonical.length;
          const text = canonical.slice(0, position) + insert + canonical.slice(position);
          let parsed = true;
          try {
            JSON.parse(text);
          } catch {
            parsed = false;
          }
          fc.pre(parsed);
          const quick = isCanonicalJsonText(text);
          if (quick !== undefined) expect(quick).toBe(exact(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each(respellings)("rejects %s", (_, respell) => {
    const canonical = `${canonicalJson({ a: 1, b: 0, c: "x/y\u001f\n", d: [1, 0] })}\n`;
    const text = respell(canonical);
    expect(text).not.toBe(canonical);
    expect(exact(text)).toBe(false);
    expect(isCanonicalJsonText(text)).not.toBe(true);
  });

  it("leaves escaped surrogates and keys with escapes to the encoding comparison", () => {
    expect(isCanonicalJsonText('{"a":"\\ud800"}\n')).toBeUndefined();
    expect(isCanonicalJsonText('{"a\\n":1}\n')).toBeUndefined();
    expect(isCanonicalJsonText('{"1":1}\n')).toBeUndefined();
    expect(isCanonicalJsonText('{"a":"\\u0000\\b\\t"}\n')).toBe(true);
  });
});
