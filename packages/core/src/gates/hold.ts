// A push onto a gated production or staging branch: its build is made WAITING (no job) and
// looked at once by the maintenance queue; an older build still waiting on the branch is
// cancelled, saying which push replaced it, since only the newest commit is worth deploying.
import { prisma } from "@gantry/db";
import { enqueue, type QueueContext } from "@gantry/queue";
import { type NewBuild, newBuildRow, type QueuedBuild } from "../builds/enqueue";

export function hasGates(branch: { stage: string; gateChecks: string; deployWindowDays: number[] }): boolean {
  if (branch.stage !== "PRODUCTION" && branch.stage !== "STAGING") return false;
  return branch.gateChecks !== "NONE" || branch.deployWindowDays.length > 0;
}

/** Cancels the branch's waiting builds; returns their ids (their GitHub status is to be told). */
export async function replaceWaitingBuilds(branchId: string, bySha: string): Promise<string[]> {
  const waiting = await prisma().build.findMany({
    where: { branchId, status: "WAITING" },
    select: { id: true },
  });
  const replaced: string[] = [];
  for (const { id } of waiting) {
    const ended = await prisma().build.updateMany({
      where: { id, status: "WAITING" },
      data: {
        status: "CANCELLED",
        finishedAt: new Date(),
        errorSummary: `replaced by a newer push (${bySha.slice(0, 7)}) while waiting for its deploy gates`,
      },
    });
    if (ended.count > 0) replaced.push(id);
  }
  return replaced;
}

export async function holdBuild(input: NewBuild, queue?: QueueContext): Promise<QueuedBuild> {
  const build = await prisma().build.create({
    data: { ...newBuildRow(input), status: "WAITING", gate: { create: {} } },
    select: { id: true, branchId: true, stage: true, commitSha: true },
  });
  // The first look right away: the checks may be green already, the window open.
  const { jobId } = await enqueue("maintenance.deploy-gates", { buildId: build.id }, {}, queue);
  return { ...build, jobId };
}
