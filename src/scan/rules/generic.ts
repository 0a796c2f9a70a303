import { hasPlaceholderWord, isPlaceholder, isReference, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanContext, ScanRule } from "../rule.js";
import {
  classCount,
  DOCKERFILE,
  DOCUMENT_FILE,
  decodeURIComponentSafe,
  entropyBarFor,
  isRandomHex,
  isWordStart,
  KOTLIN_FILE,
  LINE_GAP,
  notBefore,
  re,
  regexRule,
  SETTINGS_FILE,
} from "./build.js";
import { isExamplePassword } from "./connections.js";
import {
  DRAWN_ENTROPY_SLACK,
  isCamelWords,
  isIdentifierWords,
  isPlausibleSecret,
  isSecretObjectName,
  isStrongRandom,
  PASSWORD_IN_LANGUAGES,
} from "./plausible-secret.js";
import { isNamedStandIn, isWeakPassword, isWordMadePassword } from "./weak-password.js";

/**
 * Credential words of notes and code written in other languages than English (password,
 * secret key, token, API key), the English name each is judged as, and the text the keyword
 * index looks for (beyond ASCII exactly: a Cyrillic word without its first letter, which a
 * capital changes, and the word in capitals).
 */
const TRANSLATED_CREDENTIAL_NAMES: ReadonlyArray<
  readonly [pattern: string, english: string, keywords: readonly string[]]
> = [
  [
    "\u5bc6\u7801|\u5bc6\u78bc|\u53e3\u4ee4",
    "password",
    ["\u5bc6\u7801", "\u5bc6\u78bc", "\u53e3\u4ee4"],
  ], // 密码 密碼 口令
  ["\u30d1\u30b9\u30ef\u30fc\u30c9", "password", ["\u30d1\u30b9\u30ef\u30fc\u30c9"]], // パスワード
  ["\ube44\ubc00\ubc88\ud638", "password", ["\ube44\ubc00\ubc88\ud638"]], // 비밀번호
  [
    "\u5bc6\u94a5|\u5bc6\u9470|\u79d8\u94a5",
    "secret_key",
    ["\u5bc6\u94a5", "\u5bc6\u9470", "\u79d8\u94a5"],
  ], // 密钥 密鑰 秘钥
  ["\u4ee4\u724c", "token", ["\u4ee4\u724c"]], // 令牌
  // German, a compound's last word too (`Datenbankpasswort`, `WLAN-Passwort`).
  [
    "(?<![a-z\u00e4\u00f6\u00fc\u00df])(?:[a-z\u00e4\u00f6\u00fc\u00df]{2,20}-?)?(?:passwort|kennwort)(?![a-z])",
    "password",
    ["passwort", "kennwort"],
  ],
  ["contrase(?:\u00f1|n|ny)a", "password", ["contrase"]], // Spanish, Catalan
  ["senha", "password", ["senha"]], // Portuguese
  [
    "mot[ _-]?de[ _-]?passe|motdepasse",
    "password",
    ["mot de passe", "mot_de_passe", "mot-de-passe", "motdepasse"],
  ], // French
  ["wachtwoord", "password", ["wachtwoord"]], // Dutch
  [
    "l[o\u00f6]senord|passord|adgangskode|salasana",
    "password",
    ["senord", "passord", "adgangskode", "salasana"],
  ], // Swedish, Norwegian, Danish, Finnish
  [
    "has[l\u0142]o|heslo|geslo|lozinka|jelsz[o\u00f3]",
    "password",
    ["haslo", "has\u0142o", "has\u0141o", "heslo", "geslo", "lozinka", "jelsz"],
  ], // Polish, Czech, Slovene, Croatian, Hungarian
  ["[s\u015f]ifre(?:si|niz|n|m|miz)?", "password", ["ifre"]], // Turkish (`Sunucu \u015fifresi`, `\u015fifrem`: possessives)
  [
    "m\u1eadt[ _]?kh\u1ea9u|kata[ _]?sandi|kata[ _]?laluan",
    "password",
    ["kh\u1ea9u", "kh\u1ea8u", "sandi", "laluan"],
  ], // Vietnamese, Indonesian, Malay
  [
    "\u043f\u0430\u0440\u043e\u043b[\u044c\u0430]|\u043b\u043e\u0437\u0438\u043d\u043a\u0430",
    "password",
    [
      "\u0430\u0440\u043e\u043b",
      "\u0410\u0420\u041e\u041b",
      "\u043e\u0437\u0438\u043d\u043a\u0430",
      "\u041e\u0417\u0418\u041d\u041a\u0410",
    ],
  ], // пароль, парола, лозинка (and in capitals)
  [
    "\u0442\u043e\u043a\u0435\u043d",
    "token",
    ["\u043e\u043a\u0435\u043d", "\u041e\u041a\u0415\u041d"],
  ], // токен
  [
    "api[ _-]?\u043a\u043b\u044e\u0447|clave[ _](?:de[ _])?api|chave[ _](?:de[ _])?api|cl[e\u00e9][ _](?:d'|de[ _])?api",
    "api_key",
    [
      "\u043a\u043b\u044e\u0447",
      "\u041a\u041b\u042e\u0427",
      "clave api",
      "clave_api",
      "clave de api",
      "clave de_api",
      "clave_de_api",
      "chave api",
      "chave_api",
      "chave de api",
      "chave de_api",
      "chave_de_api",
      "cl\u00e9",
      "cl\u00c9",
      "cle d'api",
      "cle de l'api",
      "cle_api",
      "cle api",
    ],
  ], // API-ключ, clave de API, chave de API, clé d'API
];
/**
 * The translated credential words, one alternative each; one in Latin letters as a word of its
 * own (German's pattern says its own edges).
 */
const TRANSLATED_CREDENTIAL_WORDS = TRANSLATED_CREDENTIAL_NAMES.map(([pattern]) =>
  /^[a-z[]/.test(pattern) ? `(?<![a-z])(?:${pattern})(?![a-z])` : pattern,
).join("|");
/** A CJK letter or mark, or a full-width one, as a character class's ranges. */
const CJK_RANGES = "\\u3000-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff01-\\uff65";
/**
 * The particles that tell a value in a CJK sentence (`密码是…`, `密码为…`, `パスワードは…`,
 * `비밀번호는…`) and a bracketed label (`【密码】…`).
 */
const CJK_TELLS = "\\u662f|\\u4e3a|\\u70ba|\\u306f|\\ub294|\\uc740|\\u3011[ \\t]{0,4}[:\\uff1a]?";
/**
 * `is` in the languages of {@link TRANSLATED_CREDENTIAL_NAMES} (`Das Passwort ist …`, `La
 * contraseña es …`, `A senha é …`, `Le mot de passe est …`): a sentence that tells the value,
 * read as English prose is (only a typed or random value, not a word).
 */
const TRANSLATED_IS = "ist|es|\\u00e9|est|\\u00e8|jest|je|\\u00e4r|er|on";
/**
 * What follows a translated credential word that names a value: the rest of a name, a closing
 * quote, an operator (or a CJK particle), then a character that can start a value (not CJK
 * text: `密码=密码=…`, `密码：请输入` or `パスワードは以下` names nothing), after a corner
 * bracket (`「…」`) if one opens it. Checked in the pattern, so prose costs the rule no more
 * than a match.
 */
const TRANSLATED_NAME_BEFORE_VALUE = `(?=[A-Za-z0-9_.\\-]{0,30}(?:["'\`]|\\*\\*|__)?(?:[ \\t\\u00a0]{0,4}(?:[:=|\\uff1a\\uff1d\\u2014\\u2013]|${CJK_TELLS}|(?=[\\u300c\\u300e\\u00ab]))|[ \\t]{1,2}(?:${TRANSLATED_IS})[ \\t]{1,4}(?=[^\\s\\u00ab]))(?:\\*\\*)?[ \\t\\u00a0]{0,4}[\\u300c\\u300e\\u00ab]?[ \\t\\u00a0]?[^\\s${CJK_RANGES}])`;
const TRANSLATED_WORD = TRANSLATED_CREDENTIAL_NAMES.map(
  ([pattern, english]) => [new RegExp(pattern, "i"), english] as const,
);
const ANY_TRANSLATED_WORD = new RegExp(TRANSLATED_CREDENTIAL_WORDS, "i");
/**
 * Words of other languages beside a translated credential word that make the value something
 * else: a hash or an algorithm, a field or an id, a hint, a rule or a length, an error, a
 * strength, a new, old, repeated, forgotten or shown password.
 */
const NOT_TRANSLATED_CREDENTIAL =
  /hash|algorit|campo|feld|champ|\bid\b|_id\b|^id_|dica|pista|hinweis|indice|regla|regra|regel|r[eè]gle|longitud|tamanho|tama\u00f1o|l\u00e4nge|longueur|erro|fehler|erreur|fuerza|forca|for\u00e7a|st\u00e4rke|force|fraca|fraco|d[e\u00e9]bil|schwach|faible|fuerte|forte|stark|nov[ao]|nuev[ao]|neue?s?|nouve|antig|alte?s?\b|ancien|confirm|repet|wiederhol|r[e\u00e9]p[e\u00e9]t|olvid|esquec|vergessen|oubli|mostrar|exibir|anzeigen|afficher|ocultar|verstecken|cacher|\u0445\u0435\u0448|\u043d\u043e\u0432\u044b\u0439|\u043f\u043e\u0432\u0442\u043e\u0440/i;
/** The keywords of the translated credential words. */
const TRANSLATED_KEYWORDS = [
  ...new Set(TRANSLATED_CREDENTIAL_NAMES.flatMap(([, , words]) => words)),
];

/** One of {@link TRANSLATED_KEYWORDS}, any case (none holds a pattern's special character). */
const TRANSLATED_KEYWORD = new RegExp(TRANSLATED_KEYWORDS.join("|"), "i");

/**
 * Whether a text may hold a translated credential word: as the engine's keyword pass found
 * (the rules' `rareKeywords`), or, for a rule called directly, by looking.
 */
function mayHoldTranslatedWord(text: string, context: ScanContext | undefined): boolean {
  return context?.rareKeywordFound ?? TRANSLATED_KEYWORD.test(text);
}

/**
 * A name as the rules judge it: its translated credential word in English (`db_senha` is
 * `db_password`); a name with other letters beyond ASCII (`登录密码`) is its word's English name.
 */
function inEnglish(name: string): string {
  if (!ANY_TRANSLATED_WORD.test(name)) return name;
  for (const [word, english] of TRANSLATED_WORD) {
    const match = word.exec(name);
    if (!match) continue;
    const replaced = name.replace(word, english);
    return /[^ -~]/.test(replaced) ? english : replaced;
  }
  return name;
}

/**
 * The verb of a sentence that tells a credential (`the password is …`, `was …`, `is now …`,
 * `was changed to …`); the value after it is read as prose (see `inProse` below).
 */
const PROSE_VERB = `(?:(?:(?:is|was|has[ \\t]{1,2}been)[ \\t]{1,2})?(?:changed|set|reset|updated)[ \\t]{1,2}to|is(?:[ \\t]{1,2}now)?|was|${TRANSLATED_IS})`;
/** An operator that is `is` in another language than English ({@link TRANSLATED_IS}). */
const TRANSLATED_IS_OP = new RegExp(`^(?:${TRANSLATED_IS})$`, "i");
/** The operator of a match that is {@link PROSE_VERB}. */
const PROSE_VERB_OP = new RegExp(`^${PROSE_VERB}:?$`, "i");

/**
 * A credential word, then the rest of the name, a closing quote, the operator and an opening
 * quote. The name's start is found by walking back from the word (no leading repetition).
 */
const ASSIGNMENT_SOURCE = `(?:pas{1,2}w(?:or|r)?d|(?<![a-z])pword|passphrase|pass(?![A-Za-z])|pwd|secret|token|creds?(?![A-Za-z])|auth(?:orization)?(?![A-Za-z])|access(?![A-Za-z])|refresh(?![A-Za-z])|passcode|(?:${TRANSLATED_CREDENTIAL_WORDS})${TRANSLATED_NAME_BEFORE_VALUE}|pw(?![A-Za-z])|pat(?![A-Za-z])|(?<![A-Za-z0-9.\\-])api(?=(?:["'\`]\\]?)?(?:\\*\\*)?[ \\t]{0,2}[:=\\uff1a][ \\t]{0,40}[^\\s])|mnemonic|seed[_.\\-]?phrase|key(?![A-Za-z])|api[_.\\-]?key|apikey|access[_.\\-]?key|private[_.\\-]?key|auth[_.\\-]?key|credentials?|signing[_.\\-]?key|encryption[_.\\-]?key|master[_.\\-]?key|session[_.\\-]?key|app[_.\\-]?key|client[_.\\-]?key)(?<rest>[A-Za-z0-9_.\\-]{0,30})(?<close>\\\\?["'\`][\\]}]?|[\\]}]|\\[[0-9]{0,5}\\]|&quot;|\\*{1,2})?(?<decl>[ \\t]{0,2}:[ \\t]{0,2}(?:&(?:'static[ \\t])?str|String[?!]?|string|str|Final(?:\\[str\\])?)(?=[ \\t]{0,2}=[^=>])|[ \\t]{1,2}As[ \\t]{1,2}String(?=[ \\t]{0,2}=[^=>])|[ \\t]{0,2}\\{[ \\t]{0,2}get;[ \\t]{0,2}(?:(?:private[ \\t]|protected[ \\t])?set|init);[ \\t]{0,2}\\})?(?<op>[ \\t]{0,4}(?:${CJK_TELLS})[ \\t]{0,4}[\\u300c\\u300e]?|[ \\t\\u00a0]{0,4}[:=\\uff1a\\uff1d][ \\t\\u00a0]{0,4}[\\u300c\\u300e\\u00ab][ \\t\\u00a0]?|[\\u300c\\u300e\\u00ab]|\\u00a0[:=][ \\t\\u00a0]{0,4}|\\{(?=["'])|(?:[ \\t]{1,2}string)?[ \\t]{0,48}(?:=>|:{1,3}=|\\?=|\\|\\|?=|->|\u2192|\u2014|\u2013|<-|={2,3}|!={1,2}|=|:\\*{1,2}|:|\uff1a(?:\\*{1,2})?|\uff1d|,|\\(|\\|)[ \\t]{0,40}|[ \\t]{1,2}value[ \\t]{0,2}[:=](?:\\*{1,2})?[ \\t]{0,16}|[ \\t]{1,4}-[ \\t]{1,4}(?=["'\`])|[ \\t]{1,2}to[ \\t]{1,4}|[ \\t]{1,2}${PROSE_VERB}:?[ \\t]{1,4}|[ \\t]{1,16})(?<cont>(?:\\(|\\\\|(?<==[ \\t]{0,16}))[ \\t]{0,4}\\r?\\n[ \\t]{1,40}(?=(?:[bru]{0,2}|@)["'\`]))?(?<call>(?:new[ \\t]{1,2})?(?:\\[\\]byte|[A-Za-z_.][A-Za-z0-9_.]{0,39}|[A-Za-z_][A-Za-z0-9_]{0,30}::(?:from|new))\\([ \\t]{0,2})?(?<prefix>(?:[bru]|rb|br|@|r#{1,3})(?=["']))?(?<open>\\\\"|["'\`]|&quot;)?`;
// Without match indices (the `d` flag): a credential word repeated 200,000 times paid more for
// building them than for the match; where the name ends is counted back from the groups.
const ASSIGNMENT = new RegExp(ASSIGNMENT_SOURCE, "gi");
/**
 * ASSIGNMENT without the translated credential words, for a text that holds none of their
 * keywords (most): each alternative of the name costs the pattern at every position.
 */
const ENGLISH_ASSIGNMENT = new RegExp(
  ASSIGNMENT_SOURCE.replace(
    `(?:${TRANSLATED_CREDENTIAL_WORDS})${TRANSLATED_NAME_BEFORE_VALUE}|`,
    "",
  ),
  "gi",
);

/** The groups of ASSIGNMENT after the name, in order. */
const AFTER_NAME = ["close", "decl", "op", "cont", "call", "prefix", "open"] as const;

/**
 * A `fail` key (or another outcome's: `revise`, `block`, `skipped`) beside a `pass`: an object's
 * member (`{…, fail: …}`, `"failed": …`) or a line's setting (`fail: …`), not a message's word
 * (`"connection failed: "`).
 */
const PASS_FAIL =
  /(?:[{,][ \t]{0,2}["'`]?|\n[ \t]{0,16})(?:fail(?:ed|ure)?|revise|block(?:ed)?|skip(?:ped)?|pending)["'`]?[ \t]{0,2}[:=]/i;

/** Name endings that make the value something else than a credential. */
const NOT_CREDENTIAL_NAME =
  /(?:dkim[_.-]?tokens?|hashes|digests?|checksums?|sha(?:1|224|256|384|512)(?:_hex)?|md5(?:_hex)?|count|type|types|url|uri|path|file|files|name|names|id|ids|length|len|size|limit|max|min|expiry|expires|expiration|exp|ttl|endpoint|header|field|label|prefix|suffix|format|policy|provider|mode|hash|policies|enabled|required|env|var|key_id|keyid|source|method|store|manager|mgr|helper|validator|regex|pattern|_in|_at|usage|budget|timeout|version|char|chars|placeholder|hint|prompt|input|reset|confirm|confirmation|changed|strength|rules|file_path|dir|location|arn|ref|template|description|desc|help|message|msg|title|tooltip|caption|algo|algorithm|algorithms|cipher|ciphers|kdf|sign|signature|alias|mask|param|params|show|hide|toggle|forgot|forgotten|mismatch|tooshort|too_short|short|weak|invalid|wrong|incorrect|error|errors|missing|empty|visible|visibility|token_?data)$/i;

/**
 * What a Markdown table row holds before a credential's name in its first cell: the row's pipe,
 * bold, then nothing, a credential word (`API`, `Access`, `Client`, `Admin`), or up to three
 * words and a credential word (`OpenAI API`), or CJK words (`| 管理员密码 | … |`): not `Cache` or
 * `Sort` (`| Cache key | … |`).
 */
const TABLE_LABEL_BEFORE_NAME =
  /(?:^|\n)[ \t]{0,8}\|[ \t]{0,4}(?:\*{1,2}|_{1,2})?(?:(?:[A-Za-z][A-Za-z0-9.-]{0,15}[ \t]){0,3}(?:api|access|auth|client|app|application|service|admin|root|master|secret|private|signing|encryption|personal|bot|deploy|refresh|bearer|session|database|db|user|account|license|webhook|integration|ingest|management)[ \t])?[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{0,8}$/i;

/** `{api_key, "…"}`: an Erlang or Elixir config tuple of an atom and a string. */
function isErlangTuple(
  text: string,
  start: number,
  close: string | undefined,
  open: string | undefined,
): boolean {
  return !close && open === '"' && /\{[ \t]{0,2}$/.test(text.slice(Math.max(0, start - 3), start));
}

/** `secret_id` (HashiCorp Vault AppRole's `SECRET_ID`): the secret itself, despite the `id`. */
const SECRET_ID_NAME = /secret[_-]?id$/i;

/** Calls that read a value from somewhere else (the environment, a config, a vault). */
const READS_ELSEWHERE =
  /get|env|read|load|fetch|lookup|resolve|config|param|vault|secret|decrypt|prompt|input/i;

/**
 * `[\s"'\`,;<>)}\]]`, a closing guillemet or a no-break space (`« … »`), or CJK text (a
 * sentence goes on after a value with no space).
 */
function isValueEnd(code: number): boolean {
  return (
    code <= 32 ||
    VALUE_END_CODES.has(code) ||
    (code >= 0x3000 &&
      (code <= 0x9fff ||
        (code >= 0xac00 && code <= 0xd7af) ||
        (code >= 0xf900 && code <= 0xfaff) ||
        (code >= 0xff01 && code <= 0xff65)))
  );
}
const VALUE_END_CODES = new Set([..."\"'`,;<>)}]\u00bb\u00a0"].map((c) => c.charCodeAt(0)));

/**
 * Tokens that are no credential whatever their value: anti-forgery tokens (a form's
 * `csrfmiddlewaretoken`, Rails' `authenticity_token`), DKIM tokens (published in DNS), page and
 * cache keys, idempotency keys,
 * .NET's `PublicKeyToken` (a hash of an assembly's public key).
 */
export const NOT_A_SECRET_TOKEN_NAME =
  /csrf|xsrf|authenticity|dkim[_.-]?tokens?|public[_.-]?key[_.-]?token|(?:^|[_.-])(?:page|next|continuation|cache|idempotency|sort|partition)[_.-]?(?:token|key)/i;

/** Words that cannot be a name's start when they come before the credential word. */
const NOT_CREDENTIAL_PREFIX =
  /(?:^|[_.-])(?:max|num|n|total|min|csrf|xsrf|next|page|continuation|cancel|refresh_?interval|public(?:[_.-]?key)?|publishable|pub|site|anon|primary|foreign|sort|partition|cache|idempotency|lookup|hot|short|kid|lifecycle[_.-]?action|hashed|mock|fake|dummy)[_.-]?$/i;

/**
 * Verbs and form words before the credential word: a function, handler or field
 * (`readToken(`, `onPassword`, `new_password`), except in an upper-case constant or variable of
 * the environment, where `KEEN_READ_KEY` or `NEW_RELIC_…` is still a credential's name.
 */
const VERB_PREFIX =
  /(?:^|[_.-])(?:get|has|is|use|validate|check|load|fetch|resolve|parse|read|on|handle|update|reset|verify|generate|create|require|forgot|show|hide|toggle|new_?|old_?|confirm)[_.-]?$/i;

/** True when the words before the credential word say it is not a credential's name. */
function hasNonCredentialPrefix(prefix: string): boolean {
  return hasNotCredentialWords(prefix) || hasVerbPrefix(prefix);
}

/** Words before the credential word that name something else (`public_key`, `page_token`). */
function hasNotCredentialWords(prefix: string): boolean {
  return prefix !== "" && NOT_CREDENTIAL_PREFIX.test(splitCamel(prefix));
}

/**
 * NextAuth.js' settings (`NEXTAUTH_SECRET`, `NEXTAUTH_URL`): `next` glued to `auth` is the
 * library's name, not a page's next token.
 */
function isNextAuthName(prefix: string, name: string): boolean {
  return /(?:^|[_.-])next[_.-]?$/i.test(prefix) && /next[_.-]?auth/i.test(name);
}

/** A verb or form word before the credential word (`readToken`, `new_password`; see VERB_PREFIX). */
function hasVerbPrefix(prefix: string): boolean {
  return prefix !== "" && VERB_PREFIX.test(splitCamel(prefix)) && !/^[A-Z][A-Z0-9_]*$/.test(prefix);
}

/**
 * Names of keys that are public by design, whatever credential word came first
 * (`BRAINTREE_TOKENIZATION_KEY` matches at `TOKEN`): publishable, anonymous and client-side
 * tokenization keys.
 */
const PUBLIC_KEY_NAME =
  /(?:^|[_.-])(?:public|publishable|anon|tokenization)[_.-]?(?:api[_.-]?)?(?:key|token)$/i;

/**
 * `public key: …`, `# Publishable key = …`, `GPG key-fingerprint: …`: the public half named in
 * words, `key` or `token` after the word, with at most a word of its form or its id
 * (`key_base64`, `key.pem`; not `key_password`). Before another name the word is a
 * declaration's modifier (TypeScript's `public apiKey = …`, Visual Basic's `Public Password As
 * String = …`).
 */
const PUBLIC_WORD_BEFORE = /(?:^|[^A-Za-z])(?:public|publishable|gpg|pgp)[ \t]$/i;
const PUBLIC_HALF_NAME =
  /^(?:key|token)(?:[ _.-](?:fingerprint|fpr|id|base64|b64|pem|der|hex|file|path|url|bytes|data|blob))?$/i;

/**
 * Flagsmith's client-side environment key, public by design (its docs: "safe to be exposed in
 * public, client-side applications", sent to browsers): a value on a line naming Flagsmith
 * (within 80 characters before it), under a key or token name (not a password or secret), that is neither a server-side key (`ser.…`) nor an Admin API
 * key (`<8>.<32>`), both secret.
 */
function isFlagsmithClientKey(text: string, from: number, value: string, name: string): boolean {
  if (!/key|token|id/i.test(name) || /pass|pwd|secret/i.test(name)) return false;
  const before = text.slice(Math.max(0, from - 80), from);
  const line = before.slice(before.lastIndexOf("\n") + 1);
  // Flagsmith's and the environment's names on the line (`FLAGSMITH_ENVIRONMENT_KEY`,
  // `flagsmith.init({ environmentID: … })`): another token on a Flagsmith line is no such key.
  return (
    /flagsmith/i.test(line) &&
    /env/i.test(line.slice(line.search(/flagsmith/i))) &&
    !/^ser\./.test(value) &&
    !/^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$/.test(value)
  );
}

/** A lower-case letter or a digit, then a capital: where splitCamel splits (most names have none). */
const CAMEL_HUMP = /[a-z0-9][A-Z]/;

/** `maxTokens` → `max_Tokens`: word boundaries of camel case made explicit. */
function splitCamel(name: string): string {
  return CAMEL_HUMP.test(name) ? name.replace(/([a-z0-9])([A-Z])/g, "$1_$2") : name;
}

const QUERY_PARAMETER = /^&(?:amp;)?[A-Za-z_][A-Za-z0-9_.-]{0,24}=/;

/** The longest quoted value read (a JWT or a session token runs to several hundred characters). */
const MAX_QUOTED_VALUE = 1000;

/**
 * Finds the next occurrence of a string at or after a position, remembering each answer: asked
 * at positions that only move forward, as an assignment loop asks, it reads each character of
 * the text once in all, however many values start before one closing quote (a quadratic cost
 * on a one-line file otherwise).
 */
function nextFinder(text: string): (what: string, at: number) => number {
  // For each string: the position a search started from and what it found (-1: none up to the
  // end of the text).
  const found = new Map<string, { from: number; at: number }>();
  return (what, at) => {
    const known = found.get(what);
    if (known && known.from <= at && (known.at >= at || known.at < 0)) return known.at;
    if (known && at < known.from) {
      // Asked behind the last search: a search bounded by the longest value, not remembered.
      const near = text.slice(at, at + MAX_QUOTED_VALUE + what.length + 1).indexOf(what);
      return near < 0 ? -1 : at + near;
    }
    const next = text.indexOf(what, at);
    found.set(what, { from: at, at: next });
    return next;
  };
}

/**
 * The value after the operator: up to the matching quote, or up to a delimiter (at most
 * `longest` characters).
 */
function readValue(
  text: string,
  at: number,
  quote: string | undefined,
  next: (what: string, at: number) => number,
  valueEnd: (at: number, limit: number) => number,
  longest = 500,
): [number, number] {
  if (quote) {
    const end = next(quote === "&quot;" ? "&quot;" : quote, at);
    const newline = next("\n", at);
    if (end < 0 || end - at > MAX_QUOTED_VALUE || (newline >= 0 && newline < end)) return [at, at];
    return [at, end];
  }
  return [at, valueEnd(at, Math.min(text.length, at + longest))];
}

/**
 * Where an unquoted value starting at a position ends (a delimiter, or a query string's next
 * parameter: `?token=…&state=…`), up to a limit. The run of value characters a search crossed
 * is remembered, so that a text of one long run holding a name every few characters
 * (`refresh=refresh=…`) is read once, not once for each name in it.
 */
function valueEndFinder(text: string): (at: number, limit: number) => number {
  // No end lies in [runFrom, runTo).
  let runFrom = 0;
  let runTo = 0;
  const isEnd = (i: number) => {
    const code = text.charCodeAt(i);
    return isValueEnd(code) || (code === 38 && QUERY_PARAMETER.test(text.slice(i, i + 34)));
  };
  return (at, limit) => {
    const inRun = at >= runFrom && at <= runTo;
    let end = inRun ? Math.max(at, runTo) : at;
    while (end < limit && !isEnd(end)) end++;
    if (inRun) runTo = Math.max(runTo, end);
    else [runFrom, runTo] = [at, end];
    return Math.min(end, limit);
  };
}

/**
 * The one line of a triple-quoted string that opens at the end of its line and closes alone on
 * the line after (Elixir's heredoc `signing_salt: """`, Python's and TOML's `"""`), trimmed;
 * undefined for any other shape.
 */
function lineBetweenTripleQuotes(
  text: string,
  at: number,
  quote: string,
): [number, number] | undefined {
  const shape = /^[ \t]*\r?\n([ \t]*)([^\s"'`][^\n]{0,998}?)[ \t\r]*\n[ \t]*(["'])\3\3/.exec(
    text.slice(at, at + 1200),
  );
  if (!shape || shape[3] !== quote) return undefined;
  const from = at + shape[0].indexOf(shape[2] as string, (shape[1] as string).length);
  return [from, from + (shape[2] as string).length];
}

/** An app password in the groups it is shown in (see isPlausibleSecret). */
const GROUPED_APP_PASSWORD =
  /^(?:[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){5}|[a-z]{4}(?: [a-z]{4}){3})(?![ \t]?[A-Za-z0-9])/;

/** A dotenv file (`.env`, `.env.production`, `app.env`). */
const DOTENV_FILE = /(?:^|[/\\])(?:\.env(?:\.[\w.-]+)?|[\w.-]*\.env)$/i;

/** A C string's declaration before the name it declares (`char `, `const char* `). */
const C_STRING_BEFORE = /(?:^|[\s(,;{])char[ \t]{0,2}\*?[ \t]{0,2}$/;

/** A C++ string type ending a declaration, before the name it declares (`const std::string `). */
const CPP_STRING_DECLARATION =
  /(?:^|[\s(,;{])(?:std::)?(?:w?string|string_view|QString|CString|wxString)[ \t]{1,4}$/;

/** An identifier, a chain of members (a private `#field` too), one of two members or more. */
const CODE_ID = "!{0,2}[A-Za-z_$][\\w$]*";
const CODE_CHAIN = `${CODE_ID}(?:\\.#?[A-Za-z_$][\\w$]*)*`;
const CODE_MEMBER_CHAIN = `${CODE_ID}(?:\\.#?[A-Za-z_$][\\w$]*)+`;
const MEMBER_CHAIN = new RegExp(`^${CODE_MEMBER_CHAIN}$`);
/**
 * A conditional (`i?n.password:void`), a comparison (`t===Z.AUTH`), a logical operator with a
 * member on one side (`e.tokenTable||du`, `l??this.auth`, `O&&(_?m:n`), a member with
 * arithmetic or an operator left open (`e.tokens.length-1`, `r.token?`).
 */
const CODE_OPERATION = new RegExp(
  `^(?:${CODE_CHAIN}\\?${CODE_CHAIN}(?:\\([^)]{0,40}\\)?)?:|${CODE_CHAIN}[=!]==|${CODE_MEMBER_CHAIN}(?:\\?\\?|&&|\\|\\|)|${CODE_CHAIN}(?:\\?\\?|&&|\\|\\|)(?:!{0,2}\\(|${CODE_MEMBER_CHAIN}|void\\b|null\\b)|${CODE_MEMBER_CHAIN}(?:[-+*/%]\\d{1,3}|\\?\\??)$)`,
);

/**
 * Minified code an unquoted value runs into: a negated group (`!(opts.mode`), a call
 * (`e.skipToEnd(`), optional chaining, a logical operator or an arrow, a conditional on a
 * member or a minifier's short name (`e.altKey?r.C0.ESC`, `F?e.input`; not `Xk9mq2?Lz7Vb`), a
 * member then a conditional's `:` or another assignment (`r.C0.NUL:e.keyCode`,
 * `F.isWritable=F.isReadable=…`), a closing bracket first.
 */
const MINIFIED_EXPRESSION =
  /^!{1,2}\(|^\)|(?:^|\.)[A-Za-z_$][\w$]{0,40}\(|\?\.|&&|\|\||=>|^(?:[A-Za-z_$][\w$]{0,2}|[\w$]{1,40}(?:\.[\w$]{1,40}){1,8})\?[\w$(!]|^[\w$]{1,40}(?:\.[\w$]{1,40}){1,8}[:=]/;

/**
 * JavaScript and TypeScript, their bundles and source maps: where an unquoted value after a
 * credential's name is code (a shell script's `PASSWORD=… && psql` or a note's `Admin$123` is no
 * such code).
 */
const SCRIPT_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|map)$/i;

/**
 * An unquoted value of JavaScript code: a member of `this` (a private `#field` too), a
 * bundler's renamed identifier (`IDENTITY_KEY$1`), a member read through a constant's or a
 * snake-case name (`require_attrs.K8S_SECRET`, SQL's `NEW.session_key`), of three names or more
 * or of a one-letter or an options object (`watcherData.rowKey.value`, `e.token`,
 * `opts.authToken`), an operation (CODE_OPERATION), or a name a conditional or a logical
 * operator follows (`x509Auth ? a : b`).
 */
function isCodeExpression(value: string, text: string, end: number): boolean {
  if (MINIFIED_EXPRESSION.test(value)) return true;
  // A variable named in camel case (`tokens: senderE164Tokens`, `artifactKey: artifactSha256`;
  // not `SummerBreeze2024`, capitalised as a password is and a variable is not).
  if (
    /^[a-z_$][\w$]*$/.test(value) &&
    CAMEL_HUMP.test(value) &&
    isCamelWords(value.replace(/[\d_$]+/g, "")) &&
    isIdentifierWords(value)
  ) {
    return true;
  }
  if (/^!{0,2}(?:this|self)\.#?[A-Za-z_$]/.test(value) || /^[A-Za-z_$][\w$]*\$\d+$/.test(value)) {
    return true;
  }
  if (
    MEMBER_CHAIN.test(value) &&
    (/_|\.#/.test(value) ||
      /^(?:exports|module|window|globalThis|NEW|OLD|opts|options|config|params|props|args|ctx)\./.test(
        value,
      ) ||
      /^[A-Za-z$]\./.test(value) ||
      value.split(".").length >= 3)
  ) {
    return true;
  }
  // With a member, a call or a keyword in it: a password may hold `?` and `:` (`Kx8?mQ:2vL`).
  if (CODE_OPERATION.test(value) && /[.(]|\b(?:void|null|undefined|true|false)\b/.test(value)) {
    return true;
  }
  return (
    /^[A-Za-z_$][\w$.#]*$/.test(value) &&
    /^[ \t]{1,2}(?:\?[ \t]{1,2}[^\s:?]{1,60}[ \t]{1,2}:[ \t]|&&[ \t]{1,2}[!(A-Za-z_$]|\|\|[ \t]{1,2}[!(A-Za-z_$"'`])/.test(
      text.slice(end, end + 80),
    )
  );
}

/**
 * An unquoted value that is code, not a literal: a call, an index, optional chaining, an
 * increment, a negation (`XChaCha20-Poly1305(key, …)`, `Optional[str]`, `result?.pass`,
 * `nextKey++`, `!!node.token`, `!names.has(name)`), a call's argument, a comparison, the name again, or a
 * type after a colon, told by what follows it (`passphrase: Uint8Array,`, `token: Buffer | null`,
 * `secret: SecretKey)`).
 */
function isCodeValue(
  text: string,
  value: string,
  end: number,
  op: string,
  name: string,
  settingsFile: boolean,
  scriptFile: boolean,
): boolean {
  // A call's argument without quotes is a name (`setPassword(service: string, …)`).
  if (op.trim() === "(") return true;
  // A comparison (`"key" === s.content`), the name itself (`exports.Key = Key`).
  if (value.startsWith("=") || value === name || name.endsWith(`.${value}`)) return true;
  if (scriptFile && isCodeExpression(value.replace(/(?:\\[nrt])+$/, ""), text, end)) {
    return true;
  }
  // An optional member (`user?.password`; a settings file has none: `Antartida002?.hola` is a
  // password there), a call or an index (`getPass(user`, `e[t`, `tokens[tokenIndex++`), unless
  // what follows the bracket holds a symbol no expression of names and arithmetic holds, and no
  // other bracket, over 12 characters and more or in a settings file (`E[&mUlOgA+ucv31…`).
  const optionalMember = !settingsFile && /^!{0,2}[A-Za-z_$][\w$.#-]{0,60}\?\./.test(value);
  const call = /^!{0,2}[A-Za-z_$][\w$.#-]{0,60}[([]/.exec(value);
  const afterCall = call ? value.slice(call[0].length) : "";
  if (
    optionalMember ||
    (call &&
      ((afterCall.length < 12 && !settingsFile) ||
        !/[^\w$.+\-*%/]/.test(afterCall) ||
        /[()[\]{}]|\?[.?]|=>|\|\||&&/.test(afterCall))) ||
    /^[A-Za-z_$][\w$.]{0,60}(?:\+\+|--)$/.test(value) ||
    /^!{1,2}[A-Za-z_$][\w$]{0,60}(?:\.[A-Za-z_$][\w$]{0,60}){1,8}$/.test(value)
  ) {
    return true;
  }
  // A type is a name of words (`Uint8Array`, `SecretKey32`), not random (a value of a YAML
  // flow map, `{user: admin, password: ‹random›, port: 5432}`).
  if (op.trim() !== ":" || !/^[A-Za-z_$][\w$]*$/.test(value)) return false;
  // Digits in two places between letters and no capitalised word (`Kx9mPq2zT4`) are drawn; a
  // type holds words (`Uint8Array`, `Secp256k1PrivateKey`, `Jwt2Es256Token`).
  if ((value.match(/[0-9]+(?=[A-Za-z])/g) ?? []).length >= 2 && !/[A-Z][a-z]{2,}/.test(value)) {
    return false;
  }
  if (!isCamelWords(value.replace(/[\d_$]+/g, ""))) return false;
  const next = /^[ \t]{0,4}(.)/.exec(text.slice(end, end + 6))?.[1] ?? "";
  return next !== "" && ",;)|&=<>?[]".includes(next);
}

/**
 * `password: value` as an input of a GitHub Actions step (under `with:`), alone on its line:
 * a YAML literal even without quotes (`docker/login-action`'s `password:`). At most the 12
 * lines (and 1,000 characters) before the name are read for the `with:` line.
 */
function isActionInput(text: string, start: number, op: string, end: number): boolean {
  if (op.trim() !== ":") return false;
  // Searched in windows only: a search back through a long line for every candidate would
  // make a scan quadratic.
  const floor = Math.max(0, start - 1000);
  const window = text.slice(floor, start);
  const indentMatch = /\n([ \t]{1,40})$/.exec(window.slice(-42));
  if (!indentMatch) return false;
  const indent = indentMatch[1]?.length ?? 0;
  if (!/^[ \t]*(?:#[^\n]*)?(?:\r?\n|$)/.test(text.slice(end, end + 200))) return false;
  let lineEnd = window.length - indent - 1;
  for (let lines = 0; lines < 12 && lineEnd > 0; lines++) {
    const newline = window.lastIndexOf("\n", lineEnd - 1);
    if (newline < 0) return false;
    const line = window.slice(newline + 1, lineEnd);
    lineEnd = newline;
    if (line.trim() === "") continue;
    if ((/^[ \t]*/.exec(line)?.[0].length ?? 0) >= indent) continue;
    return /^[ \t]*(?:-[ \t]+)?with:[ \t]*\r?$/.test(line);
  }
  return false;
}

/**
 * `NAME=value` alone on its line, in upper case (a dotenv file, a shell's `export`, a
 * commented-out line): no code around it, so the value is a literal even without quotes.
 */
function isEnvLine(text: string, start: number, name: string, op: string, end: number): boolean {
  if (op !== "=" || !/^[A-Z][A-Z0-9_]*$/.test(name)) return false;
  // Only the 40 characters before the name are read: a long line costs nothing more.
  const before = text.slice(Math.max(0, start - 40), start);
  const newline = before.lastIndexOf("\n");
  if (newline < 0 && start > 40) return false;
  if (!/^[ \t]*(?:#[ \t]*)?(?:export[ \t]+)?$/.test(before.slice(newline + 1))) return false;
  return /^[ \t]*(?:#[^\n]*)?(?:\r?\n|$)/.test(text.slice(end, end + 200));
}

/**
 * The one line of a YAML block scalar whose indicator (`|`, `>`, `|-`…) ends at `end`, on the
 * line of the name starting at `start`: the next line, indented deeper than the name's line,
 * when the block holds that line only (a block of several lines is a certificate or a script,
 * left to the key-material rules). Only 200 characters around are read.
 */
function yamlBlockLine(text: string, start: number, end: number): [number, number] | undefined {
  if (!/^[ \t]*(?:#[^\n]{0,200})?\r?\n/.test(text.slice(end, end + 200))) return undefined;
  const before = text.slice(Math.max(0, start - 200), start);
  const newline = before.lastIndexOf("\n");
  if (newline < 0 && start > 200) return undefined;
  const nameIndent = /^[ \t]*/.exec(before.slice(newline + 1))?.[0].length ?? 0;
  const lineStart = text.indexOf("\n", end) + 1;
  const line = /^([ \t]{1,80})([^\s][^\n]{0,400})(?:\n|$)/.exec(
    text.slice(lineStart, lineStart + 500),
  );
  const indent = line?.[1]?.length ?? 0;
  const content = line?.[2]?.trimEnd();
  if (!line || content === undefined || indent <= nameIndent) return undefined;
  const next = text.slice(lineStart + line[0].length, lineStart + line[0].length + 200);
  if (/^[ \t]*[^\s]/.test(next) && (/^[ \t]*/.exec(next)?.[0].length ?? 0) >= indent) {
    return undefined;
  }
  return [lineStart + indent, lineStart + indent + content.length];
}

/**
 * The quoted items of a list in brackets at `at` (`["…", "…"]` in JSON, JavaScript, Python or a
 * YAML flow sequence), over lines or not: up to 20 items of up to 1,000 characters each, each
 * without its quotes. Anything but a quoted item or a comma between them ends the list.
 */
function bracketListItems(text: string, at: number): [number, number][] {
  const items: [number, number][] = [];
  const item = /[ \t\r\n]{0,40}(["'])([^"'\n]{1,1000})\1[ \t\r\n]{0,40}([,\]])/y;
  item.lastIndex = at + 1;
  while (items.length < 20) {
    const m = item.exec(text);
    if (!m) break;
    const from = m.index + m[0].indexOf(m[1] as string) + 1;
    items.push([from, from + (m[2] as string).length]);
    if (m[3] === "]") break;
  }
  return items;
}

/**
 * The items of a YAML sequence under a credential name (`passwords:` then `- …` lines, indented
 * as deep as the name or deeper): each scalar item, quoted or not, up to 20 items and 4,000
 * characters. Items that are mappings (`- name: x`) are no values and end the list.
 */
function yamlListItems(text: string, start: number, end: number): [number, number][] {
  if (!/^[ \t]*(?:#[^\n]{0,200})?\r?\n/.test(text.slice(end, end + 200))) return [];
  const before = text.slice(Math.max(0, start - 200), start);
  const newline = before.lastIndexOf("\n");
  if (newline < 0 && start > 200) return [];
  const prefix = before.slice(newline + 1);
  // The name starts its line (after its indentation, or after the `- ` of a list's mapping).
  if (!/^[ \t]*(?:-[ \t]+)?["']?$/.test(prefix)) return [];
  const nameIndent = /^[ \t]*/.exec(prefix)?.[0].length ?? 0;
  const items: [number, number][] = [];
  const limit = Math.min(text.length, end + 4000);
  let at = text.indexOf("\n", end) + 1;
  while (at > 0 && at < limit && items.length < 20) {
    const line = /^([ \t]{0,80})-[ \t]{1,8}([^\n]{1,400})(?:\n|$)/.exec(text.slice(at, at + 500));
    if (!line || (line[1]?.length ?? 0) < nameIndent) break;
    // The item without a comment and trailing blanks, then without its quotes.
    let raw = line[2] ?? "";
    const comment = raw.search(/[ \t]#/);
    if (comment >= 0) raw = raw.slice(0, comment);
    raw = raw.trimEnd();
    const quoted = /^(["'])([^"'\n]{1,400})\1$/.exec(raw);
    if (!quoted && (/["'#]/.test(raw[0] ?? "") || /:(?:[ \t]|$)/.test(raw))) break;
    const value = quoted?.[2] ?? raw;
    const from =
      at +
      (line[0].length - (line[2]?.length ?? 0) - (line[0].endsWith("\n") ? 1 : 0)) +
      (quoted ? 1 : 0);
    if (value !== "") items.push([from, from + value.length]);
    at += line[0].length;
    if (!line[0].endsWith("\n")) break;
  }
  return items;
}

/**
 * `NAME=value` or `name: value` as a setting alone on its line: the name starts the line (after
 * its indentation, `export ` or a YAML list's `- `), and the operator is `=` or `:`. Only the 40
 * characters before the name are read.
 */
function isSettingLine(text: string, start: number, op: string): boolean {
  const operator = op.trim();
  if (operator !== "=" && operator !== ":") return false;
  const before = text.slice(Math.max(0, start - 40), start);
  const newline = before.lastIndexOf("\n");
  if (newline < 0 && start > 40) return false;
  // After `export`, a YAML item's `- `, or a Dockerfile's `ENV` or `ARG` (`ENV DB_PASSWORD=…`).
  return /^[ \t]*(?:export[ \t]+|-[ \t]+|(?:ENV|ARG)[ \t]+)?$/.test(before.slice(newline + 1));
}

/** Characters that end an unquoted value in code but not in a setting's line. */
const CODE_VALUE_END = new Set([..."`;,<>)}]\"'"].map((c) => c.charCodeAt(0)));

/**
 * The value of a setting alone on its line, from `from`: the rest of the line (at most 400
 * characters, a trailing ` # comment` and blanks left out) when the value read as code stopped
 * at `to` on a character that code ends values with, and the rest holds no blank and does not
 * end as a statement or an item does (`;`, `,`, an opening bracket) nor goes on with another
 * `name=value` pair. Otherwise [from, to].
 */
function settingValue(
  text: string,
  from: number,
  to: number,
  settingsFile: boolean,
): [number, number] {
  if (to >= text.length || !CODE_VALUE_END.has(text.charCodeAt(to))) return [from, to];
  const window = text.slice(from, from + 400);
  const newline = window.indexOf("\n");
  const rest = (newline < 0 ? window : window.slice(0, newline))
    .replace(/[ \t]+#[^\n]*$/, "")
    .replace(/\s+$/, "");
  if (rest.length <= to - from || /[ \t]/.test(rest) || /[;,({[]$/.test(rest)) return [from, to];
  // Outside a settings file, a name and only closing brackets after it, a call's bracket still
  // open on the lines before: the last argument of a call written over lines (`  password=dsn_pwd)`
  // in R or Python), not a value ending in a bracket (`DB_PASSWORD=Sup3rS3cretX)` in a .env).
  if (
    !settingsFile &&
    /^[A-Za-z_][\w.]*[)\]}]+$/.test(rest) &&
    /^[)\]}]/.test(rest.slice(to - from)) &&
    hasOpenBracketBefore(text, from)
  ) {
    return [from, to];
  }
  // Another `name=value` after the stop is a list of pairs (`Key=…,Value=…`), not one value.
  if (/[;,&][A-Za-z_][\w.-]{0,40}[=:][^=]/.test(rest.slice(to - from))) return [from, to];
  return [from, from + rest.length];
}

/** Whether a `(` left open comes in the 1,000 characters before `at` (a call over lines). */
function hasOpenBracketBefore(text: string, at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= Math.max(0, at - 1000); i--) {
    const c = text[i];
    if (c === ")") depth++;
    else if (c === "(" && --depth < 0) return true;
  }
  return false;
}

/** The name around the credential word (letters, digits, `_.-` before it). */
function nameStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && start > at - 40 && isNameChar(text.charCodeAt(start - 1))) start--;
  return start;
}

/** `[A-Za-z0-9_.-]` */
function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 46 ||
    code === 45
  );
}

/**
 * The literal a lookup falls back to, later on its line: `getenv("X") ?? "…"`,
 * `config["Password"] || "…"`, `settings.get("x") or "…"`, Ruby's `ENV.fetch("X") { "…" }`.
 * Whenever the setting is missing, that literal is the credential.
 */
const FALLBACK =
  /^[^\n;]{0,120}?[)\]][ \t]{0,2}(?:\?\?|\|\||or\b|\{)[ \t]{0,2}(["'`])([^"'`\n]{4,200})\1/;

/** Adds the fallback literal after a lookup that starts at `at`, when it is a plausible secret. */
function pushFallback(found: RuleMatch[], text: string, at: number, name: string): void {
  const window = text.slice(at, at + 400);
  // No closing bracket within reach: no lookup to fall back from (and no pattern run).
  const bracket = window.slice(0, 121);
  if (!bracket.includes(")") && !bracket.includes("]")) return;
  const m = FALLBACK.exec(window);
  const value = m?.[2];
  if (!m || value === undefined || !isPlausibleSecret(value, name, true)) return;
  const end = at + m[0].length - 1;
  found.push({ start: end - value.length, end });
}

/** The rest of a DSL call's line after its opening quote: one literal, then the line's end. */
const DSL_CALL_END: Record<string, RegExp> = {
  '"': /^[^"\s]{1,200}"[ \t]{0,8};?[ \t]{0,8}(?:(?:\/\/|#)[^\n]{0,200})?(?:\r?\n|$)/,
  "'": /^[^'\s]{1,200}'[ \t]{0,8};?[ \t]{0,8}(?:(?:\/\/|#)[^\n]{0,200})?(?:\r?\n|$)/,
};

/** What opens a quoted `"NAME=value"`: `set "`, `Environment="`, `-e "`, `--env "`. */
const QUOTED_ASSIGNMENT_BEFORE =
  /(?:^|[\s;&(])(?:set|Environment=|-e|--env(?:=|[ \t]))[ \t]{0,2}["']$/i;

/**
 * Words, abbreviations and numbers joined by `-`, `_`, `.`, `:` or `/` (`X-Hub-Signature-256`,
 * `k8s:ServiceAccount`): a name, not a drawn value.
 */
function isWordsJoined(value: string): boolean {
  const parts = value.split(/[-_.:/]/);
  return (
    parts.length > 1 &&
    parts.every(
      (part) =>
        part === "" || /^(?:\d+|[A-Z]{1,8}|[a-z]+\d{0,2}[a-z]*)$/.test(part) || isCamelWords(part),
    )
  );
}

/** Directive names of an API key or token (`ApiKey`, `auth_token`): clearly random values only. */
const API_DIRECTIVE_NAME = /^(?:api[_-]?key|(?:access|auth|api)[_-]?token)$/i;

/** Configuration directives that take a password, a token or an API key as their one argument. */
const DIRECTIVE_NAME =
  /^(?:passw(?:or)?d|passwd|rootpw|bind_?pw|api[_-]?key|(?:access|auth|api)[_-]?token|[A-Za-z][A-Za-z0-9]{0,30}(?:[._-][A-Za-z0-9]{1,30}){0,4}[._-](?:pass|passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key))$/i;
/**
 * The rest of a directive's line: one unquoted value, then the line's end or a comment; not code
 * (a C declaration `SRP_user_pwd *SRP_user_pwd_new(void);`: a pointer, a call, a statement).
 */
const DIRECTIVE_END = /^[^\s"'`()*&][^\s"'`()]{0,199}(?<!;)[ \t]{0,8}(?:#[^\n]{0,200})?(?:\r?\n|$)/;

/**
 * A password named in a sentence and given right after its name, without `:` or `is`
 * (`ssh root@host with password …`, `Wi-Fi passphrase "…"`): the name, after a word that
 * introduces it; the value is then read as the one of `the password is …`.
 */
const PROSE_PASSWORD_NAME = /^(?:password|passphrase|passwd)$/i;
/**
 * A key's or a token's name in a sentence or a note (`API key q8Z…`, `the token is q8Z…`): a
 * bare `key` only after a word that makes it a credential (`API key`, not `the key`).
 */
const PROSE_KEY_NAME = /^(?:api[_-]?key|apikey|token|access[_-]?key|secret[_-]?key|key)$/i;
const PROSE_KEY_LEAD = /(?:^|[^A-Za-z])(?:api|access|secret|auth|bot|app|license|private)[ \t]$/i;
const PROSE_PASSWORD_LEAD =
  /(?:^|[^A-Za-z])(?:with|using|use|set|via|and|wi-?fi|admin|root|login|ssh|sudo|the|my|our|your|its|new|temporary|initial|default)[ \t]{1,3}$/i;
/**
 * A password a generator drew, 10 to 15 letters and digits (`IQq5g0fcL3uOdn`): two capitals, two
 * small letters and two digits or more, a digit before a letter, no run of four small letters (a
 * word: `SHA256withRSA`, `WPA2Personal`) or three digits (`RFC3339Nano2`), and about as varied
 * as a drawn value of its length; not a term (`OAuth2`) or a word and a year (`Summer2024x`).
 */
function isDrawnPassword(word: string): boolean {
  const count = (pattern: RegExp) => (word.match(pattern) ?? []).length;
  return (
    /^[A-Za-z0-9]{10,15}$/.test(word) &&
    count(/[A-Z]/g) >= 2 &&
    count(/[a-z]/g) >= 2 &&
    count(/\d/g) >= 2 &&
    /\d[A-Za-z]/.test(word) &&
    !/[a-z]{4}|\d{3}/.test(word) &&
    shannonEntropy(word) >=
      entropyBarFor(word.length, Number.POSITIVE_INFINITY, DRAWN_ENTROPY_SLACK)
  );
}
/** `pw` at `at` inside a drawn value rather than a name (see the generic rule). */
function isDrawnPw(text: string, at: number): boolean {
  const before = text[at - 1] ?? "";
  return (
    /[0-9]/.test(before) ||
    /[0-9]/.test(text[at + 2] ?? "") ||
    (/[A-Z]/.test(before) && text.slice(at, at + 2) !== "PW")
  );
}

/** Names of a secret a person chooses: a password, a passphrase, an app's secret or signing key. */
const CHOSEN_SECRET_NAME =
  /(?:passw(?:or)?d|passwd|passphrase|pwd|secret|secret[_-]?key|signing[_-]?key|encryption[_-]?key|jwt[_-]?key|session[_-]?key)$/i;
/** The last word of a value that names a secret object rather than being one (`db-credentials`). */
const SECRET_OBJECT_WORD =
  /[-_](?:secrets?|credentials?|creds|passwords?|passphrases?|keys?|tokens?|name|ref|value|field|header|id)$/i;

/**
 * A phrase a person typed as a secret (`my-very-secret-flask-key-do-not-share-12345`,
 * `correct-horse-battery-staple`, `super-secret-password-123`): three or more words or numbers
 * joined by one separator (`-` or `_`), 16 to 100 characters, under the name of a secret a person chooses
 * (not a token's or an API key's, which are drawn). Reported as typed (a warning): it is a real
 * secret now and then, and a sample as often.
 */
function isTypedPhrase(value: string, name: string): boolean {
  if (value.length < 16 || value.length > 100) return false;
  if (!CHOSEN_SECRET_NAME.test(name.replace(/[^A-Za-z0-9]+$/, ""))) return false;
  if (NOT_CREDENTIAL_NAME.test(name) || /^existing/i.test(name)) return false;
  // Joined by `-` or `_`: words with spaces are a passphrase's (judged as such) or a sentence.
  const separator = /[-_]/.exec(value)?.[0];
  if (separator === undefined) return false;
  const parts = value.split(separator);
  if (parts.length < 3 || !parts.every((part) => /^[A-Za-z0-9]{1,20}$/.test(part))) return false;
  if (parts.filter((part) => /^[A-Za-z]{3,}$/.test(part)).length < 2) return false;
  if (SECRET_OBJECT_WORD.test(value) || isSecretObjectName(value, name)) return false;
  // Words of the name again (`SERVER_SIDE_ENCRYPTION_KEY = "server-side-encryption-header"`):
  // a label, not a secret.
  const nameWords = new Set(
    splitCamel(name)
      .toLowerCase()
      .split(/[^a-z0-9]+/),
  );
  const repeated = parts.filter((part) => nameWords.has(part.toLowerCase())).length;
  if (repeated >= 2 && repeated * 2 >= parts.length) return false;
  return !isPlaceholder(value) && !isReference(value) && !isExamplePassword(value);
}

/** Words that end in `pass` and name no password (`bypass`, `highpass`, `compass`). */
const NOT_PASS_WORD =
  /(?:^|[^A-Za-z])(?:[Bb]y|[Cc]om|[Tt]res|[Hh]igh|[Ll]ow|[Bb]and|[Aa]ll|[Aa]sk|[Ss]ur|[Oo]ver|[Uu]nder|[Ee]n|[Ii]m|[Mm]ulti|[Rr]ender|[Ff]irst|[Ss]ub)pass$/;

/**
 * The working folder's variables (`PWD`, `OLDPWD`, `process.env.PWD`, in capitals and alone:
 * `db_pwd` and `DB_PWD` are passwords): a path or a word, so only a clearly random value under
 * them is a password (a Java constant `PWD = "hV#;N.F9j}…"`).
 */
const WORKING_FOLDER_NAME = /(?:^|[^\w])(?:OLD)?PWD$/;

/** Names of a password or a secret a person chooses (not a key's or a session's). */
const WEAK_SECRET_NAME =
  /(?:pas{1,2}w(?:or)?d|passwrd|pword|passphrase|(?<=[_-])pass|pwd|secret|secret[_-]?key)$/i;

/**
 * Names that end in `_pass` and name something else: a render or test pass (`render_pass`,
 * `DEPTH_PASS`), a user and password written together (`user_pass`).
 */
const NOT_A_PASSWORD_NAME =
  /(?:render|depth|stencil|first|second|third|last|final|sub|multi|single|post|pre|user|ask|fail|ok)[_-]pass$/i;

/**
 * A weak password or chosen secret (`root`, `P@ssw0rd`, `kafka123`) under the name of one:
 * reported as a warning (see weak-password.ts). Only when `assigned` (isAssignedValue); not
 * under a bare `pass` (a test's result) or `secret` (a secret object's name), nor a name of
 * code (`Test2::Event::Pass`). Unquoted in code or a command, only a value that mixes letters
 * with digits or symbols (`hunter2`, not `Executions`) and ends its statement, not a word
 * followed by more words. (Names that are no credential's never get here: the assignment
 * loop skips them first.)
 */
function isWeakChosenSecret(
  value: string,
  name: string,
  assigned: boolean,
  literal: boolean,
  after: string,
  settingsFile: boolean,
  cString = false,
): boolean {
  const plainName = name.replace(/[^A-Za-z0-9]+$/, "");
  // Not a bare `pass` (a test's result) or `secret` (a secret object's name: `secret: tls`),
  // but a C string's `pass` (`char pass[] = "…"`, an Arduino sketch's Wi-Fi password).
  const cStringPass = cString && /^pass$/i.test(plainName);
  if (!WEAK_SECRET_NAME.test(plainName) && !cStringPass) return false;
  if (/^(?:pass|secret)$/i.test(plainName) && !cStringPass) return false;
  if (/::|->/.test(name) || !assigned || NOT_A_PASSWORD_NAME.test(plainName)) return false;
  // A tuple's first item (`user, password = "wile", "coyote"`): the user's, not the password.
  if (/^["'`]?[ \t]{0,4},[ \t]{0,4}["'`]/.test(after)) return false;
  if (/^existing/i.test(name)) return false;
  if (
    !literal &&
    (value.length < 5 ||
      !/[A-Za-z]/.test(value) ||
      !/[^A-Za-z]/.test(value) ||
      !/^[ \t]*(?:[;,)#]|\/\/|\r?\n|$)/.test(after))
  ) {
    return false;
  }
  // The word made into a password (`password123`, `Passw0rd`) only in a settings file: in code
  // it is as often a variable, a field's or a selector's name or an enum's value.
  if (isWordMadePassword(value)) return settingsFile && literal;
  // A password's name in some language (`"password": "Kennwort"`): an interface's label.
  if (PASSWORD_IN_LANGUAGES.test(value)) return false;
  return isWeakPassword(value) && !isSecretObjectName(value, name);
}

/**
 * Whether the value after the name at `start` is assigned to it: after `=`, `:`, `=>` or a
 * call's parenthesis; after a comma only as a call's second argument
 * (`define('DB_PASSWORD', 'admin')`) or a flag's value, not as the next word of a list; or
 * quoted after a name that opens its line (a DSL's setting: Gradle's `keyPassword "…"`). Not
 * in prose (`the password is correct`).
 */
function isAssignedValue(
  text: string,
  start: number,
  op: string,
  name: string,
  open: string | undefined,
): boolean {
  if (op.trim() === ",") {
    return (
      name.startsWith("-") || /\([ \t]{0,2}["']$/.test(text.slice(Math.max(0, start - 4), start))
    );
  }
  if (/[=:(]/.test(op)) return true;
  return Boolean(open) && /(?:^|\n)[ \t]*$/.test(text.slice(Math.max(0, start - 40), start));
}

/** Whether `name`, at `start`, names a key or a token in prose (see PROSE_KEY_NAME). */
function isProseKeyName(text: string, start: number, name: string): boolean {
  if (!PROSE_KEY_NAME.test(name)) return false;
  return (
    name.toLowerCase() !== "key" || PROSE_KEY_LEAD.test(text.slice(Math.max(0, start - 12), start))
  );
}

/** Two capitalised words in it (`PBKDF2WithHmacSHA256`, `Auth0-Universal-Login`): a name. */
function hasWordParts(value: string): boolean {
  return (value.match(/[A-Z][a-z]{2,}/g) ?? []).length >= 2;
}
/** A symbol a typed password holds and a word of prose does not. */
const PROSE_PASSWORD_SYMBOL = /[!@#%^&+=?~]/;

/** Words that qualify a bare `key`, `token` or `auth` before it, a space between. */
const SPACED_QUALIFIER =
  /(?:^|[^A-Za-z])(secret|private|api|access|auth|master|signing|encryption|session|app|client|admin|service|license|webhook|personal|bot|refresh)[ \t]$/i;

/** `secret_key` for the `key` of `Secret key`, or undefined (see the generic rule). */
function spacedQualifier(text: string, start: number, name: string): string | undefined {
  if (!/^(?:key|token|auth)$/i.test(name)) return undefined;
  const word = SPACED_QUALIFIER.exec(text.slice(Math.max(0, start - 16), start))?.[1];
  return word === undefined ? undefined : `${word}_${name}`;
}

/**
 * Whether the assignment of a name at `start` whose value ends at `end` is a shell's command
 * line: after `export`, `set`, `env`, `local`, `declare` or `readonly`, or before a command
 * (`PGPASSWORD=… psql -h db`), where the shell expands `$name` in the value.
 */
function isShellLine(text: string, start: number, end: number): boolean {
  // The 200 characters before the name at most: a long line is not searched back to its start.
  const before = text.slice(Math.max(0, start - 200), start);
  const head = before.slice(before.lastIndexOf("\n") + 1);
  return (
    /^[ \t]*(?:[$>#][ \t]{1,2})?(?:export|set|env|local|declare|readonly)[ \t]/.test(head) ||
    /^["']?[ \t]{1,4}[A-Za-z./][\w./-]*(?:[ \t]|$)/m.test(
      text.slice(end, end + 80).split("\n")[0] ?? "",
    )
  );
}

/**
 * A CJK letter (Han, kana, Hangul), a CJK mark (`。`, `「`) or a full-width one (`，`, `（`,
 * `：`): ranges of code units, which a long value is searched for quickly.
 */
const CJK_TEXT = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff01-\uff20\uff3b-\uff40\uff5b-\uff65]/;

/** A verb that changed a credential, before its name on the line (`I changed the root password`). */
const CHANGED_TO =
  /\b(?:chang(?:e|ed|ing)|set(?:ting)?|reset(?:ting)?|updat(?:e|ed|ing)|rotat(?:e|ed|ing))\b[^.\n]{0,40}$/i;

/** A method named after the credential it takes (`.password(…)`, `.apiKey(…)`, `ssh.Password(…)`). */
const CREDENTIAL_METHOD =
  /^(?:password|passwd|passphrase|secret|token|api_?key|secret_?key|client_?secret|access_?token|auth_?token|private_?key)$/i;

/** A call that declares a schema's field, its first argument a type's name or a column's. */
const SCHEMA_FIELD_CALL =
  /(?:^|\.)(?:[A-Za-z]*Field|Column|relationship|ForeignKey|[A-Za-z]*Property|Descriptor)\($/;

/**
 * Python, where an unquoted value of words on a line of code is a name, a keyword or an
 * expression (`db_password=None):`, `= lambda:`, `params[key] = key_b64_encoded`), not a literal
 * (a drawn one is, in a string's template of a config: `client_secret = k8Hq…`).
 */
const PYTHON_FILE = /\.py[iw]?$/i;
const PYTHON_NAME_VALUE = /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*(?:\){1,3}:?|\]|,|:)?$/;

/**
 * A sentence's first words in a docstring or a comment (`password: Optional. The password for
 * …`, `private_key_password: String. Password for PKCS#12.`, `credentials:
 * oauth2client.client.OAuth2Credentials.`, `_password: DEPRECATED: For …`): a word or a dotted
 * name closed by a stop or a colon, prose going on after it; or a reStructuredText role
 * (`` :class:`Credentials` ``).
 */
function isSentenceStart(value: string, after: string): boolean {
  if (/^:[a-z]+:`/.test(value)) return true;
  if (
    /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\.$/.test(value) &&
    value
      .slice(0, -1)
      .split(".")
      .every((part) => isIdentifierWords(part))
  ) {
    return true;
  }
  return /^[A-Za-z][a-z]*[.:]$|^[A-Z]{2,}:$/.test(value) && /^[ \t]{1,2}\p{L}/u.test(after);
}

/** An ARN up to a resource part (`arn:aws:secretsmanager:us-east-1:123:`). */
const ARN_BEFORE = /\barn:[^\s"'`]{0,190}:$/i;

/**
 * The most names with an operator after them (the assignment pattern's matches) the generic rule
 * judges in one text. Each costs microseconds of checks (the name's words, the line's syntax,
 * the value's: up to 40 µs for a quoted value), so a MiB of them (`pw = pw = …`, `key = "v1"`
 * lines, written to slow the hook) would take seconds. Real files hold far fewer: at most 2,802
 * in 98,696 files of libraries, system configuration and SDKs (an API description of a key
 * service), so a file past the cap is generated data, and the rest of it is left unjudged.
 */
const ASSIGNMENTS_JUDGED_PER_TEXT = 5_000;

/** A value assigned to a credential-like name, in any of the common syntaxes. */
const genericAssignment: ScanRule = {
  id: "generic-secret",
  description: "Value assigned to a password, secret, token or key name",
  keywords: [
    "key",
    "secret",
    "token",
    "pass",
    "pasw",
    "pwd",
    "cred",
    "auth",
    "access",
    "refresh",
    "api",
    "mnemonic",
    "pw",
    "pat",
  ],
  rareKeywords: TRANSLATED_KEYWORDS,
  severity: "error",
  confidence: "low",
  suggestedName: "SECRET",
  checksPlaceholders: true,
  scan(text, context) {
    const found: RuleMatch[] = [];
    const file = context?.file ?? "";
    const settingsFile = SETTINGS_FILE.test(file);
    const kotlinFile = KOTLIN_FILE.test(file);
    const phpFile = /\.php\d?$/i.test(file);
    const scriptFile = SCRIPT_FILE.test(file);
    const pythonFile = PYTHON_FILE.test(file);
    // Where a `$` inside a password is a character (see typedDollar below): settings files but
    // Dockerfiles, and documents.
    const dollarIsTyped = (settingsFile && !DOCKERFILE.test(file)) || DOCUMENT_FILE.test(file);
    const dotenvFile = DOTENV_FILE.test(file);
    // The module's own pattern, its position reset (scans do not nest): a copy per text would
    // be compiled again whenever V8's cache of patterns has dropped it.
    const assignment = mayHoldTranslatedWord(text, context) ? ASSIGNMENT : ENGLISH_ASSIGNMENT;
    assignment.lastIndex = 0;
    const next = nextFinder(text);
    const valueEnd = valueEndFinder(text);
    let judged = 0;
    for (
      let m = assignment.exec(text);
      m && judged++ < ASSIGNMENTS_JUDGED_PER_TEXT;
      m = assignment.exec(text)
    ) {
      const groups = m.groups ?? {};
      // A full-width colon or equals sign (`密码：…`, `密码＝…`) is read as its ASCII one.
      // `Token Value: …` is `Token: …` (not `name="token" value="…"`, an element's attributes).
      if (/^[ \t]{1,2}value/i.test(groups.op ?? "") && groups.close) continue;
      // `Key Value: HKLM\SOFTWARE\…`: a registry key's path.
      if (/^[ \t]{1,2}value/i.test(groups.op ?? "")) {
        const at = m.index + m[0].length;
        const newline = text.indexOf("\n", at);
        const end = Math.min(at + 300, newline < 0 ? text.length : newline);
        if (text.slice(at, end).includes("\\")) continue;
      }
      const op = (groups.op ?? "")
        .replace("\uff1a", ":")
        .replace("\uff1d", "=")
        .replace(/^[ \t]{1,2}value/i, "");
      // Forms that prose and code also take: only a clearly random value (not a code name).
      let strongOnly = op.trim() === "\u2192";
      // `Pass::getAnalysis()`, `AsmToken::Identifier`: a C++, Rust or PHP path, not a name and
      // its value.
      if (op.endsWith(":") && text[m.index + m[0].length] === ":") continue;
      // `to`: Kotlin's pair of a quoted name and a quoted value (`"password" to "…"` in a
      // `mapOf`), in Kotlin; or a sentence that changed it (`I changed the password to …`),
      // read as prose below. Not `convert the token to hex` or `Rename "password" to "…"`.
      const proseTo =
        op.trim() === "to" &&
        CHANGED_TO.test(text.slice(Math.max(0, m.index - 60), nameStart(text, m.index)));
      if (op.trim() === "to" && !proseTo && !(groups.close && groups.open && kotlinFile)) {
        continue;
      }
      const start = nameStart(text, m.index);
      // `${DB_PASSWORD:-default}`: a shell's default for a variable; the value starts after the
      // `-` (or `=`, `?`, `+`) of the operator.
      const inShellExpansion = op.trim() === ":" && text.slice(start - 2, start) === "${";
      // `${OPENAI_API_KEY:?Missing OPENAI_API_KEY}`: the message the shell prints when the
      // variable is unset, not a value.
      if (inShellExpansion && text[m.index + m[0].length] === "?") continue;
      const shellDefault = inShellExpansion && /^[-=+]/.test(text.slice(m.index + m[0].length));
      // `arn:aws:secretsmanager:…:secret:NAME`: an ARN's resource type and name, not a pair.
      let restEnd = m.index + m[0].length;
      for (const group of AFTER_NAME) restEnd -= (groups[group] ?? "").length;
      const rawName = text.slice(start, restEnd);
      const nameText = inEnglish(rawName);
      // A name in another language than English: not one of its words for a hash, an
      // algorithm, a field, a hint, a strength or a form's action (`hash_senha`,
      // `ALGORITMO_SENHA`, `senha_fraca`, `passwort_hinweis`).
      const translatedName = nameText !== rawName;
      if (translatedName && NOT_TRANSLATED_CREDENTIAL.test(rawName)) continue;
      // `ist`, `es`, `é`: a sentence's verb only after a name in its own language.
      if (!translatedName && TRANSLATED_IS_OP.test(op.trim())) continue;
      if (
        text[start - 1] === ":" &&
        /^secret$/i.test(nameText) &&
        ARN_BEFORE.test(text.slice(Math.max(0, start - 200), start))
      ) {
        continue;
      }
      // `ls:cd:pwd:exit:date`: an item of a colon-separated list (`HISTIGNORE`, a path list)
      // that goes on after the next item, not a label and its value.
      if (
        op === ":" &&
        text[start - 1] === ":" &&
        /^[^\s:"']{0,60}:/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 62))
      ) {
        continue;
      }
      // The name's words before the credential word (`new_` of `new_password`).
      const namePrefix = text.slice(start, m.index);
      // `Secret key: …`, `API token - …`: a label of two words names what its first word
      // qualifies (a name cannot hold the space); the value is judged as that name's.
      const judgedName = spacedQualifier(text, start, nameText) ?? nameText;
      // `pat` (a personal access token) only as a word of its own: `wiki_PAT`, `githubPat`,
      // not `compat` or `spat`.
      if (/^pat/i.test(m[0]) && !isWordStart(text, m.index)) continue;
      // `API: …` (a note's label of a service's key), `CLIPDROP_API=…`: only a clearly random
      // value, as the name also names an endpoint or a version.
      const isApiName = /(?:^|_)api$/i.test(nameText);
      if (isApiName) strongOnly = true;
      // `pw` not inside a drawn value (`a8Pw2k`, `LpW4kN`): not after a digit or before one,
      // and after a capital only as capitals (`DBPW`); `rootpw`, `adminPw`, `DB_PW` are names.
      if (/^pw/i.test(m[0]) && isDrawnPw(text, m.index)) continue;
      // `| Password | value |`, `| OpenAI API key | value |`: a pipe only between the first two
      // cells of a Markdown table row.
      if (
        op.trim() === "|" &&
        !TABLE_LABEL_BEFORE_NAME.test(text.slice(Math.max(0, start - 56), start))
      ) {
        continue;
      }
      // `| OpenAI API key | … |`: a label of words, as a header or a setting's name would be.
      if (
        op.trim() === "|" &&
        !/\|[ \t]{0,4}(?:\*{1,2}|_{1,2})?$/.test(text.slice(Math.max(0, start - 8), start))
      ) {
        strongOnly = true;
      }
      let isDirective = false;
      // `#define WIFI_PASS "…"`: the macro's value, given as `=` gives one.
      let definesValue = false;
      let isNetrc = false;
      let isProsePassword = false;
      // A bare space as operator only for command-line flags and .netrc-style lines.
      if (op.trim() === "") {
        const before = text.slice(Math.max(0, start - 2), start);
        const lineStart = start === 0 || text[start - 1] === "\n";
        // At a line's start only `password VALUE` (.netrc), not prose ("Pass `--force` …").
        isNetrc = lineStart && /^passw(?:or)?d$/.test(nameText);
        // A wide gap of spaces only in a .netrc-style line (`password       …`, aligned):
        // elsewhere it is a column of a table or of C macros (`#define SN_…_Key_…      "…"`).
        if (op.length > 4 && !isNetrc) continue;
        const isFlag = (before.endsWith("-") || nameText.startsWith("-")) && !groups.close;
        // `Pass --token or --password instead.`: a flag named in a sentence, the word after it
        // the sentence's own, ending it or a clause.
        if (
          isFlag &&
          !groups.open &&
          /^[a-z]{2,12}[.,;:!?](?:[\s"'`)]|$)/.test(
            text.slice(m.index + m[0].length, m.index + m[0].length + 16),
          )
        )
          continue;
        // `#define API_KEY "…"` (C), `set -x API_KEY …` (fish), `setenv API_KEY …` (csh),
        // `setx API_KEY "…"` (Windows), `ENV API_KEY …` (Dockerfile), `SetEnv DB_PASSWORD …`
        // (Apache), `fastcgi_param DB_PASSWORD …;` (nginx).
        const isDefine =
          /(?:^|\n)[ \t]{0,8}(?:#[ \t]{0,4}define|set[ \t]{1,4}-[gxUu]{1,3}|setenv|setx|ENV|SetEnv|fastcgi_param)[ \t]{1,4}$/.test(
            text.slice(Math.max(0, start - 24), start),
          );
        definesValue = isDefine && Boolean(groups.open);
        // `set(API_KEY "…")`, `set(ENV{API_KEY} "…")` (CMake).
        const isCmakeSet = /(?:^|\n)[ \t]{0,8}set\([ \t]{0,4}(?:ENV\{)?$/i.test(
          text.slice(Math.max(0, start - 20), start),
        );
        // An unquoted C macro's value is a number, a name or an expression: only a clearly random
        // one without an underscore (`NID_X9_62_id_ecPublicKey` is a name) is taken, a key
        // pasted without its quotes.
        if (
          isDefine &&
          !groups.open &&
          /#[ \t]{0,4}define[ \t]{1,4}$/.test(text.slice(Math.max(0, start - 24), start))
        ) {
          if (
            /^[ \t]{0,8}[A-Za-z0-9]*_/.test(
              text.slice(m.index + m[0].length, m.index + m[0].length + 80),
            )
          )
            continue;
          strongOnly = true;
        }
        if (isCmakeSet && !groups.open) strongOnly = true;
        // `@api_key "…"` (Elixir), `(def api-key "…")`, `{:api-key "…"}` (Clojure, EDN).
        const isLispOrAttribute =
          Boolean(groups.open) &&
          (/[@:]$/.test(text.slice(start - 1, start)) ||
            /\(def(?:once)?[ \t]{1,4}$/.test(text.slice(Math.max(0, start - 12), start)));
        // `password 'x'` alone on its line, indented or not: a call without parentheses in a
        // Groovy or Ruby DSL (Gradle `credentials { password '…' }`, Chef resources).
        const isDslCall =
          (groups.open === '"' || groups.open === "'") &&
          /^[a-z][A-Za-z0-9_]*$/.test(nameText) &&
          !/^pass(?:es|ed)?$/.test(nameText) &&
          /(?:^|\n)[ \t]{0,40}$/.test(text.slice(Math.max(0, start - 41), start)) &&
          DSL_CALL_END[groups.open]?.test(
            text.slice(m.index + m[0].length, m.index + m[0].length + 500),
          ) === true;
        // `password VALUE` (msmtp, indented), `rootpw VALUE` (slapd.conf), `bindpw VALUE`
        // (nslcd.conf, pam_ldap): a configuration directive, alone on its line.
        isDirective =
          !groups.open &&
          DIRECTIVE_NAME.test(nameText) &&
          /(?:^|\n)[ \t]{0,40}$/.test(text.slice(Math.max(0, start - 41), start)) &&
          DIRECTIVE_END.test(text.slice(m.index + m[0].length, m.index + m[0].length + 420));
        // `ApiKey VALUE`: a directive name that is also a class's or a header's word.
        if (isDirective && API_DIRECTIVE_NAME.test(nameText)) strongOnly = true;
        isProsePassword =
          PROSE_PASSWORD_NAME.test(nameText) &&
          PROSE_PASSWORD_LEAD.test(text.slice(Math.max(0, start - 24), start));
        // `API key q8Z…` in a note: only a clearly random value.
        const isProseKey = !groups.close && isProseKeyName(text, start, nameText);
        if (isProseKey) strongOnly = true;
        if (
          !isProseKey &&
          !isFlag &&
          !isNetrc &&
          !isDefine &&
          !isCmakeSet &&
          !isLispOrAttribute &&
          !isDslCall &&
          !isDirective &&
          !isProsePassword
        ) {
          continue;
        }
      }
      // `("password", "value")`: a comma only between call or list arguments, and not in a
      // list of names in Markdown code spans (`_TOKEN`, `_SECRET`).
      if (
        op.trim() === "," &&
        (!groups.close ||
          groups.close === "`" ||
          !/[([{,][ \t]{0,2}["']$/.test(text.slice(Math.max(0, start - 4), start))) &&
        !isErlangTuple(text, start, groups.close, groups.open)
      ) {
        continue;
      }
      // A literal only: `Type.Optional(…)` and other calls without a string are code.
      if (groups.call && !groups.open) continue;
      // `jedis.auth("…")`, `client.auth("…")`: a Redis client's AUTH takes the password.
      const method = nameText.replace(/^.*\./, "");
      const isAuthCall =
        op.trim() === "(" && method === "auth" && nameText !== method && Boolean(groups.open);
      // `.password("…")` of a builder, Go's `ssh.Password("…")`: a method named after the
      // credential, called on an object with the literal alone; only a clearly random one
      // (`form.password("confirmPassword2")` names a field). Not a class constructed
      // (`new coreutils.Token('@jupyterlab/…')`).
      // Perl's and PHP's `->` calls a method as `.` does (Mojolicious' `app->secret('…')`).
      const isCredentialMethod =
        op.trim() === "(" &&
        (nameText !== method || text.slice(start - 2, start) === "->") &&
        CREDENTIAL_METHOD.test(method) &&
        Boolean(groups.open) &&
        !/\bnew[ \t]{1,4}$/.test(text.slice(Math.max(0, start - 8), start));
      if (isCredentialMethod) strongOnly = true;
      // `password.equals("…")`: a comparison with a literal, as `==` is.
      const isEqualsCall =
        op.trim() === "(" &&
        /^equals(?:IgnoreCase)?$/.test(method) &&
        nameText !== method &&
        Boolean(groups.open);
      // `std::string secret("…")`: C++ initialising a string it declares.
      const isStringInit =
        op.trim() === "(" &&
        Boolean(groups.open) &&
        CPP_STRING_DECLARATION.test(text.slice(Math.max(0, start - 40), start));
      if (
        op.trim() === "(" &&
        !/^(?:set|with|put)/i.test(method) &&
        !isAuthCall &&
        !isCredentialMethod &&
        !isEqualsCall &&
        !isStringInit
      ) {
        continue;
      }
      // `os.getenv("X")`, `config.get("x")`: the value is looked up elsewhere;
      // `password.encode("latin1")`: a method of the variable itself, with another argument.
      // (`Encoding.UTF8.GetBytes("…")` reads the literal's bytes, nothing elsewhere.)
      if (groups.call && READS_ELSEWHERE.test(groups.call.replace(/\.GetBytes\($/, ""))) {
        pushFallback(found, text, m.index + m[0].length, nameText);
        continue;
      }
      if (groups.call?.startsWith(`${text.slice(start, restEnd)}.`)) continue;
      // A symbol's description (`Symbol("ElSelectV2Injection")`) names it; nothing is kept in it.
      if (groups.call && /^Symbol(?:\.for)?\($/.test(groups.call.trim())) continue;
      // `"Password: " + x`: the operator is inside a string literal, not an assignment.
      // A Markdown code span (`` `API_KEY=…` ``) is not a string literal.
      const opener = text[start - 1] ?? "";
      // Inside a string, `NAME=value` is still an assignment when the value is clearly random
      // (`echo "API_KEY=…" >> .env`, Windows batch `set "API_KEY=…"`).
      // A value in escaped quotes (`"api_key = \\"…\\"\\n"`) is code held in a JSON string (a
      // notebook cell), an assignment of its own.
      const insideString =
        groups.open !== '\\"' &&
        !groups.close &&
        (/["']/.test(opener) || (opener === "`" && op.trim() !== "="));
      // Code held in a string (a notebook cell's `"API_KEY = '…'\n"`): an assignment with the
      // other quote, taken only for a clearly random value (below).
      const otherQuote =
        groups.open !== undefined &&
        /^["']$/.test(opener) &&
        groups.open === (opener === '"' ? "'" : '"');
      if (insideString && (op !== "=" || groups.open) && !(op.trim() === "=" && otherQuote))
        continue;
      // A whole assignment quoted for the shell or unit file that reads it: Windows batch
      // `set "DB_PASSWORD=…"`, systemd `Environment="DB_PASSWORD=…"`, `docker run -e "…=…"`.
      const quotedAssignment =
        insideString && QUOTED_ASSIGNMENT_BEFORE.test(text.slice(Math.max(0, start - 16), start));
      if (
        (NOT_CREDENTIAL_NAME.test(nameText) && !SECRET_ID_NAME.test(nameText)) ||
        // `bypass`, `highpass`, `compass`: a word that ends in `pass`, not a password.
        NOT_PASS_WORD.test(nameText) ||
        // Redis' `requirepass` (`--requirepass …` too) names its password despite the verb.
        (hasNotCredentialWords(namePrefix) && !isNextAuthName(namePrefix, nameText)) ||
        PUBLIC_KEY_NAME.test(splitCamel(nameText)) ||
        (PUBLIC_HALF_NAME.test(nameText) &&
          PUBLIC_WORD_BEFORE.test(text.slice(Math.max(0, start - 16), start)))
      ) {
        assignment.lastIndex = m.index + m[0].length;
        continue;
      }
      // A verb or a form word before the credential word (`new_password`, `readToken`): a
      // field or a function as a rule, so only a clearly random value (`"my_new_password":
      // "F322a45x…"`). Redis' `requirepass` names its password despite the verb.
      if (hasVerbPrefix(namePrefix) && !/requirepass$/i.test(nameText)) {
        strongOnly = true;
      }
      if (WORKING_FOLDER_NAME.test(nameText)) strongOnly = true;
      // A TOML or Python triple-quoted string: the value starts after the third quote.
      let valueAt = m.index + m[0].length + (shellDefault ? 1 : 0);
      // A shell's default (`${DB_PASSWORD:-Kb(0xMM…}`) ends at the first `}`: a drawn one is taken
      // whole, whatever brackets or marks it holds (the shell reads none of them there).
      if (shellDefault) {
        const close = text.slice(valueAt, valueAt + 201).indexOf("}");
        const drawn = close > 0 ? text.slice(valueAt, valueAt + close) : "";
        if (
          !/[\r\n`]|\$[{(\w]/.test(drawn) &&
          !hasPlaceholderWord(drawn) &&
          (isStrongRandom(drawn) || isPlausibleSecret(drawn, nameText, true))
        ) {
          found.push({ start: valueAt, end: valueAt + close });
          assignment.lastIndex = Math.max(assignment.lastIndex, valueAt + close);
          continue;
        }
      }
      let tripleQuoted = false;
      if (
        groups.open &&
        groups.open.length === 1 &&
        text.startsWith(groups.open.repeat(2), valueAt)
      ) {
        valueAt += 2;
        tripleQuoted = true;
      }
      // A YAML core tag or an anchor before the value (`password: !!str 0123`, `password: &pw …`).
      let open = groups.open;
      const yamlPrefix =
        !open && op.trim() === ":"
          ? /^(?:!!str|!!binary|&[A-Za-z0-9_-]{1,40})[ \t]{1,4}(["']?)/.exec(
              text.slice(valueAt, valueAt + 50),
            )
          : null;
      if (yamlPrefix) {
        valueAt += yamlPrefix[0].length;
        open = yamlPrefix[1] || undefined;
      }
      // A comparison with a literal (`if password == "…"`): the literal is the credential.
      if (/^[=!]=/.test(op.trim()) && !open) continue;
      // The line between triple quotes: only a clearly random one (`@token_doc """` holds
      // documentation).
      const tripleLine =
        tripleQuoted && open ? lineBetweenTripleQuotes(text, valueAt, open) : undefined;
      if (tripleLine) strongOnly = true;
      // Spring Security's `{noop}` marks the password after it as stored in plain text: a
      // password whatever it looks like (`.password("{noop}admin123")`).
      if (!tripleLine && text.startsWith("{noop}", valueAt)) {
        valueAt += 6;
        strongOnly = false;
      }
      // A list of keys in brackets (`"apiKeys": ["…", "…"]`): each item judged as the name's,
      // but not words, names in camel case or patterns, which a list under such a name holds as
      // often (`password_properties = ["AccountPassword", …]`, `["kms:Describe*"]`).
      if (!open && /^[:=]$/.test(op.trim()) && text[valueAt] === "[") {
        const items = bracketListItems(text, valueAt);
        for (const [itemFrom, itemTo] of items) {
          const item = text.slice(itemFrom, itemTo);
          // Names in code: dotted paths (`hooks.gmail.pushToken`, `authProfiles.`) and storage
          // keys of camel-case words and a version (`copilotBrowserInstanceV1`).
          if (
            /^[a-z][a-zA-Z]{0,24}(?:\.[a-z][a-zA-Z0-9[\]]{0,24})*\.$|^[a-z][a-zA-Z]{0,24}(?:\.[a-z][a-zA-Z0-9[\]]{0,24})+$/.test(
              item,
            ) ||
            /^[a-z]+(?:[A-Z][a-z]+){2,}V\d{1,3}$/.test(item)
          ) {
            continue;
          }
          const named = /^[A-Za-z]+$/.test(item) || isCamelWords(item) || /[\s:*]/.test(item);
          if ((isStrongRandom(item) || !named) && isPlausibleSecret(item, nameText, true)) {
            found.push({ start: itemFrom, end: itemTo });
          }
        }
        if (items.length > 0) {
          assignment.lastIndex = Math.max(assignment.lastIndex, items.at(-1)?.[1] ?? valueAt);
          continue;
        }
      }
      let [from, to] =
        tripleLine ?? readValue(text, valueAt, open, next, valueEnd, isApiName ? 201 : 500);
      // An app password shown in groups (WordPress' `DZkH g48h LaB6 6F0J 1mDF uiIG`, Gmail's
      // four groups of four small letters): the blanks are the display's, the groups one value.
      if (!open && !tripleLine) {
        const grouped = GROUPED_APP_PASSWORD.exec(text.slice(from, from + 32));
        if (grouped) to = from + grouped[0].length;
      }
      // A YAML sequence of values under the name (`passwords:` then `- …` lines).
      if (!open && op.trim() === ":" && to === from && !yamlPrefix) {
        const items = yamlListItems(text, start, to);
        for (const [itemFrom, itemTo] of items) {
          if (isPlausibleSecret(text.slice(itemFrom, itemTo), nameText, true)) {
            found.push({ start: itemFrom, end: itemTo });
          }
        }
        if (items.length > 0) {
          assignment.lastIndex = Math.max(assignment.lastIndex, items.at(-1)?.[1] ?? to);
          continue;
        }
      }
      // A YAML block scalar (`password: |` then the value, indented, on the next line).
      const indicator =
        !open && op.trim() === ":" ? /^[|>][+-]?/.exec(text.slice(valueAt, valueAt + 2)) : null;
      const isBlock = indicator !== null;
      if (indicator) {
        const block = yamlBlockLine(text, start, valueAt + indicator[0].length);
        if (!block) continue;
        [from, to] = block;
      }
      // A setting alone on its line (`.env`, `.properties`, INI, YAML): an unquoted value runs
      // to the line's end (a trailing ` # comment` left out), through `;`, `,`, quotes or
      // brackets, unless it ends as code does (`;`, `,`, an opening bracket) or holds a blank.
      const settingLine = !open && !isBlock && !yamlPrefix && isSettingLine(text, start, op);
      if (settingLine && to > from) [from, to] = settingValue(text, from, to, settingsFile);
      // `The password is …`: a sentence's word or its closing stop is not part of a value.
      // Only a password's or a secret's name: `the key is …` in prose is as often a map's or a
      // keyboard's key.
      const inProse = PROSE_VERB_OP.test(op.trim()) || proseTo || isProsePassword;
      // `the API key is q8Z…`: a key's or a token's name takes only a clearly random value.
      if (inProse && isProseKeyName(text, start, nameText)) strongOnly = true;
      else if (inProse && !/(?:pass(?:word|wd|phrase|code)?|pwd|pw|secret)$/i.test(nameText)) {
        continue;
      }
      if (inProse && !open) {
        const told = text.slice(from, to);
        while (to > from && /[.,;:!?]/.test(text[to - 1] ?? "")) to--;
        const word = text.slice(from, to);
        // A word, or one with a roff escape (`locked\&` in a man page), is no password; nor a
        // version (`Das Passwort ist v1.2.3`).
        if (/^[A-Za-z]+$/.test(word) || word.includes("\\") || /^v?\d+(?:\.\d+){1,3}$/.test(word)) {
          continue;
        }
        // Right after the name, without `is`: only what reads as a typed password, a symbol in
        // it (`hunter2bravo!`), or a random value; not markup (`**must**`), an escape
        // (`incorrect\n`, roff's `\&`) or a term with digits (`OAuth2`, `AES256`).
        if (
          isProsePassword &&
          !(PROSE_PASSWORD_SYMBOL.test(told) && !told.includes("\\")) &&
          !((isStrongRandom(word) || isDrawnPassword(word)) && !hasWordParts(word))
        ) {
          continue;
        }
      }
      // `**value**`: Markdown bold around an unquoted value is not part of it. (`__NAME__` of
      // a name's characters only is a replace token: skipped whole, below.)
      let bold = 0;
      if (!open && to - from > 4 && /^(?:\*\*|__)$/.test(text.slice(from, from + 2))) {
        if (
          text.slice(to - 2, to) === text.slice(from, from + 2) &&
          !isPlaceholder(text.slice(from, to))
        ) {
          bold = 2;
          from += 2;
          to -= 2;
        }
      }
      // A CJK sentence goes on after an unquoted value with no space (`密码：…，请妥善保管`,
      // `…（生产）`, `…。`): the value ends at its first CJK letter or full-width mark; a policy
      // (`密码：6-18位`) keeps too little to be one.
      if (!open) {
        const cut = text.slice(from, Math.min(to, from + 1000)).search(CJK_TEXT);
        if (cut === 0) continue;
        if (cut > 0) to = from + cut;
      } else if (CJK_TEXT.test(text.slice(from, Math.min(to, from + 1000)))) {
        continue;
      }
      const value = text.slice(from, to);
      // An unquoted value cut at the blank inside a template (`key: cache-v1-{{ checksum "…" }}`).
      if (!open && /\{\{|\{%/.test(value)) continue;
      // Words under a name in another language are an interface's text (`"senha_fraca": "Muito
      // fraca"`), not a passphrase.
      if (translatedName && /\s/.test(value)) continue;
      // `"refresh": "…"` (an OAuth profile's refresh token): only that name, quoted, and a drawn
      // value; not `needsFullRefresh = !0` or a refresh interval.
      if (
        /refresh$/i.test(nameText) &&
        (nameText.toLowerCase() !== "refresh" ||
          !open ||
          !isStrongRandom(value) ||
          /[:\s]|^sha(?:256|384|512)-|refresh/i.test(value))
      ) {
        continue;
      }
      // Built by concatenation (`"a:" + b`) or formatting (`"VS%s" % v`), or interpolated by a
      // shell (`super$ecret`); a `$` inside a YAML value alone on its line is literal (`${…}`
      // and `$(…)` are references).
      const after = text.slice(to + bold + (open ? open.length : 0), to + bold + 8);
      // So is one of a properties line, which no shell reads: a dotted name (`db.password=…`).
      const literalDollar =
        settingLine &&
        (op.trim() === ":" || nameText.includes(".")) &&
        !/\$[{(]/.test(value) &&
        /^[ \t]*(?:#[^\n]*)?(?:\r?\n|$)/.test(text.slice(to, to + 200));
      // So is a `$` a person typed into a password beside digits or symbols (`Mongo$ecret99!`,
      // `Pa$$word1`) in a settings file (not a Dockerfile) or a document, off a shell's line
      // (`export X=…`, `PGPASSWORD=… psql`): inside the value, before a small letter or a
      // symbol. In code and scripts `secret$i` and `super$ecret` are built from a variable;
      // elsewhere a variable is named in capitals (`$HOME`, `$DB_PASS`), a parameter is a digit
      // (a shell's; a dotenv file names no variable by one: `VnBook$2025!Qx9` there is typed),
      // and a value that starts with `$` is one.
      const typedDollar =
        value.includes("$") &&
        dollarIsTyped &&
        !value.startsWith("$") &&
        !(dotenvFile ? /\$(?![a-z0-9$!@#%^&*+=?~.-])/ : /\$(?![a-z$!@#%^&*+=?~.-])/).test(value) &&
        /[0-9!@#%^&*+=?~]/.test(value.replaceAll("$", "")) &&
        !isShellLine(text, start, to);
      // A field of a schema declared with its type's name (`password =
      // messages.MessageField('NotifierSecretRef', 2)`, `EnumField`); a default given to such a
      // field is a value (`Field("…", env="SECRET_KEY")`).
      if (
        groups.call &&
        SCHEMA_FIELD_CALL.test(groups.call.trim()) &&
        /^[A-Z][A-Za-z0-9]*$/.test(value) &&
        (isCamelWords(value.replace(/\d+/g, "")) || isIdentifierWords(value))
      ) {
        continue;
      }
      if (!open && !isBlock && isSentenceStart(value, after)) continue;
      // An object's next key (`censor:` after `keys: ["password"],`): a name, not a value (a
      // setting's `DB_PASSWORD=Mozart:` ends in a colon); a command line's next option
      // (`--password-stdin --browser`).
      if (
        !open &&
        !isBlock &&
        ((op.trim() !== "=" && /^[a-z_$][\w$]*:$/.test(value)) || /^--[a-z][\w-]*$/.test(value))
      ) {
        continue;
      }
      if (
        pythonFile &&
        !open &&
        !isBlock &&
        op.trim() === "=" &&
        PYTHON_NAME_VALUE.test(value) &&
        // Words (`key_b64_encoded`, `None`), not a drawn value in a string's template.
        value
          .replace(/[)\]:,]+$/, "")
          .split(".")
          .every((part) => isIdentifierWords(part)) &&
        !/#/.test(text.slice(text.lastIndexOf("\n", start) + 1, start))
      ) {
        continue;
      }
      // `var txtFieldPassword: UITextField! = nil` (Swift, Kotlin, TypeScript): a type annotated,
      // the value after the `=`.
      if (
        op.trim() === ":" &&
        !open &&
        /^[A-Z]\w*[!?]?$/.test(value) &&
        /^[ \t]{0,3}=[^=]/.test(after)
      ) {
        continue;
      }
      if (
        /^[ \t]{0,3}(?:\+|\.[ \t]|\|\||%[ \t]{0,2}[A-Za-z_(])/.test(after) ||
        (!open && !isBlock && value.includes("$") && !literalDollar && !typedDollar)
      ) {
        continue;
      }
      // Two items of a list of names (`{'PKPass', 'PKPassLibrary', …}`) or the first two of
      // three arguments, not a name and its value, unless the value is clearly random; a
      // command line's `"--password", "…",` is one.
      if (
        op.trim() === "," &&
        /^[ \t]{0,2},/.test(after) &&
        /[[{(,][ \t]{0,2}["']$/.test(text.slice(Math.max(0, start - 4), start)) &&
        !nameText.startsWith("-") &&
        !isStrongRandom(value)
      ) {
        continue;
      }
      if (insideString && !quotedAssignment && !isStrongRandom(value)) continue;
      // A table row's value fills its cell (`| Password | … |`), not a cell of words.
      if (op.trim() === "|" && !/^[ \t]{0,4}\|/.test(after)) continue;
      if ((isAuthCall || isEqualsCall) && !/^[ \t]{0,2}[),]/.test(after)) continue;
      if (isCredentialMethod && !/^[ \t]{0,2}\)/.test(after)) continue;
      // A directive's value is not a word ending a sentence (`password combination.` wrapped
      // in a docstring), nor, indented, a bare word.
      if (
        isDirective &&
        (/^[A-Za-z]+[.,;:!?]$/.test(value) || (!isNetrc && /^[A-Za-z]+$/.test(value)))
      ) {
        continue;
      }
      // (A name in another language than English names no parameter with a type after it.)
      if (
        !open &&
        !isBlock &&
        !isDirective &&
        !translatedName &&
        isCodeValue(text, value, to, op, nameText, settingsFile, scriptFile)
      ) {
        pushFallback(found, text, from, nameText);
        continue;
      }
      // A result's `pass` beside its `fail` (`{pass: "Bestanden", fail: "…"}`, a test report's
      // or a translation's states): words, no password.
      if (
        /^pass$/i.test(nameText) &&
        /^\p{L}[\p{L} ]{0,40}$/u.test(value) &&
        PASS_FAIL.test(text.slice(Math.max(0, start - 200), Math.min(text.length, to + 200)))
      ) {
        continue;
      }
      const literal =
        Boolean(open) ||
        isBlock ||
        yamlPrefix !== null ||
        quotedAssignment ||
        isEnvLine(text, start, nameText, op, to) ||
        isActionInput(text, start, op, to);
      // A key is no longer than 200 characters (`api=api=…` is not measured as one), and an
      // API's name also names its version or its path
      // (`BETA_API = "client.authentication.k8s.io/v1beta1"`).
      if (isApiName && value.length > 200) {
        assignment.lastIndex = Math.max(assignment.lastIndex, to);
        continue;
      }
      // Nor an id: a commit (40 hex digits), a UUID, a YouTube channel's `UC…`.
      if (
        isApiName &&
        /[/:#]|=(?!=*$)|^[\w-]+(?:\.[\w-]+)+$|^[0-9a-f]{40}$|^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$|^UC[\w-]{22}$/i.test(
          value,
        )
      ) {
        continue;
      }
      if (
        strongOnly &&
        (!isStrongRandom(value) ||
          isCamelWords(value.replace(/\d+$/, "")) ||
          isWordsJoined(value) ||
          /^[ \t]{0,4}(?:\u2192|->)/.test(after))
      ) {
        continue;
      }
      // A shell's default that starts as a comment, a path or a stand-in would
      // (`${DB_PASSWORD:-#*TW5…}`): inside the default it is one of a drawn value's characters.
      const drawnDefault =
        shellDefault &&
        /^[#%&/]/.test(value) &&
        isPlausibleSecret(value.slice(1), judgedName, literal);
      // PHP reads nothing in single quotes: `'$RKmFeyQM7TJv9Az'` is a password that starts with
      // `$`, not a variable.
      // Not a crypt string (`'$argon2id$…'`, `'$P$B…'`, `'$2y$10$…'`): a hash, with more `$`s.
      const cString = C_STRING_BEFORE.test(text.slice(Math.max(0, start - 16), start));
      const phpLiteralDollar =
        phpFile &&
        open === "'" &&
        /^\$[^{($][^$]*$/.test(value) &&
        isPlausibleSecret(value.slice(1), judgedName, true);
      if (
        to > from &&
        (drawnDefault || phpLiteralDollar || isPlausibleSecret(value, judgedName, literal)) &&
        !isFlagsmithClientKey(text, from, value, nameText)
      ) {
        // `password: 'secret!'`: a stand-in named after the credential is a warning.
        found.push(
          isNamedStandIn(value) ? { start: from, end: to, typed: true } : { start: from, end: to },
        );
      } else if (
        to > from &&
        !strongOnly &&
        // A C macro's or string's value (`#define MSG_WRONG_PASSWORD "wrong"`, `char pass[] =
        // "FAIL"`): a message or a result as often, so six characters or more with a digit or a
        // symbol in them.
        (!(definesValue || cString) ||
          (value.length >= 6 && (/\d/.test(value) || PROSE_PASSWORD_SYMBOL.test(value)))) &&
        ((literal && isTypedPhrase(value, nameText)) ||
          isWeakChosenSecret(
            value,
            // `password.equals("@dm1n")`: the name is the variable's, without the method's.
            isEqualsCall ? nameText.slice(0, -method.length - 1) : nameText,
            // `The wifi password is Rex#1987.`: a sentence gives the password as `=` would, a
            // value that is not a word (`qwerty`), a name joined by `-` (`SHA256-hashed`,
            // `Windows-1252`, `WPA2-PSK`) or a term in capitals (`HS512`, `PKCS#5`).
            (inProse && !/^[A-Za-z]+$|-|^[A-Z0-9#]+$/.test(value)) ||
              definesValue ||
              isAssignedValue(text, start, op, nameText, open),
            // A setting's line of a settings file (`MYSQL_ROOT_PASSWORD: root` in a compose
            // file) holds a literal, whatever its quotes.
            literal || (settingLine && settingsFile),
            // A sentence's stop ends the value as a statement's end does.
            inProse
              ? text.slice(to, to + 80).replace(/^[.!?](?=\s|$)/, "")
              : text.slice(to, to + 80),
            settingsFile,
            cString,
          ))
      ) {
        found.push({ start: from, end: to, typed: true });
      }
      assignment.lastIndex = Math.max(assignment.lastIndex, to);
    }
    return found;
  },
};

/**
 * `<password>…</password>` and the other credential tags (Maven settings.xml, app configs), and
 * a credential tag holding a `<Value>` (Windows unattend.xml's `<AdministratorPassword>`,
 * `<Password>` of an auto-logon, plain or base64 of UTF-16, which anyone can decode) or a
 * `value` attribute (`<Password value="…"/>`).
 */
const xmlTagCredential = regexRule({
  id: "xml-tag-credential",
  description:
    "Credential in an XML element (<password>, <secret>, <token>, <apiKey>, <Password><Value>)",
  keywords: ["pass", "pwd", "secret", "token", "key>", "credential"],
  confidence: "low",
  checksPlaceholders: true,
  pattern: re(
    `<(?<tag>(?:[A-Za-z][A-Za-z0-9_.:-]{0,40}?)?(?:passw(?:or)?d|passphrase|pwd|pass|secret|token|api[_.-]?key|private[_.-]?key|access[_.-]?key|account[_.-]?key|secret[_.-]?key|signing[_.-]?key|encryption[_.-]?key|license[_.-]?key|credentials?)[A-Za-z0-9_.-]{0,20})(?:(?:[ \\t]{1,4}(?!value\\b)[A-Za-z_][\\w:.-]{0,30}[ \\t]{0,2}=[ \\t]{0,2}(?:"[^"<>\\n]{0,100}"|'[^'<>\\n]{0,100}')){0,4}[ \\t]{0,4}>(?:[ \\t]{0,40}(?<secret>[^<\\s](?:[^<\\n]{0,1998}[^<\\s])?)[ \\t\\r]{0,40}</\\k<tag>>|[ \\t]{0,40}<!\\[CDATA\\[(?<secretAlt3>[^\\]\\n]{1,400})\\]\\]>[ \\t\\r]{0,40}</\\k<tag>>|(?:[ \\t]{0,40}\\r?\\n)?[ \\t]{0,40}<Value>(?<secretAlt>[^<\\n]{1,400})</Value>)|[ \\t]{1,4}value[ \\t]{0,2}=[ \\t]{0,2}(?<quote>["'])(?<secretAlt2>[^"'<>\\n]{1,400})\\k<quote>)`,
    "i",
  ),
  validate: (secret, match) => {
    const tag = match.groups?.tag ?? "";
    if (NOT_CREDENTIAL_NAME.test(tag) || hasNonCredentialPrefix(tag.replace(XML_TAG_WORD, ""))) {
      return false;
    }
    if (isPlausibleSecret(secret.trim(), tag, true)) return true;
    // A weak password in a password's element (`<password>admin</password>`): a warning.
    return /passw(?:or)?d|passphrase|pwd$/i.test(tag) && isWeakPassword(secret.trim())
      ? "typed"
      : false;
  },
});
const XML_TAG_WORD =
  /(?:passw(?:or)?d|passphrase|pwd|pass|secret|token|api[_.-]?key|private[_.-]?key|access[_.-]?key|account[_.-]?key|secret[_.-]?key|signing[_.-]?key|encryption[_.-]?key|license[_.-]?key|credentials?)[A-Za-z0-9_.-]{0,20}$/i;

/**
 * A password field filled in by the page (`<input type="password" value="…">`, attributes in
 * any order): whoever views the page's source reads it.
 */
const htmlPasswordInput = regexRule({
  id: "html-password-input",
  description: 'Password written into an HTML password field (<input type="password" value="…">)',
  keywords: ["<input"],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `<input\\b(?=[^<>]{0,400}?[\\s"']type[ \\t]{0,2}=[ \\t]{0,2}["']?password\\b)[^<>]{0,400}?[\\s"']value[ \\t]{0,2}=[ \\t]{0,2}(?<quote>["'])(?<secret>[^"'<>\\n]{1,200})\\k<quote>`,
    "i",
  ),
  validate: (secret) => isPlausibleSecret(secret, "password", true),
});

/**
 * PowerShell's `ConvertTo-SecureString "…" -AsPlainText`: the password is the plain string
 * handed to it (`-String` named or not, before or after `-AsPlainText -Force`).
 */
const powershellPlainTextPassword = regexRule({
  id: "powershell-plaintext-password",
  description: "Password given in plain text to PowerShell's ConvertTo-SecureString -AsPlainText",
  keywords: ["convertto-securestring"],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `ConvertTo-SecureString[ \\t]{1,4}(?:(?:-String[ \\t]{1,4})?(?<quote>["'])(?<secret>[^"'\\n]{1,200})\\k<quote>(?=[^\\n|;]{0,60}-AsPlainText)|-AsPlainText[ \\t]{1,4}(?:-Force[ \\t]{1,4})?-String[ \\t]{1,4}(?<quoteAlt>["'])(?<secretAlt>[^"'\\n]{1,200})\\k<quoteAlt>)`,
    "i",
  ),
  validate: (secret) => isPlausibleSecret(secret, "password", true),
});

/**
 * Cisco IOS and ASA configuration: `enable password|secret [0|7] …`, `username … password|secret
 * [0|7] …`, `snmp-server community … [view …] RO|RW` (small business switches write `ro`),
 * `pac key`, `tacacs-server`/`radius-server key`.
 * Type 0 is plain text and type 7 a reversible encoding; types 5, 8 and 9 are hashes, left out.
 */
const ciscoConfigCredential = regexRule({
  id: "cisco-config-credential",
  description: "Password, secret or SNMP community in a Cisco device configuration",
  keywords: ["enable ", "username ", "snmp-server ", "key "],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `(?:^|\\n)[ \\t]{0,8}(?:enable[ \\t]{1,2}(?:password|secret)(?:[ \\t]{1,2}level[ \\t]{1,2}\\d{1,2})?|username[ \\t]{1,2}[^\\s]{1,64}(?:[ \\t]{1,2}privilege[ \\t]{1,2}\\d{1,2})?[ \\t]{1,2}(?:password|secret)|pac[ \\t]{1,2}key|(?:tacacs|radius)-server(?:[ \\t]{1,2}host[ \\t]{1,2}[^\\s]{1,64})?[ \\t]{1,2}key)(?:[ \\t]{1,2}[07])?[ \\t]{1,2}(?<secret>[^\\s]{4,100})(?=[ \\t]*(?:\\r?\\n|$))|(?:^|\\n)[ \\t]{0,8}snmp-server[ \\t]{1,2}community[ \\t]{1,2}(?<secretAlt>[^\\s]{4,64})[ \\t]{1,2}(?:view[ \\t]{1,2}[^\\s]{1,64}[ \\t]{1,2})?(?:R[OW]|r[ow])\\b`,
  ),
  validate: (secret) => isPlausibleSecret(secret, "password", false),
});

/**
 * Credential words of a name in a name/value pair (`DB_PASSWORD`, `fs.s3a.secret.key`, a HAR
 * file's cookie `sessionid`, a key's name ending its name: `STRIPE_KEY`).
 */
const PAIR_WORD_BESIDES_KEY =
  "passw(?:or)?d|passphrase|pwd|pass(?![A-Za-z]|[_-]?through)|secret|token|api[_.-]?key|apikey|private[_.-]?key|access[_.-]?key|credentials?|session[_.-]?(?:id|key)|sessionid";
const PAIR_NAME_WORD = `(?:${PAIR_WORD_BESIDES_KEY}|(?<=[A-Za-z0-9][_.-])key(?![A-Za-z]))`;

/** A credential word of a pair's name other than a bare `key`. */
const CREDENTIAL_WORD_BESIDES_KEY = new RegExp(PAIR_WORD_BESIDES_KEY, "i");

/**
 * A pair named only by a `key` word that ends its name (`STRIPE_KEY`; not
 * `SIGNING_KEY_FINGERPRINT`): a clearly random value (not a flag's or a journey's name in camel
 * case, a path, a Redis key, a hex fingerprint or key id, a UUID, a KMS key's `mrk-` id) under a
 * name that is not a public key's (`RECAPTCHA_SITE_KEY`, `VAPID_PUBLIC_KEY`,
 * `STATSIG_CLIENT_KEY`, a captcha's) or another kind of key's (`APT_KEY`, `KMS_KEY`).
 */
function isSecretKeyPair(name: string, value: string, hexIsKey = false): boolean {
  if (!/[_.-]?key$/i.test(name)) return false;
  // An app's string resource (`<string name="strava_key">` and 40 hex digits) holds its API
  // keys, not fingerprints: drawn hex of a key's length is a key there.
  const drawnHexKey =
    hexIsKey &&
    value.length >= 32 &&
    isRandomHex(value) &&
    !/sha|md5|hash|fingerprint|commit|checksum|digest|cert|signature/i.test(name);
  const words = splitCamel(name.replace(/[_.-]?key$/i, ""));
  return (
    !/(?:^|[_.-])(?:client|site|object|flag|feature|journey|experiment|cache|storage|s3|map|lookup|index|sort|partition|primary|foreign|idempotency|license|host|ssh|gpg|pgp|apt|deploy|kms|cmk|redis|captcha|hcaptcha|recaptcha|turnstile)[_.-]?$/i.test(
      words,
    ) &&
    !hasNonCredentialPrefix(words) &&
    !PUBLIC_KEY_NAME.test(splitCamel(name)) &&
    (drawnHexKey ||
      (isStrongRandom(value) &&
        !isCamelWords(value.replace(/\d+/g, "")) &&
        !/[/.:]|^(?:mrk-|0x)|^[0-9a-f-]+$|^[0-9A-F-]+$/.test(value)))
  );
}

/** The name of a pair: up to 40 name characters, a credential word, up to 30 more. */
const PAIR_NAME = `[A-Za-z0-9_.-]{0,40}?${PAIR_NAME_WORD}[A-Za-z0-9_.-]{0,30}`;
/**
 * After a value that comes first, within its own item: a comma (then perhaps a new line) or a
 * new line, never a YAML list's next `- ` (`value: …` closing one `- name:` item is not the
 * value of the next item's name).
 */
const SAME_ITEM_SEPARATOR = `(?:,[ \\t]{0,4}(?:\\r?\\n[ \\t]{0,16})?|\\r?\\n[ \\t]{0,16})`;
/** Between a pair's two members: a comma (then perhaps a new line), or a new line (a YAML item's `- `). */
const PAIR_SEPARATOR = `(?:,[ \\t]{0,4}(?:\\r?\\n[ \\t]{0,16})?|\\r?\\n[ \\t]{0,16}(?:-[ \\t]{1,4})?)`;

/**
 * A name/value pair whose name is a credential: a Kubernetes or ECS environment entry
 * (`- name: DB_PASSWORD` then `value: "…"`, `{"name": "API_TOKEN", "value": "…"}`, pretty-printed
 * over lines, or the value first), a key/value
 * object (`{"key": "db_password", "value": "…"}`, `- key: …` then `value: …`), a
 * CloudFormation parameter (`ParameterKey=DbPassword,ParameterValue=…`, the same in JSON) or an
 * Android string resource (`<string name="api_key">…</string>`, attributes such as
 * `translatable="false"` and the value on lines of its own too); PHP's and Ruby's `=>` too
 * (`['name' => 'password', 'value' => '…']` in a settings table's seeder, Ruby's symbols
 * `:name => 'api_key', :value => '…'`).
 */
const nameValuePair = regexRule({
  id: "name-value-credential",
  description:
    "Credential in a name/value pair (Kubernetes/ECS env entry, key/value object, CloudFormation parameter, Android string)",
  keywords: ["name", "key"],
  confidence: "low",
  checksPlaceholders: true,
  pattern: re(
    `\\b(?<key>name|key|ParameterKey)["']?[ \\t]{0,4}(?:=>|[:=])[ \\t]{0,4}["']?(?<name>${PAIR_NAME})["']?(?:[ \\t]{0,4}${PAIR_SEPARATOR}(?:["']|:)?(?:Parameter)?value["']?[ \\t]{0,4}(?:=>|[:=])[ \\t]{0,4}(?:(?<quote>["'])(?<secret>[^\\s"'<>]{4,1000})\\k<quote>|(?<secretAlt>[^\\s"'<>,]{4,1000})(?![^\\s"'<>,]))|(?:[ \\t]{1,4}[A-Za-z:_]{1,30}=["'][^"'<>\\n]{0,60}["']){0,3}[ \\t]{0,4}>[ \\t\\r\\n]{0,60}(?<secretAlt2>[^\\s"'<>]{4,1000})[ \\t\\r\\n]{0,60}</string>)|\\bvalue["']?[ \\t]{0,4}(?:=>|[:=])[ \\t]{0,4}(?:(?<valueQuote>["'])(?<secretAlt3>[^\\s"'<>]{4,1000})\\k<valueQuote>|(?<secretAlt4>[^\\s"'<>,]{4,1000}))[ \\t]{0,4}${SAME_ITEM_SEPARATOR}(?:["']|:)?(?:name|key)["']?[ \\t]{0,4}(?:=>|[:=])[ \\t]{0,4}["']?(?<nameAfter>${PAIR_NAME})["']?(?![A-Za-z0-9_.-])`,
    "i",
  ),
  validate: (secret, match) => {
    const name = match.groups?.name ?? match.groups?.nameAfter ?? "";
    const androidString = match[0].endsWith("</string>");
    const quoted = Boolean(match.groups?.quote ?? match.groups?.valueQuote) || androidString;
    if (!CREDENTIAL_WORD_BESIDES_KEY.test(name) && !isSecretKeyPair(name, secret, androidString)) {
      return false;
    }
    // A session's id is the session itself, despite the `id`.
    return (
      (!NOT_CREDENTIAL_NAME.test(name) || /session[_.-]?id$/i.test(name)) &&
      !NOT_A_SECRET_TOKEN_NAME.test(name) &&
      isPlausibleSecret(secret, name, quoted)
    );
  },
});

/**
 * A name of a pair in XML: up to 60 characters before the credential word (Hadoop's dotted
 * names); a `key` also glued to the word before it (a property list's `OpenAIKey`, judged by
 * GLUED_KEY_NAME).
 */
const XML_PAIR_NAME = `[A-Za-z0-9_.:-]{0,60}?(?:${PAIR_WORD_BESIDES_KEY}|(?<=[A-Za-z0-9][_.-]?)key(?![A-Za-z]))[A-Za-z0-9_.-]{0,30}`;

/** A `key` glued to the word before it, as a capitalised word (`OpenAIKey`, `WeatherKey`; not `monkey`). */
const GLUED_KEY_NAME = /[A-Za-z0-9]Key(?![a-z])/;
/** A `key` after a separator (`api_key`, `fs.s3a.secret.key`). */
const SEPARATED_KEY_NAME = /[A-Za-z0-9][_.-]key(?![A-Za-z])/i;

/**
 * A name/value pair written as sibling XML elements: a Hadoop-style configuration property
 * (`<name>fs.s3a.secret.key</name>` then `<value>…</value>`: Hadoop, Hive, HBase, Oozie), an
 * Apple property list entry (`<key>API_TOKEN</key>` then `<string>…</string>`) or a .NET
 * settings entry (`<setting name="DbPassword" …>` then `<value>…</value>`).
 */
const xmlNameValuePair = regexRule({
  id: "xml-name-value-credential",
  description:
    "Credential in an XML name/value pair (<name>/<value> property, property list <key>/<string>, Spring <property name=…>, <entry key=…>, .NET <setting>)",
  keywords: ["<name>", "<key>", "<setting", "<property", "<entry", "<param", "<attribute"],
  confidence: "low",
  checksPlaceholders: true,
  pattern: re(
    `<(?<tag>name|key)>[ \\t]{0,4}(?<name>${XML_PAIR_NAME})[ \\t]{0,4}</\\k<tag>>[ \\t\\r\\n]{0,200}<(?<valueTag>value|string)>(?<secret>[^<\\n]{1,400})</\\k<valueTag>>|<(?<element>setting|property|entry|param|parameter|attribute)[ \\t]{1,4}(?:name|key)[ \\t]{0,2}=[ \\t]{0,2}["'](?<nameAlt>${XML_PAIR_NAME})["'][^<>\\n]{0,200}>(?:[ \\t\\r\\n]{0,200}<(?<valueTagAlt>value|string)>(?<secretAlt>[^<\\n]{1,400})</\\k<valueTagAlt>>|(?<secretAlt2>[^<\\n]{1,400})</\\k<element>>)`,
    "i",
  ),
  validate: (secret, match) => {
    const name = match.groups?.name ?? match.groups?.nameAlt ?? "";
    if (NOT_CREDENTIAL_NAME.test(name)) return false;
    if (CREDENTIAL_WORD_BESIDES_KEY.test(name) || SEPARATED_KEY_NAME.test(name)) {
      return isPlausibleSecret(secret.trim(), name, true);
    }
    // A glued `…Key` is as often a public key's (Sparkle's `SUPublicEDKey`) or a hotkey's: a
    // clearly random value under a name of no other kind of key.
    return (
      GLUED_KEY_NAME.test(name) && !/public/i.test(name) && isSecretKeyPair(name, secret.trim())
    );
  },
});

/**
 * The default or value of a parameter named as a credential: AWS CloudFormation (`DBPassword:`
 * with `Type: String` and `Default: …` under it), an Azure Resource Manager template
 * (`"adminPassword": {"type": "securestring", "defaultValue": "…"}`) or parameter file
 * (`"adminPassword": {"value": "…"}`), and any mapping under a credential's name holding its
 * `value`, in YAML or JSON. Whenever the stack is deployed without that parameter, the default
 * is the password.
 */
const parameterDefault = regexRule({
  id: "parameter-default-credential",
  description:
    "Credential as the default or value of a named parameter (CloudFormation Default, ARM defaultValue and parameter files)",
  keywords: ["default", "value"],
  confidence: "low",
  checksPlaceholders: true,
  pattern: re(
    `(?:^|\\n)(?<indent>[ \\t]{0,40})(?<name>[A-Za-z0-9_-]{0,40}?${PAIR_NAME_WORD}[A-Za-z0-9_-]{0,30}):[ \\t]{0,8}\\r?\\n(?:\\k<indent>[ \\t]{1,16}[A-Za-z]{1,40}:[^\\n]{0,200}\\n){0,10}?\\k<indent>[ \\t]{1,16}(?:Default|defaultValue|value):[ \\t]{0,4}(?:(?<quote>["'])(?<secret>[^"'\\n]{1,400})\\k<quote>|(?<secretAlt>[^\\s"'#|>&!*][^\\s#]{0,399}))|"(?<nameAlt>[A-Za-z0-9_-]{0,40}?${PAIR_NAME_WORD}[A-Za-z0-9_-]{0,30})"[ \\t]{0,4}:[ \\t\\r\\n]{0,20}\\{[^{}]{0,400}?"(?:Default|defaultValue|value)"[ \\t]{0,4}:[ \\t]{0,4}"(?<secretAlt2>[^"\\n]{1,400})"`,
    "i",
  ),
  validate: (secret, match) => {
    const name = match.groups?.name ?? match.groups?.nameAlt ?? "";
    return !NOT_CREDENTIAL_NAME.test(name) && isPlausibleSecret(secret, name, true);
  },
});

/** A table header's credential column: the cell names a password, secret, token or key. */
const TABLE_CREDENTIAL_HEADER = new RegExp(
  `^(?:(?:[A-Za-z0-9]{1,30}[ _.-]){0,3}(?:passw(?:or)?d|passwd|pwd|pass|pw|secret|token|api[ _-]?key|apikey|access[ _-]?key|secret[ _-]?key|private[ _-]?key)s?|\\p{L}{0,6}(?:${TRANSLATED_CREDENTIAL_WORDS}))$`,
  "iu",
);
/** Whether a column's name (a table's header cell, an SQL column) names a credential. */
export function isCredentialColumnName(name: string): boolean {
  return TABLE_CREDENTIAL_HEADER.test(name) && !NOT_CREDENTIAL_NAME.test(name);
}

/** A header cell: a column's name (in any script: `密码`, `用户名`), not a value. */
const TABLE_HEADER_CELL = /^\p{L}[\p{L}\p{N}_.()/-]{0,40}(?: [\p{L}\p{N}_.()/-]{1,20}){0,2}$/u;
/** The characters a header row is made of (names, delimiters, quotes, spaces). */
const TABLE_HEADER_ROW = /^[\p{L}\p{N}_.()/ \t"|,;\r-]*$/u;
/** The credential words a table header is looked for at. */
const ENGLISH_TABLE_WORD =
  /passw|pwd|pass\b|\bpw\b|secret|token|api[ _-]?key|access[ _-]?key|private[ _-]?key/gi;
/** ENGLISH_TABLE_WORD and the translated credential words. */
const TABLE_WORD = new RegExp(`${ENGLISH_TABLE_WORD.source}|${TRANSLATED_CREDENTIAL_WORDS}`, "gi");

/**
 * Whether a table's cell is a plausible value of its column's credential; under a header in
 * another language than English, not words (`siehe KeePass`, `im Tresor`: a note about where
 * it is kept).
 */
export function isColumnCredential(value: string, header: string): boolean {
  const name = inEnglish(header);
  return (name === header || !/\s/.test(value)) && isPlausibleSecret(value, name, true);
}

/**
 * The cells of one table row, each as [start, end] within the row: split at `delimiter`, a
 * cell in double quotes kept whole (its quotes left out), Markdown's outer pipes dropped.
 */
function tableCells(row: string, delimiter: string): [number, number][] {
  const cells: [number, number][] = [];
  let at = 0;
  let end = row.length;
  if (delimiter === "|") {
    while (at < end && (row[at] === " " || row[at] === "\t")) at++;
    if (row[at] === "|") at++;
    while (end > at && /\s/.test(row[end - 1] ?? "")) end--;
    if (row[end - 1] === "|") end--;
  }
  while (at <= end) {
    let from = at;
    let to: number;
    if (row[from] === '"') {
      const close = row.indexOf('"', from + 1);
      if (close < 0 || close > end) return [];
      to = close;
      from++;
      at = close + 1;
      if (at < end && row[at] !== delimiter) return [];
    } else {
      const next = row.indexOf(delimiter, from);
      to = next < 0 || next > end ? end : next;
      at = to;
    }
    while (from < to && (row[from] === " " || row[from] === "\t")) from++;
    while (to > from && /\s/.test(row[to - 1] ?? "")) to--;
    cells.push([from, to]);
    at++;
  }
  return cells;
}

/**
 * A table with a credential column: a CSV, TSV or semicolon-separated file, or a Markdown
 * table, whose header row names a password, secret, token or key column (`username,password`,
 * `| user | password |`); each value of that column in the rows under it (up to 200 rows, of
 * as many cells as the header) is judged as that column's value. Each line is looked at as a
 * header once.
 */
const tableCredentialColumn: ScanRule = {
  id: "table-credential-column",
  description: "Credential in a table's password, secret, token or key column (CSV, TSV, Markdown)",
  // `pw` as a column's whole name (`| ID | PW |`, `user,pw`).
  keywords: ["pass", "pwd", "secret", "token", "key", "| pw", "|pw", ",pw", ";pw"],
  rareKeywords: TRANSLATED_KEYWORDS,
  severity: "error",
  confidence: "low",
  suggestedName: "PASSWORD",
  checksPlaceholders: true,
  scan(text, context) {
    const found: RuleMatch[] = [];
    const word = mayHoldTranslatedWord(text, context) ? TABLE_WORD : ENGLISH_TABLE_WORD;
    word.lastIndex = 0;
    for (let m = word.exec(text); m; m = word.exec(text)) {
      const lineStart = text.lastIndexOf("\n", m.index) + 1;
      const newline = text.indexOf("\n", m.index);
      const lineEnd = newline < 0 ? text.length : newline;
      word.lastIndex = lineEnd;
      if (m.index - lineStart > 1000 || lineEnd - m.index > 1000) continue;
      const header = text.slice(lineStart, lineEnd);
      if (!TABLE_HEADER_ROW.test(header)) continue;
      const delimiter = [",", "\t", ";", "|"].find((d) => header.includes(d));
      if (!delimiter) continue;
      const cells = tableCells(header, delimiter);
      if (cells.length < 2 || cells.length > 40) continue;
      const names = cells.map(([from, to]) => header.slice(from, to));
      if (!names.every((name) => TABLE_HEADER_CELL.test(name))) continue;
      const columns = names
        .map((name, index) => (isCredentialColumnName(name) ? index : -1))
        .filter((index) => index >= 0);
      if (columns.length === 0) continue;
      let rowStart = lineEnd + 1;
      for (let rows = 0; rows < 200 && rowStart > 0 && rowStart < text.length; rows++) {
        const rowNewline = text.indexOf("\n", rowStart);
        const rowEnd = rowNewline < 0 ? text.length : rowNewline;
        if (rowEnd - rowStart > 2000) break;
        const row = text.slice(rowStart, rowEnd);
        // Markdown's separator row (`|---|:---:|`).
        if (delimiter === "|" && /^[\s|:-]+$/.test(row) && row.includes("-")) {
          rowStart = rowEnd + 1;
          continue;
        }
        const rowCells = tableCells(row, delimiter);
        if (rowCells.length !== cells.length) break;
        for (const column of columns) {
          let [from, to] = rowCells[column] ?? [0, 0];
          // Markdown bold and code spans (`` `accentDim` ``, `` **`sk-…`** ``): their content is
          // the value.
          while (
            delimiter === "|" &&
            to - from > 4 &&
            row.startsWith("**", from) &&
            row.endsWith("**", to)
          ) {
            from += 2;
            to -= 2;
          }
          while (delimiter === "|" && to - from > 2 && row[from] === "`" && row[to - 1] === "`") {
            from++;
            to--;
          }
          while (to > from && row[from] === " ") from++;
          while (to > from && row[to - 1] === " ") to--;
          const value = row.slice(from, to);
          if (to > from && isColumnCredential(value, names[column] ?? "password")) {
            found.push({ start: rowStart + from, end: rowStart + to });
          }
        }
        rowStart = rowEnd + 1;
        word.lastIndex = Math.max(word.lastIndex, rowEnd);
      }
    }
    return found;
  },
};

/** The start of an HTML table's row (`<tr>`, attributes and all). */
const HTML_ROW = /<tr\b[^>]{0,200}>/gi;
/** One cell of an HTML table row (`<td>` or `<th>`) and its content, markup and all. */
const HTML_CELL = /<(t[dh])\b[^>]{0,200}>([\s\S]{0,600}?)<\/\1\s{0,4}>/gi;
/** The entities an HTML cell's text writes its `&`, `<`, `>` and quotes as. */
const HTML_ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** The last run of text of a cell's content, after and between its tags, as [start, end]. */
function lastTextRun(content: string): [number, number] {
  let end = content.length;
  for (;;) {
    while (end > 0 && /\s/.test(content[end - 1] ?? "")) end--;
    if (end === 0 || content[end - 1] !== ">") break;
    const open = content.lastIndexOf("<", end - 1);
    if (open < 0) return [0, 0];
    end = open;
  }
  const tag = content.lastIndexOf(">", end - 1);
  let start = tag + 1;
  while (start < end && /\s/.test(content[start] ?? "")) start++;
  return [start, end];
}

/**
 * A table written in HTML (a README's `<table>`, an exported note) whose header row names a
 * password, secret, token or key column: each later row's cell in that column (its last run of
 * text, entities read) is judged as that column's value, until the table ends.
 */
const htmlTableCredentialColumn: ScanRule = {
  id: "html-table-credential-column",
  description: "Credential in an HTML table's password, secret, token or key column",
  keywords: ["<th", "<td"],
  severity: "error",
  confidence: "low",
  suggestedName: "PASSWORD",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const row = HTML_ROW;
    row.lastIndex = 0;
    const cell = HTML_CELL;
    cell.lastIndex = 0;
    let names: string[] = [];
    let columns: number[] = [];
    let lastRowEnd = 0;
    for (let m = row.exec(text); m; m = row.exec(text)) {
      // A new table between the last row and this one: its own header.
      if (/<table\b/i.test(text.slice(lastRowEnd, m.index))) columns = [];
      const rowStart = m.index + m[0].length;
      const close = text.slice(rowStart, rowStart + 5000).search(/<\/tr\s{0,4}>|<tr\b/i);
      const rowEnd = close < 0 ? Math.min(text.length, rowStart + 5000) : rowStart + close;
      const cells: { header: boolean; from: number; to: number; content: string }[] = [];
      // Within the row only: a row without cells does not search the rest of the text.
      const rowText = text.slice(rowStart, rowEnd);
      cell.lastIndex = 0;
      for (let c = cell.exec(rowText); c; c = cell.exec(rowText)) {
        const content = c[2] ?? "";
        const from = rowStart + c.index + c[0].indexOf(">") + 1;
        cells.push({ header: /^th$/i.test(c[1] ?? ""), from, to: from + content.length, content });
      }
      lastRowEnd = rowEnd;
      row.lastIndex = rowEnd;
      if (cells.length < 2 || cells.length > 40) continue;
      const texts = cells.map(({ content }) => {
        const [from, to] = lastTextRun(content);
        return content.slice(from, to);
      });
      const credentialColumns = texts
        .map((name, index) =>
          cells.every((c) => c.header) || columns.length === 0
            ? TABLE_CREDENTIAL_HEADER.test(name) && !NOT_CREDENTIAL_NAME.test(name)
              ? index
              : -1
            : -1,
        )
        .filter((index) => index >= 0);
      if (credentialColumns.length > 0) {
        names = texts;
        columns = credentialColumns;
        continue;
      }
      if (columns.length === 0 || cells.length !== names.length) continue;
      for (const column of columns) {
        const target = cells[column];
        if (!target) continue;
        const [from, to] = lastTextRun(target.content);
        const raw = target.content.slice(from, to);
        const value = raw.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => HTML_ENTITIES[e] ?? e);
        if (to > from && isColumnCredential(value, names[column] ?? "password")) {
          found.push({ start: target.from + from, end: target.from + to });
        }
      }
    }
    return found;
  },
};

/**
 * A credential's label alone on its line, as notes and chat logs put it (a heading, a list
 * item or checkbox, bold or italic, an environment variable's name; a qualifier in
 * parentheses, `for the NAS`, a colon, `=` or `-` at the end): a few words ending in a
 * credential word. The line's runs of spaces are one space before it is matched (a line is at
 * most 80 characters, and words end at a space, so the pattern cannot backtrack far).
 */
const LABEL_LINE =
  /^(?:#{1,6} |[-*+] (?:\[[ xX]\] )?|\d{1,2}[.)] |> )?(?:\*{1,2}|_{1,2})?(?<name>(?:[A-Za-z0-9][\w.'\u2019-]* ){0,5}(?:passw(?:or)?d|passwd|passphrase|pwd|secret|token|pat|api[ _-]?key|apikey|access[ _-]?key|secret[ _-]?key|key)s?|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PWD|PAT))(?: \([^()]{1,30}\))?(?: (?:for|of|on|to) [\w .'\u2019-]{1,40})?(?:\*{1,2}|_{1,2})? ?[:=\uff1a-]?(?:\*{1,2}|_{1,2})?(?: #+)?$/i;
/**
 * Labels about something else than a credential, or prose rather than a label: a public half,
 * an id, a digest, a setting; the keys of caches, tables, queues and registries; the tokens of
 * pages, traces and devices; articles and conjunctions.
 */
const LABEL_NOT_CREDENTIAL =
  /\b(?:public|publishable|id|name|hash|fingerprint|checksum|type|format|length|expir\w*|rotation|reset|policy|usage|scope|scopes|header|prefix|location|file|path|url|example|sample|cache|sort|partition|primary|foreign|composite|registry|object|redis|dedup|dedupe|idempotency|trace|page|continuation|cursor|device|host|peer|release|integrity|image|lookup|index|row|shard|routing|map|unique|wallet|csrf|xsrf|gpg|pgp|the|a|an|this|that|these|each|every|of|to|in|with|and|or|is|are)\b/i;
/** Labels that name a credential outright (a value under them may be hex or a UUID). */
const STRONG_LABEL =
  /api[ _-]?key|apikey|secret|access[ _-]?(?:key|token)|auth[ _-]?token|bearer|personal access|\bpat\b|private[ _-]?key|license[ _-]?key|passw|pwd|passphrase/i;
/** A password's label: the value is judged as a password (a passphrase of words too). */
const PASSWORD_LABEL = /passw|pwd|passphrase/i;
/** The words a label line is looked for at. */
const LABEL_WORD = /passw|passphrase|pwd|secret|token|key|pat\b/gi;
/** A fence around a code block (```, ~~~, with a language or not). */
const CODE_FENCE = /^[ \t]*(?:```|~~~)[\w-]*[ \t]*\r?$/;

/**
 * The value alone on `line` (indented, in a code span, quotes or bold, a comma or semicolon
 * after it), or undefined. Spaces inside only where `spaces` allows them (a passphrase) and the
 * value is quoted: an unquoted line of words is prose or code.
 */
function loneValue(line: string, spaces: boolean): { from: number; to: number } | undefined {
  let from = 0;
  let to = line.length;
  while (from < to && (line[from] === " " || line[from] === "\t")) from++;
  while (to > from && (line[to - 1] === " " || line[to - 1] === "\t" || line[to - 1] === "\r")) {
    to--;
  }
  if (to > from && (line[to - 1] === "," || line[to - 1] === ";")) to--;
  let quoted = false;
  for (const [open, close] of [
    ["`", "`"],
    ['"', '"'],
    ["'", "'"],
    ["**", "**"],
  ] as const) {
    if (
      to - from > open.length + close.length &&
      line.startsWith(open, from) &&
      line.endsWith(close, to)
    ) {
      from += open.length;
      to -= close.length;
      quoted = true;
    }
  }
  if (to - from < 8 || to - from > 256) return undefined;
  for (let i = from; i < to; i++) {
    const code = line.charCodeAt(i);
    if (code < 32 || (code === 32 && !(spaces && quoted))) return undefined;
  }
  return { from, to };
}

/**
 * Whether `value` under a label `name` is a credential: a password label takes what a password
 * assignment would; any other takes a token-shaped value only (no path, URL, namespace, time or
 * digest prefix), and a label that does not name a credential outright (`Acme key`, `GitHub
 * token`) only a strongly random one that is not hex of a digest's length or a UUID. A token is
 * written in base64, base64url or hex, dots at most between (a JWT): not code, not a path.
 */
function isLabelledSecret(value: string, name: string): boolean {
  const key = name.replace(/[ -]/g, "_");
  if (PASSWORD_LABEL.test(name)) return isPlausibleSecret(value, key, true);
  // Keys and tokens are written in base64, base64url or hex, perhaps with dots (not code).
  if (!/^[A-Za-z0-9_+/=.~-]+$/.test(value) || /^(?:sha\d+|md5|v\d+\.)/i.test(value)) {
    return false;
  }
  if (value.includes("/") && !/^[A-Za-z0-9+/]{20,}={0,2}$/.test(value)) return false;
  if (!STRONG_LABEL.test(name)) {
    const isDigestHex = /^(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64})$/i.test(value);
    const isUuid = /^[a-f0-9]{8}-(?:[a-f0-9]{4}-){3}[a-f0-9]{12}$/i.test(value);
    if (isDigestHex || isUuid || !isStrongRandom(value)) return false;
  }
  return isPlausibleSecret(value, key, true);
}

/**
 * A credential under its label, alone on the next line (`API Key` then `a2813cd4…`;
 * `## Password`, a blank line, `Tq7#mZ2!pL9x`; `OpenAI key:` then an indented value or a code
 * block), as notes and memory files keep them. The label line holds only the credential's name;
 * the value line only the value (see `isLabelledSecret`). Labels about something else (`Public
 * key`, `Key ID`, `Cache key`, `Next page token`) and prose are not credentials.
 */
const labelLineCredential: ScanRule = {
  id: "label-line-credential",
  description: "Credential alone on the line under its label (API Key / Password, then the value)",
  keywords: ["pass", "pwd", "secret", "token", "key", "pat"],
  severity: "error",
  confidence: "low",
  suggestedName: "API_KEY",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const word = LABEL_WORD;
    word.lastIndex = 0;
    for (let m = word.exec(text); m; m = word.exec(text)) {
      const lineStart = text.lastIndexOf("\n", m.index) + 1;
      const newline = text.indexOf("\n", m.index);
      if (newline < 0) break;
      word.lastIndex = newline;
      if (newline - lineStart > 80) continue;
      const labelText = text
        .slice(lineStart, newline)
        .replace(/[ \t\u00a0]+/g, " ")
        .trim();
      const name = LABEL_LINE.exec(labelText)?.groups?.name;
      if (!name || LABEL_NOT_CREDENTIAL.test(name)) continue;
      // The value's line: the next one, or the one after a blank line, a code fence or both.
      let valueStart = newline + 1;
      let blank = false;
      let fence = false;
      while (valueStart < text.length) {
        const valueNewline = text.indexOf("\n", valueStart);
        const valueEnd = valueNewline < 0 ? text.length : valueNewline;
        if (valueEnd - valueStart > 300) break;
        const line = text.slice(valueStart, valueEnd);
        const isBlank = line.trim() === "";
        const isFence = !isBlank && CODE_FENCE.test(line);
        if ((isBlank && (blank || fence)) || (isFence && fence)) break;
        blank ||= isBlank;
        fence ||= isFence;
        if (!isBlank && !isFence) {
          // A YAML mapping's next key (`password:` left empty, then `lettuce:`) is no value.
          if (/^[ \t]*[\w.-]{1,60}:[ \t]*\r?$/.test(line)) break;
          const value = loneValue(line, PASSWORD_LABEL.test(name));
          const secret = value && line.slice(value.from, value.to);
          if (value && secret && isLabelledSecret(secret, name)) {
            found.push({ start: valueStart + value.from, end: valueStart + value.to });
          }
          break;
        }
        valueStart = valueEnd + 1;
      }
    }
    return found;
  },
};

/**
 * A token as the user name of a URL, without a password (`https://TOKEN@github.com/org/repo`,
 * as Git hosts accept for HTTPS): only a random value, not a person's name.
 */
const urlTokenUserinfo = regexRule({
  id: "url-token-userinfo",
  description: "Token as the user name of a URL (https://TOKEN@host, as Git hosts accept)",
  keywords: ["://"],
  confidence: "medium",
  suggestedName: "GIT_TOKEN",
  checksPlaceholders: true,
  pattern: re(
    `(?<![A-Za-z0-9+.\\-])(?:https?|git\\+https?)://(?<secret>[A-Za-z0-9_\\-]{20,200})@[A-Za-z0-9\\-.]{1,253}`,
  ),
  // Not an organisation's or a person's name (`https://Contoso-Engineering2024@dev.azure.com`):
  // no part of words in camel case. Not a Sentry DSN (`https://KEY@o1.ingest.sentry.io/42`, or a
  // self-hosted server's `/PROJECT_ID`): its key only submits events and ships in front-end
  // code, public by Sentry's own account.
  validate: (secret, match, text) =>
    !isSentryDsn(
      match[0],
      text.slice(match.index + match[0].length, match.index + match[0].length + 24),
    ) &&
    isStrongRandom(secret) &&
    !isPlaceholder(secret) &&
    (/^[a-f0-9]{32,}$/i.test(secret) ||
      !secret
        .split(/[-_]/)
        .some((part) => part.length >= 5 && isCamelWords(part.replace(/\d+/g, "")))),
});

/** `https://KEY@HOST` followed by `after`: a Sentry DSN (Sentry's host, or a numeric project). */
function isSentryDsn(url: string, after: string): boolean {
  // A Sentry DSN's key is 32 hex digits; any other token is not one.
  if (!/:\/\/[a-f0-9]{32}@/.test(url)) return false;
  return (
    /@(?:[A-Za-z0-9-]+\.)*sentry\.io$|@sentry\./i.test(url) || /^\/\d{1,12}(?![\w/.-])/.test(after)
  );
}

/** The methods UI test tools type text into a field with. */
const TYPE_METHOD =
  "(?:type|fill|sendKeys|send_keys|setValue|pressSequentially|press_sequentially|typeText|enterText)";

/**
 * A password typed into a login form by a UI test (Selenium, Cypress, Playwright, Puppeteer,
 * WebdriverIO): the field's selector names the password (`#password`, `input[name=password]`,
 * `By.ID, "password"`) and the literal is typed into it, in either call shape:
 * `page.fill("#password", "…")` or `cy.get("#password").type("…")`. Only 80 characters
 * between the selector and the call are read.
 */
const uiTestPassword = regexRule({
  id: "ui-test-password",
  description:
    "Password typed into a login form by a UI test (Selenium, Cypress, Playwright, Puppeteer)",
  keywords: [
    "type(",
    "fill(",
    "sendkeys(",
    "send_keys(",
    "setvalue(",
    "presssequentially(",
    "press_sequentially(",
    "typetext(",
    "entertext(",
  ],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `\\.${TYPE_METHOD}\\([ \\t]{0,4}(?<quote>["'\`])(?<selector>(?:(?!\\k<quote>)[^\\n]){0,80})\\k<quote>[ \\t]{0,4},[ \\t]{0,4}(?<quoteAlt>["'\`])(?<secret>[^"'\`\\n]{1,200})\\k<quoteAlt>[ \\t]{0,4}[,)]|(?:pass(?:word|wd)?|pwd)[^\\n()]{0,80}\\)[ \\t]{0,4}(?:\\.clear\\(\\)[ \\t]{0,4})?\\.${TYPE_METHOD}\\([ \\t]{0,4}(?<quoteAlt2>["'\`])(?<secretAlt>[^"'\`\\n]{1,200})\\k<quoteAlt2>[ \\t]{0,4}[,)]`,
    "i",
  ),
  validate: (secret, match) =>
    (match.groups?.selector === undefined || /pass|pwd/i.test(match.groups.selector)) &&
    isPlausibleSecret(secret, "password", true),
});

/** libcurl's credential options set to a literal (`CURLOPT_USERPWD, "user:…"`). */
const curlOptPassword = regexRule({
  id: "curlopt-password",
  description: "Password set with a libcurl option (CURLOPT_USERPWD, CURLOPT_PASSWORD, …)",
  keywords: ["curlopt_"],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `CURLOPT_(?:PROXY)?USERPWD[ \\t]{0,4},[ \\t]{0,4}(?<quote>["'])[^:"'\\n]{0,100}:(?<secret>[^"'\\n]{1,200})\\k<quote>|CURLOPT_(?:PROXY)?(?:PASSWORD|KEYPASSWD|TLSAUTH_PASSWORD)[ \\t]{0,4},[ \\t]{0,4}(?<quoteAlt>["'])(?<secretAlt>[^"'\\n]{1,200})\\k<quoteAlt>`,
  ),
  validate: (secret) => isPlausibleSecret(secret, "password", true),
});

/**
 * A credential flag and its value as two items of a YAML sequence (a container's `args:`,
 * `- "--password"` then `- "…"` at the same indentation) or of a JSON, TOML or code array (an
 * MCP server's `"args": [..., "--token", "…"]`).
 */
const sequenceFlagCredential = regexRule({
  id: "sequence-flag-credential",
  description:
    "Credential flag and its value as two items of a list (container args, an MCP server's args)",
  keywords: ["pass", "pwd", "secret", "token", "key"],
  confidence: "low",
  checksPlaceholders: true,
  pattern: re(
    `(?:^|\\n)(?<indent>[ \\t]{0,40})-[ \\t]{1,4}(?<flagQuote>["']?)--?(?<name>[A-Za-z0-9_.-]{0,40}?(?:passw(?:or)?d|passwd|pwd|pass|secret|token|api[_-]?key)[A-Za-z0-9_.-]{0,20})\\k<flagQuote>[ \\t]{0,8}\\r?\\n\\k<indent>-[ \\t]{1,4}(?:(?<quote>["'])(?<secret>[^"'\\n]{1,200})\\k<quote>|(?<secretAlt>[^\\s"'#-][^\\s#]{0,199}))|(?<arrayQuote>["'])--?(?<arrayName>[A-Za-z0-9_.-]{0,40}?(?:passw(?:or)?d|passwd|pwd|pass|secret|token|key))\\k<arrayQuote>[ \\t]{0,4},[ \\t]{0,4}(?:\\r?\\n[ \\t]{0,60})?(?<valueQuote>["'])(?<secretAlt2>[^"'\\n]{1,200})\\k<valueQuote>`,
    "i",
  ),
  validate: (secret, match) => {
    const name = match.groups?.name ?? match.groups?.arrayName ?? "";
    // `"--key", "…"` names a key of any kind (a file, a lookup's): only a clearly random value;
    // not a public, hot, cache or idempotency key (`--public-key`, `--hotkey`), `--bypass`.
    if (/^key$/i.test(name) && !isStrongRandom(secret)) return false;
    if (
      match.groups?.arrayName !== undefined &&
      (NOT_PASS_WORD.test(name) ||
        /(?:public|pub|hot|cache|idempotency|sort|partition|primary|foreign|recv|lookup|sign(?:ing)?[_.-]?pub)[_.-]?key$/i.test(
          name,
        ))
    ) {
      return false;
    }
    return !NOT_CREDENTIAL_NAME.test(name) && isPlausibleSecret(secret, name, true);
  },
});

/**
 * A password piped into the program that sets it: `echo "user:…" | chpasswd`,
 * `echo "…" | passwd --stdin user`, `echo "…" | sudo -S …`, and `openssl passwd -1 …` (the
 * plain password hashed on the command line).
 */
const pipedPassword = regexRule({
  id: "piped-password",
  description: "Password piped to chpasswd, passwd --stdin or sudo -S, or given to openssl passwd",
  keywords: ["chpasswd", "--stdin", "sudo -s", "openssl passwd"],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `\\becho[ \\t]{1,4}(?:-[ne]{1,2}[ \\t]{1,4})?(?<quote>["']?)[^\\s:'"$]{1,64}:(?<secret>[^\\s'"]{1,200})\\k<quote>[ \\t]{0,4}\\|[ \\t]{0,4}(?:sudo[ \\t]{1,4})?chpasswd\\b|\\becho[ \\t]{1,4}(?:-[ne]{1,2}[ \\t]{1,4})?(?<quoteAlt>["']?)(?<secretAlt>[^\\s'"]{1,200})\\k<quoteAlt>[ \\t]{0,4}\\|[ \\t]{0,4}(?:sudo[ \\t]{1,4}(?:-S[ \\t]|passwd[ \\t]{1,4}--stdin)|passwd[ \\t]{1,4}--stdin)|\\bopenssl[ \\t]{1,4}passwd(?:[ \\t]{1,4}-(?:1|5|6|apr1|crypt|salt[ \\t]{1,4}[^\\s]{1,40})){0,4}[ \\t]{1,4}(?<quoteAlt2>["']?)(?<secretAlt2>[^\\s'"$)-][^\\s'")]{0,199})\\k<quoteAlt2>`,
  ),
  validate: (secret) => isPlausibleSecret(secret, "password", true),
});

/** A credential's name as the last part of a variable or member (`password`, `user.apiToken`). */
const COMPARED_NAME =
  /(?:^|[._])(?:[A-Za-z0-9]{0,30}[_-]?)?(?:passw(?:or)?d|passwd|pwd|pass|secret|token|api_?key|private_?key)$/i;

/**
 * A literal compared with a credential's variable, the literal first (`"…" == password`,
 * `"…".equals(token)`): the credential the code checks against.
 */
const comparedLiteral = regexRule({
  id: "compared-credential",
  description:
    'Credential compared with a literal, the literal first ("…" == password, "…".equals(token))',
  keywords: ["==", "!=", "equals("],
  confidence: "low",
  checksPlaceholders: true,
  pattern: re(
    `(?<quote>["'])(?<secret>[^"'\\n\\\\]{4,200})\\k<quote>[ \\t]{0,2}(?:={2,3}|!={1,2}|\\.equals(?:IgnoreCase)?\\()[ \\t]{0,2}(?<name>[A-Za-z_$][\\w$]{0,40}(?:\\.[A-Za-z_$][\\w$]{0,40}){0,3})(?![\\w$.(])`,
  ),
  validate: (secret, match) => {
    const name = match.groups?.name ?? "";
    return (
      COMPARED_NAME.test(name) &&
      !NOT_CREDENTIAL_NAME.test(name) &&
      !hasNonCredentialPrefix(
        name
          .replace(/^.*\./, "")
          .replace(/(?:passw(?:or)?d|passwd|pwd|pass|secret|token|api_?key|private_?key)$/i, ""),
      ) &&
      isPlausibleSecret(secret, name, true)
    );
  },
});

/**
 * An LDAP bind in code: JNDI's `Context.SECURITY_CREDENTIALS` (`env.put(Context.SECURITY_CREDENTIALS,
 * "…")`) and python-ldap's `simple_bind_s(dn, "…")` / `bind_s(dn, "…")`.
 */
const codeLdapBind = regexRule({
  id: "code-ldap-bind-password",
  description: "LDAP bind password in code (JNDI SECURITY_CREDENTIALS, python-ldap simple_bind_s)",
  keywords: ["security_credentials", "bind_s("],
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `\\bSECURITY_CREDENTIALS["']?[ \\t]{0,2},[ \\t]{0,2}(?<quote>["'])(?<secret>[^"'\\n]{1,200})\\k<quote>|\\.(?:simple_)?bind_s\\([ \\t]{0,2}(?<dnQuote>["'])[^"'\\n]{1,200}\\k<dnQuote>[ \\t]{0,2},[ \\t]{0,2}(?<quoteAlt>["'])(?<secretAlt>[^"'\\n]{1,200})\\k<quoteAlt>`,
  ),
  validate: (secret) => isPlausibleSecret(secret, "password", true),
});

/**
 * A key written into the call that signs or checks a token with it: JWT libraries
 * (`jwt.sign(payload, "…")`, `jwt.encode(…, "…", algorithm=…)`, `JWT::encode`, Java's
 * `Algorithm.HMAC256("…")` and `signWith(SignatureAlgorithm.HS256, "…")`, Go's
 * `SignedString([]byte("…"))`) and HMAC constructors (`hmac.New(sha256.New, []byte("…"))`,
 * `hmac.new(b"…", …)`, `createHmac("sha256", "…")`, `new SecretKeySpec("…".getBytes(), …)`, jjwt's
 * `Keys.hmacShaKeyFor("…".getBytes())`). A JWT call's arguments may span lines (a payload
 * object, then the key on a line of its own).
 */
const signingCallKey = regexRule({
  id: "signing-call-key",
  description:
    'Key written into a JWT or HMAC signing call (jwt.sign(…, "…"), hmac.New(…, []byte("…")))',
  keywords: [
    "jwt.",
    "jwt::",
    "jsonwebtoken.",
    "jsonwt.",
    "jose.",
    "algorithm.hmac",
    "signwith(",
    "signedstring(",
    "hmac.new(",
    "createhmac(",
    "secretkeyspec(",
    "hmacshakeyfor(",
  ],
  confidence: "medium",
  suggestedName: "JWT_SECRET",
  checksPlaceholders: true,
  pattern: re(
    `(?:\\b(?:jwt|JWT|jsonwebtoken|jsonwt|jose)(?:\\.|::)(?:sign|verify|encode|decode)\\([^()]{1,300}?,[ \\t\\r\\n]{0,40}|\\bAlgorithm\\.HMAC(?:256|384|512)\\([ \\t]{0,4}|\\bsignWith\\([ \\t]{0,4}(?:SignatureAlgorithm\\.[A-Z0-9]{4,6}[ \\t]{0,4},[ \\t]{0,4})?|\\.SignedString\\([ \\t]{0,4}|\\bhmac\\.New\\([ \\t]{0,4}[\\w.]{1,40}[ \\t]{0,4},[ \\t]{0,4}|\\bhmac\\.new\\([ \\t]{0,4}(?:key[ \\t]{0,2}=[ \\t]{0,2})?|\\bcreateHmac\\([ \\t]{0,4}["'][\\w-]{2,20}["'][ \\t]{0,4},[ \\t]{0,4}|\\bSecretKeySpec\\([ \\t]{0,4}|\\bhmacShaKeyFor\\([ \\t]{0,4})(?:\\[\\]byte\\([ \\t]{0,4}|Buffer\\.from\\([ \\t]{0,4}|b(?=["']))?(?<quote>["'\`])(?<secret>[^"'\`\\n\\\\]{6,200})\\k<quote>`,
  ),
  validate: (secret) => isPlausibleSecret(secret, "secret_key", true),
});

/**
 * A credential after a label that qualifies it, as notes write them: `Password for staging DB:
 * …`, `Admin password (prod): …`, `API key for the NAS = …`, `Password for the NAS is …`,
 * `Home Assistant token saved here: …`. The label starts its line (after a
 * list marker or bold); the value is the rest of the line, one word. A password's label takes
 * what a password assignment would; a key's or a token's only a clearly random value.
 */
const qualifiedLabelCredential = regexRule({
  id: "qualified-label-credential",
  description:
    "Credential after a qualified label (Password for staging DB: …, Admin password (prod): …)",
  keywords: ["pass", "pwd", "pw", "secret", "token", "key"],
  confidence: "low",
  suggestedName: "PASSWORD",
  checksPlaceholders: true,
  pattern: re(
    `(?:^|\\n)[ \\t]{0,8}(?:[-*+][ \\t]{1,4}|\\d{1,2}[.)][ \\t]{1,4})?(?:\\*\\*|__)?(?<name>(?:[A-Za-z0-9][\\w.'-]{0,30}[ \\t]){0,3}(?:password|passwd|passphrase|pwd|pw|secret|api[ _-]?key|token))(?:[ \\t]\\([^()\\n]{1,30}\\)|[ \\t](?:for|of|on|to|at|per(?=[ \\t](?:(?:il|lo|la|gli|le|un|una|uno)[ \\t]|l'))|para|pour|f(?:\u00fc|ue?)r|voor)[ \\t][\\w.'\u00c0-\u024f-]{1,30}(?:[ \\t][\\w.'\u00c0-\u024f-]{1,30}){0,3}|[ \\t](?:saved|kept|generated|created|issued|copied|pasted)(?:[ \\t](?:here|below|today|earlier))?)(?:\\*\\*|__)?(?:[ \\t]{0,2}[:=](?:\\*\\*|__)?[ \\t]{0,4}|[ \\t]{0,2}(?:\\u2014|\\u2013|-)[ \\t]{1,4}|[ \\t]${PROSE_VERB}:?[ \\t]{1,4})(?:\\*\\*|__|\`)?(?<secret>[^\\s\`*]{6,128}?)(?:\\*\\*|__|\`)?[.,;]?[ \\t]*(?=\\r?\\n|$)`,
    "i",
  ),
  validate: (secret, match) => {
    const name = (match.groups?.name ?? "").trim();
    // A policy's figure, not a password (`Password for account: >=12chars`, `… per user: 1x/day`).
    if (
      /^[<>=]{1,2}\d|^\d{1,4}[ \t]?(?:chars?|characters?|x\/\w+)$|\/(?:day|week|month|hour)$/i.test(
        secret,
      )
    ) {
      return false;
    }
    if (/(?:password|passwd|passphrase|pwd|pw)$/i.test(name)) {
      return isPlausibleSecret(secret, "password", true);
    }
    // A one-time-password seed (`TOTP secret for AWS root: KX4Q…`) is base32: upper case and
    // digits 2 to 7 only, so held to its own shape.
    if (/totp|otp|2fa|mfa/i.test(name) && isBase32Seed(secret)) return true;
    return isStrongRandom(secret) && !isCamelWords(secret) && isPlausibleSecret(secret, name, true);
  },
});

/**
 * The words that join a translated credential's name to what it is for (`Senha do banco`,
 * `Contrase\u00f1a de la base de datos`, `Passwort f\u00fcr die Datenbank`, `Mot de passe de
 * l'admin`, `\u041f\u0430\u0440\u043e\u043b\u044c \u043e\u0442 \u0431\u0430\u0437\u044b`).
 */
const TRANSLATED_FOR =
  "d[oae]s?|de(?:l|[ \\t]la|[ \\t]l')?|du|f(?:\u00fc|ue?)r|vo[nm]|zu[mr]|di|dell[ao]|per|para|pour|voor|van|f[\u00f6o]r|til|na|dla|od|pro|za|i\u00e7in|\u043e\u0442|\u0434\u043b\u044f";

/**
 * A credential after a label in another language that says what it is for, as notes write
 * them (`Senha do banco: …`, `Passwort f\u00fcr die Datenbank: …`): the label starts its line
 * (after a list marker or bold), the value is the rest of the line, one word, judged as
 * qualified-label-credential judges it. It runs only on text holding a translated word.
 */
const translatedLabelCredential = regexRule({
  id: "translated-label-credential",
  description:
    "Credential after a label in another language saying what it is for (Senha do banco: …, Passwort f\u00fcr die Datenbank: …)",
  keywords: TRANSLATED_KEYWORDS,
  confidence: "low",
  suggestedName: "PASSWORD",
  checksPlaceholders: true,
  pattern: () =>
    re(
      `(?:^|\\n)[ \\t]{0,8}(?:[-*+][ \\t]{1,4}|\\d{1,2}[.)][ \\t]{1,4})?(?:\\*\\*|__)?(?<name>${TRANSLATED_CREDENTIAL_WORDS})[ \\t]{1,2}(?:${TRANSLATED_FOR})[ \\t]{1,2}[^\\s:=*]{1,30}(?:[ \\t][^\\s:=*]{1,30}){0,3}(?:\\*\\*|__)?(?:[ \\t\\u00a0]{0,2}[:=\\uff1a](?:\\*\\*|__)?[ \\t]{0,4}|[ \\t]{0,2}(?:\\u2014|\\u2013|-)[ \\t]{1,4})(?:\\*\\*|__|\`)?(?<secret>[^\\s\`*]{6,128}?)(?:\\*\\*|__|\`)?[.,;]?[ \\t]*(?=\\r?\\n|$)`,
      "i",
    ),
  validate: (secret, match) => {
    const english = inEnglish(match.groups?.name ?? "");
    if (english === "password") return isPlausibleSecret(secret, "password", true);
    return (
      isStrongRandom(secret) && !isCamelWords(secret) && isPlausibleSecret(secret, english, true)
    );
  },
});

/**
 * A one-time-password seed under its own name (`TOTP_SEED=…`, `GitHub 2FA seed: …`,
 * `mfa_secret: "…"`): base32, perhaps in groups of four as authenticator set-up pages show it.
 * Whoever has it makes the second factor's codes.
 */
const otpSeed = regexRule({
  id: "otp-seed",
  description: "One-time-password seed (TOTP / 2FA / MFA secret, base32)",
  keywords: ["otp", "mfa", "2fa", "authenticator"],
  confidence: "medium",
  suggestedName: "TOTP_SEED",
  checksPlaceholders: true,
  pattern: re(
    `(?<![A-Za-z])(?:t?otp|mfa|2fa|authenticator)[_.\\- ]?(?:seed|secret|key)[A-Za-z0-9_.\\- ]{0,30}?["'\`]?[ \\t]{0,4}(?:[:=]{1,2}|=>)[ \\t]{0,4}["'\`]?(?<secret>[A-Z2-7]{4}(?: ?[A-Z2-7]{4}){3,15}={0,6})(?![A-Za-z0-9])`,
    "i",
  ),
  validate: (secret) => {
    const seed = secret.replace(/ /g, "").toUpperCase();
    return isBase32Seed(seed) && !isPlaceholder(seed);
  },
});

/** 16 or more base32 characters, both letters and digits, not typed in order. */
function isBase32Seed(value: string): boolean {
  return (
    /^[A-Z2-7]{16,}={0,6}$/.test(value) &&
    /[2-7]/.test(value) &&
    /[A-Z]{2}/.test(value) &&
    shannonEntropy(value) >= 3.5
  );
}

/**
 * A credential in a URL's query (`?client_secret=…`, `&api_key=…`, `?access_token=…`), found
 * on its own: inside a value the generic rule leaves out as a whole (a URL assigned to
 * `oauth` or `token`) it would be lost.
 */
/** Names of a credential in a URL's query (`client_secret`, `api_key`, `access_token`, …). */
const QUERY_CREDENTIAL_NAME =
  "(?:[A-Za-z0-9]{1,30}[_.-])?(?:client_secret|secret|api[_-]?key|apikey|key|access_token|token|password|passwd|pwd)";

const urlQueryCredential = regexRule({
  id: "url-query-credential",
  description: "Credential in a URL's query string (?client_secret=…, &api_key=…, ?access_token=…)",
  keywords: ["secret=", "key=", "token=", "password=", "pwd=", "passwd=", "%3d"],
  confidence: "low",
  checksPlaceholders: true,
  // Also a query encoded once more, as logs and redirect parameters hold one
  // (`…%26token%3D…%26version%3D3`): `%26` or `%3F` before the name, `%3D` after it.
  pattern: re(
    `(?:[?&](?<name>${QUERY_CREDENTIAL_NAME})=(?<secret>[^\\s&#"'<>\`()[\\]{}]{8,300})|%(?:26|3F)(?<encodedName>${QUERY_CREDENTIAL_NAME})%3D(?<secretAlt>(?:[A-Za-z0-9._~-]|%(?!26|3D)[0-9A-F]{2}){8,300}))`,
    "i",
  ),
  validate: (secret, match, text) => {
    // Cheap checks first: a URL-heavy text holds many query values, most of them words.
    if (!/[0-9]/.test(secret) || !/[A-Za-z]/.test(secret)) return false;
    // `a&&t.key===e,…`: code's comparison after a logical and, not a query.
    if (secret.startsWith("=") || text[match.index - 1] === "&") return false;
    const name = match.groups?.name ?? match.groups?.encodedName ?? "";
    // Minified code's conditional (`…?o.key=r.C0.NUL:e.keyCode`): a member, then its `:`.
    if (name.includes(".") && /^[\w$]{1,40}(?:\.[\w$]{1,40}){1,8}:/.test(secret)) return false;
    return (
      // Codecov's badge token (`/graph/badge.svg?token=…`) is read-only and shown on purpose.
      !/codecov\.io\/[^\s?]{0,200}\/graph\/[^\s?]{0,100}\?$/.test(
        text.slice(Math.max(0, match.index - 300), match.index + 1),
      ) &&
      !NOT_CREDENTIAL_NAME.test(name) &&
      !NOT_A_SECRET_TOKEN_NAME.test(name) &&
      isPlausibleSecret(decodeURIComponentSafe(secret), name, true)
    );
  },
});

/** Words before a match on its sentence that turn an instruction into a prohibition. */
function isNegated(text: string, at: number): boolean {
  const lineStart = Math.max(text.lastIndexOf("\n", at - 1) + 1, at - 300);
  const before = text.slice(lineStart, at);
  const sentence = before.split(/[.!?]\s/).at(-1) ?? before;
  return /\b(?:never|not|don't|dont|do not|avoid|no|without|instead of|refuse|must not|shouldn't)\b/i.test(
    sentence,
  );
}

const CREDENTIAL_WORDS =
  "(?:api[ _-]?keys?|passwords?|passphrases?|(?:access |auth |bot |api )?tokens?|secrets?|credentials?|private keys?)";

/** The sentence pattern of the agent rule; run only on lines that name a credential. */
const storeInstruction: ScanRule = regexRule({
  id: "agent-stores-credential",
  description: "Text telling the agent to store or repeat a credential",
  keywords: ["remember", "save", "store", "write", "keep", "memori", "repeat", "record", "note"],
  severity: "warning",
  confidence: "medium",
  checksPlaceholders: true,
  pattern: re(
    `\\b(?:(?:save|store|write|put|keep|record|note|log|paste|copy|add)\\b[^.\\n]{0,40}?\\b${CREDENTIAL_WORDS}\\b[^.\\n]{0,30}?\\b(?:in|into|to|inside)\\b[^.\\n]{0,20}?(?:\\b(?:MEMORY|TOOLS|SOUL|AGENTS|USER|IDENTITY|HEARTBEAT|BOOTSTRAP|BOOT)\\.md\\b|(?<!-)\\bmemory\\b(?!-)|\\byour notes\\b|\\bmemory/)|(?:remember|memori[sz]e|repeat|recite)\\s+(?:my|the|this|our|these)\\s+${CREDENTIAL_WORDS})`,
    "i",
  ),
  validate: (_secret, match, text) => !isNegated(text, match.index),
});

const CREDENTIAL_WORD = new RegExp(CREDENTIAL_WORDS, "gi");

/**
 * Text telling the agent to keep or repeat a credential. The sentence pattern backtracks a
 * lot after common verbs (store, add, note), so it runs only on lines with a credential word,
 * and only on their first 2,000 characters.
 */
const agentStoresCredential: ScanRule = {
  ...storeInstruction,
  scan(text) {
    const found: RuleMatch[] = [];
    const word = CREDENTIAL_WORD;
    word.lastIndex = 0;
    for (let m = word.exec(text); m; m = word.exec(text)) {
      const start = text.lastIndexOf("\n", m.index) + 1;
      const newline = text.indexOf("\n", m.index);
      const end = newline < 0 ? text.length : newline;
      word.lastIndex = end;
      // Only the first 2,000 characters of a line are read.
      if (m.index >= start + 2000) continue;
      const line = text.slice(start, Math.min(end, start + 2000));
      for (const match of storeInstruction.scan(line)) {
        found.push({ start: start + match.start, end: start + match.end });
      }
    }
    return found;
  },
};

/** A credential name in an environment variable (`DB_PASSWORD`, `API_TOKEN`, `JWT_SECRET`). */
const ENV_CREDENTIAL_NAME =
  "[A-Za-z0-9_]{0,40}?(?:passw(?:or)?d|passwd|pwd|secret|token|api_?key|access_?key|private_?key|account_?key|credentials?|security_?salt)[A-Za-z0-9_]{0,30}";

/**
 * The fallback written next to an environment variable, which is the credential whenever the
 * variable is unset: `${DB_PASSWORD:-…}` (shell, Compose), `process.env.API_TOKEN || "…"`, or
 * the default a reader of one takes (PHP's `env('DB_PASSWORD', '…')`, Python's
 * `os.getenv("SECRET_KEY", "…")`, `os.environ.get(…)`, python-decouple's `config(…, default=…)`,
 * Elixir's `System.get_env("…", "…")`, Ruby's `ENV.fetch("…", "…")`).
 */
const envFallback = regexRule({
  id: "env-fallback-credential",
  description:
    "Credential written as the fallback of an environment variable (${X:-…}, env.X || \"…\", getenv('X') ?: '…')",
  keywords: [
    "${",
    "process.env",
    "import.meta.env",
    "fromenvironment",
    "env(",
    "environ.get(",
    "env.fetch(",
    "config(",
  ],
  confidence: "low",
  checksPlaceholders: true,
  // The operator and the fallback may stand on lines of their own; Dart's
  // `String.fromEnvironment('TOKEN', defaultValue: '…')` and PHP's `getenv('X') ?: '…'` (after
  // `$_ENV[…]` and `$_SERVER[…]` tried in turn) are the same fallback.
  pattern: re(
    `(?:\\$\\{(?<name>${ENV_CREDENTIAL_NAME}):?[-=](?<secret>[^\\s}"'\`$]{4,200})\\}|(?:process\\.env|import\\.meta\\.env)\\.(?<nameAlt>${ENV_CREDENTIAL_NAME})${LINE_GAP}(?:\\|\\||\\?\\?)${LINE_GAP}(?<quote>["'\`])(?<secretAlt>[^"'\`\\n]{4,200})\\k<quote>|\\bgetenv\\([ \\t]{0,2}(?<nameQuote2>["'])(?<nameAlt3>${ENV_CREDENTIAL_NAME})\\k<nameQuote2>[ \\t]{0,2}\\)(?:[ \\t]{0,4}(?:\\?:|\\?\\?)[ \\t]{0,4}\\$_(?:ENV|SERVER)\\[[ \\t]{0,2}["'][\\w.-]{1,64}["'][ \\t]{0,2}\\]){0,3}${LINE_GAP}(?:\\?:|\\?\\?|\\|\\|)${LINE_GAP}(?<quoteAlt2>["'])(?<secretAlt3>[^"'\\n]{4,200})\\k<quoteAlt2>|\\bString\\.fromEnvironment\\(${LINE_GAP}(?<nameQuote>["'])(?<nameAlt2>${ENV_CREDENTIAL_NAME})\\k<nameQuote>[ \\t]{0,4},${LINE_GAP}defaultValue[ \\t]{0,4}:${LINE_GAP}r?(?<quoteAlt>["'])(?<secretAlt2>[^"'\\n]{4,200})\\k<quoteAlt>|\\b(?:env|getenv|environ\\.get|ENV\\.fetch|System\\.get_env|config)\\([ \\t]{0,2}(?<nameQuote4>["'])(?<nameAlt4>${ENV_CREDENTIAL_NAME})\\k<nameQuote4>[ \\t]{0,2},[ \\t]{0,2}(?:default[ \\t]{0,2}=[ \\t]{0,2})?(?<quoteAlt4>["'])(?<secretAlt4>[^"'\\n]{4,200})\\k<quoteAlt4>[ \\t]{0,2}\\))`,
    "i",
  ),
  validate: (secret, match) => {
    const groups = match.groups ?? {};
    const name =
      groups.name ?? groups.nameAlt ?? groups.nameAlt2 ?? groups.nameAlt3 ?? groups.nameAlt4 ?? "";
    return !NOT_CREDENTIAL_NAME.test(name) && isPlausibleSecret(secret, name, true);
  },
});

/**
 * A function named after a credential that returns a literal: `getApiToken() { return "…" }`,
 * `def get_password(self): return "…"`, `String getSecret() {` with `return "…";` on the next
 * line, `fun apiKey(): String {`. The literal is the credential wherever the function is
 * called. Only a definition: the name starts its line, after keywords, modifiers and a return
 * type (not a call inside `if (isValidToken(t)) {`), and is not a verb's (`validatePassword`,
 * `hasApiKey`, `encryptToken` return something else).
 *
 * Each `return "…"` is found first (a literal word, quick to find), then the header is read in
 * the 300 characters before it, from the start of its line or of the line before.
 */
const RETURNED_LITERAL = /\breturn[ \t]{1,4}(["'`])([^"'`\n]{8,300})\1/g;
const GETTER_HEADER =
  /^[ \t]{0,40}(?:[A-Za-z_][\w<>[\],.?*&]{0,40}[ \t]{1,4}){0,5}(?<name>(?:[A-Za-z_][A-Za-z0-9_]{0,30}?)?(?:passw(?:or)?d|passwd|secret|token|api_?key|apikey|access_?key|private_?key|credentials?)[A-Za-z0-9_]{0,20})[ \t]{0,2}\([^()\n]{0,60}\)[^{}:;=\n]{0,40}(?::[ \t]{0,2}[A-Za-z_][\w<>[\]?.| ]{0,40})?(?:\{|:|=>)[ \t]{0,4}(?:\r?\n[ \t]{0,40})?$/i;

/** Where the header of the function whose `return` starts at `at` begins, if within reach. */
function getterHeaderStart(text: string, at: number): number | undefined {
  const floor = Math.max(0, at - 300);
  const window = text.slice(floor, at);
  let newline = window.lastIndexOf("\n");
  if (newline < 0) return floor === 0 ? 0 : undefined;
  // `return` alone on its line: the header is the line before.
  if (/^[ \t]*$/.test(window.slice(newline + 1))) {
    newline = window.lastIndexOf("\n", newline - 1);
    if (newline < 0) return floor === 0 ? 0 : undefined;
  }
  return floor + newline + 1;
}

const credentialGetterReturn: ScanRule = {
  id: "credential-getter-return",
  description:
    'Credential returned as a literal by a function named after it (getApiToken() { return "…" })',
  keywords: ["return"],
  severity: "error",
  confidence: "medium",
  suggestedName: "SECRET",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const returned = RETURNED_LITERAL;
    returned.lastIndex = 0;
    for (let m = returned.exec(text); m; m = returned.exec(text)) {
      const headerStart = getterHeaderStart(text, m.index);
      if (headerStart === undefined) continue;
      const name = GETTER_HEADER.exec(text.slice(headerStart, m.index))?.groups?.name;
      const secret = m[2] as string;
      if (!name) continue;
      const firstWord = /^_*([a-z]+|[A-Z][a-z]*)/.exec(name)?.[1]?.toLowerCase() ?? "";
      if (NOT_A_GETTER.test(firstWord) || NOT_CREDENTIAL_NAME.test(name)) continue;
      if (!isPlausibleSecret(secret, name, true)) continue;
      const start = m.index + m[0].length - 1 - secret.length;
      found.push({ start, end: start + secret.length });
    }
    return found;
  },
};
/**
 * An arrow function named after a credential whose body is a literal: `getSecret: () => "…"`,
 * `const apiToken = () => '…'`. As with `return "…"`, the literal is the credential wherever
 * the function is called; not a verb's function (`validateToken = () => "…"`) nor one whose
 * name goes on past the credential's word (`getTokenMint`, `getTokenIcon`).
 */
const credentialArrowLiteral = regexRule({
  id: "credential-arrow-literal",
  description:
    'Credential returned as a literal by an arrow function named after it (getSecret: () => "…")',
  keywords: ["=>"],
  confidence: "medium",
  suggestedName: "SECRET",
  checksPlaceholders: true,
  near: { literal: "=>", before: 90, after: 310 },
  pattern: () =>
    re(
      `${notBefore("A-Za-z0-9_$")}(?<name>(?:[A-Za-z_][A-Za-z0-9_]{0,30}?)?(?:passw(?:or)?d|passwd|secret|token|api_?key|apikey|access_?key|private_?key|credentials?))["']?[ \\t]{0,2}[:=][ \\t]{0,2}(?:async[ \\t]{1,2})?\\([ \\t]{0,2}\\)[ \\t]{0,2}(?::[ \\t]{0,2}string[ \\t]{0,2})?=>[ \\t]{0,2}(?<quote>["'\`])(?<secret>[^"'\`\\n]{8,300})\\k<quote>`,
      "i",
    ),
  validate: (secret, match) => {
    const name = match.groups?.name ?? "";
    const firstWord = /^_*([a-z]+|[A-Z][a-z]*)/.exec(name)?.[1]?.toLowerCase() ?? "";
    // A key's or a token's only when clearly random (`tokenStorageKey = () => 'auth_token_v2'`
    // names a key); a password as any other password.
    return (
      !NOT_A_GETTER.test(firstWord) &&
      !NOT_CREDENTIAL_NAME.test(name) &&
      (/passw(?:or)?d$/i.test(name) || isStrongRandom(secret)) &&
      isPlausibleSecret(secret, name, true)
    );
  },
});

/** First words of functions that check, change or make a credential rather than return one. */
const NOT_A_GETTER =
  /^(?:is|has|can|should|validate|valid|check|verify|encrypt|decrypt|hash|generate|gen|create|make|new|parse|set|update|reset|rotate|revoke|refresh|renew|delete|remove|clear|store|save|send|mask|redact|format|normalize|sanitize|to|from|with|on|handle|build|compute|derive|sign|issue|exchange|request|require|ensure|assert|test|mock|fake|random|compare|match|encode|decode|extract|find|lookup|fetch|read|load|prompt|ask|print|log|show|display|render)$/;

/** An e-mail address (bounded: a local part, up to eight labels of its domain). */
const EMAIL_ADDRESS =
  "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,6}\\.[A-Za-z]{2,24}";

const emailPasswordPair = regexRule({
  // `bob@gmail.com:Kx9…` alone on its line (the form of leaked combo lists) and `Gmail:
  // bob@gmail.com / Kx9…` after a label in a note: an e-mail address and its password. The
  // password is drawn or has a symbol, and ends the line: not a path after a host
  // (`deploy@web01:releases2024 --delete`), a commit, a UUID, a version or a user name.
  id: "email-password-pair",
  description:
    "Password written after an e-mail address (bob@example.org:password, Gmail: email / password)",
  // No keyword of two characters names it; the rule only reads the text around each `@`.
  keywords: [],
  confidence: "low",
  checksPlaceholders: true,
  near: { literal: "@", before: 110, after: 170 },
  pattern: re(
    `(?:^|\\n)[ \\t]{0,8}(?:[-*+][ \\t]{1,4})?(?:(?:\\*\\*)?[A-Za-z][\\w .-]{0,30}:(?:\\*\\*)?[ \\t]{1,4}${EMAIL_ADDRESS}[ \\t]{1,4}/[ \\t]{1,4}|${EMAIL_ADDRESS}:)(?<secret>[^\\s/:'"\`<>|,;()[\\]{}@]{8,64})(?<![.,;])[ \\t]*(?=\\r?\\n|$)`,
  ),
  validate: (secret) =>
    /[0-9]/.test(secret) &&
    /[A-Za-z]/.test(secret) &&
    !/^[a-f0-9]+$/i.test(secret) &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(secret) &&
    !/^v?\d+\.\d/i.test(secret) &&
    !/_/.test(secret) &&
    (isStrongRandom(secret) ||
      isDrawnPassword(secret) ||
      (/[^A-Za-z0-9]/.test(secret) && classCount(secret) >= 3)) &&
    !isExamplePassword(secret),
});

export const GENERIC_RULES: ScanRule[] = [
  envFallback,
  xmlTagCredential,
  htmlPasswordInput,
  powershellPlainTextPassword,
  ciscoConfigCredential,
  nameValuePair,
  xmlNameValuePair,
  parameterDefault,
  genericAssignment,
  tableCredentialColumn,
  htmlTableCredentialColumn,
  labelLineCredential,
  urlTokenUserinfo,
  uiTestPassword,
  curlOptPassword,
  sequenceFlagCredential,
  pipedPassword,
  comparedLiteral,
  signingCallKey,
  urlQueryCredential,
  qualifiedLabelCredential,
  translatedLabelCredential,
  otpSeed,
  codeLdapBind,
  agentStoresCredential,
  credentialGetterReturn,
  credentialArrowLiteral,
  emailPasswordPair,
];
