#!/usr/bin/env node
import { mkdirSync } from "node:fs";
import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";

// V8's compile cache (Node.js >= 22.1) roughly halves module loading on later runs; it goes to
// a folder of this user's own (Node's default is the shared temp folder).
const enableCompileCache = (module as { enableCompileCache?: (dir: string) => unknown })
  .enableCompileCache;
try {
  if (enableCompileCache) {
    const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
    const dir = join(cacheHome, "agent-vault", "v8");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    enableCompileCache(dir);
  }
} catch {
  // no cache: only slower
}

const argv = process.argv.slice(2);
const staged = argv.includes("scan") && argv.includes("--staged");
// The hook's patterns straight to machine code: by default V8 first compiles each one for its
// interpreter and again on its second run, which 20 small files paid with about 20 ms (0.91x
// the hook's time without); a scan of many files does better with the default (the docs
// folder took 1.07x its time with the flag). Only on Node.js 20: set at run time on Node.js 24,
// the flag made about one run in 25 die of a segmentation fault (18 of 460; none of 450 on 20).
const nodeMajor = Number(process.versions.node.split(".")[0]);
if (staged && nodeMajor === 20) setFlagsFromString("--no-regexp-tier-up");
// `vault scan --staged` (the pre-commit hook): its git calls start now, while the scanner loads.
if (staged) {
  (await import("../scan/staged-prefetch.js")).prefetchStaged({ cwd: process.cwd() });
}
const { processIo } = await import("./io.js");
const plain = await import("./plain.js");
// A running `vault agent` answers first (see plain.ts); `io` may then hold stdin it read.
const { code: served, io } = await plain.servedByAgent(argv, processIo());
// `vault get`, `env`, `run`, `scan`, `openclaw resolve`, ...: their plain command lines without
// commander (plain.ts); any other line through the full command line (run.ts).
const code =
  served ?? (await plain.runPlain(argv, io)) ?? (await (await import("./run.js")).run(argv, io));
// Let stdout drain before exiting; keytar's D-Bus thread could otherwise keep the process alive.
process.stdout.write("", () => process.exit(code));
