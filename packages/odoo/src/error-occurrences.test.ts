import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorOccurrences, logTime, MAX_MESSAGE_CHARS, MAX_TEXT_CHARS } from "./error-occurrences";
import { parseLog } from "./logs";

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

describe("errorOccurrences", () => {
  it("finds every ERROR, CRITICAL and traceback of a real-looking Odoo log, with its line", () => {
    const found = errorOccurrences(parseLog(fixture("errors-build-a.log")));
    expect(found.map((o) => [o.line, o.level, o.logger])).toEqual([
      [3, "ERROR", "odoo.addons.acme_base.tests.test_failing"],
      [9, "ERROR", "odoo.sql_db"],
      // An INFO record followed by a traceback (werkzeug's request line, then the crash).
      [13, "INFO", "werkzeug"],
      [20, "ERROR", "odoo.tests.result"],
      [21, "CRITICAL", "odoo.service.server"],
    ]);
    const failure = found[0];
    expect(failure?.message).toBe("FAIL: TestFailing.test_budget_is_positive");
    expect(failure?.text.split("\n")).toHaveLength(5);
    expect(failure?.text).toContain("AssertionError: 100 not less than 0");
    expect(failure?.at?.toISOString()).toBe("2026-12-06T10:00:02.420Z");
    // The multi-line message of the SQL error is kept with its record.
    expect(found[1]?.text).toContain('relation "res_partner_x" does not exist');
  });

  it("gives another build's same faults (other ids, databases, lines, addresses) the same fingerprints", () => {
    const a = errorOccurrences(parseLog(fixture("errors-build-a.log")));
    const b = errorOccurrences(parseLog(fixture("errors-build-b.log")));
    expect(b.map((o) => o.fingerprint)).toEqual(a.map((o) => o.fingerprint));
    expect(new Set(a.map((o) => o.fingerprint)).size).toBe(a.length);
  });

  it("reads the stand-in's failing post_install test as one occurrence with its traceback", () => {
    const found = errorOccurrences(parseLog(fixture("post-install-failure.log")));
    expect(found.map((o) => o.logger)).toEqual([
      "odoo.addons.my_module.tests.test_post",
      "odoo.tests.result",
    ]);
    expect(found[0]?.text).toMatch(/AssertionError: account.move\(\) is not true$/);
  });

  it("finds a traceback written before any log record (a crash at start-up)", () => {
    const found = errorOccurrences(
      parseLog(
        'Traceback (most recent call last):\n  File "/usr/bin/odoo", line 8, in <module>\nImportError: x\n',
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 1, level: null, logger: null, at: null });
  });

  it("caps what it keeps of a hostile record", () => {
    const long = "x".repeat(50_000);
    const log = `2026-12-06 10:00:00,000 7 ERROR db odoo.x: ${long}\n${`  ${long}\n`.repeat(3)}`;
    const [found] = errorOccurrences(parseLog(log));
    expect(found?.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 20);
    expect(found?.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS + 20);
  });

  it("reads log times as UTC and refuses impossible ones", () => {
    expect(logTime("2026-12-06 10:00:02,420")?.toISOString()).toBe("2026-12-06T10:00:02.420Z");
    expect(logTime("2026-13-45 99:00:00,000")).toBeNull();
    expect(logTime(undefined)).toBeNull();
  });
});
