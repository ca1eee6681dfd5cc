// A pinned revision holds three months (see revisionPinState). In its last two weeks the
// branch's settings warn, and the project's Admins get one mail; then the branch moves to the
// latest revision of its series, with an audit entry, and follows it like any branch on "latest".
import { notifyProjectAdmins, publicUrl, recordAudit, revisionPinState } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import type { QueueContext } from "@gantry/queue";
import { type Followed, followRevision } from "./follow-latest";

export async function expirePins(
  db: PrismaClient,
  queue: QueueContext,
  now = new Date(),
): Promise<{ expired: string[]; warned: string[] } & Followed> {
  const result = {
    expired: [] as string[],
    warned: [] as string[],
    rebuilt: [] as string[],
    productionScheduled: [] as string[],
  };
  const pinned = await db.branch.findMany({
    where: { deletedAt: null, odooRevision: { not: null } },
    select: {
      id: true,
      projectId: true,
      name: true,
      odooRevision: true,
      revisionPinnedAt: true,
      revisionWarnedAt: true,
      odooSeries: true,
      project: { select: { odooSeries: true } },
    },
  });
  for (const branch of pinned) {
    const state = revisionPinState(branch.odooRevision, branch.revisionPinnedAt, now);
    if (state.kind === "expiring" && !branch.revisionWarnedAt) {
      await warn(db, branch, state.expiresAt, now);
      result.warned.push(branch.id);
    }
    if (state.kind !== "expired") continue;
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

async function warn(
  db: PrismaClient,
  branch: { id: string; projectId: string; name: string; odooRevision: string | null },
  expiresAt: Date,
  now: Date,
): Promise<void> {
  const project = await db.project.findUniqueOrThrow({
    where: { id: branch.projectId },
    select: { name: true },
  });
  const day = expiresAt.toISOString().slice(0, 10);
  const url = publicUrl(`/projects/${branch.projectId}/branches/${branch.id}`);
  await notifyProjectAdmins(branch.projectId, {
    subject: `[Gantry] ${project.name} / ${branch.name}: the pinned Odoo revision lapses on ${day}`,
    text: [
      `${project.name} / ${branch.name} is pinned to the Odoo revision ${branch.odooRevision}.`,
      `Pins last three months: on ${day} the branch moves to the latest revision of its series and is`,
      "rebuilt on it (production at the update window, with an update backup and -u all).",
      "",
      `Pin another revision or follow the latest now in the branch's settings: ${url}`,
    ].join("\n"),
  });
  await db.branch.update({ where: { id: branch.id }, data: { revisionWarnedAt: now } });
}
