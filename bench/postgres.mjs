// PostgreSQL store benchmarks (issue 7): `get` and `set` latency over loopback against the file
// store, and `vault rotate --all-agents` over 1,000 due secrets (10 agents x 100, the staged
// protocol through a registered rotator) by 1 host against 2 hosts at once. Starts its own
// throwaway cluster (scripts/pg-cluster.mjs, fsync on) and prints a Markdown table.
//
//   npm run build && node bench/postgres.mjs            BENCH_OPS=300 by default
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createVault, FileStore, keyFileKey, openVault } from "../dist/index.js";
import { migrate } from "../dist/store/postgres-schema.js";
import { PostgresStore } from "../dist/store/postgres-store.js";

const ROOT = join(import.meta.dirname, "..");
const CLUSTER = join(ROOT, "scripts/pg-cluster.mjs");
const OPS = Number(process.env.BENCH_OPS ?? 300);
const AGENTS = 10;
const PER_AGENT = 100;

/** One `vault rotate --all-agents` host: every agent, every due secret, then exit. */
async function runner(url, keyFile, log, order) {
  const store = new PostgresStore(url);
  const provider = {
    create: () => `rotated-${performance.now()}-${Math.random().toString(36).slice(2)}`,
    apply: () => undefined,
    verify: () => undefined,
    finish: () => undefined,
  };
  let agents = await store.listAgents();
  if (order === "reverse") agents = agents.reverse();
  let rotated = 0;
  for (const agent of agents) {
    const vault = await openVault({ agent, store, keySource: keyFileKey(keyFile) });
    vault.registerRotator("provider", provider);
    for (const outcome of await vault.rotate()) if (outcome.result === "rotated") rotated += 1;
    vault.close();
  }
  appendFileSync(log, `${rotated}\n`);
  await store.close();
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeEach(count, operation) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await operation(i);
    times.push(performance.now() - start);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const ms = (value) => `${value.toFixed(2)} ms`;

async function latency(label, store, keyFile, rows) {
  const { vault } = await createVault({ agent: "latency", store, keySource: keyFileKey(keyFile) });
  await vault.setMany(
    Array.from({ length: 50 }, (_, i) => ({ name: `SECRET_${i}`, value: `value-${i}-xxxxxxxx` })),
  );
  const get = await timeEach(OPS, (i) => vault.get(`SECRET_${i % 50}`));
  const set = await timeEach(OPS, (i) => vault.set(`SECRET_${i % 50}`, `new-value-${i}`));
  vault.close();
  const open = await timeEach(Math.ceil(OPS / 3), async (i) => {
    const opened = await openVault({ agent: "latency", store, keySource: keyFileKey(keyFile) });
    await opened.get(`SECRET_${i % 50}`);
    opened.close();
  });
  rows.push([`${label}: get (open vault)`, ms(get.p50), ms(get.p95)]);
  rows.push([`${label}: set (open vault)`, ms(set.p50), ms(set.p95)]);
  rows.push([`${label}: open + get + close`, ms(open.p50), ms(open.p95)]);
}

async function seedRotation(url, keyFile) {
  const store = new PostgresStore(url);
  const past = () => new Date(Date.now() - 3 * 86_400_000);
  await store.administer("reset", (client) => client.query("DELETE FROM agent_vault.vaults"));
  for (let a = 0; a < AGENTS; a++) {
    const agent = `rot-${String(a).padStart(2, "0")}`;
    const { vault } = await createVault({
      agent,
      store,
      keySource: keyFileKey(keyFile),
      now: past,
    });
    await vault.setMany(
      Array.from({ length: PER_AGENT }, (_, i) => ({
        name: `SECRET_${String(i).padStart(3, "0")}`,
        value: `initial-${agent}-${i}-xxxxxxxxxxxxxxxx`,
        rotation: { maxAge: "1d", rotator: "provider" },
      })),
    );
    vault.close();
  }
  await store.close();
}

async function rotateWith(hosts, url, keyFile, dir) {
  await seedRotation(url, keyFile);
  const log = join(dir, `rotated-${hosts}.log`);
  writeFileSync(log, "");
  const start = performance.now();
  await Promise.all(
    Array.from({ length: hosts }, (_, i) => {
      const child = spawn(
        process.execPath,
        [import.meta.filename, "runner", url, keyFile, log, i % 2 ? "reverse" : "forward"],
        { stdio: ["ignore", "ignore", "inherit"] },
      );
      return new Promise((resolve, reject) =>
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`runner ${code}`)))),
      );
    }),
  );
  const elapsed = performance.now() - start;
  const rotated = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .reduce((sum, line) => sum + Number(line), 0);
  if (rotated !== AGENTS * PER_AGENT)
    throw new Error(`rotated ${rotated}, not ${AGENTS * PER_AGENT}`);
  return elapsed;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "agent-vault-bench-pg-"));
  const clusterDir = join(dir, "cluster");
  const started = spawnSync(process.execPath, [CLUSTER, "start", clusterDir, "0"], {
    encoding: "utf8",
  });
  if (started.status !== 0) throw new Error(started.stderr);
  const url = started.stdout.trim();
  try {
    const admin = new PostgresStore(url);
    await admin.administer("migrate", (client) => migrate(client));
    await admin.close();
    const keyFile = join(dir, "bench.key");
    const rows = [];
    await latency("file store", new FileStore({ home: join(dir, "home") }), keyFile, rows);
    const pgStore = new PostgresStore(url);
    await latency("PostgreSQL (loopback)", pgStore, keyFile, rows);
    await pgStore.close();
    const one = await rotateWith(1, url, keyFile, dir);
    const two = await rotateWith(2, url, keyFile, dir);
    rows.push([
      `rotate 1,000 due secrets (${AGENTS} agents x ${PER_AGENT}), 1 host`,
      `${(one / 1000).toFixed(1)} s`,
      "",
    ]);
    rows.push([
      `rotate 1,000 due secrets (${AGENTS} agents x ${PER_AGENT}), 2 hosts at once`,
      `${(two / 1000).toFixed(1)} s`,
      `x${(one / two).toFixed(2)}`,
    ]);
    console.log(`PostgreSQL store benchmark (${OPS} operations each; fsync on)\n`);
    console.log("| operation | p50 / total | p95 / speed-up |");
    console.log("| --- | --- | --- |");
    for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  } finally {
    spawnSync(process.execPath, [CLUSTER, "stop", clusterDir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "runner") await runner(...args);
else await main();
