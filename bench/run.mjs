// npm run bench: speed and memory of agent-vault as ratios against baselines measured in the
// same run (no absolute timing is asserted anywhere). Prints a Markdown table for docs/benchmarks.md.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createVault, keyFileKey } from "../dist/index.js";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist/cli/bin.js");
const SIZES = [100, 1_000, 10_000];
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
/** `node bench/run.mjs --only-mask`: just the `vault run --mask` throughput table. */
const ONLY_MASK = process.argv.includes("--only-mask");
const MASK_MIB = Number(process.env.BENCH_MASK_MIB ?? 128);
const MASK_RUNS = Math.min(RUNS, 5);

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

/** Runs a command with its stdout piped into this process; returns wall ms and bytes read. */
function timeStream(command, args, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let bytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      bytes += chunk.length;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`bench command failed: ${args.join(" ")}\n${stderr}`));
      else resolve({ ms: performance.now() - start, bytes });
    });
  });
}

/**
 * `vault run --mask` throughput against plain `cat` of the same file in the same run. The
 * file holds the secret's value (and its base64 and hex forms) every 64 KiB or so. Throughput
 * excludes vault's start-up (`vault run --mask -- true`, measured too).
 */
async function maskRows() {
  const value = `sk-bench-${"q".repeat(24)}-mask`;
  const counts = [1, 10, 100];
  for (const count of counts) {
    const { vault } = await createVault({
      home,
      agent: `mask-${count}`,
      keySource: keyFileKey(keyFile),
    });
    await vault.setMany(
      Array.from({ length: count }, (_, i) => ({
        name: `MASK_${String(i).padStart(3, "0")}`,
        value: i === 0 ? value : `sk-other-${i}-${"z".repeat(30)}`,
      })),
    );
    vault.close();
  }
  const line = "2024-01-01T00:00:00Z INFO request handled in 12ms path=/api/v1/items status=200\n";
  const block = Buffer.alloc(65_536, line);
  const forms = [value, Buffer.from(value).toString("base64"), Buffer.from(value).toString("hex")];
  forms.forEach((form, i) => {
    block.write(form, 1_000 + i * 20_000);
  });
  const file = join(home, "mask-input.txt");
  writeFileSync(file, Buffer.alloc(MASK_MIB * 2 ** 20, block));
  const env = { PATH: process.env.PATH, AGENT_VAULT_HOME: home, HOME: home };
  const vaultRun = (agent, mask, ...cmd) => [
    BIN,
    "run",
    "--agent",
    agent,
    ...(mask ? ["--mask"] : []),
    "--",
    ...cmd,
  ];
  const samples = { cat: [], pass: [], startup: [] };
  for (const count of counts) samples[count] = [];
  for (let i = 0; i < MASK_RUNS; i++) {
    samples.cat.push((await timeStream("cat", [file], env)).ms);
    samples.startup.push(
      (await timeStream(process.execPath, vaultRun("mask-1", true, "true"), env)).ms,
    );
    samples.pass.push(
      (await timeStream(process.execPath, vaultRun("mask-1", false, "cat", file), env)).ms,
    );
    for (const count of counts) {
      const result = await timeStream(
        process.execPath,
        vaultRun(`mask-${count}`, true, "cat", file),
        env,
      );
      if (result.bytes >= MASK_MIB * 2 ** 20) throw new Error("--mask did not redact the values");
      samples[count].push(result.ms);
    }
  }
  const mib = MASK_MIB;
  const startup = median(samples.startup);
  const rate = (ms) => `${(mib / (ms / 1000)).toFixed(0)} MiB/s`;
  const net = (ms) => Math.max(ms - startup, 1);
  const out = [
    "",
    `\`vault run\` on ${mib} MiB of log text (${MASK_RUNS} runs, medians; vault start-up ${startup.toFixed(0)} ms subtracted from the vault rows):`,
    "",
    "| command | wall time | throughput |",
    "| --- | --- | --- |",
    `| \`cat FILE\` (baseline) | ${median(samples.cat).toFixed(0)} ms | ${rate(median(samples.cat))} |`,
    `| \`vault run -- cat FILE\` | ${median(samples.pass).toFixed(0)} ms | ${rate(net(median(samples.pass)))} |`,
  ];
  for (const count of counts) {
    const ms = median(samples[count]);
    out.push(
      `| \`vault run --mask -- cat FILE\`, ${count} secret${count === 1 ? "" : "s"} | ${ms.toFixed(0)} ms | ${rate(net(ms))} (${(net(ms) / median(samples.cat)).toFixed(1)}x cat's time) |`,
    );
  }
  return out;
}

try {
  if (ONLY_MASK) {
    console.log((await maskRows()).join("\n"));
    process.exit(0);
  }
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
  rows.push(...(await maskRows()));
  console.log(rows.join("\n"));
} finally {
  rmSync(home, { recursive: true, force: true });
}
