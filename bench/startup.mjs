// node bench/startup.mjs: start-up of the commands scripts and hooks run, whole process, as
// ratios to `node -e 0` taken pair by pair (baseline and command in turn, so a drift in the
// machine's speed hits both), medians of BENCH_RUNS (default 15). NODE_EXTRA_CA_CERTS is unset
// for every process (it adds a certificate load to each Node start).
// Rows: `vault get` on 100 and 10,000 secrets (key file; their ratio also pair by pair), `vault openclaw resolve` of 10 ids,
// `vault scan --staged` of 20 staged Markdown files (this README cut in 20 parts), no vault;
// `vault get` with no agent running (the slot's own key file: the agent check, then a direct
// open), through a running `vault agent` (key file slot, and a passphrase slot: no Argon2id
// per call), and a direct `vault get` on the passphrase slot (one Argon2id each, fewer pairs).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createVault, keyFileKey, passphraseKey } from "../dist/index.js";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist/cli/bin.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** Pairs for rows that pay an Argon2id per call (about a second each). */
const SLOW_RUNS = Math.min(RUNS, 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const home = mkdtempSync(join(tmpdir(), "agent-vault-bench-startup-"));
const keyFile = join(home, "bench.key");
const { NODE_EXTRA_CA_CERTS: _unset, ...inherited } = process.env;
const env = {
  PATH: inherited.PATH,
  HOME: home,
  AGENT_VAULT_HOME: home,
  XDG_CACHE_HOME: join(home, ".cache"),
};

/** Wall ms of one run of node with `args`; throws on a non-zero exit other than `alsoOk`. */
function time(args, options = {}) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    env: options.env ?? env,
    cwd: options.cwd ?? home,
    input: options.input ?? "",
  });
  const ms = performance.now() - start;
  if (result.status !== 0 && result.status !== options.alsoOk)
    throw new Error(`failed: ${args.join(" ")}\n${result.stderr}`);
  return ms;
}

try {
  for (const size of [100, 10_000]) {
    const { vault } = await createVault({
      home,
      agent: `b${size}`,
      keySource: keyFileKey(keyFile),
    });
    await vault.setMany(
      Array.from({ length: size }, (_, i) => ({
        name: `SECRET_${String(i).padStart(5, "0")}`,
        value: `sk-bench-${i}-${"v".repeat(40)}`,
        tags: ["bench"],
      })),
    );
    vault.close();
  }
  const passphraseFile = join(home, "passphrase");
  writeFileSync(passphraseFile, "bench passphrase, moderate argon2id\n");
  const { vault: passVault } = await createVault({
    home,
    agent: "p100",
    keySource: passphraseKey("bench passphrase, moderate argon2id"),
  });
  await passVault.setMany(
    Array.from({ length: 100 }, (_, i) => ({
      name: `SECRET_${String(i).padStart(5, "0")}`,
      value: `sk-bench-${i}-${"v".repeat(40)}`,
    })),
  );
  passVault.close();
  const { vault } = await createVault({ home, agent: "main", keySource: keyFileKey(keyFile) });
  await vault.setMany(
    Array.from({ length: 10 }, (_, i) => ({
      name: `PROVIDER${i}_API_KEY`,
      value: `sk-bench-${i}-${"x".repeat(40)}`,
    })),
  );
  vault.close();
  const request = JSON.stringify({
    protocolVersion: 1,
    provider: "agentvault",
    ids: Array.from({ length: 10 }, (_, i) => `providers/provider${i}/apiKey`),
  });

  const repo = join(home, "repo");
  mkdirSync(repo);
  const gitEnv = { ...env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  execFileSync("git", ["init", "-q"], { cwd: repo, env: gitEnv });
  const readme = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
  const per = Math.ceil(readme.length / 20);
  for (let i = 0; i < 20; i++) {
    writeFileSync(join(repo, `doc${i}.md`), readme.slice(i * per, (i + 1) * per).join("\n"));
  }
  execFileSync("git", ["add", "."], { cwd: repo, env: gitEnv });

  const get = (agent) => [BIN, "get", "SECRET_00050", "--agent", agent, "--key-file", keyFile];
  const served = (agent) => [BIN, "get", "SECRET_00050", "--agent", agent];
  // No agent for b100 yet: its row measures the agent check on the direct path.
  time(served("b100"));
  const agentStart = (agent, ...flags) =>
    time([BIN, "agent", "start", "--agent", agent, "--ttl", "1h", ...flags]);
  const rows = [
    ["`vault get NAME`, 100 secrets", () => time(get("b100"))],
    [
      "`vault get NAME`, 100 secrets, no agent running (slot's key file)",
      () => time(served("b100")),
    ],
    ["`vault get NAME`, 10,000 secrets", () => time(get("b10000"))],
    [
      "`vault openclaw resolve`, 10 ids",
      () =>
        time([BIN, "openclaw", "resolve", "--home", home, "--key-file", keyFile], {
          input: request,
        }),
    ],
    [
      "`vault scan --staged`, 20 staged Markdown files",
      () =>
        time([BIN, "scan", "--staged"], {
          cwd: repo,
          env: { ...gitEnv, AGENT_VAULT_HOME: join(repo, ".no-vault") },
          alsoOk: 1, // the README's examples are findings
        }),
    ],
  ];
  rows.push(
    [
      "`vault get NAME` through `vault agent`, 100 secrets (key file slot)",
      () => time(served("a100")),
    ],
    [
      "`vault get NAME` through `vault agent`, 100 secrets (passphrase slot)",
      () => time(served("p100")),
    ],
    [
      "`vault get NAME`, 100 secrets, passphrase slot, no agent (one Argon2id)",
      () => time([...served("p100"), "--passphrase-file", passphraseFile]),
      SLOW_RUNS,
    ],
  );
  // The agent serves its own agent id: a100 is b100's twin with an agent running.
  const { vault: twin } = await createVault({
    home,
    agent: "a100",
    keySource: keyFileKey(keyFile),
  });
  await twin.setMany(
    Array.from({ length: 100 }, (_, i) => ({
      name: `SECRET_${String(i).padStart(5, "0")}`,
      value: `sk-bench-${i}-${"v".repeat(40)}`,
      tags: ["bench"],
    })),
  );
  twin.close();
  agentStart("a100");
  agentStart("p100", "--passphrase-file", passphraseFile);
  for (const [, run] of rows) run(); // warm the file cache (and the compile cache on Node >= 22)
  const out = [
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${RUNS} pairs each, medians; NODE_EXTRA_CA_CERTS unset.`,
    "",
    "| command | wall time | `node -e 0` in the same pairs | ratio (median of pairs) |",
    "| --- | ---: | ---: | ---: |",
  ];
  const gets = {};
  for (const [label, run, runs = RUNS] of rows) {
    const base = [];
    const cmd = [];
    const ratio = [];
    for (let i = 0; i < runs; i++) {
      const b = time(["-e", "0"]);
      const c = run();
      base.push(b);
      cmd.push(c);
      ratio.push(c / b);
    }
    gets[label] = cmd;
    out.push(
      `| ${label} | ${median(cmd).toFixed(0)} ms | ${median(base).toFixed(0)} ms | ${median(ratio).toFixed(2)}x |`,
    );
  }
  const [small, large] = ["`vault get NAME`, 100 secrets", "`vault get NAME`, 10,000 secrets"];
  // The two sizes in turn, pair by pair: a ratio of the rows' medians (taken a minute apart)
  // moves with the machine's load.
  const sizes = [];
  for (let i = 0; i < RUNS; i++) {
    const at100 = time(get("b100"));
    sizes.push(time(get("b10000")) / at100);
  }
  out.push(
    "",
    `\`vault get\` at 10,000 secrets / at 100: ${median(sizes).toFixed(2)}x (median of ${RUNS} pairs, the two in turn; ${(median(gets[large]) / median(gets[small])).toFixed(2)}x from the rows' medians).`,
  );
  // Every agent row was answered by the agent (its audit records say so).
  for (const agent of ["a100", "p100"]) {
    const log = readFileSync(join(home, "agents", agent, "audit.jsonl"), "utf8")
      .trim()
      .split("\n");
    const viaAgent = log.filter((line) => JSON.parse(line).via === "agent").length;
    if (viaAgent < RUNS) throw new Error(`the agent of ${agent} answered ${viaAgent} gets`);
  }
  console.log(out.join("\n"));
} finally {
  for (const agent of ["a100", "p100"]) {
    spawnSync(process.execPath, [BIN, "agent", "stop", "--agent", agent], { env, cwd: home });
  }
  rmSync(home, { recursive: true, force: true });
}
