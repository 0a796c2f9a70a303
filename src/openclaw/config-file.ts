/**
 * OpenClaw's files: where `openclaw.json` and its `.env` files are (OpenClaw's own rules), how
 * to read the config (JSON5) and how to replace a file safely: a 0600 backup of the original
 * first, then a temp file beside it, fsynced, renamed over it, and the folder fsynced.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import * as fs from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import JSON5 from "json5";
import { ioError, vaultError } from "../errors.js";

/** The environment variables OpenClaw's path rules read. */
export interface OpenclawEnv {
  HOME?: string | undefined;
  OPENCLAW_CONFIG_PATH?: string | undefined;
  OPENCLAW_STATE_DIR?: string | undefined;
}

/** Where OpenClaw's config and `.env` files are. */
export interface OpenclawPaths {
  configPath: string;
  /** The state folder's `.env` and the config folder's `.env` (one entry when the same). */
  envPaths: string[];
}

function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(home, path);
}

/**
 * OpenClaw's rules: the config is `$OPENCLAW_CONFIG_PATH`, else `openclaw.json` in the state
 * folder (`$OPENCLAW_STATE_DIR`, else `~/.openclaw`); `.env` files are read from the state
 * folder and from the config's folder. `configPath` (from `--config`) wins.
 */
export function openclawPaths(env: OpenclawEnv, home: string, configPath?: string): OpenclawPaths {
  const stateDir = env.OPENCLAW_STATE_DIR?.trim()
    ? expandHome(env.OPENCLAW_STATE_DIR.trim(), home)
    : join(home, ".openclaw");
  const config =
    configPath ??
    (env.OPENCLAW_CONFIG_PATH?.trim()
      ? expandHome(env.OPENCLAW_CONFIG_PATH.trim(), home)
      : join(stateDir, "openclaw.json"));
  const envPaths = [...new Set([join(stateDir, ".env"), join(dirname(config), ".env")])];
  return { configPath: config, envPaths };
}

/** A file as read: its text and mode (undefined when it does not exist). */
export interface ReadFile {
  text: string;
  mode: number;
}

/**
 * Reads a text file, or `undefined` when it is missing.
 * @throws VaultError IO_ERROR | INVALID_INPUT (not UTF-8)
 */
export async function readTextFile(path: string): Promise<ReadFile | undefined> {
  let bytes: Buffer;
  let mode: number;
  try {
    const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
      mode = stat.mode & 0o777;
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === "ENOENT") return undefined;
    if (errno === "ELOOP") {
      throw vaultError(
        "INVALID_INPUT",
        `${path} is a symlink; it is not followed (the rewrite would replace the link).`,
        'Name the file it points to (e.g. --config "$(realpath FILE)").',
      );
    }
    throw ioError(error, `read ${path}`);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), mode };
  } catch {
    throw vaultError("INVALID_INPUT", `${path} is not UTF-8 text.`, "Check the file.");
  }
}

/**
 * Parses `openclaw.json` (JSON5, as OpenClaw reads it). Syntax errors name the line and
 * column only: the parser's own message quotes the text, which may be a credential.
 * @throws VaultError INVALID_INPUT
 */
export function parseOpenclawConfig(text: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON5.parse(text);
  } catch (error) {
    const { lineNumber, columnNumber } = error as { lineNumber?: number; columnNumber?: number };
    const where = lineNumber === undefined ? "" : ` at line ${lineNumber}, column ${columnNumber}`;
    throw vaultError(
      "INVALID_INPUT",
      `${path} is not valid JSON5${where}.`,
      "Fix the file (`openclaw config validate` checks it), then run the command again.",
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw vaultError(
      "INVALID_INPUT",
      `${path} does not hold a JSON object.`,
      "An OpenClaw config is one object.",
    );
  }
  return value as Record<string, unknown>;
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

async function writeExclusive(path: string, text: string, mode: number): Promise<void> {
  const handle = await fs.open(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    mode,
  );
  try {
    await handle.writeFile(text);
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `NAME.bak-STAMP` (or `-2`, `-3`... when taken) with mode 0600; never overwrites. */
async function writeBackup(path: string, text: string, now: Date): Promise<string> {
  const base = `${path}.bak-${stamp(now)}`;
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      await writeExclusive(candidate, text, 0o600);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 100) throw error;
    }
  }
}

/**
 * Replaces `path` with `text` atomically. With `original`, first writes a backup of it beside
 * the file (`NAME.bak-YYYYMMDDTHHMMSSZ`, then `-2`, `-3`... in the same second; mode 0600;
 * never overwriting one). The new file gets
 * `mode` (default: the original's, else 0600).
 * @returns the backup's path, if one was written.
 * @throws VaultError IO_ERROR
 */
export async function replaceFile(
  path: string,
  text: string,
  options: { original?: ReadFile; now: Date; mode?: number },
): Promise<string | undefined> {
  const folder = dirname(path);
  let backup: string | undefined;
  try {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    if (options.original) backup = await writeBackup(path, options.original.text, options.now);
    const temp = join(folder, `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);
    const mode = options.mode ?? options.original?.mode ?? 0o600;
    try {
      await writeExclusive(temp, text, mode);
      await fs.rename(temp, path);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    const handle = await fs.open(folder, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw ioError(error, `write ${path}`);
  }
  return backup;
}
