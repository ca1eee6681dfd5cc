// Gantry's own backup runs daily at BACKUP_DAILY_HOUR (UTC), half an hour after the projects'
// daily backups start, under one scheduler id per installation.
import { config } from "@gantry/config";
import { type QueueContext, scheduleJob } from "@gantry/queue";

export const selfBackupSchedulerId = "gantry-backup";

export async function scheduleSelfBackup(queue: QueueContext): Promise<void> {
  await scheduleJob(
    "maintenance.gantry-backup",
    selfBackupSchedulerId,
    { pattern: `30 ${config().BACKUP_DAILY_HOUR} * * *`, tz: "UTC" },
    { keep: 30 },
    queue,
  );
}
