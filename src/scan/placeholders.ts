/**
 * Text users write on purpose in place of a credential: `sk-...`, `<YOUR_KEY>`, `‹token›`,
 * `your-api-key-here` (`TU_CLAVE_AQUI`, `SENHA_FORTE_AQUI`, `DEIN_PASSWORT_HIER`,
 * `gizli-anahtariniz-buraya`, `CHANGER_CE_MOT_DE_PASSE`),
 * `${OPENAI_API_KEY}`, `$OPENAI_API_KEY`, AWS's documentation examples,
 * `xxxx`, one character repeated, our own `vault://AGENT/NAME`, and the few keys a provider
 * publishes for anyone to use; and values typed as examples (`1234567890abcdef`), which are
 * reported with low confidence rather than dropped.
 */
import { createHmac } from "node:crypto";
import { containsVaultReference } from "../references/reference.js";

const PLACEHOLDER_WORDS =
  /(?:^|[-_ ])(?:provide|enter|set)[-_ ](?:a|an|the|your)[-_ ]|example|your|placeholder|xxxx|change_?me|(?<![a-z])change-me(?![a-z])|(?<![a-z])change_?this|(?<![a-z])change[_-](?:via|before|later|when)[_-]|^something[_-]?random|configure_?me|fill_?me|update_?me|edit_?me|redacted|dummy|sample|insert|replace|(?:secret|token|key|password|passwd|pwd|value)[_-]?here|(?:clave|contrase\w{0,2}|senha|chave|passwort|kennwort|password|token|key|chiave|cl[e\u00e9]|api|gizli|anahtar[\w\u0131]{0,4}|[s\u015f][i\u0130]fre[\w\u0131\u0130]{0,4}|parola[\w\u0131]{0,4})[-_ ](?:[a-z]{2,12}[-_ ]){0,2}(?:aqui|aqu\u00ed|ici|hier|qui|buraya|burada)$|^(?:changer|cambiar|alterar|trocar|remplacer|reemplazar|substituir|ersetzen|cambiare|sostituire)[-_ ]|^(?:tu|su|votre|ton|dein|deine|ihr|seu|sua|tua)[-_ ](?:[a-z]{2,12}[-_ ]){0,2}(?:clave|contrase|senha|chave|passwort|kennwort|password|token|key|chiave|cl[e\u00e9]|api|mot)|\*\*\*|0000000000/i;
/**
 * Marks of a stand-in: an ellipsis, typographic quotes, a word in brackets (`<token>`,
 * `{api_key}`, `[REDACTED]`, `${VAR}`), a value that opens or closes with a bracket, a leading
 * `$` or `%` (not a URL's escape: `%21Kx9…`). Brackets around other characters are no mark:
 * generators draw them (`F-oS9Su%}<>[];#`, `h]6EszR}vJ*m`). Code read past a quote or cut at a bracket is: a version
 * requirement (`oauth2client>=4,<=5dev`, `oauth2client<1.5dev`), a bracket opened after a name
 * and `=` (`default=[8080`), a bracket left open with only a name after it (`L{bytes`,
 * `netrw_hup[host`, `sha-256:{`), epytext markup (`L{ISSHPrivateKey`), an index holding a
 * member (`a[a.length-1`), a CSS rule or object literal (`active{cursor:`), a member arrow
 * or path (`arg:->args`, `Foo::bar`), an interpolation that indexes or calls
 * (`{element.attrib[`, `{key.upper(`), a regular expression (`[^…]`, `^…$`), an operator where
 * a value would start (`|[…`, `&…`: random text in a minified file, not an assignment), code
 * read past a quote: a quote, an operator and a name read or called (`` `+cfg.Password+` ``,
 * `', listKeys(`), a member called after a bracket (`).append(`), a comma before a call
 * (`,parameters(`); a template's file token (`@@FILE:/path@@`); a replace token (`__password1__`,
 * the form of Azure DevOps' and Octopus' token replacement).
 */
const MARKERS =
  /^[`'"][ \t]{0,2}[+,.][ \t]{0,2}[a-z][A-Za-z]{2,}\w*[.(]|^,[ \t]{0,2}[a-z][A-Za-z]{3,}\(|\.[A-Za-z_]\w*(?:\(\))?[ \t]{0,2}\+[ \t]{0,2}[`'"]$|^\)\.[A-Za-z_]\w*\(|^@@\w[\s\S]*@@$|^__[A-Za-z0-9.-][\w.-]{0,100}__$|^#[A-Z][A-Z0-9_]{1,60}#$|^@[A-Z][A-Z0-9_]{1,60}@$|\.\.\.|…|[‹›«»]|<[A-Za-z_][\w .:-]*>|\{[\w .:$-]*\}|\[[\w .:-]+\]|\$\{|^[$<{[]|^%(?![0-9A-Fa-f]{2}(?:[^%\s]|%[0-9A-Fa-f]{2}){4,}$)|[>}\]]$|\$\(|[A-Za-z][<>]=?\d+(?:\.\d+)*(?:[a-z]{1,6}\d*)?(?:,|$)|[=!~]=\d+(?:\.\d+)*(?:[a-z]{1,6}\d*)?(?:,|$)|\w=[[{(<]|\w[[{(<][A-Za-z_][a-z_]{2}[\w.:-]*$|(?:^|\W)[BCILU]\{[A-Za-z_]|\[[A-Za-z_]\w*\.[A-Za-z_]|[\w:][{[]$|\w\{[\w-]+:|->[A-Za-z_]|::[A-Za-z_]|\{[A-Za-z_][\w.]*[[(]|\[\^|^\^[\s\S]*\$$|^[|&]/;
/** Two letters in a row of a script other than Latin: words (a sentence, a test string). */
const NON_LATIN_WORD = /(?:(?!\p{Script=Latin})\p{L}){2}/u;

/**
 * A reference to a secret kept elsewhere rather than the secret: `${VAR}`, `$VAR`,
 * `process.env.X`, `os.environ["X"]`, `os.getenv(...)`, `{{ secrets.X }}`, `vault://...`,
 * `op://...`, a key in a hardware module (`pkcs11:token=…`), a CloudFormation `!Ref`, a
 * secrets-manager ARN.
 */
const REFERENCE =
  /^(?:\\?\$|%[({]|\{\{|#\{|<%|@\{|!(?:Ref|Sub|GetAtt|ImportValue)\b)|process\.env|os\.environ|getenv|\benv(?:\(|\[|\.)|\bENV\[|GetEnvironmentVariable|\bsecrets\.|^(?:vault|op|sm|ssm|akv|azkv|gcpsm|awssm|doppler|infisical|secret|ref|env):\/?\/?|^pkcs11:|arn:aws[a-z-]{0,10}:(?:secretsmanager|ssm)|keyvault|\.vault\.azure\.net/i;

/** A value someone blanked out: `****`, `[REDACTED]`, `<redacted>`, `•••`. */
const REDACTED =
  /\[(?:redacted|hidden|filtered|masked|removed)\]|<(?:redacted|hidden)>|^(?:redacted|hidden|masked|removed|none|null|nil|undefined|true|false|string|str|bytes|int|number|base64[_-]?(?:string|encoded|value|data)?|hex[_-]?string|required|optional|empty|todo|tbd|fixme|secret|password|passwd|token|changeme|changeit)$/i;

/**
 * `$A3ae68d9f8ccfc898ee2`: a drawn value that starts with `$`, not a variable: a variable's name
 * is words and numbers (`$DB_PASSWORD`, `$dbPass`, `$sha256HashedPassword`), not 16 or more
 * letters and digits that switch between the two six times or more, a lower-case letter among
 * them.
 */
function isDrawnAfterDollar(value: string): boolean {
  if (!/^\$[A-Za-z0-9]{16,}$/.test(value) || !/[a-z]/.test(value)) return false;
  return (value.match(/[A-Za-z]+|\d+/g) ?? []).length >= 7;
}

/**
 * True when `value` holds a word that marks a stand-in (`example`, `your`, `changeme`,
 * `PASSWORD_HERE`, `redacted`, `xxxx`): the part of {@link isPlaceholder} a value of any
 * characters can be judged by, brackets and all.
 */
export function hasPlaceholderWord(value: string): boolean {
  if (!PLACEHOLDER_WORDS.test(value)) return false;
  for (const word of value.matchAll(PLACEHOLDER_WORDS_ALL)) {
    if (isWrittenAsWords(word[0])) return true;
  }
  return false;
}

/** Every match of PLACEHOLDER_WORDS, in order. */
const PLACEHOLDER_WORDS_ALL = new RegExp(PLACEHOLDER_WORDS.source, "gi");

/**
 * Whether each run of letters is cased as a person writes words (`your`, `YOUR`, `Your`,
 * `changeMe`, `xxxx`): not the mixed case a random string draws (`xXxX`, `yOuR` inside 800
 * characters of a key's base64 are chance, one key in a few hundred).
 */
function isWrittenAsWords(text: string): boolean {
  return (text.match(/[A-Za-z]+/g) ?? []).every((run) =>
    /^(.)\1*$/i.test(run)
      ? /^(?:[a-z]+|[A-Z]+)$/.test(run)
      : /^(?:[a-z]+|[A-Z]+)?(?:[A-Z][a-z]+)*$/.test(run),
  );
}

/** True when `value` points at a secret kept elsewhere (a variable, a vault, a secret store). */
export function isReference(value: string): boolean {
  if (isDrawnAfterDollar(value)) return false;
  return REFERENCE.test(value) || containsVaultReference(value);
}

/** True when `value` was blanked out or is a type, keyword or stand-in word. */
export function isRedacted(value: string): boolean {
  return MASKED_RUN.test(value) || REDACTED.test(value);
}

/**
 * A mask's run: `***`, `•••`, `xxxx` or `XXXX` in one case (a random string's `xXXx` is chance,
 * one long key's base64 in a few hundred); or a credential's word between stars, which stand
 * for what was cut (`7*passwd*x`).
 */
const MASKED_RUN =
  /\*{3}|•{3}|x{4}|X{4}|\*(?:[Pp]ass(?:w(?:or)?d)?|PASS(?:W(?:OR)?D)?|[Pp]wd|PWD|[Ss]ecret|SECRET|[Tt]oken|TOKEN)\*/;

/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  const length = [...text].length;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Share of neighbouring character pairs that step by one the same way (abcd, 4321): typed. */
function sequentialShare(text: string): number {
  // One direction: typing counts up or down (`1234`, `dcba`); random digits step back and
  // forth (`7878`) as often as they count.
  let up = 0;
  let down = 0;
  for (let i = 1; i < text.length; i++) {
    const delta = text.charCodeAt(i) - text.charCodeAt(i - 1);
    if (delta === 1) up++;
    else if (delta === -1) down++;
  }
  return text.length < 2 ? 0 : Math.max(up, down) / (text.length - 1);
}

/**
 * The longest run of characters that count up by one (`567890`, `abcdef`; `9` then `0` counts
 * on, as a keyboard's row does).
 */
function longestCountingRun(text: string): number {
  let longest = text.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < text.length; i++) {
    const previous = text[i - 1] as string;
    const counts =
      text.charCodeAt(i) - text.charCodeAt(i - 1) === 1 || (previous === "9" && text[i] === "0");
    run = counts ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * Keys published for anyone to use: Socket's free key in its CLI and SDK, the TOTP secret of
 * Google Authenticator's key URI documentation (copied into countless examples), the FIPS
 * module integrity key every OpenSSL 3 build's `fipskey.h` holds, the fixed account keys of
 * Microsoft's local emulators (Azurite's `devstoreaccount1`, the Cosmos DB emulator), Google's
 * reCAPTCHA test secret, Mailgun's documented key, the OAuth token of GitHub's REST API
 * documentation, RFC 4122's example UUID and Microsoft Edge's read-aloud client token.
 */
const PUBLISHED_KEYS: ReadonlySet<string> = new Set([
  "sktsec_t_--RAN5U4ivauy4w37-6aoKyYPDt5ZbaT5JBVMqiwKo_api",
  "JBSWY3DPEHPK3PXP",
  "f4556650ac31d35461610bac4ed81b1a181b2d8a43ea2854cbae22ca74560813",
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
  "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe",
  "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
  "gho_16C7e42F292c6912E7710c838347Ae178B4a",
  "550e8400e29b41d4a716446655440000",
  // The "trusted client token" every Microsoft Edge build sends to its read-aloud service,
  // copied into text-to-speech libraries.
  "6A5AA1D4EAFF4E9FB37E23D68491D6F4",
  "550e8400-e29b-41d4-a716-446655440000",
]);

/**
 * AWS's documentation secret key (`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`) and the variants
 * examples make of it (`…bPxRfiCYSAMPLEKEY`, `…TESTKEY`): typed as an example.
 */
const AWS_DOCUMENTATION_KEY = /^wJalrXUtnFEMI\/K7MDENG\/bPxRfiCY/;

/** The secrets jwt.io has signed its example tokens with (before 2025, and since). */
const DOCUMENTATION_JWT_SECRETS = ["your-256-bit-secret", "a-string-secret-at-least-256-bits-long"];

/**
 * Examples documentation prints, pasted into countless files: jwt.io's signing secrets (its
 * tokens are told by their signature, below), the test keys of Stripe's API reference, the
 * signature of Azure Storage's documented shared access signature and the OAuth RFCs' tokens.
 * Reported as typed: an example, though some copy one as a test fixture of their own.
 */
const DOCUMENTATION_EXAMPLES: ReadonlySet<string> = new Set([
  ...DOCUMENTATION_JWT_SECRETS,
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
  "sk_test_26PHem9AhJZvU623DfE1x4sd",
  // The signature of the shared access signature in Azure Storage's documentation.
  "Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D",
  // OAuth 2.0's examples (RFC 6749 and RFC 6750): an access token, a refresh token, a code,
  // a client's secret and its Basic credentials, a bearer token.
  "2YotnFZFEjr1zCsicMWpAA",
  "tGzv3JOkF0XG5Qx2TlKWIA",
  "SplxlOBeZQQYbYS6WxSbIA",
  "gX1fBat3bV",
  "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
  "mF_9.B5f-4.1JqM",
  // OAuth 1.0's (RFC 5849): the client's, the temporary and the token credentials' secrets.
  "kd94hf93k423kf44",
  "hdhd0244k9j7ao03",
  "pfkkdhi9sl3r4s00",
]);

const HMAC_OF_ALG: Readonly<Record<string, string>> = {
  HS256: "sha256",
  HS384: "sha384",
  HS512: "sha512",
};

/**
 * A JWT signed with a secret documentation publishes (jwt.io's "John Doe" token and every
 * token made from it with other claims): anyone can sign one, so it grants nothing.
 */
function isSignedWithDocumentationSecret(token: string): boolean {
  if (!token.startsWith("eyJ")) return false;
  const [header, claims, signature, ...rest] = token.split(".");
  if (!header || !claims || !signature || rest.length > 0) return false;
  let alg: unknown;
  try {
    alg = JSON.parse(Buffer.from(header, "base64url").toString("utf8"))?.alg;
  } catch {
    return false;
  }
  const hash = typeof alg === "string" ? HMAC_OF_ALG[alg] : undefined;
  if (!hash) return false;
  return DOCUMENTATION_JWT_SECRETS.some(
    (secret) =>
      createHmac(hash, secret).update(`${header}.${claims}`).digest("base64url") === signature,
  );
}

/** The random part of a match: what follows a known prefix (`ghp_`, `sk-live-`), letters and digits only. */
function randomCore(secret: string): string {
  const body = secret.replace(/^[A-Za-z]{2,12}[_-](?:[a-z0-9]{2,8}[_-])?/, "");
  return body.replace(/[^A-Za-z0-9]/g, "");
}

/**
 * True when `secret` (the secret part of a match, a known prefix such as `ghp_` included or
 * not) is a placeholder rather than a credential: a stand-in, a reference, a redaction, a
 * published key, one character repeated or a handful of characters. Never reported.
 */
export function isPlaceholder(secret: string): boolean {
  // A leading `$` before a drawn value is one of its characters, not a variable's mark.
  const value = isDrawnAfterDollar(secret) ? secret.slice(1) : secret;
  if (MARKERS.test(value) || NON_LATIN_WORD.test(value) || hasPlaceholderWord(value)) {
    return true;
  }
  if (PUBLISHED_KEYS.has(value)) return true;
  if (isReference(value) || isRedacted(value)) return true;
  const core = randomCore(value);
  if (core.length === 0) return true;
  if (new Set(core).size <= Math.min(4, Math.ceil(core.length / 4))) return true;
  return /(.)\1{7}/.test(core);
}

/**
 * A value that says it is not real (`somefakesecret`, `if_you_see_this_please_use_k8s`,
 * `not-a-real-token`, `53d49dnotakeyata9…`): a test fixture's, nearly always; a warning, as
 * scanners' own test examples are written so.
 */
const SAYS_NOT_REAL =
  /fake|please|not[_-]?(?:a[_-]?)?real|do[_-]?not[_-]?use|not[_-]?an?[_-]?(?:key|token|secret|password)/i;

/**
 * True when the random part of `secret` counts up or down as a person types an example
 * (`1234567890abcdef`, `a1b2c3d4e5f6…`, `d4c3b2a1`, `AbCdEf1234…`) rather than as a generator
 * draws one. Such
 * a value in a credential's format is reported, but as a warning of low confidence: it is
 * almost always made up, and now and then a real value someone typed.
 */
export function looksHandTyped(secret: string): boolean {
  if (SAYS_NOT_REAL.test(secret) || AWS_DOCUMENTATION_KEY.test(secret)) return true;
  if (DOCUMENTATION_EXAMPLES.has(secret) || isSignedWithDocumentationSecret(secret)) return true;
  // Case left out: `AbCdEf1234GhIjKl…` counts up as `abcdef` does.
  const core = randomCore(secret).toLowerCase();
  if (core.length >= 8 && sequentialShare(core) > 0.5) return true;
  // Six characters counting up in a row in a key's length (`…4c567890b5…` in 40 hex digits):
  // one drawn value in tens of thousands holds such a run; a typed one, often. (A password
  // ending in `123456` is a weak password, judged as one; words joined by `_` are a phrase
  // someone chose, judged as one.)
  if (core.length >= 20 && !/_/.test(secret) && longestCountingRun(core) >= 6) return true;
  // Letters and digits each counting up or down, interleaved (`d4c3b2a1-f6e5-h8g7`): letters
  // that count are rare enough in a drawn value that digits counting less often still tell.
  const letters = core.replace(/[^A-Za-z]/g, "");
  const digits = core.replace(/[^0-9]/g, "");
  return letters.length >= 6 && sequentialShare(letters) > 0.6 && sequentialShare(digits) >= 0.4;
}
