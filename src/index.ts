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
  ciKey,
  type KdfProfile,
  type KeySlotInfo,
  type KeySlotType,
  type KeySource,
  keychainKey,
  keyFileKey,
  passphraseKey,
} from "./keys.js";
export type { KeyStore } from "./keystore/keystore.js";
export { KEYCHAIN_SERVICE, KeytarKeyStore, type KeytarKeyStoreOptions } from "./keystore/keytar.js";
export {
  AGENT_ID_PATTERN,
  DEFAULT_AGENT,
  MAX_VALUE_BYTES,
  SECRET_NAME_PATTERN,
} from "./names.js";
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
  readVaultInfo,
  type SecretInfo,
  type SetOptions,
  Vault,
  type VaultInfo,
  type VaultOptions,
  type VersionInfo,
} from "./vault.js";
