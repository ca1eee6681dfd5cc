import { z } from "zod";
import { defineJob } from "./define";

const id = z.string().min(1).max(100);
const hours = (n: number) => n * 60 * 60 * 1000;

/**
 * The catalog of the `backups` queue. Every job carries row ids only; job ids are stable
 * (`backup-<id>`, `backup-verify-<id>`, `restore-<id>`), so enqueueing twice adds one job.
 */
export const backupJobs = {
  "backups.run": defineJob({
    queue: "backups",
    description:
      "Takes one backup (its PENDING Backup row) of a branch's live database and filestore into " +
      "backup storage, then queues its verification.",
    payload: z.object({ backupId: id }).strict(),
    result: z.object({ status: z.string(), sizeBytes: z.number().optional() }).passthrough(),
    // A crash mid-way fails the row at the next start; the scheduler tries again tomorrow.
    attempts: 1,
    timeoutMs: hours(4),
  }),
  "backups.verify": defineJob({
    queue: "backups",
    description:
      "Restores a backup into a scratch database and folder, compares modules, row counts and " +
      "file checksums with its manifest, drops the scratch copy and marks it VERIFIED or FAILED.",
    payload: z.object({ backupId: id }).strict(),
    result: z.object({ status: z.string(), problems: z.array(z.string()).optional() }).passthrough(),
    attempts: 2,
    backoff: { type: "fixed", delayMs: 60_000 },
    timeoutMs: hours(4),
  }),
  "backups.restore": defineJob({
    queue: "backups",
    description:
      "Restores a backup into a branch's live database and filestore (its BackupRestore row): a " +
      "SAFETY backup first, then a swap that leaves the old database in place on failure.",
    payload: z.object({ restoreId: id }).strict(),
    result: z.object({ status: z.string() }).passthrough(),
    attempts: 1,
    timeoutMs: hours(6),
  }),
  "backups.import": defineJob({
    queue: "backups",
    description:
      "Checks an uploaded Odoo archive (hostile-archive checks, series), stores it as an IMPORT " +
      "backup and restores it into the branch like a restore.",
    payload: z
      .object({
        restoreId: id,
        upload: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/),
        // Crons and mail servers off after the import; always so on staging.
        neutralize: z.boolean().default(true),
      })
      .strict(),
    result: z.object({ status: z.string() }).passthrough(),
    attempts: 1,
    timeoutMs: hours(6),
  }),
  "backups.daily": defineJob({
    queue: "backups",
    description:
      "The daily automatic backup: queues a DAILY backup of every production branch that has a " +
      "serving build (run by the job scheduler at BACKUP_DAILY_HOUR), and drops restore roles that " +
      "outlived their restore.",
    payload: z.object({}).strict(),
    result: z.object({ queued: z.array(z.string()), droppedRestoreRoles: z.array(z.string()) }),
    attempts: 1,
    timeoutMs: 10 * 60 * 1000,
  }),
  "backups.retention": defineJob({
    queue: "backups",
    description:
      "Applies the retention schedule to one branch (7 daily, 4 weekly, 3 monthly; other kinds " +
      "by age; the newest verified backup always kept) and deletes the archives that fall out.",
    payload: z.object({ branchId: id }).strict(),
    result: z.object({ deleted: z.array(z.string()) }),
    attempts: 2,
    backoff: { type: "fixed", delayMs: 30_000 },
    timeoutMs: 10 * 60 * 1000,
  }),
} as const;

export function backupJobId(backupId: string): string {
  return `backup-${backupId}`;
}

export function backupVerifyJobId(backupId: string): string {
  return `backup-verify-${backupId}`;
}

export function restoreJobId(restoreId: string): string {
  return `restore-${restoreId}`;
}

export function retentionJobId(branchId: string, at: Date = new Date()): string {
  return `retention-${branchId}-${at.getTime()}`;
}

/** The id of the job scheduler that fires `backups.daily`; one per installation. */
export const dailyBackupSchedulerId = "backups-daily";
