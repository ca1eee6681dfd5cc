// Uptime arithmetic, kept apart from the queries so that it is tested on its own: a percent
// counts answered probes against answered plus failed ones, never the probes taken during a
// deploy, update, upgrade or restore (maintenance), and a window without any is unknown, not
// 100 %.

export type ProbeOutcome = "UP" | "DOWN" | "MAINTENANCE";

export interface ProbeCounts {
  up: number;
  down: number;
  maintenance: number;
}

export const noProbes: ProbeCounts = { up: 0, down: 0, maintenance: 0 };

/** Percent of counted probes that answered, to three decimals; null when none was counted. */
export function uptimePercent(counts: ProbeCounts): number | null {
  const counted = counts.up + counts.down;
  if (counted === 0) return null;
  return Math.round((counts.up / counted) * 100_000) / 1000;
}

export interface Bar extends ProbeCounts {
  /** Start of the bar (ISO). */
  from: string;
  percent: number | null;
}

/**
 * `count` bars of `stepMs` each, the last one holding `now`, from counts keyed by each bar's
 * start in milliseconds; bars nothing was recorded in are empty (percent null).
 */
export function barsOf(
  counts: ReadonlyMap<number, ProbeCounts>,
  now: Date,
  stepMs: number,
  count: number,
): Bar[] {
  const lastStart = Math.floor(now.getTime() / stepMs) * stepMs;
  const bars: Bar[] = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const start = lastStart - i * stepMs;
    const found = counts.get(start) ?? noProbes;
    bars.push({ from: new Date(start).toISOString(), ...found, percent: uptimePercent(found) });
  }
  return bars;
}

export interface OpenIncident {
  startedAt: Date;
  downNotifiedAt: Date | null;
}

/** What one probe does to a branch's incident. */
export type IncidentStep =
  | { kind: "none" }
  /** A second failure in a row: the incident starts at the first one. */
  | { kind: "open"; startedAt: Date }
  | { kind: "extend" }
  | { kind: "close"; endedAt: Date };

/**
 * The incident rule. `previous` is the branch's last probe before this one that was not taken
 * during maintenance (a deploy neither breaks nor starts a run of failures); it must be recent
 * (`streakGapMs`) for two failures to count as consecutive, since a worker that stopped
 * probing for an hour saw nothing in between.
 */
export function incidentStep(
  open: OpenIncident | null,
  previous: { outcome: ProbeOutcome; at: Date } | null,
  probe: { outcome: ProbeOutcome; at: Date },
  streakGapMs: number,
): IncidentStep {
  if (probe.outcome === "MAINTENANCE") return { kind: "none" };
  if (probe.outcome === "UP") return open ? { kind: "close", endedAt: probe.at } : { kind: "none" };
  if (open) return { kind: "extend" };
  const consecutive =
    previous?.outcome === "DOWN" && probe.at.getTime() - previous.at.getTime() <= streakGapMs;
  return consecutive && previous ? { kind: "open", startedAt: previous.at } : { kind: "none" };
}

/** An open incident is "production down" once it has lasted `minutes`, and is announced once. */
export function downAlertDue(open: OpenIncident, now: Date, minutes: number): boolean {
  return open.downNotifiedAt === null && now.getTime() - open.startedAt.getTime() >= minutes * 60_000;
}

/** How long an incident lasted, or has lasted so far. */
export function incidentDurationMs(incident: { startedAt: Date; endedAt: Date | null }, now: Date): number {
  return (incident.endedAt ?? now).getTime() - incident.startedAt.getTime();
}
