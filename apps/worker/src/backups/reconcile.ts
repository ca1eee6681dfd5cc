// At worker start: backups and restores left RUNNING by a worker that is gone. A backup is
// failed with the reason and its partial files removed (storage's unfinished uploads, scratch
// archives); a restore is failed after putting the branch's database and filestore back the
// way they were (a swap cut half-way is undone, prepared copies dropped, a stopped serving
// container started). Rows of a worker whose heartbeat is alive are left alone.
import { readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FilesystemStorage } from "@gantry/backup";
import { bestEffort, ifExists } from "@gantry/config";
import { backupKey, backupScratchDir, backupStorage, endRestore, failBackup } from "@gantry/core";
import type { BackupKind, PrismaClient } from "@gantry/db";
import {
  databasesWithPrefix,
  dropDatabase,
  dropRestoredDatabase,
  dropRestoreRolesInto,
  renameDatabase,
} from "@gantry/postgres";
import { backupVerifyJobId, enqueue, type QueueContext, readHeartbeats } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import { stateIfExists } from "../shared/container-state";
import { pathExists } from "../shared/path-exists";
import { findLiveDatabase } from "./live";
import { startServingAgain } from "./serving";

export interface BackupReconcileReport {
  failedBackups: string[];
  failedRestores: string[];
  removedFiles: string[];
}

async function removePartialUploads(key: string, removed: string[]): Promise<void> {
  const storage = backupStorage();
  if (!(storage instanceof FilesystemStorage)) return; // S3 multipart uploads are aborted by the SDK or expire
  const path = join(storage.root, key);
  const dir = dirname(path);
  const base = path.slice(dir.length + 1);
  for (const name of (await ifExists(readdir(dir))) ?? []) {
    if (name.startsWith(`${base}.`) && name.endsWith(".uploading")) {
      await rm(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
}

/** Puts a branch's live database and filestore back after a restore cut short. */
async function repairBranch(db: PrismaClient, runtime: ContainerRuntime, branchId: string): Promise<void> {
  const live = await findLiveDatabase(db, branchId);
  const name = live.build.databaseName;
  const admin = live.server;
  const names = (await databasesWithPrefix(admin, name)).filter(
    (n) => n === name || n.startsWith(`${name}_in`) || n.startsWith(`${name}_old`),
  );
  const old = names.find((n) => /_old[0-9a-f]{6}$/.test(n));
  if (!names.includes(name) && old) await renameDatabase(admin, old, name);
  else if (old) await dropDatabase(admin, old);
  // An incoming copy goes with the restore role made for it; so does the role of a restore cut
  // short before its copy existed.
  for (const incoming of names.filter((n) => /_in[0-9a-f]{6}$/.test(n)))
    await dropRestoredDatabase(admin, incoming);
  await dropRestoreRolesInto(admin, `${name}_in`, { prefix: true });
  const root = join(live.dataDir, "filestore");
  const folders = (await ifExists(readdir(root))) ?? [];
  const oldFolder = folders.find((n) => n.startsWith(`${name}_old`));
  if (oldFolder && !(await pathExists(live.filestore))) {
    await rename(join(root, oldFolder), live.filestore);
  } else if (oldFolder) await rm(join(root, oldFolder), { recursive: true, force: true });
  for (const folder of folders.filter((n) => n.startsWith(`${name}_in`)))
    await rm(join(root, folder), { recursive: true, force: true });
  if (live.build.containerName) {
    const state = await stateIfExists(runtime, live.build.containerName);
    // The database is back either way; a container that does not start is the next restore's or a person's.
    if (state && !state.running)
      await bestEffort(
        `starting ${live.build.containerName} again`,
        startServingAgain(runtime, live.build.containerName, live.build.httpPort),
      );
  }
}

/** Fails a backup whose worker stopped and removes its partial upload; false when it had ended already. */
export async function failInterruptedBackup(
  db: PrismaClient,
  backup: { id: string; projectId: string; branchId: string | null; storageKey: string | null },
  removed: string[] = [],
): Promise<boolean> {
  if (!(await failBackup(db, backup.id, "interrupted: the worker taking this backup stopped"))) return false;
  await removePartialUploads(
    backup.storageKey ?? backupKey(backup.projectId, backup.branchId, backup.id),
    removed,
  );
  return true;
}

/** Backups a job takes inline: a restore's safety backup, a production build's, an upgrade's. */
const INLINE_KINDS: BackupKind[] = ["SAFETY", "UPDATE", "UPGRADE"];

/** The inline backups of one run: its branch, its worker. */
function inlineBackupsOf(branchId: string, workerId: string) {
  return { branchId, workerId, kind: { in: INLINE_KINDS } };
}

/**
 * Backups a job takes inline (a restore's SAFETY backup, a production build's UPDATE backup, an
 * upgrade's UPGRADE backup) have no job of their own that BullMQ would hand out again: when the
 * job's worker dies, the job handed out again fails them, or they stay RUNNING while the dead
 * worker's heartbeat keeps the start-up pass away.
 */
export async function failInlineBackupsOf(
  db: PrismaClient,
  run: { branchId: string; workerId: string | null },
): Promise<string[]> {
  if (!run.workerId) return [];
  const backups = await db.backup.findMany({
    where: { ...inlineBackupsOf(run.branchId, run.workerId), status: "RUNNING" },
    select: { id: true, projectId: true, branchId: true, storageKey: true },
  });
  const failed: string[] = [];
  for (const backup of backups) if (await failInterruptedBackup(db, backup)) failed.push(backup.id);
  return failed;
}

/**
 * Backups a dead run took inline, stored and was still verifying when it died (a production
 * upgrade verifies its own backup inline, with no job of its own): handed to the verification
 * job, which removes the dead run's scratch database and folder (named after the backup) and
 * verifies the archive. Without it they stay, and the backup reads "pending" for good.
 */
export async function verifyInlineBackupsOf(
  db: PrismaClient,
  queue: QueueContext,
  run: { branchId: string; workerId: string | null },
): Promise<string[]> {
  if (!run.workerId) return [];
  const backups = await db.backup.findMany({
    where: {
      ...inlineBackupsOf(run.branchId, run.workerId),
      status: "DONE",
      verifyStatus: "PENDING",
      deletedAt: null,
    },
    select: { id: true },
  });
  for (const { id } of backups)
    await enqueue("backups.verify", { backupId: id }, { jobId: backupVerifyJobId(id) }, queue);
  return backups.map((backup) => backup.id);
}

/** Puts the branch back after a restore whose worker stopped, then fails the restore. */
export async function failInterruptedRestore(
  db: PrismaClient,
  runtime: ContainerRuntime,
  restore: { id: string; branchId: string; workerId?: string | null },
): Promise<boolean> {
  await failInlineBackupsOf(db, { branchId: restore.branchId, workerId: restore.workerId ?? null });
  const interrupted = "interrupted: the worker running this restore stopped";
  // A failed repair is said on the restore instead of claiming the previous database was kept.
  const error = await repairBranch(db, runtime, restore.branchId).then(
    () => `${interrupted}; the previous database was kept`,
    (failure: unknown) =>
      `${interrupted}; putting the previous database back failed: ${failure instanceof Error ? failure.message : String(failure)}`,
  );
  return endRestore(db, restore.id, { ok: false, error });
}

export async function reconcileBackups(input: {
  db: PrismaClient;
  runtime: ContainerRuntime;
  queue: QueueContext;
  workerId: string;
}): Promise<BackupReconcileReport> {
  const report: BackupReconcileReport = { failedBackups: [], failedRestores: [], removedFiles: [] };
  const live = new Set((await readHeartbeats(input.queue)).map((beat) => beat.workerId));
  live.delete(input.workerId);
  const backups = await input.db.backup.findMany({
    where: { status: "RUNNING" },
    select: { id: true, workerId: true, projectId: true, branchId: true, storageKey: true },
  });
  for (const backup of backups) {
    if (backup.workerId && live.has(backup.workerId)) continue;
    if (await failInterruptedBackup(input.db, backup, report.removedFiles))
      report.failedBackups.push(backup.id);
  }
  const restores = await input.db.backupRestore.findMany({
    where: { status: "RUNNING" },
    select: { id: true, workerId: true, branchId: true },
  });
  for (const restore of restores) {
    if (restore.workerId && live.has(restore.workerId)) continue;
    if (await failInterruptedRestore(input.db, input.runtime, restore))
      report.failedRestores.push(restore.id);
  }
  await removeDeadScratch(input.db, live.size > 0, report.removedFiles);
  return report;
}

/** Whether a backup's verification can still run: its scratch folder may belong to it. */
async function verificationPending(db: PrismaClient, backupId: string): Promise<boolean> {
  const row = await db.backup.findUnique({
    where: { id: backupId },
    select: { status: true, verifyStatus: true, deletedAt: true },
  });
  return row?.status === "DONE" && row.verifyStatus === "PENDING" && !row.deletedAt;
}

/**
 * Scratch archives, uploads and verification folders of jobs that no longer run. A folder
 * named after a backup (`verify-<backup id>`) whose verification has ended is a dead run's,
 * whatever heartbeats say (a killed worker's stays alive a while); one still pending is
 * removed by that verification when it runs again. Files and randomly named verification
 * folders go when no other worker is alive, or once older than a day (other live workers' jobs
 * are younger); other folders (uploads/) hold queued work and are left to it.
 */
async function removeDeadScratch(db: PrismaClient, othersAlive: boolean, removed: string[]): Promise<void> {
  const scratch = backupScratchDir();
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of (await ifExists(readdir(scratch))) ?? []) {
    const path = join(scratch, name);
    const info = await ifExists(stat(path));
    if (!info) continue;
    const named = /^verify-([a-z0-9]{20,40})$/.exec(name)?.[1];
    const unclaimed = !othersAlive || info.mtimeMs < dayAgo;
    // Other folders (uploads/) hold work still queued: left to their jobs.
    const dead = named
      ? !(await verificationPending(db, named))
      : (info.isFile() || name.startsWith("verify-")) && unclaimed;
    if (dead) {
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
}
