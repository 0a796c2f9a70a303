import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { vaultError } from "../../errors.js";
import { formatVaultReference } from "../../references/reference.js";
import { CONFIG_FILE, type ConfigFilter, configFilter, readScanConfig } from "../../scan/config.js";
import { VAULT_SECRET_RULE } from "../../scan/engine.js";
import { readFingerprints } from "../../scan/fingerprints.js";
import {
  countFindings,
  formatJson,
  formatSarif,
  formatText,
  rotatedSummary,
  SCAN_FORMATS,
  type ScanFormat,
  type ScanReport,
  scanExitCode,
} from "../../scan/output-formats.js";
import { MAX_SCAN_THREADS } from "../../scan/parallel-scan.js";
import { RULES } from "../../scan/rules.js";
import { scanFiles, writeScanBaseline } from "../../scan/scan-files.js";
import { DEFAULT_MAX_FILE_BYTES, type ScanSource } from "../../scan/sources.js";
import { type CommandSpec, emit, note } from "../command.js";
import type { CommandContext } from "../context.js";
import { progressLine } from "../progress.js";
import type { NameChoice } from "./scan-fix.js";

const VERSION = "0.1.0";

// Only what every scan needs is imported up front: a pre-commit hook pays for each module it
// loads. --fix and --name (scan-fix.ts, the vault) and the baseline module load on demand.

/** Resolves a path the user typed against the CLI's working folder. */
function resolvePath(ctx: CommandContext, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.io.cwd, path);
}

/** The agent's folder in the file store: fingerprints and exposures live there. */
export function agentDirOf(ctx: CommandContext): string {
  return join(ctx.home, "agents", ctx.agent);
}

function parseFormat(ctx: CommandContext, value: unknown): ScanFormat {
  const format = value === undefined ? (ctx.json ? "json" : "text") : String(value);
  if (!(SCAN_FORMATS as readonly string[]).includes(format)) {
    throw vaultError("USAGE", "Unknown --format.", "Use --format text, json or sarif.");
  }
  return format as ScanFormat;
}

function print(ctx: CommandContext, format: ScanFormat, report: ScanReport): void {
  if (format === "sarif") {
    ctx.io.stdout(`${JSON.stringify(formatSarif(report, sarifRules(), VERSION), null, 2)}\n`);
  } else if (format === "json") {
    ctx.io.stdout(`${JSON.stringify(formatJson(report), null, 2)}\n`);
  } else {
    const lines = formatText(report);
    if (lines.length > 0) ctx.io.stdout(`${lines.join("\n")}\n`);
    const counts = countFindings(report.findings);
    const { errors, warnings } = counts;
    const files = new Set(report.findings.map((f) => f.file)).size;
    const skipped =
      report.skipped.length > 0
        ? `; ${report.skipped.length} skipped (binary, too large or unreadable)`
        : "";
    const suppressed = report.suppressed.baseline + report.suppressed.config;
    ctx.io.stderr(
      report.findings.length === 0
        ? `vault scan: no secrets found in ${report.scanned} file(s)${skipped}${suppressed ? `; ${suppressed} suppressed` : ""}.\n`
        : `vault scan: ${errors} secret(s) and ${warnings} warning(s) in ${files} of ${report.scanned} file(s)${skipped}${rotatedSummary(counts)}.\n`,
    );
  }
}

function sarifRules() {
  return [
    {
      id: VAULT_SECRET_RULE,
      description: "A value stored in the agent's vault",
      severity: "error" as const,
      confidence: "high" as const,
    },
    ...RULES,
  ];
}

const scan: CommandSpec = {
  name: "scan",
  opensStore: false,
  summary: "find credentials and the vault's own secrets in files (exit 1 when found)",
  args: ["[paths...]"],
  options: [
    ["--staged", "scan what is staged for the next git commit"],
    [
      "--history [range]",
      "scan every line each commit added (all refs, or RANGE); PATHs limit it to those paths",
    ],
    [
      "--since <date>",
      "with --history: only commits after DATE, or `last`: only what the last whole --history scan here did not read",
    ],
    ["--format <format>", "text (default), json or sarif"],
    ["--strict", "exit 1 on warnings too"],
    ["--baseline <file>", "skip the findings recorded in this baseline file"],
    ["--update-baseline", "record the current findings in --baseline FILE and exit 0"],
    ["--config <file>", `ignores file (default ./${CONFIG_FILE} when present)`],
    ["--fix", "move each credential found into the vault and leave vault://AGENT/NAME"],
    [
      "--name <name>",
      "with --fix: the secret name (one credential), or LINE=NAME / FILE:LINE=NAME entries, comma-separated",
    ],
    [
      "--threads <n>",
      `threads for a long scan of files (default: one per core, at most 4; 1 to ${MAX_SCAN_THREADS})`,
    ],
    ["--list-rules", "list the rules and exit"],
  ],
  help: `
With no PATH, scans the agent workspace files here: SOUL.md, AGENTS.md, MEMORY.md, TOOLS.md,
USER.md, IDENTITY.md, HEARTBEAT.md, BOOTSTRAP.md, BOOT.md, memory/**, skills/*/SKILL.md.
"-" reads stdin. Folders are walked with .gitignore honoured. A finding shows at most the
first 4 characters of the secret. Skip a line with a "vault-allow" (or "vault-allow: RULE")
comment on it. Exit 0 clean, 1 found, 2 error. A value the vault held and no longer treats as
valid (rotated out, replaced, removed) is reported as "exposed, already rotated": a warning,
not recorded as an exposure, failing only with --strict.

--history reads the repository's history through one git process and scans each added line
once, at the commit that added it (a file content already read is not read again). A vault
secret found there is recorded as exposed with its commit: \`vault status\` lists it and
\`vault rotate\` rotates it. A whole-history scan remembers where it got to; a nightly job runs
\`vault scan --history --since last\` to read only the new commits.`,
  async run(ctx, args, options) {
    if (options.listRules) {
      const rules = sarifRules();
      emit(
        ctx,
        {
          rules: rules.map(({ id, description, severity, confidence }) => ({
            id,
            description,
            severity,
            confidence: confidence ?? "high",
          })),
        },
        rules.map(
          (r) =>
            `${r.id.padEnd(34)} ${r.severity.padEnd(8)} ${(r.confidence ?? "high").padEnd(7)} ${r.description}`,
        ),
      );
      return 0;
    }
    const format = parseFormat(ctx, options.format);
    const staged = options.staged === true;
    const fix = options.fix === true;
    const fixing = fix || options.name !== undefined ? await import("./scan-fix.js") : undefined;
    const nameChoice: NameChoice = fixing?.parseNameChoice(options.name) ?? { kind: "none" };
    if (nameChoice.kind !== "none" && !fix) {
      throw vaultError(
        "USAGE",
        "--name goes with --fix.",
        "Run `vault scan --fix --name NAME FILE`.",
      );
    }
    if (fix && (staged || args.includes("-"))) {
      throw vaultError(
        "USAGE",
        "--fix rewrites files; it cannot fix staged content or stdin.",
        "Name the files to fix.",
      );
    }
    const history = options.history !== undefined;
    if (options.since !== undefined && !history) {
      throw vaultError(
        "USAGE",
        "--since goes with --history.",
        "Run `vault scan --history --since DATE`.",
      );
    }
    if (history && (staged || fix || options.updateBaseline || args.includes("-"))) {
      throw vaultError(
        "USAGE",
        "--history cannot be combined with --staged, --fix, --update-baseline or stdin.",
        "Run `vault scan --history` on its own (with --baseline, --config, --format, --strict).",
      );
    }
    const threads = parseThreads(options.threads);
    if (threads !== undefined && (staged || history)) {
      throw vaultError(
        "USAGE",
        "--threads is for a scan of files and folders; --staged and --history scan on one thread.",
        "Leave out --threads.",
      );
    }
    const baselinePath =
      options.baseline === undefined ? undefined : resolvePath(ctx, String(options.baseline));
    if (options.updateBaseline && !baselinePath) {
      throw vaultError(
        "USAGE",
        "--update-baseline needs --baseline FILE.",
        "e.g. vault scan --baseline .vault-baseline.json --update-baseline",
      );
    }
    const configPath =
      options.config === undefined
        ? join(ctx.io.cwd, CONFIG_FILE)
        : resolvePath(ctx, String(options.config));
    const config = await readScanConfig(configPath, options.config !== undefined);
    const filter = configFilter(config);
    if (history) {
      return runHistory(ctx, args, options, {
        format,
        filter,
        maxBytes: config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
        baselinePath,
      });
    }
    if (staged && args.length > 0) {
      throw vaultError("USAGE", "--staged takes no paths.", "Run `vault scan --staged` alone.");
    }
    const progress = progressLine(ctx);
    const fromStdin = args.includes("-");
    const result = await scanFiles(
      {
        cwd: ctx.io.cwd,
        paths: args.filter((path) => path !== "-"),
        staged,
        env: ctx.io.env,
        ...(fromStdin ? { stdin: await ctx.io.readStdin() } : {}),
      },
      {
        agentDir: agentDirOf(ctx),
        config,
        ...(baselinePath ? { baselinePath } : {}),
        ignoreBaseline: options.updateBaseline === true,
        ...(threads === undefined ? {} : { threads }),
        now: ctx.io.now(),
        onProgress: (text) => progress.show(text, true),
      },
    ).finally(() => progress.end());
    const { report, bySource } = result;
    if (options.updateBaseline && baselinePath) {
      const count = await writeScanBaseline(baselinePath, result);
      emit(
        ctx,
        { baseline: baselinePath, findings: count },
        `Baseline written: ${count} finding(s) recorded in ${baselinePath}.`,
      );
      return 0;
    }
    let finalReport = report;
    if (fixing && fix && bySource.length > 0) {
      const { fixed, remaining } = await fixing.fixFindings(ctx, bySource, nameChoice);
      for (const f of fixed) {
        note(
          ctx,
          `Fixed ${f.file}:${f.line}: ${f.rule} → ${formatVaultReference(ctx.agent, f.name)}`,
        );
      }
      finalReport = { ...report, findings: remaining.flatMap((s) => s.findings) };
    }
    print(ctx, format, finalReport);
    return scanExitCode(finalReport.findings, options.strict === true);
  },
};

/** `vault scan --history`: the same fingerprints, baseline and filter, over the history. */
async function runHistory(
  ctx: CommandContext,
  args: string[],
  options: Record<string, unknown>,
  common: {
    format: ScanFormat;
    filter: ConfigFilter;
    maxBytes: number;
    baselinePath: string | undefined;
  },
): Promise<number> {
  const agentDir = agentDirOf(ctx);
  const matcher = await readFingerprints(agentDir);
  const { baselinePath } = common;
  const baselines = baselinePath ? await import("../../scan/baseline.js") : undefined;
  const baseline = baselinePath ? await baselines?.readBaseline(baselinePath) : undefined;
  const { runHistoryScan } = await import("./scan-history.js");
  return runHistoryScan(ctx, args, options, {
    format: common.format,
    maxBytes: common.maxBytes,
    agentDir,
    strict: options.strict === true,
    sarifRules: sarifRules(),
    version: VERSION,
    scanOptions: {
      filter: common.filter,
      ...(matcher ? { matcher } : {}),
      ...(baseline && baselines && baselinePath
        ? {
            baseline: baselines.baselineMatcher(baseline),
            baselineKeys: baselines.baselineKeys,
            baselineFile: (source: ScanSource) =>
              source.path
                ? relative(dirname(baselinePath), source.path).split(sep).join("/")
                : source.file,
          }
        : {}),
    },
  });
}

/** The scan command. */
export const scanCommands: CommandSpec[] = [scan];

/** `--threads N`: a whole number from 1 to {@link MAX_SCAN_THREADS}; undefined when not given. */
function parseThreads(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const threads = /^[0-9]+$/.test(text) ? Number(text) : 0;
  if (threads < 1 || threads > MAX_SCAN_THREADS) {
    throw vaultError(
      "USAGE",
      `--threads takes a whole number from 1 to ${MAX_SCAN_THREADS}.`,
      "e.g. vault scan --threads 2 .",
    );
  }
  return threads;
}
