// Where backup archives live, the same for the worker (writes) and the web (downloads, imports):
// BACKUP_DIR, else GANTRY_DATA_DIR/backups. Keys are `<project>/<branch>/<backup>.zip`, with
// the source build's logs beside the archive under `<backup>-logs/`.
import { join, resolve } from "node:path";
import { type BackupStorage, FilesystemStorage } from "@gantry/backup";
import { config } from "@gantry/config";

let storage: { root: string; value: BackupStorage } | undefined;

export function backupStorageRoot(): string {
  return resolve(config().BACKUP_DIR ?? join(config().GANTRY_DATA_DIR, "backups"));
}

export function backupStorage(): BackupStorage {
  const root = backupStorageRoot();
  if (storage?.root !== root) storage = { root, value: new FilesystemStorage(root) };
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
