// Compare-and-set changes of a Backup row: a row moves only from the status it was seen in, so
// two workers (or a worker and the start-up reconciliation) never both finish it.
import type { PrismaClient } from "@gantry/db";

export async function claimBackup(db: PrismaClient, id: string, workerId: string | null): Promise<boolean> {
  const { count } = await db.backup.updateMany({
    where: { id, status: "PENDING" },
    data: { status: "RUNNING", startedAt: new Date(), workerId, progress: 0, error: null },
  });
  return count === 1;
}

export async function backupProgress(db: PrismaClient, id: string, percent: number, message: string) {
  await db.backup.updateMany({
    where: { id, status: "RUNNING" },
    data: { progress: Math.max(0, Math.min(99, percent)), message: message.slice(0, 500) },
  });
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
