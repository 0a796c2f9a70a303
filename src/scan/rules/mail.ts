/**
 * The files mail relays and mail fetchers keep their logins in: Postfix's `sasl_passwd`
 * (`[smtp.gmail.com]:587 user:password`, the password to the end of the line) and fetchmail's
 * `.fetchmailrc` (`poll … user "…" password "…"`). Both hold a real account's password in
 * plain text; neither names it the way an assignment would.
 */

import type { RuleMatch, ScanRule } from "../rule.js";
import type { RuleVerdict } from "./build.js";
import { fieldPasswordVerdict } from "./network.js";

/** A finding of `secret`, the last thing `match` read, as the verdict says. */
function reported(match: RegExpExecArray, secret: string, verdict: RuleVerdict): RuleMatch[] {
  if (verdict === false) return [];
  const start = match.index + match[0].lastIndexOf(secret);
  return [{ start, end: start + secret.length, ...(verdict === "typed" ? { typed: true } : {}) }];
}

/** Postfix's SASL password map by its usual names (`sasl_passwd`, `sasl_passwd.txt`). */
const SASL_PASSWD_FILE = /(?:^|[/\\])sasl_passwd(?:[._-][\w.-]{0,40})?$/i;

/**
 * A line of such a map: a relay (`[host]:port`, `host:port`, a sender `@domain`), blanks, then
 * `user:password`, the password to the end of the line (a Gmail app password holds blanks). In
 * a file of another name only the bracketed relay of Postfix's own syntax counts, alone on its
 * line or inside the quotes a setup script echoes it in. Trailing blanks are bounded: a bounded
 * value before an unbounded run of blanks and the line's end would be read again at each length.
 */
const PASSWORD_TO_LINE_END = `(?<secret>[^\\s"'](?:[^\\n"']{0,198}[^\\s"'])?)`;
const USER = `[^\\s:"']{1,128}`;
const BRACKETED_RELAY = "\\[[A-Za-z0-9.-]{1,253}\\](?::\\d{1,5})?";
const SASL_LINE = new RegExp(
  `^[ \\t]*(?:${BRACKETED_RELAY}|@?[A-Za-z0-9.-]{1,253}(?::\\d{1,5})?)[ \\t]+${USER}:${PASSWORD_TO_LINE_END}[ \\t\\r]{0,40}$`,
  "gm",
);
const BRACKETED_SASL_LINE = new RegExp(
  `^[ \\t]*${BRACKETED_RELAY}[ \\t]+${USER}:${PASSWORD_TO_LINE_END}[ \\t\\r]{0,40}$|\\becho[ \\t]{1,4}(?<quote>["'])[ \\t]*${BRACKETED_RELAY}[ \\t]+${USER}:${PASSWORD_TO_LINE_END.replace("secret", "secretAlt")}[ \\t]{0,40}\\k<quote>`,
  "gm",
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
    // A relay in brackets is written with its port nearly always (`]:587`).
    if (!named && !text.includes("]:")) return [];
    const pattern = named ? SASL_LINE : BRACKETED_SASL_LINE;
    const found: RuleMatch[] = [];
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const secret = m.groups?.secret ?? m.groups?.secretAlt ?? "";
      found.push(...reported(m, secret, fieldPasswordVerdict(secret, false)));
    }
    return found;
  },
};

/** fetchmail's run-control file (`.fetchmailrc`, `fetchmailrc`, `fetchmail.conf`). */
const FETCHMAIL_FILE = /(?:^|[/\\])\.?fetchmail(?:rc|\.conf)$/i;

/**
 * `pass`/`password` and its value in a fetchmail entry: quoted, or a word without blanks. In a
 * file of another name, only on a line that polls a server (`poll … user … password …`).
 */
const FETCHMAIL_PASSWORD =
  /(?<![\w-])pass(?:word)?[ \t]{1,8}(?:(?<quote>["'])(?<secret>[^"'\n]{1,200})\k<quote>|(?<bare>[^\s"';#]{1,200}))/g;
const POLL_LINE = /^[ \t#]*(?:poll|skip)[ \t][^\n]*\buser(?:name)?[ \t]/;

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
      const secret = m.groups?.secret ?? m.groups?.bare ?? "";
      // `password is …` would be prose; a bare `password` before a keyword is no value.
      if (m.groups?.bare && /^(?:is|here|there|with|and|or|of)$/i.test(secret)) continue;
      found.push(...reported(m, secret, fieldPasswordVerdict(secret, Boolean(m.groups?.quote))));
    }
    return found;
  },
};

export const MAIL_RULES: ScanRule[] = [postfixSaslPassword, fetchmailPassword];
