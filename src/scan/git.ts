/**
 * The few git calls the scanner and the hook make, spawned without a shell: the repository
 * root, the staged blobs (what the commit will hold, not the working tree) and the hooks
 * folder (which honours `core.hooksPath`).
 */
import { spawn } from "node:child_process";
import { isAbsolute, resolve } from "node:path";
import { vaultError } from "../errors.js";

/** Options of the git calls: where, and with which environment (default: this process's). */
export interface GitOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
}

/**
 * Runs git and returns its stdout.
 * @throws VaultError USAGE (not a repository, git missing or failing)
 */
export function runGit(args: string[], options: GitOptions, input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      ...(options.env ? { env: options.env as NodeJS.ProcessEnv } : {}),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        vaultError(
          "USAGE",
          `Could not run git (${error.code ?? "error"}).`,
          "Install git, or scan files by path instead of --staged.",
        ),
      );
    });
    child.on("close", (code) => {
      if (code === 0) {
        resolve(Buffer.concat(out));
        return;
      }
      const notRepo = /not a git repository/i.test(Buffer.concat(err).toString("utf8"));
      reject(
        vaultError(
          "USAGE",
          notRepo
            ? "This folder is not in a git repository."
            : `git ${args[0]} failed (exit ${code}).`,
          notRepo ? "Run it inside a git work tree." : "Check the repository with `git status`.",
        ),
      );
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

/** The top folder of the work tree holding `cwd`. @throws VaultError USAGE */
export async function gitRoot(options: GitOptions): Promise<string> {
  return (await runGit(["rev-parse", "--show-toplevel"], options)).toString("utf8").trim();
}

/** The hooks folder git runs hooks from (`core.hooksPath` honoured). @throws VaultError USAGE */
export async function gitHooksDir(options: GitOptions): Promise<string> {
  const path = (await runGit(["rev-parse", "--git-path", "hooks"], options))
    .toString("utf8")
    .trim();
  return isAbsolute(path) ? path : resolve(options.cwd, path);
}

/** One staged file: its path from the repository root, and the staged bytes (or its size). */
export interface StagedFile {
  path: string;
  size: number;
  /** Absent when larger than the limit given. */
  content?: Buffer;
}

/**
 * The added, copied, modified and renamed files of the index, with their staged content: two
 * git processes whatever the number of files (`diff --cached --raw`, `cat-file --batch`).
 * Symlinks and submodules are left out.
 * @throws VaultError USAGE
 */
export async function readStagedFiles(
  options: GitOptions,
  maxBytes: number,
): Promise<StagedFile[]> {
  const raw = (
    await runGit(
      ["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=ACMR"],
      options,
    )
  ).toString("utf8");
  const fields = raw.split("\0");
  const entries: Array<{ path: string; blob: string }> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = (fields[i] as string).split(" ");
    const mode = meta[1] ?? "";
    const blob = meta[3] ?? "";
    if (mode === "120000" || mode === "160000" || !/^[0-9a-f]{40,64}$/.test(blob)) continue;
    entries.push({ path: fields[i + 1] as string, blob });
  }
  if (entries.length === 0) return [];
  const output = await runGit(
    ["cat-file", "--batch"],
    options,
    `${entries.map((entry) => entry.blob).join("\n")}\n`,
  );
  const files: StagedFile[] = [];
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = output.indexOf(10, offset);
    const header = output.subarray(offset, headerEnd).toString("utf8").split(" ");
    const size = Number(header[2]);
    const start = headerEnd + 1;
    files.push({
      path: entry.path,
      size,
      ...(size <= maxBytes ? { content: output.subarray(start, start + size) } : {}),
    });
    offset = start + size + 1;
  }
  return files;
}
