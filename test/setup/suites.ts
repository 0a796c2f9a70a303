/**
 * How the suite is split into vitest projects (vitest.config.ts):
 *
 * - SOAK_FILES: kill loops and long concurrency runs (each a few hundred SIGKILLs or hosts),
 *   with a long timeout of their own so that everything else keeps a short one.
 * - STORAGE_FREE_FILES: tests that never touch a store (pure functions: the scanner's rules,
 *   the redactor, the OpenClaw protocol, crypto vectors). They run once, on the file-store
 *   side; every other file runs on both stores. test/setup/guard-store.ts fails a test of these
 *   files that prepares a home or runs the CLI with one, so the list cannot hide a storage test
 *   from the PostgreSQL run.
 * - STORE_AGNOSTIC_FILES: tests that do reach a store (they prepare homes, run the CLI) but
 *   test something else through it: the OS keychain, export formats, the OpenClaw client, the
 *   command line's parsing and output, the docs and examples, scanning and the hook, rotation's
 *   command line. What they need of a store is the VaultStore contract, which
 *   test/store-conformance.test.ts checks on every store; so they run on the file store only.
 *   Such a file never branches on the store (ON_FILE_STORE, TEST_STORE): a file that needs to
 *   is about storage and runs on both (store-conformance.test.ts checks this too).
 * - LONG_FILES: the slowest of the rest, started right after the soak files so that none of
 *   them starts last on a fresh clone (where vitest has no timings of earlier runs to go by).
 * - ISOLATED_FILES: run with the soak files, each in a fresh process (below).
 *
 * Outside the soak projects a worker's process runs file after file (vitest's `isolate:
 * false`): the sources are loaded once per worker instead of once per file, which took about a
 * seventh of the file store's non-soak CPU time. No test changes the process's environment,
 * working folder or umask for longer than itself, and every home is a temporary folder of its
 * own, so files cannot see each other's state.
 */
export const SOAK_FILES = [
  "test/durability.test.ts",
  "test/durability-slots.test.ts",
  "test/rotation-durability.test.ts",
  "test/rekey.test.ts",
  "test/postgres-fleet.test.ts",
];

export const STORAGE_FREE_FILES = [
  "test/dotenv-parse.test.ts",
  "test/export.test.ts",
  "test/mask.test.ts",
  "test/published-types.test.ts",
  "test/openclaw.test.ts",
  "test/public-api.test.ts",
  "test/scan-accuracy.test.ts",
  "test/scan-eval-data.test.ts",
  "test/scan-fingerprint-guessing.test.ts",
  "test/scan-history-stream.test.ts",
  "test/scan-reference.test.ts",
  "test/scan-linear-time.test.ts",
  "test/scan-move-to-vault.test.ts",
  "test/scan-rules.test.ts",
  "test/scan-rules-ai-cloud-ops-keys.test.ts",
  "test/scan-rules-dev-platforms-connections.test.ts",
  "test/scan-rules-generic.test.ts",
  "test/scan-rules-saas-services-commerce-messaging.test.ts",
  "test/siphash.test.ts",
  "test/tamper.test.ts",
  "test/wycheproof.test.ts",
];

export const STORE_AGNOSTIC_FILES = [
  "test/blake2b.test.ts",
  "test/canonical-json.test.ts",
  "test/cli-plain.test.ts",
  "test/cli-usage.test.ts",
  "test/docs.test.ts",
  "test/examples.test.ts",
  "test/export-cli.test.ts",
  "test/hook.test.ts",
  "test/json-validation.test.ts",
  "test/keychain.test.ts",
  "test/openclaw-cli.test.ts",
  "test/openclaw-integration.test.ts",
  "test/progress.test.ts",
  "test/references.test.ts",
  "test/rotation-cli.test.ts",
  "test/scan-baseline.test.ts",
  "test/scan-cli.test.ts",
  "test/scan-history.test.ts",
];

export const LONG_FILES = [
  "test/scan-linear-time.test.ts",
  "test/agent.test.ts",
  "test/canary.test.ts",
  "test/rotation-cli.test.ts",
  "test/openclaw-integration.test.ts",
  "test/keychain.test.ts",
  "test/export-cli.test.ts",
  "test/cli.test.ts",
];

/**
 * Files that run in a process of their own although they are not soak files (the soak
 * projects isolate every file; the others reuse a worker's process from file to file): the
 * linear-time guard times CPU work, and a heap grown by the files before it would add
 * garbage collection that is not the scanner's.
 */
export const ISOLATED_FILES = ["test/scan-linear-time.test.ts"];

/** Tests of PostgresStore itself: each starts its own cluster, so they run once. */
export const OWN_CLUSTER_FILES = ["test/postgres-*.test.ts"];
