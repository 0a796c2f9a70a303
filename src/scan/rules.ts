/**
 * The built-in rules: one per public credential format (AWS, GitHub, GitLab, Slack, Stripe,
 * OpenAI, Anthropic, Google, Azure, Twilio, SendGrid, npm, PyPI, Hugging Face, Discord,
 * Telegram, JWT, private keys, database URLs), a generic high-entropy assignment rule, and a
 * warning for text that tells the agent to keep or repeat a credential.
 *
 * Formats follow the providers' documentation and the patterns gitleaks and secretlint use.
 * Rules listed earlier win when two findings overlap (the specific before the generic).
 */
import { isPlaceholder, shannonEntropy } from "./placeholders.js";
import type { RuleMatch, ScanRule, Severity } from "./rule.js";

interface RegexRuleSpec {
  id: string;
  description: string;
  keywords: string[];
  severity?: Severity;
  suggestedName?: string;
  /** Global regex; the secret is the group named `secret` when there is one, else the match. */
  pattern: RegExp;
  /** True when `validate` filters placeholders itself (prose and PEM blocks). */
  checksPlaceholders?: boolean;
  /** Extra check on the secret (and the whole match). */
  validate?: (secret: string, match: RegExpExecArray, text: string) => boolean;
}

/** A rule from a global regular expression with an optional `secret` group. */
export function regexRule(spec: RegexRuleSpec): ScanRule {
  if (!spec.pattern.global || !spec.pattern.hasIndices) {
    throw new RangeError(`"pattern" of rule ${spec.id} expected the g and d flags`);
  }
  return {
    id: spec.id,
    description: spec.description,
    keywords: spec.keywords,
    severity: spec.severity ?? "error",
    ...(spec.suggestedName ? { suggestedName: spec.suggestedName } : {}),
    ...(spec.checksPlaceholders ? { checksPlaceholders: true } : {}),
    scan(text) {
      const found: RuleMatch[] = [];
      const pattern = new RegExp(spec.pattern);
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        if (match[0].length === 0) pattern.lastIndex++;
        const span = match.indices?.groups?.secret ?? match.indices?.[0];
        if (!span) continue;
        const secret = text.slice(span[0], span[1]);
        if (spec.validate && !spec.validate(secret, match, text)) continue;
        found.push({ start: span[0], end: span[1] });
      }
      return found;
    },
  };
}

// Character classes and boundaries used below. A token must not continue into more token
// characters on either side (a longer random string is not this format).
const B64URL = "A-Za-z0-9_\\-";
const notBefore = (chars: string) => `(?<![${chars}])`;
const notAfter = (chars: string) => `(?![${chars}])`;
const re = (source: string, flags = "") => new RegExp(source, `gd${flags}`);

function decodeBase64Url(text: string): string | undefined {
  try {
    return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  } catch {
    return undefined;
  }
}

/** Character classes present: random keys mix cases and digits, words do not. */
function classCount(text: string): number {
  return (
    Number(/[a-z]/.test(text)) +
    Number(/[A-Z]/.test(text)) +
    Number(/[0-9]/.test(text)) +
    Number(/[^A-Za-z0-9]/.test(text))
  );
}

/** Lines [from, to] of `text` around offset `at` (±`radius` lines), as offsets. */
function linesAround(text: string, at: number, radius: number): [number, number] {
  let from = at;
  for (let i = 0; i <= radius && from > 0; i++) {
    const previous = text.lastIndexOf("\n", from - 1);
    from = Math.max(previous, 0);
  }
  let to = at;
  for (let i = 0; i <= radius && to < text.length; i++) {
    const next = text.indexOf("\n", to + 1);
    to = next < 0 ? text.length : next;
  }
  return [from, to];
}

const AWS_KEY_ID = re(`\\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\\b`);
const AWS_SECRET_NEAR = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** AWS secret access key: 40 base64 characters assigned to an AWS secret name or near a key id. */
const awsSecretKey: ScanRule = {
  id: "aws-secret-access-key",
  description: "AWS secret access key",
  keywords: ["aws", "akia", "asia"],
  severity: "error",
  suggestedName: "AWS_SECRET_ACCESS_KEY",
  scan(text) {
    const found: RuleMatch[] = [];
    const named = re(
      `(?:aws|amazon)[\\w.-]{0,20}?(?:secret|sk)[\\w.-]{0,20}["']?\\s*(?:[:=]|=>)\\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      "i",
    );
    for (let m = named.exec(text); m; m = named.exec(text)) {
      const span = m.indices?.groups?.secret;
      if (span) found.push({ start: span[0], end: span[1] });
    }
    const ids = new RegExp(AWS_KEY_ID);
    for (let m = ids.exec(text); m; m = ids.exec(text)) {
      const [from, to] = linesAround(text, m.index, 3);
      const near = new RegExp(AWS_SECRET_NEAR);
      const window = text.slice(from, to);
      for (let s = near.exec(window); s; s = near.exec(window)) {
        const start = from + s.index;
        if (found.some((f) => f.start === start)) continue;
        if (classCount(s[0]) >= 3 && shannonEntropy(s[0]) >= 4) {
          found.push({ start, end: start + 40 });
        }
      }
    }
    return found.filter((f) => {
      const secret = text.slice(f.start, f.end);
      return classCount(secret) >= 3 && shannonEntropy(secret) >= 3.5;
    });
  },
};

const TWILIO_HEX = /(?<![A-Za-z0-9])[a-f0-9]{32}(?![A-Za-z0-9])/g;

/** Twilio auth token: 32 hex characters near the word twilio or an account SID. */
const twilioAuthToken: ScanRule = {
  id: "twilio-auth-token",
  description: "Twilio auth token (32 hex characters near a Twilio account SID or name)",
  keywords: ["twilio"],
  severity: "error",
  suggestedName: "TWILIO_AUTH_TOKEN",
  scan(text) {
    const found: RuleMatch[] = [];
    const anchors = /twilio|\bAC[a-f0-9]{32}\b/gi;
    const seen = new Set<number>();
    for (let a = anchors.exec(text); a; a = anchors.exec(text)) {
      const [from, to] = linesAround(text, a.index, 3);
      const window = text.slice(from, to);
      const hex = new RegExp(TWILIO_HEX);
      for (let m = hex.exec(window); m; m = hex.exec(window)) {
        const start = from + m.index;
        // The account SID's own 32 hex digits follow "AC": not a token.
        if (text.slice(start - 2, start) === "AC" || seen.has(start)) continue;
        if (shannonEntropy(m[0]) < 3) continue;
        seen.add(start);
        found.push({ start, end: start + 32 });
      }
    }
    return found;
  },
};

/** Google service-account JSON: the private key of a `"type": "service_account"` file. */
const googleServiceAccount: ScanRule = {
  id: "gcp-service-account",
  description: "Google Cloud service-account key (JSON with a private key)",
  keywords: ["service_account"],
  severity: "error",
  suggestedName: "GOOGLE_APPLICATION_CREDENTIALS_JSON",
  scan(text) {
    if (!/"type"\s*:\s*"service_account"/.test(text)) return [];
    const key = re(
      `"private_key"\\s*:\\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[^"]{64,8192}?-----END (?:RSA )?PRIVATE KEY-----(?:\\\\n)?)"`,
    );
    const found: RuleMatch[] = [];
    for (let m = key.exec(text); m; m = key.exec(text)) {
      const span = m.indices?.groups?.secret;
      if (span) found.push({ start: span[0], end: span[1] });
    }
    return found;
  },
};

/**
 * `openclaw-gateway-2026`, `v1.2.3-beta`, `channels.telegram.botToken`, `os.environ/API_KEY`:
 * words and numbers joined, an identifier or a path rather than a random value.
 */
function isWordsAndNumbers(text: string): boolean {
  const parts = text.split(/[._/:-]+/).filter((part) => part !== "");
  const isWord = (part: string) =>
    /^(?:[a-z]{2,}|[A-Z][a-z]+|[A-Z]{2,}|\d+)$/.test(part) ||
    /^[a-z]+(?:[A-Z][a-z]+)+\d{0,2}$/.test(part) ||
    /^[A-Z][A-Z]+(?:_[A-Z]+)+\d{0,2}$/.test(part);
  return parts.length > 1 && parts.every(isWord);
}

const PEM_BODY = /[A-Za-z0-9+/]{40,}/;

/** Words before a match on its sentence that turn an instruction into a prohibition. */
function isNegated(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  const before = text.slice(lineStart, at);
  const sentence = before.split(/[.!?]\s/).at(-1) ?? before;
  return /\b(?:never|not|don't|dont|do not|avoid|no|without|instead of|refuse|must not|shouldn't)\b/i.test(
    sentence,
  );
}

const CREDENTIAL_WORDS =
  "(?:api[ _-]?keys?|passwords?|passphrases?|(?:access |auth |bot |api )?tokens?|secrets?|credentials?|private keys?)";

/** The sentence pattern of the agent rule; run only on lines that name a credential. */
const storeInstruction: ScanRule = regexRule({
  id: "agent-stores-credential",
  description: "Text telling the agent to store or repeat a credential",
  keywords: ["remember", "save", "store", "write", "keep", "memori", "repeat", "record", "note"],
  severity: "warning",
  checksPlaceholders: true,
  pattern: re(
    `\\b(?:(?:save|store|write|put|keep|record|note|log|paste|copy|add)\\b[^.\\n]{0,40}?\\b${CREDENTIAL_WORDS}\\b[^.\\n]{0,30}?\\b(?:in|into|to|inside)\\b[^.\\n]{0,20}?(?:\\b(?:MEMORY|TOOLS|SOUL|AGENTS|USER|IDENTITY|HEARTBEAT|BOOTSTRAP|BOOT)\\.md\\b|(?<!-)\\bmemory\\b(?!-)|\\byour notes\\b|\\bmemory/)|(?:remember|memori[sz]e|repeat|recite)\\s+(?:my|the|this|our|these)\\s+${CREDENTIAL_WORDS})`,
    "i",
  ),
  validate: (_secret, match, text) => !isNegated(text, match.index),
});

const CREDENTIAL_WORD = new RegExp(CREDENTIAL_WORDS, "i");

/**
 * Text telling the agent to keep or repeat a credential. The sentence pattern backtracks a
 * lot after common verbs (store, add, note), so it runs only on lines with a credential word.
 */
const agentStoresCredential: ScanRule = {
  ...storeInstruction,
  scan(text) {
    const found: RuleMatch[] = [];
    for (let start = 0; start <= text.length; ) {
      const newline = text.indexOf("\n", start);
      const end = newline < 0 ? text.length : newline;
      const line = text.slice(start, end);
      if (CREDENTIAL_WORD.test(line)) {
        for (const m of storeInstruction.scan(line)) {
          found.push({ start: start + m.start, end: start + m.end });
        }
      }
      start = end + 1;
    }
    return found;
  },
};

/** Every built-in rule, the specific ones first. */
export const RULES: readonly ScanRule[] = [
  regexRule({
    id: "aws-access-key-id",
    description: "AWS access key id",
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    suggestedName: "AWS_ACCESS_KEY_ID",
    pattern: AWS_KEY_ID,
  }),
  awsSecretKey,
  regexRule({
    id: "github-pat",
    description: "GitHub personal access token (classic)",
    keywords: ["ghp_"],
    suggestedName: "GITHUB_TOKEN",
    pattern: re(`\\bghp_[A-Za-z0-9]{36}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "github-fine-grained-pat",
    description: "GitHub fine-grained personal access token",
    keywords: ["github_pat_"],
    suggestedName: "GITHUB_TOKEN",
    pattern: re(`\\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "github-app-token",
    description: "GitHub App installation or user-to-server token",
    keywords: ["ghs_", "ghu_"],
    suggestedName: "GITHUB_APP_TOKEN",
    pattern: re(`\\bgh[su]_[A-Za-z0-9]{36}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "github-oauth-token",
    description: "GitHub OAuth access token",
    keywords: ["gho_"],
    suggestedName: "GITHUB_OAUTH_TOKEN",
    pattern: re(`\\bgho_[A-Za-z0-9]{36}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "github-refresh-token",
    description: "GitHub refresh token",
    keywords: ["ghr_"],
    suggestedName: "GITHUB_REFRESH_TOKEN",
    pattern: re(`\\bghr_[A-Za-z0-9]{36,76}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "gitlab-token",
    description: "GitLab token (personal, deploy, runner, pipeline, OAuth, feed, agent)",
    keywords: [
      "glpat-",
      "gldt-",
      "glrt-",
      "glcbt-",
      "glptt-",
      "glft-",
      "glimt-",
      "glagent-",
      "gloas-",
      "glsoat-",
      "glffct-",
      "gr1348941",
    ],
    suggestedName: "GITLAB_TOKEN",
    pattern: re(
      `\\b(?:(?:glpat|gldt|glrt|glcbt|glptt|glft|glimt|glagent|gloas|glsoat|glffct)-[A-Za-z0-9_.-]{20,80}|GR1348941[A-Za-z0-9_-]{20,40})${notAfter("A-Za-z0-9_.-")}`,
    ),
  }),
  regexRule({
    id: "slack-token",
    description: "Slack bot, user or app token",
    keywords: ["xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe", "xapp-"],
    suggestedName: "SLACK_TOKEN",
    pattern: re(
      `\\b(?:xox[abposr]-[0-9]{6,14}-[A-Za-z0-9-]{8,}|xoxe(?:\\.xox[bp])?-\\d-[A-Za-z0-9]{40,}|xapp-\\d-[A-Z0-9]{8,}-\\d{8,}-[a-f0-9]{32,})${notAfter("A-Za-z0-9-")}`,
    ),
  }),
  regexRule({
    id: "slack-webhook",
    description: "Slack incoming webhook URL",
    keywords: ["hooks.slack.com"],
    suggestedName: "SLACK_WEBHOOK_URL",
    pattern: re(
      `https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{30,}${notAfter("A-Za-z0-9_/+-")}`,
    ),
  }),
  regexRule({
    id: "stripe-live-key",
    description: "Stripe live secret or restricted key",
    keywords: ["sk_live_", "rk_live_"],
    suggestedName: "STRIPE_SECRET_KEY",
    pattern: re(`\\b[sr]k_live_[A-Za-z0-9]{20,247}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "stripe-test-key",
    description: "Stripe test-mode secret key",
    keywords: ["sk_test_", "rk_test_"],
    severity: "warning",
    suggestedName: "STRIPE_TEST_SECRET_KEY",
    pattern: re(`\\b[sr]k_test_[A-Za-z0-9]{20,247}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "anthropic-api-key",
    description: "Anthropic API or admin key",
    keywords: ["sk-ant-"],
    suggestedName: "ANTHROPIC_API_KEY",
    pattern: re(`\\bsk-ant-(?:api|admin|oat|ort)\\d{2}-[${B64URL}]{80,120}${notAfter(B64URL)}`),
  }),
  regexRule({
    id: "openai-api-key",
    description: "OpenAI API key (project, service account, admin or legacy)",
    keywords: ["sk-proj-", "sk-svcacct-", "sk-admin-", "t3blbkfj"],
    suggestedName: "OPENAI_API_KEY",
    pattern: re(
      `\\bsk-(?:(?:proj|svcacct|admin)-[${B64URL}]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})${notAfter(B64URL)}`,
    ),
  }),
  regexRule({
    id: "google-api-key",
    description: "Google API key",
    keywords: ["aiza"],
    suggestedName: "GOOGLE_API_KEY",
    pattern: re(`${notBefore(B64URL)}AIza[${B64URL}]{35}${notAfter(B64URL)}`),
  }),
  googleServiceAccount,
  regexRule({
    id: "azure-storage-key",
    description: "Azure storage or service-bus connection string key",
    keywords: ["accountkey=", "sharedaccesskey="],
    suggestedName: "AZURE_STORAGE_CONNECTION_STRING",
    pattern: re(`(?:AccountKey|SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{43}=)`),
  }),
  regexRule({
    id: "azure-client-secret",
    description: "Azure AD (Entra ID) client secret",
    keywords: ["q~", "azure", "client_secret", "clientsecret"],
    suggestedName: "AZURE_CLIENT_SECRET",
    pattern: re(
      `(?:${notBefore("A-Za-z0-9_~.-")}[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}${notAfter("A-Za-z0-9_~.-")}|(?:azure|AZURE|Azure)[\\w.-]{0,20}(?:client|CLIENT|Client)?[_.-]?(?:secret|SECRET|Secret)["']?\\s*(?:[:=]|=>)\\s*["']?(?<secret>[A-Za-z0-9_~.-]{32,44})${notAfter("A-Za-z0-9_~.-")})`,
    ),
    validate: (secret) => classCount(secret) >= 3 && shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    id: "twilio-api-key",
    description: "Twilio API key SID",
    keywords: ["sk"],
    suggestedName: "TWILIO_API_KEY",
    pattern: re(`\\bSK[0-9a-f]{32}\\b`),
    validate: (secret) => shannonEntropy(secret.slice(2)) >= 3,
  }),
  twilioAuthToken,
  regexRule({
    id: "sendgrid-api-key",
    description: "SendGrid API key",
    keywords: ["sg."],
    suggestedName: "SENDGRID_API_KEY",
    pattern: re(`\\bSG\\.[${B64URL}]{22}\\.[${B64URL}]{43}${notAfter(B64URL)}`),
  }),
  regexRule({
    id: "npm-token",
    description: "npm access token",
    keywords: ["npm_"],
    suggestedName: "NPM_TOKEN",
    pattern: re(`\\bnpm_[A-Za-z0-9]{36}${notAfter("A-Za-z0-9")}`),
  }),
  regexRule({
    id: "pypi-token",
    description: "PyPI upload token",
    keywords: ["pypi-ageichlwas5vcmc"],
    suggestedName: "PYPI_TOKEN",
    pattern: re(`\\bpypi-AgEIcHlwaS5vcmc[${B64URL}]{50,}`),
  }),
  regexRule({
    id: "huggingface-token",
    description: "Hugging Face access token",
    keywords: ["hf_"],
    suggestedName: "HF_TOKEN",
    pattern: re(`\\bhf_[A-Za-z0-9]{34,40}${notAfter("A-Za-z0-9")}`),
    validate: (secret) => classCount(secret) >= 3,
  }),
  regexRule({
    id: "discord-bot-token",
    description: "Discord bot token",
    keywords: [],
    suggestedName: "DISCORD_BOT_TOKEN",
    pattern: re(
      `${notBefore(`.${B64URL}`)}[MNO][A-Za-z0-9_-]{23,27}\\.[${B64URL}]{6}\\.[${B64URL}]{27,38}${notAfter(`.${B64URL}`)}`,
    ),
    // The first part is the bot's user id (a numeric snowflake) in base64.
    validate: (secret) => /^\d{17,20}$/.test(decodeBase64Url(secret.split(".")[0] ?? "") ?? ""),
  }),
  regexRule({
    id: "telegram-bot-token",
    description: "Telegram bot token",
    keywords: [":aa"],
    suggestedName: "TELEGRAM_BOT_TOKEN",
    pattern: re(`\\b\\d{8,10}:AA[${B64URL}]{33}${notAfter(B64URL)}`),
  }),
  regexRule({
    id: "jwt",
    description: "JSON Web Token",
    keywords: ["eyj"],
    suggestedName: "JWT",
    pattern: re(
      `${notBefore(B64URL)}eyJ[${B64URL}]{8,}={0,2}\\.[${B64URL}]{8,}={0,2}\\.[${B64URL}]{16,}={0,2}${notAfter(B64URL)}`,
    ),
    validate: (secret) => {
      const header = decodeBase64Url(secret.split(".")[0] ?? "");
      try {
        const parsed = JSON.parse(header ?? "") as unknown;
        return typeof parsed === "object" && parsed !== null && "alg" in parsed;
      } catch {
        return false;
      }
    },
  }),
  regexRule({
    id: "private-key",
    description: "PEM or OpenSSH private key",
    keywords: ["private key"],
    suggestedName: "PRIVATE_KEY",
    checksPlaceholders: true,
    pattern: re(
      `-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----(?<body>[\\s\\S]{40,16384}?)-----END[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----`,
    ),
    validate: (_secret, match) => {
      const body = (match.groups?.body ?? "").replace(/\\n|\s|^[A-Za-z-]+:.*$/gm, "");
      return PEM_BODY.test(body) && !/\.\.\.|…|x{8}/i.test(body);
    },
  }),
  regexRule({
    id: "database-url-password",
    description: "Database or message-broker URL with a password",
    keywords: [
      "postgres",
      "mysql",
      "mariadb",
      "mongodb",
      "redis",
      "amqp",
      "mssql",
      "sqlserver",
      "cockroach",
    ],
    suggestedName: "DATABASE_URL",
    pattern: re(
      `\\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb)://[^\\s:@/'"\`<>]*:(?<secret>[^\\s@/'"\`<>]{3,200})@[^\\s'"\`<>]+`,
    ),
    validate: (secret) => !TRIVIAL_PASSWORDS.has(secret.toLowerCase()) && !isPlaceholder(secret),
  }),
  regexRule({
    id: "generic-secret",
    description: "High-entropy value assigned to a key, secret, token or password",
    keywords: ["key", "secret", "token", "pass", "pwd", "auth", "credential"],
    suggestedName: "SECRET",
    pattern: re(
      `(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|pwd|auth[_-]?key|access[_-]?key|private[_-]?key|credential)s?[A-Za-z0-9_]*["']?[ \\t]*(?::=|=>|[:=])[ \\t]*(?<quote>["'\`]?)(?<secret>[A-Za-z0-9+/=_.~!@#%^&*-]{16,200})\\k<quote>(?![A-Za-z0-9+/=_.~!@#%^&*-])`,
      "i",
    ),
    validate: (secret) =>
      (classCount(secret) >= 3 || (/[0-9]/.test(secret) && /[A-Za-z]/.test(secret))) &&
      shannonEntropy(secret) >= 3.3 &&
      !isWordsAndNumbers(secret),
  }),
  agentStoresCredential,
];

const TRIVIAL_PASSWORDS = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "secret",
  "changeme",
  "postgres",
  "mysql",
  "root",
  "admin",
  "user",
  "guest",
  "test",
  "example",
  "redis",
  "mongo",
  "rabbitmq",
]);

/** The rule with this id, or `undefined`. */
export function findRule(id: string): ScanRule | undefined {
  return RULES.find((rule) => rule.id === id);
}
