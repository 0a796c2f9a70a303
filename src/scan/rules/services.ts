/**
 * Other services: prefixed tokens of search, scraping, identity, commerce and hosting
 * services, base64-wrapped private keys (kubeconfig `client-key-data`), and the many services
 * whose keys have no prefix and are found by name (one line each: id, what, names, shape).
 */
import type { ScanRule } from "../rule.js";
import {
  classCount,
  decodeBase64Url,
  type NamedValueSpec,
  namedValueRules,
  SHAPES,
  tokenRules,
} from "./build.js";

const mixed = (secret: string) => classCount(secret) >= 3;

/** One name-found value: `[id, description, names, shape, validate?]`. */
type NamedRow = [string, string, string[], string, ((secret: string) => boolean)?];

const NAMED: NamedRow[] = [
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
  ["klaviyo-private-key", "Klaviyo private API key", ["klaviyo"], "pk_[a-f0-9]{34}"],
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
  [
    "backblaze-application-key",
    "Backblaze B2 application key",
    ["b2_application_key", "backblaze", "b2_app_key"],
    "K0\\d{2}[a-z0-9+/]{27}",
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
  ["voyage-api-key", "Voyage AI API key", ["voyage"], "pa-[a-z0-9_\\-]{43}"],
  ["mollie-api-key", "Mollie live API key", ["mollie"], "live_[a-z0-9]{30}"],
  ["openweather-api-key", "OpenWeather API key", ["openweather", "owm_api"], SHAPES.hex32],
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

export const SERVICE_RULES: ScanRule[] = [
  ...tokenRules([
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
      token: "BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM=[a-f0-9]{8}:[a-f0-9]{8}",
    },
    {
      id: "base64-private-key",
      description: "Base64-encoded PEM private key (kubeconfig client-key-data, env vars)",
      keywords: ["ls0tls1crudjti"],
      token: "LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,16000}={0,2}",
      boundary: "A-Za-z0-9+/=",
      suggestedName: "PRIVATE_KEY_BASE64",
      validate: (secret) => /PRIVATE KEY/.test(decodeBase64Url(secret.slice(0, 80)) ?? ""),
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
];
