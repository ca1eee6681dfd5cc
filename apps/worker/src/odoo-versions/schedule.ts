// The look at Odoo versions, every ODOO_VERSION_CHECK_MINUTES; 0 removes the schedule.
import { config } from "@gantry/config";
import { type QueueContext, scheduleJob } from "@gantry/queue";

export const odooVersionsSchedulerId = "odoo-versions";

export async function scheduleOdooVersions(queue: QueueContext): Promise<void> {
  const minutes = config().ODOO_VERSION_CHECK_MINUTES;
  // An "every" schedule runs its first job at once: the images are looked at when a worker starts.
  const repeat = minutes === 0 ? null : { every: minutes * 60_000 };
  await scheduleJob("maintenance.odoo-versions", odooVersionsSchedulerId, repeat, { keep: 50 }, queue);
}
