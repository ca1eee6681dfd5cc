// The build result from its log, by the rule Odoo's own CI (runbot) applies: any ERROR or
// CRITICAL line, or any traceback, fails; with --stop-after-init a missing `Modules loaded.`
// or `Initiating shutdown` fails too (killed or timed out); otherwise any WARNING is a
// warning; else success. Odoo.sh shows green/yellow/red; GitHub gets success only for green.
import { entryText, LOG_LEVELS, type LogEntry, type LogLevel, OdooLogParser } from "./logs";

export type BuildLogStatus = "success" | "warning" | "failed";
export type BuildColour = "green" | "yellow" | "red";
export type GithubCommitState = "success" | "failure";

export interface LogError {
  line: number;
  level?: LogLevel;
  logger?: string;
  message: string;
  /** The entry with its traceback, capped. */
  text: string;
}

export interface BuildLogResult {
  status: BuildLogStatus;
  colour: BuildColour;
  githubState: GithubCommitState;
  counts: Record<LogLevel, number>;
  tracebacks: number;
  modulesLoaded: boolean;
  shutdown: boolean;
  /** Why it is not green, in words. */
  reasons: string[];
  /** The first error entries (ERROR, CRITICAL, or any entry carrying a traceback). */
  errors: LogError[];
  tests: { run: number; failed: number; errors: number; failedTests: string[] };
}

export interface LogAnalyzerOptions {
  /** The run used --stop-after-init: it must reach `Modules loaded.` and `Initiating shutdown`. */
  stopAfterInit: boolean;
  maxErrors?: number;
  maxErrorChars?: number;
}

const TRACEBACK = "Traceback (most recent call last):";
const TEST_START = /^Starting (\w+\.\w+) \.\.\.$/;
const TEST_FAILURE = /^(FAIL|ERROR): (\w+\.\w+)/;
const TEST_RESULT = /(\d+) failed, (\d+) error\(s\) of (\d+) tests/;

export function colourOf(status: BuildLogStatus): BuildColour {
  return status === "success" ? "green" : status === "warning" ? "yellow" : "red";
}

export function githubStateOf(colour: BuildColour): GithubCommitState {
  return colour === "green" ? "success" : "failure";
}

export class LogAnalyzer {
  private readonly counts = Object.fromEntries(LOG_LEVELS.map((level) => [level, 0])) as Record<
    LogLevel,
    number
  >;
  private tracebacks = 0;
  private modulesLoaded = false;
  private shutdown = false;
  private readonly errors: LogError[] = [];
  private testsStarted = 0;
  private lastResult: { failed: number; errors: number; total: number } | undefined;
  private readonly failedTests: string[] = [];
  private readonly maxErrors: number;
  private readonly maxErrorChars: number;

  constructor(private readonly options: LogAnalyzerOptions) {
    this.maxErrors = options.maxErrors ?? 10;
    this.maxErrorChars = options.maxErrorChars ?? 8_000;
  }

  add(entry: LogEntry): void {
    if (entry.level) this.counts[entry.level] += 1;
    const traces = [entry.message, ...entry.continuation].filter((line) => line.includes(TRACEBACK)).length;
    this.tracebacks += traces;
    const fromOdoo = entry.logger?.startsWith("odoo.") ?? false;
    if (entry.logger === "odoo.modules.loading" && entry.message === "Modules loaded.")
      this.modulesLoaded = true;
    if (entry.logger === "odoo.service.server" && entry.message === "Initiating shutdown")
      this.shutdown = true;
    if (fromOdoo && entry.logger?.startsWith("odoo.addons.")) {
      if (TEST_START.test(entry.message)) this.testsStarted += 1;
      const failure = TEST_FAILURE.exec(entry.message);
      if (failure && (entry.level === "ERROR" || entry.level === "CRITICAL")) {
        if (this.failedTests.length < 200) this.failedTests.push(failure[2] as string);
      }
    }
    if (entry.logger === "odoo.tests.result") {
      const result = TEST_RESULT.exec(entry.message);
      if (result)
        this.lastResult = { failed: Number(result[1]), errors: Number(result[2]), total: Number(result[3]) };
    }
    const isError = entry.level === "ERROR" || entry.level === "CRITICAL";
    if ((isError || traces > 0) && this.errors.length < this.maxErrors) {
      let text = entryText(entry);
      if (text.length > this.maxErrorChars) text = `${text.slice(0, this.maxErrorChars)}\n… (truncated)`;
      this.errors.push({
        line: entry.line,
        ...(entry.level ? { level: entry.level } : {}),
        ...(entry.logger ? { logger: entry.logger } : {}),
        message: entry.message,
        text,
      });
    }
  }

  /** The result so far. A non-zero exit code, when known, also fails the build. */
  result(exitCode?: number | null): BuildLogResult {
    const reasons: string[] = [];
    const failures = this.counts.ERROR + this.counts.CRITICAL;
    if (this.counts.CRITICAL > 0) reasons.push(`${this.counts.CRITICAL} CRITICAL line(s)`);
    if (this.counts.ERROR > 0) reasons.push(`${this.counts.ERROR} ERROR line(s)`);
    if (this.tracebacks > 0) reasons.push(`${this.tracebacks} traceback(s)`);
    if (this.options.stopAfterInit) {
      if (!this.modulesLoaded)
        reasons.push("no `Modules loaded.` (modules failed to load, or the run was killed or timed out)");
      if (!this.shutdown) reasons.push("no `Initiating shutdown` (the run was killed or timed out)");
    }
    if (exitCode !== undefined && exitCode !== null && exitCode !== 0) reasons.push(`exit code ${exitCode}`);
    const failed = failures > 0 || reasons.length > 0;
    if (!failed && this.counts.WARNING > 0) reasons.push(`${this.counts.WARNING} WARNING line(s)`);
    const status: BuildLogStatus = failed ? "failed" : this.counts.WARNING > 0 ? "warning" : "success";
    const colour = colourOf(status);
    const counted = this.failedTests.length;
    return {
      status,
      colour,
      githubState: githubStateOf(colour),
      counts: { ...this.counts },
      tracebacks: this.tracebacks,
      modulesLoaded: this.modulesLoaded,
      shutdown: this.shutdown,
      reasons,
      errors: [...this.errors],
      tests: {
        run: Math.max(this.testsStarted, this.lastResult?.total ?? 0),
        failed: this.lastResult ? this.lastResult.failed : counted,
        errors: this.lastResult ? this.lastResult.errors : 0,
        failedTests: [...this.failedTests],
      },
    };
  }
}

/** Analyses a whole log at once. */
export function analyzeLog(
  text: string,
  options: LogAnalyzerOptions & { exitCode?: number | null },
): BuildLogResult {
  const parser = new OdooLogParser();
  const analyzer = new LogAnalyzer(options);
  for (const entry of [...parser.feed(text), ...parser.end()]) analyzer.add(entry);
  return analyzer.result(options.exitCode);
}
