/**
 * Where OpenClaw accepts a SecretRef in `openclaw.json`, and how a plaintext credential there
 * is told apart from a non-secret placeholder. The list is the `openclaw` package's
 * "SecretRef credential surface" (docs/reference/secretref-credential-surface.md, version
 * 2026.9.6): `*` stands for any one key.
 */

/** Config paths (dot-separated, `*` = any key) whose value may be a SecretRef. */
export const SECRET_REF_TARGETS: readonly string[] = [
  "agents.entries.*.memory.search.remote.apiKey",
  "agents.entries.*.tts.personas.*.providers.*.apiKey",
  "agents.entries.*.tts.providers.*.apiKey",
  "channels.buzz.accounts.*.authTag",
  "channels.buzz.accounts.*.privateKey",
  "channels.buzz.authTag",
  "channels.buzz.privateKey",
  "channels.clickclack.accounts.*.token",
  "channels.clickclack.token",
  "channels.discord.accounts.*.pluralkit.token",
  "channels.discord.accounts.*.token",
  "channels.discord.accounts.*.voice.realtime.providers.*.apiKey",
  "channels.discord.accounts.*.voice.tts.personas.*.providers.*.apiKey",
  "channels.discord.accounts.*.voice.tts.providers.*.apiKey",
  "channels.discord.pluralkit.token",
  "channels.discord.token",
  "channels.discord.voice.realtime.providers.*.apiKey",
  "channels.discord.voice.tts.personas.*.providers.*.apiKey",
  "channels.discord.voice.tts.providers.*.apiKey",
  "channels.feishu.accounts.*.appSecret",
  "channels.feishu.accounts.*.encryptKey",
  "channels.feishu.accounts.*.verificationToken",
  "channels.feishu.appSecret",
  "channels.feishu.encryptKey",
  "channels.feishu.verificationToken",
  "channels.googlechat.accounts.*.serviceAccount",
  "channels.googlechat.serviceAccount",
  "channels.irc.accounts.*.nickserv.password",
  "channels.irc.accounts.*.password",
  "channels.irc.nickserv.password",
  "channels.irc.password",
  "channels.matrix.accessToken",
  "channels.matrix.accounts.*.accessToken",
  "channels.matrix.accounts.*.password",
  "channels.matrix.password",
  "channels.mattermost.accounts.*.botToken",
  "channels.mattermost.botToken",
  "channels.msteams.appPassword",
  "channels.nextcloud-talk.accounts.*.apiPassword",
  "channels.nextcloud-talk.accounts.*.botSecret",
  "channels.nextcloud-talk.apiPassword",
  "channels.nextcloud-talk.botSecret",
  "channels.nostr.privateKey",
  "channels.qqbot.accounts.*.clientSecret",
  "channels.qqbot.clientSecret",
  "channels.slack.accounts.*.appToken",
  "channels.slack.accounts.*.botToken",
  "channels.slack.accounts.*.relay.authToken",
  "channels.slack.accounts.*.signingSecret",
  "channels.slack.accounts.*.userToken",
  "channels.slack.appToken",
  "channels.slack.botToken",
  "channels.slack.relay.authToken",
  "channels.slack.signingSecret",
  "channels.slack.userToken",
  "channels.sms.accounts.*.authToken",
  "channels.sms.authToken",
  "channels.telegram.accounts.*.botToken",
  "channels.telegram.accounts.*.webhookSecret",
  "channels.telegram.botToken",
  "channels.telegram.webhookSecret",
  "channels.zalo.accounts.*.botToken",
  "channels.zalo.accounts.*.webhookSecret",
  "channels.zalo.botToken",
  "channels.zalo.webhookSecret",
  "cron.webhookToken",
  "gateway.auth.password",
  "gateway.auth.token",
  "gateway.remote.password",
  "gateway.remote.token",
  "memory.search.remote.apiKey",
  "models.providers.*.apiKey",
  "models.providers.*.headers.*",
  "models.providers.*.request.auth.token",
  "models.providers.*.request.auth.value",
  "models.providers.*.request.headers.*",
  "models.providers.*.request.proxy.tls.ca",
  "models.providers.*.request.proxy.tls.cert",
  "models.providers.*.request.proxy.tls.key",
  "models.providers.*.request.proxy.tls.passphrase",
  "models.providers.*.request.tls.ca",
  "models.providers.*.request.tls.cert",
  "models.providers.*.request.tls.key",
  "models.providers.*.request.tls.passphrase",
  "plugins.entries.acpx.config.mcpServers.*.env.*",
  "plugins.entries.brave.config.webSearch.apiKey",
  "plugins.entries.codex.config.appServer.authToken",
  "plugins.entries.codex.config.appServer.headers.*",
  "plugins.entries.comfy.config.headers.*",
  "plugins.entries.exa.config.webSearch.apiKey",
  "plugins.entries.facetime.config.realtime.providers.*.apiKey",
  "plugins.entries.firecrawl.config.webFetch.apiKey",
  "plugins.entries.firecrawl.config.webSearch.apiKey",
  "plugins.entries.google-meet.config.realtime.providers.*.apiKey",
  "plugins.entries.google.config.webSearch.apiKey",
  "plugins.entries.google.config.webSearch.headers.*",
  "plugins.entries.imap.config.accounts.*.password",
  "plugins.entries.minimax.config.webSearch.apiKey",
  "plugins.entries.moonshot.config.webSearch.apiKey",
  "plugins.entries.parallel.config.webSearch.apiKey",
  "plugins.entries.perplexity.config.webSearch.apiKey",
  "plugins.entries.tavily.config.webSearch.apiKey",
  "plugins.entries.team-reports.config.discord.token",
  "plugins.entries.team-reports.config.github.token",
  "plugins.entries.typesafe.config.apiKey",
  "plugins.entries.voice-call.config.realtime.providers.*.apiKey",
  "plugins.entries.voice-call.config.streaming.providers.*.apiKey",
  "plugins.entries.voice-call.config.tts.providers.*.apiKey",
  "plugins.entries.voice-call.config.twilio.authToken",
  "plugins.entries.webhooks.config.routes.*.secret",
  "plugins.entries.xai.config.webSearch.apiKey",
  "skills.entries.*.apiKey",
  "talk.providers.*.apiKey",
  "talk.realtime.providers.*.apiKey",
  "tts.personas.*.providers.*.apiKey",
  "tts.providers.*.apiKey",
];

/** Paths OpenClaw documents as not accepting a SecretRef (minted or rotated by OpenClaw). */
export const UNSUPPORTED_TARGETS: readonly string[] = [
  "hooks.token",
  "hooks.gmail.pushToken",
  "channels.discord.accounts.*.threadBindings.webhookToken",
  "channels.discord.threadBindings.webhookToken",
];

/** Header names OpenClaw treats as secret-bearing (its model-provider header policy). */
const SENSITIVE_HEADER_FRAGMENTS = [
  "api-key",
  "apikey",
  "token",
  "secret",
  "password",
  "credential",
];
const SENSITIVE_HEADER_NAMES = new Set([
  "authorization",
  "proxy-authorization",
  "x-auth-token",
  "x-access-token",
  "access-token",
  "x-secret-key",
  "secret-key",
]);

/** Values OpenClaw keeps in `apiKey` fields that are markers, not keys. */
const NON_SECRET_MARKERS = new Set([
  "custom-local",
  "codex-app-server",
  "gcp-vertex-credentials",
  "ollama-local",
  "secretref-managed",
]);

/** Key names that look like credentials (for listing the ones left alone). */
const CREDENTIAL_KEY = /(api[-_]?key|token|secret|password|passphrase|private[-_]?key)$/i;

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  return (
    pattern.length === path.length &&
    pattern.every((part, index) => part === "*" || part === path[index])
  );
}

const TARGET_PATTERNS = SECRET_REF_TARGETS.map((target) => target.split("."));
const UNSUPPORTED_PATTERNS = UNSUPPORTED_TARGETS.map((target) => target.split("."));

/** The target pattern `path` matches, if OpenClaw accepts a SecretRef there. */
export function secretRefTarget(path: readonly string[]): string | undefined {
  const index = TARGET_PATTERNS.findIndex((pattern) => matches(pattern, path));
  return index < 0 ? undefined : SECRET_REF_TARGETS[index];
}

/** True when `path` is a place OpenClaw documents as not accepting a SecretRef. */
export function isUnsupportedTarget(path: readonly string[]): boolean {
  return UNSUPPORTED_PATTERNS.some((pattern) => matches(pattern, path));
}

/** True when the last key of `path` looks like it holds a credential. */
export function looksLikeCredentialKey(path: readonly string[]): boolean {
  return CREDENTIAL_KEY.test(path.at(-1) ?? "");
}

/** An env shorthand (`${OPENAI_API_KEY}` or `$OPENAI_API_KEY`): an env ref, not plaintext. */
export function envShorthandName(value: string): string | undefined {
  return (
    /^\$\{([A-Z][A-Z0-9_]{0,127})\}$/.exec(value)?.[1] ??
    /^\$([A-Z][A-Z0-9_]{0,127})$/.exec(value)?.[1]
  );
}

/**
 * True when `value` at `path` (which matches `target`) is a plaintext credential as OpenClaw's
 * `secrets audit` sees it: a non-empty string that is not an env shorthand, not a header
 * OpenClaw deems non-secret, and not an `apiKey` marker (`ollama-local`, `oauth:...`, an env
 * variable name).
 */
export function isPlaintextCredential(target: string, path: readonly string[], value: unknown) {
  if (typeof value !== "string" || value.trim() === "") return false;
  if (envShorthandName(value) !== undefined) return false;
  if (target.endsWith(".headers.*")) {
    const header = (path.at(-1) ?? "").toLowerCase();
    if (
      !SENSITIVE_HEADER_NAMES.has(header) &&
      !SENSITIVE_HEADER_FRAGMENTS.some((f) => header.includes(f))
    ) {
      return false;
    }
  }
  if (target === "models.providers.*.apiKey") {
    const trimmed = value.trim();
    if (NON_SECRET_MARKERS.has(trimmed) || /^(oauth|secretref-env):/.test(trimmed)) return false;
    if (/^[A-Z][A-Z0-9_]*$/.test(trimmed)) return false;
  }
  return true;
}
