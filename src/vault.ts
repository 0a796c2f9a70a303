/**
 * The vault API: open, create and describe an agent's vault, and the `Vault` class. Each
 * capability has its own module in vault/ (core.ts holds the state and the commit).
 */
export { createVault, openVault, readVaultInfo } from "./vault/open.js";
export type * from "./vault/types.js";
export { Vault } from "./vault/vault.js";
