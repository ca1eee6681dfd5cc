// The look at Odoo versions, a BullMQ job scheduler in the maintenance queue (several workers
// keep one schedule). ODOO_VERSION_CHECK_MINUTES=0 removes it.
import { config } from "@gantry/config";
import type { QueueContext } from "@gantry/queue";

export const odooVersionsSchedulerId = "odoo-versions";

export async function scheduleOdooVersions(queue: QueueContext): Promise<void> {
  const maintenance = queue.queue("maintenance");
  const minutes = config().ODOO_VERSION_CHECK_MINUTES;
  if (minutes === 0) {
    await maintenance.removeJobScheduler(odooVersionsSchedulerId);
    return;
  }
  await maintenance.upsertJobScheduler(
    odooVersionsSchedulerId,
    // An "every" scheduler runs its first job at once: the images are looked at when a worker starts.
    { every: minutes * 60_000 },
    {
      name: "maintenance.odoo-versions",
      data: {},
      opts: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
    },
  );
}
