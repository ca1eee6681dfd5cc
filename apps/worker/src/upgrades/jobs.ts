// The jobs of the `migrations` queue: one upgrade attempt to its end, and the watch of a
// production branch whose upgrade waits for its next push.
import {
  awaitPushEveryMs,
  claimUpgrade,
  finishUpgrade,
  startUpgradeOnPush,
  type UpgradeOutcome,
} from "@gantry/core";
import { awaitPushJobId, branchLockName, enqueue, waitLock } from "@gantry/queue";
import type { JobHandler } from "../handler";
import { CancelledError, loadAttempt, openAttempt } from "./attempt-context";
import { deployPushedCommit } from "./deploy-push";
import { recoverInterruptedAttempt } from "./interrupted";
import { notifyUpgradeEnded } from "./notify";
import { upgradeProduction } from "./production";
import { rehearse } from "./rehearsal";

export const runUpgradeJob: JobHandler<"migrations.run"> = async ({ attemptId }, context) => {
  const { db, queue } = context.services;
  const initial = await loadAttempt(db(), attemptId);
  if (!initial) return { status: "missing" };
  if (initial.status === "RUNNING") {
    // Handed out again: the worker that ran it is gone (see interrupted.ts).
    const lock = await waitLock(queue, branchLockName(initial.branchId), context.signal);
    try {
      const ended = await recoverInterruptedAttempt(context.services, attemptId, {
        from: initial.workerId,
        workerId: context.workerId,
      });
      context.logger.warn(
        { attemptId, previousWorker: initial.workerId },
        "upgrade attempt interrupted: ended",
      );
      return { status: ended ? "interrupted" : "skipped: no longer running" };
    } finally {
      await lock.release();
    }
  }
  if (initial.status !== "QUEUED" && initial.status !== "SCHEDULED")
    return { status: `skipped: ${initial.status}` };
  // A scheduled upgrade waiting for a push is started by the watch, not by a delayed job.
  if (initial.status === "SCHEDULED" && initial.onNextPush) return { status: "skipped: waits for a push" };
  // Builds and upgrades of one branch never overlap: the same lock the builds take.
  const lock = await waitLock(queue, branchLockName(initial.branchId), context.signal, {
    onWait: () => context.logger.info({ attemptId }, "waiting for the branch's build to end"),
  });
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
    await notifyUpgradeEnded(context, attemptId);
    if (attempt.kind === "PRODUCTION" && outcome.status === "SUCCEEDED")
      await deployPushedCommit(context, attemptId).catch((error) =>
        context.logger.warn({ attemptId, err: error }, "queueing the build of the pushed commit failed"),
      );
    return { status: outcome.status };
  } finally {
    await lock.release();
  }
};

export const awaitPushJob: JobHandler<"migrations.await-push"> = async ({ attemptId }, context) => {
  const attempt = await context.services.db().upgradeAttempt.findUnique({
    where: { id: attemptId },
    select: {
      status: true,
      onNextPush: true,
      pushBaseSha: true,
      branchId: true,
      branch: { select: { lastSeenSha: true } },
    },
  });
  if (attempt?.status !== "SCHEDULED" || !attempt.onNextPush) {
    return { status: `stopped: ${attempt?.status ?? "missing"}` };
  }
  if (attempt.branch.lastSeenSha && attempt.branch.lastSeenSha !== attempt.pushBaseSha) {
    // A commit seen by a sync rather than a push webhook.
    const started = await startUpgradeOnPush(attempt.branchId, context.services.queue);
    return { status: started ? "queued" : "stopped: no longer scheduled" };
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
