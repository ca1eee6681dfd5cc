// A branch that no longer exists on GitHub (delete event, push with deleted:true, or sync).
// Development and staging: marked deleted, off the board, waiting builds cancelled, the running
// one asked to stop, and the worker removes what its builds hold (logs stay). Production is
// never torn down by a deletion on GitHub: a wrong click there must not cost the live database.
// Its build keeps serving, its database stays, and the board flags it "deleted on GitHub" until
// the branch is pushed again or someone moves it out of production.
import { prisma } from "@gantry/db";
import { branchRemovalJobId, enqueue } from "@gantry/queue";
import { recordAudit } from "../audit";

export type GoneOutcome =
  | { kind: "unknown" }
  | { kind: "removing"; cancelled: number; stopping: number; jobId: string }
  | { kind: "production_kept"; cancelled: number };

export async function branchGoneFromGithub(
  projectId: string,
  name: string,
  source: "webhook" | "sync",
): Promise<GoneOutcome> {
  const branch = await prisma().branch.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!branch) return { kind: "unknown" };
  let deletedAt = branch.deletedAt;
  let cancelled = 0;
  let stopping = 0;
  if (!deletedAt) {
    const now = new Date();
    // Compare-and-set: of two deliveries announcing the same deletion, one applies it.
    const marked = await prisma().branch.updateMany({
      where: { id: branch.id, deletedAt: null },
      data: { deletedAt: now },
    });
    if (marked.count > 0) {
      deletedAt = now;
      cancelled = (
        await prisma().build.updateMany({
          where: { branchId: branch.id, status: { in: ["WAITING", "QUEUED"] } },
          data: { status: "CANCELLED", finishedAt: now, errorSummary: "branch deleted on GitHub" },
        })
      ).count;
      // Production's running update finishes (it has its own rollback); others stop now.
      if (branch.stage !== "PRODUCTION") {
        stopping = (
          await prisma().build.updateMany({
            where: { branchId: branch.id, status: "RUNNING", cancelRequestedAt: null },
            data: { cancelRequestedAt: now },
          })
        ).count;
      }
      await recordAudit({
        action: "branch.deleted",
        projectId,
        target: branch.id,
        data: { name, source, stage: branch.stage, kept: branch.stage === "PRODUCTION" },
      });
    } else {
      deletedAt = (await prisma().branch.findUniqueOrThrow({ where: { id: branch.id } })).deletedAt;
    }
  }
  if (branch.stage === "PRODUCTION") return { kind: "production_kept", cancelled };
  // Enqueued on every announcement (a redelivery after a failed enqueue included): the job id
  // is derived from the deletion, so the same deletion adds one job.
  const { jobId } = await enqueue(
    "builds.remove-branch",
    { branchId: branch.id },
    { jobId: branchRemovalJobId(branch.id, deletedAt as Date) },
  );
  return { kind: "removing", cancelled, stopping, jobId };
}
