/**
 * Other services: prefixed tokens of search, scraping, identity, commerce and hosting
 * services, base64-wrapped private keys (kubeconfig `client-key-data`), and the many services
 * whose keys have no prefix and are found by name (one line each: id, what, names, shape).
 */
import { shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import {
  classCount,
  decodeBase64Url,
  isRandomHex,
  type NamedValueSpec,
  namedValueRules,
  re,
  regexRule,
  SHAPES,
  tokenRules,
} from "./build.js";

const mixed = (secret: string) => classCount(secret) >= 3;

/** OpenWeather's key as the `appid` of its API's URLs (elsewhere an `appid` is a public id). */
const openWeatherUrlKey = regexRule({
  id: "openweather-url-key",
  description: "OpenWeather API key as an API URL's appid (part of openweather-url-key)",
  keywords: ["appid="],
  pattern: re("[?&](?:appid|APPID)=(?<secret>[a-f0-9]{32})(?![A-Za-z0-9])"),
  // In OpenWeather's URL, or a string that starts with the query's `appid` (the key joined to
  // the URL later: `baseUrl + "&appid=…"`); not another service's URL (Agora's App ID is 32
  // hex digits too).
  validate: (secret, match, text) => {
    const before = text.slice(Math.max(0, match.index - 320), match.index);
    const line = before.slice(before.lastIndexOf("\n") + 1);
    return (
      isRandomHex(secret) && (/openweathermap\.org\/[^\s"'<>]*$/.test(line) || /["'`]$/.test(line))
    );
  },
});

/** The same as a query map's `appid` (`'appid': '…'`, `"appid" => "…"`, `APPID = "…"`). */
const openWeatherMapKey = regexRule({
  id: "openweather-url-key",
  description: "OpenWeather API key as a query map's appid (part of openweather-url-key)",
  keywords: ["appid"],
  pattern: re(
    `(?<![\\w$])(?<quote>["']?)(?:appid|APPID)\\k<quote>[ \\t]{0,4}(?:=>|[:=])[ \\t]{0,4}["'](?<secret>[a-f0-9]{32})["']`,
  ),
  validate: (secret) => isRandomHex(secret),
});

/**
 * OpenWeather's API key: the `appid` of its URLs, or of a query's map in a text that names its
 * API's host (`openweathermap.org`, looked for once a text).
 */
const openWeatherKey: ScanRule = {
  id: "openweather-url-key",
  description:
    "OpenWeather API key as a query's appid (in its API URL, a string \"&appid=…\", or a map's appid in a file that calls OpenWeather)",
  keywords: ["appid"],
  severity: "error",
  confidence: "high",
  suggestedName: "OPENWEATHER_API_KEY",
  scan(text) {
    const inUrls = openWeatherUrlKey.scan(text);
    if (!text.includes("openweathermap.org")) return inUrls;
    const starts = new Set(inUrls.map((found) => found.start));
    return [...inUrls, ...openWeatherMapKey.scan(text).filter((found) => !starts.has(found.start))];
  },
};

/** One name-found value: `[id, description, names, shape, validate?]`. */
type NamedRow = [string, string, string[], string, ((secret: string) => boolean)?];

const NAMED: NamedRow[] = [
  ["clarifai-api-key", "Clarifai API key or PAT", ["clarifai"], SHAPES.hex32],
  // `na1.` / `eu1.` alone start many words: only by FullStory's name.
  [
    "fullstory-api-key",
    "FullStory API key",
    ["fullstory", "full_story"],
    "(?:na1|eu1)\\.[a-z0-9+/]{60,120}={0,2}",
    (secret) => mixed(secret.slice(4)),
  ],
  ["aiven-token", "Aiven API token", ["aiven"], "[a-z0-9+/=]{100,400}", mixed],
  ["agora-secret", "Agora app certificate or customer secret", ["agora"], SHAPES.hex32],
  ["abuseipdb-api-key", "AbuseIPDB API key", ["abuseipdb"], "[a-f0-9]{80}"],
  ["baremetrics-api-key", "Baremetrics API key", ["baremetrics"], "[a-z0-9_]{25}", mixed],
  ["checkr-api-key", "Checkr API key", ["checkr"], SHAPES.hex40],
  ["diffbot-token", "Diffbot API token", ["diffbot"], SHAPES.hex32],
  [
    "apilayer-access-key",
    "APILayer access key (ipstack, weatherstack, MapQuest and similar)",
    ["ipstack", "weatherstack", "mapquest", "apilayer"],
    `${SHAPES.hex32}|[a-z0-9]{32}`,
  ],
  ["newsapi-key", "NewsAPI key", ["newsapi", "news_api"], SHAPES.hex32],
  ["serpapi-key", "SerpApi API key", ["serpapi"], SHAPES.hex64],
  ["serper-api-key", "Serper API key", ["serper"], SHAPES.hex40],
  ["zenrows-api-key", "ZenRows API key", ["zenrows"], SHAPES.hex40],
  ["scrapingbee-api-key", "ScrapingBee API key", ["scrapingbee"], "[a-z0-9]{80}"],
  ["clearbit-api-key", "Clearbit secret API key", ["clearbit"], "sk_[a-f0-9]{32}"],
  [
    "optimizely-token",
    "Optimizely personal access token",
    ["optimizely"],
    "[a-z0-9:_-]{54}",
    mixed,
  ],
  ["uptimerobot-api-key", "UptimeRobot API key", ["uptimerobot"], "u[0-9]{5,8}-[a-f0-9]{24}"],
  [
    "mux-token-secret",
    "Mux API token secret",
    ["mux_token_secret", "mux_secret"],
    "[a-z0-9+/]{60,80}",
    mixed,
  ],
  ["ably-api-key", "Ably API key", ["ably"], "[a-z0-9_-]{6}\\.[a-z0-9_-]{6}:[a-z0-9_-]{43}"],
  ["cloudinary-api-secret", "Cloudinary API secret", ["cloudinary"], "[a-z0-9_-]{27}", mixed],
  ["kagi-api-key", "Kagi API key", ["kagi"], "[a-z0-9_.-]{40,60}", mixed],
  ["browserless-token", "Browserless API token", ["browserless"], "[a-z0-9]{32,50}"],
  [
    "shortcut-api-token",
    "Shortcut (Clubhouse) API token",
    ["shortcut_api", "clubhouse_api"],
    SHAPES.uuid,
  ],
  ["particle-token", "Particle access token", ["particle"], SHAPES.hex40],
  ["saucelabs-access-key", "Sauce Labs access key", ["sauce_access_key", "saucelabs"], SHAPES.uuid],
  ["browserstack-access-key", "BrowserStack access key", ["browserstack"], "[a-z0-9]{20}", mixed],
  ["infura-api-key", "Infura project secret or API key", ["infura"], SHAPES.hex32],
  ["alchemy-api-key", "Alchemy API key", ["alchemy"], "[a-z0-9_-]{32}", mixed],
  [
    "etherscan-api-key",
    "Etherscan-family block explorer API key (Etherscan, Polygonscan, BscScan)",
    ["etherscan", "polygonscan", "bscscan"],
    "[a-z0-9]{34}",
  ],
  ["finnhub-api-key", "Finnhub API key", ["finnhub"], "[a-z0-9]{20}"],
  ["flickr-api-key", "Flickr API key or secret", ["flickr"], `${SHAPES.hex32}|[a-f0-9]{16}`],
  ["freshbooks-token", "FreshBooks access token", ["freshbooks"], "[a-z0-9]{64}"],
  ["nytimes-api-key", "New York Times API key", ["nytimes"], "[a-z0-9_-]{32}", mixed],
  ["kucoin-api-secret", "KuCoin API key or secret", ["kucoin"], `[a-f0-9]{24}|${SHAPES.uuid}`],
  ["squarespace-api-key", "Squarespace API key", ["squarespace"], SHAPES.uuid],
  ["plaid-secret", "Plaid client secret", ["plaid"], SHAPES.alnum(30)],
  [
    "finicity-secret",
    "Finicity client secret or app key",
    ["finicity"],
    `[a-z0-9]{20}|${SHAPES.hex32}`,
  ],
  ["privateai-api-key", "Private AI API key", ["private_ai", "privateai"], "[a-z0-9]{32}"],
  ["looker-client-secret", "Looker API client secret", ["looker"], "[a-z0-9]{24}", mixed],
  ["line-channel-secret", "LINE Messaging API channel secret", ["line_channel"], SHAPES.hex32],

  [
    "mongodb-atlas-api-key",
    "MongoDB Atlas API private key",
    ["atlas_private", "mongodb_atlas", "atlas_api"],
    SHAPES.uuid,
  ],
  ["confluent-api-secret", "Confluent Cloud API secret", ["confluent"], "[a-z0-9+/]{64}", mixed],
  ["bitly-token", "Bitly access token", ["bitly"], SHAPES.hex40],
  ["pusher-secret", "Pusher Channels app secret", ["pusher"], "[a-f0-9]{20}"],
  ["mailjet-secret", "Mailjet API secret key", ["mailjet", "mj_apikey_private"], SHAPES.hex32],
  ["sparkpost-api-key", "SparkPost API key", ["sparkpost"], SHAPES.hex40],
  [
    "mixpanel-secret",
    "Mixpanel API secret or service account secret",
    ["mixpanel"],
    "[a-z0-9]{32}",
    mixed,
  ],
  [
    // Project tokens (also 32 hex digits) are public by design: only names that say secret.
    "mixpanel-api-secret",
    "Mixpanel API secret by name",
    ["mixpanel_api_secret", "mixpanel_secret", "mixpanel secret", "mixpanel api secret"],
    SHAPES.hex32,
  ],
  ["zoom-client-secret", "Zoom OAuth or JWT app secret", ["zoom"], "[a-z0-9]{32}", mixed],
  [
    "consul-token",
    "HashiCorp Consul ACL token",
    ["consul_http_token", "consul_token", "consul"],
    SHAPES.uuid,
  ],
  ["nomad-token", "HashiCorp Nomad ACL token", ["nomad_token", "nomad"], SHAPES.uuid],
  [
    "hasura-admin-secret",
    "Hasura admin secret",
    ["hasura_graphql_admin_secret", "hasura"],
    "[a-z0-9_\\-]{20,64}",
    mixed,
  ],
  [
    "meilisearch-master-key",
    "Meilisearch master key",
    ["meili_master_key", "meilisearch"],
    "[a-z0-9_\\-]{32,64}",
    mixed,
  ],
  [
    "duo-secret-key",
    "Duo Security integration secret key",
    ["duo_skey", "duo_secret", "skey"],
    "[a-z0-9]{40}",
    mixed,
  ],
  ["hetzner-cloud-token", "Hetzner Cloud API token", ["hcloud", "hetzner"], "[a-z0-9]{64}", mixed],
  [
    "vultr-api-key",
    "Vultr API key",
    ["vultr"],
    "[A-Z0-9]{36}",
    (secret) => classCount(secret) >= 2,
  ],
  ["meraki-api-key", "Cisco Meraki Dashboard API key", ["meraki"], SHAPES.hex40],
  ["shodan-api-key", "Shodan API key", ["shodan"], "[a-z0-9]{32}", mixed],
  ["virustotal-api-key", "VirusTotal API key", ["virustotal", "vt_api_key"], SHAPES.hex64],
  ["spotify-client-secret", "Spotify client secret", ["spotify"], SHAPES.hex32],
  [
    "github-client-secret",
    "GitHub OAuth app client secret",
    ["github_client_secret", "github_secret", "gh_client_secret"],
    SHAPES.hex40,
  ],
  ["pipedrive-api-token", "Pipedrive API token", ["pipedrive"], SHAPES.hex40],
  ["webflow-api-token", "Webflow API token", ["webflow"], SHAPES.hex64],
  ["smartsheet-token", "Smartsheet access token", ["smartsheet"], "[a-z0-9]{26,37}", mixed],
  ["rapidapi-key", "RapidAPI key", ["rapidapi", "x-rapidapi-key"], "[a-z0-9_\\-]{50}", mixed],
  [
    "cypress-record-key",
    "Cypress Cloud record key",
    ["cypress_record_key", "cypress"],
    SHAPES.uuid,
  ],
  [
    "expo-access-token",
    "Expo access token",
    ["expo_token", "expo_access_token"],
    "[a-z0-9_\\-]{40}",
    mixed,
  ],
  ["railway-token", "Railway API or project token", ["railway"], SHAPES.uuid],
  ["mollie-api-key", "Mollie live API key", ["mollie"], "live_[a-z0-9]{30}"],
  ["openweather-api-key", "OpenWeather API key", ["openweather", "owm"], SHAPES.alnum(32)],
  ["ipinfo-token", "IPinfo access token", ["ipinfo"], "[a-f0-9]{14}"],
  ["coveralls-token", "Coveralls repository token", ["coveralls"], "[a-z0-9]{32,37}", mixed],
  ["codacy-token", "Codacy API or project token", ["codacy"], "[a-z0-9]{20,32}", mixed],
  ["bitrise-token", "Bitrise access token", ["bitrise"], "[a-z0-9_\\-]{86}", mixed],
  ["docusign-secret", "DocuSign integration secret", ["docusign"], SHAPES.uuid],
  ["toggl-api-token", "Toggl Track API token", ["toggl"], SHAPES.hex32],
  [
    "harvest-token",
    "Harvest personal access token",
    ["harvest"],
    "\\d{5,8}\\.pt\\.[a-z0-9_\\-]{80,100}",
  ],
  ["miro-token", "Miro access token", ["miro"], "eyJtaXJv[a-z0-9_\\-]{40,200}"],
  ["customerio-api-key", "Customer.io API key", ["customerio", "customer_io"], SHAPES.hex32],
  ["braze-api-key", "Braze REST API key", ["braze"], SHAPES.uuid],
  [
    "onesignal-api-key",
    "OneSignal REST API key",
    ["onesignal"],
    "(?:os_v2_app_[a-z0-9]{100,120}|[a-z0-9]{48})",
    mixed,
  ],
  [
    "keen-api-key",
    "Keen (keen.io) master, write or read key",
    ["keen_master", "keen_write", "keen_read", "keen_api", "keenio", "keen.io", "keen_io"],
    SHAPES.hex64,
  ],
  ["pinata-api-secret", "Pinata (IPFS) API secret", ["pinata"], SHAPES.hex64],
  [
    "flagsmith-api-key",
    "Flagsmith organisation API key",
    ["flagsmith"],
    "[a-z0-9]{8}\\.[a-z0-9]{32}",
    mixed,
  ],
  ["amplitude-secret", "Amplitude secret key", ["amplitude"], SHAPES.hex32],
  [
    "elastic-api-key",
    "Elastic / Elasticsearch API key",
    ["elastic_api_key", "es_api_key", "elasticsearch_api_key"],
    "[a-z0-9+/_\\-]{40,120}={0,2}",
    mixed,
  ],
  [
    "snowflake-password",
    "Snowflake password or private key passphrase",
    ["snowflake"],
    "[a-z0-9!@#%^&*_+\\-]{12,64}",
    mixed,
  ],
  ["upstash-token", "Upstash Redis REST token", ["upstash"], "A[a-z0-9_\\-]{40,120}={0,2}", mixed],
  [
    "qdrant-api-key",
    "Qdrant or Weaviate API key",
    ["qdrant", "weaviate"],
    "[a-z0-9_\\-]{32,64}",
    mixed,
  ],
  [
    "sentry-dsn-secret",
    "Sentry legacy DSN secret key",
    ["sentry_secret", "sentry_key"],
    SHAPES.hex32,
  ],
];

/**
 * A short key (too short to be looked for merely near a name) assigned to the provider's name
 * followed by `key`, `token` or `secret`, with or without a separator: `CLAY_API_KEY=…`,
 * `clay key: …`, `cloudsight api_key = …`. The name must start a word.
 */
function keyByShortName(id: string, description: string, name: string, value: string): ScanRule {
  return regexRule({
    id,
    description,
    keywords: [name],
    suggestedName: `${name.toUpperCase()}_API_KEY`,
    confidence: "medium",
    pattern: re(
      `(?<![A-Za-z0-9])${name}[ _.-]?(?:api[ _.-]?)?(?:key|token|secret)["']?[ \\t]{0,4}[:=][ \\t]{0,4}["']?(?<secret>${value})(?![A-Za-z0-9])`,
      "i",
    ),
    validate: (secret) =>
      /[0-9].*[0-9]/.test(secret) && (isRandomHex(secret) || shannonEntropy(secret) >= 3),
  });
}

/**
 * A WorkOS production key: `sk_` and the base64 of `key_01<ULID>,<secret>`. The encoded key id
 * proves the format; a random rest rules out a stand-in.
 */
function isWorkOsKey(secret: string): boolean {
  const head = Buffer.from(secret.slice(3, 47), "base64").toString("latin1");
  return /^key_01[0-9A-Z]{24},/.test(head) && classCount(secret.slice(47)) >= 3;
}

/**
 * A PEM private key in base64: its BEGIN line names a private key, and the line after it (and
 * after any `Proc-Type:`-style headers) is base64 of 16 or more characters, not text.
 */
function isEncodedPrivateKey(secret: string): boolean {
  const pem = decodeBase64Url(secret) ?? "";
  const begin = /^-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY-----\r?\n/.exec(pem);
  if (!begin) return false;
  const lines = pem.slice(begin[0].length, begin[0].length + 2000).split(/\r?\n/);
  const body = lines.find((line) => line.trim() !== "" && !/^[A-Za-z-]{1,40}:/.test(line));
  return body !== undefined && /^[A-Za-z0-9+/]{16,}={0,2}$/.test(body.trim());
}

export const SERVICE_RULES: ScanRule[] = [
  ...tokenRules([
    {
      // Stack Auth (and Neon Auth, built on it) secret server keys: `ssk_` and 45 to 47 random
      // lower-case letters and digits. The `pck_` client key beside it is public.
      id: "stack-auth-secret-server-key",
      description: "Stack Auth secret server key",
      keywords: ["ssk_"],
      token: "ssk_[a-z0-9]{44,48}",
      validate: (secret) =>
        /[a-z]/.test(secret.slice(4)) &&
        /[0-9]/.test(secret.slice(4)) &&
        shannonEntropy(secret.slice(4)) >= 3.8,
      suggestedName: "STACK_SECRET_SERVER_KEY",
    },
    {
      // Pangea (security APIs) tokens: `pts_` and 32 random lower-case letters and digits.
      id: "pangea-token",
      description: "Pangea service token",
      keywords: ["pts_"],
      token: "pts_[a-z0-9]{32}",
      validate: (secret) =>
        /[a-z]/.test(secret.slice(4)) &&
        /[0-9]/.test(secret.slice(4)) &&
        shannonEntropy(secret.slice(4)) >= 3.8,
      suggestedName: "PANGEA_TOKEN",
    },
    {
      // Staging keys (`sk_test_` and the same base64) are left to stripe-test-key, a warning.
      id: "workos-api-key",
      description: "WorkOS production API key",
      keywords: ["sk_a2v5xzax"],
      token: "sk_a2V5XzAx[A-Za-z0-9+/]{50,120}={0,2}",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "WORKOS_API_KEY",
      validate: isWorkOsKey,
    },
    {
      // Elastic Cloud Serverless: `essu_`, the base64 of an API key's base64 `id:key`, then four
      // zero bytes and a checksum (92 base64 characters with their padding).
      id: "elastic-serverless-api-key",
      description: "Elastic Cloud Serverless API key",
      keywords: ["essu_"],
      token: "essu_(?:[A-Za-z0-9+/]{92}|[A-Za-z0-9+/]{91}=|[A-Za-z0-9+/]{90}==)",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "ELASTIC_API_KEY",
      validate: (secret) =>
        classCount(secret.slice(5)) >= 3 && shannonEntropy(secret.slice(5)) >= 4,
    },
    {
      // `private_` and 20 random bytes in base64 (27 characters and one `=`); the public key
      // has the same shape after `public_`.
      id: "imagekit-private-key",
      description: "ImageKit private API key",
      keywords: ["private_"],
      token: "private_[A-Za-z0-9+/]{27}=",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "IMAGEKIT_PRIVATE_KEY",
      validate: (secret) =>
        classCount(secret.slice(8, -1)) >= 3 && shannonEntropy(secret.slice(8, -1)) >= 4,
    },
    {
      id: "fleetbase-api-key",
      description: "Fleetbase live API key",
      keywords: ["flb_live_"],
      token: "flb_live_[A-Za-z0-9]{20}",
      suggestedName: "FLEETBASE_API_KEY",
      validate: (secret) => classCount(secret.slice(9)) >= 2,
    },
    {
      // Hex around the fixed `msh`, `p` and `jsn` marks (50 characters): found without a name,
      // unlike rapidapi-key (any 50 characters by RapidAPI's name).
      id: "rapidapi-app-key",
      description: "RapidAPI application key (by its msh/jsn marks)",
      keywords: ["msh"],
      token: "[a-f0-9]{10}msh[a-f0-9]{15}p[a-f0-9]{6}jsn[a-f0-9]{12}",
      near: { literal: "jsn", before: 35, after: 12 },
      suggestedName: "RAPIDAPI_KEY",
      validate: (secret) => shannonEntropy(secret.replace(/msh|jsn/g, "")) >= 3,
    },
    {
      id: "tavily-api-key",
      description: "Tavily API key",
      keywords: ["tvly-"],
      token: "tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}",
    },
    {
      id: "firecrawl-api-key",
      description: "Firecrawl API key",
      keywords: ["fc-"],
      token: "fc-[a-f0-9]{32}",
    },
    {
      id: "steel-api-key",
      description: "Steel (cloud browser) API key",
      keywords: ["ste-"],
      token: "ste-[A-Za-z0-9]{40,128}",
      suggestedName: "STEEL_API_KEY",
      validate: (secret) =>
        classCount(secret.slice(4)) >= 3 && shannonEntropy(secret.slice(4)) >= 4,
    },
    {
      id: "browserbase-api-key",
      description: "Browserbase API key",
      keywords: ["bb_live_"],
      token: "bb_live_[A-Za-z0-9_\\-]{27}",
    },
    {
      id: "langfuse-secret-key",
      description: "Langfuse secret key",
      keywords: ["sk-lf-"],
      token: `sk-lf-${SHAPES.uuid}`,
    },
    {
      id: "jumpcloud-api-key",
      description: "JumpCloud API key",
      keywords: ["jca_"],
      token: "jca_[A-Za-z0-9]{36}",
      validate: mixed,
    },
    {
      id: "nightfall-api-key",
      description: "Nightfall API key",
      keywords: ["nf-"],
      token: "NF-[A-Za-z0-9]{32}",
      validate: mixed,
    },
    {
      id: "woocommerce-secret",
      description: "WooCommerce REST consumer secret",
      keywords: ["cs_"],
      token: "cs_[a-f0-9]{40}",
    },
    {
      id: "infisical-token",
      description: "Infisical service token",
      keywords: ["st."],
      token: `st\\.${SHAPES.uuid}\\.[a-f0-9]{32}\\.[a-f0-9]{32}`,
      boundary: "A-Za-z0-9_.\\-",
    },
    {
      id: "akamai-edgegrid-token",
      description: "Akamai EdgeGrid client or access token",
      keywords: ["akab-"],
      token: "akab-[a-z0-9]{16}-[a-z0-9]{16}",
    },
    {
      id: "sidekiq-credentials",
      description: "Sidekiq Pro / Enterprise license credentials",
      keywords: ["contribsys"],
      // As an environment variable (`BUNDLE_GEMS__CONTRIBSYS__COM=…`) or as `bundle config`
      // writes it to `.bundle/config` (`BUNDLE_GEMS__CONTRIBSYS__COM: "…"`).
      token:
        "BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM(?:=|:[ \\t]{0,4}[\"']?)(?<secret>[a-f0-9]{8}:[a-f0-9]{8})",
    },
    {
      id: "adobe-client-secret",
      description: "Adobe Developer Console OAuth client secret",
      keywords: ["p8e-"],
      token: "p8e-[A-Za-z0-9_-]{32}",
      suggestedName: "ADOBE_CLIENT_SECRET",
      validate: (secret) => classCount(secret.slice(4)) >= 2,
    },
    {
      id: "clickhouse-cloud-secret",
      description: "ClickHouse Cloud API secret key",
      keywords: ["4b1d"],
      token: "4b1d[A-Za-z0-9]{38}",
      suggestedName: "CLICKHOUSE_API_SECRET",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
    },
    {
      id: "intra42-client-secret",
      description: "42 Intra API client secret",
      keywords: ["s-s4t2"],
      token: "s-s4t2(?:ud|af)-[a-f0-9]{64}",
      suggestedName: "INTRA42_CLIENT_SECRET",
    },
    {
      id: "apify-api-token",
      description: "Apify API token",
      keywords: ["apify_api_"],
      token: "apify_api_[A-Za-z0-9]{36}",
      suggestedName: "APIFY_TOKEN",
      validate: (secret) => classCount(secret.slice(10)) >= 3,
    },
    {
      id: "paddle-api-key",
      description: "Paddle Billing API key",
      keywords: ["pdl_live_apikey_", "pdl_sdbx_apikey_"],
      token: "pdl_(?:live|sdbx)_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3}",
      suggestedName: "PADDLE_API_KEY",
    },
    {
      id: "zuplo-api-key",
      description: "Zuplo API key",
      keywords: ["zpka_"],
      token: "zpka_[a-f0-9]{32}_[a-f0-9]{8}",
      suggestedName: "ZUPLO_API_KEY",
    },
    {
      id: "rootly-api-key",
      description: "Rootly API key",
      keywords: ["rootly_"],
      token: "rootly_[a-f0-9]{64}",
      suggestedName: "ROOTLY_API_KEY",
    },
    {
      id: "stytch-secret",
      description: "Stytch project secret",
      keywords: ["secret-test-", "secret-live-"],
      token: "secret-(?:test|live)-[A-Za-z0-9_=-]{36}",
      suggestedName: "STYTCH_SECRET",
      validate: (secret) => classCount(secret.slice(12)) >= 3,
    },
    {
      id: "teamcity-token",
      description: "JetBrains TeamCity access token",
      keywords: ["eyj0exaioiaivenwmij9"],
      token: "eyJ0eXAiOiAiVENWMiJ9\\.[A-Za-z0-9_-]{36}\\.[A-Za-z0-9_-]{48}",
      suggestedName: "TEAMCITY_TOKEN",
    },
    {
      id: "jina-api-key",
      description: "Jina AI API key",
      keywords: ["jina_"],
      token: "jina_[a-f0-9]{32}[A-Za-z0-9_-]{28,40}",
      suggestedName: "JINA_API_KEY",
    },
    {
      id: "pubnub-secret-key",
      description: "PubNub secret key",
      keywords: ["sec-c-"],
      token: "sec-c-[A-Za-z0-9]{48}",
      suggestedName: "PUBNUB_SECRET_KEY",
      validate: (secret) => classCount(secret.slice(6)) >= 3,
    },
    {
      id: "samsara-api-token",
      description: "Samsara API token",
      keywords: ["samsara_api_"],
      token: "samsara_api_[A-Za-z0-9]{26,32}",
      validate: (secret) => classCount(secret.slice(12)) >= 3,
      suggestedName: "SAMSARA_API_TOKEN",
    },
    {
      id: "builderio-private-key",
      description: "Builder.io private API key",
      keywords: ["bpk-"],
      token: "bpk-[a-f0-9]{32}",
      suggestedName: "BUILDER_PRIVATE_KEY",
    },
    {
      id: "base64-private-key",
      description: "Base64-encoded PEM private key (kubeconfig client-key-data, env vars)",
      keywords: ["ls0tls1crudjti"],
      token: "LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,16000}={0,2}",
      boundary: "A-Za-z0-9+/=",
      suggestedName: "PRIVATE_KEY_BASE64",
      validate: isEncodedPrivateKey,
    },
    {
      id: "mongodb-atlas-service-account-secret",
      description: "MongoDB Atlas service account client secret",
      keywords: ["mdb_sa_sk_"],
      token: "mdb_sa_sk_[A-Za-z0-9_]{40}",
      suggestedName: "MONGODB_ATLAS_CLIENT_SECRET",
      validate: (secret) => mixed(secret.slice(10)),
    },
    {
      id: "aikido-token",
      description: "Aikido client secret or CI token",
      keywords: ["aik_secret_", "aik_ci_"],
      token: "AIK_(?:SECRET_[A-Za-z0-9]{64}|CI_[A-Za-z0-9]{20,44})",
      suggestedName: "AIKIDO_CLIENT_SECRET",
      validate: (secret) => mixed(secret.slice(secret.indexOf("_", 4) + 1)),
    },
    {
      // Exactly 32 hex digits, not inside a longer word (`menu_…`, `cu_…_v2`).
      id: "checkly-api-key",
      description: "Checkly API key",
      keywords: ["cu_"],
      token: "cu_[a-f0-9]{32}",
      boundary: "A-Za-z0-9_\\-.",
      confidence: "medium",
      suggestedName: "CHECKLY_API_KEY",
      validate: (secret) => /[0-9]/.test(secret.slice(3)) && isRandomHex(secret.slice(3)),
    },
    {
      id: "ubidots-token",
      description: "Ubidots API token",
      keywords: ["bbff-", "bbus-"],
      token: "BB(?:FF|US)-[A-Za-z0-9]{30,34}",
      suggestedName: "UBIDOTS_TOKEN",
      validate: (secret) => mixed(secret.slice(5)),
    },
    {
      id: "unkey-root-key",
      description: "Unkey root key",
      keywords: ["unkey_"],
      token: "unkey_[A-Za-z0-9]{16,48}",
      suggestedName: "UNKEY_ROOT_KEY",
      validate: (secret) => mixed(secret.slice(6)) && shannonEntropy(secret.slice(6)) >= 3.5,
    },
    {
      id: "coralogix-api-key",
      description: "Coralogix personal or team API key",
      keywords: ["cxup_", "cxtp_"],
      token: "cx(?:up|tp)_[A-Za-z0-9]{25,40}",
      suggestedName: "CORALOGIX_API_KEY",
      validate: (secret) => mixed(secret.slice(5)) && shannonEntropy(secret.slice(5)) >= 3.5,
    },
    {
      id: "onfido-api-token",
      description: "Onfido API token (live or sandbox)",
      keywords: ["api_live.", "api_live_", "api_sandbox.", "api_sandbox_"],
      token: "api_(?:live|sandbox)(?:_us|_ca)?\\.[A-Za-z0-9_\\-]{11}\\.[A-Za-z0-9_\\-]{32}",
      boundary: "A-Za-z0-9_\\-.",
      suggestedName: "ONFIDO_API_TOKEN",
      validate: (secret) => mixed(secret.slice(secret.lastIndexOf(".") + 1)),
    },
    {
      id: "persona-api-key",
      description: "Persona API key (production or sandbox)",
      keywords: ["persona_production_", "persona_sandbox_"],
      token: "persona_(?:production|sandbox)_[A-Za-z0-9-]{32,80}",
      suggestedName: "PERSONA_API_KEY",
      validate: (secret) => {
        const tail = secret.slice(secret.indexOf("_", 8) + 1);
        return /[0-9]/.test(tail) && /[a-z]/i.test(tail) && shannonEntropy(tail) >= 3.3;
      },
    },
  ]),
  ...namedValueRules(
    NAMED.map(
      ([id, description, names, value, validate]): NamedValueSpec => ({
        id,
        description,
        names,
        value,
        ...(validate ? { validate } : {}),
      }),
    ),
  ),
  openWeatherKey,
  regexRule({
    // Unlike Sentry's DSN (public by Sentry's own account: it only submits events), the key of
    // a DeepSource DSN uploads analysis results and coverage for a repository.
    id: "deepsource-dsn",
    description: "DeepSource DSN (reporting key in the URL)",
    keywords: ["@app.deepsource.com"],
    suggestedName: "DEEPSOURCE_DSN",
    pattern: re("https://(?<secret>[a-f0-9]{32})@app\\.deepsource\\.com(?![A-Za-z0-9.-])"),
    validate: (secret) => shannonEntropy(secret) >= 3,
  }),
  regexRule({
    id: "blynk-token",
    description: "Blynk device auth token in a Blynk.Cloud URL",
    keywords: ["blynk.cloud"],
    suggestedName: "BLYNK_AUTH_TOKEN",
    pattern: re(
      `https?://(?:[a-z0-9]{2,6}\\.)?blynk\\.cloud/external/api/[A-Za-z0-9/]{0,40}\\?(?:[A-Za-z0-9_.=%-]{0,60}&)?token=(?<secret>[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])`,
    ),
    validate: (secret) => classCount(secret) >= 3,
  }),
  regexRule({
    // A channel's read or write key: 16 capitals and digits. The name alone says little
    // (`myReadAPIKey` reads as a function elsewhere), so only in a file that talks to ThingSpeak,
    // under a key's name (`apiKey`, `WRITE_KEY`, `myReadAPIKey`; not `keyId` or `monkey`), in a
    // ThingSpeak call, or as MATLAB's `'ReadKey'`/`'WriteKey'` argument.
    id: "thingspeak-api-key",
    description: "ThingSpeak channel API key (read or write) in a file that uses ThingSpeak",
    keywords: ["thingspeak"],
    suggestedName: "THINGSPEAK_API_KEY",
    confidence: "medium",
    pattern: re(
      `(?:[Kk]ey|KEY)(?<=(?:^|[^A-Za-z0-9_])(?:[A-Za-z0-9]{0,16}?(?:[Aa]pi|API|[Rr]ead|READ|[Ww]rite|WRITE|[Cc]hannel|CHANNEL)_?)?(?:[Kk]ey|KEY))["']?(?:[ \\t]{0,4}(?:=>|[:=,])[ \\t]{0,4}|[ \\t]{1,8})["']?(?<secret>[A-Z0-9]{16})(?![A-Za-z0-9])|ThingSpeak\\.[A-Za-z]{3,30}\\([^()\\n]{0,80}?"(?<secretAlt>[A-Z0-9]{16})"`,
    ),
    validate: (secret) => /[A-Z]/.test(secret) && /[0-9]/.test(secret),
  }),
  regexRule({
    // Unsplash's access key travels as `client_id` (in an Unsplash API URL's query) or in
    // `Authorization: Client-ID …`: 43 characters of base64url, the app's credential despite the
    // name. Also an `.env`'s `UNSPLASH_ACCESS_KEY`/`UNSPLASH_CLIENT_ID`.
    id: "unsplash-access-key",
    description: "Unsplash access key (client_id of an Unsplash API call, Client-ID header)",
    keywords: ["unsplash"],
    suggestedName: "UNSPLASH_ACCESS_KEY",
    confidence: "medium",
    pattern: re(
      `unsplash\\.com/[^\\s"'\`<>?]{0,200}\\?(?:[^\\s"'\`<>#]{0,300}&)?client_id=(?<secret>[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])|Client-ID[ \\t]{1,4}(?<secretAlt>[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])|UNSPLASH_(?:ACCESS_KEY|CLIENT_ID|API_KEY|KEY)["']?[ \\t]{0,4}[:=][ \\t]{0,4}["']?(?<secretAlt2>[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`,
      "i",
    ),
    validate: (secret) => classCount(secret) >= 3 && shannonEntropy(secret) >= 4,
  }),
  regexRule({
    // The project id in an endpoint URL is the API key: what Infura bills and rate-limits.
    id: "infura-url-key",
    description: "Infura API key in an Infura endpoint URL",
    keywords: ["infura.io/"],
    suggestedName: "INFURA_API_KEY",
    confidence: "medium",
    pattern: re(
      `(?:https|wss)://[a-z0-9-]{1,40}\\.infura\\.io/(?:ws/)?v3/(?<secret>[a-f0-9]{32})(?![A-Za-z0-9])`,
    ),
    validate: (secret) => shannonEntropy(secret) >= 3,
  }),
  regexRule({
    // Like Infura's, an Alchemy endpoint URL carries the app's API key as its last segment.
    id: "alchemy-url-key",
    description: "Alchemy API key in an Alchemy endpoint URL",
    keywords: ["alchemy.com/", "alchemyapi.io/"],
    suggestedName: "ALCHEMY_API_KEY",
    confidence: "medium",
    pattern: re(
      `(?:https|wss)://[a-z0-9-]{1,40}\\.(?:g\\.alchemy\\.com|alchemyapi\\.io)/(?:v2|nft/v[23])/(?<secret>[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])`,
    ),
    validate: (secret) => classCount(secret) >= 3,
  }),
  regexRule({
    // A QuickNode endpoint's URL: the endpoint's name and network, then its token.
    id: "quicknode-url-token",
    description: "QuickNode token in a QuickNode endpoint URL",
    keywords: ["quiknode.pro/"],
    suggestedName: "QUICKNODE_RPC_URL",
    confidence: "medium",
    pattern: re(
      `(?:https|wss)://[a-z0-9-]{1,80}(?:\\.[a-z0-9-]{1,40}){0,3}\\.quiknode\\.pro/(?<secret>[a-f0-9]{32,64})(?![A-Za-z0-9])`,
    ),
    validate: (secret) => isRandomHex(secret),
  }),
  regexRule({
    // Moralis' Speedy Nodes: the account's key, then the chain and network.
    id: "moralis-speedy-node-key",
    description: "Moralis Speedy Node key in its endpoint URL",
    keywords: ["moralis.io/"],
    suggestedName: "MORALIS_NODE_URL",
    confidence: "medium",
    pattern: re(
      `(?:https|wss)://speedy-nodes-[a-z]{2,12}\\.moralis\\.io/(?<secret>[a-f0-9]{24,32})/`,
    ),
    validate: (secret) => shannonEntropy(secret) >= 3,
  }),
  regexRule({
    // Truffle's and Hardhat's guides keep the Infura or Alchemy project id, the RPC API key,
    // in one file with the wallet's mnemonic or private key (`secrets.json`); not another
    // name's project id (WalletConnect's `walletConnectProjectId` is public).
    id: "web3-project-id",
    description: "Infura or Alchemy project id (an RPC API key) beside a wallet's mnemonic or key",
    keywords: ["projectid", "project_id"],
    suggestedName: "INFURA_API_KEY",
    confidence: "medium",
    pattern: re(
      `(?:(?<![A-Za-z0-9])|infura_?|alchemy_?)project_?id["']?[ \\t]{0,4}[:=][ \\t]{0,4}["'](?<secret>[A-Za-z0-9_-]{32})["']`,
      "i",
    ),
    validate: (secret, match, text) =>
      (/^[a-f0-9]{32}$/.test(secret) ? isRandomHex(secret) : classCount(secret) >= 3) &&
      /mnemonic|private_?key["'`]?[ \t]{0,4}[:=]|hdwalletprovider/i.test(
        text.slice(Math.max(0, match.index - 400), match.index + 400),
      ),
  }),
  regexRule({
    // Premium endpoints of Ankr: the chain's name, then the account's 64-hex key.
    id: "ankr-url-key",
    description: "Ankr RPC API key in an Ankr endpoint URL",
    keywords: ["rpc.ankr.com/"],
    suggestedName: "ANKR_API_KEY",
    confidence: "medium",
    pattern: re(
      `(?:https|wss)://rpc\\.ankr\\.com/[a-z0-9_]{2,30}/(?:ws/)?(?<secret>[a-f0-9]{64})(?![A-Za-z0-9])`,
    ),
    validate: (secret) => isRandomHex(secret),
  }),
  // `clay` also ends words (`display_key`): the name starts a word.
  keyByShortName("clay-api-key", "Clay API key by name", "clay", "[a-f0-9]{20}"),
  keyByShortName(
    "cloudsight-api-key",
    "CloudSight API key by name",
    "cloudsight",
    "[a-z0-9]{20,24}",
  ),
  regexRule({
    id: "thingsboard-token",
    description: "ThingsBoard device access token or provisioning secret",
    keywords: ["thingsboard.cloud/api/v1/", "provisiondevicesecret"],
    suggestedName: "THINGSBOARD_TOKEN",
    pattern: re(
      `thingsboard\\.cloud/api/v1/(?<secret>[a-z0-9]{20})(?![A-Za-z0-9])|"provisionDeviceSecret"[ \\t]{0,4}:[ \\t]{0,4}"(?<secretAlt>[a-z0-9]{20})"`,
    ),
    validate: (secret) => classCount(secret) >= 2 && shannonEntropy(secret) >= 3,
  }),
];
