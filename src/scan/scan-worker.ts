/**
 * A worker thread of a scan of many files (parallel-scan.ts): takes files from the shared
 * counter, scans them with the agent's fingerprints and the config's path ignores, and sends
 * back what each gave.
 */
import { parentPort, workerData } from "node:worker_threads";
import { configFilter } from "./config.js";
import { readFingerprints } from "./fingerprints.js";
import {
  type FileOutcome,
  scanTakenFiles,
  type WorkerInput,
  type WorkerOutput,
} from "./parallel-scan.js";
import { SourceScan } from "./scan.js";

const input = workerData as WorkerInput;
const matcher = await readFingerprints(input.agentDir);
const scan = new SourceScan({
  filter: configFilter(input.config),
  ...(matcher ? { matcher } : {}),
});
const outcomes: Array<[number, FileOutcome]> = [];
await scanTakenFiles(input, 2 + input.worker, scan, outcomes);
parentPort?.postMessage({ outcomes } satisfies WorkerOutput);
