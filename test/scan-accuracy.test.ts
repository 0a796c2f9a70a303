import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCorpus, measureRecall, PROVIDERS } from "../bench/scan-corpus/generate.mjs";
import { scanText } from "../src/scan/engine.js";
import { RULES } from "../src/scan/rules.js";

const CLEAN = join(import.meta.dirname, "fixtures/scan/clean");

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

describe("scanner accuracy", () => {
  it("finds at least 98% of generated credentials in markdown, dotenv, JSON and YAML", () => {
    const samples = generateCorpus({ seed: 7, perContext: 5 });
    expect(samples.length).toBe(PROVIDERS.length * 4 * 5);
    const result = measureRecall(samples, (text) => scanText(text, { file: "x" }));
    expect(result.recall).toBeGreaterThanOrEqual(0.98);
  });

  it("finds every format of the generated corpus in every context (a regression check)", () => {
    const samples = generateCorpus({ seed: 11, perContext: 2 });
    const missed = measureRecall(samples, (text) => scanText(text, { file: "x" })).missed;
    const missedFormats = new Set(missed.map((id: string) => id.replace(/-\w+-\d+$/, "")));
    expect([...missedFormats]).toEqual([]);
    expect(RULES.length).toBeGreaterThan(PROVIDERS.length);
  });

  it("reports nothing on workspace files full of placeholders, references and look-alikes", () => {
    const files = walk(CLEAN);
    expect(files.length).toBeGreaterThanOrEqual(5);
    const findings = files.flatMap((path) =>
      scanText(readFileSync(path, "utf8"), { file: relative(CLEAN, path) }).map(
        (f) => `${f.file}:${f.line} ${f.ruleId} ${f.preview}`,
      ),
    );
    expect(findings).toEqual([]);
  });
});
