/**
 * Where vault references sit in a text: the template syntax of `vault inject` and of
 * `resolveReferences(text)`.
 *
 * - Every `vault://` starts a reference, whatever comes before it. A bare reference is
 *   `vault://`, an agent id (a-z, 0-9, _ and -), `/`, and a secret name: the longest run of
 *   A-Z, 0-9 and _ that follows. It ends at the first character that cannot be part of a
 *   secret name (`vault://main/API_KEY.` ends before the dot, `vault://main/API_KEYs` before
 *   the `s`).
 * - `{{ vault://AGENT/NAME }}` (spaces or tabs inside the braces optional) is replaced as a
 *   whole, braces included: the way to put a value right before letters, digits or `_`.
 * - A `vault://` that does not start a valid reference (no agent, an agent id or secret name
 *   outside the grammar, a name longer than 128 characters) is an error, never left as it is:
 *   a config holding a broken reference would otherwise reach its program as a credential.
 *
 * One pass over the text, each reference read in bounded steps: linear time.
 */
import { vaultError } from "../errors.js";
import type { VaultReference } from "./reference.js";

/** A template (`vault inject` input, a text given to `resolveReferences`) is at most 1 MiB. */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;

/** One reference found in a text: what it names and the span it replaces. */
export interface ReferenceSpan extends VaultReference {
  /** Index of the first character replaced (`{` of an enclosed reference). */
  start: number;
  /** Index after the last character replaced. */
  end: number;
}

const PREFIX = "vault://";
const MAX_AGENT = 64;
const MAX_NAME = 128;

function isAgentChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2d
  );
}

function isNameChar(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

function isBlank(char: string | undefined): boolean {
  return char === " " || char === "\t";
}

/** "line L, column C" of `index` (1-based), for errors that must not quote the text. */
function position(text: string, index: number): string {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at !== -1 && at < index; at = text.indexOf("\n", at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return `line ${line}, column ${index - lineStart + 1}`;
}

function malformed(text: string, index: number, where: string | undefined): Error {
  return vaultError(
    "INVALID_INPUT",
    `Malformed vault reference at ${position(text, index)}${where ? ` of ${where}` : ""}.`,
    "A reference reads vault://AGENT/NAME (agent: a-z, 0-9, _ and -; name: A-Z, 0-9 and _, starting with a letter).",
  );
}

/** Reads the reference at `start` (where `vault://` begins); undefined when malformed. */
function readReference(
  text: string,
  start: number,
): { agent: string; name: string; end: number } | undefined {
  let at = start + PREFIX.length;
  const agentStart = at;
  while (at < text.length && at - agentStart <= MAX_AGENT && isAgentChar(text.charCodeAt(at))) at++;
  const agent = text.slice(agentStart, at);
  if (agent === "" || agent.length > MAX_AGENT || agent.startsWith("_") || agent.startsWith("-"))
    return undefined;
  if (text[at] !== "/") return undefined;
  at += 1;
  const nameStart = at;
  while (at < text.length && at - nameStart <= MAX_NAME && isNameChar(text.charCodeAt(at))) at++;
  const name = text.slice(nameStart, at);
  const first = name.charCodeAt(0);
  if (name === "" || name.length > MAX_NAME || first < 0x41 || first > 0x5a) return undefined;
  return { agent, name, end: at };
}

/**
 * Every reference in `text`, in order. `where` (e.g. a key path) is named in errors.
 * @throws VaultError INVALID_INPUT (a malformed reference; the error gives its line and
 *   column, never the text)
 */
export function findReferences(text: string, where?: string): ReferenceSpan[] {
  const spans: ReferenceSpan[] = [];
  for (let start = text.indexOf(PREFIX); start !== -1; start = text.indexOf(PREFIX, start + 1)) {
    const found = readReference(text, start);
    if (!found) throw malformed(text, start, where);
    let open = start;
    while (isBlank(text[open - 1])) open--;
    let close = found.end;
    while (isBlank(text[close])) close++;
    const enclosed = open >= 2 && text.startsWith("{{", open - 2) && text.startsWith("}}", close);
    spans.push({
      agent: found.agent,
      name: found.name,
      start: enclosed ? open - 2 : start,
      end: enclosed ? close + 2 : found.end,
    });
    start = found.end - 1;
  }
  return spans;
}

/** `text` with each span replaced by `replacement(span)`; spans as {@link findReferences} gives them. */
export function replaceReferences(
  text: string,
  spans: readonly ReferenceSpan[],
  replacement: (span: ReferenceSpan) => string,
): string {
  const parts: string[] = [];
  let at = 0;
  for (const span of spans) {
    parts.push(text.slice(at, span.start), replacement(span));
    at = span.end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}
