/**
 * Behaviour of the source-hosting, CI, registry, platform and connection rules on variants and
 * near misses. Token values are generated here: a literal token in the repository would itself
 * be a leak to every other scanner.
 */
import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import { ALNUM, B64URL, b64url, DIGITS, HEX, LOWER, tokenDrawer } from "./helpers/test-tokens.js";

const { random, r, mixed, uuid } = tokenDrawer(2027);
const LOWER_DIGITS = LOWER + DIGITS;

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

describe("GitHub, CircleCI and NuGet tokens", () => {
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

  it("finds Unleash API tokens and PATs by name, not a counted stand-in", () => {
    expect(ruleIds(`UNLEASH_API_TOKEN=default:development.${r(HEX, 56)}`)).toContain(
      "unleash-api-token",
    );
    expect(ruleIds(`unleash_admin_token: "*:*.${r(HEX, 64)}"`)).toContain("unleash-api-token");
    expect(ruleIds(`UNLEASH_PAT=user:${r(HEX, 56)}`)).toContain("unleash-api-token");
    expect(
      ruleIds(`unleash_pat: "user:${"a1b2c3d4e5f6a7b8c9d0".repeat(3).slice(0, 56)}"`),
    ).not.toContain("unleash-api-token");
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
    expect(ruleIds(`  - Bearer ${"0123456789abcdef".repeat(4)}`)).not.toContain(
      "http-bearer-token",
    );
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

  it("leaves prompts, examples and variables alone", () => {
    for (const line of [
      "schtasks /create /tn Backup /tr backup.bat /ru admin /rp *",
      "schtasks /create /tn Backup /tr backup.bat /ru admin /rp P@ssw0rd",
      "cmdkey /add:server01 /user:admin /pass:%BACKUP_PASSWORD%",
      "cmdkey /add:server01 /user:admin /pass",
      "net user john * /add",
      "net user administrator /active:yes",
      "Run net user admin newpassword to reset it.",
    ]) {
      expect(ruleIds(line), line).not.toContain("windows-cli-password");
    }
  });

  it("finds passwords on RDP, SMB and SQL Server client command lines", () => {
    const password = mixed(14);
    for (const line of [
      `xfreerdp /v:host /u:admin /p:${password}`,
      `rdesktop -u admin -p ${password} host`,
      `smbclient //fs/share -U deploy%${password}`,
      `sqlcmd -S db -U sa -P ${password} -Q "select 1"`,
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
