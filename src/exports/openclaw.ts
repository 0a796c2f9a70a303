/**
 * `agent-vault/openclaw`: OpenClaw's exec SecretRef protocol and the id-to-secret mapping
 * behind `vault openclaw resolve`.
 */
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
