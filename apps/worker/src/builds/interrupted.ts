// A build's job handed out again while its row still says RUNNING. Job ids are one per build,
// so BullMQ gives the job out a second time only when the earlier run of it is over: its
// worker was killed or froze past the job's lock (stalled job), or the attempt was aborted
// (timeout) and is being retried. The heartbeat cannot tell this soon enough: a worker killed
// and restarted at once still has its predecessor's heartbeat alive, so start-up reconciliation
// leaves the build alone. Left as is, the build would stay RUNNING forever; it is failed with
// the reason instead, production put back if the build was changing it (from what the build
// stored, as its own failure would have), and what it held is removed (logs stay).
import { failInterruptedBuild } from "@gantry/core";
import { prisma } from "@gantry/db";
import type { ContainerRuntime } from "@gantry/runtime";
import { failInlineBackupsOf } from "../backups/reconcile";
import type { JobContext } from "../handler";
import { cleanupBuild } from "./cleanup";
import { reportToGithub } from "./github-status";
import { putBackProduction } from "./stages/production-recovery";

export const INTERRUPTED = "interrupted: the worker running this build stopped; rebuild to try again";

/** True when the build was RUNNING from an earlier run and is now failed and cleaned. */
export async function recoverInterruptedRun(buildId: string, context: JobContext): Promise<boolean> {
  const { db, runtime } = context.services;
  const row = await db().build.findUnique({
    where: { id: buildId },
    select: { status: true, workerId: true, branchId: true },
  });
  if (row?.status !== "RUNNING") return false;
  if (!(await failInterruptedBuild(buildId, INTERRUPTED))) return false;
  // A production build's "update" backup was being taken by the same run.
  await failInlineBackupsOf(db(), row);
  context.logger.warn(
    { buildId, previousWorker: row.workerId },
    "build interrupted by its worker's end: failed",
  );
  const putBack = await putBackInterrupted(runtime, buildId);
  if (putBack) context.logger.warn({ buildId, putBack }, "production put back after the interrupted build");
  await cleanupBuild(runtime, buildId).catch((error: unknown) =>
    context.logger.warn({ buildId, err: error }, "cleaning the interrupted build failed"),
  );
  await reportToGithub(buildId, context.logger);
  return true;
}

/**
 * Production as it was before an interrupted build (when it was changing it), said in the
 * build's error summary. A failure to put it back is said there too, and thrown.
 */
export async function putBackInterrupted(runtime: ContainerRuntime, buildId: string): Promise<string | null> {
  let message: string | null;
  try {
    message = await putBackProduction(runtime, buildId);
  } catch (error) {
    message = `putting back the previous state failed: ${error instanceof Error ? error.message : String(error)}`;
    await appendSummary(buildId, message);
    throw error;
  }
  if (message) await appendSummary(buildId, message);
  return message;
}

async function appendSummary(buildId: string, line: string): Promise<void> {
  const row = await prisma().build.findUnique({ where: { id: buildId }, select: { errorSummary: true } });
  await prisma().build.update({
    where: { id: buildId },
    data: { errorSummary: [row?.errorSummary, line].filter(Boolean).join("\n").slice(0, 8000) },
  });
}
