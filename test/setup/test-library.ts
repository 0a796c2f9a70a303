/**
 * vitest global setup of every project: the library as one bundle for the child processes of
 * the kill loops (test/fixtures/durability/, test/fixtures/postgres/), in
 * .cache/test-library/index.js.
 *
 * Those loops start a few hundred Node processes a run, each loading the library before its
 * first write. Loaded from dist/ (tsc's output, one module per source file) that costs about
 * 0.22 s of CPU a process; bundled from the same sources (esbuild, as the bin is built) about
 * 0.16 s. The code is the same, bundled with the bin's options (scripts/bundle-options.mjs);
 * only how it is split into files differs. The published library itself is tested from dist/
 * (test/public-api.test.ts, test/examples.test.ts).
 *
 * The bundle is rebuilt when a source file or those options changed (a hash of them names it), into a folder of
 * its own first and then renamed into place, so a project's setup running beside another's
 * never sees half a bundle.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { BUNDLE_OPTIONS } from "../../scripts/bundle-options.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const SOURCES = join(ROOT, "src");
const CACHE = join(ROOT, ".cache");
export const TEST_LIBRARY = join(CACHE, "test-library");
const STAMP = "sources.sha256";

/** A hash of every file under src/ (names and contents, in a stable order) and the options. */
function sourcesHash(): string {
  const hash = createHash("sha256");
  const files = readdirSync(SOURCES, { recursive: true, encoding: "utf8" })
    .filter((file) => statSync(join(SOURCES, file)).isFile())
    .sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(SOURCES, file)));
  }
  hash.update(readFileSync(join(ROOT, "scripts/bundle-options.mjs")));
  return hash.digest("hex");
}

function isCurrent(stamp: string): boolean {
  const path = join(TEST_LIBRARY, STAMP);
  return existsSync(path) && readFileSync(path, "utf8") === stamp;
}

export default async function setup(): Promise<void> {
  const stamp = sourcesHash();
  if (isCurrent(stamp)) return;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, "test-library-"));
  try {
    await build({
      absWorkingDir: ROOT,
      entryPoints: { index: "src/index.ts", postgres: "src/exports/postgres.ts" },
      outdir: staging,
      ...BUNDLE_OPTIONS,
    });
    writeFileSync(join(staging, STAMP), stamp);
    if (isCurrent(stamp)) return; // another project's setup got there first
    rmSync(TEST_LIBRARY, { recursive: true, force: true });
    try {
      renameSync(staging, TEST_LIBRARY);
    } catch (error) {
      // Another project's setup renamed its own bundle of the same sources in between.
      if (!isCurrent(stamp)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
