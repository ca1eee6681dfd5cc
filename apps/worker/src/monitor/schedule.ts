// The Monitor's schedules: the collector every METRICS_INTERVAL_SECONDS, the roll-up every
// minute. One scheduler id each, so several workers keep one collector between them.
import { config } from "@gantry/config";
import { type QueueContext, scheduleJob } from "@gantry/queue";

export const collectMetricsSchedulerId = "monitor-collect";
export const metricsRollupSchedulerId = "monitor-rollup";

export async function scheduleMonitor(queue: QueueContext): Promise<void> {
  const seconds = config().METRICS_INTERVAL_SECONDS;
  const repeat = seconds === 0 ? null : { every: seconds * 1000 };
  // A cycle's result says little once the next one ran: keep few.
  await scheduleJob("maintenance.collect-metrics", collectMetricsSchedulerId, repeat, { keep: 20 }, queue);
  await scheduleJob(
    "maintenance.metrics-rollup",
    metricsRollupSchedulerId,
    { every: 60_000 },
    { keep: 20 },
    queue,
  );
}
