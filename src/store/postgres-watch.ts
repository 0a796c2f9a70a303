/**
 * Watching an agent's vault in the shared store: each committed write announces the store
 * generation on the agent's channel (LISTEN/NOTIFY); a watch holds one connection of its own
 * and calls its listener for each announcement.
 *
 * The announcement carries the generation and nothing else: never a value, a name or bytes of
 * the vault. A payload that is not a whole number is ignored, and a lost connection is
 * reported once and ends the watch (it never reconnects behind the caller's back).
 */
import type { VaultError } from "../errors.js";
import type { PostgresConnection } from "./postgres-connection.js";
import { quoteIdent } from "./postgres-schema.js";

/**
 * The channel a committed write of `agent`'s vault is announced on (payload: the store
 * generation). PostgreSQL does not restrict LISTEN: a role that knows an agent's id can learn
 * when its vault changes, never what changed.
 */
export function notifyChannel(agent: string): string {
  return `agent_vault:${agent}`;
}

/**
 * Calls `listener` after each committed write of `agent`'s vault; the returned function stops
 * the watch. `agent` is a checked agent id.
 * @throws VaultError IO_ERROR | KEY_UNAVAILABLE
 */
export async function watchVault(
  db: PostgresConnection,
  agent: string,
  listener: (change: { agent: string; generation: number }) => void,
  onError?: (error: VaultError) => void,
): Promise<() => Promise<void>> {
  const client = await db.newClient();
  const channel = notifyChannel(agent);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    db.forgetClient(client);
    await client.end().catch(() => undefined);
  };
  client.on("error", (error) => {
    if (stopped) return;
    onError?.(db.fail(error, "watch the vault", agent));
    void stop();
  });
  client.on("notification", (message) => {
    if (message.channel !== channel) return;
    const generation = Number(message.payload);
    if (Number.isSafeInteger(generation)) listener({ agent, generation });
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${quoteIdent(channel)}`);
  } catch (error) {
    await stop();
    throw db.fail(error, "watch the vault", agent);
  }
  db.endOnClose(client);
  return stop;
}
