// What each verified event does to Gantry's state. Cheap: a few queries and at most one
// enqueue; GitHub is only called afterwards (commit status), outside the delivery's answer.
import { prisma } from "@gantry/db";
import type { ChecksEvent, DeleteEvent, PullRequestEvent, PushEvent } from "@gantry/github";
import { buildJobId, enqueue } from "@gantry/queue";
import { branchGoneFromGithub } from "../branches/gone";
import { buildOnPush } from "../branches/rules";
import { enqueueBuild } from "../builds/enqueue";
import { supersedeUnstartedBuilds } from "../builds/state";
import { hasGates, holdBuild } from "../gates/hold";
import { closePreview } from "../previews/close";
import { forkBranchName, isFork, openPreview } from "../previews/open";
import { startUpgradeOnPush } from "../upgrades/on-push";
import type { EventOutcome } from "./outcome";
import { laterPushOnto, withPushLock } from "./push-order";

export type { EventOutcome } from "./outcome";

const ZERO_SHA = /^0{40}$/;

export async function onPush(projectId: string, event: PushEvent): Promise<EventOutcome> {
  if (!event.branch) return { outcome: "ignored", summary: `not a branch: ${event.ref}`, builds: [] };
  const name = event.branch;
  return withPushLock(projectId, name, () => applyPush(projectId, name, event));
}

async function applyPush(projectId: string, name: string, event: PushEvent): Promise<EventOutcome> {
  if (event.deleted || ZERO_SHA.test(event.after)) return onBranchGone(projectId, name);
  const head = event.headCommit;
  const existing = await prisma().branch.findUnique({ where: { projectId_name: { projectId, name } } });
  const newer = await laterPushOnto(
    projectId,
    { branch: name, before: event.before, after: event.after, forced: event.forced },
    existing && !existing.deletedAt ? existing.lastSeenSha : null,
  );
  if (newer) {
    return {
      outcome: "stale",
      summary: `${name} at ${event.after.slice(0, 7)} arrived after the push built on it (${(newer.afterSha ?? "").slice(0, 7)}): nothing to build`,
      ref: name,
      builds: [],
    };
  }
  if (existing && existing.lastSeenSha === event.after && !existing.deletedAt) {
    // Known commit. A build of it still QUEUED may lack its job (the first delivery failed
    // between the row and the enqueue): enqueueing again under the build's job id adds it once.
    // Without any build (the commit was seen by a sync, not a push) it is built below.
    const known = await prisma().build.findFirst({
      where: { branchId: existing.id, commitSha: event.after },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true, branchId: true, stage: true, commitSha: true },
    });
    if (known?.status === "QUEUED") {
      const { status: _, ...build } = known;
      const { jobId } = await enqueue("builds.run", { buildId: known.id }, { jobId: buildJobId(known.id) });
      return {
        outcome: "build_queued",
        summary: `${name} at ${event.after.slice(0, 7)}: its waiting build is queued`,
        ref: name,
        builds: [{ ...build, jobId }],
      };
    }
    if (known) {
      return {
        outcome: "unchanged",
        summary: `${name} already at ${event.after.slice(0, 7)}`,
        ref: name,
        builds: [],
      };
    }
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
  if (branch.stage === "PRODUCTION" && (await startUpgradeOnPush(branch.id))) {
    return {
      outcome: "upgrade_queued",
      summary: `${what} on ${name}: the production upgrade waiting for this push starts (no ordinary build)`,
      ref: name,
      builds: [],
    };
  }
  const kind = buildOnPush(branch.onNewCommit);
  if (!kind)
    return {
      outcome: "no_build",
      summary: `${what} on ${name}; branch does nothing upon new commits`,
      ref: name,
      builds: [],
    };
  // The pull request's event for this commit may have queued it already.
  const inFlight = await prisma().build.findFirst({
    where: { branchId: branch.id, commitSha: event.after, status: { in: ["WAITING", "QUEUED", "RUNNING"] } },
    select: { id: true },
  });
  if (inFlight) {
    return {
      outcome: "unchanged",
      summary: `${name} at ${event.after.slice(0, 7)} is being built already`,
      ref: name,
      builds: [],
    };
  }
  // Only the newest commit is built: a build still held by the gates or still queued gives way.
  const replaced = await supersedeUnstartedBuilds(branch.id, event.after);
  const input = {
    projectId,
    branchId: branch.id,
    stage: branch.stage,
    commit: {
      sha: event.after,
      message: head?.message ?? "",
      author: head?.author.name ?? event.pusher.name,
    },
    trigger: kind === "new" ? ("push" as const) : ("update" as const),
  };
  const replacedNote = replaced.length
    ? ` (replaces ${replaced.length} unstarted build${replaced.length > 1 ? "s" : ""})`
    : "";
  if (hasGates(branch)) {
    const build = await holdBuild(input);
    return {
      outcome: "build_waiting",
      summary: `${what} on ${name}: build waits for its deploy gates${replacedNote}`,
      ref: name,
      builds: [build],
      alsoReport: replaced,
    };
  }
  const build = await enqueueBuild(input);
  return {
    outcome: "build_queued",
    summary: `${what} on ${name}: build queued${replacedNote}`,
    ref: name,
    builds: [build],
    alsoReport: replaced,
  };
}

/** CI changed on a commit: the builds of it held by a gate are looked at again (by the worker). */
export async function onChecks(projectId: string, event: ChecksEvent): Promise<EventOutcome> {
  const waiting = await prisma().build.findMany({
    where: { projectId, commitSha: event.sha, status: "WAITING" },
    select: { id: true },
  });
  for (const { id } of waiting) await enqueue("maintenance.deploy-gates", { buildId: id });
  return {
    outcome: waiting.length ? "gate_look_queued" : "ignored",
    summary: waiting.length
      ? `${event.event} on ${event.sha.slice(0, 7)}: ${waiting.length} waiting build(s) looked at again`
      : `${event.event} on ${event.sha.slice(0, 7)}: no build waits for it`,
    builds: [],
  };
}

/** A branch deleted on GitHub: see branchGoneFromGithub (production is kept and flagged). */
export async function onBranchGone(projectId: string, name: string): Promise<EventOutcome> {
  const gone = await branchGoneFromGithub(projectId, name, "webhook");
  if (gone.kind === "unknown")
    return { outcome: "ignored", summary: `unknown branch ${name}`, ref: name, builds: [] };
  if (gone.kind === "production_kept")
    return {
      outcome: "production_kept",
      summary: `${name} deleted on GitHub: it is production, so its build and database are kept`,
      ref: name,
      builds: [],
    };
  return {
    outcome: "branch_deleted",
    summary: `${name} deleted: its builds are stopped and removed (logs kept)`,
    ref: name,
    builds: [],
  };
}

export async function onDelete(projectId: string, event: DeleteEvent): Promise<EventOutcome> {
  if (event.refType !== "branch")
    return { outcome: "ignored", summary: `tag ${event.ref} deleted`, builds: [] };
  return onBranchGone(projectId, event.ref);
}

/** Pull requests: previews opened, rebuilt on new commits, torn down when closed (previews/). */
export async function onPullRequest(projectId: string, event: PullRequestEvent): Promise<EventOutcome> {
  if (event.action === "closed") return closePreview(projectId, event);
  // The head branch's pushes and its pull request's events build it in one order.
  const branch = isFork(event) ? forkBranchName(event.number) : event.head.ref;
  return withPushLock(projectId, branch, () => openPreview(projectId, event));
}
