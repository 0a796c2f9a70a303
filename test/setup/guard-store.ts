/**
 * vitest setup file: in the run on PostgreSQL, a test that still wrote a vault file (it opened
 * a home that was not prepared for the run's store) fails, so no test passes there by quietly
 * using the file store. Temp folders removed by the test itself are checked as they are
 * removed (`tempDir().cleanup()`, helpers/test-store.ts `removeTempDir`); this hook catches
 * the folders that outlive the test.
 */
import { afterEach } from "vitest";
import { leakedVaultFiles, TEST_STORE, vaultFilesWritten } from "../helpers/test-store.js";

if (TEST_STORE !== "file") {
  afterEach(() => {
    const files = vaultFilesWritten();
    if (files.length === 0) return;
    throw leakedVaultFiles(files);
  });
}
