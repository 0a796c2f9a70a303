/**
 * Game servers' own credentials, as their configs hold them: a FiveM `server.cfg`'s Steam Web
 * API key and license key, a Source server's game server login token, and the remote-console
 * and join passwords of `server.cfg` lines (`rcon_password …`), which take no `=`.
 */

import { shannonEntropy } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import { isRandomHex, re, regexRule } from "./build.js";
import { commandLinePassword } from "./connections.js";

/** A config line's name, then blanks or `=`/`:` (FiveM's `set NAME "…"`, a JSON key). */
const NAME_THEN_VALUE = `["']?(?:[ \\t]{1,4}|[ \\t]{0,4}(?:[:=]|=>)[ \\t]{0,4})["']?`;

/** A schema's column type where a config would hold the value (`VARCHAR(64),`, `String?`). */
function isColumnType(value: string): boolean {
  return (
    /[,;]$/.test(value) ||
    /^[A-Za-z]+[?!]$/.test(value) ||
    /^(?:n?var)?char\b|^(?:n?text|string|int(?:eger)?|bigint|blob|bool(?:ean)?|uuid)\b/i.test(value)
  );
}

export const GAME_SERVER_RULES: ScanRule[] = [
  regexRule({
    // 32 hex digits, upper case as Steam shows them; FiveM and many bots name it so.
    id: "steam-web-api-key",
    description: "Steam Web API key",
    keywords: ["steam"],
    suggestedName: "STEAM_WEB_API_KEY",
    pattern: re(
      `steam_?(?:web_?)?api_?key${NAME_THEN_VALUE}(?<secret>[A-Fa-f0-9]{32})(?![A-Za-z0-9])`,
      "i",
    ),
    validate: (secret) => isRandomHex(secret),
  }),
  regexRule({
    // A game server login token (GSLT), given to `sv_setsteamaccount` in a Source server's
    // `server.cfg` or on its command line (`+sv_setsteamaccount`), or named GSLT.
    id: "steam-game-server-token",
    description: "Steam game server login token (sv_setsteamaccount)",
    keywords: ["sv_setsteamaccount", "gslt"],
    suggestedName: "STEAM_GSLT",
    pattern: re(
      `(?:sv_setsteamaccount[ \\t]{1,4}["']?|(?<![A-Za-z0-9])gslt[\\w]{0,20}["']?[ \\t]{0,4}[:=][ \\t]{0,4}["']?)(?<secret>[A-Fa-f0-9]{32})(?![A-Za-z0-9])`,
      "i",
    ),
    validate: (secret) => isRandomHex(secret),
  }),
  regexRule({
    // Cfx.re's key for a FiveM or RedM server: `cfxk_…_…` now, 32 lower-case letters and
    // digits before.
    id: "fivem-license-key",
    description: "FiveM / RedM server license key (sv_licenseKey)",
    keywords: ["sv_licensekey", "cfxk_"],
    suggestedName: "FIVEM_LICENSE_KEY",
    pattern: re(
      `(?:(?<![A-Za-z0-9_])(?<secret>cfxk_[A-Za-z0-9]{16,30}_[A-Za-z0-9]{4,10})(?![A-Za-z0-9_])|sv_licenseKey${NAME_THEN_VALUE}(?<secretAlt>[a-z0-9]{32})(?![A-Za-z0-9]))`,
      "i",
    ),
    validate: (secret) =>
      secret.startsWith("cfxk_") || (/[0-9]/.test(secret) && shannonEntropy(secret) >= 3.5),
  }),
  regexRule({
    // A Source, SA-MP or Quake-family server's console line (`rcon_password "…"`,
    // `sv_password …`), written out or commented out, or the same on a server's command line
    // (`+rcon_password …`); weak ones are warnings, a schema's column type (`VARCHAR(64),`,
    // Prisma's `String?`) none.
    id: "game-server-password",
    description: "Game server remote-console or join password (rcon_password, sv_password)",
    keywords: ["rcon_password", "sv_password", "rcon_pass", "g_password"],
    suggestedName: "RCON_PASSWORD",
    confidence: "medium",
    checksPlaceholders: true,
    pattern: re(
      `(?:(?:^|\\n)[ \\t]{0,8}(?:(?://|#)[ \\t]{0,4})?(?:set[ \\t]{1,4})?|[ \\t]\\+)(?:rcon_password|sv_password|rcon_pass|g_password)[ \\t]{1,8}(?:"(?<secret>[^"\\n]{4,64})"|(?<secretAlt>[^\\s"]{4,64}))(?=[ \\t]*(?:\\r?\\n|$|//)|[ \\t]{1,4}[+-])`,
      "i",
    ),
    validate: (secret) => !isColumnType(secret) && commandLinePassword(secret),
  }),
];
