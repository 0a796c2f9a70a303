/**
 * The vault reference placeholder: the text `vault scan --fix` leaves in a file where a
 * credential was, `vault://AGENT/NAME` (e.g. `vault://main/OPENAI_API_KEY`). Agents read it as
 * "this value lives in agent AGENT's vault under NAME"; the scanner never reports it, and the
 * vault refuses to store it as a value (a placeholder stored as a secret would hide the loss of
 * the real one).
 */
import { vaultError } from "../errors.js";
import { checkAgentId, checkSecretName } from "../grammar.js";

/** One reference: which agent's vault, which secret. */
export interface VaultReference {
  agent: string;
  name: string;
}

const REFERENCE_PREFIX = "vault://";
/** A reference anywhere in a text (agent id grammar / secret name grammar of grammar.ts). */
export const VAULT_REFERENCE_PATTERN =
  /vault:\/\/([a-z0-9][a-z0-9_-]{0,63})\/([A-Z][A-Z0-9_]{0,127})/;

/**
 * `vault://AGENT/NAME`.
 * @throws VaultError INVALID_AGENT | INVALID_NAME
 */
export function formatVaultReference(agent: string, name: string): string {
  return `${REFERENCE_PREFIX}${checkAgentId(agent)}/${checkSecretName(name)}`;
}

/**
 * Parses a text that is exactly one reference (surrounding white space allowed).
 * @throws VaultError INVALID_INPUT when it is not one
 */
export function parseVaultReference(text: string): VaultReference {
  const match = new RegExp(`^${VAULT_REFERENCE_PATTERN.source}$`).exec(text.trim());
  if (!match) {
    throw vaultError(
      "INVALID_INPUT",
      "Not a vault reference.",
      "A vault reference reads vault://AGENT/NAME, e.g. vault://main/OPENAI_API_KEY.",
    );
  }
  return { agent: match[1] as string, name: match[2] as string };
}

/**
 * The error for a reference to another agent's vault: it resolves only with that agent's key.
 * Exit code 4, as `vault get --agent AGENT` without that agent's key.
 */
export function otherAgentReference(vaultAgent: string, agent: string): Error {
  return vaultError(
    "NO_KEY_SOURCE",
    `A reference to agent ${agent}'s vault cannot be read with agent ${vaultAgent}'s vault.`,
    `Open agent ${agent}'s vault with its own key (openVault({ agent: "${agent}", keySource })).`,
  );
}

/** True when `value` holds a vault reference anywhere (the vault refuses such values). */
export function containsVaultReference(value: string): boolean {
  return value.includes(REFERENCE_PREFIX) && VAULT_REFERENCE_PATTERN.test(value);
}

/** True when `value` is exactly one reference (surrounding white space allowed). */
export function isVaultReference(value: string): boolean {
  return value.includes(REFERENCE_PREFIX) && WHOLE_REFERENCE.test(value.trim());
}

const WHOLE_REFERENCE = new RegExp(`^${VAULT_REFERENCE_PATTERN.source}$`);
