// The project's Status page: per production branch, uptime over 24 h, 7 d and 30 d, hourly
// bars for the last day, daily bars for the last 90, the current state and the incidents.
// Seen by whoever may see the production branch (its History).
import { prisma } from "@gantry/db";
import { type Actor, assertCan } from "../access";
import { AppError } from "../errors";
import { type Bar, barsOf, incidentDurationMs, type ProbeCounts, uptimePercent } from "./arithmetic";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A probe older than this says nothing about now: the probe is not running. */
const staleMs = 5 * 60_000;
const incidentLimit = 50;

export interface BranchStatus {
  branchId: string;
  name: string;
  state: "up" | "down" | "maintenance" | "unknown";
  lastProbe: { at: string; outcome: string; latencyMs: number | null; httpStatus: number | null } | null;
  uptime: { day: number | null; week: number | null; month: number | null };
  hours: Bar[];
  days: Bar[];
  incidents: {
    id: string;
    buildId: string | null;
    startedAt: string;
    endedAt: string | null;
    durationMs: number;
    cause: string;
    detail: string | null;
  }[];
}

export interface ProjectStatus {
  projectId: string;
  checkedAt: string;
  downAlertMinutes: number;
  branches: BranchStatus[];
}

type CountRow = { up: number; down: number; maintenance: number };
const counts = (row: CountRow | undefined): ProbeCounts =>
  row ? { up: row.up, down: row.down, maintenance: row.maintenance } : { up: 0, down: 0, maintenance: 0 };

async function windowCounts(branchIds: string[], now: Date) {
  const since = (ms: number) => new Date(now.getTime() - ms);
  const rows = await prisma().$queryRaw<
    ({ branchId: string; window: string } & CountRow)[]
  >`SELECT "branchId", w.name AS window,
           count(*) FILTER (WHERE outcome = 'UP')::int AS up,
           count(*) FILTER (WHERE outcome = 'DOWN')::int AS down,
           count(*) FILTER (WHERE outcome = 'MAINTENANCE')::int AS maintenance
      FROM "ProductionProbe" p
      JOIN (VALUES ('day', ${since(DAY)}::timestamptz), ('week', ${since(7 * DAY)}::timestamptz),
                   ('month', ${since(30 * DAY)}::timestamptz)) AS w(name, since) ON p.at >= w.since
     WHERE p."branchId" = ANY(${branchIds}::text[]) AND p.at >= ${since(30 * DAY)} AND p.at <= ${now}
     GROUP BY "branchId", w.name`;
  return (branchId: string, window: string) =>
    counts(rows.find((r) => r.branchId === branchId && r.window === window));
}

async function hourBars(branchIds: string[], now: Date) {
  const rows = await prisma().$queryRaw<({ branchId: string; start: number } & CountRow)[]>`
    SELECT "branchId", (extract(epoch FROM date_trunc('hour', at)) * 1000)::float8 AS start,
           count(*) FILTER (WHERE outcome = 'UP')::int AS up,
           count(*) FILTER (WHERE outcome = 'DOWN')::int AS down,
           count(*) FILTER (WHERE outcome = 'MAINTENANCE')::int AS maintenance
      FROM "ProductionProbe"
     WHERE "branchId" = ANY(${branchIds}::text[]) AND at >= ${new Date(now.getTime() - 24 * HOUR)}
       AND at <= ${now}
     GROUP BY 1, 2`;
  return (branchId: string) =>
    barsOf(
      new Map(rows.filter((r) => r.branchId === branchId).map((r) => [r.start, counts(r)])),
      now,
      HOUR,
      24,
    );
}

async function dayBars(branchIds: string[], now: Date) {
  const rows = await prisma().productionUptimeDay.findMany({
    where: { branchId: { in: branchIds }, day: { gte: new Date(now.getTime() - 90 * DAY) } },
  });
  return (branchId: string) =>
    barsOf(
      new Map(rows.filter((r) => r.branchId === branchId).map((r) => [r.day.getTime(), counts(r)])),
      now,
      DAY,
      90,
    );
}

export async function projectStatus(
  actor: Actor,
  projectId: string,
  now = new Date(),
): Promise<ProjectStatus> {
  assertCan(actor, "history", { projectId, stage: "PRODUCTION" });
  const project = await prisma().project.findFirst({
    where: { id: projectId, deletionRequestedAt: null },
    select: { downAlertMinutes: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  const branches = await prisma().branch.findMany({
    where: { projectId, stage: "PRODUCTION" },
    orderBy: { position: "asc" },
    select: { id: true, name: true },
  });
  const ids = branches.map((b) => b.id);
  const [windows, hours, days, lastProbes, incidents] = await Promise.all([
    windowCounts(ids, now),
    hourBars(ids, now),
    dayBars(ids, now),
    prisma().productionProbe.findMany({
      where: { branchId: { in: ids }, at: { lte: now } },
      orderBy: [{ branchId: "asc" }, { at: "desc" }],
      distinct: ["branchId"],
    }),
    prisma().productionIncident.findMany({
      where: { branchId: { in: ids }, startedAt: { gte: new Date(now.getTime() - 90 * DAY), lte: now } },
      orderBy: { startedAt: "desc" },
    }),
  ]);
  return {
    projectId,
    checkedAt: now.toISOString(),
    downAlertMinutes: project.downAlertMinutes,
    branches: branches.map((branch) => {
      const last = lastProbes.find((p) => p.branchId === branch.id);
      const open = incidents.some((i) => i.branchId === branch.id && i.endedAt === null);
      const fresh = last !== undefined && now.getTime() - last.at.getTime() <= staleMs;
      const state: BranchStatus["state"] = open
        ? "down"
        : !fresh
          ? "unknown"
          : last.outcome === "MAINTENANCE"
            ? "maintenance"
            : last.outcome === "UP"
              ? "up"
              : "down";
      return {
        branchId: branch.id,
        name: branch.name,
        state,
        lastProbe: last
          ? {
              at: last.at.toISOString(),
              outcome: last.outcome,
              latencyMs: last.latencyMs,
              httpStatus: last.httpStatus,
            }
          : null,
        uptime: {
          day: uptimePercent(windows(branch.id, "day")),
          week: uptimePercent(windows(branch.id, "week")),
          month: uptimePercent(windows(branch.id, "month")),
        },
        hours: hours(branch.id),
        days: days(branch.id),
        incidents: incidents
          .filter((i) => i.branchId === branch.id)
          .slice(0, incidentLimit)
          .map((i) => ({
            id: i.id,
            buildId: i.buildId,
            startedAt: i.startedAt.toISOString(),
            endedAt: i.endedAt?.toISOString() ?? null,
            durationMs: incidentDurationMs(i, now),
            cause: i.cause,
            detail: i.detail,
          })),
      };
    }),
  };
}
