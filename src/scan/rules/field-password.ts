/**
 * The verdict on a password where a file's syntax says one stands (a device's key line, a
 * secrets file's field, an installer's answer): the rules of network devices, mail relays,
 * provisioning files and CMS settings share it.
 */

import { isPlaceholder, isReference } from "../placeholders.js";
import type { RuleVerdict } from "./build.js";
import { isExamplePassword, isTypicalPassword } from "./connections.js";
import { isPlausibleSecret } from "./plausible-secret.js";
import { passwordVerdict } from "./weak-password.js";

/**
 * Defaults that packages, devices' teaching and standards ship, not anyone's password (beside
 * the documentation passwords isExamplePassword knows: `password`, `secret`, `changeme`, …).
 */
const SHIPPED_DEFAULT = /^(?:testing123|radsec|cisco|class|sanfran|public|private)$/i;

/**
 * A value a person may have typed as a password: one run of letters, digits and marks; not a
 * path, a URL or a `key:value`, a file's name, a number, a version or a date, a word in capitals.
 */
function looksTypedPassword(value: string): boolean {
  return (
    /^[^\s/\\]{3,64}$/.test(value) &&
    !/^(?:v?\d+(?:[.:-]\d+)+|\d{1,3})$/.test(value) &&
    !/^[\w-]+\.[A-Za-z]{1,4}$/.test(value) &&
    !/^[A-Z]+$/.test(value) &&
    !/^[A-Za-z][\w+.-]*:/.test(value)
  );
}

/** How a field's value that does not look drawn is reported. */
type Fallback = "typed-looking" | "weak-only";

/**
 * A password where a file's syntax says one stands (a device's key line, a secrets file's
 * field): an error when it looks drawn (a common weak one with a digit or a mark, `cisco123`,
 * too, as everywhere), otherwise a warning when it looks typed by a person (`kondapally`, a
 * Gmail app password that did not read as drawn) or, for a looser syntax (`"weak-only"`), only
 * when it is a weak password; nothing for words of a sentence, a documentation value, a
 * reference, a stand-in named for it (`GMAIL_PASSWORD`, `vpnpassword`, `user1-password`,
 * `WiFiPassphrase`, `ThisIsMyPSK`) or a shipped default (Cisco's teaching `class` and `sanfran`
 * too).
 */
export function fieldPasswordVerdict(
  secret: string,
  quoted = false,
  fallback: Fallback = "typed-looking",
): RuleVerdict {
  if (
    SHIPPED_DEFAULT.test(secret) ||
    isExamplePassword(secret) ||
    isReference(secret) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(secret) ||
    /^[a-z0-9]{0,12}[_-]?(?:password|passwd|secret)$/.test(secret) ||
    /^[A-Za-z]{0,16}(?:password|passwd|passphrase|pass|secret|key|psk)$/i.test(secret) ||
    // A provider's prefix and a stand-in's name (`SG.APIKEY`, `sk-YOUR_TOKEN`).
    /^[A-Za-z]{1,8}[._-](?:[A-Za-z]{0,16}[_-]?)?(?:api[_-]?key|password|token|secret)$/i.test(
      secret,
    )
  ) {
    return false;
  }
  if (isPlausibleSecret(secret, "password", quoted)) return passwordVerdict(secret, true);
  // Four groups of four letters, as Google shows an app password; not its example's alphabet.
  if (/^[a-z]{4}(?: [a-z]{4}){3}$/.test(secret)) {
    return /abc|bcd|efg|ijk|mno|xyz/.test(secret.replaceAll(" ", "")) ? false : "typed";
  }
  if (fallback === "weak-only") return passwordVerdict(secret, false);
  return looksTypedPassword(secret) ? "typed" : false;
}

/**
 * The password a file gives the machine or the network it sets up (an installer's answer, a
 * Wi-Fi network's passphrase): as {@link fieldPasswordVerdict}, and a warning for a default or
 * a documentation password (`vagrant`, `raspberry`, `toor`, `12345678`), which there is the
 * password the machine or the network really gets, however widely known; not a stand-in
 * (`changeme`, `password`, `mypassword`, `username`) or a reference.
 */
export function setupPasswordVerdict(secret: string, quoted = false): RuleVerdict {
  const verdict = fieldPasswordVerdict(secret, quoted);
  if (verdict === true) return verdict;
  // A stand-in that names what it stands for (`username`, `mypassword`, `ssid_psk`, `WiFi-Key`).
  // (A word that ends in `key` is no such name: `monkey`, `turkey`.)
  if (/pass|pwd|secret|user|login|token|psk|wifi|(?:^|[_\-\s])key(?:$|[_\-\s\d])/i.test(secret)) {
    return false;
  }
  if (verdict !== false) return verdict;
  return isTypicalPassword(secret) &&
    !isPlaceholder(secret) &&
    !isReference(secret) &&
    looksTypedPassword(secret)
    ? "typed"
    : false;
}
