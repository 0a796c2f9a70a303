/**
 * Network devices' and VPN servers' own credentials, as their configurations hold them: Cisco
 * IOS lines that take a key or password without naming it the way an assignment would (`line
 * vty` passwords, `key-string`, IKE pre-shared keys, HSRP and RADIUS keys), pppd's
 * `chap-secrets`/`pap-secrets`, keepalived's VRRP `auth_pass`, FreeRADIUS clients' shared
 * secrets, OpenWrt's Wi-Fi keys, OpenVPN's `auth-user-pass` file and tls-crypt-v2 client keys.
 *
 * Lab and device passwords are often weak (`cisco123`, `123456`): a weak one is a warning, a
 * drawn one an error, a documentation default (FreeRADIUS' `testing123`) nothing. Cisco's type 7
 * is an encoding anyone reverses, so a type 7 string is an error whatever it hides.
 */

import { isPlaceholder, isReference } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import { isRandomLooking, type RuleVerdict, re, regexRule } from "./build.js";
import { isExamplePassword } from "./connections.js";
import { isPlausibleSecret } from "./plausible-secret.js";
import { passwordVerdict } from "./weak-password.js";

/** Defaults that documentation and packages ship, not anyone's password. */
const SHIPPED_DEFAULT = /^(?:testing123|secret|password|changeme|cisco|public|private)$/i;

/**
 * A password where a file's syntax says one stands (a device's key line, a secrets file's
 * field): an error when drawn, otherwise a warning (it is a password, typed by a person);
 * nothing for words of a sentence, a documentation value, a reference, a stand-in named for
 * it (`GMAIL_PASSWORD`, `vpnpassword`, `user1-password`) or a shipped default.
 */
export function fieldPasswordVerdict(secret: string, quoted = false): RuleVerdict {
  if (
    SHIPPED_DEFAULT.test(secret) ||
    isExamplePassword(secret) ||
    isReference(secret) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(secret) ||
    /^[a-z0-9]{0,12}[_-]?(?:password|passwd|secret)$/i.test(secret)
  ) {
    return false;
  }
  if (isPlausibleSecret(secret, "password", quoted)) return passwordVerdict(secret, true);
  // Words of a sentence (`secret shared by two hosts`) are a manual's prose, not a password.
  return /\S\s+\S+\s+\S/.test(secret) ? false : "typed";
}

/** Cisco's type 7 key, a fixed string each password is XORed with from the offset it opens with. */
const TYPE7_KEY = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

/** The password a Cisco type 7 string encodes, or `undefined` when it is not one. */
export function decodeCiscoType7(encoded: string): string | undefined {
  if (!/^\d\d(?:[0-9A-Fa-f]{2}){1,40}$/.test(encoded)) return undefined;
  const offset = Number(encoded.slice(0, 2));
  if (offset > 15) return undefined;
  let plain = "";
  for (let at = 2, i = 0; at < encoded.length; at += 2, i++) {
    const code =
      Number.parseInt(encoded.slice(at, at + 2), 16) ^
      TYPE7_KEY.charCodeAt((offset + i) % TYPE7_KEY.length);
    if (code < 0x20 || code > 0x7e) return undefined;
    plain += String.fromCharCode(code);
  }
  return plain;
}

/** The verdict on a Cisco value after its type (`7 0822455D0A16`, `0 cisco123`, none). */
function ciscoVerdict(type: string | undefined, secret: string): RuleVerdict {
  if (type === "7") return decodeCiscoType7(secret) !== undefined;
  return fieldPasswordVerdict(secret);
}

/**
 * Cisco IOS lines: an indented `password` of a `line con`/`line vty` block, `key-string` of a key
 * chain or an interface, IKE pre-shared keys (`pre-shared-key local …`, `crypto isakmp key …
 * address`), HSRP (`standby 1 authentication …`) and the `key` of a `radius server`/`tacacs
 * server` block, each with an optional type (0 or 7; 5, 6, 8 and 9 are hashes or encrypted).
 */
const CISCO_LINE = re(
  `^[ \\t]{1,8}(?:password|key-string|key|pre-shared-key(?:[ \\t]{1,2}(?:local|remote))?|standby[ \\t]{1,2}\\d{1,4}[ \\t]{1,2}authentication(?:[ \\t]{1,2}(?:md5[ \\t]{1,2}key-string|text))?)(?:[ \\t]{1,2}(?<type>[067]))?[ \\t]{1,2}(?<secret>[^\\s]{2,100})[ \\t]*$|^[ \\t]{0,8}crypto[ \\t]{1,2}isakmp[ \\t]{1,2}key(?:[ \\t]{1,2}(?<typeAlt>[06]))?[ \\t]{1,2}(?<secretAlt>[^\\s]{2,100})[ \\t]{1,2}(?:address|hostname)\\b`,
  "m",
);

/** The block a Cisco line sits in: the last line before it that starts at the margin. */
function ciscoBlock(text: string, lineStart: number): string {
  let end = lineStart;
  while (end > 0 && lineStart - end < 2000) {
    const start = text.lastIndexOf("\n", end - 2) + 1;
    const line = text.slice(start, end - 1);
    if (line !== "" && !/^[ \t]/.test(line)) return line;
    end = start;
  }
  return "";
}

const ciscoLineCredential: ScanRule = {
  id: "cisco-line-credential",
  description:
    "Key or password of a Cisco IOS line, key chain, IKE peer, HSRP group or RADIUS/TACACS+ server",
  keywords: [
    "line vty",
    "line con",
    "key-string",
    "pre-shared-key",
    "isakmp key",
    "standby",
    "radius server",
    "tacacs server",
  ],
  severity: "error",
  confidence: "medium",
  suggestedName: "DEVICE_PASSWORD",
  scan(text) {
    const found: RuleMatch[] = [];
    CISCO_LINE.lastIndex = 0;
    for (let m = CISCO_LINE.exec(text); m; m = CISCO_LINE.exec(text)) {
      const groups = m.groups ?? {};
      const secret = groups.secret ?? groups.secretAlt ?? "";
      const type = groups.type ?? groups.typeAlt;
      if (type === "6") continue;
      const directive = m[0].trim().split(/\s+/)[0];
      if (directive === "password" || directive === "key") {
        // Only inside the blocks that take them: a terminal line's, a RADIUS or TACACS+ server's.
        const block = ciscoBlock(text, m.index);
        const wanted =
          directive === "password"
            ? /^line[ \t]+(?:con|vty|aux|console)\b/
            : /^(?:radius|tacacs)[ \t]+server[ \t]/;
        if (!wanted.test(block)) continue;
      }
      // A key chain's `key 1` names the key; the digits of `key-string` or a PSK may be a key.
      if (directive === "key" && /^\d{1,3}$/.test(secret)) continue;
      const verdict = ciscoVerdict(type, secret);
      if (verdict === false) continue;
      const start = m.index + m[0].lastIndexOf(secret);
      found.push({
        start,
        end: start + secret.length,
        ...(verdict === "typed" ? { typed: true } : {}),
      });
    }
    return found;
  },
};

/** pppd's secrets files (`/etc/ppp/chap-secrets`, `pap-secrets`). */
const PPP_SECRETS_FILE = /(?:^|[/\\])(?:chap|pap)-secrets$/i;

/** One of their lines: client, server, secret and optional addresses; quoted or not. */
const PPP_SECRETS_LINE =
  /^[ \t]*(?:"[^"\n]{0,128}"|[^\s"#][^\s"]{0,127})[ \t]+(?:"[^"\n]{0,128}"|[^\s"]{1,128})[ \t]+(?:"(?<quoted>[^"\n]{1,128})"|(?<bare>[^\s"]{1,128}))(?:[ \t][^\n]*)?$/gm;

const pppSecret: ScanRule = {
  id: "ppp-secret",
  description: "Password in a pppd chap-secrets or pap-secrets file (client server secret)",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "PPP_SECRET",
  scan(text, context) {
    if (!PPP_SECRETS_FILE.test(context?.file ?? "")) return [];
    const found: RuleMatch[] = [];
    PPP_SECRETS_LINE.lastIndex = 0;
    for (let m = PPP_SECRETS_LINE.exec(text); m; m = PPP_SECRETS_LINE.exec(text)) {
      const secret = m.groups?.quoted ?? m.groups?.bare ?? "";
      if (secret === "*" || secret === "-") continue;
      const verdict = fieldPasswordVerdict(secret, m.groups?.quoted !== undefined);
      if (verdict === false) continue;
      // The third field: after the first two and the blanks that follow them.
      const fields = /^[ \t]*(?:"[^"\n]*"|\S+)[ \t]+(?:"[^"\n]*"|\S+)[ \t]+"?/.exec(m[0]);
      const start = m.index + (fields?.[0].length ?? 0);
      found.push({
        start,
        end: start + secret.length,
        ...(verdict === "typed" ? { typed: true } : {}),
      });
    }
    return found;
  },
};

/** OpenVPN's `auth-user-pass` file by its usual names: the user, then the password, alone. */
const VPN_LOGIN_FILE =
  /(?:^|[/\\])(?:auth|login|pass|passwd|password|userpass|credentials|vpn[_-]?(?:auth|login|pass|credentials)|auth-user-pass)(?:\.(?:txt|conf|cfg))?$/i;

const vpnLoginFile: ScanRule = {
  id: "vpn-login-file",
  description: "Password in a login file (OpenVPN auth-user-pass: the user, then the password)",
  keywords: [],
  severity: "error",
  confidence: "low",
  suggestedName: "VPN_PASSWORD",
  scan(text, context) {
    if (text.length > 600 || !VPN_LOGIN_FILE.test(context?.file ?? "")) return [];
    const lines =
      /^[ \t]*([^\s:=#]{1,128})[ \t]*\r?\n[ \t]*([^\s#]{1,128})[ \t]*(?:\r?\n[ \t]*)?$/.exec(text);
    const secret = lines?.[2];
    if (!lines || secret === undefined || isPlaceholder(lines[1] as string)) return [];
    const verdict = fieldPasswordVerdict(secret);
    if (verdict === false) return [];
    const start = lines.index + lines[0].lastIndexOf(secret);
    return [{ start, end: start + secret.length, ...(verdict === "typed" ? { typed: true } : {}) }];
  },
};

/** The blocks around `at` hold a Wi-Fi encryption setting (OpenWrt: `option encryption 'psk2'`). */
function nearWifiEncryption(text: string, at: number): boolean {
  return /option[ \t]{1,4}encryption[ \t]{1,4}["']?(?:psk|sae|wpa)/.test(
    text.slice(Math.max(0, at - 800), at + 800),
  );
}

export const NETWORK_RULES: ScanRule[] = [
  ciscoLineCredential,
  regexRule({
    // strongSwan and Libreswan `ipsec.secrets`: optional ID selectors, a colon surrounded by
    // white space (or starting the line, or glued to `%any`), the kind and the secret, quoted
    // or as 0x hex / 0s base64. `: RSA key.pem` names a file and is left out. A weak password is
    // a warning.
    id: "ipsec-secret",
    description: "Pre-shared key or password in an IPsec secrets file (: PSK, : EAP, : XAUTH)",
    keywords: ["psk", ": eap", ": xauth", ": ntlm"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:^|\\n)(?:[^\\s:#"'][^\\n:"']{0,200}[ \\t]|(?:[^\\s:#"'][^\\n:"']{0,200}[ \\t])?%any6?)?:[ \\t]{1,4}(?:PSK|EAP|XAUTH|NTLM)[ \\t]{1,4}(?:(?<quote>["'])(?<secret>[^"'\\n]{1,200})\\k<quote>|(?<secretAlt>0[xs][A-Za-z0-9+/=]{8,400})(?![A-Za-z0-9+/=]))`,
    ),
    validate: (secret) =>
      /^0[xs]/.test(secret)
        ? !isPlaceholder(secret.slice(2)) && isRandomLooking(secret.slice(2))
        : fieldPasswordVerdict(secret, true),
  }),

  pppSecret,
  vpnLoginFile,
  regexRule({
    // keepalived's VRRP authentication (`authentication { auth_type PASS  auth_pass … }`).
    id: "keepalived-auth-pass",
    description: "VRRP password in a keepalived configuration (auth_pass)",
    keywords: ["auth_pass"],
    confidence: "medium",
    suggestedName: "VRRP_PASSWORD",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,16}auth_pass[ \\t]{1,8}(?<quote>["']?)(?<secret>[^\\s"'#]{1,64})\\k<quote>[ \\t]*(?:#[^\\n]*)?$`,
      "m",
    ),
    validate: (secret) => fieldPasswordVerdict(secret),
  }),
  regexRule({
    // FreeRADIUS' clients.conf: `client NAME { secret = … }`, the secret a NAS shares with it.
    id: "radius-client-secret",
    description:
      "RADIUS shared secret of a FreeRADIUS client (clients.conf: client { secret = … })",
    keywords: ["secret"],
    confidence: "medium",
    suggestedName: "RADIUS_SECRET",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{1,16}secret[ \\t]{0,4}=[ \\t]{0,4}(?<quote>["']?)(?<secret>[^\\s"'#]{1,128})\\k<quote>[ \\t]*(?:#[^\\n]*)?$`,
      "m",
    ),
    validate: (secret, match, text) =>
      /(?:^|\n)[ \t]{0,8}client[ \t]{1,4}[^\s{]{1,253}[ \t]{0,4}\{[^}]{0,600}$/.test(
        text.slice(Math.max(0, match.index - 600), match.index),
      ) && fieldPasswordVerdict(secret),
  }),
  regexRule({
    // OpenWrt's wireless config (`option key '…'` beside `option encryption 'psk2'`), and the
    // WPA passphrase of an access point's or a router's line (`authentication wpa-psk …`,
    // `wpa-psk ascii 0 …`).
    id: "wifi-network-key",
    description: "Wi-Fi key in an OpenWrt wireless config (option key) or a device's wpa-psk line",
    keywords: ["option key", "wpa-psk"],
    confidence: "medium",
    suggestedName: "WIFI_PSK",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,16}option[ \\t]{1,4}key[ \\t]{1,4}(?<quote>["']?)(?<secret>[^\\s"']{8,64})\\k<quote>[ \\t]*$|\\bwpa-psk[ \\t]{1,2}(?:ascii[ \\t]{1,2}(?:[07][ \\t]{1,2})?)?(?<secretAlt>[^\\s]{8,63})[ \\t]*$`,
      "m",
    ),
    validate: (secret, match, text) =>
      (match.groups?.secret === undefined || nearWifiEncryption(text, match.index)) &&
      fieldPasswordVerdict(secret),
  }),
];
