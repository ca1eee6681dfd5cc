import { prisma } from "@gantry/db";
import { type CommitState, type DeploymentState, statusContext } from "@gantry/github";
import { createLogger } from "../logger";
import { openPreviewOf, previewComment, previewEnvironment, upsertPreviewComment } from "../previews/report";
import { publicUrl } from "../public-url";
import { projectClient } from "./client";

export interface StatusReport {
  commitState: CommitState;
  deployment: { id: number; state: DeploymentState } | null;
}

/** Odoo.sh's rule: green is success; yellow (warnings) and red are failure. */
export function commitStateOf(build: { status: string; result: string | null }): CommitState {
  if (build.status === "WAITING" || build.status === "QUEUED" || build.status === "RUNNING") return "pending";
  if (build.status === "CANCELLED") return "error";
  if (build.result === "SUCCESS") return "success";
  if (build.result === "WARNING" || build.result === "FAILED") return "failure";
  return "error";
}

function deploymentStateOf(build: { status: string; result: string | null }): DeploymentState {
  if (build.status === "WAITING") return "pending";
  if (build.status === "QUEUED") return "queued";
  if (build.status === "RUNNING") return "in_progress";
  if (build.status === "CANCELLED") return "error";
  return build.result === "SUCCESS" || build.result === "WARNING" ? "success" : "failure";
}

function describe(build: { status: string; result: string | null; errorSummary: string | null }): string {
  if (build.status === "WAITING") return "Waiting for the deploy gates (checks, deploy window)";
  if (build.status === "QUEUED") return "Build queued";
  if (build.status === "RUNNING") return "Building";
  if (build.status === "CANCELLED") return "Build cancelled";
  if (build.result === "SUCCESS") return "Build succeeded";
  if (build.result === "WARNING") return "Build has warnings";
  return build.errorSummary ? `Build failed: ${build.errorSummary}` : "Build failed";
}

export function buildPageUrl(build: { id: string; projectId: string; branchId: string }): string {
  return publicUrl(`/projects/${build.projectId}/branches/${build.branchId}?build=${build.id}`);
}

/**
 * Sends the build's current state to GitHub. Called when a build is queued ("pending") and by
 * the build job on each change of status. GitHub being unreachable never fails a build: the
 * error is logged and returned as null.
 */
export async function reportBuildStatus(buildId: string): Promise<StatusReport | null> {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    include: { project: true, branch: true },
  });
  if (!build?.project.githubAuthKind) return null;
  const { githubOwner: owner, githubRepo: repo } = build.project;
  const logger = createLogger("github-feedback").child({ buildId, projectId: build.projectId });
  try {
    const github = projectClient(build.project);
    const commitState = commitStateOf(build);
    await github.createCommitStatus(owner, repo, build.commitSha, {
      state: commitState,
      context: statusContext(build.branch.name),
      targetUrl: buildPageUrl(build),
      description: describe(build),
    });
    let deployment: StatusReport["deployment"] = null;
    // A development build gets a deployment only as a pull request's preview.
    const preview = build.stage === "DEVELOPMENT" ? await openPreviewOf(build.branchId) : null;
    if (build.stage !== "DEVELOPMENT" || preview) {
      let deploymentId = build.githubDeploymentId === null ? null : Number(build.githubDeploymentId);
      const environment = preview
        ? previewEnvironment(preview.number)
        : build.stage === "PRODUCTION"
          ? "production"
          : `staging/${build.branch.name}`;
      if (deploymentId === null) {
        deploymentId = (
          await github.createDeployment(owner, repo, {
            ref: build.commitSha,
            environment,
            description: `Gantry build ${build.id}`,
            production: build.stage === "PRODUCTION",
            transient: build.stage !== "PRODUCTION",
            payload: { buildId: build.id },
          })
        ).id;
        // Compare-and-set: a concurrent report keeps the first deployment.
        await prisma().build.updateMany({
          where: { id: build.id, githubDeploymentId: null },
          data: { githubDeploymentId: BigInt(deploymentId) },
        });
      }
      const state = deploymentStateOf(build);
      await github.createDeploymentStatus(owner, repo, deploymentId, {
        state,
        environment,
        environmentUrl: build.url ?? undefined,
        logUrl: buildPageUrl(build),
        description: describe(build),
      });
      deployment = { id: deploymentId, state };
    }
    // The preview's comment follows the builds' ends (the branch's builds run one at a time).
    if (preview && (build.status === "DONE" || build.status === "CANCELLED")) {
      const body = previewComment({ ...build, page: buildPageUrl(build) });
      await upsertPreviewComment(github, { owner, repo }, preview, body);
    }
    return { commitState, deployment };
  } catch (error) {
    logger.warn({ err: error }, "could not report the build to GitHub");
    return null;
  }
}
