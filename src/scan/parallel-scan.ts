/**
 * Scans a list of files on several threads: the calling thread and worker threads
 * (scan-worker.ts) take the next file from one shared counter until none is left, so a thread
 * slowed by a large file simply takes fewer. Each file is read into its thread's one reused
 * buffer (see `ScratchBuffer`) and scanned; what each file gave is then recorded in the list's
 * order, so the report is the same whatever thread scanned what. A worker receives the list of
 * paths, the scan config and the agent's folder (it reads the vault's fingerprints itself), and
 * returns the findings of the files it scanned with their text: no secret crosses anything
 * but this process's memory.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { vaultError } from "../errors.js";
import type { ScanConfig } from "./config.js";
import { ScratchBuffer } from "./files.js";
import type { Finding } from "./rule.js";
import type { RawFindings, SourceScan } from "./scan.js";
import { readFileToScan, type SkippedFile, yieldEveryBatch } from "./sources.js";

/** What became of one file of the list. */
export type FileOutcome =
  | { skipped: SkippedFile }
  /** The config ignores its path: not scanned. */
  | { ignored: true }
  /** Scanned; `raw` only when something was found. */
  | { file: string; path: string; raw?: RawFindings };

/** What a worker is given (`workerData`). */
export interface WorkerInput {
  cwd: string;
  files: readonly string[];
  maxBytes: number;
  config: ScanConfig;
  agentDir: string;
  /** `[next]`: the index of the next file to take, shared by every thread. */
  next: Int32Array;
  /** Who took each file: 0 not marked yet, 1 the calling thread, 2 + n worker n. */
  owner: Uint8Array;
  /** This worker's number. */
  worker: number;
}

/** What a worker sends back when it has taken its last file. */
export interface WorkerOutput {
  outcomes: Array<[number, FileOutcome]>;
}

/** The fewest files scanned on more than one thread: below, starting a worker costs more. */
export const PARALLEL_MIN_FILES = 64;

/** The most threads a scan uses, whatever it is asked for. */
export const MAX_SCAN_THREADS = 16;

/** Threads a scan of many files uses by default: one per core, at most four. */
export function defaultScanThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The worker's module, beside this one (in the bundle too); absent when run from sources. */
const WORKER_URL = new URL("./scan-worker.js", import.meta.url);

/**
 * Takes files from the shared counter until none is left, reading and scanning each: the loop
 * of every thread. `mark` is this thread's mark in `owner`.
 */
export async function scanTakenFiles(
  input: Pick<WorkerInput, "cwd" | "files" | "maxBytes" | "next" | "owner">,
  mark: number,
  scan: SourceScan,
  outcomes: Array<[number, FileOutcome]>,
): Promise<void> {
  const scratch = new ScratchBuffer();
  for (let taken = 0; ; taken++) {
    await yieldEveryBatch(taken);
    const index = Atomics.add(input.next, 0, 1);
    if (index >= input.files.length) return;
    Atomics.store(input.owner, index, mark);
    const path = input.files[index] as string;
    const read = readFileToScan(input.cwd, path, input.maxBytes, scratch);
    if ("skipped" in read) {
      outcomes.push([index, read]);
      continue;
    }
    const raw = scan.scan(read.source);
    if (!raw) outcomes.push([index, { ignored: true }]);
    else if (raw.findings.length === 0) outcomes.push([index, { file: read.source.file, path }]);
    else outcomes.push([index, { file: read.source.file, path, raw }]);
  }
}

/** A finding as sent between threads, with its secret (`match`, not enumerable) put back. */
function withMatch(finding: Finding, text: string): Finding {
  return Object.defineProperty(finding, "match", {
    value: text.slice(finding.start, finding.end),
  }) as Finding;
}

/** A worker started on the shared list. */
interface StartedWorker {
  /** What it scanned, or why it stopped; never rejects (one not waited for must not either). */
  done: Promise<WorkerOutput | Error>;
  /** Stops it; what it scanned is no longer waited for. */
  stop(): void;
}

/** Runs a worker on the shared list. */
function startWorker(Thread: typeof Worker, input: WorkerInput): StartedWorker {
  const worker = new Thread(WORKER_URL, { workerData: input });
  let stopped = false;
  const done = new Promise<WorkerOutput | Error>((resolve) => {
    let answered = false;
    const failed = (detail: string) =>
      resolve(
        vaultError(
          "IO_ERROR",
          `A scanning thread stopped (${detail}); the scan is incomplete.`,
          "Run the scan again, or with --threads 1; if it fails again, report it with the command you ran.",
        ),
      );
    worker.once("message", (output: WorkerOutput) => {
      answered = true;
      resolve(output);
    });
    // The error's message may quote a scanned file: only its kind is reported.
    worker.once("error", (error) => failed(error.name));
    worker.once("exit", (code) => {
      if (!answered && !stopped) failed(`exit ${code}`);
    });
  });
  return {
    done,
    stop() {
      stopped = true;
      void worker.terminate();
    },
  };
}

/**
 * Scans `files` (absolute paths, shown relative to `cwd`) into `scan`, on `threads` threads
 * when there are at least {@link PARALLEL_MIN_FILES} files and the worker's module exists.
 * @throws VaultError IO_ERROR (a worker failed)
 */
export async function scanFileList(
  files: readonly string[],
  options: { cwd: string; maxBytes: number; config: ScanConfig; agentDir: string; threads: number },
  scan: SourceScan,
): Promise<void> {
  const shared = {
    cwd: options.cwd,
    files,
    maxBytes: options.maxBytes,
    next: new Int32Array(new SharedArrayBuffer(4)),
    owner: new Uint8Array(new SharedArrayBuffer(Math.max(1, files.length))),
  };
  const workerCount =
    files.length >= PARALLEL_MIN_FILES && existsSync(fileURLToPath(WORKER_URL))
      ? Math.max(0, Math.min(options.threads, MAX_SCAN_THREADS) - 1)
      : 0;
  // Loaded only for a scan that starts one: a pre-commit hook pays for each module it loads.
  const Thread = workerCount > 0 ? (await import("node:worker_threads")).Worker : undefined;
  const workers = Thread
    ? Array.from({ length: workerCount }, (_, n) =>
        startWorker(Thread, {
          ...shared,
          config: options.config,
          agentDir: options.agentDir,
          worker: n,
        }),
      )
    : [];
  const outcomes: Array<FileOutcome | undefined> = new Array(files.length);
  try {
    const own: Array<[number, FileOutcome]> = [];
    await scanTakenFiles(shared, 1, scan, own);
    for (const [index, outcome] of own) outcomes[index] = outcome;
    // A worker that took no file is stopped, not waited for (it may still be starting); one
    // whose mark is missing (taken, not yet marked) or present is waited for.
    const unmarked = shared.owner.some((mark, index) => mark === 0 && index < files.length);
    for (const [n, worker] of workers.entries()) {
      if (!unmarked && !shared.owner.includes(2 + n)) continue;
      const output = await worker.done;
      if (output instanceof Error) throw output;
      for (const [index, outcome] of output.outcomes) outcomes[index] = outcome;
    }
  } finally {
    for (const worker of workers) worker.stop();
  }
  for (const outcome of outcomes) {
    if (!outcome)
      throw vaultError("IO_ERROR", "A file of the scan was not scanned.", "Run the scan again.");
    if ("skipped" in outcome) scan.skip(outcome.skipped);
    else if ("file" in outcome) {
      const raw = outcome.raw ?? { text: "", findings: [] };
      const findings = raw.findings.map((finding) =>
        Object.hasOwn(finding, "match") ? finding : withMatch(finding, raw.text),
      );
      const content = Buffer.from(raw.text, "utf8");
      scan.record(
        { file: outcome.file, path: outcome.path, content },
        { text: raw.text, findings },
      );
    }
  }
}
