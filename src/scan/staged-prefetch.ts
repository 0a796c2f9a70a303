/**
 * The git calls of `vault scan --staged` (every pre-commit hook) started before the scanner's
 * modules load: git then runs on another core while this process compiles the rules, and its
 * processes fork from a process that is still small. The scan takes the result if it runs in
 * the same folder with the same environment; otherwise it is dropped (the calls only read).
 */
import { type GitOptions, gitRoot, readStagedFiles, type StagedFile } from "./git.js";

/** The repository root and every staged file with its content, whatever its size. */
export interface StagedRead {
  root: string;
  files: StagedFile[];
}

let started: { options: GitOptions; read: Promise<StagedRead> } | undefined;

/** The root and the staged files, the two git reads side by side. @throws VaultError USAGE */
export async function readStaged(options: GitOptions): Promise<StagedRead> {
  const [root, files] = await Promise.all([
    gitRoot(options),
    readStagedFiles(options, Number.POSITIVE_INFINITY),
  ]);
  return { root, files };
}

/** Starts {@link readStaged} now, for a scan of the staged files soon to ask for it. */
export function prefetchStaged(options: GitOptions): void {
  const read = readStaged(options);
  read.catch(() => undefined); // its error is the scan's to report, if the scan takes it
  started = { options, read };
}

/** The prefetched read for `options` (same folder, same environment object), at most once. */
export function takePrefetched(options: GitOptions): Promise<StagedRead> | undefined {
  const taken = started;
  started = undefined;
  if (!taken || taken.options.cwd !== options.cwd) return undefined;
  if ((taken.options.env ?? process.env) !== (options.env ?? process.env)) return undefined;
  return taken.read;
}
