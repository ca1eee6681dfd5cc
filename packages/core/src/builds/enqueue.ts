// A build is a row first (status queued, the branch's stage and the commit), then a job on the
// `builds` queue whose id is derived from the build's id, so enqueueing twice adds one job.
import { prisma } from "@gantry/db";
import { buildJobId, enqueue, type QueueContext } from "@gantry/queue";
import type { Stage } from "../access";

export interface BuildCommit {
  sha: string;
  message?: string;
  author?: string;
}

export interface QueuedBuild {
  id: string;
  branchId: string;
  stage: Stage;
  commitSha: string;
  jobId: string;
}

/**
 * Why a build was made; "upgrade": the pushed commit after a production upgrade, "image": a new
 * Odoo image revision, "pull_request": a pull request's preview.
 */
export type BuildTrigger = "push" | "update" | "rebuild" | "manual" | "upgrade" | "image" | "pull_request";

export interface NewBuild {
  projectId: string;
  branchId: string;
  stage: Stage;
  commit: BuildCommit;
  trigger: BuildTrigger;
}

/** The row of a new build: its branch, stage and commit (message and author capped). */
export function newBuildRow(input: NewBuild) {
  return {
    projectId: input.projectId,
    branchId: input.branchId,
    stage: input.stage,
    commitSha: input.commit.sha,
    commitMessage: (input.commit.message ?? "").slice(0, 2000),
    commitAuthor: (input.commit.author ?? "").slice(0, 200),
    trigger: input.trigger,
  };
}

export async function enqueueBuild(input: NewBuild, queue?: QueueContext): Promise<QueuedBuild> {
  const build = await prisma().build.create({
    data: { ...newBuildRow(input), status: "QUEUED" },
    select: { id: true, branchId: true, stage: true, commitSha: true },
  });
  const { jobId } = await enqueue(
    "builds.run",
    { buildId: build.id },
    { jobId: buildJobId(build.id) },
    queue,
  );
  return { ...build, jobId };
}
