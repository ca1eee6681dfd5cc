// A branch deleted on GitHub: once its running build has stopped (the branch lock), every build
// it still holds is cleaned (containers, database, role, route, work tree); logs stay. Production
// is never removed this way: its build and database are kept and the branch stays flagged.
import { branchLockName, waitLock } from "@gantry/queue";
import type { JobHandler } from "../handler";
import { cleanupBuild } from "./cleanup";

export const removeBranch: JobHandler<"builds.remove-branch"> = async ({ branchId }, context) => {
  const { runtime, queue, db } = context.services;
  const before = await db().branch.findUnique({ where: { id: branchId } });
  if (!before) return { status: "skipped: no such branch" };
  if (!before.deletedAt) return { status: "skipped: the branch is back" };
  if (before.stage === "PRODUCTION") return { status: "skipped: production is kept" };

  const lock = await waitLock(queue, branchLockName(branchId), context.signal, {
    onWait: () => context.logger.info({ branchId }, "waiting for the branch's running build to stop"),
  });
  try {
    // Read again under the lock: a push may have brought the branch back while we waited.
    const branch = await db().branch.findUnique({ where: { id: branchId } });
    if (!branch?.deletedAt) return { status: "skipped: the branch is back" };
    if (branch.stage === "PRODUCTION") return { status: "skipped: production is kept" };
    // A build still QUEUED here was created after the deletion (by a push that revived the
    // branch and a second deletion): it is cancelled by the deletion that found it, not here.
    const builds = await db().build.findMany({
      where: { branchId, cleanedAt: null, status: { in: ["DONE", "CANCELLED"] } },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    const removed: string[] = [];
    for (const build of builds) {
      context.signal.throwIfAborted();
      await cleanupBuild(runtime, build.id);
      removed.push(build.id);
    }
    context.logger.info({ branchId, removed }, "deleted branch cleaned");
    return { status: "removed", removed };
  } finally {
    await lock.release();
  }
};
