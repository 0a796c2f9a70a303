/**
 * Runs one keytar call in a child process, so that a keychain call that never returns (an
 * unlock prompt nobody answers) can be killed: keytar blocks a libuv thread, and a process
 * with a blocked thread cannot exit. Protocol: one JSON request on stdin, one JSON answer on
 * stdout. Key material travels only through these pipes, never argv.
 */
import { createRequire } from "node:module";

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** A request to the worker. */
export type KeytarRequest =
  | { op: "get"; service: string; account: string }
  | { op: "set"; service: string; account: string; secret: string }
  | { op: "remove"; service: string; account: string }
  | { op: "probe"; service: string; account: string };

/** The worker's answer. */
export type KeytarAnswer =
  | { ok: true; value?: string | null; removed?: boolean }
  | { ok: false; notInstalled?: boolean; message: string };

async function answer(request: KeytarRequest): Promise<KeytarAnswer> {
  let keytar: Keytar;
  try {
    keytar = createRequire(import.meta.url)("keytar") as Keytar;
  } catch (error) {
    return {
      ok: false,
      notInstalled: true,
      message: String((error as Error).message).slice(0, 300),
    };
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
    }
  } catch (error) {
    return { ok: false, message: String((error as Error)?.message ?? error).slice(0, 300) };
  }
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as KeytarRequest;
const result = await answer(request);
process.stdout.write(JSON.stringify(result), () => process.exit(0));
