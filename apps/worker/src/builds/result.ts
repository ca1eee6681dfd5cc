// The build's result from its logs, by the rules of packages/odoo (runbot's): the worst of
// the runs, with the first error lines kept as the summary.
import { readFile } from "node:fs/promises";
import { ifExists } from "@gantry/config";
import { analyzeLog, type BuildLogResult } from "@gantry/odoo";

export interface RunOutcome {
  logFile: string;
  exitCode: number;
}

export interface BuildVerdict {
  result: "SUCCESS" | "WARNING" | "FAILED";
  errorSummary: string | null;
  analyses: BuildLogResult[];
}

const RANK = { success: 0, warning: 1, failed: 2 } as const;

export async function verdictOf(runs: RunOutcome[]): Promise<BuildVerdict> {
  const analyses: BuildLogResult[] = [];
  for (const run of runs) {
    // A run that failed before writing anything has no log file.
    const text = (await ifExists(readFile(run.logFile, "utf8"))) ?? "";
    analyses.push(analyzeLog(text, { stopAfterInit: true, exitCode: run.exitCode }));
  }
  const worst = analyses.reduce<BuildLogResult["status"]>(
    (acc, a) => (RANK[a.status] > RANK[acc] ? a.status : acc),
    "success",
  );
  const lines: string[] = [];
  for (const analysis of analyses) {
    if (analysis.status === "success") continue;
    lines.push(...analysis.reasons);
    for (const error of analysis.errors.slice(0, 3)) lines.push(error.text);
  }
  return {
    result: worst === "success" ? "SUCCESS" : worst === "warning" ? "WARNING" : "FAILED",
    errorSummary: lines.length > 0 ? lines.join("\n").slice(0, 8000) : null,
    analyses,
  };
}
