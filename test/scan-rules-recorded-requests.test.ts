/**
 * What API clients, recorded HTTP interactions and browsers' saved states keep: session cookies
 * in a VCR cassette's `Set-Cookie` items, a Betamax recording's header arrays, Playwright's
 * saved `storageState`, JetBrains' cookie jar, a saved request's `Authorization` header
 * written as a name/value pair; and what such files hold that is no credential (a request's
 * signature).
 */
import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import { ALNUM, HEX, tokenDrawer } from "./helpers/test-tokens.js";

const { r } = tokenDrawer(5252);

/** `[ruleId, severity, value]` of each finding. */
function findings(text: string, file: string): [string, string, string][] {
  return scanText(text, { file }).map((finding) => [
    finding.ruleId,
    finding.severity,
    text.slice(finding.start, finding.end),
  ]);
}

describe("recorded HTTP interactions", () => {
  it("reads each Set-Cookie item of a VCR cassette, not the analytics cookie beside it", () => {
    const session = r(HEX, 32);
    const cassette = `    headers:\n      Set-Cookie:\n      - PHPSESSID=${session}; path=/; HttpOnly\n      - __cfduid=${r(HEX, 43)}; expires=Sat, 15-Jan-22 06:35:14 GMT\n      Connection:\n      - keep-alive\n`;
    expect(findings(cassette, "spec/cassettes/user.yml")).toEqual([
      ["http-session-cookie", "error", session],
    ]);
  });

  it("reads a Betamax recording's header arrays, the value on the next line too", () => {
    const session = `.eJy${r(ALNUM, 60)}.CnetBQ.${r(ALNUM, 27)}`;
    const recording = `"headers": {\n  "Set-Cookie": [\n    "session=${session}; HttpOnly; Path=/"\n  ]\n}`;
    expect(findings(recording, "tests/cassettes/login.json")).toEqual([
      ["http-session-cookie", "error", session],
    ]);
  });

  it("does not take a request's signature for a credential", () => {
    const signature = `${r(ALNUM, 43)}=`;
    expect(
      findings(
        `      Ok-Access-Sign:\n      - ${signature}\n      Ok-Access-Timestamp:\n      - '2022-02-10T16:52:50.000Z'\n`,
        "cassettes/withdrawals.yml",
      ),
    ).toEqual([]);
  });
});

describe("browsers' saved states and cookie jars", () => {
  it("reads Playwright's storageState by its opening, whatever the file's name", () => {
    const laravel = r(ALNUM, 40);
    const google = `g.a000${r(ALNUM, 60)}`;
    const state = JSON.stringify(
      {
        cookies: [
          { name: "laravel_session", value: laravel, domain: "localhost", path: "/" },
          { name: "_ga", value: `GA1.1.${r("0123456789", 10)}`, domain: "localhost", path: "/" },
          { name: "__Secure-1PLSID", value: google, domain: ".google.com", path: "/" },
        ],
        origins: [],
      },
      null,
      2,
    );
    expect(findings(state, "playwright/.auth/user.json")).toEqual([
      ["cookie-file-session", "error", laravel],
      ["cookie-file-session", "error", google],
    ]);
    // Another JSON file with the same pairs is no cookie jar.
    expect(findings(`{"settings": ${state}}`, "config.json")).toEqual([]);
  });

  it("reads JetBrains' HTTP client cookie jar", () => {
    const session = r(HEX, 32).toUpperCase();
    const jar = `# domain\tpath\tname\tvalue\tdate\nlocalhost\t/\tJSESSIONID\t${session}\t-1\n`;
    expect(findings(jar, ".idea/httpRequests/http-client.cookies")).toEqual([
      ["cookie-file-session", "error", session],
    ]);
  });
});

describe("saved requests of API clients", () => {
  it("reads an Authorization header written as a name and a value", () => {
    const token = r(HEX, 40);
    const request = `"headers": [\n  {\n    "name": "Authorization",\n    "value": "Token ${token}"\n  }\n]`;
    expect(findings(request, "thunder-tests/thunderclient.json")).toEqual([
      ["http-bearer-token", "error", token],
    ]);
  });
});

describe("forms an independent attack on these rules showed", () => {
  it("reads every item of a JSON Set-Cookie array, the session after an anti-forgery cookie", () => {
    const session = r(ALNUM, 24);
    const recording = `{"Set-Cookie": [\n  "csrftoken=${r(ALNUM, 12)}; Path=/",\n  "sessionid=${session}; HttpOnly"\n]}`;
    expect(findings(recording, "cassette.json")).toEqual([
      ["http-session-cookie", "error", session],
    ]);
  });

  it("reads a Sanctum token only as letters and digits, not base64 after an id", () => {
    const digest = `${r(ALNUM, 40)}+${r(ALNUM, 2)}=`;
    expect(findings(`1|${digest}|2024-12-07\n`, "hashes.psv")).toEqual([]);
    expect(findings(`1|${r(ALNUM, 40)}_x\n`, "t.txt")).toEqual([]);
  });
});

describe("Android's signing files and string resources", () => {
  it("reads a keystore's password by its name's end, not labels, options or other words", () => {
    const password = `${r(ALNUM, 12)}#`;
    expect(
      findings(`storePassword="${password}"\nkeyAlias=upload\n`, "android/keystore.properties"),
    ).toEqual([["android-signing-properties-password", "error", password]]);
    for (const [file, text] of [
      [
        "sign-in_de.properties",
        "signin.password.show=Anzeigen\nsignin.forgotPassword=Vergessen?\n",
      ],
      ["key_bindings.properties", "password.toggle=ctrl+shift+p\n"],
      ["key.properties", "passwordEncoder=BCryptPasswordEncoder\npassword.policy=strict\n"],
      ["gradle.properties", "kotlin.compiler.bypassKeyCheck=yes\nkeystore.passthrough=enabled\n"],
    ]) {
      expect(findings(text as string, file as string), file).toEqual([]);
    }
  });

  it("takes drawn hex under a key's name for an API key, not under a hash's or a fingerprint's", () => {
    const hex = r(HEX, 40);
    const resource = (name: string) =>
      `<resources>\n    <string name="${name}">${hex}</string>\n</resources>\n`;
    expect(findings(resource("weather_key"), "res/values/strings.xml")).toEqual([
      ["name-value-credential", "error", hex],
    ]);
    for (const name of ["release_sha1_key", "cert_fingerprint_key", "git_commit_key"]) {
      expect(findings(resource(name), "res/values/strings.xml"), name).toEqual([]);
    }
  });
});
