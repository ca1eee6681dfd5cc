// The handlers of the `backups` queue: run one backup, verify one, apply a branch's
// retention, and the daily firing. Each loads its rows itself; ids only in payloads.
import { enqueue, retentionJobId } from "@gantry/queue";
import type { JobHandler } from "../handler";
import { queueDailyBackups } from "./daily";
import { applyBranchRetention } from "./retention";
import { takeBackup } from "./take";
import { verifyStoredBackup } from "./verify";

export const runBackupJob: JobHandler<"backups.run"> = async ({ backupId }, context) => {
  const db = context.services.db();
  const row = await db.backup.findUnique({
    where: { id: backupId },
    select: { status: true, branchId: true, kind: true },
  });
  if (!row) return { status: "missing" };
  if (row.status !== "PENDING" || !row.branchId) return { status: `skipped: ${row.status}` };
  const taken = await takeBackup(context.services, {
    backupId,
    branchId: row.branchId,
    kind: row.kind,
    workerId: context.workerId,
    signal: context.signal,
    onProgress: (percent, message) => context.progress({ percent, message }),
  });
  await enqueue(
    "backups.retention",
    { branchId: row.branchId },
    { jobId: retentionJobId(row.branchId) },
    context.services.queue,
  );
  return { status: "DONE", sizeBytes: taken.sizeBytes };
};

export const verifyBackupJob: JobHandler<"backups.verify"> = async ({ backupId }, context) => {
  const outcome = await verifyStoredBackup(context.services.db(), backupId, context.signal);
  if (outcome.status === "FAILED")
    context.logger.warn({ backupId, problems: outcome.problems }, "backup failed verification");
  return { status: outcome.status, problems: outcome.problems };
};

export const retentionJob: JobHandler<"backups.retention"> = async ({ branchId }, context) => ({
  deleted: await applyBranchRetention(context.services.db(), branchId),
});

export const dailyBackupsJob: JobHandler<"backups.daily"> = async (_payload, context) => ({
  queued: await queueDailyBackups(context.services.db(), context.services.queue),
});
