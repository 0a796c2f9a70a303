/**
 * `agent-vault/export`: the building blocks of `vault env` and `vault run` (each export
 * format, the dangerous-name rule, export files, the output redactor).
 */
export { formatDotenv, quoteDotenv } from "../export/dotenv.js";
export { appendExportFile, checkExportTarget, writeExportFile } from "../export/file.js";
export { formatGithubEnvFile, formatGithubMasks, githubMaskValues } from "../export/github.js";
export {
  type ExportWarning,
  formatGitlab,
  GITLAB_MASKABLE_PATTERN,
  gitlabMaskProblems,
} from "../export/gitlab.js";
export { formatJson } from "../export/json.js";
export {
  EXPORT_FORMATS,
  type ExportFormat,
  isExportFormat,
  type RenderExportOptions,
  type RenderedExport,
  renderExport,
} from "../export/render.js";
export { formatShell, quoteShell } from "../export/shell.js";
export {
  type CheckExportOptions,
  CREDENTIAL_WORDS,
  checkExportEntries,
  DANGEROUS_ENV_ENDINGS,
  DANGEROUS_ENV_NAMES,
  DANGEROUS_ENV_PREFIXES,
  DANGEROUS_ENV_WORDS,
  dangerousEnvNameReason,
  type ExportEntry,
  TOOL_ENV_PREFIXES,
} from "../export/variable-names.js";
export { createRedactStream, type MaskPattern, maskPatterns, Redactor } from "../run/mask.js";
