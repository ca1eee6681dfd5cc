// Prints "PASSED FAILED" for a test report: vitest's or Playwright's JSON reporter output, or
// the text output of Python's unittest. A missing or unreadable report counts as one failure,
// so a suite that crashed before reporting can never pass silently.
import { readFileSync } from "node:fs";

const [kind, file] = process.argv.slice(2);
let passed = 0;
let failed = 1;
try {
  const text = readFileSync(file, "utf8");
  if (kind === "vitest") {
    const report = JSON.parse(text);
    passed = report.numPassedTests;
    failed =
      report.numFailedTests +
      (report.numRuntimeErrorTestSuites ?? 0) +
      (report.success === false && report.numFailedTests === 0 ? 1 : 0);
    if (report.numTotalTests === 0) failed = Math.max(failed, 1);
  } else if (kind === "playwright") {
    const { stats, errors = [] } = JSON.parse(text);
    passed = stats.expected + stats.flaky;
    failed = stats.unexpected + errors.length;
    if (passed + failed === 0) failed = 1;
  } else if (kind === "unittest") {
    const ran = /^Ran (\d+) tests? in/m.exec(text);
    const bad = /^FAILED \(([^)]*)\)/m.exec(text);
    if (ran) {
      const total = Number(ran[1]);
      const failures = bad
        ? [...bad[1].matchAll(/(?:failures|errors)=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
        : 0;
      const skipped = Number(/^(?:OK|FAILED) \([^)]*skipped=(\d+)/m.exec(text)?.[1] ?? 0);
      passed = total - failures - skipped;
      failed = failures + (total === 0 ? 1 : 0);
    }
  } else {
    throw new Error(`unknown report kind ${kind}`);
  }
} catch (error) {
  console.error(`could not read ${kind} report ${file}: ${error.message}`);
}
console.log(`${passed} ${failed}`);
