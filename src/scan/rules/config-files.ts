/**
 * Credential configuration files: .npmrc (`_authToken`, `_auth`, `_password`), .netrc,
 * .pgpass, Docker `config.json` auths, NuGet / .NET `<add key=… value=…>` settings, Redis
 * `requirepass`, Windows unattend.xml passwords, Kubernetes `Secret` manifests, Gradle signing
 * passwords, Composer auth.json tokens, LDAP bind passwords, Wi-Fi PSKs, OpenVPN inline
 * credentials and FileZilla saved passwords. (.pypirc,
 * Maven settings.xml and .git-credentials are found by the generic assignment and URL rules.)
 */
import { isPlaceholder, isReference, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import { decodeBase64Url, isRandomLooking, PUBLIC_NAME, re, regexRule } from "./build.js";
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
        // Not a class or bean name (`org.springframework….BCryptPasswordEncoder`).
        return (
          !isExamplePassword(secret) &&
          !/^(?:true|false|\d{1,6})$/i.test(secret) &&
          !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*){2,}$/.test(secret)
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
      `<(?<tag>password|passphrase|master)>[ \\t]{0,4}(?<secret>\\{[A-Za-z0-9+/]{22,300}={0,2}\\})[ \\t]{0,4}</\\k<tag>>`,
    ),
    validate: (secret) => isRandomLooking(secret.slice(1, -1).replace(/=+$/, "")),
  }),
  regexRule({
    // `buildConfigField "String", "API_KEY", "\"…\""` compiles the value into the app's
    // BuildConfig class; `resValue "string", "api_key", "…"` into its resources.
    id: "android-build-config-secret",
    description: "Credential compiled into an Android app by Gradle (buildConfigField, resValue)",
    keywords: ["buildconfigfield", "resvalue"],
    confidence: "low",
    checksPlaceholders: true,
    pattern: re(
      `\\b(?:buildConfigField|resValue)[ \\t]{0,4}\\(?[ \\t]{0,4}["'](?:String|string)["'][ \\t]{0,4},[ \\t]{0,4}["'](?<name>[A-Za-z0-9_.]{1,80})["'][ \\t]{0,4},[ \\t]{0,4}["'](?:\\\\")?(?<secret>[^"'\\\\\\n$]{4,200})(?:\\\\")?["']`,
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
      // wpa_supplicant.conf quotes a passphrase (8 to 63 characters) and writes a derived PSK
      // as 64 hex digits; a NetworkManager keyfile writes either unquoted.
      id: "wifi-psk",
      description:
        "Wi-Fi pre-shared key (wpa_supplicant.conf psk=, NetworkManager [wifi-security])",
      keywords: ["psk"],
      suggestedName: "WIFI_PSK",
      confidence: "medium",
      checksPlaceholders: true,
      pattern: re(
        `^[ \\t]{0,8}psk[ \\t]{0,2}=[ \\t]{0,2}(?:"(?<secret>[^"\\n]{8,63})"|(?<secretAlt>[^\\s"#]{8,64}))[ \\t]*$`,
        "m",
      ),
      validate: (secret) =>
        /^[a-f0-9]{64}$/i.test(secret) ? isRandomLooking(secret) : isConfigPassword(secret),
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
  regexRule({
    // strongSwan and Libreswan `ipsec.secrets`: optional ID selectors, a colon surrounded by
    // white space (or starting the line), the kind and the secret, quoted or as 0x hex / 0s
    // base64. `: RSA key.pem` names a file and is left out.
    id: "ipsec-secret",
    description: "Pre-shared key or password in an IPsec secrets file (: PSK, : EAP, : XAUTH)",
    keywords: [": psk", ": eap", ": xauth", ": ntlm"],
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:^|\\n)(?:[^\\s:#"'][^\\n:"']{0,200}[ \\t])?:[ \\t]{1,4}(?:PSK|EAP|XAUTH|NTLM)[ \\t]{1,4}(?:(?<quote>["'])(?<secret>[^"'\\n]{1,200})\\k<quote>|(?<secretAlt>0[xs][A-Za-z0-9+/=]{8,400})(?![A-Za-z0-9+/=]))`,
    ),
    validate: (secret) =>
      /^0[xs]/.test(secret)
        ? !isPlaceholder(secret.slice(2)) && isRandomLooking(secret.slice(2))
        : isPlausibleSecret(secret, "password", true),
  }),
  kubernetesSecret,
];
