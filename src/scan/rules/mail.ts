/**
 * The files mail relays and mail fetchers keep their logins in: Postfix's `sasl_passwd`
 * (`[smtp.gmail.com]:587 user:password`, the password to the end of the line), fetchmail's
 * `.fetchmailrc` (`poll … user "…" password "…"`) and msmtp's `.msmtprc` (`password …`). Each
 * holds a real account's password in plain text, not named the way an assignment would.
 */

import type { RuleMatch, ScanRule } from "../rule.js";
import { groupSpan, matchOf, type RuleVerdict } from "./build.js";
import { fieldPasswordVerdict } from "./field-password.js";
import { isPlausibleSecret } from "./plausible-secret.js";

/** A finding of the value in the first of `groups` that `match` (a `d`-flag pattern) holds. */
function reported(match: RegExpExecArray, verdict: RuleVerdict, ...groups: string[]): RuleMatch[] {
  const span = groupSpan(match, ...groups);
  const found = span && matchOf(span[0], span[1], verdict);
  return found ? [found] : [];
}

/** Postfix's SASL password map by its usual names (`sasl_passwd`, `sasl_passwd.txt`). */
const SASL_PASSWD_FILE = /(?:^|[/\\])sasl_passwd(?:[._-][\w.-]{0,40})?$/i;

/**
 * A line of such a map: a relay (`[host]:port`, `host:port`, a sender's address or `@domain`),
 * blanks, then `user:password`, the password to the end of the line (a Gmail app password holds
 * blanks). In a file of another name only Postfix's own bracketed relay with a mail port
 * counts (`[smtp.gmail.com]:587`; a host name's dots in the brackets: a note's `[0] https://…`,
 * a log's `[main.py] line:42` or `[api.example.com]:443 status:ok` is no relay), alone on its
 * line or in the quotes a setup script writes it in (`echo`, `printf`, Ansible's `line:`).
 * Trailing blanks are bounded: a bounded value before an unbounded run of blanks and the line's
 * end would be read again at each length.
 */
const PASSWORD_TO_LINE_END = `(?<secret>(?!//)[^\\s"'](?:[^\\n"']{0,198}[^\\s"'])?)`;
const USER = `[^\\s:"']{1,128}`;
const HOST = "[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){1,8}";
const SASL_LINE = new RegExp(
  `^[ \\t]*(?:\\[${HOST}\\](?::\\d{1,5})?|[\\w.+-]{0,64}@${HOST}|${HOST}(?::\\d{1,5})?)[ \\t]+${USER}:${PASSWORD_TO_LINE_END}[ \\t\\r]{0,40}$`,
  "dgm",
);
const MAIL_PORT = "(?:25|26|465|587|2525)";
const BRACKETED_SASL_LINE = new RegExp(
  `^[ \\t]*\\[${HOST}\\]:${MAIL_PORT}[ \\t]+${USER}:${PASSWORD_TO_LINE_END}[ \\t\\r]{0,40}$|(?:\\becho|\\bprintf|\\bline:)[ \\t]{1,4}(?<quote>["'])[ \\t]*\\[${HOST}\\]:${MAIL_PORT}[ \\t]+${USER}:${PASSWORD_TO_LINE_END.replace("secret", "secretAlt")}[ \\t]{0,40}(?:\\\\n)?\\k<quote>`,
  "dgm",
);

const postfixSaslPassword: ScanRule = {
  id: "postfix-sasl-password",
  description: "Password in a Postfix SASL password map (sasl_passwd: [relay]:port user:password)",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "SMTP_PASSWORD",
  scan(text, context) {
    const named = SASL_PASSWD_FILE.test(context?.file ?? "");
    if (!named && !text.includes("]:")) return [];
    const pattern = named ? SASL_LINE : BRACKETED_SASL_LINE;
    const found: RuleMatch[] = [];
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const secret = m.groups?.secret ?? m.groups?.secretAlt ?? "";
      found.push(...reported(m, fieldPasswordVerdict(secret), "secret", "secretAlt"));
    }
    return found;
  },
};

/** fetchmail's run-control file (`.fetchmailrc`, `fetchmailrc`, `fetchmail.conf`). */
const FETCHMAIL_FILE = /(?:^|[/\\])\.?fetchmail(?:rc|\.conf)$/i;

/**
 * `pass`/`password` and its value in a fetchmail entry: quoted (escapes kept), or a word
 * without blanks. In a file of another name, only on a line that polls a server (`poll … user
 * … password …`, written out by `echo` too), and a bare value only when it looks drawn
 * (`password reset` is prose).
 */
const FETCHMAIL_PASSWORD =
  /(?<![\w-])pass(?:word)?[ \t]{1,8}(?:"(?<quoted>(?:[^"\\\n]|\\.){1,200})"|'(?<single>(?:[^'\\\n]|\\.){1,200})'|(?<bare>[^\s"';#]{1,200}))/dg;
const POLL_LINE =
  /^[ \t#]*(?:(?:echo|printf)[ \t]+["']?)?(?:poll|skip)[ \t][^\n]*\buser(?:name)?[ \t]/;

/** The line before `at`, read back 500 characters at most (a longer line is no entry). */
function lineBefore(text: string, at: number): string {
  const head = text.slice(Math.max(0, at - 500), at);
  const newline = head.lastIndexOf("\n");
  return newline < 0 && at > 500 ? "" : head.slice(newline + 1);
}

const fetchmailPassword: ScanRule = {
  id: "fetchmail-password",
  description: "Password in a fetchmail configuration (.fetchmailrc: poll … user … password …)",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "MAIL_PASSWORD",
  scan(text, context) {
    const named = FETCHMAIL_FILE.test(context?.file ?? "");
    if (!named && !text.includes("poll ")) return [];
    const found: RuleMatch[] = [];
    FETCHMAIL_PASSWORD.lastIndex = 0;
    for (let m = FETCHMAIL_PASSWORD.exec(text); m; m = FETCHMAIL_PASSWORD.exec(text)) {
      if (!named && !POLL_LINE.test(lineBefore(text, m.index))) continue;
      const bare = m.groups?.bare;
      const secret = m.groups?.quoted ?? m.groups?.single ?? bare ?? "";
      // `password is …` would be prose; a bare `password` before a keyword is no value.
      if (bare !== undefined && /^(?:is|here|there|with|and|or|of)$/i.test(bare)) continue;
      if (bare !== undefined && !named && !isPlausibleSecret(bare, "password")) continue;
      const verdict = fieldPasswordVerdict(secret, bare === undefined);
      found.push(...reported(m, verdict, "quoted", "single", "bare"));
    }
    return found;
  },
};

/** msmtp's configuration (`.msmtprc`, `msmtprc`, `~/.config/msmtp/config`). */
const MSMTP_FILE = /(?:^|[/\\])(?:\.?msmtprc(?:\.[\w-]{1,20})?|msmtp[/\\]config)$/i;

/**
 * A `password` line of an msmtp account: the value is the rest of the line (a Gmail app password
 * holds blanks), quotes taken off; a line commented out still holds a password once used.
 */
const MSMTP_PASSWORD =
  /^[ \t]{0,16}#?[ \t]{0,4}password[ \t]{1,16}(?:"(?<quoted>(?:[^"\\\n]|\\.){1,200})"|(?<bare>[^\s"#](?:[^\n]{0,198}[^\s])?))[ \t\r]{0,40}$/dgm;

const msmtpPassword: ScanRule = {
  id: "msmtp-password",
  description: "Password in an msmtp configuration (.msmtprc: account … password …)",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "SMTP_PASSWORD",
  scan(text, context) {
    if (!MSMTP_FILE.test(context?.file ?? "")) return [];
    const found: RuleMatch[] = [];
    MSMTP_PASSWORD.lastIndex = 0;
    for (let m = MSMTP_PASSWORD.exec(text); m; m = MSMTP_PASSWORD.exec(text)) {
      const quoted = m.groups?.quoted;
      const secret = quoted ?? m.groups?.bare ?? "";
      found.push(
        ...reported(m, fieldPasswordVerdict(secret, quoted !== undefined), "quoted", "bare"),
      );
    }
    return found;
  },
};

export const MAIL_RULES: ScanRule[] = [postfixSaslPassword, fetchmailPassword, msmtpPassword];
