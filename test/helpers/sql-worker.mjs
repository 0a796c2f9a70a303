// The worker thread behind test/helpers/sql-sync.ts: runs one SQL statement per message on a
// client kept open per URL, posts { error? } back and wakes the waiting thread.
import { workerData } from "node:worker_threads";
import pg from "pg";

const { port, shared } = workerData;
const done = new Int32Array(shared);
const clients = new Map();

async function clientFor(url) {
  let client = clients.get(url);
  if (!client) {
    client = new pg.Client({ connectionString: url });
    client.on("error", () => clients.delete(url));
    await client.connect();
    clients.set(url, client);
  }
  return client;
}

port.on("message", async ({ url, statement }) => {
  let reply = {};
  try {
    await (await clientFor(url)).query(statement);
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});
