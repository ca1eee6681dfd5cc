// Where backup archives live, the same for the worker (writes) and the web (downloads, imports):
// an S3-compatible bucket when BACKUP_S3_BUCKET is set, else BACKUP_DIR (default
// GANTRY_DATA_DIR/backups). Keys are `<project>/<branch>/<backup>.zip`, with the source
// build's logs beside the archive under `<backup>-logs/`.
import { join, resolve } from "node:path";
import { type BackupStorage, FilesystemStorage, S3Storage } from "@gantry/backup";
import { config } from "@gantry/config";

let storage: { where: string; value: BackupStorage } | undefined;

export function backupStorageRoot(): string {
  return resolve(config().BACKUP_DIR ?? join(config().GANTRY_DATA_DIR, "backups"));
}

function storageWhere(): string {
  const c = config();
  return c.BACKUP_S3_BUCKET
    ? `s3:${c.BACKUP_S3_ENDPOINT ?? "aws"}/${c.BACKUP_S3_BUCKET}/${c.BACKUP_S3_PREFIX ?? ""}`
    : backupStorageRoot();
}

function makeStorage(): { where: string; value: BackupStorage } {
  const c = config();
  const where = storageWhere();
  if (c.BACKUP_S3_BUCKET) {
    const credentials =
      c.BACKUP_S3_ACCESS_KEY_ID && c.BACKUP_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: c.BACKUP_S3_ACCESS_KEY_ID, secretAccessKey: c.BACKUP_S3_SECRET_ACCESS_KEY }
        : undefined;
    return {
      where,
      value: new S3Storage({
        bucket: c.BACKUP_S3_BUCKET,
        prefix: c.BACKUP_S3_PREFIX,
        client: {
          region: c.BACKUP_S3_REGION,
          ...(c.BACKUP_S3_ENDPOINT ? { endpoint: c.BACKUP_S3_ENDPOINT, forcePathStyle: true } : {}),
          ...(credentials ? { credentials } : {}),
        },
      }),
    };
  }
  return { where, value: new FilesystemStorage(backupStorageRoot()) };
}

/** The configured storage; made again when the configuration changed (tests reset it). */
export function backupStorage(): BackupStorage {
  if (storage?.where !== storageWhere()) storage = makeStorage();
  return storage.value;
}

/** Backups of a project without a branch (an import not yet restored) sit under `_project`. */
export function backupKey(projectId: string, branchId: string | null, backupId: string): string {
  return `${projectId}/${branchId ?? "_project"}/${backupId}.zip`;
}

export function backupLogsPrefix(archiveKey: string): string {
  return `${archiveKey.replace(/\.zip$/, "")}-logs/`;
}

/** Scratch space for dumps and uploads on the way to storage, on the same disk as the data. */
export function backupScratchDir(): string {
  return resolve(config().GANTRY_DATA_DIR, "backup-scratch");
}
