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
 * operator (or a call that takes a phrase: ethers' `Wallet.fromMnemonic(`, `fromPhrase(`,
 * bip39's `mnemonicToSeed(`, viem's `mnemonicToAccount(`), Markdown bold, up to two line breaks, an opening quote, then words apart by spaces,
 * commas or line breaks, numbered or listed or not. How many words is checked after the match:
 * a counted repetition of 12 to 24 words makes the pattern large to compile, on every run that
 * meets a label.
 */
const LABELLED_PHRASE =
  /(?:(?<![A-Za-z])(?:mnemonic|seed|(?:seed|recovery|backup|secret|wallet|bip[_.\- ]?39)[_.\- ]?(?:phrase|words|seed|mnemonic))[A-Za-z0-9_.-]{0,30}["'`]?(?:[ \t]{0,2}\([^()\n]{0,40}\))?[ \t]{0,4}(?:[:=]{1,2}|=>|->|is:?|\(|,|-|\u2014)?|(?:fromMnemonic|fromPhrase|mnemonicTo(?:Seed|SeedSync|Account|Entropy|MiniSecret)|seedFromMnemonic)\([ \t]{0,4})(?:\*\*|__)?[ \t]{0,4}(?:\r?\n[ \t]{0,16}){0,2}(?:\*\*|__|["'`])?(?<words>(?:[-*][ \t]{1,2})?(?:\d{1,2}[.)][ \t]{0,2})?[A-Za-z]{3,8}(?:(?:[ \t]{1,2}|,[ \t]{0,2}|[ \t]{0,2}\r?\n[ \t]{0,8}(?:[-*][ \t]{1,2})?)(?:\d{1,2}[.)][ \t]{0,2})?[A-Za-z]{3,8})+)/dgi;

/**
 * Phrases everyone has: the BIP-39 test vectors (Trezor's python-mnemonic `vectors.json`),
 * the fixed development mnemonics of Hardhat, Anvil, Ganache (`--deterministic`), Truffle and
 * Substrate (`//Alice`'s `DEV_PHRASE`), and bitcoinjs' README example.
 */
const PUBLISHED_PHRASES = new Set([
  "test test test test test test test test test test test junk",
  "myth like bonus scare over problem client lizard pioneer submit female collect",
  "candy maple cake sugar pudding cream honey rich smooth crumble sweet treat",
  "bottom drive obey lake curtain smoke basket hold race lonely fit walk",
  "praise you muffin lion enable neck grocery crumble super myself license ghost",
  "legal winner thank year wave sausage worth useful legal winner thank yellow",
  "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
  "scheme spot photo card baby mountain device kick cradle pact join borrow",
  "cat swing flag economy stadium alone churn speed unique patch report train",
  "vessel ladder alter error federal sibling chat ability sun glass valve picture",
  "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
  "gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog",
  "horn tenant knee talent sponsor spell gate clip pulse soap slush warm silver nephew swap uncle crack brave",
  "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length",
  "panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol speed nation flash devote level hobby quick inner drive ghost inside",
  "all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform",
  "void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold",
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

/** A phrase's word, numbered or not (`7. fish`). */
const PHRASE_WORD = "(?:\\d{1,2}[.)][ \\t]{0,2})?[A-Za-z]{3,8}";
/** 12 to 24 such words and nothing else, quoted or not. */
const WHOLE_PHRASE = new RegExp(
  `^\\s*["'\`]?${PHRASE_WORD}(?:[\\s,]{1,4}${PHRASE_WORD}){11,23}["'\`]?\\s*$`,
);

/**
 * Whether `text` is a recovery phrase and nothing else (Truffle's `.secret`, a `mnemonic.txt`):
 * 12 to 24 words apart by blanks, commas or line breaks, numbered or not, in any case, quoted or
 * not, the whole phrase valid (recoveryPhraseLength).
 */
export function isWholeRecoveryPhrase(text: string): boolean {
  if (!WHOLE_PHRASE.test(text)) return false;
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return recoveryPhraseLength(words) === words.length;
}

/**
 * What must occur for the rule to run: `mnemonic` or `seed`, or a label's two words however
 * they are joined (`recovery_phrase`, `Backup words`, `bip-39 phrase`). Not `phrase` or `words`
 * alone: prose (and every `passphrase`) is full of them, and each text that has one would pay
 * for compiling the label's pattern.
 */
const LABEL_KEYWORDS = [
  "mnemonic",
  "seed",
  "fromphrase",
  ...["recovery", "backup", "secret", "wallet", "bip39", "bip_39", "bip.39", "bip-39", "bip 39"]
    .flatMap((qualifier) => ["", "_", ".", "-", " "].map((joint) => `${qualifier}${joint}`))
    .flatMap((label) => [`${label}phrase`, `${label}words`]),
];

export const seedPhraseRule: ScanRule = {
  id: "bip39-recovery-phrase",
  description:
    "Wallet recovery phrase (BIP-39 mnemonic, checksum valid) under a seed or mnemonic label",
  keywords: LABEL_KEYWORDS,
  severity: "error",
  confidence: "high",
  suggestedName: "WALLET_MNEMONIC",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const pattern = LABELLED_PHRASE;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const span = m.indices?.groups?.words;
      const phrase = m.groups?.words;
      if (!span || !phrase) continue;
      const words = phrase
        .toLowerCase()
        .split(/[^a-z]+/)
        .filter((word) => word !== "");
      const length = recoveryPhraseLength(words);
      if (length === 0) continue;
      // The span of the first `length` words.
      let start = span[0];
      while (start < span[1] && !/[A-Za-z]/.test(text[start] ?? "")) start++;
      let end = start;
      for (let i = 0; i < length; i++) {
        while (end < span[1] && !/[A-Za-z]/.test(text[end] ?? "")) end++;
        while (/[A-Za-z]/.test(text[end] ?? "")) end++;
      }
      found.push({ start, end });
    }
    return found;
  },
};
