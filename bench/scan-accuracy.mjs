#!/usr/bin/env node
/**
 * Accuracy and speed of `vault scan` (runs on dist/: `npm run build` first).
 *
 *   node bench/scan-accuracy.mjs [--per-context N] [--no-secretlint] [--dist DIR]
 *
 * - recall and false positives on the independent labelled set (bench/scan-eval: examples
 *   written by other scanners' authors, per source and split, beside secretlint), the
 *   accuracy figures that count (bench/scan-eval.mjs prints them alone);
 * - recall on the generated corpus (bench/scan-corpus/generate.mjs: every provider's public
 *   format, random values in markdown, dotenv, JSON and YAML, seeded): a regression figure
 *   only, since it is written from the same formats the rules know;
 * - findings on the OpenClaw workspace templates and false positives per 1,000 lines of the
 *   OpenClaw docs (`npm pack openclaw@2026.9.6` into .cache/openclaw, read package/docs);
 * - throughput in MiB/s (rules alone, and with the fingerprints of 20 vault secrets);
 * - wall time of `vault scan --staged` on 20 staged markdown files, Node start included;
 * - the same corpus and files through secretlint (`npx @secretlint/quick-start`, its
 *   recommended preset) when npx can fetch it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCorpus, measureRecall, PROVIDERS } from "./scan-corpus/generate.mjs";
import { evaluate, formatTable } from "./scan-eval.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OPENCLAW = "openclaw@2026.9.6";
const args = process.argv.slice(2);
const perContext = Number(args[args.indexOf("--per-context") + 1]) || 25;
const withSecretlint = !args.includes("--no-secretlint");
const distDir = args.includes("--dist") ? args[args.indexOf("--dist") + 1] : join(ROOT, "dist");

const { scanText } = await import(join(distDir, "scan/engine.js"));
const { writeFingerprints, readFingerprints } = await import(join(distDir, "scan/fingerprints.js"));

// 0. The independent labelled set (the accuracy figures that count).
const independent = await evaluate({ distDir, withSecretlint });

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** The OpenClaw package's docs folder, packed once into .cache/openclaw. */
function openclawDocs() {
  const cache = join(ROOT, ".cache", "openclaw");
  const docs = join(cache, "package", "docs");
  if (existsSync(docs)) return docs;
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(ROOT, ".cache", ".gitignore")))
    writeFileSync(join(ROOT, ".cache", ".gitignore"), "*\n");
  const tarball = execFileSync("npm", ["pack", OPENCLAW, "--silent"], {
    cwd: cache,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .at(-1);
  execFileSync("tar", ["-xzf", tarball, "package/docs"], { cwd: cache });
  return docs;
}

const mib = (bytes) => bytes / (1024 * 1024);
const fmt = (n, digits = 1) => n.toFixed(digits);
const results = {};

// 1. Recall on the synthetic corpus.
const samples = generateCorpus({ seed: 1, perContext });
const recall = measureRecall(samples, (text) => scanText(text, { file: "sample" }));
results.recall = recall;
const missedBy = {};
for (const id of recall.missed)
  missedBy[id.replace(/-\w+-\d+$/, "")] = (missedBy[id.replace(/-\w+-\d+$/, "")] ?? 0) + 1;

// 2. Clean corpus: OpenClaw's templates and docs.
const docsDir = openclawDocs();
// The scanners read a copy outside this repository: .cache/ is gitignored, and vault scan
// honours .gitignore files up to the work tree's root.
const docsCopy = mkdtempSync(join(tmpdir(), "scan-bench-docs-"));
cpSync(docsDir, docsCopy, { recursive: true });
process.on("exit", () => rmSync(docsCopy, { recursive: true, force: true }));
const docFiles = walk(docsDir).filter((p) => /\.(md|mdx|json|ya?ml|txt)$/.test(p));
const templateFiles = docFiles.filter((p) => p.includes(`${join("reference", "templates")}`));
let docLines = 0;
let docBytes = 0;
const docFindings = [];
const texts = [];
for (const path of docFiles) {
  const text = readFileSync(path, "utf8");
  texts.push(text);
  docLines += text.split("\n").length;
  docBytes += Buffer.byteLength(text);
  for (const f of scanText(text, { file: relative(docsDir, path) })) docFindings.push(f);
}
const templateFindings = docFindings.filter((f) =>
  f.file.startsWith(join("reference", "templates")),
);

// 3. Throughput, in process, file by file as a scan goes (texts already in memory).
const allTexts = [...texts, ...samples.map((s) => s.text)];
const corpusBytes = docBytes + samples.reduce((sum, s) => sum + Buffer.byteLength(s.text), 0);
function throughput(options) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    for (const text of allTexts) scanText(text, options);
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  return mib(corpusBytes) / (runs[1] / 1000);
}
const rulesSpeed = throughput({ file: "corpus" });
const fpDir = mkdtempSync(join(tmpdir(), "scan-bench-"));
await writeFingerprints(
  fpDir,
  Array.from({ length: 20 }, (_, i) => ({
    name: `SECRET_${i}`,
    value: `v${i}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
  })),
);
const matcher = await readFingerprints(fpDir);
const matcherSpeed = throughput({ file: "corpus", matcher });
rmSync(fpDir, { recursive: true, force: true });

// 4. The hook's scan: 20 staged markdown files, Node start included.
function hookTime() {
  const repo = mkdtempSync(join(tmpdir(), "scan-hook-"));
  try {
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      AGENT_VAULT_HOME: join(repo, ".home"),
    };
    execFileSync("git", ["init", "-q"], { cwd: repo, env });
    const picked = [...templateFiles, ...docFiles].filter((p) => p.endsWith(".md")).slice(0, 20);
    for (const [i, path] of picked.entries())
      writeFileSync(join(repo, `f${i}.md`), readFileSync(path));
    execFileSync("git", ["add", "."], { cwd: repo, env });
    const runs = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      const run = spawnSync(process.execPath, [join(distDir, "cli/bin.js"), "scan", "--staged"], {
        cwd: repo,
        env,
      });
      runs.push(performance.now() - start);
      if (run.status !== 0)
        return { error: `exit ${run.status}: ${String(run.stderr).split("\n")[0]}` };
    }
    runs.sort((a, b) => a - b);
    const bytes = picked.reduce((sum, p) => sum + statSync(p).size, 0);
    return { medianMs: runs[3], files: picked.length, bytes };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}
const hook = hookTime();

// 5. secretlint on the same corpus and files.
function secretlint() {
  const dir = mkdtempSync(join(tmpdir(), "secretlint-bench-"));
  try {
    const ext = { markdown: "md", dotenv: "env", json: "json", yaml: "yaml" };
    const corpusDir = join(dir, "corpus");
    mkdirSync(corpusDir);
    for (const s of samples) writeFileSync(join(corpusDir, `${s.id}.${ext[s.context]}`), s.text);
    // Output to a file, not a pipe: secretlint exits before a large piped output is flushed.
    const run = (cwd) => {
      const outPath = join(dir, "out.json");
      const fd = openSync(outPath, "w");
      const start = performance.now();
      const out = spawnSync(
        "npx",
        ["-y", "@secretlint/quick-start", "--format", "json", "--no-color", "**/*"],
        { cwd, stdio: ["ignore", fd, "pipe"], encoding: "utf8" },
      );
      const ms = performance.now() - start;
      closeSync(fd);
      return { ms, out: { ...out, stdout: readFileSync(outPath, "utf8") } };
    };
    // Warm npx's cache first so the timings do not include the download.
    spawnSync("npx", ["-y", "@secretlint/quick-start", "--version"], {
      cwd: dir,
      encoding: "utf8",
    });
    const corpusRun = run(corpusDir);
    let parsed;
    try {
      parsed = JSON.parse(corpusRun.out.stdout);
    } catch {
      return {
        error: `could not run or parse secretlint (exit ${corpusRun.out.status}): ${(corpusRun.out.stderr || "").split("\n").slice(0, 2).join(" ")}`,
      };
    }
    const byFile = new Map(parsed.map((r) => [relative(corpusDir, r.filePath), r.messages]));
    let found = 0;
    for (const s of samples) {
      const messages = byFile.get(`${s.id}.${ext[s.context]}`) ?? [];
      const label = s.labels[0];
      if (messages.some((m) => !m.range || (m.range[0] < label.end && label.start < m.range[1])))
        found++;
    }
    const docsRun = run(docsCopy);
    let docMessages = 0;
    let templateMessages = 0;
    try {
      for (const r of JSON.parse(docsRun.out.stdout)) {
        const n = r.messages.length;
        docMessages += n;
        if (r.filePath.includes(join("reference", "templates"))) templateMessages += n;
      }
    } catch {
      docMessages = Number.NaN;
    }
    const allDocBytes = walk(docsDir).reduce((sum, p) => sum + statSync(p).size, 0);
    return {
      recall: found / samples.length,
      docFindings: docMessages,
      templateFindings: templateMessages,
      docsWallMs: docsRun.ms,
      mibPerSecond: mib(allDocBytes) / (docsRun.ms / 1000),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const lint = withSecretlint ? secretlint() : { error: "skipped (--no-secretlint)" };

// Ours through the CLI on the same docs folder, Node start included (same footing as secretlint):
// with the default threads (one per core, at most four) and on one thread.
const oursDocsOn = (threadArgs) => {
  const runs = [];
  let scanned = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const run = spawnSync(
      process.execPath,
      [join(distDir, "cli/bin.js"), "scan", ".", "--format", "json", ...threadArgs],
      {
        cwd: docsCopy,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, AGENT_VAULT_HOME: join(tmpdir(), "no-such-vault-home") },
      },
    );
    runs.push(performance.now() - start);
    if (run.status !== 0 && run.status !== 1) return { error: `exit ${run.status}` };
    scanned = JSON.parse(run.stdout).scanned;
  }
  runs.sort((a, b) => a - b);
  const ms = runs[1];
  const allDocBytes = walk(docsCopy).reduce((sum, p) => sum + statSync(p).size, 0);
  return { ms, scanned, mibPerSecond: mib(allDocBytes) / (ms / 1000) };
};
const oursDocs = oursDocsOn([]);
const oursDocsOneThread = oursDocsOn(["--threads", "1"]);
/** secretlint's time over ours, as "N.NNx secretlint's speed". */
const speedup = (ours) =>
  ours.ms === undefined || lint.docsWallMs === undefined
    ? ""
    : `, ${fmt(lint.docsWallMs / ours.ms)}x secretlint's speed`;

const perK = (docFindings.length / docLines) * 1000;
console.log(
  `agent-vault scan accuracy on the independent labelled set (bench/scan-eval, ${independent.examples.length} examples written by other projects)\n`,
);
console.log(formatTable(independent.oursSummary, independent.lintSummary));
if (independent.lintError) console.log(`\nsecretlint: ${independent.lintError}`);
console.log(
  `\nagent-vault scan regression and speed (${OPENCLAW} docs; generated corpus seed 1, ${perContext} per provider and context)\n`,
);
console.log(`| measure | agent-vault | secretlint (recommend preset) | target |`);
console.log(`| --- | --- | --- | --- |`);
console.log(
  `| regression only: recall on the generated corpus, ${samples.length} secrets (${PROVIDERS.length} formats x 4 contexts, written from the rules' own formats) | ${fmt(recall.recall * 100)}% | ${lint.recall === undefined ? "n/a" : `${fmt(lint.recall * 100)}%`} | >= 98% |`,
);
console.log(
  `| findings on the ${templateFiles.length} OpenClaw workspace templates | ${templateFindings.length} | ${lint.templateFindings ?? "n/a"} | 0 |`,
);
console.log(
  `| findings on ${docFiles.length} docs files (${docLines} lines) | ${docFindings.length} (${fmt(perK, 3)} per 1,000 lines) | ${lint.docFindings ?? "n/a"} | < 1 per 1,000 lines |`,
);
console.log(
  `| throughput, in process, rules (${fmt(mib(corpusBytes))} MiB) | ${fmt(rulesSpeed)} MiB/s | | |`,
);
console.log(
  `| throughput, in process, rules + 20 vault fingerprints | ${fmt(matcherSpeed)} MiB/s | | |`,
);
console.log(
  `| docs folder through the CLI, Node start included (${availableParallelism()} cores) | ${oursDocs.error ?? `${fmt(oursDocs.ms, 0)} ms for ${oursDocs.scanned} files (${fmt(oursDocs.mibPerSecond)} MiB/s${speedup(oursDocs)})`} | ${lint.docsWallMs === undefined ? "n/a" : `${fmt(lint.docsWallMs, 0)} ms (${fmt(lint.mibPerSecond)} MiB/s)`} | 4x secretlint |`,
);
console.log(
  `| the same, \`--threads 1\` | ${oursDocsOneThread.error ?? `${fmt(oursDocsOneThread.ms, 0)} ms (${fmt(oursDocsOneThread.mibPerSecond)} MiB/s${speedup(oursDocsOneThread)})`} | | |`,
);
console.log(
  `| \`vault scan --staged\`, 20 staged markdown files, Node start included | ${hook.error ?? `${fmt(hook.medianMs, 0)} ms (median of 7)`} | | < 200 ms |`,
);
if (lint.error) console.log(`\nsecretlint: ${lint.error}`);
if (recall.missed.length > 0) console.log(`\nmissed: ${JSON.stringify(missedBy)}`);
if (docFindings.length > 0) {
  console.log("\nfindings on the docs:");
  for (const f of docFindings.slice(0, 20))
    console.log(`  ${f.file}:${f.line} ${f.ruleId} ${f.preview}`);
}
