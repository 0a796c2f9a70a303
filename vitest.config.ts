import { availableParallelism } from "node:os";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import SoakFirstSequencer from "./test/setup/soak-first.js";
import {
  ISOLATED_FILES,
  OWN_CLUSTER_FILES,
  SOAK_FILES,
  STORAGE_FREE_FILES,
  STORE_AGNOSTIC_FILES,
} from "./test/setup/suites.js";

/**
 * One run, four projects sharing the workers: the suite on the file store ("file", and its
 * kill loops and timing guard "file-soak"), then every test about storage again on PostgreSQL ("postgres",
 * "postgres-soak"; one cluster for the run, test/setup/test-store.ts; which files run once is
 * test/setup/suites.ts).
 * AGENT_VAULT_TEST_STORE=file or =postgres runs one store's projects only.
 */
const only = process.env.AGENT_VAULT_TEST_STORE;
/** The JSON report (.ci/run sums it). */
const report = process.env.VITEST_JSON ?? ".vitest-tmp/results.json";

/** A short timeout shows a hang as a hang; the soak projects have their own. */
const UNIT_TIMEOUT_MS = 60_000;
const SOAK_TIMEOUT_MS = 300_000;

function project(
  name: string,
  store: "file" | "postgres",
  soak: boolean,
): TestProjectInlineConfiguration {
  const excluded = [
    ...(soak ? [] : [...SOAK_FILES, ...ISOLATED_FILES]),
    ...(store === "postgres"
      ? [...OWN_CLUSTER_FILES, ...STORAGE_FREE_FILES, ...STORE_AGNOSTIC_FILES]
      : []),
  ];
  return {
    extends: true,
    test: {
      name,
      include: soak ? [...SOAK_FILES, ...ISOLATED_FILES] : ["test/**/*.test.ts"],
      // A fresh process per file for the kill loops and the timing guard; the others share
      // their worker's process (test/setup/suites.ts).
      isolate: soak,
      exclude: excluded,
      env: { AGENT_VAULT_TEST_STORE: store },
      testTimeout: soak ? SOAK_TIMEOUT_MS : UNIT_TIMEOUT_MS,
      hookTimeout: soak ? SOAK_TIMEOUT_MS : 60_000,
      // The library bundled for the kill loops' child processes; on PostgreSQL, the cluster
      // and its template database for the run.
      globalSetup: [
        "test/setup/test-library.ts",
        ...(store === "postgres" ? ["test/setup/test-store.ts"] : []),
      ],
    },
  };
}

export default defineConfig({
  test: {
    pool: "forks",
    // Most tests wait on child processes (the CLI, kill loops, a server): every core works.
    // AGENT_VAULT_TEST_WORKERS=1 runs one file at a time (CI: the keychain tests' "typed error
    // within 2 s" checks get the machine to themselves).
    maxWorkers: Number(process.env.AGENT_VAULT_TEST_WORKERS) || availableParallelism(),
    sequence: { sequencer: SoakFirstSequencer },
    projects: [
      ...(only === "postgres"
        ? []
        : [project("file", "file", false), project("file-soak", "file", true)]),
      ...(only === "file"
        ? []
        : [project("postgres", "postgres", false), project("postgres-soak", "postgres", true)]),
    ],
    // …and fails a test that wrote vault files where it should not (guard-store.ts).
    setupFiles: ["test/setup/guard-store.ts"],
    // The skip reporter ends the output with why tests were skipped (helpers/capabilities.ts).
    reporters: ["default", "json", "./test/setup/skip-reporter.ts"],
    outputFile: { json: report },
  },
});
