/**
 * Behaviour of the AI, cloud, ops and key-material rules beyond their one template each: the
 * variants a rule must find and the near misses it must leave alone.
 */
import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import {
  ALNUM,
  B64,
  B64URL,
  BECH32,
  b64url,
  DIGITS,
  HEX,
  LOWER,
  tokenDrawer,
  UPPER,
} from "./helpers/test-tokens.js";

const { r, mixed: alnum, uuid } = tokenDrawer(20261204);
const jwt = () =>
  `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${b64url(JSON.stringify({ sub: "1234", iat: 1700000000 }))}.${r(B64URL, 43)}`;

/** Rule ids found in `text`, scanned as a Markdown file. */
function rulesIn(text: string): string[] {
  return scanText(`before\n${text}\nafter\n`, { file: "f.md" }).map((f) => f.ruleId);
}
/** The secret texts `ruleId` reports in `text`. */
function secretsOf(ruleId: string, text: string): string[] {
  const full = `before\n${text}\nafter\n`;
  return scanText(full, { file: "f.md" })
    .filter((f) => f.ruleId === ruleId)
    .map((f) => full.slice(f.start, f.end));
}

describe("AI platform rules", () => {
  it("finds Friendli, Stability AI and Cursor keys bare", () => {
    expect(rulesIn(`flp_${alnum(46)}`)).toContain("friendli-api-key");
    expect(rulesIn(`sk-${alnum(48)}`)).toContain("stability-ai-api-key");
    expect(rulesIn(`key_${r(HEX, 64)}`)).toContain("cursor-api-key");
  });

  it("leaves OpenAI's legacy form to openai-api-key, and word-like runs alone", () => {
    const openai = `sk-${alnum(20)}T3BlbkFJ${alnum(20)}`;
    expect(rulesIn(openai)).not.toContain("stability-ai-api-key");
    expect(rulesIn(`sk-${"abcdefghijklmnopqrstuvwx".repeat(2)}`)).not.toContain(
      "stability-ai-api-key",
    );
    // `key_` inside a longer name is not Cursor's prefix; letters only are not a key.
    expect(rulesIn(`cache_key_${r(HEX, 64)}`)).not.toContain("cursor-api-key");
    expect(rulesIn(`key_${r(LOWER, 64)}`)).not.toContain("cursor-api-key");
  });

  it("finds AI21 and fal.ai keys next to their provider's name", () => {
    const ai21 = uuid();
    expect(secretsOf("ai21-api-key", `ai21 = ${ai21}`)).toEqual([ai21]);
    const fal = `${uuid()}:${r(HEX, 32)}`;
    expect(secretsOf("fal-api-key", `fal-api = ${fal}`)).toEqual([fal]);
    expect(secretsOf("fal-api-key", `falai token = ${fal}`)).toEqual([fal]);
  });
});

describe("cloud rules", () => {
  it("finds Bedrock short-term API keys (a presigned request to bedrock.amazonaws.com)", () => {
    const request = `bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${r(UPPER, 20)}&X-Amz-Signature=${r(HEX, 64)}&Version=1`;
    const token = `bedrock-api-key-${Buffer.from(request).toString("base64")}`;
    expect(secretsOf("aws-bedrock-api-key", `AWS_BEARER_TOKEN_BEDROCK=${token}`)).toEqual([token]);
    // Another host's presigned request is not a Bedrock key.
    const other = Buffer.from(request.replace("bedrock", "example")).toString("base64");
    expect(rulesIn(`bedrock-api-key-${other}`)).not.toContain("aws-bedrock-api-key");
  });

  it("finds express mode keys and Databricks OAuth secrets, not word-like runs", () => {
    expect(rulesIn(`AQ.Ab8R${r(B64URL, 40)}aZ3-_Q`)).toContain("gcp-express-mode-api-key");
    const secret = `dose${r(ALNUM, 10)}.${alnum(21)}`;
    expect(secretsOf("databricks-oauth-secret", `DATABRICKS_CLIENT_SECRET="${secret}"`)).toEqual([
      secret,
    ]);
    expect(rulesIn(`dose${r(LOWER, 32)}`)).not.toContain("databricks-oauth-secret");
  });

  it("finds Cloudflare service keys of three hex parts", () => {
    const key = `v1.0-${r(HEX, 64)}-${r(HEX, 128)}-${r(HEX, 64)}`;
    expect(secretsOf("cloudflare-origin-ca-key", `X-Auth-User-Service-Key = ${key}`)).toEqual([
      key,
    ]);
  });

  it("finds Azure DevOps tokens with their run of A's, not a blanked random part", () => {
    const tail = `JQQJ99BCACAAAAAAAAAAAAASAZDO${r(ALNUM, 4)}`;
    expect(rulesIn(`${alnum(52)}${tail}`)).toContain("azure-devops-pat");
    expect(rulesIn(`${"x".repeat(52)}${tail}`)).not.toContain("azure-devops-pat");
  });

  it("finds kubeadm bootstrap tokens by a bootstrap-token name", () => {
    const token = `${r("abcdef0123456789", 6)}.${r(HEX, 16)}`;
    expect(secretsOf("kubernetes-bootstrap-token", `BOOTSTRAP_TOKEN=${token}`)).toEqual([token]);
    expect(secretsOf("kubernetes-bootstrap-token", `--tls-bootstrap-token ${token}`)).toEqual([
      token,
    ]);
    // Upper case is not a bootstrap token.
    expect(rulesIn(`BOOTSTRAP_TOKEN=${token.toUpperCase()}`)).not.toContain(
      "kubernetes-bootstrap-token",
    );
  });

  it("finds a legacy Google client secret only next to a Google client id", () => {
    const clientId = `${r(DIGITS, 12)}-${r(LOWER + DIGITS, 32)}.apps.googleusercontent.com`;
    const secret = `${r(UPPER, 4)}_${r(DIGITS, 3)}${alnum(16)}`;
    const config = `const CLIENT_ID = '${clientId}';\nconst CLIENT_SECRET = '${secret}';`;
    expect(secretsOf("google-oauth-legacy-client-secret", config)).toEqual([secret]);
    expect(rulesIn(`const CLIENT_SECRET = '${secret}';`)).not.toContain(
      "google-oauth-legacy-client-secret",
    );
    const farAway = `const CLIENT_ID = '${clientId}';\n\n\n\n\nconst CLIENT_SECRET = '${secret}';`;
    expect(rulesIn(farAway)).not.toContain("google-oauth-legacy-client-secret");
  });
});

describe("ops rules", () => {
  it("finds a Statuspage key given as an OAuth header value", () => {
    const key = r(HEX, 64);
    expect(secretsOf("statuspage-api-key", `statuspage_api: OAuth ${key}`)).toEqual([key]);
  });
});

describe("key material rules", () => {
  it("finds age post-quantum identities, not lower-case text", () => {
    const key = `AGE-SECRET-KEY-PQ-1${r(BECH32, 58)}`;
    expect(secretsOf("age-secret-key", `# public key: age1pq1…\n${key}`)).toEqual([key]);
    expect(rulesIn(key.toLowerCase())).not.toContain("age-secret-key");
  });

  it("finds a base64-encoded JWT, not other base64 that starts with eyJ", () => {
    const encoded = Buffer.from(jwt()).toString("base64");
    expect(secretsOf("jwt-base64", `token: ${encoded}`)).toEqual([encoded]);
    const notJwt = Buffer.from(`eyJ${r(ALNUM, 80)} is not a token`).toString("base64");
    expect(rulesIn(`data: ${notJwt}`)).not.toContain("jwt-base64");
    const noAlg = `${b64url(JSON.stringify({ kid: "1" }))}.${b64url(JSON.stringify({ sub: "1" }))}.${r(B64URL, 43)}`;
    expect(rulesIn(`data: ${Buffer.from(noAlg).toString("base64")}`)).not.toContain("jwt-base64");
  });

  it("scans long base64 without a JWT quickly", () => {
    const long = `ZXlK${r(B64, 20000)}`;
    const started = Date.now();
    rulesIn(long);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
