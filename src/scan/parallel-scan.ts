/**
 * Scans a list of files, on worker threads too (scan-worker.ts) when the scan is long: the
 * calling thread starts scanning alone, and once it has spent {@link WORKER_DELAY_MS} with
 * files left that would take it {@link WORKER_MIN_WORK_LEFT_MS} more, starts the workers, which join it in taking the next file from one shared
 * counter (a thread slowed by a large file simply takes fewer). A short scan never pays for a
 * worker. Each file is read into its thread's one reused buffer (see `ScratchBuffer`) and
 * scanned; what each file gave is then recorded in the list's order, so the report is the same
 * whatever thread scanned what.
 *
 * A worker receives the list of paths, the scan config and the fingerprint set the calling
 * thread read (so every file is matched against the same set), and returns the findings of the
 * files it scanned with their content: no secret crosses anything but this process's memory.
 * A worker that cannot start or stops early costs nothing but time: the files it took and did
 * not answer for are scanned on the calling thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { ScanConfig } from "./config.js";
import { withMatch } from "./engine.js";
import { ScratchBuffer } from "./files.js";
import type { LoadedFingerprints } from "./fingerprints.js";
import type { Finding } from "./rule.js";
import type { SourceScan } from "./scan.js";
import { readFileToScan, type SkippedFile, yieldEveryBatch } from "./sources.js";

/** What became of one file of the list. */
export type FileOutcome =
  | { skipped: SkippedFile }
  /** The config ignores its path: not scanned. */
  | { ignored: true }
  /** Scanned; its content, text and findings only when something was found. */
  | {
      file: string;
      path: string;
      found?: { content: Uint8Array; text: string; findings: Finding[] };
    };

/** What a worker is given (`workerData`). */
export interface WorkerInput {
  cwd: string;
  files: readonly string[];
  maxBytes: number;
  config: ScanConfig;
  fingerprints: LoadedFingerprints | undefined;
  /** `[next]`: the index of the next file to take, shared by every thread. */
  next: Int32Array;
  /** Who took each file: 0 not marked yet, 1 the calling thread, 2 + n worker n. */
  owner: Uint8Array;
  /** This worker's number. */
  worker: number;
}

/** What a worker sends back when no file is left to take. */
export interface WorkerOutput {
  outcomes: Array<[number, FileOutcome]>;
}

/** The time a scan runs on the calling thread alone before it starts workers. */
export const WORKER_DELAY_MS = 100;

/**
 * The least time the files left must take on the calling thread, at its pace so far, for
 * workers to start: a worker compiles the rules again before its first file, which thousands
 * of files of a few bytes do not repay (5,000 of them: 1.12x the time with a worker).
 */
export const WORKER_MIN_WORK_LEFT_MS = 500;

/** Whether to start workers now, `done` files and `elapsed` ms into the scan. */
function worthWorkers(list: SharedList, done: number, elapsed: number): boolean {
  const left = list.files.length - Atomics.load(list.next, 0);
  return elapsed > WORKER_DELAY_MS && left > 0 && (elapsed / done) * left > WORKER_MIN_WORK_LEFT_MS;
}

/** The most threads a scan uses, whatever it is asked for. */
export const MAX_SCAN_THREADS = 16;

/** Threads a scan uses by default: one per core, at most four. */
export function defaultScanThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The worker's module, beside this one (in the bundle too); absent when run from sources. */
const WORKER_URL = new URL("./scan-worker.js", import.meta.url);

/** The files a thread takes: the list, the shared counter and marks. */
type SharedList = Pick<WorkerInput, "cwd" | "files" | "maxBytes" | "next" | "owner">;

/** Reads and scans the file at `index` of the list. */
function scanFileAt(
  list: SharedList,
  index: number,
  scan: SourceScan,
  scratch: ScratchBuffer,
): FileOutcome {
  const path = list.files[index] as string;
  const read = readFileToScan(list.cwd, path, list.maxBytes, scratch);
  if ("skipped" in read) return read;
  const raw = scan.scan(read.source);
  if (!raw) return { ignored: true };
  if (raw.findings.length === 0) return { file: read.source.file, path };
  // A copy of its own (not a slice of Buffer's shared pool, which a worker would send whole):
  // the scratch buffer is about to hold the next file.
  const content = new Uint8Array(read.source.content);
  return { file: read.source.file, path, found: { content, ...raw } };
}

/**
 * Takes files from the shared counter until none is left, reading and scanning each: a
 * worker's loop. `mark` is this thread's mark in `owner`.
 */
export function scanTakenFiles(
  list: SharedList,
  mark: number,
  scan: SourceScan,
): Array<[number, FileOutcome]> {
  const scratch = new ScratchBuffer();
  const outcomes: Array<[number, FileOutcome]> = [];
  for (;;) {
    const index = Atomics.add(list.next, 0, 1);
    if (index >= list.files.length) return outcomes;
    Atomics.store(list.owner, index, mark);
    outcomes.push([index, scanFileAt(list, index, scan, scratch)]);
  }
}

/** A worker started on the shared list. */
interface StartedWorker {
  /** What it scanned; undefined when it stopped without answering (never rejects). */
  done: Promise<WorkerOutput | undefined>;
  /** Stops it; what it scanned is no longer waited for. */
  stop(): void;
}

/** Runs a worker on the shared list; undefined when it cannot start (a thread limit). */
function startWorker(Thread: typeof Worker, input: WorkerInput): StartedWorker | undefined {
  let worker: Worker;
  try {
    worker = new Thread(WORKER_URL, { workerData: input });
  } catch {
    return undefined;
  }
  const done = new Promise<WorkerOutput | undefined>((resolve) => {
    worker.once("message", (output: WorkerOutput) => resolve(output));
    // The error (whose message may quote a scanned file) is not reported: the calling thread
    // scans whatever the worker did not answer for.
    worker.once("error", () => resolve(undefined));
    worker.once("exit", () => resolve(undefined));
  });
  return {
    done,
    stop() {
      void worker.terminate();
    },
  };
}

/** What {@link scanFileList} needs besides the files. */
export interface FileListOptions {
  cwd: string;
  maxBytes: number;
  config: ScanConfig;
  /** The set the calling thread's matcher was built from, for the workers' matchers. */
  fingerprints: LoadedFingerprints | undefined;
  /** At most this many threads (the calling one included), and at most one per core. */
  threads: number;
}

/**
 * Scans `files` (absolute paths, shown relative to `cwd`) into `scan`, on more threads when
 * the scan is long (see {@link worthWorkers}) and the worker's module exists.
 */
export async function scanFileList(
  files: readonly string[],
  options: FileListOptions,
  scan: SourceScan,
): Promise<void> {
  const list: SharedList = {
    cwd: options.cwd,
    files,
    maxBytes: options.maxBytes,
    next: new Int32Array(new SharedArrayBuffer(4)),
    owner: new Uint8Array(new SharedArrayBuffer(Math.max(1, files.length))),
  };
  const workerCount = Math.max(
    0,
    Math.min(options.threads, MAX_SCAN_THREADS, availableParallelism()) - 1,
  );
  const outcomes: Array<FileOutcome | undefined> = new Array(files.length);
  const workers: StartedWorker[] = [];
  const scratch = new ScratchBuffer();
  const started = performance.now();
  let workersStarted = workerCount === 0 || !existsSync(fileURLToPath(WORKER_URL));
  try {
    for (let taken = 0; ; taken++) {
      await yieldEveryBatch(taken);
      const index = Atomics.add(list.next, 0, 1);
      if (index >= files.length) break;
      Atomics.store(list.owner, index, 1);
      outcomes[index] = scanFileAt(list, index, scan, scratch);
      if (!workersStarted && worthWorkers(list, taken + 1, performance.now() - started)) {
        workersStarted = true;
        // Loaded only for a scan that starts one: a pre-commit hook pays for each module.
        const { Worker: Thread } = await import("node:worker_threads");
        for (let n = 0; n < workerCount; n++) {
          const worker = startWorker(Thread, {
            ...list,
            config: options.config,
            fingerprints: options.fingerprints,
            worker: n,
          });
          if (worker) workers.push(worker);
        }
      }
    }
    // A worker that took no file is stopped, not waited for (it may still be starting); when
    // a file is taken but not yet marked, every worker is waited for.
    const unmarked = list.owner.some((mark, index) => mark === 0 && index < files.length);
    for (const [n, worker] of workers.entries()) {
      if (!unmarked && !list.owner.includes(2 + n)) continue;
      const output = await worker.done;
      for (const [index, outcome] of output?.outcomes ?? []) outcomes[index] = outcome;
    }
  } finally {
    for (const worker of workers) worker.stop();
  }
  for (const [index, outcome] of outcomes.entries()) {
    record(scan, outcome ?? scanFileAt(list, index, scan, scratch));
  }
}

/** Records what one file gave into `scan`. */
function record(scan: SourceScan, outcome: FileOutcome): void {
  if ("skipped" in outcome) {
    scan.skip(outcome.skipped);
    return;
  }
  if (!("file" in outcome)) return;
  const { file, path, found } = outcome;
  if (!found) {
    scan.record({ file, path, content: Buffer.alloc(0) }, { text: "", findings: [] });
    return;
  }
  const { text } = found;
  // A finding sent from a worker lost its secret (`match`, not enumerable): put it back.
  const findings = found.findings.map((finding) =>
    Object.hasOwn(finding, "match")
      ? finding
      : withMatch(finding, text.slice(finding.start, finding.end)),
  );
  const content = Buffer.from(found.content.buffer, found.content.byteOffset, found.content.length);
  scan.record({ file, path, content }, { text, findings });
}
