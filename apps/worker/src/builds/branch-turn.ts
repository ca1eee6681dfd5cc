// Builds of one branch take the branch in push order. Two pushes in quick succession put two
// jobs on the queue; with more than one worker slot both reach the branch lock at about the
// same time, and the newer one could win it, leaving the older commit to build last and serve.
// So the lock is only taken by a build when no older build of its branch is still waiting.
// The wait is bounded: an older build whose job never comes (lost with a Redis outage) must
// not hold the branch forever.
import { prisma } from "@gantry/db";

export const OLDER_BUILD_WAIT_MS = 120_000;

/** A check for the branch lock (waitLock's inTurn): false while an older build of the branch is still queued. */
export function pushOrderTurn(buildId: string, waitMs = OLDER_BUILD_WAIT_MS): () => Promise<boolean> {
  const since = Date.now();
  return async () => {
    if (Date.now() - since > waitMs) return true;
    const build = await prisma().build.findUnique({
      where: { id: buildId },
      select: { branchId: true, createdAt: true },
    });
    if (!build) return true;
    const older = await prisma().build.count({
      where: { branchId: build.branchId, status: "QUEUED", createdAt: { lt: build.createdAt } },
    });
    return older === 0;
  };
}
