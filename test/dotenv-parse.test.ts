/**
 * The linear dotenv reader (src/export/dotenv-parse.ts) against the `dotenv` package's own
 * `parse`, on the usual shapes of .env files and on texts stitched at random from the pieces
 * its grammar turns on (quotes, escapes, comments, separators, line breaks, `export`).
 */
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../bench/scan-corpus/generate.mjs";
import { parseDotenv } from "../src/export/dotenv-parse.js";

const reference = (text: string) => Object.entries(parse(text));

const USUAL = [
  "A=1\nB=two words\n",
  "export API_KEY=sk-123\n# comment\n\nDB_URL=postgres://u:p@h/db # trailing\n",
  "A='single # not a comment'\nB=\"double\\nnewline\"\nC=`back`\n",
  'MULTI="line one\nline two"\nNEXT=x\n',
  "A=1\nA=2\n",
  "KEY: value\nOTHER:\nnext-line\n",
  "  SPACED  =   padded value   \n",
  "EMPTY=\nHASH=#c\nQUOTED_EMPTY=''\n",
  'A="x" y\nB=\'unterminated\nC=3\n',
  "WIN=1\r\nCRLF=2\r\n",
  "dotted.name=1\nwith-dash=2\n",
  "A=\"esc \\\" quote\"\nB='it\\'s'\n",
  "export\nFOO=1\nexport BAR\nexport = 2\n",
  "1=one\nB=b\n0=zero\n",
];

const PIECES = [
  "A",
  "B_KEY",
  "x.y-z",
  "9",
  "export",
  " ",
  "  ",
  "\t",
  "\n",
  "\n\n",
  "\r\n",
  "=",
  ":",
  ": ",
  "'",
  '"',
  "`",
  "\\",
  "\\'",
  '\\"',
  "\\n",
  "#",
  "# c",
  "value",
  "two words",
  "é",
  "$VAR",
];

const KEYS = ["A", "B_KEY", "x.y-z", "9", "export", "API_KEY"];
const SEPARATORS = ["=", " = ", "=\n", ": ", ":\n", ":", "\n=", " "];
const VALUE_PIECES = [
  "v",
  "two words",
  "'",
  '"',
  "`",
  "\\",
  "\\'",
  '\\"',
  "\\n",
  "#",
  " # c",
  " ",
  "\n",
  "\r\n",
  "=",
];
const BREAKS = ["\n", "\r\n", "\n\n", "\n  \n", "\n# note\n", ""];

/** A text of 1 to 6 assignment-like lines whose values are stitched from quote-heavy pieces. */
function assignmentText(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  let text = "";
  const lines = 1 + Math.floor(random() * 6);
  for (let i = 0; i < lines; i++) {
    if (random() < 0.2) text += pick([" ", "\t", "\n"]);
    if (random() < 0.2) text += pick(["export ", "export\n", "export"]);
    text += pick(KEYS) + pick(SEPARATORS);
    const pieces = Math.floor(random() * 6);
    for (let j = 0; j < pieces; j++) text += pick(VALUE_PIECES);
    text += pick(BREAKS);
  }
  return text;
}

describe("the dotenv reader", () => {
  it("reads the usual .env shapes as dotenv does", () => {
    for (const text of USUAL)
      expect(parseDotenv(text), JSON.stringify(text)).toEqual(reference(text));
  });

  it("reads 20,000 texts stitched from the grammar's pieces as dotenv does", () => {
    const random = seededRandom(20);
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 24);
      let text = "";
      for (let j = 0; j < length; j++) text += PIECES[Math.floor(random() * PIECES.length)];
      expect(parseDotenv(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });

  it("reads 20,000 texts of assignment lines with quote-heavy values as dotenv does", () => {
    const random = seededRandom(21);
    let parsed = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = assignmentText(random);
      const expected = reference(text);
      if (expected.length > 1) parsed++;
      expect(parseDotenv(text), JSON.stringify(text)).toEqual(expected);
    }
    // The texts do reach the grammar: most give several names.
    expect(parsed).toBeGreaterThan(8_000);
  });
});
