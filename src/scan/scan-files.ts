/**
 * A whole `vault scan` of files, of what is staged for the next commit, or of given text, as a
 * library call: collect the sources, match the agent's fingerprints (its own values), apply the
 * scan config's ignores and a baseline, and record each live value found as an exposure (a
 * value already rotated is reported, not recorded). What the CLI and the pre-commit hook run;
 * they only print. Never unlocks the vault; never returns or stores a value beyond the
 * scanned texts the caller gave.
 */
import { dirname, relative, resolve, sep } from "node:path";
import { configFilter, type ScanConfig } from "./config.js";
import {
  fingerprintMatcher,
  type LoadedFingerprints,
  loadFingerprints,
  recordExposures,
} from "./fingerprints.js";
import { defaultScanThreads, scanFileList } from "./parallel-scan.js";
import { type ScanResult, SourceScan } from "./scan.js";
import {
  collectStaged,
  DEFAULT_MAX_FILE_BYTES,
  listFiles,
  type ScanSource,
  workspacePaths,
} from "./sources.js";

/** What {@link scanFiles} reads. */
export interface FileScanInput {
  /** The folder paths are relative to (and git runs in, for `staged`). */
  cwd: string;
  /** Files and folders; none: the agent workspace files under `cwd`. */
  paths?: readonly string[];
  /** Scan the blobs staged for the next commit instead of files. */
  staged?: boolean;
  /** Text to scan as `(stdin)`, beside `paths`. */
  stdin?: Buffer;
  /** The environment git runs with (for `staged`; its PATH). */
  env?: Record<string, string | undefined>;
}

/** How {@link scanFiles} scans. */
export interface FileScanOptions {
  /** The agent's folder under the home (`home/agents/AGENT`): fingerprints and exposures. */
  agentDir: string;
  /** Ignores and the size limit (`.vault-scan.json`); none: no ignores, 1 MiB. */
  config?: ScanConfig;
  /** A baseline file whose findings are left out (and which paths are named relative to). */
  baselinePath?: string;
  /** Leave the baseline's findings in (to rewrite it from them: {@link writeScanBaseline}). */
  ignoreBaseline?: boolean;
  /** When exposures are recorded as seen. */
  now: Date;
  /**
   * Threads a scan of files may use (default: one per core, at most four; never more than
   * one per core): workers join a long scan (parallel-scan.ts). Staged blobs and stdin
   * are scanned on the calling thread.
   */
  threads?: number;
  /** Told what the scan is doing ("Reading files…"), for a progress line. */
  onProgress?: (text: string) => void;
}

/** A scan's report and findings by source, with how a baseline names each source. */
export interface FileScanResult extends ScanResult {
  baselineFile: (source: ScanSource) => string;
}

/**
 * Feeds `scan` what `input` names: staged blobs (held in memory already), or files read one
 * after another (on several threads for many files: parallel-scan.ts), then stdin.
 */
async function feed(
  input: FileScanInput,
  options: FileScanOptions & { fingerprints: LoadedFingerprints | undefined },
  config: ScanConfig,
  scan: SourceScan,
): Promise<void> {
  const maxBytes = config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (input.staged) {
    const staged = await collectStaged(
      { cwd: input.cwd, ...(input.env?.PATH ? { env: input.env } : {}) },
      maxBytes,
    );
    options.onProgress?.(`Scanning ${staged.sources.length} file(s)…`);
    for (const file of staged.skipped) scan.skip(file);
    for (const source of staged.sources) scan.add(source);
    return;
  }
  const named = input.paths ?? [];
  const files = await listFiles(
    input.cwd,
    named.length > 0 || input.stdin ? named : await workspacePaths(input.cwd),
  );
  options.onProgress?.(`Scanning ${files.length + (input.stdin ? 1 : 0)} file(s)…`);
  await scanFileList(
    files,
    {
      cwd: input.cwd,
      maxBytes,
      config,
      fingerprints: options.fingerprints,
      threads: options.threads ?? defaultScanThreads(),
    },
    scan,
  );
  if (input.stdin) scan.add({ file: "(stdin)", content: input.stdin });
}

/**
 * Scans what `input` names and records the agent's live values it finds as exposures.
 * @throws VaultError INVALID_INPUT (a path that does not exist, a bad baseline) | IO_ERROR
 */
export async function scanFiles(
  input: FileScanInput,
  options: FileScanOptions,
): Promise<FileScanResult> {
  const config = options.config ?? { ignorePaths: [], ignoreRules: [] };
  options.onProgress?.("Reading files…");
  const fingerprints = await loadFingerprints(options.agentDir);
  const matcher = fingerprints && fingerprintMatcher(fingerprints);
  const { baselinePath } = options;
  // Loaded only with a baseline: a pre-commit hook pays for each module it loads.
  const baselines = baselinePath ? await import("./baseline.js") : undefined;
  const baseline =
    baselinePath && baselines && !options.ignoreBaseline
      ? await baselines.readBaseline(baselinePath)
      : undefined;
  const baselineFile = (source: ScanSource) =>
    baselinePath && source.path
      ? relative(dirname(baselinePath), source.path).split(sep).join("/")
      : source.file;
  const scan = new SourceScan({
    filter: configFilter(config),
    baselineFile,
    ...(matcher ? { matcher } : {}),
    ...(baseline && baselines
      ? { baseline: baselines.baselineMatcher(baseline), baselineKeys: baselines.baselineKeys }
      : {}),
  });
  await feed(input, { ...options, fingerprints }, config, scan);
  const result = scan.result();
  // A value already rotated is reported, not recorded: it is no longer live.
  const exposures = result.bySource.flatMap(({ source, findings }) =>
    findings
      .filter((f) => f.secretName !== undefined && f.secretState !== "rotated")
      .map((f) => ({
        name: f.secretName as string,
        file: source.path ? resolve(source.path) : source.file,
        line: f.line,
      })),
  );
  if (exposures.length > 0) await recordExposures(options.agentDir, exposures, options.now);
  return { ...result, baselineFile };
}

/**
 * Writes a baseline recording every finding of `result` (a scan made with `ignoreBaseline`).
 * @returns how many findings it records
 * @throws VaultError IO_ERROR
 */
export async function writeScanBaseline(
  baselinePath: string,
  result: FileScanResult,
): Promise<number> {
  const baselines = await import("./baseline.js");
  const keys = result.bySource.flatMap(({ source, text, findings }) =>
    baselines.baselineKeys(result.baselineFile(source), text, findings),
  );
  return baselines.writeBaseline(baselinePath, keys);
}
