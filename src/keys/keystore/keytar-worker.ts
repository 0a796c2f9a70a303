/**
 * The program that runs one keytar call in a child process, so that a keychain call that never
 * returns (an unlock prompt nobody answers) can be killed: keytar blocks a libuv thread, and a
 * process with a blocked thread cannot exit.
 *
 * It is source text run with `node --input-type=module -e`, so it works the same from the
 * built package and from the TypeScript sources under test. Protocol: one JSON request on
 * stdin, one JSON answer on stdout. Key material travels only through these pipes, never argv.
 */

/** One keytar call. */
export type KeytarCall = { service: string; account: string } & (
  | { op: "get" }
  | { op: "set"; secret: string }
  | { op: "remove" }
  | { op: "probe" }
);

/** A request to the worker: a call and the URL keytar is resolved from. */
export type KeytarRequest = KeytarCall & { requireFrom: string };

/** The worker's answer. */
export type KeytarAnswer =
  | { ok: true; value?: string | null; removed?: boolean }
  | { ok: false; notInstalled?: boolean; message: string };

/** The worker program (an ES module). */
export const KEYTAR_WORKER_SOURCE = `
import { createRequire } from "node:module";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const short = (error) => String(error?.message ?? error).slice(0, 300);
async function answer() {
  let keytar;
  try {
    keytar = createRequire(request.requireFrom)("keytar");
  } catch (error) {
    return { ok: false, notInstalled: true, message: short(error) };
  }
  try {
    switch (request.op) {
      case "get":
        return { ok: true, value: await keytar.getPassword(request.service, request.account) };
      case "set":
        await keytar.setPassword(request.service, request.account, request.secret);
        return { ok: true };
      case "remove":
        return { ok: true, removed: await keytar.deletePassword(request.service, request.account) };
      case "probe":
        // A write shows what a read cannot: a locked or missing default collection.
        await keytar.setPassword(request.service, request.account, "probe");
        await keytar.deletePassword(request.service, request.account);
        return { ok: true };
      default:
        return { ok: false, message: "unknown request" };
    }
  } catch (error) {
    return { ok: false, message: short(error) };
  }
}
const result = await answer();
process.stdout.write(JSON.stringify(result), () => process.exit(0));
`;
