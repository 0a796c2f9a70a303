/**
 * Passwords that installers and provisioners set, as their files hold them: Debian preseed and
 * debconf answers (`d-i passwd/root-password password …`, `mysql-server/root_password password
 * …`), kickstart's `rootpw --plaintext`, `sshpw` and `user --password=`, and cloud-init's
 * `chpasswd` list. A drawn one is an error, another that looks typed, or a default, a warning
 * (see setupPasswordVerdict); hashed forms (`--iscrypted`, `-crypted`) are not read here.
 */

import type { RuleMatch, ScanRule } from "../rule.js";
import { matchOf, re, regexRule } from "./build.js";
import { setupPasswordVerdict } from "./field-password.js";

/**
 * `chpasswd:` then its `list: |` block of `user:password` lines (cloud-init), or the older
 * `list:` of `- user:password` items.
 */
const CHPASSWD_LIST =
  /(?:^|\n)([ \t]*)chpasswd:[ \t]*\r?\n(?:\1[ \t]+[^\n]*\r?\n){0,6}?\1[ \t]+list:[ \t]*(?:\|[-+]?[ \t]*)?\r?\n/g;
/**
 * One line of that block: a user, a colon, the password (`RANDOM` asks cloud-init to draw one; a
 * template's `{{ … }}` is read, and skipped, as a reference).
 */
const CHPASSWD_LINE =
  /^([ \t]+(?:-[ \t]{1,4})?)[A-Za-z_][\w.-]{0,31}:[ \t]?(?<secret>[^\s](?:[^\n]{0,198}[^\s])?)[ \t]*\r?$/;

const cloudInitChpasswd: ScanRule = {
  id: "cloud-init-chpasswd",
  description: "Password in a cloud-init chpasswd list (chpasswd: list: | user:password)",
  keywords: ["chpasswd"],
  severity: "error",
  confidence: "medium",
  suggestedName: "ROOT_PASSWORD",
  scan(text) {
    const found: RuleMatch[] = [];
    CHPASSWD_LIST.lastIndex = 0;
    for (let m = CHPASSWD_LIST.exec(text); m; m = CHPASSWD_LIST.exec(text)) {
      // The block's lines, indented deeper than `list:`; at most 50 of them.
      let at = m.index + m[0].length;
      let indent: string | undefined;
      for (let line = 0; line < 50 && at < text.length; line++) {
        const newline = text.indexOf("\n", at);
        const end = newline < 0 ? text.length : newline;
        const entry = CHPASSWD_LINE.exec(text.slice(at, Math.min(end, at + 300)));
        if (!entry || (indent !== undefined && entry[1] !== indent)) break;
        indent = entry[1];
        const secret = entry.groups?.secret ?? "";
        const verdict = secret === "RANDOM" ? false : setupPasswordVerdict(secret);
        const start = at + entry[0].lastIndexOf(secret);
        const match = matchOf(start, start + secret.length, verdict);
        if (match) found.push(match);
        at = end + 1;
      }
      CHPASSWD_LIST.lastIndex = Math.max(CHPASSWD_LIST.lastIndex, at);
    }
    return found;
  },
};

export const PROVISIONING_RULES: ScanRule[] = [
  regexRule({
    // A debconf answer of type `password` (a preseed file's `d-i passwd/root-password
    // password …`, `debconf-set-selections <<< "mysql-server mysql-server/root_password
    // password …"`): owner, question, type, value.
    id: "debconf-password",
    description: "Password answer of a Debian preseed or debconf selection (… password VALUE)",
    // Written with blanks or tabs (`debconf-get-selections` writes tabs), so the type's word
    // alone wakes the rule.
    keywords: ["password"],
    confidence: "medium",
    suggestedName: "ROOT_PASSWORD",
    checksPlaceholders: true,
    pattern: re(
      `(?:^|[\\n"'])[ \\t]{0,8}(?:echo[ \\t]{1,4})?[a-z0-9][\\w.+-]{0,40}[ \\t]{1,8}(?<question>[\\w.+-]{1,60}/[\\w.+/-]{0,60}pass[\\w.+/-]{0,40})[ \\t]{1,8}password[ \\t]{1,8}(?<secret>[^\\s"']{1,200})[ \\t]*(?=["'|;&>]|\\r?\\n|$)`,
    ),
    // A question about a password (`passwd/root-password`, `mysql/admin-pass`); its `-crypted`
    // form holds a hash.
    validate: (secret, match) =>
      !/crypted/.test(match.groups?.question ?? "") && setupPasswordVerdict(secret),
  }),
  regexRule({
    // Kickstart (Anaconda): `rootpw --plaintext VALUE` and `sshpw … --plaintext VALUE` (other
    // options before or after), `user --name=… --password=VALUE` (quoted too); not
    // `--iscrypted` (a hash). A bare `rootpw VALUE` (kickstart's and slapd.conf's) is a
    // directive the generic rule reads.
    id: "kickstart-password",
    description:
      "Root or user password in a kickstart file (rootpw --plaintext, sshpw, user --password=)",
    keywords: ["--plaintext", "--password="],
    confidence: "medium",
    suggestedName: "ROOT_PASSWORD",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,8}(?:rootpw|sshpw)(?=[^\\n]{0,200}--plaintext)(?![^\\n]{0,200}--iscrypted)(?:[ \\t]{1,4}--[\\w-]{1,20}(?:=[^\\s]{1,100})?){0,6}[ \\t]{1,4}(?<secret>[^\\s-][^\\s]{0,199})(?:[ \\t]{1,4}--[\\w-]{1,20}(?:=[^\\s]{1,100})?){0,6}[ \\t]*\\r?$|^[ \\t]{0,8}user[ \\t](?![^\\n]{0,300}--iscrypted)[^\\n]{0,200}?--password=(?:"(?<secretAlt2>[^"\\n]{1,200})"|'(?<secretAlt3>[^'\\n]{1,200})'|(?<secretAlt>[^\\s"']{1,200}))`,
      "m",
    ),
    validate: (secret) => setupPasswordVerdict(secret),
  }),
  cloudInitChpasswd,
];
