/**
 * Key material: PEM, OpenSSH and PGP private keys, PuTTY key files, OpenVPN static keys,
 * age post-quantum identities, Google service-account JSON and JSON Web Tokens (also
 * base64-encoded); wallet keys (EVM, BIP-39 recovery phrases, BIP-32, Bitcoin WIF, Solana,
 * Nostr), LND macaroons and crackable password hashes.
 */
import { createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { isPlaceholder, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import {
  assignmentAfter,
  B64URL,
  decodeBase64Url,
  isAnonRoleJwt,
  notAfter,
  notBefore,
  re,
  regexRule,
} from "./build.js";
import { recoveryCodesRule } from "./recovery-codes.js";
import { isWholeRecoveryPhrase, seedPhraseRule } from "./seed-phrase.js";

const BEGIN = /-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----/g;
const END = /-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_BODY = /[A-Za-z0-9+/]{40}/;

/**
 * A key cut off before its END line (pasted into an issue, a log, a truncated file, a one-line
 * value): lines of 40 to 80 base64 characters right after BEGIN, indented alike or not (a key
 * in a comment or a string), 64 characters or more in all (encryption headers such as
 * `Proc-Type:` skipped).
 */
const TRUNCATED_BODY =
  /(?:[ \t]{0,4}(?:\r?\n|\\n)(?:[ \t]{0,16}[A-Za-z-]{1,40}:[^\n]{0,200}\n){0,4}[ \t\r]{0,16}\n?)((?:[ \t]{0,16}[A-Za-z0-9+/]{40,80}={0,2}[ \t]{0,4}(?:\r?\n|\\n|$)){1,400})/y;

/**
 * The private-key blocks of a text, in one pass: each BEGIN line is paired with the next
 * END line, and the search goes on after that END. After a BEGIN without an END (no END
 * follows it, so none follows any later BEGIN), only keys cut off before their END are
 * looked for: 64 or more characters of base64 lines after the BEGIN line.
 */
function privateKeyBlocks(text: string): RuleMatch[] {
  const found: RuleMatch[] = [];
  const begin = new RegExp(BEGIN);
  let noEnd = false;
  for (let m = begin.exec(text); m; m = begin.exec(text)) {
    const bodyStart = m.index + m[0].length;
    let endAt = noEnd ? -1 : text.indexOf("-----END", bodyStart);
    const end = new RegExp(END);
    while (endAt >= 0) {
      end.lastIndex = endAt;
      if (end.test(text)) break;
      endAt = text.indexOf("-----END", endAt + 8);
    }
    if (endAt < 0) {
      noEnd = true;
      const body = new RegExp(TRUNCATED_BODY);
      body.lastIndex = bodyStart;
      const cut = body.exec(text);
      const lines = cut?.[1];
      if (
        cut &&
        lines &&
        lines.replace(/\\n|\s/g, "").length >= 64 &&
        !/\.\.\.|…|x{8}|(.)\1{15}/i.test(lines) &&
        // Not the first lines of a key shortened on purpose (`…` or `...` after them).
        !/^[ \t]{0,8}(?:\.\.\.|…)/.test(
          text.slice(cut.index + cut[0].length, cut.index + cut[0].length + 12),
        )
      ) {
        found.push({ start: m.index, end: cut.index + cut[0].length });
        begin.lastIndex = cut.index + cut[0].length;
      }
      continue;
    }
    const body = text
      .slice(bodyStart, endAt)
      .replace(/^[A-Za-z-]{1,40}:[^\n]{0,200}$/gm, "")
      .replace(/\\n|\\r|\s/g, "");
    if (PEM_BODY.test(body) && !/\.\.\.|…|x{8}|<|>/i.test(body)) {
      found.push({ start: m.index, end: end.lastIndex });
    }
    begin.lastIndex = end.lastIndex;
  }
  return found;
}

const privateKey: ScanRule = {
  id: "private-key",
  description: "PEM, OpenSSH or PGP private key",
  keywords: ["private key"],
  severity: "error",
  confidence: "high",
  suggestedName: "PRIVATE_KEY",
  checksPlaceholders: true,
  scan: privateKeyBlocks,
};

/** Google service-account JSON: the private key of a `"type": "service_account"` file. */
const googleServiceAccount: ScanRule = {
  id: "gcp-service-account",
  description: "Google Cloud service-account key (JSON with a private key)",
  keywords: ["service_account"],
  severity: "error",
  confidence: "high",
  suggestedName: "GOOGLE_APPLICATION_CREDENTIALS_JSON",
  checksPlaceholders: true,
  scan(text) {
    if (!/"type"\s{0,5}:\s{0,5}"service_account"/.test(text)) return [];
    return privateKeyBlocks(text).filter((block) =>
      /"private_key"\s{0,5}:\s{0,5}"$/.test(text.slice(Math.max(0, block.start - 40), block.start)),
    );
  },
};

/**
 * An SSH.com / Tectia private key (RFC 4716 framing, `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`,
 * encrypted or not despite its name): the block up to its END line. As with PEM blocks, a BEGIN
 * without an END ends the search.
 */
const ssh2PrivateKey: ScanRule = {
  id: "ssh2-private-key",
  description: "SSH.com (SSH2, Tectia) private key block",
  keywords: ["begin ssh2 encrypted private key"],
  severity: "error",
  confidence: "high",
  suggestedName: "SSH_PRIVATE_KEY",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const BEGIN_SSH2 = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----";
    const END_SSH2 = "---- END SSH2 ENCRYPTED PRIVATE KEY ----";
    for (let at = text.indexOf(BEGIN_SSH2); at >= 0; ) {
      const endAt = text.indexOf(END_SSH2, at + BEGIN_SSH2.length);
      if (endAt < 0) break;
      const body = text
        .slice(at + BEGIN_SSH2.length, endAt)
        .replace(/^[A-Za-z-]{1,40}:[^\n]{0,200}$/gm, "")
        .replace(/\\n|\s/g, "");
      if (PEM_BODY.test(body) && !/\.\.\.|…|x{8}|<|>/i.test(body)) {
        found.push({ start: at, end: endAt + END_SSH2.length });
      }
      at = text.indexOf(BEGIN_SSH2, endAt + END_SSH2.length);
    }
    return found;
  },
};

const PUTTY_LINES = /Private-Lines: \d{1,3}\r?\n((?:[A-Za-z0-9+/=]{1,80}\r?\n){1,100})/y;

/**
 * PuTTY key files: the `Private-Lines` block after a `PuTTY-User-Key-File-N:` header. Each
 * header looks at most 2,000 characters ahead, and the search resumes after what it read.
 */
const puttyPrivateKey: ScanRule = {
  id: "putty-private-key",
  description: "PuTTY private key file (unencrypted or encrypted)",
  keywords: ["putty-user-key-file-"],
  severity: "error",
  confidence: "high",
  suggestedName: "SSH_PRIVATE_KEY",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    for (let at = text.indexOf("PuTTY-User-Key-File-"); at >= 0; ) {
      const window = text.slice(at, at + 2000);
      const offset = window.indexOf("Private-Lines: ");
      if (offset < 0) {
        at = text.indexOf("PuTTY-User-Key-File-", at + 20);
        continue;
      }
      const lines = new RegExp(PUTTY_LINES);
      lines.lastIndex = at + offset;
      const m = lines.exec(text);
      const block = m?.[1];
      if (m && block && /[A-Za-z0-9+/]{40}/.test(block)) {
        const start = m.index + m[0].length - block.length;
        found.push({ start, end: start + block.length });
      }
      at = text.indexOf("PuTTY-User-Key-File-", m ? m.index + m[0].length : at + offset + 15);
    }
    return found;
  },
};

/** A JSON Web Token: three base64url parts, the first a JSON header (`eyJ` is `{"`). */
/**
 * A JWT: its header is `{"` in base64url (`eyJ`), or `{ "`, `{` and a new line or a tab
 * (`eyAi`, `ewog`, `ew0K`, `ewoJ`: a header written pretty-printed, as some libraries' tests do).
 */
const JWT = `(?:eyJ|eyAi|ewog|ew0K|ewoJ)[${B64URL}]{8,4000}={0,2}\\.[${B64URL}]{8,8000}={0,2}\\.[${B64URL}]{16,2000}={0,2}`;

/** A JWE's ciphertext and tag, after its IV. */
const JWE_REST = `[${B64URL}]{8,100000}\\.[${B64URL}]{8,200}`;

/** Whether a token's header names an encryption (`enc`): a JWE's (its algorithm is checked apart). */
function isEncryptedJwt(token: string): boolean {
  return /"enc"\s{0,4}:/.test(decodeBase64Url(token.split(".")[0] ?? "") ?? "");
}

/** The header and claims of a JWT at the start of a text. */
const JWT_START = new RegExp(`^eyJ[${B64URL}]{8,4000}={0,2}\\.eyJ[${B64URL}]{8,8000}={0,2}\\.`);

/** The token's header names its algorithm, as every JWT's does. */
function hasJwtHeader(token: string): boolean {
  const header = decodeBase64Url(token.split(".")[0] ?? "");
  try {
    const parsed = JSON.parse(header ?? "") as unknown;
    return typeof parsed === "object" && parsed !== null && "alg" in parsed;
  } catch {
    // A header damaged in transit still names its algorithm.
    return /^\{\s{0,4}"(?:alg|typ)"\s{0,4}:/.test(header ?? "");
  }
}

/**
 * A signed token's second part is its claims, a JSON object (`eyJhbGciOi….NiIsInR5cCI6….…` is
 * a header's text pasted twice, not a token). An encrypted token (JWE: `enc` in its header)
 * holds an encrypted key there instead.
 */
function hasJwtClaims(token: string): boolean {
  const [, claims] = token.split(".");
  if (isEncryptedJwt(token)) return true;
  return /^\s{0,8}\{/.test(decodeBase64Url(claims ?? "") ?? "");
}

/** Base58 (Bitcoin alphabet) characters, for character classes. */
const BASE58 = "1-9A-HJ-NP-Za-km-z";
const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** The payload of a Base58Check string whose checksum holds (`undefined` otherwise). */
export function base58CheckPayload(text: string): Buffer | undefined {
  let value = 0n;
  for (const char of text) {
    const digit = BASE58_ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const hex = value.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
  const zeros = /^1*/.exec(text)?.[0].length ?? 0;
  const bytes = Buffer.concat([Buffer.alloc(zeros), value === 0n ? Buffer.alloc(0) : body]);
  if (bytes.length < 5) return undefined;
  const payload = bytes.subarray(0, -4);
  const sha = (data: Buffer) => createHash("sha256").update(data).digest();
  return sha(sha(payload)).subarray(0, 4).equals(bytes.subarray(-4)) ? payload : undefined;
}

const BECH32_CHARS = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/** A lower-case bech32 string (BIP-173) whose checksum holds. */
export function isBech32(text: string): boolean {
  const split = text.lastIndexOf("1");
  if (split < 1) return false;
  const prefix = text.slice(0, split);
  const data = [...text.slice(split + 1)].map((char) => BECH32_CHARS.indexOf(char));
  if (data.length < 6 || data.includes(-1)) return false;
  const values = [
    ...[...prefix].map((char) => char.charCodeAt(0) >> 5),
    0,
    ...[...prefix].map((char) => char.charCodeAt(0) & 31),
    ...data,
  ];
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i] as number;
  }
  return chk === 1;
}

/** The Ed25519 public key of a 32-byte seed. */
export function ed25519PublicKey(seed: Buffer): Buffer {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const key = createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" }));
  return key.export({ format: "der", type: "spki" }).subarray(-32);
}

/** Names of an EVM private key (`PRIVATE_KEY`, `privateKey`, `deployer_priv_key`). */
const EVM_NAMES = "priv(?:ate)?[_.\\- ]?key";
const HEX64 = "0x[0-9a-fA-F]{64}";

/**
 * Keys and hashes published as examples or test fixtures (Hardhat's and Anvil's first default
 * account, the ethers.js test vector, BIP-32 test vector 1's master key, NIP-19's example, the
 * bcrypt hash of "password" in Laravel's default user factory): public to everyone, so finding
 * them in a file leaks nothing.
 */
const PUBLISHED_EXAMPLES = new Set([
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
  "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
  "nsec180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsgyumg0",
  "$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi",
]);
const isPublished = (value: string) =>
  PUBLISHED_EXAMPLES.has(value.toLowerCase()) || PUBLISHED_EXAMPLES.has(value);

/**
 * 32 random bytes in hex: not a run of one digit, not a short pattern repeated. A lower bar
 * than build.ts's `isRandomHex` (3 bits, where that one asks 3.5 of 64 digits), kept as it was.
 */
function isRandomKeyBytes(hex: string): boolean {
  return shannonEntropy(hex) >= 3 && !/(.)\1{7}/.test(hex);
}

/** Crypt-style password hashes: md5crypt, Apache apr1, bcrypt, sha256/512crypt, yescrypt. */
const CRYPT_HASH = [
  "\\$(?:1|apr1)\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}",
  "\\$2[abxy]?\\$\\d{2}\\$[./0-9A-Za-z]{53}",
  "\\$[56]\\$(?:rounds=\\d{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$(?:[./0-9A-Za-z]{86}|[./0-9A-Za-z]{43})",
  "\\$y\\$[./0-9A-Za-z]{1,30}\\$[./0-9A-Za-z]{1,86}\\$[./0-9A-Za-z]{43}",
].join("|");
/** What every password hash of CRYPT_HASH and SHA_HASH holds. */
const HASH_KEYWORDS = [
  "$1$",
  "$apr1$",
  "$2a$",
  "$2b$",
  "$2x$",
  "$2y$",
  "$5$",
  "$6$",
  "$y$",
  "{sha}",
  "{ssha}",
];
/** LDAP-style SHA-1 digests (`{SHA}` and salted `{SSHA}`). */
const SHA_HASH = "\\{SS?HA\\}[A-Za-z0-9+/]{27,80}={0,2}";

/**
 * The hash part (after the last `$` or `}`) looks random, not a placeholder run. (The whole
 * hash, `$` and all, reads as a shell variable to the engine's placeholder check.)
 */
function isHashLike(hash: string): boolean {
  const digest = hash.slice(Math.max(hash.lastIndexOf("$"), hash.lastIndexOf("}")) + 1);
  return shannonEntropy(digest) >= 3.5 && !/(.)\1{5}/.test(digest) && !isPlaceholder(digest);
}

/** Text before a match that makes a quoted bcrypt string a seed row: `INSERT INTO … VALUES`. */
function isSqlSeed(text: string, at: number): boolean {
  return /insert\s{1,4}into\s/i.test(text.slice(Math.max(0, at - 4000), at));
}

/** Ed25519 derivations left for the text being scanned (see solanaKeypair). */
let checksLeft = 0;
/** At most this many arrays of a text are checked: a keypair file holds one. */
const KEYPAIR_CHECKS_PER_TEXT = 16;

const BLANKS = "[ \\t\\r\\n]{0,40}";
const BYTE = "\\d{1,3}";
/** A Uint8Array as `JSON.stringify` writes it: `{"0":218,"1":107,…,"63":117}`. */
const BYTES_OBJECT = `\\{${BLANKS}(?:"\\d{1,2}"${BLANKS}:${BLANKS}${BYTE}${BLANKS},${BLANKS}){63}"\\d{1,2}"${BLANKS}:${BLANKS}${BYTE}${BLANKS}\\}`;

const solanaKeypairArrays = regexRule({
  // A Solana keypair (`solana-keygen` id.json): 64 numbers, the secret seed and its public
  // key. Found when the last 32 are the Ed25519 public key of the first 32. Also a web3.js
  // `Keypair` written with `JSON.stringify` (`"secretKey":{"0":218,"1":107,…}`), and (see
  // solanaKeypair) the same 64 bytes in base58, as wallets export them.
  id: "solana-keypair",
  description: "Solana keypair (64-byte secret key as a JSON array or in base58)",
  keywords: ["keypair", "solana", "secret", "private", "wallet", "signer"],
  suggestedName: "SOLANA_KEYPAIR",
  // The public-key check below rules out any placeholder (a list of numbers reads as one).
  checksPlaceholders: true,
  pattern: re(
    `(?<![\\d,])\\[${BLANKS}(?:${BYTE}${BLANKS},${BLANKS}){63}${BYTE}${BLANKS},?${BLANKS}\\]|${BYTES_OBJECT}`,
  ),
  validate: (secret, match, text) => {
    if (
      !/keypair|solana|secret|private|wallet|signer/i.test(
        text.slice(Math.max(0, match.index - 300), match.index),
      )
    )
      return false;
    if (checksLeft <= 0) return false;
    checksLeft--;
    return isSolanaKeypair(secret);
  },
});

/** The numbers of a JSON array, or the values of an object whose keys count up from "0". */
function keypairBytes(written: string): number[] | undefined {
  if (!written.startsWith("{")) return (written.match(/\d{1,3}/g) ?? []).map(Number);
  const bytes: number[] = [];
  for (const [, index, value] of written.matchAll(/"(\d{1,2})"\s*:\s*(\d{1,3})/g)) {
    if (Number(index) !== bytes.length) return undefined;
    bytes.push(Number(value));
  }
  return bytes;
}

/** Whether 64 numbers written as JSON are a keypair: the last 32 bytes the public key of the first. */
function isSolanaKeypair(written: string): boolean {
  const bytes = keypairBytes(written);
  if (bytes?.length !== 64 || bytes.some((b) => b > 255)) return false;
  return isKeypairBytes(Buffer.from(bytes));
}

/** Whether 64 bytes are an Ed25519 keypair: the last 32 the public key of the first 32. */
function isKeypairBytes(buffer: Buffer): boolean {
  try {
    return ed25519PublicKey(buffer.subarray(0, 32)).equals(buffer.subarray(32));
  } catch {
    return false;
  }
}

/**
 * Solana keypairs, checking at most KEYPAIR_CHECKS_PER_TEXT arrays of a text: one check derives
 * an Ed25519 public key (most of a millisecond), and a text of thousands of 64-number arrays
 * after a keyword would otherwise cost seconds per MiB.
 */
const solanaKeypair: ScanRule = {
  ...solanaKeypairArrays,
  scan(text) {
    checksLeft = KEYPAIR_CHECKS_PER_TEXT;
    return [...solanaKeypairArrays.scan(text), ...base58Keypairs(text)];
  },
};

/** 1 for each code unit below 128 that is a base58 character. */
const IS_BASE58 = Uint8Array.from({ length: 128 }, (_, code) =>
  BASE58_ALPHABET.includes(String.fromCharCode(code)) ? 1 : 0,
);
const isBase58At = (text: string, at: number) => IS_BASE58[text.charCodeAt(at)] === 1;

/** Words a keypair's base58 follows (`PRIVATE_KEY=`, `bs58.decode(`, `fromSecretKey(`). */
const BASE58_KEY_CONTEXT = /secret|private|keypair|wallet|signer|decode|solana/gi;

/** How far after such a word a keypair's base58 is looked for. */
const BASE58_KEY_REACH = 200;

/** Keypairs in base58 whose public key is checked, at most, in one text. */
const BASE58_CHECKS_PER_TEXT = 16;

/** The bytes a base58 string (without a checksum) stands for. */
function base58Bytes(text: string): Buffer {
  let value = 0n;
  for (const char of text) value = value * 58n + BigInt(BASE58_ALPHABET.indexOf(char));
  const hex = value === 0n ? "" : value.toString(16);
  const zeros = /^1*/.exec(text)?.[0].length ?? 0;
  return Buffer.concat([Buffer.alloc(zeros), Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex")]);
}

/**
 * Keypairs in base58 (`bs58.decode("…")`, `PRIVATE_KEY=…` of a Phantom export): a whole run of
 * 86 to 90 base58 characters, not inside a longer word, within BASE58_KEY_REACH characters
 * after a word of keys or wallets (a transaction's signature, 64 bytes too, stands in logs),
 * that stands for 64 bytes whose last 32 are the Ed25519 public key of the first 32. Each
 * stretch of text is read once.
 */
function base58Keypairs(text: string): RuleMatch[] {
  const found: RuleMatch[] = [];
  let checks = BASE58_CHECKS_PER_TEXT;
  let readTo = 0;
  BASE58_KEY_CONTEXT.lastIndex = 0;
  for (
    let word = BASE58_KEY_CONTEXT.exec(text);
    word && checks > 0;
    word = BASE58_KEY_CONTEXT.exec(text)
  ) {
    const from = Math.max(readTo, word.index + word[0].length);
    const to = Math.min(text.length, word.index + word[0].length + BASE58_KEY_REACH);
    if (from >= to) continue;
    // Each run that starts in the window, read whole (it may go on past the window's end).
    for (let at = from; at < to; at++) {
      if (!isBase58At(text, at)) continue;
      const start = at;
      while (at < text.length && isBase58At(text, at)) at++;
      readTo = at;
      const length = at - start;
      if (length < 86 || length > 90) continue;
      // Not part of a longer word (a window that starts inside a run reads its tail).
      if (/[A-Za-z0-9+/_-]/.test(text[start - 1] ?? "") || /[A-Za-z0-9+/_-]/.test(text[at] ?? "")) {
        continue;
      }
      const bytes = base58Bytes(text.slice(start, at));
      if (bytes.length !== 64 || checks <= 0) continue;
      checks--;
      if (isKeypairBytes(bytes)) found.push({ start, end: at, verified: true });
    }
    readTo = Math.max(readTo, to);
  }
  return found;
}

/** The most a file holding one wallet secret alone is read for (a keypair's array is ~250). */
const WALLET_FILE_LIMIT = 2048;
/** A keypair's array however it is laid out: 64 numbers of up to 3 digits, with blanks. */
const KEYPAIR_FILE = /^\[[\d,\s]{64,1500}\]$/;

/**
 * A file that holds a wallet's secret and nothing else, whatever its name (Truffle's `.secret`,
 * `mnemonic.txt`, `solana-keygen`'s `id.json`, `keypair.json`): a recovery phrase whose checksum
 * holds, or a Solana keypair whose second half is its first half's public key. Both prove
 * themselves, so no label is needed; files over 2 KiB are not read.
 */
const walletSecretFile: ScanRule = {
  id: "wallet-secret-file",
  description:
    "A file holding a wallet's secret alone: a recovery phrase (BIP-39) or a Solana keypair",
  keywords: [],
  severity: "error",
  confidence: "high",
  suggestedName: "WALLET_SECRET",
  // Both forms prove themselves (a list of numbers would read as a placeholder).
  checksPlaceholders: true,
  scan(text) {
    if (text.length > WALLET_FILE_LIMIT) return [];
    const content = text.trim();
    if (content === "") return [];
    const whole = content.startsWith("[")
      ? KEYPAIR_FILE.test(content) && isSolanaKeypair(content)
      : isWholeRecoveryPhrase(content);
    if (!whole) return [];
    const start = text.indexOf(content);
    return [{ start, end: start + content.length }];
  },
};

/**
 * The parts of a key of a Tink keyset in JSON, a quote escaped or not: its type, its material
 * (base64) and the kind of material, secret or private (not `ASYMMETRIC_PUBLIC`). Tinkey writes
 * them in this order; `jq -S` and Go's maps sort them (kind, type, material).
 */
const TINK_QUOTE = '\\\\?"';
const TINK_SEP = "\\s{0,40},\\s{0,40}";
const TINK_TYPE_URL = `${TINK_QUOTE}typeUrl${TINK_QUOTE}\\s{0,40}:\\s{0,40}${TINK_QUOTE}type\\.googleapis\\.com/google\\.crypto\\.tink\\.[A-Za-z0-9]{3,60}${TINK_QUOTE}`;
const TINK_VALUE = (group: string) =>
  `${TINK_QUOTE}value${TINK_QUOTE}\\s{0,40}:\\s{0,40}${TINK_QUOTE}(?<${group}>[A-Za-z0-9+/]{16,4000}={0,2})${TINK_QUOTE}`;
const TINK_MATERIAL = `${TINK_QUOTE}keyMaterialType${TINK_QUOTE}\\s{0,40}:\\s{0,40}${TINK_QUOTE}(?:SYMMETRIC|ASYMMETRIC_PRIVATE)${TINK_QUOTE}`;

/**
 * The first fields of a private key's DER as base64 writes them (a key without its PEM lines):
 * PKCS#1 RSA (`MIIEowIBAAK…`: a sequence, version 0, the modulus); PKCS#8 of RSA (RSA-PSS with
 * or without parameters), DSA, EC and the Edwards curves (v1, and v2 with the public key); SEC1
 * EC keys of P-256, secp256k1, P-384 and P-521, with or without their public key; Java's short
 * PKCS#8 of a P-256 key.
 */
const DER_KEY_START = [
  "MII[A-Za-z0-9+/]{3}IBAAK",
  "MII[A-Za-z0-9+/]{3}IBAD(?:[A-Za-z0-9+/]{2}BgkqhkiG9w0BAQ|CCA[A-Za-z0-9+/]{2}GByqGSM44BAE)",
  "MI[GH][A-Za-z0-9+/]AgEAMB[AM]GByqGSM49AgEG",
  "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQc",
  "M(?:HcCAQEEI|HQCAQEEI|DECAQEEI|IGkAgEBBD|IHcAgEBBE[IJKL])",
  "M(?:C4CAQAwBQYDK2V[wu]BCIEI|EcCAQAwBQYDK2VxBDsEO|FECAQEwBQYDK2V[wu]BCIEI)",
].join("|");

/** Where a key's base64 starts (not inside a longer run of base64). */
const DER_KEY_START_AT = new RegExp(`(?<![A-Za-z0-9+/])(?:${DER_KEY_START})`, "g");

/** The most characters a key's run is read for (a 4096-bit PKCS#8 key is 3,168 of base64). */
const DER_RUN_LIMIT = 16_000;

const isBase64Char = (c: string | undefined) => c !== undefined && /[A-Za-z0-9+/]/.test(c);

/** The blanks (spaces, tabs) from `at`, at most `most`; where they end. */
function blanksFrom(text: string, at: number, most: number): number {
  let end = at;
  while (end < at + most && (text[end] === " " || text[end] === "\t")) end++;
  return end;
}

/**
 * Where what joins two pieces of a key's base64 ends, when one starts at `at`: a string's `\n`
 * or `\r\n` escape, a line break (blanks before and after), or two quoted pieces joined
 * (`"…" +` then `"…"`, PHP's `'…' .`); undefined when none does. Read by hand, each character
 * once: a pattern with blanks on both sides of a break can split them in many ways.
 */
function joinEnd(text: string, at: number): number | undefined {
  if (text.startsWith("\\n", at)) return at + 2;
  if (text.startsWith("\\r\\n", at)) return at + 4;
  let i = blanksFrom(text, at, 8);
  if (text[i] === "\r") i++;
  if (text[i] === "\n") return blanksFrom(text, i + 1, 40);
  const quote = text[at];
  if (quote !== '"' && quote !== "'") return undefined;
  i = blanksFrom(text, at + 1, 4);
  if (text[i] === "." || text[i] === "+") i = blanksFrom(text, i + 1, 4);
  if (text[i] === "\r") i++;
  if (text[i] === "\n") i = blanksFrom(text, i + 1, 40);
  if (text[i] === "." || text[i] === "+") i = blanksFrom(text, i + 1, 4);
  return text[i] === quote && i > at + 1 ? i + 1 : undefined;
}

/**
 * A key's run: its base64 alone (padding left out), where each of those characters ends in the
 * text, and where the run ends (padding included).
 */
interface DerRun {
  base64: string;
  charEnds: number[];
  end: number;
}

/**
 * The run of a key's base64 from `start`, its pieces and what joins them, up to what is no
 * base64 nor a join (and its padding), read once: the base64 gathered as it is read.
 */
function derKeyRun(text: string, start: number): DerRun {
  const limit = Math.min(text.length, start + DER_RUN_LIMIT);
  let base64 = "";
  const charEnds: number[] = [];
  let at = start;
  while (at < limit) {
    if (isBase64Char(text[at])) {
      base64 += text[at];
      charEnds.push(++at);
      continue;
    }
    const joined = joinEnd(text, at);
    if (joined === undefined || !isBase64Char(text[joined])) break;
    at = joined;
  }
  while (text[at] === "=" && at < limit) at++;
  return { base64, charEnds, end: at };
}

/** The length a DER sequence's header states, header included (undefined: no sequence). */
function derSequenceLength(head: Buffer): number | undefined {
  if (head.length < 2 || head[0] !== 0x30) return undefined;
  const first = head[1] as number;
  if (first < 0x80) return 2 + first;
  const bytes = first - 0x80;
  if (bytes < 1 || bytes > 3 || head.length < 2 + bytes) return undefined;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + (head[2 + i] as number);
  return 2 + bytes + length;
}

/**
 * Where the key that starts `run` ends in the text: after as many base64 characters as its
 * DER's length takes, and their padding; undefined when the run is shorter (a key cut short,
 * `MIIEowIBAAKCAQEA…` in a guide). With the key's base64, padding included.
 */
function derKey(text: string, run: DerRun): { end: number; base64: string } | undefined {
  const total = derSequenceLength(Buffer.from(run.base64.slice(0, 8), "base64"));
  if (total === undefined) return undefined;
  const wanted = Math.ceil((total * 4) / 3);
  const last = run.charEnds[wanted - 1];
  if (last === undefined) return undefined;
  let end = last;
  while (text[end] === "=") end++;
  return { end, base64: run.base64.slice(0, wanted) + "=".repeat(end - last) };
}

/**
 * A private key in base64 DER without its PEM lines: a whole key (as long as its header says),
 * drawn (no run of one character, as a made-up `MIIEowIBAAKCAQEAAAAA…` has).
 */
const derPrivateKey: ScanRule = {
  id: "der-private-key",
  description: "Private key as base64 DER without its PEM lines (PKCS#1, PKCS#8, SEC1)",
  keywords: [
    "ibaak",
    "bgkqhkig9w0baq",
    "gbyqgsm44bae",
    "gbyqgsm49ageg",
    "meecaqawewyhkozizj0caqyi",
    "mhccaqeei",
    "mhqcaqeei",
    "mdecaqeei",
    "migkagebbd",
    "mihcagebbe",
    "mc4caqawbqydk2v",
    "meccaqawbqydk2vxbdseo",
    "mfecaqewbqydk2v",
  ],
  severity: "error",
  confidence: "high",
  suggestedName: "PRIVATE_KEY",
  // A whole key's DER (its header's length) is no stand-in; the placeholder check would read
  // a chance `xxxx` or `your` in a random key's 800 characters as one (one key in 500).
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    DER_KEY_START_AT.lastIndex = 0;
    for (let m = DER_KEY_START_AT.exec(text); m; m = DER_KEY_START_AT.exec(text)) {
      const run = derKeyRun(text, m.index);
      DER_KEY_START_AT.lastIndex = run.end;
      const whole = derKey(text, run);
      // Padding ends a key: base64 right after it is a longer value, not this key.
      if (whole === undefined || isBase64Char(text[whole.end])) continue;
      const key = whole.base64.slice(16);
      // A short key (Ed25519's 48 characters) holds fewer distinct characters by chance.
      const entropy = key.length < 100 ? 4 : 4.5;
      if (/(.)\1{9}/.test(key) || shannonEntropy(key) < entropy) continue;
      found.push({ start: m.index, end: whole.end });
    }
    return found;
  },
};

export const KEY_RULES: ScanRule[] = [
  googleServiceAccount,
  privateKey,
  derPrivateKey,
  ssh2PrivateKey,
  puttyPrivateKey,
  regexRule({
    // A Tink keyset written in the clear (`"typeUrl": "type.googleapis.com/google.crypto.tink.
    // AesGcmKey", "value": "…", "keyMaterialType": "SYMMETRIC"`): each key's serialized
    // material, secret or private; a public key's (`ASYMMETRIC_PUBLIC`) is not. Also inside a
    // JSON string (quotes escaped).
    id: "tink-keyset",
    description: "Tink keyset in plain text (a symmetric or private key's material)",
    keywords: ["google.crypto.tink."],
    suggestedName: "TINK_KEYSET",
    pattern: re(
      `${TINK_TYPE_URL}${TINK_SEP}${TINK_VALUE("secret")}${TINK_SEP}${TINK_MATERIAL}|${TINK_MATERIAL}${TINK_SEP}${TINK_TYPE_URL}${TINK_SEP}${TINK_VALUE("secretAlt")}`,
    ),
    validate: (secret) => shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    // web-push's `setVapidDetails(subject, publicKey, privateKey)`: the third argument, a
    // P-256 private key in base64url (43 characters), is the application server's signing key.
    id: "vapid-private-key",
    description: "Web Push VAPID private key (setVapidDetails)",
    keywords: ["setvapiddetails"],
    suggestedName: "VAPID_PRIVATE_KEY",
    pattern: re(
      `setVapidDetails\\(\\s{0,40}(?:"[^"\\n]{0,200}"|'[^'\\n]{0,200}'|\`[^\`\\n]{0,200}\`|[A-Za-z_$][\\w$.]{0,60})\\s{0,40},\\s{0,40}(?:["'\`][A-Za-z0-9_-]{80,100}={0,2}["'\`]|[A-Za-z_$][\\w$.]{0,60})\\s{0,40},\\s{0,40}["'\`](?<secret>[A-Za-z0-9_-]{43})=?["'\`]`,
    ),
    validate: (secret) => shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    id: "openvpn-static-key",
    description: "OpenVPN static key (tls-auth / tls-crypt / secret)",
    keywords: ["openvpn static key"],
    suggestedName: "OPENVPN_STATIC_KEY",
    pattern: re(
      "-----BEGIN OpenVPN Static key V1-----\\r?\\n(?<secret>[0-9a-f]{32}(?:\\r?\\n[0-9a-f]{32}){15})\\r?\\n-----END OpenVPN Static key V1-----",
    ),
    validate: (secret) => shannonEntropy(secret.replace(/\s/g, "")) >= 3.5,
  }),
  regexRule({
    // OpenVPN 2.5's per-client tls-crypt-v2 key (`openvpn --tls-crypt-v2 … --genkey
    // tls-crypt-v2-client`): the client's key and the server-wrapped copy, base64 over lines.
    id: "openvpn-tls-crypt-v2-key",
    description: "OpenVPN tls-crypt-v2 client or server key",
    keywords: ["tls-crypt-v2"],
    suggestedName: "OPENVPN_TLS_CRYPT_V2_KEY",
    pattern: re(
      "-----BEGIN OpenVPN tls-crypt-v2 (?<kind>client|server) key-----\\r?\\n(?<secret>[A-Za-z0-9+/]{40,76}(?:\\r?\\n[A-Za-z0-9+/]{1,76}){0,40}={0,2})\\r?\\n-----END OpenVPN tls-crypt-v2 \\k<kind> key-----",
    ),
    validate: (secret) => shannonEntropy(secret.replace(/\s/g, "")) >= 4,
  }),
  regexRule({
    // An encrypted JWT (JWE, compact form) whole: header, encrypted key (none for direct
    // encryption, `alg: dir`), IV, ciphertext and tag. Its holder presents it as a bearer
    // token, readable or not. Before the JWT rule, which would take its first three parts.
    id: "jwe",
    description: "Encrypted JSON Web Token (JWE)",
    keywords: ["eyj"],
    suggestedName: "JWT",
    pattern: re(
      `${notBefore(B64URL)}eyJ[${B64URL}]{8,4000}\\.[${B64URL}]{0,4000}\\.[${B64URL}]{8,200}\\.${JWE_REST}${notAfter(B64URL)}`,
    ),
    validate: (secret) => isEncryptedJwt(secret) && hasJwtHeader(secret),
  }),
  regexRule({
    id: "jwt",
    description: "JSON Web Token",
    keywords: ["eyj", "eyai", "ewog", "ew0k", "ewoj"],
    suggestedName: "JWT",
    pattern: re(`${notBefore(B64URL)}${JWT}${notAfter(B64URL)}`),
    validate: (secret) => hasJwtHeader(secret) && hasJwtClaims(secret) && !isAnonRoleJwt(secret),
  }),
  regexRule({
    // A JWT base64-encoded once more (a Kubernetes Secret's `data`, a config blob): `eyJ`
    // encodes to `ZXlK`.
    id: "jwt-base64",
    description: "Base64-encoded JSON Web Token",
    keywords: ["zxlk"],
    suggestedName: "JWT",
    pattern: re(
      `${notBefore("A-Za-z0-9+/")}ZXlK[A-Za-z0-9+/]{60,16000}={0,2}${notAfter("A-Za-z0-9+/=")}`,
    ),
    // The decoded text starts with a JWT's header and claims; the signature is not read.
    validate: (secret) => {
      const decoded = Buffer.from(secret, "base64").toString("latin1");
      return JWT_START.test(decoded) && hasJwtHeader(decoded);
    },
  }),
  regexRule({
    // A Curve25519 key is 32 bytes: 43 base64 characters and one `=`; in angle brackets too
    // (`PrivateKey = <mL9R…=>`, a template's brackets left around the key pasted in).
    id: "wireguard-key",
    description: "WireGuard private or preshared key",
    keywords: ["privatekey", "presharedkey"],
    suggestedName: "WIREGUARD_PRIVATE_KEY",
    pattern: re(
      `${notBefore("A-Za-z0-9_")}(?:PrivateKey|PresharedKey)[ \\t]{0,8}=[ \\t]{0,8}(?<bracket><?)(?<secret>[A-Za-z0-9+/]{43}=)${notAfter("A-Za-z0-9+/=")}`,
    ),
    // In brackets, a drawn key holds digits; words in capitals (`<ServerPrivateKeyGen…=>`) do not.
    validate: (secret, match) =>
      shannonEntropy(secret) >= 4 && (!match.groups?.bracket || /\d/.test(secret)),
  }),
  regexRule({
    // An EVM (Ethereum and the other secp256k1 chains) private key with its `0x`: assigned to
    // a private-key name, the first of hardhat's `accounts: [...]` (there with or without its
    // `0x`), or given to a call that
    // takes one. A bare 0x + 64 hex is a hash as often (transactions, blocks, storage slots).
    id: "evm-private-key",
    description: "Ethereum / EVM private key (0x and 64 hex digits)",
    keywords: [
      "privatekey",
      "private_key",
      "private-key",
      "private.key",
      "private key",
      "privkey",
      "priv_key",
      "priv-key",
      "priv.key",
      "accounts",
      "wallet(",
      "from_key(",
    ],
    suggestedName: "PRIVATE_KEY",
    pattern: re(
      `(?:${assignmentAfter(EVM_NAMES)}(?<secret>${HEX64})|\\baccounts["']?[ \\t]{0,4}[:=][ \\t]{0,4}\\[[ \\t\\r\\n]{0,40}["'\`](?<secretAlt>(?:0x)?[0-9a-fA-F]{64})["'\`]|(?:(?:\\bWallet|privateKeyToAccount|from_key|fromPrivateKey)\\([ \\t\\r\\n]{0,20}["'\`]|--private-key[ \\t]{1,4}["']?)(?<secretAlt2>${HEX64})["'\`]?)${notAfter("0-9a-zA-Z_")}`,
      "i",
    ),
    // Not a key's hash, address or public half (`private_key_hash`, `privateKeyAddress`).
    // Hardhat's `accounts` also takes a key without its `0x`.
    validate: (secret, match) => {
      const hex = secret.replace(/^0x/i, "");
      return (
        isRandomKeyBytes(hex) &&
        !isPublished(`0x${hex}`) &&
        !/hash|digest|addr|pub|salt|nonce|role|slot|commitment|id["'`]?\s{0,4}[:=]/i.test(
          match[0].slice(0, match[0].length - secret.length),
        )
      );
    },
  }),
  seedPhraseRule,
  recoveryCodesRule,
  regexRule({
    id: "bip32-extended-private-key",
    description: "BIP-32 extended private key (xprv, yprv, zprv, tprv and kin)",
    keywords: ["xprv", "yprv", "zprv", "tprv", "uprv", "vprv"],
    suggestedName: "WALLET_XPRV",
    pattern: re(`${notBefore(BASE58)}[xyztuvYZUV]prv[${BASE58}]{107,108}${notAfter(BASE58)}`),
    // Base58Check: 78 bytes whose checksum holds, the key part a 0 byte and 32 bytes.
    validate: (secret) => {
      const payload = base58CheckPayload(secret);
      return payload?.length === 78 && payload[45] === 0 && !isPublished(secret);
    },
  }),
  regexRule({
    // Wallet import format: 0x80 (0xEF on testnet), 32 bytes and, when compressed, a 1 byte.
    // Found after a name or call that says WIF or private key: the checksum rules out chance.
    id: "bitcoin-wif-private-key",
    description: "Bitcoin private key in wallet import format (WIF)",
    keywords: ["wif", "privkey", "private", "priv_key", "secret"],
    suggestedName: "BITCOIN_PRIVATE_KEY",
    pattern: re(
      `(?:wif|priv(?:ate)?[_.\\- ]?key|secret)(?=(?<rest>[\\w.\\-]{0,30}))\\k<rest>["'\`]?[ \\t]{0,4}(?::=|=>|[:=,(])?[ \\t]{0,4}["'\`]?(?<secret>[59KLc][${BASE58}]{50,51})${notAfter(BASE58)}`,
      "i",
    ),
    validate: (secret) => {
      const payload = base58CheckPayload(secret);
      if (!payload || (payload[0] !== 0x80 && payload[0] !== 0xef)) return false;
      return payload.length === 33 || (payload.length === 34 && payload[33] === 1);
    },
  }),
  solanaKeypair,
  walletSecretFile,
  regexRule({
    id: "nostr-private-key",
    description: "Nostr private key (nsec, NIP-19)",
    keywords: ["nsec1"],
    suggestedName: "NOSTR_NSEC",
    pattern: re(
      `${notBefore("a-z0-9")}nsec1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}${notAfter("a-z0-9")}`,
    ),
    validate: (secret) => isBech32(secret) && !isPublished(secret),
  }),
  regexRule({
    // A macaroon serialized as hex: version 2, location "lnd". Short prefixes in tests and
    // docs (`0201036c6e6402f801…`) are not a whole macaroon.
    id: "lnd-macaroon",
    description: "Lightning (LND) macaroon, hex-encoded",
    keywords: ["0201036c6e64"],
    suggestedName: "LND_MACAROON",
    pattern: re(
      `${notBefore("0-9a-fA-F")}0201036[cC]6[eE]64[0-9a-fA-F]{120,4000}${notAfter("0-9a-zA-Z")}`,
    ),
    validate: (secret) => shannonEntropy(secret) >= 3.3,
  }),
  regexRule({
    // `user:hash` at the start of a line: htpasswd, /etc/shadow, a .htdigest-like list.
    id: "password-hash-file",
    description: "Password hash in an htpasswd or shadow file (crackable)",
    keywords: HASH_KEYWORDS,
    confidence: "medium",
    suggestedName: "PASSWORD_HASH",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,8}[A-Za-z_][\\w.@\\-]{0,63}:(?<secret>${CRYPT_HASH}|${SHA_HASH})(?=:|[ \\t]{0,8}\\r?$)`,
      "m",
    ),
    validate: (secret) => isHashLike(secret),
  }),
  regexRule({
    // Assigned to a password name (`password_hash = '$2b$12$…'`, `"password": "$2y$…"`), or a
    // quoted bcrypt string in an `INSERT INTO` seed row. Lockfiles and prose name no password.
    id: "password-hash",
    description: "Password hash assigned to a password field or in a seed row (crackable)",
    keywords: HASH_KEYWORDS,
    confidence: "low",
    suggestedName: "PASSWORD_HASH",
    checksPlaceholders: true,
    pattern: re(
      `(?:${assignmentAfter("passw(?:or)?d|pwd|pass_?hash|hashed_?pass")}(?<secret>${CRYPT_HASH}|${SHA_HASH})|(?<=['"])(?<secretAlt>\\$2[abxy]?\\$\\d{2}\\$[./0-9A-Za-z]{53})(?=['"]))${notAfter("./0-9A-Za-z")}`,
      "i",
    ),
    validate: (secret, match, text) =>
      isHashLike(secret) &&
      !isPublished(secret) &&
      // `bcrypt.compare(password, '$2b$…')`, `password_verify($password, '…')`, a test table's
      // `["password", "$2a$…"]`: a hash compared with a password, not one assigned to it.
      !/,[ \t]{0,16}["'`]?[ \t]{0,2}$/.test(match[0].slice(0, match[0].length - secret.length)) &&
      (match.groups?.secret !== undefined || isSqlSeed(text, match.index)),
  }),
];
