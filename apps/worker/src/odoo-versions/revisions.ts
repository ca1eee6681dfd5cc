// Looks at the image of each Odoo series Gantry may run and records a revision it has not seen
// (packages/core odoo-versions): tagged `<ODOO_IMAGE>:<series>-<revision>` at once, so that the
// image stays on the engine for pinned branches when the series' tag later moves on.
import { imageOf, revisionOf, revisionTag, upgradeSeries } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import type { ContainerRuntime } from "@gantry/runtime";

export interface NewRevision {
  series: string;
  revision: string;
  /** The revision it replaces; null the first time a series is seen (nothing to update). */
  previous: string | null;
}

/** Every series a project or branch runs, and the ones offered as upgrade targets. */
async function watchedSeries(db: PrismaClient): Promise<string[]> {
  const [projects, branches] = await Promise.all([
    db.project.findMany({ distinct: ["odooSeries"], select: { odooSeries: true } }),
    db.branch.findMany({
      where: { odooSeries: { not: null } },
      distinct: ["odooSeries"],
      select: { odooSeries: true },
    }),
  ]);
  const all = new Set<string>(upgradeSeries);
  for (const row of projects) all.add(row.odooSeries);
  for (const row of branches) if (row.odooSeries) all.add(row.odooSeries);
  return [...all].sort();
}

export async function recordNewRevisions(
  db: PrismaClient,
  runtime: ContainerRuntime,
): Promise<NewRevision[]> {
  const found: NewRevision[] = [];
  for (const series of await watchedSeries(db)) {
    const imageId = await runtime.imageId(imageOf(series));
    if (!imageId) continue;
    const revision = revisionOf(imageId);
    const latest = await db.odooRevision.findFirst({
      where: { series },
      orderBy: { seenAt: "desc" },
      select: { id: true, revision: true },
    });
    if (latest?.revision === revision) continue;
    const { repository, tag } = revisionTag(series, revision);
    await runtime.tagImage(imageId, repository, tag);
    const now = new Date();
    // Seen before (the tag went back to an older image): it becomes the latest again.
    await db.odooRevision.upsert({
      where: { series_revision: { series, revision } },
      create: { series, revision, imageId, seenAt: now },
      update: { seenAt: now, supersededAt: null },
    });
    if (latest) await db.odooRevision.update({ where: { id: latest.id }, data: { supersededAt: now } });
    found.push({ series, revision, previous: latest?.revision ?? null });
  }
  return found;
}
