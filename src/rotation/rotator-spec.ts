/**
 * The grammar of rotator specs, as a vault stores them:
 * - `random:<bytes>[:<alphabet>][:<prefix>]`: a value from libsodium randomness;
 * - a name (`openai`): a rotator the agent's code registers with `vault.registerRotator`, or
 *   a program the rotation host maps that name to in its own rotators.json;
 * - `command:<absolute path> [args]`: the older form, which runs only where the host's
 *   rotators.json names exactly that command (host-rotators.ts): a vault never chooses code.
 */
import { vaultError } from "../errors.js";

/** Alphabets of the random rotator. */
export const RANDOM_ALPHABETS = ["base64url", "hex", "alnum"] as const;
/** An alphabet of the random rotator. */
export type RandomAlphabet = (typeof RANDOM_ALPHABETS)[number];

/** A parsed rotator spec. */
export type RotatorSpec =
  | { kind: "random"; bytes: number; alphabet: RandomAlphabet; prefix: string }
  | { kind: "command"; path: string; args: string[] }
  | { kind: "registered"; name: string };

/** Names of rotators registered by agent code. */
export const ROTATOR_NAME_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

function invalidSpec(message: string): Error {
  return vaultError(
    "INVALID_INPUT",
    `Invalid rotator: ${message}`,
    "Use random:<bytes>[:base64url|hex|alnum][:<prefix>] (e.g. random:48), or a rotator name that the rotation host's rotators.json maps to a program (or that agent code registers).",
  );
}

/** Splits a command line on spaces, honouring single and double quotes (no other expansion). */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let current = "";
  let quote: string | undefined;
  let started = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) args.push(current);
      current = "";
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) throw invalidSpec("unclosed quote in the command.");
  if (started) args.push(current);
  return args;
}

/**
 * Parses a rotator spec.
 * @throws VaultError INVALID_INPUT
 */
export function parseRotatorSpec(spec: string): RotatorSpec {
  const text = spec.trim();
  if (text.startsWith("random:")) {
    const [, bytesText = "", alphabet = "base64url", prefix = "", ...rest] = text.split(":");
    if (rest.length > 0) throw invalidSpec("too many fields after random:.");
    const bytes = /^\d{1,4}$/.test(bytesText) ? Number(bytesText) : Number.NaN;
    if (!(bytes >= 16 && bytes <= 1024)) {
      throw invalidSpec("random needs 16 to 1024 bytes of randomness.");
    }
    if (!(RANDOM_ALPHABETS as readonly string[]).includes(alphabet)) {
      throw invalidSpec(`unknown alphabet (use ${RANDOM_ALPHABETS.join(", ")}).`);
    }
    if (!/^[A-Za-z0-9_.-]{0,32}$/.test(prefix)) {
      throw invalidSpec("the prefix takes up to 32 of A-Z a-z 0-9 _ . -.");
    }
    return { kind: "random", bytes, alphabet: alphabet as RandomAlphabet, prefix };
  }
  if (text.startsWith("command:")) {
    const [path, ...args] = splitArgs(text.slice("command:".length));
    if (!path?.startsWith("/")) {
      throw invalidSpec("the command must be an absolute path (cron jobs have a minimal PATH).");
    }
    return { kind: "command", path, args };
  }
  if (ROTATOR_NAME_PATTERN.test(text)) return { kind: "registered", name: text };
  throw invalidSpec("not a known form.");
}
