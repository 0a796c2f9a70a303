/**
 * Behaviour of the source-hosting, CI, registry, platform and connection rules on variants and
 * near misses. Token values are generated here: a literal token in the repository would itself
 * be a leak to every other scanner.
 */
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import { crc32, hasGitHubChecksum, hasGitLabChecksum } from "../src/scan/rules/checksum.js";
import {
  ALNUM,
  B64URL,
  b64url,
  DIGITS,
  HEX,
  LOWER,
  tokenDrawer,
  withGitHubChecksum,
  withGitLabChecksum,
} from "./helpers/test-tokens.js";

const { random, r, mixed, uuid } = tokenDrawer(2027);
const LOWER_DIGITS = LOWER + DIGITS;
/** A dollar sign, so references like `${D}{NAME}` can be written in template strings. */
const D = "$";

/** Random bytes, drawn until one is not printable ASCII (as real random bytes nearly are). */
function randomBytes(n: number): Buffer {
  const bytes = Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  return /^[\x20-\x7e]+$/.test(bytes.toString("latin1")) ? randomBytes(n) : bytes;
}
/** An Atlassian Data Center token: base64 of `<id>:<20 bytes>`. */
function atlassianToken(id: string, secret: Buffer = randomBytes(20)): string {
  return Buffer.concat([Buffer.from(`${id}:`), secret]).toString("base64");
}

const ruleIds = (text: string) => scanText(`${text}\n`, { file: "f.txt" }).map((f) => f.ruleId);
const found = (text: string) => scanText(`${text}\n`, { file: "f.txt" }).length > 0;
/** Ids of the findings in `text` that are warnings of low confidence (a value typed as an example). */
const typedIds = (text: string) =>
  scanText(`${text}\n`, { file: "f.txt" })
    .filter((f) => f.severity === "warning" && f.confidence === "low")
    .map((f) => f.ruleId);
/** `text` has findings, and every one is a low-confidence warning: its value was typed. */
function expectOnlyTyped(text: string): void {
  expect(ruleIds(text).length, text).toBeGreaterThan(0);
  expect(typedIds(text), text).toEqual(ruleIds(text));
}

describe("GitHub, CircleCI and NuGet tokens", () => {
  it("tells an issued GitHub token by its checksum: a made-up one is a warning", () => {
    for (const prefix of ["ghp_", "gho_", "ghu_", "ghs_"]) {
      const token = withGitHubChecksum(prefix, mixed(30));
      expect(hasGitHubChecksum(token), token).toBe(true);
      const [issued] = scanText(`token: ${token}\n`, { file: "notes.md" });
      expect(issued?.severity).toBe("error");
      // One character changed: GitHub never issued it.
      const edited = `${token.slice(0, 10)}${token[10] === "a" ? "b" : "a"}${token.slice(11)}`;
      expect(hasGitHubChecksum(edited)).toBe(false);
      const [typed] = scanText(`token: ${edited}\n`, { file: "notes.md" });
      expect(typed?.severity, edited).toBe("warning");
    }
    const refresh = withGitHubChecksum("ghr_", mixed(70));
    expect(scanText(`${refresh}\n`, { file: "a" }).map((f) => f.severity)).toEqual(["error"]);
  });

  it("tells an issued GitLab routable token by its checksum: a made-up one is a warning", () => {
    const token = withGitLabChecksum("glpat-", mixed(40));
    expect(hasGitLabChecksum(token)).toBe(true);
    expect(scanText(`GITLAB_TOKEN=${token}\n`, { file: ".env" }).map((f) => f.severity)).toEqual([
      "error",
    ]);
    const edited = `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`;
    expect(hasGitLabChecksum(edited)).toBe(false);
    expect(scanText(`GITLAB_TOKEN=${edited}\n`, { file: ".env" }).map((f) => f.severity)).toEqual([
      "warning",
    ]);
    // A legacy token has no checksum to check.
    expect(hasGitLabChecksum(`glpat-${mixed(20)}`)).toBeUndefined();
  });

  it("finds checksummed GitHub tokens glued to other text or to each other", () => {
    const a = withGitHubChecksum("ghp_", mixed(30));
    const b = withGitHubChecksum("ghs_", mixed(30));
    const findings = scanText(`Authorization: token${a}${b}extra\n`, { file: "a" });
    expect(findings.map((f) => f.match)).toEqual([a, b]);
    // Glued and made up: nothing, as the checksum is all that says it is a token.
    expect(scanText(`token${a.slice(0, -1)}Q${a.slice(-1)}\n`, { file: "a" })).toEqual([]);
  });

  it("computes CRC-32 as zlib does", () => {
    for (const text of ["", "a", "123456789", mixed(30), mixed(70)]) {
      expect(crc32(text)).toBe(zlibCrc32(Buffer.from(text, "latin1")));
    }
  });

  it("finds a stateless GitHub App installation token (ghs_<app id>_<JWT>)", () => {
    const jwt = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url('{"iat":1700000000,"iss":"4242"}')}.${r(B64URL, 43)}`;
    expect(ruleIds(`token: ghs_4242_${jwt}`)).toContain("github-app-token");
  });

  it("finds a CircleCI project token (CCIPRJ_)", () => {
    expect(ruleIds(`CCIPRJ_${mixed(22)}_${r(HEX, 40)}`)).toContain("circleci-token");
  });

  it("finds a 46-character NuGet key after the word NuGet, once for an oy2 key", () => {
    expect(ruleIds(`nuget secret ${r(LOWER_DIGITS, 46)}`)).toContain("nuget-legacy-api-key");
    const oy2 = ruleIds(`nuget key = oy2${r(LOWER_DIGITS, 43)}`);
    expect(oy2).toContain("nuget-api-key");
    expect(oy2).not.toContain("nuget-legacy-api-key");
    expect(ruleIds(`nuget package hash ${mixed(46)}`)).not.toContain("nuget-legacy-api-key");
    // All upper case, as the service also accepts it; not a key of mixed case.
    const upper = `OY2${r(LOWER_DIGITS, 43).toUpperCase()}`;
    expect(ruleIds(`KEY=${upper}`)).toContain("nuget-api-key");
    expect(ruleIds(`KEY=oy2${upper.slice(3)}`)).not.toContain("nuget-api-key");
  });
});

describe("Quay robot credentials", () => {
  const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  it("finds namespace+robot:TOKEN", () => {
    expect(ruleIds(`acme+builder:${r(UPPER_DIGITS, 64)}`)).toContain("quay-robot-credentials");
    expect(ruleIds(`QUAY_LOGIN="my-org+ci_bot:${r(UPPER_DIGITS, 64)}"`)).toContain(
      "quay-robot-credentials",
    );
  });

  it("leaves other plus-joined pairs alone", () => {
    expect(ruleIds(`acme+builder:${r(UPPER_DIGITS, 40)}`)).not.toContain("quay-robot-credentials");
    expect(ruleIds(`x = a+b:${r(LOWER_DIGITS, 64)}`)).not.toContain("quay-robot-credentials");
    expect(ruleIds(`acme+builder:${"AB12".repeat(16)}`)).not.toContain("quay-robot-credentials");
  });
});

describe("age and Unleash", () => {
  const AGE = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

  it("finds a post-quantum age identity (AGE-SECRET-KEY-PQ-1)", () => {
    expect(ruleIds(`AGE-SECRET-KEY-PQ-1${r(AGE, 58)}`)).toContain("age-secret-key");
  });

  it("finds Unleash API tokens and PATs by name, a counted stand-in only as a typed example", () => {
    expect(ruleIds(`UNLEASH_API_TOKEN=default:development.${r(HEX, 56)}`)).toContain(
      "unleash-api-token",
    );
    expect(ruleIds(`unleash_admin_token: "*:*.${r(HEX, 64)}"`)).toContain("unleash-api-token");
    expect(ruleIds(`UNLEASH_PAT=user:${r(HEX, 56)}`)).toContain("unleash-api-token");
    const counted = `unleash_pat: "user:${"a1b2c3d4e5f6a7b8c9d0".repeat(3).slice(0, 56)}"`;
    expectOnlyTyped(counted);
    expect(typedIds(counted)).toContain("unleash-api-token");
  });
});

describe("HashiCorp Vault", () => {
  it("finds a legacy token assigned to any name with vault in it", () => {
    for (const kind of ["s", "b", "r"]) {
      expect(ruleIds(`VAULT_CLIENT_TOKEN="${kind}.${mixed(26)}"`)).toContain("vault-legacy-token");
    }
    expect(ruleIds(`vaultToken: s.${mixed(24)}`)).toContain("vault-legacy-token");
  });

  it("leaves method calls on one-letter objects alone", () => {
    expect(found("vault.s.addComponentsFromRegistry()")).toBe(false);
    expect(found("const vault = b.removeTransientObservers();")).toBe(false);
  });

  it("finds a long batch token", () => {
    expect(ruleIds(`hvb.${r(B64URL, 300)}`)).toContain("vault-token");
  });

  it("finds the key given to vault operator unseal, after options too", () => {
    const key = `${r(ALNUM, 43)}=`;
    expect(ruleIds(`vault operator unseal ${key}`)).toContain("vault-unseal-key");
    expect(
      ruleIds(
        `kubectl exec vault-0 -- vault operator unseal -address=https://127.0.0.1:8200 ${key}`,
      ),
    ).toContain("vault-unseal-key");
    expect(found("vault operator unseal -migrate")).toBe(false);
  });

  it("finds an AppRole secret id but not the role id or another service's secret id", () => {
    expect(ruleIds(`secret_id: ${uuid()}`)).toContain("vault-approle-secret-id");
    expect(ruleIds(`vault write auth/approle/login secret_id=${uuid()}`)).toContain(
      "vault-approle-secret-id",
    );
    expect(found(`role_id: ${uuid()}`)).toBe(false);
    expect(ruleIds(`AZURE_CLIENT_SECRET_ID=${uuid()}`)).not.toContain("vault-approle-secret-id");
  });
});

describe("Atlassian Data Center personal access tokens", () => {
  it("finds a token whose key id is 12 digits, by its shape", () => {
    expect(ruleIds(`token: "${atlassianToken("605372918244")}"`)).toContain("atlassian-dc-pat");
    expect(ruleIds(`wiki_PAT=${atlassianToken("081882960519")}`)).toContain("atlassian-dc-pat");
  });

  it("finds another key id only after a product's name", () => {
    const odd = atlassianToken("9245229\t3197");
    expect(ruleIds(`atlassian_PAT=${odd}`)).toContain("atlassian-dc-pat");
    expect(ruleIds(`token=${odd}`)).not.toContain("atlassian-dc-pat");
  });

  it("leaves a typed stand-in (printable secret part) alone", () => {
    const typed = atlassianToken("605372918244", Buffer.from(r(ALNUM, 20)));
    expect(ruleIds(`JIRA_PAT="${typed}"`)).not.toContain("atlassian-dc-pat");
    expect(ruleIds(`BBDC-${typed}`)).not.toContain("bitbucket-dc-http-token");
  });

  it("finds a Bitbucket Data Center HTTP access token (BBDC-)", () => {
    expect(
      ruleIds(
        `git clone https://x-token-auth@bb.corp/scm/p/r.git # BBDC-${atlassianToken("439301578305")}`,
      ),
    ).toContain("bitbucket-dc-http-token");
  });
});

describe("React app passwords", () => {
  it("finds a password in a REACT_APP_ variable, commented out or not", () => {
    expect(ruleIds("REACT_APP_AUTH_PASSWORD=whiteduke")).toContain("react-app-password");
    expect(ruleIds("# REACT_APP_PASS=whiteduke")).toContain("react-app-password");
    expect(ruleIds(`  REACT_APP_GUEST_PASSWORD='${mixed(7)}!1'   # comment`)).toContain(
      "react-app-password",
    );
  });

  it("leaves user names, self-naming values, examples and references alone", () => {
    expect(found("REACT_APP_AUTH_USERNAME=bowie")).toBe(false);
    expect(ruleIds("REACT_APP_MAILER_PASSWORD=smtp_password # your SMTP password")).not.toContain(
      "react-app-password",
    );
    expect(ruleIds("REACT_APP_PASSWORD=changeme")).not.toContain("react-app-password");
    expect(ruleIds("REACT_APP_PASSWORD=$DB_PASSWORD")).not.toContain("react-app-password");
    expect(ruleIds("REACT_APP_PASSWORD=DB_PASSWORD_VAR")).not.toContain("react-app-password");
  });
});

describe("Bearer tokens outside an Authorization header", () => {
  it("finds Bearer and 64 random hex digits in a list of headers", () => {
    expect(ruleIds(`headers:\n  - Bearer ${r(HEX, 64)}`)).toContain("http-bearer-token");
  });

  it("finds an OAuth-scheme key (Statuspage)", () => {
    expect(ruleIds(`status_api: OAuth ${r(HEX, 64)}`)).toContain("http-bearer-token");
    expect(ruleIds(`Authorization: OAuth ${mixed(32)}`)).toContain("http-bearer-token");
    expect(found("Sign in with OAuth 2.0 and PKCE")).toBe(false);
  });

  it("needs Bearer, length and randomness for a hex value", () => {
    expect(ruleIds(`  - Token ${r(HEX, 64)}`)).not.toContain("http-bearer-token");
    expect(ruleIds(`  - Bearer ${r(HEX, 24)}`)).not.toContain("http-bearer-token");
    const counting = `  - Bearer ${"0123456789abcdef".repeat(4)}`;
    expectOnlyTyped(counting);
  });
});

describe("Windows credentials", () => {
  it("finds passwords on schtasks, cmdkey and wmic command lines", () => {
    const password = mixed(14);
    for (const line of [
      `schtasks /create /tn "Backup" /tr backup.bat /sc daily /ru svc_backup /rp ${password}`,
      `schtasks /query /s fs01 /u corp\\ops /p "${password}"`,
      `cmdkey /add:server01 /user:admin /pass:${password}`,
      `wmic /node:fs01 /user:ops /password:${password} process list`,
      `net user svc_backup ${password} /add`,
    ]) {
      expect(ruleIds(line), line).toContain("windows-cli-password");
    }
  });

  it("reports a weak or default password only as a warning", () => {
    const line = "schtasks /create /tn Backup /tr backup.bat /ru admin /rp P@ssw0rd";
    expect(typedIds(line)).toEqual(["windows-cli-password"]);
  });

  it("leaves prompts, examples and variables alone", () => {
    for (const line of [
      "schtasks /create /tn Backup /tr backup.bat /ru admin /rp *",
      "cmdkey /add:server01 /user:admin /pass:%BACKUP_PASSWORD%",
      "cmdkey /add:server01 /user:admin /pass",
      "net user john * /add",
      "net user administrator /active:yes",
      "Run net user admin newpassword to reset it.",
    ]) {
      expect(ruleIds(line), line).not.toContain("windows-cli-password");
    }
  });

  it("finds passwords on RDP, SMB, SQL Server, IPMI, MQTT and FTP client command lines", () => {
    const password = mixed(14);
    for (const line of [
      `xfreerdp /v:host /u:admin /p:${password}`,
      `rdesktop -u admin -p ${password} host`,
      `smbclient //fs/share -U deploy%${password}`,
      `sqlcmd -S db -U sa -P ${password} -Q "select 1"`,
      `ipmitool -I lanplus -H 10.0.0.9 -U ADMIN -P ${password} power status`,
      `mosquitto_pub -h broker -p 1883 -u sensor -P "${password}" -t home/t -m 21`,
      `ncftpput -u deploy -p ${password} ftp.example.org /www dist/*`,
      `lftp -u deploy,${password} -e "mirror -R dist /www; quit" ftp.example.org`,
      `lftp -c "open -u 'deploy,${password}' ftp://ftp.example.org; mirror -R dist /www"`,
    ]) {
      expect(ruleIds(line), line).toContain("remote-login-cli-password");
    }
  });

  it("leaves password prompts and stdin alone", () => {
    for (const line of [
      "rdesktop -u admin -p - host",
      "smbclient //fs/share -U deploy",
      "xfreerdp /v:host /u:admin /p:$RDP_PASSWORD",
      "sqlcmd -S db -U sa -P %SA_PASSWORD%",
      // `-p` is ipmitool's and mosquitto's port, ncftp's `-P` its port.
      "ipmitool -H bmc -p 623 -U admin -E power status",
      "mosquitto_sub -h broker -p 8883 -t home/# -v",
      "ncftpput -P 2121 -u deploy ftp.example.org /www f",
      'lftp -u "$FTP_USER,$FTP_PASSWORD" ftp.example.org',
      "lftp -u deploy ftp.example.org",
    ]) {
      expect(ruleIds(line), line).not.toContain("remote-login-cli-password");
    }
  });

  /** unattend.xml's encoding: base64 of the UTF-16 password with the element's name appended. */
  const encoded = (password: string, element: string) =>
    Buffer.from(`${password}${element}`, "utf16le").toString("base64");

  it("finds an unattend.xml password, plain or encoded", () => {
    const password = mixed(14);
    expect(
      ruleIds(
        `<AdministratorPassword>\n  <Value>${password}</Value>\n  <PlainText>true</PlainText>\n</AdministratorPassword>`,
      ),
    ).toContain("windows-unattend-password");
    expect(
      ruleIds(
        `<AutoLogon><Password><Value>${encoded(password, "Password")}</Value><PlainText>false</PlainText></Password></AutoLogon>`,
      ),
    ).toContain("windows-unattend-password");
  });

  it("leaves example and self-naming unattend passwords alone", () => {
    expect(
      ruleIds(
        `<AutoLogon><Password><Value>${encoded("P@ssw0rd", "Password")}</Value><PlainText>false</PlainText></Password></AutoLogon>`,
      ),
    ).not.toContain("windows-unattend-password");
    expect(
      ruleIds(
        "<AdministratorPassword><Value>MyPlainTextPassword</Value><PlainText>true</PlainText>",
      ),
    ).not.toContain("windows-unattend-password");
  });
});

describe("prefixed developer tokens: Postman, CockroachDB, DevCycle, LocalStack, LaunchDarkly", () => {
  const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  it("finds a Postman collection access key bare, not a ticket number or a non-ULID run", () => {
    expect(ruleIds(`    "PMAT-01H${r(CROCKFORD, 23)}",`)).toContain(
      "postman-collection-access-key",
    );
    expect(ruleIds("// Extracted from the monolith (PMAT-802)")).toEqual([]);
    // U, I, L and O are not letters of a ULID.
    expect(ruleIds(`PMAT-${"U".repeat(4)}${r(UPPER_DIGITS, 22)}`)).not.toContain(
      "postman-collection-access-key",
    );
  });

  it("finds a CockroachDB Cloud key, not a documented stand-in or a key id alone", () => {
    expect(ruleIds(`apikey = "CCDB1_${mixed(22)}_${mixed(40)}"`)).toContain(
      "cockroachdb-cloud-api-key",
    );
    expect(ruleIds('COCKROACH_API_KEY="CCDB1_test_key_that_is_not_real"')).not.toContain(
      "cockroachdb-cloud-api-key",
    );
    expect(ruleIds(`const KEY_ID = "CCDB1_${mixed(22)}";`)).not.toContain(
      "cockroachdb-cloud-api-key",
    );
  });

  it("finds a DevCycle server key, not client keys, stand-ins or a key's update channel", () => {
    expect(ruleIds(`initializeDevCycle("dvc_server_${uuid()}")`)).toContain(
      "devcycle-server-sdk-key",
    );
    expect(ruleIds(`    "dvc_server_${uuid().replace(/-/g, "_")}_${r(HEX, 7)}",`)).toContain(
      "devcycle-server-sdk-key",
    );
    expect(ruleIds(`"dvc_client_${uuid()}"`)).not.toContain("devcycle-server-sdk-key");
    expect(ruleIds('sdk_key = "dvc_server_token_hash"')).not.toContain("devcycle-server-sdk-key");
    expect(ruleIds(`"channel": "dvc_server_${r(HEX, 40)}_v1"`)).not.toContain(
      "devcycle-server-sdk-key",
    );
  });

  it("finds a LocalStack auth token, not a stand-in, a UUID or a longer identifier", () => {
    const groups = () =>
      `${mixed(8)}-${r(ALNUM, 4)}-${r(ALNUM, 4)}-${r(ALNUM, 4)}-${r(LOWER_DIGITS, 8)}${r(DIGITS, 4)}`;
    expect(
      ruleIds(`docker run -e LOCALSTACK_AUTH_TOKEN=ls-${groups()} localstack/localstack`),
    ).toContain("localstack-auth-token");
    expect(ruleIds("LOCALSTACK_AUTH_TOKEN=ls-xxxxxxxx")).toEqual([]);
    expect(ruleIds(`run-id: ls-${uuid()}`)).not.toContain("localstack-auth-token");
    expect(ruleIds(`tools-${groups()}`)).not.toContain("localstack-auth-token");
  });

  it("finds a bare LaunchDarkly SDK or mobile key, but a bare api- key only by name", () => {
    expect(ruleIds(`    "sdk-${uuid()}",`)).toContain("launchdarkly-sdk-key");
    expect(ruleIds(`mobileKey: "mob-${uuid()}"`)).toContain("launchdarkly-sdk-key");
    expect(ruleIds(`    "api-${uuid()}",`)).not.toContain("launchdarkly-sdk-key");
    expect(ruleIds(`LAUNCHDARKLY_API_KEY=api-${uuid()}`)).toContain("launchdarkly-key");
    expect(ruleIds(`my-sdk-${uuid()}`)).not.toContain("launchdarkly-sdk-key");
  });
});

describe("Apple app-specific passwords", () => {
  const appPassword = () => Array.from({ length: 4 }, () => r(LOWER, 4)).join("-");

  it("finds one by its fastlane name or given to notarytool and altool", () => {
    for (const text of [
      `FASTLANE_APPLE_APPLICATION_SPECIFIC_PASSWORD=${appPassword()}`,
      `export APPLE_APP_SPECIFIC_PASSWORD="${appPassword()}"`,
      `  appSpecificPassword: '${appPassword()}',`,
      `xcrun notarytool store-credentials "AC" --apple-id dev@corp.test --team-id QX7ABC1234 --password ${appPassword()}`,
      `xcrun altool --upload-app -f App.ipa -u dev@corp.test -p "${appPassword()}"`,
    ]) {
      expect(ruleIds(text), text).toContain("apple-app-specific-password");
    }
  });

  it("leaves stand-ins, keychain references and unnamed word groups alone", () => {
    for (const text of [
      "FASTLANE_APPLE_APPLICATION_SPECIFIC_PASSWORD=xxxx-xxxx-xxxx-xxxx",
      "APPLE_APP_SPECIFIC_PASSWORD=abcd-efgh-ijkl-mnop",
      "APPLE_APP_SPECIFIC_PASSWORD=aaaa-bbbb-cccc-dddd",
      'xcrun notarytool submit App.zip --password "@keychain:AC_PASSWORD"',
      `APPLE_APP_SPECIFIC_PASSWORD=${D}{APP_PASSWORD}`,
      `slug: ${appPassword()}`,
    ]) {
      expect(ruleIds(text), text).not.toContain("apple-app-specific-password");
    }
  });
});

describe("configuration files: Gradle, Composer, LDAP, Wi-Fi, OpenVPN, FileZilla", () => {
  it("finds Gradle Groovy signing passwords, not properties, references or examples", () => {
    const gradle = `android {\n  signingConfigs {\n    release {\n      storeFile file("release.jks")\n      storePassword "${mixed(14)}"\n      keyAlias "upload"\n      keyPassword '${mixed(14)}'\n    }\n  }\n}`;
    expect(ruleIds(gradle).filter((id) => id === "gradle-signing-password")).toHaveLength(2);
    for (const text of [
      "storePassword keystoreProperties['storePassword']",
      `storePassword "${D}{System.getenv('STORE_PASSWORD')}"`,
      'keyPassword "password"',
      'storePassword "your-store-password"',
    ]) {
      expect(ruleIds(text), text).not.toContain("gradle-signing-password");
    }
  });

  it("finds every token of a Composer auth.json block, not stand-ins", () => {
    const auth = `{\n  "github-oauth": {\n    "github.com": "${r(HEX, 40)}",\n    "ghe.corp.test": "${withGitHubChecksum("ghp_", mixed(30))}"\n  }\n}`;
    const ids = ruleIds(auth);
    expect(ids).toContain("composer-auth-token");
    expect(ids).toContain("github-pat");
    expect(ruleIds(`{"gitlab-oauth": {"gitlab.com": "${mixed(40)}"}}`)).toContain(
      "composer-auth-token",
    );
    expect(ruleIds('{"github-oauth": {"github.com": "<your-github-token>"}}')).toEqual([]);
    expect(ruleIds(`{"github-oauth": {"github.com": "${"x".repeat(40)}"}}`)).toEqual([]);
    expect(ruleIds(`{"github-oauth": {"github.com": "${D}{GITHUB_TOKEN}"}}`)).toEqual([]);
  });

  it("finds LDAP bind passwords in nslcd.conf and sssd.conf, not examples or references", () => {
    const nslcd = `uri ldap://ldap.corp.test/\nbase dc=corp,dc=test\nbinddn cn=nslcd,dc=corp,dc=test\nbindpw ${mixed(16)}\n`;
    expect(ruleIds(nslcd)).toContain("ldap-bind-password");
    expect(
      ruleIds(
        `[domain/corp]\nldap_default_authtok_type = password\nldap_default_authtok = ${mixed(16)}`,
      ),
    ).toContain("ldap-bind-password");
    for (const text of [
      "bindpw secret",
      "#bindpw <password>",
      "ldap_default_authtok = password",
      `bindpw ${D}LDAP_BIND_PW`,
      "ldap_default_authtok_type = obfuscated_password",
    ]) {
      expect(ruleIds(text), text).not.toContain("ldap-bind-password");
    }
  });

  it("finds Wi-Fi PSKs in wpa_supplicant and NetworkManager files, not stand-ins or other psk=", () => {
    expect(
      ruleIds(`network={\n\tssid="office"\n\tpsk="${mixed(16)}"\n\tkey_mgmt=WPA-PSK\n}`),
    ).toContain("wifi-psk");
    expect(ruleIds(`network={\n\tssid="office"\n\tpsk=${r(HEX, 64)}\n}`)).toContain("wifi-psk");
    expect(
      ruleIds(`[connection]\nid=office\n[wifi-security]\nkey-mgmt=wpa-psk\npsk=${mixed(16)}\n`),
    ).toContain("wifi-psk");
    for (const text of [
      'network={\n  ssid="home"\n  psk="your-wifi-password"\n}',
      'network={\n  ssid="home"\n  psk="password"\n}',
      'network={\n  ssid="home"\n  psk="<passphrase>"\n}',
      `# ipsec.conf\npsk=${mixed(16)}`,
      "[wifi-security]\nkey-mgmt=wpa-psk\npsk=MyWiFiPassword",
    ]) {
      expect(ruleIds(text), text).not.toContain("wifi-psk");
    }
  });

  it("finds the password of an inline OpenVPN <auth-user-pass> block, not a stand-in", () => {
    expect(
      ruleIds(
        `client\nremote vpn.corp.test 1194\n<auth-user-pass>\nalice\n${mixed(16)}\n</auth-user-pass>`,
      ),
    ).toContain("openvpn-inline-credentials");
    expect(ruleIds("<auth-user-pass>\nusername\npassword\n</auth-user-pass>")).not.toContain(
      "openvpn-inline-credentials",
    );
    expect(ruleIds("auth-user-pass /etc/openvpn/creds.txt")).toEqual([]);
  });

  it("finds a FileZilla saved password, base64 or plain, not an empty or example one", () => {
    const encoded = Buffer.from(mixed(14)).toString("base64");
    expect(
      ruleIds(
        `<Server>\n  <Host>ftp.corp.test</Host>\n  <User>deploy</User>\n  <Pass encoding="base64">${encoded}</Pass>\n</Server>`,
      ),
    ).toContain("filezilla-password");
    expect(
      ruleIds(`<Pass encoding="base64">${Buffer.from("password").toString("base64")}</Pass>`),
    ).not.toContain("filezilla-password");
    expect(
      ruleIds(`<Pass encoding="base64">${Buffer.from(randomBytes(12)).toString("base64")}</Pass>`),
    ).not.toContain("filezilla-password");
  });
});

describe("Laravel Sanctum tokens", () => {
  it("finds <id>|<token> after Bearer or alone, and judges only the random part", () => {
    const sanctum = ["laravel-sanctum-token", "http-bearer-token"];
    const found = (text: string) => ruleIds(text).filter((id) => sanctum.includes(id));
    expect(
      found(`curl -H "Authorization: Bearer 7|${mixed(40)}" https://app.corp.test/api/user`),
    ).toEqual(["laravel-sanctum-token"]);
    expect(found(`headers: { Authorization: 'Bearer 12|${mixed(48)}' }`)).toEqual([
      "laravel-sanctum-token",
    ]);
    // A saved request's bearer field (Thunder Client, Postman).
    expect(found(`"auth": { "type": "bearer", "bearer": "4|${mixed(40)}" }`)).toEqual([
      "laravel-sanctum-token",
    ]);
    expect(found(`Authorization: Bearer 7|${"x".repeat(40)}`)).toEqual([]);
    expect(found("Authorization: Bearer 1|your-api-token-here-please")).toEqual([]);
  });
});

describe("Statsig server secret keys", () => {
  it("finds one by a Statsig name or call, not bare, a stand-in or a client key", () => {
    expect(ruleIds(`statsig.initialize("secret-${mixed(43)}")`)).toContain("statsig-server-secret");
    expect(ruleIds(`await Statsig.initialize('secret-${mixed(43)}', options);`)).toContain(
      "statsig-server-secret",
    );
    expect(ruleIds(`    "secret-${mixed(43)}",`)).not.toContain("statsig-server-secret");
    for (const text of [
      'statsig.initialize("secret-key")',
      "STATSIG_SERVER_SECRET_KEY=secret-YOUR-ACTUAL-KEY-HERE",
      `STATSIG_SERVER_SECRET_KEY=secret-${"x".repeat(43)}`,
      `NEXT_PUBLIC_STATSIG_CLIENT_KEY=client-${mixed(43)}`,
    ]) {
      expect(ruleIds(text), text).not.toContain("statsig-server-secret");
    }
  });
});

describe("configuration files: the stand-ins tutorials and templates use", () => {
  it("reports none of them as Gradle, LDAP, Wi-Fi or OpenVPN credentials", () => {
    for (const text of [
      'storePassword "password123"',
      'storePassword "your password"',
      'storePassword "..."',
      'storePassword "***"',
      "bindpw foobar",
      "bindpw xxxxxxx",
      "bindpw $(cat /run/secrets/ldap)",
      "bindpw <secret>",
      'network={\n  ssid="YOUR_WIFI_NAME"\n  psk="YOUR_WIFI_PASSWORD"\n}',
      'network={\n  ssid="$WIFI_SSID"\n  psk="$WIFI_PASS"\n}',
      'network={\n\tssid="Wifi name"\n\tpsk="Wifi password"\n}',
      'network={{\n\tssid="{}"\n\tpsk="{}"\n}}',
      "<auth-user-pass>\n$VPN_USERNAME\n$VPN_PASSWORD\n</auth-user-pass>",
      "<auth-user-pass>\n{{USERNAME}}\n{{PASSWORD}}\n</auth-user-pass>",
      "<auth-user-pass>\nalice\nsecret\n</auth-user-pass>",
      '{"github-oauth": {"github.com": "ghp_your_token_here"}}',
      '{"github-oauth": {"github.com": "your-github-token"}}',
      '{"github-oauth": { "github.com": "{{ pillar.builder.github_token }}" } }',
    ]) {
      expect(ruleIds(text), text).toEqual([]);
    }
    const counting = `"github-oauth": {\n  "github.com": "${"1234567890abcdef".repeat(3).slice(0, 40)}"\n}`;
    expectOnlyTyped(counting);
  });
});

describe("Authorization headers of a provider's own scheme", () => {
  it("finds an Elasticsearch ApiKey (base64 of id:key)", () => {
    const key = Buffer.from(`${r(B64URL, 20)}:${r(B64URL, 22)}`).toString("base64");
    expect(ruleIds(`curl -H "Authorization: ApiKey ${key}" https://es.corp.test:9200`)).toContain(
      "http-authorization-credential",
    );
  });

  it("finds a GoDaddy sso-key KEY:SECRET in a headers map", () => {
    expect(ruleIds(`headers = {"Authorization": "sso-key ${mixed(34)}:${mixed(22)}"}`)).toContain(
      "http-authorization-credential",
    );
  });

  it("finds a key under a scheme no other rule knows", () => {
    expect(ruleIds(`Authorization: Acme-Key ${mixed(40)}`)).toContain(
      "http-authorization-credential",
    );
  });

  const notFound: [string, string][] = [
    [
      "a Digest challenge response",
      'Authorization: Digest username="deploy", realm="corp", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
    ],
    ["a Kerberos ticket (Negotiate)", `Authorization: Negotiate ${r(B64URL, 60)}`],
    ["an AWS request signature", `Authorization: AWS4-HMAC-SHA256 Credential=${r(B64URL, 40)}`],
    ["a placeholder", "Authorization: ApiKey <your-api-key-goes-here>"],
    ["a reference", `Authorization: ApiKey ${D}{ES_API_KEY}`],
    ["words joined", "Authorization: Custom webhook-smoke-test-token-001"],
    // Request signatures: each is good for one request only.
    ["an Azure SharedKey signature", `Authorization: SharedKey corpstore:${r(B64URL, 43)}=`],
    [
      "an Azure SharedKeyLite signature",
      `Authorization: SharedKeyLite corpstore:${r(B64URL, 43)}=`,
    ],
    ["an Alibaba OSS signature", `Authorization: OSS ${r(LOWER_DIGITS, 24)}:${r(B64URL, 27)}=`],
    ["an APIAuth signature", `Authorization: APIAuth ${r(LOWER_DIGITS, 12)}:${r(B64URL, 27)}=`],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(ruleIds(text).filter((id) => id === "http-authorization-credential")).toEqual([]);
    });
  }
});

describe("passwords on MongoDB, Azure CLI and archiver command lines", () => {
  const password = () => `${mixed(14)}!`;
  const cases = [
    `mongosh "mongodb://db.corp.test" -u admin -p ${password()}`,
    `mongodump --username backup --password=${password()} --db app`,
    `az login --service-principal -u ${uuid()} -p ${password()} --tenant corp.test`,
    `zip -P ${password()} backup.zip data/`,
    `7z a -p${password()} backup.7z data`,
  ];
  for (const text of cases) {
    it(`finds ${text.split(" ")[0]}'s password`, () => {
      expect(ruleIds(text)).toContain("cli-password-flag");
    });
  }

  const notFound: [string, string][] = [
    ["mongosh prompting for the password", "mongosh -u admin -p"],
    ["a password from a variable", `mongo --port 27017 -p ${D}MONGO_PASS`],
    [
      "az login with a certificate",
      "az login --service-principal -u app -p ~/certs/sp.pem --tenant t",
    ],
    ["unzip -p (pipe to stdout)", "unzip -p archive.zip notes.txt"],
    ["docker's port mapping on a mongo line", "docker run -d --name mongo -p 27017:27017 mongo:7"],
    ["kubectl's port mapping", "kubectl port-forward svc/mongo -p 27017:27017"],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(ruleIds(text).filter((id) => id === "cli-password-flag")).toEqual([]);
    });
  }
});

describe("passwords of login calls (smtplib, ftplib, imaplib)", () => {
  it("finds the second argument of a .login call", () => {
    expect(ruleIds(`server.login("ops@corp.test", "${mixed(14)}!")`)).toContain(
      "basic-auth-call-password",
    );
    expect(ruleIds(`ftp.login(user, '${mixed(14)}!')`)).toContain("basic-auth-call-password");
  });

  it("reports nothing for a login with variables, a function named login, or an app's login call", () => {
    expect(ruleIds("server.login(user, password)")).toEqual([]);
    for (const call of [
      "this.authService.login(credentials, '/dashboard')",
      "authService.login(user, 'google-oauth2')",
      "auth.login(email, 'magic-link')",
      "session.login(user, 'Invalid credentials!')",
    ]) {
      expect(ruleIds(call), call).toEqual([]);
    }
    expect(
      ruleIds(`login("ops", "${mixed(14)}!")`).filter((id) => id === "basic-auth-call-password"),
    ).toEqual([]);
  });
});

describe("IPsec secrets files (strongSwan, Libreswan ipsec.secrets)", () => {
  it("finds a PSK, an EAP password and a 0s base64 key", () => {
    expect(ruleIds(`192.0.2.10 %any : PSK "${r(B64URL, 32)}"`)).toContain("ipsec-secret");
    expect(ruleIds(`alice@corp.test : EAP "${mixed(14)}!"`)).toContain("ipsec-secret");
    expect(ruleIds(`: PSK 0s${Buffer.from(r(ALNUM, 24)).toString("base64")}`)).toContain(
      "ipsec-secret",
    );
  });

  it("finds a PSK after a selector glued to its colon, and a weak one as a warning", () => {
    expect(ruleIds(`%SERVERIP%  %any:   PSK "${r(B64URL, 40)}"`)).toContain("ipsec-secret");
    expect(typedIds('vpn.corp.test : EAP "ggflying"')).toContain("ipsec-secret");
  });

  const notFound: [string, string][] = [
    ["a private key file", ": RSA moonKey.pem"],
    ["the manual's prose example", '10.1.0.1 10.2.0.1 : PSK "secret shared by two hosts"'],
    ["a placeholder", 'carol : XAUTH "<password>"'],
    ["a colon inside a sentence", 'Note: PSK "abc" is an example'],
  ];
  for (const [what, text] of notFound) {
    it(`reports nothing for ${what}`, () => {
      expect(ruleIds(text)).toEqual([]);
    });
  }

  it("reports a counting hex run only as a typed example", () => {
    const text = ": PSK 0x0123456789abcdef0123456789abcdef";
    expectOnlyTyped(text);
  });
});

describe("PyPI upload tokens", () => {
  it("finds a long one (a token scoped to a project carries a longer macaroon)", () => {
    const token = `pypi-AgEIcHlwaS5vcmc${r(B64URL, 600)}`;
    const findings = scanText(`password = ${token}\n`, { file: ".pypirc" });
    expect(findings.map((f) => f.match)).toEqual([token]);
  });
});

describe("credentials as notes write them", () => {
  it("finds user:password before a private host and a user / password after a label", () => {
    const password = `${mixed(12)}9`;
    expect(ruleIds(`NAS: admin:${password}@nas.local`)).toEqual(["host-credentials"]);
    expect(ruleIds(`router: root:${password}@192.168.1.1`)).toEqual(["host-credentials"]);
    expect(ruleIds(`Credentials: admin / ${password}`)).toEqual(["labelled-user-password"]);
    expect(ruleIds(`user deploy pass ${password}`)).toEqual(["labelled-user-password"]);
  });

  it("finds an account's user and password after a label, a list item or `with`", () => {
    const password = `${mixed(12)}9!`;
    for (const text of [
      `- Proxmox: root / ${password} (web UI on :8006)`,
      `- NAS: admin/${password}`,
      `Logged in to Grafana with admin / ${password}`,
      `* pi / "${password}"`,
      `- **Proxmox:** root / ${password}`,
      `- Proxmox: \`root / ${password}\``,
      `| Proxmox | 10.0.0.2 | root / ${password} |`,
      `Proxmox \u2192 root / ${password}`,
      `1. admin / ${password}`,
    ]) {
      expect(
        scanText(`${text}\n`, { file: "MEMORY.md" }).map((f) => [f.ruleId, f.match]),
        text,
      ).toEqual([["account-user-password", password]]);
    }
    // Paths, a user of no account, a password with neither a capital nor a symbol.
    for (const text of [
      `cd /root/${password}`,
      `see https://host/admin/${password}`,
      `Team: alice / ${password}`,
      "Defaults: admin / admin2024",
      "Files: root/build-2.tar.gz",
      "/CN=Administrator/dc=DOMAIN [Not Self Signed]",
      "R = Pi / [rho/2]^2 = Pi / rho_avg^2",
      // Paths, branches, images, versions, files and issues after a user's word.
      "Branch: deploy/Release-2.0",
      "Fixes root/Issue#123",
      "kubectl logs deploy/Api-Server2",
      "docker pull mysql/MySQL8-server",
      "DB: Postgres / MySQL-8.0",
      "  * debian/libstdc++6.symbols: update",
      " - systemd files debian/procps!3 Closes: #123",
      "associated with a SA/policy\\&.",
      `Grafana admin/${password}`,
    ]) {
      expect(scanText(`${text}\n`, { file: "MEMORY.md" }), text).toEqual([]);
    }
  });

  it("finds a URL's user and password filled into a template's braces, not the template", () => {
    const token = mixed(40);
    expect(ruleIds(`https://{bob1995}:{${token}}@github.com`)).toEqual(["url-credentials"]);
    for (const text of [
      "https://{user}:{password}@github.com",
      "https://{username}:{your-token}@github.com",
      "https://{user}:{personal_access_token}@github.com",
    ]) {
      expect(ruleIds(text), text).toEqual([]);
    }
  });

  it("finds a password piped to sudo -S, not a variable or another command", () => {
    const password = `${mixed(12)}#`;
    expect(ruleIds(`echo "${password}" | sudo -S apt update`)).toEqual(["sudo-stdin-password"]);
    expect(ruleIds(`echo '${password}' | sudo -kS true`)).toEqual(["sudo-stdin-password"]);
    for (const text of [
      `echo '${password}' | sudo -u root -S apt update`,
      `echo '${password}' | sudo -S -p '' systemctl restart nginx`,
      `echo '${password}' | sudo --preserve-env=PATH --stdin reboot`,
      `sudo -S apt update <<< '${password}'`,
      `sudo --stdin -u deploy ls <<< "${password}"`,
    ]) {
      expect(ruleIds(text), text).toEqual(["sudo-stdin-password"]);
    }
    for (const text of [
      `sudo -S ls <<< "${D}SUDO_PASS"`,
      `sudo -S ls <<< "${D}(cat pw.txt)"`,
      "sudo tee /etc/motd <<< 'hello world'",
      "echo hello | sudo -u www-data tee /tmp/x",
      `echo ${D}PASSWORD | sudo -S ls`,
      `echo "${D}SUDO_PASS" | sudo -S ls`,
      "echo hello | sudo tee /etc/motd",
      'echo "net.ipv4.ip_forward=1" | sudo -S tee -a /etc/sysctl.conf',
      "echo tun | sudo -S tee -a /etc/modules",
    ]) {
      expect(ruleIds(text), text).toEqual([]);
    }
  });

  it("takes the password alone: no closing bracket, bold, quotes or punctuation", () => {
    const password = `${mixed(12)}9`;
    for (const text of [
      `Router (login: admin / ${password})`,
      `NAS: Login: **admin** / **${password}**`,
      `Login: \`admin\` / \`${password}\``,
      `login: admin / ${password},`,
      `Credentials: admin / ${password}.`,
      `Log in with admin:${password}@nas.local.`,
    ]) {
      const findings = scanText(`${text}\n`, { file: "notes.md" });
      expect(
        findings.map((f) => f.match),
        text,
      ).toEqual([password]);
    }
  });

  it("finds accounts' passwords before a private host, of any case, and with an @ in them", () => {
    for (const text of [
      "admin:Summer2024@10.0.0.5",
      `ssh ops:${mixed(10)}7@NAS.LOCAL`,
      `admin:P@ss${mixed(6)}7@10.0.0.5`,
      `backup:${mixed(10)}7@nas.home.arpa`,
    ]) {
      expect(ruleIds(text), text).toEqual(["host-credentials"]);
    }
  });

  it("leaves log fields, tags and single sign-on names alone", () => {
    for (const text of [
      "session:7f3a9c21@10.0.0.5",
      "worker:pid=4312@10.0.0.7",
      "eth0:tx_errs=34@192.168.1.1",
      "pod:web-7f9c8d6b5-x2x9z@10.0.0.5",
      "cache:hit_ratio=0.93@10.0.0.5",
      "job:build#1234@ci.internal",
      "python:3.11.4-slim@10.0.0.5",
      "user admin pass 0.003s",
      "user input pass through2",
      "each user can pass x=1,y=2 as options",
      "Login: OAuth2 / SAML2.0",
      "Login: SSO / LDAPv3",
      "Credentials: email / password+2FA",
      "login: 2FA / TOTP+SMS",
      "Supported logins: Google / Microsoft365",
    ]) {
      expect(ruleIds(text), text).toEqual([]);
    }
  });

  it("leaves addresses, message ids, image digests, stand-ins and paths alone", () => {
    for (const text of [
      "Contact:john.doe2@acme.local",
      "2019-11-19:20191119204459.312927aa@rigel.localdomain:",
      "git@github.com:org/repo.git",
      "ssh admin@10.0.0.5",
      "nginx:1.25.3-alpine@sha256:0123abcd",
      `mailto:${mixed(12)}9@10.0.0.5`,
      "login: admin / ${PASSWORD}",
      "login: admin / <password>",
      "Usage: user NAME password PASS",
      "credentials: user / password",
      "login: admin / changeme",
      "user: alice / ~/.ssh/id_rsa",
      "user www-data pass $PASS",
    ]) {
      expect(ruleIds(text), text).toEqual([]);
    }
  });
});

describe("sshpass", () => {
  it("finds the password given with -p, not a variable or a password file", () => {
    const password = mixed(14);
    expect(ruleIds(`sshpass -p '${password}' ssh admin@10.0.0.1`).length).toBe(1);
    expect(ruleIds(`sshpass -p${password} ssh admin@10.0.0.1`)).toContain("cli-password-flag");
    expect(ruleIds("sshpass -p $SSHPASS ssh admin@10.0.0.1")).toEqual([]);
    expect(ruleIds("sshpass -f ~/.ssh/pw ssh admin@10.0.0.1")).toEqual([]);
  });
});

describe("secrets handed to a CLI's setter (gh secret set --body)", () => {
  it("finds the body of gh secret set", () => {
    expect(ruleIds(`gh secret set DEPLOY_TOKEN --body "${mixed(32)}"`)).toContain(
      "cli-password-flag",
    );
    expect(ruleIds(`gh secret set DEPLOY_TOKEN -b ${mixed(32)}`)).toContain("cli-password-flag");
  });

  it("reports nothing for a body read from the environment or a file", () => {
    expect(ruleIds(`gh secret set DEPLOY_TOKEN --body "${D}DEPLOY_TOKEN"`)).toEqual([]);
    expect(ruleIds("gh secret set DEPLOY_TOKEN < token.txt")).toEqual([]);
  });
});

describe("connection strings: a password holding an ampersand", () => {
  /** The text of each finding of `text`, as `ruleId value`. */
  const values = (text: string) =>
    scanText(`${text}\n`, { file: "Db.cs" }).map(
      (f) => `${f.ruleId} ${text.slice(f.start, f.end)}`,
    );

  it("reports the whole password of a `;`-separated string, and stops at a query's next parameter", () => {
    const [left, right] = [mixed(9), mixed(6)];
    expect(
      values(`var cs = "Server=db1;User Id=sa;Password=${left}&${right};Encrypt=true";`),
    ).toEqual([`connection-string-password ${left}&${right}`]);
    expect(values(`var url = "https://db1/login?user=sa&password=${left}&next=/home";`)).toEqual([
      `connection-string-password ${left}`,
    ]);
  });

  it("reads `&amp;` as XML writes an ampersand, and a query's flag as a parameter", () => {
    const [left, right] = [mixed(9), mixed(6)];
    expect(
      values(`<add connectionString="Server=db1;User Id=sa;Password=${left}&amp;${right};" />`),
    ).toEqual([`connection-string-password ${left}&amp;${right}`]);
    expect(values(`<a href="/login?user=bob&amp;password=${left}&amp;next=/home">`)).toEqual([
      `connection-string-password ${left}`,
    ]);
    expect(values(`url = "https://db1/?user=bob&password=${left}&remember"`)).toEqual([
      `connection-string-password ${left}`,
    ]);
    expect(values(`<a href="/login?user=bob&amp;password=${left}&amp;remember">`)).toEqual([
      `connection-string-password ${left}`,
    ]);
  });
});

describe(".netrc lines written by a shell", () => {
  it("reports the password without the quote that closes the echoed string", () => {
    const password = mixed(16);
    const text = `RUN echo "machine github.com login ci password ${password}" > ~/.netrc`;
    expect(
      scanText(`${text}\n`, { file: "Dockerfile" }).map(
        (f) => `${f.ruleId} ${text.slice(f.start, f.end)}`,
      ),
    ).toEqual([`netrc-password ${password}`]);
  });

  it("reports a quoted password without its quotes, escaped quotes and all", () => {
    const password = `${mixed(8)}\\"${mixed(8)}`;
    const text = `machine h.example.net login u password "${password}"`;
    expect(
      scanText(`${text}\n`, { file: ".netrc" }).map(
        (f) => `${f.ruleId} ${text.slice(f.start, f.end)}`,
      ),
    ).toEqual([`netrc-password ${password}`]);
  });
});

describe("prefixed tokens glued to what comes before them", () => {
  it("finds a token of a long prefix after a letter, not after `_` or `-`", () => {
    const token = `github_pat_${mixed(22)}_${mixed(59)}`;
    expect(ruleIds(`X${token}`)).toContain("github-fine-grained-pat");
    expect(ruleIds(`sample_${token}`)).not.toContain("github-fine-grained-pat");
    expect(ruleIds(`fake-${token}`)).not.toContain("github-fine-grained-pat");
    // The shortest of a pattern's alternatives counts: `lin_(?:api|oauth)_` is eight characters,
    // `xox[paosr]-` five.
    expect(ruleIds(`Xlin_api_${mixed(40)}`)).toContain("linear-api-key");
    expect(ruleIds(`"a\\nxoxp-1234567890-1234567890-1234567890-${r(HEX, 32)}"`)).toContain(
      "slack-user-token",
    );
    // A GitLab token's name; a title of words joined is none.
    expect(ruleIds("gitlab_mr_title: Fix-JIRA-1234-Login2")).toEqual([]);
  });
});

describe("a database password given to any call after a JDBC URL", () => {
  it("reads the third argument of a helper's or pool's call, not a message", () => {
    const password = `rK${"i9F3cyxn2JVJmD"}`;
    const text = `db = new Db("jdbc:mysql://localhost:3306/rft", "rftuser", "${password}");\n`;
    const findings = scanText(text, { file: "Db.java" });
    expect(findings.map((f) => [f.ruleId, text.slice(f.start, f.end)])).toEqual([
      ["db-connect-call-password", password],
    ]);
    expect(ruleIds('log("jdbc:mysql://x", "a", "connection refused")')).toEqual([]);
    // Lists, tests, loggers and formats given JDBC URLs (a second attack's cases).
    for (const text of [
      'Arguments.of("jdbc:mysql://localhost/db", "mysql", "com.mysql.cj.jdbc.Driver")',
      'List.of("jdbc:h2:mem:a", "jdbc:h2:mem:b", "jdbc:postgresql://h/c")',
      'assertEquals("jdbc:h2:mem:test", url, "urlMismatch")',
      'getLogger("jdbc:sqltiming:", x, "sqlonly")',
      'parse("jdbc:mysql://h/db", "localhost", "3306")',
    ]) {
      expect(ruleIds(text), text).toEqual([]);
    }
    expect(ruleIds('ds.configure("jdbc:postgresql://db/app", "app", DB_PASS)')).toEqual([]);
  });
});
