// The reports under count-results-fixtures/reports were written by the real vitest and
// Playwright running the tiny suites beside them (count-results-fixtures/regenerate.sh), then
// trimmed; exits.json holds the exit code each run ended with.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countResults } from "./count-results";

const fixture = (name: string) =>
  readFileSync(new URL(`./count-results-fixtures/reports/${name}`, import.meta.url), "utf8");
const exits = JSON.parse(fixture("exits.json")) as Record<string, number>;
const exitOf = (name: string) => {
  const code = exits[name];
  if (code === undefined) throw new Error(`no exit code recorded for ${name}`);
  return code;
};

describe("vitest reports", () => {
  it("counts each file that failed outside its tests, beside failed tests", () => {
    const counts = countResults(
      "vitest",
      fixture("vitest-setup-crash.json"),
      exitOf("vitest-setup-crash.json"),
    );
    // Two failed tests, one of them in a file whose afterAll threw too; a file whose beforeAll
    // threw (its two tests skipped); one that cannot load.
    expect(counts).toMatchObject({ passed: 1, failed: 5, skipped: 2 });
    expect(counts.notes).toEqual([
      "src/import-crash.vitest.ts failed outside its tests: a module it imports is missing",
      "src/setup-crash.vitest.ts failed outside its tests: the service did not start",
      "src/teardown-crash.vitest.ts failed outside its tests: the service did not stop",
    ]);
  });

  it("counts an unhandled error, which the report calls a success, from the exit code", () => {
    const report = fixture("vitest-unhandled.json");
    expect(JSON.parse(report)).toMatchObject({ success: true, numFailedTests: 0 });
    const counts = countResults("vitest", report, exitOf("vitest-unhandled.json"));
    expect(counts).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    expect(counts.notes).toEqual(["vitest exited with code 1 though its report shows no failure"]);
  });

  it("counts skipped and todo tests as skipped", () => {
    const counts = countResults("vitest", fixture("vitest-skips.json"), exitOf("vitest-skips.json"));
    expect(counts).toEqual({ passed: 1, failed: 0, skipped: 3, notes: [] });
  });

  it("counts a failure when the runner exited non-zero after an all-passed report", () => {
    const counts = countResults("vitest", fixture("vitest-skips.json"), 137);
    expect(counts).toMatchObject({ passed: 1, failed: 1, skipped: 3 });
    expect(counts.notes).toEqual(["vitest exited with code 137 though its report shows no failure"]);
  });

  it("counts a missing report as one failure", () => {
    expect(countResults("vitest", undefined, 0)).toMatchObject({ passed: 0, failed: 1, skipped: 0 });
  });
});

describe("Playwright reports", () => {
  it("counts a failed beforeAll as a failure and the tests it stopped as skipped", () => {
    const counts = countResults("playwright", fixture("playwright.json"), exitOf("playwright.json"));
    expect(counts).toEqual({ passed: 1, failed: 1, skipped: 3, notes: [] });
  });

  it("counts a non-zero exit with nothing failed in the report", () => {
    const passing = JSON.stringify({
      stats: { expected: 2, unexpected: 0, flaky: 0, skipped: 1 },
      errors: [],
    });
    expect(countResults("playwright", passing, 0)).toEqual({ passed: 2, failed: 0, skipped: 1, notes: [] });
    expect(countResults("playwright", passing, 1)).toMatchObject({ passed: 2, failed: 1, skipped: 1 });
  });
});

describe("unittest output", () => {
  it("counts failures, errors and skips", () => {
    const text = "....\n----\nRan 7 tests in 0.120s\n\nFAILED (failures=1, errors=1, skipped=2)\n";
    expect(countResults("unittest", text, 1)).toEqual({ passed: 3, failed: 2, skipped: 2, notes: [] });
  });

  it("counts a non-zero exit after an OK run, and output without a run as a failure", () => {
    const ok = "Ran 3 tests in 0.010s\n\nOK (skipped=1)\n";
    expect(countResults("unittest", ok, 0)).toEqual({ passed: 2, failed: 0, skipped: 1, notes: [] });
    expect(countResults("unittest", ok, 2)).toMatchObject({ passed: 2, failed: 1, skipped: 1 });
    expect(countResults("unittest", "Traceback (most recent call last):\n", 1)).toMatchObject({ failed: 1 });
  });
});
