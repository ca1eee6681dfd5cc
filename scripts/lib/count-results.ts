// Counts one suite's results from its report: vitest's or Playwright's JSON reporter output,
// or the text output of Python's unittest, together with the runner's exit code. The total
// must not say less than the runner: a missing report, an empty run, a test file that failed
// outside its tests (a throwing beforeAll, an import error) and a non-zero exit that the
// report does not explain (vitest's unhandled errors) each count as a failure, with a note.

export type ReportKind = "vitest" | "playwright" | "unittest";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** Why failures were counted that the report's own totals do not show. */
  notes: string[];
}

/** `report` is the report's text, undefined when the runner left none. */
export function countResults(kind: ReportKind, report: string | undefined, exitCode: number): Counts {
  let counts: Counts;
  try {
    if (report === undefined) throw new Error("no report was written");
    counts = readers[kind](report);
  } catch (error) {
    counts = {
      passed: 0,
      failed: 1,
      skipped: 0,
      notes: [`unreadable ${kind} report: ${(error as Error).message}`],
    };
  }
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.notes.push(`${kind} exited with code ${exitCode} though its report shows no failure`);
  }
  return counts;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  numTotalTests: number;
  success: boolean;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string }[];
  }[];
}

function readVitest(text: string): Counts {
  const report = JSON.parse(text) as VitestReport;
  const notes: string[] = [];
  let failed = report.numFailedTests;
  // A file fails outside its tests when a hook throws or it cannot load: vitest gives it a
  // message (and, for a beforeAll, skips its tests), while its tests' failures carry their own.
  for (const file of report.testResults) {
    const testFailed = file.assertionResults.some((t) => t.status === "failed");
    if (file.status !== "failed" || (testFailed && !file.message)) continue;
    failed += 1;
    notes.push(`${file.name} failed outside its tests: ${file.message || "no message"}`);
  }
  if (!report.success && failed === 0) {
    failed = 1;
    notes.push("vitest reports an unsuccessful run without a failed test");
  }
  if (report.numTotalTests === 0 && failed === 0) {
    failed = 1;
    notes.push("vitest ran no test");
  }
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  return { passed: report.numPassedTests, failed, skipped, notes };
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: { message?: string }[];
}

function readPlaywright(text: string): Counts {
  const { stats, errors = [] } = JSON.parse(text) as PlaywrightReport;
  // Errors outside any test (a spec that cannot load, a failing global setup).
  const notes = errors.map((e) => `playwright error outside the tests: ${e.message ?? "no message"}`);
  const counts = {
    passed: stats.expected + stats.flaky,
    failed: stats.unexpected + errors.length,
    skipped: stats.skipped,
    notes,
  };
  if (counts.passed + counts.failed === 0) {
    counts.failed = 1;
    notes.push("playwright ran no test");
  }
  return counts;
}

function readUnittest(text: string): Counts {
  const ran = /^Ran (\d+) tests? in/m.exec(text);
  if (!ran) throw new Error("no 'Ran N tests' line");
  const total = Number(ran[1]);
  const bad = /^FAILED \(([^)]*)\)/m.exec(text);
  const failures = bad
    ? [...(bad[1] ?? "").matchAll(/(?:failures|errors)=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
    : 0;
  const skipped = Number(/^(?:OK|FAILED) \([^)]*skipped=(\d+)/m.exec(text)?.[1] ?? 0);
  const notes = total === 0 ? ["unittest ran no test"] : [];
  return { passed: total - failures - skipped, failed: failures + (total === 0 ? 1 : 0), skipped, notes };
}

const readers: Record<ReportKind, (text: string) => Counts> = {
  vitest: readVitest,
  playwright: readPlaywright,
  unittest: readUnittest,
};
