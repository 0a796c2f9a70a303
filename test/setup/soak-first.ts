/**
 * vitest sequencer: the soak files start first (PostgreSQL's before the file store's), then the
 * other long files (LONG_FILES), so the longest files never start last and leave the other
 * cores idle at the end of the run; the rest keep vitest's order (slowest first, from its
 * cache of earlier runs).
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { LONG_FILES, SOAK_FILES } from "./suites.js";

function rank(spec: TestSpecification): number {
  const file = relative(spec.project.config.root, spec.moduleId);
  if (LONG_FILES.includes(file)) return 2;
  if (!SOAK_FILES.includes(file)) return 3;
  return spec.project.name.startsWith("postgres") ? 0 : 1;
}

export default class SoakFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
