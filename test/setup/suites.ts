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
 */
export const SOAK_FILES = [
  "test/durability.test.ts",
  "test/durability-slots.test.ts",
  "test/rotation-durability.test.ts",
  "test/rekey.test.ts",
  "test/postgres-fleet.test.ts",
];

export const STORAGE_FREE_FILES = [
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

/** Tests of PostgresStore itself: each starts its own cluster, so they run once. */
export const OWN_CLUSTER_FILES = ["test/postgres-*.test.ts"];
