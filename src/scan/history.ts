/**
 * `vault scan --history`: every line added by every commit of a range (default: all refs),
 * scanned with the same rules, fingerprints, placeholders, `vault-allow`, config ignores and
 * baseline as a working-tree scan. The history comes from one `git log` stream
 * (history-stream.ts); each distinct blob is read once, so a secret is reported at the commit
 * that added it, not again at every later commit that kept it. A merge commit adds only what
 * its parents did not bring (a conflict resolution, an edit made in the merge; git >= 2.36).
 */
import { join } from "node:path";
import type { BaselineMatcher } from "./baseline.js";
import type { GitOptions } from "./git.js";
import { canRemerge, type FileChange, readHistory } from "./history-stream.js";
import type { Finding } from "./rule.js";
import { rulesToRun, type ScanOptions, scanSources } from "./scan.js";
import { displayPath, type ScanSource, type SkippedFile } from "./sources.js";

/** A finding in the history: where the line was added. */
export interface HistoryFinding extends Finding {
  commit: string;
  /** The commit's author date (ISO 8601). */
  date: string;
  /** The file's path in the repository, from its root. */
  repoPath: string;
}

/** A change left out (binary, or added lines over the size limit), at its commit. */
export interface HistorySkipped extends SkippedFile {
  commit: string;
}

/** Options of {@link scanHistory}. */
export interface HistoryScanOptions extends ScanOptions {
  /** The repository's work-tree root (`gitRoot`). */
  root: string;
  /** Revision lines for `git log --stdin`: ids, ranges, `^id` exclusions. */
  revisions: readonly string[];
  paths?: readonly string[];
  since?: Date;
  maxBytes: number;
  /** Called after each commit read, with the counts so far (at most every 100 ms is enough). */
  onProgress?: (progress: { commits: number; findings: number }) => void;
}

/** What {@link scanHistory} found. */
export interface HistoryScanResult {
  findings: HistoryFinding[];
  skipped: HistorySkipped[];
  /** Commits read. */
  commits: number;
  /** File changes scanned. */
  scanned: number;
  suppressed: { config: number; baseline: number };
}

/**
 * A baseline matcher that accepts a known finding each time it comes back: in a history the
 * same line may be added more than once (removed, then added again).
 */
function repeatingBaseline(inner: BaselineMatcher): BaselineMatcher {
  const accepted = new Set<string>();
  return {
    accept(key) {
      const id = JSON.stringify([key.file, key.rule, key.line]);
      if (accepted.has(id)) return true;
      if (!inner.accept(key)) return false;
      accepted.add(id);
      return true;
    },
  };
}

/**
 * Scans the history of the repository at `git.cwd`.
 * @throws VaultError USAGE (not a repository, unknown revision, git missing)
 */
export async function scanHistory(
  git: GitOptions,
  options: HistoryScanOptions,
): Promise<HistoryScanResult> {
  const result: HistoryScanResult = {
    findings: [],
    skipped: [],
    commits: 0,
    scanned: 0,
    suppressed: { config: 0, baseline: 0 },
  };
  const scanOptions: ScanOptions = {
    ...options,
    // Filtered once: scanSources then keeps this very list, and its keyword index.
    rules: rulesToRun(options),
    ...(options.baseline ? { baseline: repeatingBaseline(options.baseline) } : {}),
  };
  const onCommit = () => {
    result.commits++;
    options.onProgress?.({ commits: result.commits, findings: result.findings.length });
  };
  const query = {
    remerge: await canRemerge(git),
    revisions: options.revisions,
    maxBytes: options.maxBytes,
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.since ? { since: options.since } : {}),
  };
  for await (const change of readHistory(query, git, onCommit)) {
    const path = join(options.root, change.path);
    const file = displayPath(git.cwd, path);
    if (!change.added) {
      result.skipped.push({ file, reason: change.skipped ?? "binary", commit: change.commit });
      continue;
    }
    const source: ScanSource = { file, path, content: change.added };
    const { report } = scanSources([source], [], scanOptions);
    result.scanned += report.scanned;
    result.suppressed.config += report.suppressed.config;
    result.suppressed.baseline += report.suppressed.baseline;
    for (const finding of report.findings) result.findings.push(placed(finding, change));
  }
  return result;
}

/** A finding in the added lines of `change`, moved to its line in the file. */
function placed(finding: Finding, change: FileChange): HistoryFinding {
  const lineOf = (line: number) => change.lines[line - 1] ?? line;
  return Object.assign(finding, {
    line: lineOf(finding.line),
    endLine: lineOf(finding.endLine),
    commit: change.commit,
    date: change.date,
    repoPath: change.path,
  });
}
