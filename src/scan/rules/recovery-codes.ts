/**
 * Two-factor recovery codes under a label that names them: `GitHub recovery codes:` then
 * `5f2a1-9c3e7`, `0b8d4-71fa2`, … in a list, or `Google backup codes: 8372 1923, 4471 0092, …`.
 * Each one signs in without the second factor, so a note that keeps them is a leak of the
 * account's last line of defence. Reported when three codes or more of one shape follow the
 * label: letters and digits (digits in most of them), 4 to 12 characters, or two such parts
 * joined by `-` or a space, set apart by spaces, commas, lines, list marks or numbers.
 */
import { looksHandTyped } from "../placeholders.js";
import type { RuleMatch, ScanRule } from "../rule.js";

/** The label: backup, recovery, 2FA, MFA, two-factor, scratch or emergency codes. */
const LABEL =
  /(?<![A-Za-z0-9])(?:backup|recovery|2fa|mfa|two[- ]factor|2-step|scratch|emergency)[ _-]?(?:codes|keys)(?![A-Za-z])/gi;

/** One code, after what may set it apart from the one before (a list mark, a number, a comma). */
const NEXT_CODE =
  /(?:[ \t]{0,8}(?:[,;:[][ \t]{0,8})?(?:\r?\n[ \t]{0,16})?(?:[-*•][ \t]{1,4}|\d{1,2}[.)][ \t]{1,4}|\*\*|[`"'])?)(?<code>[A-Za-z0-9]{4,12}(?:[- ][A-Za-z0-9]{4,12})?)(?![A-Za-z0-9])[`"']?/y;

/** What may stand between the label and the first code (`:`, `=`, `(GitHub)`, `are`, a line break). */
const AFTER_LABEL = /[^\n]{0,60}?(?::|=|\bare\b|\bis\b|\r?\n)/y;

/** The lengths of a code's parts (`5-5` for `5f2a1-9c3e7`): codes of one account share them. */
function shapeOf(code: string): string {
  return code
    .split(/[- ]/)
    .map((part) => part.length)
    .join("-");
}

export const recoveryCodesRule: ScanRule = {
  id: "mfa-recovery-codes",
  description: "Two-factor recovery or backup codes (three or more under a label that names them)",
  keywords: [
    "backup code",
    "backup_code",
    "backup-code",
    "backupcode",
    "recovery code",
    "recovery_code",
    "recovery-code",
    "recoverycode",
    "2fa code",
    "2fa_code",
    "2fa-code",
    "mfa code",
    "mfa_code",
    "mfa-code",
    "factor code",
    "step code",
    "scratch code",
    "emergency code",
    "backup key",
    "recovery key",
  ],
  severity: "error",
  confidence: "medium",
  suggestedName: "MFA_RECOVERY_CODES",
  checksPlaceholders: true,
  scan(text) {
    const found: RuleMatch[] = [];
    const label = LABEL;
    label.lastIndex = 0;
    const afterLabel = AFTER_LABEL;
    afterLabel.lastIndex = 0;
    const nextCode = NEXT_CODE;
    nextCode.lastIndex = 0;
    let scannedTo = 0;
    for (let m = label.exec(text); m; m = label.exec(text)) {
      const labelEnd = m.index + m[0].length;
      if (labelEnd < scannedTo) continue;
      // Documentation's examples (`Example backup codes:`, `e.g. recovery codes`).
      if (/example|sample|e\.g\.|such as/i.test(text.slice(Math.max(0, m.index - 30), m.index)))
        continue;
      afterLabel.lastIndex = labelEnd;
      if (!afterLabel.exec(text)) continue;
      // The codes, read one after the other (each bounded, at most 40 codes).
      const codes: { code: string; start: number; end: number }[] = [];
      nextCode.lastIndex = afterLabel.lastIndex;
      for (let c = nextCode.exec(text); c && codes.length < 40; c = nextCode.exec(text)) {
        const code = c.groups?.code as string;
        const start = c.index + c[0].indexOf(code);
        codes.push({ code, start, end: start + code.length });
      }
      scannedTo = codes.at(-1)?.end ?? labelEnd;
      // Codes of the first one's shape, in a row.
      const shape = codes[0] ? shapeOf(codes[0].code) : "";
      const otherShape = codes.findIndex((entry) => shapeOf(entry.code) !== shape);
      const run = otherShape < 0 ? codes : codes.slice(0, otherShape);
      if (run.length < 3) continue;
      const values = run.map((entry) => entry.code);
      const withDigits = values.filter((code) => /\d/.test(code)).length;
      if (withDigits * 5 < values.length * 4) continue;
      if (new Set(values.map((code) => code.toLowerCase())).size < values.length) continue;
      // Words are not codes (`Store these safely somewhere`), nor hexadecimal numbers
      // (`0x1A2B`), nor codes typed in order.
      const joined = values.map((code) => code.replace(/[- ]/g, ""));
      if (joined.some((code) => /^[A-Za-z]+$|^0x/i.test(code))) continue;
      if (joined.filter((code) => looksHandTyped(code)).length * 2 >= joined.length) continue;
      found.push({
        start: (run[0] as { start: number }).start,
        end: (run.at(-1) as { end: number }).end,
      });
    }
    return found;
  },
};
