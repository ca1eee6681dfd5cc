// Deleting a project, the worker's half: the web marked the project (hidden at once) and queued
// this job. Queued builds are cancelled, running ones finish first (each branch's lock is held
// for the whole teardown so none starts meanwhile), then core's teardownProject removes the
// containers, databases, files, routes and archives (the last production backup kept in backup
// storage when asked) and the rows.
import { teardownProject } from "@gantry/core";
import { branchLockName, type HeldLock, waitLock } from "@gantry/queue";
import type { JobHandler } from "../handler";

export const deleteProjectJob: JobHandler<"builds.delete-project"> = async ({ projectId }, context) => {
  const { runtime, queue, db } = context.services;
  const project = await db().project.findUnique({
    where: { id: projectId },
    select: { deletionRequestedAt: true },
  });
  if (!project) return { status: "skipped: no such project" };
  if (!project.deletionRequestedAt) return { status: "skipped: no deletion was asked for" };

  await db().build.updateMany({
    where: { projectId, status: { in: ["WAITING", "QUEUED"] } },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
  const branches = await db().branch.findMany({ where: { projectId }, select: { id: true } });
  const locks: HeldLock[] = [];
  try {
    for (const branch of branches) {
      locks.push(
        await waitLock(queue, branchLockName(branch.id), context.signal, {
          onWait: () =>
            context.logger.info(
              { projectId, branchId: branch.id },
              "waiting for the branch's running build to stop",
            ),
        }),
      );
    }
    const report = await teardownProject(projectId, {
      // Its networks go with its containers (a network in use cannot be removed).
      removeContainers: async (id) => {
        const removed = await runtime.removeManaged({ project: id });
        await runtime.removeNetworks({ project: id });
        return removed;
      },
    });
    if (!report) return { status: "skipped: no deletion was asked for" };
    context.logger.info({ projectId, ...report }, "project deleted");
    return { status: "deleted", ...report };
  } finally {
    for (const lock of locks) await lock.release();
  }
};
