/**
 * Notes kept to hold credentials, known by their file's name (`passwords.txt`,
 * `credentials.md`, `账号密码.md`, `пароли.txt`, `contraseñas.txt`, `senhas.md`,
 * `Zugangsdaten.txt`, `hasła.txt`, `şifreler.txt`, `계정정보.md`): there a password stands on a
 * line of its own or after its user, with no name to tell it, as people keep them.
 */
import { isPlaceholder, isReference } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import { classCount } from "./build.js";
import { isTypicalPassword } from "./connections.js";
import { isStrongRandom } from "./plausible-secret.js";

/**
 * Words that name a file of credentials, in English (plural: a document about one credential is
 * named in the singular, `1password.md`, `credential-semantics.md`) and other languages.
 */
const CREDENTIAL_NOTE_WORD = new RegExp(
  `^(?:${[
    "passwords",
    "passwd",
    "pwds",
    "credentials",
    "creds",
    "secrets",
    "logins",
    "accounts",
    "api[-_ ]?keys",
    "server[-_ ]?info",
    "contrase(?:\u00f1|n)as",
    "credenciales",
    "accesos",
    "senhas",
    "credenciais",
    "acessos",
    "passw(?:\u00f6|oe)rter",
    "kennw(?:\u00f6|oe)rter",
    "zugangsdaten",
    "mots?[-_ ]de[-_ ]passe",
    "identifiants",
    "credenziali",
    "[s\u015f]ifreler",
    "has(?:l|\u0142)a",
    "hesla",
    "wachtwoorden",
    "\u043f\u0430\u0440\u043e\u043b[\u0438\u044c]", // пароли, пароль
    "\u0434\u043e\u0441\u0442\u0443\u043f\u044b", // доступы
  ].join("|")})$`,
  "i",
);

/**
 * The same in CJK, where a name's words are written together (`账号密码`, `服务器信息`,
 * `계정정보`): the word anywhere in a short name.
 */
const CJK_CREDENTIAL_NOTE_WORD = new RegExp(
  [
    "\u5bc6\u7801", // 密码
    "\u5bc6\u78bc", // 密碼
    "\u8d26\u53f7", // 账号
    "\u5e10\u53f7", // 帐号
    "\u5e33\u865f", // 帳號
    "\u8d26\u6237", // 账户
    "\u5bc6\u94a5", // 密钥
    "\u53e3\u4ee4", // 口令
    "\u51ed\u8bc1", // 凭证
    "\u670d\u52a1\u5668\u4fe1\u606f", // 服务器信息
    "\u30d1\u30b9\u30ef\u30fc\u30c9", // パスワード
    "\u30a2\u30ab\u30a6\u30f3\u30c8", // アカウント
    "\u8a8d\u8a3c\u60c5\u5831", // 認証情報
    "\u30b5\u30fc\u30d0\u30fc\u60c5\u5831", // サーバー情報
    "\ube44\ubc00\ubc88\ud638", // 비밀번호
    "\uacc4\uc815", // 계정
    "\uc11c\ubc84[-_ ]?\uc815\ubcf4", // 서버 정보
  ].join("|"),
);

/** "Example", "sample" or "template" in a file's name, in English and the languages above. */
const EXAMPLE_WORD =
  /^(?:examples?|exemplos?|ejemplos?|exemples?|esempi[oa]?|beispiele?|samples?|templates?|placeholders?)$/i;

/**
 * Whether `file` is a note named for the credentials it keeps: Markdown or text, its name the
 * credential word with at most one other word (`passwords.txt`, `my-passwords.md`,
 * `reference_credentials.md`, `password.txt` alone; not `secrets-plan-contract.md`), or a short
 * CJK name holding one (`账号密码.md`).
 */
function isCredentialNoteFile(file: string): boolean {
  const base = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
  const name = /^(.{1,80})\.(?:md|markdown|txt|text)$/i.exec(base)?.[1];
  if (name === undefined) return false;
  // `password.txt`, and `chaves.txt` or `claves.md` alone (with another word they are as often
  // key words or key ideas: `palabras_claves`, `conceptos_claves`).
  if (/^(?:password|credential|chaves|claves)$/i.test(name)) return true;
  if (name.length <= 12 && CJK_CREDENTIAL_NOTE_WORD.test(name)) return true;
  const words = name.split(/[-_ .]+/).filter((word) => word !== "");
  if (words.length > 3) return false;
  // A note of examples (`CREDENCIAIS-EXEMPLO.md`, `credentials.sample.md`) shows the form only.
  if (words.some((word) => EXAMPLE_WORD.test(word))) return false;
  // The credential word may itself be two (`api-keys`, `server_info`, `mots de passe`).
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j <= Math.min(words.length, i + 3); j++) {
      const extra = words.length - (j - i);
      if (extra <= 1 && CREDENTIAL_NOTE_WORD.test(words.slice(i, j).join("-"))) return true;
    }
  }
  return false;
}

/**
 * A line without its last column when that column is a comment of more than four words: columns
 * set apart by tabs or runs of blanks (`bandit9\t\tUsvV…\t\tsort | uniq -u (command to …)`),
 * the third of a line's columns or later.
 */
function withoutCommentColumn(line: string): string {
  // A table's row is read by its cells (padded with blanks), not as columns of a list.
  if (/^[ \t]*\|/.test(line)) return line;
  const columns = line.trim().split(/\t+|[ ]{2,}/);
  const lastWords = columns.at(-1)?.split(/\s+/).length ?? 0;
  // Or of two words or more after a column of one (`bandit10\ttruKL…\t\tstrings command`).
  const afterOneWord = columns.length >= 3 && !/\s/.test(columns.at(-2)?.trim() ?? " ");
  if (columns.length < 2 || lastWords <= (afterOneWord ? 1 : 4)) return line;
  // The last column is the trimmed line's end.
  const kept = line.trimEnd();
  return kept.slice(0, kept.length - (columns.at(-1) as string).length).trimEnd();
}

/**
 * A document rather than a note: an eighth or more of its first 200 lines with text are sentences
 * (ten words or more, a comment's column left out), as documentation about secrets is
 * (`docs/gateway/secrets.md`).
 */
function isProse(text: string): boolean {
  let lines = 0;
  let sentences = 0;
  for (const line of text.split("\n", 400)) {
    if (line.trim() === "") continue;
    lines++;
    if ((withoutCommentColumn(line).match(/\S+/g) ?? []).length >= 10) sentences++;
    if (lines >= 200) break;
  }
  return lines > 0 && sentences * 8 >= lines;
}

/**
 * A line's label that names what is no password (a user, a login, a host, an address, a port,
 * a database, a name), in English as a word of its own, or in the languages above: the value
 * after it is not taken.
 */
const NOT_PASSWORD_LABEL =
  /(?:^|[^a-z])(?:user(?:name)?|login|e-?mail|host|server|ip|port|db|database|name|url|site|address|domain|id|account|benutzer(?:name)?|usuario|usu\u00e1rio|utilisateur|utente|kullan\u0131c\u0131|algorithm(?:us|e)?|algoritm[oa]|fingerprints?)(?:$|[^a-z])|u\u017cytkownik|\u043f\u043e\u043b\u044c\u0437\u043e\u0432\u0430\u0442\u0435\u043b|\u043b\u043e\u0433\u0438\u043d|\u0438\u043c\u044f|\u0430\u0434\u0440\u0435\u0441|\u0441\u0435\u0440\u0432\u0435\u0440|\u7528\u6237|\u8d26\u53f7|\u5e10\u53f7|\u5730\u5740|\u7aef\u53e3|\u57df\u540d|\u30e6\u30fc\u30b6|\uc544\uc774\ub514|\uc0ac\uc6a9\uc790/i;

/** A label that names a password (`PW:`, `Passwort:`, `Şifre:`, `Пароль:`, `密码：`). */
const PASSWORD_LABEL =
  /(?:^|[^a-z])(?:pw|pwd|pswd|pass(?:word|wd)?|passwort|kennwort|contrase(?:\u00f1|n)a|senha|mot de passe|[s\u015f]ifre|has(?:l|\u0142)o|heslo|parola|wachtwoord)(?:$|[^a-z])|\u043f\u0430\u0440\u043e\u043b|\u5bc6\u7801|\u5bc6\u78bc|\u53e3\u4ee4|\u30d1\u30b9\u30ef\u30fc\u30c9|\ube44\ubc00\ubc88\ud638/i;

/** A symbol a password holds (not `_`, `-` or `.`, which join a name's words). */
const PASSWORD_SYMBOL = /[!@#$%^&*+=?~;,<>()[\]{}|'"\\/:]/;

/** A list's or a quote's marker, bold or a code span's tick opening a line. */
const LINE_MARKERS = /^[ \t]{0,8}(?:(?:[-*+>]|\d{1,3}[.)])[ \t]{1,4}){0,2}/;

/**
 * The value a line of such a note holds, with its offset in the line, or undefined: a value
 * alone (`PW#bLj#@!0327`), after its user (`maciek12 adminowe`, `杨铿/yk199678`,
 * `me@mail.ru - 7845qwerty`, `Oracle: me@gmail.com  alaska223A!`) or after a label that names
 * no user, host or name (`Jenkins: M(UN0>…`, `Key Open Weather - ff7e…`): the line's last
 * word, after at most three others.
 */
function notedValue(
  line: string,
): { value: string; at: number; passwordLabel: boolean } | undefined {
  // A fence's line, or a table's row (the table rules read those by their columns).
  if (line.length > 300 || /^[ \t]*(?:```|\|)/.test(line)) return undefined;
  let rest = withoutCommentColumn(line.slice(LINE_MARKERS.exec(line)?.[0].length ?? 0));
  // A comment after the value (`… # old`, `… // old`, `… (old)`, `… <- current`).
  rest = rest.replace(/[ \t]+(?:#|\/\/|<-|\(|\uff08)[^\n:\uff1a]{0,80}$/, "");
  // A label ends at its colon and a blank, or at a full-width colon (`阿里云：…`).
  const colon = rest.slice(0, 41).search(/[:\uff1a](?:\*\*|__)?[ \t]|\uff1a/);
  let passwordLabel = false;
  let notPasswordLabel = false;
  let labelContext = "";
  if (colon >= 0) {
    labelContext = rest.slice(0, colon);
    passwordLabel = PASSWORD_LABEL.test(labelContext);
    notPasswordLabel = !passwordLabel && NOT_PASSWORD_LABEL.test(labelContext);
    rest = rest.slice(colon + 1).replace(/^(?:\*\*|__)/, "");
    // A second label on the line (`NIF: …, VAT: …`): pairs of other things.
    if (/[:\uff1a](?:\*\*|__)?[ \t]/.test(rest)) return undefined;
  }
  const words = rest
    .trim()
    .split(/[ \t\u3000]+/)
    .filter((word) => !/^[-/|\u2014\u2013]$/.test(word));
  if (words.length === 0 || words.length > 4) return undefined;
  // A label naming a user, a host or a name names the value after it, unless a user and a
  // password follow it (`Steam login: bob …`).
  if (notPasswordLabel && words.length === 1) return undefined;
  // The words before the value tell a public value (`md5 …`, `Checksum: …`, `Public key: …`).
  if (NOT_SECRET_CONTEXT.test(`${labelContext} ${words.slice(0, -1).join(" ")}`)) {
    return undefined;
  }
  // Without bold, code spans, brackets or quotes around it, or a full stop or colon after it.
  // A time stamp (`Generated: 2025-06-06T06:11:45.581Z`), not a user and a password.
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(words.at(-1) as string)) return undefined;
  let value = (words.at(-1) as string)
    // A password's or a default's CJK label written against the value (`其它默认Sreyypt@2020`,
    // "the others' default"; not a ticket's, `工单号INC0012345`, nor a user's name, `杨铿/…`).
    .replace(
      /^[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{0,10}(?:\u5bc6\u7801|\u5bc6\u78bc|\u53e3\u4ee4|\u9ed8\u8ba4|\u9ed8\u8a8d|\u30d1\u30b9\u30ef\u30fc\u30c9|\ube44\ubc00\ubc88\ud638)(?=[A-Za-z0-9!@#$%^&*][\x21-\x7e]{3,}$)/,
      "",
    )
    .replace(/[.,:\u3002\uff0c]$/, "")
    .replace(/^[`*("'\u300c\u300e]{1,3}|[`*)"'\u300d\u300f]{1,3}$/g, "")
    .replace(/[.,:\u3002\uff0c]$/, "");
  if (!passwordLabel) {
    // `bob:…`, `Password:…`, `GitHub=…`, `gmail,bob@gmail.com,…`, `杨铿/…`: a user, a name or
    // a label and the password joined by one mark (a CSV row's fields by commas); the last
    // part is the password when what comes before it is a word, a user or an address, not
    // part of a drawn key (`…91+/DQew64…`).
    const parts =
      /^((?:[\p{L}\p{N}._@+-]{1,40}[,;]){0,4}[\p{L}\p{N}._@-]{1,40})[:=,;/](?<rest>[^\s]{6,128})$/u.exec(
        value,
      );
    const head = parts?.[1] ?? "";
    const tail = parts?.groups?.rest ?? "";
    if (
      parts &&
      !/[:=/]/.test(tail.slice(0, 1)) &&
      !(/\//.test(value) && /\//.test(tail)) &&
      !(
        /^[A-Za-z0-9+/]{20,}={0,2}$/.test(value) &&
        (head.length >= 16 || (tail.length >= 16 && isStrongRandom(tail)))
      ) &&
      (/[,;]/.test(head) || !isStrongRandom(head)) &&
      !/^(?:https?|ftp|ssh|mailto)$/i.test(head)
    ) {
      if (NOT_SECRET_CONTEXT.test(head)) return undefined;
      // A setting of another kind (`DB_SERVER=…`, `APP_ENV=…`): the assignment rules read the
      // credentials among settings.
      if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(head) && !SETTING_NAMES_CREDENTIAL.test(head)) {
        return undefined;
      }
      passwordLabel = PASSWORD_LABEL.test(head.split(/[,;]/).at(-1) ?? "");
      value = tail;
    }
  }
  // A setting whose value is too short for a password (`DB_PORT=1433`, `DB_ENCRYPT=true`); not
  // base64 with its padding (`wxLSq0…MnA=`).
  const setting = /^([A-Za-z_][\w.-]{0,60})=(.+)$/.exec(value);
  if (
    setting &&
    /[_.]/.test(setting[1] ?? "") &&
    !SETTING_NAMES_CREDENTIAL.test(setting[1] ?? "")
  ) {
    return undefined;
  }
  if (value.length < (passwordLabel ? 4 : 6) || value.length > 128) return undefined;
  const at = line.lastIndexOf(value);
  return at < 0 ? undefined : { value, at, passwordLabel };
}

/** A setting's name that says it holds a credential (`DB_PASSWORD`, `API_KEY`, `BOT_TOKEN`). */
const SETTING_NAMES_CREDENTIAL =
  /PASS|PWD|SECRET|TOKEN|KEY|AUTH|CRED|SENHA|CLAVE|(?:^|_)(?:PSK|PW|PIN|LOGIN|SALT|SEED|OTP)(?:_|$)/;

/**
 * Words before a value that make it a public one or no secret: a hash or a checksum, a commit,
 * a fingerprint, a public key, a wallet's or a coin's address, a ticket, an order, an invoice,
 * a serial or a model number.
 */
const NOT_SECRET_CONTEXT =
  /(?:^|[^a-z])(?:md5|sha-?\d{0,3}|hash|checksum|digest|commit|fingerprint|public|pub ?key|wallet|address|btc|eth|gpg|pgp|ticket|order|invoice|serial|model|tracking|iban|vin|phone|mobile|tel)(?:$|[^a-z])/i;

/**
 * Whether `value`, standing in a credentials note, reads as a password or a key: letters with
 * digits or symbols, not a word, a name, an address, a path, a number, a date or a stand-in.
 */
function isNotedSecret(value: string, passwordLabel: boolean): boolean {
  if (!/[A-Za-z]/.test(value) || !(/\d/.test(value) || PASSWORD_SYMBOL.test(value))) {
    return false;
  }
  // An address, a URL, a path, an e-mail address, a host, a file, a version, a date, a MAC
  // address or a fingerprint's hex pairs.
  if (
    /:\/\/|^www\.|^[~.]?\/|^[^@\s]{1,64}@[^:\s]{1,255}:/.test(value) ||
    /^[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,24}$/.test(value) ||
    /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/.test(value) ||
    /^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,7}\.[a-z]{2,24}(?::\d{1,5})?(?:\/\S*)?$/i.test(
      value,
    ) ||
    /\.(?:md|txt|json|ya?ml|conf|cfg|ini|sh|py|js|ts|php|html?|png|jpe?g|zip|tar|gz|pdf|docx?)$/i.test(
      value,
    ) ||
    /^v?\d+(?:\.\d+){1,3}/.test(value) ||
    /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/.test(value) ||
    /^[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){4,}$/.test(value)
  ) {
    return false;
  }
  // Code or a reference: a member read or a call's end (`image.height;`, `exports.x);`), a
  // package's scope or path (`@types/node`, `linuxserver/plex:1.40.0`), an image and its tag
  // (`postgres:16.2-alpine`), an IPv6 address, an SSH key's fingerprint or public blob, a
  // signature algorithm's name (`SHA1withRSA`), a wallet's or a coin's address.
  // (After a password's label, only the shapes no password takes: `ost:LdC9` and
  // `Intellyva123;` are passwords there.)
  if (
    (!passwordLabel &&
      (/[;{(<]$|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[;,)]*$/.test(value) ||
        /^[a-z][\w.-]*:[\w.-]*\d[\w.-]*$/.test(value))) ||
    /::|^[\w.-]+:\d{1,5}$/.test(value) ||
    /^@?[\w.-]+(?:\/[\w.-]+)+(?::[\w.-]+)?$/.test(value) ||
    /^(?:SHA256|MD5|SHA1):|^(?:SHA-?\d{1,3}|MD[25])with(?:RSA|ECDSA|DSA)|^(?:sha\d{1,3}|md[25])With(?:RSA|ECDSA|DSA)Encryption$|^AAAA[A-Z0-9][0-9A-Za-z]{2}zaC1|^AAAAE2VjZHNh|^0x[0-9a-fA-F]{40}$|^(?:bc1|tb1)[a-z0-9]{20,80}$|^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$|^age1[a-z0-9]{50,}$/.test(
      value,
    )
  ) {
    return false;
  }
  // A model's, a ticket's or a version's code: words and numbers joined by `-`, `.` or `+`
  // (`JIRA-1234`, `TL-WR841N`, `i7-7700`, `HomeNet-5G`, `DS920+`, `Q3-2024`); after a
  // password's label, a password (`Ali.Gor13`).
  if (
    !passwordLabel &&
    /^(?:[A-Za-z]+\d*[A-Za-z]?|\d+[A-Za-z]{0,3})(?:[-.+](?:[A-Za-z]+\d*[A-Za-z]?|\d+[A-Za-z]{0,3}))*\+?$/.test(
      value,
    ) &&
    /[-.+]/.test(value)
  ) {
    return false;
  }
  // Words of any language joined, without a digit (`padrão_da_empresa`, `voir_étiquette`,
  // `integration:ci`); a package and its version (`tslib@^1`, `react@18.2.0`; `Zmcc@2021` is a
  // password); a call (`user:nth(2`).
  if (/^\p{L}+(?:[_:-]\p{L}+)+$/u.test(value) || /@(?:[\^~]\d|\d{1,4}\.\d)/.test(value)) {
    return false;
  }
  if (/[A-Za-z]{2,}\(/.test(value)) return false;
  // Markup: a link's target or text (`…](/gateway/secrets#env)`, `[Runtime`), an HTML tag.
  if (/\]\(|^\[|<\/?[a-z][a-z0-9]*(?:[\s>]|\/>)|\/[A-Za-z][\w-]*\//.test(value)) return false;
  // An HTML entity (`&nbsp;`), emphasis (`cool:__`), names joined by dots and colons
  // (`Envelope.soap:Body.ns:UserId`).
  if (/&[a-z]{2,8};|^__|__$/.test(value) || /^[A-Za-z]\w*(?:[.:][A-Za-z]\w*){2,}$/.test(value)) {
    return false;
  }
  // Letters with Markdown's marks only (`etc.]_`, `word**`): prose.
  if (/^[\p{L}.[\]_*~]+$/u.test(value)) return false;
  // An id: a UUID, a Stripe object's (`price_1TRA8p…`, `prod_UQ09…`), words joined by a slash
  // (`Email/SMTP`), a project's slug of words and a tail (`acme-projects-d912b90e`).
  if (
    /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(value) ||
    /^(?:price|prod|cus|sub|pi|ch|in|acct|evt|txn|pm|seti|si|src|card|plan|po|tr|re|file|link)_[A-Za-z0-9]{8,40}$/.test(
      value,
    ) ||
    /^[A-Za-z]+(?:\/[A-Za-z]+)+$/.test(value) ||
    (/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(value) &&
      value.split("-").filter((part) => /^[a-z]{3,}$/.test(part)).length >= 1 &&
      value.split("-").length >= 2 &&
      !PASSWORD_SYMBOL.test(value))
  ) {
    return false;
  }
  // A name of words joined (`bap_app`, `web-server-01`) or in camel case; after a password's
  // label a password may be so written (`Ali.Gor13`).
  if (
    !passwordLabel &&
    !PASSWORD_SYMBOL.test(value) &&
    /^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)(?:[_.-](?:[a-z]+|[A-Z][a-z]+|[A-Z]+))*(?:[_.-]?\d{1,2})?$/.test(
      value,
    )
  ) {
    return false;
  }
  // Words in camel case (`displayMessage`, `TomcatManager2`).
  if (
    /^[a-z]{2,}(?:[A-Z][a-z]{2,})+$|^(?:[A-Z][a-z]{2,}){2,}$/.test(value.replace(/\d{1,4}$/, ""))
  ) {
    return false;
  }
  // Code (`displayMessage()`, `outFile(filename`), a word closed by punctuation (`filename;`),
  // a password's own name made a stand-in (`@password`, `Şifre1`: isTypicalPassword).
  if (/^[A-Za-z_$][\w$.]+\(/.test(value) || /^\p{L}+[;:)]{1,3}$/u.test(value)) return false;
  // A note is no script: `$` before capitals, small letters and digits mixed is a password's
  // first character (`$PHP123c`), not a variable (`$HOME`, `$DB_PASSWORD`).
  const dollarPassword = /^\$(?=\S*[a-z])(?=\S*[A-Z])(?=\S*\d)[A-Za-z0-9!@#%^&*]{5,30}$/.test(
    value,
  );
  if (dollarPassword) return !isPlaceholder(value.slice(1)) && !isTypicalPassword(value.slice(1));
  return !isTypicalPassword(value) && !isPlaceholder(value) && !isReference(value);
}

/** Two words or more in camel case, each of three letters or more (`TempPass`, `MyPassword`). */
const CAMEL_WORDS = /^[a-z]{0,12}(?:[A-Z][a-z]{2,}){2,}$|^[a-z]{3,}(?:[A-Z][a-z]{2,})+$/;

/** Lines of a note read at most (a note of credentials is short). */
const MAX_LINES = 5000;

/**
 * Values on their own, after their user or after a label that names no user, in a note whose
 * file's name says it keeps credentials. A value of three classes of character (`Arcos159!`)
 * or a random one is an error; one of letters and digits (`sjky2018`) a warning.
 */
const credentialNoteValue: ScanRule = {
  id: "credential-note-value",
  description:
    "Password or key on a line of a note named for credentials (passwords.txt, credentials.md, 账号密码.md, пароли.txt)",
  keywords: [],
  severity: "error",
  confidence: "low",
  suggestedName: "PASSWORD",
  checksPlaceholders: true,
  scan(text, context) {
    if (!context || !isCredentialNoteFile(context.file) || isProse(text)) return [];
    const found: RuleMatch[] = [];
    let lineStart = 0;
    for (let lines = 0; lineStart <= text.length && lines < MAX_LINES; lines++) {
      const newline = text.indexOf("\n", lineStart);
      const lineEnd = newline < 0 ? text.length : newline;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
      const noted = notedValue(line);
      // After a password's label, a value of letters only too (`PW: markus`), as typed.
      const value = noted?.value ?? "";
      if (
        noted &&
        (isNotedSecret(value, noted.passwordLabel) ||
          (noted.passwordLabel &&
            /^\p{L}{4,}$/u.test(value) &&
            !isTypicalPassword(value) &&
            !isPlaceholder(value)))
      ) {
        const at = noted.at;
        const start = lineStart + at;
        // Three classes of character over eight or more, or random: a password someone set.
        const drawn =
          isStrongRandom(value) ||
          (value.length >= 8 &&
            classCount(value) >= 3 &&
            !CAMEL_WORDS.test(value.replace(/[^A-Za-z]+/g, "")));
        const typed = !drawn || isTypicalPassword(value);
        found.push({ start, end: start + value.length, ...(typed ? { typed: true } : {}) });
      }
      if (newline < 0) break;
      lineStart = newline + 1;
    }
    return found;
  },
};

export const CREDENTIAL_NOTE_RULES: ScanRule[] = [credentialNoteValue];
