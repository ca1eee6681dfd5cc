// Compare-and-set changes of a BackupRestore row (a restore or an import into a branch).
import type { PrismaClient } from "@gantry/db";

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
    data: { progress: Math.max(0, Math.min(99, percent)), message: message.slice(0, 500) },
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
