// npm run bench: speed and memory of agent-vault as ratios against baselines measured in the
// same run (no absolute timing is asserted anywhere). Prints a Markdown table for the README.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createVault, keyFileKey } from "../dist/index.js";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist/cli/bin.js");
const SIZES = [100, 1_000, 10_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 11);

const home = mkdtempSync(join(tmpdir(), "agent-vault-bench-"));
const keyFile = join(home, "bench.key");
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timeSpawn(args, env) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`bench command failed: ${args.join(" ")}\n${result.stderr}`);
  return ms;
}

function measure(op, agent) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(
      process.execPath,
      [join(ROOT, "bench/measure.mjs"), op, home, agent, keyFile],
      {
        encoding: "utf8",
      },
    );
    samples.push(JSON.parse(out.trim().split("\n").at(-1)));
  }
  return {
    ms: median(samples.map((s) => s.ms)),
    maxRssMiB: median(samples.map((s) => s.maxRssMiB)),
  };
}

try {
  for (const size of SIZES) {
    const agent = `bench-${size}`;
    const { vault } = await createVault({ home, agent, keySource: keyFileKey(keyFile) });
    const entries = Array.from({ length: size }, (_, i) => ({
      name: `SECRET_${String(i).padStart(5, "0")}`,
      value: `sk-bench-${i}-${"v".repeat(40)}`,
      tags: ["bench"],
    }));
    await vault.setMany(entries);
    vault.close();
  }

  const env = { PATH: process.env.PATH, AGENT_VAULT_HOME: home, HOME: home };
  const cli = {};
  const nodeOnly = [];
  for (const size of SIZES) cli[size] = [];
  for (let i = 0; i < RUNS; i++) {
    nodeOnly.push(timeSpawn(["-e", "0"], env));
    for (const size of SIZES)
      cli[size].push(timeSpawn([BIN, "get", "SECRET_00050", "--agent", `bench-${size}`], env));
  }
  const baseMs = median(nodeOnly);

  const baseline = measure("baseline", "bench-100");
  const rows = [];
  rows.push(
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${RUNS} runs each, medians.`,
  );
  rows.push("");
  rows.push("| measure | 100 secrets | 1,000 secrets | 10,000 secrets |");
  rows.push("| --- | --- | --- | --- |");
  rows.push(
    `| \`vault get\` wall time / \`node -e 0\` (${baseMs.toFixed(0)} ms) | ${SIZES.map((s) => `${(median(cli[s]) / baseMs).toFixed(2)}x (${median(cli[s]).toFixed(0)} ms)`).join(" | ")} |`,
  );
  const openGet = Object.fromEntries(SIZES.map((s) => [s, measure("open-get", `bench-${s}`)]));
  const set = Object.fromEntries(SIZES.map((s) => [s, measure("set", `bench-${s}`)]));
  rows.push(
    `| open + get, in process (ms) | ${SIZES.map((s) => openGet[s].ms.toFixed(1)).join(" | ")} |`,
  );
  rows.push(
    `| set on an open vault (ms) | ${SIZES.map((s) => set[s].ms.toFixed(1)).join(" | ")} |`,
  );
  rows.push(
    `| peak RSS of open + get / library-load baseline (${baseline.maxRssMiB.toFixed(0)} MiB) | ${SIZES.map((s) => `${(openGet[s].maxRssMiB / baseline.maxRssMiB).toFixed(2)}x`).join(" | ")} |`,
  );
  rows.push(
    `| peak RSS of open + set / baseline | ${SIZES.map((s) => `${(set[s].maxRssMiB / baseline.maxRssMiB).toFixed(2)}x`).join(" | ")} |`,
  );
  rows.push(
    `| growth of open + get time vs 100 secrets | 1x | ${(openGet[1000].ms / openGet[100].ms).toFixed(1)}x | ${(openGet[10000].ms / openGet[100].ms).toFixed(1)}x |`,
  );
  rows.push(
    `| growth of set time vs 100 secrets | 1x | ${(set[1000].ms / set[100].ms).toFixed(1)}x | ${(set[10000].ms / set[100].ms).toFixed(1)}x |`,
  );
  console.log(rows.join("\n"));
} finally {
  rmSync(home, { recursive: true, force: true });
}
