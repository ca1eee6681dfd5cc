export { dailyBackupsJob, retentionJob, runBackupJob, verifyBackupJob } from "./jobs";
export { findLiveDatabase, type LiveDatabase } from "./live";
export {
  type BackupKindName,
  type BackupServices,
  type TakeBackupOptions,
  type TakenBackup,
  takeBackup,
} from "./take";
export { verifyStoredBackup } from "./verify";
