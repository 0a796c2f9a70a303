/**
 * A wallet's recovery phrase (BIP-39: 12 to 24 words that restore every key of a wallet) under
 * a label that names one: `MNEMONIC=…`, `"seed_phrase": "…"`, `Recovery phrase: …` in a note.
 * Reported only when every word is in the BIP-39 English list and the phrase's checksum holds
 * (the last word carries 4 to 8 bits of a hash of the others), so a sentence after the label
 * is never one; the phrases published as test vectors and development defaults are left out.
 */
import { createHash } from "node:crypto";
import type { RuleMatch, ScanRule } from "../rule.js";
import { bip39Value } from "./bip39-words.js";

/**
 * The label, the rest of its name, a closing quote, a remark in brackets (`(main wallet)`), an
 * operator, an opening quote, then words (how many is checked after: a counted repetition of
 * 12 to 24 words makes the pattern large to compile, on every run that meets a label).
 */
const LABELLED_PHRASE =
  /(?<![A-Za-z])(?:mnemonic|seed|(?:seed|recovery|backup|secret|wallet|bip[_.\- ]?39)[_.\- ]?(?:phrase|words|seed|mnemonic))[A-Za-z0-9_.-]{0,30}["'`]?(?:[ \t]{0,2}\([^()\n]{0,40}\))?[ \t]{0,4}(?:[:=]{1,2}|=>|->|is:?|\(|,|-|\u2014)?[ \t]{0,4}(?:\r?\n[ \t]{0,16})?["'`]?(?<words>[A-Za-z]{3,8}(?:[ \t]{1,2}[A-Za-z]{3,8})+)/dgi;

/**
 * Phrases everyone has: the all-`abandon` and other BIP-39 test vectors, and the fixed
 * development mnemonics of Hardhat, Anvil, Ganache (`--deterministic`) and Truffle.
 */
const PUBLISHED_PHRASES = new Set([
  "test test test test test test test test test test test junk",
  "myth like bonus scare over problem client lizard pioneer submit female collect",
  "candy maple cake sugar pudding cream honey rich smooth crumble sweet treat",
  "legal winner thank year wave sausage worth useful legal winner thank yellow",
  "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
]);

/** The valid BIP-39 lengths, longest first. */
const LENGTHS = [24, 21, 18, 15, 12];

/** True when `words` (all in the list) end with the checksum of the entropy they encode. */
function hasValidChecksum(values: readonly number[]): boolean {
  const bits = values.map((value) => value.toString(2).padStart(11, "0")).join("");
  const checksumBits = values.length / 3;
  const entropyBits = bits.length - checksumBits;
  const entropy = Buffer.alloc(entropyBits / 8);
  for (let i = 0; i < entropy.length; i++) {
    entropy[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  }
  const hash = createHash("sha256").update(entropy).digest();
  const expected = (hash[0] as number).toString(2).padStart(8, "0").slice(0, checksumBits);
  return bits.slice(entropyBits) === expected;
}

/**
 * The longest valid phrase at the start of `words`: a BIP-39 length, every word in the list,
 * nine different words or more, a valid checksum, not a published phrase.
 */
function recoveryPhraseLength(words: readonly string[]): number {
  for (const length of LENGTHS) {
    if (length > words.length) continue;
    const phrase = words.slice(0, length);
    const values = phrase.map((word) => bip39Value(word));
    if (values.some((value) => value === undefined)) continue;
    if (new Set(phrase).size < 9 || PUBLISHED_PHRASES.has(phrase.join(" "))) continue;
    if (hasValidChecksum(values as number[])) return length;
  }
  return 0;
}

export const seedPhraseRule: ScanRule = {
  id: "bip39-recovery-phrase",
  description:
    "Wallet recovery phrase (BIP-39 mnemonic, checksum valid) under a seed or mnemonic label",
  keywords: ["mnemonic", "seed", "phrase", "words"],
  severity: "error",
  confidence: "high",
  suggestedName: "WALLET_MNEMONIC",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const pattern = new RegExp(LABELLED_PHRASE);
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const span = m.indices?.groups?.words;
      const phrase = m.groups?.words;
      if (!span || !phrase) continue;
      const words = phrase.toLowerCase().split(/[ \t]+/);
      const length = recoveryPhraseLength(words);
      if (length === 0) continue;
      // The span of the first `length` words.
      let end = span[0];
      for (let i = 0; i < length; i++) {
        while (/[ \t]/.test(text[end] ?? "")) end++;
        while (/[A-Za-z]/.test(text[end] ?? "")) end++;
      }
      found.push({ start: span[0], end });
    }
    return found;
  },
};
