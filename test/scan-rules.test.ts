import { createHmac, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../bench/scan-corpus/generate.mjs";
import { formatVaultReference } from "../src/references/reference.js";
import { maskPreview, scanText, TYPED_NOTE } from "../src/scan/engine.js";
import { readFingerprints, writeFingerprints } from "../src/scan/fingerprints.js";
import { findKeywordGroups, indexKeywordGroups } from "../src/scan/keywords.js";
import { isPlaceholder, looksHandTyped, shannonEntropy } from "../src/scan/placeholders.js";
import type { ScanRule } from "../src/scan/rule.js";
import { RULES, regexRule } from "../src/scan/rules.js";
import { TEMPLATES_AI_CLOUD_OPS_KEYS } from "./fixtures/scan/templates-ai-cloud-ops-keys.js";
import { TEMPLATES_DEV_PLATFORMS_CONNECTIONS } from "./fixtures/scan/templates-dev-platforms-connections.js";
import { TEMPLATES_GENERIC } from "./fixtures/scan/templates-generic.js";
import { TEMPLATES_SAAS_SERVICES_COMMERCE_MESSAGING } from "./fixtures/scan/templates-saas-services-commerce-messaging.js";
import { tempDir } from "./helpers/cli.js";
import {
  ALNUM,
  B64,
  B64URL,
  BECH32,
  DIGITS,
  HEX,
  LOWER,
  UPPER,
  withGitHubChecksum,
  withGitLabChecksum,
} from "./helpers/test-tokens.js";

// Test tokens are generated, not written out: a literal token in the repository would itself
// be a leak to every other scanner.
const random = seededRandom(42);
/** A dollar sign, so placeholders like `${D}{NAME}` can be written in template strings. */
const D = "$";
function r(chars: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += chars[Math.floor(random() * chars.length)];
  return out;
}
/** Values of later-added cases, from a generator of their own (the shared sequence stays put). */
const ownRandom = seededRandom(1414);
/** Values of the cases added last, from a generator of their own (the others' stay as they were). */
const addedRandom = seededRandom(2718);
function rAdded(chars: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += chars[Math.floor(addedRandom() * chars.length)];
  return `aZ3${out}`;
}
/** A ThingSpeak channel key's shape: 16 capitals and digits. */
const thingSpeakKey = () => `${rAdded(UPPER, 10).slice(3)}${rAdded(DIGITS, 6).slice(3)}`;
function rOwn(chars: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += chars[Math.floor(ownRandom() * chars.length)];
  return out;
}
const b64url = (text: string) => Buffer.from(text).toString("base64url");
const pem = (label: string) =>
  `-----BEGIN ${label}-----\n${Array.from({ length: 6 }, () => r(B64, 64)).join("\n")}\n-----END ${label}-----`;
const awsId = () => `AKIA${r("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
const jwt = (header: object) =>
  `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify({ sub: "123", iat: 1700000000 }))}.${r(B64URL, 43)}`;

/**
 * A test value from a template: `{h:32}` hex, `{H:N}` upper hex, `{a:N}` letters and digits,
 * `{l:N}` lower-case letters and digits, `{w:N}` lower-case letters, `{u:N}` upper-case letters
 * and digits, `{d:N}` digits,
 * `{b:N}` base64, `{B:N}` base64url, `{s:N}` base32, `{z:N}` bech32 upper case, `{U}` a UUID,
 * `{G:N}` N letters and digits and the six of a GitHub token's checksum.
 */
const CLASSES: Record<string, string> = {
  h: HEX,
  H: HEX.toUpperCase(),
  a: ALNUM,
  l: LOWER + DIGITS,
  w: LOWER,
  u: UPPER + DIGITS,
  d: DIGITS,
  b: B64,
  B: B64URL,
  s: "abcdefghijklmnopqrstuvwxyz234567",
  z: BECH32,
};
/** A seed from a template's rule id and index: each template draws values of its own. */
function seedOf(label: string): number {
  let hash = 2166136261;
  for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}
function fill(template: string, label: string): string {
  const own = seededRandom(seedOf(label));
  const draw = (chars: string, n: number) => {
    let out = "";
    for (let i = 0; i < n; i++) out += chars[Math.floor(own() * chars.length)];
    return out;
  };
  const login = Buffer.from(`deploy:${draw(ALNUM, 20)}`).toString("base64");
  return template
    .replaceAll("{AUTH}", login)
    .replace(/\{G:(\d+)\}/g, (_m, n: string) =>
      withGitHubChecksum("", `aZ3${draw(ALNUM, Number(n) - 3)}`),
    )
    .replace(/\{([a-zA-Z]):(\d+)\}|\{U\}/g, (_m, kind?: string, n?: string) => {
      if (kind === undefined)
        return `${draw(HEX, 8)}-${draw(HEX, 4)}-4${draw(HEX, 3)}-a${draw(HEX, 3)}-${draw(HEX, 12)}`;
      let value = draw(CLASSES[kind] as string, Number(n));
      // Mixed classes: make sure each class shows up once, as real keys do.
      if (kind === "a" && Number(n) >= 6) value = `aZ3${value.slice(3)}`;
      if ((kind === "l" || kind === "u") && Number(n) >= 4)
        value = `${kind === "l" ? "q7" : "Q7"}${value.slice(2)}`;
      return value;
    });
}
/** The same template with every random part written as `x`: a placeholder. */
function blank(template: string): string {
  return template
    .replaceAll("{AUTH}", "xxxxxxxxxxxx")
    .replace(/\{([a-zA-Z]):(\d+)\}|\{U\}/g, (_m, _k?: string, n?: string) =>
      "x".repeat(n === undefined ? 36 : Number(n)),
    );
}

/** One example (a template) per rule: the rule finds it, and not its blanked-out form. */
const TEMPLATES: Record<string, string[]> = {
  ...TEMPLATES_AI_CLOUD_OPS_KEYS,
  ...TEMPLATES_SAAS_SERVICES_COMMERCE_MESSAGING,
  ...TEMPLATES_DEV_PLATFORMS_CONNECTIONS,
  ...TEMPLATES_GENERIC,
  // cloud
  "aws-bedrock-api-key": ["AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS{b:120}"],
  "aws-mws-key": ["amzn.mws.{U}"],
  "gcp-oauth-client-secret": ["client_secret: GOCSPX-{a:28}"],
  "google-oauth-access-token": ["ya29.{B:80}"],
  "google-oauth-refresh-token": ["refresh_token=1//0{a:60}"],
  "alibaba-access-key-id": ["LTAI{a:20}"],
  "tencent-secret-id": ["AKID{a:32}"],
  "digitalocean-token": ["DIGITALOCEAN_TOKEN=dop_v1_{h:64}"],
  "heroku-api-key": ["HRKU-AA{B:58}"],
  "flyio-token": ["FLY_API_TOKEN=fo1_{a:43}"],
  "cloudflare-origin-ca-key": ["v1.0-{h:24}-{h:146}"],
  "cloudflare-api-token": ["cfut_{a:40}"],
  "scaleway-access-key": ["SCW{u:17}"],
  "databricks-token": ["DATABRICKS_TOKEN=dapi{h:32}"],
  "supabase-key": ["sbp_{h:40}"],
  "planetscale-token": ["pscale_tkn_{a:43}"],
  "neon-api-key": ["napi_{l:64}"],
  "render-api-key": ["rnd_{a:32}"],
  "netlify-token": ["nfp_{a:36}"],
  "vercel-token": ["vcp_{a:24}"],
  "openshift-token": ["sha256~{B:43}"],
  "yandex-cloud-key": ["AQVN{a:38}"],
  "azure-devops-pat": ["{a:52}JQQJ99{a:18}AZDO{a:4}"],
  "azure-storage-key": [
    "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={b:86}==;EndpointSuffix=core.windows.net",
  ],
  "azure-sas-token": [
    "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01&sig={a:43}%3D",
  ],
  "azure-app-config-connection-string": [
    "Endpoint=https://my-store.azconfig.io;Id=AbCd-l0-s0:{a:20};Secret={b:43}=",
  ],
  "azure-client-secret": ["{a:3}7Q~{a:34}", "AZURE_CLIENT_SECRET={a:36}"],
  "ibm-cloud-api-key": ["IBMCLOUD_API_KEY={a:44}"],
  "ibm-cos-hmac-secret": ['"cos_hmac_keys": {"secret_access_key": "{h:48}"}'],
  "softlayer-api-key": ["SOFTLAYER_API_KEY={h:64}"],
  "cloudant-credential": ["cloudant_password={h:64}"],
  "alibaba-access-key-secret": ["ALIBABA_CLOUD_ACCESS_KEY_SECRET={a:30}"],
  "tencent-secret-key": ["TENCENTCLOUD_SECRET_KEY={a:32}"],
  "heroku-legacy-api-key": ["HEROKU_API_KEY={U}"],
  "cloudflare-global-api-key": ["CLOUDFLARE_API_KEY={h:37}"],
  "scaleway-secret-key": ["SCALEWAY_SECRET_KEY={U}"],
  "linode-token": ["LINODE_TOKEN={h:64}"],
  "vercel-legacy-token": ["VERCEL_TOKEN={a:24}"],
  "netlify-legacy-token": ["NETLIFY_AUTH_TOKEN={B:43}"],
  "azure-devops-legacy-pat": ["AZURE_DEVOPS_PAT={s:52}"],
  "digitalocean-spaces-secret": ["DO_SPACES_SECRET={a:43}"],
  // source hosting, CI, registries
  // Also pasted onto a word before it.
  "github-fine-grained-pat": [
    "github_pat_{a:22}_{a:59}",
    "ourgithub_pat_{a:22}_{a:59}",
    // After an escape of a JSON string (`\\n`); not joined by `_` to a word that qualifies it.
    '"line one\\ngithub_pat_{a:22}_{a:59}"',
  ],
  "github-app-token": ["ghs_{G:30}", "ghu_{G:30}"],
  "github-oauth-token": ["gho_{G:30}"],
  "tink-keyset": [
    '{"keyData":{"typeUrl":"type.googleapis.com/google.crypto.tink.AesGcmKey","value":"{b:24}","keyMaterialType":"SYMMETRIC"}}',
  ],
  "vapid-private-key": ["webpush.setVapidDetails('mailto:ops@corp.test', '{B:87}', '{B:43}');"],
  "alibaba-access-key-pair": ["LTAI{a:20}:{a:30}"],
  "line-messaging-credential": [
    'line_bot_api = LineBotApi("{b:172}=")',
    "handler = WebhookHandler('{h:32}')",
  ],
  "messenger-session-string": ["SESSION_ID=KEITH;;;{b:300}"],
  "access-key-pair-secret": [
    "return [\n    'ak' => '{a:40}',\n    'sk' => '{a:40}',\n];",
    'cred = credential.Credential("AKID{a:32}", "{a:32}")',
  ],
  "sudo-stdin-password": ['echo "{a:12}!" | sudo -S apt update'],
  "packagist-token": ["packagist_acs_{h:80}", "PACKAGIST_TOKEN=packagist_uut_{h:68}"],
  "deploy-hook-url": [
    "curl -X POST -d {} https://api.netlify.com/build_hooks/{h:24}",
    "https://api.vercel.com/v1/integrations/deploy/prj_{a:28}/{a:10}",
  ],
  "actions-secret-name-value": ["        NETLIFY_AUTH_TOKEN: \u0024{{ secrets.{a:43} }}"],
  "github-refresh-token": ["ghr_{G:70}"],
  "gitlab-token": [
    "glpat-{B:20}",
    "GR1348941{a:20}",
    "glrt-{a:27}",
    "acme-glpat-{B:20}",
    "gloas-{h:64}",
    "glagent-{B:50}",
  ],
  "gitlab-session-cookie": ["Cookie: _gitlab_session={h:32}; path=/"],
  "bitbucket-app-password": ["ATBB{a:32}", "ATBB{a:32}{H:8}"],
  "atlassian-api-token": ["ATATT3{B:186}"],
  "npm-token": ["//registry.npmjs.org/:_authToken=npm_{a:36}"],
  "pypi-token": ["pypi-AgEIcHlwaS5vcmc{B:70}"],
  "rubygems-api-key": ["rubygems_{h:48}"],
  "nuget-api-key": ["oy2{l:43}"],
  "clojars-token": ["CLOJARS_{l:60}"],
  "docker-hub-token": ["dckr_pat_{B:27}"],
  "artifactory-api-key": ["AKCp{a:69}"],
  "artifactory-reference-token": ["cmVmdGtu{a:56}"],
  "sonarqube-token": ["SONAR_TOKEN=squ_{h:40}"],
  "circleci-token": ["CCIPAT_{a:22}_{h:40}"],
  "buildkite-token": ["bkua_{h:40}"],
  "harness-token": ["pat.{B:22}.{h:24}.{a:20}"],
  "vault-token": ["VAULT_TOKEN=hvs.{B:90}"],
  "terraform-cloud-token": ["{a:14}.atlasv1.{B:67}"],
  "pulumi-token": ["pul-{h:40}"],
  "doppler-token": ["dp.pt.{a:43}", "dp.st.prd.{a:43}"],
  "infracost-api-key": ["ico-{a:32}"],
  "octopus-deploy-api-key": ["API-{u:26}"],
  "onepassword-secret-key": ["A3-{u:6}-{u:6}-{u:5}-{u:5}-{u:5}-{u:5}"],
  "onepassword-service-account-token": ["OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ{b:300}"],
  "tailscale-key": ["tskey-auth-{a:12}-{a:33}", "tskey-api-{a:12}-{a:33}"],
  "sourcegraph-token": ["sgp_{h:16}_{h:40}", "sgp_local_{h:40}"],
  "age-secret-key": ["AGE-SECRET-KEY-1{z:58}"],
  "postman-api-key": ["PMAK-{h:24}-{h:34}"],
  "readme-api-key": ["rdme_{l:70}"],
  "prefect-api-key": ["pnu_{a:36}"],
  "scalingo-token": ["tk-us-{B:48}"],
  "settlemint-token": ["sm_pat_{h:16}"],
  "defined-networking-key": ["dnkey-{l:26}-{l:52}", "dnkey-{u:26}-{u:52}"],
  "dbt-cloud-token": ["dbtc_{B:50}"],
  "fastly-api-token": ["fastly_{a:32}"],
  "gitea-token": ["gitea_{h:40}"],
  "snyk-api-token": ["SNYK_TOKEN={U}"],
  "sonarqube-legacy-token": ["sonar.login={h:40}"],
  "artifactory-password": ["ARTIFACTORY_PASSWORD={a:40}"],
  "bitbucket-client-secret": ["BITBUCKET_CLIENT_SECRET={a:32}"],
  "codecov-token": ["CODECOV_TOKEN={U}"],
  "travis-ci-token": ["TRAVIS_TOKEN={a:22}"],
  "circleci-legacy-token": ["CIRCLE_TOKEN={h:40}"],
  "vault-legacy-token": ["VAULT_TOKEN=s.{a:24}"],
  "jira-api-token": ["JIRA_API_TOKEN={a:24}"],
  "launchdarkly-key": ["LAUNCHDARKLY_SDK_KEY=sdk-{U}"],
  "gitter-token": ["GITTER_TOKEN={h:40}"],
  "droneci-token": ["DRONE_TOKEN={a:32}"],
  "jenkins-token": ["JENKINS_API_TOKEN=11{h:32}"],
  "crates-io-token": ["CARGO_REGISTRY_TOKEN=cio{a:32}"],
  "stackhawk-api-key": ["hawk.{a:20}.{a:20}"],
  // AI
  "openrouter-api-key": ["sk-or-v1-{h:64}"],
  "perplexity-api-key": ["PERPLEXITY_API_KEY=pplx-{a:48}"],
  "groq-api-key": ["gsk_{a:52}"],
  "xai-api-key": ["xai-{a:80}", "XAI_MANAGEMENT_KEY=xai-token-{a:80}"],
  "replicate-api-token": ["r8_{a:37}"],
  "huggingface-token": ["HF_TOKEN=hf_{a:34}", "api_org_{a:34}"],
  "langsmith-api-key": ["lsv2_pt_{h:32}_{h:10}"],
  "pinecone-api-key": ["pcsk_{a:5}_{a:65}"],
  "fireworks-api-key": ["fw_{a:24}"],
  "cerebras-api-key": ["csk-{l:48}"],
  "nvidia-api-key": ["nvapi-{B:64}"],
  "elevenlabs-api-key": ["sk_{h:48}"],
  "wandb-local-api-key": ["local-{h:40}"],
  "cohere-api-key": ["COHERE_API_KEY={a:40}"],
  "mistral-api-key": ["MISTRAL_API_KEY={a:32}"],
  "deepseek-api-key": [
    "DEEPSEEK_API_KEY=sk-{h:32}",
    'client = OpenAI(base_url="https://api.deepseek.com",\n  api_key="sk-{h:32}")',
  ],
  "together-api-key": ["TOGETHER_API_KEY={h:64}"],
  "wandb-api-key": ["WANDB_API_KEY={h:40}"],
  "azure-openai-key": ["AZURE_OPENAI_API_KEY={h:32}"],
  "elevenlabs-legacy-api-key": ["xi-api-key: {h:32}"],
  "deepgram-api-key": ["DEEPGRAM_API_KEY={h:40}"],
  "assemblyai-api-key": ["ASSEMBLYAI_API_KEY={h:32}"],
  // messaging and e-mail
  "slack-bot-token": ["xoxb-{d:12}-{d:13}-{a:24}"],
  "slack-user-token": ["xoxp-{d:12}-{d:12}-{d:13}-{h:32}", "xoxa-2-{d:11}-{d:11}-{d:12}-{h:32}"],
  "slack-config-token": ["xoxe.xoxp-1-{a:160}"],
  "slack-app-token": ["xapp-1-A{u:10}-{d:13}-{h:64}"],
  "slack-legacy-token": ["xoxb-{d:10}-{a:24}"],
  "slack-webhook": ["https://hooks.slack.com/services/T{u:10}/B{u:10}/{a:24}"],
  "discord-webhook": ["https://discord.com/api/webhooks/{d:18}/{B:68}"],
  "teams-webhook": [
    "https://contoso.webhook.office.com/webhookb2/{U}@{U}/IncomingWebhook/{h:32}/{U}",
  ],
  "sendgrid-api-key": ["SG.{B:22}.{B:43}"],
  "twilio-api-key": ["TWILIO_API_KEY=SK{h:32}"],
  "twilio-auth-token": [
    "TWILIO_ACCOUNT_SID=AC{h:32}\nTWILIO_AUTH_TOKEN={h:32}",
    "twilio_auth_token: {h:32}",
  ],
  "mailchimp-api-key": ["{h:32}-us14"],
  "mailgun-api-key": ["key-{l:32}", "MAILGUN_API_KEY=key-{h:32}"],
  "brevo-api-key": ["xkeysib-{h:64}-{a:16}"],
  "mailersend-api-key": ["mlsn.{h:64}"],
  "resend-api-key": ["re_{a:8}_{a:24}"],
  "telnyx-api-key": ["KEY0{H:31}_{a:22}"],
  "discord-client-secret": ["DISCORD_CLIENT_SECRET={a:32}"],
  "mailgun-signing-key": ["MAILGUN_API_KEY={h:32}-{h:8}-{h:8}"],
  "postmark-server-token": ["POSTMARK_SERVER_TOKEN={U}"],
  "mandrill-api-key": ["MANDRILL_API_KEY={a:22}"],
  "vonage-api-secret": ["VONAGE_API_SECRET={a:16}"],
  "messagebird-api-key": ["MESSAGEBIRD_API_KEY={a:25}"],
  "plivo-auth-token": ["PLIVO_AUTH_TOKEN={a:40}"],
  "sinch-api-secret": ["SINCH_API_SECRET={a:30}"],
  "mattermost-token": ["MATTERMOST_TOKEN={l:26}"],
  "zulip-api-key": ["ZULIP_API_KEY={a:32}"],
  // commerce
  "stripe-live-key": ["sk_live_{a:24}", "rk_live_{a:99}"],
  "stripe-test-key": ["sk_test_{a:24}"],
  "stripe-webhook-secret": ["STRIPE_WEBHOOK_SECRET=whsec_{a:32}"],
  "square-access-token": ["sq0atp-{B:22}", "sq0csp-{B:43}", "EAAA{B:60}"],
  "braintree-access-token": [`access_token${D}production${D}{l:16}${D}{h:32}`],
  "shopify-token": ["shpat_{h:32}"],
  "razorpay-key": ["rzp_live_{a:14}"],
  "plaid-access-token": ["access-production-{U}"],
  "flutterwave-key": ["FLWSECK_TEST-{h:32}-X"],
  "duffel-token": ["duffel_live_{B:43}"],
  "easypost-api-key": ["EZAK{a:54}"],
  "shippo-api-token": ["shippo_live_{h:40}"],
  "adyen-api-key": ["AQEyhmfxK{b:220}"],
  "maxmind-license-key": ["{a:6}_{a:29}_mmk"],
  "coinbase-key": ["organizations/{U}/apiKeys/{U}"],
  "paypal-client-secret": ["PAYPAL_CLIENT_SECRET=E{B:79}"],
  "gocardless-token": ["GOCARDLESS_ACCESS_TOKEN=live_{B:40}"],
  "lob-api-key": ["LOB_API_KEY=live_{h:35}"],
  "coinbase-api-secret": ["COINBASE_API_SECRET={a:64}"],
  "kraken-api-key": ["KRAKEN_PRIVATE_KEY={b:88}"],
  "binance-api-secret": ["BINANCE_API_SECRET={a:64}"],
  "square-application-secret": ["SQUARE_SECRET={B:50}"],
  "etsy-api-key": ["ETSY_API_KEY={l:24}"],
  "bittrex-api-key": ["BITTREX_API_SECRET={h:32}"],
  // SaaS
  "kolide-api-key": ["KOLIDE_API_KEY=k2sk_v1_{a:24}"],
  "notion-token": ["NOTION_TOKEN=ntn_{d:11}{a:35}"],
  "figma-token": ["figd_{B:40}"],
  "airtable-pat": ["pat{a:14}.{h:64}"],
  "linear-api-key": ["lin_api_{a:40}"],
  "clickup-token": ["pk_{d:8}_{u:32}"],
  "contentful-token": ["CFPAT-{B:43}"],
  "typeform-token": ["tfp_{a:44}_{a:14}"],
  "dropbox-token": ["sl.{B:140}"],
  "hubspot-token": ["pat-na1-{U}"],
  "mapbox-secret-token": ["sk.eyJ{B:60}.{B:22}"],
  "facebook-access-token": ["EAACEdEose0cBA{a:120}"],
  "twitter-bearer-token": ["AAAAAAAAAAAAAAAAAAAAAA{a:80}"],
  "salesforce-access-token": ["00D{a:15}!{a:100}"],
  "firebase-cloud-messaging-key": ["AAAA{B:7}:APA91b{B:134}"],
  "posthog-personal-api-key": ["phx_{a:43}"],
  "frameio-token": ["fio-u-{B:64}"],
  "adafruit-io-key": ["aio_{a:28}"],
  "intercom-token": ["dG9rOm{a:50}="],
  "zapier-webhook": ["https://hooks.zapier.com/hooks/catch/{d:7}/{l:7}/"],
  "notion-legacy-token": ["NOTION_API_KEY=secret_{a:43}"],
  "figma-legacy-token": ["FIGMA_TOKEN={d:6}-{U}"],
  "airtable-api-key": ["AIRTABLE_API_KEY=key{a:14}"],
  "asana-token": ["ASANA_TOKEN=1/{d:16}:{h:32}"],
  "facebook-app-secret": ["FACEBOOK_APP_SECRET={h:32}"],
  "twitter-api-secret": ["TWITTER_API_SECRET={a:50}"],
  "twitter-access-token": ["TWITTER_ACCESS_TOKEN={d:19}-{a:40}"],
  "linkedin-client-secret": ["LINKEDIN_CLIENT_SECRET={a:16}"],
  "twitch-api-token": ["TWITCH_CLIENT_SECRET={l:30}"],
  "dropbox-long-lived-token": ["DROPBOX_TOKEN={a:64}"],
  "hubspot-api-key": ["HUBSPOT_API_KEY={U}"],
  "contentful-delivery-token": ["CONTENTFUL_DELIVERY_TOKEN={B:43}"],
  "trello-token": ["TRELLO_TOKEN={h:64}"],
  "monday-token": ["MONDAY_API_TOKEN=eyJ{B:120}.eyJ{B:80}.{B:43}"],
  "algolia-api-key": ["ALGOLIA_ADMIN_KEY={h:32}"],
  "zendesk-token": ["ZENDESK_API_TOKEN={a:40}"],
  "freshdesk-api-key": ["FRESHDESK_API_KEY={a:20}"],
  "intercom-legacy-token": ["INTERCOM_TOKEN={a:60}"],
  "beamer-api-key": ["BEAMER_API_KEY=b_{B:44}"],
  "segment-write-key": ["SEGMENT_WRITE_KEY={a:32}"],
  "instagram-access-token": ["INSTAGRAM_ACCESS_TOKEN=IG{a:150}"],
  "google-oauth-client-secret-json": [
    '{"client_id": "x.apps.googleusercontent.com", "client_secret": "{a:24}"}',
  ],
  "zoho-token": ["ZOHO_REFRESH_TOKEN=1000.{h:32}.{h:32}"],
  "dropbox-app-secret": ["BOX_CLIENT_SECRET={a:32}"],
  // observability and identity
  "grafana-cloud-token": ["glc_{b:80}"],
  "grafana-service-account-token": ["glsa_{a:32}_{h:8}"],
  "new-relic-key": ["NRAK-{u:27}", "{h:36}NRAL"],
  "pixie-key": ["px-api-{U}"],
  "sentry-token": ["sntrys_eyJ{b:100}", "sntryu_{h:64}"],
  "dynatrace-token": ["dt0c01.{u:24}.{u:64}"],
  "honeycomb-key": ["hcaik_{l:58}"],
  "authress-key": ["sc_{l:10}.{l:5}.acc_{l:20}.{B:60}"],
  "datadog-api-key": [
    "DD_API_KEY={h:32}",
    "datadog_app_key: {h:40}",
    "datadog:\n  site: datadoghq.eu\n  api_key: {h:32}",
  ],
  "sumologic-access-key": ["SUMO_ACCESS_ID=su{a:12}", "SUMOLOGIC_ACCESS_KEY={a:64}"],
  "ngrok-authtoken": ["NGROK_AUTHTOKEN=2{a:26}_{a:21}"],
  "okta-token": ["OKTA_API_TOKEN=00{B:40}"],
  "auth0-client-secret": ["AUTH0_CLIENT_SECRET={B:64}"],
  "honeycomb-legacy-key": ["HONEYCOMB_API_KEY={l:22}"],
  "splunk-token": ["SPLUNK_HEC_TOKEN={U}"],
  "pagerduty-token": ["PAGERDUTY_TOKEN=u+{B:18}"],
  "opsgenie-api-key": ["OPSGENIE_API_KEY={U}"],
  "rollbar-token": ["ROLLBAR_ACCESS_TOKEN={h:32}"],
  "bugsnag-api-key": ["BUGSNAG_API_KEY={h:32}"],
  "loggly-token": ["LOGGLY_TOKEN={U}"],
  "mezmo-ingestion-key": ["LOGDNA_INGESTION_KEY={h:32}"],
  "new-relic-license-key": ["NEW_RELIC_LICENSE_KEY={h:40}"],
  "grafana-password": ["GRAFANA_ADMIN_PASSWORD={a:24}"],
  "cloudsmith-token": ["CLOUDSMITH_API_KEY={h:40}"],
  "sendbird-token": ["SENDBIRD_API_TOKEN={h:40}"],
  "keycloak-client-secret": ["KEYCLOAK_CLIENT_SECRET={a:32}"],
  // other services
  "mongodb-atlas-api-key": ["MONGODB_ATLAS_PRIVATE_KEY={U}"],
  "confluent-api-secret": ["CONFLUENT_API_SECRET={a:64}"],
  "bitly-token": ["BITLY_TOKEN={h:40}"],
  "pusher-secret": ["PUSHER_SECRET={h:20}"],
  "mailjet-secret": ["MAILJET_SECRET_KEY={h:32}"],
  "sparkpost-api-key": ["SPARKPOST_API_KEY={h:40}"],
  "mixpanel-secret": ["MIXPANEL_API_SECRET={a:32}"],
  "zoom-client-secret": ["ZOOM_CLIENT_SECRET={a:32}"],
  "consul-token": ["CONSUL_HTTP_TOKEN={U}"],
  "nomad-token": ["NOMAD_TOKEN={U}"],
  "hasura-admin-secret": ["HASURA_GRAPHQL_ADMIN_SECRET={a:32}"],
  "meilisearch-master-key": ["MEILI_MASTER_KEY={a:40}"],
  "klaviyo-private-key": ["KLAVIYO_PRIVATE_KEY=pk_{h:34}"],
  "duo-secret-key": ["DUO_SKEY={a:40}"],
  "hetzner-cloud-token": ["HCLOUD_TOKEN={a:64}"],
  "vultr-api-key": ["VULTR_API_KEY={u:36}"],
  "backblaze-application-key": ["B2_APPLICATION_KEY=K005{a:27}"],
  "meraki-api-key": ["MERAKI_DASHBOARD_API_KEY={h:40}"],
  "shodan-api-key": ["SHODAN_API_KEY={a:32}"],
  "virustotal-api-key": ["VIRUSTOTAL_API_KEY={h:64}"],
  "spotify-client-secret": ["SPOTIFY_CLIENT_SECRET={h:32}"],
  "github-client-secret": ["GITHUB_CLIENT_SECRET={h:40}"],
  "pipedrive-api-token": ["PIPEDRIVE_API_TOKEN={h:40}"],
  "webflow-api-token": ["WEBFLOW_API_TOKEN={h:64}"],
  "smartsheet-token": ["SMARTSHEET_ACCESS_TOKEN={a:26}"],
  "rapidapi-key": ["X-RapidAPI-Key: {a:50}"],
  "cypress-record-key": ["CYPRESS_RECORD_KEY={U}"],
  "expo-access-token": ["EXPO_TOKEN={a:40}"],
  "railway-token": ["RAILWAY_TOKEN={U}"],
  "voyage-api-key": ["VOYAGE_API_KEY=pa-{a:43}"],
  "mollie-api-key": ["MOLLIE_API_KEY=live_{a:30}"],
  "openweather-api-key": ["OPENWEATHER_API_KEY={h:32}"],
  "ipinfo-token": ["IPINFO_TOKEN={h:14}"],
  "coveralls-token": ["COVERALLS_REPO_TOKEN={a:32}"],
  "codacy-token": ["CODACY_PROJECT_TOKEN={a:32}"],
  "bitrise-token": ["BITRISE_TOKEN={B:86}"],
  "docusign-secret": ["DOCUSIGN_SECRET_KEY={U}"],
  "toggl-api-token": ["TOGGL_API_TOKEN={h:32}"],
  "harvest-token": ["HARVEST_TOKEN={d:7}.pt.{B:86}"],
  "miro-token": ["MIRO_ACCESS_TOKEN=eyJtaXJv{B:80}"],
  "customerio-api-key": ["CUSTOMERIO_API_KEY={h:32}"],
  "braze-api-key": ["BRAZE_API_KEY={U}"],
  "onesignal-api-key": ["ONESIGNAL_REST_API_KEY={a:48}"],
  "amplitude-secret": ["AMPLITUDE_SECRET_KEY={h:32}"],
  "elastic-api-key": ["ELASTIC_API_KEY={b:60}=="],
  "snowflake-password": ["SNOWFLAKE_PASSWORD={a:20}"],
  "upstash-token": ["UPSTASH_REDIS_REST_TOKEN=A{B:60}="],
  "qdrant-api-key": ["QDRANT_API_KEY={a:40}"],
  "sentry-dsn-secret": ["SENTRY_SECRET_KEY={h:32}"],
  "adobe-client-secret": ["ADOBE_CLIENT_SECRET=p8e-{a:32}"],
  "clickhouse-cloud-secret": ["CLICKHOUSE_SECRET=4b1d{a:38}"],
  "intra42-client-secret": ["secret: s-s4t2ud-{h:64}"],
  "apify-api-token": ["APIFY_TOKEN=apify_api_{a:36}"],
  "paddle-api-key": ["PADDLE_API_KEY=pdl_live_apikey_{l:26}_{a:22}_{a:3}"],
  "zuplo-api-key": ["ZUPLO_KEY=zpka_{h:32}_{h:8}"],
  "saucelabs-access-key": ["SAUCE_ACCESS_KEY={U}"],
  "browserstack-access-key": ["BROWSERSTACK_ACCESS_KEY={a:20}"],
  "infura-api-key": [
    "INFURA_PROJECT_SECRET={h:32}",
    'var infuraToken string = "{h:32}"',
    "infura_api_token ::= {h:32}",
    'infuraKey <- "{h:32}"',
  ],
  "alchemy-api-key": ["ALCHEMY_API_KEY={a:32}"],
  "etherscan-api-key": ["ETHERSCAN_API_KEY={a:34}"],
  "finnhub-api-key": ["FINNHUB_API_KEY={a:20}"],
  "flickr-api-key": ["FLICKR_API_KEY={h:32}"],
  "freshbooks-token": ["FRESHBOOKS_ACCESS_TOKEN={h:64}"],
  "nytimes-api-key": ["NYTIMES_API_KEY={a:32}"],
  "kucoin-api-secret": ["KUCOIN_API_SECRET={U}"],
  "squarespace-api-key": ["SQUARESPACE_API_KEY={U}"],
  "plaid-secret": ["PLAID_SECRET={h:30}"],
  "finicity-secret": ["FINICITY_APP_KEY={h:32}"],
  "privateai-api-key": ["PRIVATE_AI_API_KEY={a:32}"],
  "looker-client-secret": ["LOOKER_CLIENT_SECRET={a:24}"],
  "line-channel-secret": ["LINE_CHANNEL_SECRET={h:32}"],
  "rootly-api-key": ["ROOTLY_API_KEY=rootly_{h:64}"],
  "stytch-secret": ["STYTCH_SECRET=secret-live-{a:36}"],
  "teamcity-token": ["TEAMCITY_TOKEN=eyJ0eXAiOiAiVENWMiJ9.{B:36}.{B:48}"],
  "jina-api-key": ["JINA_API_KEY=jina_{h:32}{a:30}"],
  "pubnub-secret-key": ["secretKey: 'sec-c-{a:48}'"],
  "clarifai-api-key": ["CLARIFAI_PAT={h:32}"],
  "aiven-token": ["AIVEN_TOKEN={b:120}"],
  "agora-secret": ["AGORA_APP_CERTIFICATE={h:32}"],
  "abuseipdb-api-key": ["ABUSEIPDB_API_KEY={h:80}"],
  "baremetrics-api-key": ["BAREMETRICS_API_KEY={a:25}"],
  "checkr-api-key": ["CHECKR_API_KEY={h:40}"],
  "diffbot-token": ["DIFFBOT_TOKEN={h:32}"],
  "apilayer-access-key": ["IPSTACK_ACCESS_KEY={h:32}"],
  "newsapi-key": ["NEWSAPI_KEY={h:32}"],
  "serpapi-key": ["SERPAPI_API_KEY={h:64}"],
  "serper-api-key": ["SERPER_API_KEY={h:40}"],
  "zenrows-api-key": ["ZENROWS_API_KEY={h:40}"],
  "scrapingbee-api-key": ["SCRAPINGBEE_API_KEY={u:80}"],
  "clearbit-api-key": ["CLEARBIT_KEY=sk_{h:32}"],
  "optimizely-token": ["OPTIMIZELY_TOKEN={a:54}"],
  "uptimerobot-api-key": ["UPTIMEROBOT_API_KEY=u{d:7}-{h:24}"],
  "mux-token-secret": ["MUX_TOKEN_SECRET={a:75}"],
  "ably-api-key": ["ABLY_API_KEY={a:6}.{a:6}:{B:43}"],
  "cloudinary-api-secret": ["CLOUDINARY_API_SECRET={B:27}"],
  "kagi-api-key": ["KAGI_API_KEY={B:50}"],
  "browserless-token": ["BROWSERLESS_TOKEN={a:40}"],
  "shortcut-api-token": ["SHORTCUT_API_TOKEN={U}"],
  "particle-token": ["PARTICLE_ACCESS_TOKEN={h:40}"],
  "tavily-api-key": ["tvly-{a:32}"],
  "firecrawl-api-key": ["fc-{h:32}"],
  "browserbase-api-key": ["bb_live_{B:27}"],
  "langfuse-secret-key": ["sk-lf-{U}"],
  "jumpcloud-api-key": ["jca_{a:36}"],
  "nightfall-api-key": ["NF-{a:32}"],
  "woocommerce-secret": ["cs_{h:40}"],
  "infisical-token": ["st.{U}.{h:32}.{h:32}"],
  "akamai-edgegrid-token": ["akab-{l:16}-{l:16}"],
  "sidekiq-credentials": ["BUNDLE_ENTERPRISE__CONTRIBSYS__COM={h:8}:{h:8}"],
  // config files and connection details
  "npmrc-auth": ["//npm.corp.example/:_authToken={B:40}", "_auth={AUTH}"],
  "netrc-password": ["machine api.heroku.com\n  login me@corp.test\n  password {a:20}"],
  "pgpass-password": ["db.internal:5432:app:app_user:{a:20}"],
  "telegram-api-hash": ["api_hash = '{h:32}'", "TELEGRAM_API_HASH={h:32}"],
  "docker-config-auth": ['{"auths": {"ghcr.io": {"auth": "{AUTH}"}}}'],
  "xml-setting-credential": [
    '<add key="ClearTextPassword" value="{a:20}" />',
    '<add key="Stripe.PrivateKey" value="{a:32}" />',
    '<entry key="api.token">{a:32}</entry>',
  ],
  "url-credentials": [
    "postgres://app:{a:16}@db.internal:5432/app",
    "https://deploy:{a:24}@git.corp.test/repo.git",
    "amqp://bus:{a:14}@mq:5672/",
  ],
  "http-basic-auth": ["Authorization: Basic {AUTH}"],
  "curl-user-password": ["curl -u admin:{a:16} https://api.corp.test"],
  "http-bearer-token": ['curl -H "Authorization: Bearer {a:40}" https://api.corp.test'],
  "http-api-key-header": ["X-API-Key: {a:32}"],
  "psexec-credentials": ["psexec \\\\\\\\build01 -u CORP\\\\deploy -p {a:16} cmd.exe"],
  "connection-string-password": [
    "Server=tcp:db.corp.test,1433;Database=app;User ID=app;Password={a:20};",
  ],
  "terraform-variable-default": [
    'variable "db_password" {\n  type    = string\n  default = "{a:20}"\n}',
  ],
  "xml-tag-credential": [
    "<server><id>corp</id><password>{a:20}</password></server>",
    "<config><dbPassword>{a:16}</dbPassword><apiSecretKey>{a:32}</apiSecretKey></config>",
  ],
  // later additions (at the end: the shared random sequence of the cases above stays put)
  "azure-identifiable-key": [
    "AZURE_STORAGE_KEY={b:76}+ASt{b:5}Q==",
    "primaryKey: {b:76}ACDb{b:5}w==",
    "SERVICEBUS_KEY={b:33}+ASbC{b:5}=",
    "REDIS_KEY={a:33}AzCaK{a:5}=",
    "api-key: {a:42}AzSeB{a:5}",
    "https://app.azurewebsites.net/api/run?code={B:44}AzFu{B:5}g%3D%3D",
    "{a:52}JQQJ99{a:1}B{a:16}q{a:7}",
  ],
  "aws-session-token": [
    "AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj{b:400}",
    "aws_session_token = FwoGZXIvYXdzE{b:300}",
  ],
  "amazon-lwa-client-secret": ["client_secret: amzn1.oa2-cs.v1.{h:64}"],
  "google-chat-webhook": [
    "https://chat.googleapis.com/v1/spaces/AAAA{a:7}/messages?key=AIza{B:35}&token={B:43}%3D",
  ],
  "chat-bot-webhook": [
    "https://oapi.dingtalk.com/robot/send?access_token={h:64}",
    "https://open.feishu.cn/open-apis/bot/v2/hook/{U}",
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={U}",
  ],
  "automation-webhook": [
    "https://maker.ifttt.com/trigger/door_open/with/key/{B:22}",
    "https://hook.eu1.make.com/{l:32}",
  ],
  "sentry-legacy-token": ["SENTRY_AUTH_TOKEN={h:64}", "sentry:\n  org: acme\n  auth_token: {h:64}"],
  "vault-unseal-key": ["Unseal Key 1: {b:44}", "Recovery Key 3: {h:66}"],
  "openvpn-static-key": [
    "-----BEGIN OpenVPN Static key V1-----\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n{h:32}\n-----END OpenVPN Static key V1-----",
  ],
  "slack-session-token": ["SLACK_TOKEN=xoxc-{d:11}-{d:12}-{d:13}-{h:64}", "d=xoxd-{a:150}"],
  "mercadopago-access-token": ["MP_ACCESS_TOKEN=APP_USR-{d:16}-{d:6}-{h:32}-{d:9}"],
  "azure-shared-access-signature": [
    "SharedAccessSignature sr=myns.servicebus.windows.net%2Fq&sig={a:43}%3D&se=1735689600&skn=send",
  ],
  "vercel-blob-token": ["BLOB_READ_WRITE_TOKEN=vercel_blob_rw_{a:16}_{a:30}"],
  "inngest-signing-key": ["INNGEST_SIGNING_KEY=signkey-prod-{h:64}"],
  "polar-access-token": ["POLAR_ACCESS_TOKEN=polar_oat_{a:43}"],
  "kaggle-api-key": ["KAGGLE_KEY={h:32}"],
  "cartesia-api-key": ["CARTESIA_API_KEY=sk_car_{a:22}"],
  "castai-api-key": ["CASTAI_API_TOKEN=castai_v1_{a:64}_{a:8}"],
  "saladcloud-api-key": ["salad_cloud_{a:6}_{a:40}"],
  "exoscale-api-key": ["EXOSCALE_API_KEY=EXO{h:24}"],
  "exoscale-api-secret": ["EXOSCALE_API_SECRET={a:43}"],
  "azure-data-factory-shir-key": ["IR@{U}@adf-myapp-001@we@{b:43}="],
  "deno-deploy-token": ["DENO_DEPLOY_TOKEN=ddp_{a:36}"],
  "chieftools-token": ["ctp_{a:36}", "cto_{a:40}"],
  "dependency-track-api-key": ["X-Api-Key: odt_{a:32}"],
  "pyx-token": ["sk-pyx-{a:64}", "tp-pyx-{a:64}"],
  "socket-api-token": ["SOCKET_SECURITY_API_TOKEN=sktsec_{a:40}_api"],
  "trigger-dev-secret-key": ["TRIGGER_SECRET_KEY=tr_dev_{a:20}", "tr_prod_{a:24}"],
  "xata-api-key": ["XATA_API_KEY=xau_{a:33}"],
  "arcjet-key": ["ARCJET_KEY=ajkey_{l:26}"],
  "tinybird-token": ["TINYBIRD_TOKEN=p.eyJ{B:120}.{B:43}"],
  "bitwarden-access-token": ["BWS_ACCESS_TOKEN=0.{U}.{a:30}:{b:22}=="],
  "django-secret-key": ["SECRET_KEY = 'django-insecure-{l:50}'"],
  "portainer-token": ["PORTAINER_TOKEN=ptr_{a:44}"],
  "rancher-token": ["CATTLE_TOKEN=token-{l:5}:{l:54}", "RANCHER_TOKEN={l:54}"],
  "proxmox-api-token": [
    "Authorization: PVEAPIToken=root@pam!deploy={U}",
    'api_token = "terraform@pve!provider={U}"',
    'pm_api_token_secret = "{U}"',
  ],
  "percy-token": ["PERCY_TOKEN=web_{h:64}"],
  "codeclimate-reporter-id": ["CC_TEST_REPORTER_ID={h:64}"],
  "gradle-plugin-portal-secret": ["gradle.publish.secret={a:32}"],
  "convex-deploy-key": ["CONVEX_DEPLOY_KEY=prod:happy-otter-123|{B:80}"],
  "laravel-app-key": ["APP_KEY=base64:{b:43}="],
  "rails-secret-key-base": ["secret_key_base: {h:128}"],
  "helicone-api-key": ["HELICONE_API_KEY=sk-helicone-{l:7}-{l:7}-{l:7}-{l:7}"],
  "modal-token-secret": ["MODAL_TOKEN_SECRET=as-{a:22}"],
  "runpod-api-key": ["RUNPOD_API_KEY=rpa_{u:40}{l:6}"],
  "dashscope-api-key": ["DASHSCOPE_API_KEY=sk-{h:32}"],
  "fal-api-key": ["FAL_KEY={U}:{h:32}"],
  "axiom-token": ["AXIOM_TOKEN=xaat-{U}", "xapt-{U}"],
  "truenas-api-key": [
    'curl -H "Authorization: Bearer 8-{a:64}" http://nas.local/api/v2.0/system/info',
    '{"msg": "method", "method": "auth.login_with_api_key", "params": ["9-{a:64}"]}',
  ],
  "liveblocks-secret-key": ["LIVEBLOCKS_SECRET_KEY=sk_dev_{a:64}", "sk_prod_{a:64}"],
  "pinterest-access-token": ["PINTEREST_ACCESS_TOKEN=pina_{u:96}"],
  "onesignal-rest-api-key": ["ONESIGNAL_API_KEY=os_v2_app_{s:113}"],
  "ghost-admin-api-key": ["GHOST_ADMIN_API_KEY={h:24}:{h:64}"],
  "deepl-api-key": ["DEEPL_AUTH_KEY={U}:fx"],
  "webex-token": ["WEBEX_BOT_TOKEN={a:64}_{a:4}_{U}"],
  "tines-webhook": ["https://acme-co-1234.tines.com/webhook/{h:32}/{h:32}"],
  "pushbullet-token": ["PUSHBULLET_TOKEN=o.{a:32}"],
  "blynk-token": ["curl https://fra1.blynk.cloud/external/api/get?token={B:32}&V1"],
  "thingsboard-token": [
    "curl -v -X POST https://thingsboard.cloud/api/v1/{l:20}/telemetry",
    '{"deviceName": "meter", "provisionDeviceKey": "{l:20}", "provisionDeviceSecret": "{l:20}"}',
  ],
  "wireguard-key": [
    "[Interface]\nAddress = 10.0.0.2/32\nPrivateKey = {b:42}A=\nDNS = 1.1.1.1",
    "[Peer]\nPresharedKey = {b:42}Q=\nAllowedIPs = 0.0.0.0/0",
    "[Interface]\nPrivateKey = <{b:42}A=>\nListenPort = 51820",
  ],
};
/** A JWT with `claims`, signed with `secret` (HS256, HS384 or HS512). */
function signedJwt(claims: object, alg: "HS256" | "HS384" | "HS512", secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg, typ: "JWT" })}.${part(claims)}`;
  const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
  return `${body}.${createHmac(hash, secret).update(body).digest("base64url")}`;
}

/** 32 hex digits drawn from `label` (a project id's shape), apart from the shared sequences. */
const hexOf = (label: string) => createHmac("sha256", label).digest("hex").slice(0, 32);

/** RFC 8032's first Ed25519 test: its secret key, then its public key (a Solana keypair). */
const RFC8032_KEYPAIR =
  "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

interface RuleCase {
  id: string;
  found: string[];
  notFound: string[];
  /** The file the examples are scanned as (default `f.md`). */
  file?: string;
  /** Each example is the whole file (default: between a line before and a line after). */
  wholeFile?: boolean;
}

/** A private key's DER in base64, as payment SDKs' configs paste it without PEM lines. */
const derKeyOf = (type: "pkcs1" | "pkcs8") =>
  generateKeyPairSync("rsa", { modulusLength: 1024 })
    .privateKey.export({ format: "der", type })
    .toString("base64");
const DER_PKCS1 = derKeyOf("pkcs1");
const DER_PKCS8 = derKeyOf("pkcs8");
const DER_PUBLIC = generateKeyPairSync("rsa", { modulusLength: 1024 })
  .publicKey.export({ format: "der", type: "spki" })
  .toString("base64");

const CASES: RuleCase[] = [
  {
    id: "sql-insert-credential",
    file: "db/seed.sql",
    found: [
      `INSERT INTO users (username, password) VALUES ('admin', '${rAdded(ALNUM, 14)}');`,
      `INSERT INTO \`settings\` (\`id\`, \`name\`, \`api_key\`) VALUES\n  (1, 'mail', NULL),\n  (2, 'stripe', '${rAdded(ALNUM, 24)}');`,
      // SQL Server's N'' and PostgreSQL's E'' strings; a row after another whose string ends
      // in a backslash (no escape in PostgreSQL).
      `INSERT INTO users (name, password) VALUES (N'admin', N'${rAdded(ALNUM, 14)}');`,
      `INSERT INTO users (name, password) VALUES ('a', E'${rAdded(ALNUM, 14)}');`,
      `INSERT INTO shares (id, path, token) VALUES (1, 'C:\\', 2);\nINSERT INTO users (id, name, password) VALUES (2, 'admin', '${rAdded(ALNUM, 14)}');`,
      // A typed password (a warning), and the clear text a row hands the database to hash.
      "INSERT INTO users (username, password) VALUES ('ravi', 'kondapally');",
      `INSERT INTO users (username, password) VALUES ('dave', MD5('${rAdded(ALNUM, 12)}'));`,
      `INSERT INTO users (username, passwd) VALUES ('e', PASSWORD('${rAdded(ALNUM, 12)}'));`,
    ],
    notFound: [
      // A digest in a password column, a hash's own column, a call, a weak seed password.
      `INSERT INTO users (username, password) VALUES ('admin', '${hexOf("md5-row")}');`,
      `INSERT INTO users (email, password_hash) VALUES ('a@example.com', '${rAdded(ALNUM, 14)}');`,
      "INSERT INTO users (username, password) VALUES ('admin', md5('admin'));",
      "INSERT INTO users (username, password) VALUES ('john_doe', 'password123');",
      // A locked account's mark; a hashing call over a column, not a string.
      "INSERT INTO users (username, password) VALUES ('nobody', 'disabled'), ('x', '!');",
      "INSERT INTO users (username, password) VALUES ('dave', MD5(CONCAT(salt, 'x')));",
      // Frameworks' hashes and ciphertext in password columns; cursors' and devices' tokens.
      "INSERT INTO auth_user (id, username, password) VALUES (1, 'admin', 'pbkdf2_sha256$260000$Qx8Lr2Zp$kq9vX2ZmT4Lr8Wn3Yp6Bc1Df5Gh7Jk0Mn');",
      "INSERT INTO auth_user (id, username, password) VALUES (1, 'admin', 'sha1$a1b2c$8843d7f92416211de9ebb963ff4ce28125932878');",
      "INSERT INTO mysql_user (user, password) VALUES ('app', '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B');",
      "INSERT INTO sessions (id, next_page_token, device_token) VALUES (1, 'CPDAlvWDx70CEPDAlvWDx70C', 'dQw4w9WgXcQAPA91bHu7Zx');",
    ],
  },
  {
    id: "haproxy-password",
    file: "haproxy.cfg",
    found: [
      `listen stats\n    stats enable\n    stats auth admin:${rAdded(ALNUM, 14)}  # the page's login`,
      `userlist admins\n    user ops insecure-password ${rAdded(ALNUM, 14)}`,
    ],
    notFound: [
      `    stats auth ${D}{STATS_USER}:${D}{STATS_PASSWORD}`,
      "    stats auth admin:admin",
      `    user ops password $6$${rAdded(ALNUM, 8)}$${rAdded(ALNUM, 43)}`,
    ],
  },
  {
    id: "msmtp-password",
    file: ".msmtprc",
    found: [
      `account gmail\nhost smtp.gmail.com\nuser me@gmail.com\npassword ${rAdded(ALNUM, 14)}`,
      // Commented out, it still held the account's password once.
      `#password ${rAdded(ALNUM, 14)}\npasswordeval gpg --decrypt ~/.mail.gpg`,
    ],
    notFound: ["passwordeval pass show mail/gmail", "# password is read from the keyring"],
  },
  {
    id: "sync-tool-password",
    file: "rsyncd.secrets",
    found: [`backup:${rAdded(ALNUM, 16)}`],
    notFound: ["backup:$RSYNC_PASSWORD", "# user:password"],
  },
  {
    id: "sync-tool-password",
    file: "etc/passwd-s3fs",
    found: [`mybucket:${rAdded(UPPER, 20)}:${rAdded(ALNUM, 40)}`],
    notFound: ["ACCESS_KEY_ID:SECRET_ACCESS_KEY"],
  },
  {
    id: "sync-tool-password",
    file: ".s3cfg",
    found: [`[default]\ngpg_passphrase = ${rAdded(ALNUM, 14)}`],
    notFound: ["gpg_passphrase = ", "gpg_command = /usr/bin/gpg"],
  },
  {
    id: "openweather-url-key",
    file: "lib/weather.dart",
    found: [
      `// https://api.openweathermap.org/data/2.5/weather\nfinal params = {'q': city, 'appid': '${hexOf("owm-map")}'};`,
    ],
    // Another service's app id (Agora's is 32 hex digits too).
    notFound: [`agora = {"appid": "${hexOf("agora-app")}"}`],
  },
  {
    id: "name-value-credential",
    file: "database/seeders/SettingsSeeder.php",
    found: [`['name' => 'smtp_password', 'value' => '${rAdded(ALNUM, 16)}'],`],
    notFound: ["['name' => 'smtp_password', 'value' => env('SMTP_PASSWORD')],"],
  },
  {
    id: "der-private-key",
    file: "config/alipay.php",
    found: [
      `'merchant_private_key' => "${DER_PKCS1}",`,
      `private-key: |\n  ${DER_PKCS8.match(/.{1,64}/g)?.join("\n  ")}\npublic-key: ${DER_PUBLIC}`,
      `{"key": "${DER_PKCS8.match(/.{1,64}/g)?.join("\\n")}"}`,
    ],
    notFound: [
      // Shortened in a guide; a public key.
      `'merchant_private_key' => "${DER_PKCS1.slice(0, 40)}...",`,
      `'alipay_public_key' => "${DER_PUBLIC}",`,
    ],
  },
  {
    // Drawn by @scure/bip39: checksum valid; with its last word changed, not.
    id: "bip39-recovery-phrase",
    file: "MEMORY.md",
    found: [
      "seed phrase: mosquito camp enroll liberty tackle strategy snow horse essence humble crack purpose",
    ],
    notFound: [
      "seed phrase: mosquito camp enroll liberty tackle strategy snow horse essence humble crack pudding",
    ],
  },
  {
    // A key cut off before its END line, indented in a comment.
    id: "private-key",
    file: "Keys.cs",
    found: [
      `/*\n        -----BEGIN RSA PRIVATE KEY-----\n        ${rAdded(B64, 60)}\n        ${rAdded(B64, 60)}\n*/`,
    ],
    notFound: [`/*\n        -----BEGIN RSA PRIVATE KEY-----\n        ${rAdded(B64, 30)}\n*/`],
  },
  {
    id: "qualified-label-credential",
    file: "MEMORY.md",
    found: [
      `Password for staging DB: ${rAdded(ALNUM, 10)}!`,
      `Admin password (prod): ${rAdded(ALNUM, 10)}!`,
      `Admin pw\t(prod): ${rAdded(ALNUM, 10)}!`,
      `Password for the NAS is ${rAdded(ALNUM, 10)}!`,
      `- **API key for the NAS** = ${rAdded(ALNUM, 20)}`,
      // The English word with another language's preposition, as Italian and French notes write it.
      `Password per il database: ${rAdded(ALNUM, 10)}!`,
    ],
    notFound: [
      "Password for your account: see 1Password",
      "Token for CI: stored-in-github-secrets",
      "Password for the admin user is required",
      "Password for the admin user: at least twelve characters",
    ],
  },
  {
    // Notes' passwords: after `pw is`, an em dash, a network's name.
    id: "generic-secret",
    file: "MEMORY.md",
    found: [
      `NAS root pw is ${rAdded(ALNUM, 10)}!`,
      `MySQL root password \u2014 ${rAdded(ALNUM, 10)}!`,
    ],
    notFound: ["`API_KEY` \u2014 your OpenAI key", "password \u2013 see the vault"],
  },
  {
    id: "labelled-user-password",
    file: "MEMORY.md",
    found: [
      `wifi: MyHomeNet / ${rAdded(ALNUM, 10)}!`,
      `- Bank login: user john.doe pw ${rAdded(ALNUM, 10)}!`,
    ],
    notFound: ["WiFi: Guest / see the fridge"],
  },
  {
    // A URL assigned to a credential's name: its query's credential is found on its own.
    id: "url-query-credential",
    file: "src/Auth.cs",
    found: [
      `string oauth = "https://graph.facebook.com/oauth/access_token?client_id=12345&client_secret=${rAdded(HEX, 29)}&grant_type=client_credentials";`,
      // A query encoded once more, as a log or a redirect parameter holds it.
      'log.Info("GET /cb?next=%2Fhome%26token%3Dh1d3Me4ch534d801sl3jdk%26v%3D3");',
    ],
    notFound: [
      'string oauth = "https://graph.facebook.com/oauth/access_token?client_id=12345";',
      'log.Info("GET /cb?next=%2Fhome%26token%3DYOUR_TOKEN%26v%3D3");',
      "https://maps.googleapis.com/maps/api/js?key=YOUR_API_KEY&callback=initMap",
      "https://site/page?sort_key=created_at_desc_order",
    ],
  },
  {
    // A string on the line after `(` or a backslash (black's long-line style, a continuation).
    id: "generic-secret",
    file: "settings.py",
    found: [
      `PASSWORD = (\n    "${rAdded(ALNUM, 12)}!"\n)`,
      `api_key = \\\n    "${rAdded(ALNUM, 20)}"`,
    ],
    notFound: ["password = (\n    get_password()\n)", 'token = (\n    "abc" + suffix\n)'],
  },
  {
    id: "signing-call-key",
    file: "src/auth.js",
    found: [
      `const token = jwt.sign({ sub: user.id }, '${rAdded(ALNUM, 18)}', { expiresIn: '1h' });`,
      `token = jwt.encode(payload, '${rAdded(ALNUM, 18)}', algorithm='HS256')`,
      `Algorithm algorithm = Algorithm.HMAC256("${rAdded(ALNUM, 18)}");`,
      `Jwts.builder().signWith(SignatureAlgorithm.HS256, "${rAdded(ALNUM, 18)}").compact();`,
      `tokenString, err := token.SignedString([]byte("${rAdded(ALNUM, 18)}"))`,
      `mac := hmac.New(sha256.New, []byte("${rAdded(ALNUM, 18)}"))`,
      `sig = hmac.new(b"${rAdded(ALNUM, 18)}", msg, hashlib.sha256)`,
      `crypto.createHmac('sha256', '${rAdded(ALNUM, 18)}').update(body)`,
      `new SecretKeySpec("${rAdded(ALNUM, 18)}".getBytes(), "HmacSHA256")`,
      `$jwt = JWT::encode($payload, '${rAdded(ALNUM, 18)}', 'HS256');`,
      `Jwts.builder().signWith(Keys.hmacShaKeyFor("${rAdded(ALNUM, 40)}".getBytes())).compact();`,
      // The arguments on lines of their own.
      'const token = jwt.sign(\n  { sub: user.id },\n  "q8ZxT2vLm9RkPw4sQ7wZ",\n  { expiresIn: "1h" },\n);',
    ],
    notFound: [
      "jwt.sign(payload, process.env.JWT_SECRET)",
      'jwt.sign(\n  { sub: user.id },\n  process.env.JWT_SECRET,\n  { expiresIn: "1h" },\n);',
      "jwt.verify(token, 'secret')",
      'jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256"])',
    ],
  },
  {
    // `pw` inside a drawn value is no name.
    id: "generic-secret",
    file: "src/app.py",
    found: [`var jwtKey = []byte("${rAdded(ALNUM, 18)}")`, `adminPw = "${rAdded(ALNUM, 12)}!"`],
    notFound: [
      `ids = ['a8Pw2k', '${rAdded(ALNUM, 10)}']`,
      `jwt_claims(payload, 'q8ZrT2mVx9LpW4kN', algorithm='HS256')`,
    ],
  },
  {
    id: "maven-encrypted-password",
    file: "settings.xml",
    found: [`<password>{[name=master,version=4.0]${rAdded(B64, 28)}=}</password>`],
    notFound: ["<password>{[name=master]}</password>"],
  },
  {
    id: "android-build-config-secret",
    file: "build.gradle.kts",
    found: [
      `buildConfigField(type = "String", name = "API_KEY", value = "\\"${rAdded(ALNUM, 20)}\\"")`,
    ],
    notFound: ['buildConfigField(type = "String", name = "API_URL", value = "\\"https://x\\"")'],
  },
  {
    id: "generic-secret",
    file: "CMakeLists.txt",
    found: [`set(ENV{API_KEY} "${rAdded(ALNUM, 20)}")`],
    notFound: [`set(ENV{API_KEY} "${D}{SOME_VAR}")`],
  },
  {
    id: "host-credentials",
    file: "notes.md",
    found: [`ssh root:${rAdded(ALNUM, 10)}!@[fd00::5]`],
    notFound: ["see [1] and user:abc@[2]"],
  },
  {
    // A key or a token named in a note's words: only a clearly random value.
    id: "generic-secret",
    file: "MEMORY.md",
    found: [
      `- Staging API key ${rAdded(ALNUM, 20)}`,
      `The API key is ${rAdded(ALNUM, 20)}.`,
      `the token is ${rAdded(ALNUM, 20)}`,
    ],
    notFound: [
      "API key rotation happens monthly",
      "The API key is stored in Vault.",
      "the token is XMLHttpRequestFactory2",
      `the key is ${rAdded(ALNUM, 20)}`,
    ],
  },
  {
    id: "labelled-user-password",
    file: "TOOLS.md",
    found: [
      `credentials admin / ${rAdded(ALNUM, 10)}!`,
      `router login admin/${rAdded(ALNUM, 10)}!`,
    ],
    notFound: [
      "login page/index.html",
      "Use the login screen/v2 flow",
      "credentials username/password",
      "See login docs/2024 release",
    ],
  },
  {
    // Command lines and settings other scanners' examples hold.
    id: "cli-password-flag",
    file: "deploy.sh",
    found: [
      `rabbitmqctl add_user admin ${rAdded(ALNUM, 12)}`,
      `rabbitmqctl change_password admin ${rAdded(ALNUM, 12)}`,
    ],
    notFound: ["rabbitmqctl add_user admin $RABBIT_PASSWORD", "rabbitmqctl list_users"],
  },
  {
    // A Logic App's trigger URL carries its key, in the URL or given apart near the trigger's path.
    id: "azure-logic-app-signature",
    file: "trigger.py",
    found: [
      `URL = "https://prod-27.westeurope.logic.azure.com:443/workflows/${rAdded(HEX, 32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${rAdded(B64URL, 40)}"`,
      `url = "https://x.azurewebsites.net:443/api/wf/triggers/When_a_HTTP_request_is_received/invoke"\nparams = {'sv': '1.0', 'sig': '${rAdded(B64URL, 40)}'}`,
    ],
    notFound: [
      `params = {'sv': '1.0', 'sig': '${rAdded(B64URL, 40)}'}`,
      'URL = "https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sv=1.0&sig=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
    ],
  },
  {
    id: "rails-master-key",
    file: "config/master.key",
    found: [`${rAdded(HEX, 32).slice(3)}`],
    notFound: ["not a key at all, a sentence of words"],
  },
  {
    id: "zigbee-network-key",
    file: "zigbee2mqtt/configuration.yaml",
    found: [
      "advanced:\n  network_key:\n    - 166\n    - 11\n    - 172\n    - 6\n    - 93\n    - 171\n    - 192\n    - 176\n    - 98\n    - 223\n    - 15\n    - 94\n    - 209\n    - 145\n    - 134\n    - 116\n  pan_id: 36961",
      "advanced:\n  network_key: [12, 201, 55, 7, 99, 141, 13, 150, 0, 22, 4, 66, 8, 10, 120, 3]",
    ],
    notFound: [
      "advanced:\n  network_key: GENERATE",
      // Zigbee2MQTT's documented example key.
      "advanced:\n  network_key: [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]",
      "advanced:\n  ext_pan_id: [221, 221, 221, 221, 221, 221, 221, 221]",
    ],
  },
  {
    id: "naver-searchad-access-license",
    file: ".env.local",
    found: [`NAVER_API_KEY=0100000000${rAdded(HEX, 64).slice(3)}`],
    notFound: [`NAVER_API_KEY=0100000000${"0".repeat(64)}`, "NAVER_API_KEY=01000000000abcd..."],
  },
  {
    // Drawn by @scure/bip39 (the phrase of bip39-recovery-phrase's case), and a keypair of
    // RFC 8032's first test (its secret key, then its public key); a number changed, neither.
    id: "wallet-secret-file",
    file: ".secret",
    wholeFile: true,
    found: [
      "mosquito camp enroll liberty tackle strategy snow horse essence humble crack purpose\n",
      `[${[...Buffer.from(RFC8032_KEYPAIR, "hex")].join(",")}]`,
    ],
    notFound: [
      "mosquito camp enroll liberty tackle strategy snow horse essence humble crack pudding\n",
      `[${[...Buffer.from(RFC8032_KEYPAIR.replace(/a$/, "b"), "hex")].join(",")}]`,
      "test test test test test test test test test test test junk\n",
    ],
  },
  {
    // Compact JWE: header, encrypted key, IV, ciphertext and tag.
    id: "jwe",
    found: [
      `authToken: ${b64url('{"alg":"RSA-OAEP","enc":"A256GCM"}')}.${rAdded(B64URL, 340)}.${rAdded(B64URL, 16)}.${rAdded(B64URL, 400)}.${rAdded(B64URL, 22)}`,
    ],
    notFound: [],
  },
  {
    // Cisco IOS: a terminal line's password, a key chain's key-string, an IKE peer's key.
    id: "cisco-line-credential",
    file: "configs/R1.cfg",
    found: [
      `line vty 0 4\n password ${rAdded(ALNUM, 12)}\n login`,
      `key chain uplink\n key 1\n  key-string ${rAdded(ALNUM, 14)}`,
      `crypto isakmp key ${rAdded(ALNUM, 16)} address 192.0.2.7`,
    ],
    notFound: ["key chain uplink\n key 1\n  key-string 6 ABCDEFGHIJKLMNOP"],
  },
  {
    // An Android build's signing passwords in the properties file it reads them from, typed
    // ones too, under names with a suffix (`storePassword1`).
    id: "android-signing-properties-password",
    file: "android/keystore.properties",
    wholeFile: true,
    found: [
      `storePassword=${rAdded(ALNUM, 14)}\nkeyAlias=upload\n`,
      "storePassword1=livemmbro\nkeyPassword1=livemmbro\n",
    ],
    notFound: [
      "storePassword=debugpassword\nkeyAlias=androiddebugkey\n",
      `storePassword=xyz\nkeyPassword=${D}{STORE_PASSWORD}\n`,
    ],
  },
  {
    // Laravel Sanctum's `id|token`, in a saved request's bearer field; a table's cells are not.
    id: "laravel-sanctum-token",
    file: "thunder-tests/thunderclient.json",
    found: [`"bearer": "4|${rAdded(ALNUM, 40)}"`],
    notFound: ["| 4|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa |", "| 4|Bearer token of the user |"],
  },
  {
    // pppd's chap-secrets: client, server, secret, addresses.
    id: "ppp-secret",
    file: "etc/ppp/chap-secrets",
    wholeFile: true,
    found: [`# client\tserver\tsecret\tIP addresses\nalice\tl2tpd\t${rAdded(ALNUM, 12)}\t*\n`],
    notFound: ["# client\tserver\tsecret\tIP addresses\nalice\tl2tpd\t*\t*\n"],
  },
  {
    // OpenVPN's auth-user-pass file: the user, then the password.
    id: "vpn-login-file",
    file: "vpn/auth.txt",
    wholeFile: true,
    found: [`vpnuser42\n${rAdded(ALNUM, 16)}\n`],
    notFound: ["username\npassword\n"],
  },
  {
    id: "keepalived-auth-pass",
    file: "keepalived.conf",
    found: [`authentication {\n    auth_type PASS\n    auth_pass ${rAdded(ALNUM, 5)}\n}`],
    notFound: ["authentication {\n    auth_type PASS\n    auth_pass 1111\n}"],
  },
  {
    id: "radius-client-secret",
    file: "clients.conf",
    found: [`client 192.0.2.9 {\n\tsecret = ${rAdded(ALNUM, 14)}\n\tshortname = nas\n}`],
    notFound: ["client localhost {\n\tsecret = testing123\n}"],
  },
  {
    id: "wifi-network-key",
    file: "etc/config/wireless",
    found: [
      `config wifi-iface 'default_radio0'\n\toption ssid 'Home'\n\toption encryption 'psk2'\n\toption key '${rAdded(ALNUM, 12)}'`,
      `interface WifiMaster0/AccessPoint0\n authentication wpa-psk ${rAdded(ALNUM, 12)}`,
    ],
    notFound: [`config wifi-iface\n\toption encryption 'wep'\n\toption key '${rAdded(ALNUM, 12)}'`],
  },
  {
    id: "openvpn-tls-crypt-v2-key",
    found: [
      `<tls-crypt-v2>\n-----BEGIN OpenVPN tls-crypt-v2 client key-----\n${rAdded(B64, 61)}\n${rAdded(B64, 61)}\n-----END OpenVPN tls-crypt-v2 client key-----\n</tls-crypt-v2>`,
    ],
    notFound: [
      `-----BEGIN OpenVPN tls-crypt-v2 client key-----\n${"A".repeat(64)}\n-----END OpenVPN tls-crypt-v2 client key-----`,
    ],
  },
  {
    // Debian's preseed answers and debconf selections of type `password`; not a crypted one.
    id: "debconf-password",
    file: "http/preseed.cfg",
    found: [
      `d-i passwd/root-password password ${rAdded(ALNUM, 12)}`,
      `debconf-set-selections <<< "mysql-server mysql-server/root_password password ${rAdded(ALNUM, 12)}"`,
    ],
    notFound: ["d-i passwd/root-password-crypted password $6$salt$hashhashhash"],
  },
  {
    // Kickstart's root and user passwords in plain text; not `--iscrypted` hashes.
    id: "kickstart-password",
    file: "ks.cfg",
    found: [
      `rootpw --plaintext ${rAdded(ALNUM, 12)}`,
      `user --name=ops --groups=wheel --password=${rAdded(ALNUM, 12)}`,
    ],
    notFound: ["rootpw --iscrypted $6$abc$def", "user --name=ops --password=$6$abc --iscrypted"],
  },
  {
    // cloud-init's chpasswd list; `RANDOM` asks cloud-init to draw one.
    id: "cloud-init-chpasswd",
    file: "user-data",
    found: [`#cloud-config\nchpasswd:\n  list: |\n    root:${rAdded(ALNUM, 12)}\n  expire: False`],
    notFound: ["#cloud-config\nchpasswd:\n  list: |\n    root:RANDOM\n  expire: False"],
  },
  {
    // Joomla's configuration.php: the site secret it draws and the passwords typed into it.
    id: "joomla-config-secret",
    file: "configuration.php",
    found: [
      `class JConfig {\n\tpublic $secret = '${rAdded(ALNUM, 13)}';\n}`,
      `class JConfig {\n\tpublic $password = '${rAdded(ALNUM, 12)}';\t// DB password\n}`,
    ],
    notFound: [
      "class JConfig {\n\tpublic $secret = 'ChangeThisSecret';\n\tpublic $password = '';\n}",
    ],
  },
  {
    // Magento 1's local.xml crypt key, in CDATA or not.
    id: "magento-crypt-key",
    file: "app/etc/local.xml",
    found: [`<crypt>\n    <key><![CDATA[${hexOf("magento-crypt")}]]></key>\n</crypt>`],
    notFound: ["<crypt>\n    <key><![CDATA[{{key}}]]></key>\n</crypt>"],
  },
  {
    // Postfix's SASL password map: a bracketed relay anywhere, a bare relay in the map itself.
    id: "postfix-sasl-password",
    file: "etc/postfix/sasl_passwd",
    found: [
      `[smtp.gmail.com]:587 relay.bot@gmail.com:${rAdded(ALNUM, 14)}`,
      `smtp.office365.com:587 ops@corp.test:${rAdded(ALNUM, 12)}!`,
    ],
    notFound: ["[smtp.gmail.com]:587 user@gmail.com:password", "# [relay]:port user:pass"],
  },
  {
    // A setup script echoing the map's line, the relay in brackets.
    id: "postfix-sasl-password",
    file: "setup-mail.sh",
    found: [
      `echo "[smtp.sendgrid.net]:587 apikey:${rAdded(ALNUM, 20)}" > /etc/postfix/sasl_passwd`,
    ],
    notFound: [`smtp.example.net:25 someone:${rAdded(ALNUM, 12)}`],
  },
  {
    // fetchmail's entries: quoted or bare, `pass` or `password`; in another file only a poll line.
    id: "fetchmail-password",
    file: ".fetchmailrc",
    found: [
      `poll pop.gmail.com proto pop3\n  user "relay.bot@gmail.com"\n  pass "${rAdded(ALNUM, 12)}" is "bot" here`,
      `poll mail.corp.test protocol imap user "ops@corp.test" ssl password ${rAdded(ALNUM, 10)}`,
    ],
    notFound: ['poll pop.example.com user "me" password "yourpassword"'],
  },
  {
    id: "fetchmail-password",
    file: "notes.md",
    found: [`poll imap.corp.test protocol imap user "ops" password "${rAdded(ALNUM, 12)}"`],
    notFound: ["The team poll says password rotation is overdue."],
  },
  {
    // yt-dlp's cookies.txt (curl's HttpOnly prefix too); an analytics and a consent cookie.
    id: "cookie-file-session",
    file: "cookies.txt",
    found: [
      `.youtube.com\tTRUE\t/\tTRUE\t1800000000\t__Secure-3PSID\tg.a000${rAdded(B64URL, 60)}`,
      `#HttpOnly_.example.com\tTRUE\t/\tFALSE\t0\tsessionid\t${rAdded(ALNUM, 32)}`,
      `localhost\tFALSE\t/\tFALSE\t0\tJSESSIONID\t${hexOf("jsession").toUpperCase()}`,
    ],
    notFound: [
      `.example.com\tTRUE\t/\tFALSE\t1800000000\t_ga\tGA1.1.${rAdded(DIGITS, 10)}.${rAdded(DIGITS, 10)}`,
      ".youtube.com\tTRUE\t/\tTRUE\t1800000000\tSOCS\tCAI",
    ],
  },
  {
    // JetBrains' HTTP client's cookie jar: domain, path, name, value, expiry.
    id: "cookie-file-session",
    file: ".idea/httpRequests/http-client.cookies",
    wholeFile: true,
    found: [
      `# domain\tpath\tname\tvalue\tdate\nlocalhost\t/\tJSESSIONID\t${hexOf("jb-session").toUpperCase()}\t-1\n`,
    ],
    notFound: [
      "# domain\tpath\tname\tvalue\tdate\n192.168.0.2\t/\tRememberMe\t\tTue, 04-Mar-2025 22:32:48\n",
    ],
  },
  {
    // A Source or SA-MP server.cfg line, commented out or not; a stand-in and a cvar's help.
    id: "game-server-password",
    file: "cfg/server.cfg",
    found: [
      `rcon_password "${hexOf("rcon").slice(0, 10)}"`,
      `//rcon_password ${hexOf("sa-mp").slice(0, 12)}Q`,
    ],
    notFound: [
      'rcon_password "changeme"',
      "rcon_password Changethis",
      'sv_password ""  // no password',
    ],
  },
  {
    id: "web3-project-id",
    file: "secrets.json",
    found: [`{"mnemonic": "\${MNEMONIC}", "projectId": "${hexOf("infura")}"}`],
    notFound: [`{"projectId": "${hexOf("firebase")}", "appId": "1:2:web:3"}`],
  },
  {
    // A file named for a credential, holding one drawn value alone.
    id: "bare-credential-file",
    file: ".git-credentials",
    wholeFile: true,
    found: [`${rAdded(ALNUM, 40)}\n`],
    notFound: ["https://user:token@github.com\n", "YOUR_PERSONAL_ACCESS_TOKEN_GOES_HERE\n"],
  },
  {
    id: "firefox-saved-password",
    file: "logins.json",
    found: [
      `{"hostname": "https://github.com", "encryptedUsername": "MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECD${rAdded(B64, 40)}", "encryptedPassword": "MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECD${rAdded(B64, 48)}"}`,
    ],
    notFound: ['{"encryptedPassword": ""}'],
  },
  {
    id: "azure-bot-framework-secret",
    file: "chat.html",
    found: [
      `xhr.setRequestHeader('Authorization', 'BotConnector ' + '${rAdded(B64URL, 8)}.${rAdded(B64URL, 40)}');`,
      `<iframe src='https://webchat.botframework.com/embed/HelpBot?s=${rAdded(B64URL, 8)}.${rAdded(B64URL, 40)}'></iframe>`,
    ],
    notFound: ["<iframe src='https://webchat.botframework.com/embed/HelpBot?s=YOUR_SECRET_HERE'>"],
  },
  {
    id: "openweather-url-key",
    file: "weather.py",
    found: [
      `url = "https://api.openweathermap.org/data/2.5/weather?q={}&units=metric&appid=${rAdded(HEX, 32).slice(3)}"`,
      `const appId = "&appid=${rAdded(HEX, 32).slice(3)}";`,
    ],
    notFound: ['url = "https://api.openweathermap.org/data/2.5/weather?q={}&appid={API_KEY}"'],
  },
  {
    // A long token in an element (an Artifactory access token is several hundred characters).
    id: "xml-tag-credential",
    file: "access.config.xml",
    found: [`<adminToken>${rAdded(B64URL, 300)}.${rAdded(B64URL, 400)}</adminToken>`],
    notFound: [`<adminToken>${D}{ADMIN_TOKEN}</adminToken>`],
  },
  {
    // ClickHouse's users.xml: a password's hash is no password.
    id: "xml-tag-credential",
    file: "clickhouse/users.xml",
    found: [`<password>${rAdded(ALNUM, 16)}</password>`],
    notFound: [
      `<password_sha256_hex>${hexOf("clickhouse")}${hexOf("clickhouse-2")}</password_sha256_hex>`,
      `<password_double_sha1_hex>${hexOf("clickhouse-3").slice(0, 40)}</password_double_sha1_hex>`,
    ],
  },
  {
    // An app's string resources: drawn hex of a key's length under a key's name is its API key.
    id: "name-value-credential",
    file: "app/src/main/res/values/api_keys.xml",
    found: [
      `<string name="strava_key">${hexOf("strava")}${hexOf("strava-2").slice(0, 8)}</string>`,
    ],
    notFound: [`<string name="cache_key">${hexOf("cache")}</string>`],
  },
  {
    id: "azure-event-grid-signature",
    file: "client.http",
    found: [
      `Authorization: SharedAccessSignature r=https%3a%2f%2ftopic.westeurope-1.eventgrid.azure.net%2fapi%2fevents&e=1%2f1%2f2030+12%3a02%3a52+AM&s=${rAdded(B64, 42)}%3d`,
    ],
    notFound: [
      "Authorization: SharedAccessSignature r=https%3a%2f%2ftopic.eventgrid.azure.net%2fapi%2fevents&e=1%2f1%2f2030&s=<signature>",
    ],
  },
  {
    // wp-config.php: the keys and salts of WordPress's generator (any printable character but
    // quotes and backslash) and the database password, whatever brackets or `$` they hold.
    id: "wordpress-config-secret",
    file: "wp-config.php",
    found: [
      `define( 'AUTH_KEY',         '${rAdded(`${ALNUM}!@#$%^&*()-_ []{}<>~\`+=,.;:/?|`, 64)}' );`,
      `define('NONCE_SALT', '${rAdded(`${ALNUM}!@#$%^&*()-_ []{}<>~\`+=,.;:/?|`, 64)}');`,
      `define( 'DB_PASSWORD', '${D}${rAdded(ALNUM, 12)}}' );`,
      // Keys an installer drew as hex.
      `define( 'LOGGED_IN_SALT',   '${rAdded(HEX, 40).slice(3)}');`,
    ],
    notFound: [
      "define( 'AUTH_KEY',         'put your unique phrase here' );",
      "define( 'DB_PASSWORD', 'password_here' );",
      "define( 'DB_PASSWORD', 'changeme' );",
      "define('SECURE_AUTH_SALT', 'short');",
      `define('AUTH_KEY', '${D}{random_password.wp_auth_key.result}');`,
      "define('LOGGED_IN_SALT', '{{ wordpress_logged_in_salt_from_vault }}');",
      "define('NONCE_KEY', '<%= @wordpress_nonce_key_value %>');",
      "define('DB_PASSWORD', '__DB_PASSWORD__');",
      "define('DB_PASSWORD', 'database_password');",
      `define('DB_PASSWORD', '${D}DB_PASSWORD');`,
      "define('NONCE_SALT', 'Copy from https://api.wordpress.org/secret-key/1.1/salt/');",
      "define('LOGGED_IN_SALT', 'dummy-salt-for-the-ci-runner-0123456789abcdefghijklmnopqr');",
      "define('AUTH_SALT', 'This is a fake key for local development only!!');",
      // The object cache's key prefix, no secret.
      "define('WP_CACHE_KEY_SALT', 'www.my-company-website.co.uk_production:');",
    ],
  },
  {
    id: "npmrc-auth",
    file: "deploy.sh",
    found: [`npm config set //registry.npmjs.org/:_authToken ${rAdded(ALNUM, 30)}`],
    notFound: ["npm config set //registry.npmjs.org/:_authToken $NPM_TOKEN"],
  },
  {
    id: "curl-user-password",
    file: "deploy.sh",
    found: [`curl -u deploy:${rAdded(ALNUM, 12)} https://ci.internal/api`],
    notFound: [`az login --service-principal -u http://app -p "$SP_SECRET" --tenant t`],
  },
  {
    id: "generic-secret",
    file: "config.yaml",
    found: [`secret: !!binary ${Buffer.from(rAdded(ALNUM, 24)).toString("base64")}`],
    notFound: ["secret: !!binary"],
  },
  {
    // C and C++ declarations: arrays, direct and brace initialisation.
    id: "generic-secret",
    file: "src/config.cpp",
    found: [
      `char password[] = "${rAdded(ALNUM, 17)}";`,
      `static char api_key[32] = "${rAdded(ALNUM, 17)}";`,
      `std::string secret("${rAdded(ALNUM, 17)}");`,
      `const std::string kApiKey{"${rAdded(ALNUM, 17)}"};`,
    ],
    notFound: [
      "std::string token(buffer);",
      `auto x = token("${rAdded(ALNUM, 17)}");`,
      "* `key` {string|ArrayBuffer|Buffer|TypedArray|DataView|KeyObject|CryptoKey}",
      'char buf[256] = "some ordinary text";',
    ],
  },
  {
    // Any element naming a credential setting, in either attribute order or with text.
    id: "xml-setting-credential",
    file: "phpunit.xml",
    found: [
      `<env name="DB_PASSWORD" value="${rAdded(ALNUM, 17)}"/>`,
      `<server name="API_SECRET" value="${rAdded(ALNUM, 17)}" force="true"/>`,
      `<property value="${rAdded(ALNUM, 17)}" name="password"/>`,
      `<sometag name="the_password">${rAdded(ALNUM, 17)}</sometag>`,
      `<add key="DbPassword" value="${rAdded(ALNUM, 8)}'s${rAdded(ALNUM, 6)}"/>`,
      `<property value='${rAdded(ALNUM, 17)}' name='password'/>`,
    ],
    notFound: [
      '<env name="DB_PASSWORD" value="secret"/>',
      // A template's variable (nuget.config.tpl).
      '<add key="ClearTextPassword" value="GH_PKGS_TOKEN" />',
      '<field name="password" type="string" value="text"/>',
      '<input name="password" value="{{ password }}"/>',
      `<param name="password_length" value="${rAdded(ALNUM, 17)}"/>`,
      `<button name="token" value="${rAdded(ALNUM, 17)}">`,
    ],
  },
  {
    id: "settings-file-password",
    file: "config/app.properties",
    found: [
      "spring.datasource.password=CorrectHorseBatteryStaple",
      "  - password: MonkeyBusinessRules",
      "db.password = MonkeyBusinessRules # production",
      "admin_pass: tigerlilymoonrise",
      'ENV DB_PASSWORD="OrangeTigerJumps42"',
    ],
    notFound: [
      "password: PlainText",
      "sasl_password: ScramSha",
      "password = RandomString",
      "admin_password = GeneratedAtStartup",
      "pwd: WorkingDirectory",
      "reset_password: ResetInstructions",
      "password=Required",
      "password: FromEnvironment",
      "password=YourPasswordHere",
      "password=yourpasswordhere",
      "password=changeit",
      "password_policy=StrongPasswords",
      "password=DB_PASSWORD",
      "password=keychain",
    ],
  },
  {
    // Supabase's anon key (PostgREST's anonymous role) ships to every browser; its
    // service_role key does not.
    id: "jwt",
    file: ".env",
    found: [
      `SUPABASE_SERVICE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from('{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"service_role","iat":1763198119}').toString("base64url")}.${rAdded(B64URL, 43)}`,
    ],
    notFound: [
      `SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from('{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"anon","iat":1763198119}').toString("base64url")}.${rAdded(B64URL, 43)}`,
    ],
  },
  {
    id: "html-table-credential-column",
    file: "README.md",
    found: [
      `<table><tr><th>Host</th><th>Password</th></tr>\n<tr><td>vps</td><td>${rAdded(ALNUM, 14)}</td></tr></table>`,
    ],
    notFound: [
      "<table><tr><th>Field</th><th>Description</th></tr><tr><td>password</td><td>The account's password</td></tr></table>",
      "<table><tr><th>Host</th><th>Password</th></tr><tr><td>vps</td><td>changeme</td></tr></table>",
    ],
  },
  {
    id: "secrets-yaml-value",
    file: "esphome/secrets.yaml",
    found: [`furnace_ota: "${rAdded(HEX, 32).slice(3)}"`, `powermeter_api: ${rAdded(B64URL, 43)}=`],
    notFound: [
      'wifi_ssid: "MyHomeNetwork"',
      "latitude: 52.3731",
      `node_id: ${rAdded(HEX, 32).slice(3)}`,
      'ha_url: "https://hass.local:8123/api/x"',
      'ota_password: "change_me_later"',
    ],
  },
  {
    // The same line in any other YAML file: a setting, not a credential's name.
    id: "secrets-yaml-value",
    file: "config.yaml",
    found: [],
    notFound: [`furnace_ota: "${rAdded(HEX, 32).slice(3)}"`],
  },
  {
    // The same line in code assigns a variable.
    id: "settings-file-password",
    file: "src/app.py",
    found: [],
    notFound: ["password = CorrectHorseBatteryStaple"],
  },
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
    id: "aws-ssm-secure-string",
    file: "main.tf",
    found: [
      `resource "aws_ssm_parameter" "db" {\n  type  = "SecureString"\n  value = "${r(ALNUM, 12)}!${r(ALNUM, 4)}"\n}`,
    ],
    notFound: [
      'resource "aws_ssm_parameter" "db" {\n  type  = "SecureString"\n  value = var.db_password\n}',
    ],
  },
  {
    id: "github-pat",
    found: [
      `GITHUB_TOKEN=${withGitHubChecksum("ghp_", r(ALNUM, 30))}`,
      `token \`${withGitHubChecksum("ghp_", r(ALNUM, 30))}\``,
    ],
    notFound: ["ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_...", `ghp_${r(ALNUM, 20)}`],
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
    found: [
      `sk-ant-api03-${r(B64URL, 93)}AA`,
      `sk-ant-admin01-${r(B64URL, 93)}AA`,
      `sk-ant-sid01-${r(B64URL, 93)}AA`,
    ],
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
    id: "discord-bot-token",
    found: [`${b64url(`1${r(DIGITS, 17)}`)}.${r(B64URL, 6)}.${r(B64URL, 38)}`],
    notFound: [`${b64url(`user-${r(LOWER, 13)}`)}.${r(B64URL, 6)}.${r(B64URL, 38)}`],
  },
  {
    id: "telegram-bot-token",
    found: [
      `TELEGRAM_BOT_TOKEN=1${r(DIGITS, 9)}:AA${r(B64URL, 33)}`,
      `https://api.telegram.org/bot1${r(DIGITS, 9)}:AA${r(B64URL, 33)}/sendMessage`,
    ],
    notFound: [
      "123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "time 12:30",
      `robot1${r(DIGITS, 9)}:AA${r(B64URL, 33)}`,
    ],
  },
  {
    id: "jwt",
    found: [
      `Authorization: Bearer ${jwt({ alg: "HS256", typ: "JWT" })}`,
      // A header written pretty-printed: `{ "typ" : …`, `{` and a new line.
      `token = ${b64url('{ "typ" : "JWT", "alg" : "HS256" }')}.${jwt({}).split(".").slice(1).join(".")}`,
      `${b64url('{\n  "alg": "RS256"\n}')}.${jwt({}).split(".").slice(1).join(".")}`,
    ],
    notFound: [jwt({ typ: "JWT" }), "eyJhbGciOi..."],
  },
  {
    id: "private-key",
    found: [
      pem("RSA PRIVATE KEY"),
      pem("OPENSSH PRIVATE KEY"),
      pem("PRIVATE KEY").replace(/\n/g, "\\n"),
      // Cut off before its END line (pasted into an issue).
      `-----BEGIN RSA PRIVATE KEY-----\n${rOwn(B64, 64)}\n${rOwn(B64, 64)}\n${rOwn(B64, 64)}\n`,
      `private_key: "-----BEGIN RSA PRIVATE KEY-----\\n${rOwn(B64, 64)}\\n"`,
    ],
    notFound: [
      "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
      `-----BEGIN RSA PRIVATE KEY-----\n${rOwn(B64, 64)}\n...\n`,
      `-----BEGIN RSA PRIVATE KEY-----\n${rOwn(B64, 44)}\n`,
      'if (line === "-----BEGIN RSA PRIVATE KEY-----") {',
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
    ],
  },
  {
    id: "generic-secret",
    found: [
      `ENV["API_TOKEN"] = "${r(ALNUM, 24)}"`,
      `os.environ['SECRET_KEY'] = '${r(ALNUM, 24)}'`,
      `SECRET = b"${r(ALNUM, 24)}"`,
      `var apiToken string = "${r(ALNUM, 24)}"`,
      `api_token ::= "${r(ALNUM, 24)}"`,
      `authToken <- "${r(ALNUM, 24)}"`,
      `api_key = "${r(ALNUM, 32)}"`,
      `SECRET_TOKEN=${r(ALNUM, 24)}`,
      `"clientSecret": "${r(B64URL, 40)}"`,
      `password: '${r(`${ALNUM}!@#%`, 20)}'`,
      `:password       => '${r(LOWER, 5)}${r(DIGITS, 4)}',`,
      `<password>${r(ALNUM, 16)}</password>`
        .replace("<password>", "password = '")
        .replace("</password>", "'"),
      `config.put("password", "${r(ALNUM, 14)}");`,
      `setPassword("${r(ALNUM, 14)}")`,
      `psql --password ${r(ALNUM, 18)}`,
      `client_secret := "${r(ALNUM, 32)}"`,
      `session_secret = "${r(ALNUM, 24)}"`,
      `adminPass := "${r(ALNUM, 16)}"`,
      `private readonly apiToken: string = "${r(ALNUM, 24)}";`,
      `const DB_PASSWORD: &str = "${r(ALNUM, 16)}";`,
      `public string ClientSecret { get; set; } = "${r(ALNUM, 24)}";`,
      `dataSource.setPassword("${r(ALNUM, 14)}");`,
      `#define API_SECRET "${r(ALNUM, 24)}"`,
      `set -gx GITEA_TOKEN ${r(ALNUM, 32)}`,
      `@api_token "${rOwn(ALNUM, 24)}"`,
      `(def api-token "${rOwn(ALNUM, 24)}")`,
      `api_token = '''${rOwn(ALNUM, 24)}'''`,
      `set "API_TOKEN=${rOwn(ALNUM, 24)}"`,
      `RUN echo "API_TOKEN=${rOwn(ALNUM, 24)}" >> .env`,
      `NSString *apiToken = @"${rOwn(ALNUM, 24)}";`,
      `Dim apiToken As String = "${rOwn(ALNUM, 24)}"`,
      `ENV API_TOKEN ${rOwn(ALNUM, 24)}`,
      `val apiToken: String? = "${rOwn(ALNUM, 24)}"`,
      `API_TOKEN: Final[str] = "${rOwn(ALNUM, 24)}"`,
      `body = "{\\"api_token\\": \\"${rOwn(ALNUM, 24)}\\"}"`,
      `setenv API_TOKEN ${rOwn(ALNUM, 24)}`,
      `setx API_TOKEN "${rOwn(ALNUM, 24)}"`,
      `Run \`API_TOKEN=${r(ALNUM, 24)} make deploy\` once.`,
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
      "Pass `--force` after reviewing the source.",
      'auth: { mode: "password", password: "replace-me" },',
      "names ending in `_API_KEY`, `_TOKEN`, `_PASSWORD`, `_PRIVATE_KEY` or `_SECRET`",
      "getCredentialValue: (fetchConfig) => fetchConfig?.acme?.apiKey,",
      "token: Type.Optional(Type.String()),",
      '"token": "base64url-token"',
      "- `channels.talk.apiPassword`: API/app password for room lookups.",
      `password = os.getenv("DB_PASSWORD")`,
      `maxTokens = "${r(ALNUM, 16)}"`,
      `private readonly tokenUrl: string = "https://auth.example.com/${r(ALNUM, 12)}";`,
      "#define PASSWORD_MIN_LENGTH 12",
      "Set `PASSWORD: value` in the form.",
      'log("password=" + password)',
      'echo "API_TOKEN=changeme" >> .env',
      "@spec token(String.t()) :: String.t()",
      `export DATABASE_PASSWORD="'${D}PRECOMPILE_PASSWORD'"`,
      'sb.append("MasterUserPassword: " + getMasterUserPassword());',
      'this.addPassword = "#add-password";',
      "max_tokens: 4096",
      `public_key: AAAAC3NzaC1lZDI1NTE5AAAAI${r(B64, 40)}`,
      'body = "{\\"api_token\\": \\"YOUR_API_TOKEN\\"}"',
      `body = "{\\"password\\": \\"${D}{DB_PASSWORD}\\"}"`,
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
  {
    id: "grafana-api-key",
    found: [`${Buffer.from(`{"k":"${r(ALNUM, 32)}","n":"deploy","id":1}`).toString("base64")}`],
    notFound: [
      `https://app.powerbi.com/view?r=${Buffer.from(`{"k":"${r(HEX, 32)}","t":"${r(HEX, 32)}"}`).toString("base64")}`,
    ],
  },
  {
    id: "base64-private-key",
    found: [`client-key-data: ${Buffer.from(pem("RSA PRIVATE KEY")).toString("base64")}`],
    notFound: [`certificate: ${Buffer.from(pem("CERTIFICATE")).toString("base64")}`],
  },
  {
    id: "putty-private-key",
    found: [
      `PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key\nPublic-Lines: 2\n${r(B64, 64)}\n${r(B64, 40)}\nPrivate-Lines: 3\n${r(B64, 64)}\n${r(B64, 64)}\n${r(B64, 20)}\nPrivate-MAC: ${r(HEX, 40)}`,
    ],
    notFound: ["PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 1\n...\n"],
  },
  {
    id: "gitlab-token",
    // Every kind GitLab documents, including routable tokens longer than 80 characters.
    found: [
      `gldt-${rOwn(B64URL, 20)}`,
      `CI_JOB_TOKEN=glcbt-64_${rOwn(B64URL, 20)}`,
      `glptt-${rOwn(HEX, 40)}`,
      `feed_token=glft-${rOwn(B64URL, 20)}`,
      `glimt-${rOwn(B64URL, 25)}`,
      `glsoat-${rOwn(B64URL, 20)}`,
      `glffct-${rOwn(B64URL, 20)}`,
      `glrt-t1_${rOwn(B64URL, 27)}`,
      `token: ${withGitLabChecksum("glpat-", rOwn(B64URL, 120))}`,
      `JOB-TOKEN: glcbt-eyJ${rOwn(B64URL, 80)}.eyJ${rOwn(B64URL, 400)}.${rOwn(B64URL, 342)}`,
    ],
    notFound: ["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-<your-token>", "https://gitlab.com/glpat-docs"],
  },
  {
    id: "planetscale-token",
    found: [
      `password: pscale_pw_${rOwn(B64URL, 43)}`,
      `PLANETSCALE_TOKEN=pscale_oauth_${rOwn(B64URL, 43)}`,
    ],
    notFound: ["password: pscale_pw_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
  },
  {
    id: "env-fallback-credential",
    found: [
      `const apiToken = process.env.API_TOKEN || "${rOwn(ALNUM, 24)}";`,
      `const secret = import.meta.env.VITE_JWT_SECRET ?? '${rOwn(ALNUM, 24)}';`,
      `      - POSTGRES_PASSWORD=${D}{POSTGRES_PASSWORD:-${rOwn(ALNUM, 16)}}`,
    ],
    notFound: [
      'const apiToken = process.env.API_TOKEN || "";',
      `      - POSTGRES_PASSWORD=${D}{POSTGRES_PASSWORD:-changeme}`,
      `DB_HOST=${D}{DB_HOST:-${rOwn(ALNUM, 16)}}`,
      `TOKEN=${D}{API_TOKEN:-${D}{FALLBACK_TOKEN}}`,
    ],
  },
  {
    id: "dynatrace-token",
    found: [`DT_PLATFORM_TOKEN=dt0s16.${rOwn(UPPER + DIGITS, 24)}.${rOwn(UPPER + DIGITS, 64)}`],
    // Dynatrace's documentation example, assembled so that no scanner reads it in this file.
    notFound: [
      [
        "dt0s01",
        "ST2EY72KQINMH574WMNVI7YN",
        "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM",
      ].join("."),
    ],
  },
  {
    id: "redis-config-password",
    found: [`requirepass ${rOwn(ALNUM, 24)}`, `masterauth "${rOwn(ALNUM, 20)}"`],
    notFound: [
      "requirepass foobared",
      "# requirepass yourpassword",
      `requirepass ${D}{REDIS_PASSWORD}`,
    ],
  },
  {
    id: "kubernetes-bootstrap-token",
    found: [
      `kubeadm join 10.0.0.5:6443 --token ${rOwn(LOWER, 3)}${rOwn(DIGITS, 3)}.${rOwn(LOWER + DIGITS, 16)} --discovery-token-ca-cert-hash sha256:${rOwn(HEX, 64)}`,
      `bootstrapTokens:\n- token: "${rOwn(LOWER, 3)}${rOwn(DIGITS, 3)}.${rOwn(LOWER + DIGITS, 16)}"`,
    ],
    notFound: [`kubeadm join --token ${D}{KUBEADM_TOKEN}`, "version: 1.2.3"],
  },
  {
    id: "kubernetes-secret",
    found: [
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: ${Buffer.from(r(ALNUM, 18)).toString("base64")}\n`,
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  token: "${r(ALNUM, 30)}"\n`,
    ],
    notFound: [
      `kind: Secret\ndata:\n  password: ${Buffer.from("changeme").toString("base64")}\n`,
      `kind: ConfigMap\ndata:\n  greeting: ${Buffer.from(r(ALNUM, 18)).toString("base64")}\n`,
      `kind: Secret\nstringData:\n  token: "${D}{API_TOKEN}"\n`,
    ],
  },
  {
    id: "url-credentials",
    found: [`mongodb+srv://svc:${r(ALNUM, 20)}@cluster0.mongodb.net/prod`],
    notFound: [
      "postgres://postgres:postgres@localhost:5432/dev",
      "postgres://user:password@host/db",
      `postgres://app:${D}{DB_PASSWORD}@db/app`,
      "postgres://localhost:5432/app",
      "https://user:pass@example.com",
      "http://host:8080/path@v2",
      // A guide's credential names, and a password named for its user.
      "https://username:token(senha)@github.com",
      "https://user:password_or_token@github.com",
      "postgres://cacheuser:cachepass@localhost/cachedatabase",
    ],
  },
  {
    id: "pgpass-password",
    found: [`*:*:*:replicator:${r(ALNUM, 24)}`],
    notFound: [
      "localhost:5432:app:app:password",
      "12:30:45:00:00",
      "root:x:0:0:root:/root:/bin/bash",
    ],
  },
  {
    id: "name-value-credential",
    found: [
      `env:\n  - name: DB_PASSWORD\n    value: "${r(ALNUM, 20)}"`,
      `{"name": "API_TOKEN", "value": "${r(ALNUM, 24)}"}`,
      `<string name="maps_api_key">${r(ALNUM, 32)}</string>`,
    ],
    notFound: [
      `env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}`,
      `{"name": "TOKEN_URL", "value": "https://auth.example.com/token"}`,
      `<string name="password_hint">Enter your password</string>`,
      `- name: API_KEY\n  value: "<your-api-key>"`,
    ],
  },
  {
    id: "mysql-cli-password",
    found: [
      `mysql -u root -p${r(ALNUM, 16)} app`,
      `mysqldump --user=backup --password='${r(ALNUM, 16)}' app > dump.sql`,
    ],
    notFound: [
      "mysql -u root -p app",
      "mysql -u root -p$MYSQL_PASSWORD app",
      "mysql -u root -ppassword app",
      "mysql -u root --password=<password>",
    ],
  },
  {
    id: "cli-login-password",
    found: [
      `sshpass -p '${r(ALNUM, 16)}' ssh deploy@host`,
      `docker login -u ci -p ${r(ALNUM, 20)} registry.example.com`,
    ],
    notFound: [
      "docker login -u ci -p $REGISTRY_PASSWORD registry.example.com",
      "echo $TOKEN | docker login -u ci --password-stdin",
      "sshpass -p password ssh host",
      "Please login with -p and your password.",
    ],
  },
  {
    id: "http-bearer-token",
    found: [
      `Authorization: Bearer ${r(ALNUM, 48)}`,
      "Authorization: Bearer k2_P.x7Q-4.9RtW",
      // A colon after `Bearer`, written by mistake.
      'const bearer = "Bearer: Kx9mPq2zT4vLw8nR5sYb"',
    ],
    notFound: [
      "Bearer version2authentication",
      "Authorization: Bearer <token>",
      "Authorization: Bearer my-api-token",
      "Use Bearer k2_P.x7Q-4.9RtW in the header.",
      `Authorization: Bearer ${D}TOKEN`,
      "Authorization: Bearer YOUR_ACCESS_TOKEN",
      "Use a bearer token for every request.",
    ],
  },
  {
    id: "db-connect-call-password",
    found: [
      `$pdo = new PDO('mysql:host=db;dbname=shop', 'shop', '${r(ALNUM, 16)}');`,
      `$link = mysqli_connect("127.0.0.1", "app", "${r(ALNUM, 14)}", "app");`,
      `my $dbh = DBI->connect("dbi:Pg:dbname=app;host=db", "app", "${r(ALNUM, 14)}");`,
      `Connection c = DriverManager.getConnection(url, "scott", "${r(ALNUM, 12)}");`,
      `const db = new Sequelize("app", "root", "${r(ALNUM, 14)}", { dialect: "mysql" });`,
      `con = pymysql.connect('localhost', 'bot', \\\n    '${rAdded(ALNUM, 10)}', 'telegram')`,
      `conn = psycopg2.connect(\n    "db.internal",\n    "app",\n    "${rAdded(ALNUM, 12)}",\n)`,
    ],
    notFound: [
      "$pdo = new PDO($dsn, $user, $pass);",
      "$link = mysqli_connect('localhost', 'root', 'password', 'app');",
      `my $dbh = DBI->connect($dsn, $user, "${D}ENV{DB_PASS}");`,
      "socket.connect('localhost', 8080, 'utf-8');",
    ],
  },
  {
    id: "basic-auth-call-password",
    found: [
      `req.SetBasicAuth("deploy", "${r(ALNUM, 16)}")`,
      `requests.get(url, auth=("svc", "${r(ALNUM, 16)}"))`,
      `session.auth = HTTPBasicAuth('svc', '${r(ALNUM, 16)}')`,
      `var cred = new NetworkCredential("CORP\\svc", "${r(ALNUM, 16)}");`,
      `credentials = pika.PlainCredentials('admin', '${rAdded(ALNUM, 12)}')`,
      // A pair assigned to an auth's name.
      `auth_tuple = ("svc", "${r(ALNUM, 16)}")`,
    ],
    notFound: [
      // A pair assigned to `login` or `credentials` is as often names, modes or a route.
      'login = ("Sign in", "Log in")',
      "credentials = ['AccessKeyId', 'SecretAccessKey']",
      'const credentials = ["include", "same-origin"];',
      "req.SetBasicAuth(user, pass)",
      'auth=("user", "password")',
      `auth=("svc", os.environ["SVC_PASSWORD"])`,
      'new NetworkCredential("svc", "<password>")',
    ],
  },
  {
    id: "wifi-join-password",
    found: [
      `  WiFi.begin("HomeNet", "${r(ALNUM, 12)}");`,
      `wifiMulti.addAP(ssid, "${r(ALNUM, 14)}");`,
      `WiFi.softAP("esp-setup", "${r(ALNUM, 10)}", 6);`,
      `wlan.connect('HomeNet', '${r(ALNUM, 12)}')`,
      `wifi.radio.connect(SSID, "${r(ALNUM, 16)}")`,
      `sudo nmcli dev wifi connect "Home Net" password "${r(ALNUM, 12)}" ifname wlan0`,
      `nmcli con modify office wifi-sec.psk ${r(ALNUM, 12)}`,
      `wpa_passphrase HomeNet '${r(ALNUM, 12)}' >> /etc/wpa_supplicant/wpa_supplicant.conf`,
      `WiFi.begin(\n  "HomeNet",\n  "${rAdded(ALNUM, 12)}"\n);`,
      `WiFi.begin(F("HomeNet"), F("${rAdded(ALNUM, 12)}"));`,
      `wifi.sta.config("HomeNet", "${rAdded(ALNUM, 12)}")`,
      `nmcli connection modify eduroam 802-1x.password ${rAdded(ALNUM, 12)}`,
    ],
    notFound: [
      "WiFi.begin(ssid, password);",
      "WiFi.begin(WIFI_SSID, WIFI_PASSWORD);",
      'WiFi.begin("HomeNet", "YOUR_PASSWORD");',
      'WiFi.begin("HomeNet", "password");',
      'wlan.connect("HomeNet", secrets["password"])',
      "nmcli dev wifi connect HomeNet password $WIFI_PSK",
      'wpa_passphrase "$SSID" "$PSK"',
      "wpa_passphrase HomeNet < passphrase.txt",
      // Too short for a WPA passphrase.
      'WiFi.begin("HomeNet", "a1b2c3");',
      'WiFi.begin(F("HomeNet"), F(WIFI_PASSWORD));',
      "wifi.sta.config({ ssid = SSID, pwd = PASSWORD })",
    ],
  },
  {
    id: "credential-note-value",
    file: "notes/passwords.md",
    found: [
      `> root\n> 183.61.128.75\n> ${r(ALNUM, 10)}#!`,
      `maciek12 ${r(ALNUM, 10)}`,
      `Oracle: me@example.org  ${r(ALNUM, 10)}!`,
      `杨铿/${r(ALNUM, 12)}`,
      `Key Open Weather - ${r(HEX, 32)}`,
      "PW: markuswald",
      // After a password's label, a password written as a name is one too.
      "Passwort: Ali.Gor13",
      "jenkins\nM(UN0>bfexb~oCelU9,7l6BW[l",
    ],
    notFound: [
      "Username: admin1",
      "Host: db.internal.example.org",
      "- **Records configurados**:",
      "NIF: B42978130, VAT: ESB42978130",
      "price_1TRA8pQqcqw6tCU6tjljdtMF",
      "4b576bd1-39bf-4a31-a62b-691aee14f1a5",
      "acme-projects-d912b90e",
      "Email/SMTP",
      "username@servername:/path",
      "displayMessage()",
      "| Account | tungvu7202 |",
      "Şifre1",
      "etc.]_",
      "Nome do algoritmo de assinatura: SHA1withRSA",
    ],
  },
  {
    id: "translated-label-credential",
    found: [
      `Senha do banco: ${r(ALNUM, 12)}`,
      `- **Contraseña de la base de datos:** ${r(ALNUM, 12)}`,
      `Passwort für die Datenbank: ${r(ALNUM, 12)}`,
      `Mot de passe de l'admin : ${r(ALNUM, 12)}`,
      `Пароль от базы: ${r(ALNUM, 12)}`,
      `Contraseña para la base de datos: ${rAdded(ALNUM, 12)}`,
      `Mot de passe pour le serveur : ${rAdded(ALNUM, 12)}`,
    ],
    notFound: [
      "Senha do banco: `senha_aqui`",
      "Contraseña de la cuenta: Debe tener 8 caracteres",
      `Senha do banco: ${D}DB_PASSWORD`,
      // A token's or a key's label takes only a clearly random value.
      "Token do bot: meu-token",
    ],
  },
  {
    id: "scripted-login-password",
    found: [
      `expect "*assword:" { send "${r(ALNUM, 14)}\\r" }`,
      `spawn ssh root@10.0.0.5\nexpect "password:"\nsend "${r(ALNUM, 14)}\\r"\ninteract`,
      `child = pexpect.spawn("ssh pi@raspberrypi.local")\nchild.expect("[Pp]assword:")\nchild.sendline("${r(ALNUM, 12)}")`,
      `ftp -n ftp.example.org <<EOF\nuser deploy ${r(ALNUM, 12)}\nbinary\nput site.tar\nbye\nEOF`,
      `spawn ssh bob@10.0.0.5\nexpect "password:"\nsleep 1\nsend "${rAdded(ALNUM, 14)}\\r"`,
    ],
    notFound: [
      `expect "password:"\nsend "${D}password\\r"`,
      'expect "*assword:" { send "$env(PASS)\\r" }',
      'child.expect("Password:")\nchild.sendline(password)',
      'expect "password:"\nsend "password\\r"',
      // A `user` line outside an ftp script (an IRC client's, a config's).
      `user deploy ${r(ALNUM, 12)}`,
      `expect(res.body.password).toBeUndefined();\nawait request(app).post("/login").send({ user: "bob" });`,
    ],
  },
  {
    id: "go-dsn-password",
    found: [`db, err := sql.Open("mysql", "app:${r(ALNUM, 16)}@tcp(db:3306)/app?parseTime=true")`],
    notFound: [
      'sql.Open("mysql", "root:password@tcp(localhost:3306)/app")',
      'sql.Open("mysql", "app:@tcp(db:3306)/app")',
    ],
  },
  {
    id: "oracle-login-password",
    found: [
      `sqlplus -s scott/${r(ALNUM, 12)}@ORCLPDB1 @report.sql`,
      `url=jdbc:oracle:thin:app/${r(ALNUM, 12)}@db.corp:1521/ORCL`,
    ],
    notFound: ["sqlplus scott/tiger@orcl", "sqlplus / as sysdba", "jdbc:oracle:thin:@db:1521/ORCL"],
  },
  {
    id: "cli-password-flag",
    found: [
      `ldapsearch -x -D "cn=admin,dc=corp,dc=io" -w ${r(ALNUM, 14)} -b dc=corp,dc=io`,
      `redis-cli -h cache.internal -a '${r(ALNUM, 20)}' ping`,
      `htpasswd -bc /etc/nginx/.htpasswd admin ${r(ALNUM, 14)}`,
      `net use Z: \\\\files\\share /user:CORP\\svc ${r(ALNUM, 14)}`,
      `echo "${r(ALNUM, 20)}" | docker login ghcr.io -u bot --password-stdin`,
    ],
    notFound: [
      "ldapsearch -x -D cn=admin -W -b dc=corp",
      "redis-cli -a $REDIS_PASSWORD ping",
      "htpasswd -c .htpasswd admin",
      'echo "$CR_PAT" | docker login ghcr.io -u bot --password-stdin',
    ],
  },
  {
    id: "sql-password",
    found: [
      `CREATE USER 'app'@'%' IDENTIFIED BY '${r(ALNUM, 16)}';`,
      `ALTER USER reporting WITH PASSWORD '${r(ALNUM, 16)}';`,
      `CREATE ROLE etl LOGIN PASSWORD '${r(ALNUM, 16)}';`,
    ],
    notFound: [
      "CREATE USER 'app'@'%' IDENTIFIED BY 'password';",
      "ALTER USER app WITH PASSWORD :'new_password';",
      `ALTER ROLE app WITH ENCRYPTED PASSWORD 'md5${r(HEX, 32)}';`,
      `CREATE USER app IDENTIFIED BY '${D}{DB_PASSWORD}';`,
    ],
  },
  {
    id: "curl-user-token",
    found: [
      `curl -u "${r(ALNUM, 24)}:" https://api.example-payments.io/v1/charges`,
      `curl https://api.mailer.io/v3/send -u ${r(ALNUM, 32)}:`,
    ],
    notFound: [
      "curl -u YOUR_API_KEY: https://api.example-payments.io",
      "curl -u admin: https://api.example-payments.io",
      `curl -u "${D}API_KEY:" https://api.example-payments.io`,
    ],
  },
  {
    id: "http-header-credential",
    found: [
      `curl --header "X-Vault-Token: ${r(ALNUM, 26)}" https://vault.internal:8200/v1/kv/app`,
      `curl -H 'Authorization: ${r(ALNUM, 32)}' https://api.service.io/v2/items`,
      `curl -H "X-Figma-Token: ${r(ALNUM, 40)}" https://api.figma.com/v1/me`,
    ],
    notFound: [
      'curl -H "X-Vault-Token: $VAULT_TOKEN" https://vault:8200/v1/kv/app',
      'curl -H "X-Api-Key: YOUR_API_KEY" https://api.service.io',
      'curl -H "X-Request-Id: 7f3a9c2e1b" https://api.service.io',
      "curl -H 'Idempotency-Key: webhook-smoke-001' https://api.service.io/hooks",
      'curl -H "Authorization: Bearer <token>" https://api.service.io',
    ],
  },
  {
    id: "socket-api-token",
    found: [`SOCKET_SECURITY_API_TOKEN=sktsec_${rOwn(ALNUM, 40)}_api`],
    // The free key Socket's CLI and SDK ship for anyone to use.
    notFound: ["const FREE_API_KEY = 'sktsec_t_--RAN5U4ivauy4w37-6aoKyYPDt5ZbaT5JBVMqiwKo_api'"],
  },
  {
    id: "upstash-qstash-token",
    found: [
      `QSTASH_TOKEN=${Buffer.from(
        JSON.stringify({
          UserID: `${rOwn(HEX, 8)}-${rOwn(HEX, 4)}-4${rOwn(HEX, 3)}-a${rOwn(HEX, 3)}-${rOwn(HEX, 12)}`,
          Password: rOwn(HEX, 32),
        }),
      ).toString("base64")}`,
    ],
    notFound: [
      // The local development server's default user, printed by `qstash dev`.
      `QSTASH_TOKEN=${Buffer.from(JSON.stringify({ UserID: "defaultUser", Password: "defaultPassword" })).toString("base64")}`,
    ],
  },
  {
    id: "cloudflare-tunnel-token",
    found: [
      `cloudflared tunnel run --token ${Buffer.from(
        JSON.stringify({
          a: rOwn(HEX, 32),
          t: `${rOwn(HEX, 8)}-${rOwn(HEX, 4)}-4${rOwn(HEX, 3)}-a${rOwn(HEX, 3)}-${rOwn(HEX, 12)}`,
          s: Buffer.from(rOwn(ALNUM, 32)).toString("base64"),
        }),
      ).toString("base64")}`,
    ],
    notFound: [
      "cloudflared tunnel run --token eyJhIjoi...",
      `TUNNEL_TOKEN=${Buffer.from(JSON.stringify({ a: "account", note: rOwn(ALNUM, 80) })).toString("base64")}`,
    ],
  },
  {
    id: "parameter-default-credential",
    found: [
      `Parameters:\n  DBPassword:\n    Type: String\n    NoEcho: true\n    Default: aZ3${rOwn(ALNUM, 14)}\n`,
      `{"Parameters": {"ApiToken": {"Type": "String", "Default": "aZ3${rOwn(ALNUM, 29)}"}}}`,
      `{"parameters": {\n  "adminPassword": {\n    "value": "aZ3${rOwn(ALNUM, 13)}"\n  }\n}}`,
      `"adminPassword": {"type": "securestring", "defaultValue": "aZ3${rOwn(ALNUM, 13)}"}`,
      `password:\n  value: aZ3${rOwn(ALNUM, 13)}\n`,
    ],
    notFound: [
      `Parameters:\n  DBPassword:\n    Type: String\n    NoEcho: true\n    MinLength: 8\n`,
      `Parameters:\n  DBPasswordLength:\n    Type: Number\n    Default: 32\n`,
      `Parameters:\n  AdminPassword:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /prod/db/password\n`,
      '"adminPassword": {"reference": {"keyVault": {"id": "/subscriptions/x"}, "secretName": "admin"}}',
      "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db, key: password}\n",
    ],
  },
  {
    id: "table-credential-column",
    found: [
      `username,password,email\nadmin,aZ3${rOwn(ALNUM, 13)},admin@corp.test\n`,
      `| user | api_token |\n|------|-----------|\n| ci | aZ3${rOwn(ALNUM, 29)} |\n`,
      `| user | password |\n| --- | --- |\n| deploy | \`aZ3${rOwn(ALNUM, 13)}\` |\n`,
    ],
    notFound: [
      "username,password\nadmin,admin\nguest,guest\n",
      // Design tokens and model names in code spans (OpenClaw's docs).
      "| Token | Hex | Used for |\n| --- | --- | --- |\n| `accentBright` | `#FF7A3D` | Command names |\n",
      "| Capability | OpenAI API key |\n| --- | --- |\n| Model ref | `openai/gpt-image-2` |\n| Auth | `OPENAI_API_KEY` |\n",
      `user,password_hash\nadmin,${D}2b${D}12${D}${rOwn(B64, 53)}\n`,
      "Enter your password, then click OK\nType it in, and press enter\n",
      "| Variable | Secret |\n|---|---|\n| API_TOKEN | yes |\n",
    ],
  },
  {
    id: "label-line-credential",
    found: [
      `API Key\n${rOwn(HEX, 32)}\n`,
      `## Password\n\naZ3${rOwn(ALNUM, 13)}!\n`,
      `**Client secret:**\n\`aZ3${rOwn(ALNUM, 21)}\`\n`,
    ],
    notFound: [
      `Checksum\n${rOwn(HEX, 32)}\n`,
      `Public key\naZ3${rOwn(ALNUM, 41)}\n`,
      "## API key\n\nYour key is on the dashboard.\n",
      "Password\n\nhunter2\n",
      // YAML: an empty password, then the mapping's next key.
      "  redis:\n    password:\n    lettuce:\n      pool:\n",
    ],
  },
  {
    id: "url-token-userinfo",
    found: [
      `git clone https://${rOwn(HEX, 40)}@github.com/acme/app.git`,
      `git remote add origin https://aZ3${rOwn(ALNUM, 29)}@git.internal.test/acme/app.git`,
    ],
    notFound: [
      "git clone https://MyCompany-Engineering2024@dev.azure.com/MyCompany/proj/_git/repo",
      "https://contoso-engineering-team@dev.azure.com/contoso/x",
      `https://${D}{GITHUB_TOKEN}@github.com/acme/app`,
      "https://xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@github.com/acme/app",
    ],
  },
  {
    id: "jenkins-encrypted-secret",
    found: [
      `<password>{AQAAABAAAAAQ${rOwn(B64, 44)}=}</password>`,
      `<secret>{AQAAABAAAAAw${rOwn(B64, 64)}}</secret>`,
    ],
    notFound: ["<password>{AQAAABAAAAA...}</password>", "<password>{AQAAABAAAAA}</password>"],
  },
  {
    id: "ui-test-password",
    found: [
      `await page.fill("input[name='password']", "aZ3${rOwn(ALNUM, 11)}");`,
      `cy.get('#password').clear().type('aZ3${rOwn(ALNUM, 11)}')`,
      `driver.find_element(By.ID, "password").send_keys("aZ3${rOwn(ALNUM, 11)}")`,
    ],
    notFound: [
      "await page.type('#password', process.env.PASSWORD);",
      "cy.get('#password').type('{enter}')",
      `element.type("#search", "aZ3${rOwn(ALNUM, 11)}")`,
      'page.fill("#password", "wrongpassword")',
    ],
  },
  {
    id: "curlopt-password",
    found: [
      `curl_setopt(${D}ch, CURLOPT_USERPWD, "admin:aZ3${rOwn(ALNUM, 11)}");`,
      `curl_easy_setopt(curl, CURLOPT_PASSWORD, "aZ3${rOwn(ALNUM, 11)}");`,
    ],
    notFound: [
      `curl_setopt(${D}ch, CURLOPT_USERPWD, "${D}user:${D}pass");`,
      `curl_setopt(${D}ch, CURLOPT_PASSWORD, getenv("PW"));`,
    ],
  },
  {
    id: "sequence-flag-credential",
    found: [
      `args:\n  - "--db-password"\n  - "aZ3${rOwn(ALNUM, 13)}"\n`,
      `args:\n  - --api-token\n  - aZ3${rOwn(ALNUM, 29)}\n`,
    ],
    notFound: [
      "args:\n  - --token-file\n  - /etc/app/token\n",
      `args:\n  - "--password"\n  - "${D}(DB_PASSWORD)"\n`,
      "args:\n  - --password\n  - --verbose\n",
    ],
  },
  {
    id: "piped-password",
    found: [
      `echo "deploy:aZ3${rOwn(ALNUM, 13)}" | chpasswd`,
      `echo 'aZ3${rOwn(ALNUM, 13)}' | passwd --stdin deploy`,
      `useradd -m -p ${D}(openssl passwd -1 aZ3${rOwn(ALNUM, 13)}) deploy`,
    ],
    notFound: [
      `echo "${D}USER:${D}PASS" | chpasswd`,
      `echo "root:${D}{ROOT_PASSWORD}" | chpasswd`,
      "openssl passwd -1 -stdin < pw.txt",
    ],
  },
  {
    id: "compared-credential",
    found: [
      `if ("aZ3${rOwn(ALNUM, 13)}".equals(password)) {`,
      `if "aZ3${rOwn(ALNUM, 13)}" == token:`,
      `if ("aZ3${rOwn(ALNUM, 13)}" === user.apiToken) {}`,
      `if ("${rAdded(ALNUM, 13)}" != secret) {}`,
      `if ("${rAdded(ALNUM, 13)}" == pass) {}`,
      `if ("${rAdded(ALNUM, 13)}" === private_key) {}`,
    ],
    notFound: [
      'if ("Enter" == key) {}',
      'if ("password".equals(fieldName)) {}',
      `if ("aZ3${rOwn(ALNUM, 13)}" == tokenType) {}`,
      `if ("aZ3${rOwn(ALNUM, 13)}" == passwordHash) {}`,
    ],
  },
  {
    id: "code-ldap-bind-password",
    found: [
      `env.put(Context.SECURITY_CREDENTIALS, "aZ3${rOwn(ALNUM, 13)}");`,
      `conn.simple_bind_s("cn=admin,dc=corp,dc=test", "aZ3${rOwn(ALNUM, 13)}")`,
    ],
    notFound: [
      "env.put(Context.SECURITY_CREDENTIALS, password);",
      'conn.simple_bind_s("cn=admin,dc=corp,dc=test", os.environ["LDAP_PW"])',
      'conn.simple_bind_s("cn=admin,dc=corp,dc=test", "changeme")',
    ],
  },
  {
    id: "ssh2-private-key",
    found: [
      `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "rsa-key-20240101"\n${rOwn(B64, 64)}\n${rOwn(B64, 64)}\n${rOwn(B64, 20)}==\n---- END SSH2 ENCRYPTED PRIVATE KEY ----`,
    ],
    notFound: [
      "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n...\n---- END SSH2 ENCRYPTED PRIVATE KEY ----",
      `---- BEGIN SSH2 PUBLIC KEY ----\n${rOwn(B64, 64)}\n${rOwn(B64, 64)}\n---- END SSH2 PUBLIC KEY ----`,
    ],
  },
  {
    id: "openssl-passphrase-argument",
    file: "Dockerfile",
    found: [
      `RUN openssl pkcs12 -export -passout "pass:${rAdded(ALNUM, 12)}" -out cert.p12`,
      `openssl enc -aes-256-cbc -in a.txt -out a.enc -k ${rAdded(ALNUM, 12)}`,
    ],
    notFound: [
      "RUN openssl rsa -in key.pem -passin env:KEY_PASS -out plain.pem",
      `RUN openssl rsa -in key.pem -passin "pass:${D}{KEY_PASS}" -out plain.pem`,
    ],
  },
  {
    id: "dropbox-long-lived-api-token",
    found: [`token = '${rAdded(ALNUM, 7)}x${"A".repeat(10)}y${rAdded(B64URL, 39)}'`],
    notFound: [`token = '${"a".repeat(11)}${"A".repeat(53)}'`],
  },
  {
    id: "facebook-app-access-token",
    found: [
      `curl "https://graph.facebook.com/me?access_token=1${rOwn(DIGITS, 15)}|${rOwn(B64URL, 27)}"`,
    ],
    notFound: ["access_token=1234567890123456|aaaaaaaaaaaaaaaaaaaaaaaaaaa"],
  },
  {
    id: "instagram-user-token",
    found: [`IGQVJ${rAdded(ALNUM, 150)}`],
    notFound: [`IGQVJ${"a".repeat(150)}`],
  },
  {
    id: "http-session-cookie",
    file: "TOOLS.md",
    found: [
      `curl 'https://app.example.io/api' -H 'cookie: _ga=GA1.1.1.1; sessionid=${rAdded(ALNUM, 26)}; theme=dark'`,
      `curl -b "PHPSESSID=${rAdded(LOWER + DIGITS, 26)}" https://app.example.io/`,
    ],
    notFound: [
      "Set `Cookie: sessionid=<your session id>` in the request.",
      "Cookie: theme=dark; _ga=GA1.1.123456789.1700000000",
    ],
  },
  {
    id: "otp-seed",
    file: ".env",
    found: ["TOTP_SEED=KX4QJ7M2ZP3WLR5TQ6NVB2CD", "GitHub 2FA seed: KX4Q J7M2 ZP3W LR5T"],
    notFound: ['otp_key = "AAAAAAAAAAAAAAAA"', 'mfa_key: "abcdefghijklmnop"'],
  },
  {
    id: "docker-config-base64",
    file: "regcred.yaml",
    found: [
      `kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${Buffer.from(`{"auths":{"registry.example.io":{"auth":"${Buffer.from(`robot:${rAdded(ALNUM, 20)}`).toString("base64")}"}}}`).toString("base64")}`,
    ],
    notFound: [
      `.dockerconfigjson: ${Buffer.from('{"auths":{"registry.example.io":{"auth":"dXNlcjpwYXNzd29yZA=="}}}').toString("base64")}`,
    ],
  },
  {
    // XML allows spaces around `=` and before `>`.
    id: "xml-setting-credential",
    file: "app.config",
    found: [`<setting name = "smtp_password" value="${rAdded(ALNUM, 18)}" />`],
    notFound: ['<setting name = "smtp_password" value="changeme" />'],
  },
  {
    id: "xml-tag-credential",
    file: "settings.xml",
    found: [`<password > ${rAdded(ALNUM, 18)} </password>`],
    notFound: ["<password >  </password>", "<password > changeme </password>"],
  },
  {
    // An OAuth client's secret: its id has 8 characters.
    id: "dynatrace-token",
    found: [`DT_CLIENT_SECRET=dt0s02.${rOwn(UPPER + DIGITS, 8)}.${rOwn(UPPER + DIGITS, 64)}`],
    notFound: [],
  },
  {
    id: "generic-secret",
    file: "Storage.java",
    found: [
      `private static final String DEFAULT_ACCOUNT_KEY =\n    "${rOwn(B64, 86)}==";`,
      `const std::string account_key{"${rOwn(B64, 86)}=="};`,
    ],
    notFound: [
      // Stripe's object ids, a date, a route, identifiers under a bare key's name.
      'payment_intent_token = "pi_3MtwBwLkdIwHu7ix28a3tqPa"',
      "AZURE_BLOB_SAS_TOKEN=st=2025-03-04T07:24:52Z&se=2025-03-05T07:24:52Z&sp=r",
      'String token = "process/task/step/comment/v2";',
      'KEY = "PROTOCOL_TLSv1_2"',
      '{"key": "X-Requested-With"}',
      'salesforce_key = "3MVG9dBDux2v1sLoreCoilvmnP337XNeiV01JFJ8uAAVVyH5qX0NPaa0d54El.Wkce6JTB1LmsxhzVaaa.VZ7"',
    ],
  },
  {
    id: "xml-tag-credential",
    file: "storage.xml",
    found: [`<account_name>logs</account_name>\n<account_key>${rOwn(B64, 86)}==</account_key>`],
    notFound: ["<account_key>${STORAGE_KEY}</account_key>"],
  },
  {
    id: "env-fallback-credential",
    file: "storage.ts",
    found: [
      `const key = process.env.ACCOUNT_KEY || "${rOwn(B64, 86)}==";`,
      // The operator and the fallback on lines of their own; Dart's default value.
      `  client_secret:\n    process.env.PAYPAL_CLIENT_SECRET ||\n    "${rAdded(B64URL, 60)}",`,
      `const String token = String.fromEnvironment('TOKEN',\n    defaultValue: '${rAdded(HEX, 32)}');`,
    ],
    notFound: [
      'const key = process.env.ACCOUNT_KEY || "";',
      "const String token = String.fromEnvironment('TOKEN', defaultValue: '');",
    ],
  },
  {
    id: "credential-arrow-literal",
    file: "client.js",
    found: [
      `module.exports = { getSecret: () => '${rOwn(ALNUM, 24)}' };`,
      `const apiToken = async () => "${rOwn(ALNUM, 20)}";`,
    ],
    notFound: [
      `validateToken = () => '${rOwn(ALNUM, 20)}'`,
      "getToken: () => process.env.API_TOKEN",
      "getPassword: () => 'YOUR_PASSWORD_HERE'",
    ],
  },
  {
    id: "credential-getter-return",
    file: "Client.java",
    found: [
      `func getBetterStackToken() string{ return "${rOwn(ALNUM, 24)}" }`,
      `public String getApiKey() {\n    return "${rOwn(ALNUM, 20)}";\n}`,
      `def get_password(self):\n    return '${rOwn(ALNUM, 16)}'`,
      `fun apiKey(): String {\n    return "${rOwn(ALNUM, 20)}"\n}`,
    ],
    notFound: [
      // Calls, and functions that check or change a credential.
      'if (!isValidToken(t)) { return "e401_tok3n_bad"; }',
      'validatePassword(pw) {\n    return "Weak1234Password!";\n}',
      "function getToken() { return 'Bearer ' + token; }",
      'function tokenType() { return "access_token"; }',
      "def get_password_hint(self):\n    return 'Use at least 12 characters'",
    ],
  },
  {
    id: "mfa-recovery-codes",
    file: "MEMORY.md",
    found: [
      `GitHub recovery codes:\n${Array.from({ length: 4 }, () => `- ${rOwn(HEX, 5)}-${rOwn(HEX, 5)}`).join("\n")}`,
      `Google backup codes: ${Array.from({ length: 5 }, () => `${rOwn(DIGITS, 4)} ${rOwn(DIGITS, 4)}`).join(", ")}`,
      `backup_codes = [${Array.from({ length: 3 }, () => `"${rOwn(DIGITS, 8)}"`).join(", ")}]`,
    ],
    notFound: [
      "Recovery codes are stored in 1Password, not here.",
      "Save your recovery codes somewhere safe. You get 16 codes like `abcde-12345`.",
      "Backup codes: 1234-5678, 2345-6789, 3456-7890",
      "MFA codes: XXXX-XXXX, XXXX-XXXX, XXXX-XXXX",
      "Example backup codes:\n- 3f9a-8b2c\n- 7d1e-4a6f\n- 0c5b-9e3d",
      "## Recovery codes\n- 0x1A2B\n- 0x3C4D\n- 0x5E6F",
      "HTTP error codes: 4041, 5002, 5033 are returned when the backup fails.",
    ],
  },
  {
    // A drawn password of 10-15 characters right after its name in a note.
    id: "generic-secret",
    file: "MEMORY.md",
    found: ["Wi-Fi password IQq5g0fcL3uOdn", "use password Xk29qpzLm83nVb"],
    notFound: [
      "use password SHA256withRSA",
      "use password RFC3339Nano2",
      "the password Summer2024x",
      "Set the password PasswordReset1 in the form",
    ],
  },
  {
    id: "labelled-user-password",
    file: "MEMORY.md",
    found: [
      "login for the NAS: admin / IQq5g0fcL3uOdn",
      "The router login is admin / Xk29qpzL#m83",
    ],
    notFound: [
      "The login for the dashboard is shown in / settings",
      "Login to the server is done via SSH / key 12345",
      "Login on the kiosk is disabled / kiosk-mode2",
    ],
  },
  {
    id: "email-password-pair",
    file: "MEMORY.md",
    found: ["bob@gmail.com:Kx9Yhm9eoe4ek7", "Gmail: bob@gmail.com / Zq8vLm2Kp9Xw"],
    notFound: [
      "git clone git@github.com:org/repo.git",
      "smtp: me@mail.example.com:587",
      "Contact bob@corp.net: questions welcome",
      "ssh user@host.example.org:22",
      // A path after a host, a commit, a UUID, a version, user names.
      "rsync -av ./dist/ deploy@web01.example.com:releases2024 --delete",
      "jane@example.com:4f3a2b1c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6",
      "bob@example.com:550e8400-e29b-41d4-a716-446655440000",
      "user@example.com:v2.3.4-beta1",
      "| alice@example.com / jsmith01 |",
      "- Admin account: alice@example.com / alice_smith92",
    ],
  },

  {
    id: "qualified-label-credential",
    file: "MEMORY.md",
    found: [`Home Assistant token saved here: ${rOwn(ALNUM, 40)}`],
    notFound: ["Password saved here: changeme", "Token generated today: see the dashboard"],
  },
  {
    id: "github-token-checksum",
    file: "notes.md",
    found: [
      `token${withGitHubChecksum("ghp_", r(ALNUM, 30))}`,
      `${withGitHubChecksum("gho_", r(ALNUM, 30))}extra`,
    ],
    notFound: [`token${withGitHubChecksum("ghp_", r(ALNUM, 30)).slice(0, -1)}x`],
  },
  {
    id: "github-token-base64",
    file: "secret.yaml",
    found: [
      `  token: ${Buffer.from(withGitHubChecksum("ghp_", r(ALNUM, 30))).toString("base64")}`,
      `GH=${Buffer.from(`${withGitHubChecksum("ghr_", r(ALNUM, 70))}\n`).toString("base64")}`,
    ],
    notFound: [
      `  blob: ${Buffer.from(`ghp_${r(ALNUM, 36)}`).toString("base64")}`,
      `  data: ${Buffer.from(`gho_${r(ALNUM, 60)} and more`).toString("base64")}`,
    ],
  },
  {
    id: "actions-secret-name-value",
    file: ".github/workflows/ci.yml",
    found: [`      token: \u0024{{ secrets.${r(ALNUM, 40)} }}`],
    notFound: [
      "      token: \u0024{{ secrets.PyPiApiToken4ProdRelease2024 }}",
      "      token: \u0024{{ secrets.KUBECONFIGB64PRODEUWEST1CLUSTER2 }}",
      "      token: \u0024{{ secrets.NETLIFY_AUTH_TOKEN }}",
    ],
  },
  {
    id: "deploy-hook-url",
    file: "notes.md",
    found: [
      `curl -X POST https://api.cloudflare.com/client/v4/pages/webhooks/deploy_hooks/${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`,
      `https://api.render.com/deploy/srv-${r(LOWER + DIGITS, 20)}?ref=main&key=${r(ALNUM, 12)}`,
    ],
    notFound: ["https://api.netlify.com/build_hooks/{{ hook_id }}"],
  },
  {
    id: "account-user-password",
    file: "MEMORY.md",
    found: [
      `- Proxmox: root / ${rAdded(ALNUM, 10)}!`,
      `Logged in to Grafana with admin / ${rAdded(ALNUM, 10)}#`,
    ],
    notFound: [
      "GET /admin/users/42",
      "Route: admin/config-v2",
      "see root/settings2.php",
      "(admin / admin123)",
    ],
  },
  {
    id: "hashed-password-literal",
    file: "database/seeders/UserSeeder.php",
    found: [
      `'password' => Hash::make('${rAdded(ALNUM, 12)}'),`,
      `$user->password = password_hash('${rAdded(ALNUM, 12)}', PASSWORD_DEFAULT);`,
      `'password' => bcrypt("${rAdded(ALNUM, 12)}"),`,
      `admin.set_password('${rAdded(ALNUM, 12)}')`,
      `hashed = bcrypt.hashpw(b'${rAdded(ALNUM, 12)}', bcrypt.gensalt())`,
      `const hash = await bcrypt.hash('${rAdded(ALNUM, 12)}', 10);`,
      `String hash = passwordEncoder.encode("${rAdded(ALNUM, 12)}");`,
      `h, _ := bcrypt.GenerateFromPassword([]byte("${rAdded(ALNUM, 12)}"), bcrypt.DefaultCost)`,
      `await _userManager.CreateAsync(admin, "${rAdded(ALNUM, 12)}");`,
      `user.PasswordHash = BCrypt.Net.BCrypt.HashPassword("${rAdded(ALNUM, 12)}");`,
      `$hashed = $hasher->hashPassword($user, '${rAdded(ALNUM, 12)}');`,
    ],
    notFound: [
      "'password' => Hash::make($request->password),",
      "'password' => bcrypt('password'),",
      "const hash = await bcrypt.hash(password, 10);",
      // A reset token, not a password; a name that only ends like a hashing call.
      `reset_password('${rAdded(ALNUM, 12)}')`,
      `mybcrypt('${rAdded(ALNUM, 12)}')`,
    ],
  },
  {
    id: "mastodon-credential-file",
    file: "bot/pytooter_clientcred.secret",
    wholeFile: true,
    found: [`${rAdded(ALNUM, 40)}\n${rAdded(ALNUM, 40)}\nhttps://mastodon.social\nmybot\n`],
    notFound: ["YOUR_CLIENT_ID\nYOUR_CLIENT_SECRET\nhttps://mastodon.social\n"],
  },
  {
    id: "mastodon-credential-file",
    file: "bot_usercred.txt",
    wholeFile: true,
    found: [`${rAdded(ALNUM, 40)}\nhttps://botsin.space\n`],
    notFound: ["\nhttps://botsin.space\n"],
  },
  {
    id: "unsplash-access-key",
    file: "src/photos.js",
    found: [
      `fetch("https://api.unsplash.com/photos?client_id=${rAdded(ALNUM, 40)}&page=1")`,
      `// Unsplash\nheaders: { Authorization: "Client-ID ${rAdded(ALNUM, 40)}" }`,
    ],
    notFound: [
      'fetch("https://api.unsplash.com/photos?client_id=" + process.env.UNSPLASH_KEY)',
      // Another service's OAuth client id.
      `https://accounts.example.test/auth?client_id=${rAdded(ALNUM, 40)}`,
    ],
  },
  {
    id: "thingspeak-api-key",
    file: "src/main.ino",
    found: [
      `#include <ThingSpeak.h>\nconst char * myReadAPIKey = "${thingSpeakKey()}";`,
      `// api.thingspeak.com\n#define WRITE_KEY "${thingSpeakKey()}"`,
      `ThingSpeak.writeFields(channel, "${thingSpeakKey()}");`,
      `String url = "https://api.thingspeak.com/update?api_key=${thingSpeakKey()}&field1=";`,
    ],
    notFound: [
      `#include <ThingSpeak.h>\nconst char * myWriteAPIKey = "XXXXXXXXXXXXXXXX";`,
      // Without ThingSpeak in the file, a read key's name is a function's.
      `const char * myReadAPIKey = "${thingSpeakKey()}";`,
    ],
  },
  {
    id: "vyos-config-secret",
    file: "config/config.boot",
    found: [
      `        authentication {\n            pre-shared-secret ${rAdded(ALNUM, 14)}\n        }`,
    ],
    notFound: ["            mode pre-shared-secret"],
  },
  {
    id: "tacacs-plus-secret",
    file: "tac_plus.conf",
    found: [`key = "${rAdded(ALNUM, 14)}"`, `    login = cleartext ${rAdded(ALNUM, 12)}`],
    notFound: ["    login = PAM", 'key = "TACACS_KEY"'],
  },
  {
    id: "routeros-secret",
    file: "export.rsc",
    found: [`/ppp secret\nadd name=vpn password=${rAdded(ALNUM, 12)} service=l2tp`],
    notFound: ["/ppp secret\nadd name=vpn password=$vpnPassword service=l2tp"],
  },
];

describe("built-in rules", () => {
  it("has at least 200 rules, each with a test case, unique lower-case ids and keywords", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(ids.length).toBeGreaterThanOrEqual(200);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    const tested = new Set([...CASES.map((c) => c.id), ...Object.keys(TEMPLATES)]);
    expect([...tested].sort()).toEqual([...ids].sort());
    for (const rule of RULES) {
      expect(rule.description.length).toBeGreaterThan(0);
      for (const keyword of [...rule.keywords, ...(rule.rareKeywords ?? [])]) {
        expect(keyword).not.toMatch(/[A-Z]/);
      }
    }
  });

  it("builds a rule's pattern given as a function on its first scan, and checks its flags then", () => {
    let builds = 0;
    const rule = regexRule({
      id: "test-lazy",
      description: "test",
      keywords: ["zz"],
      pattern: () => {
        builds++;
        return /zz(?<secret>[0-9]{4})/dg;
      },
    });
    expect(builds).toBe(0);
    expect(rule.scan("zz1234 zz5678", { file: "a" })).toEqual([
      { start: 2, end: 6 },
      { start: 9, end: 13 },
    ]);
    rule.scan("zz0000", { file: "a" });
    expect(builds).toBe(1);
    const spec = { id: "test-flags", description: "test", keywords: ["zz"] };
    expect(() => regexRule({ ...spec, pattern: /zz/g })).toThrow(/g and d flags/);
    const lazy = regexRule({ ...spec, pattern: () => /zz/d });
    expect(() => lazy.scan("zz", { file: "a" })).toThrow(/g and d flags/);
  });

  it("runs a rule on its rare keywords too and tells it whether one occurred", () => {
    const seen: Array<boolean | undefined> = [];
    const rule: ScanRule = {
      id: "test-rare",
      description: "test",
      keywords: ["token"],
      rareKeywords: ["\u043f\u0430\u0440\u043e\u043b\u044c"],
      severity: "error",
      scan: (_text, context) => {
        seen.push(context?.rareKeywordFound);
        return [];
      },
    };
    scanText("token: x", { file: "a.md", rules: [rule] });
    scanText("\u043f\u0430\u0440\u043e\u043b\u044c: x", { file: "a.md", rules: [rule] });
    scanText("nothing here", { file: "a.md", rules: [rule] });
    expect(seen).toEqual([false, true]);
  });

  it("keeps every rule but the few format-free ones behind a keyword prefilter", () => {
    const unkeyworded = RULES.filter((rule) => rule.keywords.length === 0).map((rule) => rule.id);
    // The e-mail/password rule reads only the text around each `@` (no keyword of two
    // characters or more names it); Rails' master key file, Home Assistant's secrets.yaml,
    // notes named for credentials, cookie files, files holding one credential, mail relays',
    // fetchers' and senders' files (or their lines' own syntax), pppd's secrets, VPN login files
    // and backup and sync tools' password files are known by their names; a file holding a wallet's secret alone proves itself by its checksum or
    // public key.
    expect(unkeyworded.sort()).toEqual([
      "bare-credential-file",
      "cookie-file-session",
      "credential-note-value",
      "discord-bot-token",
      "email-password-pair",
      "fetchmail-password",
      "mastodon-credential-file",
      "msmtp-password",
      "pgpass-password",
      "postfix-sasl-password",
      "ppp-secret",
      "rails-master-key",
      "secrets-yaml-value",
      "sync-tool-password",
      "vpn-login-file",
      "wallet-secret-file",
    ]);
  });

  for (const { id, found, notFound, file = "f.md", wholeFile = false } of CASES) {
    const asFile = (text: string) => (wholeFile ? text : `before\n${text}\nafter\n`);
    describe(id, () => {
      found.forEach((text, index) => {
        it(`finds true example ${index + 1}`, () => {
          const findings = scanText(asFile(text), { file });
          expect(
            findings.map((f) => f.ruleId),
            text,
          ).toContain(id);
        });
      });
      notFound.forEach((text, index) => {
        it(`reports nothing for false example ${index + 1}`, () => {
          const findings = scanText(asFile(text), { file });
          expect(findings.map((f) => `${f.ruleId} ${f.preview}`)).toEqual([]);
        });
      });
    });
  }

  for (const [id, templates] of Object.entries(TEMPLATES)) {
    describe(id, () => {
      templates.forEach((template, index) => {
        it(`finds example ${index + 1} and not its placeholder form`, () => {
          const text = fill(template, `${id}#${index}`);
          const findings = scanText(`before\n${text}\nafter\n`, { file: "f.md" });
          expect(
            findings.map((f) => f.ruleId),
            text,
          ).toContain(id);
          const placeholder = scanText(`before\n${blank(template)}\nafter\n`, { file: "f.md" });
          expect(placeholder.map((f) => f.ruleId)).not.toContain(id);
        });
      });
    });
  }
});

/** Values of the code-and-prose cases below, from a generator of their own. */
const proseRandom = seededRandom(1415);
function rProse(chars: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += chars[Math.floor(proseRandom() * chars.length)];
  return `aZ3${out}`;
}

describe("generic detectors on code and prose", () => {
  const codeAndProse: [string, string][] = [
    ["a TypeScript parameter's type", "  passphrase: Uint8Array,"],
    ["a type in a union", "  token: Buffer | null;"],
    ["a parameter type before the closing bracket", "function open(secret: SecretKey32) {"],
    ["a Python annotation with a default", "    api_key: Optional[str] = None"],
    ["a call", "const secret = getSecret();"],
    ["an environment variable read", "  apiKey: process.env.OPENAI_API_KEY,"],
    [
      "a call in prose",
      "**Wrapping.** `wrappedKey = XChaCha20-Poly1305(key = master key, nonce, plaintext = data key,",
    ],
    [
      "a command-line option's help",
      '    ["--print-password", "print the password on stdout instead of writing a file"],',
    ],
    ["a variable's description", '  ASKPASS: "the command a program runs for a password",'],
    ["a form's message", 'password_error = "Passwords do not match"'],
    ["a rule stated as a value", 'password: "must be 8 characters or more"'],
    ["a label in another language", '"password": "Mot de passe"'],
    [
      "a masked value in a doc comment",
      ' * finding on that line masked (`password = "‹generic-secret›"`)',
    ],
    ["a documentation password closing a bracket", "(curl -u / --user user:password)"],
    ["optional chaining", "  pass: matchResult?.pass ?? false,"],
    ["an increment", "const buildKey = nextBuildKey++;"],
    ["a double negation", "const hasExclamationToken = !!node.exclamationToken;"],
    ["a private field read", "const providedKey = _providedKey;"],
    [
      "an export of the same name",
      "exports.AuthenticationMD5Password = AuthenticationMD5Password;",
    ],
    ["a comparison", 'if ("key" === s.content) return;'],
    [
      "a parameter list",
      "export declare function setPassword(service: string, account: string, password: string): Promise<void>;",
    ],
    [
      "a TypeScript type alias",
      "type TemplateLiteralToken = NoSubstitutionTemplateLiteral | PseudoLiteralToken;",
    ],
    ["a symbol's name behind a sigil", 'lastSignificantToken = "?InterpolationInTemplate";'],
    [
      "a list of function names",
      '["crypto_secretbox_easy", "crypto_secretstream_xchacha20poly1305_init_pull"],',
    ],
    [
      "a list of constant names",
      '["crypto_onetimeauth_poly1305_KEYBYTES", "crypto_pwhash_ALG_ARGON2I13"],',
    ],
    ["a scoped name", "var REGISTRATION_KEY = '@@any-promise/REGISTRATION',"],
    ["URL-encoded words", "'x:/resource?key=value%23still-query#first%23still-fragment',"],
    ["a prompt", 'password = ask_password("Password: ")'],
    ["a method of the variable itself", 'password = password.encode("latin1")'],
    ["a set of type names", "COCOA = {'PKObject', 'PKPass', 'PKPassLibrary', 'PKPayment'}"],
    [
      "the first two of three arguments",
      'MovedAttribute("HTTPPasswordMgr", "urllib2", "urllib.request"),',
    ],
    ["type names with an acronym", 'key: typing.Union["_RSAPrivateKey", "_RSAPublicKey"],'],
    ["a format string", 'toolskey = "VS%0.f0COMNTOOLS" % version'],
    ["query parameters of words", "'oauth_token_secret=secret%3Dpassword&oauth_token=lock%26key'"],
  ];
  for (const [what, text] of codeAndProse) {
    it(`reports nothing for ${what}`, () => {
      const findings = scanText(`before\n${text}\nafter\n`, { file: "f.ts" });
      expect(findings.map((f) => `${f.ruleId} ${f.preview}`)).toEqual([]);
    });
  }

  const literals: [string, string, string][] = [
    ["a passphrase of plain words", "password = 'correct horse battery staple'", "generic-secret"],
    [
      "a passphrase with a credential word inside a word",
      'passphrase: "donkey keyboard lantern"',
      "generic-secret",
    ],
    ["a two-word password", 'user = "Aladdin"\npassword = "open sesame"', "generic-secret"],
    ["an unquoted YAML password", `db_password: ${rProse(ALNUM, 12)}`, "generic-secret"],
    [
      "an unquoted value after a colon at the line's end",
      `passphrase: ${rProse(ALNUM, 12)}`,
      "generic-secret",
    ],
    [
      "a quoted value in an object literal",
      `{ user: "app", password: "${rProse(ALNUM, 14)}" },`,
      "generic-secret",
    ],
    ["an unquoted value after an equals sign", `API_TOKEN=${rProse(ALNUM, 24)};`, "generic-secret"],
    [
      "a connection string that starts with its password",
      `conn.Open("Password=${rProse(ALNUM, 14)};User ID=app;Data Source=db01;")`,
      "connection-string-password",
    ],
    ["a password closing a bracket", `(curl -u deploy:${rProse(ALNUM, 16)})`, "curl-user-password"],
    // Digits between letters in two places: drawn, not a type's name before `)`.
    ["a note's password in brackets", "- router (password: Kx9mPq2zT4)", "generic-secret"],
    ["a password with a dollar sign for a letter", 'password = "super$ecret"', "generic-secret"],
    [
      "random letters of both cases",
      `client_secret = "${rProse(LOWER + UPPER, 28).replace(/\d/g, "q")}"`,
      "generic-secret",
    ],
    [
      "a password in a command line's argument list",
      `["--password", "${rProse(ALNUM, 14)}", "--host", "db"]`,
      "generic-secret",
    ],
    [
      "a password in the middle of a YAML flow map",
      `db: {user: admin, password: ${rProse(ALNUM, 14)}, port: 5432}`,
      "generic-secret",
    ],
    [
      "a random key in a flat list of names and values",
      `["user", "admin", "api_key", "${rProse(ALNUM, 24)}", "db"]`,
      "generic-secret",
    ],
    [
      "a password set in a section",
      `parser.set("db", "password", "${rProse(ALNUM, 14)}")`,
      "generic-secret",
    ],
    [
      "a token in a query string before the next parameter",
      `https://api.corp.test/cb?access_token=${rProse(ALNUM, 24)}&state=ok`,
      "generic-secret",
    ],
    [
      "a key in snake case parts",
      `client_secret = "${rProse(LOWER, 10)}_${rProse(ALNUM, 20)}"`,
      "generic-secret",
    ],
  ];
  it("ends a query string's token at the next parameter", () => {
    const token = rProse(ALNUM, 24);
    const [finding] = scanText(`GET /cb?access_token=${token}&state=ok HTTP/1.1`, { file: "f" });
    expect(finding?.match).toBe(token);
  });

  for (const [what, text, id] of literals) {
    it(`finds ${what}`, () => {
      const findings = scanText(`before\n${text}\nafter\n`, { file: "f.ts" });
      expect(
        findings.map((f) => f.ruleId),
        text,
      ).toContain(id);
    });
  }
});

describe("placeholders", () => {
  it("reads a mask or a stand-in's word only as a person writes it, not as chance draws it", () => {
    // A random key's base64 holds `xXXx` or `yOuR` now and then (one DER key in about 500).
    expect(isPlaceholder(`${r(ALNUM, 20)}xXXx${r(ALNUM, 20)}`)).toBe(false);
    expect(isPlaceholder(`${r(ALNUM, 20)}yOuR${r(ALNUM, 20)}`)).toBe(false);
    expect(isPlaceholder("sk-xxxxxxxxxxxxxxxx")).toBe(true);
    expect(isPlaceholder("AKIAXXXXXXXXXXXXXXXX")).toBe(true);
    expect(isPlaceholder("Your-Api-Key-1")).toBe(true);
    const marked = `${DER_PKCS8.slice(0, 400)}xXXx${DER_PKCS8.slice(404)}`;
    expect(
      scanText(`'merchant_private_key' => "${marked}",`, { file: "config/alipay.php" }).map(
        (f) => f.ruleId,
      ),
    ).toContain("der-private-key");
  });

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
      formatVaultReference("main", "GITHUB_TOKEN"),
      // Stand-ins that say to change them, or that the value should be random.
      "change-me",
      "LOCAL_INTERNAL_ONLY_change_via_env",
      "somethingrandom",
      "somethingRandomSomethingRandom123",
    ]) {
      expect(isPlaceholder(text), text).toBe(true);
    }
    for (let i = 0; i < 200; i++)
      expect(isPlaceholder(withGitHubChecksum("ghp_", r(ALNUM, 30)))).toBe(false);
  });

  it("reports no key its owner published for everyone: emulators', test services', API docs'", () => {
    const published: Array<[string, string]> = [
      [
        ".env",
        "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;",
      ],
      [
        "appsettings.json",
        '{"CosmosKey": "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="}',
      ],
      [".env", "RECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"],
    ];
    for (const [file, text] of published) {
      expect(scanText(text, { file }), text).toEqual([]);
    }
  });

  it("tells values typed as examples from drawn ones", () => {
    for (const text of [
      "ghp_1234567890abcdefghijklmnopqrstuvwxyz",
      "a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6",
      "sk_live_abcdef1234567890abcdef1234567890",
      "d4c3b2a1f6e5h8g7",
      "px-dep-d4c3b2a1-f6e5-h8g7-j1i8-p5o0n5m3l2k1",
      "0123456789abcdef0123456789abcdef",
      "AbCdEf1234GhIjKl5678MnOpQr90StUv",
      // Examples documentation prints: Stripe's API reference, jwt.io.
      "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0.KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30",
      "a-string-secret-at-least-256-bits-long",
      // A token made on jwt.io with claims of one's own: signed with its published secret.
      signedJwt(
        { sub: "svc-billing", scope: "admin" },
        "HS384",
        "a-string-secret-at-least-256-bits-long",
      ),
      // Values that say they are not real.
      "somefakesecret1",
      "if_you_see_this_please_use_k8s",
      "not-a-real-token-7Qx2",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTKEY",
      // Six characters counting up in a row inside otherwise drawn-looking hex.
      "b1cf234c0ed4c567890b524a3b42f1bd91c111a1",
    ]) {
      expect(isPlaceholder(text), text).toBe(false);
      expect(looksHandTyped(text), text).toBe(true);
    }
    // The same claims signed with a secret of one's own.
    expect(
      looksHandTyped(signedJwt({ sub: "svc-billing", scope: "admin" }, "HS384", r(ALNUM, 40))),
    ).toBe(false);
    // Stepping back and forth is not counting: random digits do it as often.
    for (const text of ["787769656873", "lklkegkl", "48291735"]) {
      expect(looksHandTyped(text), text).toBe(false);
    }
    for (let i = 0; i < 200; i++) {
      for (const token of [
        withGitHubChecksum("ghp_", r(ALNUM, 30)),
        r(HEX, 32),
        r(ALNUM, 20),
        r(B64, 40),
      ]) {
        expect(looksHandTyped(token), token).toBe(false);
      }
    }
  });

  it("reports a phrase typed as a chosen secret as a warning, not under a token's name", () => {
    const typed = (text: string) =>
      scanText(`${text}\n`, { file: "app.py" }).map((f) => `${f.ruleId}:${f.severity}`);
    for (const text of [
      'SECRET_KEY = "my-very-secret-flask-key-do-not-share-12345"',
      'db_password = "super-secret-password-123"',
      "password: 'correct-horse-battery-staple'",
    ]) {
      expect(typed(text), text).toEqual(["generic-secret:warning"]);
    }
    for (const text of [
      'API_TOKEN = "my-personal-api-token-2024"',
      'existingSecret: "my-release-postgresql-auth"',
      'secret: "postgres-credentials-secret"',
      'password = "value with quotes and spaces"',
      'secret_name = "prod-db-master-password"',
      "SERVER_SIDE_ENCRYPTION_KEY = 'server-side-encryption-header'",
      "'client_secret': 'AUTH_CLIENT_SECRET_value'",
    ]) {
      expect(typed(text), text).toEqual([]);
    }
  });

  it("reports a value typed as an example in a credential's format as a warning of low confidence", () => {
    for (const [id, text] of [
      ["kubernetes-bootstrap-token", "kubeadm join 10.0.0.5:6443 --token abcdef.0123456789abcdef"],
      ["generic-secret", "api_key = 1234567890abcdefghij"],
      ["github-pat", "GITHUB_TOKEN=ghp_1234567890abcdefghijklmnopqrstuvwxyz"],
    ] as const) {
      const findings = scanText(`before\n${text}\nafter\n`, { file: "f.md" });
      expect(
        findings.map((f) => f.ruleId),
        text,
      ).toEqual([id]);
      expect(findings[0], text).toMatchObject({ severity: "warning", confidence: "low" });
      expect(findings[0]?.description, text).toContain(TYPED_NOTE);
    }
  });
});

describe("findings", () => {
  it("reports line and column of the secret and never more than its first 4 characters", () => {
    const token = withGitHubChecksum("ghp_", r(ALNUM, 30));
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
    const token = withGitHubChecksum("ghp_", r(ALNUM, 30));
    expect(scanText(`${token} <!-- vault-allow -->`, { file: "a" })).toEqual([]);
    expect(scanText(`${token} # vault-allow: github-pat`, { file: "a" })).toEqual([]);
    expect(scanText(`${token} # vault-allow: npm-token`, { file: "a" })).toHaveLength(1);
  });

  it("skips the lines other scanners' allow comments mark, and only those", () => {
    const token = withGitHubChecksum("ghp_", r(ALNUM, 30));
    for (const comment of [
      "# pragma: allowlist secret",
      "# pragma: whitelist secret",
      "// gitleaks:allow",
      "# trufflehog:ignore",
    ]) {
      expect(scanText(`t = "${token}"  ${comment}`, { file: "a.py" }), comment).toEqual([]);
    }
    const nextLine = `# pragma: allowlist nextline secret\nt = "${token}"\nu = "${token}"\n`;
    expect(scanText(nextLine, { file: "a.py" }).map((f) => f.line)).toEqual([3]);
    expect(scanText(`t = "${token}"  # pragma: allowlist`, { file: "a.py" })).toHaveLength(1);
    expect(scanText(`t = "${token}"  # not gitleaks:allowed`, { file: "a.py" })).toHaveLength(1);
  });

  it("does not let another scanner's allow comment hide a value the vault holds", async () => {
    const dir = tempDir();
    try {
      const value = r(ALNUM, 24);
      await writeFingerprints(dir.path, [{ name: "API_TOKEN", value }]);
      const matcher = await readFingerprints(dir.path);
      if (!matcher) throw new Error("no fingerprints written");
      const ids = (line: string) => scanText(line, { file: "a.js", matcher }).map((f) => f.ruleId);
      expect(ids(`const k = "${value}"; // gitleaks:allow`)).toEqual(["vault-secret"]);
      expect(ids(`# pragma: allowlist nextline secret\nconst k = "${value}";`)).toEqual([
        "vault-secret",
      ]);
      expect(ids(`const k = "${value}"; // vault-allow: vault-secret`)).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });

  it("reports one finding where a specific and the generic rule both match", () => {
    const findings = scanText(`GITHUB_TOKEN="${withGitHubChecksum("ghp_", r(ALNUM, 30))}"`, {
      file: "a",
    });
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

  it("finds a keyword beyond ASCII as written, not a character that shares its low byte", () => {
    const index = indexKeywordGroups([["\u5bc6\u7801"], ["token"]]);
    expect(findKeywordGroups("- \u5bc6\u7801\uff1a x", index)).toEqual([true, false]);
    // A character next to each of them, and the first alone.
    expect(findKeywordGroups("\u5bc7\u7801 \u5bc6\u7800 \u5bc6", index)).toEqual([false, false]);
    expect(findKeywordGroups("\u5bc6\u7801", index)).toEqual([true, false]);
    // A capital beyond ASCII is a keyword of its own, matched exactly; ASCII around it in any case.
    const capitals = indexKeywordGroups([["\u0410\u0420\u041e\u041b"], ["has\u0141o"]]);
    expect(findKeywordGroups("\u041f\u0410\u0420\u041e\u041b\u042c HAS\u0141O", capitals)).toEqual([
      true,
      true,
    ]);
    expect(findKeywordGroups("\u043f\u0430\u0440\u043e\u043b\u044c HAS\u0142O", capitals)).toEqual([
      false,
      false,
    ]);
  });

  it("finds a keyword at the very end of a text, a two-character one too", () => {
    const index = indexKeywordGroups([["pw"], ["key"]]);
    expect(findKeywordGroups("my PW", index)).toEqual([true, false]);
    expect(findKeywordGroups("pw", index)).toEqual([true, false]);
    expect(findKeywordGroups("a KEY", index)).toEqual([false, true]);
    expect(findKeywordGroups("ke", index)).toEqual([false, false]);
  });
});

describe("rules that run near a literal", () => {
  const pw = () => `${r(LOWER, 6)}${r(DIGITS, 4)}${r(UPPER, 4)}`;
  const urlFindings = (text: string) =>
    scanText(text, { file: "notes.txt" }).filter((f) => f.ruleId === "url-credentials");

  it("finds URL credentials at a text's start and end, and among many URLs close together", () => {
    const first = `postgres://app:${pw()}@db.internal:5432/x`;
    const last = `redis://:${pw()}@cache.internal:6379`;
    const crowd = Array.from({ length: 50 }, (_, i) =>
      i % 7 === 3 ? `amqp://svc:${pw()}@mq${i}.internal/` : `https://docs.site/${i}`,
    ).join(" ");
    const text = `${first} ${crowd}\n${"x".repeat(3000)} ${last}`;
    const found = urlFindings(text).map((f) => f.line);
    expect(found.filter((line) => line === 1)).toHaveLength(1 + 7);
    expect(found.filter((line) => line === 2)).toHaveLength(1);
  });

  it("reads the character before a scheme: a longer run is not a scheme", () => {
    expect(urlFindings(`${"a".repeat(30)}://app:${pw()}@db.internal/`)).toHaveLength(0);
    expect(urlFindings(`${"a".repeat(24)}://app:${pw()}@db.internal/`)).toHaveLength(1);
  });
});

describe("forms other scanners' test data showed missing", () => {
  const found = (text: string, file: string) =>
    scanText(text, { file }).map((f) => [f.ruleId, f.severity, f.match]);

  it("finds a shared access signature outside a URL, as settings hold it", () => {
    const sig = "q8ZxT2vLm9RkPw4sQ7wZmR3kXpAb1Cd2Ef3GxIqKzMn%3D";
    const sas = `sv=2023-11-03&ss=b&srt=sco&sp=rl&se=2026-01-01T00:00:00Z&spr=https&sig=${sig}`;
    expect(found(`AZURE_STORAGE_SAS_TOKEN=${sas}`, ".env")).toEqual([
      ["azure-sas-token", "error", sig],
    ]);
    expect(
      found(
        `"BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=${sas}"`,
        "a.json",
      ),
    ).toEqual([["azure-sas-token", "error", sig]]);
  });

  it("finds an OpenAI service account key named after its account", () => {
    const key = "sk-build-bot-q8ZxT2vLm9RkPw4sQ7wZT3BlbkFJmR3kXpAb1Cd2Ef3GxIqKzMn";
    expect(found(`OPENAI_API_KEY = "${key}"`, "a.py")).toEqual([["openai-api-key", "error", key]]);
    // Other providers' prefixes are not an account's name.
    for (const other of ["sk-ant-", "sk-or-v1-"]) {
      const text = `${other}q8ZxT2vLm9RkPw4sQ7wZT3BlbkFJmR3kXpAb1Cd2Ef3GxIqKzMn`;
      expect(scanText(text, { file: "a.txt" }).map((f) => f.ruleId)).not.toContain(
        "openai-api-key",
      );
    }
  });

  it("finds a URL's password after a user that is an e-mail address", () => {
    expect(found("MAIL_URL=smtps://jsmith@gmail.com:FnD83JZs@smtp.gmail.com:465", ".env")).toEqual([
      ["url-credentials", "error", "FnD83JZs"],
    ]);
  });

  it("leaves a value alone that holds bytes that were not text, or is an e-mail address", () => {
    expect(found("token2=ghp_1234567890abcdef1234567890ABCDEF\uFFFD\uFFFDabcd", ".env")).toEqual(
      [],
    );
    expect(found('{"key":"f45VgF8jX79o@anydata.com"}', "a.json")).toEqual([]);
  });

  it("leaves a signed token whose claims are not JSON alone", () => {
    const header = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";
    expect(found(`t: ${header}.NiIsInR5cCI6IkpXV.NiIsInR5cCI6IkpXV`, "a.md")).toEqual([]);
  });
});

describe("pairs, interface strings and symbols, as checkov's tests hold them", () => {
  const found = (text: string, file: string) =>
    scanText(text, { file }).map((f) => [f.ruleId, f.match]);
  const value = "Zo5Zhexnf9TUggdn+zBKGEkmUUvuKzVN+/fKPaMBA4zVyef4";

  it("finds a credential's name/value pair pretty-printed over lines, or with the value first", () => {
    const ecs = `{\n  "environment": [\n    {\n      "name": "DB_PASSWORD",\n      "value": "${value}"\n    }\n  ]\n}`;
    expect(found(ecs, "task.json")).toEqual([["name-value-credential", value]]);
    expect(found(`[{"value": "${value}", "name": "DB_PASSWORD"}]`, "task.json")).toEqual([
      ["name-value-credential", value],
    ]);
    expect(found(`env:\n  - value: "${value}"\n    name: DB_PASSWORD\n`, "pod.yaml")).toEqual([
      ["name-value-credential", value],
    ]);
    expect(found(`[{"value": "${value}", "name": "TOKEN_COUNT"}]`, "task.json")).toEqual([]);
    // Unquoted and first in a YAML item; a value of 500 characters.
    expect(found(`spec:\n  - value: ${value}\n    name: TEST_PASSWORD_1\n`, "a.yml")).toEqual([
      ["name-value-credential", value],
    ]);
    const long = value.repeat(11).slice(0, 500);
    expect(found(`env:\n  - name: CERT_PASSWORD\n    value: ${long}\n`, "a.yml")).toEqual([
      ["name-value-credential", long],
    ]);
  });

  it("leaves translated interface strings under a password's key alone", () => {
    for (const line of [
      '"repeat_password": "Gjenta passord"',
      '"password_hint": "Passordet må ha minst 6 tegn."',
      '"one_time_password": "Engangskode:"',
      '"password_error": "Contraseña incorrecta"',
    ]) {
      expect(found(`{\n  ${line}\n}`, "nb.json"), line).toEqual([]);
    }
    expect(found('{\n  "wifi_password": "correct horse battery staple"\n}', "a.json")).toEqual([
      ["generic-secret", "correct horse battery staple"],
    ]);
  });

  it("takes a clearly random value under a form word's name, and no typed one", () => {
    const drawn = "F322a45xxmwov9bpgRhyuByXj2nxz7khS6yXQmfSaQCmwbTF2jpfgC56az3a";
    expect(found(`{"my_new_password": "${drawn}"}`, "a.json")).toEqual([["generic-secret", drawn]]);
    expect(found('const newPassword = "hunter2bravo";', "a.js")).toEqual([]);
  });

  it("drops a bracketed stand-in", () => {
    for (const text of [
      'password = "<YOUR_PASSWORD>"',
      'token = "{{ .Values.token }}"',
      'password = "[REDACTED]"',
      "API_KEY=key-{id}-abcdefgh12345678",
    ]) {
      expect(found(text, "a.py"), text).toEqual([]);
    }
  });
});

describe("forms an independent attack on the new rules showed", () => {
  const found = (text: string, file: string) =>
    scanText(text, { file }).map((f) => [f.ruleId, f.match]);
  const session = "aB3dE5fG7hJ9kL1mNx8QrT2";

  it("finds a session cookie in DevTools' multi-line curl and a HAR header, not analytics or anti-forgery cookies", () => {
    expect(
      found(
        `curl 'https://app.example.io/api/me' \\\n  -H 'accept: application/json' \\\n  -b 'sessionid=${session}; csrftoken=x'`,
        "a.sh",
      ),
    ).toEqual([["http-session-cookie", session]]);
    expect(found(`{"name": "Cookie", "value": "sessionid=${session}"}`, "a.har")).toEqual([
      ["http-session-cookie", session],
    ]);
    expect(found(`"cookies": [{"name": "sessionid", "value": "${session}"}]`, "a.har")).toEqual([
      ["name-value-credential", session],
    ]);
    const noise = `curl 'https://example.com/' -H 'Cookie: __stripe_sid=3f1c9a2e-7b4d-4e8f-9a1b-2c3d4e5f6a7b0c9d8e; _hjSessionUser_2891234=eyJpZCI6IjEyMyJ9abcdef; csrftoken=${session}; auth_redirect=/dashboard/settings/profile/security; authProvider=google-oauth2-enterprise-sso'`;
    expect(found(noise, "bug.md")).toEqual([]);
  });

  it("does not give one Kubernetes env entry's value to the next entry's name", () => {
    const env =
      "env:\n- name: GIT_COMMIT\n  value: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b\n- name: GITHUB_TOKEN\n  valueFrom:\n    secretKeyRef:\n      name: gh\n      key: token\n";
    expect(found(env, "dep.yaml")).toEqual([]);
    expect(
      found(
        '{\n  "name": "csrfmiddlewaretoken",\n  "value": "Xk9mQ2vL7zR4wPq8sT1uVb3nM5cX7zL9"\n}',
        "a.har",
      ),
    ).toEqual([]);
  });

  it("finds a Docker config in base64 however it was printed", () => {
    const auth = Buffer.from(`robot:${session}`).toString("base64");
    const config = { credsStore: "desktop", auths: { "registry.example.io": { auth } } };
    for (const json of [JSON.stringify(config, null, "\t"), JSON.stringify(config)]) {
      const encoded = Buffer.from(json).toString("base64");
      expect(found(`DOCKER_AUTH_CONFIG=${encoded}`, ".env"), json).toEqual([
        ["docker-config-base64", encoded],
      ]);
    }
  });

  it("leaves translated interface strings and code around brackets alone", () => {
    for (const [file, text] of [
      ["de.json", '{"password": "Kennwort"}'],
      ["sv.json", '{"password_forgot": "Glömt?"}'],
      ["tox.ini", "oauth2client4: oauth2client>=4,<=5dev"],
      ["tools.py", "    parser.add_argument('--auth_host_port', default=[8080, 8090], type=int)"],
      [
        "access.log",
        "GET /login?next=%2Fv1%2Fitems%3Fpage_token%3DCiAKGjBpNDd2Nmp2Zml2cXRjZmJ1Z2tzcGhtbnQ 302",
      ],
    ]) {
      expect(found(text as string, file as string), text).toEqual([]);
    }
    expect(found('{"password": "Correct horse battery staple."}', "config.json")).toEqual([
      ["generic-secret", "Correct horse battery staple."],
    ]);
  });

  it("finds openssl's cipher commands with -k", () => {
    expect(found("openssl aes-256-cbc -salt -in f -out f.enc -k Xk9mQ2vL7zR4", "a.sh")).toEqual([
      ["openssl-passphrase-argument", "Xk9mQ2vL7zR4"],
    ]);
  });
});

describe("forms an independent attack on the hashing-call, SQL, ThingSpeak and Unsplash rules showed", () => {
  const valuesOf = (text: string, file: string, id: string) =>
    scanText(text, { file })
      .filter((f) => f.ruleId === id)
      .map((f) => text.slice(f.start, f.end));

  it("reads the password a hashing call takes, not its scheme, salt or keyring service", () => {
    const password = rAdded(ALNUM, 12);
    expect(
      valuesOf(
        `keyring.set_password('my-backup-tool', 'alice', '${password}')`,
        "backup.py",
        "hashed-password-literal",
      ),
    ).toEqual([password]);
    for (const text of [
      "h = generate_password_hash(password, 'scrypt')",
      "h = make_password(raw, 'seasalt', 'pbkdf2_sha256')",
      "const h = hashPassword(input.password, 'sha512');",
      "keyring.set_password(SERVICE, 'alice.smith', pw)",
      `const h = bcrypt.hashSync(\`${D}{pw}\`);`,
    ]) {
      expect(valuesOf(text, "seed.js", "hashed-password-literal"), text).toEqual([]);
    }
    for (const text of [
      `const h = await bcrypt.hash(\n    '${password}',\n    10,\n  );`,
      `const h = bcrypt.hashSync(\`${password}\`);`,
      `user.set_password(\n    '${password}'\n)`,
      `hashed = get_password_hash('${password}')`,
      `const h = await Bun.password.hash('${password}');`,
    ]) {
      expect(valuesOf(text, "seed.js", "hashed-password-literal"), text).toEqual([password]);
    }
  });

  it("leaves account marks and scheme names in SQL password columns, reads nested hashing calls", () => {
    for (const mark of ["*LK*", "!locked", "nologin", "sso-only", "ldap", "sha256", "pending"]) {
      const text = `INSERT INTO users (id, name, password) VALUES (1, 'dave', '${mark}');`;
      expect(valuesOf(text, "dump.sql", "sql-insert-credential"), mark).toEqual([]);
    }
    const password = rAdded(ALNUM, 12);
    for (const call of [
      `MD5("${password}")`,
      `UNHEX(SHA1('${password}'))`,
      `HASHBYTES('SHA2_256', '${password}')`,
      `encode(digest('${password}', 'sha256'), 'hex')`,
      `MD5(N'${password}')`,
    ]) {
      const text = `INSERT INTO users (name, password) VALUES ('dave', ${call});`;
      expect(valuesOf(text, "dump.sql", "sql-insert-credential"), call).toEqual([password]);
    }
  });

  it("reads a ThingSpeak key under a key's name only, MATLAB's ReadKey too", () => {
    const file = "sketch.ino";
    const head = '#include "ThingSpeak.h"\n';
    for (const text of [
      `${head}const char* keyid = "${thingSpeakKey()}";`,
      `${head}#define KEY_ID "${thingSpeakKey()}"`,
      `${head}String monkey = "${thingSpeakKey()}";`,
    ]) {
      expect(valuesOf(text, file, "thingspeak-api-key"), text).toEqual([]);
    }
    const key = thingSpeakKey();
    expect(
      valuesOf(
        `data = thingSpeakRead(12397, 'Fields', [1 2], 'ReadKey', '${key}');`,
        "a.m",
        "thingspeak-api-key",
      ),
    ).toEqual([key]);
  });

  it("reads Unsplash's client_id in Unsplash's URLs only", () => {
    const key = rAdded(ALNUM, 40);
    const credit = `<a href="https://unsplash.com/@someone">Photo on Unsplash</a>\n<a href="https://mastodon.social/oauth/authorize?client_id=${key}">Follow</a>\n`;
    expect(valuesOf(credit, "index.html", "unsplash-access-key")).toEqual([]);
    expect(valuesOf(`UNSPLASH_CLIENT_ID=${key}\n`, ".env", "unsplash-access-key")).toEqual([key]);
  });

  it("keeps values that only hold a stand-in's word inside them", () => {
    for (const value of [
      `exchange-meteor-${rAdded(ALNUM, 8)}`,
      "HandsomeThingRandom9",
      `Change-In-2024!${rAdded(ALNUM, 4)}`,
    ]) {
      expect(isPlaceholder(value), value).toBe(false);
    }
    const secret = rAdded(ALNUM, 16);
    expect(rulesOf(`ROLLOUT_PASSWORD=${secret}\n`, ".env")).toContain("generic-secret");
  });
});

function rulesOf(text: string, file: string): string[] {
  return scanText(text, { file }).map((f) => f.ruleId);
}

describe("libedit's history files", () => {
  it("reads \\040 as a blank in .mysql_history, keeping the file's own offsets", () => {
    const password = rAdded(ALNUM, 12);
    const text = `_HiStOrY_V2_\nCREATE\\040USER\\040'app'@'%'\\040IDENTIFIED\\040BY\\040'${password}';\n`;
    const findings = scanText(text, { file: "home/.mysql_history" });
    expect(findings.map((f) => [f.ruleId, text.slice(f.start, f.end)])).toEqual([
      ["sql-password", password],
    ]);
    // Elsewhere `\040` is the text's own: a C string's octal escape is not a blank.
    expect(
      scanText(`printf("IDENTIFIED\\040BY\\040'${password}'");`, { file: "main.c" }).map(
        (f) => f.ruleId,
      ),
    ).not.toContain("sql-password");
  });
});

describe("rules that read only the stretches around a literal", () => {
  it("find a token near any of several literals, and tokens back to back", () => {
    const storage = `${rAdded(ALNUM, 73)}+ASt${rAdded(ALNUM, 2)}A==`;
    const relic = `NRAK-${rAdded(UPPER, 27).slice(3)}`;
    const text = `AccountKey=${storage}\nNEW_RELIC=${relic}\nAccountKey=${storage} ${storage}\n`;
    const ids = scanText(text, { file: "settings.env" }).map((f) => f.ruleId);
    expect(ids.filter((id) => id === "azure-identifiable-key")).toHaveLength(3);
    expect(ids).toContain("new-relic-key");
  });
});

describe("rules found by a provider's name in any case", () => {
  const own = seededRandom(1717);
  const hex = (n: number) =>
    Array.from({ length: n }, () => HEX[Math.floor(own() * HEX.length)]).join("");
  const found = (text: string, ruleId: string) =>
    (RULES.find((rule) => rule.id === ruleId) as ScanRule)
      .scan(text, { file: "app.env" })
      .map((m) => text.slice(m.start, m.end));

  it("finds the value after the name written in any case, assigned or nearby", () => {
    const assigned = hex(32);
    const nearby = hex(32);
    expect(found(`DataDog_Api_Key=${assigned}\n`, "datadog-api-key")).toEqual([assigned]);
    const text = `DATADOG:\n  site: datadoghq.eu\n  key: ${nearby}\n`;
    expect(found(text, "datadog-api-key")).toEqual([nearby]);
  });

  it("keeps the text's own offsets after a letter whose lower case is longer (İ)", () => {
    const key = hex(32);
    expect(found(`İstanbul İzmir\nDATADOG_API_KEY=${key}\n`, "datadog-api-key")).toEqual([key]);
  });

  it("does not read a Kelvin sign as the k of a name, as a case-insensitive pattern does not", () => {
    const key = hex(64);
    expect(found(`\u212Aeen_master=${key}\n`, "keen-api-key")).toEqual([]);
    expect(found(`Keen_Master=${key}\n`, "keen-api-key")).toEqual([key]);
  });
});

describe("the generic rule's budget of names judged in one text", () => {
  it("judges the first 5,000 names with an operator, and no more", () => {
    const own = seededRandom(1818);
    const password = () =>
      Array.from({ length: 20 }, () => ALNUM[Math.floor(own() * ALNUM.length)]).join("");
    const filler = "pw = pw\n".repeat(4_998);
    const first = `${filler}db_password = "${password()}"\n`;
    const past = `${filler}pw = pw\npw = pw\ndb_password = "${password()}"\n`;
    const generic = (text: string) =>
      scanText(text, { file: "app.conf" }).filter((f) => f.ruleId === "generic-secret");
    expect(generic(first)).toHaveLength(1);
    expect(generic(past)).toHaveLength(0);
  });
});

describe("forms real scripts, framework configs and data files showed", () => {
  const own = seededRandom(1919);
  const pick = (chars: string, n: number) =>
    Array.from({ length: n }, () => chars[Math.floor(own() * chars.length)]).join("");
  const password = () => `${pick(LOWER, 5)}${pick(DIGITS, 3)}${pick(UPPER, 3)}#`;
  const found = (file: string, text: string) =>
    scanText(text, { file }).map((f) => [f.ruleId, text.slice(f.start, f.end)]);

  it("finds an expect block's answer to a password prompt, and one in escaped quotes", () => {
    const first = password();
    const second = password();
    const block = `spawn ssh root@10.0.0.5\nexpect {\n\t"yes/no" { send "yes\\r"; exp_continue }\n\t"*assword:" { send "${first}\\r" }\n}\n`;
    expect(found("login.exp", block)).toEqual([["scripted-login-password", first]]);
    const escaped = `expect \\"*password:\\"\n send \\"${second}\\r\\"\n`;
    expect(found("deploy.sh", escaped)).toEqual([["scripted-login-password", second]]);
  });

  it("reads an expect block's answer from a variable as no value, and a starred-out one as masked", () => {
    expect(found("login.exp", 'expect {\n\t"*password:" { send "$passwd\\r" }\n}\n')).toEqual([]);
    expect(found("mail.py", "mail_pass = '7*passwd*x'\n")).toEqual([]);
  });

  it("finds the password of a login call on a mail or file-transfer client of any name", () => {
    const secret = password();
    expect(found("ftp.py", `f = ftplib.FTP(host)\nf.login("ric", "${secret}")\n`)).toEqual([
      ["basic-auth-call-password", secret],
    ]);
    expect(found("mail.py", `smtpObj.login("me@example.org", "${secret}")\n`)).toEqual([
      ["basic-auth-call-password", secret],
    ]);
  });

  it("finds the default a reader of an environment variable falls back to", () => {
    const salt = pick(HEX, 64);
    const key = `${pick(ALNUM, 24)}`;
    expect(found("app_local.php", `'salt' => env('SECURITY_SALT', '${salt}'),\n`)).toEqual([
      ["env-fallback-credential", salt],
    ]);
    expect(found("settings.py", `SECRET_KEY = os.getenv("APP_SECRET_KEY", "${key}")\n`)).toEqual([
      ["env-fallback-credential", key],
    ]);
    expect(found("settings.py", `SECRET_KEY = config('SECRET_KEY', default='${key}')\n`)).toEqual([
      ["env-fallback-credential", key],
    ]);
    expect(found("runtime.exs", `secret = System.get_env("API_TOKEN", "${key}")\n`)).toEqual([
      ["env-fallback-credential", key],
    ]);
    expect(
      found("database.php", "'key' => env('APP_KEY'),\n'name' => env('APP_NAME', 'Laravel'),\n"),
    ).toEqual([]);
  });

  it("reads a MySQL command's name, not a file's that starts with it", () => {
    const secret = password();
    const clean = 'find "$DIR" -name "mysql-backup-*.sql.gz" -mtime +7 -print0 | xargs -0 rm\n';
    expect(found("backup.sh", clean)).toEqual([]);
    expect(found("backup.sh", `mysqldump -uroot -p${secret} shop > shop.sql\n`)).toEqual([
      ["mysql-cli-password", secret],
    ]);
  });

  it("reads Perl's and PHP's `->` as a method call on a credential's setter", () => {
    const secret = `${pick(ALNUM, 10)}&${pick(DIGITS, 2)}*${pick(ALNUM, 6)}`;
    expect(found("app.pl", `app->secret('${secret}')->start('daemon');\n`)).toEqual([
      ["generic-secret", secret],
    ]);
    expect(found("form.php", "$form->password('confirmPassword2');\n")).toEqual([]);
  });

  it("finds the password of a foreign server's user mapping", () => {
    const secret = password();
    const sql = `CREATE USER MAPPING FOR app SERVER warehouse OPTIONS (user 'app', password '${secret}');\n`;
    expect(found("up.sql", sql)).toEqual([["sql-password", secret]]);
  });

  it("takes a drawn 32-digit hex key of low measured entropy under a key's name", () => {
    let key = "";
    do key = pick("0123456789abcdef", 32);
    while (!(shannonEntropy(key) >= 3.0 && shannonEntropy(key) < 3.2));
    expect(found("OAI_CONFIG_LIST", `[{"model": "gpt-4", "api_key": "${key}"}]`)).toEqual([
      ["generic-secret", key],
    ]);
  });
});

describe("forms real libraries, bundles, provisioning files and notes showed", () => {
  const own = seededRandom(2020);
  const pick = (chars: string, n: number) =>
    Array.from({ length: n }, () => chars[Math.floor(own() * chars.length)]).join("");
  const password = () => `${pick(LOWER, 5)}${pick(DIGITS, 3)}${pick(UPPER, 3)}#`;
  const key = () => `${pick(ALNUM, 14)}${pick(DIGITS, 2)}${pick(UPPER, 2)}${pick(LOWER, 6)}`;
  const found = (file: string, text: string) =>
    scanText(text, { file }).map((f) => [f.ruleId, text.slice(f.start, f.end)]);
  const severities = (file: string, text: string) =>
    scanText(text, { file }).map((f) => [text.slice(f.start, f.end), f.severity]);

  it("reads a schema's field declared by its type's name as no value", () => {
    const fields =
      "  password = _messages.MessageField('NotifierSecretRef', 2)\n" +
      "  credentials = _messages.MessageField('GoogleCloudApigeeV1Credential', 8, repeated=True)\n" +
      "  privateIpv6GoogleAccess = _messages.EnumField('PrivateIpv6GoogleAccessValueValuesEnum', 20)\n" +
      "  cryptoKey = _messages.MessageField('GooglePrivacyDlpV2CryptoKey', 2)\n" +
      "  desiredPrivateIpv6Access = _messages.MessageField('PrivateIPv6Status', 74)\n";
    expect(found("apigee_v1_messages.py", fields)).toEqual([]);
    const secret = key();
    expect(found("settings.py", `api_key = str('${secret}')\n`)).toEqual([
      ["generic-secret", secret],
    ]);
  });

  it("reads Python's unquoted names and keywords as code, a comment's value as a value", () => {
    const code =
      "def update(self, name,\n           db_password=None):\n" +
      "    params[sse_key_member] = key_b64_encoded\n" +
      "ResetAdminPassword.method_config = lambda: base_api.ApiMethodInfo(\n";
    expect(found("layer1.py", code)).toEqual([]);
    const secret = password();
    expect(found("deploy.py", `# password = ${secret}\n`)).toEqual([["generic-secret", secret]]);
  });

  it("reads a docstring's field descriptions as sentences", () => {
    const doc =
      '  """Fields:\n    password: Optional. The password for the PostgreSQL connection.\n' +
      "    _password: DEPRECATED: For improved security, use the secret.\n" +
      "    private_key_password: String. Password for PKCS#12 key.\n" +
      "    credentials: :class:`oauth2client.Credentials`\n" +
      "    credentials: oauth2client.client.OAuth2Credentials.\n" +
      '    :type hash_key: int|long|float|str|unicode|Binary\n  """\n';
    expect(found("messages.py", doc)).toEqual([]);
  });

  it("reads resource paths, registry keys, type names and ids as names", () => {
    const names =
      "      Example key: zones/us-central1-a\n" +
      "  --kms-key=projects/*/locations/*/keyRings/*/cryptoKeys/*\n" +
      "AUTH_VERSION_1_ALPHA = 'authentication.gke.io/v1alpha1'\n" +
      "STORAGE_V1_CLIENT_KEY = 'storage_v1_client'\n" +
      "OSLOGIN_ENABLE_2FA_METADATA_KEY = 'enable-oslogin-2fa'\n" +
      "      'secret': 'V1SecretVolumeSource',\n" +
      '  "result_key": "Ipv6CidrAssociations",\n' +
      "      OS_CREDENTIAL_DUMPING_ETC_PASSWORD_AND_ETC_SHADOW: T1003.008\n";
    expect(found("client.py", names)).toEqual([]);
    expect(
      found(
        "install.mjs",
        'const WINDOWS_NLS_CODEPAGE_KEY = "HKLM\\\\SYSTEM\\\\Control\\\\Nls";\n',
      ),
    ).toEqual([]);
    // A password's slash and a count are its own (`nutanix/4u`), a drawn key's slash too.
    expect(found("user-data", "chpasswd:\n  list: |\n    root:nutanix/4u\n")).toEqual([
      ["cloud-init-chpasswd", "nutanix/4u"],
    ]);
    const drawn = `${pick(ALNUM, 20)}/${pick(ALNUM, 19)}=`;
    expect(found("config.py", `SECRET_KEY = '${drawn}'\n`)).toEqual([["generic-secret", drawn]]);
  });

  it("reports the OAuth RFCs' example tokens as typed examples", () => {
    const response =
      '{\n  "access_token":"2YotnFZFEjr1zCsicMWpAA",\n  "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"\n}\n';
    expect(severities("parameters.py", response)).toEqual([
      ["2YotnFZFEjr1zCsicMWpAA", "warning"],
      ["tGzv3JOkF0XG5Qx2TlKWIA", "warning"],
    ]);
  });

  it("reads base64 of a stand-in user and password as a stand-in", () => {
    expect(found("test_sts.py", 'BASIC_AUTH_ENCODING = "dXNlcm5hbWU6cGFzc3dvcmQ="\n')).toEqual([]);
  });

  it("reads minified code, variables and the next key or option after a name as no value", () => {
    const bundle =
      "o.key=r.C0.NUL:e.keyCode;let password=!(opts.secretInputMode);x.tokenTable=e.tokenTable?new u:v;" +
      "F.auth=F.isWritable=F.isReadable=void 0;e.keyCode===32?o.key=r.C0.NUL:e.keyCode;\n" +
      "\t\ttokens: senderE164Tokens\n\t\tartifactKey: artifactSha256\n" +
      'mask: { keys: ["password"], censor: "hash" },\n';
    expect(found("bundle.mjs", bundle)).toEqual([]);
    expect(
      found("SKILL.md", "`cli login --email you@example.com --password-stdin --browser`\n"),
    ).toEqual([]);
    const help = `help:{"v1-m2hvpw-3m":\`Controla cuándo se activa el indicador de escritura de los agentes\`},decision:{pass:\`Bestanden\`,revise:\`Überarbeiten\`}`;
    expect(found("de.js", help)).toEqual([]);
    const secret = key();
    expect(found("config.js", `// token: ${secret}\n`)).toEqual([["generic-secret", secret]]);
  });

  it("reports a machine's or a network's default password as a warning where a file sets it up", () => {
    const preseed =
      "d-i passwd/root-password password toor\nd-i passwd/user-password password vagrant\n" +
      "d-i passwd/user-password-again password changeme\n";
    expect(severities("preseed.cfg", preseed)).toEqual([
      ["toor", "warning"],
      ["vagrant", "warning"],
    ]);
    expect(severities("ks.cfg", "user --name=pi --password=raspberry\n")).toEqual([
      ["raspberry", "warning"],
    ]);
    const secret = password();
    expect(severities("ks.cfg", `rootpw --plaintext ${secret}\n`)).toEqual([[secret, "error"]]);
  });

  it("finds a Wi-Fi passphrase of digits, and one a comment keeps", () => {
    const digits = pick(DIGITS, 10);
    const old = `${pick(UPPER, 1)}${pick(LOWER, 7)}.${pick(DIGITS, 6)}`;
    const conf = `network={\n  ssid="home"\n  psk="${digits}"\n  #psk="${old}"\n}\n`;
    expect(found("wpa_supplicant.conf", conf)).toEqual([
      ["wifi-psk", digits],
      ["wifi-psk", old],
    ]);
  });

  it("finds a variable's default password however its block is aligned, a default one as a warning", () => {
    const secret = password();
    const block = (name: string, value: string) =>
      `variable "${name}" {\n    type        = string\n    default     = "${value}"\n    sensitive   = true\n}\n`;
    expect(severities("vars.pkr.hcl", block("ssh_pass", secret))).toEqual([[secret, "error"]]);
    expect(severities("vars.pkr.hcl", block("ssh_pass", "packer"))).toEqual([
      ["packer", "warning"],
    ]);
    expect(severities("variables.tf", block("bypass_cache", "true-ish"))).toEqual([]);
  });

  it("finds an Office 365 connector's webhook of any connector's name", () => {
    const hex = (n: number) => pick("0123456789abcdef", n);
    const guid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    const url = `https://outlook.office.com/webhook/${guid()}@${guid()}/TravisCI/${hex(32)}/${guid()}`;
    expect(found(".travis.yml", `notifications:\n  webhooks:\n    - ${url}\n`)).toEqual([
      ["teams-webhook", url],
    ]);
  });

  it("keeps what those readings must not hide (an independent attack's cases)", () => {
    const secret = `${pick(UPPER, 2)}${pick(DIGITS, 1)}${pick(LOWER, 3)}${pick(DIGITS, 1)}${pick(UPPER, 2)}${pick(DIGITS, 1)}${pick(LOWER, 2)}`;
    const drawn = key();
    const cases: [string, string, string][] = [
      ["settings.py", `    secret_key: str = Field("${drawn}", env="SECRET_KEY")\n`, drawn],
      ["models.py", `    api_token = db.Column("${drawn}")\n`, drawn],
      ["conf.py", `INI = """\n[auth]\nclient_secret = ${drawn}\n"""\n`, drawn],
      [".env", `DB_PASSWORD=${secret}.\n`, `${secret}.`],
      ["app.js", `// staging: password=${secret}?${pick(LOWER, 3)}\n`, ""],
      ["app.js", "const env = `\nDB_PASSWORD=SummerBreeze2024\n`;\n", "SummerBreeze2024"],
      ["config.yml", `secret_data: ${drawn}\n`, drawn],
      ["config.yml", 'api_key: "9zk-h4-7qx-m28-3vb-w5"\n', "9zk-h4-7qx-m28-3vb-w5"],
      ["config.yml", 'client_secret: "Tq8Wmxz3V7Lkpr5Nbjd"\n', "Tq8Wmxz3V7Lkpr5Nbjd"],
      ["config.yml", 'backup_passphrase: "tundra#7 ocelot 42x mint kayak fjord"\n', ""],
      ["config.yml", 'password: "Horse/Battery/Staple9"\n', "Horse/Battery/Staple9"],
      ["config.yml", 'basic_auth: "YWRtaW46c2VjcmV0NDI="\n', "YWRtaW46c2VjcmV0NDI="],
    ];
    for (const [file, text, value] of cases) {
      const values = scanText(text, { file }).map((f) => text.slice(f.start, f.end));
      if (value === "") expect(values, `${file}: ${text}`).toHaveLength(1);
      else expect(values, `${file}: ${text}`).toContain(value);
    }
    // Stand-ins that name what they stand for are no machine's password.
    const standIns =
      "d-i passwd/root-password password username\nd-i passwd/user-password password mypassword\n";
    expect(found("preseed.cfg", standIns)).toEqual([]);
    expect(found("wpa_supplicant.conf", 'network={\n\tssid="home"\n\tpsk="ssid_psk"\n}\n')).toEqual(
      [],
    );
    expect(found("账号密码.md", "工单号INC0012345\n")).toEqual([]);
  });

  it("reads a note's columns: a value between its label and a comment, one after a CJK label", () => {
    const values = [key(), key()];
    const note = `### Levels\n\nlevel1\t\t${values[0]}\t\tsort | uniq -u (command to find only unique lines)\nlevel2\t${values[1]} \t\tstrings command\n`;
    expect(found("passwords.md", note)).toEqual(
      values.map((value) => ["credential-note-value", value]),
    );
    const secret = `${pick(UPPER, 1)}${pick(LOWER, 5)}@20${pick(DIGITS, 2)}`;
    expect(found("账号密码.md", `线上：http://10.0.0.8/#/     admin/${secret}\n`)).toEqual([
      ["credential-note-value", secret],
    ]);
    expect(found("账号密码.md", `线上：http://10.0.0.8/#/  其它默认${secret}\n`)).toEqual([
      ["credential-note-value", secret],
    ]);
  });
});
