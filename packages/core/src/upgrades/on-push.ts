// A production upgrade asked "on the next push" starts with that push, in place of the push's
// ordinary build: the upgrade deploys the pushed code on the target series. Building it on the
// old series first would only fail (code written for the new series) and roll back.
import { prisma } from "@gantry/db";
import { enqueue, type QueueContext, upgradeJobId } from "@gantry/queue";
import { queueScheduledUpgrade } from "./state";

/** The waiting upgrade of this production branch, now queued; null when none waits. */
export async function startUpgradeOnPush(branchId: string, queue?: QueueContext): Promise<string | null> {
  const waiting = await prisma().upgradeAttempt.findFirst({
    where: { branchId, kind: "PRODUCTION", status: "SCHEDULED", onNextPush: true },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  if (!waiting || !(await queueScheduledUpgrade(waiting.id))) return null;
  await enqueue("migrations.run", { attemptId: waiting.id }, { jobId: upgradeJobId(waiting.id) }, queue);
  return waiting.id;
}
