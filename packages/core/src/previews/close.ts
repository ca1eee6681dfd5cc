// A pull request closed or merged: its preview is torn down. Waiting builds are cancelled and
// the running one asked to stop here; the worker's builds.close-preview job then removes what
// the builds hold (containers, databases, routes) and marks the GitHub deployments inactive.
// A fork's `pr-N` branch leaves the board; the repository's own head branch stays (it still
// exists on GitHub) and builds again on its next push.
import { prisma } from "@gantry/db";
import type { PullRequestEvent } from "@gantry/github";
import { enqueue, previewCloseJobId } from "@gantry/queue";
import type { EventOutcome } from "../webhooks/outcome";
import { isFork } from "./open";

export async function closePreview(projectId: string, event: PullRequestEvent): Promise<EventOutcome> {
  const pr = `pull request #${event.number} ${event.merged ? "merged" : "closed"}`;
  if (!isFork(event)) {
    await prisma().branch.updateMany({
      where: { projectId, name: event.head.ref, pullRequestNumber: event.number },
      data: { pullRequestNumber: null, pullRequestUrl: null },
    });
  }
  const preview = await prisma().preview.findUnique({
    where: { projectId_number: { projectId, number: event.number } },
    include: { branch: true },
  });
  if (!preview) return { outcome: "pull_request_recorded", summary: `${pr} (no preview)`, builds: [] };
  let closedAt = preview.closedAt;
  if (!closedAt) {
    const now = new Date();
    // Compare-and-set: of two deliveries of the same close, one applies it.
    const marked = await prisma().preview.updateMany({
      where: { id: preview.id, closedAt: null },
      data: { closedAt: now },
    });
    if (marked.count > 0 && preview.branch.stage === "DEVELOPMENT") {
      closedAt = now;
      await prisma().build.updateMany({
        where: { branchId: preview.branchId, status: { in: ["WAITING", "QUEUED"] } },
        data: { status: "CANCELLED", finishedAt: now, errorSummary: "pull request closed" },
      });
      await prisma().build.updateMany({
        where: { branchId: preview.branchId, status: "RUNNING", cancelRequestedAt: null },
        data: { cancelRequestedAt: now },
      });
      if (preview.fork) {
        await prisma().branch.update({ where: { id: preview.branchId }, data: { deletedAt: now } });
      }
    } else {
      closedAt = (await prisma().preview.findUniqueOrThrow({ where: { id: preview.id } })).closedAt;
    }
  }
  const { jobId } = await enqueue(
    "builds.close-preview",
    { previewId: preview.id },
    { jobId: previewCloseJobId(preview.id, closedAt as Date) },
  );
  return {
    outcome: "preview_closing",
    summary: `${pr}: its preview on ${preview.branch.name} is torn down (${jobId})`,
    ref: preview.branch.name,
    builds: [],
  };
}
