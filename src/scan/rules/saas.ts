/**
 * Productivity, content and social platforms: Notion, Figma, Airtable, Asana, Linear,
 * ClickUp, Contentful, Typeform, Dropbox, HubSpot, Mapbox, Facebook, Twitter/X, Salesforce,
 * Firebase, PostHog and others.
 */
import { isPlaceholder, shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import {
  B64URL,
  classCount,
  isRandomHex,
  isRandomLooking,
  namedValueRules,
  notAfter,
  re,
  regexRule,
  SHAPES,
  tokenRules,
} from "./build.js";

/**
 * Not a placeholder once lower-cased: `AbCdEfGhIjKl…` alternates case over the alphabet, which
 * the placeholder filter (case-sensitive) lets through.
 */
const notCasedPlaceholder = (secret: string) => !isPlaceholder(secret.toLowerCase());

/**
 * A HubSpot personal access key (what `hs auth` stores): base64 of a message whose first field
 * is the 36-character key id (`na1-` or another region, then a UUID's last four groups) and
 * whose rest is random. The header proves the format; the random rest rules out a stand-in.
 */
function isHubSpotPersonalAccessKey(key: string): boolean {
  const bytes = Buffer.from(key, "base64");
  if (bytes.length < 60 || bytes[0] !== 0x0a || bytes[1] !== 0x24 || bytes[38] !== 0x10) {
    return false;
  }
  const id = bytes.subarray(2, 38).toString("latin1");
  return (
    /^[a-z]{2}\d-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/.test(id) &&
    classCount(key.slice(52)) >= 3
  );
}

export const SAAS_RULES: ScanRule[] = [
  ...tokenRules([
    {
      // Naver Search Ad API's access license (its X-API-KEY): `0100000000`, then 64 hex digits.
      // Requests are signed with the secret key beside it (base64, found by its name).
      id: "naver-searchad-access-license",
      description: "Naver Search Ad API access license",
      keywords: ["0100000000"],
      token: "0100000000[a-f0-9]{64}",
      boundary: "A-Za-z0-9",
      confidence: "medium",
      // The prefix's zeros would read as a stand-in's run: only the hex after it is judged.
      checksPlaceholders: true,
      validate: (secret) => isRandomHex(secret.slice(10)) && !isPlaceholder(secret.slice(10)),
      suggestedName: "NAVER_SEARCHAD_ACCESS_LICENSE",
    },
    {
      // Access and refresh tokens: `1000.`, then two runs of 32 hex digits. The shape is
      // Zoho's alone, so no name is needed (the client id, `1000.` and 30 capitals and
      // digits, is public).
      id: "zoho-token",
      description: "Zoho OAuth token",
      keywords: ["1000."],
      token: "1000\\.[a-f0-9]{32}\\.[a-f0-9]{32}",
      boundary: "A-Za-z0-9_.\\-",
      suggestedName: "ZOHO_REFRESH_TOKEN",
      validate: (secret) => isRandomHex(secret.slice(5, 37)) && isRandomHex(secret.slice(38)),
    },
    {
      // Kolide's API keys: `k2sk_v1_`, then 24 letters and digits.
      id: "kolide-api-key",
      description: "Kolide API key",
      keywords: ["k2sk_"],
      token: "k2sk_v1_[A-Za-z0-9]{24}",
      suggestedName: "KOLIDE_API_KEY",
      validate: (secret) => classCount(secret.slice(8)) >= 2,
    },
    {
      id: "notion-token",
      description: "Notion integration token",
      keywords: ["ntn_"],
      token: "ntn_[0-9]{11}[A-Za-z0-9]{32,36}",
      suggestedName: "NOTION_TOKEN",
    },
    {
      id: "figma-token",
      description: "Figma personal access token",
      // Personal tokens (`figd_`), OAuth access tokens (`figu_`, `figo_`) and their refresh and
      // other forms (`figur_`, `figuh_`, `figor_`, `figoh_`).
      keywords: ["figd_", "figu_", "figo_", "figur_", "figuh_", "figor_", "figoh_"],
      token: `fig(?:d|[uo][rh]?)_[${B64URL}]{38,44}`,
      suggestedName: "FIGMA_TOKEN",
    },
    {
      id: "airtable-pat",
      description: "Airtable personal access token",
      keywords: ["pat"],
      token: "pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}",
      suggestedName: "AIRTABLE_TOKEN",
    },
    {
      id: "linear-api-key",
      description: "Linear API key",
      keywords: ["lin_api_", "lin_oauth_"],
      // OAuth access tokens are 64 hex digits after the prefix; API keys 40 letters and digits.
      token: "lin_(?:api|oauth)_[A-Za-z0-9]{40}|lin_oauth_[a-f0-9]{64}",
      suggestedName: "LINEAR_API_KEY",
    },
    {
      // Linear webhook signing secrets: `lin_wh_` and about 44 random letters and digits.
      // Whoever holds one can forge Linear's webhook calls to the receiving app.
      id: "linear-webhook-secret",
      description: "Linear webhook signing secret",
      keywords: ["lin_wh_"],
      token: "lin_wh_[A-Za-z0-9]{32,64}",
      validate: (secret) =>
        (classCount(secret.slice(7)) >= 3 && shannonEntropy(secret.slice(7)) >= 3.8) ||
        isRandomHex(secret.slice(7)),
      suggestedName: "LINEAR_WEBHOOK_SECRET",
    },
    {
      id: "clickup-token",
      description: "ClickUp personal API token",
      keywords: ["pk_"],
      token: "pk_[0-9]{6,10}_[A-Z0-9]{32}",
    },
    {
      id: "contentful-token",
      description: "Contentful personal access token",
      keywords: ["cfpat-"],
      token: `CFPAT-[${B64URL}]{43}`,
    },
    {
      id: "typeform-token",
      description: "Typeform personal access token",
      keywords: ["tfp_"],
      token: "tfp_[A-Za-z0-9_\\-]{40,60}_[A-Za-z0-9]{10,16}|tfp_[A-Za-z0-9_.=\\-]{59}",
    },
    {
      id: "dropbox-token",
      description: "Dropbox short-lived access token",
      keywords: ["sl."],
      token: `sl\\.(?:u\\.)?[${B64URL}]{130,1000}`,
      boundary: "A-Za-z0-9_\\-.",
    },
    {
      id: "hubspot-personal-access-key",
      description: "HubSpot personal access key (CLI)",
      keywords: ["cir"],
      token: "CiR[A-Za-z0-9+/]{90,120}={0,2}",
      boundary: "A-Za-z0-9_\\-+/=",
      suggestedName: "HUBSPOT_PERSONAL_ACCESS_KEY",
      validate: isHubSpotPersonalAccessKey,
    },
    {
      id: "hubspot-token",
      description: "HubSpot private app access token",
      keywords: ["pat-na1-", "pat-eu1-"],
      token: `pat-(?:na|eu)1-${SHAPES.uuid}`,
      suggestedName: "HUBSPOT_ACCESS_TOKEN",
    },
    {
      // Temporary tokens (`tk.`) are minted by a secret token and carry its scopes for an hour.
      id: "mapbox-secret-token",
      description: "Mapbox secret or temporary access token",
      keywords: ["sk.eyj", "tk.eyj"],
      token: `[st]k\\.eyJ[${B64URL}]{30,200}\\.[${B64URL}]{20,40}`,
      boundary: "A-Za-z0-9_\\-.",
      suggestedName: "MAPBOX_SECRET_TOKEN",
    },
    {
      // An app access token: the app's id, `|`, and its client token (27 characters) or app
      // secret (32 hex digits), as Graph API calls take it (`access_token=123…|…`).
      id: "facebook-app-access-token",
      description: "Facebook (Meta) app access token (app id|secret)",
      keywords: ["facebook", "graph", "fb", "access_token", "app_token", "apptoken", "meta"],
      token: `[0-9]{15,16}\\|(?:[${B64URL}]{27}|[a-f0-9]{32})`,
      // Not the middle of Mapillary's `MLY|id|secret` (mapillary-access-token).
      boundary: `${B64URL}|`,
      validate: (secret) => {
        const rest = secret.slice(secret.indexOf("|") + 1);
        return classCount(rest) >= 2 && shannonEntropy(rest) >= 3.5;
      },
    },
    {
      id: "instagram-user-token",
      description: "Instagram user access token (IGQV…)",
      keywords: ["igqv", "igqw"],
      token: "IGQ[VW][A-Za-z0-9_\\-]{100,400}",
      suggestedName: "INSTAGRAM_ACCESS_TOKEN",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "facebook-access-token",
      description: "Facebook (Meta) Graph API access token",
      keywords: ["eaa"],
      token: "EAA(?:CEdEose0cBA|[A-Za-z0-9]{2,10}(?:ZD|ZC|BA|BO))[A-Za-z0-9]{80,400}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "twitter-bearer-token",
      description: "Twitter / X API bearer token",
      keywords: ["aaaaaaaaaaaaaaaaaaaaa"],
      token: "A{20,22}[A-Za-z0-9%]{60,160}",
      boundary: "A-Za-z0-9%",
      checksPlaceholders: true,
      validate: (secret) => !isPlaceholder(secret.replace(/^A+/, "")),
      suggestedName: "TWITTER_BEARER_TOKEN",
    },
    {
      id: "salesforce-access-token",
      description: "Salesforce session or access token",
      keywords: ["00d"],
      token: "00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,120}",
      boundary: "A-Za-z0-9._!",
    },
    {
      id: "firebase-cloud-messaging-key",
      description: "Firebase Cloud Messaging legacy server key",
      keywords: ["aaaa"],
      token: `AAAA[${B64URL}]{7}:APA91b[${B64URL}]{134}`,
    },
    {
      id: "posthog-personal-api-key",
      description: "PostHog personal API key",
      keywords: ["phx_"],
      token: "phx_[A-Za-z0-9]{43,47}",
    },
    {
      // `phc_` project keys are public by design (they ship in every web page): not here.
      id: "posthog-feature-flags-key",
      description: "PostHog feature flags secure API key",
      keywords: ["phs_"],
      token: "phs_[A-Za-z0-9]{43,48}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "POSTHOG_FEATURE_FLAGS_KEY",
    },
    {
      id: "posthog-oauth-token",
      description: "PostHog OAuth access or refresh token",
      keywords: ["pha_", "phr_"],
      token: "ph[ar]_[A-Za-z0-9]{40,43}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "POSTHOG_OAUTH_TOKEN",
    },
    {
      id: "segment-public-api-token",
      description: "Segment Public API token",
      keywords: ["sgp_"],
      token: "sgp_[A-Za-z0-9]{64}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
      suggestedName: "SEGMENT_PUBLIC_API_TOKEN",
    },
    {
      id: "frameio-token",
      description: "Frame.io developer token",
      keywords: ["fio-u-"],
      token: "fio-u-[A-Za-z0-9_=\\-]{64}",
    },
    {
      id: "adafruit-io-key",
      description: "Adafruit IO key",
      keywords: ["aio_"],
      token: "aio_[A-Za-z0-9]{28}",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
    },
    {
      id: "lichess-token",
      description: "Lichess personal access token",
      keywords: ["lip_"],
      token: "lip_[A-Za-z0-9]{16,30}",
      validate: (secret) =>
        classCount(secret.slice(4)) >= 3 &&
        shannonEntropy(secret) >= 3.5 &&
        notCasedPlaceholder(secret.slice(4)),
      suggestedName: "LICHESS_TOKEN",
    },
    {
      id: "calcom-api-key",
      description: "Cal.com API key",
      keywords: ["cal_live_", "cal_test_"],
      token: "cal_(?:live|test)_[A-Za-z0-9]{32}",
      validate: (secret) => classCount(secret.slice(9)) >= 2,
      suggestedName: "CAL_API_KEY",
    },
    {
      // Client ids (`OC-…`) are not secret: only the client secret.
      id: "canva-client-secret",
      description: "Canva Connect API client secret",
      keywords: ["cnvca"],
      token: "cnvca[A-Za-z0-9_-]{51}",
      validate: (secret) => classCount(secret.slice(5)) >= 3,
      suggestedName: "CANVA_CLIENT_SECRET",
    },
    {
      id: "intercom-token",
      description: "Intercom access token",
      keywords: ["dg9rom"],
      token: "dG9rOm[A-Za-z0-9_]{40,60}={0,2}",
      boundary: "A-Za-z0-9+/=_",
    },
    {
      id: "zapier-webhook",
      description: "Zapier catch-hook URL",
      keywords: ["hooks.zapier.com"],
      token: "https://hooks\\.zapier\\.com/hooks/catch/\\d{5,10}/[a-z0-9]{5,10}/?",
      boundary: "A-Za-z0-9",
      confidence: "medium",
    },
    {
      id: "voiceflow-api-key",
      description: "Voiceflow API key (Dialog Manager or workspace)",
      keywords: ["vf."],
      token: "VF\\.(?:(?:DM|WS)\\.)?[a-fA-F0-9]{24}\\.[A-Za-z0-9]{16}",
      suggestedName: "VOICEFLOW_API_KEY",
      validate: (secret) => classCount(secret.slice(secret.lastIndexOf(".") + 1)) >= 2,
    },
    {
      id: "riot-api-key",
      description: "Riot Games API key",
      keywords: ["rgapi-"],
      token: `RGAPI-${SHAPES.uuid}`,
      suggestedName: "RIOT_API_KEY",
    },
    {
      id: "foursquare-api-key",
      description: "Foursquare Places API key (v3)",
      keywords: ["fsq3"],
      token: "fsq3[A-Za-z0-9+/]{43,44}={0,1}",
      boundary: "A-Za-z0-9+/=_\\-",
      suggestedName: "FOURSQUARE_API_KEY",
      validate: (secret) => classCount(secret.slice(4)) >= 3,
    },
    {
      id: "radar-secret-key",
      description: "Radar secret key (live or test)",
      keywords: ["prj_live_sk_", "prj_test_sk_"],
      token: "prj_(?:live|test)_sk_[a-f0-9]{40}",
      suggestedName: "RADAR_SECRET_KEY",
      validate: (secret) => shannonEntropy(secret.slice(12)) >= 3,
    },
    {
      id: "wakatime-api-key",
      description: "WakaTime API key, app secret or OAuth token",
      // API keys are `waka_` and a UUID; app secrets and OAuth access and refresh tokens are
      // `waka_sec_`, `waka_tok_` and `waka_ref_` and 80 letters and digits.
      keywords: ["waka_"],
      token: `waka_${SHAPES.uuid}|waka_(?:sec|tok|ref)_[A-Za-z0-9]{80}`,
      suggestedName: "WAKATIME_API_KEY",
    },
    {
      id: "salesloft-api-key",
      description: "Salesloft API key",
      keywords: ["v2_ak_"],
      token: "v2_ak_[0-9]{3,10}_[a-f0-9]{64}",
      suggestedName: "SALESLOFT_API_KEY",
    },
    {
      // Client tokens of Mapillary apps: often in map viewers, so a warning.
      id: "mapillary-access-token",
      description: "Mapillary access token",
      keywords: ["mly|"],
      token: "MLY\\|[0-9]{10,20}\\|[a-f0-9]{32}",
      boundary: "A-Za-z0-9_|",
      severity: "warning",
      confidence: "medium",
      suggestedName: "MAPILLARY_TOKEN",
      validate: (secret) => shannonEntropy(secret.slice(-32)) >= 3,
    },
  ]),
  regexRule({
    // The session cookie (.ROBLOSECURITY) opens the account; Roblox writes a warning before it.
    id: "roblox-session-cookie",
    description: "Roblox session cookie (.ROBLOSECURITY)",
    keywords: ["warning:-do-not-share-this"],
    suggestedName: "ROBLOSECURITY",
    pattern: re(
      `_\\|WARNING:-DO-NOT-SHARE-THIS\\.--[A-Za-z.-]{0,120}\\|_(?<secret>[A-Za-z0-9+/=_-]{100,4000})${notAfter("A-Za-z0-9+/=_\\-")}`,
    ),
    validate: (secret) => isRandomLooking(secret),
  }),
  ...namedValueRules([
    {
      id: "notion-legacy-token",
      description: "Notion integration token (secret_ form)",
      names: ["notion"],
      value: "secret_[A-Za-z0-9]{43}",
      suggestedName: "NOTION_TOKEN",
    },
    {
      id: "figma-legacy-token",
      description: "Figma personal access token (legacy form)",
      names: ["figma"],
      value: `\\d{4,6}-${SHAPES.uuid}`,
    },
    {
      id: "airtable-api-key",
      description: "Airtable API key (legacy key form)",
      names: ["airtable"],
      value: "key[A-Za-z0-9]{14}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "asana-token",
      description: "Asana personal access token",
      names: ["asana"],
      value: "[0-9]/[0-9]{10,20}(?:/[0-9]{10,20})?:[a-f0-9]{32}",
    },
    {
      // The client id is 16 digits: too short for this shape.
      id: "asana-client-secret",
      description: "Asana OAuth app client secret",
      names: ["asana"],
      value: SHAPES.alnum(30, 40),
      validate: (secret) => isRandomLooking(secret) && /[a-z]/i.test(secret),
    },
    {
      // API keys have their own prefix (linear-api-key); the OAuth client secret has none.
      id: "linear-client-secret",
      description: "Linear OAuth client secret",
      names: ["linear_client_secret", "linear_secret", "linear_oauth_secret"],
      value: SHAPES.hex32,
    },
    {
      id: "facebook-app-secret",
      description: "Facebook (Meta) app secret",
      names: ["facebook", "fb_", "fbapi", "fbapp", "fbsecret", "fbtoken"],
      value: SHAPES.hex32,
    },
    {
      id: "twitter-api-secret",
      description: "Twitter / X API key or secret",
      names: ["twitter", "consumer_secret", "tw_secret"],
      value: "[a-z0-9]{25,50}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "twitter-access-token",
      description: "Twitter / X access token",
      names: ["twitter", "access_token"],
      value: "[0-9]{15,25}-[a-z0-9]{20,40}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "linkedin-client-secret",
      description: "LinkedIn client secret",
      names: ["linkedin", "linked_in", "linked-in"],
      value: "[a-z0-9]{16}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "twitch-api-token",
      description: "Twitch API token or client secret",
      names: ["twitch"],
      value: "[a-z0-9]{30}",
      validate: (secret) => classCount(secret) >= 2,
    },
    {
      id: "dropbox-long-lived-token",
      description: "Dropbox long-lived or app token",
      names: ["dropbox"],
      value: `(?:[a-z0-9_-]{11}AAAAAAAAAA[${B64URL}]{43}|[${B64URL}]{64})`,
      // A long-lived token holds ten A's after its first eleven characters: judged without them.
      checksPlaceholders: true,
      validate: (secret) =>
        classCount(secret) >= 3 && !isPlaceholder(secret.replace(/^(.{11})A{10}/, "$1")),
    },
    {
      id: "hubspot-api-key",
      description: "HubSpot API key (legacy UUID form)",
      names: ["hubspot", "hapikey"],
      value: SHAPES.uuid,
    },
    {
      id: "contentful-delivery-token",
      description: "Contentful delivery or preview token",
      names: ["contentful"],
      value: SHAPES.b64url(43),
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "trello-token",
      description: "Trello API key or token",
      names: ["trello"],
      value: "(?:ATTA[a-f0-9]{64}|[a-f0-9]{64}|[a-f0-9]{32})",
    },
    {
      id: "monday-token",
      description: "monday.com API token",
      names: ["monday"],
      value: "eyJ[A-Za-z0-9_\\-]{100,300}\\.eyJ[A-Za-z0-9_\\-]{50,400}\\.[A-Za-z0-9_\\-]{30,60}",
    },
    {
      id: "todoist-api-token",
      description: "Todoist API token",
      names: ["todoist"],
      value: SHAPES.hex40,
    },
    {
      id: "wistia-api-token",
      description: "Wistia API token",
      names: ["wistia"],
      value: SHAPES.hex64,
    },
    {
      id: "closecrm-api-key",
      description: "Close CRM API key",
      names: ["close_api", "close_key", "closecrm", "close_crm"],
      value: "api_[a-z0-9]{18,26}\\.[a-z0-9]{18,26}",
      validate: (secret) =>
        classCount(secret.slice(4)) >= 4 && notCasedPlaceholder(secret.slice(4)),
    },
    {
      id: "algolia-api-key",
      description: "Algolia admin or write API key",
      names: ["algolia"],
      value: SHAPES.alnum(32),
    },
    {
      id: "zendesk-token",
      description: "Zendesk API token",
      names: ["zendesk"],
      value: "[a-z0-9]{40}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "freshdesk-api-key",
      description: "Freshdesk API key",
      names: ["freshdesk", "freshworks"],
      value: "[a-z0-9]{20}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "intercom-legacy-token",
      description: "Intercom access token (legacy form)",
      names: ["intercom"],
      value: "[a-z0-9=_\\-]{60}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "beamer-api-key",
      description: "Beamer API key",
      names: ["beamer"],
      value: `b_[${B64URL}=]{44}`,
    },
    {
      id: "segment-write-key",
      description: "Segment write key or public API token",
      names: ["segment"],
      value: "(?:sgp_[A-Za-z0-9]{64}|[a-z0-9]{32})",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "instagram-access-token",
      description: "Instagram Graph API access token",
      names: ["instagram"],
      value: "IG[A-Za-z0-9]{100,400}",
    },
    {
      id: "google-oauth-client-secret-json",
      description: "Google OAuth client secret (legacy, in client_secret JSON)",
      names: ['"client_secret"'],
      value: "[a-z0-9_\\-]{24}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "dropbox-app-secret",
      description: "Dropbox or Box app secret",
      names: ["box_client_secret", "box_developer_token", "dropbox_app_secret"],
      value: "[a-z0-9]{15,32}",
      validate: (secret) => classCount(secret) >= 2,
    },
  ]),
  ...tokenRules([
    {
      // A long-lived token by its shape alone (with Dropbox's name near, dropbox-long-lived-token
      // above): eleven characters, ten `A`s, then 43 more. Ten `A`s also fill base64 of zeros:
      // the run must be exactly ten, and the rest random. The first eleven are base64url's (a
      // refresh token's hold `_` and `-`).
      id: "dropbox-long-lived-api-token",
      description: "Dropbox long-lived access token",
      keywords: ["aaaaaaaaaa"],
      token: `[A-Za-z0-9_\\-]{10}[B-Za-z0-9_\\-]A{10}[B-Za-z0-9_\\-][${B64URL}]{42}`,
      near: { literal: "AAAAAAAAAA", before: 11, after: 53 },
      suggestedName: "DROPBOX_ACCESS_TOKEN",
      checksPlaceholders: true,
      // Its first eleven drawn too: not zeros' `A`s and marks (`AAAAAAAAAA-`).
      validate: (secret) => {
        const rest = secret.slice(21);
        const head = secret.slice(0, 11);
        return (
          classCount(rest) >= 3 &&
          shannonEntropy(rest) >= 4 &&
          !isPlaceholder(rest) &&
          head.replace(/[A_-]/g, "").length >= 5
        );
      },
    },
    {
      // Refresh tokens of Salesforce's OAuth flows start `5Aep861` (access tokens start with
      // the org id, salesforce-access-token).
      id: "salesforce-refresh-token",
      description: "Salesforce OAuth refresh token",
      keywords: ["5aep861"],
      token: "5Aep861[A-Za-z0-9._=]{80,250}",
      boundary: "A-Za-z0-9._=",
      suggestedName: "SALESFORCE_REFRESH_TOKEN",
      validate: (secret) => classCount(secret.slice(7)) >= 3,
    },
    {
      // A PAT's secret: 16 random bytes in base64, a colon, 32 letters and digits.
      id: "tableau-pat-secret",
      description: "Tableau personal access token secret",
      keywords: ["==:"],
      token: "[A-Za-z0-9+/]{22}==:[A-Za-z0-9]{32}",
      near: { literal: "==:", before: 22, after: 32 },
      boundary: "A-Za-z0-9+/=_\\-",
      suggestedName: "TABLEAU_PAT_SECRET",
      validate: (secret) =>
        classCount(secret.slice(0, 22)) >= 3 && classCount(secret.slice(-32)) >= 3,
    },
    {
      id: "teamwork-api-token",
      description: "Teamwork (Projects, Desk, CRM) API token",
      keywords: ["tkn.v1_"],
      token: "tkn\\.v1_[A-Za-z0-9]{71}=",
      boundary: "A-Za-z0-9_\\-.",
      suggestedName: "TEAMWORK_API_TOKEN",
      validate: (secret) => classCount(secret.slice(7)) >= 3,
    },
    {
      id: "liveblocks-secret-key",
      description: "Liveblocks secret key",
      keywords: ["sk_dev_", "sk_prod_"],
      token: "sk_(?:dev|prod)_[A-Za-z0-9_\\-]{40,100}",
      validate: (secret) => classCount(secret.slice(secret.indexOf("_", 3) + 1)) >= 3,
      suggestedName: "LIVEBLOCKS_SECRET_KEY",
    },
    {
      id: "pinterest-access-token",
      description: "Pinterest API access token",
      keywords: ["pina_"],
      // Base32 in upper case (96 characters).
      token: "pina_[A-Z0-9]{80,120}",
      validate: (secret) =>
        classCount(secret.slice(5)) >= 2 && shannonEntropy(secret.slice(5)) >= 3.5,
      suggestedName: "PINTEREST_ACCESS_TOKEN",
    },
    {
      id: "onesignal-rest-api-key",
      description: "OneSignal app or organization API key",
      keywords: ["os_v2_app_", "os_v2_org_"],
      token: "os_v2_(?:app|org)_[a-z2-7]{100,120}",
      validate: (secret) => classCount(secret.slice(10)) >= 2,
      suggestedName: "ONESIGNAL_REST_API_KEY",
    },
  ]),
  ...namedValueRules([
    {
      id: "ghost-admin-api-key",
      description: "Ghost Admin API key",
      names: ["ghost"],
      value: "[a-f0-9]{24}:[a-f0-9]{64}",
      suggestedName: "GHOST_ADMIN_API_KEY",
    },
    {
      id: "deepl-api-key",
      description: "DeepL API authentication key",
      names: ["deepl"],
      value: `${SHAPES.uuid}(?::fx)?`,
      suggestedName: "DEEPL_AUTH_KEY",
    },
    {
      id: "webex-token",
      description: "Webex (Cisco Spark) bot or access token",
      names: ["webex", "ciscospark"],
      value: `[a-z0-9]{64}_[a-z0-9]{4}_${SHAPES.uuid}`,
      suggestedName: "WEBEX_TOKEN",
    },
    {
      // `sk` and 79 letters and digits: a shape too plain to find without Sanity's name.
      id: "sanity-api-token",
      description: "Sanity API token",
      names: ["sanity"],
      value: "sk[a-z0-9]{79}",
      validate: (secret) => classCount(secret.slice(2)) >= 3,
      suggestedName: "SANITY_API_TOKEN",
    },
  ]),
  // The run of `A`s would read as a placeholder: the rule checks the rest itself.
  ...namedValueRules([
    {
      // Without its name a bearer token is told by its run of 20+ `A`s (twitter-bearer-token); beside
      // `twitter` a shorter run will do, and `_`/`-` appear in newer tokens.
      id: "twitter-bearer-token-by-name",
      description: "Twitter / X app-only bearer token by name",
      names: ["twitter"],
      value: "A{10,22}[a-z0-9_%\\-]{40,200}",
      validate: (secret) =>
        /^A{10}/.test(secret) &&
        classCount(secret) >= 3 &&
        !isPlaceholder(secret.replace(/^A+/, "")),
      suggestedName: "TWITTER_BEARER_TOKEN",
    },
  ]).map((rule) => ({ ...rule, checksPlaceholders: true })),
];
