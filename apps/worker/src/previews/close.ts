// A closed pull request's preview torn down: once the branch's running build has stopped (the
// branch lock), every build made while the pull request was open is cleaned (containers,
// database, role, route, work tree; logs stay), then GitHub is told (deployments inactive,
// the comment saying so). A branch moved out of development keeps its builds.
import { bestEffort } from "@gantry/config";
import { retirePreviewOnGithub } from "@gantry/core";
import { branchLockName, waitLock } from "@gantry/queue";
import { cleanupBuild } from "../builds/cleanup";
import type { JobHandler } from "../handler";

export const closePreviewJob: JobHandler<"builds.close-preview"> = async ({ previewId }, context) => {
  const { runtime, queue, db } = context.services;
  const before = await db().preview.findUnique({ where: { id: previewId } });
  if (!before) return { status: "skipped: no such preview" };
  if (!before.closedAt) return { status: "skipped: the pull request was reopened" };

  const removed: string[] = [];
  const lock = await waitLock(queue, branchLockName(before.branchId), context.signal, {
    onWait: () => context.logger.info({ previewId }, "waiting for the preview's running build to stop"),
  });
  try {
    // Read again under the lock: a reopen may have revived the preview while we waited.
    const preview = await db().preview.findUnique({ where: { id: previewId }, include: { branch: true } });
    if (!preview?.closedAt) return { status: "skipped: the pull request was reopened" };
    if (preview.branch.stage === "DEVELOPMENT") {
      const builds = await db().build.findMany({
        where: {
          branchId: preview.branchId,
          cleanedAt: null,
          status: { in: ["DONE", "CANCELLED"] },
          createdAt: { lte: preview.closedAt },
        },
        select: { id: true },
        orderBy: { createdAt: "asc" },
      });
      for (const build of builds) {
        context.signal.throwIfAborted();
        await cleanupBuild(runtime, build.id);
        removed.push(build.id);
      }
    }
  } finally {
    await lock.release();
  }
  await bestEffort("telling GitHub the preview is gone", retirePreviewOnGithub(previewId), {
    logger: context.logger,
    fields: { previewId },
  });
  context.logger.info({ previewId, removed }, "closed pull request's preview removed");
  return { status: "removed", removed };
};
