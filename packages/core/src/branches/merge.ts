// Dropping a branch onto another merges it on GitHub (Admins). GitHub merges atomically:
// a conflict changes nothing and is reported; the merge commit then arrives as a push.
import { prisma } from "@gantry/db";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { projectClient } from "../github/client";
import { viaGithub } from "../github/errors";

export interface MergeOutcome {
  result: "merged" | "up_to_date";
  sha: string | null;
  source: string;
  target: string;
}

export async function mergeBranches(
  actor: Actor,
  projectId: string,
  sourceId: string,
  targetId: string,
  ip?: string,
): Promise<MergeOutcome> {
  assertCan(actor, "project_settings", { projectId });
  if (sourceId === targetId) throw new AppError("invalid_input", "A branch cannot be merged into itself");
  const project = await prisma().project.findUnique({ where: { id: projectId } });
  if (!project) throw new AppError("not_found", "No such project");
  const [source, target] = await Promise.all(
    [sourceId, targetId].map((id) =>
      prisma().branch.findFirst({ where: { id, projectId, deletedAt: null } }),
    ),
  );
  if (!source || !target) throw new AppError("not_found", "No such branch");
  const github = projectClient(project);
  const merged = await viaGithub(() =>
    github.mergeBranch(
      project.githubOwner,
      project.githubRepo,
      target.name,
      source.name,
      `Merge ${source.name} into ${target.name} (Gantry)`,
    ),
  );
  if (merged.kind === "conflict") {
    throw new AppError(
      "conflict",
      `${source.name} does not merge cleanly into ${target.name}: nothing was changed`,
      {
        details: { reason: "merge_conflict" },
      },
    );
  }
  if (merged.kind === "missing") throw new AppError("not_found", `GitHub: ${merged.message}`);
  const outcome: MergeOutcome = {
    result: merged.kind,
    sha: merged.kind === "merged" ? merged.sha : null,
    source: source.name,
    target: target.name,
  };
  await recordAudit({
    action: "branch.merged",
    projectId,
    userId: actor.userId,
    target: target.id,
    ip,
    data: { ...outcome },
  });
  return outcome;
}
