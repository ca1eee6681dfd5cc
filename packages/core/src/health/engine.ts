// The Docker Engine as the live workers last reported it (packages/queue heartbeat `engine`).
// Gantry's web process never connects to Docker: what it says about the engine comes from here.
import { type EngineReport, heartbeatTtlMs, readHeartbeats } from "@gantry/queue";
import { liveWorkers } from "./workers";

export interface ReportedEngine extends EngineReport {
  workerId: string;
}

/** The engine reports of the workers alive now, newest first. */
export async function engineReports(): Promise<ReportedEngine[]> {
  const live = liveWorkers(await readHeartbeats(), heartbeatTtlMs());
  const reports: ReportedEngine[] = [];
  for (const beat of live) {
    const engine = beat.engine as EngineReport | undefined;
    if (engine) reports.push({ ...engine, workerId: beat.workerId });
  }
  return reports;
}

/** The Odoo series some live worker's engine has an image of. */
export async function seriesOnEngines(): Promise<Set<string>> {
  const found = new Set<string>();
  for (const report of await engineReports())
    if (report.ok) for (const series of report.series) found.add(series);
  return found;
}
