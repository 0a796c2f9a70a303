/**
 * `vault openclaw import` as data: which plaintext credentials of an OpenClaw config and its
 * `.env` files move into the vault, under which secret name and ref id, which are left alone
 * and why; then the rewritten config and `.env` texts.
 *
 * The plan itself holds no value (it is printed); values travel in a separate map.
 */
import { parse as parseDotenv } from "dotenv";
import { SECRET_NAME_PATTERN } from "../grammar.js";
import { secretNameForId } from "./mapping.js";
import { isOpenclawId } from "./protocol.js";
import { type ExecProviderBlock, execRef, mergeProvider } from "./setup.js";
import {
  envShorthandName,
  isPlaintextCredential,
  isUnsupportedTarget,
  looksLikeCredentialKey,
  secretRefTarget,
} from "./targets.js";

/** A config value that becomes a ref. */
export interface ConfigMove {
  /** Dotted config path, e.g. `models.providers.openai.apiKey`. */
  path: string;
  segments: string[];
  id: string;
  name: string;
  /** "plaintext": the value was in the config; "env": a `${NAME}` shorthand whose .env line moves. */
  from: "plaintext" | "env";
}

/** A `.env` line that moves into the vault (the line is replaced by a comment). */
export interface EnvMove {
  file: string;
  /** 1-based line number. */
  line: number;
  key: string;
  name: string;
}

/** Something that looks like a credential and stays where it is. */
export interface LeftAlone {
  /** Dotted config path, or `FILE:LINE KEY` for a .env line. */
  where: string;
  reason: string;
}

/** The whole plan (no values). */
export interface ImportPlan {
  config: ConfigMove[];
  env: EnvMove[];
  leftAlone: LeftAlone[];
}

/** A `.env` file as read. */
export interface EnvFileText {
  path: string;
  text: string;
}

/** The plan and, apart from it, the value of each secret name it stores. */
export interface PlannedImport {
  plan: ImportPlan;
  values: Map<string, string>;
}

/** `.env` variables that hold credentials (OpenClaw's own list is all `*_API_KEY`/`*_TOKEN`...). */
const CREDENTIAL_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|CREDENTIALS?)$/;
// The value starts at a non-space (`(?:\S.*)?`): with `\s*(.*)$` a line of spaces that does not
// end where `$` can match tried every split of them (quadratic in the line's length).
const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*((?:\S.*)?)$/;

/**
 * The ref id of a config path: `models.providers.openai.apiKey` → `providers/openai/apiKey`,
 * `plugins.entries.brave.config.webSearch.apiKey` → `plugins/brave/webSearch/apiKey`,
 * `skills.entries.weather.apiKey` → `skills/weather/apiKey`, `gateway.auth.token` →
 * `gateway/auth/token`. Characters ids do not allow (spaces, `@`...) become `-`.
 * `undefined` when no valid id results.
 */
export function idForConfigPath(segments: readonly string[]): string | undefined {
  let parts = [...segments];
  if (parts[0] === "models" && parts[1] === "providers") parts = parts.slice(1);
  if (["plugins", "skills", "agents"].includes(parts[0] ?? "") && parts[1] === "entries") {
    parts.splice(1, 1);
    if (parts[0] === "plugins" && parts[2] === "config") parts.splice(2, 1);
  }
  parts = parts.map((part) => part.replace(/[^A-Za-z0-9._:-]/g, "-"));
  const id = parts.join("/");
  return isOpenclawId(id) ? id : undefined;
}

interface Leaf {
  segments: string[];
  value: unknown;
}

/** Every non-object value of `config` outside `secrets`, with its path (arrays not entered). */
function leaves(value: unknown, segments: string[] = []): Leaf[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [{ segments, value }];
  }
  const out: Leaf[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (segments.length === 0 && key === "secrets") continue;
    const path = [...segments, key];
    // A SecretRef object is already a ref: not a leaf to look into.
    if (isRefObject(child)) continue;
    if (typeof child === "object" && child !== null && !Array.isArray(child)) {
      const target = secretRefTarget(path);
      if (target !== undefined) {
        out.push({ segments: path, value: child });
        continue;
      }
      out.push(...leaves(child, path));
    } else {
      out.push({ segments: path, value: child });
    }
  }
  return out;
}

function isRefObject(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const ref = value as Record<string, unknown>;
  return typeof ref.source === "string" && typeof ref.id === "string";
}

interface EnvLine {
  file: string;
  line: number;
  key: string;
  value: string | undefined;
}

/** The credential assignments of a .env text; `value` undefined when it cannot be moved. */
function credentialEnvLines(file: EnvFileText): EnvLine[] {
  const out: EnvLine[] = [];
  file.text.split(/\r?\n/).forEach((text, index) => {
    const match = ENV_LINE.exec(text);
    if (!match) return;
    const key = match[1] as string;
    if (!CREDENTIAL_ENV_NAME.test(key.toUpperCase())) return;
    const raw = (match[2] as string).trim();
    // A quote opened and not closed on this line: a multi-line value, left for the user.
    const quote = raw[0];
    const open =
      (quote === '"' || quote === "'" || quote === "`") &&
      (raw.length < 2 || !raw.slice(1).includes(quote));
    const value = open ? undefined : parseDotenv(text)[key];
    if (value === "") return;
    out.push({ file: file.path, line: index + 1, key, value });
  });
  return out;
}

/**
 * Plans the import. `existing` gives the vault's current value of a name (or undefined); a
 * different value there is a conflict (left alone) unless `overwrite`.
 * @throws whatever `existing` throws (a VaultError such as TAMPERED from `Vault.get`)
 */
export async function planImport(
  config: Record<string, unknown>,
  envFiles: readonly EnvFileText[],
  options: { existing: (name: string) => Promise<string | undefined>; overwrite?: boolean },
): Promise<PlannedImport> {
  const plan: ImportPlan = { config: [], env: [], leftAlone: [] };
  const values = new Map<string, string>();
  /** Claims `name` for `value`: false (and a left-alone entry) when it is taken by another. */
  const claim = async (name: string, value: string, where: string): Promise<boolean> => {
    const pending = values.get(name);
    if (pending !== undefined) {
      if (pending === value) return true;
      plan.leftAlone.push({
        where,
        reason: `${name} is taken by a different value in this import`,
      });
      return false;
    }
    const stored = await options.existing(name);
    if (stored !== undefined && stored !== value && !options.overwrite) {
      plan.leftAlone.push({
        where,
        reason: `the vault already holds a different ${name} (--overwrite stores a new version)`,
      });
      return false;
    }
    values.set(name, value);
    return true;
  };

  const envLines = envFiles.flatMap(credentialEnvLines);
  const envByKey = new Map<string, string>();
  for (const entry of envLines) {
    const where = `${entry.file}:${entry.line} ${entry.key}`;
    const name = entry.key.toUpperCase();
    if (entry.value === undefined) {
      plan.leftAlone.push({ where, reason: "a multi-line value (move it by hand)" });
    } else if (!SECRET_NAME_PATTERN.test(name)) {
      plan.leftAlone.push({ where, reason: "not a valid secret name" });
    } else if (await claim(name, entry.value, where)) {
      plan.env.push({ file: entry.file, line: entry.line, key: entry.key, name });
      envByKey.set(entry.key, entry.value);
    }
  }

  for (const { segments, value } of leaves(config)) {
    const path = segments.join(".");
    const target = secretRefTarget(segments);
    if (target === undefined) {
      if (typeof value === "string" && value !== "" && looksLikeCredentialKey(segments)) {
        if (envShorthandName(value) !== undefined) continue;
        plan.leftAlone.push({
          where: path,
          reason: isUnsupportedTarget(segments)
            ? "OpenClaw does not accept a SecretRef here (it mints or rotates this value)"
            : "not a SecretRef field in OpenClaw's credential surface",
        });
      }
      continue;
    }
    if (typeof value !== "string") {
      if (value !== null && value !== undefined && value !== "") {
        plan.leftAlone.push({ where: path, reason: "not a string (move it by hand)" });
      }
      continue;
    }
    const shorthand = envShorthandName(value);
    if (shorthand !== undefined) {
      const envValue = envByKey.get(shorthand);
      if (envValue === undefined) continue;
      const fromPath = idForConfigPath(segments);
      const id =
        fromPath !== undefined && secretNameForId(fromPath) === shorthand ? fromPath : shorthand;
      plan.config.push({ path, segments, id, name: shorthand, from: "env" });
      continue;
    }
    if (!isPlaintextCredential(target, segments, value)) continue;
    const id = idForConfigPath(segments);
    const name = id === undefined ? undefined : secretNameForId(id);
    if (id === undefined || name === undefined) {
      plan.leftAlone.push({ where: path, reason: "no ref id or secret name can be formed" });
      continue;
    }
    if (await claim(name, value, path)) {
      plan.config.push({ path, segments, id, name, from: "plaintext" });
    }
  }
  return { plan, values };
}

/** The ref ids each secret name of the plan answers to. */
export function refsByName(plan: ImportPlan): Map<string, string[]> {
  const refs = new Map<string, string[]>();
  for (const move of plan.config) {
    const list = refs.get(move.name) ?? [];
    if (!list.includes(move.id)) list.push(move.id);
    refs.set(move.name, list);
  }
  return refs;
}

function setAt(config: Record<string, unknown>, segments: readonly string[], value: unknown) {
  let node = config;
  for (const key of segments.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[segments.at(-1) as string] = value;
}

/** The config with every planned value replaced by a ref, and the provider block merged. */
export function rewriteConfig(
  config: Record<string, unknown>,
  plan: ImportPlan,
  alias: string,
  provider: ExecProviderBlock | undefined,
): Record<string, unknown> {
  const copy = structuredClone(config);
  for (const move of plan.config) setAt(copy, move.segments, execRef(alias, move.id));
  if (provider) mergeProvider(copy, alias, provider);
  return copy;
}

/**
 * The `.env` text with each moved line replaced by a comment that keeps the name, not the
 * value: `# OPENAI_API_KEY: moved to agent-vault (agent main) by vault openclaw import`.
 */
export function rewriteEnvFile(file: EnvFileText, plan: ImportPlan, agent: string): string {
  const moved = new Map(
    plan.env.filter((move) => move.file === file.path).map((move) => [move.line, move]),
  );
  const newline = file.text.includes("\r\n") ? "\r\n" : "\n";
  return file.text
    .split(/\r?\n/)
    .map((line, index) => {
      const move = moved.get(index + 1);
      return move
        ? `# ${move.key}: moved to agent-vault (agent ${agent}, secret ${move.name}) by vault openclaw import`
        : line;
    })
    .join(newline);
}
