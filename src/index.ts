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
export {
  AGENT_ID_PATTERN,
  DEFAULT_AGENT,
  MAX_VALUE_BYTES,
  SECRET_NAME_PATTERN,
} from "./grammar.js";
export type { KeyStore } from "./keys/keystore/keystore.js";
export {
  KEYCHAIN_SERVICE,
  KeytarKeyStore,
  type KeytarKeyStoreOptions,
} from "./keys/keystore/keytar.js";
export { MemoryKeyStore } from "./keys/keystore/memory.js";
export type { KeySlotInfo } from "./keys/slots.js";
export {
  checkNewPassphrase,
  ciKey,
  type KdfProfile,
  type KeySlotType,
  type KeySource,
  keychainKey,
  keyFileKey,
  keySourceFromEnv,
  MIN_NEW_PASSPHRASE_LENGTH,
  passphraseKey,
} from "./keys/sources.js";
export {
  containsVaultReference,
  formatVaultReference,
  isVaultReference,
  parseVaultReference,
  VAULT_REFERENCE_PATTERN,
  type VaultReference,
} from "./references/reference.js";
export {
  type ReferenceVaults,
  type ResolveReferencesOptions,
  resolveReferences,
  type VaultOpener,
} from "./references/resolver.js";
export { MAX_TEMPLATE_BYTES } from "./references/template.js";
export {
  type AgentRotation,
  type RotateAgentsOptions,
  rotateAgents,
} from "./rotation/all-agents.js";
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
export { exposureTimes, latestSightings, type Sighting } from "./rotation/sightings.js";
export type { RunOptions, RunSecret, RunStdio, SignalSource } from "./run/spawn.js";
export { SecretValue } from "./secret-value.js";
export { FileStore, type FileStoreOptions } from "./store/file-store.js";
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
