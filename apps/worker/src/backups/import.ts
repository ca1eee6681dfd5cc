// An uploaded archive becomes an IMPORT backup of the branch, then is restored into it like any
// backup. Every check runs before anything changes: the hostile-archive checks and the series
// (inspectArchive), the free space (four times the archive), and only then is the archive
// stored and restored. A plain (.sql) or custom-format (.dump) pg_dump file is first turned
// into an Odoo zip of its own (manifest from its modules, no filestore), then checked and
// restored exactly like an uploaded zip. A refused archive leaves the branch, storage and rows
// as they were (the restore row records the refusal), and the upload is removed either way.
import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { dumpKindOf, dumpToArchive, hasFreeSpace, inspectArchive } from "@gantry/backup";
import {
  AppError,
  backupKey,
  backupScratchDir,
  backupStorage,
  endRestore,
  failBackup,
  finishBackup,
} from "@gantry/core";
import { backupVerifyJobId, enqueue } from "@gantry/queue";
import { findLiveDatabase } from "./live";
import type { ProgressReport } from "./progress";
import { type RestoreIntoResult, type RestoreServices, restoreBackupInto } from "./restore-into";

export function uploadPath(upload: string): string {
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(upload) || upload.startsWith("."))
    throw new AppError("invalid_input", "invalid upload name");
  return join(backupScratchDir(), "uploads", upload);
}

export interface ImportOptions {
  restoreId: string;
  upload: string;
  neutralize: boolean;
  workerId?: string | null;
  signal?: AbortSignal;
  onProgress?: ProgressReport;
}

export async function importArchive(
  services: RestoreServices,
  options: ImportOptions,
): Promise<RestoreIntoResult> {
  const db = services.db();
  const upload = uploadPath(options.upload);
  const kind = dumpKindOf(options.upload);
  const path = kind ? `${upload}.zip` : upload;
  const row = await db.backupRestore.findUnique({ where: { id: options.restoreId } });
  if (row?.status !== "PENDING") throw new AppError("conflict", `import ${options.restoreId} is not pending`);
  let backupId: string | undefined;
  try {
    const live = await findLiveDatabase(db, row.branchId);
    const size = (await stat(upload)).size;
    if (!(await hasFreeSpace(live.dataDir, size * 4)))
      throw new AppError(
        "unavailable",
        `not enough free disk space for the import (${size * 4} bytes needed, 4x the archive)`,
      );
    if (kind)
      await dumpToArchive({
        input: upload,
        kind,
        output: path,
        fallbackSeries: live.build.odooSeries ?? undefined,
      });
    const inspected = await inspectArchive(path, { targetSeries: live.build.odooSeries ?? undefined });
    const backup = await db.backup.create({
      data: {
        projectId: row.projectId,
        branchId: row.branchId,
        stage: live.build.stage,
        kind: "IMPORT",
        status: "RUNNING",
        startedAt: new Date(),
        requestedById: row.requestedById,
        workerId: options.workerId ?? null,
        withFilestore: inspected.filestoreFiles > 0,
        odooSeries: inspected.manifest.major_version,
      },
      select: { id: true },
    });
    backupId = backup.id;
    const key = backupKey(row.projectId, row.branchId, backup.id);
    const put = await backupStorage().put(key, createReadStream(path));
    await finishBackup(db, backup.id, {
      storageKey: key,
      sizeBytes: put.size,
      sha256: put.sha256,
      odooSeries: inspected.manifest.major_version,
    });
    await db.backupRestore.update({ where: { id: row.id }, data: { backupId: backup.id } });
  } catch (error) {
    if (backupId) await failBackup(db, backupId, (error as Error).message);
    await endRestore(db, row.id, {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    await rm(upload, { force: true });
    await rm(path, { force: true });
  }
  const result = await restoreBackupInto(services, {
    branchId: row.branchId,
    backupId,
    restoreId: row.id,
    neutralize: options.neutralize || undefined,
    requestedById: row.requestedById,
    workerId: options.workerId,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  if (services.queue)
    await enqueue("backups.verify", { backupId }, { jobId: backupVerifyJobId(backupId) }, services.queue);
  return result;
}
