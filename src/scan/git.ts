/**
 * The few git calls the scanner and the hook make, spawned without a shell (but the staged
 * read below, one fixed script into which nothing is ever put): the repository root, the
 * staged blobs (what the commit will hold, not the working tree) and the hooks folder (which
 * honours `core.hooksPath`).
 */
import { spawn } from "node:child_process";
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { type VaultError, vaultError } from "../errors.js";

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
    child.on("error", (error: NodeJS.ErrnoException) => reject(gitMissing(error.code)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(gitFailed(args[0] as string, code, err));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

/** Git could not be started (`code`: ENOENT, EACCES...). */
function gitMissing(code: string | undefined): VaultError {
  return vaultError(
    "USAGE",
    `Could not run git (${code ?? "error"}).`,
    "Install git, or scan files by path instead of --staged.",
  );
}

/** `git COMMAND` exited with `code`, saying `stderr`. */
function gitFailed(command: string, code: number | null, stderr: Buffer[]): VaultError {
  const notRepo = /not a git repository/i.test(Buffer.concat(stderr).toString("utf8"));
  return vaultError(
    "USAGE",
    notRepo ? "This folder is not in a git repository." : `git ${command} failed (exit ${code}).`,
    notRepo ? "Run it inside a git work tree." : "Check the repository with `git status`.",
  );
}

/** The top folder of the work tree holding `cwd`. @throws VaultError USAGE */
export async function gitRoot(options: GitOptions): Promise<string> {
  const found = await rootAtCwd(options).catch(() => undefined);
  if (found !== undefined) return found;
  return (await runGit(["rev-parse", "--show-toplevel"], options)).toString("utf8").trim();
}

/** Variables that move the work tree or the repository away from what `rootAtCwd` reads. */
const MOVING_VARIABLES = ["GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_COMMON_DIR"];

/**
 * `cwd` itself when git would take it as the top of the work tree, read without starting git
 * (every pre-commit hook runs there; one process less): `cwd/.git` is a repository folder, or
 * a file naming one (a worktree's, a submodule's), or `GIT_DIR` names one (git sets it for a
 * worktree's hooks; git then takes the working folder as the top). Undefined whenever unsure,
 * and git is asked: a folder below the top, a path through a symbolic link, a repository git
 * could refuse as another user's, a config that mentions a work tree or a bare repository or
 * includes another file, Windows, or one of the variables above.
 */
async function rootAtCwd(options: GitOptions): Promise<string | undefined> {
  const { cwd } = options;
  const env = options.env ?? process.env;
  const uid = process.getuid?.();
  if (uid === undefined || !isAbsolute(cwd)) return undefined;
  if (MOVING_VARIABLES.some((name) => env[name] !== undefined)) return undefined;
  if ((await realpath(cwd)) !== cwd) return undefined;
  let gitDir: string;
  if (env.GIT_DIR !== undefined) {
    gitDir = resolve(cwd, env.GIT_DIR);
  } else {
    const dotGit = join(cwd, ".git");
    const entry = await lstat(dotGit);
    if (entry.isDirectory()) {
      gitDir = dotGit;
    } else if (entry.isFile() && entry.uid === uid && entry.size < 4096) {
      const named = /^gitdir: ([^\r\n]+)\r?\n?$/.exec(await readFile(dotGit, "utf8"))?.[1];
      if (named === undefined || named.trim() !== named) return undefined;
      gitDir = resolve(cwd, named);
    } else {
      return undefined;
    }
  }
  const commonFile = await readFile(join(gitDir, "commondir"), "utf8").catch(() => undefined);
  const commonDir = commonFile === undefined ? gitDir : resolve(gitDir, commonFile.trim());
  const [top, repository, head] = await Promise.all([
    stat(cwd),
    stat(gitDir),
    readFile(join(gitDir, "HEAD"), "utf8"),
    stat(join(commonDir, "objects")),
    stat(join(commonDir, "refs")),
  ]);
  if (top.uid !== uid || repository.uid !== uid) return undefined;
  if (!/^(?:ref: refs\/\S+|[0-9a-f]{40}|[0-9a-f]{64})\r?\n?$/.test(head)) return undefined;
  const configs = await Promise.all([
    readFile(join(commonDir, "config"), "utf8"),
    readFile(join(gitDir, "config.worktree"), "utf8").catch(() => ""),
  ]);
  for (const config of configs) {
    const rest = config.replace(/^[ \t]*bare[ \t]*=[ \t]*false[ \t]*$/gim, "");
    if (/worktree|bare|include/i.test(rest)) return undefined;
  }
  return cwd;
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

/** The arguments of the diff naming the staged files (`--raw -z`: `:modes ids status\0path\0`). */
const STAGED_DIFF = [
  "diff",
  "--cached",
  "--raw",
  "-z",
  "--no-abbrev",
  "--no-renames",
  "--diff-filter=ACMR",
];

/** One file of the staged diff: its blob and, for a modified file, its HEAD blob. */
interface StagedEntry {
  path: string;
  blob: string;
  source?: string;
}

/** The files of a staged diff, symlinks and submodules left out. */
function stagedEntries(raw: string): StagedEntry[] {
  const fields = raw.split("\0");
  const entries: StagedEntry[] = [];
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
  return entries;
}

/**
 * The script of {@link diffThenObjects}: the diff, a NUL byte (the diff never writes two in a
 * row, nor starts with one), then `cat-file --batch` in the same process, reading the object
 * ids this process writes once it has read the diff. A failing diff ends it with its status.
 */
const DIFF_THEN_OBJECTS = `git ${STAGED_DIFF.join(" ")} || exit; printf '\\000'; exec git cat-file --batch`;

/**
 * The staged diff, then `git cat-file --batch` of the ids `idsOf(diff)` gives (none: no
 * objects). One `sh` started from this process: starting a process from Node forks all of it
 * (5-10 ms of this process's time each on a busy 2-core machine), `sh` forking `git` far
 * less. Windows, or no /bin/sh: two git processes.
 * @throws VaultError USAGE
 */
async function diffThenObjects(
  options: GitOptions,
  idsOf: (diff: Buffer) => string,
): Promise<Buffer> {
  const viaShell =
    process.platform === "win32" ? undefined : await shellDiffThenObjects(options, idsOf);
  if (viaShell) return viaShell;
  const ids = idsOf(await runGit(STAGED_DIFF, options));
  return ids === "" ? Buffer.alloc(0) : runGit(["cat-file", "--batch"], options, ids);
}

/** {@link diffThenObjects} through /bin/sh; undefined when there is no /bin/sh to start. */
function shellDiffThenObjects(
  options: GitOptions,
  idsOf: (diff: Buffer) => string,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", DIFF_THEN_OBJECTS], {
      cwd: options.cwd,
      ...(options.env ? { env: options.env as NodeJS.ProcessEnv } : {}),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let read = 0;
    let diffEnd = -1;
    child.stdout.on("data", (chunk: Buffer) => {
      out.push(chunk);
      if (diffEnd >= 0) return;
      const at = read;
      read += chunk.length;
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== 0) continue;
        const previous = i > 0 ? chunk[i - 1] : at > 0 ? (out.at(-2)?.at(-1) ?? 1) : 0;
        if (previous !== 0) continue;
        diffEnd = at + i;
        child.stdin.end(idsOf(Buffer.concat(out).subarray(0, diffEnd)));
        return;
      }
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") resolve(undefined);
      else reject(gitMissing(error.code));
    });
    child.on("close", (code) => {
      if (code === 0 && diffEnd >= 0) resolve(Buffer.concat(out).subarray(diffEnd + 1));
      // The shell's own statuses: git not found, or found but not executable.
      else if (diffEnd < 0 && code === 127) reject(gitMissing("ENOENT"));
      else if (diffEnd < 0 && code === 126) reject(gitMissing("EACCES"));
      else reject(gitFailed(diffEnd < 0 ? "diff" : "cat-file", code, err));
    });
    child.stdin.on("error", () => undefined);
  });
}

/**
 * The added, copied, modified and renamed files of the index, with their staged content:
 * the staged diff and one `cat-file --batch`, whatever the number of files.
 * Symlinks and submodules are left out.
 * @throws VaultError USAGE
 */
export async function readStagedFiles(
  options: GitOptions,
  maxBytes: number,
): Promise<StagedFile[]> {
  let entries: StagedEntry[] = [];
  const output = await diffThenObjects(options, (diff) => {
    entries = stagedEntries(diff.toString("utf8"));
    const ids = entries.flatMap((entry) =>
      entry.source ? [entry.blob, entry.source] : [entry.blob],
    );
    return ids.length === 0 ? "" : `${ids.join("\n")}\n`;
  }).catch(async (error: unknown) => {
    // Where there is no work tree, git's verdict on it (as `gitRoot` gives it) is the error.
    await runGit(["rev-parse", "--show-toplevel"], options);
    throw error;
  });
  if (entries.length === 0) return [];
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
