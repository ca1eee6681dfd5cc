// The daily automatic backup: one DAILY backup per production branch with a serving build and
// per UTC day. A second firing on the same day (a restart, a second worker) finds the day's row
// and queues nothing new; the stable job id `backup-<id>` makes the enqueue itself idempotent.

import { servingFilter } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { backupJobId, enqueue, type QueueContext } from "@gantry/queue";

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function queueDailyBackups(
  db: PrismaClient,
  queue: QueueContext,
  now = new Date(),
): Promise<string[]> {
  const branches = await db.branch.findMany({
    where: {
      stage: "PRODUCTION",
      deletedAt: null,
      builds: { some: servingFilter },
    },
    select: { id: true, projectId: true },
  });
  const queued: string[] = [];
  for (const branch of branches) {
    const today = await db.backup.findFirst({
      where: {
        branchId: branch.id,
        kind: "DAILY",
        createdAt: { gte: startOfUtcDay(now) },
        status: { not: "FAILED" },
      },
      select: { id: true, status: true },
    });
    const row =
      today ??
      (await db.backup.create({
        data: { projectId: branch.projectId, branchId: branch.id, stage: "PRODUCTION", kind: "DAILY" },
        select: { id: true, status: true },
      }));
    if (row.status !== "PENDING") continue;
    await enqueue("backups.run", { backupId: row.id }, { jobId: backupJobId(row.id) }, queue);
    queued.push(row.id);
  }
  return queued;
}
