import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeLog, LogAnalyzer } from "./log-result";
import { type LogEntry, OdooLogParser, parseLog, parseLogLine } from "./logs";

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");

describe("OdooLogParser", () => {
  it("parses the line format", () => {
    expect(
      parseLogLine("2024-10-05 10:00:02,250 1 INFO build_42 odoo.modules.loading: Modules loaded.", 7),
    ).toEqual({
      line: 7,
      timestamp: "2024-10-05 10:00:02,250",
      pid: 1,
      level: "INFO",
      levelName: "INFO",
      db: "build_42",
      logger: "odoo.modules.loading",
      message: "Modules loaded.",
      continuation: [],
      droppedLines: 0,
    });
    expect(
      parseLogLine("2024-10-05 10:00:00,101 1 \x1b[1;32m\x1b[1;49mINFO\x1b[0m ? odoo: Odoo version 18.0"),
    ).toMatchObject({ level: "INFO", db: "?", logger: "odoo", message: "Odoo version 18.0" });
    expect(parseLogLine("Traceback (most recent call last):")).toBeUndefined();
  });

  it("attaches tracebacks to the entry before them", () => {
    const entries = parseLog(fixture("at-install-failure.log"));
    const fail = entries.find((e) => e.message.startsWith("FAIL:")) as LogEntry;
    expect(fail.level).toBe("ERROR");
    expect(fail.continuation[0]).toBe("Traceback (most recent call last):");
    expect(fail.continuation).toContain("AssertionError: 'Actual name' != 'Expected name'");
    expect(entries.every((e) => e.timestamp !== undefined)).toBe(true);
  });

  it("gives the same entries whatever the chunking, even inside a line or a UTF-8 character", () => {
    const text = `${fixture("post-install-failure.log")}2024-10-05 12:00:03,000 9 INFO build_44 odoo: café ☕ done`;
    const whole = parseLog(text);
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 3, 7, 64, 1000]) {
      const parser = new OdooLogParser();
      const entries: LogEntry[] = [];
      for (let i = 0; i < bytes.length; i += size) entries.push(...parser.feed(bytes.subarray(i, i + size)));
      entries.push(...parser.end());
      expect(entries).toEqual(whole);
    }
    expect(whole.at(-1)?.message).toBe("café ☕ done");
  });

  it("emits an entry only once the next one starts (a traceback may follow)", () => {
    const parser = new OdooLogParser();
    expect(
      parser.feed("2024-10-05 10:00:00,000 1 ERROR db odoo.x: boom\nTraceback (most recent call last):\n"),
    ).toEqual([]);
    const done = parser.feed(
      '  File "x.py", line 1\nValueError: no\n2024-10-05 10:00:01,000 1 INFO db odoo.y: next\n',
    );
    expect(done).toHaveLength(1);
    expect(done[0]?.continuation).toEqual([
      "Traceback (most recent call last):",
      '  File "x.py", line 1',
      "ValueError: no",
    ]);
    expect(parser.end().map((e) => e.message)).toEqual(["next"]);
  });

  it("keeps output before the first log line and handles CRLF", () => {
    const entries = parseLog("Waiting for database\r\n\r\n2024-10-05 10:00:00,000 1 INFO ? odoo: up\r\n");
    expect(entries.map((e) => [e.level, e.message])).toEqual([
      [undefined, "Waiting for database"],
      ["INFO", "up"],
    ]);
  });

  it("bounds continuation lines and line length", () => {
    const long = `2024-10-05 10:00:00,000 1 ERROR db odoo.x: start\n${"x\n".repeat(50)}${"y".repeat(100)}\n`;
    const [entry] = parseLog(long, { maxContinuationLines: 10, maxLineLength: 60 });
    expect(entry?.continuation).toHaveLength(10);
    expect(entry?.droppedLines).toBe(41);
    const [cut] = parseLog(`2024-10-05 10:00:00,000 1 ERROR db odoo.x: ${"w".repeat(500)}`, {
      maxLineLength: 60,
    });
    expect(cut?.message).toBe(`${"w".repeat(17)}…`);
  });
});

describe("build result from the log", () => {
  it("clean install: green, tests counted", () => {
    const result = analyzeLog(fixture("clean-install.log"), { stopAfterInit: true });
    expect(result).toMatchObject({
      status: "success",
      colour: "green",
      githubState: "success",
      modulesLoaded: true,
      shutdown: true,
      tracebacks: 0,
      reasons: [],
      errors: [],
      tests: { run: 2, failed: 0, errors: 0, failedTests: [] },
    });
    expect(result.counts).toEqual({ DEBUG: 0, INFO: 28, WARNING: 0, ERROR: 0, CRITICAL: 0 });
  });

  it("a warning: yellow, and GitHub gets a failure", () => {
    const result = analyzeLog(fixture("warning.log"), { stopAfterInit: true });
    expect(result.status).toBe("warning");
    expect(result.colour).toBe("yellow");
    expect(result.githubState).toBe("failure");
    expect(result.reasons).toEqual(["1 WARNING line(s)"]);
  });

  it("an at_install failure: red, with the failing test and its traceback", () => {
    const result = analyzeLog(fixture("at-install-failure.log"), { stopAfterInit: true, exitCode: 1 });
    expect(result.status).toBe("failed");
    expect(result.colour).toBe("red");
    expect(result.githubState).toBe("failure");
    expect(result.modulesLoaded).toBe(false);
    expect(result.counts.ERROR).toBe(3);
    expect(result.tests).toEqual({
      run: 3,
      failed: 1,
      errors: 0,
      failedTests: ["TestMyModel.test_display_name"],
    });
    expect(result.errors[0]?.message).toBe("FAIL: TestMyModel.test_display_name");
    expect(result.errors[0]?.text).toContain("AssertionError: 'Actual name' != 'Expected name'");
    expect(result.errors[1]?.message).toBe("At least one test failed when loading the modules.");
    expect(result.reasons).toContain("exit code 1");
  });

  it("a post_install failure: red even though modules loaded", () => {
    const result = analyzeLog(fixture("post-install-failure.log"), { stopAfterInit: true });
    expect(result.status).toBe("failed");
    expect(result.modulesLoaded).toBe(true);
    expect(result.shutdown).toBe(true);
    expect(result.tests).toEqual({ run: 2, failed: 1, errors: 0, failedTests: ["TestPost.test_flow"] });
    expect(result.tracebacks).toBe(1);
  });

  it("a killed run without `Initiating shutdown`: red only with --stop-after-init", () => {
    const killed = analyzeLog(fixture("killed.log"), { stopAfterInit: true });
    expect(killed.status).toBe("failed");
    expect(killed.counts.ERROR + killed.counts.CRITICAL).toBe(0);
    expect(killed.reasons).toEqual([
      "no `Modules loaded.` (modules failed to load, or the run was killed or timed out)",
      "no `Initiating shutdown` (the run was killed or timed out)",
    ]);
    expect(analyzeLog(fixture("killed.log"), { stopAfterInit: false }).status).toBe("success");
  });

  it("CRITICAL Failed to initialize database: red, with the cause", () => {
    const result = analyzeLog(fixture("critical-init.log"), { stopAfterInit: true });
    expect(result.status).toBe("failed");
    expect(result.counts.CRITICAL).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.level).toBe("CRITICAL");
    expect(result.errors[0]?.text).toContain("ValueError: Invalid version '17.0.1.0.0'");
  });

  it("a stray traceback in an INFO entry fails the build", () => {
    const log = `${fixture("clean-install.log")}Traceback (most recent call last):\n  File "x"\nKeyError: 1\n`;
    const result = analyzeLog(log, { stopAfterInit: true });
    expect(result.status).toBe("failed");
    expect(result.tracebacks).toBe(1);
    expect(result.errors[0]?.text).toContain("KeyError: 1");
  });

  it("caps the errors kept", () => {
    const lines = Array.from(
      { length: 50 },
      (_, i) => `2024-10-05 10:00:00,000 1 ERROR db odoo.x: e${i}\n${"z".repeat(100)}`,
    );
    const analyzer = new LogAnalyzer({ stopAfterInit: false, maxErrors: 3, maxErrorChars: 60 });
    for (const entry of parseLog(lines.join("\n"))) analyzer.add(entry);
    const result = analyzer.result();
    expect(result.counts.ERROR).toBe(50);
    expect(result.errors).toHaveLength(3);
    expect(result.errors[0]?.text).toMatch(/… \(truncated\)$/);
  });
});
