// Production moves to a new Odoo revision at a fixed hour of the day (UTC), like the daily backup.

/** The next time the clock shows `hour`:00 UTC, strictly after `now`. */
export function nextUpdateWindow(hour: number, now = new Date()): Date {
  const at = new Date(now);
  at.setUTCHours(hour, 0, 0, 0);
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}
