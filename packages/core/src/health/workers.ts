/** A worker as the status page shows it: the fields every heartbeat carries, the rest kept. */
export interface WorkerBeat {
  workerId: string;
  lastSeen: string;
  [key: string]: unknown;
}

function toMillis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  if (typeof value === "string") return new Date(value).getTime();
  return Number.NaN;
}

/** Heartbeats younger than `ttlMs`, newest first, with `lastSeen` as an ISO timestamp. */
export function liveWorkers(
  beats: readonly { workerId: string; lastSeen: unknown }[],
  ttlMs: number,
  now = Date.now(),
): WorkerBeat[] {
  return beats
    .map((beat) => ({ beat, at: toMillis(beat.lastSeen) }))
    .filter(({ at }) => Number.isFinite(at) && now - at <= ttlMs)
    .sort((a, b) => b.at - a.at)
    .map(({ beat, at }) => ({ ...beat, lastSeen: new Date(at).toISOString() }));
}
