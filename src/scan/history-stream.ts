/**
 * Reads a repository's history as one `git log --patch --unified=0` stream and yields, per
 * file a commit changed, the lines it added (with their line numbers in the new file). One git
 * process for the whole history, whatever its length; memory bounded by the size limit.
 *
 * Repository content is attacker-written: git runs without a shell, with external diff
 * drivers and textconv filters off, revisions passed on stdin (a revision can never become an
 * option), and the parser reads only what the format fixes: `%x00` commit lines, file headers,
 * hunk headers and exactly the number of lines each hunk announces, in one linear pass.
 */
import { spawn } from "node:child_process";
import { vaultError } from "../errors.js";
import { type GitOptions, runGit } from "./git.js";

/** One commit's change to one file: the lines it added, or why they were left out. */
export interface FileChange {
  /** Full commit id. */
  commit: string;
  /** Author date, ISO 8601 as git prints it (`%aI`). */
  date: string;
  /** The file's path in the commit, from the repository root. */
  path: string;
  /** The new blob's id (full). */
  blob: string;
  /** The added lines, each ending in `\n`; absent when skipped. */
  added?: Buffer;
  /** The line number in the new file of each added line. */
  lines: number[];
  /** Why the change was not read: a binary file, or added lines over the size limit. */
  skipped?: "binary" | "too-large";
}

/** What to read. */
export interface HistoryQuery {
  /** Revisions and ranges, each a line of `git log --stdin` (`^id` excludes). */
  revisions: readonly string[];
  /** Paths to limit the history to (pathspecs relative to the working folder). */
  paths?: readonly string[];
  /** Only commits newer than this date. */
  since?: Date;
  /** Added lines over this many bytes in one change: skipped as too large. */
  maxBytes: number;
  /**
   * Whether git can show what a merge commit changed beyond merging its parents
   * (`--diff-merges=remerge`, git 2.36): conflict resolutions and "evil merge" edits. Without
   * it merge commits show no change.
   */
  remerge?: boolean;
}

/** Config git must not take from the user or the repository while we read. */
const SAFE_CONFIG = [
  "core.fsmonitor=false",
  "core.quotePath=true",
  "diff.relative=false",
  "diff.noprefix=false",
  "diff.mnemonicPrefix=false",
  "log.showSignature=false",
  "color.ui=false",
];

/** Whether this git can show a merge's own changes (`--diff-merges=remerge`, git >= 2.36). */
export async function canRemerge(options: GitOptions): Promise<boolean> {
  const version = /git version (\d+)\.(\d+)/.exec(
    (await runGit(["version"], options)).toString("utf8"),
  );
  const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
  return major > 2 || (major === 2 && minor >= 36);
}

/** The argv of the `git log` that prints the history (revisions come on stdin). */
export function historyLogArgs(query: HistoryQuery): string[] {
  return [
    ...SAFE_CONFIG.flatMap((setting) => ["-c", setting]),
    "log",
    "--stdin",
    "--ignore-missing",
    "--reverse",
    "--format=%x00%H %aI",
    "--patch",
    "--unified=0",
    "--full-index",
    "--find-renames",
    // A merge's own lines only: what its parents brought was read at their commits.
    query.remerge ? "--diff-merges=remerge" : "--diff-merges=off",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
    "--no-notes",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    // Seconds since the epoch: git's own date parser gives up on some dates (after 2099).
    ...(query.since ? [`--max-age=${Math.floor(query.since.getTime() / 1000)}`] : []),
    "--",
    ...(query.paths ?? []),
  ];
}

/** Splits a byte stream into lines; a line longer than `cap` bytes comes cut, flagged. */
export class LineSplitter {
  #pieces: Buffer[] = [];
  #held = 0;
  #overlong = false;
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** Feeds a chunk; calls `line` for each complete line (without its `\n`). */
  push(chunk: Buffer, line: (bytes: Buffer, overlong: boolean) => void): void {
    let start = 0;
    for (let end = chunk.indexOf(10, start); end >= 0; end = chunk.indexOf(10, start)) {
      let bytes = chunk.subarray(start, end);
      if (this.#pieces.length > 0) {
        this.#keep(bytes);
        bytes = Buffer.concat(this.#pieces);
        this.#pieces = [];
        this.#held = 0;
      }
      const overlong = this.#overlong || bytes.length > this.#cap;
      this.#overlong = false;
      line(overlong ? bytes.subarray(0, this.#cap) : bytes, overlong);
      start = end + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
  }

  /** Calls `line` for what is left (a last line without `\n`). */
  end(line: (bytes: Buffer, overlong: boolean) => void): void {
    if (this.#pieces.length === 0 && !this.#overlong) return;
    const bytes = Buffer.concat(this.#pieces);
    this.#pieces = [];
    line(bytes, this.#overlong);
  }

  /** Holds part of a line, never more than the cap (the rest of an overlong line is dropped). */
  #keep(bytes: Buffer): void {
    const room = this.#cap - this.#held;
    if (bytes.length > room) this.#overlong = true;
    const kept = bytes.length > room ? bytes.subarray(0, Math.max(0, room)) : bytes;
    if (kept.length === 0) return;
    // A copy: the chunk it came from is not kept alive.
    this.#pieces.push(Buffer.from(kept));
    this.#held += kept.length;
  }
}

/** Unquotes a path git printed C-style (`"a\tb\303\251"`); others come as they are. */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = Buffer.from(text.slice(1, -1), "utf8");
  const escapes: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (byte !== 0x5c || i + 1 >= body.length) {
      bytes.push(byte);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] as number);
    const octal = body.subarray(i + 1, i + 4).toString("latin1");
    if (/^[0-7]{3}$/.test(octal)) {
      bytes.push(Number.parseInt(octal, 8) & 0xff);
      i += 3;
      continue;
    }
    bytes.push(escapes[next] ?? (body[i + 1] as number));
    i++;
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The path a `--- a/PATH` / `+++ b/PATH` / `rename to PATH` header names (prefix dropped). */
function headerPath(text: string, prefix: string): string | undefined {
  if (text === "/dev/null") return undefined;
  const path = unquoteGitPath(text);
  return prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** The new-side path of `diff --git a/X b/Y` when both halves are the same path. */
function diffGitPath(text: string): string | undefined {
  if (text.startsWith('"')) {
    const close = text.indexOf('" ');
    return close > 0 ? headerPath(text.slice(close + 2), "b/") : undefined;
  }
  // "a/X b/X": the two halves have the same length.
  const half = (text.length - 1) / 2;
  if (!Number.isInteger(half)) return undefined;
  const right = text.slice(half + 1);
  return right.startsWith("b/") ? right.slice(2) : undefined;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** State of the change being read. */
interface Current {
  commit: string;
  date: string;
  path?: string;
  blob?: string;
  mode?: string;
  pieces: Buffer[];
  bytes: number;
  lines: number[];
  skipped?: "binary" | "too-large";
  /** A blob already read (another commit made the same file content): not read again. */
  isDuplicate?: boolean;
}

/**
 * The parser of the stream: fed line by line, it calls `emit` with each file change (and
 * `commit` at each new commit). Each distinct blob is read once: a change whose new blob an
 * earlier change already made is skipped whole (its lines were read then).
 */
export class HistoryParser {
  #commit = "";
  #date = "";
  #current: Current | undefined;
  /** Lines still due in the hunk being read: old side, new side. */
  #oldLeft = 0;
  #newLeft = 0;
  #nextLine = 0;
  /** Blobs read, by the first 24 hex digits of their id (96 bits: no accidental collision). */
  readonly #seen = new Set<string>();
  readonly #maxBytes: number;
  readonly #emit: (change: FileChange) => void;
  readonly #onCommit: (commit: string) => void;

  constructor(
    maxBytes: number,
    emit: (change: FileChange) => void,
    onCommit: (commit: string) => void = () => undefined,
  ) {
    this.#maxBytes = maxBytes;
    this.#emit = emit;
    this.#onCommit = onCommit;
  }

  /** Reads one line of the stream. */
  line(bytes: Buffer, overlong: boolean): void {
    const first = bytes[0];
    if (this.#oldLeft > 0 || this.#newLeft > 0) {
      if (first === 0x2b || first === 0x2d || first === 0x5c) {
        this.#hunkLine(bytes, overlong);
        return;
      }
      // Fewer lines than the hunk header announced: read this one as what it is.
      this.#oldLeft = 0;
      this.#newLeft = 0;
    }
    if (first === 0) {
      this.#finish();
      const [commit = "", date = ""] = bytes.subarray(1).toString("latin1").split(" ");
      this.#commit = commit;
      this.#date = date;
      this.#onCommit(commit);
      return;
    }
    if (overlong) return; // no header is that long
    const text = bytes.toString("utf8");
    if (text.startsWith("diff --git ")) {
      this.#finish();
      this.#current = {
        commit: this.#commit,
        date: this.#date,
        ...(diffGitPath(text.slice(11)) === undefined
          ? {}
          : { path: diffGitPath(text.slice(11)) as string }),
        pieces: [],
        bytes: 0,
        lines: [],
      };
      return;
    }
    const current = this.#current;
    if (!current) return;
    if (text.startsWith("@@ ")) {
      const match = HUNK.exec(text);
      if (!match) return;
      this.#oldLeft = match[1] === undefined ? 1 : Number(match[1]);
      this.#newLeft = match[3] === undefined ? 1 : Number(match[3]);
      this.#nextLine = Number(match[2]);
    } else if (text.startsWith("+++ ")) {
      const path = headerPath(text.slice(4), "b/");
      if (path !== undefined) current.path = path;
    } else if (text.startsWith("rename to ") || text.startsWith("copy to ")) {
      current.path = headerPath(text.slice(text.indexOf(" to ") + 4), "");
    } else if (text.startsWith("index ")) {
      const [ids = "", mode] = text.slice(6).split(" ");
      current.blob = ids.slice(ids.indexOf("..") + 2);
      if (this.#seen.has(current.blob.slice(0, 24))) current.isDuplicate = true;
      if (mode) current.mode = mode;
    } else if (text.startsWith("new file mode ") || text.startsWith("new mode ")) {
      current.mode = text.slice(text.lastIndexOf(" ") + 1);
    } else if (text.startsWith("Binary files ")) {
      current.skipped = "binary";
    }
  }

  /** Ends the stream: emits the last change. */
  end(): void {
    this.#finish();
  }

  #hunkLine(bytes: Buffer, overlong: boolean): void {
    const first = bytes[0];
    if (first === 0x5c) return; // "\ No newline at end of file"
    if (first === 0x2d) {
      this.#oldLeft--;
      return;
    }
    this.#newLeft--;
    const current = this.#current;
    const line = this.#nextLine++;
    if (!current || current.skipped || current.isDuplicate) return;
    if (overlong || current.bytes + bytes.length > this.#maxBytes) {
      current.skipped = "too-large";
      current.pieces = [];
      current.lines = [];
      return;
    }
    current.pieces.push(bytes.subarray(1), NEWLINE);
    current.bytes += bytes.length;
    current.lines.push(line);
  }

  #finish(): void {
    const current = this.#current;
    this.#current = undefined;
    this.#oldLeft = 0;
    this.#newLeft = 0;
    if (!current?.path || !current.blob || current.isDuplicate || /^0+$/.test(current.blob)) return;
    // Symbolic links and submodules hold no file text.
    if (current.mode === "120000" || current.mode === "160000") return;
    this.#seen.add(current.blob.slice(0, 24));
    if (current.skipped) {
      this.#emit({ ...changeOf(current), skipped: current.skipped });
    } else if (current.lines.length > 0) {
      this.#emit({ ...changeOf(current), added: Buffer.concat(current.pieces) });
    }
  }
}

const NEWLINE = Buffer.from("\n");

function changeOf(current: Current): FileChange {
  return {
    commit: current.commit,
    date: current.date,
    path: current.path as string,
    blob: current.blob as string,
    lines: current.lines,
  };
}

/**
 * Starts the `git log` of `query` and yields the file changes as they come. Back-pressure:
 * git is paused while the consumer is behind, so memory stays bounded.
 * @throws VaultError USAGE (not a repository, unknown revision, git missing)
 */
export async function* readHistory(
  query: HistoryQuery,
  options: GitOptions,
  onCommit: (commit: string) => void = () => undefined,
): AsyncGenerator<FileChange> {
  const child = spawn("git", historyLogArgs(query), {
    cwd: options.cwd,
    ...(options.env ? { env: options.env as NodeJS.ProcessEnv } : {}),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stderr: Buffer[] = [];
  let stderrBytes = 0;
  child.stderr.on("data", (chunk: Buffer) => {
    // git's own messages, kept short: they may quote repository content.
    if (stderrBytes < 4096) stderr.push(chunk);
    stderrBytes += chunk.length;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        vaultError(
          "USAGE",
          `Could not run git (${error.code ?? "error"}).`,
          "Install git to scan a repository's history.",
        ),
      ),
    );
    child.on("close", (code) => resolve(code));
  });
  exited.catch(() => undefined);
  child.stdin.on("error", () => undefined);
  child.stdin.end(`${query.revisions.join("\n")}\n`);
  const pending: FileChange[] = [];
  const parser = new HistoryParser(query.maxBytes, (change) => pending.push(change), onCommit);
  // Lines longer than the limit can only be skipped; headers are far shorter.
  const splitter = new LineSplitter(query.maxBytes + 1);
  const feed = (bytes: Buffer, overlong: boolean) => parser.line(bytes, overlong);
  let completed = false;
  try {
    for await (const chunk of child.stdout) {
      splitter.push(chunk as Buffer, feed);
      while (pending.length > 0) yield pending.shift() as FileChange;
    }
    splitter.end(feed);
    parser.end();
    while (pending.length > 0) yield pending.shift() as FileChange;
    const code = await exited;
    if (code !== 0) throw gitLogError(Buffer.concat(stderr).toString("utf8"), code);
    completed = true;
  } finally {
    if (!completed && child.exitCode === null) child.kill();
  }
}

function gitLogError(stderr: string, code: number | null) {
  if (/not a git repository/i.test(stderr)) {
    return vaultError(
      "USAGE",
      "This folder is not in a git repository.",
      "Run `vault scan --history` inside a git work tree.",
    );
  }
  if (/bad revision|unknown revision|ambiguous argument|bad object/i.test(stderr)) {
    return vaultError(
      "USAGE",
      "git does not know that revision or range.",
      "Check it with `git log RANGE`; e.g. vault scan --history main..feature",
    );
  }
  return vaultError(
    "USAGE",
    `git log failed (exit ${code ?? "signal"}).`,
    "Check the repository with `git status` and `git log`.",
  );
}
