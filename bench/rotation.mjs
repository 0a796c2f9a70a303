// Rotation benchmarks (part of `npm run bench`): `vault rotate` over 1,000 due secrets and
// `vault status` over 10,000 scheduled secrets, each next to a baseline measured in the same
// run (`node -e 0`, and `vault list` on the same vault). Prints a Markdown table.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createVault, keyFileKey, openVault } from "../dist/index.js";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist/cli/bin.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const home = mkdtempSync(join(tmpdir(), "agent-vault-bench-rotation-"));
const keyFile = join(home, "bench.key");
const past = () => new Date(Date.now() - 3 * 86_400_000);

function timeSpawn(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(
      `bench command failed: ${args.join(" ")}\n${result.stderr}${result.stdout.toString().slice(0, 400)}`,
    );
  return { ms, stdout: result.stdout.toString("utf8") };
}

/** A vault of `count` secrets created three days ago, each with `policy`. */
async function seed(agent, count, policy) {
  const { vault } = await createVault({ home, agent, keySource: keyFileKey(keyFile), now: past });
  const entries = Array.from({ length: count }, (_, i) => ({
    name: `SECRET_${String(i).padStart(5, "0")}`,
    value: `initial-value-${i}-${"x".repeat(24)}`,
    rotation: policy,
  }));
  for (let i = 0; i < entries.length; i += 1000) await vault.setMany(entries.slice(i, i + 1000));
  vault.close();
}

const cli = (agent, ...args) => [
  BIN,
  ...args,
  "--home",
  home,
  "--agent",
  agent,
  "--key-file",
  keyFile,
];
const rows = [];

// node startup, the floor of every CLI figure.
const nodeMs = median(Array.from({ length: RUNS }, () => timeSpawn(["-e", "0"]).ms));

// vault rotate over 1,000 due random: secrets (a fresh vault per run: each run rotates them all).
const rotateRuns = [];
const listRuns = [];
for (let run = 0; run < RUNS; run++) {
  const agent = `rotate-${run}`;
  await seed(agent, 1000, { maxAge: "1d", rotator: "random:32" });
  listRuns.push(timeSpawn(cli(agent, "list", "--json")).ms);
  const { ms, stdout } = timeSpawn(cli(agent, "rotate", "--json"));
  const summary = JSON.parse(stdout).summary;
  if (summary.rotated !== 1000) throw new Error(`expected 1000 rotations, got ${summary.rotated}`);
  rotateRuns.push(ms);
}
const rotateMs = median(rotateRuns);
const listMs = median(listRuns);
rows.push(["`vault rotate`, 1,000 due secrets (random:32)", rotateMs, listMs, "< 5,000 ms"]);

// A host rotator command (a shell script named in the home's rotators.json) through all four
// protocol steps, 100 due secrets.
const rotator = join(home, "rotator.sh");
writeFileSync(
  rotator,
  '#!/bin/sh\nread -r line\ncase "$line" in *\\"create\\"*) printf \'{"ok":true,"value":"v-%s-%s"}\' "$$" "$(date +%s%N)";; *) printf \'{"ok":true}\';; esac\n',
);
chmodSync(rotator, 0o755);
writeFileSync(
  join(home, "rotators.json"),
  JSON.stringify({ rotators: { "bench-shell": { command: [rotator] } } }),
  { mode: 0o600 },
);
await seed("command", 100, { maxAge: "1d", rotator: "bench-shell" });
const commandRun = timeSpawn(cli("command", "rotate", "--json"));
if (JSON.parse(commandRun.stdout).summary.rotated !== 100)
  throw new Error("command rotations failed");
rows.push([
  "`vault rotate`, 100 due secrets, a host command rotator (4 steps each)",
  commandRun.ms,
  listMs,
  "—",
]);

// vault status over 10,000 scheduled secrets.
await seed("status", 10_000, { schedule: "0 3 1 * *", rotator: "random:32" });
const statusMs = median(
  Array.from({ length: RUNS }, () => timeSpawn(cli("status", "status", "--json")).ms),
);
const statusListMs = median(
  Array.from({ length: RUNS }, () => timeSpawn(cli("status", "list", "--json")).ms),
);
rows.push(["`vault status`, 10,000 scheduled secrets", statusMs, statusListMs, "< 1,000 ms"]);

// In-process: rotationStatus() alone on the same 10,000 secrets, against list().
const vault = await openVault({ home, agent: "status", keySource: keyFileKey(keyFile) });
const inStatus = [];
const inList = [];
for (let run = 0; run < RUNS; run++) {
  let start = performance.now();
  await vault.rotationStatus();
  inStatus.push(performance.now() - start);
  start = performance.now();
  await vault.list();
  inList.push(performance.now() - start);
}
vault.close();
rows.push([
  "`vault.rotationStatus()` in process, 10,000 secrets",
  median(inStatus),
  median(inList),
  "—",
]);

console.log(
  `\nRotation (median of ${RUNS}; node -e 0 = ${nodeMs.toFixed(0)} ms on this machine)\n`,
);
console.log("| operation | ms | baseline: `list` on the same vault, ms | ratio | target |");
console.log("| --- | ---: | ---: | ---: | --- |");
for (const [name, ms, base, target] of rows) {
  console.log(
    `| ${name} | ${ms.toFixed(0)} | ${base.toFixed(0)} | ${(ms / base).toFixed(2)}x | ${target} |`,
  );
}
rmSync(home, { recursive: true, force: true });
