import { config } from "@gantry/config";
import { type QueueDepth, queueDepths } from "@gantry/queue";
import { type RunChecksOptions, runChecks } from "./aggregate";
import { singleFlightCache } from "./cache";
import { systemChecks } from "./checks";
import { withTimeout } from "./timeout";
import type { ComponentName, HealthReport } from "./types";
import type { WorkerBeat } from "./workers";

export interface SystemHealth extends HealthReport<ComponentName> {
  workers: WorkerBeat[];
  workerCount: number;
  /** Jobs per queue; empty when Redis did not answer (the redis component says why). */
  queues: QueueDepth[];
}

/** The health of every component Gantry needs, each check bounded by a short timeout. */
export async function systemHealth(options: RunChecksOptions = {}): Promise<SystemHealth> {
  const workers = { seen: [] as WorkerBeat[] };
  const [report, queues] = await Promise.all([
    runChecks(systemChecks(workers), options),
    withTimeout(queueDepths(), options.timeoutMs ?? 2000).catch((): QueueDepth[] => []),
  ]);
  return { ...report, workers: workers.seen, workerCount: workers.seen.length, queues };
}

/** The report at most HEALTH_CACHE_SECONDS old, one round of checks at a time (cache.ts). */
export const cachedSystemHealth = singleFlightCache(
  () => systemHealth(),
  () => config().HEALTH_CACHE_SECONDS * 1000,
);
