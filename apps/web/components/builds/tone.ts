/** How a build's state looks everywhere: Odoo.sh's colours, blue while it runs. */
export interface Tone {
  label: string;
  badge: string;
  bar: string;
}

export function toneOf(build: { status: string; result: string | null }): Tone {
  if (build.status === "WAITING")
    return { label: "waiting", badge: "bg-amber-100 text-amber-800", bar: "bg-amber-400" };
  if (build.status === "QUEUED")
    return { label: "queued", badge: "bg-slate-100 text-slate-700", bar: "bg-slate-400" };
  if (build.status === "RUNNING")
    return { label: "building", badge: "bg-sky-100 text-sky-800", bar: "bg-sky-500" };
  if (build.status === "CANCELLED")
    return { label: "cancelled", badge: "bg-slate-100 text-slate-500", bar: "bg-slate-400" };
  if (build.result === "SUCCESS")
    return { label: "success", badge: "bg-green-100 text-green-800", bar: "bg-green-500" };
  if (build.result === "WARNING")
    return { label: "warning", badge: "bg-yellow-100 text-yellow-800", bar: "bg-yellow-400" };
  return { label: "failed", badge: "bg-red-100 text-red-800", bar: "bg-red-500" };
}

export function isEnded(status: string): boolean {
  return status === "DONE" || status === "CANCELLED";
}

/** "3 s", "2 min 05 s", "1 h 04 min"; a build not started yet has no duration. */
export function duration(startedAt: string | null, finishedAt: string | null, now: number): string {
  if (!startedAt) return "—";
  const seconds = Math.max(
    0,
    Math.round(((finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt)) / 1000),
  );
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Overall progress: each phase weighs the same; done and skipped phases count in full. */
export function overallProgress(phases: { status: string; progress: number }[]): number {
  if (phases.length === 0) return 0;
  const total = phases.reduce(
    (sum, p) =>
      sum + (p.status === "DONE" || p.status === "SKIPPED" ? 100 : p.status === "PENDING" ? 0 : p.progress),
    0,
  );
  return Math.round(total / phases.length);
}
