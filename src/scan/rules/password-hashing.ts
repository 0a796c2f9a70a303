/**
 * A password written in clear text as the argument of the call that hashes it: a seeder's or a
 * set-up script's admin login (`Hash::make('Adm1n2023')`, `bcrypt('…')`, `make_password('…')`,
 * `passwordEncoder.encode("…")`, `userManager.CreateAsync(admin, "…")`). The hash that the
 * call stores protects nothing while the clear text sits in the repository beside it. Python
 * keyring's `set_password(service, user, "…")` stores one in clear text too.
 */

import type { RuleMatch, ScanRule } from "../rule.js";
import { judgedMatches, matchOf } from "./build.js";
import { fieldPasswordVerdict } from "./field-password.js";

/** What the password argument reads as: a string in single, double or back quotes. */
const QUOTED_ARGUMENT = "(?<q>[\"'`])(?<secret>[^\"'`\\\\\\s]{3,64})\\k<q>";

/**
 * The hashing calls of the common frameworks and libraries whose first argument is the
 * password: PHP (Laravel's `Hash::make`, `bcrypt`, `password_hash`), Python (Django's
 * `make_password`, `set_password`, Werkzeug's `generate_password_hash`, FastAPI's
 * `get_password_hash`, `bcrypt.hashpw(b'…')`), JavaScript (`bcrypt.hash`/`hashSync`,
 * `argon2.hash`, Bun's `password.hash`), Ruby (`BCrypt::Password.create`), Java/Kotlin
 * (`passwordEncoder.encode`, `BCrypt.hashpw`), Go (`bcrypt.GenerateFromPassword([]byte(…))`),
 * Elixir (`hash_pwd_salt`); the string may start on the next line.
 */
const PASSWORD_FIRST_CALL = new RegExp(
  `(?:Hash::make|bcrypt|password_hash|make_password|generate_password_hash|get_password_hash|hash_password|set_password|hashpw|hash_pwd_salt|Password\\.create|password\\.hash(?:Sync)?|GenerateFromPassword|[Pp]asswordEncoder(?:\\(\\))?\\.encode|argon2\\.hash)(?:\\.hash(?:Sync)?)?[ \\t]{0,4}\\([ \\t\\r\\n]{0,40}(?:\\[\\]byte\\([ \\t]{0,4})?b?${QUOTED_ARGUMENT}`,
  "dg",
);

/**
 * The calls that take the user first and the password second (Symfony's `hashPassword($user,
 * …)` and `encodePassword`, ASP.NET Identity's `HashPassword(user, …)`,
 * `userManager.CreateAsync(user, …)` and `AddPasswordAsync`), or the password alone
 * (BCrypt.Net's `HashPassword("…")`).
 */
const USER_FIRST_CALL = new RegExp(
  `(?:hashPassword|encodePassword|HashPassword|[Uu]serManager\\.(?:CreateAsync|AddPasswordAsync))[ \\t]{0,4}\\([ \\t\\r\\n]{0,40}(?:[$@]?[A-Za-z_][\\w.>$-]{0,40}(?:\\(\\))?[ \\t]{0,4},[ \\t\\r\\n]{0,40})?${QUOTED_ARGUMENT}`,
  "dg",
);

/**
 * Python keyring's `set_password(service, user, password)`: the password the call stores, its
 * last argument (Django's `set_password` takes it alone, above).
 */
const KEYRING_CALL = new RegExp(
  `keyring\\.set_password[ \\t]{0,4}\\([^()\\n]{0,200}?,[ \\t\\r\\n]{0,40}${QUOTED_ARGUMENT}[ \\t\\r\\n]{0,40}\\)`,
  "dg",
);

/** A hashing scheme's or an encoding's name, given beside the password (`'scrypt'`, `'utf8'`). */
const SCHEME_OR_ENCODING =
  /^(?:sha-?\d{1,3}|md5|scrypt|bcrypt|argon2(?:id|i|d)?|pbkdf2[\w:-]*|utf-?8|utf-?16\w*|hex|base64|latin1|ascii|binary)$/i;

/**
 * Whether the call's name starts a word (`set_password(`, not `reset_password(`, which takes a
 * reset token); a camel-case name's last part may end a longer one (`passwordEncoder.encode`).
 */
function startsWord(text: string, at: number, call: string): boolean {
  return /^(?:[Pp]asswordEncoder|[Uu]serManager|HashPassword|hashPassword|encodePassword)/.test(
    call,
  )
    ? true
    : !/[\w$]/.test(text[at - 1] ?? "");
}

/**
 * keyring's `set_password(service, user, password)` stores a password rather than hashing one:
 * Django's `set_password` takes the password alone, so only a string closing its call counts.
 */
function isLoneArgument(text: string, end: number): boolean {
  return /^[ \t\r\n]{0,40}\)/.test(text.slice(end + 1, end + 42));
}

const hashedPasswordLiteral: ScanRule = {
  id: "hashed-password-literal",
  description:
    "Password in clear text as the argument of the call that hashes or stores it (a seeder's or set-up script's login, a keyring entry)",
  keywords: [
    "hash::make",
    "bcrypt",
    "password_hash",
    "make_password",
    "set_password",
    "hash_password",
    "hashpw",
    "hash_pwd_salt",
    "password.create",
    "password.hash",
    "hashpassword",
    "encodepassword",
    "generatefrompassword",
    "passwordencoder",
    "usermanager.",
    "argon2.hash",
  ],
  severity: "error",
  confidence: "medium",
  suggestedName: "SEED_PASSWORD",
  scan(text) {
    const found: RuleMatch[] = [];
    for (const m of judgedMatches(text, PASSWORD_FIRST_CALL, USER_FIRST_CALL, KEYRING_CALL)) {
      const span = m.indices?.groups?.secret;
      const secret = m.groups?.secret ?? "";
      if (!span || !startsWord(text, m.index, m[0])) continue;
      if (SCHEME_OR_ENCODING.test(secret) || (m.groups?.q === "`" && secret.includes("${"))) {
        continue;
      }
      // Django's `set_password` (keyring's match starts `keyring.`, its password last).
      if (/^set_password/.test(m[0]) && !isLoneArgument(text, span[1])) continue;
      const match = matchOf(span[0], span[1], fieldPasswordVerdict(secret, true));
      if (match) found.push(match);
    }
    return found;
  },
};

export const PASSWORD_HASHING_RULES: ScanRule[] = [hashedPasswordLiteral];
