/**
 * A worker thread of a long scan of files (parallel-scan.ts): takes files from the shared
 * counter, scans them with the fingerprint set the scan read and the config's path ignores, and
 * sends back what each gave.
 */
import { parentPort, workerData } from "node:worker_threads";
import { configFilter } from "./config.js";
import { fingerprintMatcher } from "./fingerprints.js";
import { scanTakenFiles, type WorkerInput, type WorkerOutput } from "./parallel-scan.js";
import { SourceScan } from "./scan.js";

const input = workerData as WorkerInput;
const scan = new SourceScan({
  filter: configFilter(input.config),
  ...(input.fingerprints ? { matcher: fingerprintMatcher(input.fingerprints) } : {}),
});
const output: WorkerOutput = { outcomes: scanTakenFiles(input, 2 + input.worker, scan) };
parentPort?.postMessage(output);
