/**
 * Key material: PEM, OpenSSH and PGP private keys, PuTTY key files, OpenVPN static keys,
 * age post-quantum identities, Google service-account JSON and JSON Web Tokens (also
 * base64-encoded).
 */
import { shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import { B64URL, decodeBase64Url, notAfter, notBefore, re, regexRule } from "./build.js";

const BEGIN = /-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----/g;
const END = /-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_BODY = /[A-Za-z0-9+/]{40}/;

/**
 * The private-key blocks of a text, in one pass: each BEGIN line is paired with the next
 * END line, and the search goes on after that END (a BEGIN without an END ends the search).
 */
function privateKeyBlocks(text: string): RuleMatch[] {
  const found: RuleMatch[] = [];
  const begin = new RegExp(BEGIN);
  for (let m = begin.exec(text); m; m = begin.exec(text)) {
    const bodyStart = m.index + m[0].length;
    let endAt = text.indexOf("-----END", bodyStart);
    const end = new RegExp(END);
    while (endAt >= 0) {
      end.lastIndex = endAt;
      if (end.test(text)) break;
      endAt = text.indexOf("-----END", endAt + 8);
    }
    if (endAt < 0) break;
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
const JWT = `eyJ[${B64URL}]{8,4000}={0,2}\\.[${B64URL}]{8,8000}={0,2}\\.[${B64URL}]{16,2000}={0,2}`;

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

export const KEY_RULES: ScanRule[] = [
  googleServiceAccount,
  privateKey,
  puttyPrivateKey,
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
    id: "jwt",
    description: "JSON Web Token",
    keywords: ["eyj"],
    suggestedName: "JWT",
    pattern: re(`${notBefore(B64URL)}${JWT}${notAfter(B64URL)}`),
    validate: hasJwtHeader,
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
    // A Curve25519 key is 32 bytes: 43 base64 characters and one `=`.
    id: "wireguard-key",
    description: "WireGuard private or preshared key",
    keywords: ["privatekey", "presharedkey"],
    suggestedName: "WIREGUARD_PRIVATE_KEY",
    pattern: re(
      `${notBefore("A-Za-z0-9_")}(?:PrivateKey|PresharedKey)[ \\t]{0,8}=[ \\t]{0,8}(?<secret>[A-Za-z0-9+/]{43}=)${notAfter("A-Za-z0-9+/=")}`,
    ),
    validate: (secret) => shannonEntropy(secret) >= 4,
  }),
];
