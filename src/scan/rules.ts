/**
 * The built-in rules, by family (src/scan/rules/): cloud providers, source hosting and
 * developer infrastructure, AI platforms, messaging and e-mail, commerce, SaaS, observability
 * and identity, key material, connection details, credential config files, the generic
 * detectors, and last the values of notes named for credentials. Rules listed earlier win when two findings overlap (the specific before the
 * generic).
 */
import type { ScanRule } from "./rule.js";
import { AI_RULES } from "./rules/ai.js";
import { CLOUD_RULES } from "./rules/cloud.js";
import { CMS_RULES } from "./rules/cms.js";
import { COMMERCE_RULES } from "./rules/commerce.js";
import { CONFIG_FILE_RULES } from "./rules/config-files.js";
import { CONNECTION_RULES } from "./rules/connections.js";
import { CREDENTIAL_NOTE_RULES } from "./rules/credential-notes.js";
import { DEV_RULES } from "./rules/dev.js";
import { GAME_SERVER_RULES } from "./rules/game-servers.js";
import { GENERIC_RULES } from "./rules/generic.js";
import { KEY_RULES } from "./rules/keys.js";
import { MAIL_RULES } from "./rules/mail.js";
import { MESSAGING_RULES } from "./rules/messaging.js";
import { NETWORK_RULES } from "./rules/network.js";
import { OPS_RULES } from "./rules/ops.js";
import { PASSWORD_HASHING_RULES } from "./rules/password-hashing.js";
import { PLATFORM_RULES } from "./rules/platforms.js";
import { PROVISIONING_RULES } from "./rules/provisioning.js";
import { SAAS_RULES } from "./rules/saas.js";
import { SERVICE_RULES } from "./rules/services.js";
import { SQL_ROW_RULES } from "./rules/sql-rows.js";
import { SYNC_TOOL_RULES } from "./rules/sync-tools.js";

export { regexRule } from "./rules/build.js";

/** Every built-in rule, the specific ones first. */
export const RULES: readonly ScanRule[] = [
  ...CLOUD_RULES,
  ...DEV_RULES,
  ...PLATFORM_RULES,
  ...AI_RULES,
  ...MESSAGING_RULES,
  ...COMMERCE_RULES,
  ...SAAS_RULES,
  ...OPS_RULES,
  ...SERVICE_RULES,
  ...GAME_SERVER_RULES,
  ...MAIL_RULES,
  ...SYNC_TOOL_RULES,
  ...PASSWORD_HASHING_RULES,
  ...NETWORK_RULES,
  ...PROVISIONING_RULES,
  ...CMS_RULES,
  ...KEY_RULES,
  ...CONFIG_FILE_RULES,
  ...CONNECTION_RULES,
  ...SQL_ROW_RULES,
  ...GENERIC_RULES,
  ...CREDENTIAL_NOTE_RULES,
];

/** The rule with this id, or `undefined`. */
export function findRule(id: string): ScanRule | undefined {
  return RULES.find((rule) => rule.id === id);
}
