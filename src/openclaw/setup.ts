/**
 * The `secrets.providers.<alias>` block that makes OpenClaw ask agent-vault for credentials,
 * and the checks OpenClaw makes on its command before running it: an absolute path, not a
 * symlink, a regular file owned by the current user, not group- or world-writable.
 */
import { constants } from "node:fs";
import * as fs from "node:fs/promises";
import { isAbsolute } from "node:path";
import { vaultError } from "../errors.js";
import { OPENCLAW_ALIAS_PATTERN } from "./protocol.js";

/** The default provider alias. */
export const DEFAULT_ALIAS = "agentvault";

/**
 * Environment variables the resolver may need, passed through by OpenClaw when set (it gives
 * exec providers no other environment): the home (default vault folder, keychain), the user
 * (audit actor), the key sources, the shared store, and the D-Bus session the Linux keychain is
 * reached through.
 */
export const PASS_ENV: readonly string[] = [
  "HOME",
  "USER",
  "AGENT_VAULT_KEY_FILE",
  "AGENT_VAULT_KEY_DIR",
  "AGENT_VAULT_KEY",
  "AGENT_VAULT_PASSPHRASE",
  // The shared store, and libpq's password file for it.
  "AGENT_VAULT_STORE",
  "PGPASSFILE",
  "DBUS_SESSION_BUS_ADDRESS",
  "XDG_RUNTIME_DIR",
];

/** An exec provider block (OpenClaw's `secrets.providers.<alias>`). */
export interface ExecProviderBlock {
  source: "exec";
  command: string;
  args: string[];
  passEnv: string[];
  jsonOnly: true;
  timeoutMs: number;
}

/** A reference to a secret through the provider. */
export interface ExecSecretRef {
  source: "exec";
  provider: string;
  id: string;
}

/**
 * Checks a provider alias against OpenClaw's grammar.
 * @throws VaultError INVALID_INPUT
 */
export function checkAlias(alias: string): string {
  if (!OPENCLAW_ALIAS_PATTERN.test(alias)) {
    throw vaultError(
      "INVALID_INPUT",
      "Invalid provider alias.",
      "Aliases are 1-64 characters of a-z, 0-9, _ and -, starting with a letter (e.g. agentvault).",
    );
  }
  return alias;
}

/**
 * Why OpenClaw would refuse to run `path` as an exec provider command, or `undefined` when it
 * passes (OpenClaw's `assertSecureExecCommandPath`, plus: it must be executable).
 */
export async function execCommandProblem(path: string, uid?: number): Promise<string | undefined> {
  if (!isAbsolute(path)) return "it is not an absolute path";
  let stat: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    stat = await fs.lstat(path);
  } catch (error) {
    return `it cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  if (stat.isSymbolicLink()) return "it is a symlink";
  if (!stat.isFile()) return "it is not a regular file";
  if ((stat.mode & 0o022) !== 0) return "it is group- or world-writable";
  if (uid !== undefined && stat.uid !== uid) return "it is not owned by the current user";
  try {
    await fs.access(path, constants.X_OK);
  } catch {
    return "it is not executable";
  }
  return undefined;
}

/** The command OpenClaw will run, and the arguments that go before `openclaw resolve ...`. */
export interface ExecCommand {
  command: string;
  argsBefore: string[];
  /** The command is `bin.js`, whose `#!/usr/bin/env node` needs `PATH`. */
  needsPath: boolean;
  /** A launcher script to write first (when OpenClaw would run neither Node.js nor the bin). */
  launcher?: { path: string; text: string };
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The text of a launcher script: `exec NODE BIN "$@"`. Written with mode 0700 by the user, it
 * passes OpenClaw's checks where a system-wide Node.js or agent-vault (owned by root) does not.
 */
export function launcherScript(node: string, bin: string): string {
  return [
    "#!/bin/sh",
    "# Written by `vault openclaw setup`: OpenClaw runs only exec commands owned by their user.",
    `exec ${shellQuote(node)} ${shellQuote(bin)} "$@"`,
    "",
  ].join("\n");
}

/**
 * Picks what OpenClaw runs: Node.js with `bin` as its first argument when OpenClaw accepts
 * Node's path (Node owned by the user: nvm, fnm, `npx -p node@24`; or running as root), else
 * `bin` itself, else a launcher script at `launcherPath`. All paths are real paths.
 */
export async function chooseExecCommand(options: {
  node: string;
  bin: string;
  uid?: number;
  launcherPath: string;
}): Promise<ExecCommand> {
  const { node, bin, uid, launcherPath } = options;
  if ((await execCommandProblem(node, uid)) === undefined) {
    return { command: node, argsBefore: [bin], needsPath: false };
  }
  if ((await execCommandProblem(bin, uid)) === undefined) {
    return { command: bin, argsBefore: [], needsPath: true };
  }
  return {
    command: launcherPath,
    argsBefore: [],
    needsPath: false,
    launcher: { path: launcherPath, text: launcherScript(node, bin) },
  };
}

/** The provider block. */
export function execProviderBlock(
  command: string,
  args: string[],
  passEnv: readonly string[] = PASS_ENV,
): ExecProviderBlock {
  return {
    source: "exec",
    command,
    args,
    passEnv: [...passEnv],
    jsonOnly: true,
    timeoutMs: 10_000,
  };
}

/** `{ source: "exec", provider: alias, id }`. */
export function execRef(alias: string, id: string): ExecSecretRef {
  return { source: "exec", provider: alias, id };
}

function objectAt(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = parent[key];
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  const created: Record<string, unknown> = {};
  parent[key] = created;
  return created;
}

/**
 * Puts `block` at `secrets.providers.<alias>` of `config` (in place), replacing an older one.
 * @returns true when the config changed.
 */
export function mergeProvider(
  config: Record<string, unknown>,
  alias: string,
  block: ExecProviderBlock,
): boolean {
  const providers = objectAt(objectAt(config, "secrets"), "providers");
  const before = JSON.stringify(providers[alias]);
  providers[alias] = block;
  return before !== JSON.stringify(block);
}
