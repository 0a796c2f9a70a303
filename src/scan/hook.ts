/**
 * The git pre-commit hook: `installHook` writes a shell script into the hooks folder git uses
 * (`core.hooksPath` honoured) that runs `vault scan --staged` with the node and bin that
 * installed it; an existing hook is kept as `pre-commit.local` and run first.
 * `uninstallHook` puts things back.
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { ioError, vaultError } from "../errors.js";
import { writeFileAtomic } from "./files.js";
import { type GitOptions, gitHooksDir } from "./git.js";

/** The line that marks a hook as ours. */
export const HOOK_MARKER = "# agent-vault pre-commit hook";
const LOCAL_HOOK = "pre-commit.local";

/** How the hook runs the scanner. */
export interface HookCommand {
  /** Absolute path of node. */
  node: string;
  /** Absolute path of the CLI's bin.js. */
  bin: string;
  /** Extra arguments (e.g. `--agent`, `--home` given at install time). */
  args?: string[];
}

/** What install or uninstall did. */
export interface HookResult {
  path: string;
  /** installed | updated | chained (an existing hook kept) | removed | restored | absent */
  action: "installed" | "updated" | "chained" | "removed" | "restored" | "absent";
}

/** Single-quotes a word for sh. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** The hook script. */
export function hookScript(command: HookCommand): string {
  const argv = [command.node, command.bin, ...(command.args ?? []), "scan", "--staged"]
    .map(shellQuote)
    .join(" ");
  return `#!/bin/sh
${HOOK_MARKER} (\`vault hook uninstall\` removes it)
# Blocks a commit whose staged files hold a credential or a value stored in the vault.
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/${LOCAL_HOOK}" ]; then
  "$hook_dir/${LOCAL_HOOK}" "$@" || exit $?
fi
${argv}
status=$?
if [ "$status" -eq 1 ]; then
  echo "" >&2
  echo "agent-vault: commit blocked: the staged files above hold what looks like a secret." >&2
  echo "  Move it into the vault: vault scan --fix FILE (then git add FILE), and rotate it if it was shared." >&2
  echo "  A false positive: add a 'vault-allow' comment on that line, or a .vault-scan.json ignore." >&2
  echo "  To commit anyway, knowing what you do: git commit --no-verify" >&2
  exit 1
elif [ "$status" -ne 0 ]; then
  echo "agent-vault: the pre-commit scan failed (exit $status); commit blocked. Bypass: git commit --no-verify" >&2
  exit "$status"
fi
exit 0
`;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError(error, "read the pre-commit hook");
  }
}

async function exists(path: string): Promise<boolean> {
  return fs.lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Installs (or updates) the hook. Idempotent.
 * @throws VaultError USAGE (not a repository) | ALREADY_EXISTS (both a foreign hook and a
 *   pre-commit.local exist) | IO_ERROR
 */
export async function installHook(git: GitOptions, command: HookCommand): Promise<HookResult> {
  const dir = await gitHooksDir(git);
  const path = join(dir, "pre-commit");
  const local = join(dir, LOCAL_HOOK);
  try {
    await fs.mkdir(dir, { recursive: true });
    const current = await readText(path);
    let action: HookResult["action"] = "installed";
    if (current?.includes(HOOK_MARKER)) {
      action = "updated";
    } else if (current !== undefined || (await exists(path))) {
      if (await exists(local)) {
        throw vaultError(
          "ALREADY_EXISTS",
          `Both ${path} and ${local} exist; the hook was not installed.`,
          `Merge them into ${local}, remove ${path}, and run \`vault hook install\` again.`,
        );
      }
      await fs.rename(path, local);
      action = "chained";
    }
    // A fresh temp name opened O_EXCL: a planted file or symlink is never written through.
    await writeFileAtomic(path, hookScript(command), 0o755);
    return { path, action };
  } catch (error) {
    throw ioError(error, "install the pre-commit hook");
  }
}

/**
 * Removes the hook and puts back a hook it had kept. Leaves a hook that is not ours alone.
 * @throws VaultError USAGE (not a repository) | IO_ERROR
 */
export async function uninstallHook(git: GitOptions): Promise<HookResult> {
  const dir = await gitHooksDir(git);
  const path = join(dir, "pre-commit");
  const local = join(dir, LOCAL_HOOK);
  try {
    const current = await readText(path);
    if (!current?.includes(HOOK_MARKER)) return { path, action: "absent" };
    await fs.rm(path);
    if (await exists(local)) {
      await fs.rename(local, path);
      return { path, action: "restored" };
    }
    return { path, action: "removed" };
  } catch (error) {
    throw ioError(error, "remove the pre-commit hook");
  }
}
