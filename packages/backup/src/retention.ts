/**
 * Odoo.sh's backup retention as a pure function.
 *
 * Ages are whole UTC calendar days between the backup's day and today's (0 = today).
 * Automatic (daily) backups fill 14 slots, keeping the newest backup of each slot:
 *  - 7 daily slots: ages 0..6, one per day;
 *  - 4 weekly slots: ages 7..34, the 7-day blocks [7..13], [14..20], [21..27], [28..34];
 *  - 3 monthly slots: ages 35..124, the 30-day blocks [35..64], [65..94], [95..124].
 * Older automatic backups go. So at most 14 automatic backups are kept, and with one backup
 * a day exactly 14 once the history is long enough.
 * Other kinds are kept for a fixed time from their creation (see `keepDaysByKind`): manual
 * 30 days, update (before a production update) 14 days, upgrade (before a major upgrade)
 * 90 days, import 30 days.
 * Whatever the rules say, the newest verified backup is never deleted: there is always one
 * backup proven restorable.
 */
export type BackupKind = "daily" | "manual" | "update" | "upgrade" | "import";

export interface RetainedBackup {
  id: string;
  createdAt: Date;
  kind: BackupKind;
  verified: boolean;
}

export type KeepReason = "daily" | "weekly" | "monthly" | "kind" | "newest-verified" | "future";

export interface RetentionDecision {
  keep: Map<string, KeepReason>;
  delete: string[];
}

export const keepDaysByKind: Record<Exclude<BackupKind, "daily">, number> = {
  manual: 30,
  update: 14,
  upgrade: 90,
  import: 30,
};

const DAY = 86_400_000;

export function ageInDays(createdAt: Date, now: Date): number {
  const day = (d: Date) => Math.floor(d.getTime() / DAY);
  return day(now) - day(createdAt);
}

/** The slot an automatic backup of this age falls into, or undefined when too old. */
export function automaticSlot(age: number): { slot: string; reason: KeepReason } | undefined {
  if (age < 0) return undefined;
  if (age <= 6) return { slot: `d${age}`, reason: "daily" };
  if (age <= 34) return { slot: `w${Math.floor((age - 7) / 7)}`, reason: "weekly" };
  if (age <= 124) return { slot: `m${Math.floor((age - 35) / 30)}`, reason: "monthly" };
  return undefined;
}

function newer(a: RetainedBackup, b: RetainedBackup): boolean {
  const d = a.createdAt.getTime() - b.createdAt.getTime();
  return d > 0 || (d === 0 && a.id > b.id);
}

export function applyRetention(backups: readonly RetainedBackup[], now: Date): RetentionDecision {
  const keep = new Map<string, KeepReason>();
  const bestPerSlot = new Map<string, { backup: RetainedBackup; reason: KeepReason }>();
  for (const b of backups) {
    const age = ageInDays(b.createdAt, now);
    if (b.createdAt.getTime() > now.getTime()) {
      keep.set(b.id, "future");
      continue;
    }
    if (b.kind === "daily") {
      const slot = automaticSlot(age);
      if (!slot) continue;
      const current = bestPerSlot.get(slot.slot);
      if (!current || newer(b, current.backup))
        bestPerSlot.set(slot.slot, { backup: b, reason: slot.reason });
    } else if (now.getTime() - b.createdAt.getTime() < keepDaysByKind[b.kind] * DAY) {
      keep.set(b.id, "kind");
    }
  }
  for (const { backup, reason } of bestPerSlot.values()) keep.set(backup.id, reason);
  let newestVerified: RetainedBackup | undefined;
  for (const b of backups)
    if (b.verified && (!newestVerified || newer(b, newestVerified))) newestVerified = b;
  if (newestVerified && !keep.has(newestVerified.id)) keep.set(newestVerified.id, "newest-verified");
  return { keep, delete: backups.filter((b) => !keep.has(b.id)).map((b) => b.id) };
}

export const MAX_MANUAL_BACKUPS_PER_DAY = 5;

/** At most 5 manual backups a day per branch; the 6th is refused with a message for the user. */
export function manualBackupAllowed(
  existingToday: number,
): { allowed: true } | { allowed: false; message: string } {
  if (existingToday < MAX_MANUAL_BACKUPS_PER_DAY) return { allowed: true };
  return {
    allowed: false,
    message: `At most ${MAX_MANUAL_BACKUPS_PER_DAY} manual backups a day per branch: ${existingToday} already made today. Try again tomorrow (UTC).`,
  };
}
