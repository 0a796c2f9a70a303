// Adds up vitest JSON reports; names each failed test with the first lines of its failure (so
// that the end of a long log says what failed), prints how many were skipped, then, last, the
// one line CI reads: "N passed, N failed".
// A missing or unreadable report counts as one failure: a run that did not report did not pass.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { stripVTControlCharacters } from "node:util";

/** The first lines of a failure message, without terminal colours. */
const excerpt = (message) =>
  stripVTControlCharacters(String(message))
    .split("\n")
    .slice(0, 6)
    .map((line) => `    ${line}`)
    .join("\n");

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0)
      failed += report.numFailedTestSuites;
    for (const suite of report.testResults ?? []) {
      const where = `${file}: ${relative(process.cwd(), suite.name)}`;
      if (suite.status === "failed" && suite.message)
        failures.push(`${where}\n${excerpt(suite.message)}`);
      for (const test of suite.assertionResults ?? []) {
        if (test.status !== "failed") continue;
        failures.push(`${where} > ${test.fullName}\n${excerpt(test.failureMessages?.[0] ?? "")}`);
      }
    }
  } catch {
    console.error(`no test report in ${file}`);
    failed += 1;
  }
}
if (failures.length > 0) console.log(`Failed:\n${failures.join("\n")}`);
console.log(`${skipped} skipped (the output above says why)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
