/**
 * Which agents the shared store holds, as the connected role may see them, and which agent
 * the connected role is (the agents table maps each login role to its agent).
 *
 * Row-level security decides what a role sees: an agent's role lists only its own agent, and
 * another agent's missing row is reported as hidden, never as "no vault". Nothing here creates
 * or changes roles; that is `vault db` (postgres-schema.ts).
 */
import { vaultError } from "../errors.js";
import type { PostgresConnection } from "./postgres-connection.js";
import { STORE_ERROR_CODES } from "./postgres-errors.js";
import { SCHEMA } from "./postgres-schema.js";

/** The agents whose vaults the connected role can see, in order. */
export async function listVisibleAgents(db: PostgresConnection): Promise<string[]> {
  const { rows } = await db.query<{ agent: string }>(
    "list the agents",
    undefined,
    `SELECT agent FROM ${SCHEMA}.vaults ORDER BY agent`,
  );
  return rows.map((row) => row.agent);
}

/**
 * An agent without a row: absent, unless this is another agent's role, whose rows
 * row-level security hides (then say so rather than "no vault").
 * @throws VaultError KEY_UNAVAILABLE
 */
export async function absentOrHidden(db: PostgresConnection, agent: string): Promise<undefined> {
  const { rows } = await db.query<{ agent: string }>(
    "read the vault",
    agent,
    `SELECT agent FROM ${SCHEMA}.agents WHERE role = current_user`,
  );
  const own = rows[0]?.agent;
  if (own !== undefined && own !== agent) {
    throw vaultError(
      STORE_ERROR_CODES.denied,
      `Role ${db.role} belongs to agent ${own}; it cannot see agent ${agent}'s vault in ${db.url} (row-level security).`,
      `Use --agent ${own}, or connect as agent ${agent}'s own role.`,
    );
  }
  return undefined;
}
