/**
 * vitest setup file, two guards that keep both stores honest:
 *
 * - In the run on PostgreSQL, a test that still wrote a vault file (it opened a home that was
 *   not prepared for the run's store) fails, so no test passes there by quietly using the file
 *   store. Temp folders removed by the test itself are checked as they are removed
 *   (`tempDir().cleanup()`, helpers/test-store.ts `removeTempDir`); this hook catches the
 *   folders that outlive the test.
 * - On the file store, a test of a file listed as storage-free (suites.ts: it does not run on
 *   PostgreSQL) fails when it prepares a home or runs the CLI with one.
 */
import { relative, resolve } from "node:path";
import { afterEach, beforeAll, expect } from "vitest";
import {
  leakedVaultFiles,
  TEST_STORE,
  takeStorageTouches,
  vaultFilesWritten,
} from "../helpers/test-store.js";
import { STORAGE_FREE_FILES } from "./suites.js";

const ROOT = resolve(import.meta.dirname, "../..");

// Files share their worker's process: what the file before this one touched after its last
// test (an `afterAll` stopping its agent) is not this file's.
beforeAll(() => {
  takeStorageTouches();
});

afterEach(() => {
  const touches = takeStorageTouches();
  if (TEST_STORE !== "file") {
    const files = vaultFilesWritten();
    if (files.length > 0) throw leakedVaultFiles(files);
    return;
  }
  const file = relative(ROOT, expect.getState().testPath ?? "");
  if (touches.length > 0 && STORAGE_FREE_FILES.includes(file)) {
    throw new Error(
      `${file} is listed as storage-free in test/setup/suites.ts, so it does not run on ` +
        `PostgreSQL, but this test reached a store (${touches.slice(0, 3).join("; ")}). ` +
        "Remove the file from STORAGE_FREE_FILES.",
    );
  }
});
