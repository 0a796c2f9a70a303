/**
 * A labelled corpus of synthetic credentials for measuring the scanner's recall: values
 * generated in each provider's public format (random, from a seeded generator so every run
 * is the same), each placed in markdown, dotenv, JSON and YAML contexts.
 *
 * generateCorpus({ seed, perContext }) → [{ id, provider, context, text, labels: [{ start, end }] }]
 */

import { crc32 } from "node:zlib";

/**
 * A GitHub token of `prefix` (`ghp_`, `gho_`, …) around `body` with the checksum GitHub puts
 * in every token it issues: the base-62 CRC-32 of `body`, six digits (Node's zlib CRC-32, not
 * the scanner's own).
 */
export function withGitHubChecksum(prefix, body) {
  const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let rest = crc32(Buffer.from(body, "latin1"));
  let checksum = "";
  for (let i = 0; i < 6; i++) {
    checksum = digits[rest % 62] + checksum;
    rest = Math.floor(rest / 62);
  }
  return `${prefix}${body}${checksum}`;
}

/** mulberry32: small, seeded, good enough to spread test values. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALNUM = UPPER + LOWER + DIGITS;
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;
const HEX = "0123456789abcdef";

function makeTools(random) {
  const pick = (chars, n) => {
    let out = "";
    for (let i = 0; i < n; i++) out += chars[Math.floor(random() * chars.length)];
    return out;
  };
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const b64url = (text) => Buffer.from(text).toString("base64url");
  const pem = (label) => {
    const lines = [];
    for (let i = 0; i < int(8, 20); i++) lines.push(pick(B64, 64));
    lines.push(`${pick(B64, int(8, 60))}==`);
    return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----`;
  };
  return { pick, int, b64url, pem };
}

/**
 * Providers: name (env var), label (words in prose) and a value generator. `multiline` values
 * are placed in contexts that can hold them.
 */
export const PROVIDERS = [
  {
    id: "aws-access-key-id",
    name: "AWS_ACCESS_KEY_ID",
    label: "AWS access key",
    make: (t) => `AKIA${t.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
  },
  {
    id: "aws-secret-access-key",
    name: "AWS_SECRET_ACCESS_KEY",
    label: "AWS secret key",
    make: (t) => t.pick(B64, 40),
  },
  {
    id: "github-pat",
    name: "GITHUB_TOKEN",
    label: "GitHub token",
    // 36 drawn as before the checksum, so the values after it stay the same.
    make: (t) => withGitHubChecksum("ghp_", t.pick(ALNUM, 36).slice(0, 30)),
  },
  {
    id: "github-fine-grained-pat",
    name: "GH_TOKEN",
    label: "GitHub token",
    make: (t) => `github_pat_${t.pick(ALNUM, 22)}_${t.pick(ALNUM, 59)}`,
  },
  {
    id: "github-app-token",
    name: "GITHUB_APP_TOKEN",
    label: "GitHub app token",
    make: (t) => `${t.int(0, 1) ? "ghs" : "ghu"}_${t.pick(ALNUM, 36)}`,
  },
  {
    id: "github-oauth-token",
    name: "GITHUB_OAUTH",
    label: "GitHub OAuth token",
    make: (t) => `gho_${t.pick(ALNUM, 36)}`,
  },
  {
    id: "github-refresh-token",
    name: "GITHUB_REFRESH",
    label: "GitHub refresh token",
    make: (t) => `ghr_${t.pick(ALNUM, 76)}`,
  },
  {
    id: "gitlab-token",
    name: "GITLAB_TOKEN",
    label: "GitLab token",
    make: (t) => `glpat-${t.pick(`${ALNUM}_-`, 20)}`,
  },
  {
    id: "slack-token",
    name: "SLACK_BOT_TOKEN",
    label: "Slack bot token",
    make: (t) => `xoxb-${t.pick(DIGITS, 12)}-${t.pick(DIGITS, 13)}-${t.pick(ALNUM, 24)}`,
  },
  {
    id: "slack-token",
    name: "SLACK_USER_TOKEN",
    label: "Slack user token",
    make: (t) =>
      `xoxp-${t.pick(DIGITS, 12)}-${t.pick(DIGITS, 12)}-${t.pick(DIGITS, 13)}-${t.pick(HEX, 32)}`,
  },
  {
    id: "slack-token",
    name: "SLACK_APP_TOKEN",
    label: "Slack app token",
    make: (t) => `xapp-1-A${t.pick(UPPER + DIGITS, 10)}-${t.pick(DIGITS, 13)}-${t.pick(HEX, 64)}`,
  },
  {
    id: "slack-webhook",
    name: "SLACK_WEBHOOK_URL",
    label: "Slack webhook",
    make: (t) =>
      `https://hooks.slack.com/services/T${t.pick(UPPER + DIGITS, 10)}/B${t.pick(UPPER + DIGITS, 10)}/${t.pick(ALNUM, 24)}`,
  },
  {
    id: "stripe-live-key",
    name: "STRIPE_SECRET_KEY",
    label: "Stripe key",
    make: (t) => `${t.int(0, 1) ? "sk" : "rk"}_live_${t.pick(ALNUM, t.int(24, 99))}`,
  },
  {
    id: "stripe-test-key",
    name: "STRIPE_TEST_KEY",
    label: "Stripe test key",
    make: (t) => `sk_test_${t.pick(ALNUM, t.int(24, 99))}`,
  },
  {
    id: "openai-api-key",
    name: "OPENAI_API_KEY",
    label: "OpenAI key",
    make: (t) => `sk-proj-${t.pick(B64URL, 74)}T3BlbkFJ${t.pick(B64URL, 74)}`,
  },
  {
    id: "openai-api-key",
    name: "OPENAI_SVC_KEY",
    label: "OpenAI service key",
    make: (t) => `sk-svcacct-${t.pick(B64URL, 74)}T3BlbkFJ${t.pick(B64URL, 74)}`,
  },
  {
    id: "openai-api-key",
    name: "OPENAI_LEGACY_KEY",
    label: "OpenAI key",
    make: (t) => `sk-${t.pick(ALNUM, 20)}T3BlbkFJ${t.pick(ALNUM, 20)}`,
  },
  {
    id: "anthropic-api-key",
    name: "ANTHROPIC_API_KEY",
    label: "Anthropic key",
    make: (t) => `sk-ant-api03-${t.pick(B64URL, 93)}AA`,
  },
  {
    id: "anthropic-api-key",
    name: "ANTHROPIC_ADMIN_KEY",
    label: "Anthropic admin key",
    make: (t) => `sk-ant-admin01-${t.pick(B64URL, 93)}AA`,
  },
  {
    id: "google-api-key",
    name: "GOOGLE_API_KEY",
    label: "Google API key",
    make: (t) => `AIza${t.pick(B64URL, 35)}`,
  },
  {
    id: "azure-storage-key",
    name: "AZURE_STORAGE_CONNECTION_STRING",
    label: "Azure storage connection string",
    make: (t) =>
      `DefaultEndpointsProtocol=https;AccountName=${t.pick(LOWER, 10)};AccountKey=${t.pick(B64, 86)}==;EndpointSuffix=core.windows.net`,
  },
  {
    id: "azure-client-secret",
    name: "AZURE_CLIENT_SECRET",
    label: "Azure client secret",
    make: (t) => `${t.pick(ALNUM, 3)}${t.pick(DIGITS, 1)}Q~${t.pick(`${ALNUM}_~.-`, 34)}`,
  },
  {
    id: "twilio-api-key",
    name: "TWILIO_API_KEY",
    label: "Twilio API key",
    make: (t) => `SK${t.pick(HEX, 32)}`,
  },
  {
    id: "twilio-auth-token",
    name: "TWILIO_AUTH_TOKEN",
    label: "Twilio auth token",
    make: (t) => t.pick(HEX, 32),
  },
  {
    id: "sendgrid-api-key",
    name: "SENDGRID_API_KEY",
    label: "SendGrid key",
    make: (t) => `SG.${t.pick(B64URL, 22)}.${t.pick(B64URL, 43)}`,
  },
  {
    id: "npm-token",
    name: "NPM_TOKEN",
    label: "npm token",
    make: (t) => `npm_${t.pick(ALNUM, 36)}`,
  },
  {
    id: "pypi-token",
    name: "PYPI_TOKEN",
    label: "PyPI token",
    make: (t) => `pypi-AgEIcHlwaS5vcmc${t.pick(B64URL, 70)}`,
  },
  {
    id: "huggingface-token",
    name: "HF_TOKEN",
    label: "Hugging Face token",
    make: (t) => `hf_${t.pick(UPPER + LOWER, 34)}`,
  },
  {
    id: "discord-bot-token",
    name: "DISCORD_BOT_TOKEN",
    label: "Discord bot token",
    make: (t) =>
      `${t.b64url(`${t.int(1, 9)}${t.pick(DIGITS, 17)}`)}.${t.pick(B64URL, 6)}.${t.pick(B64URL, 38)}`,
  },
  {
    id: "telegram-bot-token",
    name: "TELEGRAM_BOT_TOKEN",
    label: "Telegram bot token",
    make: (t) => `${t.int(1, 9)}${t.pick(DIGITS, 9)}:AA${t.pick(B64URL, 33)}`,
  },
  {
    id: "jwt",
    name: "SESSION_JWT",
    label: "session JWT",
    make: (t) =>
      `${t.b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${t.b64url(JSON.stringify({ sub: t.pick(DIGITS, 10), name: t.pick(LOWER, 8), iat: t.int(1.6e9, 1.8e9) }))}.${t.pick(B64URL, 43)}`,
  },
  {
    id: "private-key",
    name: "DEPLOY_KEY",
    label: "private key",
    multiline: true,
    make: (t) =>
      t.pem(
        ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"][t.int(0, 3)],
      ),
  },
  {
    id: "database-url-password",
    name: "DATABASE_URL",
    label: "database URL",
    make: (t) =>
      `${["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp"][t.int(0, 5)]}://${t.pick(LOWER, 6)}:${t.pick(ALNUM, t.int(12, 24))}@${t.pick(LOWER, 8)}.example.net:${t.int(1000, 9999)}/${t.pick(LOWER, 5)}`,
  },
  {
    id: "generic-secret",
    name: "API_KEY",
    label: "API key",
    make: (t) => t.pick(ALNUM, t.int(24, 48)),
  },
  {
    id: "generic-secret",
    name: "CLIENT_SECRET",
    label: "client secret",
    make: (t) => t.pick(`${ALNUM}_-`, t.int(24, 48)),
  },
  {
    id: "generic-secret",
    name: "DB_PASSWORD",
    label: "password",
    make: (t) => t.pick(`${ALNUM}!@#%^&*`, t.int(16, 32)),
  },
];

const camel = (name) => name.toLowerCase().replace(/_([a-z])/g, (_m, c) => c.toUpperCase());

/** The four contexts; each returns [text, offset of the value]. */
const CONTEXTS = {
  markdown: (p, value) => {
    const before = `# Notes\n\nSet up on Tuesday. The ${p.label} for the deploy job:\n\n`;
    if (p.multiline) return [`${before}\`\`\`\n`, value, "\n```\n\nDo not share it.\n"];
    return [`${before}- ${p.name}: \``, value, "`\n\nRotate it next month.\n"];
  },
  dotenv: (p, value) => {
    const before = `# service settings\nPORT=8080\nLOG_LEVEL=info\n${p.name}=`;
    if (p.multiline) return [`${before}"`, value, `"\nDEBUG=false\n`];
    return [before, value, "\nDEBUG=false\n"];
  },
  json: (p, value) => {
    const encoded = JSON.stringify(value).slice(1, -1);
    return [
      `{\n  "name": "deploy",\n  "region": "eu-west-1",\n  "${camel(p.name)}": "`,
      encoded,
      `",\n  "retries": 3\n}\n`,
    ];
  },
  yaml: (p, value) => {
    const before = `service:\n  name: deploy\n  replicas: 2\n  ${p.name.toLowerCase()}: `;
    if (p.multiline)
      return [`${before}|\n    `, value.replace(/\n/g, "\n    "), "\n  timeout: 30\n"];
    return [`${before}"`, value, `"\n  timeout: 30\n`];
  },
};

/** AWS secret keys and Twilio auth tokens are found with their companion id, as in real files. */
function companion(p, t) {
  if (p.id === "aws-secret-access-key")
    return `AKIA${t.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
  if (p.id === "twilio-auth-token") return `AC${t.pick(HEX, 32)}`;
  return undefined;
}

/** The labelled corpus. */
export function generateCorpus({ seed = 1, perContext = 5 } = {}) {
  const random = seededRandom(seed);
  const tools = makeTools(random);
  const samples = [];
  for (const provider of PROVIDERS) {
    for (const [context, place] of Object.entries(CONTEXTS)) {
      for (let i = 0; i < perContext; i++) {
        const value = provider.make(tools);
        let [before, placed, after] = place(provider, value);
        const extra = companion(provider, tools);
        if (extra) {
          const account =
            provider.id === "twilio-auth-token" ? "TWILIO_ACCOUNT_SID" : "AWS_ACCESS_KEY_ID";
          before = `${context === "json" ? "" : `${account}=${extra}\n`}${before}`;
          if (context === "json") after = `${after}// ${account} ${extra}\n`;
        }
        samples.push({
          id: `${provider.name}-${context}-${i}`,
          provider: provider.id,
          context,
          text: before + placed + after,
          labels: [{ start: before.length, end: before.length + placed.length }],
        });
      }
    }
  }
  return samples;
}

/** Recall of `findingsOf(text) → [{start, end}]` over `samples`: found / labelled, with misses. */
export function measureRecall(samples, findingsOf) {
  let labelled = 0;
  let found = 0;
  const missed = [];
  for (const sample of samples) {
    const findings = findingsOf(sample.text);
    for (const label of sample.labels) {
      labelled++;
      if (findings.some((f) => f.start < label.end && label.start < f.end)) found++;
      else missed.push(sample.id);
    }
  }
  return { labelled, found, recall: labelled === 0 ? 1 : found / labelled, missed };
}
