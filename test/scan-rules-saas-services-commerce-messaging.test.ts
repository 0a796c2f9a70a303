/**
 * Behaviour of the productivity, services, commerce and messaging rules beyond their one
 * template each: variants of a format they must find, and near misses (public-by-design keys,
 * look-alike names and shapes) they must leave alone.
 */
import { describe, expect, it } from "vitest";
import { scanText } from "../src/scan/engine.js";
import { B64URL, b64url, DIGITS, HEX, LOWER, tokenDrawer } from "./helpers/test-tokens.js";

const { r: draw, mixed } = tokenDrawer(2718);
const lowerAlnum = (n: number) => `q7${draw(LOWER + DIGITS, n - 2)}`;

/** The rule ids that report something in `text`. */
function ruleIds(text: string): string[] {
  return scanText(`before\n${text}\nafter\n`, { file: "config.txt" }).map((f) => f.ruleId);
}

describe("saas rules", () => {
  it("finds Mapbox temporary tokens as well as secret ones", () => {
    const payload = b64url(JSON.stringify({ u: "someone", a: draw(LOWER + DIGITS, 25) }));
    expect(ruleIds(`map.accessToken = 'tk.${payload}.${draw(B64URL, 22)}';`)).toContain(
      "mapbox-secret-token",
    );
  });

  it("finds PostHog secure flag keys and OAuth tokens, not public project keys", () => {
    expect(ruleIds(`phs_${mixed(47)}`)).toContain("posthog-feature-flags-key");
    expect(ruleIds(`pha_${mixed(43)}`)).toContain("posthog-oauth-token");
    expect(ruleIds(`phr_${mixed(43)}`)).toContain("posthog-oauth-token");
    const ids = ruleIds(`posthog.init('phc_${mixed(43)}')`);
    expect(ids).not.toContain("posthog-feature-flags-key");
    expect(ids).not.toContain("posthog-oauth-token");
  });

  it("tells Segment public API tokens from Sourcegraph tokens", () => {
    expect(ruleIds(`"token": "sgp_${mixed(64)}"`)).toContain("segment-public-api-token");
    const sourcegraph = `sgp_${draw(HEX, 16)}_${draw(HEX, 40)}`;
    expect(ruleIds(sourcegraph)).not.toContain("segment-public-api-token");
  });

  it("finds Algolia admin keys of letters and digits, not search-only keys", () => {
    expect(ruleIds(`algolia_api_key = "${lowerAlnum(32)}"`)).toContain("algolia-api-key");
    expect(ruleIds(`ALGOLIA_SEARCH_KEY=${lowerAlnum(32)}`)).not.toContain("algolia-api-key");
  });

  it("finds Asana client secrets, not the numeric client id", () => {
    expect(ruleIds(`asana :'${mixed(35)}'`)).toContain("asana-client-secret");
    expect(ruleIds(`asana_client_id = "${draw(DIGITS, 16)}"`)).not.toContain("asana-client-secret");
  });

  it("skips Lichess and Close tokens that alternate case over the alphabet", () => {
    const alternating = "AbCdEfGhIjKlMnOpQrSt";
    expect(ruleIds(`LICHESS_TOKEN=lip_${alternating}`)).not.toContain("lichess-token");
    expect(ruleIds(`CLOSE_API_KEY=api_${alternating}.${alternating.toLowerCase()}`)).not.toContain(
      "closecrm-api-key",
    );
    expect(ruleIds(`LICHESS_TOKEN=lip_${mixed(20)}`)).toContain("lichess-token");
  });

  it("finds app passwords after the words app password, not examples or other letters", () => {
    const letters = "kvtmrzhqplxewbdn";
    const grouped = (sep: string) => letters.match(/.{4}/g)?.join(sep) ?? "";
    for (const line of [
      `Gmail app password: ${grouped(" ")}`,
      `Apple app-specific password for iCloud mail: ${grouped("-")}`,
      `SMTP_APP_PASSWORD="${letters}"`,
      `The app password for the newsletter agent is ${grouped(" ")}.`,
      `Apple application-specific password: ${grouped("-")}`,
      `My iCloud app specific password is ${grouped("-")}`,
    ]) {
      expect(ruleIds(line), line).toContain("app-password");
    }
    for (const line of [
      "Gmail app password: xxxx xxxx xxxx xxxx",
      "app password for smtp is abcd efgh ijkl mnop",
      "Gmail app password: qwer tyui opas dfgh",
      "Use an app password (16 letters, like xxxx xxxx xxxx xxxx) for the login.",
      `Gmail password: ${grouped(" ")}`,
      `app password: ${grouped(" ").toUpperCase()}`,
      `app password: ${grouped(" ")}x`,
      // Words of a sentence, CSS classes and HTML attributes after the words.
      "The app password gets sent over that link once.",
      "Note: app passwords only work when both steps have been done.",
      "Use an app password for noninteractively logging in.",
      '<input id="app-password" class="form-item-wide-dark" type="password">',
      ".app-password .card-body-text-left { color: red; }",
      'appPassword = document.querySelector("#main-form-user-pass");',
    ]) {
      expect(ruleIds(line), line).not.toContain("app-password");
    }
  });

  it("finds a Twitter bearer token with a short run of A beside the name", () => {
    const token = `${"A".repeat(14)}${mixed(40)}_${mixed(40)}-${mixed(30)}`;
    expect(ruleIds(`Twitter Secret: Bearer ${token}`)).toContain("twitter-bearer-token-by-name");
    expect(ruleIds(`TWITTER_BEARER="${token}"`)).toContain("twitter-bearer-token-by-name");
    // Lower-case `a`s, or a run of `x` after the `A`s: not a token.
    const ids = ruleIds(`TWITTER_BEARER=${"a".repeat(14)}${mixed(60)}`);
    expect(ids).not.toContain("twitter-bearer-token-by-name");
    expect(ruleIds(`TWITTER_BEARER=${"A".repeat(14)}${"x".repeat(80)}`)).not.toContain(
      "twitter-bearer-token-by-name",
    );
  });
});

describe("services rules", () => {
  it("finds Builder.io private keys", () => {
    expect(ruleIds(`bpk-${draw(HEX, 32)}`)).toContain("builderio-private-key");
  });

  it("finds the Infura key of an endpoint URL, also over WebSocket", () => {
    const key = draw(HEX, 32);
    expect(ruleIds(`wss://sepolia.infura.io/ws/v3/${key}`)).toContain("infura-url-key");
    expect(ruleIds(`https://mainnet.infura.io/v3/${key}`)).toContain("infura-url-key");
  });

  it("finds Clay keys by name, not a name that merely ends in clay", () => {
    for (const line of ["clay key: ", "CLAY_TOKEN=", "clay_api_key="]) {
      expect(ruleIds(`${line}${draw(HEX, 20)}`), line).toContain("clay-api-key");
    }
    expect(ruleIds(`DISPLAY_KEY=${draw(HEX, 20)}`)).not.toContain("clay-api-key");
  });

  it("finds CloudSight keys by name, not a value without digits", () => {
    expect(ruleIds(`cloudsight api_key = ${lowerAlnum(22)}`)).toContain("cloudsight-api-key");
    expect(ruleIds(`cloudsight_token: ${draw(LOWER, 22)}`)).not.toContain("cloudsight-api-key");
  });

  it("finds OpenWeather keys beside the names pyowm and owm", () => {
    expect(ruleIds(`pyowm = '${lowerAlnum(32)}'`)).toContain("openweather-api-key");
    expect(ruleIds(`OWM_API_KEY=${draw(HEX, 32)}`)).toContain("openweather-api-key");
  });

  it("finds Flagsmith organisation keys in prose, not 40-hex environment keys", () => {
    const key = `${mixed(8)}.${mixed(32)}`;
    expect(ruleIds(`flagsmith api token: ${key}`)).toContain("flagsmith-api-key");
    expect(ruleIds(`FLAGSMITH_ENV_KEY=${draw(HEX, 40)}`)).not.toContain("flagsmith-api-key");
  });

  it("finds Mixpanel API secrets by name, not project tokens", () => {
    expect(ruleIds(`Mixpanel SECRET Token\n${draw(HEX, 32)}`)).toContain("mixpanel-api-secret");
    const ids = ruleIds(`MIXPANEL_TOKEN=${draw(HEX, 32)}`);
    expect(ids).not.toContain("mixpanel-api-secret");
    expect(ids).not.toContain("mixpanel-secret");
  });

  it("finds Keen keys and Plaid secrets of letters and digits", () => {
    expect(ruleIds(`KEEN_READ_KEY=${draw(HEX, 64)}`)).toContain("keen-api-key");
    expect(ruleIds(`plaid_secret_key="${lowerAlnum(30)}"`)).toContain("plaid-secret");
    expect(ruleIds(`plaid_client_id="${lowerAlnum(30)}"`)).not.toContain("plaid-secret");
  });
});

describe("commerce rules", () => {
  it("finds Midtrans server keys, not client keys", () => {
    expect(ruleIds(`SB-Mid-server-${mixed(24)}`)).toContain("midtrans-server-key");
    expect(ruleIds(`midtrans.client_key = 'Mid-client-${mixed(24)}'`)).not.toContain(
      "midtrans-server-key",
    );
  });

  it("finds Ramp client secrets, not client ids", () => {
    expect(ruleIds(`ramp_sec_${mixed(48)}`)).toContain("ramp-client-secret");
    expect(ruleIds(`ramp_id_${mixed(40)}`)).toEqual([]);
  });

  it("finds Flutterwave secret keys, not public keys", () => {
    expect(ruleIds(`FLW_SECRET_KEY=FLWSECK_TEST-${draw(HEX, 32)}-X`)).toContain("flutterwave-key");
    expect(ruleIds(`FLW_PUBLIC_KEY=FLWPUBK_TEST-${draw(HEX, 32)}-X`)).not.toContain(
      "flutterwave-key",
    );
  });
});

describe("messaging rules", () => {
  it("finds legacy Slack bot tokens with an 18-character secret part", () => {
    expect(ruleIds(`xoxb-${draw(DIGITS, 12)}-${mixed(18)}`)).toContain("slack-legacy-token");
  });

  it("finds a Telegram bot token not starting with AA beside the name", () => {
    const token = `${draw(DIGITS, 10)}:B${mixed(34)}`;
    expect(ruleIds(`telegram token is ${token}`)).toContain("telegram-bot-token-by-name");
    // Without the name only the `AA` form is a bot token.
    expect(ruleIds(`value ${token}`)).toEqual([]);
  });

  it("finds Mattermost webhooks on a Mattermost host only", () => {
    const hook = lowerAlnum(26);
    expect(ruleIds(`WEBHOOK_URL=https://mattermost.example.com/hooks/${hook}`)).toContain(
      "mattermost-webhook",
    );
    expect(ruleIds(`https://chat.acme.io:8065/hooks/${hook} # mattermost`)).not.toContain(
      "mattermost-webhook",
    );
  });
});

describe("provider names near a value", () => {
  // Last in the file: its draws do not shift the seeded values of the tests above.
  it("finds a provider's value near its name only where the name starts a word", () => {
    const value = mixed(34);
    expect(ruleIds(`asana:\n  secret: ${value}`)).toContain("asana-client-secret");
    // `asana` inside `AliasAnalysis`: a function's name near another, not an Asana secret.
    const code = `/** See createTypeBasedAliasAnalysisPass */\nvoid ${value}(PassManagerRef PM);`;
    expect(ruleIds(code)).not.toContain("asana-client-secret");
  });
});

describe("prefixed formats added from the missing-formats research", () => {
  // Values from a drawer of their own: the seeded values of the tests above stay the same.
  const own = tokenDrawer(3141);
  const hex = (n: number) => own.r(HEX, n);
  const alnum = (n: number) => own.mixed(n);
  const lowerDigits = (n: number) => `q7${own.r(LOWER + DIGITS, n - 2)}`;
  const sig = () => `aZ3${own.r(B64URL, 40)}`;

  it("finds Logic Apps workflow URLs on multi-label hosts and with any trigger name", () => {
    const url = (host: string, trigger: string) =>
      `https://${host}.logic.azure.com:443/workflows/${hex(32)}/triggers/${trigger}/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2F${trigger}%2Frun&sv=1.0&sig=${sig()}`;
    expect(ruleIds(`const url = "${url("prod-178.westus", "manual")}";`)).toContain(
      "teams-webhook",
    );
    expect(
      ruleIds(`webhook: ${url("prod-05.northeurope", "When_a_HTTP_request_is_received")}`),
    ).toContain("teams-webhook");
    expect(ruleIds(`TEAMS_URL=${url("prod-30.germanywestcentral", "manual")}`)).toContain(
      "teams-webhook",
    );
    // Without the signature the URL lets nobody in.
    const unsigned = `https://prod-1.westus.logic.azure.com/workflows/${hex(32)}/triggers/manual/paths/invoke?api-version=2016-06-01`;
    expect(ruleIds(unsigned)).not.toContain("teams-webhook");
  });

  it("finds an incoming webhook URL whose tenant label holds an underscore, as examples write it", () => {
    const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    const url = `https://team_name.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${hex(32)}/${uuid()}`;
    expect(ruleIds(`- url: ${url}`)).toContain("teams-webhook");
  });

  it("finds Power Automate direct trigger URLs, not the same URL without its signature", () => {
    const base = `https://default${hex(30)}.84.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/${hex(32)}/triggers/manual/paths/invoke?api-version=1`;
    expect(
      ruleIds(`{"flowUrl": "${base}&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig()}"}`),
    ).toContain("power-automate-webhook");
    expect(ruleIds(`curl -X POST "${base}&sv=1.0"`)).not.toContain("power-automate-webhook");
  });

  it("finds Linear OAuth tokens of 64 hex digits as well as API keys", () => {
    expect(ruleIds(`api_key = os.getenv("LINEAR_API_KEY", "lin_oauth_${hex(64)}")`)).toContain(
      "linear-api-key",
    );
    expect(ruleIds(`  - lin_api_${alnum(40)}`)).toContain("linear-api-key");
    // One digit short, or joined by `_` to a word that qualifies it.
    expect(ruleIds(`"lin_oauth_${hex(63)}"`)).not.toContain("linear-api-key");
    expect(ruleIds(`"fake_lin_oauth_${hex(64)}"`)).not.toContain("linear-api-key");
  });

  it("finds bare prefixed SaaS tokens in JSON arrays and headers", () => {
    const cases: [string, string][] = [
      [`["VF.WS.${hex(24)}.${alnum(16)}"]`, "voiceflow-api-key"],
      [
        `curl -H "X-Riot-Token: RGAPI-${own.uuid()}" https://na1.api.riotgames.com/`,
        "riot-api-key",
      ],
      [`headers = {"Authorization": "fsq3${alnum(43)}="}`, "foursquare-api-key"],
      [`  "prj_test_sk_${hex(40)}",`, "radar-secret-key"],
      [`[settings]\napi_key = waka_${own.uuid()}`, "wakatime-api-key"],
      [`token: v2_ak_${own.r(DIGITS, 6)}_${hex(64)}`, "salesloft-api-key"],
      [`mly.set_access_token('MLY|${own.r(DIGITS, 16)}|${hex(32)}')`, "mapillary-access-token"],
    ];
    for (const [text, id] of cases) expect(ruleIds(text), text).toContain(id);
  });

  it("leaves SaaS look-alikes alone", () => {
    // Documentation placeholders and truncated values.
    expect(ruleIds(`placeholder="RGAPI-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"`)).toEqual([]);
    expect(ruleIds(`const apiKey = config.VF_DM_KEY; // VF.DM.*`)).toEqual([]);
    // A WakaTime-like prefix of another service (not a UUID after it).
    expect(ruleIds(`walletAccessKey: 'waka_${alnum(22)}'`)).not.toContain("wakatime-api-key");
    // The Salesloft prefix inside a file name.
    expect(ruleIds(`read.csv("annotations_v2_AK_3-20.csv")`)).toEqual([]);
    // A Mapillary id without its hex secret part.
    expect(ruleIds(`MAPILLARY_TOKEN=MLY|${own.r(DIGITS, 16)}`)).not.toContain(
      "mapillary-access-token",
    );
  });

  it("finds a Roblox session cookie, not the warning text alone", () => {
    const warning =
      "_|WARNING:-DO-NOT-SHARE-THIS.--Sharing-this-will-allow-someone-to-log-in-as-you-and-to-steal-your-ROBUX-and-items.|_";
    const cookie = own.r(HEX.toUpperCase(), 700);
    expect(ruleIds(`{"name": ".ROBLOSECURITY", "value": "${warning}${cookie}"}`)).toContain(
      "roblox-session-cookie",
    );
    expect(ruleIds(`cookie = "${warning}"  # paste yours after the warning`)).not.toContain(
      "roblox-session-cookie",
    );
  });

  it("finds service tokens in code and config", () => {
    const cases: [string, string][] = [
      [`Client Secret\nmdb_sa_sk_${alnum(40)}`, "mongodb-atlas-service-account-secret"],
      [`client_secret: "AIK_SECRET_${alnum(64)}"`, "aikido-token"],
      [`  "AIK_CI_${alnum(40)}",`, "aikido-token"],
      [`TF_VAR_checkly_api_key=cu_${hex(32)}`, "checkly-api-key"],
      [`const char *UBIDOTS_TOKEN = "BBUS-${alnum(30)}";`, "ubidots-token"],
      [`new Unkey({ rootKey: "unkey_${alnum(24)}" })`, "unkey-root-key"],
      [`coralogix:\n  api_key: cxtp_${alnum(30)}`, "coralogix-api-key"],
      [`PERSONA_API_KEY=persona_sandbox_${own.uuid()}`, "persona-api-key"],
    ];
    for (const [text, id] of cases) expect(ruleIds(text), text).toContain(id);
  });

  it("finds Onfido tokens of every region, not file or module names", () => {
    const token = (prefix: string) => `${prefix}.${own.r(B64URL, 11)}.${alnum(32)}`;
    expect(ruleIds(`const token = "${token("api_sandbox")}";`)).toContain("onfido-api-token");
    expect(ruleIds(`ONFIDO_API_TOKEN=${token("api_live_us")}`)).toContain("onfido-api-token");
    expect(ruleIds(`from api_sandbox.api.models import Item`)).toEqual([]);
    expect(ruleIds(`fetch(\`api_live.php?action=join&pin=\${pin}\`)`)).toEqual([]);
    // One character short in the secret part.
    expect(ruleIds(`"api_live.${own.r(B64URL, 11)}.${alnum(31)}"`)).not.toContain(
      "onfido-api-token",
    );
  });

  it("finds FullStory keys by FullStory's name only", () => {
    const key = `na1.${alnum(100)}`;
    expect(ruleIds(`FULLSTORY_API_KEY=${key}`)).toContain("fullstory-api-key");
    // Without FullStory's name `na1.` could be anything.
    expect(ruleIds(`headers = {"Authorization": "Basic ${key}"}`)).not.toContain(
      "fullstory-api-key",
    );
    expect(ruleIds(`Authorization: 'Basic na1.abc123'  // fullstory test`)).toEqual([]);
  });

  it("leaves service look-alikes alone", () => {
    // Checkly: the prefix inside a longer word, a wrong length, a run of one digit.
    expect(ruleIds(`menu_${hex(32)}`)).not.toContain("checkly-api-key");
    expect(ruleIds(`"cu_${hex(31)}"`)).not.toContain("checkly-api-key");
    expect(ruleIds(`"cu_${hex(32)}_v2"`)).not.toContain("checkly-api-key");
    // Docs and test values: words after the prefix.
    expect(ruleIds(`PERSONA_API_KEY: "persona_sandbox_synthetic_test_only"`)).toEqual([]);
    expect(ruleIds(`rootKey: Redacted.make("unkey_test")`)).toEqual([]);
    expect(ruleIds(`CORALOGIX_API_KEY=cxup_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`)).toEqual([]);
    // A UUID that happens to contain `bbff` is no Ubidots token.
    expect(ruleIds(`"request_id": "461648d3-5aea-4d3b-bbff-${hex(12)}"`)).toEqual([]);
    expect(ruleIds(`aik_secret_key_secret_id = "jula-aikido-client-id"`)).toEqual([]);
  });

  it("finds commerce secret keys, not public keys or docs values", () => {
    const cases: [string, string][] = [
      [`Xendit::setApiKey('xnd_development_${alnum(60)}');`, "xendit-secret-key"],
      [`x-client-secret: cfsk_ma_test_${hex(32)}_${hex(8)}`, "cashfree-secret-key"],
      [`KLARNA_API_KEY="klarna_test_api_${alnum(60)}"`, "klarna-api-key"],
      [`  "skey_5${lowerDigits(18)}",`, "omise-secret-key"],
      [
        `MERCURY_TOKEN=secret-token:mercury_production_wma_${alnum(45)}_yrucrem`,
        "mercury-api-token",
      ],
      [
        `Authorization: 'sk_sbox_${own.r("abcdefghijklmnopqrstuvwxyz234567", 24)}a2b'`,
        "checkout-sandbox-secret-key",
      ],
      [`{"token": "shltm_${alnum(40)}"}`, "flexport-api-token"],
    ];
    for (const [text, id] of cases) expect(ruleIds(text), text).toContain(id);
    // Omise public keys go into checkout pages by design.
    expect(ruleIds(`Omise.setPublicKey("pkey_test_5${lowerDigits(18)}")`)).toEqual([]);
    expect(ruleIds(`const cko = new Checkout('sk_sbox_XXX', { pk: 'pk_sbox_XXX'});`)).toEqual([]);
    expect(ruleIds(`FLEXPORT_API_TOKEN=shltm_xxxxxxxxxxxxxxxxxx`)).toEqual([]);
    // The Cashfree shape with its 8-digit tail missing.
    expect(ruleIds(`"cfsk_ma_prod_${hex(32)}"`)).not.toContain("cashfree-secret-key");
  });

  it("finds eBay Cert IDs, not App IDs or documentation values", () => {
    const cert = (env: string) => `${env}-${hex(12)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(4)}`;
    expect(ruleIds(`EBAY_CERT_ID=${cert("PRD")}`)).toContain("ebay-cert-id");
    expect(ruleIds(`{"cert_id": "${cert("SBX")}"}`)).toContain("ebay-cert-id");
    // The App ID holds `-PRD-` inside a name, in another shape.
    expect(ruleIds(`EBAY_APP_ID=Acme-Shop-PRD-${hex(9)}-${hex(8)}`)).toEqual([]);
    expect(ruleIds(`EBAY_CERT_ID=PRD-xxxxxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`)).toEqual([]);
    // The prefix glued to a longer word.
    expect(ruleIds(`XPRD-${hex(12)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(4)}`)).not.toContain(
      "ebay-cert-id",
    );
  });

  it("finds a DeepSource DSN, not a Sentry DSN or a placeholder token", () => {
    expect(ruleIds(`DEEPSOURCE_DSN=https://${hex(32)}@app.deepsource.com`)).toContain(
      "deepsource-dsn",
    );
    expect(ruleIds(`t.Setenv("DEEPSOURCE_DSN", "https://mytoken@app.deepsource.com")`)).toEqual([]);
    // Sentry's DSN key only submits events and ships in front-end code: not reported.
    expect(
      ruleIds(
        `SENTRY_DSN=https://${hex(32)}@o${own.r(DIGITS, 6)}.ingest.sentry.io/${own.r(DIGITS, 7)}`,
      ),
    ).toEqual([]);
    // Nor one of a self-hosted Sentry server (its path is the numeric project id).
    expect(ruleIds(`SENTRY_DSN=https://${hex(32)}@errors.acme.test/${own.r(DIGITS, 3)}`)).toEqual(
      [],
    );
  });

  it("does not call Clerk's sk_live_ keys Stripe's alone", () => {
    const [finding] = scanText(`CLERK_SECRET_KEY=sk_live_${alnum(40)}\n`, { file: ".env" });
    expect(finding?.ruleId).toBe("stripe-live-key");
    expect(finding?.description).toMatch(/Clerk/);
  });

  it("finds automation webhook URLs, not their placeholders or named paths", () => {
    expect(
      ruleIds(`webhookUrl: "https://acme.app.n8n.cloud/webhook/${own.uuid()}/chat",`),
    ).toContain("n8n-webhook");
    expect(ruleIds(`placeholder="https://your-n8n.app.n8n.cloud/webhook/thco-sourcing"`)).toEqual(
      [],
    );
    expect(
      ruleIds(`requests.post("https://eo${lowerDigits(13)}.m.pipedream.net", json=data)`),
    ).toContain("pipedream-webhook");
    expect(ruleIds(`https://docs.m.pipedream.net/sources`)).not.toContain("pipedream-webhook");
    expect(ruleIds(`let url = URL(string: "https://${hex(32)}.m.pipedream.net")!`)).toContain(
      "pipedream-webhook",
    );
  });

  it("finds a DingTalk signing secret beside DingTalk's name only", () => {
    const secret = `SEC${hex(64)}`;
    expect(ruleIds(`DINGTALK_SECRET=${secret}`)).toContain("dingtalk-robot-secret");
    expect(
      ruleIds(`dingtalk:\n  webhook: https://oapi.dingtalk.com/robot/send\n  secret: ${secret}`),
    ).toContain("dingtalk-robot-secret");
    expect(ruleIds(`checksum: ${secret}`)).not.toContain("dingtalk-robot-secret");
  });
});

describe("Dropbox long-lived tokens and Sidekiq credentials as their tools write them", () => {
  it("finds a Dropbox long-lived token, whose ten A's are part of the format", () => {
    const token = `${draw(LOWER + DIGITS, 11)}AAAAAAAAAA${draw(B64URL, 43)}`;
    const findings = scanText(`DROPBOX_ACCESS_TOKEN=${token}\n`, { file: ".env" });
    expect(findings.map((f) => [f.ruleId, f.severity, f.match])).toEqual([
      ["dropbox-long-lived-token", "error", token],
    ]);
    expect(
      scanText(`DROPBOX_ACCESS_TOKEN=${"a".repeat(11)}${"A".repeat(53)}\n`, { file: ".env" }),
    ).toEqual([]);
  });

  it("finds Sidekiq credentials in .bundle/config and in the environment, the value alone", () => {
    const value = `${draw(HEX, 8)}:${draw(HEX, 8)}`;
    for (const line of [
      `BUNDLE_GEMS__CONTRIBSYS__COM: "${value}"`,
      `BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${value}`,
    ]) {
      const findings = scanText(`${line}\n`, { file: "config" });
      expect(
        findings.map((f) => [f.ruleId, f.match]),
        line,
      ).toEqual([["sidekiq-credentials", value]]);
    }
  });
});

describe("provider formats found bare (services, commerce and messaging rules)", () => {
  // A generator of its own: the values drawn above stay as they were.
  const { r: own, mixed: ownMixed } = tokenDrawer(20261205);

  it("finds Slack bot tokens whose ids mix hex letters and digits, not placeholders", () => {
    const hexLike = (n: number) => `3${own("0123456789abcdefABCDEF", n - 1)}`;
    const token = `xoxb-${hexLike(8)}-${hexLike(12)}-${ownMixed(32)}`;
    expect(ruleIds(token)).toContain("slack-bot-token");
    expect(ruleIds("xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX")).toEqual([]);
    // Digits, a dash, then the secret without another dash: the legacy form.
    expect(ruleIds(`xoxb-${own(DIGITS, 10)}-${ownMixed(24)}`)).toEqual(["slack-legacy-token"]);
  });

  it("reports Razorpay test key ids as warnings, and key secrets by name", () => {
    const findings = scanText(`RAZORPAY_KEY_ID=rzp_test_${ownMixed(14)}`, { file: "a.env" });
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([["razorpay-test-key", "warning"]]);
    expect(ruleIds(`RAZORPAY_KEY_SECRET=${ownMixed(24)}`)).toContain("razorpay-key-secret");
  });

  it("finds Elastic Cloud Serverless keys, not a run of one letter", () => {
    const inner = Buffer.from(`${ownMixed(20)}:${ownMixed(22)}`).toString("base64");
    const payload = `${Buffer.from(inner).toString("base64")}AAAA${own(HEX, 6)}==`;
    expect(payload.length).toBe(92);
    expect(ruleIds(`essu_${payload}`)).toContain("elastic-serverless-api-key");
    expect(ruleIds(`essu_${"A".repeat(92)}`)).toEqual([]);
  });
});

describe("Figma OAuth token forms and Checkout.com's first sandbox keys", () => {
  const { r: own } = tokenDrawer(20261208);

  it("finds Figma OAuth access and refresh tokens", () => {
    for (const prefix of ["figo", "figur", "figor", "figuh", "figoh"]) {
      expect(ruleIds(`${prefix}_aZ3${own(B64URL, 40)}`)).toContain("figma-token");
    }
    expect(ruleIds(`figon_aZ3${own(B64URL, 40)}`)).not.toContain("figma-token");
  });

  it("reports Checkout.com sk_test_ keys with a UUID as sandbox warnings", () => {
    const uuid = `${own(HEX, 8)}-${own(HEX, 4)}-4${own(HEX, 3)}-a${own(HEX, 3)}-${own(HEX, 12)}`;
    const findings = scanText(`CHECKOUT_SECRET_KEY=sk_test_${uuid}`, { file: "a.env" });
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ["checkout-sandbox-secret-key", "warning"],
    ]);
  });
});

describe("Prefect service account keys and server tokens", () => {
  const { mixed: ownMixed } = tokenDrawer(20261209);

  it("finds pnb_, pcu_ and pcs_ keys as prefect-api-key", () => {
    for (const prefix of ["pnb", "pcu", "pcs"]) {
      expect(ruleIds(`PREFECT_API_KEY=${prefix}_${ownMixed(36)}`)).toContain("prefect-api-key");
    }
  });
});

describe("Shopify's newer credential forms and WakaTime OAuth tokens", () => {
  const { r: own, mixed: ownMixed } = tokenDrawer(20261210);

  it("finds Shopify merchant, app, Partner API and marketplace tokens", () => {
    for (const prefix of ["atkn", "ptkn", "ztkn", "prtapi"]) {
      expect(ruleIds(`SHOPIFY_TOKEN=${prefix}_${own(HEX, 63)}a`)).toContain("shopify-token");
    }
    expect(ruleIds(`shpmkt_${own(HEX, 7)}a_${own(HEX, 31)}b`)).toContain("shopify-token");
    expect(ruleIds(`atkn_${"0".repeat(64)}`)).not.toContain("shopify-token");
  });

  it("finds WakaTime app secrets and OAuth tokens", () => {
    for (const kind of ["sec", "tok", "ref"]) {
      expect(ruleIds(`waka_${kind}_${ownMixed(80)}`)).toContain("wakatime-api-key");
    }
  });
});

describe("messenger sessions and LINE bots' credentials", () => {
  const B64 = `${B64URL.replace(/[-_]/g, "")}+/`;
  /** The values `ruleId` reports in `text`, scanned as `file`. */
  const valuesOf = (text: string, ruleId: string, file = "config.js") =>
    scanText(text, { file })
      .filter((f) => f.ruleId === ruleId)
      .map((f) => text.slice(f.start, f.end));
  const creds = Buffer.from(
    JSON.stringify({ noiseKey: { private: draw(B64, 44), public: draw(B64, 44) }, me: "x" }),
  ).toString("base64");

  it("reads a WhatsApp bot's SESSION_ID with its bot's name, a Telegram string session and creds.json's base64", () => {
    const zipped = `UEsDBBQAAAgIAO4h2Frw${draw(B64, 300)}`;
    const telethon = `1${draw(B64URL, 351)}=`;
    expect(
      valuesOf(
        `global.SESSION_ID = process.env.SESSION_ID || "KEITH;;;${creds}";`,
        "messenger-session-string",
      ),
    ).toEqual([`KEITH;;;${creds}`]);
    expect(
      valuesOf(`SESSION_ID=CYPHER-X:~${zipped}\n`, "messenger-session-string", ".env"),
    ).toEqual([`CYPHER-X:~${zipped}`]);
    expect(
      valuesOf(`STRING_SESSION = "${telethon}"\n`, "messenger-session-string", "config.py"),
    ).toEqual([telethon]);
    expect(valuesOf(`{"creds": "${creds}"}`, "messenger-session-string", "backup.json")).toEqual([
      creds,
    ]);
    // Heroku's app.json: the variable's description, then its value.
    expect(
      valuesOf(
        `{"env": {"SESSION_ID": {\n  "description": "Your session, from the pairing site",\n  "value": "CYPHER-X:~${zipped}"\n}}}`,
        "messenger-session-string",
        "app.json",
      ),
    ).toEqual([`CYPHER-X:~${zipped}`]);
  });

  it("leaves short session ids, a run of one character and other names alone", () => {
    expect(valuesOf(`session_id = "${draw(HEX, 32)}"\n`, "messenger-session-string")).toEqual([]);
    expect(valuesOf(`SESSION_ID: ${"A".repeat(150)}\n`, "messenger-session-string")).toEqual([]);
    expect(valuesOf(`BUILD_ID=${draw(B64, 150)}\n`, "messenger-session-string")).toEqual([]);
  });

  it("reads the LINE SDKs' token and secret given as literals, not names or short strings", () => {
    const token = `${draw(B64, 171)}=`;
    const secret = draw(HEX, 32);
    expect(
      valuesOf(
        `line_bot_api = LineBotApi('${token}')\nhandler = WebhookHandler('${secret}')\n`,
        "line-messaging-credential",
        "app.py",
      ),
    ).toEqual([token, secret]);
    expect(
      valuesOf(
        `bot, err := linebot.New("${secret}", os.Getenv("TOKEN"))\n`,
        "line-messaging-credential",
        "main.go",
      ),
    ).toEqual([secret]);
    expect(
      valuesOf(
        "line_bot_api = LineBotApi(os.environ['TOKEN'])\nhandler = WebhookHandler('YOUR_CHANNEL_SECRET')\n",
        "line-messaging-credential",
        "app.py",
      ),
    ).toEqual([]);
  });
});

describe("Dropbox tokens", () => {
  it("reads a refresh token whose first characters hold base64url's marks, not zeros' base64", () => {
    const token = `6cIO1_KYMHk${"A".repeat(10)}V${draw(B64URL, 42)}`;
    expect(ruleIds(`"refresh_token":"${token}"`)).toContain("dropbox-long-lived-api-token");
    expect(ruleIds(`data: "AAAAAAAAAA-AAAAAAAAAAC${draw(B64URL, 42)}"`)).not.toContain(
      "dropbox-long-lived-api-token",
    );
  });
});

describe("forms an independent attack on the session and OpenWeather rules showed", () => {
  const valuesOf = (text: string, ruleId: string, file: string) =>
    scanText(text, { file })
      .filter((f) => f.ruleId === ruleId)
      .map((f) => text.slice(f.start, f.end));
  const telethon = `1${draw(B64URL, 351)}=`;

  it("leaves web session cookies to the cookie rule, and base64 of words alone", () => {
    const flask = `${draw(B64URL, 120)}.ZXhhbX.${draw(B64URL, 27)}`;
    const text = `Cookie: session=${flask}\n`;
    expect(
      scanText(text, { file: "req.txt" }).map((f) => [f.ruleId, text.slice(f.start, f.end)]),
    ).toEqual([["http-session-cookie", flask]]);
    expect(valuesOf(`SESSION=${flask}\n`, "messenger-session-string", "app.py")).toEqual([]);
    const words = Buffer.from(
      "This is just a long English sentence that somebody encoded in base64 for no reason at all.",
    ).toString("base64");
    expect(valuesOf(`session: ${words}\n`, "messenger-session-string", "c.yml")).toEqual([]);
  });

  it("reads Telethon's StringSession, a default of os.environ.get, numbered and typed names", () => {
    for (const [file, text] of [
      ["bot.py", `client = TelegramClient(StringSession("${telethon}"), api_id, api_hash)`],
      ["bot.py", `STRING_SESSION = os.environ.get("STRING_SESSION", "${telethon}")`],
      [".env", `SESSION_STRING_1=${telethon}`],
      ["bot.ts", `const SESSION: string = "${telethon}";`],
      ["bot.py", `client = TelegramClient(\n    StringSession(\n        "${telethon}"\n    ),\n)`],
      // A comment that names cookies is no cookie header.
      ["bot.js", `// cookie-free setup\nconst SESSION_ID = "${telethon}"; // no cookie needed`],
    ] as const) {
      expect(valuesOf(`${text}\n`, "messenger-session-string", file), text).toEqual([telethon]);
    }
  });

  it("reads OpenWeather's appid after PHP's =>", () => {
    const key = draw(HEX, 32);
    const text = `// api.openweathermap.org\n$params = ["q" => $city, "appid" => "${key}"];\n`;
    expect(valuesOf(text, "openweather-url-key", "weather.php")).toEqual([key]);
  });
});
