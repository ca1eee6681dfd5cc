// A build's job handed out again while its row still says RUNNING. Job ids are one per build,
// so BullMQ gives the job out a second time only when the earlier run of it is over: its
// worker was killed or froze past the job's lock (stalled job), or the attempt was aborted
// (timeout) and is being retried. The heartbeat cannot tell this soon enough: a worker killed
// and restarted at once still has its predecessor's heartbeat alive, so start-up reconciliation
// leaves the build alone. Left as is, the build would stay RUNNING forever; it is failed with
// the reason instead, and what it held is removed (logs stay).
import { failInterruptedBuild } from "@gantry/core";
import type { JobContext } from "../handler";
import { cleanupBuild } from "./cleanup";
import { reportToGithub } from "./github-status";

export const INTERRUPTED = "interrupted: the worker running this build stopped; rebuild to try again";

/** True when the build was RUNNING from an earlier run and is now failed and cleaned. */
export async function recoverInterruptedRun(buildId: string, context: JobContext): Promise<boolean> {
  const { db, runtime } = context.services;
  const row = await db().build.findUnique({
    where: { id: buildId },
    select: { status: true, workerId: true },
  });
  if (row?.status !== "RUNNING") return false;
  if (!(await failInterruptedBuild(buildId, INTERRUPTED))) return false;
  context.logger.warn(
    { buildId, previousWorker: row.workerId },
    "build interrupted by its worker's end: failed",
  );
  await cleanupBuild(runtime, buildId).catch((error: unknown) =>
    context.logger.warn({ buildId, err: error }, "cleaning the interrupted build failed"),
  );
  await reportToGithub(buildId, context.logger);
  return true;
}
