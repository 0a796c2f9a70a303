/**
 * Observability, incident and identity services: Grafana, New Relic, Datadog, Sentry, Sumo
 * Logic, Dynatrace, Honeycomb, Splunk, PagerDuty, Opsgenie, Rollbar, Bugsnag, Okta, Auth0,
 * ngrok and others.
 */
import { shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import {
  B64URL,
  classCount,
  decodeBase64Url,
  isRandomHex,
  namedValueRules,
  re,
  regexRule,
  SHAPES,
  tokenRules,
} from "./build.js";

export const OPS_RULES: ScanRule[] = [
  ...tokenRules([
    {
      // Pydantic Logfire write tokens and API keys: `pylf_v1_`, the data region (us, eu) and
      // about 44 random letters and digits.
      id: "logfire-token",
      description: "Pydantic Logfire write token or API key",
      keywords: ["pylf_v1_"],
      token: "pylf_v1_[a-z]{2,8}_[A-Za-z0-9]{36,64}",
      validate: (secret) => {
        const random = secret.slice(secret.lastIndexOf("_") + 1);
        return classCount(random) >= 3 && shannonEntropy(random) >= 3.8;
      },
      suggestedName: "LOGFIRE_TOKEN",
    },
    {
      id: "grafana-api-key",
      description: "Grafana API key (legacy)",
      keywords: ["eyjrijoi"],
      token: "eyJrIjoi[A-Za-z0-9+/]{60,400}={0,2}",
      boundary: "A-Za-z0-9+/=",
      // A Grafana key decodes to {"k":…,"n":name,"id":n}; other `{"k":` payloads are not one.
      validate: (secret) => /"n"\s*:/.test(decodeBase64Url(secret) ?? ""),
      suggestedName: "GRAFANA_API_KEY",
    },
    {
      id: "grafana-cloud-token",
      description: "Grafana Cloud access policy token",
      keywords: ["glc_"],
      token: "glc_[A-Za-z0-9+/]{32,400}={0,2}",
      boundary: "A-Za-z0-9+/=_",
      suggestedName: "GRAFANA_CLOUD_TOKEN",
    },
    {
      id: "grafana-service-account-token",
      description: "Grafana service account token",
      keywords: ["glsa_"],
      token: "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
      suggestedName: "GRAFANA_TOKEN",
    },
    {
      id: "new-relic-key",
      // Not browser keys (`NRJS-…`): the browser agent puts them in every page it instruments.
      description: "New Relic user, ingest or insights key",
      keywords: ["nrak-", "nraa-", "nrii-", "nriq-", "nrra-", "nral"],
      token:
        "(?:NRAK-[A-Z0-9]{27}|NRAA-[a-f0-9]{27}|NRI[IQ]-[A-Za-z0-9_\\-]{32}|NRRA-[a-f0-9]{42}|(?:[a-z]{2}\\d{2}xx)?[a-f0-9]{30,36}NRAL)",
      near: {
        literal: ["NRAK-", "NRAA-", "NRII-", "NRIQ-", "NRRA-", "NRAL"],
        before: 42,
        after: 42,
      },
      suggestedName: "NEW_RELIC_API_KEY",
    },
    {
      id: "pixie-key",
      description: "New Relic Pixie API or deploy key",
      keywords: ["px-api-", "px-dep-"],
      token: "px-(?:api|dep)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}",
    },
    {
      id: "sentry-token",
      description: "Sentry organization or user auth token",
      keywords: ["sntrys_", "sntryu_"],
      token: "(?:sntrys_eyJ[A-Za-z0-9+/_=\\-]{60,300}|sntryu_[a-f0-9]{64})",
      boundary: "A-Za-z0-9+/_=\\-",
      suggestedName: "SENTRY_AUTH_TOKEN",
    },
    {
      // dt0c01 API tokens, dt0s01/dt0s02/… OAuth client secrets, dt0s16 platform tokens: a
      // prefix, 24 public characters (8 in an OAuth client's id, `dt0s02.UZCK6ENL`) and 64
      // secret ones. Dynatrace's documentation example (public part ST2EY72KQINMH574WMNVI7YN)
      // is not a finding.
      id: "dynatrace-token",
      description: "Dynatrace API token, platform token or OAuth client secret",
      // Also OneAgent tokens: `dt0a01.`, eight letters and digits, then 64 hex digits.
      keywords: ["dt0c", "dt0s", "dt0a"],
      token:
        "dt0[cs]\\d{2}\\.[A-Z0-9]{8}(?:[A-Z0-9]{16})?\\.[A-Z0-9]{64}|dt0a\\d{2}\\.[a-z0-9]{8}\\.[a-f0-9]{64}",
      boundary: "A-Za-z0-9.",
      validate: (secret) =>
        !secret.includes(".ST2EY72KQINMH574WMNVI7YN.") &&
        (!secret.startsWith("dt0a") || isRandomHex(secret.slice(16))),
    },

    {
      id: "honeycomb-key",
      description: "Honeycomb ingest key",
      keywords: ["hcaik_", "hcxik_"],
      token: "hc[ax]ik_[a-z0-9]{58}",
    },
    {
      id: "authress-key",
      description: "Authress service client access key",
      keywords: [".acc_", ".acc-"],
      token:
        "(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\\.[a-z0-9]{4,6}\\.acc[_\\-][a-z0-9\\-]{10,32}\\.[a-z0-9+/_=\\-]{30,120}",
      boundary: "A-Za-z0-9+/_=\\-.",
      flags: "i",
    },
  ]),
  ...namedValueRules([
    {
      id: "datadog-api-key",
      description: "Datadog API or application key",
      names: [
        "datadog",
        "dd_api_key",
        "dd_app_key",
        "dd_application_key",
        "dd-api-key",
        "dd-application-key",
        "dd_appkey",
        "dd_apikey",
      ],
      value: "(?:[a-f0-9]{40}|[a-f0-9]{32})",
      suggestedName: "DD_API_KEY",
    },
    {
      id: "sentry-legacy-token",
      description: "Sentry auth token (64 hex digits, before the sntry prefixes)",
      names: ["sentry_auth_token", "sentry_token", "sentry_api_token", "sentry"],
      value: SHAPES.hex64,
      suggestedName: "SENTRY_AUTH_TOKEN",
    },
    {
      id: "sumologic-access-key",
      description: "Sumo Logic access id or key",
      names: ["sumo"],
      value: "(?:su[a-z0-9]{12}|[a-z0-9]{64})",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "ngrok-authtoken",
      description: "ngrok authtoken or API key",
      names: ["ngrok", "authtoken"],
      value: "[0-9a-z]{25,28}_[0-9a-z]{20,22}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "okta-token",
      description: "Okta API token",
      names: ["okta"],
      value: `00[${B64URL}]{40}`,
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "auth0-client-secret",
      description: "Auth0 client secret or management token",
      names: ["auth0"],
      value: SHAPES.b64url(64),
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "honeycomb-legacy-key",
      description: "Honeycomb API key (legacy form)",
      names: ["honeycomb", "x-honeycomb-team"],
      value: "(?:[a-z0-9]{22}|[a-f0-9]{32})",
      validate: (secret) => classCount(secret) >= 2,
    },
    {
      id: "splunk-token",
      description: "Splunk HEC or authentication token",
      names: ["splunk"],
      value: `(?:${SHAPES.uuid}|eyJ[${B64URL}]{40,}\\.[${B64URL}]{20,}\\.[${B64URL}]{20,})`,
    },
    {
      id: "pagerduty-token",
      description: "PagerDuty API or integration key",
      names: ["pagerduty", "pager_duty", "routing_key"],
      value: "(?:u\\+[A-Za-z0-9_+\\-]{18}|[a-z0-9_+\\-]{20}|[a-f0-9]{32})",
      validate: (secret) => classCount(secret) >= 2,
    },
    {
      id: "opsgenie-api-key",
      description: "Opsgenie API key",
      names: ["opsgenie", "geniekey"],
      value: SHAPES.uuid,
    },
    {
      id: "rollbar-token",
      description: "Rollbar access token",
      names: ["rollbar"],
      value: SHAPES.hex32,
    },
    {
      id: "bugsnag-api-key",
      description: "Bugsnag API key",
      names: ["bugsnag"],
      value: SHAPES.hex32,
    },
    {
      id: "loggly-token",
      description: "Loggly customer token",
      names: ["loggly"],
      value: SHAPES.uuid,
    },
    {
      id: "mezmo-ingestion-key",
      description: "Mezmo (LogDNA) ingestion key",
      names: ["logdna", "mezmo"],
      value: SHAPES.hex32,
    },
    {
      id: "new-relic-license-key",
      description: "New Relic license key (40 hex)",
      names: ["new_relic", "newrelic", "nr_license"],
      value: "[a-f0-9]{36}(?:NRAL|[a-f0-9]{4})",
    },
    {
      id: "grafana-password",
      description: "Grafana admin password or API key by name",
      names: ["grafana"],
      value: "(?:eyJ[A-Za-z0-9+/=]{40,400}|[A-Za-z0-9+/=_\\-]{20,64})",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "cloudsmith-token",
      description: "Cloudsmith or Packagecloud API key",
      names: ["cloudsmith", "packagecloud"],
      value: "[a-f0-9]{40,48}",
    },
    {
      id: "sendbird-token",
      description: "Sendbird API token",
      names: ["sendbird"],
      value: SHAPES.hex40,
    },
    {
      // Atlassian Statuspage API keys: 64 hex digits (sent as `Authorization: OAuth <key>`),
      // a UUID in older configs.
      id: "statuspage-api-key",
      description: "Atlassian Statuspage API key",
      names: ["statuspage", "status_page"],
      value: `(?:${SHAPES.hex64}|${SHAPES.uuid})`,
      suggestedName: "STATUSPAGE_API_KEY",
    },
    {
      id: "keycloak-client-secret",
      description: "Keycloak client secret",
      names: ["keycloak", "kc_client_secret"],
      value: "[a-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
  ]),
  ...tokenRules([
    {
      id: "axiom-token",
      description: "Axiom API or personal token",
      keywords: ["xaat-", "xapt-"],
      token: `xa[ap]t-${SHAPES.uuid}`,
      suggestedName: "AXIOM_TOKEN",
    },
  ]),
  regexRule({
    id: "truenas-api-key",
    description: "TrueNAS API key",
    keywords: ["bearer", "params"],
    suggestedName: "TRUENAS_API_KEY",
    pattern: re(
      `(?:Bearer[ \\t]{1,4}|"params"[ \\t]{0,4}:[ \\t]{0,4}\\[[ \\t\\r\\n]{0,20}")(?<secret>\\d{1,6}-[A-Za-z0-9]{64})(?![A-Za-z0-9])`,
    ),
    validate: (secret) => classCount(secret.slice(secret.indexOf("-") + 1)) >= 3,
  }),
];
