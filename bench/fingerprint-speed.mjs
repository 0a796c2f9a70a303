#!/usr/bin/env node
/**
 * What finding the vault's own secrets adds to a scan (runs on dist/: `npm run build` first).
 *
 *   node bench/fingerprint-speed.mjs [--baseline-dist DIR]
 *
 * Scans, in one process, 1 MiB each of dense text (random base64, random hex, a base64 PNG in
 * markdown, minified-looking code) and of prose, with the rules alone and with the fingerprints
 * of 20 vault secrets (one of them short, so two window lengths are hashed), and prints the
 * milliseconds per MiB (median of 5) and the ratio of the two. With `--baseline-dist`, another
 * build (say, of an earlier commit) is timed the same way in the same process, interleaved, and
 * the ratio of the two builds' fingerprint costs is printed too.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MIB = 1024 * 1024;
const RUNS = 5;

const flag = process.argv.indexOf("--baseline-dist");
const builds = [{ label: "this build", dist: join(ROOT, "dist") }];
if (flag !== -1 && process.argv[flag + 1]) {
  builds.push({ label: "baseline", dist: resolve(process.argv[flag + 1] ?? "") });
}

const base64 = (bytes) => randomBytes(bytes).toString("base64");
const pick = (alphabet, size) =>
  Array.from(randomBytes(size), (byte) => alphabet[byte % alphabet.length]).join("");
const words = "the agent reads its notes and writes a summary of what changed since".split(" ");
const TEXTS = {
  "random base64": base64(MIB).slice(0, MIB),
  "random hex": pick("0123456789abcdef", MIB),
  "a base64 PNG in markdown": `# Chart\n\n![c](data:image/png;base64,${base64(MIB)})\n`.slice(
    0,
    MIB,
  ),
  "minified code": Array.from(
    { length: MIB / 32 },
    (_, i) => `var ${pick("abcdefghij", 3)}=${i};f(${pick("xyz", 2)});`,
  )
    .join("")
    .slice(0, MIB),
  prose: Array.from({ length: MIB / 6 }, (_, i) => words[i % words.length])
    .join(" ")
    .slice(0, MIB),
};

const secrets = Array.from({ length: 20 }, (_, i) => ({
  name: `SECRET_${i}`,
  value: i === 0 ? pick("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 14) : `sk_${base64(30)}`,
}));

async function load(build) {
  const engine = await import(pathToFileURL(join(build.dist, "scan/engine.js")).href);
  const prints = await import(pathToFileURL(join(build.dist, "scan/fingerprints.js")).href);
  const dir = mkdtempSync(join(tmpdir(), "fingerprint-speed-"));
  try {
    await prints.writeFingerprints(dir, secrets);
    return { ...build, scanText: engine.scanText, matcher: await prints.readFingerprints(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function timed(work) {
  const start = performance.now();
  work();
  return performance.now() - start;
}

const loaded = [];
for (const build of builds) loaded.push(await load(build));
const times = new Map();
const record = (key, ms) => times.set(key, [...(times.get(key) ?? []), ms]);
for (let run = 0; run < RUNS; run++) {
  for (const [name, text] of Object.entries(TEXTS)) {
    for (const build of loaded) {
      record(
        `${build.label}\0${name}\0rules`,
        timed(() => build.scanText(text, { file: "x.md" })),
      );
      record(
        `${build.label}\0${name}\0both`,
        timed(() => build.scanText(text, { file: "x.md", matcher: build.matcher })),
      );
    }
  }
}

const ms = (key) => median(times.get(key) ?? [Number.NaN]);
const header = ["text (1 MiB)"];
for (const build of loaded) header.push(`${build.label}: rules`, `${build.label}: + fingerprints`);
if (loaded.length > 1) header.push("fingerprint cost, this build / baseline");
console.log(`| ${header.join(" | ")} |`);
console.log(`| ${header.map(() => "---").join(" | ")} |`);
for (const name of Object.keys(TEXTS)) {
  const row = [name];
  const costs = [];
  for (const build of loaded) {
    const rules = ms(`${build.label}\0${name}\0rules`);
    const both = ms(`${build.label}\0${name}\0both`);
    costs.push(Math.max(both - rules, 0.1));
    row.push(`${rules.toFixed(0)} ms`, `${both.toFixed(0)} ms (${(both / rules).toFixed(2)}x)`);
  }
  if (costs.length > 1) row.push(`${((costs[0] ?? 0) / (costs[1] ?? 1)).toFixed(2)}`);
  console.log(`| ${row.join(" | ")} |`);
}
console.log(`\nmedians of ${RUNS}, milliseconds per MiB; Node ${process.version}`);
