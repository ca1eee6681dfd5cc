// The verdict over the Odoo runs of an upgrade attempt, each read from its own stretch of
// upgrade.log (byte offsets), by the log rules of packages/odoo: the worst run decides, and
// the first errors and warnings are kept for the report.
import { open, stat } from "node:fs/promises";
import type { LogFinding, UpgradeReport } from "@gantry/core";
import { analyzeLog, entryText, parseLog } from "@gantry/odoo";

export interface LoggedRun {
  what: string;
  from: number;
  to: number;
  exitCode: number;
  /** `--stop-after-init` runs must reach `Modules loaded.` and `Initiating shutdown`. */
  stopAfterInit: boolean;
}

const RANK = { success: 0, warning: 1, failed: 2 } as const;
const MAX_FINDINGS = 20;

export async function logSize(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

async function readSlice(path: string, from: number, to: number): Promise<string> {
  if (to <= from) return "";
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, to - from, from);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

export async function judgeRuns(
  logFile: string,
  runs: readonly LoggedRun[],
): Promise<Pick<UpgradeReport, "logStatus" | "reasons" | "errors" | "warnings">> {
  let status: UpgradeReport["logStatus"] = "success";
  const reasons: string[] = [];
  const errors: LogFinding[] = [];
  const warnings: LogFinding[] = [];
  for (const run of runs) {
    const text = await readSlice(logFile, run.from, run.to);
    const result = analyzeLog(text, { stopAfterInit: run.stopAfterInit, exitCode: run.exitCode });
    if (RANK[result.status] > RANK[status]) status = result.status;
    for (const reason of result.reasons) reasons.push(`${run.what}: ${reason}`);
    for (const error of result.errors) {
      if (errors.length >= MAX_FINDINGS) break;
      errors.push({
        level: error.level ?? "ERROR",
        logger: error.logger ?? null,
        message: error.message,
        text: error.text,
      });
    }
    for (const entry of parseLog(text)) {
      if (entry.level !== "WARNING" || warnings.length >= MAX_FINDINGS) continue;
      warnings.push({
        level: "WARNING",
        logger: entry.logger ?? null,
        message: entry.message,
        text: entryText(entry),
      });
    }
  }
  return { logStatus: status, reasons, errors, warnings };
}
