/**
 * What a rotator said, made safe to show: the values it handled removed in every encoded form
 * and as any run of 8 or more of their characters, control characters flattened, length capped.
 */
import { maskPatterns, redact } from "../run/mask.js";

const MAX_MESSAGE = 300;

/** A message keeps no run of this many characters of any value it was redacted of. */
const VALUE_RUN = 8;
/** Only the start of a text is redacted and kept: the result is cut to MAX_MESSAGE anyway. */
const MAX_REDACTED_INPUT = 4096;

/** Lower case, one UTF-16 unit for one (so positions keep their meaning). */
function foldCase(text: string): string {
  let out = "";
  for (const unit of text) {
    const lower = unit.toLowerCase();
    out += lower.length === unit.length ? lower : unit;
  }
  return out;
}

/**
 * Replaces each stretch of `text` covered by runs of {@link VALUE_RUN} characters of any of
 * `forms` (compared without case) with `[redacted]`. Linear in the text and the forms: the
 * text's runs are indexed, and each form is slid over that index once.
 */
function scrubValueRuns(text: string, forms: readonly string[]): string {
  if (text.length < VALUE_RUN) return text;
  const folded = foldCase(text);
  const starts = new Map<string, number[]>();
  for (let at = 0; at + VALUE_RUN <= folded.length; at++) {
    const run = folded.slice(at, at + VALUE_RUN);
    const list = starts.get(run);
    if (list) list.push(at);
    else starts.set(run, [at]);
  }
  const covered = new Uint8Array(text.length);
  for (const form of forms) {
    const foldedForm = foldCase(form);
    for (let at = 0; at + VALUE_RUN <= foldedForm.length; at++) {
      const hits = starts.get(foldedForm.slice(at, at + VALUE_RUN));
      if (!hits) continue;
      for (const start of hits) covered.fill(1, start, start + VALUE_RUN);
      starts.delete(foldedForm.slice(at, at + VALUE_RUN));
    }
  }
  let out = "";
  for (let at = 0; at < text.length; ) {
    if (!covered[at]) {
      out += text[at];
      at += 1;
      continue;
    }
    while (at < text.length && covered[at]) at += 1;
    out += "[redacted]";
  }
  return out;
}

/**
 * Removes the values from `text`: every encoded form whole, then every run of 8 or more
 * characters of any of them, in any case (a message that quotes a value's first 20
 * characters keeps none); and control characters; caps its length.
 */
export function redactMessage(text: string, values: Array<string | undefined>): string {
  const secrets = values
    .filter((value): value is string => value !== undefined && value.length > 0)
    .map((value) => ({ name: "value", value: value.normalize("NFC") }));
  const patterns = maskPatterns(secrets);
  const head = text.slice(0, MAX_REDACTED_INPUT).normalize("NFC");
  const whole = redact(Buffer.from(head, "utf8"), patterns).toString("utf8");
  const forms = [
    ...secrets.map((secret) => secret.value),
    ...patterns.map((pattern) => pattern.bytes.toString("utf8")),
  ];
  const clean = scrubValueRuns(whole, forms);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = clean.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}
