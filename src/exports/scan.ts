/**
 * `agent-vault/scan`: the leak scanner as a library (rules, the engine, fingerprints of the
 * vault's values, history scans, SARIF, the pre-commit hook).
 */
export {
  maskPreview,
  type ScanTextOptions,
  type SecretMatch,
  type SecretMatcher,
  scanText,
  VAULT_SECRET_RULE,
} from "../scan/engine.js";
export {
  type Exposure,
  type FingerprintInput,
  type FingerprintMatcher,
  type FingerprintSummary,
  readExposures,
  readFingerprints,
  recordExposures,
  type UpdateFingerprintsOptions,
  updateFingerprints,
  type WriteFingerprintsOptions,
  writeFingerprints,
} from "../scan/fingerprints.js";
export {
  type HistoryFinding,
  type HistoryScanOptions,
  type HistoryScanResult,
  type HistorySkipped,
  scanHistory,
} from "../scan/history.js";
export {
  gitCommonDir,
  type HistoryPosition,
  readHistoryPosition,
  refTips,
  writeHistoryPosition,
} from "../scan/history-position.js";
export {
  type HookCommand,
  type HookResult,
  hookScript,
  installHook,
  uninstallHook,
} from "../scan/hook.js";
export {
  credentialsToStore,
  type FixedFinding,
  type MoveOutcome,
  moveFindingsToVault,
  type NameChooser,
} from "../scan/move-to-vault.js";
export {
  formatJson as formatScanJson,
  formatSarif,
  formatText as formatScanText,
  SCAN_FORMATS,
  type ScanFormat,
  type ScanReport,
} from "../scan/output-formats.js";
export { isPlaceholder, shannonEntropy } from "../scan/placeholders.js";
export type {
  Confidence,
  Finding,
  RuleMatch,
  ScanContext,
  ScanRule,
  SecretState,
  Severity,
} from "../scan/rule.js";
export { findRule, RULES, regexRule } from "../scan/rules.js";
export {
  type ScanOptions,
  type ScanResult,
  type SourceFindings,
  scanSources,
} from "../scan/scan.js";
export {
  type FileScanInput,
  type FileScanOptions,
  type FileScanResult,
  scanFiles,
  writeScanBaseline,
} from "../scan/scan-files.js";
export {
  collectFiles,
  collectStaged,
  type ScanSource,
  type SkippedFile,
  WORKSPACE_FILES,
  workspacePaths,
} from "../scan/sources.js";
