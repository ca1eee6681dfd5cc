// The jobs of the `migrations` queue: one upgrade attempt to its end, and the watch of a
// production branch whose upgrade waits for its next push.
import {
  awaitPushEveryMs,
  claimUpgrade,
  finishUpgrade,
  queueScheduledUpgrade,
  type UpgradeOutcome,
} from "@gantry/core";
import { awaitPushJobId, enqueue, upgradeJobId } from "@gantry/queue";
import type { JobHandler } from "../handler";
import { acquireBranchLock } from "../jobs/build/branch-lock";
import { CancelledError, loadAttempt, openAttempt } from "./attempt-context";
import { upgradeProduction } from "./production";
import { rehearse } from "./rehearsal";

export const runUpgradeJob: JobHandler<"migrations.run"> = async ({ attemptId }, context) => {
  const { db, queue } = context.services;
  const initial = await loadAttempt(db(), attemptId);
  if (!initial) return { status: "missing" };
  if (initial.status !== "QUEUED" && initial.status !== "SCHEDULED")
    return { status: `skipped: ${initial.status}` };
  // A scheduled upgrade waiting for a push is started by the watch, not by a delayed job.
  if (initial.status === "SCHEDULED" && initial.onNextPush) return { status: "skipped: waits for a push" };
  // Builds and upgrades of one branch never overlap: the same lock the builds take.
  const lock = await acquireBranchLock(queue, initial.branchId, context.signal, () =>
    context.logger.info({ attemptId }, "waiting for the branch's build to end"),
  );
  try {
    if (!(await claimUpgrade(attemptId, context.workerId))) return { status: "skipped: no longer waiting" };
    const attempt = (await loadAttempt(db(), attemptId))!;
    const ctx = await openAttempt(attempt, context);
    let outcome: UpgradeOutcome;
    try {
      outcome = attempt.kind === "REHEARSAL" ? await rehearse(ctx) : await upgradeProduction(ctx);
    } catch (error) {
      outcome = { status: "FAILED", error: error instanceof Error ? error.message : String(error) };
    } finally {
      ctx.close();
    }
    if (outcome.status === "FAILED" && ctx.signal.aborted && ctx.signal.reason instanceof CancelledError) {
      outcome = { ...outcome, status: "CANCELLED" };
    }
    await finishUpgrade(attemptId, outcome);
    context.logger.info({ attemptId, status: outcome.status }, "upgrade attempt ended");
    return { status: outcome.status };
  } finally {
    await lock.release();
  }
};

export const awaitPushJob: JobHandler<"migrations.await-push"> = async ({ attemptId }, context) => {
  const attempt = await context.services.db().upgradeAttempt.findUnique({
    where: { id: attemptId },
    select: { status: true, onNextPush: true, pushBaseSha: true, branch: { select: { lastSeenSha: true } } },
  });
  if (attempt?.status !== "SCHEDULED" || !attempt.onNextPush) {
    return { status: `stopped: ${attempt?.status ?? "missing"}` };
  }
  if (attempt.branch.lastSeenSha && attempt.branch.lastSeenSha !== attempt.pushBaseSha) {
    if (!(await queueScheduledUpgrade(attemptId))) return { status: "stopped: no longer scheduled" };
    await enqueue(
      "migrations.run",
      { attemptId },
      { jobId: upgradeJobId(attemptId) },
      context.services.queue,
    );
    return { status: "queued" };
  }
  const look = Number(/-(\d+)$/.exec(context.jobId)?.[1] ?? "0") + 1;
  await enqueue(
    "migrations.await-push",
    { attemptId },
    { jobId: awaitPushJobId(attemptId, look), delayMs: awaitPushEveryMs },
    context.services.queue,
  );
  return { status: "waiting" };
};
