// Branches from the repository itself (the "sync" action): new ones appear in development
// (the default branch in production when the project has none); vanished ones go as a delete
// event would take them.
import { prisma } from "@gantry/db";
import { isValidBranchName } from "@gantry/github";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { branchGoneFromGithub } from "../branches/gone";
import { AppError } from "../errors";
import { projectClient } from "./client";
import { viaGithub } from "./errors";

export interface SyncReport {
  added: string[];
  updated: string[];
  removed: string[];
}

export async function syncBranches(actor: Actor, projectId: string, ip?: string): Promise<SyncReport> {
  assertCan(actor, "project_settings", { projectId });
  const project = await prisma().project.findUnique({ where: { id: projectId } });
  if (!project) throw new AppError("not_found", "No such project");
  const github = projectClient(project);
  const [repository, remote] = await viaGithub(() =>
    Promise.all([
      github.getRepository(project.githubOwner, project.githubRepo),
      github.listBranches(project.githubOwner, project.githubRepo),
    ]),
  );
  const known = await prisma().branch.findMany({ where: { projectId } });
  const byName = new Map(known.map((b) => [b.name, b]));
  const report: SyncReport = { added: [], updated: [], removed: [] };
  let hasProduction = known.some((b) => b.stage === "PRODUCTION" && !b.deletedAt);

  for (const remoteBranch of remote) {
    if (!isValidBranchName(remoteBranch.name)) continue;
    const local = byName.get(remoteBranch.name);
    if (!local) {
      const stage =
        !hasProduction && remoteBranch.name === repository.defaultBranch ? "PRODUCTION" : "DEVELOPMENT";
      if (stage === "PRODUCTION") hasProduction = true;
      await prisma().branch.create({
        data: {
          projectId,
          name: remoteBranch.name,
          stage,
          onNewCommit: stage === "PRODUCTION" ? "UPDATE_PREVIOUS" : "NEW_BUILD",
          lastSeenSha: remoteBranch.sha,
        },
      });
      report.added.push(remoteBranch.name);
    } else if (local.deletedAt || local.lastSeenSha !== remoteBranch.sha) {
      await prisma().branch.update({
        where: { id: local.id },
        data: { deletedAt: null, lastSeenSha: remoteBranch.sha },
      });
      report.updated.push(remoteBranch.name);
    }
  }
  const remoteNames = new Set(remote.map((b) => b.name));
  for (const local of known) {
    if (!local.deletedAt && !remoteNames.has(local.name)) {
      // The same path as a delete event: builds stopped and removed, production kept.
      await branchGoneFromGithub(projectId, local.name, "sync");
      report.removed.push(local.name);
    }
  }
  await recordAudit({
    action: "github.branches_synced",
    projectId,
    userId: actor.userId,
    ip,
    data: { ...report },
  });
  return report;
}
