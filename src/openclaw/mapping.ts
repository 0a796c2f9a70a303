/**
 * Which secret answers an OpenClaw ref id. In order:
 *
 * 1. An `agent:AGENT/` prefix picks the agent's vault (default: the resolver's `--agent`);
 *    the rest of the id is mapped as below.
 * 2. An explicit mapping stored in the vault: the secret whose refs (`vault set NAME --ref ID`)
 *    list the id (with or without its agent prefix). Two secrets claiming one id:
 *    `AMBIGUOUS_DUPLICATE_KEY`.
 * 3. The name rule {@link secretNameForId}: `providers/openai/apiKey` → `OPENAI_API_KEY`.
 *
 * Otherwise `NOT_FOUND`.
 */
import { SECRET_NAME_PATTERN } from "../grammar.js";

/** The prefix naming an agent inside an id: `agent:ops/providers/openai/apiKey`. */
export const AGENT_ID_PREFIX = "agent:";
/** Leading id segments the name rule drops (OpenClaw's config collections). */
export const COLLECTION_SEGMENTS: readonly string[] = [
  "models",
  "providers",
  "channels",
  "skills",
  "plugins",
];

const AGENT_IN_ID = /^agent:([a-z0-9][a-z0-9_-]{0,63})\/(.+)$/;

/** An id split into the agent it names (if any) and the rest. */
export interface ScopedId {
  agent?: string;
  rest: string;
}

/** Splits `agent:AGENT/REST`; an id without the prefix is all rest. */
export function splitAgentPrefix(id: string): ScopedId {
  const match = AGENT_IN_ID.exec(id);
  return match ? { agent: match[1] as string, rest: match[2] as string } : { rest: id };
}

/** `apiKey` → `API_KEY`, `web-search` → `WEB_SEARCH`, `HTTPProxy` → `HTTP_PROXY`. */
function screamingSnake(segment: string): string {
  // A run of capitals is matched from its start only: tried from each of its letters, a long
  // run costs the square of its length.
  return segment
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/(?<![A-Z])([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[-.:]+/g, "_")
    .toUpperCase();
}

/**
 * The name rule: leading collection segments (`models`, `providers`, `channels`, `skills`,
 * `plugins`) are dropped, every other `/` segment is turned into SCREAMING_SNAKE_CASE
 * (camelCase words split, `-`, `.` and `:` become `_`), and the parts are joined with `_`, so
 * an id that is a secret name is that name:
 * `providers/openai/apiKey` → `OPENAI_API_KEY`, `channels/telegram/botToken` →
 * `TELEGRAM_BOT_TOKEN`, `gateway/auth/token` → `GATEWAY_AUTH_TOKEN`, `OPENAI_API_KEY` →
 * `OPENAI_API_KEY`. Ids with a `#` selector, and ids whose result is not a valid secret name
 * (it must start with a letter), have no name by rule: `undefined`.
 */
export function secretNameForId(id: string): string | undefined {
  if (id.includes("#")) return undefined;
  const segments = id.split("/").filter((segment) => segment !== "");
  let start = 0;
  while (start < segments.length - 1 && COLLECTION_SEGMENTS.includes(segments[start] as string)) {
    start += 1;
  }
  const name = segments
    .slice(start)
    .map(screamingSnake)
    .join("_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
  return SECRET_NAME_PATTERN.test(name) ? name : undefined;
}

/** What the mapping needs to know of a secret: its name and the ids it answers to. */
export interface MappableSecret {
  name: string;
  refs?: readonly string[];
}

/** The secret an id maps to, or the per-id error code. */
export type IdMapping = { name: string } | { code: "NOT_FOUND" | "AMBIGUOUS_DUPLICATE_KEY" };

/**
 * Maps ids (already stripped of the agent prefix, with their full form for explicit refs) to
 * the live secrets of one vault.
 */
export function mapIds(
  ids: ReadonlyArray<{ id: string; rest: string }>,
  secrets: readonly MappableSecret[],
): Map<string, IdMapping> {
  const claimed = new Map<string, string[]>();
  for (const secret of secrets) {
    for (const ref of secret.refs ?? []) {
      const owners = claimed.get(ref) ?? [];
      if (!owners.includes(secret.name)) owners.push(secret.name);
      claimed.set(ref, owners);
    }
  }
  const names = new Set(secrets.map((secret) => secret.name));
  const result = new Map<string, IdMapping>();
  for (const { id, rest } of ids) {
    const owners = [...new Set([...(claimed.get(id) ?? []), ...(claimed.get(rest) ?? [])])];
    if (owners.length > 1) {
      result.set(id, { code: "AMBIGUOUS_DUPLICATE_KEY" });
      continue;
    }
    const explicit = owners[0];
    if (explicit !== undefined) {
      result.set(id, { name: explicit });
      continue;
    }
    const byRule = secretNameForId(rest);
    result.set(
      id,
      byRule !== undefined && names.has(byRule) ? { name: byRule } : { code: "NOT_FOUND" },
    );
  }
  return result;
}
