// A pull request opened, reopened or pushed to: its preview is recorded and its head commit
// built once. The repository's own pull requests build their head branch (a development
// build); a fork's build a branch of their own, `pr-N`, from refs/pull/N/head, and only when
// the project allows forks: their code is a stranger's, built without the deploy key or egress.
import { prisma } from "@gantry/db";
import type { PullRequestEvent } from "@gantry/github";
import { enqueueBuild } from "../builds/enqueue";
import type { EventOutcome } from "../webhooks/outcome";

/** The branch a fork's pull request is built on. */
export function forkBranchName(number: number): string {
  return `pr-${number}`;
}

export function isFork(event: PullRequestEvent): boolean {
  return event.head.repository?.toLowerCase() !== event.repository.toLowerCase();
}

/** Only web addresses are kept as the pull request's link (it is shown as a link). */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url.slice(0, 500) : "";
}

export async function openPreview(projectId: string, event: PullRequestEvent): Promise<EventOutcome> {
  const fork = isFork(event);
  const project = await prisma().project.findUniqueOrThrow({
    where: { id: projectId },
    select: { previewMode: true, previewForks: true },
  });
  const pr = `pull request #${event.number}`;
  const name = fork ? forkBranchName(event.number) : event.head.ref;
  const url = safeUrl(event.url);
  const label = { pullRequestNumber: event.number, pullRequestUrl: url || null };
  if (!fork) await prisma().branch.updateMany({ where: { projectId, name }, data: label });
  if (project.previewMode === "OFF") {
    return {
      outcome: "pull_request_recorded",
      summary: `${pr} ${event.action}; previews are off`,
      ref: name,
      builds: [],
    };
  }
  if (fork && !project.previewForks) {
    return {
      outcome: "preview_refused",
      summary: `${pr} comes from a fork (${event.head.repository ?? "deleted repository"}); previews of forks are off`,
      ref: name,
      builds: [],
    };
  }
  const existing = await prisma().branch.findUnique({ where: { projectId_name: { projectId, name } } });
  const known = await prisma().preview.findUnique({
    where: { projectId_number: { projectId, number: event.number } },
  });
  if (existing && existing.stage !== "DEVELOPMENT") {
    return {
      outcome: "pull_request_recorded",
      summary: `${pr}: ${name} is a ${existing.stage.toLowerCase()} branch, its own builds serve it`,
      ref: name,
      builds: [],
    };
  }
  // A fork's `pr-N` must not take over a branch of the repository that happens to bear the name.
  if (fork && existing && known?.branchId !== existing.id) {
    return {
      outcome: "preview_refused",
      summary: `${pr}: a branch named ${name} already exists`,
      ref: name,
      builds: [],
    };
  }
  const branch = existing
    ? await prisma().branch.update({
        where: { id: existing.id },
        data: { ...label, deletedAt: null, ...(fork ? { lastSeenSha: event.head.sha } : {}) },
      })
    : await prisma().branch.create({
        data: {
          projectId,
          name,
          stage: "DEVELOPMENT",
          onNewCommit: "NEW_BUILD",
          lastSeenSha: event.head.sha,
          ...label,
        },
      });
  const fields = {
    branchId: branch.id,
    url,
    title: event.title.slice(0, 300),
    fork,
    headRepository: event.head.repository?.slice(0, 200) ?? null,
    headSha: event.head.sha,
    closedAt: null,
  };
  await prisma().preview.upsert({
    where: { projectId_number: { projectId, number: event.number } },
    create: { projectId, number: event.number, ...fields },
    update: fields,
  });
  // The head commit is built once: the push of the same commit may have queued it already.
  const built = await prisma().build.findFirst({
    where: { branchId: branch.id, commitSha: event.head.sha, status: { not: "CANCELLED" }, cleanedAt: null },
    select: { id: true },
  });
  if (built) {
    return {
      outcome: "preview_recorded",
      summary: `${pr} ${event.action}: ${event.head.sha.slice(0, 7)} is already built on ${name}`,
      ref: name,
      builds: [],
    };
  }
  const build = await enqueueBuild({
    projectId,
    branchId: branch.id,
    stage: "DEVELOPMENT",
    commit: { sha: event.head.sha, message: event.title },
    trigger: "pull_request",
  });
  return {
    outcome: "preview_queued",
    summary: `${pr} ${event.action}: preview of ${event.head.sha.slice(0, 7)} queued on ${name}${fork ? " (fork)" : ""}`,
    ref: name,
    builds: [build],
  };
}
