// Pushes to one branch are applied one at a time, and a push that arrives after a newer push
// built on it is not applied. GitHub does not promise the order of deliveries, and the route
// handles them concurrently: two pushes moments apart could otherwise both read the branch
// before either wrote it (a new branch created twice, an older build left queued behind the
// newer one), or the older one could arrive last and put the branch back on its commit.
import { createHash } from "node:crypto";
import { prisma } from "@gantry/db";
import { defaultQueueContext, waitLock } from "@gantry/queue";

/** How long a delivery waits for the branch's previous push: far above a push's few queries. */
const PUSH_LOCK_WAIT_MS = 30_000;

export async function withPushLock<T>(
  projectId: string,
  branch: string,
  apply: () => Promise<T>,
): Promise<T> {
  const name = `push:${projectId}:${createHash("sha256").update(branch).digest("hex").slice(0, 32)}`;
  const lock = await waitLock(defaultQueueContext(), name, AbortSignal.timeout(PUSH_LOCK_WAIT_MS));
  try {
    return await apply();
  } finally {
    await lock.release();
  }
}

/**
 * The newer push already received that was built on this push's commit, if this push arrives
 * late: the branch has moved elsewhere than this push's `before`, and a delivery (not failed)
 * went from this push's `after` onwards. A forced push is always applied: it may rewind on
 * purpose to a commit that was pushed over before.
 */
export async function laterPushOnto(
  projectId: string,
  push: { branch: string; before: string; after: string; forced: boolean },
  branchHead: string | null,
): Promise<{ afterSha: string | null } | null> {
  if (push.forced || branchHead === null || branchHead === push.before) return null;
  return prisma().webhookDelivery.findFirst({
    where: { projectId, event: "push", ref: push.branch, beforeSha: push.after, outcome: { not: "error" } },
    select: { afterSha: true },
  });
}
