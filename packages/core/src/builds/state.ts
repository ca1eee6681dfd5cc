// Build state changes (a phase's own: phase-state.ts). Every status change is compare-and-set
// (updateMany with the expected status): zero rows means someone else moved the build, and
// the caller stops.
import { type Prisma, prisma } from "@gantry/db";
import { AppError } from "../errors";
import { buildPhases } from "./phases";

export type BuildResultValue = "SUCCESS" | "WARNING" | "FAILED";

/** QUEUED -> RUNNING for this worker; false when the build is no longer queued. */
export async function claimBuild(buildId: string, workerId: string): Promise<boolean> {
  const claimed = await prisma().build.updateMany({
    where: { id: buildId, status: "QUEUED" },
    data: { status: "RUNNING", workerId, startedAt: new Date(), attempt: { increment: 1 } },
  });
  if (claimed.count === 0) return false;
  await prisma().buildPhase.createMany({
    data: buildPhases.map((name, position) => ({ buildId, name, position })),
    skipDuplicates: true,
  });
  return true;
}

/** RUNNING -> DONE with its result; phases still pending are marked skipped. */
export async function finishBuild(
  buildId: string,
  outcome: { result: BuildResultValue; errorSummary?: string | null; url?: string | null },
): Promise<boolean> {
  return endBuild(buildId, "RUNNING", {
    status: "DONE",
    result: outcome.result,
    errorSummary: outcome.errorSummary ? outcome.errorSummary.slice(0, 8000) : null,
    finishedAt: new Date(),
    ...(outcome.url ? { url: outcome.url } : {}),
  });
}

/**
 * The build's end and its open phases closed in one transaction: whoever reads an ended build
 * (dashboard, API, GitHub status) never sees a phase still pending or running.
 */
async function endBuild(
  buildId: string,
  from: "WAITING" | "QUEUED" | "RUNNING",
  data: Prisma.BuildUpdateManyMutationInput,
): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const done = await tx.build.updateMany({ where: { id: buildId, status: from }, data });
    // Not moved (someone else ended it, or it is not in `from`): its phases are not ours to close.
    if (done.count === 0) return false;
    const now = new Date();
    await tx.buildPhase.updateMany({
      where: { buildId, status: "RUNNING" },
      data: { status: "FAILED", finishedAt: now },
    });
    await tx.buildPhase.updateMany({
      where: { buildId, status: "PENDING" },
      data: { status: "SKIPPED", finishedAt: now },
    });
    return true;
  });
}

/** RUNNING -> CANCELLED (the worker saw the request and stopped). */
export async function markCancelled(buildId: string): Promise<boolean> {
  return endBuild(buildId, "RUNNING", {
    status: "CANCELLED",
    finishedAt: new Date(),
    errorSummary: "cancelled",
  });
}

/** WAITING -> DONE/FAILED (a required check failed) or CANCELLED (replaced, deleted branch). */
export async function endWaitingBuild(
  buildId: string,
  outcome: { status: "DONE" | "CANCELLED"; errorSummary: string },
): Promise<boolean> {
  return endBuild(buildId, "WAITING", {
    status: outcome.status,
    ...(outcome.status === "DONE" ? { result: "FAILED" as const } : {}),
    errorSummary: outcome.errorSummary.slice(0, 8000),
    finishedAt: new Date(),
  });
}

/**
 * Triggers whose queued build is replaced by a newer push (a pull request's preview included):
 * a rebuild or a manual build was asked for by someone.
 */
const SUPERSEDED_TRIGGERS = ["push", "update", "pull_request"];

/**
 * A newer push to the branch: its builds not yet started give way, since only the newest commit
 * is worth building and deploying. Waiting builds (deploy gates) of any trigger, queued builds
 * made by pushes. Compare-and-set per build: one the worker claimed meanwhile runs on. Returns
 * the ids cancelled (their GitHub status is to be told).
 */
export async function supersedeUnstartedBuilds(branchId: string, bySha: string): Promise<string[]> {
  const unstarted = await prisma().build.findMany({
    where: {
      branchId,
      commitSha: { not: bySha },
      OR: [{ status: "WAITING" }, { status: "QUEUED", trigger: { in: SUPERSEDED_TRIGGERS } }],
    },
    select: { id: true, status: true },
    orderBy: { createdAt: "asc" },
  });
  const replaced: string[] = [];
  for (const { id, status } of unstarted) {
    const from = status === "WAITING" ? "WAITING" : "QUEUED";
    const why = from === "WAITING" ? " while waiting for its deploy gates" : " before it started";
    const ended = await endBuild(id, from, {
      status: "CANCELLED",
      finishedAt: new Date(),
      errorSummary: `replaced by a newer push (${bySha.slice(0, 7)})${why}`,
    });
    if (ended) replaced.push(id);
  }
  return replaced;
}

/**
 * Cancel asked by a person: a waiting or queued build is cancelled at once; a running one gets
 * a request the worker honours between and within phases.
 */
export async function requestCancel(buildId: string): Promise<"cancelled" | "requested"> {
  for (const from of ["WAITING", "QUEUED"] as const) {
    const ended = await endBuild(buildId, from, {
      status: "CANCELLED",
      finishedAt: new Date(),
      errorSummary: "cancelled before it started",
    });
    if (ended) return "cancelled";
  }
  const running = await prisma().build.updateMany({
    where: { id: buildId, status: "RUNNING" },
    data: { cancelRequestedAt: new Date() },
  });
  if (running.count > 0) return "requested";
  throw new AppError("conflict", "the build has already ended");
}

/**
 * A RUNNING build whose worker is gone, taken by the worker that will end it (its `workerId`
 * moved from the dead one's to this one's). The build stays RUNNING while that worker puts back
 * what it changed (production), so that nobody reads it as ended with production still down;
 * false when another worker took it first or it ended meanwhile.
 */
export async function takeUpInterruptedBuild(
  buildId: string,
  from: string | null,
  workerId: string,
): Promise<boolean> {
  const taken = await prisma().build.updateMany({
    where: { id: buildId, status: "RUNNING", workerId: from },
    data: { workerId },
  });
  return taken.count > 0;
}

/** Builds left RUNNING by a worker that is gone: failed with the reason, phases closed. */
export async function failInterruptedBuild(buildId: string, reason: string): Promise<boolean> {
  return endBuild(buildId, "RUNNING", {
    status: "DONE",
    result: "FAILED",
    errorSummary: reason,
    finishedAt: new Date(),
  });
}
