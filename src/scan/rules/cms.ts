/**
 * Content management systems' own settings files: Joomla's `configuration.php` (the properties
 * of `class JConfig`: the database, SMTP, FTP and proxy passwords and the site's `$secret`) and
 * Magento 1's `app/etc/local.xml` crypt key (`<crypt><key><![CDATA[…]]></key>`), which
 * encrypts the shop's stored payment and integration secrets. (WordPress's `wp-config.php` has
 * a rule among the credential files.)
 */

import { isPlaceholder, isReference } from "../placeholders.js";
import type { ScanRule } from "../rule.js";
import { isRandomHex, re, regexRule } from "./build.js";
import { fieldPasswordVerdict } from "./field-password.js";
import { isCamelWords, isStrongRandom } from "./plausible-secret.js";

/** A site secret as Joomla draws it: letters of both cases (digits too), not words in camel case. */
function isDrawnSiteSecret(secret: string): boolean {
  return (
    /^[A-Za-z0-9]{12,64}$/.test(secret) &&
    /[a-z]/.test(secret) &&
    /[A-Z]/.test(secret) &&
    new Set(secret).size >= 10 &&
    !isCamelWords(secret.replace(/\d+/g, "")) &&
    !isPlaceholder(secret) &&
    !isReference(secret)
  );
}

export const CMS_RULES: ScanRule[] = [
  regexRule({
    id: "joomla-config-secret",
    description: "Password or site secret in a Joomla configuration.php (class JConfig)",
    keywords: ["jconfig"],
    confidence: "medium",
    suggestedName: "JOOMLA_SECRET",
    checksPlaceholders: true,
    pattern: re(
      `\\bpublic[ \\t]{1,4}\\$(?<name>password|secret|smtppass|ftp_pass|proxy_pass|redis_server_auth|session_redis_server_auth)[ \\t]{0,4}=[ \\t]{0,4}'(?<secret>(?:[^'\\\\\\n]|\\\\.){1,200})'`,
    ),
    // Joomla draws `$secret` (16 letters and digits, often letters only); the passwords are
    // whatever was typed.
    validate: (secret, match) =>
      match.groups?.name === "secret"
        ? isDrawnSiteSecret(secret)
        : fieldPasswordVerdict(secret.replace(/\\(.)/g, "$1"), true),
  }),
  regexRule({
    id: "magento-crypt-key",
    description: "Magento crypt key (app/etc/local.xml <crypt><key>)",
    keywords: ["<crypt>"],
    suggestedName: "MAGENTO_CRYPT_KEY",
    checksPlaceholders: true,
    pattern: re(
      `<crypt>[ \\t\\r\\n]{0,200}<key>[ \\t]{0,4}(?:<!\\[CDATA\\[)?(?<secret>[A-Za-z0-9]{32})(?:\\]\\]>)?[ \\t]{0,4}</key>`,
    ),
    validate: (secret) => isRandomHex(secret) || isStrongRandom(secret),
  }),
];
