/**
 * The audit log in the shared store: one row per line in `agent_vault.audit_records`
 * (numbered by `seq`) and one head row per agent in `agent_vault.audit_heads` (the last `seq`
 * and the keyed head).
 *
 * The head row is the audit lock: an append locks it, reads the last line, writes the new lines
 * after it and moves the head, in one transaction, so appends of one agent queue and the chain
 * never forks. Lines are stored as the audit module built them: nothing here reads a line's
 * content, and nothing updates or deletes a record (agent roles may not, even through SQL).
 * Agent ids reach this module checked.
 */
import type { PostgresConnection } from "./postgres-connection.js";
import { SCHEMA } from "./postgres-schema.js";
import { passThrough } from "./postgres-transaction.js";
import type { AuditAppend, StoredAudit } from "./store.js";

/**
 * Appends the lines `build` makes from the log's current last line, and the new head, under
 * the agent's audit lock.
 * @throws VaultError KEY_UNAVAILABLE | BUSY | IO_ERROR
 */
export async function appendAuditRows(
  db: PostgresConnection,
  agent: string,
  build: (end: AuditAppend) => { lines: string[]; head?: string },
): Promise<void> {
  await db.transaction("append to the audit log", agent, async (client) => {
    // The head row is the audit lock: appends of one agent queue behind it.
    await client.query(
      `INSERT INTO ${SCHEMA}.audit_heads (agent) VALUES ($1) ON CONFLICT (agent) DO NOTHING`,
      [agent],
    );
    const locked = await client.query<{ last_seq: string }>(
      `SELECT last_seq FROM ${SCHEMA}.audit_heads WHERE agent = $1 FOR UPDATE`,
      [agent],
    );
    const lockedHead = locked.rows[0];
    if (!lockedHead) throw db.fail({ code: "42501" }, "append to the audit log", agent);
    const lastSeq = Number(lockedHead.last_seq);
    // A statement of its own, after the lock: its snapshot holds the previous appender's
    // lines (a join in the locking statement would read the snapshot from before the wait).
    const { rows } = await client.query<{ line: string }>(
      `SELECT line FROM ${SCHEMA}.audit_records WHERE agent = $1 AND seq = $2`,
      [agent, lastSeq],
    );
    const head = { line: rows[0]?.line ?? null };
    const built = await passThrough(() => {
      const lines = build({ lastLine: head.line ?? undefined });
      if (lines.lines.some((line) => line.includes("\n")))
        throw new RangeError("an audit record is one line");
      return lines;
    });
    if (built.lines.length > 0) {
      await client.query(
        `INSERT INTO ${SCHEMA}.audit_records (agent, seq, line)
            SELECT $1, $2::bigint + n, line FROM unnest($3::text[]) WITH ORDINALITY AS t(line, n)`,
        [agent, lastSeq, built.lines],
      );
    }
    await client.query(
      `UPDATE ${SCHEMA}.audit_heads SET last_seq = $2, head = coalesce($3, head) WHERE agent = $1`,
      [agent, lastSeq + built.lines.length, built.head ?? null],
    );
  });
}

/** The agent's audit lines in order and its head, read in one snapshot. */
export async function readAuditRows(db: PostgresConnection, agent: string): Promise<StoredAudit> {
  // One statement, one snapshot: the head never names a record the lines miss.
  const { rows } = await db.query<{ lines: string[] | null; head: string | null }>(
    "read the audit log",
    agent,
    `SELECT
        (SELECT array_agg(line ORDER BY seq) FROM ${SCHEMA}.audit_records WHERE agent = $1) AS lines,
        (SELECT head FROM ${SCHEMA}.audit_heads WHERE agent = $1) AS head`,
    [agent],
  );
  const row = rows[0];
  return { lines: row?.lines ?? [], head: row?.head ?? undefined };
}
