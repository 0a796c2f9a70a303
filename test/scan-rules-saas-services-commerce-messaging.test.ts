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
