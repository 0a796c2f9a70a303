/**
 * Credential configuration files: .npmrc (`_authToken`, `_auth`, `_password`), .netrc,
 * .pgpass, Docker `config.json` auths, NuGet / .NET `<add key=… value=…>` settings, Redis
 * `requirepass`, Windows unattend.xml passwords and Kubernetes `Secret` manifests. (.pypirc,
 * Maven settings.xml and .git-credentials are found by the generic assignment and URL rules.)
 */
import { isPlaceholder, isReference, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import { decodeBase64Url, PUBLIC_NAME, re, regexRule } from "./build.js";
import { isExamplePassword } from "./connections.js";
import { isPlausibleSecret } from "./plausible-secret.js";

/** `user:password` (Docker, npm `_auth`) with a real-looking password. */
function isEncodedLogin(encoded: string): boolean {
  const decoded = decodeBase64Url(encoded) ?? "";
  const colon = decoded.indexOf(":");
  return (
    colon > 0 && /^[\x20-\x7e]+$/.test(decoded) && !isExamplePassword(decoded.slice(colon + 1))
  );
}

const K8S_SECRET = /^kind:[ \t]{0,4}["']?Secret["']?[ \t]*$/m;
const K8S_BLOCK = /^([ \t]{0,8})(data|stringData):[ \t]*$/gm;
const K8S_ENTRY =
  /^([ \t]{1,16})[A-Za-z0-9_.-]{1,253}:[ \t]{1,4}(["']?)([^\n"']{1,8192})\2[ \t]*$/my;

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
    const blocks = new RegExp(K8S_BLOCK);
    for (let b = blocks.exec(text); b; b = blocks.exec(text)) {
      const isData = b[2] === "data";
      const parentIndent = (b[1] ?? "").length;
      let at = b.index + b[0].length + 1;
      while (at < text.length) {
        const entry = new RegExp(K8S_ENTRY);
        entry.lastIndex = at;
        const e = entry.exec(text);
        if (!e || (e[1] ?? "").length <= parentIndent) break;
        const value = e[3] ?? "";
        const valueStart = e.index + e[0].indexOf(value, (e[1] ?? "").length);
        const plain = isData ? (decodeBase64Url(value) ?? "") : value;
        if (
          value.length >= 4 &&
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

export const CONFIG_FILE_RULES: ScanRule[] = [
  regexRule({
    id: "npmrc-auth",
    description: "Registry credential in an .npmrc (_authToken, _auth, _password)",
    keywords: ["_authtoken", "_auth", "_password"],
    suggestedName: "NPM_TOKEN",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:^|:)(?<name>_authToken|_auth|_password)[ \\t]{0,2}=[ \\t]{0,2}["']?(?<secret>[A-Za-z0-9+/=_.\\-:]{8,600})`,
      "m",
    ),
    validate: (secret, match) => {
      if (isReference(secret) || isPlaceholder(secret)) return false;
      if (match.groups?.name === "_auth") return isEncodedLogin(secret);
      if (match.groups?.name === "_password") {
        return !isExamplePassword(decodeBase64Url(secret) ?? secret);
      }
      return shannonEntropy(secret) >= 3;
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
      `\\bmachine[ \\t]{1,8}[^\\s]{1,253}\\s{1,40}login[ \\t]{1,8}[^\\s]{1,200}\\s{1,40}password[ \\t]{1,8}(?<secret>[^\\s]{1,200})`,
    ),
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
    pattern: re(`"auth"[ \\t]{0,4}:[ \\t]{0,4}"(?<secret>[A-Za-z0-9+/]{8,600}={0,2})"`),
    validate: (secret) => isEncodedLogin(secret),
  }),
  regexRule({
    id: "xml-setting-credential",
    description:
      'Credential in an XML setting (<add key="…Password…" value="…"/>, <entry key="…">…</entry>)',
    keywords: ["key=", "name="],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `<(?:add|setting|entry|property|param)[ \\t]{1,4}(?:key|name)[ \\t]{0,2}=[ \\t]{0,2}"(?<name>[^"\\n]{0,60}(?:password|passwd|pwd|secret|token|apikey|api_key|api-key|accesskey|access_key|connectionstring|key|credential|auth|pass)[^"\\n]{0,40})"(?:[ \\t]{1,4}value[ \\t]{0,2}=[ \\t]{0,2}"(?<secret>[^"\\n]{3,500})"|[ \\t]{0,4}>(?<secretAlt>[^<\\n]{3,500})</)`,
      "i",
    ),
    validate: (secret, match) => {
      const name = match.groups?.name ?? "";
      if (PUBLIC_NAME.test(name)) return false;
      // Strong names take any non-example value; a mere `…Key` or `…Auth` a random-looking one.
      if (/password|passwd|pwd|secret|token|connectionstring/i.test(name)) {
        return !isExamplePassword(secret) && !/^(?:true|false|\d{1,6})$/i.test(secret);
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
      `\\bvariable[ \\t]{1,4}"(?<name>[^"\\n]{0,40}(?:password|passwd|secret|token|api_?key|access_?key|private_?key|credential)[^"\\n]{0,40})"[ \\t]{0,4}\\{[^}]{0,300}?\\bdefault[ \\t]{0,4}=[ \\t]{0,4}"(?<secret>[^"\\n]{4,400})"`,
      "i",
    ),
    validate: (secret, match) => isPlausibleSecret(secret, match.groups?.name ?? "", true),
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
  kubernetesSecret,
];
