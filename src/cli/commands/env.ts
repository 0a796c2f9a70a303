/**
 * `vault env`: the agent's secrets as environment variables for shells and CI (issue 5).
 * Formatting and checks live in src/export/; this file reads the flags and the environment
 * ($GITHUB_ENV, $RUNNER_OS) and decides where the text goes.
 */
import { isVaultError, type VaultError, vaultError } from "../../errors.js";
import { appendExportFile, checkExportTarget, writeExportFile } from "../../export/file.js";
import {
  EXPORT_FORMATS,
  type ExportFormat,
  isExportFormat,
  renderExport,
  splitExportable,
} from "../../export/render.js";
import type { ExportOptions } from "../../vault.js";
import { type CommandSpec, emit, note } from "../command.js";
import { parseNameList, resolvePath, withVault } from "../context.js";

function parseFormat(value: unknown): ExportFormat {
  const format = value === undefined ? "dotenv" : String(value);
  if (!isExportFormat(format)) {
    throw vaultError(
      "USAGE",
      "Unknown --format.",
      `Formats: ${EXPORT_FORMATS.join(", ")} (default dotenv).`,
    );
  }
  return format;
}

const HELP = `
Formats:
  dotenv   NAME='value' lines the dotenv package reads back exactly (a value it cannot
           carry is refused: use json or shell); not shell syntax, do not source it
  shell    export NAME='value' lines, for eval "$(vault env --format shell)"
  json     one JSON object {"NAME": "value"}
  github   ::add-mask:: lines on stdout, then NAME<<DELIM blocks appended to $GITHUB_ENV
           (or to --out FILE); never $GITHUB_OUTPUT
  gitlab   NAME=value lines for a GitLab dotenv report (single-line values without
           surrounding spaces); warns for each value GitLab cannot mask

Names that change how later steps load code (PATH, NODE_OPTIONS, LD_*, DYLD_*, BASH_ENV,
ENV, GITHUB_*, RUNNER_*, PYTHON*, ...) are refused unless allowed with --allow-name NAME.
A secret the format refuses (such a name, a value it cannot carry) is skipped and named on
stderr with why; the others are exported and the exit code is 0. With --strict, it fails
the whole export instead (exit 2, nothing written).
--out FILE is written whole or not at all (temp file, fsync, rename) with mode 0600; an
existing regular file of yours is replaced (with --format github, appended to, like
$GITHUB_ENV); symlinks, folders and devices are refused.
Every export is in the audit log (names and format, never values).

Examples:
  eval "$(vault env --format shell --only OPENAI_API_KEY)"
  vault env --format github --tag ci
  vault env --format json --prefix APP_ --out secrets.json
`;

const env: CommandSpec = {
  name: "env",
  summary: "print secrets as environment variables (dotenv, shell, json, github, gitlab)",
  options: [
    ["--format <format>", `output format: ${EXPORT_FORMATS.join("|")} (default dotenv)`],
    ["--only <names...>", "only these secrets (comma-separated, repeatable)"],
    ["--prefix <prefix>", "added in front of every variable name"],
    ["--tag <tag>", "only secrets with this tag"],
    ["--out <file>", "write to this file (mode 0600) instead of stdout / $GITHUB_ENV"],
    [
      "--allow-name <names...>",
      "allow these dangerous variable names (comma-separated, repeatable)",
    ],
    ["--strict", "a secret that cannot be exported fails the whole export (nothing written)"],
  ],
  help: HELP,
  async run(ctx, _args, options) {
    const format = parseFormat(options.format);
    const only = parseNameList(options.only, "--only");
    const allowNames = parseNameList(options.allowName, "--allow-name") ?? [];
    const outOption = options.out as string | undefined;
    const out = outOption === undefined ? undefined : resolvePath(ctx.io, outOption);
    let envFile: string | undefined;
    if (format === "github") {
      envFile = out ?? ctx.io.env.GITHUB_ENV;
      if (!envFile) {
        throw vaultError(
          "USAGE",
          "--format github appends to the file named by $GITHUB_ENV, which is not set.",
          "Run it in a GitHub Actions step, or name a file with --out FILE.",
        );
      }
      envFile = resolvePath(ctx.io, envFile);
    }
    const exportOptions: ExportOptions = { purpose: `format=${format}` };
    if (only !== undefined) exportOptions.only = only;
    if (options.tag !== undefined) exportOptions.tag = options.tag as string;
    if (options.prefix !== undefined) exportOptions.prefix = options.prefix as string;

    // A file that would be refused fails before any value leaves the vault.
    if (envFile !== undefined) await checkExportTarget(envFile, { append: true });
    else if (out !== undefined) await checkExportTarget(out);

    const { names, skipped } = await withVault(ctx, async (vault) => {
      const entries = await vault.exportSecrets(exportOptions);
      const renderOptions = { allowNames, windows: ctx.io.env.RUNNER_OS === "Windows" };
      // Values that left the vault (audited "ok") but are not exported: said so in the log.
      const auditNotExported = (list: typeof entries, error: VaultError) => {
        const refused = error.code === "INVALID_INPUT";
        return vault
          .recordAudit(
            list.map((entry) => ({
              op: "export",
              secret: entry.name,
              detail: `format=${format} ${refused ? "refused" : "not written"}`,
              result: refused ? ("denied" as const) : ("error" as const),
              code: error.code,
            })),
          )
          .catch(() => undefined);
      };
      let pending = entries;
      try {
        // One refused secret does not block the others, unless --strict.
        const split =
          options.strict === true
            ? { accepted: entries, refused: [] }
            : await splitExportable(format, entries, renderOptions);
        for (const { entry, error } of split.refused) {
          ctx.io.stderr(`vault: skipped ${entry.envName}: ${error.message}\n  ${error.hint}\n`);
          await auditNotExported([entry], error);
        }
        pending = split.accepted;
        const rendered = await renderExport(format, split.accepted, renderOptions);
        for (const warning of rendered.warnings) {
          ctx.io.stderr(`vault: warning: ${warning.message}\n`);
        }
        if (envFile !== undefined) {
          // Masks first: the runner must know the values before they exist anywhere in the job.
          ctx.io.stdout(rendered.masks ?? "");
          await appendExportFile(envFile, rendered.text);
        } else if (out !== undefined) {
          await writeExportFile(out, rendered.text);
        } else {
          ctx.io.stdout(rendered.text);
        }
        return {
          names: split.accepted.map((entry) => entry.envName),
          skipped: split.refused.map(({ entry, error }) => ({
            name: entry.name,
            variable: entry.envName,
            code: error.code,
            reason: error.message,
          })),
        };
      } catch (error) {
        if (isVaultError(error)) await auditNotExported(pending, error);
        throw error;
      }
    });

    if (names.length === 0 && skipped.length === 0) {
      note(ctx, "No secrets selected; nothing exported.");
    }
    const file = envFile ?? out;
    if (file !== undefined) {
      const count = `${names.length} variable${names.length === 1 ? "" : "s"}`;
      if (ctx.json) emit(ctx, { agent: ctx.agent, format, file, names, skipped }, []);
      else
        note(
          ctx,
          `Exported ${count} to ${file}${names.length > 0 ? `: ${names.join(", ")}` : ""}.`,
        );
    }
    return 0;
  },
};

/** `vault env` commands. */
export const envCommands: CommandSpec[] = [env];
