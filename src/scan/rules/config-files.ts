/**
 * Credential configuration files: .npmrc (`_authToken`, `_auth`, `_password`), .netrc,
 * .pgpass, Docker `config.json` auths, NuGet / .NET `<add key=… value=…>` settings, Redis
 * `requirepass`, Windows unattend.xml passwords, Kubernetes `Secret` manifests, Gradle signing
 * passwords, Composer auth.json tokens, LDAP bind passwords, Wi-Fi PSKs, OpenVPN inline
 * credentials, FileZilla saved passwords, WordPress's `wp-config.php` keys and salts, Rails'
 * `config/master.key` and Firefox's saved passwords. (.pypirc,
 * Maven settings.xml and .git-credentials are found by the generic assignment and URL rules.)
 */
import { hasPlaceholderWord, isPlaceholder, isReference, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import {
  classCount,
  decodeBase64Url,
  groupSpan,
  isRandomHex,
  isRandomLooking,
  matchOf,
  PUBLIC_NAME,
  re,
  regexRule,
  SETTINGS_FILE,
} from "./build.js";
import { isExamplePassword, isTypicalPassword } from "./connections.js";
import { fieldPasswordVerdict, setupPasswordVerdict } from "./field-password.js";
import { isCamelWords, isPlausibleSecret, isStrongRandom } from "./plausible-secret.js";
import { passwordVerdict } from "./weak-password.js";

/**
 * The properties files an Android build reads its signing passwords from, as the Android and
 * Flutter guides name them (`keystore.properties`, `key.properties`, `signing.properties`,
 * `upload-keystore.properties`).
 */
const SIGNING_PROPERTIES_FILE =
  /(?:^|[/\\])(?:[\w-]{0,40}[._-])?(?:keystore|key|signing)(?:[._-](?:release|debug|upload|prod|production|dev|local))?\.properties$/i;
const GRADLE_PROPERTIES_FILE = /(?:^|[/\\])gradle\.properties$/i;

/**
 * A password's line of such a file: `storePassword=…`, `keyPassword1=…`,
 * `storePasswordQQ=…`, `RELEASE_STORE_PASSWORD=…`, `signing.password=…`; the value to the end
 * of the line (without its quotes), a typed one too (the file exists to hold it).
 */
const SIGNING_PASSWORD_LINE =
  /^[ \t]{0,8}(?<name>[\w.-]{1,80})[ \t]{0,4}[=:][ \t]{0,4}(?:"(?<quoted>[^"\n]{1,200})"|(?<secret>[^\s#!"][^\s]{0,199}))[ \t\r]{0,40}$/dgm;
/**
 * The name ends in the password's word, after a separator or a word in camel case, with a few
 * digits or capitals after it (`storePassword1`, `storePasswordQQ`): not `bypass`, `passkey`,
 * `password.show` or `passwordEncoder`.
 */
const SIGNING_PASSWORD_NAME =
  /(?:^|[._-]|(?<=[a-z0-9])(?=P))(?:pass(?:word|phrase)?|Pass(?:word|phrase)?|PASS(?:WORD|PHRASE)?|pwd|Pwd|PWD)(?:\d{1,3}|[A-Z]{1,3})?$/;
/** A label's, an option's or a form's name rather than the password's. */
const NOT_SIGNING_PASSWORD_NAME =
  /forgot|reset|confirm|hint|label|prompt|show|hide|toggle|policy|mode|required|invalid|error|title|placeholder|encoder|source/i;

/** `user:password` (Docker, npm `_auth`) with a real-looking password. */
function isEncodedLogin(encoded: string): boolean {
  const decoded = decodeBase64Url(encoded) ?? "";
  const colon = decoded.indexOf(":");
  const password = decoded.slice(colon + 1);
  // A long password (a registry's identity token) is judged whole: a stand-in's word inside
  // 2,000 drawn characters is chance.
  const example = password.length >= 64 ? isReference(password) : isExamplePassword(password);
  return colon > 0 && /^[\x20-\x7e]+$/.test(decoded) && !example;
}

/**
 * A Docker config's JSON with a registry login in `auths`: an `auth` of `user:password` or a
 * `password` (or `identitytoken`), not a documentation password.
 */
function hasRegistryLogin(json: string): boolean {
  let config: unknown;
  try {
    config = JSON.parse(json);
  } catch {
    return false;
  }
  const auths = (config as { auths?: unknown } | null)?.auths;
  if (typeof auths !== "object" || auths === null) return false;
  return Object.values(auths).some((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return false;
    const { auth, password, identitytoken } = entry as Record<string, unknown>;
    if (typeof auth === "string" && isEncodedLogin(auth)) return true;
    return [password, identitytoken].some(
      (value) =>
        typeof value === "string" &&
        value.length >= 4 &&
        !isExamplePassword(value) &&
        !isReference(value),
    );
  });
}

/** `"auths"` in base64, at each of the three alignments a byte string can put it. */
const AUTHS_IN_BASE64 = ["ImF1dGhzI", "JhdXRocyI", "YXV0aHMi"];
const BASE64_CHAR = /[A-Za-z0-9+/]/;

/**
 * A Docker config.json in base64, as a Kubernetes `dockerconfigjson` Secret, a Helm value or a
 * CI variable holds it (`base64 ~/.docker/config.json`: pretty-printed, `auths` anywhere in
 * it): each base64 run holding `"auths"` is decoded once and read as a config.
 */
const dockerConfigBase64: ScanRule = {
  id: "docker-config-base64",
  description: "Registry login in a base64 Docker config (.dockerconfigjson, imagePullSecrets)",
  keywords: AUTHS_IN_BASE64.map((part) => part.toLowerCase()),
  severity: "error",
  confidence: "high",
  suggestedName: "DOCKER_CONFIG_JSON",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const starts: number[] = [];
    for (const part of AUTHS_IN_BASE64) {
      for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) {
        starts.push(at);
      }
    }
    // In order, each run once: a start inside the run before is skipped.
    let searchedTo = 0;
    for (const at of starts.sort((a, b) => a - b)) {
      if (at < searchedTo) continue;
      let from = at;
      while (from > searchedTo && at - from < 20000 && BASE64_CHAR.test(text[from - 1] ?? "")) {
        from--;
      }
      let to = at;
      while (to < text.length && to - at < 20000 && BASE64_CHAR.test(text[to] ?? "")) to++;
      while (to < text.length && to - at < 20002 && text[to] === "=") to++;
      searchedTo = to;
      if (hasRegistryLogin(decodeBase64Url(text.slice(from, to)) ?? "")) {
        found.push({ start: from, end: to });
      }
    }
    return found;
  },
};

const K8S_SECRET = /^kind:[ \t]{0,4}["']?Secret["']?[ \t]*$/m;
const K8S_BLOCK = /^([ \t]{0,8})(data|stringData):[ \t]*$/gm;
const K8S_ENTRY =
  /^([ \t]{1,16})([A-Za-z0-9_.-]{1,253}):[ \t]{1,4}(["']?)([^\n"']{1,8192})\3[ \t]*$/my;
/**
 * Entries of a Secret that say where and as whom, beside its password (`POSTGRES_USER`,
 * `mysql-database`, `DB_HOST`, `port`): no secret of their own.
 */
const K8S_NOT_SECRET_ENTRY =
  /(?:^|[_.-])(?:user(?:name)?|db|database|db[_.-]?name|host(?:name)?|port|namespace|region|e?mail|schema|driver|dialect)$/i;

/** The values under `data:` / `stringData:` of a YAML Kubernetes Secret. */
const kubernetesSecret: ScanRule = {
  id: "kubernetes-secret",
  description: "Value in a Kubernetes Secret manifest (data or stringData)",
  keywords: ["secret"],
  severity: "error",
  confidence: "medium",
  suggestedName: "K8S_SECRET",
  checksPlaceholders: true,
  scan(text) {
    if (!K8S_SECRET.test(text)) return [];
    const found: RuleMatch[] = [];
    const blocks = K8S_BLOCK;
    blocks.lastIndex = 0;
    for (let b = blocks.exec(text); b; b = blocks.exec(text)) {
      const isData = b[2] === "data";
      const parentIndent = (b[1] ?? "").length;
      let at = b.index + b[0].length + 1;
      while (at < text.length) {
        const entry = K8S_ENTRY;
        entry.lastIndex = at;
        const e = entry.exec(text);
        if (!e || (e[1] ?? "").length <= parentIndent) break;
        const value = e[4] ?? "";
        const valueStart = e.index + e[0].indexOf(value, (e[1] ?? "").length);
        const plain = isData ? (decodeBase64Url(value) ?? "") : value;
        if (
          value.length >= 4 &&
          // (Unless it holds a connection string's password: `DATABASE: postgres://u:pw@…`.)
          !(K8S_NOT_SECRET_ENTRY.test(e[2] ?? "") && !/:[^@\s/]{1,200}@/.test(plain)) &&
          (!isData || /^[A-Za-z0-9+/]+=*$/.test(value)) &&
          plain.length >= 3 &&
          !isExamplePassword(plain) &&
          !isPlaceholder(value) &&
          !isReference(plain)
        ) {
          found.push({ start: valueStart, end: valueStart + value.length });
        }
        at = e.index + e[0].length + 1;
      }
      blocks.lastIndex = Math.max(blocks.lastIndex, at);
    }
    return found;
  },
};

/**
 * The password an unattend.xml holds: plain text, or (`<PlainText>false`) base64 of its UTF-16
 * form with the element's name appended (`…Password`, `…AdministratorPassword`). A value that
 * names itself (`MyPlainTextPassword`) is a stand-in.
 */
function unattendPassword(value: string, plainText: boolean | undefined): string | undefined {
  if (plainText === true) return value;
  const decoded =
    /^[A-Za-z0-9+/]+=*$/.test(value) && value.length % 4 === 0
      ? Buffer.from(value, "base64").toString("utf16le")
      : "";
  if (/^[\x20-\x7e]+$/.test(decoded)) {
    return decoded.replace(/(?:AdministratorPassword|Password)$/, "");
  }
  // Without <PlainText>, a value that is not encoded is the password itself.
  return plainText === undefined ? value : undefined;
}

/**
 * A typed password of a configuration file: not an example, a reference, a word or a stand-in
 * that names itself (`MyWiFiPassword`).
 */
const isConfigPassword = (secret: string) =>
  !isExamplePassword(secret) &&
  !/passw(?:or)?d|passphrase/i.test(secret) &&
  isPlausibleSecret(secret, "password", true);

/** A rule that runs only when `context` occurs somewhere in the text (one linear test). */
function withContext(rule: ScanRule, context: RegExp): ScanRule {
  return { ...rule, scan: (text) => (context.test(text) ? rule.scan(text) : []) };
}

const COMPOSER_BLOCK =
  /"(?<kind>github-oauth|gitlab-token|gitlab-oauth|bitbucket-oauth)"[ \t]{0,4}:[ \t]{0,4}\{(?<body>[^{}]{1,2000})\}/g;
const COMPOSER_ENTRY = /"[A-Za-z0-9.-]{1,253}"[ \t]{0,4}:[ \t]{0,4}"(?<value>[^"\n]{8,200})"/g;

/**
 * Tokens of a Composer auth.json (`"github-oauth": {"github.com": "<token>"}`, `gitlab-token`,
 * `gitlab-oauth`, `bitbucket-oauth`): every host's value in the block. (`http-basic` passwords
 * are found by the generic assignment rule.)
 */
const composerAuthToken: ScanRule = {
  id: "composer-auth-token",
  description: "Token in a Composer auth.json (github-oauth, gitlab-token, gitlab-oauth)",
  keywords: ["github-oauth", "gitlab-token", "gitlab-oauth", "bitbucket-oauth"],
  severity: "error",
  confidence: "high",
  suggestedName: "COMPOSER_AUTH",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    for (const block of text.matchAll(COMPOSER_BLOCK)) {
      const body = block.groups?.body ?? "";
      const bodyStart = (block.index ?? 0) + block[0].indexOf("{") + 1;
      for (const entry of body.matchAll(COMPOSER_ENTRY)) {
        const value = entry.groups?.value ?? "";
        if (isPlaceholder(value) || isReference(value) || !isRandomLooking(value)) continue;
        const start = bodyStart + (entry.index ?? 0) + entry[0].lastIndexOf(value);
        found.push({ start, end: start + value.length });
      }
    }
    return found;
  },
};

/**
 * A password setting on its own line: a name ending in a password's word, `=` or `:` (YAML,
 * properties) or `ENV`/`ARG` before it (Dockerfile), and the rest of the line, quoted or not.
 */
const PASSWORD_SETTING =
  /^[ \t]{0,16}(?:-[ \t]{1,4})?(?:(?:ENV|ARG|export)[ \t]{1,4})?(?<name>[A-Za-z0-9_.-]{0,60}?(?:passw(?:or)?d|passwd|pwd|passphrase|_pass|\.pass))[ \t]{0,8}[=:][ \t]{0,8}(?<quote>["']?)(?<secret>[A-Za-z][A-Za-z0-9]{5,63})\k<quote>[ \t]*(?:[#;][^\n]{0,200})?\r?$/dgim;

/**
 * Words a password setting holds that are no password: how it is given, or none at all
 * (`password: prompt`, `password = none`, `DB_PASSWORD=required`).
 */
const NOT_A_PASSWORD =
  /^(?:none|null|nil|empty|blank|unset|undefined|disabled?|enabled?|true|false|yes|no|on|off|required|optional|prompt|ask|interactive|hidden|masked|redacted|secret|secrets|keychain|keyring|vault|environment|env|file|stdin|default|defaults|changeme|changeit|password|passwd|string|text|value|auto|random|generated|inherit|ignore|sample|example|dummy|fake|test|testing|mock)$/i;

/** Words in a cased value that make it a stand-in (`YourPasswordHere`, `ExampleSecret`). */
const NOT_A_PASSWORD_WORD =
  /^(?:pass|password|passwd|pwd|secret|token|key|example|sample|dummy|fake|placeholder|change|your|plain|text|string|type|random|generated|generate|vault|directory|dir|sha|scram|hash|hashed|encrypted|instructions|field|header|value|name|label|mode|policy|keystore|truststore|store|file)$/;
/** First words of a cased value that make it a mode (`FromEnv`, `UseKeychain`, `NoPassword`). */
const MODE_FIRST_WORD = /^(?:from|use|using|via|read|load|get|ask|prompt|none|not|no)$/;
/** The same in a lower-case value, where words are not split (`yourpasswordhere`). */
const NOT_A_PASSWORD_PART =
  /pass|pwd|secret|token|example|sample|dummy|fake|placeholder|change|your/;

/**
 * A password written in words in a settings file (`password=CorrectHorseBatteryStaple`,
 * `DB_PASSWORD: ilikespaces`), which the generic rule leaves out because in code the same line
 * assigns a variable. Words in Pascal or camel case, or 10+ lower-case letters (a shorter word
 * may be a mode); a few digits after. Other values are the generic rule's.
 */
const settingsFilePassword: ScanRule = {
  id: "settings-file-password",
  description: "Password written in words in a settings file (properties, INI, YAML, .env)",
  keywords: ["pass", "pwd"],
  severity: "error",
  confidence: "low",
  suggestedName: "PASSWORD",
  checksPlaceholders: true,
  scan(text, context) {
    if (!context || !SETTINGS_FILE.test(context.file)) return [];
    const found: RuleMatch[] = [];
    const setting = PASSWORD_SETTING;
    setting.lastIndex = 0;
    for (let m = setting.exec(text); m; m = setting.exec(text)) {
      const span = m.indices?.groups?.secret;
      const secret = m.groups?.secret ?? "";
      const words = secret.replace(/\d+$/, "");
      const isCased = /^[A-Za-z][a-z]+(?:[A-Z][a-z]+)+$/.test(words);
      if (!span || !/^[A-Za-z]+\d{0,4}$/.test(secret) || !(isCased || /^[a-z]{10,}$/.test(words))) {
        continue;
      }
      const lower = words.toLowerCase();
      const parts = isCased ? words.split(/(?=[A-Z])/).map((word) => word.toLowerCase()) : [];
      const name = m.groups?.name ?? "";
      // `pwd` alone is as often a working directory; a reset or a toggle names no password.
      if (/^pwd$/i.test(name) || /^(?:reset|forgot|show|toggle|confirm)[_.-]/i.test(name)) {
        continue;
      }
      if (
        NOT_A_PASSWORD.test(words) ||
        parts.some((word) => NOT_A_PASSWORD_WORD.test(word)) ||
        MODE_FIRST_WORD.test(parts[0] ?? "") ||
        (!isCased && NOT_A_PASSWORD_PART.test(lower)) ||
        isExamplePassword(secret) ||
        isPlaceholder(secret) ||
        lower === name.toLowerCase().replace(/[^a-z]/g, "")
      ) {
        continue;
      }
      found.push({ start: span[0], end: span[1] });
    }
    return found;
  },
};

/** Elements that exist to hold one setting (.NET, Java, PHPUnit). */
const XML_SETTING_TAG = /^(?:add|setting|entry|property|param|env|server|ini|const|var)$/i;
/** A `key` or `name` attribute naming a credential. */
const XML_NAME_ATTRIBUTE = `(?:key|name)[ \\t]{0,2}=[ \\t]{0,2}(?<nameQuote>["'])(?<name>[^"'<>\\n]{0,60}(?:password|passwd|pwd|secret|token|apikey|api_key|api-key|accesskey|access_key|connectionstring|key|credential|auth|pass)[^"'<>\\n]{0,40})\\k<nameQuote>`;
/** Up to four other attributes of the element (not `key`, `name` or `value`). */
const XML_OTHER_ATTRIBUTES = `(?:[ \\t]{1,4}(?!(?:key|name|value)[ \\t]{0,2}=)[A-Za-z_][\\w:.-]{0,30}[ \\t]{0,2}=[ \\t]{0,2}(?:"[^"<>\\n]{0,200}"|'[^'<>\\n]{0,200}')){0,4}`;
/** Settings about a credential that are not one (`password_length`, `token_ttl`). */
const NOT_CREDENTIAL_SETTING =
  /(?:length|min|max|size|ttl|timeout|expir|policy|type|format|file|path|url|uri|name|id|field|header|prompt|label|hint|regex|pattern|enabled|required)$/i;

/**
 * What stands in for a WordPress key or password: a template or a variable (`${…}`, `{{ … }}`,
 * `<%= … %>`, `#{…}`, `%%…%%`, `@@…@@`, `__…__`, `$DB_PASSWORD`, PHP), a stand-in's word (the
 * placeholder filter's), a link to the generator, an instruction or a sentence (three words and
 * more). A drawn salt may hold any
 * bracket, so a bracket alone is no mark.
 */
function isWordPressStandIn(value: string): boolean {
  return (
    /^(?:\$\{|\{\{|<%|<\?|#\{|%%|@@|__[A-Za-z])|^\$(?:\{[A-Za-z_]\w*\}|[A-Za-z_]\w*)$/.test(
      value,
    ) ||
    hasPlaceholderWord(value) ||
    /unique phrase|_here|https?:\/\/|generate|copy from|fake|not[ _-]real/i.test(value) ||
    /(?:^|[ \t])[A-Za-z]{2,}[ \t][A-Za-z]{2,}[ \t][A-Za-z]{2,}(?:[ \t]|$)/.test(value)
  );
}

/**
 * `wp-config.php`'s `define('AUTH_KEY', '…')`: the eight keys and salts WordPress signs its login
 * cookies with (64 characters from its generator: anyone holding them can forge a login), and
 * the database password. In PHP's single quotes nothing is interpolated, so a `$`, a bracket or a
 * `;` is one of the value's characters; in double quotes a `$` would be a variable.
 */
const wordpressConfigSecret = regexRule({
  id: "wordpress-config-secret",
  description:
    "WordPress authentication key or salt, or database password, in wp-config.php (define('NAME', '…'))",
  keywords: ["_key", "_salt", "db_password"],
  suggestedName: "WORDPRESS_SECRET",
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `\\bdefine[ \\t]{0,4}\\([ \\t]{0,8}(?<nameQuote>["'])(?<name>(?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT)|DB_PASSWORD)\\k<nameQuote>[ \\t]{0,8},[ \\t]{0,40}(?:'(?<secret>[^'\\n]{1,200})'|"(?<secretAlt>[^"$\\n]{1,200})")[ \\t]{0,8}\\)`,
  ),
  validate: (secret, match) => {
    if (isWordPressStandIn(secret)) return false;
    if (match.groups?.name === "DB_PASSWORD") {
      return (
        secret.length >= 6 &&
        classCount(secret) >= 2 &&
        !isTypicalPassword(secret) &&
        !/^[A-Za-z]+(?:_[A-Za-z]+)+$/.test(secret)
      );
    }
    // Some installers draw the keys as hex (a SHA-1's 40 digits): 16 symbols at most.
    if (/^[0-9a-f]{32,}$/i.test(secret)) {
      return new Set(secret.toLowerCase()).size >= 12 && shannonEntropy(secret) >= 3.3;
    }
    return secret.length >= 32 && new Set(secret).size >= 16 && shannonEntropy(secret) >= 4;
  },
});

/**
 * Rails' master key, alone in `config/master.key` (or a per-environment
 * `config/credentials/NAME.key`): 32 hex digits that decrypt the app's `credentials.yml.enc`,
 * which is committed beside it. The file holds nothing else: its name says what the line is.
 */
const railsMasterKey: ScanRule = {
  id: "rails-master-key",
  description: "Ruby on Rails master key file (config/master.key)",
  keywords: [],
  severity: "error",
  confidence: "high",
  suggestedName: "RAILS_MASTER_KEY",
  scan(text, context) {
    if (
      !context ||
      !/(?:^|[/\\])(?:master\.key|credentials[/\\][\w.-]{1,40}\.key)$/.test(context.file)
    ) {
      return [];
    }
    // The key on a line of its own (the file holds only it; a line or two around it are allowed).
    const key = /^[ \t]*([a-f0-9]{32})[ \t]*\r?$/m.exec(text.slice(0, 4096));
    if (!key?.[1] || !isRandomHex(key[1])) return [];
    const start = key.index + key[0].indexOf(key[1]);
    return [{ start, end: start + 32 }];
  },
};

/**
 * Files whose name says they keep one credential: a credential store (`.pgpass`,
 * `.git-credentials`, `.netrc`, `.vault-token`) or a file named for a token, key or secret
 * (`token.txt`, `.token`, `bot_token`, `api_key.txt`, `client_secret.txt`).
 */
const BARE_CREDENTIAL_FILE =
  /(?:^|[/\\])(?:\.pgpass|\.git-credentials|[._]netrc|\.vault-token|\.?[\w.-]{0,30}(?:token|api[_-]?key|apikey|secret|credentials))(?:\.txt)?$/i;

/**
 * Where a secret is kept rather than the secret: a path (`/run/secrets/jwt-key`,
 * `projects/123/secrets/db-pass/versions/3`) or a dotted name (`vault.kv.prod.database`).
 */
function isNamedPlace(value: string): boolean {
  // A Vault token of the older forms (`s.…`, a namespace's `s.….ns1`) is a value, not a name.
  if (/^[sbr]\.[A-Za-z0-9]{20,}(?:\.[A-Za-z0-9]{3,10})?$/.test(value)) return false;
  if (/^[~.]?\//.test(value)) return true;
  if (value.includes("/") && !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return true;
  if (value.split("/").some((part) => /^[a-z]{4,}$/.test(part))) return true;
  return value.includes(".") && value.split(".").some((part) => part.length < 8);
}

/**
 * 12 to 15 letters and digits, capitals and small letters among them, none four times: drawn, as
 * Velocity's `forwarding.secret` is (12 of letters and digits), too short for isStrongRandom's 16.
 */
function isShortDrawn(value: string): boolean {
  return (
    /^[A-Za-z0-9]{12,15}$/.test(value) &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    !/(.)(?:.*\1){3}/.test(value) &&
    !isCamelWords(value.replace(/\d+/g, "")) &&
    shannonEntropy(value) >= 3
  );
}

/**
 * Such a file holding nothing but one drawn value (`.git-credentials` with a bare token, a
 * `.pgpass` with only its password, Velocity's `forwarding.secret`): the file's name says what
 * the value is. Clearly random only (isShortDrawn below 16), 12 to 1,000 of a token's characters
 * (a line with a URL or a `host:port:…` has rules of its own).
 */
const bareCredentialFile: ScanRule = {
  id: "bare-credential-file",
  description:
    "A file named for a credential (.git-credentials, .pgpass, token.txt, api_key) holding one random value alone",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "TOKEN",
  scan(text, context) {
    if (!context || text.length > 1024 || !BARE_CREDENTIAL_FILE.test(context.file)) return [];
    const value = /^\s*([\w+/.-]{12,1000}={0,2})\s*$/.exec(text)?.[1];
    if (value === undefined || isPlaceholder(value) || isReference(value)) return [];
    // An EVM private key keeps its `0x` (Truffle's `.secret`); the digits are what is drawn.
    const drawn = /^0x[0-9a-f]{32,}$/i.test(value) ? value.slice(2) : value;
    const random = isStrongRandom(drawn) || isShortDrawn(value);
    if (!random || isCamelWords(value) || isNamedPlace(value)) return [];
    const start = text.indexOf(value);
    return [{ start, end: start + value.length }];
  },
};

/** Mastodon.py's credential files (`pytooter_clientcred.secret`, `bot_usercred.secret`). */
const MASTODON_CRED_FILE = /(?:^|[/\\])[\w.-]{0,40}(?<kind>clientcred|usercred)\.(?:secret|txt)$/;

/**
 * Mastodon.py's files, one value a line: an app's (`clientcred`: its client id, then its client
 * secret, then the instance's URL) or a login's (`usercred`: the access token, then the URL). The
 * secret is the second line of the first, the first of the second; drawn values only.
 */
const mastodonCredentialFile: ScanRule = {
  id: "mastodon-credential-file",
  description:
    "Mastodon.py credential file (clientcred.secret client secret, usercred.secret access token)",
  keywords: [],
  severity: "error",
  confidence: "medium",
  suggestedName: "MASTODON_ACCESS_TOKEN",
  scan(text, context) {
    const kind = MASTODON_CRED_FILE.exec(context?.file ?? "")?.groups?.kind;
    if (!kind || text.length > 4096) return [];
    const lines = text.split("\n");
    const index = kind === "clientcred" ? 1 : 0;
    const value = lines[index]?.trim() ?? "";
    if (!/^[\w-]{20,128}$/.test(value) || !isStrongRandom(value)) return [];
    const start = lines.slice(0, index).reduce((at, line) => at + line.length + 1, 0);
    const from = start + (lines[index] ?? "").indexOf(value);
    return [{ start: from, end: from + value.length }];
  },
};

/**
 * Firefox's saved logins (`logins.json`): each password encrypted with the key in `key4.db`,
 * which sits in the same profile and opens without a primary password unless one is set.
 */
const firefoxSavedPassword = regexRule({
  id: "firefox-saved-password",
  description: "Firefox saved password (logins.json encryptedPassword)",
  keywords: ["encryptedpassword"],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `"encryptedPassword"[ \\t]{0,4}:[ \\t]{0,4}"(?<secret>M[A-Za-z0-9+/]{38,2000}={0,2})"`,
  ),
  validate: (secret) => classCount(secret) >= 3,
});

/** Home Assistant's and ESPHome's secrets file. */
const SECRETS_YAML_FILE = /(?:^|[/\\])secrets\.ya?ml$/i;

/**
 * Names of what a secrets file also keeps that is no credential: ids, addresses, paths, topics,
 * channels, places (`wifi_ssid2`, `mqtt_topic`, `youtube_channel`).
 */
const NOT_SECRET_IN_SECRETS_YAML =
  /(?:^|[_.-])(?:id|uuid|ssid|name|user(?:name)?|e?mail|url|host|ip|port|mac|lat|lon|latitude|longitude|elevation|topic|path|channel|playlist|calendar|client|device|entity|room|zone)(?:[_.-]|\d|$)/i;

/**
 * One `name: value` line of it (the value quoted or not, a comment after it), and the value a
 * credential: clearly random, not a path, an address or a stand-in, under a name that is no
 * id, address or place.
 */
const secretsYamlLine = regexRule({
  id: "secrets-yaml-value",
  description: "Random value in a Home Assistant or ESPHome secrets.yaml",
  keywords: [],
  confidence: "low",
  suggestedName: "SECRET",
  checksPlaceholders: true,
  pattern: re(
    `^(?<name>[A-Za-z0-9_.-]{1,80}):[ \\t]{1,40}(?:"(?<secret>[^\\s"]{12,300})"|'(?<secretAlt>[^\\s']{12,300})'|(?<secretAlt2>[^\\s"'#]{12,300}))[ \\t]*(?:#[^\\n]*)?$`,
    "m",
  ),
  validate: (secret, match) =>
    !NOT_SECRET_IN_SECRETS_YAML.test(match.groups?.name ?? "") &&
    isStrongRandom(secret) &&
    !isAddressOrPath(secret) &&
    !isPlaceholder(secret) &&
    !isReference(secret),
});

/**
 * An e-mail address, a URL, a path, a time zone or a host's path (`me@mail.example.org`,
 * `https://…`, `/config/x`, `media/Music`, `Europe/Amsterdam`, `cam.lan/stream`); a drawn value
 * may hold `@` or `/` anywhere else (base64, `2ie&bq…13@j2BG…`).
 */
function isAddressOrPath(value: string): boolean {
  return (
    /^[^@\s]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}$/.test(value) ||
    /:\/\/|^[~.]{0,2}\//.test(value) ||
    // A relative path or a time zone: a part between slashes is a word (`America/New_York`,
    // `Streaming/Channels/101`, `media/Music`).
    value
      .split("/")
      .some(
        (part, _, parts) =>
          parts.length > 1 && /^[A-Z]?[a-z]{3,}(?:[_-][A-Za-z][a-z]+)*$/.test(part),
      ) ||
    /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?::\d{1,5})?\//.test(value)
  );
}

/**
 * A clearly random value in Home Assistant's or ESPHome's `secrets.yaml`, whatever its name
 * (`furnace_ota: "930f…"`, `powermeter_api: "2kf7…="`): the file holds what the configuration
 * names with `!secret`, so a drawn value there is a credential (an OTA password, an API
 * encryption key), not an id.
 */
const secretsYamlValue: ScanRule = {
  ...secretsYamlLine,
  scan: (text, context) =>
    context && SECRETS_YAML_FILE.test(context.file) ? secretsYamlLine.scan(text, context) : [],
};

/** Zigbee2MQTT's documented example key, which its guides tell users to replace. */
const ZIGBEE_EXAMPLE_KEY = "1,3,5,7,9,11,13,15,0,2,4,6,8,10,12,13";

/**
 * A Zigbee network key in Zigbee2MQTT's `configuration.yaml` (`network_key:` then 16 bytes, as a
 * YAML list over lines or in brackets): whoever has it reads and joins the home's Zigbee
 * network. Not `GENERATE`, the documented example, nor a run of one byte.
 */
const zigbeeNetworkKey = regexRule({
  id: "zigbee-network-key",
  description: "Zigbee network key (Zigbee2MQTT network_key: 16 bytes)",
  keywords: ["network_key"],
  confidence: "medium",
  suggestedName: "ZIGBEE_NETWORK_KEY",
  checksPlaceholders: true,
  pattern: re(
    `\\bnetwork_key[ \\t]{0,4}:(?:[ \\t]{0,4}(?<secret>\\[[ \\t]{0,4}\\d{1,3}(?:[ \\t]{0,4},[ \\t]{0,4}\\d{1,3}){15}[ \\t]{0,4}\\])|[ \\t]*\\r?\\n(?<indent>[ \\t]{0,40})(?<secretAlt>-[ \\t]{1,4}\\d{1,3}(?:[ \\t]*\\r?\\n\\k<indent>-[ \\t]{1,4}\\d{1,3}){15}))(?![ \\t]*[,\\d])`,
  ),
  validate: (secret) => {
    const bytes = (secret.match(/\d{1,3}/g) ?? []).map(Number);
    return (
      bytes.length === 16 &&
      bytes.every((byte) => byte <= 255) &&
      bytes.join(",") !== ZIGBEE_EXAMPLE_KEY &&
      new Set(bytes).size >= 8
    );
  },
});

export const CONFIG_FILE_RULES: ScanRule[] = [
  secretsYamlValue,
  settingsFilePassword,
  wordpressConfigSecret,
  railsMasterKey,
  bareCredentialFile,
  mastodonCredentialFile,
  zigbeeNetworkKey,
  firefoxSavedPassword,
  regexRule({
    // `${{ secrets.Ih6Md9… }}`: a token pasted where a workflow names its secret. A secret's
    // name is words (`NETLIFY_AUTH_TOKEN`, `npmToken`); a long drawn value is not one.
    id: "actions-secret-name-value",
    description: "A credential pasted where a workflow names its secret (secrets.<value>)",
    keywords: ["secrets."],
    confidence: "medium",
    pattern: re(
      `\\$\\{\\{[ \\t]{0,4}secrets\\.(?<secret>[A-Za-z0-9_+/=-]{24,200})[ \\t]{0,4}\\}\\}`,
    ),
    // A name has letters, digits and `_` only: one with another mark is a pasted value; one
    // without must be mixed case, not words in camel case (`PyPiApiToken4ProdRelease2024`) or
    // capitals run together (`KUBECONFIGB64PRODEUWEST1CLUSTER2`).
    validate: (secret) =>
      isStrongRandom(secret) &&
      (/[+/=-]/.test(secret) ||
        (!secret.includes("_") &&
          /[a-z]/.test(secret) &&
          /[A-Z]/.test(secret) &&
          !isCamelWords(secret.replace(/\d+/g, "")))),
  }),
  regexRule({
    id: "npmrc-auth",
    description: "Registry credential in an .npmrc (_authToken, _auth, _password)",
    keywords: ["_authtoken", "_auth", "_password"],
    suggestedName: "NPM_TOKEN",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:^|:)(?<name>_authToken|_auth|_password)(?:[ \\t]{0,2}=|(?<=config[ \\t]{1,4}set[ \\t]{1,4}[^\\s]{0,200})[ \\t])[ \\t]{0,2}["']?(?<secret>[A-Za-z0-9+/=_.\\-:]{8,600})`,
      "m",
    ),
    validate: (secret, match) => {
      if (isReference(secret) || isPlaceholder(secret)) return false;
      if (match.groups?.name === "_auth") return isEncodedLogin(secret);
      if (match.groups?.name === "_password") {
        return !isExamplePassword(decodeBase64Url(secret) ?? secret);
      }
      return shannonEntropy(secret) >= 3 && passwordVerdict(secret, true);
    },
  }),
  regexRule({
    id: "netrc-password",
    description: "Password in a .netrc (machine … login … password …)",
    keywords: ["machine"],
    suggestedName: "NETRC_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `\\bmachine[ \\t]{1,8}[^\\s]{1,253}\\s{1,40}login[ \\t]{1,8}[^\\s]{1,200}\\s{1,40}password[ \\t]{1,8}(?:"(?<secretAlt>(?:[^"\\\\\\n]|\\\\.){1,200})"|(?<secret>[^\\s]{0,199}[^\\s"'\`]))`,
    ),
    // A password in quotes (`password "…"`) is read without them; an unquoted one without the
    // quote that closes the string the lines are written in (`echo "machine … password …"`).
    validate: (secret) => !isExamplePassword(secret),
  }),
  regexRule({
    id: "pgpass-password",
    description: "Password in a .pgpass line (host:port:database:user:password)",
    keywords: [],
    suggestedName: "PGPASSWORD",
    confidence: "low",
    checksPlaceholders: true,
    pattern: re(
      `^(?:[A-Za-z0-9_.\\-]{1,253}|\\*):(?:\\d{1,5}|\\*):[^:\\s#]{1,63}:[^:\\s]{1,63}:(?<secret>(?:[^\\s:\\\\]|\\\\.){3,200})[ \\t]*$`,
      "m",
    ),
    validate: (secret) =>
      !isExamplePassword(secret.replace(/\\(.)/g, "$1")) && /[A-Za-z]/.test(secret),
  }),
  regexRule({
    id: "docker-config-auth",
    description: "Registry login in a Docker config.json (auths.*.auth)",
    keywords: ['"auth"'],
    suggestedName: "DOCKER_AUTH",
    checksPlaceholders: true,
    // Up to 4,000: a registry's identity token (a JWT) after the user is 1,000 and more.
    pattern: re(`"auth"[ \\t]{0,4}:[ \\t]{0,4}"(?<secret>[A-Za-z0-9+/]{8,4000}={0,2})"`),
    validate: (secret) => isEncodedLogin(secret),
  }),
  dockerConfigBase64,
  regexRule({
    id: "jenkins-encrypted-secret",
    description:
      "Jenkins encrypted secret ({AQAAABAAAAA…} in credentials.xml or a job config), which the controller's master key decrypts",
    keywords: ["{aqaaabaaaaa"],
    confidence: "medium",
    suggestedName: "JENKINS_SECRET",
    checksPlaceholders: true,
    pattern: re(`\\{(?<secret>AQAAABAAAAA[A-Za-z0-9+/]{20,4000}={0,2})\\}`),
  }),
  regexRule({
    // Any element naming a setting in a `key` or `name` attribute, its value in a `value`
    // attribute (before or after the name, other attributes between) or as its text:
    // .NET `<add key=… value=…>`, PHPUnit `<env name=… value=…>`, Ant and Spring
    // `<property>` (an HTML form's `<input>` and Android's `<string name=…>` have rules of
    // their own; other elements of HTML forms and pages hold no settings).
    id: "xml-setting-credential",
    description:
      'Credential in an XML setting (<add key="…Password…" value="…"/>, <env name="…" value="…"/>, <entry key="…">…</entry>)',
    keywords: ["key=", "name=", "key =", "name ="],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `<(?!(?:input|string|button|select|option|textarea|meta|form|a|img|iframe|embed|object|attr|data|li|div|span)[ \\t])(?<tag>[A-Za-z][\\w:.-]{0,30})${XML_OTHER_ATTRIBUTES}[ \\t]{1,4}(?:${XML_NAME_ATTRIBUTE}${XML_OTHER_ATTRIBUTES}(?:[ \\t]{1,4}value[ \\t]{0,2}=[ \\t]{0,2}(?:"(?<secret>[^"<>\\n]{3,500})"|'(?<secretAlt3>[^'<>\\n]{3,500})')|[ \\t]{0,4}>(?<secretAlt>[^<\\n]{3,500})</)|value[ \\t]{0,2}=[ \\t]{0,2}(?:"(?<secretAlt2>[^"<>\\n]{3,500})"|'(?<secretAlt4>[^'<>\\n]{3,500})')${XML_OTHER_ATTRIBUTES}[ \\t]{1,4}${XML_NAME_ATTRIBUTE.replace("?<name>", "?<nameAlt>").replace("?<nameQuote>", "?<nameQuoteAlt>").replace("\\k<nameQuote>", "\\k<nameQuoteAlt>")})`,
      "i",
    ),
    validate: (secret, match) => {
      const name = match.groups?.name ?? match.groups?.nameAlt ?? "";
      if (PUBLIC_NAME.test(name) || NOT_CREDENTIAL_SETTING.test(name)) return false;
      // A setting's own element takes any non-example value under a strong name; another
      // element (a form's `<input>`, a schema's `<field>`) only a plausible secret.
      const isSettingTag = XML_SETTING_TAG.test(match.groups?.tag ?? "");
      // Strong names take any non-example value; a mere `…Key` or `…Auth` a random-looking one.
      if (isSettingTag && /password|passwd|pwd|secret|token|connectionstring/i.test(name)) {
        // Not a class or bean name (`org.springframework….BCryptPasswordEncoder`).
        return (
          !isExamplePassword(secret) &&
          !/^(?:true|false|\d{1,6})$/i.test(secret) &&
          !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*){2,}$/.test(secret) &&
          // A template's variable (`GH_PKGS_TOKEN` in a nuget.config.tpl).
          !/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:TOKEN|PASSWORD|PASS|PWD|SECRET|KEY)$/.test(secret)
        );
      }
      return isPlausibleSecret(secret, name, true);
    },
  }),
  regexRule({
    id: "terraform-variable-default",
    description: "Credential as the default of a Terraform variable",
    keywords: ["variable"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `\\bvariable[ \\t]{1,4}"(?<name>[^"\\n]{0,40}(?:password|passwd|(?<![A-Za-z])pass(?=")|pwd(?=")|secret|token|api_?key|access_?key|private_?key|credential)[^"\\n]{0,40})"[ \\t]{0,4}\\{[^}]{0,300}?\\bdefault[ \\t]{0,16}=[ \\t]{0,4}"(?<secret>[^"\\n]{4,400})"`,
      "i",
    ),
    // A password's default is the one a template builds a machine with (Packer's `ssh_pass`):
    // a default one or a typed one a warning.
    validate: (secret, match) => {
      const name = match.groups?.name ?? "";
      if (isPlausibleSecret(secret, name, true)) return true;
      return /(?:pass(?:word|wd)?|pwd)$/i.test(name) ? setupPasswordVerdict(secret, true) : false;
    },
  }),
  regexRule({
    // redis.conf; `foobared` is the value its own documentation uses.
    id: "redis-config-password",
    description: "Password in a Redis configuration (requirepass, masterauth)",
    keywords: ["requirepass", "masterauth"],
    suggestedName: "REDIS_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,8}(?:requirepass|masterauth)[ \\t]{1,8}(?<quote>["']?)(?<secret>[^\\s"']{4,200})\\k<quote>[ \\t]*$`,
      "m",
    ),
    validate: (secret) => secret !== "foobared" && !isExamplePassword(secret),
  }),
  regexRule({
    id: "windows-unattend-password",
    description:
      "Password in a Windows unattend.xml (AdministratorPassword, AutoLogon, LocalAccount)",
    keywords: ["<value>"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `<(?:AdministratorPassword|Password)>\\s{0,40}<Value>(?<secret>[^<\\n]{1,256})</Value>(?:\\s{0,40}<PlainText>(?<plain>true|false)</PlainText>)?`,
      "i",
    ),
    validate: (secret, match) => {
      const plain = match.groups?.plain;
      const password = unattendPassword(
        secret,
        plain === undefined ? undefined : /^true$/i.test(plain),
      );
      return (
        password !== undefined &&
        password.length >= 4 &&
        !/password/i.test(password) &&
        !isExamplePassword(password)
      );
    },
  }),
  regexRule({
    // build.gradle (Groovy DSL): a method call without `=` (`storePassword "…"`).
    id: "gradle-signing-password",
    description: "Android signing password in a Gradle Groovy build (storePassword, keyPassword)",
    keywords: ["storepassword", "keypassword"],
    suggestedName: "ANDROID_KEYSTORE_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,40}(?:storePassword|keyPassword)[ \\t]{1,4}(?<quote>["'])(?<secret>[^"'\\n$]{4,200})\\k<quote>[ \\t]*(?:\\/\\/[^\\n]{0,200})?$`,
      "m",
    ),
    validate: isConfigPassword,
  }),
  {
    id: "android-signing-properties-password",
    description:
      "Android signing password in a keystore or signing properties file (keystore.properties, key.properties)",
    keywords: ["pass"],
    severity: "error",
    confidence: "medium",
    suggestedName: "ANDROID_KEYSTORE_PASSWORD",
    checksPlaceholders: true,
    scan(text, context) {
      const file = context?.file ?? "";
      const signingFile = SIGNING_PROPERTIES_FILE.test(file);
      if (!signingFile && !GRADLE_PROPERTIES_FILE.test(file)) return [];
      const found: RuleMatch[] = [];
      SIGNING_PASSWORD_LINE.lastIndex = 0;
      for (let m = SIGNING_PASSWORD_LINE.exec(text); m; m = SIGNING_PASSWORD_LINE.exec(text)) {
        // gradle.properties holds the build's other settings too: only a keystore's or a
        // signing key's password there.
        const name = m.groups?.name ?? "";
        if (!SIGNING_PASSWORD_NAME.test(name) || NOT_SIGNING_PASSWORD_NAME.test(name)) continue;
        if (!signingFile && !/store|key|sign/i.test(name)) continue;
        const secret = m.groups?.quoted ?? m.groups?.secret ?? "";
        const span = groupSpan(m, "quoted", "secret");
        const match = span && matchOf(span[0], span[1], fieldPasswordVerdict(secret));
        if (match) found.push(match);
      }
      return found;
    },
  },
  composerAuthToken,
  regexRule({
    // Maven's password encryption: `{…}` around base64 of a salt and the ciphertext, in
    // settings.xml (`<password>`, `<passphrase>`) or settings-security.xml (`<master>`). The
    // master password is encrypted with a fixed, published key, so with both files the
    // passwords decrypt.
    id: "maven-encrypted-password",
    description: "Maven encrypted password (settings.xml, settings-security.xml)",
    keywords: ["<password>{", "<passphrase>{", "<master>{"],
    suggestedName: "MAVEN_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      // Maven 4 puts the cipher's attributes first: `{[name=master,version=4.0]…}`.
      `<(?<tag>password|passphrase|master)>[ \\t]{0,4}(?<secret>\\{(?:\\[[A-Za-z0-9=,._ -]{1,100}\\])?[A-Za-z0-9+/]{22,300}={0,2}\\})[ \\t]{0,4}</\\k<tag>>`,
    ),
    validate: (secret) =>
      isRandomLooking(
        secret
          .slice(1, -1)
          .replace(/^\[[^\]]*\]/, "")
          .replace(/=+$/, ""),
      ),
  }),
  regexRule({
    // `buildConfigField "String", "API_KEY", "\"…\""` (Kotlin: `type = …, name = …, value =
    // …` too) compiles the value into the app's
    // BuildConfig class; `resValue "string", "api_key", "…"` into its resources.
    id: "android-build-config-secret",
    description: "Credential compiled into an Android app by Gradle (buildConfigField, resValue)",
    keywords: ["buildconfigfield", "resvalue"],
    confidence: "low",
    checksPlaceholders: true,
    pattern: re(
      `\\b(?:buildConfigField|resValue)[ \\t]{0,4}\\(?[ \\t]{0,4}(?:type[ \\t]{0,2}=[ \\t]{0,2})?["'](?:String|string)["'][ \\t]{0,4},[ \\t]{0,4}(?:name[ \\t]{0,2}=[ \\t]{0,2})?["'](?<name>[A-Za-z0-9_.]{1,80})["'][ \\t]{0,4},[ \\t]{0,4}(?:value[ \\t]{0,2}=[ \\t]{0,2})?["'](?:\\\\")?(?<secret>[^"'\\\\\\n$]{4,200})(?:\\\\")?["']`,
    ),
    validate: (secret, match) =>
      /key|secret|token|pass|pwd|auth|cred/i.test(match.groups?.name ?? "") &&
      isPlausibleSecret(secret, match.groups?.name ?? "", true),
  }),
  regexRule({
    id: "ldap-bind-password",
    description: "LDAP bind password (nslcd.conf / ldap.conf bindpw, SSSD ldap_default_authtok)",
    keywords: ["bindpw", "ldap_default_authtok"],
    suggestedName: "LDAP_BIND_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `^[ \\t]{0,8}(?:bindpw[ \\t]{1,8}|ldap_default_authtok[ \\t]{0,4}=[ \\t]{0,4})(?<secret>[^\\s#]{4,200})[ \\t]*$`,
      "m",
    ),
    validate: isConfigPassword,
  }),
  withContext(
    regexRule({
      // wpa_supplicant.conf quotes a passphrase (8 to 63 characters; a comment may follow) and
      // writes a derived PSK as 64 hex digits; a NetworkManager keyfile writes either unquoted.
      // A line commented out keeps another network's (or an earlier) passphrase. Quoted, it is
      // a passphrase whatever it holds: digits (`"4001001234"`, a phone number) are a typed one.
      id: "wifi-psk",
      description:
        "Wi-Fi pre-shared key (wpa_supplicant.conf psk=, NetworkManager [wifi-security])",
      keywords: ["psk"],
      suggestedName: "WIFI_PSK",
      confidence: "medium",
      checksPlaceholders: true,
      pattern: re(
        `^[ \\t]{0,8}(?:#[ \\t]{0,2})?psk[ \\t]{0,2}=[ \\t]{0,2}(?:"(?<secret>[^"\\n]{8,63})"|(?<secretAlt>[^\\s"#]{8,64}))[ \\t]*(?:#[^\\n]*)?$`,
        "m",
      ),
      validate: (secret, match) => {
        if (/^[a-f0-9]{64}$/i.test(secret)) return isRandomLooking(secret);
        if (match.groups?.secret === undefined) return isConfigPassword(secret);
        return !/passw(?:or)?d|passphrase/i.test(secret) && setupPasswordVerdict(secret, true);
      },
    }),
    /network=\{|\[wifi-security\]|\bssid=/,
  ),
  regexRule({
    // The block's first line is the user name, the second the password.
    id: "openvpn-inline-credentials",
    description: "Password in an OpenVPN profile's inline <auth-user-pass> block",
    keywords: ["<auth-user-pass>"],
    suggestedName: "OPENVPN_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `<auth-user-pass>[ \\t]{0,8}\\r?\\n[ \\t]{0,8}[^\\s<][^\\n<]{0,200}\\r?\\n[ \\t]{0,8}(?<secret>[^\\s<]{1,200})[ \\t]{0,8}\\r?\\n[ \\t]{0,8}</auth-user-pass>`,
    ),
    validate: isConfigPassword,
  }),
  regexRule({
    // FileZilla's sitemanager.xml / recentservers.xml: base64 of the password (or, before
    // 3.26, the password itself).
    id: "filezilla-password",
    description: "Saved password in a FileZilla site manager or recent servers file (<Pass>)",
    keywords: ["<pass"],
    suggestedName: "FTP_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(`<Pass(?<encoded>[ \\t]{1,4}encoding="base64")?>(?<secret>[^<\\n]{4,400})</Pass>`),
    validate: (secret, match) => {
      if (!match.groups?.encoded) return isConfigPassword(secret);
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
      const plain = Buffer.from(secret, "base64").toString("utf8");
      return /^[\x20-\x7e]{1,200}$/.test(plain) && isConfigPassword(plain);
    },
  }),
  kubernetesSecret,
];
