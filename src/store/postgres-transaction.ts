/**
 * One PostgreSQL transaction on one pooled connection: `BEGIN`, a `lock_timeout` for its row
 * locks (a longer wait is the server's 55P03, which the store reports as BUSY), the work,
 * `COMMIT`; on any error `ROLLBACK`, and a connection that cannot even roll back is dropped
 * from the pool rather than reused.
 *
 * Errors of our own code thrown inside the work (a transform, an audit builder) are wrapped
 * with {@link passThrough} so they come out as they are; every other error goes through the
 * caller's `fail`. Nothing here commits part of the work or keeps a connection in a
 * transaction after it returns.
 */
import type pg from "pg";
import type { VaultError } from "../errors.js";

/** An error of our own code inside a transaction: rethrown as it is, not as a store error. */
class Passthrough {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/** Runs `work` (our code, not SQL) so that what it throws leaves the transaction untouched. */
export async function passThrough<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new Passthrough(error);
  }
}

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function runTransaction<T>(
  connect: () => Promise<pg.PoolClient>,
  lockTimeoutMs: number,
  fail: (error: unknown) => VaultError,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await connect();
  } catch (error) {
    throw fail(error);
  }
  let broken = false;
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    if (error instanceof Passthrough) throw error.error;
    throw fail(error);
  } finally {
    client.release(broken);
  }
}
