/**
 * Credentials in connection details: `scheme://user:password@host` URLs of any scheme, HTTP
 * authentication in commands and headers (`curl -u`, `Authorization: Basic|Bearer|Token`,
 * API-key headers), and `Password=` in ADO.NET / ODBC / JDBC connection strings.
 */
import { hasPlaceholderWord, isPlaceholder, isReference, shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import {
  CODE_FILE,
  classCount,
  decodeBase64Url,
  decodeURIComponentSafe,
  isAnonRoleJwt,
  isRandomHex,
  isTokenLike,
  isWordsJoinedBySlash,
  isWordsOrNumbersJoined,
  LINE_GAP,
  notBefore,
  type RuleVerdict,
  re,
  regexRule,
} from "./build.js";
import { cookieFileSession, sessionCookie } from "./cookies.js";
import { passwordVerdict } from "./weak-password.js";

/** Passwords documentation uses as examples (and defaults nobody should mistake for a leak). */
const EXAMPLE_PASSWORDS = new Set(
  [
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "password1",
    "password123",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "secret123",
    "changeme",
    "changeit",
    "postgres",
    "mysql",
    "root",
    "toor",
    "admin",
    "administrator",
    "user",
    "username",
    "guest",
    "test",
    "testing",
    "demo",
    "example",
    "redis",
    "mongo",
    "rabbitmq",
    "minioadmin",
    "neo4j",
    "foo",
    "bar",
    "baz",
    "foobar",
    "xyz",
    "qwerty",
    "letmein",
    "hunter2",
    "tiger",
    "123456",
    "12345678",
    "mypassword",
    "mysecret",
    "mysecretpassword",
    "yourpassword",
    "pa55word",
    "pass123",
    "pw",
    // Vagrant's boxes, the Raspberry Pi's first image and Android's debug keystore: published
    // defaults.
    "vagrant",
    "raspberry",
    "android",
  ].map((word) => word.toLowerCase()),
);

/**
 * A password's own name with digits or a mark, in English or another language (`@password`,
 * `Şifre1`, `Contraseña123`, `Passwort!`).
 */
const PASSWORD_WORD_STAND_IN =
  /^[@#!]?(?:pass(?:word|wd)?|pwd|[s\u015f]ifre|senha|contrase(?:\u00f1|n)a|passwort|kennwort|has(?:l|\u0142)o|heslo|parola|parool|wachtwoord|salasana|l[o\u00f6]senord|passord|\u043f\u0430\u0440\u043e\u043b\u044c|\u5bc6\u7801)\d{0,6}[!@#.]?$/i;

/**
 * True when `value` is one of the passwords documentation and examples use (`changeme`,
 * `secret123`, a demonstration's `demo112`, a temporary `temppass1`, `mywifipassword`).
 */
export function isTypicalPassword(value: string): boolean {
  const lower = value.toLowerCase();
  return (
    EXAMPLE_PASSWORDS.has(lower) ||
    PASSWORD_WORD_STAND_IN.test(value) ||
    // `mywifipassword`, `yourdbpassword`, `newpassword`: whose password it is (or which one),
    // then its name, in small letters.
    /^(?:my|your|new|old)[a-z]{0,12}password$/.test(value) ||
    /^(?:user(?:name)?|pass(?:word)?|secret|my|your|db|app|demo|temp)[_-]?(?:pass(?:word)?|pwd|secret|name)?\d{0,6}$/.test(
      lower,
    )
  );
}

/** True when `value` is a documentation password, a reference or a placeholder. */
export function isExamplePassword(value: string): boolean {
  return isTypicalPassword(value) || isReference(value) || isPlaceholder(value);
}

const EXAMPLE_HOST =
  /^(?:[a-z0-9-]{1,63}\.){0,8}example(?:\.(?:com|org|net)|\.[a-z]{2,6})?(?:[:/]|$)/i;

/** This machine: `localhost`, a loopback address, `0.0.0.0`. */
const LOCAL_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;

/**
 * A password made of its user's name and a password's word, as documentation pairs them
 * (`cacheuser:cachepass`, `app:app_password`, `dbuser:dbpwd1`).
 */
function isPasswordNamedForUser(user: string, password: string): boolean {
  const stem = user.replace(/[_-]?(?:user(?:name)?|usr|login)$/i, "");
  if (stem.length < 2 || !/^[A-Za-z0-9]+$/.test(stem)) return false;
  return new RegExp(`^${stem}[_-]?(?:pass(?:word)?|pwd|pw|secret)\\d{0,3}$`, "i").test(password);
}

/** The words of a credential's name, and the words that join them (`or`, `ou`, `oder`). */
const CREDENTIAL_NAME_WORDS = new Set(
  `token tokens password passwd pass pwd pw secret key apikey api pat access personal app auth
  or ou oder o senha contrasena passwort kennwort mot de passe`.split(/\s+/),
);

/**
 * A value made of a credential's names alone (`token(senha)`, `password_or_token`, `pat-token`):
 * what a guide writes where the credential goes.
 */
function isCredentialNamesOnly(value: string): boolean {
  if (/\d/.test(value)) return false;
  const words = value
    .toLowerCase()
    .replace(/\u00f1/g, "n")
    .split(/[^a-z]+/)
    .filter((word) => word !== "");
  return words.length > 0 && words.every((word) => CREDENTIAL_NAME_WORDS.has(word));
}

/** `user:password` decoded from HTTP Basic credentials, or undefined. */
function basicPassword(encoded: string): string | undefined {
  const decoded = decodeBase64Url(encoded) ?? "";
  const colon = decoded.indexOf(":");
  if (colon < 1 || !/^[\x20-\x7e]+$/.test(decoded)) return undefined;
  return decoded.slice(colon + 1);
}

/**
 * A password given on a command line, reported (`true`) when it is not a stand-in, a
 * reference or a single word, or as a warning (`"typed"`) when it is a weak one.
 */
export function commandLinePassword(secret: string): RuleVerdict {
  return passwordVerdict(secret, isCommandLinePassword(secret));
}

/**
 * The third argument of a call given a JDBC URL that can be a password: no blanks (a message),
 * not another URL, a class's dotted name (`com.mysql.cj.jdbc.Driver`) or a number.
 */
function isJdbcCallPassword(secret: string): boolean {
  return (
    !/\s/.test(secret) &&
    !/^[a-z][a-z0-9+.-]{1,20}:/i.test(secret) &&
    !/^(?:[A-Za-z_]\w*\.){2,}[A-Za-z_]\w*$/.test(secret) &&
    !/^\d+$/.test(secret)
  );
}

/** A password given on a command line: not a stand-in, a reference or a single word. */
function isCommandLinePassword(secret: string): boolean {
  return (
    secret.length >= 6 &&
    // roff's font escapes around a manual's placeholder (`\fIpassword\fR`).
    !/\\f[BIRP]/.test(secret) &&
    classCount(secret) >= 2 &&
    !isExamplePassword(secret) &&
    !isPlaceholder(secret) &&
    !isReference(secret)
  );
}

/**
 * The start of a statement that creates or changes an account (`CREATE USER`, `ALTER ROLE`,
 * `CREATE DATABASE LINK … CONNECT TO`, `GRANT … TO` at a statement's start), which
 * `IDENTIFIED BY` follows on its line or the next ones; not a `grant` in prose ("This grant is
 * identified by …").
 */
const SQL_ACCOUNT_STATEMENT =
  /\b(?:(?:create|alter)[ \t\r\n]{1,8}(?:user|role|login)|database[ \t\r\n]{1,8}link|connect[ \t\r\n]{1,8}to)\b|(?:^|[\n;"'`(])[ \t]{0,8}grant\b/i;

/** User names of accounts (`root`, `admin`, `pi`, `ubuntu`, a service's own account). */
const ACCOUNT_USER =
  /^(?:root|admin|administrator|adm|user|pi|ubuntu|debian|centos|ec2-user|deploy|deployer|ops|backup|guest|ftp|ftpuser|sftp|postgres|mysql|sa|oracle|git|svc[._-].*|service|support|operator|nas|router)$/i;

/** The user names of {@link ACCOUNT_USER} that are words (the keywords of a rule that looks for them). */
const ACCOUNT_USER_NAMES = [
  "root",
  "admin",
  "administrator",
  "pi",
  "ubuntu",
  "debian",
  "ec2-user",
  "deploy",
  "backup",
  "guest",
  "postgres",
  "mysql",
  "sa",
  "oracle",
  "operator",
];

/**
 * A password kept in a note beside its user (`login: admin / pw`): a digit or a symbol in it,
 * not a version (`SAML2.0`, `LDAPv3`), words joined by `+` (`TOTP+SMS`), a credential word, a
 * number with a unit, a word with a number or a path; reported as {@link commandLinePassword}.
 */
function notePassword(secret: string): RuleVerdict {
  return (
    /[0-9!#$%^&*+=?~]/.test(secret) &&
    /[a-z0-9]/.test(secret) &&
    !/^[A-Z]{2,8}v?\d+(?:\.\d+)*$/i.test(secret) &&
    !/^[A-Za-z0-9]+(?:\+[A-Za-z0-9]+)+$/.test(secret) &&
    !/pass|secret|token|2fa|otp/i.test(secret) &&
    !/^\d+(?:\.\d+)?[a-z]{0,3}$/i.test(secret) &&
    !/^[A-Za-z]+\d{0,2}$/.test(secret) &&
    !/^[.~]?\//.test(secret) &&
    commandLinePassword(secret)
  );
}

/**
 * What comes before an account's user in a note: a line's start or list item, a label's colon,
 * a parenthesis or a table's cell (bold or not), a word that introduces it (`with`, `as`), a
 * dash or an arrow, or a word (`Grafana admin / …`); not `=` (`CN=Administrator/…`,
 * `R = Pi / …`).
 */
const ACCOUNT_CONTEXT =
  /(?:^[ \t]{0,8}(?:[-*+>][ \t]{1,4}|\d{1,2}[.)][ \t]{1,4})?|[:(|](?:\*\*|__)?[ \t]{0,4}|[ \t](?:with|as|use|using|-|--|\u2192|\u2013|\u2014|,|;)[ \t]{1,4}|[A-Za-z0-9)][ \t]{1,4})$/;

/**
 * What comes before a user written against its password (`admin/…`) in a note: a label's
 * colon, a list item's mark, a table's cell or a word of logging in; not any word
 * (`docker pull mysql/…`, `kubectl logs deploy/…`).
 */
const LABELLED_ACCOUNT =
  /(?:^|[:(|]|^[ \t]{0,8}(?:[-*+>]|\d{1,2}[.)])|\b(?:with|as|use|using|login|creds?))[ \t]{0,4}(?:\*\*|__|`)?$/i;

/**
 * `rule`, run only outside source code (see {@link CODE_FILE}), where `pi/4*D**2` and
 * `root / d` are expressions: the note forms of a user and a password are not looked for there.
 */
function notInCode(rule: ScanRule): ScanRule {
  return {
    ...rule,
    scan: (text, context) => (CODE_FILE.test(context?.file ?? "") ? [] : rule.scan(text, context)),
  };
}

/** A line about logging in to a host: a remote shell or copy, a share, a password, a device. */
const LOGIN_CONTEXT =
  /\b(?:ssh|scp|rsync|sftp|ftp|smb|cifs|mount|login|log in|logon|password|passwd|creds?|credentials|nas|router|switch|camera|printer)\b/i;

/**
 * A password on a command line: quoted, any characters but blanks, quotes and backticks up
 * to its closing quote (`-p"y9Dt6^f2fNU;8RLU4{xP"`: the shell reads `;`, `&`, `|` inside quotes
 * as characters; the other quote is code building the line, `-p"'+pw+'"`); unquoted, up to the
 * shell's next operator, a redirection or a Markdown code span's end. Not a variable (`$…`), a
 * template (`<…>`, `{…}`) or a flag (`-…`).
 */
const COMMAND_LINE_VALUE = `(?:"(?<secret>(?![$<{-])[^"'\\s\`]{3,100})"|'(?<secretAlt>(?![<{-])[^'"\\s\`]{3,100})'|(?<secretAlt2>[^\\s"'$<{;&|\`>-][^\\s"';&|)\`<>]{2,100}))`;

/** A Wi-Fi password's own name, in English or another language (a stand-in's word). */
const WIFI_STAND_IN =
  /pass|senha|contrase|passe|wifi|wlan|ssid|netzwerk|network|rede|kennwort|parol/i;

/** What a script's login rule reads: the password and where it ends. */
const SCRIPTED_LOGIN = {
  id: "scripted-login-password",
  description:
    "Password a script sends to a login prompt (expect/pexpect send after a password prompt, an ftp script's user NAME PASSWORD)",
  confidence: "medium",
  checksPlaceholders: true,
} as const;

/** Not blanks, a flag's word or an anonymous login. */
function isScriptedPassword(secret: string, match: RegExpExecArray): boolean {
  return (
    !/\s/.test(secret) &&
    !secret.startsWith("-") &&
    !/^\s*(?:quote[ \t]{1,4})?user[ \t]{1,4}(?:anonymous|ftp)[ \t]/i.test(match[0])
  );
}

/** A password's word in a prompt (`*assword:`, `Enter passphrase`). */
const PASSWORD_PROMPT_WORD = "(?:[Aa]ssw(?:or)?d|ASSW(?:OR)?D|[Pp]ass ?phrase|PASS ?PHRASE)";

/**
 * Expect's and pexpect's answer to a password prompt (`expect "*assword:" { send "…\r" }`,
 * `child.expect('Password:')` then `child.sendline('…')`): the prompt a string holding a
 * password's word and `:`, `*` or `?`, the answer on the same line or the next (or the one after
 * a `sleep 1`), its quotes escaped too (an expect script in a shell string); or a line of an
 * `expect { … }` block that pairs such a prompt with its answer (`"*assword:" { send "…\r" }`).
 */
const expectSendPassword = regexRule({
  ...SCRIPTED_LOGIN,
  keywords: ["expect"],
  // Only near each `expect`: the pattern opens with `\b`, from which V8 cannot skip ahead.
  near: { literal: "expect", before: 0, after: 420 },
  pattern: re(
    `\\bexpect(?:[ \\t]{1,4}-[a-z]{1,8})*(?:[ \\t]{1,4}|[ \\t]{0,4}\\([ \\t]{0,4}[rb]?)\\\\?["'{[][^\\n"']{0,40}?${PASSWORD_PROMPT_WORD}[^\\n"']{0,10}?[:*?][^\\n]{0,60}?(?:\\r?\\n[ \\t]{0,40}(?:sleep|after|time\\.sleep\\()[ \\t]{0,4}[\\d.]{1,6}\\)?[ \\t]{0,4}(?:#[^\\n]{0,80})?)?(?:\\r?\\n[ \\t]{0,40}|[ \\t]{0,4}[;{][ \\t]{0,4})(?:[\\w.]{1,40}\\.)?send(?:line)?[ \\t(]{1,4}(?:--[ \\t]{1,4})?(?:\\\\?"(?<secret>[^"\\n\\\\$]{3,100})(?:\\\\[rn])?\\\\?"|'(?<secretAlt>[^'\\n\\\\$]{3,100})(?:\\\\[rn])?')|(?:^|\\n)[ \\t]{0,40}(?:-[a-z]{1,3}[ \\t]{1,4})?["'][^\\n"']{0,40}?${PASSWORD_PROMPT_WORD}[^\\n"']{0,10}?[:*?][^\\n"'\\\\]{0,10}["'][ \\t]{0,4}\\{[ \\t]{0,4}send[ \\t]{1,4}(?:--[ \\t]{1,4})?"(?<secretAlt2>[^"\\n\\\\$]{3,100})(?:\\\\[rn])?"`,
  ),
  validate: (secret, match) =>
    isScriptedPassword(secret, match) ? commandLinePassword(secret) : false,
});

/**
 * An ftp script's login (`ftp -n host <<EOF` then `user NAME PASSWORD`): a `user` line after an
 * ftp command fed by a here-document or `-n` (no auto-login) in the lines before.
 */
const ftpScriptPassword = regexRule({
  ...SCRIPTED_LOGIN,
  keywords: ["ftp"],
  pattern: re(
    `(?:^|\\n)[ \\t]{0,8}(?:quote[ \\t]{1,4})?user[ \\t]{1,4}[^\\s]{1,100}[ \\t]{1,4}(?<secret>[^\\s$]{3,100})[ \\t]*(?=\\r?\\n|$)`,
    "i",
  ),
  validate: (secret, match, text) =>
    isScriptedPassword(secret, match) &&
    FTP_SCRIPT_BEFORE.test(text.slice(Math.max(0, match.index - 300), match.index))
      ? commandLinePassword(secret)
      : false,
});

/**
 * One rule of the two: each pattern runs only on a text holding its own word, as `expect` is
 * common in prose and tests and the ftp pattern tries every line's start.
 */
const scriptedLoginPassword: ScanRule = {
  ...expectSendPassword,
  // `ftp` as a rare keyword: the engine's keyword pass says whether it occurred, so neither
  // word is searched for again (a text without `ftp` ran the rule for its `expect`).
  rareKeywords: ["ftp"],
  scan: (text, context) => {
    const ftp = context?.rareKeywordFound === true;
    return [
      ...(!ftp || text.includes("expect") ? expectSendPassword.scan(text, context) : []),
      ...(ftp ? ftpScriptPassword.scan(text, context) : []),
    ];
  },
};

/** An ftp command fed a script (`ftp -n host <<EOF`, `ftp -inv host`): its `user` line logs in. */
const FTP_SCRIPT_BEFORE = /\bftp[ \t][^\n]{0,200}?(?:<<|[ \t]-[a-z]{0,4}n)/i;

/** One argument of a call: a string literal or a name (bounded, linear). */
const CALL_ARG = `(?:"[^"\\n]{0,200}"|'[^'\\n]{0,200}'|[A-Za-z_$][\\w$.>\\-]{0,60})`;

/**
 * Authorization schemes found by other rules (Basic, Bearer, Token, OAuth, SSWS) or that carry
 * no reusable credential: challenge-response (Digest, Negotiate, NTLM, HOBA, Mutual, SCRAM),
 * request signatures (AWS4-HMAC-SHA256, HMAC, Signature, Azure SharedKey and SharedKeyLite,
 * S3's `AWS id:signature`, Alibaba's `OSS`, `APIAuth`, Google's `SAPISIDHASH`),
 * proof-of-possession (DPoP, VAPID).
 */
const NOT_A_CREDENTIAL_SCHEME =
  /^(?:basic|bearer|token|oauth|ssws|digest|negotiate|ntlm|kerberos|hoba|mutual|scram-sha-\d{1,3}|dpop|vapid|gnap|privatetoken|signature|sharedkey(?:lite)?|aws|oss|apiauth|sapisidhash|[A-Za-z0-9-]{0,20}(?:hmac|sha\d{1,3}|rsa|ecdsa)[A-Za-z0-9_-]{0,20})$/i;

/** Whether only spaces or tabs (at most 40) come before `at` on its line. */
function isAtLineStart(text: string, at: number): boolean {
  let i = at;
  while (i > 0 && at - i < 40 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  return i === 0 || text[i - 1] === "\n";
}

/**
 * sudo's options before `-S` (`-u root`, `-p ''`, `-H`, `--preserve-env=PATH`), then `-S`
 * alone or among other letters (`-kS`), or `--stdin`: sudo reads the password from its input.
 */
const SUDO_STDIN = `(?:[ \\t]{1,4}(?:-[ugpCDrtUT][ \\t]{1,4}(?:[\\w.@%-]{1,32}|''|"")|-[A-Za-z]{1,6}|--[a-z][a-z-]{1,20}(?:=[\\w.,@-]{1,40})?)){0,4}?[ \\t]{1,4}(?:-[A-Za-z]{0,5}S[A-Za-z]{0,5}(?![A-Za-z])|--stdin(?![\\w-]))`;

export const CONNECTION_RULES: ScanRule[] = [
  regexRule({
    id: "url-credentials",
    // The user may be an e-mail address written as it is (`smtps://me@gmail.com:pw@smtp.…`).
    description: "Password in a URL (scheme://user:password@host)",
    keywords: ["://"],
    confidence: "medium",
    suggestedName: "DATABASE_URL",
    checksPlaceholders: true,
    // A scheme of at most 25 characters; then at most 555: user, password, host and separators.
    near: { literal: "://", before: 25, after: 555 },
    pattern: re(
      `${notBefore("A-Za-z0-9+.\\-")}[A-Za-z][A-Za-z0-9+.\\-]{1,24}://(?<user>\\{?[^\\s:@/'"\`<>{}()\\[\\]]{0,100}(?:@[A-Za-z0-9.\\-]{1,100}\\.[A-Za-z]{2,24})?\\}?):(?<secret>[^\\s@/'"\`<>]{1,200})@(?<host>[A-Za-z0-9\\-._~%\\[\\]]{1,253})`,
    ),
    validate: (found, match, text) => {
      // `https://{bob}:{…}@github.com`: a template's braces left around what was filled in, a
      // URL alone on its line (.git-credentials); in code, braces interpolate
      // (`f"https://{user}:{token}@…"`).
      const braced =
        /^\{[^{}]+\}$/.test(match.groups?.user ?? "") &&
        /^\{[^{}().[\]]+\}$/.test(found) &&
        isAtLineStart(text, match.index);
      if (!braced && found.startsWith("{") && /^\{[^{}]+\}$/.test(match.groups?.user ?? "")) {
        return false;
      }
      const user = braced ? (match.groups?.user ?? "").slice(1, -1) : (match.groups?.user ?? "");
      const secret = braced ? found.slice(1, -1) : found;
      const host = match.groups?.host ?? "";
      if (secret.length < 3 || /^\d{1,5}$/.test(secret) || isReference(user)) return false;
      // `{user}:{password}`, `{username}:{personal_access_token}`, `{pw1}`: the template itself.
      if (
        braced &&
        (secret.length < 8 || /^[A-Za-z_-]+\d?$/.test(secret) || hasPlaceholderWord(secret))
      ) {
        return false;
      }
      // A mail link written after a scheme (`https://mailto:bob@…`), an image pinned by its digest
      // (`docker://node:24.19.0@sha256:…`).
      if (/^mailto$/i.test(user) || /^sha(?:256|512)$/i.test(host)) return false;
      if (isCredentialNamesOnly(secret)) return false;
      const exampleHost = EXAMPLE_HOST.test(host);
      const plain = decodeURIComponentSafe(secret);
      // Escaped, a path (`%2Frun%2Fsecrets%2Fdb`) or a substitution (`%24%28cat …%29`,
      // `%24DB_PASSWORD`) is still no password.
      if (plain !== secret && /^\/|^\$(?:[({]|[A-Z_][A-Z0-9_]*$)/.test(plain)) return false;
      const escapedDollar = secret.startsWith("%24");
      const strong =
        !isExamplePassword(secret) &&
        // A `$` escaped in a URL (`%24Kx9…`) is a character, not a shell's variable.
        !isExamplePassword(escapedDollar ? plain.slice(1) : plain) &&
        // Documentation hosts carry documentation passwords, unless the password is random.
        (!exampleHost ||
          (secret.length >= 10 && classCount(secret) >= 3 && shannonEntropy(secret) >= 3) ||
          (secret.length >= 16 && shannonEntropy(secret) >= 3.8)) &&
        secret !== user;
      // A weak one (`airflow:airflow@postgres`): a warning, but not on a documentation host nor
      // on this machine (`scott:tiger@localhost`, a development default; `cacheuser:cachepass`).
      if (
        (!strong || isPasswordNamedForUser(user, secret)) &&
        (exampleHost || LOCAL_HOST.test(host))
      ) {
        return false;
      }
      return passwordVerdict(plain, strong);
    },
  }),
  regexRule({
    // `admin:pw@10.0.0.5`, `root:pw@nas.local`: a user and a password before a host without a
    // scheme, as notes and rsync or DSN-like lines write them. Only before an IP address (v4,
    // or v6 in brackets) or a
    // private name (`.local`, `.lan`, `.internal`, `.home`, `.home.arpa`, `.corp`), where
    // `name:word@host.com` is not an address; and only for a user that names an account
    // (`root`, `admin`, `pi`, …) or on a line about logging in (ssh, rsync, ftp, smb, a
    // password, a NAS or a router), not `session:7f3a9c21@10.0.0.5` in a log.
    id: "host-credentials",
    description: "User and password before a host without a scheme (user:password@10.0.0.5)",
    keywords: [
      "@1",
      "@2",
      "@3",
      "@4",
      "@5",
      "@6",
      "@7",
      "@8",
      "@9",
      "@[",
      ".local",
      ".lan",
      ".internal",
      ".home",
      ".corp",
      ".intranet",
    ],
    confidence: "low",
    checksPlaceholders: true,
    pattern: re(
      `(?<![A-Za-z0-9_/@:.%+\\-])(?<user>[A-Za-z][A-Za-z0-9._-]{0,31}):(?<secret>[^\\s:/'"\`<>]{6,64})@(?:(?:\\d{1,3}\\.){3}\\d{1,3}(?![\\d.])|\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,4}\\.(?:local|lan|internal|home\\.arpa|home|corp|intranet|localdomain)(?![A-Za-z0-9-]|\\.[A-Za-z0-9]))`,
      "i",
    ),
    // The user and password before the `@`; the host after it, and the two characters its
    // end is judged by.
    near: { literal: "@", before: 32 + 1 + 64, after: 63 * 5 + 5 + 11 + 2 },
    validate: (secret, match, text) =>
      (ACCOUNT_USER.test(match.groups?.user ?? "") ||
        LOGIN_CONTEXT.test(lineAround(text, match.index, 300))) &&
      /[0-9!#$%^&*+=?~@]/.test(secret) &&
      commandLinePassword(secret),
  }),
  regexRule({
    // `login: admin / pw`, `Credentials: admin / pw`, `wifi: HomeNet / psk`, `user deploy pass
    // pw` (or `pw pw`): a user (a network's name) and its
    // password after a label at the start of a line (or after `(` or another label's colon
    // near it: `NAS: Login: admin / pw`), as notes keep them. The password is not an
    // acronym with a version (`SAML2.0`, `LDAPv3`), words joined by `+` (`TOTP+SMS`), a
    // credential word, or a number with a unit; its span leaves out bold and closing
    // punctuation.
    id: "labelled-user-password",
    description: "User and password after a login or credentials label (login: admin / password)",
    keywords: ["login", "cred", "user", "wifi", "wi-fi", "wlan", "ssid"],
    confidence: "low",
    checksPlaceholders: true,
    pattern: re(
      `(?:^|\\n)(?:[^\\n]{0,40}?(?:\\(|[:-][ \\t]))?[ \\t>*+-]{0,8}(?:\\*\\*|__)?(?:[A-Za-z][\\w-]{0,20}[ \\t]{1,2}){0,2}(?:(?:login|credentials?|creds|wi-?fi|wlan|ssid|user(?:name)?[ \\t]{0,2}/[ \\t]{0,2}pass(?:word)?)(?:\\*\\*|__)?(?:[ \\t]{1,4}(?:(?:for|to|on|of|at)[ \\t]{1,2}(?:(?:the|my|our)[ \\t]{1,2})?[^\\s/:]{1,30}[ \\t]{0,2}:[ \\t]{0,4}|(?:is|was)[ \\t]{1,4})|[ \\t]{0,4}[:=-][ \\t]{0,4}|[ \\t]{1,4})(?:\\*\\*|__)?[ \\t]{0,2}[\`'"*]{0,2}[^\\s/:\`'"*]{1,64}[\`'"*]{0,2}[ \\t]{0,4}/[ \\t]{0,4}[\`'"*]{0,2}(?<secret>[^\\s\`'"*|(),;]{3,127}[^\\s\`'"*|(),;.:!?])|user(?:name)?[ \\t]{1,4}[^\\s/:\`'"]{1,64}[ \\t]{1,4}(?:pass(?:word)?|pwd?)[ \\t]{1,4}(?<secretAlt>[^\\s\`'"*|(),;]{3,127}[^\\s\`'"*|(),;.:])[.:]?[ \\t]*(?:\\r?\\n|$))`,
      "i",
    ),
    validate: notePassword,
  }),
  notInCode(
    regexRule({
      // `Proxmox: root / pw`, `- **NAS:** admin / pw`, `| router | admin / pw |`, `logged in
      // with admin / pw`: an account's user (`root`, `admin`, `pi`, …, in small letters) and a
      // password after a slash, as notes keep them: after a label, a list item, a table's cell,
      // a dash or a word that introduces them, in bold or code spans or not. The password holds a
      // symbol (`#`, `!`, `@`, …) and is no path's part, version, file name (`deploy/Release-2.0`,
      // `debian/libstdc++6.symbols`), issue (`root/Issue#123`) or command line's switch
      // (`/u:admin /p:…`, found by the rules of those commands); written against the slash
      // (`admin/…`), only after a label, not after any word (`kubectl logs deploy/…`). Not inside
      // a path (`/admin/…`) or after `=` (`CN=Administrator/…`, `R = Pi / …`). A closing `!` is
      // kept (`Summer2024!`), a full stop is not.
      id: "account-user-password",
      description: "An account's user and its password in a note (Proxmox: root / password)",
      keywords: ACCOUNT_USER_NAMES,
      confidence: "low",
      checksPlaceholders: true,
      pattern: re(
        `(?<![A-Za-z0-9_/=.@-])(?:\\*\\*|__|\`)?(?<user>${ACCOUNT_USER_NAMES.join("|")})(?![A-Za-z0-9_-])(?:\\*\\*|__|\`)?(?<gap>[ \\t]{0,2})/[ \\t]{0,2}(?:\\*\\*|__|\`)?(?<quote>["']?)(?![A-Za-z]{1,12}:)(?<secret>[^\\s/\`'"|<>()]{5,63}[^\\s/\`'"|<>().:?,;*])\\k<quote>(?:\\*\\*|__|\`)?(?=[\\s)\`'"*.,;:!?|\\u3002]|$)`,
      ),
      // The user before the `/`, the password after it.
      near: { literal: "/", before: 2 + 13 + 2 + 2, after: 2 + 2 + 1 + 64 + 1 + 2 },
      validate: (secret, match, text) => {
        const start = match.index;
        const head = text.slice(Math.max(0, start - 40), start);
        const before = head.slice(head.lastIndexOf("\n") + 1);
        if (!ACCOUNT_CONTEXT.test(before)) return false;
        const glued = match.groups?.gap === "" && !/\/[ \t]/.test(match[0]);
        if (glued && !LABELLED_ACCOUNT.test(before)) return false;
        return (
          /[!@#$%^&*+=?~]/.test(secret) &&
          // A formula (`pi/4*D**2`, `pi / tau)^2`), not a password.
          !/\*\*|\^\d|^\d[\d.]*[*^]/.test(secret) &&
          !/^[^!@$%^&*+=?~]*[#!]\d+$/.test(secret) &&
          !/\\/.test(secret) &&
          !/\.[A-Za-z][\w]{1,}$/.test(secret) &&
          /[A-Za-z]/.test(secret) &&
          /[0-9A-Z]/.test(secret) &&
          commandLinePassword(secret)
        );
      },
    }),
  ),
  regexRule({
    id: "http-basic-auth",
    description: "HTTP Basic credentials in an Authorization header",
    keywords: ["basic "],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(`\\bBasic[ \\t]{1,4}(?<secret>[A-Za-z0-9+/]{8,400}={0,2})(?![A-Za-z0-9+/=])`, "i"),
    validate: (secret) => {
      const password = basicPassword(secret);
      if (password === undefined || password.length < 3) return false;
      return passwordVerdict(password, !isExamplePassword(password));
    },
  }),
  regexRule({
    // `echo "pw" | sudo -S …`: the password sudo reads from its input, as scripts and notes
    // run it (`-S`, alone or among other flags).
    id: "sudo-stdin-password",
    description:
      "Password given to sudo -S on its standard input (echo pw | sudo -S, sudo -S … <<< pw)",
    keywords: ["sudo"],
    confidence: "medium",
    checksPlaceholders: true,
    // The `echo` part ends at most about 170 characters before `sudo`, the here-string about 650
    // after it.
    near: { literal: "sudo", before: 200, after: 700 },
    pattern: re(
      `\\b(?:echo|printf)[ \\t]{1,4}(?:-[neE]{1,3}[ \\t]{1,4})?(?:"(?<secret>[^"\\n$\`\\\\]{1,100})"|'(?<secretAlt>[^'\\n]{1,100})'|(?<secretAlt2>[^\\s"'|;&$\`]{1,100}))[ \\t]{0,4}\\|[ \\t]{0,4}(?:[\\w./-]{0,40}/)?sudo${SUDO_STDIN}|\\bsudo${SUDO_STDIN}[^\\n<|;&]{0,200}?<<<[ \\t]{0,4}(?:"(?<secretAlt3>[^"\\n$\`\\\\]{1,100})"|'(?<secretAlt4>[^'\\n]{1,100})')`,
    ),
    // Not a line written through `sudo -S tee` (`echo "net.ipv4.ip_forward=1" | sudo -S tee …`):
    // a setting, a path or words, not a password.
    validate: (secret, match, text) =>
      !isReference(secret) &&
      !/%s|\\n|\s|=|:\/\//.test(secret) &&
      // Nor a line written with `sudo -S tee … <<< '…'`.
      !/\btee\b/.test(match[0].slice(match[0].lastIndexOf("sudo"))) &&
      !/^[ \t]{1,4}tee\b/.test(
        text.slice(match.index + match[0].length, match.index + match[0].length + 12),
      ) &&
      passwordVerdict(secret, isCommandLinePassword(secret)),
  }),
  regexRule({
    id: "curl-user-password",
    description:
      "User and password on a command line (curl -u / --user / -U / --proxy-user user:password)",
    keywords: ["-u ", "--user", "-u'", '-u"', "-u=", "--proxy-user"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:(?<![\\w-])-[uU]|--user|--proxy-user)(?:[ \\t]{1,4}|=)["']?(?<user>[^\\s:'"$]{0,100}):(?<secret>[^\\s'"]{1,200})`,
    ),
    // A documentation password closes a sentence or a bracket: `(… user:password)`.
    validate: (secret, match) => {
      // `-u http://app` (az login's service principal): a URL, not user:password.
      if (secret.length < 3 || secret.startsWith("//") || isReference(match.groups?.user ?? "")) {
        return false;
      }
      const bare = secret.replace(/(?<![).,;:\]`])[).,;:\]`]+$/, "");
      return passwordVerdict(bare, !isExamplePassword(secret) && !isExamplePassword(bare));
    },
  }),
  regexRule({
    id: "curl-user-token",
    description: "API key as the user name of HTTP Basic auth on a command line (curl -u KEY:)",
    keywords: ["-u ", "--user", "-u'", '-u"', "-u="],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:(?<![\\w-])-u|--user)(?:[ \\t]{1,4}|=)(?<quote>["']?)(?<secret>[A-Za-z0-9_\\-.]{12,120}):\\k<quote>(?=[\\s\\\\]|$)`,
    ),
    validate: (secret) => isTokenLike(secret) && classCount(secret) >= 3,
  }),
  regexRule({
    id: "http-header-credential",
    description:
      "Credential in an HTTP header given on a command line (-H 'X-Auth-Token: …', 'Authorization: KEY')",
    keywords: ["-h ", "-h'", '-h"', "--header"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:(?<![\\w-])-H|--header)(?:[ \\t]{1,4}|=)["']?(?<name>[A-Za-z0-9-]{0,40}?(?:key|token|secret|auth|authorization|password|passwd|signature|session))[ \\t]{0,2}:[ \\t]{0,4}(?<secret>[A-Za-z0-9\\-._~+/]{8,500}={0,2})(?![A-Za-z0-9\\-._~+/=])`,
      "i",
    ),
    validate: (secret, match) =>
      !/^(?:x-)?(?:idempotency|request|correlation|trace|cache|dedup)/i.test(
        match.groups?.name ?? "",
      ) &&
      !isWordsOrNumbersJoined(secret) &&
      isTokenLike(secret, 8) &&
      classCount(secret) >= 2,
  }),
  regexRule({
    id: "http-bearer-token",
    description: "Token in an Authorization header (Bearer, Token, OAuth or SSWS scheme)",
    keywords: ["bearer", "token ", "ssws ", "oauth "],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:authorization["']?[ \\t]{0,4}(?:[:=]|,(?:[ \\t\\r\\n]{0,40}["']?value["']?[ \\t]{0,4}:)?)[ \\t]{0,4}["']?|-H[ \\t]{1,4}["']?authorization:[ \\t]{0,4}|\\b)(?:Bearer:?|Token|SSWS|OAuth)[ \\t]{1,4}(?<secret>(?:[0-9]{1,12}\\|)?[A-Za-z0-9\\-._~+/]{12,2000}={0,2})(?![A-Za-z0-9\\-._~+/=])`,
      "i",
    ),
    // A short token (12 to 15 characters) counts only in an Authorization header and when it
    // mixes three classes of characters (`mF_9.B5f-4.1JqM`). Outside a header (`- Bearer …` in
    // a list of headers) a token mixes three classes, or is 32+ random hex digits after `Bearer`
    // or `OAuth` (Statuspage's `Authorization: OAuth KEY`).
    // A Laravel Sanctum token is `<id>|<random>`: the random part is judged. A header in a
    // saved request's list (`"name": "Authorization", "value": "Token …"`) is a header too.
    validate: (whole, match) => {
      const secret = whole.replace(/^[0-9]{1,12}\|/, "");
      const inHeader = /^authorization|^-H/i.test(match[0]);
      if (secret.length < 16) return inHeader && classCount(secret) >= 3 && isTokenLike(secret, 12);
      const isBearerHex = /^(?:bearer|oauth)/i.test(match[0]) && isRandomHex(secret, 32);
      return isTokenLike(secret) && (inHeader || classCount(secret) >= 3 || isBearerHex);
    },
  }),
  regexRule({
    // RFC 9110 lets a provider name its own scheme: Elasticsearch's `ApiKey <base64 id:key>`,
    // GoDaddy's `sso-key KEY:SECRET`, Opsgenie's `GenieKey`, Klaviyo's `Klaviyo-API-Key`,
    // DeepL's `DeepL-Auth-Key`, Discord's `Bot`, Splunk's `Splunk`, Dynatrace's `Api-Token`.
    // Schemes that carry no reusable credential (a challenge response, a signature) are left out.
    id: "http-authorization-credential",
    description:
      "Credential in an Authorization header of a provider's own scheme (ApiKey, sso-key, GenieKey, Bot…)",
    keywords: ["authorization"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `authorization["']?[ \\t]{0,4}[:=,][ \\t]{0,4}["']?(?<scheme>[A-Za-z][A-Za-z0-9_-]{1,30})[ \\t]{1,4}(?<secret>[A-Za-z0-9\\-._~+/:]{16,2000}={0,2})(?![A-Za-z0-9\\-._~+/:=])`,
      "i",
    ),
    validate: (secret, match) =>
      !NOT_A_CREDENTIAL_SCHEME.test(match.groups?.scheme ?? "") &&
      !isWordsOrNumbersJoined(secret) &&
      isTokenLike(secret),
  }),
  sessionCookie,
  cookieFileSession,
  regexRule({
    id: "http-api-key-header",
    description: "API key in an HTTP header (X-API-Key, Api-Key, Private-Token, X-Auth-Token)",
    keywords: ["api-key", "apikey", "private-token", "auth-token", "access-token"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:x-)?(?:api-?key|private-token|auth-token|access-token)["']?[ \\t]{0,3}:[ \\t]{0,3}["']?(?<secret>[A-Za-z0-9\\-._~+/]{16,300}={0,2})(?![A-Za-z0-9\\-._~+/=])`,
      "i",
    ),
    // Not words joined by slashes (`"api-key" ? "metered API-key" : "subscription/OAuth"`).
    validate: (secret) =>
      isTokenLike(secret) && !isAnonRoleJwt(secret) && !isWordsJoinedBySlash(secret),
  }),
  regexRule({
    id: "psexec-credentials",
    description: "Password on a PsExec or similar Windows command line (-p PASSWORD)",
    keywords: ["psexec", "paexec"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `\\b(?:psexec|paexec)(?:64)?(?:\\.exe)?\\b[^\\n]{0,200}?[ \\t]-p[ \\t]{1,4}(?<quote>["']?)(?<secret>[^\\s"']{1,100})\\k<quote>`,
      "i",
    ),
    validate: (secret) => secret.length >= 3 && passwordVerdict(secret, !isExamplePassword(secret)),
  }),
  regexRule({
    id: "mysql-cli-password",
    description: "Password on a MySQL or MariaDB command line (-pPASSWORD, --password=PASSWORD)",
    keywords: ["mysql", "mariadb"],
    confidence: "medium",
    checksPlaceholders: true,
    // `-p` takes its value glued on (`-p secret` prompts, and `secret` is the database). The
    // command's name, not a file's that starts with it (`mysql-backup-*.sql.gz`, `mysql.log`).
    pattern: re(
      `\\b(?:mysql(?:dump|admin|import|show|check|sh)?|mariadb(?:-dump|-admin)?)\\b(?![-./])[^\\n]{0,200}?[ \\t](?:-p|--password=)${COMMAND_LINE_VALUE}`,
      "i",
    ),
    validate: (secret) => commandLinePassword(secret),
  }),
  regexRule({
    id: "cli-login-password",
    description: "Password on an sshpass, docker/podman/helm login command line (-p PASSWORD)",
    keywords: ["sshpass", "login"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `\\b(?:sshpass|(?:docker|podman|buildah|skopeo|nerdctl|helm[ \\t]{1,4}registry)[ \\t]{1,4}login)\\b[^\\n]{0,200}?[ \\t](?:-p|--password)(?:[ \\t]{1,4}|=)${COMMAND_LINE_VALUE}`,
      "i",
    ),
    validate: (secret) => commandLinePassword(secret),
  }),
  regexRule({
    id: "db-connect-call-password",
    description:
      "Password as the third argument of a database connect call (PDO, mysqli, DBI, JDBC, Sequelize, a connection's call given a JDBC URL)",
    keywords: ["connect", "mysqli", "pdo", "sequelize", '("jdbc:', "('jdbc:"],
    confidence: "medium",
    suggestedName: "DB_PASSWORD",
    checksPlaceholders: true,
    // A constructor or a connection's call whose first argument is a JDBC URL takes the user and
    // password after it, as DriverManager does (`new Db("jdbc:mysql://…", "user", "…")`,
    // Groovy's `Sql.newInstance(…)`, a pool's or a helper's `connect…`/`…DataSource`); not a
    // list's, a test's or a logger's call (`List.of`, `assertEquals`, `getLogger`).
    pattern: re(
      `(?:(?:\\b(?:mysqli?_(?:p?connect|real_connect)|new[ \\t]{1,2}(?:mysqli|PDO|Sequelize)|getConnection|pg_connect|odbc_connect|sqlsrv_connect)|->[ \\t]{0,2}connect(?:_cached)?|\\bconnect(?:_cached)?)[ \\t]{0,2}\\(|\\((?=["']jdbc:[a-z0-9]{2,20}:)(?<=(?:\\bnew[ \\t]{1,4}[A-Z][\\w.]{0,60}|(?:[Cc]onnect|[Cc]onnection|DataSource|Db|DB|Database|Sql|SQL|Pool|newInstance)\\w{0,20})[ \\t]{0,2}\\())${LINE_GAP}${CALL_ARG},${LINE_GAP}${CALL_ARG},${LINE_GAP}(?<quote>["'])(?<secret>[^"'\\n]{3,200})\\k<quote>(?=${LINE_GAP}[,)])`,
      "i",
    ),
    // After a JDBC URL, a password's shape: no blanks (`"connection refused"` is a message), no
    // URL, class name or number.
    validate: (secret, match) =>
      /\(["']jdbc:/.test(match[0]) && !isJdbcCallPassword(secret)
        ? false
        : commandLinePassword(secret),
  }),
  regexRule({
    id: "basic-auth-call-password",
    description:
      "Password as the second argument of an auth or login call (SetBasicAuth, HTTPBasicAuth, NetworkCredential, pika.PlainCredentials, auth=(…), auth_tuple = (…), smtplib/ftplib/imaplib .login(user, …))",
    keywords: ["auth", "credential", ".login"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:\\b(?:SetBasicAuth|basic_?auth|HTTPBasicAuth|HTTPDigestAuth|HttpNtlmAuth|BasicAuth|DigestAuth|NetworkCredential|UsernamePasswordCredentials|PlainCredentials|PasswordAuthentication|BasicAWSCredentials|withBasicAuth|setBasicAuth|basicAuth)|\\bauth(?:_?(?:tuple|pair|creds?))?[ \\t]{0,2}[=:][ \\t]{0,2}|\\b(?:(?:smtp|ftps?|sftp|imap4?|pop3?|e?mail|mailer|server|conn|connection)[\\w]{0,20}|[a-z])\\.login)[ \\t]{0,2}[(\\[]${LINE_GAP}${CALL_ARG},${LINE_GAP}(?<quote>["'])(?<secret>[^"'\\n]{3,200})\\k<quote>`,
      "i",
    ),
    // A login call's second argument is a password only on the mail and file-transfer clients
    // named above (`smtpObj`, `ftp_conn`, or a one-letter name: `f = FTP(…)`, `s = SMTP(…)`),
    // and never a route or a sentence. (A pair assigned to `login` or `credentials`
    // is as often two field names, modes or a route: `credentials = ["include", "omit"]`.)
    validate: (secret, match) =>
      (!/\.login/i.test(match[0]) || (!/\s/.test(secret) && !secret.startsWith("/"))) &&
      commandLinePassword(secret),
  }),
  regexRule({
    // A sketch's or a script's Wi-Fi join: Arduino's and ESP's `WiFi.begin(ssid, "…")` (its
    // arguments on lines of their own, or in flash as `F("…")`), `softAP`, `addAP`,
    // MicroPython's `wlan.connect(…)`, CircuitPython's `wifi.radio.connect(…)`, NodeMCU Lua's
    // `wifi.sta.config("…", "…")`; on a shell's line, `nmcli … password …` (also
    // `802-1x.password`) and `wpa_passphrase SSID …`. A WPA passphrase is 8 to 63 characters;
    // in code only a quoted one (a name is a variable's).
    id: "wifi-join-password",
    description:
      "Wi-Fi passphrase in a join call or command (WiFi.begin, softAP, addAP, wlan.connect, nmcli, wpa_passphrase)",
    keywords: [
      "wifi",
      "wlan",
      "sta_if",
      "sta.connect",
      "station.connect",
      "ap_if",
      "nmcli",
      "wpa_passphrase",
    ],
    confidence: "medium",
    suggestedName: "WIFI_PASSWORD",
    checksPlaceholders: true,
    pattern: re(
      `(?:\\b(?:WiFi(?:Multi)?|wifi(?:_?multi|\\.radio)?|wlan\\d?|sta_if|sta|station|ap_if)\\.(?:begin|softAP|addAP|connect|config)[ \\t]{0,2}\\(${LINE_GAP}(?:F\\([ \\t]{0,2})?${CALL_ARG}\\)?[ \\t]{0,2},${LINE_GAP}(?:F\\([ \\t]{0,2})?(?<quote>["'])(?<secret>[^"'\\n]{8,63})\\k<quote>(?=\\)?${LINE_GAP}[,)])|\\b(?:nmcli\\b[^\\n]{0,200}?[ \\t](?:password|wifi-sec\\.psk|802-11-wireless-security\\.psk|802-1x\\.password)|wpa_passphrase[ \\t]{1,4}(?:"[^"\\n]{1,64}"|'[^'\\n]{1,64}'|[^\\s"'<>|;&$]{1,64}))[ \\t]{1,4}(?:(?<shellQuote>["'])(?<secretAlt>[^"'\\n]{8,63})\\k<shellQuote>|(?<secretAlt2>[^\\s"'$<{;&|()\`>][^\\s"';&|()\`<>]{7,62})(?![^\\s;&|)\`<>])))`,
      "i",
    ),
    // Not a word of nmcli's own line (`password wep-key-type`, a completion's list), nor a
    // line that reads the setting (`nmcli -g 802-1x.password --show-secrets con show …`), a
    // constant's name (`WIFI_PASSWORD`) or a stand-in that names what it stands for, in any
    // language (`WiFi_Password`, `SuaSenha`, `MOT_DE_PASSE`, `Network_Password`).
    validate: (secret, match) =>
      !(
        /^nmcli/i.test(match[0]) &&
        /[ \t](?:-g|--get-values|-f|--fields|-s|--show-secrets)(?=[ \t])|[ \t]show(?=[ \t])/.test(
          match[0],
        )
      ) &&
      !/^[a-z]+(?:[-_][a-z]+)+$/.test(secret) &&
      !/^[A-Z0-9_]+$/.test(secret) &&
      !(WIFI_STAND_IN.test(secret) && !/\d/.test(secret)) &&
      commandLinePassword(secret),
  }),
  scriptedLoginPassword,
  regexRule({
    id: "go-dsn-password",
    description: "Password in a Go MySQL DSN (user:password@tcp(host)/db)",
    keywords: ["@tcp(", "@unix(", "@udp("],
    confidence: "medium",
    suggestedName: "DATABASE_DSN",
    checksPlaceholders: true,
    pattern: re(`["'\`][^"'\`:@/\\s]{1,64}:(?<secret>[^"'\`@\\s]{1,200})@(?:tcp|unix|udp)\\(`, "i"),
    validate: (secret) => secret.length >= 3 && passwordVerdict(secret, !isExamplePassword(secret)),
  }),
  regexRule({
    id: "oracle-login-password",
    description:
      "Password in an Oracle login (sqlplus user/password@db, jdbc:oracle:thin:user/password@)",
    keywords: ["sqlplus", "jdbc:oracle", "rman", "expdp", "impdp"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:\\b(?:sqlplus|rman[ \\t]{1,4}target=?|expdp|impdp)(?:[ \\t]{1,4}-[sSlL])?[ \\t]{1,4}["']?|jdbc:oracle:(?:thin|oci8?):)[A-Za-z0-9_$#.]{1,64}/(?<secret>[^\\s/@"']{3,128})@`,
      "i",
    ),
    validate: (secret) => passwordVerdict(secret, !isExamplePassword(secret)),
  }),
  regexRule({
    id: "cli-password-flag",
    description:
      "Password on an ldapsearch (-w), redis-cli (-a), mongosh / mongodump (-p), az login (-p), sshpass (-p), gh secret set (--body), zip / 7z (-P, -p), rabbitmqctl add_user, htpasswd -b, net use or echo | docker login command line",
    keywords: [
      "ldap",
      "sshpass",
      "redis-cli",
      "htpasswd",
      "rabbitmqctl",
      "net use",
      "login",
      "mongo",
      "zip",
      "7z",
      "gh secret",
    ],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:\\bldap[a-z]{3,10}\\b[^\\n]{0,200}?[ \\t]-w[ \\t]{1,4}|\\bredis-cli\\b[^\\n]{0,200}?[ \\t](?:-a|--pass)[ \\t]{1,4}|\\bmongo(?:sh|dump|restore|export|import|stat|top|files)?\\b[^\\n]{0,200}?[ \\t](?:-p|--password)(?:[ \\t]{1,4}|=)|\\bgh[ \\t]{1,4}secret[ \\t]{1,4}set\\b[^\\n]{0,200}?[ \\t](?:-b|--body)(?:[ \\t]{1,4}|=)|\\baz[ \\t]{1,4}login\\b[^\\n]{0,200}?[ \\t](?:-p|--password)(?:[ \\t]{1,4}|=)|\\bsshpass\\b[^\\n]{0,100}?[ \\t]-p[ \\t]{0,4}|\\b(?:un)?zip\\b[^\\n]{0,200}?[ \\t]-P[ \\t]{1,4}|\\b7z[a-z]?\\b[^\\n]{0,200}?[ \\t]-p(?=[^\\s])|\\brabbitmqctl[ \\t]{1,4}(?:add_user|change_password)[ \\t]{1,4}[^\\s]{1,100}[ \\t]{1,4}|\\bhtpasswd[ \\t]{1,4}(?:-[a-zA-Z]{1,4}[ \\t]{1,4}){0,3}[^\\s]{1,200}[ \\t]{1,4}[^\\s-][^\\s]{0,100}[ \\t]{1,4}|\\bnet[ \\t]{1,4}use[ \\t][^\\n]{0,200}?/user:[^\\s]{1,100}[ \\t]{1,4}|\\becho[ \\t]{1,4}(?=["']?[^\\s"'|]{3,100}["']?[ \\t]{0,2}\\|[ \\t]{0,2}(?:sudo[ \\t]{1,2})?(?:docker|podman|helm|oras|nerdctl)[ \\t]{1,4}(?:registry[ \\t]{1,4})?login\\b))${COMMAND_LINE_VALUE}`,
      "i",
    ),
    // zip and unzip take the password with -P (unzip -p pipes to stdout); a path or a
    // certificate file (az login -p cert.pem) is not a password.
    validate: (secret, match) =>
      !(/\b(?:un)?zip\b/i.test(match[0]) && !/[ \t]-P[ \t]/.test(match[0])) &&
      // htpasswd takes a password as an argument only with -b (batch mode); without, it asks.
      !(/\bhtpasswd\b/i.test(match[0]) && !/[ \t]-[a-zA-Z]*b/.test(match[0])) &&
      !/^[~.]{0,2}\//.test(secret) &&
      !/\.(?:pem|crt|cer|pfx|p12|key|zip|7z)$/i.test(secret) &&
      // A port mapping (docker's or kubectl's -p on a line that names mongo).
      !/^\d{1,5}(?::\d{1,5}){1,2}(?:\/(?:tcp|udp))?$/i.test(secret) &&
      commandLinePassword(secret),
  }),
  regexRule({
    // OpenSSL reads a passphrase from its `pass:` source (`-passin pass:…`, `-passout
    // "pass:…"`, `-pass`, pkcs12's `-password`); its other sources (`env:`, `file:`, `fd:`,
    // `stdin`) name where the passphrase is, not what. `openssl enc -k …` (or a cipher as the
    // command, `openssl aes-256-cbc -k …`) takes one as it is.
    id: "openssl-passphrase-argument",
    description:
      "Passphrase on an openssl command line (-passin / -passout / -pass pass:…, enc -k)",
    keywords: ["pass:", "openssl"],
    confidence: "medium",
    suggestedName: "OPENSSL_PASSPHRASE",
    checksPlaceholders: true,
    pattern: re(
      `(?:(?<![A-Za-z0-9_-])-(?:passin|passout|pass|password)[ \\t]{1,4}(?<quote>["']?)pass:(?<secret>[^\\s"'\`]{1,200})\\k<quote>|\\bopenssl[ \\t]{1,4}(?:enc|aes-\\d{3}-[a-z]{3}|aes\\d{3}|des3?|des-ede3(?:-cbc)?|bf(?:-cbc)?|camellia-\\d{3}-[a-z]{3}|chacha20)\\b[^\\n]{0,200}?[ \\t]-k[ \\t]{1,4}(?<quote2>["']?)(?<secretAlt>[^\\s"'\`-][^\\s"'\`]{0,200})\\k<quote2>)`,
    ),
    validate: (secret) => commandLinePassword(secret),
  }),
  regexRule({
    // schtasks takes the task's password with /rp (and the remote system's with /p), cmdkey
    // stores one with /pass:, wmic logs in with /password:, `net user NAME PASSWORD` sets one.
    // (PowerShell's ConvertTo-SecureString -AsPlainText is generic.ts's powershell rule.)
    id: "windows-cli-password",
    description:
      "Password on a Windows command line (schtasks /rp, cmdkey /pass:, wmic /password:, net user)",
    keywords: ["schtasks", "cmdkey", "wmic", "net user"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:\\bschtasks(?:\\.exe)?\\b[^\\n]{0,300}?[ \\t]/r?p[ \\t]{1,4}|\\bcmdkey(?:\\.exe)?\\b[^\\n]{0,300}?[ \\t]/pass:|\\bwmic(?:\\.exe)?\\b[^\\n]{0,300}?[ \\t]/password:|\\bnet[ \\t]{1,4}user[ \\t]{1,4}[^\\s/"']{1,100}[ \\t]{1,4})(?<quote>["']?)(?<secret>[^\\s"'\`$%<{;&|/*][^\\s"'\`;&|)]{2,100})\\k<quote>`,
      "i",
    ),
    validate: (secret) => commandLinePassword(secret),
  }),
  regexRule({
    // xfreerdp /p:, rdesktop -p, smbclient -U user%password, sqlcmd / osql -P, ipmitool -P,
    // mosquitto_pub / _sub -P, ncftpput / ncftpget -p, lftp -u user,password (with its `open -u`
    // on lftp's line; not an anonymous login).
    id: "remote-login-cli-password",
    description:
      "Password on an RDP, SMB, SQL Server, IPMI, MQTT or FTP client command line (xfreerdp /p:, rdesktop -p, smbclient -U user%password, sqlcmd -P, ipmitool -P, mosquitto_pub -P, ncftpput -p, lftp -u user,password)",
    keywords: [
      "xfreerdp",
      "rdesktop",
      "smbclient",
      "rpcclient",
      "sqlcmd",
      "osql",
      "ipmitool",
      "mosquitto_",
      "ncftp",
      "lftp",
    ],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:\\bxfreerdp3?\\b[^\\n]{0,300}?[ \\t][/-]p:|\\brdesktop\\b[^\\n]{0,300}?[ \\t]-p[ \\t]{0,4}|\\b(?:smbclient|rpcclient)\\b[^\\n]{0,300}?[ \\t](?:-U|--user=?)[ \\t]{0,4}["']?[^\\s%"']{1,100}%|\\b(?:sqlcmd|osql)(?:\\.exe)?\\b[^\\n]{0,300}?[ \\t]-P[ \\t]{0,4}|\\b(?:ipmitool|mosquitto_(?:pub|sub|rr))\\b[^\\n]{0,300}?[ \\t](?:-P|--pw)[ \\t]{1,4}|\\bncftp(?:put|get|ls|batch)?\\b[^\\n]{0,300}?[ \\t]-p[ \\t]{1,4}|\\blftp\\b[^\\n]{0,300}?[ \\t]-u[ \\t]{1,4}["']?(?!(?:anonymous|ftp),)[^\\s,"']{1,100},)(?<quote>["']?)(?<secret>[^\\s"'\`$%<{;&|/*-][^\\s"'\`;&|)]{2,100})\\k<quote>`,
    ),
    validate: (secret) => commandLinePassword(secret),
  }),
  regexRule({
    id: "sql-password",
    description:
      "Password in SQL (IDENTIFIED BY '…', WITH PASSWORD '…', SET PASSWORD = '…', a foreign server's OPTIONS (password '…'))",
    keywords: ["identified", "password"],
    confidence: "medium",
    checksPlaceholders: true,
    // A foreign data wrapper's user mapping or server (`CREATE USER MAPPING … OPTIONS (user
    // 'app', password '…')`) holds the remote database's password.
    pattern: re(
      `\\b(?:options[ \\t]{0,4}\\([^)\\n]{0,200}?\\bpassword|identified[ \\t]{1,4}(?:with[ \\t]{1,4}[a-z_]{1,40}[ \\t]{1,4})?by|(?:with|set|login|alter[ \\t]{1,4}(?:user|role|login)[ \\t]{1,4}[^\\s;]{1,64}(?:[ \\t]{1,4}with)?)[ \\t]{1,4}(?:encrypted[ \\t]{1,4})?password(?:[ \\t]{0,2}=)?)[ \\t]{1,4}(?:password[ \\t]{0,2}\\([ \\t]{0,2})?(?<quote>['"])(?<secret>[^'"\\n]{3,200})\\k<quote>`,
      "i",
    ),
    // `md5…` / `SCRAM-SHA-256$…` are hashes a dump holds, not what a person types. `IDENTIFIED
    // BY` only in a statement about an account (not "columns identified by "aOrderBy"").
    validate: (secret, match, text) =>
      !/^(?:md5[a-f0-9]{32}|SCRAM-SHA-256\$|\*[A-F0-9]{40}$)/i.test(secret) &&
      (!/^identified/i.test(match[0]) ||
        SQL_ACCOUNT_STATEMENT.test(text.slice(Math.max(0, match.index - 300), match.index))) &&
      commandLinePassword(secret),
  }),
  regexRule({
    id: "connection-string-password",
    description: "Password in a connection string (ADO.NET, ODBC, JDBC properties)",
    keywords: ["password=", "pwd=", "password =", "pwd ="],
    confidence: "medium",
    suggestedName: "CONNECTION_STRING",
    checksPlaceholders: true,
    pattern: re(
      // After `?` or `&` (`&amp;` in HTML), a query's parameter: its value ends at the next `&`.
      // After `;` or a quote, a connection string's: `&` is one of its characters (written
      // `&amp;` in XML), unless a parameter follows it (`&next=`).
      `(?:(?:password|pwd)(?<=(?:[?&]|&amp;)[ \\t]{0,2}(?:password|pwd))[ \\t]{0,2}=[ \\t]{0,2}(?<secret>\\{[^}\\n]{1,200}\\}|[^;\\s"'\`&<>]{1,200})|(?:password|pwd)(?<=(?:(?<!&amp);|["'])[ \\t]{0,2}(?:password|pwd))[ \\t]{0,2}=[ \\t]{0,2}(?<secretAlt>\\{[^}\\n]{1,200}\\}|[^;\\s"'\`&<>]{1,200}(?:&(?!(?:amp;)?[A-Za-z_][\\w.]{0,30}=)(?:amp;)?[^;\\s"'\`&<>]{0,200}){0,8}))(?=;|&|["'\`]|\\s|$)`,
      "im",
    ),
    validate: (secret, match, text) => {
      const value = secret.replace(/^\{|\}$/g, "");
      // A connection string: other `key=value;` pairs on the same line (within 300 characters).
      if (
        value.length < 3 ||
        // A query's parameter (`password=@password`, `:pw`, `?`): filled in when it runs.
        /^[@:?][A-Za-z_]\w*$/.test(value) ||
        !/(?:server|data source|host|uid|user id|user|database|initial catalog|dsn|driver)[ \t]{0,2}=/i.test(
          lineAround(text, match.index, 200),
        )
      ) {
        return false;
      }
      return passwordVerdict(value, !isExamplePassword(value));
    },
  }),
];

/** The part of the line holding `at` within `radius` characters of it. */
export function lineAround(text: string, at: number, radius: number): string {
  const window = text.slice(Math.max(0, at - radius), at + radius);
  const offset = at - Math.max(0, at - radius);
  const start = window.lastIndexOf("\n", offset - 1) + 1;
  const end = window.indexOf("\n", offset);
  return window.slice(start, end < 0 ? window.length : end);
}
