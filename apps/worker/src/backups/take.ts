// Taking one backup of a branch's live database and filestore into backup storage: the Backup
// row from PENDING (or created RUNNING) to DONE or FAILED, the zip streamed by packages/backup
// straight into storage, size, sha256 and series recorded, the build's logs stored beside it,
// then a verification job queued. Called by the backup job, and by the production build
// before it updates modules (`kind: "UPDATE"`).
import { PassThrough } from "node:stream";
import { createBackup, isBackupError } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import {
  AppError,
  backupKey,
  backupProgress,
  backupStorage,
  claimBackup,
  failBackup,
  finishBackup,
} from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { backupVerifyJobId, enqueue, type QueueContext } from "@gantry/queue";
import { estimateArchiveBytes } from "./estimate";
import { findLiveDatabase } from "./live";
import { storeBuildLogs } from "./logs";
import { neutralizedCopy } from "./neutral-copy";
import { ByteProgress, type ProgressReport, throttled } from "./progress";

export type BackupKindName = "DAILY" | "MANUAL" | "UPDATE" | "UPGRADE" | "IMPORT" | "SAFETY";

export interface BackupServices {
  db: () => PrismaClient;
  /** When given, a verification job is queued for the new backup. */
  queue?: QueueContext;
}

export interface TakeBackupOptions {
  branchId: string;
  kind: BackupKindName;
  /** Take this PENDING row (made by the API) instead of creating one. */
  backupId?: string;
  /** Default true. */
  withFilestore?: boolean;
  /** A dump of a neutralized copy (crons and mail off), for testing elsewhere. Default false. */
  neutralized?: boolean;
  requestedById?: string | null;
  workerId?: string | null;
  signal?: AbortSignal;
  onProgress?: ProgressReport;
}

export interface TakenBackup {
  id: string;
  storageKey: string;
  sizeBytes: number;
  sha256: string;
  odooSeries: string | null;
  files: number;
  modules: number;
  logs: string[];
  verifyJobId: string | null;
}

async function openRow(db: PrismaClient, options: TakeBackupOptions): Promise<string> {
  if (options.backupId) {
    const row = await db.backup.findUnique({
      where: { id: options.backupId },
      select: { branchId: true, status: true },
    });
    if (!row || row.branchId !== options.branchId)
      throw new AppError("not_found", `backup ${options.backupId} not found on this branch`);
    if (!(await claimBackup(db, options.backupId, options.workerId ?? null)))
      throw new AppError(
        "conflict",
        `backup ${options.backupId} is ${row.status.toLowerCase()}, not pending`,
      );
    return options.backupId;
  }
  const branch = await db.branch.findUnique({
    where: { id: options.branchId },
    select: { projectId: true, stage: true },
  });
  if (!branch) throw new AppError("not_found", `branch ${options.branchId} not found`);
  const row = await db.backup.create({
    data: {
      projectId: branch.projectId,
      branchId: options.branchId,
      stage: branch.stage,
      kind: options.kind,
      status: "RUNNING",
      startedAt: new Date(),
      workerId: options.workerId ?? null,
      withFilestore: options.withFilestore ?? true,
      neutralized: options.neutralized ?? false,
      requestedById: options.requestedById ?? null,
    },
    select: { id: true },
  });
  return row.id;
}

export async function takeBackup(services: BackupServices, options: TakeBackupOptions): Promise<TakenBackup> {
  const db = services.db();
  const id = await openRow(db, options);
  const row = await db.backup.findUniqueOrThrow({
    where: { id },
    select: { projectId: true, withFilestore: true, neutralized: true },
  });
  const report = throttled(async (percent, message) => {
    await backupProgress(db, id, percent, message);
    await options.onProgress?.(percent, message);
  });
  const storage = backupStorage();
  const key = backupKey(row.projectId, options.branchId, id);
  let stored = false;
  let scratch: Awaited<ReturnType<typeof neutralizedCopy>> | undefined;
  try {
    const live = await findLiveDatabase(db, options.branchId);
    await db.backup.update({
      where: { id },
      data: { sourceBuildId: live.build.id, odooSeries: live.build.odooSeries },
    });
    const filestore = row.withFilestore ? live.filestore : null;
    await report(2, "measuring the database");
    const expected = await estimateArchiveBytes(live.connection, filestore);
    let source = live.connection;
    if (row.neutralized) {
      await report(5, "neutralizing a scratch copy");
      scratch = await neutralizedCopy(live, options.signal);
      source = scratch.connection;
    }
    await report(10, "writing the archive");
    const zip = new PassThrough();
    const counted = zip.pipe(new ByteProgress(expected, [10, 90], report, "writing the archive"));
    zip.on("error", (error) => counted.destroy(error));
    // Failures reach us through the two promises below; a stream error must not go unheard.
    counted.on("error", () => {});
    // Both sides settle before anything else happens: the writer closes its snapshot and
    // pg_dump even when storage failed first, so nothing of this backup outlives it.
    const [written, sent] = await Promise.allSettled([
      createBackup({
        source,
        dbName: live.build.databaseName,
        filestore,
        output: zip,
        signal: options.signal,
      }),
      // A storage that gives up must stop the writer too, or it would wait on a full pipe.
      storage.put(key, counted).catch((error: unknown) => {
        zip.destroy(error as Error);
        throw error;
      }),
    ]);
    if (sent.status === "fulfilled" && written.status === "rejected") stored = true;
    // A full disk is the cause whatever the writer then said (it saw its output destroyed).
    if (sent.status === "rejected" && isBackupError(sent.reason, "NO_SPACE")) throw sent.reason;
    if (written.status === "rejected") throw written.reason;
    if (sent.status === "rejected") throw sent.reason;
    const result = written.value;
    const put = sent.value;
    stored = true;
    await report(92, "storing the build's logs");
    const logs = await storeBuildLogs(storage, key, live.build.id);
    const odooSeries = result.manifest.major_version;
    if (
      !(await finishBackup(db, id, { storageKey: key, sizeBytes: put.size, sha256: put.sha256, odooSeries }))
    )
      throw new AppError("conflict", `backup ${id} was finished by someone else`);
    let verifyJobId: string | null = null;
    if (services.queue) {
      verifyJobId = (
        await enqueue("backups.verify", { backupId: id }, { jobId: backupVerifyJobId(id) }, services.queue)
      ).jobId;
    }
    await options.onProgress?.(100, "done");
    return {
      id,
      storageKey: key,
      sizeBytes: put.size,
      sha256: put.sha256,
      odooSeries,
      files: result.fileCount,
      modules: Object.keys(result.manifest.modules).length,
      logs,
      verifyJobId,
    };
  } catch (error) {
    // Storage's put leaves nothing behind on failure; an archive stored before a later failure goes.
    if (stored) await bestEffort(`deleting archive ${key}`, storage.delete(key));
    await failBackup(db, id, error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    if (scratch) await bestEffort("dropping the neutralized scratch copy", scratch.drop());
  }
}
