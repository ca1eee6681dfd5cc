// Reading a project's backups and restores for the API and the Backups tab. Backups are a
// per-stage right ("backups": Admin on production, Admin and Tester on staging, nobody on
// development), so a listing covers only the stages the actor may see.
import { prisma } from "@gantry/db";
import { type Actor, assertCan, can, type Stage, stages } from "../access";
import { servingFilter } from "../builds/serving";
import { AppError } from "../errors";

export const backupFields = {
  id: true,
  projectId: true,
  branchId: true,
  stage: true,
  kind: true,
  status: true,
  withFilestore: true,
  neutralized: true,
  odooSeries: true,
  sizeBytes: true,
  sha256: true,
  verifyStatus: true,
  verifyMessage: true,
  verifiedAt: true,
  error: true,
  progress: true,
  message: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  deletedAt: true,
  branch: { select: { name: true, stage: true } },
} as const;

export const restoreFields = {
  id: true,
  projectId: true,
  branchId: true,
  backupId: true,
  status: true,
  progress: true,
  message: true,
  error: true,
  safetyBackupId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** A branch of the project the actor may manage backups of, or an AppError. */
export async function backupBranch(actor: Actor, projectId: string, branchId: string) {
  const branch = await prisma().branch.findFirst({
    where: { id: branchId, projectId },
    select: { id: true, name: true, stage: true, projectId: true, deletedAt: true },
  });
  if (!branch) throw new AppError("not_found", "branch not found");
  assertCan(actor, "backups", { projectId, stage: branch.stage });
  return branch;
}

/**
 * The backups right for a backup: of its data's stage when taken and of its branch's stage now
 * (a backup without a branch is production data), so that neither moving a branch nor losing it
 * opens production data to a development role.
 */
function assertBackupRight(
  actor: Actor,
  projectId: string,
  row: { stage: Stage; branch: { stage: Stage } | null },
) {
  assertCan(actor, "backups", { projectId, stage: row.stage });
  assertCan(actor, "backups", { projectId, stage: row.branch?.stage ?? "PRODUCTION" });
}

function visibleStages(actor: Actor, projectId: string): Stage[] {
  const visible = stages.filter((stage) => can(actor, "backups", { projectId, stage }));
  if (visible.length === 0) assertCan(actor, "backups", { projectId, stage: "PRODUCTION" });
  return visible;
}

export async function listBackups(
  actor: Actor,
  projectId: string,
  options: { branchId?: string; includeDeleted?: boolean; take?: number } = {},
) {
  if (options.branchId) await backupBranch(actor, projectId, options.branchId);
  const visible = visibleStages(actor, projectId);
  const rows = await prisma().backup.findMany({
    where: {
      projectId,
      stage: { in: visible },
      ...(options.branchId ? { branchId: options.branchId } : { branch: { stage: { in: visible } } }),
      ...(options.includeDeleted ? {} : { deletedAt: null }),
    },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.take ?? 100, 1), 500),
    select: backupFields,
  });
  return rows.map((row) => ({ ...row, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes) }));
}

export async function listRestores(actor: Actor, projectId: string, branchId: string, take = 20) {
  await backupBranch(actor, projectId, branchId);
  return prisma().backupRestore.findMany({
    where: { projectId, branchId },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(take, 1), 100),
    select: restoreFields,
  });
}

/** One backup the actor may manage (the right of its branch's stage). */
export async function backupFor(actor: Actor, projectId: string, backupId: string) {
  const row = await prisma().backup.findFirst({
    where: { id: backupId, projectId },
    select: { ...backupFields, storageKey: true },
  });
  if (!row) throw new AppError("not_found", "backup not found");
  assertBackupRight(actor, projectId, row);
  return { ...row, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes) };
}

/** What the Backups tab shows: the branch, its backups and restores, and whether it is served. */
export async function backupTab(actor: Actor, projectId: string, branchId: string) {
  const branch = await backupBranch(actor, projectId, branchId);
  const [backups, restores, serving] = await Promise.all([
    listBackups(actor, projectId, { branchId }),
    listRestores(actor, projectId, branchId),
    prisma().build.findFirst({
      where: { branchId, ...servingFilter },
      select: { id: true },
    }),
  ]);
  return { branch, backups, restores, serving: serving !== null };
}
