/**
 * Oversized input for a spawned CLI: how much of it the process took before refusing, and its
 * peak memory (test/fixtures/run/report-rss.mjs, preloaded with `node --import`).
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

/** Preload that writes the process's peak RSS (KiB) to `$RSS_REPORT` at exit. */
export const RSS_PRELOAD = join(import.meta.dirname, "../fixtures/run/report-rss.mjs");

/**
 * Writes `head`, then `a`s up to `total` bytes, to `stream` in 64 KiB writes, as fast as its
 * reader takes them, until all are written or the reader goes away (EPIPE). Resolves with the
 * bytes of the writes that completed: what reached the reader or the pipe's buffer, never less
 * than it read.
 */
export function flood(stream: Writable, total: number, head = ""): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let accepted = 0;
  let sent = Buffer.byteLength(head);
  if (head !== "") {
    stream.write(head, (error) => {
      if (!error) accepted += Buffer.byteLength(head);
    });
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      resolve(accepted);
    };
    stream.on("error", settle);
    const pump = () => {
      while (sent < total && !settled) {
        const size = Math.min(chunk.length, total - sent);
        sent += size;
        const more = stream.write(chunk.subarray(0, size), (error) => {
          if (!error) accepted += size;
        });
        if (!more) {
          stream.once("drain", pump);
          return;
        }
      }
      if (!settled) stream.end(settle);
    };
    pump();
  });
}

/** All of a stream's text. */
async function textOf(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

/** The exit code, output and peak RSS (KiB, from `report`) of a spawned CLI once it is done. */
export async function outcome(
  child: ChildProcessWithoutNullStreams,
  report: string,
): Promise<{ code: number | null; stdout: string; stderr: string; rssKiB: number }> {
  const [stdout, stderr, code] = await Promise.all([
    textOf(child.stdout),
    textOf(child.stderr),
    new Promise<number | null>((resolve) => child.on("close", resolve)),
  ]);
  return { code, stdout, stderr, rssKiB: Number(readFileSync(report, "utf8")) };
}
