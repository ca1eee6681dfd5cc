// The daily automatic backup as a BullMQ job scheduler on the `backups` queue: one scheduler id
// for the installation, upserted at every worker start, so restarts and several workers keep
// exactly one schedule (a changed BACKUP_DAILY_HOUR replaces it), and one firing per day.
import { config } from "@gantry/config";
import { dailyBackupSchedulerId, type QueueContext } from "@gantry/queue";

export function dailyBackupPattern(hour = config().BACKUP_DAILY_HOUR): string {
  return `0 ${hour} * * *`;
}

export async function scheduleDailyBackups(queue: QueueContext): Promise<void> {
  await queue.queue("backups").upsertJobScheduler(
    dailyBackupSchedulerId,
    { pattern: dailyBackupPattern(), tz: "UTC" },
    {
      name: "backups.daily",
      data: {},
      opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    },
  );
}
