/**
 * The esbuild options the bin is bundled with (scripts/build-bin.mjs), shared by the library
 * bundle the tests' kill loops load (test/setup/test-library.ts): one ES module per entry with
 * its shared code in chunks (dynamic imports stay lazy), for Node.js 20, packages left in
 * node_modules (keytar is native, pg and cron-parser load on first use).
 */
export const BUNDLE_OPTIONS = {
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  legalComments: "none",
  logLevel: "warning",
};
