import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The independent evaluation set of `vault scan` (bench/scan-eval): checks that the data is
 * well formed and traceable to its sources, not how well the scanner does on it.
 */
const EVAL = join(import.meta.dirname, "..", "bench", "scan-eval");
const DATA = join(EVAL, "data");

interface Example {
  id: string;
  source: string;
  split: string;
  license: string;
  repo: string;
  path: string;
  commit?: string;
  family: string;
  path_hint: string;
  text: string;
  secrets: string[];
}

function loadAll(): Example[] {
  const examples: Example[] = [];
  for (const file of readdirSync(DATA).sort()) {
    if (!file.endsWith(".jsonl")) continue;
    for (const line of readFileSync(join(DATA, file), "utf8").split("\n")) {
      if (line.trim() !== "") examples.push(JSON.parse(line) as Example);
    }
  }
  return examples;
}

const PERMISSIVE = new Set(["Apache-2.0", "MIT", "BSD-3-Clause", "BSD-2-Clause"]);

describe("the scanner's independent evaluation set", () => {
  const examples = loadAll();

  it("has examples, each with an id used once, a source, a split and a permissive licence", () => {
    expect(examples.length).toBeGreaterThan(100);
    const ids = new Set<string>();
    for (const example of examples) {
      expect(ids.has(example.id), example.id).toBe(false);
      ids.add(example.id);
      expect(example.id.startsWith(`${example.source}/`), example.id).toBe(true);
      expect(["dev", "holdout"], example.id).toContain(example.split);
      expect(PERMISSIVE.has(example.license), `${example.id}: ${example.license}`).toBe(true);
      expect(example.repo, example.id).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(example.path.length, example.id).toBeGreaterThan(0);
      if (example.commit !== undefined)
        expect(example.commit, example.id).toMatch(/^[0-9a-f]{40}$/);
      expect(["generic", "provider"], example.id).toContain(example.family);
      expect(example.path_hint, example.id).toMatch(/^[^/].*[^/]$/);
    }
  });

  it("labels only secrets that occur in the example's text", () => {
    for (const example of examples) {
      expect(typeof example.text, example.id).toBe("string");
      expect(Array.isArray(example.secrets), example.id).toBe(true);
      for (const secret of example.secrets) {
        expect(secret.trim().length, example.id).toBeGreaterThan(0);
        expect(example.text.includes(secret), `${example.id}: ${secret}`).toBe(true);
      }
    }
  });

  it("keeps each source in one split and has positives and negatives in each source", () => {
    const splitOf = new Map<string, Set<string>>();
    const kinds = new Map<string, { positives: number; negatives: number }>();
    for (const example of examples) {
      splitOf.set(example.source, (splitOf.get(example.source) ?? new Set()).add(example.split));
      const k = kinds.get(example.source) ?? { positives: 0, negatives: 0 };
      if (example.secrets.length > 0) k.positives++;
      else k.negatives++;
      kinds.set(example.source, k);
    }
    for (const [source, splits] of splitOf) expect(splits.size, source).toBe(1);
    for (const [source, k] of kinds) {
      expect(k.positives, source).toBeGreaterThan(0);
      expect(k.negatives, source).toBeGreaterThan(0);
    }
  });

  it("names every source's origin and licence in its manifest and the set's README", () => {
    const readme = readFileSync(join(EVAL, "README.md"), "utf8");
    for (const source of new Set(examples.map((e) => e.source))) {
      const manifest = join(EVAL, "sources", source, "manifest.json");
      expect(existsSync(manifest), source).toBe(true);
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as {
        repo: string;
        license: string;
      };
      expect(readme, source).toContain(parsed.repo);
      expect(readme, source).toContain(parsed.license);
    }
  });

  it("is exactly what build.mjs derives from the vendored sources", () => {
    const run = spawnSync(process.execPath, [join(EVAL, "build.mjs"), "--check"], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
