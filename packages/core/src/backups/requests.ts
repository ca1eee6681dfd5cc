// What a person asks of backups: take one now (at most 5 manual backups a day per branch),
// restore one into a branch, download one. Each asks the policy, records an audit entry, and
// leaves the work to the `backups` queue with a stable job id.
import { MAX_MANUAL_BACKUPS_PER_DAY, manualBackupAllowed } from "@gantry/backup";
import { prisma } from "@gantry/db";
import { backupJobId, enqueue, restoreJobId } from "@gantry/queue";
import type { Actor } from "../access";
import { recordAudit } from "../audit";
import { servingFilter } from "../builds/serving";
import { AppError } from "../errors";
import { backupBranch, backupFor } from "./queries";

export interface RequestContext {
  ip?: string | null;
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

async function assertServing(branchId: string): Promise<void> {
  const serving = await prisma().build.findFirst({
    where: { branchId, ...servingFilter },
    select: { id: true },
  });
  if (!serving)
    throw new AppError(
      "conflict",
      "the branch has no running build: there is no database to back up or restore into",
    );
}

export async function requestManualBackup(
  actor: Actor,
  projectId: string,
  branchId: string,
  options: { withFilestore?: boolean; neutralized?: boolean } = {},
  context: RequestContext = {},
) {
  const branch = await backupBranch(actor, projectId, branchId);
  if (branch.stage === "DEVELOPMENT")
    throw new AppError("invalid_input", "development branches have no backups");
  await assertServing(branchId);
  // Failed attempts do not count against the day's allowance: they produced nothing.
  const today = await prisma().backup.count({
    where: {
      branchId,
      kind: "MANUAL",
      createdAt: { gte: startOfUtcDay(new Date()) },
      status: { not: "FAILED" },
    },
  });
  const allowed = manualBackupAllowed(today);
  if (!allowed.allowed)
    throw new AppError("rate_limited", allowed.message, {
      details: { limit: MAX_MANUAL_BACKUPS_PER_DAY, today },
    });
  const row = await prisma().backup.create({
    data: {
      projectId,
      branchId,
      stage: branch.stage,
      kind: "MANUAL",
      withFilestore: options.withFilestore ?? true,
      neutralized: options.neutralized ?? false,
      requestedById: actor.userId,
    },
    select: { id: true },
  });
  const job = await enqueue("backups.run", { backupId: row.id }, { jobId: backupJobId(row.id) });
  await recordAudit({
    action: "backup.created",
    projectId,
    userId: actor.userId,
    target: row.id,
    data: { branchId, branch: branch.name, kind: "MANUAL", ...options },
    ip: context.ip,
  });
  return { id: row.id, jobId: job.jobId };
}

async function assertNoRestoreRunning(branchId: string): Promise<void> {
  const running = await prisma().backupRestore.findFirst({
    where: { branchId, status: { in: ["PENDING", "RUNNING"] } },
    select: { id: true },
  });
  if (running) throw new AppError("conflict", "a restore or import into this branch is already under way");
}

export async function requestRestore(
  actor: Actor,
  projectId: string,
  branchId: string,
  backupId: string,
  context: RequestContext = {},
) {
  const branch = await backupBranch(actor, projectId, branchId);
  if (branch.stage === "DEVELOPMENT")
    throw new AppError("invalid_input", "backups are restored into production or staging branches");
  const backup = await backupFor(actor, projectId, backupId);
  if (backup.status !== "DONE" || backup.deletedAt)
    throw new AppError("conflict", "only a finished backup that is still stored can be restored");
  await assertServing(branchId);
  await assertNoRestoreRunning(branchId);
  const row = await prisma().backupRestore.create({
    data: { projectId, branchId, backupId, requestedById: actor.userId },
    select: { id: true },
  });
  const job = await enqueue("backups.restore", { restoreId: row.id }, { jobId: restoreJobId(row.id) });
  await recordAudit({
    action: "backup.restored",
    projectId,
    userId: actor.userId,
    target: backupId,
    data: { branchId, branch: branch.name, restoreId: row.id },
    ip: context.ip,
  });
  return { id: row.id, jobId: job.jobId };
}

export async function backupDownload(
  actor: Actor,
  projectId: string,
  backupId: string,
  context: RequestContext & { audit?: boolean } = {},
) {
  const backup = await backupFor(actor, projectId, backupId);
  if (backup.status !== "DONE" || !backup.storageKey || backup.deletedAt)
    throw new AppError("not_found", "this backup has no archive to download");
  if (context.audit !== false)
    await recordAudit({
      action: "backup.downloaded",
      projectId,
      userId: actor.userId,
      target: backupId,
      data: { branch: backup.branch?.name ?? null },
      ip: context.ip,
    });
  const day = backup.createdAt.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  const branch = (backup.branch?.name ?? "project").replace(/[^A-Za-z0-9._-]+/g, "_");
  return {
    key: backup.storageKey,
    size: backup.sizeBytes ?? 0,
    sha256: backup.sha256,
    filename: `${branch}-${backup.kind.toLowerCase()}-${day}.zip`,
  };
}
