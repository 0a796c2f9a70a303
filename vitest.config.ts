import { defineConfig } from "vitest/config";

/** The JSON report (.ci/run sums them): the PostgreSQL run writes beside the file-store run's. */
const report = process.env.VITEST_JSON ?? ".vitest-tmp/results.json";
const onPostgres = process.env.AGENT_VAULT_TEST_STORE === "postgres";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Starts a PostgreSQL cluster when AGENT_VAULT_TEST_STORE=postgres (npm run test:postgres).
    globalSetup: ["test/setup/test-store.ts"],
    // …and fails a test that still wrote vault files there (it ran on the file store).
    setupFiles: ["test/setup/guard-store.ts"],
    // The skip reporter ends the output with why tests were skipped (helpers/capabilities.ts).
    reporters: ["default", "json", "./test/setup/skip-reporter.ts"],
    outputFile: { json: onPostgres ? report.replace(/(\.json)?$/, "-postgres.json") : report },
  },
});
