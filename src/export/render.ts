/**
 * The export formats of `vault env`, one function from checked entries to text.
 */
import { isVaultError, type VaultError } from "../errors.js";
import { formatDotenv } from "./dotenv.js";
import { formatGithubEnvFile, formatGithubMasks } from "./github.js";
import { type ExportWarning, formatGitlab } from "./gitlab.js";
import { formatJson } from "./json.js";
import { formatShell } from "./shell.js";
import { type CheckExportOptions, checkExportEntries, type ExportEntry } from "./variable-names.js";

/** The formats, in help order. */
export const EXPORT_FORMATS = ["dotenv", "shell", "json", "github", "gitlab"] as const;

/** One export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** True when `format` names an {@link ExportFormat}. */
export function isExportFormat(format: string): format is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(format);
}

/** Options of {@link renderExport}. */
export interface RenderExportOptions extends CheckExportOptions {
  /** `github`: the runner is on Windows (CRLF lines). */
  windows?: boolean;
  /** `github`: delimiter source (tests). */
  delimiter?: () => string;
}

/** An export as text. */
export interface RenderedExport {
  /**
   * The export: for `github` the `$GITHUB_ENV` blocks, otherwise what goes to stdout or
   * `--out`.
   */
  text: string;
  /** `github` only: the `::add-mask::` lines, to print on stdout before anything else. */
  masks?: string;
  /** Notes for a person (`gitlab`: values GitLab cannot mask). Never hold values. */
  warnings: ExportWarning[];
}

/**
 * Checks the entries ({@link checkExportEntries}), then writes them in `format`.
 * @throws VaultError INVALID_INPUT (a refused name, a NUL, a value the format cannot carry)
 */
export async function renderExport(
  format: ExportFormat,
  entries: readonly ExportEntry[],
  options: RenderExportOptions = {},
): Promise<RenderedExport> {
  checkExportEntries(entries, options);
  switch (format) {
    case "dotenv":
      return { text: await formatDotenv(entries), warnings: [] };
    case "shell":
      return { text: formatShell(entries), warnings: [] };
    case "json":
      return { text: formatJson(entries), warnings: [] };
    case "github":
      return {
        text: formatGithubEnvFile(entries, options),
        masks: formatGithubMasks(entries),
        warnings: [],
      };
    case "gitlab":
      return formatGitlab(entries);
  }
}

/** What {@link splitExportable} found: the entries `format` can carry, and the others with why. */
export interface ExportSplit {
  accepted: ExportEntry[];
  /** Each refused entry with its INVALID_INPUT error (naming the secret, never the value). */
  refused: Array<{ entry: ExportEntry; error: VaultError }>;
}

/**
 * Sorts entries into those `format` can export and those it refuses on their own (a refused
 * name, a NUL, a value the format cannot carry), so one refused secret need not block the
 * rest. Entries that collide with each other are left for {@link renderExport} to refuse.
 */
export async function splitExportable(
  format: ExportFormat,
  entries: readonly ExportEntry[],
  options: RenderExportOptions = {},
): Promise<ExportSplit> {
  const split: ExportSplit = { accepted: [], refused: [] };
  for (const entry of entries) {
    try {
      await renderExport(format, [entry], options);
      split.accepted.push(entry);
    } catch (error) {
      if (!isVaultError(error, "INVALID_INPUT")) throw error;
      split.refused.push({ entry, error });
    }
  }
  return split;
}
