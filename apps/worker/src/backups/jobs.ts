// The handlers of the `backups` queue: run one backup, verify one, apply a branch's
// retention, and the daily firing. Each loads its rows itself; ids only in payloads.
import { branchLockName, enqueue, retentionJobId, waitLock } from "@gantry/queue";
import type { JobContext, JobHandler } from "../handler";
import { tell } from "../notifications/tell";
import { queueDailyBackups } from "./daily";
import { importArchive } from "./import";
import { failInterruptedBackup, failInterruptedRestore } from "./reconcile";
import { restoreBackupInto } from "./restore-into";
import { sweepRestoreRoles } from "./restore-roles";
import { applyBranchRetention } from "./retention";
import { takeBackup } from "./take";
import { verifyStoredBackup } from "./verify";

export const runBackupJob: JobHandler<"backups.run"> = async ({ backupId }, context) => {
  const db = context.services.db();
  const row = await db.backup.findUnique({
    where: { id: backupId },
    select: { id: true, status: true, branchId: true, kind: true, projectId: true, storageKey: true },
  });
  if (!row) return { status: "missing" };
  // Its own job handed out again (the worker holding it died before the start-up pass could
  // see it gone): nothing else runs it, so it stopped half-way.
  if (row.status === "RUNNING") {
    await failInterruptedBackup(db, row);
    context.logger.warn({ backupId }, "backup interrupted by its worker's end: failed");
    return { status: "FAILED" };
  }
  if (row.status !== "PENDING" || !row.branchId) return { status: `skipped: ${row.status}` };
  const branchId = row.branchId;
  // Not while a build or a restore changes the branch's database: the dump would be cut.
  const taken = await withBranchLock(branchId, context, () =>
    takeBackup(context.services, {
      backupId,
      branchId,
      kind: row.kind,
      workerId: context.workerId,
      signal: context.signal,
      onProgress: (percent, message) => context.progress({ percent, message }),
    }),
  ).catch(async (error: unknown) => {
    // Cut short by a shutdown or timeout, the job is tried again: not a failure to tell yet.
    if (!context.signal.aborted) {
      const reason = error instanceof Error ? error.message : String(error);
      await tell(context, row.projectId, { type: "backup.failed", backupId, reason: reason.slice(0, 2000) });
    }
    throw error;
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
  if (outcome.status === "FAILED") {
    context.logger.warn({ backupId, problems: outcome.problems }, "backup failed verification");
    const row = await context.services
      .db()
      .backup.findUnique({ where: { id: backupId }, select: { projectId: true } });
    if (row)
      await tell(context, row.projectId, {
        type: "backup.verification_failed",
        backupId,
        reason: outcome.problems.slice(0, 5).join("; ").slice(0, 2000),
      });
  }
  return { status: outcome.status, problems: outcome.problems };
};

export const retentionJob: JobHandler<"backups.retention"> = async ({ branchId }, context) => ({
  deleted: await applyBranchRetention(context.services.db(), branchId),
});

export const dailyBackupsJob: JobHandler<"backups.daily"> = async (_payload, context) => ({
  queued: await queueDailyBackups(context.services.db(), context.services.queue),
  droppedRestoreRoles: await sweepRestoreRoles(context.logger),
});

/** A restore replaces the branch's database: never beside a build or another restore of it. */
async function withBranchLock<T>(branchId: string, context: JobContext, work: () => Promise<T>): Promise<T> {
  const lock = await waitLock(context.services.queue, branchLockName(branchId), context.signal, {
    onWait: () => context.logger.info({ branchId }, "waiting for the branch's running build or restore"),
  });
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

export const restoreJob: JobHandler<"backups.restore"> = async ({ restoreId }, context) => {
  const db = context.services.db();
  const row = await db.backupRestore.findUnique({ where: { id: restoreId } });
  if (!row) return { status: "missing" };
  if (row.status === "RUNNING") {
    // As for a backup: its worker died mid-way; the branch is put back, the restore failed.
    await failInterruptedRestore(db, context.services.runtime, row);
    context.logger.warn({ restoreId }, "restore interrupted by its worker's end: failed");
    return { status: "FAILED" };
  }
  if (row.status !== "PENDING" || !row.backupId) return { status: `skipped: ${row.status}` };
  const backupId = row.backupId;
  const result = await withBranchLock(row.branchId, context, () =>
    restoreBackupInto(context.services, {
      branchId: row.branchId,
      backupId,
      restoreId,
      requestedById: row.requestedById,
      workerId: context.workerId,
      signal: context.signal,
      onProgress: (percent, message) => context.progress({ percent, message }),
    }),
  );
  return { status: "DONE", safetyBackupId: result.safetyBackupId };
};

export const importJob: JobHandler<"backups.import"> = async ({ restoreId, upload, neutralize }, context) => {
  const db = context.services.db();
  const row = await db.backupRestore.findUnique({ where: { id: restoreId } });
  if (!row) return { status: "missing" };
  if (row.status === "RUNNING") {
    // Its worker died while restoring the imported archive: as for a restore, the branch is
    // put back and the import failed (skipped, it stayed RUNNING while the dead worker's
    // heartbeat kept the start-up pass away).
    await failInterruptedRestore(db, context.services.runtime, row);
    context.logger.warn({ restoreId }, "import interrupted by its worker's end: failed");
    return { status: "FAILED" };
  }
  if (row.status !== "PENDING") return { status: `skipped: ${row.status}` };
  const result = await withBranchLock(row.branchId, context, () =>
    importArchive(context.services, {
      restoreId,
      upload,
      neutralize,
      workerId: context.workerId,
      signal: context.signal,
      onProgress: (percent, message) => context.progress({ percent, message }),
    }),
  );
  return { status: "DONE", safetyBackupId: result.safetyBackupId };
};
