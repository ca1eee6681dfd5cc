// The maintenance jobs of Odoo versions: the scheduled look (new image revisions, lapsed pins,
// ended upgrade-test copies) and production's move to a new revision at the update window.
import { enqueueBuild, servingBuild } from "@gantry/core";
import type { JobHandler } from "../handler";
import { followRevision } from "./follow-latest";
import { expirePins } from "./pins";
import { recordNewRevisions } from "./revisions";
import { dropEndedTestCopies } from "./test-copies";

export const odooVersionsJob: JobHandler<"maintenance.odoo-versions"> = async (_payload, context) => {
  const { db, runtime, queue } = context.services;
  const revisions = await recordNewRevisions(db(), runtime);
  const rebuilt: string[] = [];
  const productionScheduled: string[] = [];
  for (const found of revisions) {
    if (!found.previous) continue; // the first look at a series: its baseline
    context.logger.info(found, "new revision of an Odoo series");
    const followed = await followRevision(db(), queue, found.series, found.revision);
    rebuilt.push(...followed.rebuilt);
    productionScheduled.push(...followed.productionScheduled);
  }
  const pins = await expirePins(db(), queue);
  rebuilt.push(...pins.rebuilt);
  productionScheduled.push(...pins.productionScheduled);
  const copiesDropped = await dropEndedTestCopies(db());
  return {
    revisions,
    rebuilt,
    productionScheduled,
    pinsWarned: pins.warned,
    pinsExpired: pins.expired,
    copiesDropped,
  };
};

export const productionRevisionJob: JobHandler<"maintenance.production-revision"> = async (
  { branchId, revision },
  context,
) => {
  const db = context.services.db();
  const branch = await db.branch.findUnique({
    where: { id: branchId },
    select: {
      projectId: true,
      stage: true,
      deletedAt: true,
      odooRevision: true,
      odooSeries: true,
      project: { select: { odooSeries: true } },
    },
  });
  if (!branch || branch.deletedAt || branch.stage !== "PRODUCTION")
    return { status: "skipped: not production" };
  if (branch.odooRevision) return { status: "skipped: pinned meanwhile" };
  const series = branch.odooSeries ?? branch.project.odooSeries;
  const latest = await db.odooRevision.findFirst({ where: { series }, orderBy: { seenAt: "desc" } });
  if (latest?.revision !== revision) return { status: "skipped: a newer revision has its own update" };
  const serving = await servingBuild(db, branchId);
  if (!serving) return { status: "skipped: nothing serves" };
  if (serving.odooRevision === revision) return { status: "skipped: already on it" };
  const build = await enqueueBuild(
    {
      projectId: branch.projectId,
      branchId,
      stage: "PRODUCTION",
      commit: { sha: serving.commitSha, message: serving.commitMessage, author: serving.commitAuthor },
      trigger: "image",
    },
    context.services.queue,
  );
  return { status: "queued", buildId: build.id };
};
