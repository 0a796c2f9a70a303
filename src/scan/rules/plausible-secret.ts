/**
 * Whether a value assigned to a credential-like name is a plausible live secret, judged from
 * the value and the name alone: not a placeholder, a reference, a redaction, a sentence or a
 * piece of code, and shaped like a secret (entropy and character classes, lower for a
 * password; several plain words only for a passphrase). The generic detectors and the
 * credential config files (config-files.ts) ask it.
 */
import {
  hasPlaceholderWord,
  isPlaceholder,
  isRedacted,
  isReference,
  shannonEntropy,
} from "../placeholders.js";
import {
  classCount,
  entropyBarFor,
  isAnonRoleJwt,
  isRandomHex,
  isWordsJoinedBySlash,
} from "./build.js";
import { isExamplePassword, isTypicalPassword } from "./connections.js";

/** Names whose value is a password (lower entropy accepted). */
const PASSWORD_WORD = /^(?:pass|pwd|passphrase|pw)/i;

/**
 * Capital words joined by `-` or `_` in parts of different lengths (`X-APISIX-KEY`): a header's
 * or a constant's name; a key's groups are of one length (`QWXZP-MKRTV-BNHGF`).
 */
function isCapitalWordsName(value: string): boolean {
  if (!/^[A-Z]+(?:[-_][A-Z]+)+$/.test(value)) return false;
  return new Set(value.split(/[-_]/).map((part) => part.length)).size > 1;
}

/** `value` with its numeric HTML entities (`&#246;`, `&#xF6;`) decoded. */
function decodeLetterEntities(value: string): string {
  return value.replace(/&#(x[0-9A-Fa-f]{2,4}|\d{3,5});/g, (_, code: string) =>
    String.fromCodePoint(code.startsWith("x") ? Number.parseInt(code.slice(1), 16) : Number(code)),
  );
}

/** Apple's generated password: `xxxxxx-xxxxxx-xxxxxx`, exactly one capital and one digit. */
const APPLE_GENERATED_PASSWORD =
  /^(?=[^A-Z]*[A-Z][^A-Z]*$)(?=[^0-9]*[0-9][^0-9]*$)[A-Za-z0-9]{6}-[A-Za-z0-9]{6}-[A-Za-z0-9]{6}$/;

/** The shape of a Google app password: 16 small letters, often in four groups of four. */
const APP_PASSWORD_SHAPE = /^[a-z]{4}( ?)[a-z]{4}\1[a-z]{4}\1[a-z]{4}$/;

/**
 * Pairs of consonants English words often hold (`st`, `th`, `ck`, `ng`, …): a drawn run of
 * small letters holds many other pairs (`qc`, `wk`, `xh`), words joined hold few.
 */
const COMMON_CONSONANT_PAIRS = new Set(
  "bb bl br cc ch ck cl cr ct dd dr ds ff fl fr ft gg gh gl gr gs hn ht ks lc ld lf lk ll lm ln lp ls lt mb mm mn mp ms nc nd ng nk nn ns nt ph pl pp pr ps pt rb rc rd rf rg rk rl rm rn rp rr rs rt sc sh sk sl sm sn sp ss st sw th tr ts tt tw wh wl wn wr ws xt".split(
    " ",
  ),
);

/**
 * A Google app password (what Gmail gives a mail client: 16 small letters, written whole or
 * in four groups of four): drawn, so few vowels and pairs of consonants that English words
 * seldom hold (`qc`, `wk`, `xh`); not words joined (`postgrespassword`, `checkpointstream`) nor
 * the alphabet (Google's example `abcd efgh ijkl mnop`). Four such pairs and at most seven
 * vowels let 92% of drawn values through, 0.5% of dictionary words joined and 1.7% of code's
 * 16-letter identifiers; under a password's name, three let 96% through (and 4% of words
 * joined, 6% of identifiers: `updateserverinfo`, which is rarely a password's value).
 */
function isAppPassword(value: string, underPasswordName: boolean): boolean {
  if (!APP_PASSWORD_SHAPE.test(value)) return false;
  const letters = value.replaceAll(" ", "");
  // A walk along a keyboard's rows (`zxcv bnml qwrt sdfg`).
  const rows = "qwertyuiop asdfghjkl zxcvbnm";
  if (value.split(" ").every((group) => group.length === 4 && rows.includes(group.slice(0, 2)))) {
    return false;
  }
  let rarePairs = 0;
  for (let i = 1; i < letters.length; i++) {
    const pair = letters.slice(i - 1, i + 1);
    if (!/[aeiouy]/.test(pair) && !COMMON_CONSONANT_PAIRS.has(pair)) rarePairs++;
  }
  return (
    (letters.match(/[aeiouy]/g) ?? []).length <= 7 &&
    rarePairs >= (underPasswordName ? 3 : 4) &&
    new Set(letters).size >= 8 &&
    !/(?:abc|bcd|cde|def|efg|fgh|ghi|hij|ijk|jkl|klm|lmn|mno|nop|opq|pqr|qrs|rst|stu|tuv|uvw|vwx|wxy|xyz)/.test(
      letters,
    ) &&
    !hasPlaceholderWord(value)
  );
}

/**
 * A WordPress application password (24 letters and digits WordPress draws, shown in six groups
 * of four: `DZkH g48h LaB6 6F0J 1mDF uiIG`): capitals, small letters and digits among them,
 * as a generator mixes them.
 */
function isWordPressAppPassword(value: string): boolean {
  if (!/^[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){5}$/.test(value)) return false;
  // Not words numbered (`The1 Big2 Red3 Dog4 Ran5 Far6`).
  if (value.split(" ").every((group) => /^[A-Z]?[a-z]{2,3}\d?$/.test(group))) return false;
  const letters = value.replaceAll(" ", "");
  return classCount(letters) === 3 && new Set(letters).size >= 14 && !hasPlaceholderWord(value);
}

/**
 * True when `value`, assigned to `name`, is plausibly a live secret: not a reference, a
 * placeholder, a word or identifier, a number, a path; random enough for its kind.
 */
export function isPlausibleSecret(value: string, name: string, quoted = false): boolean {
  if (value.length < 4 || value.length > 1000) return false;
  // Bytes that were not text (U+FFFD, the replacement character): a binary file's, not a secret;
  // character escapes (`[\x21\x23-\x27…`, `\u90DB\u10…`): a pattern or a byte string in code;
  // a quote written as an escape or an entity (`\u0026#34;…&#34;`): markup or code around a value.
  if (
    value.includes("\uFFFD") ||
    (value.match(/\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{2}/g) ?? []).length >= 2 ||
    /&(?:#3[49]|quot|apos);|\\u00(?:22|26|27)/i.test(value)
  ) {
    return false;
  }
  // Words joined with a version after them (`memory_index_meta_v1`, `reserved-incognito-v1`,
  // `CustodyBlockedV1`; a C string's `\0` after it): a name of a format, a table or a domain.
  if (
    /^[a-z]{2,}(?:[_.-][a-z]{2,}){1,8}[_.-]v\d{1,3}(?:\\0)?$/i.test(value) ||
    /^[a-z]{2,}(?:[A-Z][a-z]{2,}){1,8}V\d{1,3}$/.test(value)
  ) {
    return false;
  }
  // Words as a pattern's alternatives (`no password was provided|a terminal`), a URN
  // (`urn:openai:params:oauth:token-type:x509`), words joined by slashes (`subscription/OAuth`):
  // a pattern, a name.
  if (
    /^[a-z]+(?:\|[a-z]+)+$/.test(value) ||
    /^urn:[a-z0-9-]{1,32}:/i.test(value) ||
    isWordsJoinedBySlash(value)
  ) {
    return false;
  }
  const isPassword = namesPassword(name);
  // Under another name than a password's, type names as alternatives in any case
  // (`int|long|str|Binary`, a docstring's) and a resource's path (isResourcePath); a password
  // may be so written (`Horse/Battery/Staple9`).
  if (
    /[|/]/.test(value) &&
    !isPassword &&
    (/^[a-z]+(?:\|[a-z]+)+$/i.test(value) || isResourcePath(value))
  ) {
    return false;
  }
  // A word with a letter written as an HTML entity (`L&#246;senord`, Swedish for password): a
  // page's label.
  const decoded = decodeLetterEntities(value);
  if (decoded !== value && /^\p{L}+$/u.test(decoded)) return false;
  if (isSecretObjectName(value, name)) return false;
  // Supabase's anon key: a JWT of the anonymous role, public by design.
  if (value.startsWith("eyJ") && isAnonRoleJwt(value)) return false;
  // A header's or a constant's name of capital words (`X-APISIX-KEY`).
  if (isCapitalWordsName(value)) return false;
  // A token's prefix with its token to follow (`oauth:` of a Twitch chat password).
  if (/^(?:oauth|bearer|token):$/i.test(value)) return false;
  // A glob of names (`*.token` in a logger's list of paths to redact, `*.pem`).
  if (/^\*{1,2}\.[\w*.-]{1,60}$/.test(value)) return false;
  // A scoped package's name, or a token named after one (`@jupyterlab/translation:ITranslator`).
  if (/^@[a-z0-9][\w.-]{0,100}\/[\w.-]{1,100}(?::[\w.-]{1,100})?$/.test(value)) return false;
  // A wallet's recovery phrase: 12 to 24 lower-case words.
  if (/mnemonic|seed/i.test(name)) {
    return /^(?:[a-z]{3,8} ){11,23}[a-z]{3,8}$/.test(value) && new Set(value.split(" ")).size >= 9;
  }
  // A generator's password with symbols: its brackets and `$` are characters, not a template's
  // or code's. Still not a reference, a redaction, a stand-in's word, an ellipsis or a pattern.
  if (quoted && isDrawnWithSymbols(value)) {
    return (
      !isReference(value) &&
      !isRedacted(value) &&
      !hasPlaceholderWord(value) &&
      !/\.\.\.|…/.test(value) &&
      !REGEX_SYNTAX.test(value) &&
      !isTypicalPassword(value)
    );
  }
  // A password Apple's keychain made (`qunxig-javsux-hApwi6`): three groups of six, one capital
  // and one digit among them; drawn, though it reads as syllables joined by hyphens.
  if (isPassword && APPLE_GENERATED_PASSWORD.test(value)) return true;
  if (isAppPassword(value, isPassword) || isWordPressAppPassword(value)) return true;
  if (!quoted && isCodeName(value, isPassword)) return false;
  // Words and spaces: a description ("print the password on stdout"), or a passphrase; not a
  // command whose output is the value (`` `cat /dev/urandom | tr -dc A-Za-z0-9 | head -c 16` ``).
  if (/\s/.test(value)) {
    if (
      /\s\|\s|^(?:cat|echo|printf|openssl|head|pwgen|gpg|base64|security|pass|op|vault|aws|gcloud|az|kubectl)\s+(?:-|\S*[/.])/.test(
        value,
      )
    ) {
      return false;
    }
    if (!isPassword || isProse(value) || isInterfaceText(value)) return false;
    // A brace set apart by blanks at either end: a block of code between two strings
    // (`"*password:" { send "…" }` of an expect script read as `password: " { send "`).
    if (/^\s*[{}]\s|\s[{}]\s*$/.test(value)) return false;
    if (isPassphrase(value)) {
      return quoted && !isPlaceholder(value) && !isReference(value) && !isRedacted(value);
    }
    // Six words or more, not a passphrase's, with a sentence's marks or letters beyond ASCII
    // (`Controla cuándo se activa el indicador …: "never", …`, an interface's help text in
    // another language): a sentence.
    if (value.trim().split(/\s+/).length >= 6 && /[,.:;"“”()]|[^\t-~]/.test(value)) {
      return false;
    }
    // Words with a label's colon or in brackets (`egress: bridge (unrestricted)`): a message.
    if (
      value
        .trim()
        .split(/\s+/)
        .every((word) => /^\(?\p{L}{2,}[):.,;!?]{0,2}$/u.test(word))
    ) {
      return false;
    }
  } else if (
    /^\p{L}+[.:!?]?$|^\p{L}+(?:-\p{L}+)+:?$/u.test(value) &&
    ((PASSWORD_IN_LANGUAGES.test(value) &&
      (/[:?!]$/.test(value) || PASSWORD_IN_LANGUAGES.exec(value)?.index === 0)) ||
      NON_ASCII.test(value))
  ) {
    // One word that is a password's name (`"Engangskode:"`, `"Kennwort"`), or words of a
    // language written beyond ASCII (`"Změnit"`, `"Glömt?"`, `"API-Schlüssel"`): a label; not
    // a password that holds the word (`thisismypassword`).
    return false;
  }
  // The cheap shape checks first: most candidates fail them.
  if (!hasSecretShape(value, isPassword, quoted)) return false;
  // `"'$VAR'"`: quotes inside the quotes, around a reference.
  if (/^["']/.test(value) && isReference(value.replace(/^["'\s]+|(?<!["'\s])["'\s]+$/g, "")))
    return false;
  if (isReference(value) || isRedacted(value) || isPlaceholder(value)) return false;
  // An e-mail address (`"key": "f45VgF8jX79o@anydata.com"`): whom to write to, not a secret.
  if (
    /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}$/.test(
      value,
    )
  ) {
    return false;
  }
  // A host's name (`a21hi64alhm13r-ats.iot.us-east-1.amazonaws.com`, an MQTT broker's under
  // `SECRET_BROKER`): where to connect, not a secret.
  if (HOST_NAME.test(value)) return false;
  // A number, with a C suffix too (`0X20000000ul`, `4096L`); a version range (`^1.0.0`); a
  // keyword argument's name (`default=`); a hash algorithm (`sha256`, `argon2`); validation
  // rules (`required|min:8`, Laravel's).
  // (Under a password's name, 16 digits and more drawn at random are one: a Wi-Fi passphrase of
  // digits, `33612760324955923678`; a phone number or an id is shorter, a time counts: not a
  // time in micro- or nanoseconds, `1701894123456789012`.)
  const drawnDigits =
    isPassword &&
    /^\d{16,63}$/.test(value) &&
    new Set(value).size >= 7 &&
    !/^1[5-9]\d{8}(?:\d{3}){2,3}$/.test(value);
  if (!drawnDigits && /^(?:[\d.,:+-]{1,40}|0x[0-9a-f]+)(?:[ul]{1,3}|f)?$/i.test(value)) {
    return false;
  }
  if (/^[\^~]\d{1,6}(?:\.\d{1,6}){0,3}$|^[a-z_][a-z0-9_]{0,30}=$/.test(value)) return false;
  // A numbered item's id (`T1003.008`, MITRE ATT&CK's technique for dumping `/etc/passwd`).
  if (/^[A-Z]{1,3}\d{2,6}(?:\.\d{1,6}){1,3}$/.test(value)) return false;
  if (/^(?:sha(?:1|224|256|384|512)|md5|bcrypt|scrypt|argon2(?:id|i|d)?|pbkdf2)$/i.test(value)) {
    return false;
  }
  if (
    /(?:^|\|)(?:required|nullable|sometimes|confirmed)(?:\||$)/.test(value) ||
    value === "confirmed"
  ) {
    return false;
  }

  // Manual page markup (`\fB\-\-auth=\fR\fIauthmethod\fR`): roff's font escapes switch to
  // bold, italic or roman around an option's placeholder, in formatted text.
  if (/\\f[BIRP]/.test(value)) return false;
  // A constant whose value is its own name (`GENERATE_PASSWORD = 'GeneratePassword'`,
  // `API_TOKEN: "api-token"`): an enum's member or a label, not a credential.
  if (isOwnName(value, name)) return false;
  // A date and time under a key's or token's name (`st=2025-03-04T07:24:52Z`, the start of a
  // SAS token's query); a password may be one.
  if (
    !isPassword &&
    /^(?:[a-z]{1,4}=)?\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(
      value,
    )
  ) {
    return false;
  }
  // Windows Setup's configuration passes (unattend.xml's `<settings pass="windowsPE">`).
  if (
    /^(?:windowsPE|offlineServicing|generalize|specialize|auditSystem|auditUser|oobeSystem)$/.test(
      value,
    )
  ) {
    return false;
  }
  // A registry key's path (`HKLM\\SOFTWARE\\Microsoft\\Windows`, its backslashes escaped or not).
  if (/^(?:HKLM|HKCU|HKCR|HKU|HKCC|HKEY_[A-Z_]{4,20})\\{1,2}[A-Za-z]/.test(value)) return false;
  // A path of names percent-encoded (WinSCP's `Software%5CSimonTatham%5CPuTTY`).
  if (/^[A-Za-z]{2,40}(?:%(?:5[Cc]|2[Ff])[A-Za-z]{2,40}){2,}$/.test(value)) return false;
  // A relative path or route of words (`process/task/step/comment/v2`, `api/v1/user/list`).
  if (/^[a-z]+\d{0,2}(?:\/(?:[a-z]+\d{0,2}|v\d{1,2})){2,}\/?$/.test(value)) return false;
  // A path (`C:/…` too), a colour or an anchor, a number or words after `+`, an ARN, a URL;
  // not base64 that starts with `+` (20 characters or more, a digit and a capital among them).
  if (
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:[\\/]|#|\+(?!(?=[^\n]*\d)(?=[^\n]*[A-Z])[A-Za-z0-9+/]{19,}={0,2}$)|arn:|https?:\/\/)/.test(
      value,
    )
  )
    return false;
  // Code, not a value: a call, a member access, an identifier in camel or snake case (a
  // private `_name` too), a symbol's name behind a sigil (`"?InterpolationInTemplate"`).
  if (
    /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value) &&
    !hasRandomPart(value)
  ) {
    return false;
  }
  if (/^[A-Za-z_][\w.]*\(|^\(/.test(value)) return false;
  if (
    /^[_$]{0,2}[a-z]+(?:[A-Z][a-z]+)+$|^_{0,2}[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]+(?:[_-][a-z]+)+$/.test(
      value,
    ) ||
    (/^[?@#:!_$~]{1,2}[A-Za-z]+$/.test(value) && isCamelWords(value.replace(/^[?@#:!_$~]+/, "")))
  ) {
    return false;
  }
  // Base64 of a documentation password (`Y2hhbmdlbWU=`, a Kubernetes Secret's data), or of a
  // stand-in pair (`dXNlcm5hbWU6cGFzc3dvcmQ=`, `username:password` for HTTP Basic).
  if (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(value) && value.length % 4 === 0) {
    const decoded = Buffer.from(value, "base64").toString("latin1");
    if (/^[\x20-\x7e]+$/.test(decoded) && (isExamplePassword(decoded) || isStandInPair(decoded))) {
      return false;
    }
  }
  // An SSH public key blob, not a secret.
  if (/^AAAA[A-Z0-9][0-9A-Za-z]{2}zaC1|^AAAAE2VjZHNh/.test(value)) return false;
  // A bare `key` / `auth` name (`cache_key`, `sort_key`, `redis.auth`) takes only clearly
  // random values; `api_key`, `secret_key` name a credential, though a short value beside
  // them is often the id half of a pair (`API_KEY=APIxxxxxxxx` with an `API_SECRET`).
  const keyName = keyNameKind(name);
  if (
    keyName === "bare" &&
    !isStrongRandom(value) &&
    !isAuthPassword(name, value) &&
    !isVendorKey(name, value)
  ) {
    return false;
  }
  if (
    keyName === "qualified" &&
    value.length < 20 &&
    !isStrongRandom(value) &&
    !isDrawnSingleCase(value)
  ) {
    return false;
  }
  // `SECRET_KEY`, `signing_key`: never the id half of a pair, held to the shape checks only.
  if (isPublicByDesign(value)) return false;
  // Three or more capitalised words, a version after them at most
  // (`NamespaceOpenshiftResourceVaultSecret_v1`): a type's or an object's name. A password may
  // be so written (`MyPlainTextPassword`), a drawn key never is.
  if (!isPassword && /^(?:[A-Z][a-z]{2,}){3,}(?:_?v?\d{1,3})?$/.test(value)) return false;
  // So with a version among the words (`GoogleCloudApigeeV1Credential`,
  // `Ipv6CidrAssociations`; two words beside a version, `V1SecretProjection`), words with vowels
  // (`Tq8Wmxz3V7Lkpr5Nbjd` is drawn; `MySuperSecretKey42`, with no version, is judged as typed).
  if (
    !isPassword &&
    value.length <= 100 &&
    TYPE_NAME_WITH_NUMBERS.test(value) &&
    /[Vv]\d/.test(value) &&
    isIdentifierWords(value) &&
    (value.match(/[A-Z][a-z]{2,}/g) ?? []).length >= (/V\d/.test(value) ? 2 : 3)
  ) {
    return false;
  }
  if (isPassword) {
    return !isExamplePassword(value) && (!isWordsAndNumbers(value) || isWordPassphrase(value));
  }
  return !isWordsAndNumbers(value, true);
}

const BRACKET_PAIRS = [
  ["(", ")"],
  ["[", "]"],
  ["{", "}"],
  ["<", ">"],
] as const;

/**
 * A regular expression's syntax: a range in a class (`A-Z`, `0-9`), an escape (`\d`), a
 * group's opening (`(?:`), a count (`{20,}`), anchors at both ends.
 */
const REGEX_SYNTAX =
  /A-Z|a-z|0-9|A-F|a-f|\\[dswbDSWpP]|\(\?[:=!<]|\{\d{1,3}(?:,\d{0,3})?\}|^\^[\s\S]*\$$/;

/**
 * A password a generator drew from letters, digits and symbols (`YB_{Hgc$_JSJ5aq>`,
 * `Xk3{Qa7)Lm2<Wp9]`): its brackets, `$` and `<>` fall anywhere, where a template's or code's
 * enclose or follow a word. 10 to 128 printable characters without spaces, three in five of
 * them different; one of those characters, none closed after it opens, and three kinds of
 * character in all; no run of four letters or more that reads as a word, a constant or a name
 * in camel case (`args`, `PASS`, `getPass`, `Values`), which a template or a call holds and a
 * drawn value seldom does.
 */
export function isDrawnWithSymbols(value: string): boolean {
  if (value.length < 10 || value.length > 128 || !/^[!-~]+$/.test(value)) return false;
  if (!/[{}()<>[\]$]/.test(value) || classCount(value) < 3) return false;
  // A template's or a shell's opening or closing (`{{`, `${`, `$(`, `<%`, `%}`), a version's
  // comparison (`pyu2f>=0.1.5`).
  if (/\{\{|\}\}|[$%#@]\{|\$\(|<%|%>|\{%|%\}|[<>=!~]=\d/.test(value)) return false;
  // A bracket and its closing one after it: a placeholder (`<API_KEY_1>`, `{ID}.{SIG}`), a
  // wrapper (Jasypt's `ENC(…)`, Mule's `![…]`), a format (`{:08x}`, `%31[^:]`), a pattern or
  // code (`(?P<key>.+)`, `[0x1F,0xA2]`, `<C-w>`). A generator's brackets seldom pair up.
  for (const [open, close] of BRACKET_PAIRS) {
    const at = value.indexOf(open);
    if (at >= 0 && value.indexOf(close, at + 1) > at) return false;
  }
  if (new Set(value).size < value.length * 0.6) return false;
  return !(value.match(/[A-Za-z]{4,}/g) ?? []).some((run) =>
    /^(?:[a-z]+|[A-Z]+|[A-Z]?[a-z]{2,}(?:[A-Z][a-z]{2,})*)$/.test(run),
  );
}

/**
 * The name of a secret object rather than a secret (`secret: "k8s-infra-key"`, `"secret":
 * "awx-postgres-configuration"`): under a name that is `secret` alone (or its name or ref), a
 * value in the shape of a Kubernetes object's name (lower-case words and numbers joined by `-`),
 * two of its parts words of three letters or more.
 */
export function isSecretObjectName(value: string, name: string): boolean {
  return (
    /^secrets?(?:[_-]?(?:name|ref))?$/i.test(name) &&
    /^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(value) &&
    value.length <= 63 &&
    value.split("-").filter((part) => /^[a-z]{3,}$/.test(part)).length >= 2
  );
}

/**
 * Unquoted code rather than a value: a path of C++, Rust or PHP (`std::move(x)`,
 * `KeyInfo::getLatticeKeyFromValue`), or, for a name that is not a password's, words and
 * abbreviations joined by underscores without a digit (`_S_token_ord_char`, `NID_dsaWithSHA`),
 * which a drawn token almost never is (a password may be words so joined: `correct_horse`).
 */
/** One part of a name in code: an abbreviation, a word, or words in camel case (`dsaWithSHA`). */
const CODE_WORDS = /^(?:[A-Z]{1,8}|[a-z]{2,}|[A-Z][a-z]{2,})(?:[A-Z][a-z]{2,}|[A-Z]{2,8})*$/;

function isCodeName(value: string, isPassword: boolean): boolean {
  if (value.includes("::")) return true;
  if (isPassword || !/^_*[A-Za-z]+(?:_+[A-Za-z]+)+_*$/.test(value)) return false;
  return value
    .split("_")
    .filter((part) => part !== "")
    .every((part) => CODE_WORDS.test(part));
}

/**
 * A password made of words, as password managers generate them (`purple-Otter-42-river`): three
 * or more parts joined by one and the same separator, each a word or a number, with a word in
 * lower case, a capitalised word and a number among them. An identifier joins its words in one
 * case (`openclaw-gateway-2026`), or mixes letters and digits within a part (`Auth0-Login`,
 * `Enc-AES256-GCM`, `Field-Level-Encryption-v2`), or more than one separator (`app.Config.Db-2`).
 */
function isWordPassphrase(value: string): boolean {
  const separator = /[-_.]/.exec(value)?.[0];
  if (separator === undefined) return false;
  const parts = value.split(separator);
  if (parts.length < 3 || !parts.every((part) => /^(?:[A-Za-z]{2,}|\d{1,6})$/.test(part))) {
    return false;
  }
  return (
    parts.some((part) => /^[a-z]+$/.test(part)) &&
    parts.some((part) => /^[A-Z][a-z]+$/.test(part)) &&
    parts.some((part) => /^\d+$/.test(part))
  );
}

/**
 * `key`, `auth`, `access` as the last word of a name: "bare" alone or after a word that does not
 * make it a credential (`cache_key`), "qualified" after one that does (`api_key`).
 */
function keyNameKind(name: string): "bare" | "qualified" | "secret" | undefined {
  // Camel case ends a name in a word of its own only after a separator (`provisionDeviceKey`
  // is one word here, as it always was), so that `cacheKey` is not judged stricter than before.
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
  const last = words.at(-1) ?? "";
  if (!/^(?:key|auth|authorization|access)$/i.test(last)) return undefined;
  const before = splitWords(words.at(-2) ?? "").at(-1) ?? "";
  const qualified = last.toLowerCase() === "key" && CREDENTIAL_QUALIFIER.test(before);
  if (qualified && SECRET_QUALIFIER.test(before)) return "secret";
  return qualified ? "qualified" : "bare";
}

/**
 * Words that make `…_key` the secret itself, never the id half of a pair (`SECRET_KEY`,
 * `signingKey`, `MASTER_KEY`).
 */
const SECRET_QUALIFIER = /^(?:secret|private|signing|encryption|master|hmac|jwt|webhook)$/i;

/** Words that make `…_key` a credential's name (`api_key`, `secretKey`, `ACCESS_KEY`). */
const CREDENTIAL_QUALIFIER =
  /^(?:api|apikey|secret|private|signing|encryption|master|session|auth|admin|service|server|write|ingest|account|personal|license|app|application|client|sdk|user|hmac|jwt|webhook|subscription|management|root)$/i;

/**
 * `redis.auth = '…'`, `proxy_auth: …`: an `auth` setting holding a password, 10+ characters of
 * three classes (not `basic`, `oauth2`, `Bearer`, `AWS4-HMAC-SHA256`).
 */
function isAuthPassword(name: string, value: string): boolean {
  return (
    /auth$/i.test(name) &&
    value.length >= 10 &&
    classCount(value) >= 3 &&
    !value
      .split(/[^A-Za-z]+/)
      .every((part) => part.length <= 1 || isCamelWords(part) || /^[A-Z]+$/.test(part)) &&
    !isWordsAndNumbers(value)
  );
}

/** `myApiKey` → `[my, Api, Key]`: a name's words, camel case split. */
function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "");
}

/**
 * Keys their providers document as public, shipped to browsers and apps: Stripe and Supabase
 * publishable keys, Branch.io `key_live_`/`key_test_` SDK keys, Braintree tokenization keys,
 * Flutterwave public keys, Mapbox public tokens, PostHog project keys, Datadog RUM client
 * tokens, Firebase Cloud Messaging registration tokens (a device's address, `…:APA91b…`;
 * the legacy server key of the same shape starts with `AAAA`), age recipients (`age1…`,
 * the public half of an age identity), New Relic browser keys (`NRJS-…`, in every page the
 * browser agent instruments) and Crossmint client keys (`ck_production_…`, made for the
 * browser; the server's are `sk_…`), and the ids of Stripe's objects (`pi_…`, `cus_…`, `ch_…`, `pm_…`,
 * `cs_live_…`; not its shorter prefixes, which other providers' keys share: Resend's `re_…`;
 * a payment intent's client secret, `pi_…_secret_…`, is not an id), and Salesforce connected
 * apps' consumer keys (`3MVG9…`: the OAuth client id; the consumer secret is the credential).
 */
const PUBLIC_BY_DESIGN =
  /^(?:pk_(?:live|test)_|sb_publishable_|key_(?:live|test)_[A-Za-z0-9]{20,}$|(?:sandbox|production)_[a-z0-9]{8}_[a-z0-9]{16}$|FLWPUBK(?:_TEST)?-|pk\.eyJ|phc_|pub[a-f0-9]{32}$|(?!AAAA)[A-Za-z0-9_-]{11,200}:APA91b|age1[02-9ac-hj-np-z]{58}$|npub1[02-9ac-hj-np-z]{58}$|NRJS-[a-f0-9]{19}$|ck_(?:production|staging)_|(?:pi|ch|cus|pm|seti|price|prod|evt)_[A-Za-z0-9]{14,40}$|cs_(?:live|test)_[A-Za-z0-9]{14,80}$|3MVG9[A-Za-z0-9._]{60,100}$)/;

/** True when `value` has the documented shape of a key that is public by design. */
function isPublicByDesign(value: string): boolean {
  return PUBLIC_BY_DESIGN.test(value);
}

/**
 * Words that mark a value as a sentence rather than a passphrase: function words, the words of
 * forms and messages, and the credential words themselves ("the command a program runs for a
 * password", "Enter your password", "must be 8 characters or more").
 */
const PROSE_WORDS = new Set(
  (
    "a an the to of for on in at by with from into onto as is are was be been being or and nor " +
    "not no if when then than this that these those it its your you our we my their there here " +
    "will would can could must should may might do does did has have had via per instead each " +
    "every all any which what who how where enter invalid incorrect wrong required missing " +
    "forgot forgotten show hide confirm current change reset weak strong match matches " +
    "characters chars too short long empty please error failed field value set use used print " +
    "write read see below above up out sign log"
  ).split(" "),
);
/** A credential word (`passwords`, `api_key`, `Passwort`; not `monkey`, `keyboard`). */
const CREDENTIAL_STEM =
  /(?:^|[_-])(?:pass(?:words?|wort|phrases?|codes?|e)?|pwd|secrets?|tokens?|keys?|credentials?|logins?|auth(?:entication|orization)?)$/;

/** A credential word (`"Password: "`), or two or more words with a function or a form's word. */
function isProse(value: string): boolean {
  const words = value
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/^[^a-z0-9]+|(?<![^a-z0-9])[^a-z0-9]+$/g, ""))
    .filter((word) => word !== "");
  return (
    words.some((word) => CREDENTIAL_STEM.test(word)) ||
    (words.length >= 2 && words.some((word) => PROSE_WORDS.has(word)))
  );
}

/** A character outside printable ASCII (a letter of another script, an accented letter). */
const NON_ASCII = /[^ -~\t\r\n]/;

/** The word for a password in the languages interfaces are translated to. */
export const PASSWORD_IN_LANGUAGES =
  /pass(?:word|ord|wort|wd|code)|kennwort|kata ?laluan|pasahitza|contrasinal|mot de passe|contrase|wachtwoord|toegangscode|l[oö]senord|adgangskode|kodeord|salasana|tunnussana|has[lł]o|parol[aei]?|senha|heslo|geslo|lozinka|jelsz[oó]|[sşš]ifr[ae]|engangs|(?:kata )?sandi|khẩu|chiave d'accesso|пароль|密码|密碼|パスワード|비밀번호/i;

/**
 * A translated interface string under a password's key (`"repeat_password": "Gjenta
 * passord"`, `"password_hint": "Lag et nytt passord på minst 6 tegn."`): words that name a
 * password in some language, or a sentence of words of any script ending as a sentence or a
 * label does.
 */
function isInterfaceText(value: string): boolean {
  if (PASSWORD_IN_LANGUAGES.test(value)) return true;
  const words = value.trim().split(/\s+/);
  const plainWords = words.filter((word) => /^\p{L}{1,}[.,:;!?]?$/u.test(word));
  if (plainWords.length < words.length - 1) return false;
  // Words of a language written with letters beyond ASCII (`Muito curta`, `Túl rövid`), or
  // ending as a question, a call or a label does (`Oublié ?`); a passphrase of English words
  // may end with a full stop.
  return plainWords.some((word) => NON_ASCII.test(word)) || /[:!?]$/.test(value.trim());
}

/** `correct horse battery staple`: 2 to 12 words of letters (a few digits after), 8+ letters. */
function isPassphrase(value: string): boolean {
  const words = value.trim().split(/\s+/);
  return (
    words.length >= 2 &&
    words.length <= 12 &&
    value.replace(/\s/g, "").length >= 8 &&
    words.every((word) => /^[A-Za-z]{2,20}[0-9]{0,4}[!?.,]?$/.test(word))
  );
}

/**
 * Long and mixed enough for its kind: a password of 6+ characters with two classes (letters
 * alone only when quoted and 8+ long, `"thisismypassword"`); a key or token of 12+
 * characters without spaces, with letters and digits and some entropy.
 */
function hasSecretShape(value: string, isPassword: boolean, quoted: boolean): boolean {
  if (isPassword) {
    if (value.length < 6) return false;
    // Letters alone: quoted, 8+ long, of both cases or of many distinct letters, each used
    // about once (3 bits: an ordinary word such as `invisible` repeats its vowels and falls short).
    if (/^[a-z]+$/i.test(value)) {
      const distinct = new Set(value.toLowerCase()).size;
      return (
        quoted &&
        value.length >= 8 &&
        (classCount(value) >= 2 || (distinct >= value.length * 0.7 && shannonEntropy(value) >= 3))
      );
    }
    return classCount(value) >= 2 || shannonEntropy(value) >= 3;
  }
  // Letters alone count when long, of both cases, random, and not words in camel case.
  const randomLetters =
    value.length >= 20 &&
    /^[A-Za-z]+$/.test(value) &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    !isCamelWords(value) &&
    shannonEntropy(value) >= 3.8;
  // 32 hexadecimal digits or more (many providers' keys): 16 symbols, 4 bits each at most; 3.2
  // bits dropped one drawn 32-digit key in 280, 3.0 drops one in 9,000.
  const floor = /^[0-9a-f]{32,}$/i.test(value) ? 3.0 : 3.2;
  return (
    value.length >= 12 &&
    !/\s/.test(value) &&
    (classCount(value) >= 3 || (/[0-9]/.test(value) && /[A-Za-z]/.test(value)) || randomLetters) &&
    shannonEntropy(value) >= floor
  );
}

/**
 * Words in camel or Pascal case (`NoSubstitutionTemplateLiteral`, `InterpolationInJSX`,
 * `RSAPublicKey`): runs of lower case after one to three capitals, capitals a third of the
 * letters at most (random letters of both cases are half capitals).
 */
export function isCamelWords(text: string): boolean {
  // A leading acronym (`RSAPublicKey`, `NSURLCredential`) is one word. Each word takes its
  // whole run of lower case (`(?![a-z])`): a run split into words of two or more letters in
  // every possible way made a 40-letter name take seconds (exponential backtracking).
  const letters = text.replace(/^[A-Z]{2,5}(?=[A-Z][a-z])/, "X");
  return (
    /^(?:[A-Z]{0,3}[a-z]{2,}(?![a-z]))+[A-Z]{0,3}$/.test(letters) ||
    (/^[a-z]*(?:[A-Z]{1,3}[a-z]+)+[A-Z]{0,3}$/.test(letters) &&
      letters.replace(/[^A-Z]/g, "").length * 3 <= letters.length)
  );
}

/** A version or a count with its unit, a part of words joined (`v1`, `5p`, `2fa`, `64bit`). */
const UNIT_PART = /^[a-z]\d{1,3}$|^\d{1,3}[a-z]{1,3}$/;

/**
 * `openclaw-gateway-2026`, `v1.2.3-beta`, `channels.telegram.botToken`,
 * `crypto_secretbox_xchacha20poly1305_KEYBYTES`, `@@any-promise/REGISTRATION`,
 * `value%23still-query`: words and numbers joined, an identifier or a path rather than a random
 * value (`dozvko9mlnqqxg5-lo0jvge` is drawn: six consonants in a row are no word's).
 */
function isWordsAndNumbers(text: string, withUnits = false): boolean {
  const parts = text
    .split(/(?:[_./:#=,&\s-]|%[0-9A-Fa-f]{2})+/)
    .map((part) => part.replace(/^[@?!$]{1,2}/, ""))
    .filter((part) => part !== "");
  // Six consonants in a row: drawn letters (`mlnqqxg5`), not a word's or a name's (five
  // are: `passphrase`, `https`, `strftime`).
  const isWord = (part: string) =>
    !/[bcdfghjklmnpqrstvwxz]{6}/.test(part) &&
    (/^(?:[a-z]{2,}|[A-Z][a-z]+|[A-Z]{2,}|\d+)$/.test(part) ||
      /^(?:[A-Z][a-z]+){2,}\d{0,2}$|^[a-z]{2,}\d{1,3}[a-z]*$/.test(part) ||
      /^(?:[a-z]{3,}\d{1,6})+[a-z]*$|^[a-z]{2}\d{2,6}$|^[A-Z]{2,}\d[A-Z0-9]{0,12}$/.test(part) ||
      // Beside a key's or a token's name, a version or a count with its unit (`v1`, `5p`, `2fa`,
      // `64bit`); a password's are its own (`nutanix/4u`).
      (withUnits && UNIT_PART.test(part)) ||
      /^[a-z]+(?:[A-Z][a-z]+)+\d{0,2}$/.test(part) ||
      /^[A-Z][A-Z]+(?:_[A-Z]+)+\d{0,2}$/.test(part));
  if (parts.length <= 1 || !parts.every(isWord)) return false;
  // Counts and versions beside words (`kerberos-5p-read-only`), not only them
  // (`9zk-h4-7qx-m28-3vb-w5` is drawn).
  const units = parts.filter((part) => UNIT_PART.test(part)).length;
  return units === 0 || parts.filter((part) => /^[A-Za-z]{3,}$/.test(part)).length >= units;
}

/**
 * Whether `name` names a password (`db_password`, `PWD`, `ssh_pass`); a passkey is a WebAuthn
 * key pair, never typed: a name of one (`SETUP_ANOTHER_PASSKEY`, `blockButton__passkey`) labels
 * an interface's text, not a password.
 */
function namesPassword(name: string): boolean {
  return (
    PASSWORD_WORD.test(name.replace(/^.*?(?=pass|pwd|pw(?![a-z]))/i, "")) && !/passkey/i.test(name)
  );
}

/**
 * Capitalised words with versions or numbers among them, no other characters; each piece read
 * one way only (a number is whole, a word takes its whole run of small letters).
 */
const TYPE_NAME_WITH_NUMBERS = /^(?:[A-Z][a-z]+|[A-Z]{2,4}(?=[A-Z][a-z])|V?\d{1,2}(?!\d))+$/;

/** `username:password`, `user:pass`: a user's and a password's stand-ins, for HTTP Basic. */
function isStandInPair(text: string): boolean {
  const [user, password, ...rest] = text.split(":");
  return (
    rest.length === 0 &&
    user !== undefined &&
    password !== undefined &&
    /^(?:user(?:name)?|admin|test|client(?:[_-]?id)?|foo|me)$/i.test(user) &&
    /^(?:pass(?:word)?|secret|bar|test)$/i.test(password)
  );
}

/**
 * `zones/us-central1-a`, `accessPolicies/123/accessLevels/a_level`,
 * `google/datastore/v1beta3/entity.php`, `authentication.gke.io/v1alpha1`, a path of `*`
 * wildcards between names: a resource's path or an API's name, its parts words, numbers or `*`
 * (a part of base64 is drawn: `K7MDENG/bPxRfiCY` holds no such words).
 */
function isResourcePath(value: string): boolean {
  const parts = value.replace(/\.[a-z0-9]{1,5}$/, "").split("/");
  // Of two parts, each a word of three characters or more (`nutanix/4u` is a password).
  return (
    (parts.length >= 3 || (parts.length === 2 && parts.every((part) => part.length >= 3))) &&
    parts.every(
      (part) =>
        part === "*" ||
        /^\d{1,12}$/.test(part) ||
        (/^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*$/.test(part) &&
          isIdentifierWords(part.replace(/[-.]/g, "_"))),
    )
  );
}

/**
 * 16 to 19 capitals, or small letters, and digits drawn at random (Alpha Vantage's and
 * ThingSpeak's keys, `T0Z2YW467F7PNA9Z`): a short key of one case is one when its digits are
 * scattered as a generator scatters them (four or more, in three runs or more), its letters are
 * no hexadecimal's, and it measures as random.
 */
function isDrawnSingleCase(value: string): boolean {
  if (!/^(?:[A-Z0-9]{16,19}|[a-z0-9]{16,19})$/.test(value) || /^[a-f0-9]+$/i.test(value)) {
    return false;
  }
  const digits = value.replace(/\D/g, "").length;
  return (
    digits >= 4 &&
    value.length - digits >= 6 &&
    (value.match(/\d+/g) ?? []).length >= 3 &&
    shannonEntropy(value) >= entropyBarFor(value.length, 3.5, DRAWN_ENTROPY_SLACK)
  );
}

/**
 * A host's name: three labels or more of small letters, digits and `-`, ending in a common
 * top-level domain (a value of one dot, `7f3kq9zp2m.io`, or with capitals is as often drawn).
 */
const HOST_NAME =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,8}(?:com|net|org|io|dev|app|cloud|co|ai|me|info|biz|edu|gov|us|uk|de|fr|nl|eu|jp|cn|ru|in|br|au|ca|local|lan|internal|localdomain)$/;

/**
 * How far below log2(length) bits a short value of letters and digits drawn at random may
 * measure (3.3 bits for 16 characters; see isStrongRandom).
 */
export const DRAWN_ENTROPY_SLACK = 0.7;

/**
 * Long, random and mixed: a key rather than a word or an identifier. The entropy asked of
 * letters and digits under 19 characters is lower, as a short value drawn at random repeats
 * characters more often: at 3.5 bits, one 16-character key in 22 drawn from letters and digits
 * failed; at log2(length) - 0.7 (3.3 bits for 16), one in 200.
 */
export function isStrongRandom(value: string): boolean {
  if (/^[a-f0-9]{32,}$/i.test(value)) return isRandomHex(value);
  // The lower bar is for letters and digits only, not words in camel case: an identifier
  // (`X-Requested-With`, `PROTOCOL_TLSv1_2`, `V1SecretEnvSource`) meets it as often.
  const drawnShape = /^[A-Za-z0-9]+$/.test(value) && !isCamelWords(value.replace(/\d+/g, ""));
  const minEntropy = drawnShape ? entropyBarFor(value.length, 3.5, DRAWN_ENTROPY_SLACK) : 3.5;
  return (
    value.length >= 16 &&
    shannonEntropy(value) >= minEntropy &&
    (classCount(value) >= 3 ||
      // Lower-case letters and digits drawn at random: long, and near the 5.2 bits of base36.
      (value.length >= 24 &&
        /[a-z]/i.test(value) &&
        /\d/.test(value) &&
        shannonEntropy(value) >= 4.2))
  );
}

/** The value spells the name's last words, in whatever case and separators. */
function isOwnName(value: string, name: string): boolean {
  const plain = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "");
  const bare = plain(value);
  return bare.length >= 6 && plain(name).endsWith(bare);
}

/**
 * `s.Z4bTMtngfLeQ18AqVoBBkUAOD1` (a HashiCorp Vault token): dotted like a member access, but a
 * part is random rather than a name.
 */
function hasRandomPart(value: string): boolean {
  return value
    .split(".")
    .some(
      (part) =>
        isStrongRandom(part) &&
        !isCamelWords(part.replace(/[\d_]+/g, "")) &&
        !isIdentifierWords(part),
    );
}

/**
 * `PySECURITY_ATTRIBUTES`, `MLKEM768X25519PrivateKey`, `NID_pbe_WithSHA1And3_Key_TripleDES_CBC`:
 * a name of words, acronyms and numbers (mixed case and snake case together, which
 * {@link isCamelWords} does not take). Each piece (split at `_`, digits and case changes) is a
 * number, an acronym, or a word with a vowel; one lone letter at most; and pieces of three
 * letters or more hold most of the letters. Random base62 of 24 characters passes this about
 * once in 200: its pieces are mostly one or two letters, often without a vowel (`Mtngf`).
 */
export function isIdentifierWords(part: string): boolean {
  const pieces = part.split("_").flatMap((s) => s.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []);
  let singles = 0;
  let letters = 0;
  let inLongPieces = 0;
  for (const piece of pieces) {
    if (/^\d+$/.test(piece)) continue;
    letters += piece.length;
    if (piece.length >= 3) inLongPieces += piece.length;
    if (piece.length === 1) singles++;
    else if (!/^[A-Z]+$/.test(piece) && !/[aeiouy]/i.test(piece)) return false;
  }
  return singles <= 1 && inLongPieces >= letters * 0.6;
}

/**
 * `stripe_key`, `mapsKey`: a vendor's key of 20+ letters and digits, random (not `key` alone,
 * nor a key made for browsers).
 */
function isVendorKey(name: string, value: string): boolean {
  return (
    /[A-Za-z0-9][_.-]?key$/i.test(name) &&
    !/^key$/i.test(name) &&
    // Keys made for browsers (CAPTCHA site keys), and the id half of a pair (`access_key`
    // beside a `secret_key`).
    !/(?:site|captcha|browser|frontend|web|access)[_.-]?(?:api[_.-]?)?key$/i.test(name) &&
    /^[A-Za-z0-9]{20,}$/.test(value) &&
    /\d/.test(value) &&
    /[A-Za-z]/.test(value) &&
    shannonEntropy(value) >= 3.5
  );
}
