// A push onto a gated production or staging branch: its build is made WAITING (no job) and
// looked at once by the maintenance queue. An older build still waiting gives way to the newer
// push (supersedeUnstartedBuilds in builds/state.ts).
import { prisma } from "@gantry/db";
import { enqueue, type QueueContext } from "@gantry/queue";
import { type NewBuild, newBuildRow, type QueuedBuild } from "../builds/enqueue";

export function hasGates(branch: { stage: string; gateChecks: string; deployWindowDays: number[] }): boolean {
  if (branch.stage !== "PRODUCTION" && branch.stage !== "STAGING") return false;
  return branch.gateChecks !== "NONE" || branch.deployWindowDays.length > 0;
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
