/** The API's backup and restore rows as the Backups tab reads them. */
export interface BackupRow {
  id: string;
  kind: string;
  status: "PENDING" | "RUNNING" | "DONE" | "FAILED";
  withFilestore: boolean;
  neutralized: boolean;
  odooSeries: string | null;
  sizeBytes: number | null;
  verifyStatus: "PENDING" | "VERIFIED" | "FAILED";
  verifyMessage: string | null;
  error: string | null;
  progress: number;
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface RestoreRow {
  id: string;
  backupId: string | null;
  status: "PENDING" | "RUNNING" | "DONE" | "FAILED";
  progress: number;
  message: string | null;
  error: string | null;
  safetyBackupId: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export function isActive(status: string): boolean {
  return status === "PENDING" || status === "RUNNING";
}
