// The state machine of Backup rows (PENDING -> RUNNING -> DONE | FAILED, then verified and, by
// retention, deleted) and of BackupRestore rows (a restore or an import into a branch). Every
// change is compare-and-set: a row moves only from the status it was seen in, so two workers
// (or a worker and the start-up reconciliation) never both finish it.
import type { PrismaClient } from "@gantry/db";

/** 100 is for the finish only: a running row shows at most 99. */
function progressData(percent: number, message: string) {
  return { progress: Math.max(0, Math.min(99, percent)), message: message.slice(0, 500) };
}

export async function claimBackup(db: PrismaClient, id: string, workerId: string | null): Promise<boolean> {
  const { count } = await db.backup.updateMany({
    where: { id, status: "PENDING" },
    data: { status: "RUNNING", startedAt: new Date(), workerId, progress: 0, error: null },
  });
  return count === 1;
}

export async function backupProgress(db: PrismaClient, id: string, percent: number, message: string) {
  await db.backup.updateMany({ where: { id, status: "RUNNING" }, data: progressData(percent, message) });
}

export async function finishBackup(
  db: PrismaClient,
  id: string,
  done: { storageKey: string; sizeBytes: number; sha256: string; odooSeries: string | null },
): Promise<boolean> {
  const { count } = await db.backup.updateMany({
    where: { id, status: "RUNNING" },
    data: {
      status: "DONE",
      storageKey: done.storageKey,
      sizeBytes: BigInt(done.sizeBytes),
      sha256: done.sha256,
      odooSeries: done.odooSeries,
      progress: 100,
      message: null,
      finishedAt: new Date(),
    },
  });
  return count === 1;
}

export async function failBackup(db: PrismaClient, id: string, error: string): Promise<boolean> {
  const { count } = await db.backup.updateMany({
    where: { id, status: { in: ["PENDING", "RUNNING"] } },
    data: { status: "FAILED", error: error.slice(0, 2000), finishedAt: new Date(), message: null },
  });
  return count === 1;
}

/** The verification's verdict, written once (a backup is verified a single time). */
export async function recordVerification(db: PrismaClient, id: string, ok: boolean, message: string) {
  await db.backup.updateMany({
    where: { id, verifyStatus: "PENDING" },
    data: {
      verifyStatus: ok ? "VERIFIED" : "FAILED",
      verifyMessage: message.slice(0, 4000),
      verifiedAt: new Date(),
    },
  });
}

/** DONE -> deleted by retention (the row stays as history); false when already gone. */
export async function markBackupDeleted(db: PrismaClient, id: string, now: Date): Promise<boolean> {
  const { count } = await db.backup.updateMany({
    where: { id, status: "DONE", deletedAt: null },
    data: { deletedAt: now },
  });
  return count === 1;
}

export async function claimRestore(db: PrismaClient, id: string, workerId: string | null): Promise<boolean> {
  const { count } = await db.backupRestore.updateMany({
    where: { id, status: "PENDING" },
    data: { status: "RUNNING", startedAt: new Date(), workerId },
  });
  return count === 1;
}

export async function restoreProgress(db: PrismaClient, id: string, percent: number, message: string) {
  await db.backupRestore.updateMany({
    where: { id, status: "RUNNING" },
    data: progressData(percent, message),
  });
}

export async function endRestore(
  db: PrismaClient,
  id: string,
  outcome: { ok: true; message: string } | { ok: false; error: string },
): Promise<boolean> {
  const { count } = await db.backupRestore.updateMany({
    where: { id, status: { in: ["PENDING", "RUNNING"] } },
    data: outcome.ok
      ? { status: "DONE", progress: 100, message: outcome.message.slice(0, 500), finishedAt: new Date() }
      : { status: "FAILED", error: outcome.error.slice(0, 2000), message: null, finishedAt: new Date() },
  });
  return count === 1;
}
