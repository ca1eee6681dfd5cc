// The idle sweep's schedule. Idle sleep turned off (BUILD_IDLE_MINUTES=0) removes it.
import { config } from "@gantry/config";
import { ensureAccessLog, type Logger } from "@gantry/core";
import { type QueueContext, scheduleJob } from "@gantry/queue";

export const idleSleepSchedulerId = "sleep-idle-builds";

export async function scheduleIdleSleep(queue: QueueContext, logger: Logger): Promise<void> {
  const off = config().BUILD_IDLE_MINUTES === 0;
  const repeat = off ? null : { every: config().BUILD_IDLE_CHECK_SECONDS * 1000 };
  await scheduleJob("maintenance.sleep-idle-builds", idleSleepSchedulerId, repeat, {}, queue);
  if (off) return;
  // Requests are counted from now on, not only from the first sweep.
  await ensureAccessLog().catch((error: unknown) =>
    logger.warn({ err: error }, "Caddy's access log for the builds could not be set up yet"),
  );
}
