// Adds up vitest JSON reports; prints how many were skipped, then, last, the one line CI
// reads: "N passed, N failed".
// A missing or unreadable report counts as one failure: a run that did not report did not pass.
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0)
      failed += report.numFailedTestSuites;
  } catch {
    console.error(`no test report in ${file}`);
    failed += 1;
  }
}
console.log(`${skipped} skipped (the output above says why)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
