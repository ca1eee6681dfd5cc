// Retention of one branch's backups with packages/backup's schedule: automatic (daily)
// backups fill 7 daily, 4 weekly and 3 monthly slots; other kinds are kept for their time;
// the newest verified backup is never deleted. Deleted archives leave storage (with their
// logs); the row stays, marked deletedAt, as history.
import { applyRetention, type BackupKind, type RetainedBackup } from "@gantry/backup";
import { backupLogsPrefix, backupStorage, markBackupDeleted } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";

// A SAFETY backup (taken before a restore replaces a database) is kept like an UPDATE one:
// it guards one change and matters for the next days.
const kindOf: Record<string, BackupKind> = {
  DAILY: "daily",
  MANUAL: "manual",
  UPDATE: "update",
  SAFETY: "update",
  UPGRADE: "upgrade",
  IMPORT: "import",
};

export async function applyBranchRetention(
  db: PrismaClient,
  branchId: string,
  now = new Date(),
): Promise<string[]> {
  const rows = await db.backup.findMany({
    where: { branchId, status: "DONE", deletedAt: null },
    select: { id: true, kind: true, createdAt: true, verifyStatus: true, storageKey: true },
  });
  const candidates: RetainedBackup[] = rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    kind: kindOf[row.kind] ?? "manual",
    verified: row.verifyStatus === "VERIFIED",
  }));
  const decision = applyRetention(candidates, now);
  const storage = backupStorage();
  const deleted: string[] = [];
  for (const id of decision.delete) {
    const row = rows.find((r) => r.id === id);
    if (!(await markBackupDeleted(db, id, now)) || !row) continue;
    if (row.storageKey) {
      await storage.delete(row.storageKey);
      for (const log of await storage.list(backupLogsPrefix(row.storageKey))) await storage.delete(log.key);
    }
    deleted.push(id);
  }
  return deleted;
}
