/**
 * One scan over many sources: decode, run the engine, then apply the config file's ignores
 * and the baseline. The engine already honoured inline `vault-allow` comments.
 */
import { type BaselineKey, type BaselineMatcher, lineFinder } from "./baseline.js";
import type { ConfigFilter } from "./config.js";
import { type SecretMatcher, scanText } from "./engine.js";
import type { ScanReport } from "./output-formats.js";
import type { Finding, ScanRule } from "./rule.js";
import { RULES } from "./rules.js";
import type { ScanSource, SkippedFile } from "./sources.js";

/** Options of {@link scanSources}. */
export interface ScanOptions {
  rules?: readonly ScanRule[];
  matcher?: SecretMatcher;
  filter?: ConfigFilter;
  /** Known findings to leave out (see baseline.ts: `baselineMatcher`). */
  baseline?: BaselineMatcher;
  /** The baseline key of each finding of a text (baseline.ts: `baselineKeys`). */
  baselineKeys?: (file: string, text: string, findings: readonly Finding[]) => BaselineKey[];
  /** How the baseline names a source's file (default: its display path). */
  baselineFile?: (source: ScanSource) => string;
}

/** The findings of one source, with the text they point into. */
export interface SourceFindings {
  source: ScanSource;
  text: string;
  findings: Finding[];
}

/** The result of {@link scanSources}. */
export interface ScanResult {
  report: ScanReport;
  bySource: SourceFindings[];
}

/** What the rules and the vault's fingerprints found in one source, before ignores and baseline. */
export interface RawFindings {
  text: string;
  findings: Finding[];
}

/**
 * A scan fed one source at a time ({@link scanSources} feeds it a list; a folder's scan feeds
 * it each file as it is read, so no more than one file's content is held at once, and may have
 * other threads scan some of the files: see parallel-scan.ts).
 */
export class SourceScan {
  readonly #options: ScanOptions;
  readonly #rules: readonly ScanRule[];
  readonly #skipped: SkippedFile[] = [];
  readonly #bySource: SourceFindings[] = [];
  readonly #suppressed = { config: 0, baseline: 0 };
  #scanned = 0;

  constructor(options: ScanOptions = {}) {
    this.#options = options;
    this.#rules = rulesToRun(options);
  }

  /** Records a file left out. */
  skip(file: SkippedFile): void {
    this.#skipped.push(file);
  }

  /** Scans one source, recording nothing; undefined when the config ignores its path. */
  scan(source: ScanSource): RawFindings | undefined {
    const options = this.#options;
    if (options.filter?.isPathIgnored(source.file)) return undefined;
    const text = source.content.toString("utf8");
    const findings = scanText(text, {
      file: source.file,
      rules: this.#rules,
      ...(options.matcher ? { matcher: options.matcher } : {}),
    });
    return { text, findings };
  }

  /**
   * Records a source scanned (by {@link scan}, here or on another thread), keeping it with the
   * findings the config's rule ignores and the baseline leave.
   */
  record(source: ScanSource, raw: RawFindings): void {
    this.#scanned++;
    if (raw.findings.length === 0) return;
    const { text } = raw;
    const options = this.#options;
    const suppressed = this.#suppressed;
    const kept = raw.findings.filter((finding) => {
      if (!options.filter?.isRuleIgnored(finding.ruleId)) return true;
      suppressed.config++;
      return false;
    });
    const baseline = options.baseline;
    const file = options.baselineFile?.(source) ?? source.file;
    const keys = baseline && options.baselineKeys ? options.baselineKeys(file, text, kept) : [];
    const isOldLine = oldLineTest(source, text);
    const findings = kept.filter((finding, index) => {
      const key = keys[index];
      if (!baseline || !key || !isOldLine(finding) || !baseline.accept(key)) return true;
      suppressed.baseline++;
      return false;
    });
    if (findings.length === 0) return;
    this.#bySource.push({ source, text, findings });
  }

  /** {@link scan} then {@link record}. */
  add(source: ScanSource): void {
    const raw = this.scan(source);
    if (raw) this.record(source, raw);
  }

  /** The report and findings of every source recorded so far. */
  result(): ScanResult {
    return {
      report: {
        findings: this.#bySource.flatMap((s) => s.findings),
        scanned: this.#scanned,
        skipped: [...this.#skipped],
        suppressed: { ...this.#suppressed },
      },
      bySource: [...this.#bySource],
    };
  }
}

/** Scans every source. */
export function scanSources(
  sources: readonly ScanSource[],
  skipped: readonly SkippedFile[],
  options: ScanOptions = {},
): ScanResult {
  const scan = new SourceScan(options);
  for (const file of skipped) scan.skip(file);
  for (const source of sources) scan.add(source);
  return scan.result();
}

/**
 * The rules a scan runs: those the config does not ignore. The list itself when it ignores
 * none, so the engine's keyword index (built once per list) is not built again per call.
 */
export function rulesToRun(options: Pick<ScanOptions, "rules" | "filter">): readonly ScanRule[] {
  const all = options.rules ?? RULES;
  const filter = options.filter;
  return filter && all.some((rule) => filter.isRuleIgnored(rule.id))
    ? all.filter((rule) => !filter.isRuleIgnored(rule.id))
    : all;
}

/**
 * Whether a finding's line is one the source already had before this change: for a staged
 * modified file, its whole line (secret included) must occur in HEAD's version; otherwise
 * every line counts as old. Nothing about the old line is stored anywhere.
 */
function oldLineTest(source: ScanSource, text: string): (finding: Finding) => boolean {
  if (!source.previous) return () => true;
  const previous = new Set(source.previous.toString("utf8").split("\n"));
  const lineOf = lineFinder(text);
  return (finding) => previous.has(text.slice(...lineOf(finding.start)));
}
