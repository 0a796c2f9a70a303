/**
 * `agent-vault/openclaw`: OpenClaw's exec SecretRef protocol and the id-to-secret mapping
 * behind `vault openclaw resolve`, and the import behind `vault openclaw import`.
 */

export {
  type ImportEnvFile,
  importOpenclawCredentials,
  needsProviderBlock,
  type OpenclawImportFiles,
  type OpenclawImportResult,
  type ProviderToAdd,
  readOpenclawImportFiles,
} from "../openclaw/import.js";
export type { ImportPlan } from "../openclaw/import-plan.js";
export { secretNameForId } from "../openclaw/mapping.js";
export {
  failureResponse,
  isOpenclawId,
  parseResolveRequest,
  type ResolveRequest,
  type ResolveResponse,
  resolveResponse,
} from "../openclaw/protocol.js";
export {
  type ResolveOutcome,
  type ResolveSource,
  resolveOpenclawIds,
} from "../openclaw/resolve.js";
