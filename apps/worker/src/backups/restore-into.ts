// Restoring a stored backup into a branch's live database and filestore (production or
// staging): a SAFETY backup of what will be replaced first; the archive restored into a new
// database and folder beside the live ones (hostile-archive checks and series check first) by
// a restore role of its own; neutralization on staging and the credentials check, as that
// role; the database handed to the build's role; then the serving container stopped, the copies swapped, the container started. A
// failure before or during the swap, or a server that does not start on the new database,
// leaves (or puts back) the old database and filestore.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { inspectArchive, restoreBackup } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import { AppError, claimRestore, endRestore, restoreProgress } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { adminEndpoint, dropRestoreRole, handOverRestore } from "@gantry/postgres";
import type { QueueContext } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import { neutralize, removeWeakCredentials } from "../shared/neutralize";
import { localArchive } from "./archive-file";
import { giveToOdoo } from "./chown";
import { findLiveDatabase } from "./live";
import type { ProgressReport } from "./progress";
import { startServingAgain, stopServing } from "./serving";
import { discardIncoming, type Swapped, swapIn } from "./swap";
import { takeBackup } from "./take";

export interface RestoreServices {
  db: () => PrismaClient;
  runtime: ContainerRuntime;
  queue?: QueueContext;
}

export interface RestoreIntoOptions {
  branchId: string;
  backupId: string;
  /** The BackupRestore row to drive (PENDING); one is created when absent. */
  restoreId?: string;
  /** Default: true on staging (a neutralized copy), false elsewhere. */
  neutralize?: boolean;
  requestedById?: string | null;
  workerId?: string | null;
  signal?: AbortSignal;
  onProgress?: ProgressReport;
}

export interface RestoreIntoResult {
  restoreId: string;
  safetyBackupId: string;
  weakLoginsReset: string[];
  neutralized: boolean;
}

async function openRestoreRow(db: PrismaClient, options: RestoreIntoOptions): Promise<string> {
  if (options.restoreId) {
    if (!(await claimRestore(db, options.restoreId, options.workerId ?? null)))
      throw new AppError("conflict", `restore ${options.restoreId} is not pending`);
    return options.restoreId;
  }
  const branch = await db.branch.findUniqueOrThrow({
    where: { id: options.branchId },
    select: { projectId: true },
  });
  const row = await db.backupRestore.create({
    data: {
      projectId: branch.projectId,
      branchId: options.branchId,
      backupId: options.backupId,
      status: "RUNNING",
      startedAt: new Date(),
      requestedById: options.requestedById ?? null,
      workerId: options.workerId ?? null,
    },
    select: { id: true },
  });
  return row.id;
}

export async function restoreBackupInto(
  services: RestoreServices,
  options: RestoreIntoOptions,
): Promise<RestoreIntoResult> {
  const db = services.db();
  const restoreId = await openRestoreRow(db, options);
  const report = async (percent: number, message: string) => {
    await restoreProgress(db, restoreId, percent, message);
    await options.onProgress?.(percent, message);
  };
  let incoming: { database: string; filestore: string } | undefined;
  let admin: ReturnType<typeof adminEndpoint> | undefined;
  let stopped = false;
  let swapped: Swapped | undefined;
  let container: { name: string; port: number | null } | undefined;
  let restoreRole: string | undefined;
  try {
    const backup = await db.backup.findUnique({
      where: { id: options.backupId },
      select: { status: true, storageKey: true, deletedAt: true, projectId: true },
    });
    if (backup?.status !== "DONE" || !backup.storageKey || backup.deletedAt)
      throw new AppError(
        "conflict",
        "the backup is not available for a restore (unfinished, failed or deleted)",
      );
    const live = await findLiveDatabase(db, options.branchId);
    if (backup.projectId !== live.build.projectId)
      throw new AppError("forbidden", "the backup belongs to another project");
    const stage = live.build.stage;
    const role = live.build.databaseRole;
    if (!role) throw new AppError("conflict", "the serving build has no database role to restore for");
    const neutral = options.neutralize ?? stage === "STAGING";
    admin = adminEndpoint(live.server, "postgres");
    container = live.build.containerName
      ? { name: live.build.containerName, port: live.build.httpPort }
      : undefined;

    await report(2, "checking the archive");
    const archive = await localArchive(backup.storageKey, options.signal);
    try {
      const inspected = await inspectArchive(archive.path, {
        targetSeries: live.build.odooSeries ?? undefined,
      });

      await report(5, "taking a safety backup of the current database");
      const safety = await takeBackup(services, {
        branchId: options.branchId,
        kind: "SAFETY",
        requestedById: options.requestedById,
        workerId: options.workerId,
        signal: options.signal,
        onProgress: (p) => report(5 + Math.floor(p * 0.35), "taking a safety backup of the current database"),
      });
      await db.backupRestore.update({ where: { id: restoreId }, data: { safetyBackupId: safety.id } });

      const suffix = randomBytes(3).toString("hex");
      const filestoreRoot = join(live.dataDir, "filestore");
      await mkdir(filestoreRoot, { recursive: true });
      incoming = {
        database: `${live.build.databaseName}_in${suffix}`,
        filestore: join(filestoreRoot, `${live.build.databaseName}_in${suffix}`),
      };
      const aside = {
        database: `${live.build.databaseName}_old${suffix}`,
        filestore: join(filestoreRoot, `${live.build.databaseName}_old${suffix}`),
      };
      await report(42, "restoring the archive beside the live database");
      const restored = await restoreBackup({
        archive: archive.path,
        admin,
        database: incoming.database,
        filestore: incoming.filestore,
        inspected,
        asCopy: stage !== "PRODUCTION",
      });
      restoreRole = restored.restoreRole!.user;
      options.signal?.throwIfAborted();
      // Neutralization and the credentials check run as the role that restored the copy, its
      // owner until the hand-over: a trigger in the dump fires with that role's rights only.
      const target = { ...adminEndpoint(live.server, incoming.database), ...restored.restoreRole! };
      if (neutral) {
        await report(75, "neutralizing");
        await neutralize(target);
      }
      await report(80, "checking credentials");
      const weakLoginsReset = stage === "DEVELOPMENT" ? [] : await removeWeakCredentials(target);
      await handOverRestore(admin, incoming.database, restoreRole, role);
      restoreRole = undefined;
      await mkdir(incoming.filestore, { recursive: true });
      await giveToOdoo(incoming.filestore);

      await report(85, "swapping the databases");
      if (container) stopped = await stopServing(services.runtime, container.name);
      swapped = await swapIn({
        admin,
        live: { database: live.build.databaseName, filestore: live.filestore },
        incoming,
        aside,
      });
      incoming = undefined;
      if (stopped && container) {
        await report(90, "starting Odoo on the restored database");
        try {
          await startServingAgain(services.runtime, container.name, container.port, options.signal);
        } catch (error) {
          await bestEffort(`stopping ${container.name}`, services.runtime.stop(container.name, 10));
          await swapped.undo();
          swapped = undefined;
          throw new Error(
            `Odoo did not start on the restored database, the previous one is back: ${(error as Error).message}`,
          );
        }
        stopped = false;
      }
      await swapped.commit();
      const message = [
        `restored from ${options.backupId}`,
        weakLoginsReset.length ? `weak passwords reset: ${weakLoginsReset.join(", ")}` : "",
        neutral ? "neutralized" : "",
      ]
        .filter(Boolean)
        .join("; ");
      await endRestore(db, restoreId, { ok: true, message });
      return { restoreId, safetyBackupId: safety.id, weakLoginsReset, neutralized: neutral };
    } finally {
      await archive.release();
    }
  } catch (error) {
    if (incoming && admin) await discardIncoming(admin, incoming);
    if (restoreRole && admin)
      await bestEffort(`dropping role ${restoreRole}`, dropRestoreRole(admin, restoreRole));
    const message = error instanceof Error ? error.message : String(error);
    // The restore failed either way; a serving container that does not come back is said on it.
    const restart =
      stopped && container
        ? await startServingAgain(services.runtime, container.name, container.port).then(
            () => "",
            (failure: unknown) =>
              `; Odoo did not start again: ${failure instanceof Error ? failure.message : String(failure)}`,
          )
        : "";
    await endRestore(db, restoreId, { ok: false, error: `${message}${restart}` });
    throw error;
  }
}
