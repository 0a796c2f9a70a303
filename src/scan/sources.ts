/**
 * What to scan: files and folders named on the command line (folders walked with their
 * `.gitignore` files honoured), the agent workspace files of a folder, staged blobs, stdin.
 * Binary files and files over the size limit are skipped and reported.
 */
import { promises as fs } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Ignore } from "ignore";
import { ioError, vaultError } from "../errors.js";
import { hasTooManyGlobstars } from "./config.js";
import { type NotRead, readRegularFile, readRegularFileSync, type ScratchBuffer } from "./files.js";
import type { GitOptions } from "./git.js";
import { readStaged, takePrefetched } from "./staged-prefetch.js";

/** One text to scan. */
export interface ScanSource {
  /** The file as shown to people: relative to the working folder, `/`-separated. */
  file: string;
  /** Absolute path (`--fix` rewrites it); absent for stdin. */
  path?: string;
  /** True for staged blobs: the working tree may differ, so `--fix` does not apply. */
  staged?: boolean;
  content: Buffer;
  /**
   * For a staged modified file, the file as HEAD has it: a baseline accepts only findings on
   * lines HEAD already had (a new secret put on a baselined line is a new finding).
   */
  previous?: Buffer;
}

/** A file left out, and why. */
export interface SkippedFile {
  file: string;
  reason: "binary" | "too-large" | "unreadable";
}

/** Files and folders an agent reads every turn (OpenClaw's workspace). */
export const WORKSPACE_FILES = [
  "SOUL.md",
  "AGENTS.md",
  "MEMORY.md",
  "TOOLS.md",
  "USER.md",
  "IDENTITY.md",
  "HEARTBEAT.md",
  "BOOTSTRAP.md",
  "BOOT.md",
];

/** The default size limit: 1 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Folders never walked into. */
const NEVER_WALKED = new Set([".git", "node_modules"]);

/** A NUL byte in the first 8 KiB: binary (git's own test). */
export function isBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8192).includes(0);
}

/** `path` as shown to people: relative to `cwd` when inside it, `/`-separated. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  const shown = rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  return shown.split(sep).join("/");
}

/** What collecting found. */
export interface Collected {
  sources: ScanSource[];
  skipped: SkippedFile[];
}

/** A file read for a scan: its source, or why it is left out. */
export type ReadFile = { source: ScanSource } | { skipped: SkippedFile };

/**
 * Reads the file at `path` for a scan (see {@link readRegularFileSync}); a file that cannot be
 * read is skipped as unreadable. With `scratch`, the source's content is a view of it, valid
 * until its next use.
 */
export function readFileToScan(
  cwd: string,
  path: string,
  maxBytes: number,
  scratch?: ScratchBuffer,
): ReadFile {
  const file = displayPath(cwd, path);
  let content: Buffer | NotRead;
  try {
    content = readRegularFileSync(path, maxBytes, scratch);
  } catch {
    content = "missing";
  }
  if (content === "too-large") return { skipped: { file, reason: "too-large" } };
  if (typeof content === "string") return { skipped: { file, reason: "unreadable" } };
  if (isBinary(content)) return { skipped: { file, reason: "binary" } };
  return { source: { file, path, content } };
}

/** Files read one after another before other work may run (a folder's walk can be long). */
const READ_BATCH = 32;

/** Lets other work run (a progress line, a signal) after every {@link READ_BATCH} files. */
export async function yieldEveryBatch(index: number): Promise<void> {
  if (index > 0 && index % READ_BATCH === 0) await new Promise((resume) => setImmediate(resume));
}

/** The most a `.gitignore` may hold to be honoured (a real one is a few KiB). */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

interface Rules {
  base: string;
  matcher: Ignore;
}

async function readIgnoreFile(dir: string): Promise<Rules | undefined> {
  // Only a regular file: a .gitignore that is a device or a FIFO is no list of patterns.
  const read = await readRegularFile(join(dir, ".gitignore"), MAX_IGNORE_FILE_BYTES).catch(
    () => undefined,
  );
  if (read === undefined || typeof read === "string") return undefined;
  const text = read.toString("utf8");
  // Loaded with the first .gitignore: a staged scan (git applied them already) never needs it.
  const { default: ignore } = await import("ignore");
  // A pattern too costly to match is left out: its files are scanned rather than skipped.
  const lines = text.split("\n").filter((line) => !hasTooManyGlobstars(line));
  return { base: dir, matcher: ignore().add(lines) };
}

function isIgnored(rules: Rules[], path: string, isDir: boolean): boolean {
  return rules.some(({ base, matcher }) => {
    const rel = relative(base, path).split(sep).join("/");
    return rel !== "" && !rel.startsWith("..") && matcher.ignores(isDir ? `${rel}/` : rel);
  });
}

async function walk(dir: string, inherited: Rules[], out: string[]): Promise<void> {
  const own = await readIgnoreFile(dir);
  const rules = own ? [...inherited, own] : inherited;
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw ioError(error, "read a folder to scan");
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (NEVER_WALKED.has(entry.name) || isIgnored(rules, path, true)) continue;
      await walk(path, rules, out);
    } else if (entry.isFile() && !isIgnored(rules, path, false)) {
      out.push(path);
    }
  }
}

/** `.gitignore` files of the folders above `dir`, up to the root of its git work tree. */
async function ancestorRules(dir: string): Promise<Rules[]> {
  const chain: string[] = [];
  let current = resolve(dir);
  for (;;) {
    chain.unshift(current);
    const hasGit = await fs
      .stat(join(current, ".git"))
      .then(() => true)
      .catch(() => false);
    const parent = resolve(current, "..");
    if (hasGit || parent === current) break;
    current = parent;
  }
  if (chain.length === 1) return [];
  const rules = await Promise.all(chain.slice(0, -1).map(readIgnoreFile));
  return rules.filter((r): r is Rules => r !== undefined);
}

/**
 * The files `paths` (relative to `cwd`) name, in order: a file named explicitly even when
 * ignored; folders walked with `.gitignore` honoured, `.git` and `node_modules` never entered.
 * @throws VaultError INVALID_INPUT (a path that does not exist) | IO_ERROR
 */
export async function listFiles(cwd: string, paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = (await fs.stat(path)).isDirectory();
    } catch {
      throw vaultError(
        "INVALID_INPUT",
        "A path given to scan does not exist.",
        "Check the paths; `vault scan` with no path scans the workspace files here.",
      );
    }
    if (isDir) await walk(path, await ancestorRules(path), files);
    else files.push(path);
  }
  return files;
}

/**
 * Reads the files and folders in `paths` (relative to `cwd`), as {@link listFiles} lists them.
 * @throws VaultError INVALID_INPUT (a path that does not exist) | IO_ERROR
 */
export async function collectFiles(
  cwd: string,
  paths: readonly string[],
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<Collected> {
  const collected: Collected = { sources: [], skipped: [] };
  const files = await listFiles(cwd, paths);
  for (const [index, path] of files.entries()) {
    await yieldEveryBatch(index);
    const read = readFileToScan(cwd, path, maxBytes);
    if ("source" in read) collected.sources.push(read.source);
    else collected.skipped.push(read.skipped);
  }
  return collected;
}

/** The agent workspace files present in `cwd`: SOUL.md … BOOT.md, memory/**, skills/*\/SKILL.md. */
export async function workspacePaths(cwd: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of WORKSPACE_FILES) {
    if (await isFile(join(cwd, name))) found.push(name);
  }
  if (await isDirectory(join(cwd, "memory"))) found.push("memory");
  try {
    const skills = await fs.readdir(join(cwd, "skills"), { withFileTypes: true });
    for (const skill of skills) {
      const path = join("skills", skill.name, "SKILL.md");
      if (skill.isDirectory() && (await isFile(join(cwd, path)))) found.push(path);
    }
  } catch {
    // no skills folder
  }
  return found;
}

async function isFile(path: string): Promise<boolean> {
  return fs.stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return fs.stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * The staged content of the files a commit in `options.cwd` would add or change.
 * @throws VaultError USAGE (not a repository, git failing)
 */
export async function collectStaged(
  options: GitOptions,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<Collected> {
  const { root, files } = await (takePrefetched(options) ?? readStaged(options));
  const collected: Collected = { sources: [], skipped: [] };
  for (const staged of files) {
    const path = join(root, staged.path);
    const file = displayPath(options.cwd, path);
    const { content, previous } = staged;
    if (!content || staged.size > maxBytes) collected.skipped.push({ file, reason: "too-large" });
    else if (isBinary(content)) collected.skipped.push({ file, reason: "binary" });
    else {
      collected.sources.push({
        file,
        path,
        staged: true,
        content,
        ...(previous && previous.length <= maxBytes ? { previous } : {}),
      });
    }
  }
  return collected;
}
