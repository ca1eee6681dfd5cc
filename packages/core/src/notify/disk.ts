// Disk over a project's threshold: the Monitor's figures of a build (database and filestore)
// compared with Project.diskAlertMb after each collection. A NotificationDiskAlert row stands
// while a build stays over, so a crossing is notified once; falling back under removes it,
// and the next crossing is news again.
import { prisma } from "@gantry/db";
import type { QueueContext } from "@gantry/queue";
import { notifyProject } from "./dispatch";

export interface DiskFigure {
  buildId: string;
  dbSizeBytes: bigint | null;
  filestoreBytes: bigint | null;
}

/** Returns the builds that crossed their threshold now (each was notified). */
export async function checkDiskThresholds(
  figures: readonly DiskFigure[],
  queue?: QueueContext,
): Promise<string[]> {
  const measured = figures.filter((f) => f.dbSizeBytes !== null || f.filestoreBytes !== null);
  if (measured.length === 0) return [];
  const builds = await prisma().build.findMany({
    where: { id: { in: measured.map((f) => f.buildId) }, project: { diskAlertMb: { not: null } } },
    select: { id: true, projectId: true, project: { select: { diskAlertMb: true } } },
  });
  const thresholds = new Map(builds.map((b) => [b.id, b]));
  const standing = new Set(
    (
      await prisma().notificationDiskAlert.findMany({
        where: { buildId: { in: measured.map((f) => f.buildId) } },
        select: { buildId: true },
      })
    ).map((a) => a.buildId),
  );
  const crossed: string[] = [];
  const under: string[] = [];
  for (const figure of measured) {
    const build = thresholds.get(figure.buildId);
    const total = (figure.dbSizeBytes ?? 0n) + (figure.filestoreBytes ?? 0n);
    const limit = build?.project.diskAlertMb ? BigInt(build.project.diskAlertMb) * 1024n * 1024n : null;
    if (!build || limit === null || total <= limit) {
      if (standing.has(figure.buildId)) under.push(figure.buildId);
      continue;
    }
    if (standing.has(figure.buildId)) continue;
    // Two collectors racing: only the one whose row lands tells.
    const created = await prisma().notificationDiskAlert.createMany({
      data: [{ buildId: build.id, projectId: build.projectId, bytes: total }],
      skipDuplicates: true,
    });
    if (created.count === 0) continue;
    crossed.push(build.id);
    await notifyProject(
      build.projectId,
      { type: "disk.over_threshold", buildId: build.id, bytes: Number(total), thresholdBytes: Number(limit) },
      queue,
    );
  }
  if (under.length > 0)
    await prisma().notificationDiskAlert.deleteMany({ where: { buildId: { in: under } } });
  return crossed;
}
