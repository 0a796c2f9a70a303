/**
 * `vault scan --history [RANGE] [PATH...]`: the history half of `vault scan`. Loaded only
 * when `--history` is given (a pre-commit hook never pays for it).
 */
import { promises as fs } from "node:fs";
import { join, resolve } from "node:path";
import { vaultError } from "../../errors.js";
import { recordExposures } from "../../scan/fingerprints.js";
import { gitRoot } from "../../scan/git.js";
import { type HistoryScanResult, scanHistory } from "../../scan/history.js";
import {
  existingCommits,
  gitCommonDir,
  readHistoryPosition,
  refTips,
  writeHistoryPosition,
} from "../../scan/history-position.js";
import {
  countFindings,
  formatJson,
  formatSarif,
  formatText,
  rotatedSummary,
  type ScanFormat,
  type ScanReport,
  scanExitCode,
} from "../../scan/output-formats.js";
import type { ScanRule } from "../../scan/rule.js";
import type { ScanOptions } from "../../scan/scan.js";
import type { CommandContext } from "../context.js";
import { progressLine } from "../progress.js";

/** What `vault scan` prepared that a history scan shares with a working-tree scan. */
export interface HistoryScanSetup {
  format: ScanFormat;
  scanOptions: ScanOptions;
  maxBytes: number;
  agentDir: string;
  strict: boolean;
  sarifRules: ReadonlyArray<Pick<ScanRule, "id" | "description" | "severity" | "confidence">>;
  version: string;
}

/**
 * Commits of earlier positions kept beside the current tips (those still in the repository),
 * so a branch rewritten and pruned after a scan costs only its own new commits.
 */
const KEPT_EARLIER_TIPS = 256;

/** `--since`: a date, or `last` (the position the last whole-history scan recorded). */
function parseSince(value: unknown): Date | "last" | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (text === "last") return "last";
  const date = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)
    ? new Date(text)
    : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw vaultError(
      "USAGE",
      "--since takes a date (2026-01-31, 2026-01-31T12:00Z) or `last`.",
      "e.g. vault scan --history --since last (only what the last --history scan did not read)",
    );
  }
  return date;
}

/**
 * The range and paths of `vault scan --history [RANGE] [PATH...]`: `--history`'s value is the
 * range unless it names a file or folder here (and is no `A..B` range), then it is a path.
 */
async function rangeAndPaths(
  ctx: CommandContext,
  value: unknown,
  args: readonly string[],
): Promise<{ range?: string; paths: string[] }> {
  const paths = [...args];
  if (typeof value !== "string") return { paths };
  const isPath =
    !value.includes("..") &&
    (await fs.stat(resolve(ctx.io.cwd, value)).then(
      () => true,
      () => false,
    ));
  if (isPath) return { paths: [value, ...paths] };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (value === "" || value.startsWith("-") || /[\0-\x1f\x7f]/.test(value)) {
    throw vaultError(
      "USAGE",
      "--history takes a revision or range (main, v1.0..HEAD), not an option.",
      "e.g. vault scan --history main..feature",
    );
  }
  return { range: value, paths };
}

function printHistory(
  ctx: CommandContext,
  setup: HistoryScanSetup,
  result: HistoryScanResult,
): void {
  const report: ScanReport = {
    findings: result.findings,
    scanned: result.scanned,
    skipped: result.skipped,
    suppressed: result.suppressed,
  };
  if (setup.format === "sarif") {
    const sarif = formatSarif(report, setup.sarifRules, setup.version);
    ctx.io.stdout(`${JSON.stringify(sarif, null, 2)}\n`);
    return;
  }
  if (setup.format === "json") {
    ctx.io.stdout(
      `${JSON.stringify({ ...formatJson(report), commits: result.commits }, null, 2)}\n`,
    );
    return;
  }
  const lines = formatText(report);
  if (lines.length > 0) ctx.io.stdout(`${lines.join("\n")}\n`);
  const counts = countFindings(report.findings);
  const { errors, warnings } = counts;
  const skipped =
    report.skipped.length > 0 ? `; ${report.skipped.length} skipped (binary or too large)` : "";
  const suppressed = report.suppressed.baseline + report.suppressed.config;
  ctx.io.stderr(
    report.findings.length === 0
      ? `vault scan --history: no secrets found in ${result.commits} commit(s)${skipped}${suppressed ? `; ${suppressed} suppressed` : ""}.\n`
      : `vault scan --history: ${errors} secret(s) and ${warnings} warning(s) in ${result.commits} commit(s)${skipped}${rotatedSummary(counts)}.\n`,
  );
}

/** Runs `vault scan --history`; returns the exit code (as `vault scan`'s). */
export async function runHistoryScan(
  ctx: CommandContext,
  args: readonly string[],
  options: Record<string, unknown>,
  setup: HistoryScanSetup,
): Promise<number> {
  const git = { cwd: ctx.io.cwd, ...(ctx.io.env.PATH ? { env: ctx.io.env } : {}) };
  const since = parseSince(options.since);
  const { range, paths } = await rangeAndPaths(ctx, options.history, args);
  const root = await gitRoot(git);
  // The whole history (every ref): the position is read and recorded.
  const isWhole = range === undefined && paths.length === 0;
  if (since === "last" && range !== undefined) {
    throw vaultError(
      "USAGE",
      "--since last goes with the whole history, not a range.",
      "Run `vault scan --history --since last` alone.",
    );
  }
  const repository = range === undefined ? await gitCommonDir(git) : "";
  const tips = range === undefined ? await refTips(git) : [];
  const known =
    range === undefined ? await readHistoryPosition(setup.agentDir, repository) : undefined;
  // Remembered commits that are gone (a rewritten branch, then gc) exclude nothing; the older
  // positions kept beside the last one still hold what came before them.
  const scanned = known ? await existingCommits(git, known.tips) : [];
  const excluded = since === "last" ? scanned.map((id) => `^${id}`) : [];
  const revisions = range === undefined ? [...tips, ...excluded] : [range];
  const progress = progressLine(ctx);
  const showProgress = ({ commits, findings }: { commits: number; findings: number }) =>
    progress.show(`vault scan --history: ${commits} commit(s), ${findings} finding(s)…`);
  const result =
    range === undefined && tips.length === 0
      ? {
          findings: [],
          skipped: [],
          commits: 0,
          scanned: 0,
          suppressed: { config: 0, baseline: 0 },
        }
      : await scanHistory(git, {
          ...setup.scanOptions,
          root,
          revisions,
          maxBytes: setup.maxBytes,
          ...(paths.length > 0 ? { paths } : {}),
          ...(since instanceof Date ? { since } : {}),
          onProgress: showProgress,
        }).finally(() => progress.end());
  // A value rotated since it was committed is reported, not recorded: it is no longer live.
  const exposures = result.findings
    .filter((f) => f.secretName !== undefined && f.secretState !== "rotated")
    .map((f) => ({
      name: f.secretName as string,
      file: join(root, f.repoPath),
      line: f.line,
      commit: f.commit,
    }));
  if (exposures.length > 0) await recordExposures(setup.agentDir, exposures, ctx.io.now());
  if (isWhole) {
    const kept = [...new Set([...tips, ...scanned])].slice(0, tips.length + KEPT_EARLIER_TIPS);
    await writeHistoryPosition(setup.agentDir, repository, kept, ctx.io.now());
  }
  printHistory(ctx, setup, result);
  return scanExitCode(result.findings, setup.strict);
}
