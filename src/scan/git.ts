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
  /** The file as HEAD has it, for a modified file within the limit (baselines use it). */
  previous?: Buffer;
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
  const entries: Array<{ path: string; blob: string; source?: string }> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = (fields[i] as string).split(" ");
    const mode = meta[1] ?? "";
    const source = meta[2] ?? "";
    const blob = meta[3] ?? "";
    if (mode === "120000" || mode === "160000" || !/^[0-9a-f]{40,64}$/.test(blob)) continue;
    // A modified file's HEAD blob too (an added one has none: all zeros).
    const isModified = /^[0-9a-f]{40,64}$/.test(source) && /[1-9a-f]/.test(source);
    entries.push({ path: fields[i + 1] as string, blob, ...(isModified ? { source } : {}) });
  }
  if (entries.length === 0) return [];
  const wanted = entries.flatMap((entry) =>
    entry.source ? [entry.blob, entry.source] : [entry.blob],
  );
  const output = await runGit(["cat-file", "--batch"], options, `${wanted.join("\n")}\n`);
  let offset = 0;
  /** The next object of the batch output: its size and bytes (none when missing). */
  const next = (): { size: number; bytes?: Buffer } => {
    const headerEnd = output.indexOf(10, offset);
    const header = output.subarray(offset, headerEnd).toString("utf8").split(" ");
    offset = headerEnd + 1;
    if (header[1] === "missing") return { size: 0 };
    const size = Number(header[2]);
    const bytes = output.subarray(offset, offset + size);
    offset += size + 1;
    return { size, bytes };
  };
  const files: StagedFile[] = [];
  for (const entry of entries) {
    const { size, bytes } = next();
    const previous = entry.source ? next() : undefined;
    files.push({
      path: entry.path,
      size,
      ...(bytes && size <= maxBytes ? { content: bytes } : {}),
      ...(previous?.bytes && previous.size <= maxBytes ? { previous: previous.bytes } : {}),
    });
  }
  return files;
}
