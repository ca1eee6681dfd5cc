import { type RunChecksOptions, runChecks } from "./aggregate";
import { systemChecks } from "./checks";
import type { ComponentName, HealthReport } from "./types";
import type { WorkerBeat } from "./workers";

export interface SystemHealth extends HealthReport<ComponentName> {
  workers: WorkerBeat[];
}

/** The health of every component Gantry needs, each check bounded by a short timeout. */
export async function systemHealth(options: RunChecksOptions = {}): Promise<SystemHealth> {
  const workers = { seen: [] as WorkerBeat[] };
  const report = await runChecks(systemChecks(workers), options);
  return { ...report, workers: workers.seen };
}
