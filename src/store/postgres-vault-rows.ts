/**
 * The vault rows of the shared store: one row per agent in `agent_vault.vaults` holding the
 * encoded vault, its generation and a random stamp (together the store token).
 *
 * A write is one transaction: `SELECT … FOR UPDATE` locks the agent's row, the transform runs,
 * and the new bytes are written only where the generation and stamp read are still there
 * (compare-and-swap; otherwise CONFLICT); the commit announces the new generation to watchers.
 * Nothing here decodes or decrypts the bytes, and nothing overwrites a row it did not lock.
 * Agent ids reach this module checked.
 */
import { randomBytes } from "node:crypto";
import { vaultError } from "../errors.js";
import { absentOrHidden } from "./postgres-agents.js";
import type { PostgresConnection } from "./postgres-connection.js";
import { SCHEMA } from "./postgres-schema.js";
import { passThrough } from "./postgres-transaction.js";
import { notifyChannel } from "./postgres-watch.js";
import type { StoredVault } from "./store.js";

/** The vault of `agent` and its token, or `undefined` when it has none. */
export async function readVaultRow(
  db: PostgresConnection,
  agent: string,
): Promise<StoredVault | undefined> {
  const { rows } = await db.query<{ body: Buffer; generation: string; stamp: string }>(
    "read the vault",
    agent,
    `SELECT body, generation, stamp FROM ${SCHEMA}.vaults WHERE agent = $1`,
    [agent],
  );
  const row = rows[0];
  if (!row) return absentOrHidden(db, agent);
  return { bytes: new Uint8Array(row.body), token: `${row.generation}:${row.stamp}` };
}

/** The token of `agent`'s vault (without its bytes), or `undefined` when it has none. */
export async function readVaultToken(
  db: PostgresConnection,
  agent: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ generation: string; stamp: string }>(
    "read the vault",
    agent,
    `SELECT generation, stamp FROM ${SCHEMA}.vaults WHERE agent = $1`,
    [agent],
  );
  const row = rows[0];
  return row ? `${row.generation}:${row.stamp}` : absentOrHidden(db, agent);
}

/**
 * Inserts `agent`'s first vault.
 * @throws VaultError ALREADY_EXISTS
 */
export async function insertVaultRow(
  db: PostgresConnection,
  agent: string,
  bytes: Uint8Array,
): Promise<void> {
  const { rowCount } = await db.query(
    "create the vault",
    agent,
    `INSERT INTO ${SCHEMA}.vaults (agent, body, generation, stamp) VALUES ($1, $2, 1, $3)
        ON CONFLICT (agent) DO NOTHING`,
    [agent, Buffer.from(bytes), newStamp()],
  );
  if (rowCount === 0) {
    throw vaultError(
      "ALREADY_EXISTS",
      `Agent ${agent} already has a vault in ${db.url}.`,
      "Use it as it is, or pick another agent with --agent.",
    );
  }
}

/**
 * Replaces `agent`'s vault by what `transform` makes of it, under the row lock (`undefined`:
 * leave it as it is).
 * @throws VaultError VAULT_NOT_FOUND | CONFLICT | BUSY
 */
export async function updateVaultRow(
  db: PostgresConnection,
  agent: string,
  transform: (current: StoredVault) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
): Promise<StoredVault> {
  return db.transaction("write the vault", agent, async (client) => {
    const { rows } = await client.query<{ body: Buffer; generation: string; stamp: string }>(
      `SELECT body, generation, stamp FROM ${SCHEMA}.vaults WHERE agent = $1 FOR UPDATE`,
      [agent],
    );
    const row = rows[0];
    if (!row) {
      await absentOrHidden(db, agent);
      throw vaultError(
        "VAULT_NOT_FOUND",
        `Agent ${agent} has no vault in ${db.url}.`,
        `Create one with: vault init --agent ${agent} --store URL`,
      );
    }
    const current: StoredVault = {
      bytes: new Uint8Array(row.body),
      token: `${row.generation}:${row.stamp}`,
    };
    const next = await passThrough(() => transform(current));
    if (!next) return current;
    const stamp = newStamp();
    // The compare-and-swap: the row must still be the one `transform` saw.
    const result = await client.query<{ generation: string }>(
      `UPDATE ${SCHEMA}.vaults SET body = $2, generation = generation + 1, stamp = $3,
          updated_at = now() WHERE agent = $1 AND generation = $4 AND stamp = $5
          RETURNING generation`,
      [agent, Buffer.from(next), stamp, row.generation, row.stamp],
    );
    const written = result.rows[0];
    if (!written) {
      throw vaultError(
        "CONFLICT",
        `The vault of agent ${agent} changed while this write was in progress; nothing was written.`,
        "Retry the command.",
      );
    }
    // Delivered on commit to hosts that watch this agent (payload: the store generation).
    await client.query("SELECT pg_notify($1, $2)", [notifyChannel(agent), written.generation]);
    return { bytes: next, token: `${written.generation}:${stamp}` };
  });
}

/** A new random stamp: with the generation, what a writer must still find to commit. */
function newStamp(): string {
  return randomBytes(12).toString("base64url");
}
