/**
 * Cloud and hosting providers: AWS, Google Cloud, Azure, IBM Cloud, Alibaba, Tencent,
 * DigitalOcean, Heroku, Fly.io, Cloudflare, Scaleway, Databricks, Supabase, PlanetScale and
 * the other platforms whose keys people paste into config files.
 */
import { isPlaceholder, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import {
  assignmentAfter,
  B64URL,
  classCount,
  decodeBase64Url,
  isRandomHex,
  isRandomLooking,
  judgedMatches,
  namedValueRules,
  nearbyLines,
  notAfter,
  notBefore,
  re,
  regexRule,
  SHAPES,
  tokenRules,
} from "./build.js";
import { isPlausibleSecret } from "./plausible-secret.js";
import { isWeakPassword } from "./weak-password.js";

const AWS_ID = "(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}";
const AWS_SECRET = "[A-Za-z0-9/+]{40}";
const AWS_SECRET_CHARS = "A-Za-z0-9/+=";

/**
 * AWS secret access key: 40 base64 characters assigned to a name with aws/secret in it, or
 * the first such value on the same line or one of the next two lines after an access key id.
 * Each key id looks at most ~600 characters ahead, once, so a long line costs no more.
 */
const awsSecretKey: ScanRule = {
  id: "aws-secret-access-key",
  description: "AWS secret access key",
  keywords: ["aws", "akia", "asia", "secret_access_key", "secretaccesskey"],
  severity: "error",
  confidence: "high",
  suggestedName: "AWS_SECRET_ACCESS_KEY",
  scan(text) {
    const found: RuleMatch[] = [];
    const seen = new Set<number>();
    const keep = (start: number) => {
      const secret = text.slice(start, start + 40);
      if (seen.has(start) || classCount(secret) < 3 || shannonEntropy(secret) < 3.5) return;
      seen.add(start);
      found.push({ start, end: start + 40 });
    };
    const named = re(
      `${assignmentAfter("aws_?secret|aws_?sk|secret_?access_?key|secretaccesskey|aws.{0,20}?secret")}(?<secret>${AWS_SECRET})${notAfter(AWS_SECRET_CHARS)}`,
      "i",
    );
    for (let m = named.exec(text); m; m = named.exec(text)) {
      const span = m.indices?.groups?.secret;
      if (span) keep(span[0]);
    }
    // `aws configure set [profile.NAME.]aws_secret_access_key VALUE` (the AWS CLI's setter).
    const configured = re(
      `\\baws[ \\t]{1,4}configure[ \\t]{1,4}set[ \\t]{1,4}(?:[A-Za-z0-9_.-]{1,64}\\.)?aws_secret_access_key[ \\t]{1,4}["']?(?<secret>${AWS_SECRET})${notAfter(AWS_SECRET_CHARS)}`,
      "i",
    );
    for (let m = configured.exec(text); m; m = configured.exec(text)) {
      const span = m.indices?.groups?.secret;
      if (span) keep(span[0]);
    }
    const ids = re(`\\b${AWS_ID}\\b`);
    const near = re(`${notBefore("A-Za-z0-9/+")}${AWS_SECRET}${notAfter(AWS_SECRET_CHARS)}`);
    let scannedTo = 0;
    for (let m = ids.exec(text); m; m = ids.exec(text)) {
      const from = Math.max(m.index + m[0].length, scannedTo);
      const window = nearbyLines(text, from);
      const to = from + window.length;
      near.lastIndex = 0;
      const s = near.exec(window);
      if (s) keep(from + s.index);
      scannedTo = to;
    }
    return found;
  },
};

/**
 * An Alibaba Cloud AccessKey secret (30 letters and digits, no mark of its own) as the first
 * such value on the line of an AccessKey id (`LTAI…:secret`, a CSV row) or, after a secret's
 * name, on one of the next two (`access_id` then `secret` in JSON). Each id looks at most ~600
 * characters ahead, once.
 */
const alibabaSecretNearId: ScanRule = {
  id: "alibaba-access-key-pair",
  description: "Alibaba Cloud AccessKey secret next to its AccessKey id",
  keywords: ["ltai"],
  severity: "error",
  confidence: "high",
  suggestedName: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  scan(text) {
    const found: RuleMatch[] = [];
    const ids = /\bLTAI[A-Za-z0-9]{12,30}\b/g;
    const near = /(?<![A-Za-z0-9])[A-Za-z0-9]{30}(?![A-Za-z0-9])/g;
    let scannedTo = 0;
    for (let m = ids.exec(text); m; m = ids.exec(text)) {
      const from = Math.max(m.index + m[0].length, scannedTo);
      const window = nearbyLines(text, from);
      scannedTo = from + window.length;
      near.lastIndex = 0;
      for (let s = near.exec(window); s; s = near.exec(window)) {
        if (classCount(s[0]) < 3 || shannonEntropy(s[0]) < 3.5 || s[0].startsWith("LTAI")) continue;
        // On the id's line (`LTAI…:secret`, a CSV row), or after a secret's name on a later
        // one; not a trace id or a commit a log prints below.
        const lineHead = window.slice(window.lastIndexOf("\n", s.index) + 1, s.index);
        if (window.lastIndexOf("\n", s.index) < 0 || SECRET_LABEL.test(lineHead)) {
          found.push({ start: from + s.index, end: from + s.index + 30 });
        }
        break;
      }
    }
    return found;
  },
};

/**
 * `sk` (or `SK`) assigned a value, as the short names of an access-key pair (Qiniu's, Huawei
 * OBS's, Baidu BCE's and other clouds' SDK configs: `'ak' => '…', 'sk' => '…'`, PHP's `$sk =`,
 * Go's `sk :=`, Kotlin's `val sk: String =`, `SK: …`, aligned `sk       = "…"`); and `ak` the
 * same, looked for around it.
 */
const SHORT_PAIR_NAME = (name: string) =>
  `(?:${name}|${name.toUpperCase()})(?<=(?:^|[^\\w$-])\\$?(?<nameQuote>["']?)(?:${name}|${name.toUpperCase()}))\\k<nameQuote>(?:[ \\t]{0,4}:[ \\t]{0,4}[A-Za-z][\\w<>?]{0,30})?[ \\t]{0,16}(?:=>|:=|=|:)[ \\t]{0,16}(?<quote>["']?)`;
const SHORT_PAIR_SECRET = new RegExp(
  `${SHORT_PAIR_NAME("sk")}(?<secret>[A-Za-z0-9_+/-]{24,64}={0,2})\\k<quote>(?![A-Za-z0-9_+/=-])`,
  "dg",
);
const SHORT_PAIR_ID = new RegExp(`${SHORT_PAIR_NAME("ak")}[A-Za-z0-9_+/-]{16,64}`);

/**
 * Two string arguments, a key id then its secret: a Tencent Cloud SecretId and its 32-character
 * SecretKey (`Credential("AKID…", "…")`), or 20 capitals and digits and 40 drawn characters (the
 * access key pair of Huawei Cloud's and AWS-compatible clients: `ObsClient("…", "…", endpoint)`,
 * MinIO's `credentials("…", "…")`).
 */
const KEY_ID_THEN_SECRET =
  /["'](?:AKID[A-Za-z0-9]{32}["'][ \t]{0,4},\s{0,40}["'](?<secret>[A-Za-z0-9]{32})|(?<id>[A-Z0-9]{20})["'][ \t]{0,4},\s{0,40}["'](?<secretAlt>[A-Za-z0-9+/]{40}))["']/dg;

/**
 * Words joined by `_` or `-`, digits only ending them (`avatarKit_default_skin_01`,
 * `saveShortcut_Ctrl_S2`): a name, not a key.
 */
function isJoinedWords(value: string): boolean {
  const parts = value.split(/[_-]/).filter((part) => part !== "");
  return (
    parts.length >= 2 &&
    parts.every((part) => /^[A-Za-z]*\d*$/.test(part)) &&
    parts.filter((part) => /^[A-Za-z]{3,}$/.test(part)).length >= 2
  );
}

/**
 * Drawn as a cloud's secret key is: three kinds of character (or hex, as Baidu's), not a
 * placeholder or words joined into a name.
 */
function isDrawnKeySecret(secret: string): boolean {
  return (
    (classCount(secret) >= 3 || isRandomHex(secret)) &&
    shannonEntropy(secret) >= 3.5 &&
    !isPlaceholder(secret) &&
    !isJoinedWords(secret) &&
    isPlausibleSecret(secret, "secret_key", true)
  );
}

const accessKeyPairSecret: ScanRule = {
  id: "access-key-pair-secret",
  description:
    "Secret half of a cloud access-key pair (sk beside ak; a key id and its secret as arguments)",
  // `sk` as a name (quoted, or before its operator or blanks; `sk` alone is in too many words),
  // a Tencent SecretId, the clients that take a key id and its secret.
  keywords: [
    "'sk'",
    '"sk"',
    "sk=",
    "sk =",
    "sk  ",
    "sk:",
    "sk :",
    "akid",
    "obsclient(",
    "credentials(",
  ],
  severity: "error",
  confidence: "medium",
  suggestedName: "SECRET_KEY",
  scan(text) {
    const found: RuleMatch[] = [];
    for (const m of judgedMatches(text, SHORT_PAIR_SECRET)) {
      const span = m.indices?.groups?.secret;
      if (!span || !isDrawnKeySecret(m.groups?.secret ?? "")) continue;
      // Its `ak` within three lines before or after.
      const before = text.slice(Math.max(0, m.index - 600), m.index);
      const lines = before.split("\n").slice(-4).join("\n");
      if (SHORT_PAIR_ID.test(lines) || SHORT_PAIR_ID.test(nearbyLines(text, span[1]))) {
        found.push({ start: span[0], end: span[1] });
      }
    }
    KEY_ID_THEN_SECRET.lastIndex = 0;
    for (let m = KEY_ID_THEN_SECRET.exec(text); m; m = KEY_ID_THEN_SECRET.exec(text)) {
      const id = m.groups?.id;
      if (id !== undefined && !(/\d/.test(id) && /(?:[A-Z].*){8}/.test(id))) continue;
      const span = m.indices?.groups?.secret ?? m.indices?.groups?.secretAlt;
      const secret = m.groups?.secret ?? m.groups?.secretAlt ?? "";
      if (span && isDrawnKeySecret(secret)) found.push({ start: span[0], end: span[1] });
    }
    return found;
  },
};

/** A secret's name before its value on a line (`"secret": "`, `access_key_secret = `). */
const SECRET_LABEL = /(?:secret|key|sk)["'\]]?[ \t]{0,4}[:=][ \t]{0,4}["']?$/i;

const GOOGLE_CLIENT_HOST = ".apps.googleusercontent.com";
const GOOGLE_LEGACY_SECRET = re(
  `${assignmentAfter("client_?secret|clientsecret")}(?<secret>[${B64URL}]{24})${notAfter(B64URL)}`,
  "i",
);

/**
 * Google OAuth client secrets from before the `GOCSPX-` prefix: 24 characters with no mark of
 * their own, so found only when assigned to a client-secret name on the line of a Google
 * client id or one of the next three. Each id looks at most ~600 characters ahead, and no
 * text is searched twice.
 */
const googleLegacyClientSecret: ScanRule = {
  id: "google-oauth-legacy-client-secret",
  description: "Google OAuth client secret (legacy 24-character form, next to its client id)",
  keywords: ["googleusercontent.com"],
  severity: "error",
  confidence: "medium",
  suggestedName: "GOOGLE_CLIENT_SECRET",
  scan(text) {
    const found: RuleMatch[] = [];
    let scannedTo = 0;
    for (let at = text.indexOf(GOOGLE_CLIENT_HOST); at >= 0; ) {
      const idEnd = at + GOOGLE_CLIENT_HOST.length;
      const windowEnd = idEnd + nearbyLines(text, idEnd).length;
      // The part of this id's lines that an earlier id's search has not read.
      const from = Math.max(idEnd, scannedTo);
      const window = text.slice(from, windowEnd);
      const secret = GOOGLE_LEGACY_SECRET;
      secret.lastIndex = 0;
      for (let m = secret.exec(window); m; m = secret.exec(window)) {
        const span = m.indices?.groups?.secret;
        const value = m.groups?.secret ?? "";
        // A JSON `"client_secret"` key is google-oauth-client-secret-json's, with or without an id.
        const jsonKey = window[m.index - 1] === '"' && m[0].startsWith('client_secret"');
        if (span && !jsonKey && classCount(value) >= 3 && isRandomLooking(value)) {
          found.push({ start: from + span[0], end: from + span[1] });
        }
      }
      scannedTo = Math.max(scannedTo, windowEnd);
      at = text.indexOf(GOOGLE_CLIENT_HOST, idEnd);
    }
    return found;
  },
};

/** A value given in quotes: `"…"` or `'…'` on one line. */
const QUOTED_VALUE = (quote: string, secret: string) =>
  `(?<${quote}>["'])(?<${secret}>[^"'\\n]{4,1000})\\k<${quote}>`;
/** A setting's operator, aligned as `terraform fmt` aligns it (up to 48 spaces before it). */
const SETTING_OP = "[\"']?[ \\t]{0,48}[:=][ \\t]{0,4}";
/** What may lie between a parameter's type and its value: not a block's brace, not the next YAML item. */
const SAME_PARAMETER = "(?:(?!\\n[ \\t]*-[ \\t])[^{}]){0,400}?";

/**
 * The value of an AWS Systems Manager parameter of type `SecureString`: a Terraform
 * `aws_ssm_parameter` block, Pulumi's or the CDK's `ssm.Parameter(…)` (`type` and `value`
 * within 400 characters of each other, in either order, in the same block or YAML item), or
 * `aws ssm put-parameter … --type SecureString … --value …`. The type says the value is
 * secret, whatever the parameter's name (`/app/prod/db`); boto3's and the SDKs' `Value`/`Type`
 * too. A weak value is a warning only when it holds more than letters (`initial`, `ignore`: a
 * value Terraform is told to leave alone); an AWS resource's id is none.
 */
const ssmSecureStringValue = regexRule({
  id: "aws-ssm-secure-string",
  description: "Value of an AWS SSM SecureString parameter written in code or a command",
  keywords: ["securestring"],
  confidence: "medium",
  suggestedName: "SSM_PARAMETER_VALUE",
  checksPlaceholders: true,
  near: { literal: "SecureString", before: 1100, after: 1100 },
  pattern: () =>
    re(
      `["']SecureString["']${SAME_PARAMETER}\\b[Vv]alue${SETTING_OP}${QUOTED_VALUE("quote", "secret")}|\\b[Vv]alue${SETTING_OP}${QUOTED_VALUE("quoteAlt", "secretAlt")}${SAME_PARAMETER}\\b[Tt]ype${SETTING_OP}["']SecureString["']|\\bput-parameter\\b(?=[^\\n]{0,400}SecureString)[^\\n]{0,400}?--value(?:[ \\t]{1,4}|=)(?<quoteAlt2>["']?)(?<secretAlt2>[^\\s"']{4,400})\\k<quoteAlt2>(?![^\\s"'])`,
    ),
  validate: (secret) => {
    // An AWS resource's id or ARN (`vpc-0a1b2c3d`, `sg-…`), which some stacks keep this way.
    if (/^(?:[a-z]{1,8}-[0-9a-f]{8,17}|arn:.*)$/.test(secret)) return false;
    if (isPlausibleSecret(secret, "secret", true)) return true;
    return /[^A-Za-z]/.test(secret) && isWeakPassword(secret) ? "typed" : false;
  },
});

const IBM_NAMES = ["ibm", "bluemix", "softlayer", "cloudant", "cos_hmac", "iam_apikey"];

/** A Google API key (`AIza` and 35 characters): Maps, Gemini, YouTube and Firebase keys alike. */
const googleApiKeyFormat = tokenRules([
  {
    id: "google-api-key",
    description: "Google API key",
    keywords: ["aiza"],
    token: `AIza[${B64URL}]{35}`,
    // Not inside a longer base64 run (`…+AIza…==`): `AIza` turns up in base64 data by chance,
    // and a key is not followed by padding.
    boundary: `${B64URL}+/=`,
    suggestedName: "GOOGLE_API_KEY",
  },
])[0] as ScanRule;

/** Why a key in a Firebase client config is reported as a warning. */
const FIREBASE_CLIENT_KEY =
  "in a Firebase client config, public by Firebase's design: restrict it to its apps and APIs in Google Cloud";

/**
 * Words in the name of another Google API's key, or of a server's, which a Firebase config's
 * neighbour may hold (`GEMINI_API_KEY`, `googleMapsApiKey`, `FIREBASE_SERVER_KEY`).
 */
const OTHER_GOOGLE_API =
  /gemini|generative|genai|ai[_-]?studio|vertex|map|places|youtube|translate|vision|speech|sheets|recaptcha|cloud|server|admin|fcm|messaging|legacy|service|secret/i;

/**
 * The object or call around `at`: from the nearest unclosed `{` or `(` before it to the bracket
 * that closes it, at most 600 characters each way; undefined when there is none within that.
 */
function enclosingObject(text: string, at: number): string | undefined {
  let depth = 0;
  let open = -1;
  for (let i = at - 1; i >= Math.max(0, at - 600); i--) {
    const char = text[i];
    if (char === "}" || char === ")") depth++;
    else if (char === "{" || char === "(") {
      if (depth === 0) {
        open = i;
        break;
      }
      depth--;
    }
  }
  if (open < 0) return undefined;
  depth = 0;
  const limit = Math.min(text.length, at + 600);
  for (let i = at; i < limit; i++) {
    const char = text[i];
    if (char === "{" || char === "(") depth++;
    else if (char === "}" || char === ")") {
      if (depth === 0) return text.slice(open, i + 1);
      depth--;
    }
  }
  return undefined;
}

/**
 * The name a value is assigned to, read back from the end of `before` (`API_KEY=`,
 * `"apiKey": "`, `firebaseApiKey: '`): a quote, blanks, `:` or `=`, blanks, a quote, then up
 * to 60 of `[A-Za-z0-9_.-]`; "" when `before` does not end so. Read character by character, as a
 * pattern anchored at the end would be tried at every position.
 */
function nameBefore(before: string): string {
  let i = before.length;
  const skip = (chars: string, most: number) => {
    for (let n = 0; n < most && i > 0 && chars.includes(before[i - 1] as string); n++) i--;
  };
  skip("\"'`", 1);
  skip(" \t", 4);
  if (i === 0 || !":=".includes(before[i - 1] as string)) return "";
  i--;
  skip(" \t", 4);
  skip("\"'", 1);
  const end = i;
  while (i > 0 && end - i < 60 && /[\w.-]/.test(before[i - 1] as string)) i--;
  return before.slice(i, end);
}

/**
 * A settings line: its indent and name (`REACT_APP_AUTH_DOMAIN=`, `  auth_domain:`, `export X=`,
 * a Compose list's `- X=`, a Dockerfile's `ENV X=`).
 */
const SETTING_LINE =
  /^([ \t]{0,40})(?:-[ \t]{1,4})?(?:(?:export|ENV|ARG)[ \t]+)?["']?([\w.-]{1,80})["']?[ \t]{0,4}[:=]/;

/** A name folded for comparison: lower case, without `_`, `-` or `.`. */
function foldName(name: string): string {
  return name.toLowerCase().replace(/[_.-]/g, "");
}

/**
 * The settings block around `at`: the folded name of its own line's setting and those of the
 * lines of the same indent, one setting a line, up to a line that is none (blank lines and
 * comments between are passed over), at most 600 characters each way.
 */
function settingsBlock(text: string, at: number): { own: string; names: Set<string> } {
  const from = Math.max(0, at - 600);
  const lines = text.slice(from, Math.min(text.length, at + 600)).split("\n");
  let index = text.slice(from, at).split("\n").length - 1;
  const own = SETTING_LINE.exec(lines[index] ?? "");
  const names = new Set<string>();
  if (!own) return { own: "", names };
  const indent = own[1];
  const read = (line: string): boolean => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("//")) return true;
    const setting = SETTING_LINE.exec(line);
    if (!setting || setting[1] !== indent) return false;
    names.add(foldName(setting[2] as string));
    return true;
  };
  for (let i = index; i >= 0 && read(lines[i] as string); i--);
  for (index++; index < lines.length && read(lines[index] as string); index++);
  return { own: foldName(own[2] as string), names };
}

/**
 * Whether `name` (`REACT_APP_API_KEY`, `api_key`) is the API key of a Firebase config written one
 * setting a line, as `.env` files, Compose files and YAML keep it: the setting of its own line
 * (not a `gemini: { apiKey }` written on one line), in a block (settingsBlock) whose settings of
 * the same prefix name the project id and either the auth domain with the sender or app id (a web
 * config) or both the sender and the app id (a mobile one).
 */
function isFirebaseSettingsKey(text: string, at: number, name: string): boolean {
  const folded = foldName(name);
  if (!folded.endsWith("apikey")) return false;
  const prefix = folded.slice(0, -"apikey".length);
  const { own, names } = settingsBlock(text, at);
  if (own !== folded) return false;
  const has = (setting: string) => names.has(prefix + setting);
  const web = has("authdomain") && (has("messagingsenderid") || has("appid"));
  const mobile = has("messagingsenderid") && has("appid");
  return has("projectid") && (web || mobile);
}

/**
 * Whether the key at `at` is a Firebase client's: the `apiKey` of the object or call that holds
 * the project's ids (a web config, FlutterFire's `FirebaseOptions(…)`), Android's `setApiKey`
 * on a `FirebaseOptions.Builder`, `current_key` in `google-services.json` or `google_api_key`
 * among the app and project ids in the resources Google's Gradle plugin writes from it, iOS's
 * `API_KEY` in `GoogleService-Info.plist`, a name that says it is Firebase's API key
 * (`VITE_FIREBASE_API_KEY=`, `firebaseApiKey:`), or the API key of a settings block naming the
 * project's ids one a line (isFirebaseSettingsKey). Any other key beside such a config
 * (`geocodeKey`, a `gemini: { apiKey }` block, `FIREBASE_SERVER_KEY`) keeps its error.
 * `hasProjectInfo`: the text holds `"project_info"` (looked for once per text).
 */
function isFirebaseClientKey(
  text: string,
  at: number,
  file: string,
  hasProjectInfo: () => boolean,
): boolean {
  const window = text.slice(Math.max(0, at - 120), at);
  const before = window.slice(window.lastIndexOf("\n") + 1);
  const name = nameBefore(before);
  if (OTHER_GOOGLE_API.test(name)) return false;
  if (/firebase/i.test(name) && /api_?key|web_?key|(?:^|_)key$/i.test(name)) return true;
  if (isFirebaseSettingsKey(text, at, name)) return true;
  if (/\bapiKey["']?[ \t]{0,4}[:=][ \t]{0,4}["'`]$/.test(before)) {
    const object = enclosingObject(text, at) ?? "";
    return /projectId/.test(object) && /appId|messagingSenderId|authDomain/.test(object);
  }
  if (/\.setApiKey\([ \t]{0,4}"$/.test(before)) {
    return /FirebaseOptions/.test(text.slice(Math.max(0, at - 600), at));
  }
  if (/"current_key"[ \t]{0,4}:[ \t]{0,4}"$/.test(before)) return hasProjectInfo();
  if (/<string\s+name="google(?:_crash_reporting)?_api_key"[^<>]{0,40}>$/.test(before)) {
    const around = text.slice(Math.max(0, at - 600), at + 600);
    return (
      /name="google_app_id"/.test(around) &&
      /name="(?:project_id|gcm_defaultSenderId)"/.test(around)
    );
  }
  return (
    /(?:^|[/\\])GoogleService-Info[\w.-]{0,40}\.plist$/.test(file) &&
    /<key>API_KEY<\/key>\s*<string>$/.test(text.slice(Math.max(0, at - 60), at))
  );
}

/** Google API keys; in a Firebase client config, warnings (see isFirebaseClientKey). */
const googleApiKey: ScanRule = {
  ...googleApiKeyFormat,
  scan: (text, context) => {
    let projectInfo: boolean | undefined;
    const hasProjectInfo = () => (projectInfo ??= text.includes('"project_info"'));
    return googleApiKeyFormat
      .scan(text, context)
      .map((match) =>
        isFirebaseClientKey(text, match.start, context?.file ?? "", hasProjectInfo)
          ? { ...match, publicByDesign: FIREBASE_CLIENT_KEY }
          : match,
      );
  },
};

export const CLOUD_RULES: ScanRule[] = [
  googleApiKey,
  regexRule({
    id: "aws-access-key-id",
    description: "AWS access key id",
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    suggestedName: "AWS_ACCESS_KEY_ID",
    pattern: re(`\\b(?<secret>${AWS_ID})\\b`),
  }),
  awsSecretKey,
  ssmSecureStringValue,
  googleLegacyClientSecret,
  alibabaSecretNearId,
  accessKeyPairSecret,
  ...tokenRules([
    {
      // `K`, the three-digit cluster number (`000` to `005` so far), then 27 base64 characters:
      // distinctive enough to find without a name. The key id beside it (`005…0000000001`) is
      // not secret.
      id: "backblaze-application-key",
      description: "Backblaze B2 application key",
      keywords: ["k00"],
      token: "K00[0-9][A-Za-z0-9+/]{27}",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "B2_APPLICATION_KEY",
      validate: (secret) =>
        classCount(secret.slice(4)) >= 3 && shannonEntropy(secret.slice(4)) >= 3.8,
    },
    {
      // Long-term keys are `ABSK` and the base64 of `BedrockAPIKey-<id>-at-<account>:<secret>`
      // (that text's own base64 is distinctive at any length); short-term ones are
      // `bedrock-api-key-` and the base64 of a presigned request to
      // `bedrock.amazonaws.com/?Action=CallWithBearerToken&…` (always that host: the region
      // is in the signature).
      id: "aws-bedrock-api-key",
      description: "Amazon Bedrock API key (long-term or short-term)",
      keywords: ["absk", "bedrock-api-key-"],
      token:
        "ABSK(?:QmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{30,300}|[A-Za-z0-9+/]{100,300})={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,8000}={0,2}",
      boundary: "A-Za-z0-9+/=",
      suggestedName: "AWS_BEARER_TOKEN_BEDROCK",
    },
    {
      id: "aws-mws-key",
      description: "Amazon Marketplace Web Service auth token",
      keywords: ["amzn.mws."],
      token: `amzn\\.mws\\.${SHAPES.uuid}`,
    },
    {
      // Vertex AI express mode (and Gemini) API keys.
      id: "gcp-express-mode-api-key",
      description: "Google Cloud express mode API key",
      keywords: ["aq.ab8r"],
      token: `AQ\\.Ab8R[${B64URL}]{46}`,
      validate: (secret) => classCount(secret.slice(8)) >= 3 && shannonEntropy(secret) >= 4,
      suggestedName: "GOOGLE_API_KEY",
    },
    {
      id: "gcp-oauth-client-secret",
      description: "Google OAuth client secret",
      keywords: ["gocspx-"],
      token: `GOCSPX-[${B64URL}]{28}`,
      suggestedName: "GOOGLE_CLIENT_SECRET",
    },
    {
      id: "google-oauth-access-token",
      description: "Google OAuth access token",
      keywords: ["ya29."],
      token: `ya29\\.[${B64URL}]{30,500}`,
      boundary: "A-Za-z0-9_\\-.",
    },
    {
      id: "google-oauth-refresh-token",
      description: "Google OAuth refresh token",
      keywords: ["1//0"],
      token: `1//0[${B64URL}]{40,200}`,
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "alibaba-access-key-id",
      description: "Alibaba Cloud AccessKey id",
      keywords: ["ltai"],
      token: "LTAI[A-Za-z0-9]{12,20}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "tencent-secret-id",
      description: "Tencent Cloud SecretId",
      keywords: ["akid"],
      token: "AKID[A-Za-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "digitalocean-token",
      description: "DigitalOcean personal, OAuth or refresh token",
      keywords: ["dop_v1_", "doo_v1_", "dor_v1_"],
      token: "do[por]_v1_[a-f0-9]{64}",
      suggestedName: "DIGITALOCEAN_TOKEN",
    },
    {
      // DataStax Astra DB (and Langflow) application tokens: `AstraCS:`, the client id's 24
      // letters, `:`, then the secret's 64 hex digits.
      id: "datastax-astra-token",
      description: "DataStax Astra DB application token",
      keywords: ["astracs:"],
      token: "AstraCS:[A-Za-z0-9]{24}:[a-f0-9]{64}",
      suggestedName: "ASTRA_DB_APPLICATION_TOKEN",
      validate: (secret) => classCount(secret.slice(8, 32)) >= 2 && isRandomHex(secret.slice(33)),
    },
    {
      // Aiven's API (auth) tokens: `AVNU_` and the base64 of a signed token.
      id: "aiven-api-token",
      description: "Aiven API token",
      keywords: ["avnu_"],
      token: "AVNU_[A-Za-z0-9+/]{300,420}={0,2}",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "AIVEN_TOKEN",
      validate: (secret) =>
        classCount(secret.slice(5)) >= 3 && shannonEntropy(secret.slice(5)) >= 5,
    },
    {
      // The passwords Aiven generates for a service's users (and DigitalOcean's managed
      // databases, which Aiven runs): `AVNS_` and random letters, digits, `_` and `-`.
      id: "aiven-service-password",
      description: "Aiven (or DigitalOcean managed database) service password",
      keywords: ["avns_"],
      token: "AVNS_[A-Za-z0-9_\\-]{15,24}",
      suggestedName: "DATABASE_PASSWORD",
      validate: (secret) => isRandomLooking(secret.slice(5)),
    },
    {
      id: "heroku-api-key",
      description: "Heroku platform API key",
      keywords: ["hrku-"],
      token: `HRKU-(?:AA)?[${B64URL}]{58,64}`,
      suggestedName: "HEROKU_API_KEY",
    },
    {
      id: "flyio-token",
      description: "Fly.io access or macaroon token",
      keywords: ["fo1_", "fm1", "fm2_"],
      token: `(?:fo1_[${B64URL}]{43}|fm1[ar]_[A-Za-z0-9+/]{100,}={0,3}|fm2_[A-Za-z0-9+/]{100,}={0,3})`,
      boundary: "A-Za-z0-9+/=_\\-",
      suggestedName: "FLY_API_TOKEN",
    },
    {
      id: "cloudflare-origin-ca-key",
      description: "Cloudflare Origin CA key",
      keywords: ["v1.0-"],
      // `v1.0-`, then hex parts: 24 and 146 digits, or 64, 128 and 64 (service keys).
      token: "v1\\.0-(?:[a-f0-9]{24}-[a-f0-9]{146}|[a-f0-9]{64}-[a-f0-9]{128}-[a-f0-9]{64})",
    },
    {
      id: "cloudflare-api-token",
      description: "Cloudflare API token (cfut_/cfat_)",
      keywords: ["cfut_", "cfat_", "cfk_"],
      token: "cf(?:ut|at|k)_[A-Za-z0-9]{40,50}",
    },
    {
      id: "scaleway-access-key",
      description: "Scaleway access key",
      keywords: ["scw"],
      token: "SCW[A-Z0-9]{17}",
      validate: (secret) => /[0-9]/.test(secret.slice(3)),
    },
    {
      id: "databricks-token",
      description: "Databricks personal access token",
      keywords: ["dapi", "dkea", "dose"],
      token: "(?:dapi|dkea|dose)[a-f0-9]{32}(?:-\\d)?",
      suggestedName: "DATABRICKS_TOKEN",
    },
    {
      // Service principal OAuth secrets: `dose` and 32 characters that may include `.`.
      id: "databricks-oauth-secret",
      description: "Databricks OAuth client secret",
      keywords: ["dose"],
      token: "dose[A-Za-z0-9._\\-]{32}",
      boundary: "A-Za-z0-9_.\\-",
      validate: (secret) => classCount(secret.slice(4)) >= 3 && shannonEntropy(secret) >= 3.5,
      suggestedName: "DATABRICKS_CLIENT_SECRET",
    },
    {
      id: "supabase-key",
      description: "Supabase personal access token or secret key",
      keywords: ["sbp_", "sb_secret_"],
      token: "(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31,40})",
      suggestedName: "SUPABASE_ACCESS_TOKEN",
    },
    {
      // Appwrite API keys: `standard_` and a long run of hex (256 digits as issued). Shorter
      // runs after `standard_` are left to names: a digest there is not a key.
      id: "appwrite-api-key",
      description: "Appwrite API key",
      keywords: ["standard_"],
      token: "standard_[a-f0-9]{128,512}",
      validate: (secret) => isRandomHex(secret.slice(9)),
      suggestedName: "APPWRITE_API_KEY",
    },
    {
      // Gel (EdgeDB) Cloud secret keys: `nbwt1_` (`edbt1_` for an instance's own tokens) and a
      // signed JWT. The JWT rule needs a boundary before `eyJ`, and `_` is none.
      id: "gel-secret-key",
      description: "Gel (EdgeDB) secret key",
      keywords: ["nbwt1_", "edbt1_"],
      token:
        "(?:nbwt|edbt)1_eyJ[A-Za-z0-9_\\-]{10,400}\\.eyJ[A-Za-z0-9_\\-]{10,4000}\\.[A-Za-z0-9_\\-]{40,700}",
      validate: (secret) => {
        const signature = secret.slice(secret.lastIndexOf(".") + 1);
        const payload = decodeBase64Url(secret.split(".")[1] as string) ?? "";
        return payload.startsWith("{") && classCount(signature) >= 3;
      },
      suggestedName: "GEL_SECRET_KEY",
    },
    {
      id: "planetscale-token",
      description: "PlanetScale service token, OAuth token or password",
      keywords: ["pscale_"],
      token: "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.\\-]{32,64}",
      boundary: "A-Za-z0-9_.\\-",
    },
    {
      id: "neon-api-key",
      description: "Neon API key",
      keywords: ["napi_"],
      token: "napi_[a-z0-9]{64}",
    },
    {
      id: "render-api-key",
      description: "Render API key",
      keywords: ["rnd_"],
      token: "rnd_[A-Za-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "netlify-token",
      description: "Netlify personal access token",
      keywords: ["nfp_", "nfc_", "nfo_"],
      token: "nf[pco]_[A-Za-z0-9]{36}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "vercel-token",
      description: "Vercel access token",
      keywords: ["vcp_", "vci_", "vca_", "vcr_", "vck_"],
      token: "vc[pciark]_[A-Za-z0-9]{24,60}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "openshift-token",
      description: "OpenShift user token",
      keywords: ["sha256~"],
      token: `sha256~[${B64URL}]{43}`,
      boundary: "A-Za-z0-9_\\-~",
    },
    {
      id: "yandex-cloud-key",
      description: "Yandex Cloud API key, IAM token or access key",
      keywords: ["aqvn", "t1.", "ycaj", "ycm"],
      token: `(?:AQVN[${B64URL}]{35,38}|t1\\.[A-Z0-9a-z_-]{20,}[=]{0,2}\\.[${B64URL}]{86}[=]{0,2}|YC[${B64URL}]{38})`,
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      // Yandex ID OAuth tokens (what `yc init` asks for): `y0_` to `y3_`, then base64url that
      // starts with a version header (`AgAAAA`, `AQAAAA`).
      id: "yandex-oauth-token",
      description: "Yandex OAuth token",
      keywords: ["y0_a", "y1_a", "y2_a", "y3_a"],
      token: `y[0-3]_A[gQ]AAAA[${B64URL}]{40,60}`,
      suggestedName: "YC_OAUTH_TOKEN",
      validate: (secret) =>
        classCount(secret.slice(9)) >= 3 && shannonEntropy(secret.slice(9)) >= 3.5,
    },
    {
      // The keys of Yandex's older APIs (Translate, Dictionary, Predictor): the API's name,
      // `.1.1.`, the time it was made, then 16 and 40 hex digits.
      id: "yandex-legacy-api-key",
      description: "Yandex Translate, Dictionary or Predictor API key",
      keywords: ["trnsl.1.1.", "dict.1.1.", "pdct.1.1."],
      token: "(?:trnsl|dict|pdct)\\.1\\.1\\.\\d{8}T\\d{6}Z\\.[a-f0-9]{16}\\.[a-f0-9]{40}",
      boundary: "A-Za-z0-9_.\\-",
      suggestedName: "YANDEX_API_KEY",
      validate: (secret) => isRandomHex(secret.slice(-40)),
    },
    {
      id: "azure-devops-pat",
      description: "Azure DevOps personal access token",
      keywords: ["azdo"],
      // The AZDO signature sits 76 characters in, after the JQQJ marker at 52. The part
      // between holds a run of `A`s in every real token, so only the 52 random characters
      // are checked for a placeholder.
      token: "[A-Za-z0-9]{52}JQQJ[A-Za-z0-9]{20}AZDO[A-Za-z0-9]{4,5}",
      near: { literal: "JQQJ", before: 52, after: 29 },
      checksPlaceholders: true,
      validate: (secret) => !isPlaceholder(secret.slice(0, 52)),
    },
    {
      // Microsoft's identifiable keys carry the service's signature at a fixed place: 64-byte
      // keys (88 characters: Storage +ASt, Cosmos DB ACDb, API Management APIM, Batch +ABa,
      // Machine Learning +AMC), 32-byte keys (44: Service Bus +ASb, Event Hubs +AEh, Relay
      // +ARm, Event Grid AZEG, Cache for Redis AzCa, IoT AIoT), Search (AzSe) and Container
      // Registry (+ACR) keys (52), URL-safe Functions keys (AzFu, 56), and other keys with the
      // common annotated marker JQQJ9 (84 or 88).
      id: "azure-identifiable-key",
      description:
        "Azure key with a Microsoft identifiable signature (Storage, Cosmos DB, Service Bus, Functions, …)",
      keywords: [
        "+ast",
        "acdb",
        "apim",
        "+aba",
        "+amc",
        "+asb",
        "+aeh",
        "+arm",
        "azeg",
        "azca",
        "aiot",
        "azse",
        "+acr",
        "azfu",
        "jqqj9",
      ],
      token: [
        "[A-Za-z0-9+/]{76}(?:\\+ASt|ACDb|APIM|\\+ABa|\\+AMC)[A-Za-z0-9+/]{5}[AQgw]==",
        "[A-Za-z0-9+/]{33}(?:\\+ASb|\\+AEh|\\+ARm|AZEG|AzCa|AIoT)[A-P][A-Za-z0-9+/]{5}=",
        "[A-Za-z0-9+/]{42}(?:AzSe|\\+ACR)[A-D][A-Za-z0-9+/]{5}",
        `[${B64URL}]{44}AzFu[${B64URL}]{5}[AQgw](?:==|%3[dD]%3[dD])`,
        "[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?",
      ].join("|"),
      // Each signature sits at most 76 characters in and at most 31 before the end.
      near: {
        literal: [
          "+ASt",
          "ACDb",
          "APIM",
          "+ABa",
          "+AMC",
          "+ASb",
          "+AEh",
          "+ARm",
          "AZEG",
          "AzCa",
          "AIoT",
          "AzSe",
          "+ACR",
          "AzFu",
          "JQQJ9",
        ],
        before: 76,
        after: 31,
      },
      boundary: "A-Za-z0-9+/=_\\-",
      suggestedName: "AZURE_KEY",
      validate: (secret) => classCount(secret) >= 3 && shannonEntropy(secret) >= 4,
    },
    {
      // Temporary credentials from STS: the session token's serialized form starts the same
      // way in every token (`IQoJb3JpZ2luX2Vj`, older `FwoGZXIvYXdzE` / `FQoGZXIvYXdzE`).
      id: "aws-session-token",
      description: "AWS STS session token",
      keywords: ["iqojb3jpz2lux2vj", "fwogzxivyxdze", "fqogzxivyxdze"],
      token: "(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9+/]{100,2000}={0,2}",
      boundary: "A-Za-z0-9+/=",
      suggestedName: "AWS_SESSION_TOKEN",
    },
    {
      id: "amazon-lwa-client-secret",
      description: "Login with Amazon (LWA) client secret",
      keywords: ["amzn1.oa2-cs.v1."],
      token: "amzn1\\.oa2-cs\\.v1\\.[a-f0-9]{64}",
      boundary: "A-Za-z0-9.",
    },
  ]),
  regexRule({
    // A deploy hook is a URL that starts a build for anyone who has it: its secret is the
    // hook's id (Netlify, Cloudflare Pages) or its last part (Vercel, Render's key).
    id: "deploy-hook-url",
    description: "Deploy hook URL (Netlify, Vercel, Render, Cloudflare Pages and Workers Builds)",
    keywords: [
      "api.netlify.com/build_hooks/",
      "api.vercel.com/v1/integrations/deploy/",
      "api.render.com/deploy/",
      "/deploy_hooks/",
    ],
    confidence: "medium",
    suggestedName: "DEPLOY_HOOK_URL",
    pattern: re(
      `api\\.netlify\\.com/build_hooks/(?<secret>[a-f0-9]{24})(?![A-Za-z0-9])|api\\.vercel\\.com/v1/integrations/deploy/(?:prj_[A-Za-z0-9]{10,40}|Qm[A-Za-z0-9]{40,50})/(?<secretAlt>[A-Za-z0-9]{8,40})(?![A-Za-z0-9])|api\\.render\\.com/deploy/srv-[a-z0-9]{10,40}\\?(?:[A-Za-z0-9_]{1,20}=[A-Za-z0-9_.%-]{0,100}&){0,5}key=(?<secretAlt2>[A-Za-z0-9_-]{8,60})(?![A-Za-z0-9_-])|api\\.cloudflare\\.com/client/v4/(?:accounts/[a-f0-9]{32}/)?(?:pages/webhooks|workers/builds)/deploy_hooks/(?<secretAlt3>[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})`,
    ),
    validate: (secret) => classCount(secret) >= 2,
  }),
  regexRule({
    // kubeadm's bootstrap tokens (`[a-z0-9]{6}.[a-z0-9]{16}`) after `--token`, `token:`, or a
    // name that says bootstrap token (`BOOTSTRAP_TOKEN=`, `--tls-bootstrap-token`).
    id: "kubernetes-bootstrap-token",
    description: "Kubernetes bootstrap token (kubeadm join)",
    keywords: ["--token", "token:", "bootstrap-token", "bootstrap_token", "bootstraptoken"],
    confidence: "medium",
    suggestedName: "KUBEADM_TOKEN",
    pattern: re(
      `(?:--token[ \\t=]{1,4}["']?|\\btoken:[ \\t]{0,4}["']?|bootstrap-token-|(?:BOOTSTRAP|[Bb]ootstrap)[_-]?(?:TOKEN|[Tt]oken)["']?[ \\t]{0,4}[=: \\t][ \\t]{0,4}["']?)(?<secret>[a-z0-9]{6}\\.[a-z0-9]{16})(?![A-Za-z0-9.])`,
    ),
    validate: (secret) => classCount(secret) >= 2 && shannonEntropy(secret.slice(7)) >= 3,
  }),
  regexRule({
    id: "azure-storage-key",
    description: "Azure storage, Cosmos DB or Service Bus connection string key",
    keywords: ["accountkey=", "sharedaccesskey=", "accesskey="],
    suggestedName: "AZURE_STORAGE_CONNECTION_STRING",
    pattern: re(
      `(?:AccountKey|SharedAccessKey|AccessKey)=(?<secret>[A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{43}=)`,
      "i",
    ),
  }),
  regexRule({
    // In a URL's query, or on its own (`AZURE_STORAGE_SAS_TOKEN=sv=…`, `SharedAccessSignature=sv=…`).
    id: "azure-sas-token",
    description: "Azure shared access signature",
    keywords: ["sig="],
    confidence: "medium",
    pattern: re(
      `(?<![A-Za-z0-9_.\\-])sv=\\d{4}-\\d{2}-\\d{2}&[^\\s"'<>]{0,300}?sig=(?<secret>[A-Za-z0-9%+/]{40,90})`,
    ),
    validate: (secret) => /%3d|=$/i.test(secret),
  }),
  regexRule({
    // Service Bus, Event Hubs, IoT Hub and Notification Hubs tokens built from a key.
    id: "azure-shared-access-signature",
    description: "Azure SharedAccessSignature token (Service Bus, Event Hubs, IoT Hub)",
    keywords: ["sharedaccesssignature"],
    confidence: "medium",
    pattern: re(
      `SharedAccessSignature[ \\t]{1,4}[^\\s"'<>]{0,300}?\\bsig=(?<secret>[A-Za-z0-9%+/]{40,90})`,
    ),
    validate: (secret) => /%3d|=$/i.test(secret) && shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    // Azure Bot Service's Web Chat and Direct Line secrets (11 characters, `.`, 43), where a page
    // uses them: the `BotConnector` authorization scheme or a Web Chat embed's `s=`.
    id: "azure-bot-framework-secret",
    description: "Azure Bot Service Web Chat or Direct Line secret",
    keywords: ["botconnector", "botframework.com/embed"],
    suggestedName: "DIRECT_LINE_SECRET",
    pattern: re(
      `(?:BotConnector["' +]{1,8}|botframework\\.com/embed/[A-Za-z0-9_.%-]{1,80}\\?(?:[^\\s"'<>&]{0,200}&){0,5}s=)(?<secret>[A-Za-z0-9_-]{11}\\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`,
      "i",
    ),
    validate: (secret) => classCount(secret) >= 3 && shannonEntropy(secret) >= 4,
  }),
  regexRule({
    // Event Grid's shared access signature: the topic's URL, its expiry and the signature, each
    // URL-encoded (`SharedAccessSignature r=https%3a%2f%2f…&e=…&s=…`).
    id: "azure-event-grid-signature",
    description: "Azure Event Grid shared access signature (r=…&e=…&s=…)",
    keywords: ["&e="],
    confidence: "medium",
    pattern: re(
      `(?<![A-Za-z0-9_])r=https?(?:%3a|:)(?:%2f|/){2}[^\\s&"'<>]{1,300}&e=[^\\s&"'<>]{1,80}&s=(?<secret>[A-Za-z0-9%+/]{40,90})`,
      "i",
    ),
    validate: (secret) => /%3d|=$/i.test(secret) && shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    id: "azure-app-config-connection-string",
    description: "Azure App Configuration connection string",
    keywords: ["azconfig.io"],
    pattern: re(
      `Endpoint=https://[a-z0-9-]{1,64}\\.azconfig\\.io;Id=[^;\\s]{4,64};Secret=(?<secret>[A-Za-z0-9+/]{43}=)`,
    ),
  }),
  regexRule({
    id: "azure-client-secret",
    description: "Azure AD (Entra ID) client secret",
    keywords: ["q~", "azure", "client_secret", "clientsecret"],
    suggestedName: "AZURE_CLIENT_SECRET",
    pattern: re(
      `(?:${notBefore("A-Za-z0-9_~.-")}[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}${notAfter("A-Za-z0-9_~.-")}|${assignmentAfter("azure[\\w.-]{0,20}?secret")}(?<secret>[A-Za-z0-9_~.-]{32,44})${notAfter("A-Za-z0-9_~.-")})`,
      "i",
    ),
    validate: (secret) => classCount(secret) >= 3 && shannonEntropy(secret) >= 3.5,
  }),
  ...namedValueRules([
    {
      id: "ibm-cloud-api-key",
      description: "IBM Cloud IAM API key",
      names: IBM_NAMES,
      value: SHAPES.b64url(44),
      suggestedName: "IBMCLOUD_API_KEY",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "ibm-cos-hmac-secret",
      description: "IBM Cloud Object Storage HMAC secret access key",
      names: ["secret_access_key", "cos_hmac"],
      value: "[a-f0-9]{48}",
    },
    {
      id: "softlayer-api-key",
      description: "IBM SoftLayer API key",
      names: ["softlayer", "sl_api", "slapi"],
      value: SHAPES.hex64,
    },
    {
      id: "cloudant-credential",
      description: "IBM Cloudant password or API key",
      names: ["cloudant"],
      value: "(?:[a-f0-9]{64}|[a-z]{24})",
      validate: (secret) => shannonEntropy(secret) >= 3.2,
    },
    {
      id: "alibaba-access-key-secret",
      description: "Alibaba Cloud AccessKey secret",
      names: ["alibaba", "aliyun", "alicloud", "access_key_secret", "accesskeysecret"],
      value: "[a-z0-9]{30}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "tencent-secret-key",
      description: "Tencent Cloud SecretKey",
      names: ["tencent", "secretkey", "secret_key"],
      value: "[a-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "heroku-legacy-api-key",
      description: "Heroku API key (UUID form)",
      names: ["heroku"],
      value: SHAPES.uuid,
    },
    {
      id: "cloudflare-global-api-key",
      description: "Cloudflare global API key or API token",
      names: ["cloudflare", "cf_api", "cf_token", "cf_key"],
      value: `(?:[a-f0-9]{37}|${SHAPES.b64url(40)})`,
      // A drawn API token of 40 holds a digit (all but one in a thousand); a name of 40 letters
      // (`WebStandardStreamableHTTPServerTransport`) does not.
      validate: (secret) =>
        classCount(secret) >= 2 &&
        shannonEntropy(secret) >= 3.2 &&
        (/^[a-f0-9]{37}$/.test(secret) || /\d/.test(secret)),
    },
    {
      id: "scaleway-secret-key",
      description: "Scaleway secret key",
      names: ["scaleway", "scw_secret"],
      value: SHAPES.uuid,
    },
    {
      id: "linode-token",
      description: "Linode (Akamai) personal access token",
      names: ["linode"],
      value: SHAPES.hex64,
    },
    {
      id: "vercel-legacy-token",
      description: "Vercel access token (legacy form)",
      names: ["vercel", "now_token"],
      value: "[a-z0-9]{24}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "netlify-legacy-token",
      description: "Netlify access token (legacy form)",
      names: ["netlify"],
      value: SHAPES.b64url(40, 46),
      validate: (secret) => classCount(secret) >= 2 && shannonEntropy(secret) >= 3.5,
    },
    {
      id: "azure-devops-legacy-pat",
      description: "Azure DevOps personal access token (52 characters)",
      names: ["azure_devops", "azuredevops", "ado_pat", "ado_token", "system_accesstoken", "vsts"],
      value: "[a-z2-7]{52}",
      validate: (secret) => /[2-7]/.test(secret) && shannonEntropy(secret) >= 3.5,
    },
    {
      id: "digitalocean-spaces-secret",
      description: "DigitalOcean Spaces secret key",
      names: ["spaces_secret", "do_spaces", "digitalocean"],
      value: "[A-Za-z0-9/+]{43}",
      validate: (secret) => classCount(secret) >= 3,
    },
  ]),
  ...tokenRules([
    {
      id: "castai-api-key",
      description: "CAST AI API key",
      keywords: ["castai_v1_"],
      token: "castai_v1_[A-Za-z0-9]{64}_[A-Za-z0-9]{8}",
      suggestedName: "CASTAI_API_TOKEN",
    },
    {
      id: "saladcloud-api-key",
      description: "SaladCloud API key",
      keywords: ["salad_cloud_"],
      token: "salad_cloud_[A-Za-z0-9]{1,7}_[A-Za-z0-9]{7,235}",
      validate: (secret) => classCount(secret.slice(12)) >= 2,
      suggestedName: "SALAD_API_KEY",
    },
    {
      id: "exoscale-api-key",
      description: "Exoscale API key",
      keywords: ["exo"],
      token: "EXO[a-f0-9]{24}",
      confidence: "medium",
      validate: (secret) => shannonEntropy(secret.slice(3)) >= 3,
      suggestedName: "EXOSCALE_API_KEY",
    },
  ]),
  regexRule({
    // IR@{GUID}@{factory}@{region}@{base64}: the key a self-hosted runtime registers with.
    id: "azure-data-factory-shir-key",
    description: "Azure Data Factory self-hosted integration runtime key",
    keywords: ["ir@"],
    suggestedName: "ADF_SHIR_KEY",
    pattern: re(
      `${notBefore("A-Za-z0-9")}IR@[0-9A-Za-z-]{36}@[A-Za-z0-9._-]{1,90}@[A-Za-z0-9-]{1,40}@[A-Za-z0-9+/]{43}=${notAfter("A-Za-z0-9+/=")}`,
    ),
  }),
  regexRule({
    // A .publishsettings file of the classic Service Management API: the attribute holds a
    // PKCS#12 bundle (certificate and private key) in base64, which signs in to the subscription.
    id: "azure-management-certificate",
    description: "Azure management certificate with its private key (publish settings)",
    keywords: ["managementcertificate="],
    suggestedName: "AZURE_MANAGEMENT_CERTIFICATE",
    pattern: re(`ManagementCertificate="(?<secret>MII[A-Za-z0-9+/]{200,12000}={0,2})"`),
    validate: (secret) => shannonEntropy(secret) >= 4.5,
  }),
  regexRule({
    // base64 of {"a":"<account tag>","t":"<tunnel id>","s":"<secret>"}.
    id: "cloudflare-tunnel-token",
    description: "Cloudflare Tunnel token (cloudflared)",
    keywords: ["eyjhijoi"],
    suggestedName: "TUNNEL_TOKEN",
    pattern: re(
      `${notBefore(`${B64URL}+/`)}eyJhIjoi[A-Za-z0-9+/_\\-]{80,400}={0,2}${notAfter(`${B64URL}+/=`)}`,
    ),
    validate: (secret) => {
      const decoded = decodeBase64Url(secret) ?? "";
      return /"t"\s{0,2}:\s{0,2}"/.test(decoded) && /"s"\s{0,2}:\s{0,2}"/.test(decoded);
    },
  }),
  ...namedValueRules([
    {
      id: "exoscale-api-secret",
      description: "Exoscale API secret",
      names: ["exoscale"],
      value: SHAPES.b64url(43),
      validate: (secret) => classCount(secret) >= 3,
      suggestedName: "EXOSCALE_API_SECRET",
    },
  ]),
  ...tokenRules([
    {
      id: "aws-appsync-api-key",
      description: "AWS AppSync GraphQL API key",
      keywords: ["da2-"],
      token: "da2-[a-z0-9]{26}",
      validate: (secret) => classCount(secret.slice(4)) >= 2 && shannonEntropy(secret) >= 3.5,
      confidence: "medium",
      suggestedName: "APPSYNC_API_KEY",
    },
    {
      id: "gcs-hmac-access-id",
      description: "Google Cloud Storage HMAC key access id (service account)",
      keywords: ["goog1"],
      token: "GOOG1[A-Z0-9]{56}",
      validate: (secret) => classCount(secret.slice(5)) >= 2 && shannonEntropy(secret) >= 4,
      confidence: "medium",
      suggestedName: "GCS_HMAC_ACCESS_ID",
    },
    {
      id: "azure-entra-refresh-token",
      description: "Microsoft Entra ID (Azure AD) refresh token",
      keywords: ["0.a", "1.a"],
      token: "[01]\\.A[\\w\\-]{50,800}\\.Ag[\\w\\-]{250,4000}",
      boundary: `${B64URL}.`,
      validate: (secret) => classCount(secret) >= 4 && shannonEntropy(secret) >= 4.5,
      suggestedName: "AZURE_REFRESH_TOKEN",
    },
    {
      id: "naver-cloud-access-key",
      description: "Naver Cloud Platform IAM access key or secret key",
      keywords: ["ncp_iam_"],
      token: "ncp_iam_BP[AK][MS]KR[A-Za-z0-9]{14,40}",
      validate: (secret) => isRandomLooking(secret.slice(14)),
      suggestedName: "NCLOUD_ACCESS_KEY",
    },
    {
      // Volcengine (ByteDance) keys are `AKLT` and base64 of 32 hex digits; Kingsoft Cloud's
      // are `AKLT` and about 22 letters and digits.
      id: "volcengine-access-key-id",
      description: "Volcengine or Kingsoft Cloud access key id",
      keywords: ["aklt"],
      token: "AKLT[A-Za-z0-9]{20,60}={0,2}",
      validate: (secret) => classCount(secret.slice(4)) >= 3 && shannonEntropy(secret) >= 3.8,
      confidence: "medium",
      suggestedName: "VOLC_ACCESSKEY",
    },
    {
      id: "quicknode-api-key",
      description: "QuickNode console API key",
      keywords: ["qn_"],
      token: "QN_[a-f0-9]{32}",
      validate: (secret) => shannonEntropy(secret.slice(3)) >= 3,
      suggestedName: "QUICKNODE_API_KEY",
    },
    {
      id: "baidu-cloud-access-key",
      description: "Baidu AI Cloud (BCE / Qianfan) access key id",
      keywords: ["altak"],
      token: "ALTAK[A-Za-z0-9]{21}",
      validate: (secret) => classCount(secret.slice(5)) >= 3,
      confidence: "medium",
      suggestedName: "QIANFAN_ACCESS_KEY",
    },
  ]),
  regexRule({
    // A function key in a function URL's `code` parameter (`<app>.azurewebsites.net`, or the
    // newer `<app>-<hash>.<region>.azurewebsites.net`; function, admin and system-key paths), or
    // in the x-functions-key header.
    id: "azure-function-key",
    description: "Azure Functions key (function URL ?code= or x-functions-key header)",
    keywords: ["azurewebsites.net", "x-functions-key"],
    suggestedName: "AZURE_FUNCTION_KEY",
    pattern: re(
      `(?:https?://(?:[a-z0-9\\-]{1,60}\\.){1,3}azurewebsites\\.net/(?:api|admin|runtime/webhooks)/[^\\s?"'\`#<>]{0,100}\\?(?:[\\w.%\\-]{1,40}=[^\\s&"'\`#<>]{0,200}&(?:amp;)?){0,5}code=(?<secret>[${B64URL}]{20,100}(?:={1,2}|(?:%3D){1,2})?)|x-functions-key["']?[ \\t]{0,4}[:=,][ \\t]{0,4}["']?(?<secretAlt>[${B64URL}]{30,100}={0,2}))${notAfter(`${B64URL}=%`)}`,
      "i",
    ),
    validate: (secret) =>
      !isPlaceholder(secret) &&
      classCount(secret.replace(/=|%3D/gi, "")) >= 3 &&
      isRandomLooking(secret),
  }),
];
