// A pinned revision holds three months (the last two weeks warn on the branch's settings, see
// revisionPinState); then the branch moves to the latest revision of its series, with an audit
// entry, and follows it like any branch on "latest".
import { recordAudit, revisionPinState } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import type { QueueContext } from "@gantry/queue";
import { type Followed, followRevision } from "./follow-latest";

export async function expirePins(
  db: PrismaClient,
  queue: QueueContext,
  now = new Date(),
): Promise<{ expired: string[] } & Followed> {
  const result = { expired: [] as string[], rebuilt: [] as string[], productionScheduled: [] as string[] };
  const pinned = await db.branch.findMany({
    where: { deletedAt: null, odooRevision: { not: null } },
    select: {
      id: true,
      projectId: true,
      name: true,
      odooRevision: true,
      revisionPinnedAt: true,
      odooSeries: true,
      project: { select: { odooSeries: true } },
    },
  });
  for (const branch of pinned) {
    if (revisionPinState(branch.odooRevision, branch.revisionPinnedAt, now).kind !== "expired") continue;
    const moved = await db.branch.updateMany({
      where: { id: branch.id, odooRevision: branch.odooRevision },
      data: { odooRevision: null, revisionPinnedAt: null },
    });
    if (moved.count !== 1) continue;
    result.expired.push(branch.id);
    await recordAudit({
      action: "branch.revision_pin_expired",
      projectId: branch.projectId,
      target: branch.id,
      data: { name: branch.name, revision: branch.odooRevision },
    });
    const series = branch.odooSeries ?? branch.project.odooSeries;
    const latest = await db.odooRevision.findFirst({ where: { series }, orderBy: { seenAt: "desc" } });
    if (!latest) continue;
    const followed = await followRevision(db, queue, series, latest.revision, [branch.id]);
    result.rebuilt.push(...followed.rebuilt);
    result.productionScheduled.push(...followed.productionScheduled);
  }
  return result;
}
