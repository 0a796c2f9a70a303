// npm run bench, `vault scan --history`: a generated agent-workspace repository of 5,000
// commits with a few hundred planted tokens. The whole-history scan's time against
// `git log -p --all` printing the same history to /dev/null, and its peak RSS against a
// working-tree `vault scan` of the same checkout, both measured in this run (medians).

import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { buildHistoryRepo } from "./history-repo.mjs";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "dist/cli/bin.js");
const PRELOAD = join(ROOT, "bench/rss-at-exit.mjs");
const COMMITS = Number(process.env.BENCH_HISTORY_COMMITS ?? 5_000);
const RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dir = mkdtempSync(join(tmpdir(), "agent-vault-history-bench-"));
try {
  const repo = join(dir, "repo");
  const built = buildHistoryRepo(repo, { commits: COMMITS, seed: 11, plantEvery: 15 });
  const home = join(dir, "home");
  const env = { PATH: process.env.PATH, HOME: dir, AGENT_VAULT_HOME: home };
  const devNull = openSync("/dev/null", "w");
  const rssFile = join(dir, "rss");
  /** Wall time of one run (stdout to /dev/null) and, for our own CLI, its peak RSS. */
  const timed = (command, args, { status = 0 } = {}) => {
    const start = performance.now();
    const result = spawnSync(command, args, {
      cwd: repo,
      env: { ...env, BENCH_RSS_FILE: rssFile },
      stdio: ["ignore", devNull, "pipe"],
      maxBuffer: 1 << 26,
    });
    const ms = performance.now() - start;
    if (result.status !== status) {
      throw new Error(
        `bench command failed (${result.status}): ${args.join(" ")}\n${result.stderr}`,
      );
    }
    const rss = command === process.execPath ? Number(readFileSync(rssFile, "utf8")) : 0;
    return { ms, rss };
  };
  const cli = (...args) => [`--import=${PRELOAD}`, BIN, ...args];
  const samples = { gitLog: [], history: [], historyRss: [], tree: [], treeRss: [], again: [] };
  // Warm the page cache and V8's compile cache once.
  timed("git", ["log", "-p", "--all"]);
  timed(process.execPath, cli("scan", "--history", "--format", "json"), { status: 1 });
  for (let i = 0; i < RUNS; i++) {
    samples.gitLog.push(timed("git", ["log", "-p", "--all"]).ms);
    const history = timed(process.execPath, cli("scan", "--history", "--format", "json"), {
      status: 1,
    });
    samples.history.push(history.ms);
    samples.historyRss.push(history.rss);
    const tree = timed(process.execPath, cli("scan", ".", "--format", "json"), { status: 1 });
    samples.tree.push(tree.ms);
    samples.treeRss.push(tree.rss);
    samples.again.push(timed(process.execPath, cli("scan", "--history", "--since", "last")).ms);
  }
  closeSync(devNull);
  const gitLog = median(samples.gitLog);
  const history = median(samples.history);
  const rows = [
    `History scan: ${COMMITS} commits, ${built.planted.length} planted tokens, ${RUNS} runs each, medians.`,
    "",
    "| measure | value |",
    "| --- | --- |",
    `| \`git log -p --all > /dev/null\` (baseline) | ${gitLog.toFixed(0)} ms |`,
    `| \`vault scan --history\` (whole history) | ${history.toFixed(0)} ms = ${(history / gitLog).toFixed(2)}x the baseline |`,
    `| \`vault scan --history --since last\` (nothing new) | ${median(samples.again).toFixed(0)} ms |`,
    `| peak RSS of \`vault scan --history\` / working-tree \`vault scan .\` (${median(samples.treeRss).toFixed(0)} MiB) | ${(median(samples.historyRss) / median(samples.treeRss)).toFixed(2)}x (${median(samples.historyRss).toFixed(0)} MiB) |`,
  ];
  console.log(rows.join("\n"));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
