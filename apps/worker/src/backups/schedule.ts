// The daily automatic backup, scheduled once per installation (dailyBackupSchedulerId): a
// changed BACKUP_DAILY_HOUR replaces the schedule, and it fires once a day.
import { config } from "@gantry/config";
import { dailyBackupSchedulerId, type QueueContext, scheduleJob } from "@gantry/queue";

export function dailyBackupPattern(hour = config().BACKUP_DAILY_HOUR): string {
  return `0 ${hour} * * *`;
}

export async function scheduleDailyBackups(queue: QueueContext): Promise<void> {
  await scheduleJob(
    "backups.daily",
    dailyBackupSchedulerId,
    { pattern: dailyBackupPattern(), tz: "UTC" },
    {},
    queue,
  );
}
