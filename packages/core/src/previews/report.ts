// What a preview shows on its pull request: a deployment per build in the environment `pr-N`
// (its status carries the preview's URL), and one comment, written when the first build ends
// and edited by every later one, so a pull request never collects a comment per push.
import { prisma } from "@gantry/db";
import { type GithubClient, GithubError } from "@gantry/github";
import { projectClient } from "../github/client";

/** The GitHub environment of a pull request's preview. */
export function previewEnvironment(number: number): string {
  return `pr-${number}`;
}

/** The open preview a build of this branch serves, if any. */
export function openPreviewOf(branchId: string) {
  return prisma().preview.findFirst({ where: { branchId, closedAt: null }, orderBy: { createdAt: "desc" } });
}

/**
 * A fork's preview, open or closed, that the branch builds: its code is fetched from
 * refs/pull/N/head without the deploy key, and its containers get no egress.
 */
export async function forkPreviewOf(branchId: string): Promise<{ number: number } | null> {
  const preview = await prisma().preview.findFirst({
    where: { branchId, fork: true },
    orderBy: { createdAt: "desc" },
    select: { number: true },
  });
  return preview ?? null;
}

// The marker lets a reader (and Gantry) tell its comment apart from people's.
const MARKER = "<!-- gantry-preview -->";

/** The comment's text: only Gantry's own words and addresses, never tenant text (log lines). */
export function previewComment(build: {
  commitSha: string;
  status: string;
  result: string | null;
  url: string | null;
  page: string;
}): string {
  const commit = build.commitSha.slice(0, 7);
  const ok = build.status === "DONE" && (build.result === "SUCCESS" || build.result === "WARNING");
  const lines = [MARKER, `**Gantry preview** of \`${commit}\``];
  if (ok && build.url) {
    lines.push(`Preview: ${build.url}${build.result === "WARNING" ? " (built with warnings)" : ""}`);
  } else if (build.status === "CANCELLED") {
    lines.push("The build was cancelled.");
  } else {
    lines.push("The build failed.");
  }
  lines.push(`Build: ${build.page}`);
  return lines.join("\n\n");
}

/** Creates the preview's comment, or edits the one already posted (created again if deleted). */
export async function upsertPreviewComment(
  github: GithubClient,
  repository: { owner: string; repo: string },
  preview: { id: string; number: number; commentId: bigint | null },
  body: string,
): Promise<number> {
  const { owner, repo } = repository;
  if (preview.commentId !== null) {
    try {
      return (await github.updateIssueComment(owner, repo, Number(preview.commentId), body)).id;
    } catch (error) {
      if (!(error instanceof GithubError) || error.code !== "not_found") throw error;
    }
  }
  const created = await github.createIssueComment(owner, repo, preview.number, body);
  await prisma().preview.update({ where: { id: preview.id }, data: { commentId: BigInt(created.id) } });
  return created.id;
}

/**
 * A closed pull request on GitHub: each deployment of its preview's builds marked inactive and
 * the comment saying the preview is gone. GitHub failures are logged by the caller.
 */
export async function retirePreviewOnGithub(previewId: string): Promise<{ inactive: number }> {
  const preview = await prisma().preview.findUnique({ where: { id: previewId }, include: { project: true } });
  if (!preview?.project.githubAuthKind || !preview.closedAt) return { inactive: 0 };
  const { githubOwner: owner, githubRepo: repo } = preview.project;
  const github = projectClient(preview.project);
  const builds = await prisma().build.findMany({
    where: {
      branchId: preview.branchId,
      githubDeploymentId: { not: null },
      createdAt: { gte: preview.createdAt, lte: preview.closedAt },
    },
    select: { githubDeploymentId: true },
  });
  const environment = previewEnvironment(preview.number);
  for (const build of builds) {
    await github.createDeploymentStatus(owner, repo, Number(build.githubDeploymentId), {
      state: "inactive",
      environment,
      description: "Pull request closed: preview removed",
    });
  }
  if (preview.commentId !== null) {
    await upsertPreviewComment(
      github,
      { owner, repo },
      preview,
      `${MARKER}\n\n**Gantry preview** removed: the pull request was closed.`,
    );
  }
  return { inactive: builds.length };
}
