// One probe's result written down: the probe row, its day's count, and what it does to the
// branch's incident (incidentStep), with "production down" and "back up" announced once each.
import { prisma } from "@gantry/db";
import { downAlertDue, incidentStep, type ProbeOutcome } from "./arithmetic";
import { type IncidentNotice, onProductionDown, onProductionUp } from "./events";
import type { ProbeTarget } from "./targets";

export interface ProbeResult {
  outcome: ProbeOutcome;
  latencyMs: number | null;
  httpStatus: number | null;
  /** Why it was down, as one of a few words (probe.ts); null when up. */
  cause: string | null;
  /** A short fact of Gantry's own making (an exit code, an HTTP status), never the build's text. */
  detail: string | null;
}

/** Two failures with at most two missed cycles between them are consecutive. */
export const streakGapMs = 3 * 60_000;

export interface Recorded {
  incident: "none" | "opened" | "extended" | "closed";
  announced: "down" | "up" | null;
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

async function countDay(branchId: string, at: Date, outcome: ProbeOutcome): Promise<void> {
  const up = outcome === "UP" ? 1 : 0;
  const down = outcome === "DOWN" ? 1 : 0;
  const maintenance = outcome === "MAINTENANCE" ? 1 : 0;
  await prisma().$executeRaw`
    INSERT INTO "ProductionUptimeDay" ("branchId", day, up, down, maintenance)
    VALUES (${branchId}, ${utcDay(at)}::date, ${up}, ${down}, ${maintenance})
    ON CONFLICT ("branchId", day) DO UPDATE
       SET up = "ProductionUptimeDay".up + EXCLUDED.up,
           down = "ProductionUptimeDay".down + EXCLUDED.down,
           maintenance = "ProductionUptimeDay".maintenance + EXCLUDED.maintenance`;
}

const noticeOf = (incident: IncidentNotice): IncidentNotice => ({
  id: incident.id,
  projectId: incident.projectId,
  branchId: incident.branchId,
  buildId: incident.buildId,
  startedAt: incident.startedAt,
  endedAt: incident.endedAt,
  cause: incident.cause,
});

/** Writes the probe of `target` taken at `at`; a second probe at the same instant changes nothing. */
export async function recordProbe(target: ProbeTarget, result: ProbeResult, at: Date): Promise<Recorded> {
  const db = prisma();
  const previous = await db.productionProbe.findFirst({
    where: { branchId: target.branchId, at: { lt: at }, outcome: { not: "MAINTENANCE" } },
    orderBy: { at: "desc" },
    select: { outcome: true, at: true },
  });
  const { count } = await db.productionProbe.createMany({
    data: [
      {
        branchId: target.branchId,
        at,
        buildId: target.buildId,
        outcome: result.outcome,
        latencyMs: result.latencyMs,
        httpStatus: result.httpStatus,
        cause: result.cause,
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) return { incident: "none", announced: null };
  await countDay(target.branchId, at, result.outcome);

  let open = await db.productionIncident.findFirst({
    where: { branchId: target.branchId, endedAt: null },
    orderBy: { startedAt: "desc" },
  });
  const step = incidentStep(open, previous, { outcome: result.outcome, at }, streakGapMs);
  const recorded: Recorded = { incident: "none", announced: null };
  if (step.kind === "open") {
    open = await db.productionIncident.create({
      data: {
        projectId: target.projectId,
        branchId: target.branchId,
        buildId: target.buildId,
        startedAt: step.startedAt,
        cause: result.cause ?? "unknown",
        detail: result.detail,
        failures: 2,
      },
    });
    recorded.incident = "opened";
  } else if (step.kind === "extend" && open) {
    await db.productionIncident.update({ where: { id: open.id }, data: { failures: { increment: 1 } } });
    recorded.incident = "extended";
  } else if (step.kind === "close" && open) {
    const closed = await db.productionIncident.updateMany({
      where: { id: open.id, endedAt: null },
      data: { endedAt: step.endedAt, ...(open.downNotifiedAt ? { upNotifiedAt: at } : {}) },
    });
    recorded.incident = "closed";
    if (closed.count === 1 && open.downNotifiedAt) {
      await onProductionUp(noticeOf({ ...open, endedAt: step.endedAt }));
      recorded.announced = "up";
    }
    return recorded;
  }
  // A deploy window does not make an outage longer: the alert waits for a real failure.
  if (open && result.outcome === "DOWN" && downAlertDue(open, at, target.downAlertMinutes)) {
    const marked = await db.productionIncident.updateMany({
      where: { id: open.id, downNotifiedAt: null },
      data: { downNotifiedAt: at },
    });
    if (marked.count === 1) {
      await onProductionDown(noticeOf(open), at);
      recorded.announced = "down";
    }
  }
  return recorded;
}

/** Probes are kept 35 days (the 30-day uptime reads them), day counts 400 (the 90-day strip). */
export const probeRetentionDays = 35;
export const uptimeDayRetentionDays = 400;

export async function pruneProbes(now: Date): Promise<{ probes: number; days: number }> {
  const day = 86_400_000;
  const probes = await prisma().productionProbe.deleteMany({
    where: { at: { lt: new Date(now.getTime() - probeRetentionDays * day) } },
  });
  const days = await prisma().productionUptimeDay.deleteMany({
    where: { day: { lt: new Date(now.getTime() - uptimeDayRetentionDays * day) } },
  });
  return { probes: probes.count, days: days.count };
}
