/**
 * `vault scan [PATH...]`: finds credentials and the vault's own secrets in files, staged
 * blobs (`--staged`) or stdin (`-`), without unlocking the vault. `--fix` moves what it finds
 * into the vault and leaves `vault://AGENT/NAME` in its place.
 */
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isVaultError, vaultError } from "../../errors.js";
import { checkAgentId, checkSecretName, DEFAULT_AGENT } from "../../names.js";
import { formatVaultReference } from "../../reference.js";
import type { Baseline } from "../../scan/baseline.js";
import { CONFIG_FILE, type ConfigFilter, configFilter, readScanConfig } from "../../scan/config.js";
import { VAULT_SECRET_RULE } from "../../scan/engine.js";
import { readFingerprints, recordExposures } from "../../scan/fingerprints.js";
import { type Replacement, replaceInFile, spanOfWholeValue } from "../../scan/fix.js";
import {
  formatJson,
  formatSarif,
  formatText,
  SCAN_FORMATS,
  type ScanFormat,
  type ScanReport,
} from "../../scan/formats.js";
import type { Finding } from "../../scan/rule.js";
import { findRule, RULES } from "../../scan/rules.js";
import { type SourceFindings, scanSources } from "../../scan/scan.js";
import {
  type Collected,
  collectFiles,
  collectStaged,
  DEFAULT_MAX_FILE_BYTES,
  type ScanSource,
  workspacePaths,
} from "../../scan/sources.js";
import type { Vault } from "../../vault.js";
import { type CommandSpec, emit, note } from "../command.js";
import type { CommandContext } from "../context.js";
import type { CliIo } from "../io.js";
import { progressLine } from "../progress.js";

const VERSION = "0.1.0";

// Only what every scan needs is imported up front: a pre-commit hook pays for each module it
// loads. The vault (for --fix) and the baseline module load on demand.

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

async function collect(
  ctx: CommandContext,
  paths: string[],
  staged: boolean,
  maxBytes: number,
): Promise<Collected> {
  const { io } = ctx;
  if (staged) {
    if (paths.length > 0) {
      throw vaultError("USAGE", "--staged takes no paths.", "Run `vault scan --staged` alone.");
    }
    return collectStaged({ cwd: io.cwd, ...(io.env.PATH ? { env: io.env } : {}) }, maxBytes);
  }
  const fromStdin = paths.includes("-");
  const files = paths.filter((path) => path !== "-");
  const collected =
    files.length > 0 || fromStdin
      ? await collectFiles(io.cwd, files, maxBytes)
      : await collectFiles(io.cwd, await workspacePaths(io.cwd), maxBytes);
  if (fromStdin) collected.sources.push({ file: "(stdin)", content: await io.readStdin() });
  return collected;
}

/**
 * What `--name` says: one name for the one credential found (`--name NAME`), or a name per
 * finding (`--name LINE=NAME,FILE:LINE=NAME`).
 */
type NameChoice =
  | { kind: "none" }
  | { kind: "one"; name: string }
  | { kind: "per-finding"; names: Array<{ file?: string; line: number; name: string }> };

/** Parses `--name`; a malformed entry is a usage error naming the form expected. */
function parseNameChoice(value: unknown): NameChoice {
  if (value === undefined) return { kind: "none" };
  const text = String(value);
  if (!text.includes("=")) return { kind: "one", name: checkSecretName(text) };
  const names = text.split(",").map((entry) => {
    const match = /^(?:(.+):)?([1-9][0-9]{0,8})=([^=]+)$/.exec(entry.trim());
    if (!match) {
      throw vaultError(
        "USAGE",
        "--name takes NAME, or LINE=NAME and FILE:LINE=NAME entries separated by commas.",
        "e.g. vault scan --fix --name 3=GITHUB_TOKEN,MEMORY.md:7=NPM_TOKEN SOUL.md MEMORY.md",
      );
    }
    return {
      ...(match[1] !== undefined ? { file: match[1] } : {}),
      line: Number(match[2]),
      name: checkSecretName(match[3] as string),
    };
  });
  return { kind: "per-finding", names };
}

/** The name `--name LINE=NAME` gives this finding, if any. */
function namedFor(choice: NameChoice, finding: Finding): string | undefined {
  if (choice.kind === "one") return choice.name;
  if (choice.kind === "none") return undefined;
  return choice.names.find(
    (entry) =>
      entry.line === finding.line && (entry.file === undefined || entry.file === finding.file),
  )?.name;
}

/** Asks the terminal for a finding's name; Enter takes the rule's suggestion. */
async function askName(ctx: CommandContext, finding: Finding): Promise<string> {
  const suggested = findRule(finding.ruleId)?.suggestedName ?? "SECRET";
  const question = `Vault name for the ${finding.description} at ${finding.file}:${finding.line} [${suggested}]: `;
  let answer: string;
  try {
    answer = (await ctx.io.promptHidden(question)).trim();
  } catch {
    throw vaultError("USAGE", "The prompt was interrupted; nothing was fixed.", "Run it again.");
  }
  return checkSecretName(answer === "" ? suggested : answer);
}

/** Why `name` cannot hold `secret`: another value in the vault, or in this run. */
async function nameClash(
  vault: Vault,
  chosen: ReadonlyMap<string, string>,
  name: string,
  secret: string,
): Promise<string | undefined> {
  const inRun = chosen.get(name);
  if (inRun !== undefined && inRun !== secret) {
    return `${name} is already the name of another credential in this fix.`;
  }
  if (inRun === undefined && (await vault.has(name)) && (await vault.get(name)) !== secret) {
    return `Secret ${name} already exists with another value.`;
  }
  return undefined;
}

interface FixOutcome {
  fixed: Array<{ file: string; line: number; rule: string; name: string }>;
  remaining: SourceFindings[];
}

/**
 * Names each found credential (checking each name as it is chosen), stores it in the vault
 * and rewrites its file with references. Off a terminal, a credential `--name` does not name
 * is left as it is (and reported); on one, its name is asked for.
 */
async function fixFindings(
  ctx: CommandContext,
  bySource: SourceFindings[],
  choice: NameChoice,
): Promise<FixOutcome> {
  const found = bySource.flatMap((s) => s.findings);
  const toStore = found.filter((f) => f.severity === "error" && f.ruleId !== VAULT_SECRET_RULE);
  if (choice.kind === "one" && new Set(toStore.map((f) => f.match)).size > 1) {
    throw vaultError(
      "USAGE",
      `--name names one secret, and the scan found ${toStore.length} different ones.`,
      "Name each: --name LINE=NAME,FILE:LINE=NAME, or run on a terminal to be asked.",
    );
  }
  if (choice.kind === "per-finding") {
    for (const entry of choice.names) {
      if (!toStore.some((f) => namedFor({ kind: "per-finding", names: [entry] }, f))) {
        throw vaultError(
          "USAGE",
          `--name ${entry.file ? `${entry.file}:` : ""}${entry.line}=${entry.name} names no credential found; nothing was fixed.`,
          "Use the FILE:LINE the scan prints for the finding.",
        );
      }
    }
  }
  if (choice.kind === "none" && toStore.length > 0 && !ctx.io.isTTY) {
    throw vaultError(
      "USAGE",
      "--fix needs a secret name: --name NAME, or a terminal to ask on.",
      "Run it on a terminal, or name each finding with --name LINE=NAME.",
    );
  }
  const foundVaultSecrets = found.some((f) => f.ruleId === VAULT_SECRET_RULE);
  if (toStore.length === 0 && !foundVaultSecrets) return { fixed: [], remaining: bySource };
  const { withVault } = await import("../context.js");
  const fixed: FixOutcome["fixed"] = [];
  await withVault(ctx, async (vault) => {
    // secret -> name, and name -> secret, as chosen; each name is checked when it is chosen.
    const names = new Map<string, string>();
    const chosen = new Map<string, string>();
    for (const finding of toStore) {
      if (names.has(finding.match)) continue;
      const given = namedFor(choice, finding);
      if (given === undefined && !ctx.io.isTTY) continue;
      for (;;) {
        const name = given ?? (await askName(ctx, finding));
        const clash = await nameClash(vault, chosen, name, finding.match);
        if (clash === undefined) {
          names.set(finding.match, name);
          chosen.set(name, finding.match);
          break;
        }
        if (given !== undefined) {
          throw vaultError(
            "ALREADY_EXISTS",
            `${clash} Nothing was fixed.`,
            "Choose another name (--name), or `vault set` it yourself first.",
          );
        }
        note(ctx, `${clash} Choose another name.`);
      }
    }
    for (const [secret, name] of names) {
      if (!(await vault.has(name))) await vault.set(name, secret);
    }
    for (const { source, findings } of bySource) {
      const fixable = findings.filter(
        (f) => f.ruleId === VAULT_SECRET_RULE || (f.severity === "error" && names.has(f.match)),
      );
      if (fixable.length === 0 || !source.path) continue;
      const content = source.content.toString("utf8");
      const replacements: Replacement[] = [];
      for (const f of fixable) {
        const name = f.secretName ?? (names.get(f.match) as string);
        // A vault secret's value is read to replace all of it (its fingerprints may cover
        // only part).
        const span =
          f.ruleId === VAULT_SECRET_RULE ? spanOfWholeValue(content, await vault.get(name), f) : f;
        replacements.push({ ...span, text: formatVaultReference(ctx.agent, name) });
      }
      await replaceInFile(source.path, content, replacements);
      const reported = new Set<string>();
      for (const f of fixable) {
        const name = f.secretName ?? (names.get(f.match) as string);
        const key = `${f.line}:${f.ruleId}:${name}`;
        if (reported.has(key)) continue; // pieces of one value found apart: one fix
        reported.add(key);
        fixed.push({ file: f.file, line: f.line, rule: f.ruleId, name });
        await vault.recordAudit({
          op: "scan-fix",
          secret: name,
          detail: `file=${f.file} line=${f.line} rule=${f.ruleId}`,
          result: "ok",
        });
      }
    }
  });
  const done = new Set(fixed.map((f) => `${f.file}:${f.line}:${f.rule}`));
  const remaining = bySource
    .map((s) => ({
      ...s,
      findings: s.findings.filter((f) => !done.has(`${f.file}:${f.line}:${f.ruleId}`)),
    }))
    .filter((s) => s.findings.length > 0);
  return { fixed, remaining };
}

function print(ctx: CommandContext, format: ScanFormat, report: ScanReport): void {
  if (format === "sarif") {
    ctx.io.stdout(`${JSON.stringify(formatSarif(report, sarifRules(), VERSION), null, 2)}\n`);
  } else if (format === "json") {
    ctx.io.stdout(`${JSON.stringify(formatJson(report), null, 2)}\n`);
  } else {
    const lines = formatText(report);
    if (lines.length > 0) ctx.io.stdout(`${lines.join("\n")}\n`);
    const errors = report.findings.filter((f) => f.severity === "error").length;
    const warnings = report.findings.length - errors;
    const files = new Set(report.findings.map((f) => f.file)).size;
    const skipped =
      report.skipped.length > 0
        ? `; ${report.skipped.length} skipped (binary, too large or unreadable)`
        : "";
    const suppressed = report.suppressed.baseline + report.suppressed.config;
    ctx.io.stderr(
      report.findings.length === 0
        ? `vault scan: no secrets found in ${report.scanned} file(s)${skipped}${suppressed ? `; ${suppressed} suppressed` : ""}.\n`
        : `vault scan: ${errors} secret(s) and ${warnings} warning(s) in ${files} of ${report.scanned} file(s)${skipped}.\n`,
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
    ["--list-rules", "list the rules and exit"],
  ],
  help: `
With no PATH, scans the agent workspace files here: SOUL.md, AGENTS.md, MEMORY.md, TOOLS.md,
USER.md, IDENTITY.md, HEARTBEAT.md, BOOTSTRAP.md, BOOT.md, memory/**, skills/*/SKILL.md.
"-" reads stdin. Folders are walked with .gitignore honoured. A finding shows at most the
first 4 characters of the secret. Skip a line with a "vault-allow" (or "vault-allow: RULE")
comment on it. Exit 0 clean, 1 found, 2 error.

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
    const nameChoice = parseNameChoice(options.name);
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
    const progress = progressLine(ctx);
    progress.show("Reading files…", true);
    const collected = await collect(
      ctx,
      args,
      staged,
      config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    ).catch((error: unknown) => {
      progress.end();
      throw error;
    });
    const agentDir = agentDirOf(ctx);
    const matcher = await readFingerprints(agentDir);
    const baselines = baselinePath ? await import("../../scan/baseline.js") : undefined;
    let baseline: Baseline | undefined;
    if (baselinePath && !options.updateBaseline) {
      baseline = await baselines?.readBaseline(baselinePath);
    }
    const baselineFile = (source: ScanSource) =>
      baselinePath && source.path
        ? relative(dirname(baselinePath), source.path).split(sep).join("/")
        : source.file;
    const bytes = collected.sources.reduce((sum, source) => sum + source.content.length, 0);
    progress.show(
      `Scanning ${collected.sources.length} file(s), ${(bytes / 1048576).toFixed(1)} MiB…`,
      true,
    );
    const { report, bySource } = scanSources(collected.sources, collected.skipped, {
      filter,
      baselineFile,
      ...(matcher ? { matcher } : {}),
      ...(baseline && baselines
        ? { baseline: baselines.baselineMatcher(baseline), baselineKeys: baselines.baselineKeys }
        : {}),
    });
    progress.end();
    const exposures = bySource.flatMap(({ source, findings }) =>
      findings
        .filter((f) => f.secretName !== undefined)
        .map((f) => ({
          name: f.secretName as string,
          file: source.path ? resolve(source.path) : source.file,
          line: f.line,
        })),
    );
    if (exposures.length > 0) await recordExposures(agentDir, exposures, ctx.io.now());
    if (options.updateBaseline && baselinePath && baselines) {
      const keys = bySource.flatMap(({ source, text, findings }) =>
        baselines.baselineKeys(baselineFile(source), text, findings),
      );
      const count = await baselines.writeBaseline(baselinePath, keys);
      emit(
        ctx,
        { baseline: baselinePath, findings: count },
        `Baseline written: ${count} finding(s) recorded in ${baselinePath}.`,
      );
      return 0;
    }
    let finalReport = report;
    if (fix && bySource.length > 0) {
      const { fixed, remaining } = await fixFindings(ctx, bySource, nameChoice);
      for (const f of fixed) {
        note(
          ctx,
          `Fixed ${f.file}:${f.line}: ${f.rule} → ${formatVaultReference(ctx.agent, f.name)}`,
        );
      }
      finalReport = { ...report, findings: remaining.flatMap((s) => s.findings) };
    }
    print(ctx, format, finalReport);
    const errors = finalReport.findings.filter((f) => f.severity === "error").length;
    const warnings = finalReport.findings.length - errors;
    return errors > 0 || (options.strict === true && warnings > 0) ? 1 : 0;
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

/**
 * `vault scan` as the pre-commit hook runs it, without commander, the other commands or the
 * vault's modules: `vault scan [--staged] [--strict] [--json] [--format F] [--agent A]
 * [--home H] [PATH...]`. `undefined` for any other command line (the full CLI takes it).
 * Errors print as the full CLI prints them.
 */
export async function runScanFast(argv: string[], io: CliIo): Promise<number | undefined> {
  // Before the command only the global options a hook passes: --agent A, --home H, --json.
  let command = 0;
  while (["--agent", "--home", "--json"].includes(argv[command] ?? "")) {
    command += argv[command] === "--json" ? 1 : 2;
  }
  if (argv[command] !== "scan") return undefined;
  const options: Record<string, unknown> = {};
  const paths: string[] = [];
  let agent: string | undefined;
  let home: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = argv[i + 1];
    if (i === command) continue;
    if (arg === "--staged" || arg === "--strict" || arg === "--json") {
      options[arg === "--json" ? "json" : arg.slice(2)] = true;
    } else if (
      (arg === "--format" || arg === "--agent" || arg === "--home") &&
      value !== undefined
    ) {
      if (arg === "--format") options.format = value;
      if (arg === "--agent") agent = value;
      if (arg === "--home") home = value;
      i++;
    } else if (arg === "-" || !arg.startsWith("-")) {
      paths.push(arg);
    } else {
      return undefined;
    }
  }
  const json = options.json === true;
  try {
    const agentId = checkAgentId(agent ?? io.env.AGENT_VAULT_AGENT ?? DEFAULT_AGENT);
    const homeOption = home ?? io.env.AGENT_VAULT_HOME;
    const ctx = {
      io,
      options: {},
      json,
      agent: agentId,
      home: homeOption
        ? resolve(io.cwd, homeOption)
        : join(io.env.HOME ?? homedir(), ".agent-vault"),
    } as unknown as CommandContext;
    return await scan.run(ctx, paths, options);
  } catch (error) {
    if (!isVaultError(error)) throw error;
    if (json) io.stdout(`${JSON.stringify({ error: error.toJSON() })}\n`);
    else io.stderr(`vault: ${error.message}\n  ${error.hint}\n`);
    return error.exitCode;
  }
}
