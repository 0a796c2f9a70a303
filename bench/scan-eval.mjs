#!/usr/bin/env node
/**
 * Accuracy of `vault scan` on the independent labelled set in bench/scan-eval/data (examples
 * written by other projects, see bench/scan-eval/README.md), beside secretlint's recommended
 * preset on the same examples.
 *
 *   node bench/scan-eval.mjs [--dist DIR] [--json] [--no-secretlint] [--misses]
 *
 * --dist DIR     the built scanner to measure (default: dist/ of this repository)
 * --json         print the figures as JSON instead of a table
 * --misses       also list, for the dev split only, each missed secret and each finding on a
 *                negative (the holdout split is never listed: it stays unseen)
 *
 * Matching: a labelled secret is found when a finding's span [start, end) overlaps one of
 * its occurrences in the example's text (scanText's findings carry start/end offsets;
 * secretlint's messages carry range [start, end)). A negative example is a false positive
 * when it has any finding. A finding on a positive example that overlaps no labelled secret
 * is counted apart as an extra finding.
 */
import { spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DATA_DIR = join(ROOT, "bench", "scan-eval", "data");

/** Every labelled example, in file order. */
export function loadExamples(dir = DATA_DIR) {
  const examples = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".jsonl")) continue;
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    for (const [n, line] of lines.entries()) {
      if (line.trim() === "") continue;
      try {
        examples.push(JSON.parse(line));
      } catch {
        throw new Error(`${file}:${n + 1}: not JSON`);
      }
    }
  }
  return examples;
}

/** Spans of every occurrence of every labelled secret, one list per secret. */
function secretSpans(example) {
  return example.secrets.map((secret) => {
    const spans = [];
    for (let i = example.text.indexOf(secret); i >= 0; i = example.text.indexOf(secret, i + 1))
      spans.push([i, i + secret.length]);
    return spans;
  });
}

const overlaps = (a, b) => a[0] < b[1] && b[0] < a[1];

/** Scores one example's findings (each `[start, end)`). */
export function scoreExample(example, spans) {
  const labelled = secretSpans(example);
  const found = labelled.map((occurrences) =>
    occurrences.some((o) => spans.some((s) => overlaps(o, s))),
  );
  const extra = spans.filter((s) => !labelled.some((occ) => occ.some((o) => overlaps(o, s))));
  return { found, extra: extra.length, any: spans.length > 0 };
}

function emptyTally() {
  return {
    examples: 0,
    positives: 0,
    negatives: 0,
    secrets: 0,
    found: 0,
    flaggedNegatives: 0,
    extraFindings: 0,
    positivesWithExtra: 0,
    missedPlaceholders: 0,
    foundAsErrors: 0,
    failedNegatives: 0,
  };
}

function add(tally, example, score, isPlaceholder, errorScore) {
  tally.examples++;
  if (example.secrets.length > 0) {
    tally.positives++;
    tally.secrets += example.secrets.length;
    tally.found += score.found.filter(Boolean).length;
    if (errorScore) tally.foundAsErrors += errorScore.found.filter(Boolean).length;
    tally.missedPlaceholders += example.secrets.filter(
      (secret, k) => !score.found[k] && isPlaceholder(secret),
    ).length;
    tally.extraFindings += score.extra;
    if (score.extra > 0) tally.positivesWithExtra++;
  } else {
    tally.negatives++;
    if (score.any) tally.flaggedNegatives++;
    if (errorScore?.any) tally.failedNegatives++;
  }
}

function rates(tally) {
  return {
    ...tally,
    recall: tally.secrets ? tally.found / tally.secrets : null,
    falsePositiveRate: tally.negatives ? tally.flaggedNegatives / tally.negatives : null,
    errorRecall: tally.secrets ? tally.foundAsErrors / tally.secrets : null,
    errorFalsePositiveRate: tally.negatives ? tally.failedNegatives / tally.negatives : null,
  };
}

/**
 * Groups scores by source+split, by split, and by split+family. `isPlaceholder` (the
 * scanner's own placeholder filter) counts the missed secrets it would reject whatever the rule;
 * `errorScores` (optional) score the findings of severity `error` alone, those that fail a scan.
 */
export function summarize(examples, scores, isPlaceholder = () => false, errorScores = undefined) {
  const groups = {};
  const bump = (key, example, score, errorScore) => {
    groups[key] ??= emptyTally();
    add(groups[key], example, score, isPlaceholder, errorScore);
  };
  examples.forEach((example, i) => {
    const score = scores[i];
    const errorScore = errorScores?.[i];
    bump(`source:${example.source}:${example.split}`, example, score, errorScore);
    bump(`split:${example.split}`, example, score, errorScore);
    bump(`family:${example.split}:${example.family}`, example, score, errorScore);
    bump("all", example, score, errorScore);
  });
  return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, rates(v)]));
}

/** agent-vault's scanText over every example. */
export async function scanWithVault(examples, distDir = join(ROOT, "dist")) {
  const { scanText } = await import(join(distDir, "scan", "engine.js"));
  return examples.map((example) => {
    const findings = scanText(example.text, { file: example.path_hint });
    return {
      spans: findings.map((f) => [f.start, f.end]),
      errorSpans: findings.filter((f) => f.severity === "error").map((f) => [f.start, f.end]),
      rules: findings.map((f) => f.ruleId),
    };
  });
}

/** secretlint (npx @secretlint/quick-start, recommended preset) over every example, one file each. */
export function scanWithSecretlint(examples) {
  const dir = mkdtempSync(join(tmpdir(), "scan-eval-secretlint-"));
  try {
    const files = examples.map((example, i) => {
      const path = join(dir, "examples", String(i), example.path_hint.replace(/^\/+/, ""));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, example.text);
      return path;
    });
    const outPath = join(dir, "out.json");
    const fd = openSync(outPath, "w");
    // Output to a file, not a pipe: secretlint exits before a large piped output is flushed.
    const run = spawnSync(
      "npx",
      [
        "-y",
        "@secretlint/quick-start",
        "--format",
        "json",
        "--no-color",
        "--secretlintignore",
        join(dir, "no-ignore"),
        "examples/**/*",
        "examples/**/.*",
      ],
      { cwd: dir, stdio: ["ignore", fd, "pipe"], encoding: "utf8" },
    );
    closeSync(fd);
    let parsed;
    try {
      parsed = JSON.parse(readFileSync(outPath, "utf8"));
    } catch {
      return {
        error: `could not run or parse secretlint (exit ${run.status}): ${(run.stderr || "").split("\n").slice(0, 2).join(" ")}`,
      };
    }
    const byFile = new Map(parsed.map((r) => [relative(dir, r.filePath), r.messages]));
    const seen = new Set(parsed.map((r) => relative(dir, r.filePath)));
    const missing = files.filter((f) => !seen.has(relative(dir, f))).length;
    return {
      missingFiles: missing,
      results: files.map((path) => {
        const messages = byFile.get(relative(dir, path)) ?? [];
        return {
          // A message without a range stands for the whole file.
          spans: messages.map((m) => (m.range ? [m.range[0], m.range[1]] : [0, Infinity])),
          rules: messages.map((m) => m.ruleId),
        };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (x) => (x === null || x === undefined ? "n/a" : `${(x * 100).toFixed(1)}%`);

/** The table, one row per source and split, then per split and family. */
export function formatTable(ours, theirs) {
  const rows = [];
  rows.push(
    "| set | examples (pos/neg) | secrets | recall: agent-vault | of them errors | recall: secretlint | agent-vault misses that are placeholders | negatives flagged: agent-vault | of them errors | negatives flagged: secretlint | extra findings on positives: agent-vault | secretlint |",
  );
  rows.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const keys = Object.keys(ours).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const key of keys) {
    const o = ours[key];
    const t = theirs?.[key];
    rows.push(
      `| ${label(key)} | ${o.examples} (${o.positives}/${o.negatives}) | ${o.secrets} | ${pct(o.recall)} | ${pct(o.errorRecall)} | ${pct(t?.recall)} | ${o.missedPlaceholders} of ${o.secrets - o.found} | ${pct(o.falsePositiveRate)} (${o.flaggedNegatives}) | ${pct(o.errorFalsePositiveRate)} (${o.failedNegatives}) | ${pct(t?.falsePositiveRate)}${t ? ` (${t.flaggedNegatives})` : ""} | ${o.extraFindings} | ${t?.extraFindings ?? "n/a"} |`,
    );
  }
  return rows.join("\n");
}

function order(key) {
  if (key.startsWith("source:")) return 0;
  if (key.startsWith("family:")) return 1;
  if (key.startsWith("split:")) return 2;
  return 3;
}

function label(key) {
  const [kind, a, b] = key.split(":");
  if (kind === "source") return `${a} (${b})`;
  if (kind === "family") return `${a}: ${b} families`;
  if (kind === "split") return `**${a} total**`;
  return "**all**";
}

/** Misses and flagged negatives of the dev split, for tuning. */
function devMisses(examples, results) {
  const lines = [];
  examples.forEach((example, i) => {
    if (example.split !== "dev") return;
    const score = scoreExample(example, results[i].spans);
    example.secrets.forEach((secret, k) => {
      if (!score.found[k]) lines.push(`MISS ${example.id}: ${JSON.stringify(secret)}`);
    });
    if (example.secrets.length === 0 && score.any)
      lines.push(
        `FP   ${example.id} [${results[i].rules.join(",")}]: ${JSON.stringify(example.text.slice(0, 160))}`,
      );
  });
  return lines;
}

export async function evaluate({ distDir, withSecretlint = true } = {}) {
  const examples = loadExamples();
  const ours = await scanWithVault(examples, distDir);
  const { isPlaceholder } = await import(
    join(distDir ?? join(ROOT, "dist"), "scan", "placeholders.js")
  );
  const oursSummary = summarize(
    examples,
    ours.map((r, i) => scoreExample(examples[i], r.spans)),
    isPlaceholder,
    ours.map((r, i) => scoreExample(examples[i], r.errorSpans)),
  );
  let lint = null;
  let lintSummary = null;
  let lintError = withSecretlint ? null : "skipped (--no-secretlint)";
  if (withSecretlint) {
    lint = scanWithSecretlint(examples);
    if (lint.error) lintError = lint.error;
    else
      lintSummary = summarize(
        examples,
        lint.results.map((r, i) => scoreExample(examples[i], r.spans)),
      );
  }
  return { examples, ours, oursSummary, lint, lintSummary, lintError };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const distIndex = args.indexOf("--dist");
  const distDir = distIndex >= 0 ? args[distIndex + 1] : undefined;
  const result = await evaluate({ distDir, withSecretlint: !args.includes("--no-secretlint") });
  if (args.includes("--json")) {
    console.log(
      JSON.stringify(
        {
          agentVault: result.oursSummary,
          secretlint: result.lintSummary,
          secretlintError: result.lintError,
          secretlintMissingFiles: result.lint?.missingFiles,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `vault scan on the independent labelled set (bench/scan-eval/data, ${result.examples.length} examples)\n`,
    );
    console.log(formatTable(result.oursSummary, result.lintSummary));
    if (result.lintError) console.log(`\nsecretlint: ${result.lintError}`);
    if (result.lint?.missingFiles)
      console.log(`\nsecretlint did not report on ${result.lint.missingFiles} files`);
  }
  if (args.includes("--misses")) {
    console.log("\nMisses and flagged negatives, dev split only:");
    for (const line of devMisses(result.examples, result.ours)) console.log(line);
  }
}
