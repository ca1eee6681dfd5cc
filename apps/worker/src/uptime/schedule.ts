// The uptime probe's schedule: every minute, one scheduler id across workers.
import { type QueueContext, scheduleJob } from "@gantry/queue";

export const probeProductionSchedulerId = "uptime-probe";

export async function scheduleUptimeProbe(queue: QueueContext): Promise<void> {
  await scheduleJob(
    "maintenance.probe-production",
    probeProductionSchedulerId,
    { every: 60_000 },
    { keep: 20 },
    queue,
  );
}
