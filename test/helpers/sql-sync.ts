/**
 * One SQL statement, run synchronously, with no `psql` on the machine: a worker thread
 * (sql-worker.mjs) holds a `pg` client and this thread waits for its answer on a shared flag.
 * Library tests call `prepareHome(home)` synchronously, so the databases it makes are too.
 */
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

const TIMEOUT_MS = 120_000;

let channel:
  | { worker: Worker; port: MessageChannel["port1"]; done: Int32Array<SharedArrayBuffer> }
  | undefined;

function connect() {
  if (channel) return channel;
  const shared = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(fileURLToPath(new URL("./sql-worker.mjs", import.meta.url)), {
    workerData: { port: port2, shared },
    transferList: [port2],
  });
  worker.unref();
  channel = { worker, port: port1, done: new Int32Array(shared) };
  return channel;
}

/**
 * Runs `statement` on the database `url` names and returns when it is done.
 * @throws Error with the server's message when it fails or does not answer within 120 s
 */
export function sqlSync(url: string, statement: string): void {
  const { port, done } = connect();
  Atomics.store(done, 0, 0);
  port.postMessage({ url, statement });
  if (Atomics.wait(done, 0, 0, TIMEOUT_MS) === "timed-out") {
    throw new Error(`SQL did not answer within ${TIMEOUT_MS / 1000} s: ${statement}`);
  }
  const reply = receiveMessageOnPort(port)?.message as { error?: string } | undefined;
  if (reply?.error) throw new Error(`SQL failed: ${reply.error} (${statement})`);
}
