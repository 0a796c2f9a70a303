/**
 * agent-vault: every AI agent gets its own encrypted secret store.
 *
 * ```ts
 * import { openVault } from "agent-vault";
 * const vault = await openVault({ agent: "main" });
 * const key = await vault.get("OPENAI_API_KEY");
 * ```
 */
export type { AuditEntry, AuditRecord, AuditResult, AuditVerification } from "./audit.js";
export {
  ERROR_EXIT_CODES,
  type ExitCode,
  isVaultError,
  VaultError,
  type VaultErrorCode,
} from "./errors.js";
export { formatDotenv, quoteDotenv } from "./export/dotenv.js";
export { appendExportFile, checkExportTarget, writeExportFile } from "./export/file.js";
export {
  EXPORT_FORMATS,
  type ExportFormat,
  isExportFormat,
  type RenderExportOptions,
  type RenderedExport,
  renderExport,
} from "./export/formats.js";
export { formatGithubEnvFile, formatGithubMasks, githubMaskValues } from "./export/github.js";
export {
  type ExportWarning,
  formatGitlab,
  GITLAB_MASKABLE_PATTERN,
  gitlabMaskProblems,
} from "./export/gitlab.js";
export { formatJson } from "./export/json.js";
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
} from "./export/names.js";
export { formatShell, quoteShell } from "./export/shell.js";
export {
  checkNewPassphrase,
  ciKey,
  type KdfProfile,
  type KeySlotType,
  type KeySource,
  keychainKey,
  keyFileKey,
  MIN_NEW_PASSPHRASE_LENGTH,
  passphraseKey,
} from "./key-sources.js";
export type { KeySlotInfo } from "./keys.js";
export type { KeyStore } from "./keystore/keystore.js";
export { KEYCHAIN_SERVICE, KeytarKeyStore, type KeytarKeyStoreOptions } from "./keystore/keytar.js";
export { MemoryKeyStore } from "./keystore/memory.js";
export {
  AGENT_ID_PATTERN,
  DEFAULT_AGENT,
  MAX_VALUE_BYTES,
  SECRET_NAME_PATTERN,
} from "./names.js";
export { secretNameForId } from "./openclaw/mapping.js";
export {
  failureResponse,
  isOpenclawId,
  parseResolveRequest,
  type ResolveRequest,
  type ResolveResponse,
  resolveResponse,
} from "./openclaw/protocol.js";
export {
  type ResolveOutcome,
  type ResolveSource,
  resolveOpenclawIds,
} from "./openclaw/resolve.js";
export {
  containsVaultReference,
  formatVaultReference,
  isVaultReference,
  parseVaultReference,
  VAULT_REFERENCE_PATTERN,
  type VaultReference,
} from "./reference.js";
export {
  type ReferenceVaults,
  type ResolveReferencesOptions,
  resolveReferences,
  type VaultOpener,
} from "./reference-resolver.js";
export { MAX_TEMPLATE_BYTES } from "./reference-template.js";
export {
  HOST_ROTATORS_FILE,
  type HostCommand,
  type HostRotators,
  placeRotator,
  type RotatorPlace,
  readHostRotators,
} from "./rotation/host-rotators.js";
export {
  DEFAULT_KEEP,
  DEFAULT_STEP_TIMEOUT_SECONDS,
  type RotationPolicy,
} from "./rotation/policy.js";
export { parseRotatorSpec, type RotatorSpec } from "./rotation/rotator-spec.js";
export type {
  ApplyContext,
  CreateContext,
  FinishContext,
  PendingStepContext,
  RotationStep,
  Rotator,
  RotatorContext,
  VerifyContext,
} from "./rotation/rotators.js";
export type { RotationOutcome } from "./rotation/runner.js";
export {
  DEFAULT_GRACE_SECONDS,
  type RotationState,
  type RotationStatus,
} from "./rotation/schedule.js";
export { createRedactStream, type MaskPattern, maskPatterns, Redactor } from "./run/mask.js";
export type { RunOptions, RunSecret, RunStdio, SignalSource } from "./run/spawn.js";
export {
  maskPreview,
  type ScanTextOptions,
  type SecretMatch,
  type SecretMatcher,
  scanText,
  VAULT_SECRET_RULE,
} from "./scan/engine.js";
export {
  type Exposure,
  type FingerprintInput,
  type FingerprintMatcher,
  type FingerprintSummary,
  readExposures,
  readFingerprints,
  recordExposures,
  updateFingerprints,
  writeFingerprints,
} from "./scan/fingerprints.js";
export {
  formatJson as formatScanJson,
  formatSarif,
  formatText as formatScanText,
  SCAN_FORMATS,
  type ScanFormat,
  type ScanReport,
} from "./scan/formats.js";
export {
  type HistoryFinding,
  type HistoryScanOptions,
  type HistoryScanResult,
  type HistorySkipped,
  scanHistory,
} from "./scan/history.js";
export {
  gitCommonDir,
  type HistoryPosition,
  readHistoryPosition,
  refTips,
  writeHistoryPosition,
} from "./scan/history-position.js";
export {
  type HookCommand,
  type HookResult,
  hookScript,
  installHook,
  uninstallHook,
} from "./scan/hook.js";
export { isPlaceholder, shannonEntropy } from "./scan/placeholders.js";
export type { Confidence, Finding, RuleMatch, ScanRule, Severity } from "./scan/rule.js";
export { findRule, RULES, regexRule } from "./scan/rules.js";
export {
  type ScanOptions,
  type ScanResult,
  type SourceFindings,
  scanSources,
} from "./scan/scan.js";
export {
  collectFiles,
  collectStaged,
  type ScanSource,
  type SkippedFile,
  WORKSPACE_FILES,
  workspacePaths,
} from "./scan/sources.js";
export { SecretValue } from "./secret-value.js";
export { FileStore, type FileStoreOptions } from "./store/file-store.js";
export {
  isPostgresUrl,
  PostgresStore,
  type PostgresStoreOptions,
  redactStoreUrl,
} from "./store/postgres-store.js";
export type { StoredAudit, StoredVault, VaultStore } from "./store/store.js";
export {
  type AddedKey,
  type CreateVaultOptions,
  createVault,
  type ExportedSecret,
  type ExportOptions,
  openVault,
  type RekeyOptions,
  type RekeyResult,
  type RotateOptions,
  readVaultInfo,
  type SecretInfo,
  type SetOptions,
  type StatusOptions,
  Vault,
  type VaultEvent,
  type VaultInfo,
  type VaultOptions,
  type VersionInfo,
} from "./vault.js";
