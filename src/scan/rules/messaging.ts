/**
 * Chat, telephony and e-mail services: Slack, Discord, Telegram, Microsoft Teams, Twilio,
 * SendGrid, Mailgun, Mailchimp, Brevo, Postmark, Mandrill, Vonage and others.
 */
import { isPlaceholder, looksHandTyped, shannonEntropy } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";
import {
  assignmentAfter,
  B64URL,
  classCount,
  decodeBase64Url,
  isRandomHex,
  namedValueRules,
  nearbyLines,
  notAfter,
  notBefore,
  re,
  regexRule,
  SHAPES,
  tokenRules,
} from "./build.js";

/** Common four-letter English words. */
const COMMON_WORDS = new Set(
  (
    "able also area away back base been best body book both call came case come cost data days " +
    "does done down each else even ever face fact feel file find fine five form four free from " +
    "full gave gets give goes gone good half hand hard have head hear help here high hold home " +
    "hope idea into item just keep kind knew know last late left less life like line link list " +
    "live long look lose made mail main make many mind more most move much must name near need " +
    "news next nice none note once only open over page part pass past plan play read real rest " +
    "role room rule runs safe said same save seen self send sent show side sign site size some " +
    "soon step stop sure take talk team tell test text than that them then they this time told " +
    "took true turn type unit upon used user uses very view wait want week well went were what " +
    "when will with word work year your zero"
  ).split(" "),
);

/** Runs of letters that a made-up example walks along: the alphabet and the keyboard's rows. */
const LETTER_RUNS = ["abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/**
 * 16 lower-case letters drawn at random: at least 8 distinct, and no four in a row along the
 * alphabet or a keyboard row (`abcd efgh …`, `qwer tyui …`), which a random draw shows about
 * once in ten thousand.
 */
function isRandomLetters(letters: string): boolean {
  if (letters !== letters.toLowerCase() || new Set(letters).size < 8) return false;
  if (isPlaceholder(letters)) return false;
  // Words of a sentence (`over that link once`): a random group is one of these about once in
  // 2,000 draws.
  const groups = letters.match(/.{4}/g) ?? [];
  if (groups.filter((group) => COMMON_WORDS.has(group)).length >= 2) return false;
  for (let at = 0; at + 4 <= letters.length; at++) {
    const four = letters.slice(at, at + 4);
    if (LETTER_RUNS.some((run) => run.includes(four))) return false;
  }
  return true;
}

const HEX32 = re(`${notBefore("A-Za-z0-9")}[a-f0-9]{32}${notAfter("A-Za-z0-9")}`);

/**
 * Twilio auth token: 32 hex digits assigned to a name with twilio/auth_token in it, or the
 * first 32-hex value within the next two lines (at most ~600 characters) after an account
 * SID. Each anchor looks ahead once, so the cost stays linear on one-line files.
 */
const twilioAuthToken: ScanRule = {
  id: "twilio-auth-token",
  description: "Twilio auth token (32 hex characters near a Twilio account SID or name)",
  keywords: ["twilio"],
  severity: "error",
  confidence: "medium",
  suggestedName: "TWILIO_AUTH_TOKEN",
  scan(text) {
    const found: RuleMatch[] = [];
    const seen = new Set<number>();
    const keep = (start: number) => {
      if (seen.has(start) || text.slice(start - 2, start) === "AC") return;
      if (shannonEntropy(text.slice(start, start + 32)) < 3) return;
      seen.add(start);
      found.push({ start, end: start + 32 });
    };
    const named = re(
      `${assignmentAfter("twilio[\\w.-]{0,20}?(?:token|secret|auth)")}(?<secret>[a-f0-9]{32})${notAfter("A-Za-z0-9")}`,
      "i",
    );
    for (let m = named.exec(text); m; m = named.exec(text)) {
      const span = m.indices?.groups?.secret;
      if (span) keep(span[0]);
    }
    const sids = /\bAC[a-f0-9]{32}\b/g;
    const hex = new RegExp(HEX32);
    let scannedTo = 0;
    for (let m = sids.exec(text); m; m = sids.exec(text)) {
      const from = Math.max(m.index + m[0].length, scannedTo);
      const window = nearbyLines(text, from);
      const to = from + window.length;
      hex.lastIndex = 0;
      const h = hex.exec(window);
      if (h) keep(from + h.index);
      scannedTo = to;
    }
    return found;
  },
};

/**
 * The word Mailgun on the line of `at`, within the 200 characters before it. The line's start is
 * looked for in that window only: a search back to it on a long line, for every key, would make
 * a scan quadratic.
 */
function mentionsMailgun(text: string, at: number): boolean {
  const window = text.slice(Math.max(0, at - 200), at);
  return /mailgun/i.test(window.slice(window.lastIndexOf("\n") + 1));
}

/** The bot's name before a session (`CYPHER-X:~`, `KEITH;;;`); its marks are no base64's. */
const SESSION_PREFIX = "(?:[A-Za-z][A-Za-z0-9._-]{0,30}[:;~|!]{1,4})?";
/**
 * What follows `session` in a session's name (`SESSION_ID`, `SESSION_STRING_2`). The patterns
 * read the word first and look behind it for the name's start (`STRING_`), so a text is searched
 * for the word, not tried at each letter.
 */
const SESSION_NAME = "(?:_?id|_?string|_?str)?(?:_?\\d{1,2})?";
/** A session's run: a bot's name perhaps, then base64. */
const SESSION_RUN = `${SESSION_PREFIX}[A-Za-z0-9+/_-]{100,12000}={0,2}`;

/** A web request's cookie header or option on the line before a value. */
const COOKIE_CONTEXT = /\bcookie[ \t]{0,4}[:=]|set-cookie|(?:^|\s)-b[ \t]|--cookie/i;

/**
 * Whether a session's value is one of a web framework's session cookies or plain text: a
 * cookie header or option before it on its line (`Cookie: `, `-b `), a signed cookie's `.` or
 * `--` after it (Flask's, Rails'), or base64 that decodes to words.
 */
function isWebSessionOrText(text: string, start: number, end: number, drawn: string): boolean {
  const before = text.slice(Math.max(0, start - 200), start);
  if (COOKIE_CONTEXT.test(before.slice(before.lastIndexOf("\n") + 1))) return true;
  if (/^(?:\.|--)[A-Za-z0-9]/.test(text.slice(end, end + 3))) return true;
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(drawn)
    ? Buffer.from(drawn, "base64").toString("latin1")
    : "";
  const printable = decoded.replace(/[^\x20-\x7e]/g, "").length;
  const blanks = decoded.split(" ").length - 1;
  return (
    decoded.length > 0 && printable >= decoded.length * 0.95 && blanks >= decoded.length * 0.08
  );
}

/**
 * A messenger account's login kept as a string: a WhatsApp bot's `SESSION_ID` (the Baileys
 * library's `creds.json` in base64, zipped or not, usually after the bot's name: `CYPHER-X:~…`,
 * `KEITH;;;…`), a Telegram client's string session (Telethon's, Pyrogram's) under a session's
 * name, or `creds.json`'s base64 anywhere (`eyJub2lzZUtleSI6` is `{"noiseKey":`); a Heroku
 * `app.json`'s `"SESSION_ID": {"description": …, "value": "…"}` too. Whoever holds one reads and
 * sends as the account.
 */
const messengerSessionString = regexRule({
  id: "messenger-session-string",
  description:
    "Messenger account session saved as a string (WhatsApp bot SESSION_ID, Telegram string session)",
  keywords: ["session", "eyjub2lzzutlesi6"],
  confidence: "medium",
  suggestedName: "SESSION_ID",
  checksPlaceholders: true,
  // After the name: an assignment, a default (`os.environ.get("STRING_SESSION", "…")`,
  // `|| "…"`), a type (`SESSION: string = "…"`); Telethon's `StringSession("…")`.
  pattern: re(
    `session(?<=(?<![A-Za-z0-9])[A-Za-z_]{0,24}session)${SESSION_NAME}["'\`]?(?:[ \\t]{0,4}:[ \\t]{0,4}[A-Za-z]{1,20})?[ \\t]{0,4}(?:=>|[=:,]|\\|\\|)[ \\t]{0,4}[\`"']?(?<secret>${SESSION_RUN})|(?<![A-Za-z0-9+/])(?<secretAlt>eyJub2lzZUtleSI6[A-Za-z0-9+/]{100,12000}={0,2})|session(?<="[A-Za-z_]{0,24}session)${SESSION_NAME}"[ \\t]{0,4}:[ \\t\\r\\n]{0,20}\\{[^{}]{0,4000}?"value"[ \\t]{0,4}:[ \\t]{0,4}"(?<secretAlt2>${SESSION_RUN})"|\\bStringSession\\(\\s{0,40}["'](?<secretAlt3>[A-Za-z0-9_-]{300,420}={0,2})["']`,
    "i",
  ),
  validate: (secret, match, text) => {
    const drawn = secret.replace(/^[A-Za-z][A-Za-z0-9._-]{0,30}[:;~|!]{1,4}/, "");
    const start = text.indexOf(secret, match.index);
    return (
      drawn.length >= 100 &&
      classCount(drawn) >= 3 &&
      shannonEntropy(drawn) >= 4.5 &&
      !isWebSessionOrText(text, start, start + secret.length, drawn)
    );
  },
});

/**
 * The LINE Messaging API SDKs' constructors, given the channel's credentials as literals: the
 * access token (`LineBotApi('…')`, PHP's `CurlHTTPClient('…')`, Java's
 * `LineMessagingClient.builder("…")`; 100 to 250 characters of base64) or the channel secret
 * (`WebhookHandler('…')`, `WebhookParser('…')`, Go's `linebot.New("…", …)`; 32 hex digits).
 */
const lineMessagingCredential = regexRule({
  id: "line-messaging-credential",
  description: "LINE Messaging API channel access token or secret given to the SDK",
  keywords: [
    "linebotapi",
    "curlhttpclient",
    "linemessagingclient",
    "webhookhandler",
    "webhookparser",
    "linebot.new",
  ],
  suggestedName: "LINE_CHANNEL_ACCESS_TOKEN",
  checksPlaceholders: true,
  pattern: re(
    `(?:\\bLineBotApi|\\bCurlHTTPClient|\\bLineMessagingClient\\.builder)\\([ \\t]{0,4}["'](?<secret>[A-Za-z0-9+/]{100,250}={0,2})["']|(?:\\bWebhookHandler|\\bWebhookParser|\\blinebot\\.New)\\([ \\t]{0,4}["'](?<secretAlt>[a-f0-9]{32})["']`,
  ),
  validate: (secret) =>
    secret.length === 32
      ? isRandomHex(secret)
      : classCount(secret) >= 3 && shannonEntropy(secret) >= 4.5,
});

export const MESSAGING_RULES: ScanRule[] = [
  messengerSessionString,
  lineMessagingCredential,
  ...tokenRules([
    {
      // Matrix (Synapse) access and refresh tokens: `syt_` or `syr_`, the user's localpart in
      // unpadded base64, then 20 random letters and digits and a 6-character base62 checksum,
      // each after `_`. The localpart's base64 may hold `_` itself, so the run is taken whole
      // and its end checked.
      id: "matrix-access-token",
      description: "Matrix (Synapse) access or refresh token",
      keywords: ["syt_", "syr_"],
      token: "sy[tr]_[A-Za-z0-9_\\-]{30,300}",
      suggestedName: "MATRIX_ACCESS_TOKEN",
      validate: (secret) => {
        const tail = /_([A-Za-z0-9]{20})_[A-Za-z0-9]{6}$/.exec(secret);
        return (
          tail !== null &&
          tail.index >= 6 &&
          classCount(tail[1] as string) >= 2 &&
          shannonEntropy(tail[1] as string) >= 3.2
        );
      },
    },
    {
      id: "nylas-api-key",
      description: "Nylas (v3) API key",
      keywords: ["nyk_v0_"],
      token: "nyk_v0_[A-Za-z0-9]{40,80}",
      suggestedName: "NYLAS_API_KEY",
      validate: (secret) => classCount(secret.slice(7)) >= 3,
    },
    {
      id: "africastalking-api-key",
      description: "Africa's Talking API key",
      keywords: ["atsk_"],
      token: "atsk_[a-f0-9]{64,80}",
      suggestedName: "AT_API_KEY",
      validate: (secret) => isRandomHex(secret.slice(5)),
    },
    {
      // Private keys are `pk_` and 34 hex digits, a shape distinctive enough to find without
      // Klaviyo's name; the public key (site id) is six characters.
      id: "klaviyo-private-key",
      description: "Klaviyo private API key",
      keywords: ["pk_"],
      token: "pk_[a-f0-9]{34}",
      suggestedName: "KLAVIYO_PRIVATE_KEY",
      validate: (secret) => isRandomHex(secret.slice(3)),
    },
    {
      id: "slack-bot-token",
      description: "Slack bot token",
      keywords: ["xoxb-"],
      // The team and bot ids are digits in Slack's tokens; tokens are also seen with ids of
      // hex-like letters and digits (rewritten or from another issuer), as secret as the rest.
      // Letters in the bot id need the dash after it (else it is slack-legacy-token's form).
      token: "xoxb-[0-9A-Za-z]{8,14}-(?:[0-9]{8,14}-?|[0-9A-Za-z]{8,14}-)[A-Za-z0-9]{16,32}",
      suggestedName: "SLACK_BOT_TOKEN",
      validate: (secret) => {
        const [, team = "", bot = "", rest = ""] = secret.split("-");
        const isId = (id: string) =>
          /^[0-9]+$/.test(id) || (/[0-9]/.test(id) && classCount(id) >= 2);
        return isId(team) && isId(bot) && (rest === "" || classCount(rest) >= 2);
      },
    },
    {
      id: "slack-user-token",
      description: "Slack user or workspace token",
      keywords: ["xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-"],
      token: "xox[paosr]-(?:\\d-)?(?:[0-9]{6,14}-){1,3}[A-Za-z0-9]{16,64}",
      suggestedName: "SLACK_TOKEN",
    },
    {
      // What a logged-in Slack web or desktop client holds: its client token and `d` cookie.
      id: "slack-session-token",
      description: "Slack client token (xoxc) or session cookie (xoxd)",
      keywords: ["xoxc-", "xoxd-"],
      token: "(?:xoxc-(?:[0-9]{6,14}-){3}[a-f0-9]{64}|xoxd-[A-Za-z0-9%/+=]{60,400})",
      boundary: "A-Za-z0-9%/+=_\\-",
      suggestedName: "SLACK_TOKEN",
    },
    {
      // Rotating tokens: `xoxe.xoxp-1-…` (access), `xoxe-1-…` (refresh), and the access token
      // copied without its `xoxe.` (`xoxp-1-…`, a long base64 body).
      id: "slack-config-token",
      description: "Slack configuration, refresh or rotating access token",
      keywords: ["xoxe", "xoxp-", "xoxb-"],
      token:
        "xoxe(?:\\.xox[bp])?-\\d-[A-Za-z0-9]{40,300}|xox[bp]-\\d-(?=[0-9]{0,59}[A-Za-z])[A-Za-z0-9]{60,300}",
      suggestedName: "SLACK_CONFIG_TOKEN",
    },
    {
      id: "slack-app-token",
      description: "Slack app-level token",
      keywords: ["xapp-"],
      token: "xapp-\\d-[A-Z0-9]{8,14}-\\d{8,16}-[a-f0-9]{32,80}",
      suggestedName: "SLACK_APP_TOKEN",
    },
    {
      id: "slack-legacy-token",
      description: "Slack legacy bot or workspace token",
      keywords: ["xoxb-", "xoxp-"],
      token: "xox[bp]-[0-9]{8,14}-[A-Za-z0-9]{18,40}",
      suggestedName: "SLACK_TOKEN",
      validate: (secret) => classCount(secret.slice(5)) >= 3,
    },
    {
      // Newer Mandrill keys carry a prefix: `md-` and 22 base64url characters (the older ones,
      // 22 characters bare, are found by name: mandrill-api-key).
      id: "mailchimp-transactional-key",
      description: "Mailchimp Transactional (Mandrill) API key",
      keywords: ["md-"],
      token: "md-[A-Za-z0-9_\\-]{22}",
      suggestedName: "MANDRILL_API_KEY",
      validate: (secret) =>
        /[a-z]/.test(secret.slice(3)) &&
        /[A-Z]/.test(secret.slice(3)) &&
        /[0-9]/.test(secret.slice(3)) &&
        shannonEntropy(secret.slice(3)) >= 3.5,
    },
    {
      id: "sendgrid-api-key",
      description: "SendGrid API key",
      keywords: ["sg."],
      token: `SG\\.[${B64URL}]{22}\\.[${B64URL}]{43}`,
      suggestedName: "SENDGRID_API_KEY",
    },
    {
      id: "twilio-api-key",
      description: "Twilio API key SID",
      keywords: ["sk"],
      token: "SK[0-9a-f]{32}",
      boundary: "A-Za-z0-9",
      suggestedName: "TWILIO_API_KEY",
      validate: (secret) => shannonEntropy(secret.slice(2)) >= 3,
    },
    {
      id: "mailchimp-api-key",
      description: "Mailchimp API key",
      keywords: ["-us"],
      token: "[a-f0-9]{32}-us[0-9]{1,2}",
      near: { literal: "-us", before: 32, after: 2 },
      boundary: "A-Za-z0-9",
      suggestedName: "MAILCHIMP_API_KEY",
      validate: (secret) => shannonEntropy(secret.slice(0, 32)) >= 3,
    },
    {
      id: "mailgun-api-key",
      description: "Mailgun private API key",
      keywords: ["key-"],
      // 32 lower-case letters and digits; hex digits only (`key-` and an MD5 is also a cache's
      // key) with the word Mailgun on its line.
      token: "key-[a-z0-9]{32}",
      boundary: "A-Za-z0-9",
      suggestedName: "MAILGUN_API_KEY",
      validate: (secret, match, text) =>
        /[0-9]/.test(secret.slice(4)) &&
        /[a-z]/.test(secret.slice(4)) &&
        shannonEntropy(secret.slice(4)) >= 3.5 &&
        (/[g-z]/.test(secret.slice(4)) || mentionsMailgun(text, match.index)),
    },
    {
      id: "brevo-api-key",
      description: "Brevo (Sendinblue) API or SMTP key",
      keywords: ["xkeysib-", "xsmtpsib-"],
      token: "x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}",
      suggestedName: "BREVO_API_KEY",
    },
    {
      id: "mailersend-api-key",
      description: "MailerSend API token",
      keywords: ["mlsn."],
      token: "mlsn\\.[a-f0-9]{64}",
    },
    {
      id: "resend-api-key",
      description: "Resend API key",
      keywords: ["re_"],
      token: "re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}",
      validate: (secret) => classCount(secret.slice(3)) >= 3,
    },
    {
      id: "telnyx-api-key",
      description: "Telnyx API v2 key",
      keywords: ["key0"],
      token: "KEY0[0-9A-F]{31}_[A-Za-z0-9]{22}",
    },
    {
      id: "telegram-bot-token",
      description: "Telegram bot token",
      keywords: [":aa"],
      // Also glued to `bot` in the Bot API's URLs (`https://api.telegram.org/bot<token>/…`).
      token: `(?:(?<=\\bbot)|(?<![${B64URL}]))\\d{8,10}:AA[${B64URL}]{30,34}(?![${B64URL}])`,
      boundary: "",
      // The digits and `bot` before `:AA` (a lookbehind's reach), the rest after it.
      near: { literal: ":AA", before: 14, after: 34 },
      suggestedName: "TELEGRAM_BOT_TOKEN",
    },
  ]),
  twilioAuthToken,
  // Google and Apple app passwords: 16 random lower-case letters, shown as four groups of four
  // (`abcd efgh ijkl mnop`, Apple's with hyphens), pasted after the words "app password" (or
  // "app-specific password", Apple's "application-specific password") so that an e-mail client
  // or an agent's SMTP can log in. The value ends its line or is closed by a quote, bracket or
  // stop: four short words in a running sentence, or a CSS class, are not one.
  regexRule({
    id: "app-password",
    description: "Google or Apple app password (16 letters in groups of four)",
    keywords: [
      "app pass",
      "app-pass",
      "app_pass",
      "apppass",
      "app specific",
      "app-specific",
      "app_specific",
      "application specific",
      "application-specific",
      "application_specific",
    ],
    confidence: "medium",
    suggestedName: "SMTP_PASSWORD",
    pattern: re(
      `app(?:lication)?[ _-]?(?:specific[ _-])?pass(?:word)?(?<gap>[^\\n]{0,40}?)${notBefore("A-Za-z0-9#./_\\-")}(?<secret>[a-z]{4}(?<sep>[ -]?)[a-z]{4}\\k<sep>[a-z]{4}\\k<sep>[a-z]{4})(?![A-Za-z0-9_-])(?=[ \\t]{0,4}(?:[\\r\\n"'\`)\\].,;]|$))`,
      "i",
    ),
    validate: (secret, match) =>
      !/[<{]|\b(?:class|id|name|for|type|href|src)=/i.test(match.groups?.gap ?? "") &&
      isRandomLetters(secret.replace(/[ -]/g, "")),
  }),
  regexRule({
    id: "slack-webhook",
    description: "Slack incoming webhook URL",
    keywords: ["hooks.slack.com"],
    suggestedName: "SLACK_WEBHOOK_URL",
    pattern: re(
      `https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+\\-]{30,200}${notAfter("A-Za-z0-9_/+\\-")}`,
    ),
  }),
  regexRule({
    id: "discord-webhook",
    description: "Discord webhook URL",
    keywords: ["/api/webhooks/"],
    suggestedName: "DISCORD_WEBHOOK_URL",
    pattern: re(
      `https://(?:(?:canary|ptb)\\.)?discord(?:app)?\\.com/api/webhooks/\\d{17,20}/[${B64URL}]{60,72}${notAfter(B64URL)}`,
    ),
  }),
  regexRule({
    id: "teams-webhook",
    description: "Microsoft Teams or Office 365 incoming webhook URL",
    keywords: ["webhook.office.com", "outlook.office", "logic.azure.com"],
    suggestedName: "TEAMS_WEBHOOK_URL",
    pattern: re(
      // Logic Apps hosts have several labels (`prod-12.westus.logic.azure.com`) and triggers
      // any name; a tenant's label may hold `_` (`team_name.webhook.office.com`), as examples
      // write it. The connector's name follows the tenant (`IncomingWebhook`, `TravisCI`,
      // `JenkinsCI`: Office 365's connectors each post through one).
      `https://(?:outlook\\.office(?:365)?\\.com/webhook/[a-f0-9-]{36}@[a-f0-9-]{36}/[A-Za-z][A-Za-z0-9]{1,39}/[a-f0-9]{32}/[a-f0-9-]{36}|(?:[a-z0-9_-]{1,63}\\.){1,4}(?:webhook\\.office\\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/[A-Za-z][A-Za-z0-9]{1,39}/[a-f0-9]{32}/[a-f0-9-]{36}(?:/[${B64URL}]{40,50})?|logic\\.azure\\.com(?::443)?/workflows/[a-f0-9]{32}/triggers/[A-Za-z0-9_.%-]{1,80}/paths/invoke\\?[^\\s"'<>]{0,200}?sig=[${B64URL}]{43}))`,
    ),
  }),
  regexRule({
    // Teams "Workflows" and Power Automate HTTP triggers: the `sig` lets anyone run the flow.
    id: "power-automate-webhook",
    description: "Power Automate (Teams Workflows) HTTP trigger URL",
    keywords: ["powerplatform.com"],
    suggestedName: "TEAMS_WEBHOOK_URL",
    pattern: re(
      `https://[a-z0-9-]{1,64}\\.[a-z0-9]{1,4}\\.environment\\.api\\.powerplatform\\.com(?::443)?/powerautomate/automations/direct/workflows/[a-f0-9]{32}/triggers/[A-Za-z0-9_.%-]{1,80}/paths/invoke\\?[^\\s"'<>]{0,200}?sig=[${B64URL}]{43}${notAfter(B64URL)}`,
    ),
  }),
  regexRule({
    // Logic Apps and other HTTP triggers of Azure's workflows (the Power Automate URL above is
    // reported whole): the trigger's URL carries its own key, `sig=` and 43
    // characters (`…/triggers/manual/paths/invoke?api-version=…&sp=…&sv=1.0&sig=…`); anyone
    // holding it runs the workflow. Also the signature given apart from the URL (`'sig': '…'`,
    // `params.Add("sig", "…")`, `curl -d "sig=…"`) where a trigger's path is near.
    id: "azure-logic-app-signature",
    description: "Azure Logic Apps trigger URL signature (sig=)",
    keywords: ["sig=", "'sig'", '"sig"'],
    confidence: "medium",
    suggestedName: "LOGIC_APP_TRIGGER_SIG",
    pattern: re(
      `(?<![A-Za-z0-9_])["']?sig["']?[ \\t]{0,4}[:=,][ \\t]{0,4}["']?(?<secret>[A-Za-z0-9_-]{43})(?![A-Za-z0-9_%=-])`,
    ),
    validate: (secret, match, text) =>
      classCount(secret) >= 3 &&
      !looksHandTyped(secret) &&
      shannonEntropy(secret) >= 4 &&
      /(?:\/|%2f)triggers(?:\/|%2f)/i.test(
        text.slice(Math.max(0, match.index - 3000), match.index + 3000),
      ),
  }),
  regexRule({
    // The URL is all it takes to post to the workflow: low severity, as with other hooks.
    id: "n8n-webhook",
    description: "n8n Cloud webhook URL",
    keywords: ["app.n8n.cloud/webhook"],
    severity: "warning",
    confidence: "medium",
    suggestedName: "N8N_WEBHOOK_URL",
    pattern: re(
      `https://[a-z0-9-]{1,63}\\.app\\.n8n\\.cloud/webhook(?:-test)?/(?<secret>${SHAPES.uuid})${notAfter("A-Za-z0-9-")}`,
    ),
  }),
  regexRule({
    id: "pipedream-webhook",
    description: "Pipedream HTTP source (webhook) URL",
    keywords: ["m.pipedream.net"],
    severity: "warning",
    confidence: "medium",
    suggestedName: "PIPEDREAM_WEBHOOK_URL",
    pattern: re(
      `${notBefore("A-Za-z0-9.-")}(?:https?://)?(?<secret>eo[a-z0-9]{12,16}|[a-f0-9]{32})\\.m\\.pipedream\\.net${notAfter("A-Za-z0-9-")}`,
    ),
    near: { literal: ".m.pipedream.net", before: 40, after: 0 },
    // Endpoints are `eo` + 13 letters and digits, or (older) 32 hex digits.
    validate: (secret) =>
      /[0-9]/.test(secret) && classCount(secret) >= 2 && shannonEntropy(secret) >= 3,
  }),
  regexRule({
    // The `key` of these URLs is a public API key; the `token` is what lets anyone post.
    id: "google-chat-webhook",
    description: "Google Chat incoming webhook URL",
    keywords: ["chat.googleapis.com"],
    suggestedName: "GOOGLE_CHAT_WEBHOOK_URL",
    pattern: re(
      `https://chat\\.googleapis\\.com/v1/spaces/[A-Za-z0-9_-]{8,20}/messages\\?[^\\s"'<>]{0,120}?token=(?<secret>[${B64URL}]{40,50}(?:%3D|=)?)${notAfter(`${B64URL}%=`)}`,
    ),
  }),
  regexRule({
    // Chat-bot webhooks of DingTalk, Feishu / Lark and WeCom: the URL's token is the secret.
    id: "chat-bot-webhook",
    description: "DingTalk, Feishu / Lark or WeCom bot webhook URL",
    keywords: ["oapi.dingtalk.com", "open.feishu.cn", "open.larksuite.com", "qyapi.weixin.qq.com"],
    suggestedName: "BOT_WEBHOOK_URL",
    pattern: re(
      `https://(?:oapi\\.dingtalk\\.com/robot/send\\?access_token=(?<secret>[a-f0-9]{64})|open\\.(?:feishu\\.cn|larksuite\\.com)/open-apis/bot/v2/hook/(?<secretAlt>[a-f0-9-]{36})|qyapi\\.weixin\\.qq\\.com/cgi-bin/webhook/send\\?key=(?<secretAlt2>[a-f0-9-]{36}))${notAfter("A-Za-z0-9-")}`,
    ),
  }),
  regexRule({
    id: "automation-webhook",
    description: "IFTTT Webhooks key or Make (Integromat) webhook URL",
    keywords: ["maker.ifttt.com", ".make.com/", "hook.integromat.com/"],
    suggestedName: "WEBHOOK_URL",
    pattern: re(
      `https://(?:maker\\.ifttt\\.com/(?:trigger/[A-Za-z0-9_.-]{1,100}/(?:json/)?with/key|use)/(?<secret>[${B64URL}]{22,43})|hook\\.(?:[a-z]{2}[0-9]\\.)?(?:make|integromat)\\.com/(?<secretAlt>[a-z0-9]{32}))${notAfter(B64URL)}`,
    ),
  }),
  regexRule({
    id: "discord-bot-token",
    description: "Discord bot token",
    keywords: [],
    suggestedName: "DISCORD_BOT_TOKEN",
    pattern: re(
      `${notBefore(`.${B64URL}`)}[MNO][A-Za-z0-9_\\-]{23,27}\\.[${B64URL}]{6}\\.[${B64URL}]{27,38}${notAfter(`.${B64URL}`)}`,
    ),
    // The first part is the bot's user id (a numeric snowflake) in base64.
    validate: (secret) => /^\d{17,20}$/.test(decodeBase64Url(secret.split(".")[0] ?? "") ?? ""),
  }),
  ...namedValueRules([
    {
      id: "discord-client-secret",
      description: "Discord client secret or bot token by name",
      names: ["discord"],
      value: `(?:${SHAPES.b64url(32)}|[a-f0-9]{64})`,
      validate: (secret) => classCount(secret) >= 3 || /^[a-f0-9]{64}$/.test(secret),
    },
    {
      id: "mailgun-signing-key",
      description: "Mailgun webhook signing key or API key (new form)",
      names: ["mailgun"],
      value: "(?:[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}|[a-f0-9]{32})",
    },
    {
      id: "postmark-server-token",
      description: "Postmark server or account token",
      names: ["postmark", "x-postmark-server-token"],
      value: SHAPES.uuid,
    },
    {
      id: "mandrill-api-key",
      description: "Mandrill (Mailchimp Transactional) API key",
      names: ["mandrill"],
      value: SHAPES.b64url(22),
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "vonage-api-secret",
      description: "Vonage (Nexmo) API secret",
      names: ["vonage", "nexmo"],
      value: "[a-z0-9]{16}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "messagebird-api-key",
      description: "MessageBird (Bird) API key",
      names: ["messagebird", "message_bird", "message-bird"],
      value: "[a-z0-9]{25}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "plivo-auth-token",
      description: "Plivo auth token",
      names: ["plivo"],
      value: "[a-z0-9]{40}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "sinch-api-secret",
      description: "Sinch API secret",
      names: ["sinch"],
      value: "[a-z0-9_\\-]{24,40}",
      validate: (secret) => classCount(secret) >= 3,
    },
    {
      id: "mattermost-token",
      description: "Mattermost access token",
      names: ["mattermost"],
      value: "[a-z0-9]{26}",
      validate: (secret) => classCount(secret) >= 2 && shannonEntropy(secret) >= 3.5,
    },
    {
      id: "loops-api-key",
      description: "Loops (e-mail) API key",
      names: ["loops_api", "loops_key", "loops_secret"],
      value: SHAPES.hex32,
    },
    {
      id: "pepipost-api-key",
      description: "Pepipost (Netcore Email) API key",
      names: ["pepipost"],
      value: SHAPES.hex32,
    },
    {
      // Novu's application identifier is public: only names that say secret or API key.
      id: "novu-secret-key",
      description: "Novu secret key",
      names: ["novu_secret", "novu secret", "novu_api_key"],
      value: SHAPES.hex32,
    },
    {
      id: "zulip-api-key",
      description: "Zulip API key",
      names: ["zulip"],
      value: "[a-z0-9]{32}",
      validate: (secret) => classCount(secret) >= 3,
    },
  ]),
  regexRule({
    // The hook id (26 characters) is all it takes to post; only on a host named after
    // Mattermost, as `/hooks/` paths of other servers look the same. The id is the secret
    // (the host may well be a documentation name such as example.com).
    id: "mattermost-webhook",
    description: "Mattermost incoming webhook URL",
    keywords: ["mattermost"],
    suggestedName: "MATTERMOST_WEBHOOK_URL",
    pattern: re(
      `https?://[a-z0-9.-]{0,80}mattermost[a-z0-9.-]{0,80}(?::\\d{2,5})?/hooks/(?<secret>[a-z0-9]{26})${notAfter("A-Za-z0-9")}`,
      "i",
    ),
    validate: (secret) => classCount(secret) >= 2 && shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    id: "tines-webhook",
    description: "Tines webhook URL",
    keywords: ["tines.com/webhook/"],
    suggestedName: "TINES_WEBHOOK_URL",
    pattern: re(
      `https://[a-z0-9-]{1,63}\\.tines\\.com/webhook/[A-Za-z0-9_-]{1,64}/(?<secret>[a-f0-9]{32})${notAfter("A-Za-z0-9")}`,
    ),
  }),
  ...namedValueRules([
    {
      // Bot tokens issued today start with `AA` (found anywhere, above); beside the name
      // `telegram` any 35-character secret part will do.
      id: "telegram-bot-token-by-name",
      description: "Telegram bot token by name",
      names: ["telegram"],
      value: `[0-9]{8,10}:[${B64URL}]{35}`,
      validate: (secret) => classCount(secret.slice(secret.indexOf(":") + 1)) >= 3,
      suggestedName: "TELEGRAM_BOT_TOKEN",
    },
    {
      // The app credentials of my.telegram.org (`api_id` and `api_hash`) sign a user account's
      // MTProto client in (Telethon, Pyrogram): the hash is the secret half, named as such.
      id: "telegram-api-hash",
      description: "Telegram API hash (an MTProto app's api_hash)",
      names: ["api_hash", "apihash", "api-hash"],
      value: "[a-f0-9]{32}",
      validate: (secret) => isRandomHex(secret.toLowerCase()),
      suggestedName: "TELEGRAM_API_HASH",
      nearby: false,
    },
    {
      // `SEC` + 64 hex alone could be anything: only by DingTalk's name.
      id: "dingtalk-robot-secret",
      description: "DingTalk robot signing secret",
      names: ["dingtalk", "dingding", "ding_talk"],
      value: "SEC[a-f0-9]{64}",
      validate: (secret) => secret.startsWith("SEC") && shannonEntropy(secret.slice(3)) >= 3,
      suggestedName: "DINGTALK_SECRET",
    },
    {
      id: "pushbullet-token",
      description: "Pushbullet access token",
      names: ["pushbullet"],
      value: "o\\.[a-z0-9]{32}",
      validate: (secret) => classCount(secret.slice(2)) >= 3,
      suggestedName: "PUSHBULLET_TOKEN",
    },
  ]),
];
