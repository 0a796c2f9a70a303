/**
 * vitest setup file: in the run on PostgreSQL, a test that still wrote a vault file (it opened
 * a home that was not prepared for the run's store) fails, so no test passes there by quietly
 * using the file store.
 */
import { afterEach } from "vitest";
import { TEST_STORE, vaultFilesWritten } from "../helpers/test-store.js";

if (TEST_STORE !== "file") {
  afterEach(() => {
    const files = vaultFilesWritten();
    if (files.length === 0) return;
    throw new Error(
      `This test wrote vault files in the PostgreSQL run: ${files.join(", ")}. ` +
        "Call prepareHome(home) before createVault/openVault, or run it on the file store only (ON_FILE_STORE).",
    );
  });
}
