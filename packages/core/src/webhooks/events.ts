// What each verified event does to Gantry's state. Cheap: a few queries and at most one
// enqueue; GitHub is only called afterwards (commit status), outside the delivery's answer.
import { prisma } from "@gantry/db";
import type { DeleteEvent, PullRequestEvent, PushEvent } from "@gantry/github";
import { buildOnPush } from "../branches/rules";
import { enqueueBuild, type QueuedBuild } from "../builds/enqueue";

export interface EventOutcome {
  outcome: string;
  summary: string;
  ref?: string;
  builds: QueuedBuild[];
}

const ZERO_SHA = /^0{40}$/;

export async function onPush(projectId: string, event: PushEvent): Promise<EventOutcome> {
  if (!event.branch) return { outcome: "ignored", summary: `not a branch: ${event.ref}`, builds: [] };
  const name = event.branch;
  if (event.deleted || ZERO_SHA.test(event.after)) return onBranchGone(projectId, name);
  const head = event.headCommit;
  const existing = await prisma().branch.findUnique({ where: { projectId_name: { projectId, name } } });
  if (existing && existing.lastSeenSha === event.after && !existing.deletedAt) {
    return {
      outcome: "unchanged",
      summary: `${name} already at ${event.after.slice(0, 7)}`,
      ref: name,
      builds: [],
    };
  }
  const branch = existing
    ? await prisma().branch.update({
        where: { id: existing.id },
        data: { lastSeenSha: event.after, deletedAt: null },
      })
    : await prisma().branch.create({
        data: { projectId, name, stage: "DEVELOPMENT", onNewCommit: "NEW_BUILD", lastSeenSha: event.after },
      });
  const what = existing ? (event.forced ? "forced push" : "new commits") : "new branch";
  const kind = buildOnPush(branch.onNewCommit);
  if (!kind)
    return {
      outcome: "no_build",
      summary: `${what} on ${name}; branch does nothing upon new commits`,
      ref: name,
      builds: [],
    };
  const build = await enqueueBuild({
    projectId,
    branchId: branch.id,
    stage: branch.stage,
    commit: {
      sha: event.after,
      message: head?.message ?? "",
      author: head?.author.name ?? event.pusher.name,
    },
    trigger: kind === "new" ? "push" : "update",
  });
  return { outcome: "build_queued", summary: `${what} on ${name}: build queued`, ref: name, builds: [build] };
}

/** A branch deleted on GitHub: its waiting and running builds are cancelled, the row kept. */
export async function onBranchGone(projectId: string, name: string): Promise<EventOutcome> {
  const branch = await prisma().branch.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!branch || branch.deletedAt)
    return { outcome: "ignored", summary: `unknown branch ${name}`, ref: name, builds: [] };
  await prisma().$transaction([
    prisma().branch.update({ where: { id: branch.id }, data: { deletedAt: new Date() } }),
    prisma().build.updateMany({
      where: { branchId: branch.id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", finishedAt: new Date(), errorSummary: "branch deleted on GitHub" },
    }),
  ]);
  return {
    outcome: "branch_deleted",
    summary: `${name} deleted: its builds were stopped`,
    ref: name,
    builds: [],
  };
}

export async function onDelete(projectId: string, event: DeleteEvent): Promise<EventOutcome> {
  if (event.refType !== "branch")
    return { outcome: "ignored", summary: `tag ${event.ref} deleted`, builds: [] };
  return onBranchGone(projectId, event.ref);
}

export async function onPullRequest(projectId: string, event: PullRequestEvent): Promise<EventOutcome> {
  const sameRepository = event.head.repository?.toLowerCase() === event.repository.toLowerCase();
  const ref = event.head.ref;
  if (!sameRepository) {
    return { outcome: "ignored", summary: `pull request #${event.number} from a fork`, ref, builds: [] };
  }
  const open = event.action !== "closed";
  const updated = await prisma().branch.updateMany({
    where: { projectId, name: ref },
    data: open
      ? { pullRequestNumber: event.number, pullRequestUrl: event.url }
      : { pullRequestNumber: null, pullRequestUrl: null },
  });
  return {
    outcome: updated.count ? "pull_request_recorded" : "ignored",
    summary: `pull request #${event.number} ${event.action} (${ref} into ${event.base.ref})`,
    ref,
    builds: [],
  };
}
