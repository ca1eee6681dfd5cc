export { dailyBackupsJob, importJob, restoreJob, retentionJob, runBackupJob, verifyBackupJob } from "./jobs";
export { findLiveDatabase, type LiveDatabase } from "./live";
export { type RestoreIntoOptions, type RestoreIntoResult, restoreBackupInto } from "./restore-into";
export {
  type BackupKindName,
  type BackupServices,
  type TakeBackupOptions,
  type TakenBackup,
  takeBackup,
} from "./take";
export { verifyStoredBackup } from "./verify";
