// The idle sweep's schedule in the maintenance queue (a BullMQ job scheduler, so several
// workers keep one schedule). Idle sleep turned off (BUILD_IDLE_MINUTES=0) removes it.
import { config } from "@gantry/config";
import { ensureAccessLog, type Logger } from "@gantry/core";
import type { QueueContext } from "@gantry/queue";

export const idleSleepSchedulerId = "sleep-idle-builds";

export async function scheduleIdleSleep(queue: QueueContext, logger: Logger): Promise<void> {
  const maintenance = queue.queue("maintenance");
  if (config().BUILD_IDLE_MINUTES === 0) {
    await maintenance.removeJobScheduler(idleSleepSchedulerId);
    return;
  }
  await maintenance.upsertJobScheduler(
    idleSleepSchedulerId,
    { every: config().BUILD_IDLE_CHECK_SECONDS * 1000 },
    {
      name: "maintenance.sleep-idle-builds",
      data: {},
      opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    },
  );
  // Requests are counted from now on, not only from the first sweep.
  await ensureAccessLog().catch((error: unknown) =>
    logger.warn({ err: error }, "Caddy's access log for the builds could not be set up yet"),
  );
}
