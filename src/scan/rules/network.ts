/**
 * Network devices' and VPN servers' own credentials, as their configurations hold them: Cisco
 * IOS lines that take a key or password without naming it the way an assignment would (`line
 * vty` passwords, `key-string`, IKE pre-shared keys, HSRP and RADIUS keys), IPsec's
 * `ipsec.secrets`, pppd's `chap-secrets`/`pap-secrets`, OpenVPN's `auth-user-pass` file,
 * keepalived's VRRP `auth_pass`, HAProxy's statistics and userlist passwords, FreeRADIUS
 * clients' shared secrets, OpenWrt's Wi-Fi keys, VyOS/EdgeOS keys and plain-text passwords,
 * TACACS+ daemons' keys and clear-text logins, and MikroTik RouterOS exports' secrets.
 *
 * Lab and device passwords are often typed (`ggflying`, `cisco123`): one that looks drawn is an
 * error (so is a common weak one with a digit, `cisco123`, as everywhere), one that only looks
 * typed a warning, a documentation default (`testing123`, `cisco`) nothing (see
 * fieldPasswordVerdict). Cisco's type 7 is an encoding anyone reverses, so a type 7 string is
 * an error whatever it hides.
 */

import { isPlaceholder } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import {
  CANDIDATES_JUDGED_PER_TEXT,
  groupSpan,
  isRandomLooking,
  judgedMatches,
  matchOf,
  type RuleVerdict,
  re,
  regexRule,
} from "./build.js";
import { fieldPasswordVerdict } from "./field-password.js";

/** Cisco's published type 7 table: each password is XORed with it from the offset it opens with. */
const TYPE7_TABLE = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

/** The password a Cisco type 7 string encodes, or `undefined` when it is not one. */
export function decodeCiscoType7(encoded: string): string | undefined {
  if (!/^\d\d(?:[0-9A-Fa-f]{2}){1,40}$/.test(encoded)) return undefined;
  const offset = Number(encoded.slice(0, 2));
  if (offset > 15) return undefined;
  let plain = "";
  for (let at = 2, i = 0; at < encoded.length; at += 2, i++) {
    const code =
      Number.parseInt(encoded.slice(at, at + 2), 16) ^
      TYPE7_TABLE.charCodeAt((offset + i) % TYPE7_TABLE.length);
    if (code < 0x20 || code > 0x7e) return undefined;
    plain += String.fromCharCode(code);
  }
  return plain;
}

/** The verdict on a Cisco value after its type (`7 0822455D0A16`, `0 cisco123`, none). */
function ciscoVerdict(type: string | undefined, secret: string): RuleVerdict {
  if (type === "7" || type === "encrypted") return decodeCiscoType7(secret) !== undefined;
  return fieldPasswordVerdict(secret);
}

/**
 * Cisco IOS lines: an indented `password` of a `line con`/`vty`/`aux` block (IOS XR's `line
 * default`/`template` too), `key-string` of a key chain or an interface (NX-OS quotes it), IKE
 * pre-shared keys (`pre-shared-key local …`, a keyring's `pre-shared-key address … key …`,
 * `crypto isakmp key … address`, ASA's `ikev1 pre-shared-key …` and `ikev2 local-authentication
 * pre-shared-key …`), HSRP (`standby 1 authentication …`, an MD5 key's `timeout` after it) and the `key` of a `radius
 * server`/`tacacs server` block, each with an optional type (0 or 7, IOS XR's `clear` or
 * `encrypted`, its key chains' `password 7`; 5, 6, 8 and 9 are hashes or encrypted with a key
 * of the device's own).
 */
const CISCO_TYPE = "(?:[ \\t]{1,2}(?:password[ \\t]{1,2})?(?<type>[067]|encrypted|clear))?";
const CISCO_VALUE = `[ \\t]{1,2}(?<quote>"?)(?<secret>[^\\s"]{2,100})\\k<quote>`;
const CISCO_LINE = re(
  `^[ \\t]{1,8}(?:password|key-string|key|(?:ikev1[ \\t]{1,2}|ikev2[ \\t]{1,2}(?:local|remote)-authentication[ \\t]{1,2})?pre-shared-key(?:[ \\t]{1,2}(?:local|remote))?|pre-shared-key[ \\t]{1,2}(?:address|hostname)[ \\t]{1,2}[^\\s]{1,100}(?:[ \\t]{1,2}[0-9.]{7,15})?[ \\t]{1,2}key|standby[ \\t]{1,2}\\d{1,4}[ \\t]{1,2}authentication(?:[ \\t]{1,2}(?:md5[ \\t]{1,2}key-string|text))?)${CISCO_TYPE}${CISCO_VALUE}(?:[ \\t]{1,2}timeout[ \\t]{1,2}\\d{1,5})?[ \\t]*\\r?$|^[ \\t]{0,8}crypto[ \\t]{1,2}isakmp[ \\t]{1,2}key${CISCO_TYPE.replace("type", "typeAlt")}[ \\t]{1,2}(?<secretAlt>[^\\s]{2,100})[ \\t]{1,2}(?:address|hostname)\\b`,
  "m",
);

/**
 * The line that opens the block each Cisco line sits in (the last line before it that starts
 * at the margin), read forward once per text: matches come in order, so the reader never goes
 * back.
 */
function blockHeaders(text: string): (lineStart: number) => string {
  let cursor = 0;
  let header = "";
  return (lineStart) => {
    while (cursor < lineStart) {
      const newline = text.indexOf("\n", cursor);
      const end = newline < 0 || newline > lineStart ? lineStart : newline;
      if (end > cursor && !/[ \t\r]/.test(text[cursor] as string)) {
        header = text.slice(cursor, Math.min(end, cursor + 200));
      }
      cursor = end + 1;
    }
    return header;
  };
}

const ciscoLineCredential: ScanRule = {
  id: "cisco-line-credential",
  description:
    "Key or password of a Cisco IOS line, key chain, IKE peer, HSRP group or RADIUS/TACACS+ server",
  keywords: [
    "line vty",
    "line con",
    "line aux",
    "line default",
    "line template",
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
    const headerOf = blockHeaders(text);
    for (const m of judgedMatches(text, CISCO_LINE)) {
      const groups = m.groups ?? {};
      const secret = groups.secret ?? groups.secretAlt ?? "";
      const type = groups.type ?? groups.typeAlt;
      if (type === "6") continue;
      const directive = m[0].trim().split(/\s+/)[0];
      if (directive === "password" || directive === "key") {
        // Only inside the blocks that take them: a terminal line's, a RADIUS or TACACS+ server's.
        const block = headerOf(m.index);
        const wanted =
          directive === "password"
            ? /^line[ \t]+(?:con|vty|aux|console|default|template)\b/
            : /^(?:radius|tacacs)[ \t]+server[ \t]/;
        if (!wanted.test(block)) continue;
      }
      // A key chain's `key 1` names the key; the digits of `key-string` or a PSK may be a key.
      if (directive === "key" && /^\d{1,3}$/.test(secret)) continue;
      const verdict = ciscoVerdict(type, secret);
      const span = groupSpan(m, "secret", "secretAlt");
      const match = span && matchOf(span[0], span[1], verdict);
      if (match) found.push(match);
    }
    return found;
  },
};

/** VyOS' and EdgeOS' saved configuration (`config.boot`, `config.boot.default`). */
const VYOS_CONFIG_FILE = /(?:^|[/\\])config\.boot(?:\.[\w-]{1,20})?$/;

/**
 * A VyOS/EdgeOS line that holds a secret: an IPsec peer's `pre-shared-secret` and a login's
 * `plaintext-password` (`encrypted-password` is a hash), as `config.boot` writes them or as a
 * `set` command gives them; VyOS 1.4's `psk NAME { secret … }` (a `secret` line of
 * `config.boot`, or `set … psk NAME secret …`). The value quoted or bare, a comment after it.
 */
const VYOS_SECRET_LINE =
  /^[ \t]{0,40}(?<set>set[ \t][^\n]{1,200}[ \t])?(?<name>pre-shared-secret|plaintext-password|secret)[ \t]{1,4}(?:"(?<quoted>[^"\n]{1,128})"|'(?<single>[^'\n]{1,128})'|(?<bare>[^\s"'{;]{1,128}))[ \t]*(?:#[^\n]*)?\r?$/dgm;

const vyosConfigSecret: ScanRule = {
  id: "vyos-config-secret",
  description: "Pre-shared secret or plain-text password in a VyOS or EdgeOS configuration",
  keywords: ["pre-shared-secret", "plaintext-password", "psk"],
  severity: "error",
  confidence: "medium",
  suggestedName: "DEVICE_PASSWORD",
  checksPlaceholders: true,
  scan(text, context) {
    const configFile = VYOS_CONFIG_FILE.test(context?.file ?? "");
    const found: RuleMatch[] = [];
    for (const m of judgedMatches(text, VYOS_SECRET_LINE)) {
      const groups = m.groups ?? {};
      // A bare `secret` line only where VyOS 1.4 writes a PSK's: its config file, or a `set`
      // command of a `psk`.
      if (
        groups.name === "secret" &&
        !(groups.set ? /[ \t]psk[ \t]/.test(groups.set) : configFile)
      ) {
        continue;
      }
      const span = groupSpan(m, "quoted", "single", "bare");
      const secret = groups.quoted ?? groups.single ?? groups.bare ?? "";
      const match =
        span && matchOf(span[0], span[1], fieldPasswordVerdict(secret, groups.bare === undefined));
      if (match) found.push(match);
    }
    return found;
  },
};

/** The password of a match's `quoted` or `bare` group, judged as a field's password. */
function quotedOrBarePassword(m: RegExpExecArray): RuleMatch | undefined {
  const span = groupSpan(m, "quoted", "bare");
  const secret = m.groups?.quoted ?? m.groups?.bare ?? "";
  return (
    span && matchOf(span[0], span[1], fieldPasswordVerdict(secret, m.groups?.quoted !== undefined))
  );
}

/** A TACACS+ daemon's configuration (`tac_plus.conf`, `tacacs.conf`, `tac_plus-ng.cfg`). */
const TACACS_FILE = /(?:^|[/\\])(?:tac_plus|tacacs)[\w.-]{0,20}\.(?:conf|cfg)$/i;

/**
 * A user's clear-text login (`login = cleartext "…"`, `enable = cleartext …`, PAP, CHAP;
 * tac_plus-ng's `password login = clear …` and its `password { login = clear … }` block), the
 * value alone to the line's end; `\"` is a quote inside a quoted one.
 */
const tacacsLogin = (word: string) =>
  new RegExp(
    `^[ \\t]{0,40}(?:password[ \\t]{1,4})?(?:login|enable|pap|chap|arap|opap|global)[ \\t]{0,4}=[ \\t]{0,4}${word}[ \\t]{1,4}${TACACS_VALUE}`,
    "dgm",
  );
/** A quoted or bare value, then only blanks to the line's end. */
const TACACS_VALUE = `(?:"(?<quoted>(?:[^"\\\\\\n]|\\\\.){1,128})"|(?<bare>[^\\s"#]{1,128}))[ \\t]*\\r?$`;
/** `cleartext` anywhere the syntax stands; tac_plus-ng's shorter `clear` in its own files. */
const TACACS_CLEARTEXT = tacacsLogin("cleartext");
const TACACS_CLEAR = tacacsLogin("clear(?:text)?");

/** The daemon's shared key with the devices (`key = "…"`), at a line's start. */
const TACACS_KEY = new RegExp(`^[ \\t]{0,16}key[ \\t]{0,4}=[ \\t]{0,4}${TACACS_VALUE}`, "dgm");

/**
 * TACACS+ (tac_plus, tac_plus-ng): a user's clear-text login or enable password anywhere the
 * daemon's syntax stands, and the shared `key` in the daemon's own file.
 */
const tacacsPlusSecret: ScanRule = {
  id: "tacacs-plus-secret",
  description: "TACACS+ daemon key or clear-text user password (tac_plus.conf)",
  keywords: ["cleartext", "= clear", "key"],
  severity: "error",
  confidence: "medium",
  suggestedName: "TACACS_KEY",
  scan(text, context) {
    const found: RuleMatch[] = [];
    const patterns = TACACS_FILE.test(context?.file ?? "")
      ? [TACACS_CLEAR, TACACS_KEY]
      : [TACACS_CLEARTEXT];
    for (const m of judgedMatches(text, ...patterns)) {
      const match = quotedOrBarePassword(m);
      if (match) found.push(match);
    }
    return found;
  },
};

/**
 * A MikroTik RouterOS command's secret (an export's `add name=vpn password=…` under `/ppp
 * secret`, `/ip ipsec peer add … secret=…`, a Wi-Fi profile's `wpa2-pre-shared-key=…`, an L2TP
 * server's `ipsec-secret=…`, an SNMP community's `authentication-password=…`): in an export
 * (`.rsc`) or on a line that is a RouterOS command (`/…`, `add …`, `set …`), a long command
 * wrapped over lines ending in `\` as `/export` writes it. `\"` is a quote inside a value.
 */
const ROUTEROS_SECRET =
  /(?:pre-shared-key|secret|password|passphrase)=(?:"(?<quoted>(?:[^"\\\n]|\\.){1,128})"|(?<bare>[^\s"]{1,128}))/dg;

/** Words RouterOS takes where a secret's name could stand for a switch, not a secret. */
const ROUTEROS_NOT_SECRET = /^(?:yes|no|true|false|none|auto|default|required|optional)$/;

/** How far back a wrapped RouterOS command's start is looked for. */
const ROUTEROS_COMMAND_REACH = 800;

/** Whether the line break at `newline` ends a wrapped line (`… \` then the next line). */
function isWrapped(text: string, newline: number): boolean {
  const before = text[newline - 1] === "\r" ? newline - 2 : newline - 1;
  return text[before] === "\\";
}

/**
 * Where the RouterOS command holding `at` starts: its line's start, or that of the first line of
 * a command wrapped over lines ending in `\`, read back at most ROUTEROS_COMMAND_REACH
 * characters (`undefined` when further).
 */
function routerOsCommandStart(text: string, at: number): number | undefined {
  const limit = Math.max(0, at - ROUTEROS_COMMAND_REACH);
  let i = at - 1;
  for (;;) {
    while (i >= limit && text[i] !== "\n") i--;
    if (i < limit) return limit === 0 ? 0 : undefined;
    if (!isWrapped(text, i)) return i + 1;
    i--;
  }
}

/** Whether no line break between `from` and `to` ends a command (each is a wrapped line's). */
function isSameCommand(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    if (text[i] === "\n" && !isWrapped(text, i)) return false;
  }
  return true;
}

const routerOsSecret: ScanRule = {
  id: "routeros-secret",
  description: "Password, secret or Wi-Fi key in a MikroTik RouterOS command or export",
  keywords: ["pre-shared-key=", "secret=", "password=", "passphrase="],
  severity: "error",
  confidence: "medium",
  suggestedName: "DEVICE_PASSWORD",
  scan(text, context) {
    const isExport = /\.rsc$/i.test(context?.file ?? "");
    const found: RuleMatch[] = [];
    let judged = 0;
    let commandStart: number | undefined | null = null;
    let checkedTo = 0;
    ROUTEROS_SECRET.lastIndex = 0;
    for (
      let m = ROUTEROS_SECRET.exec(text);
      m && judged < CANDIDATES_JUDGED_PER_TEXT;
      m = ROUTEROS_SECRET.exec(text)
    ) {
      // The whole name (`wpa2-pre-shared-key`, `ipsec-secret`), after a blank.
      let nameStart = m.index;
      while (nameStart > m.index - 40 && /[a-z0-9-]/.test(text[nameStart - 1] ?? "")) nameStart--;
      if (!/[ \t]/.test(text[nameStart - 1] ?? "")) continue;
      // Matches come in order: one in the command of the one before starts where it did (or,
      // as it, further back than a command reaches: a long line read back once, not each time).
      const start: number | undefined =
        commandStart !== null && isSameCommand(text, checkedTo, nameStart)
          ? commandStart
          : routerOsCommandStart(text, nameStart);
      commandStart = start;
      checkedTo = nameStart;
      if (start === undefined) continue;
      const command = text.slice(start, Math.min(nameStart, start + 200));
      const commandLine = isExport
        ? /^[ \t]{0,8}(?:\/[a-z]|add[ \t]|set[ \t])/
        : /^[ \t]{0,8}\/(?:ip|ppp|user|interface|routing|system|tool|snmp|radius)\b/;
      if (!commandLine.test(command)) continue;
      const span = groupSpan(m, "quoted", "bare");
      if (!span) continue;
      // A wrapped line's `\` ends the line, not the value.
      const end =
        text[span[1] - 1] === "\\" && /[\r\n]/.test(text[span[1]] ?? "") ? span[1] - 1 : span[1];
      const secret = text.slice(span[0], end);
      if (ROUTEROS_NOT_SECRET.test(secret)) continue;
      judged++;
      const match = matchOf(
        span[0],
        end,
        fieldPasswordVerdict(secret, m.groups?.quoted !== undefined),
      );
      if (match) found.push(match);
    }
    return found;
  },
};

/** pppd's secrets files (`/etc/ppp/chap-secrets`, `pap-secrets`). */
const PPP_SECRETS_FILE = /(?:^|[/\\])(?:chap|pap)-secrets$/i;

/**
 * One of their lines: client, server, secret and optional addresses, each quoted or not. A
 * secret of `@/path` names the file pppd reads it from; `*` and `-` are none.
 */
const PPP_SECRETS_LINE =
  /^[ \t]*(?:"[^"\n]{0,128}"|'[^'\n]{0,128}'|[^\s"'#][^\s"']{0,127})[ \t]+(?:"[^"\n]{0,128}"|'[^'\n]{0,128}'|[^\s"']{1,128})[ \t]+(?:"(?<quoted>[^"\n]{1,128})"|'(?<single>[^'\n]{1,128})'|(?<bare>[^\s"'@][^\s"']{0,127}))(?:[ \t][^\n]*)?$/dgm;

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
      const secret = m.groups?.quoted ?? m.groups?.single ?? m.groups?.bare ?? "";
      if (secret === "*" || secret === "-" || secret.startsWith("@")) continue;
      const verdict = fieldPasswordVerdict(secret, m.groups?.bare === undefined);
      const span = groupSpan(m, "quoted", "single", "bare");
      const match = span && matchOf(span[0], span[1], verdict);
      if (match) found.push(match);
    }
    return found;
  },
};

/** OpenVPN's `auth-user-pass` file by its usual names: the user, then the password, alone. */
const VPN_LOGIN_FILE =
  /(?:^|[/\\])(?:auth|login|pass|passwd|password|userpass|credentials|vpn[_-]?(?:auth|login|pass|credentials)|auth-user-pass)(?:\.(?:txt|conf|cfg))?$/i;

/**
 * Its two lines (a byte-order mark, blanks and blank lines around them allowed): a user without
 * blanks, then the password, which may hold them.
 */
const VPN_LOGIN_LINES =
  /^\uFEFF?\s*(?<user>[^\s:=#]{1,128})[ \t]*\r?\n[ \t]*(?<secret>[^\s](?:[^\n]{0,126}[^\s])?)\s*$/d;

const vpnLoginFile: ScanRule = {
  id: "vpn-login-file",
  description: "Password in a login file (OpenVPN auth-user-pass: the user, then the password)",
  keywords: [],
  severity: "error",
  confidence: "low",
  suggestedName: "VPN_PASSWORD",
  scan(text, context) {
    if (text.length > 600 || !VPN_LOGIN_FILE.test(context?.file ?? "")) return [];
    const lines = VPN_LOGIN_LINES.exec(text);
    const user = lines?.groups?.user ?? "";
    const secret = lines?.groups?.secret ?? "";
    const span = lines && groupSpan(lines, "secret");
    // Two words of any other file (`README` / `LICENSE`, `hello` / `world`) are no login: the
    // second must look drawn, or be a weak password.
    if (!span || isPlaceholder(user) || /^[A-Z]+$/.test(user) || /^v\d|^\d+(?:\.\d+)*$/.test(user))
      return [];
    if (/^v\d/.test(secret)) return [];
    const match = matchOf(span[0], span[1], fieldPasswordVerdict(secret, false, "weak-only"));
    return match ? [match] : [];
  },
};

/** The blocks around `at` hold a Wi-Fi encryption setting (OpenWrt: `option encryption 'psk2'`). */
function nearWifiEncryption(text: string, at: number): boolean {
  return /option[ \t]{1,4}encryption[ \t]{1,4}["']?(?:psk|sae|wpa)/.test(
    text.slice(Math.max(0, at - 800), at + 800),
  );
}

/** A FreeRADIUS client block's opening (`client nas1 {`), or a brace of any block. */
const CLIENT_OR_BRACE = /(?:^|\n)[ \t]{0,8}client[ \t]{1,4}[^\s{"]{1,253}[ \t]{0,4}\{|[{}]/g;

/**
 * Whether each `secret =` sits directly in a client block, read forward once per text (matches
 * come in order): the depth of braces since the last client block opened, 1 inside it.
 */
function clientBlockDepths(text: string): (at: number) => boolean {
  let depth = 0;
  // The next opening or brace not yet counted (null: none is left), found once.
  let pending: RegExpExecArray | null | undefined;
  CLIENT_OR_BRACE.lastIndex = 0;
  return (at) => {
    for (;;) {
      if (pending === undefined) pending = CLIENT_OR_BRACE.exec(text);
      if (!pending || pending.index >= at) break;
      if (pending[0].endsWith("{") && pending[0].length > 1) depth = 1;
      else if (pending[0] === "{") depth = depth > 0 ? depth + 1 : 0;
      else depth = Math.max(0, depth - 1);
      pending = undefined;
    }
    return depth === 1;
  };
}

/** A FreeRADIUS `secret = …` line, quoted (blanks and `#` allowed) or not. */
const RADIUS_SECRET_LINE =
  /^[ \t]{1,16}secret[ \t]{0,4}=[ \t]{0,4}(?:"(?<quoted>[^"\n]{1,128})"|'(?<single>[^'\n]{1,128})'|(?<bare>[^\s"'#]{1,128}))[ \t]*(?:#[^\n]*)?$/dgm;

const radiusClientSecret: ScanRule = {
  id: "radius-client-secret",
  description: "RADIUS shared secret of a FreeRADIUS client (clients.conf: client { secret = … })",
  keywords: ["secret"],
  severity: "error",
  confidence: "medium",
  suggestedName: "RADIUS_SECRET",
  scan(text) {
    if (!text.includes("client")) return [];
    const found: RuleMatch[] = [];
    const inClient = clientBlockDepths(text);
    RADIUS_SECRET_LINE.lastIndex = 0;
    for (let m = RADIUS_SECRET_LINE.exec(text); m; m = RADIUS_SECRET_LINE.exec(text)) {
      const secret = m.groups?.quoted ?? m.groups?.single ?? m.groups?.bare ?? "";
      // An HCL block's reference (`var.web_secret`, `local.x`) is no value.
      if (/^(?:var|local|data|module)\.[\w.-]+$/.test(secret) || !inClient(m.index)) continue;
      const verdict = fieldPasswordVerdict(secret, m.groups?.bare === undefined);
      const span = groupSpan(m, "quoted", "single", "bare");
      const match = span && matchOf(span[0], span[1], verdict);
      if (match) found.push(match);
    }
    return found;
  },
};

/**
 * HAProxy's lines that hold a password: the statistics page's login (`stats auth admin:…`, to
 * the end of its word) and a userlist's clear-text password (`user admin insecure-password …`; a
 * `password` there is a crypt hash).
 */
const HAPROXY_LINE =
  /^[ \t]{0,16}(?:stats[ \t]{1,16}auth[ \t]{1,16}(?<login>[^\s#]{1,200})|user[ \t]{1,8}[^\s#]{1,64}[ \t]{1,8}insecure-password[ \t]{1,8}(?<password>[^\s#]{1,200}))(?=[ \t\r]|$)/dgm;

/** Where `word` holds its value: without a pair of quotes around it. */
function unquoted(word: string): [number, number] {
  const quote = word[0];
  return (quote === '"' || quote === "'") && word.length > 2 && word.endsWith(quote)
    ? [1, word.length - 1]
    : [0, word.length];
}

const haproxyPassword: ScanRule = {
  id: "haproxy-password",
  description: "Password in an HAProxy configuration (stats auth user:password, insecure-password)",
  // `auth`: `stats` and `auth` may be apart by tabs or aligned blanks.
  keywords: ["auth", "insecure-password"],
  severity: "error",
  confidence: "medium",
  suggestedName: "HAPROXY_PASSWORD",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    HAPROXY_LINE.lastIndex = 0;
    for (let m = HAPROXY_LINE.exec(text); m; m = HAPROXY_LINE.exec(text)) {
      const span = m.indices?.groups?.login ?? m.indices?.groups?.password;
      if (!span) continue;
      // The login quoted whole (`"admin:…"`), or each part apart (`"admin":"…"`).
      let [from, to] = [span[0], span[1]];
      const word = text.slice(from, to);
      if (m.groups?.login !== undefined) {
        const colon = word.indexOf(":");
        if (colon < 0) continue;
        from += colon + 1;
        const quote = word[0];
        if ((quote === '"' || quote === "'") && word.endsWith(quote) && text[from] !== quote) to--;
      }
      const [start, end] = unquoted(text.slice(from, to));
      const secret = text.slice(from + start, from + end);
      const match = matchOf(from + start, from + end, fieldPasswordVerdict(secret));
      if (match) found.push(match);
    }
    return found;
  },
};

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
  radiusClientSecret,
  haproxyPassword,
  regexRule({
    // OpenWrt's wireless config (`option key '…'` beside `option encryption 'psk2'`; a
    // passphrase may hold blanks), and the WPA passphrase (8 to 63 characters) or raw key (64
    // hex digits) of a device's or Debian's interfaces line (`authentication wpa-psk …`,
    // `wpa-psk ascii 0 …`, `wpa-psk "…"`), which starts its line.
    id: "wifi-network-key",
    description: "Wi-Fi key in an OpenWrt wireless config (option key) or a device's wpa-psk line",
    keywords: ["option key", "wpa-psk"],
    confidence: "medium",
    suggestedName: "WIFI_PSK",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,16}option[ \\t]{1,4}key[ \\t]{1,4}(?:'(?<secret>[^'\\n]{8,63})'|"(?<secretAlt>[^"\\n]{8,63})"|(?<secretAlt2>[^\\s"']{8,64}))[ \\t]*(?:#[^\\n]*)?$|^[ \\t]{0,16}(?:authentication[ \\t]{1,2})?wpa-psk[ \\t]{1,2}(?:ascii[ \\t]{1,2}(?:[07][ \\t]{1,2})?)?(?:"(?<secretAlt3>[^"\\n]{8,63})"|(?<secretAlt4>[^\\s"]{8,64}))[ \\t]*$`,
      "m",
    ),
    validate: (secret, match, text) =>
      (match.groups?.secretAlt3 !== undefined ||
        match.groups?.secretAlt4 !== undefined ||
        nearWifiEncryption(text, match.index)) &&
      !/^[.~]?\//.test(secret) &&
      fieldPasswordVerdict(secret, match.groups?.secretAlt4 === undefined),
  }),
  vyosConfigSecret,
  tacacsPlusSecret,
  routerOsSecret,
];
