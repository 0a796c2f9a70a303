#!/usr/bin/env node
/**
 * Bundles the CLI (`npm run build` runs it after tsc): src/cli/bin.ts becomes dist/cli/bin.js,
 * the bin package.json names, with every command module in its own chunk under
 * dist/cli/chunks/ (esbuild's code splitting keeps the dynamic imports of
 * src/cli/command-table.ts lazy, so a command line loads only the code of the command it runs).
 * The options are scripts/bundle-options.mjs (packages stay in node_modules).
 * dist/cli/chunks/meta.json maps each chunk to the source files in it (test/cli-startup.test.ts
 * reads it to name what a command line loaded).
 */
import { rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { BUNDLE_OPTIONS } from "./bundle-options.mjs";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "dist/cli");
const CHUNKS = join(OUT, "chunks");

rmSync(CHUNKS, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { bin: "src/cli/bin.ts" },
  outdir: OUT,
  ...BUNDLE_OPTIONS,
  allowOverwrite: true,
  metafile: true,
});

/** Chunk (path under dist/cli) → the source files bundled into it. */
const chunks = {};
for (const [path, output] of Object.entries(result.metafile.outputs)) {
  chunks[relative(OUT, join(ROOT, path))] = Object.keys(output.inputs).sort();
}
writeFileSync(join(CHUNKS, "meta.json"), `${JSON.stringify(chunks, null, 1)}\n`);
