// A build left RUNNING by a worker that is gone, ended by the worker that finds it: from its
// job handed out again (below), or from start-up reconciliation (reconcile.ts).
//
// Job ids are one per build, so BullMQ gives the job out a second time only when the earlier run
// of it is over: its worker was killed or froze past the job's lock (stalled job), or the attempt
// was aborted (timeout) and is being retried. The heartbeat cannot tell this soon enough: a
// worker killed and restarted at once still has its predecessor's heartbeat alive, so start-up
// reconciliation leaves the build alone. Left as is, the build would stay RUNNING forever; it is
// failed with the reason instead, production put back if the build was changing it (from what
// the build stored, as its own failure would have), and what it held is removed (logs stay).
//
// Production is put back BEFORE the build is marked ended, as a build failing in its own worker
// does (index.ts: recover, then finish): an ended build means production serves again. Ended
// first, the build read as failed (to the dashboard, GitHub, anyone waiting on it) while the
// previous build was still stopped, for as long as the put-back took.
//
// A production build whose worker died after it went live (it serves, its rollback settled) is
// not failed and cleaned: that removed the only build serving production. It keeps serving,
// the build that served before is retired as its own worker would have, and it ends green.
import { bestEffort } from "@gantry/config";
import { failInterruptedBuild, finishBuild, takeUpInterruptedBuild } from "@gantry/core";
import { prisma } from "@gantry/db";
import type { ContainerRuntime } from "@gantry/runtime";
import { failInlineBackupsOf } from "../backups/reconcile";
import type { JobContext } from "../handler";
import { cleanupBuild } from "./cleanup";
import { reportToGithub } from "./github-status";
import { putBackProduction, retirePrevious, wentLive } from "./stages/production-recovery";

const INTERRUPTED = "interrupted: the worker running this build stopped; rebuild to try again";

const INTERRUPTED_LIVE =
  "its worker stopped after the build went live: it serves production; the build that served before was retired afterwards";

export interface InterruptedBuild {
  id: string;
  branchId: string;
  /** The worker that ran it and is gone. */
  workerId: string | null;
}

export interface EndedInterruptedBuild {
  /** What was put back of production (null: production untouched). */
  putBack: string | null;
  /** The build had gone live and serves on: it is not to be cleaned. */
  serves: boolean;
}

/**
 * Takes the build up for this worker, puts production back when the build was changing it,
 * then fails the build with the reason and what was put back. Null when another worker took it
 * up first (or it ended meanwhile). A put-back that fails still ends the build, with the
 * failure in its summary, and is thrown.
 */
export async function endInterruptedBuild(
  runtime: ContainerRuntime,
  build: InterruptedBuild,
  workerId: string,
): Promise<EndedInterruptedBuild | null> {
  if (!(await takeUpInterruptedBuild(build.id, build.workerId, workerId))) return null;
  // A production build's "update" backup was being taken by the same run: no job of its own ends it.
  await failInlineBackupsOf(prisma(), build);
  const live = await wentLive(build.id);
  if (live) {
    // It serves whatever becomes of the previous build: a failure here must not leave it RUNNING.
    await bestEffort("retiring the build that served before", retirePrevious(runtime, live), {
      fields: { buildId: build.id },
    });
    await finishBuild(build.id, { result: "SUCCESS", errorSummary: INTERRUPTED_LIVE });
    return { putBack: null, serves: true };
  }
  let putBack: string | null;
  try {
    putBack = await putBackProduction(runtime, build.id);
  } catch (error) {
    const message = `putting back the previous state failed: ${error instanceof Error ? error.message : String(error)}`;
    await failInterruptedBuild(build.id, `${INTERRUPTED}\n${message}`);
    throw error;
  }
  await failInterruptedBuild(build.id, putBack ? `${INTERRUPTED}\n${putBack}` : INTERRUPTED);
  return { putBack, serves: false };
}

/** True when the build was RUNNING from an earlier run and is now ended (and cleaned, unless it serves). */
export async function recoverInterruptedRun(buildId: string, context: JobContext): Promise<boolean> {
  const { db, runtime } = context.services;
  const row = await db().build.findUnique({
    where: { id: buildId },
    select: { id: true, branchId: true, status: true, workerId: true },
  });
  if (row?.status !== "RUNNING") return false;
  const ended = await endInterruptedBuild(runtime, row, context.workerId);
  if (!ended) return false;
  context.logger.warn(
    { buildId, previousWorker: row.workerId, serves: ended.serves },
    ended.serves
      ? "build interrupted after it went live: serves on"
      : "build interrupted by its worker's end: failed",
  );
  if (ended.putBack)
    context.logger.warn(
      { buildId, putBack: ended.putBack },
      "production put back after the interrupted build",
    );
  if (!ended.serves)
    await cleanupBuild(runtime, buildId).catch((error: unknown) =>
      context.logger.warn({ buildId, err: error }, "cleaning the interrupted build failed"),
    );
  await reportToGithub(buildId, context.logger);
  return true;
}
