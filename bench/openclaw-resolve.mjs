// node bench/openclaw-resolve.mjs: wall time of one `vault openclaw resolve` request for 10 ids,
// spawned as OpenClaw spawns it (a fresh process, JSON on stdin), against `node -e 0` measured
// in the same run. Rows: the bin as built; the bin's proposed fast path (an entry that calls
// runOpenclawResolveFast without loading commander and the other commands); and, on Node >= 22.1,
// that entry with V8's compile cache enabled (in a private folder).
// Needs a build (npx tsc -p tsconfig.json). BENCH_RUNS (default 21) samples per row.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createVault, keyFileKey } from "../dist/index.js";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist/cli/bin.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const IDS = 10;

const home = mkdtempSync(join(tmpdir(), "agent-vault-bench-openclaw-"));
const keyFile = join(home, "bench.key");
const fastEntry = join(home, "fast-entry.mjs");
const cachedEntry = join(home, "fast-entry-cached.mjs");

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p90: at(0.9) };
}

function time(args, input) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    input,
    env: { HOME: home, PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`failed: ${args.join(" ")}\n${result.stderr}`);
  return { ms, stdout: result.stdout.toString("utf8") };
}

try {
  const { vault } = await createVault({ agent: "main", home, keySource: keyFileKey(keyFile) });
  const names = Array.from({ length: IDS }, (_, i) => `PROVIDER${i}_API_KEY`);
  await vault.setMany(names.map((name, i) => ({ name, value: `sk-bench-${i}-${"x".repeat(40)}` })));
  vault.close();
  const ids = Array.from({ length: IDS }, (_, i) => `providers/provider${i}/apiKey`);
  const request = JSON.stringify({ protocolVersion: 1, provider: "agentvault", ids });
  const resolverArgs = ["openclaw", "resolve", "--home", home, "--key-file", keyFile];
  // The proposed bin fast path: dynamic imports only, so that a compile cache (Node >= 22.1)
  // can be enabled before the heavy modules load.
  const entry = (compileCache) =>
    [
      'import module from "node:module";',
      compileCache ? `module.enableCompileCache?.(${JSON.stringify(join(home, "cc"))});` : "",
      `const { processIo } = await import(${JSON.stringify(join(ROOT, "dist/cli/io.js"))});`,
      `const { runOpenclawResolveFast } = await import(${JSON.stringify(join(ROOT, "dist/cli/commands/openclaw.js"))});`,
      "const code = await runOpenclawResolveFast(process.argv.slice(2), processIo());",
      'process.stdout.write("", () => process.exit(code ?? 70));',
    ].join("\n");
  writeFileSync(fastEntry, entry(false));
  writeFileSync(cachedEntry, entry(true));
  const rows = [
    ["node -e 0 (baseline)", ["-e", "0"]],
    ["vault openclaw resolve (bin as built)", [BIN, ...resolverArgs]],
    ["vault openclaw resolve (fast path entry)", [fastEntry, ...resolverArgs]],
  ];
  if (typeof module.enableCompileCache === "function") {
    rows.push(["fast path entry + compile cache", [cachedEntry, ...resolverArgs]]);
  }
  // Warm the file cache once per row, and check that every id resolves.
  for (const [, args] of rows.slice(1)) {
    const answer = JSON.parse(time(args, request).stdout);
    if (Object.keys(answer.values).length !== IDS) throw new Error("not every id resolved");
  }
  const results = rows.map(([label, args]) => {
    const samples = [];
    for (let i = 0; i < RUNS; i++) samples.push(time(args, request).ms);
    return { label, ...stats(samples) };
  });
  const baseline = results[0].median;
  console.log(`Node ${process.version}, ${IDS} ids per request, ${RUNS} runs per row\n`);
  console.log("| command | median ms | p90 ms | median over baseline |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const { label, median, p90 } of results) {
    console.log(
      `| ${label} | ${median.toFixed(0)} | ${p90.toFixed(0)} | +${(median - baseline).toFixed(0)} |`,
    );
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
