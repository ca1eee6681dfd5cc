// What the worker does for backups before taking jobs: reconcile what a dead worker left, and
// make sure the daily schedule exists.
import type { Logger } from "@gantry/core";
import type { WorkerServices } from "../handler";
import { reconcileBackups } from "./reconcile";
import { sweepRestoreRoles } from "./restore-roles";
import { scheduleDailyBackups } from "./schedule";

export async function prepareBackups(
  services: WorkerServices,
  workerId: string,
  logger: Logger,
): Promise<void> {
  try {
    const report = await reconcileBackups({
      db: services.db(),
      runtime: services.runtime,
      queue: services.queue,
      workerId,
    });
    logger.info(report, "backups reconciled");
  } catch (error) {
    logger.error({ err: error }, "backup reconciliation failed");
  }
  const dropped = await sweepRestoreRoles(logger).catch((error: unknown) => {
    logger.error({ err: error }, "restore roles not swept");
    return [];
  });
  if (dropped.length > 0) logger.info({ dropped }, "dead restore roles dropped");
  await scheduleDailyBackups(services.queue).catch((error: unknown) =>
    logger.error({ err: error }, "the daily backup schedule could not be set"),
  );
}
