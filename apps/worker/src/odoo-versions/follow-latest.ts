// Branches on "latest" follow a new revision of their series: development and staging are
// rebuilt now from the commit they serve; production is moved at the update window (a job
// delayed to ODOO_UPDATE_HOUR, UTC), where its build takes an "update" backup, updates every
// module on the new revision and rolls back on failure (stages/production.ts).
import { config } from "@gantry/config";
import { enqueueBuild, servingBuild } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { enqueue, productionRevisionJobId, type QueueContext } from "@gantry/queue";
import { nextUpdateWindow } from "./window";

export interface Followed {
  rebuilt: string[];
  productionScheduled: string[];
}

/** Branches on "latest" of `series` (or the given ones) whose serving build runs another revision. */
export async function followRevision(
  db: PrismaClient,
  queue: QueueContext,
  series: string,
  revision: string,
  only?: string[],
): Promise<Followed> {
  const followed: Followed = { rebuilt: [], productionScheduled: [] };
  const branches = await db.branch.findMany({
    where: {
      deletedAt: null,
      odooRevision: null,
      ...(only ? { id: { in: only } } : {}),
      OR: [{ odooSeries: series }, { odooSeries: null, project: { odooSeries: series } }],
    },
    select: { id: true, projectId: true, stage: true },
  });
  for (const branch of branches) {
    const serving = await servingBuild(db, branch.id);
    if (!serving || serving.odooRevision === revision) continue;
    if (branch.stage === "PRODUCTION") {
      const at = nextUpdateWindow(config().ODOO_UPDATE_HOUR);
      await enqueue(
        "maintenance.production-revision",
        { branchId: branch.id, revision },
        { jobId: productionRevisionJobId(branch.id, revision), delayMs: at.getTime() - Date.now() },
        queue,
      );
      followed.productionScheduled.push(branch.id);
      continue;
    }
    const waiting = await db.build.count({
      where: { branchId: branch.id, status: { in: ["QUEUED", "RUNNING"] } },
    });
    if (waiting > 0) continue; // the build on its way runs the new revision anyway
    const build = await enqueueBuild(
      {
        projectId: branch.projectId,
        branchId: branch.id,
        stage: branch.stage,
        commit: { sha: serving.commitSha, message: serving.commitMessage, author: serving.commitAuthor },
        trigger: "image",
      },
      queue,
    );
    followed.rebuilt.push(build.id);
  }
  return followed;
}
