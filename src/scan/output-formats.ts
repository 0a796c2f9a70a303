/**
 * Output of `vault scan`: text (`file:line:col severity rule preview`), JSON and SARIF 2.1.0
 * (for code-scanning UIs). None of them ever holds a secret: only the masked preview.
 */
import type { Finding, ScanRule } from "./rule.js";
import type { SkippedFile } from "./sources.js";

/** The output formats. */
export const SCAN_FORMATS = ["text", "json", "sarif"] as const;
/** One output format. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** What one scan found, for the formatters. */
export interface ScanReport {
  findings: Finding[];
  /** Files scanned. */
  scanned: number;
  skipped: SkippedFile[];
  /** Findings left out by the config file, the baseline and inline comments. */
  suppressed: { config: number; baseline: number };
}

/** A finding as JSON: never `match`. */
export function findingJson(finding: Finding): Record<string, unknown> {
  return {
    file: finding.file,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    rule: finding.ruleId,
    severity: finding.severity,
    confidence: finding.confidence,
    description: finding.description,
    preview: finding.preview,
    ...secretJson(finding),
    ...(finding.commit ? { commit: finding.commit, date: finding.date } : {}),
  };
}

/** What a vault-secret finding adds: the secret's name and `state` (`live` or `rotated`). */
function secretJson(finding: Finding): Record<string, unknown> {
  return finding.secretName
    ? { secret: finding.secretName, state: finding.secretState ?? "live" }
    : {};
}

/** How many findings of each kind a report holds, as the summaries and exit codes count them. */
export interface FindingCounts {
  /** Findings of severity `error`: they fail the scan. */
  errors: number;
  /** Other warnings: they fail the scan only with `--strict`. */
  warnings: number;
  /** Vault values found that were rotated since (warnings too): exposed, already rotated. */
  rotated: number;
}

/** Counts `findings` by kind. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  let errors = 0;
  let rotated = 0;
  for (const finding of findings) {
    if (finding.severity === "error") errors++;
    else if (finding.secretState === "rotated") rotated++;
  }
  return { errors, warnings: findings.length - errors - rotated, rotated };
}

/**
 * The exit code of a scan: 1 when it found an error, or (with `strict`) any finding at all;
 * else 0. A vault value already rotated is a warning: reported, and failing only a strict scan.
 */
export function scanExitCode(findings: readonly Finding[], strict: boolean): 0 | 1 {
  const { errors } = countFindings(findings);
  return errors > 0 || (strict && findings.length > 0) ? 1 : 0;
}

/** The end of a summary line for values found already rotated (empty when none). */
export function rotatedSummary(counts: FindingCounts): string {
  return counts.rotated > 0
    ? `; ${counts.rotated} vault value(s) exposed, already rotated (not live)`
    : "";
}

/**
 * A path as printed on a terminal: control characters (and the bidirectional overrides that
 * reorder what is shown) escaped as `\xNN` / `\uNNNN`, so a file name cannot move the cursor,
 * change colours or disguise itself.
 */
export function printablePath(path: string): string {
  return path.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping them is the point
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (char) => {
      const code = char.charCodeAt(0);
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : `\\u${code.toString(16).padStart(4, "0")}`;
    },
  );
}

/**
 * One line per finding: `file:line:col: severity rule-id preview (description, confidence)`;
 * a history finding starts with its commit (12 digits) and author day.
 */
export function formatText(report: ScanReport): string[] {
  return report.findings.map(
    (f) =>
      `${f.commit ? `${f.commit.slice(0, 12)} ${(f.date ?? "").slice(0, 10)} ` : ""}${printablePath(f.file)}:${f.line}:${f.column}: ${f.severity} ${f.ruleId} ${f.preview} (${f.description}; ${f.confidence} confidence)`,
  );
}

/**
 * The SARIF level of a finding: `error` for credentials the scanner is sure of, `warning`
 * for generic guesses and for warnings, `note` for a vault value already rotated (exposed,
 * no longer valid), so code-scanning UIs sort them apart. (The exit code of `vault scan` and
 * of the hook still follows `severity`.)
 */
export function sarifLevel(
  finding: Pick<Finding, "severity" | "confidence" | "secretState">,
): "error" | "warning" | "note" {
  if (finding.secretState === "rotated") return "note";
  return finding.severity === "error" && finding.confidence !== "low" ? "error" : "warning";
}

/** SARIF `rank` (0-100, higher is surer) of a confidence. */
const RANK = { high: 90, medium: 60, low: 30 } as const;

/** The JSON document of a report. */
export function formatJson(report: ScanReport): Record<string, unknown> {
  return {
    findings: report.findings.map(findingJson),
    scanned: report.scanned,
    skipped: report.skipped,
    suppressed: report.suppressed,
  };
}

/** A SARIF 2.1.0 log of a report; `rules` describe every rule that can appear. */
export function formatSarif(
  report: ScanReport,
  rules: ReadonlyArray<Pick<ScanRule, "id" | "description" | "severity" | "confidence">>,
  version: string,
): Record<string, unknown> {
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "agent-vault",
            informationUri: "https://www.npmjs.com/package/agent-vault",
            version,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.description },
              defaultConfiguration: {
                level: sarifLevel({
                  severity: rule.severity,
                  confidence: rule.confidence ?? "high",
                }),
              },
              properties: { confidence: rule.confidence ?? "high" },
              help: {
                text: "Move the value into the vault (`vault scan --fix`), rotate it if it was committed, or mark a false positive with a `vault-allow` comment.",
              },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: sarifLevel(f),
          rank: RANK[f.confidence],
          properties: { severity: f.severity, confidence: f.confidence, ...secretJson(f) },
          message: {
            text: `${f.description}: ${f.preview}${f.secretName ? ` (vault secret ${f.secretName})` : ""}`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file) },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                },
              },
              ...(f.commit ? { properties: { commit: f.commit, date: f.date } } : {}),
            },
          ],
        })),
      },
    ],
  };
}
