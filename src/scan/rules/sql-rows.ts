/**
 * Credentials in SQL rows: the value in a credential's column of an `INSERT INTO table (columns)
 * VALUES (…), (…)` statement (a dump, a seed, a migration), judged as that column's value, as a
 * table's column is (see generic.ts: `password` or `client_secret` columns; a hash's column,
 * `password_hash`, names no credential). A statement is read once, character by character, up
 * to 500 rows and 200,000 characters; a row whose values do not match its columns ends it.
 */

import type { RuleMatch, ScanRule } from "../rule.js";
import { isSaltedCiphertext, matchOf } from "./build.js";
import { fieldPasswordVerdict } from "./field-password.js";
import { isColumnCredential, isCredentialColumnName } from "./generic.js";

/** `INSERT [IGNORE | OR …] INTO name (columns) VALUES`, up to the first row's bracket. */
const INSERT_HEAD =
  /\bINSERT[ \t]{1,8}(?:IGNORE[ \t]{1,8}|OR[ \t]{1,8}[A-Za-z]{1,10}[ \t]{1,8})?INTO[ \t]{1,8}[\w`"'.[\]]{1,128}[ \t]{0,8}\((?<columns>[^();]{1,2000})\)[ \t\r\n]{0,40}VALUES[ \t\r\n]{0,40}\(/gi;

/** The hex of a digest (MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512). */
const HEX_DIGEST =
  /^(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{56}|[a-f0-9]{64}|[a-f0-9]{96}|[a-f0-9]{128})$/i;
/** The base64 of such a digest (16, 20, 32 or 64 bytes). */
const BASE64_DIGEST =
  /^(?:[A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{27}=|[A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{86}==)$/;

/**
 * What a password column holds when it holds no password: a digest's hex or base64, a
 * framework's hash (Django's `pbkdf2_sha256$…`, Werkzeug's `pbkdf2:sha256:…$…$…`, a crypt
 * `$2b$…`), MySQL's `*` and 40 hex digits, or OpenSSL's and CryptoJS's ciphertext.
 */
function isPasswordDigest(value: string): boolean {
  return (
    HEX_DIGEST.test(value) ||
    BASE64_DIGEST.test(value) ||
    /^\*[0-9A-F]{40}$/i.test(value) ||
    /^[a-z0-9_-]{2,30}(?:[$:][a-z0-9_-]{1,30}){0,3}\$[^\s$]{1,64}\$[^\s$]{16,}$/i.test(value) ||
    /^\$[a-z0-9]{1,10}\$/i.test(value) ||
    isSaltedCiphertext(value)
  );
}

/** Columns whose token is a cursor's, a device's or a ticket's, not a credential. */
const NOT_CREDENTIAL_COLUMN =
  /(?:page|next|prev(?:ious)?|sync|continuation|cursor|device|push|fcm|apns|csrf|xsrf|boarding|bus|day|season)[ _-]?(?:token|pass)/i;

/** A password column's name (`password`, `passwd`, `user_pwd`, `pw`). */
const PASSWORD_COLUMN = /pass|pwd|pw/i;

/**
 * A password column's value that stands for no password: a locked, disabled or empty account's
 * mark (`!locked`, `*LK*`, `nologin`), where the login is checked (`ldap`, `oauth`, `sso-only`),
 * the name of a hashing scheme, a state.
 */
const NO_PASSWORD =
  /^(?:[!*](?:[A-Za-z]{0,12}[!*]?)?|none|null|nil|n\/a|not[_-]?set|unset|blank|unknown|anonymous|disabled|locked|nologin|nopass(?:word)?|empty|unused|invalid|default|pending|ldap|kerberos|external|oauth2?|saml|sso(?:[_-]only)?|plain(?:text)?|md5|sha(?:1|224|256|384|512)?|bcrypt|scrypt|argon2(?:id|i|d)?|pbkdf2(?:_sha\d{1,3})?|x+)$/i;

/**
 * The clear text a row hands the database to hash (`MD5('…')`, `PASSWORD("…")`, `SHA2('…',
 * 256)`, `crypt('…', gen_salt('bf'))`, SQL Server's `HASHBYTES('SHA2_256', '…')` and
 * `PWDENCRYPT('…')`, pgcrypto's `digest('…', 'sha256')`), inside at most two wrapping calls
 * (`UNHEX(SHA1('…'))`, `encode(digest(…), 'hex')`).
 */
const HASHING_CALL =
  /^(?:[A-Za-z_]{2,16}[ \t]{0,4}\([ \t]{0,4}){0,2}(?:(?:MD5|SHA1|SHA2|SHA|PASSWORD|OLD_PASSWORD|ENCRYPT|CRYPT|PWDENCRYPT|DIGEST)[ \t]{0,4}\(|HASHBYTES[ \t]{0,4}\([ \t]{0,4}'[\w-]{2,12}'[ \t]{0,4},)[ \t]{0,4}[NnEe]?(?<q>['"])(?<secret>[^'"\\\s]{3,64})\k<q>/di;

/** Longest statement read, and most rows. */
const MAX_STATEMENT = 200_000;
const MAX_ROWS = 500;

/** One value of a row: where its text is, and whether it was a quoted string. */
interface SqlValue {
  start: number;
  end: number;
  quoted: boolean;
}

/**
 * The values of the row whose `(` is just before `at`, up to its `)`: quoted strings (`''` or
 * `\'` inside), anything else up to a comma at the row's own depth (numbers, `NULL`, calls such
 * as `NOW()` or `md5('…')`, their strings skipped whole). Returns the values (none when the row
 * is not one, or `limit` comes first) and where reading stopped.
 */
function readRow(text: string, at: number, limit: number): { values?: SqlValue[]; end: number } {
  const values: SqlValue[] = [];
  let i = at;
  while (i < limit) {
    while (i < limit && /\s/.test(text[i] as string)) i++;
    // SQL Server's `N'…'` and PostgreSQL's `E'…'` are strings too.
    if (/[NnEe]/.test(text[i] ?? "") && text[i + 1] === "'") i++;
    const quote = text[i];
    if (quote === "'" || quote === '"') {
      const start = i + 1;
      i = start;
      // A string ends on its line: `\'` is an escape in MySQL's dumps but a backslash then
      // the closing quote in PostgreSQL's (`'C:\'`); a string read on past its line is the
      // wrong reading, and the row is dropped at the line's end.
      while (i < limit && text[i] !== "\n") {
        const c = text[i];
        if (c === "\\" && text[i + 1] !== "\n") i += 2;
        else if (c === quote && text[i + 1] === quote) i += 2;
        else if (c === quote) break;
        else i++;
      }
      if (i >= limit || text[i] !== quote) return { end: i };
      values.push({ start, end: i, quoted: true });
      i++;
    } else {
      const start = i;
      let depth = 0;
      let inString: string | undefined;
      for (; i < limit; i++) {
        const c = text[i];
        if (inString !== undefined) {
          if (c === "\\") i++;
          else if (c === inString) inString = undefined;
        } else if (c === "'" || c === '"') inString = c;
        else if (c === "(") depth++;
        else if (c === ")" && depth > 0) depth--;
        else if ((c === "," || c === ")") && depth === 0) break;
      }
      values.push({ start, end: i, quoted: false });
    }
    while (i < limit && /\s/.test(text[i] as string)) i++;
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text[i] === ")") return { values, end: i + 1 };
    return { end: i };
  }
  return { end: limit };
}

/** A column's name without its quotes or brackets (`` `password` ``, `[Password]`). */
function columnName(raw: string): string {
  return raw.trim().replace(/^[`"'[]|[`"'\]]$/g, "");
}

/** The password between `start` and `end`, as a typed or drawn password reads; not a stand-in. */
function passwordMatch(start: number, end: number, text: string): RuleMatch | undefined {
  const secret = text.slice(start, end);
  if (NO_PASSWORD.test(secret)) return undefined;
  return matchOf(start, end, fieldPasswordVerdict(secret, true));
}

const sqlInsertCredential: ScanRule = {
  id: "sql-insert-credential",
  description:
    "Credential in an SQL row's password, secret, token or key column (INSERT INTO … VALUES)",
  keywords: ["insert"],
  severity: "error",
  confidence: "low",
  suggestedName: "PASSWORD",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    INSERT_HEAD.lastIndex = 0;
    for (let m = INSERT_HEAD.exec(text); m; m = INSERT_HEAD.exec(text)) {
      const names = (m.groups?.columns ?? "").split(",").map(columnName);
      const columns = names.flatMap((name, index) =>
        isCredentialColumnName(name) && !NOT_CREDENTIAL_COLUMN.test(name) ? [index] : [],
      );
      if (columns.length === 0) continue;
      const limit = Math.min(text.length, m.index + MAX_STATEMENT);
      let at = m.index + m[0].length;
      for (let rows = 0; rows < MAX_ROWS; rows++) {
        const row = readRow(text, at, limit);
        // What was read is not looked at again (by a statement starting inside it).
        INSERT_HEAD.lastIndex = Math.max(INSERT_HEAD.lastIndex, row.end);
        if (row.values?.length !== names.length) break;
        for (const column of columns) {
          const value = row.values[column];
          if (!value || value.end === value.start) continue;
          const name = names[column] ?? "password";
          const isPasswordColumn = PASSWORD_COLUMN.test(name);
          if (!value.quoted) {
            const call = isPasswordColumn
              ? HASHING_CALL.exec(text.slice(value.start, value.end))
              : null;
            const span = call?.indices?.groups?.secret;
            if (span) {
              const match = passwordMatch(value.start + span[0], value.start + span[1], text);
              if (match) found.push(match);
            }
            continue;
          }
          const secret = text.slice(value.start, value.end);
          if (isPasswordColumn && isPasswordDigest(secret)) continue;
          if (isColumnCredential(secret, name)) {
            found.push({ start: value.start, end: value.end });
          } else if (isPasswordColumn) {
            // A seeded or dumped user's password that reads as typed (`kondapally`): a warning.
            const match = passwordMatch(value.start, value.end, text);
            if (match) found.push(match);
          }
        }
        at = row.end;
        // The next row: `, (`; anything else ends the statement.
        const next = /^[ \t\r\n]{0,40},[ \t\r\n]{0,40}\(/.exec(text.slice(at, at + 90));
        if (!next) break;
        at += next[0].length;
      }
    }
    return found;
  },
};

export const SQL_ROW_RULES: ScanRule[] = [sqlInsertCredential];
