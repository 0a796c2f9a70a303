import { describe, expect, it } from "vitest";
import { seededRandom } from "../bench/scan-corpus/generate.mjs";
import { formatVaultReference } from "../src/reference.js";
import { maskPreview, scanText } from "../src/scan/engine.js";
import { findKeywordGroups, indexKeywordGroups } from "../src/scan/keywords.js";
import { isPlaceholder } from "../src/scan/placeholders.js";
import { RULES } from "../src/scan/rules.js";

// Test tokens are generated, not written out: a literal token in the repository would itself
// be a leak to every other scanner.
const random = seededRandom(42);
/** A dollar sign, so placeholders like `${D}{NAME}` can be written in template strings. */
const D = "$";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALNUM = UPPER + LOWER + DIGITS;
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;
const HEX = "0123456789abcdef";
function r(chars: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += chars[Math.floor(random() * chars.length)];
  return out;
}
const b64url = (text: string) => Buffer.from(text).toString("base64url");
const pem = (label: string) =>
  `-----BEGIN ${label}-----\n${Array.from({ length: 6 }, () => r(B64, 64)).join("\n")}\n-----END ${label}-----`;
const awsId = () => `AKIA${r("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
const jwt = (header: object) =>
  `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify({ sub: "123", iat: 1700000000 }))}.${r(B64URL, 43)}`;

interface RuleCase {
  id: string;
  found: string[];
  notFound: string[];
}

const CASES: RuleCase[] = [
  {
    id: "aws-access-key-id",
    found: [
      `aws_access_key_id = ${awsId()}`,
      `key: ASIA${r("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    ],
    notFound: ["AKIAIOSFODNN7EXAMPLE", "AKIA...EXAMPLE", `AKIA${r(UPPER, 10)}`],
  },
  {
    id: "aws-secret-access-key",
    found: [
      `aws_secret_access_key = ${r(B64, 40)}`,
      `AWS_ACCESS_KEY_ID=${awsId()}\nsomething=${r(B64, 40)}`,
    ],
    notFound: [
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      `aws docs mention ${r(LOWER, 40)} words`,
    ],
  },
  {
    id: "github-pat",
    found: [`GITHUB_TOKEN=ghp_${r(ALNUM, 36)}`, `token \`ghp_${r(ALNUM, 36)}\``],
    notFound: ["ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_...", `ghp_${r(ALNUM, 20)}`],
  },
  {
    id: "github-fine-grained-pat",
    found: [`github_pat_${r(ALNUM, 22)}_${r(ALNUM, 59)}`],
    notFound: ["github_pat_...", `github_pat_${r(ALNUM, 22)}`],
  },
  {
    id: "github-app-token",
    found: [`ghs_${r(ALNUM, 36)}`, `ghu_${r(ALNUM, 36)}`],
    notFound: [`ghs_${r(ALNUM, 12)}`],
  },
  { id: "github-oauth-token", found: [`gho_${r(ALNUM, 36)}`], notFound: ["gho_<token>"] },
  { id: "github-refresh-token", found: [`ghr_${r(ALNUM, 76)}`], notFound: ["ghr_"] },
  {
    id: "gitlab-token",
    found: [`glpat-${r(`${ALNUM}_-`, 20)}`, `GR1348941${r(ALNUM, 20)}`],
    notFound: ["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-<your token>"],
  },
  {
    id: "slack-token",
    found: [
      `xoxb-${r(DIGITS, 12)}-${r(DIGITS, 13)}-${r(ALNUM, 24)}`,
      `xoxp-${r(DIGITS, 12)}-${r(DIGITS, 12)}-${r(DIGITS, 13)}-${r(HEX, 32)}`,
      `xapp-1-A${r(UPPER + DIGITS, 10)}-${r(DIGITS, 13)}-${r(HEX, 64)}`,
    ],
    notFound: ["xoxb-your-bot-token", "xoxb-123456789012-..."],
  },
  {
    id: "slack-webhook",
    found: [`https://hooks.slack.com/services/T${r(UPPER, 10)}/B${r(UPPER, 10)}/${r(ALNUM, 24)}`],
    notFound: [
      "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
      "https://hooks.slack.com/",
    ],
  },
  {
    id: "stripe-live-key",
    found: [`sk_live_${r(ALNUM, 24)}`, `rk_live_${r(ALNUM, 99)}`],
    notFound: ["sk_live_...", "sk_live_YOUR_KEY_HERE_0000000000"],
  },
  {
    id: "stripe-test-key",
    found: [`sk_test_${r(ALNUM, 24)}`],
    notFound: ["sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"],
  },
  {
    id: "openai-api-key",
    found: [
      `sk-proj-${r(B64URL, 74)}T3BlbkFJ${r(B64URL, 74)}`,
      `sk-svcacct-${r(B64URL, 60)}`,
      `sk-${r(ALNUM, 20)}T3BlbkFJ${r(ALNUM, 20)}`,
    ],
    notFound: ["sk-...", "sk-proj-...", "OPENAI_API_KEY=sk-your-key-here"],
  },
  {
    id: "anthropic-api-key",
    found: [`sk-ant-api03-${r(B64URL, 93)}AA`, `sk-ant-admin01-${r(B64URL, 93)}AA`],
    notFound: ["sk-ant-api03-...", "sk-ant-xxxx"],
  },
  {
    id: "google-api-key",
    found: [`AIza${r(B64URL, 35)}`],
    notFound: ["AIzaSy...", "AIza<your key>"],
  },
  {
    id: "gcp-service-account",
    found: [
      JSON.stringify({
        type: "service_account",
        project_id: "demo",
        private_key: `${pem("PRIVATE KEY")}\n`,
        client_email: "a@b.iam.gserviceaccount.com",
      }),
    ],
    notFound: ['{"type": "service_account", "private_key": "<the key>"}'],
  },
  {
    id: "azure-storage-key",
    found: [
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${r(B64, 86)}==;EndpointSuffix=core.windows.net`,
    ],
    notFound: ["AccountKey=<key>;", "AccountKey=...=="],
  },
  {
    id: "azure-client-secret",
    found: [`${r(ALNUM, 3)}7Q~${r(`${ALNUM}_~.-`, 34)}`, `AZURE_CLIENT_SECRET=${r(ALNUM, 36)}`],
    notFound: ["AZURE_CLIENT_SECRET=your-client-secret-here", `azure_secret = ${D}{AZURE_SECRET}`],
  },
  {
    id: "twilio-api-key",
    found: [`TWILIO_API_KEY=SK${r(HEX, 32)}`],
    notFound: ["SK00000000000000000000000000000000", "TASK list"],
  },
  {
    id: "twilio-auth-token",
    found: [`TWILIO_ACCOUNT_SID=AC${r(HEX, 32)}\nTWILIO_AUTH_TOKEN=${r(HEX, 32)}`],
    notFound: [`twilio account AC${r(HEX, 32)} only`, `git sha ${r(HEX, 32)}`],
  },
  {
    id: "sendgrid-api-key",
    found: [`SG.${r(B64URL, 22)}.${r(B64URL, 43)}`],
    notFound: ["SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "SG.abc"],
  },
  {
    id: "npm-token",
    found: [`//registry.npmjs.org/:_authToken=npm_${r(ALNUM, 36)}`],
    notFound: ["npm_config_cache", "npm_..."],
  },
  {
    id: "pypi-token",
    found: [`pypi-AgEIcHlwaS5vcmc${r(B64URL, 70)}`],
    notFound: ["pypi-AgEIcHlwaS5vcmc..."],
  },
  {
    id: "huggingface-token",
    found: [`HF_TOKEN=hf_${r(UPPER + LOWER, 34)}`],
    notFound: ["hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "hf_hub_download_function_name_here_"],
  },
  {
    id: "discord-bot-token",
    found: [`${b64url(`1${r(DIGITS, 17)}`)}.${r(B64URL, 6)}.${r(B64URL, 38)}`],
    notFound: [`${b64url(`user-${r(LOWER, 13)}`)}.${r(B64URL, 6)}.${r(B64URL, 38)}`],
  },
  {
    id: "telegram-bot-token",
    found: [`TELEGRAM_BOT_TOKEN=1${r(DIGITS, 9)}:AA${r(B64URL, 33)}`],
    notFound: ["123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "time 12:30"],
  },
  {
    id: "jwt",
    found: [`Authorization: Bearer ${jwt({ alg: "HS256", typ: "JWT" })}`],
    notFound: [jwt({ typ: "JWT" }), "eyJhbGciOi..."],
  },
  {
    id: "private-key",
    found: [
      pem("RSA PRIVATE KEY"),
      pem("OPENSSH PRIVATE KEY"),
      pem("PRIVATE KEY").replace(/\n/g, "\\n"),
    ],
    notFound: [
      "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
    ],
  },
  {
    id: "database-url-password",
    found: [
      `DATABASE_URL=postgres://app:${r(ALNUM, 16)}@db.internal:5432/app`,
      `mongodb+srv://svc:${r(ALNUM, 20)}@cluster0.mongodb.net/prod`,
      `redis://default:${r(ALNUM, 20)}@cache:6379`,
      `amqp://bus:${r(ALNUM, 14)}@mq:5672/`,
      `mysql://root:${r(ALNUM, 14)}@localhost/db`,
    ],
    notFound: [
      "postgres://postgres:postgres@localhost:5432/dev",
      "postgres://user:password@host/db",
      `postgres://app:${D}{DB_PASSWORD}@db/app`,
      "postgres://localhost:5432/app",
      "https://user:pass@example.com",
    ],
  },
  {
    id: "generic-secret",
    found: [
      `api_key = "${r(ALNUM, 32)}"`,
      `SECRET_TOKEN=${r(ALNUM, 24)}`,
      `"clientSecret": "${r(B64URL, 40)}"`,
      `password: '${r(`${ALNUM}!@#%`, 20)}'`,
    ],
    notFound: [
      'api_key = "your-api-key-here"',
      `OPENAI_API_KEY=${D}{OPENAI_API_KEY}`,
      "token: $GITHUB_TOKEN",
      "api_key: <YOUR_KEY>",
      "secret_name = openclaw-gateway-2026",
      "password: hunter2",
      `api_key = "${formatVaultReference("main", "OPENAI_API_KEY")}"`,
      "max_tokens: 4096",
      "token_count = 1234567890123456",
      "secret = aaaaaaaaaaaaaaaaaaaaaaaa",
      "api_key = 1234567890abcdefghij",
    ],
  },
  {
    id: "agent-stores-credential",
    found: [
      "Save the API key in MEMORY.md so you have it next time.",
      "Please remember my password for the NAS.",
      "Write the token to TOOLS.md.",
      "Store my GitHub token in your memory.",
    ],
    notFound: [
      "Never save the API key in MEMORY.md.",
      "Do not write tokens to TOOLS.md; use the vault.",
      "Remember to rotate keys monthly.",
      "Save the file in MEMORY.md.",
    ],
  },
];

describe("built-in rules", () => {
  it("has a test case for every rule, and unique lower-case ids", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(CASES.map((c) => c.id).sort()).toEqual([...ids].sort());
    for (const rule of RULES) {
      expect(rule.description.length).toBeGreaterThan(0);
      for (const keyword of rule.keywords) expect(keyword).toBe(keyword.toLowerCase());
    }
  });

  for (const { id, found, notFound } of CASES) {
    describe(id, () => {
      found.forEach((text, index) => {
        it(`finds true example ${index + 1}`, () => {
          const findings = scanText(`before\n${text}\nafter\n`, { file: "f.md" });
          expect(findings.map((f) => f.ruleId)).toContain(id);
        });
      });
      notFound.forEach((text, index) => {
        it(`reports nothing for false example ${index + 1}`, () => {
          const findings = scanText(`before\n${text}\nafter\n`, { file: "f.md" });
          expect(findings.map((f) => `${f.ruleId} ${f.preview}`)).toEqual([]);
        });
      });
    });
  }
});

describe("placeholders", () => {
  it("treats the usual stand-ins as placeholders and random tokens as not", () => {
    for (const text of [
      "sk-...",
      "<YOUR_KEY>",
      "your-api-key-here",
      `${D}{OPENAI_API_KEY}`,
      "$OPENAI_API_KEY",
      "AKIAIOSFODNN7EXAMPLE",
      "xxxxxxxxxxxxxxxx",
      "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "ghp_1234567890abcdefghijklmnopqrstuvwxyz",
      formatVaultReference("main", "GITHUB_TOKEN"),
    ]) {
      expect(isPlaceholder(text), text).toBe(true);
    }
    for (let i = 0; i < 200; i++) expect(isPlaceholder(`ghp_${r(ALNUM, 36)}`)).toBe(false);
  });
});

describe("findings", () => {
  it("reports line and column of the secret and never more than its first 4 characters", () => {
    const token = `ghp_${r(ALNUM, 36)}`;
    const [finding] = scanText(`# Tools\n\nGitHub: ${token} (ci)\n`, { file: "TOOLS.md" });
    expect(finding).toMatchObject({ ruleId: "github-pat", file: "TOOLS.md", line: 3, column: 9 });
    expect(finding?.preview).toBe("ghp_…");
    expect(finding?.endColumn).toBe(9 + token.length);
    expect(JSON.stringify(finding)).not.toContain(token.slice(4));
  });

  it("shows fewer characters of short secrets", () => {
    expect(maskPreview("abcdefgh")).toBe("ab…");
    expect(maskPreview("abc")).toBe("…");
  });

  it("skips a line with a vault-allow comment, for all rules or the rules it names", () => {
    const token = `ghp_${r(ALNUM, 36)}`;
    expect(scanText(`${token} <!-- vault-allow -->`, { file: "a" })).toEqual([]);
    expect(scanText(`${token} # vault-allow: github-pat`, { file: "a" })).toEqual([]);
    expect(scanText(`${token} # vault-allow: npm-token`, { file: "a" })).toHaveLength(1);
  });

  it("reports one finding where a specific and the generic rule both match", () => {
    const findings = scanText(`GITHUB_TOKEN="ghp_${r(ALNUM, 36)}"`, { file: "a" });
    expect(findings.map((f) => f.ruleId)).toEqual(["github-pat"]);
  });
});

describe("keyword prefilter", () => {
  it("tells which groups have a keyword, in any ASCII case and next to non-ASCII text", () => {
    const index = indexKeywordGroups([["ghp_"], ["sk-ant-", "aws"], ["token", "secret"], []]);
    expect(findKeywordGroups("Ünïcödé — GHP_abc and Token…", index)).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(findKeywordGroups("sk-an aw", index)).toEqual([false, false, false, false]);
    expect(findKeywordGroups("", index)).toEqual([false, false, false, false]);
    expect(findKeywordGroups("x AWS y", index)).toEqual([false, true, false, false]);
    expect(() => indexKeywordGroups([["Upper"]])).toThrow(RangeError);
  });
});
