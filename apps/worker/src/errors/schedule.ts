// The periodic rescan of serving builds' server logs: one scheduler id, so several workers
// keep one rescan between them.
import { type QueueContext, scheduleJob } from "@gantry/queue";

export const scanErrorLogsSchedulerId = "errors-scan";

export async function scheduleErrorScan(queue: QueueContext): Promise<void> {
  await scheduleJob(
    "maintenance.scan-error-logs",
    scanErrorLogsSchedulerId,
    { every: 60_000 },
    { keep: 20 },
    queue,
  );
}
