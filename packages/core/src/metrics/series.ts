// A build's figures over a range, for the Monitor tab behind the "monitoring" right of its
// stage: the resolution follows the range (raw samples for an hour, minutes for a day, ten
// minutes from the minutes for a week, hours for a month), as columns a chart draws directly.
import { Prisma, prisma } from "@gantry/db";
import { type Actor, assertCan } from "../access";
import { isServing } from "../builds/serving";
import { AppError } from "../errors";
import { type Annotation, annotationsOf } from "./annotations";

export const metricRanges = ["hour", "day", "week", "month"] as const;
export type MetricRange = (typeof metricRanges)[number];

const MINUTE = 60_000;
const plans: Record<MetricRange, { spanMs: number; source: "raw" | "MINUTE" | "HOUR"; binMinutes: number }> =
  {
    hour: { spanMs: 60 * MINUTE, source: "raw", binMinutes: 0 },
    day: { spanMs: 24 * 60 * MINUTE, source: "MINUTE", binMinutes: 1 },
    week: { spanMs: 7 * 24 * 60 * MINUTE, source: "MINUTE", binMinutes: 10 },
    month: { spanMs: 30 * 24 * 60 * MINUTE, source: "HOUR", binMinutes: 60 },
  };

interface Row {
  at: Date;
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  dbSizeBytes: number | null;
  dbConnections: number | null;
  longestQuerySeconds: number | null;
  filestoreBytes: number | null;
  httpRequests: number | null;
  http4xx: number | null;
  http5xx: number | null;
  httpP50Ms: number | null;
  httpP95Ms: number | null;
  httpConcurrentMax: number | null;
  odooWorkerRecycles: number | null;
  odooCronTimeouts: number | null;
}

export const metricColumns = [
  "cpuPercent",
  "memoryBytes",
  "memoryLimitBytes",
  "dbSizeBytes",
  "dbConnections",
  "longestQuerySeconds",
  "filestoreBytes",
  "httpRequests",
  "http4xx",
  "http5xx",
  "httpP50Ms",
  "httpP95Ms",
  "httpConcurrentMax",
  "odooWorkerRecycles",
  "odooCronTimeouts",
] as const;
export type MetricColumn = (typeof metricColumns)[number];

function readRaw(buildId: string, from: Date) {
  return prisma().$queryRaw<Row[]>`
    SELECT at, "cpuPercent", "memoryBytes"::float8 AS "memoryBytes",
           "memoryLimitBytes"::float8 AS "memoryLimitBytes", "dbSizeBytes"::float8 AS "dbSizeBytes",
           "dbConnections", "longestQuerySeconds", "filestoreBytes"::float8 AS "filestoreBytes",
           "httpRequests", "http4xx", "http5xx", "httpP50Ms", "httpP95Ms", "httpConcurrentMax",
           "odooWorkerRecycles", "odooCronTimeouts"
      FROM "BuildMetric" WHERE "buildId" = ${buildId} AND at >= ${from} ORDER BY at`;
}

/** Rollups of one resolution, gathered into bins of `binMinutes` (averages weighted by samples). */
function readRollups(buildId: string, resolution: "MINUTE" | "HOUR", from: Date, binMinutes: number) {
  const bin = Prisma.sql`date_bin(make_interval(mins => ${binMinutes}::int), at, 'epoch'::timestamptz)`;
  return prisma().$queryRaw<Row[]>`
    SELECT ${bin} AS at,
           (sum("cpuPercent" * samples) / nullif(sum(samples) FILTER (WHERE "cpuPercent" IS NOT NULL), 0))::float8 AS "cpuPercent",
           (sum("memoryBytes" * samples) / nullif(sum(samples) FILTER (WHERE "memoryBytes" IS NOT NULL), 0))::float8 AS "memoryBytes",
           max("memoryLimitBytes")::float8 AS "memoryLimitBytes", max("dbSizeBytes")::float8 AS "dbSizeBytes",
           (sum("dbConnections" * samples) / nullif(sum(samples) FILTER (WHERE "dbConnections" IS NOT NULL), 0))::float8 AS "dbConnections",
           max("longestQuerySeconds")::float8 AS "longestQuerySeconds", max("filestoreBytes")::float8 AS "filestoreBytes",
           sum("httpRequests")::float8 AS "httpRequests", sum("http4xx")::float8 AS "http4xx",
           sum("http5xx")::float8 AS "http5xx",
           (sum("httpP50Ms" * samples) / nullif(sum(samples) FILTER (WHERE "httpP50Ms" IS NOT NULL), 0))::float8 AS "httpP50Ms",
           max("httpP95Ms")::float8 AS "httpP95Ms", max("httpConcurrentMax")::float8 AS "httpConcurrentMax",
           sum("odooWorkerRecycles")::float8 AS "odooWorkerRecycles", sum("odooCronTimeouts")::float8 AS "odooCronTimeouts"
      FROM "BuildMetricRollup"
     WHERE "buildId" = ${buildId} AND resolution = ${resolution}::"MetricResolution" AND at >= ${from}
     GROUP BY 1 ORDER BY 1`;
}

export interface BuildMetrics {
  range: MetricRange;
  /** Seconds between points. */
  stepSeconds: number;
  from: Date;
  to: Date;
  state: "serving" | "asleep" | "stopped";
  /** `at` in Unix milliseconds, then one column per figure, aligned with it. */
  series: { at: number[] } & Record<MetricColumn, (number | null)[]>;
  annotations: Annotation[];
}

export async function buildMetrics(
  actor: Actor,
  buildId: string,
  range: MetricRange,
  intervalSeconds: number,
): Promise<BuildMetrics> {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: {
      id: true,
      projectId: true,
      branchId: true,
      stage: true,
      servingAt: true,
      cleanedAt: true,
      sleepingSince: true,
    },
  });
  if (!build) throw new AppError("not_found", "build not found");
  assertCan(actor, "monitoring", { projectId: build.projectId, stage: build.stage });
  const plan = plans[range];
  const to = new Date();
  const from = new Date(to.getTime() - plan.spanMs);
  const [rows, annotations] = await Promise.all([
    plan.source === "raw" ? readRaw(buildId, from) : readRollups(buildId, plan.source, from, plan.binMinutes),
    annotationsOf(build, from, to),
  ]);
  const series = { at: rows.map((r) => r.at.getTime()) } as BuildMetrics["series"];
  for (const column of metricColumns)
    series[column] = rows.map((r) => (r[column] === null ? null : Number(r[column])));
  return {
    range,
    stepSeconds: plan.source === "raw" ? intervalSeconds : plan.binMinutes * 60,
    from,
    to,
    state: build.sleepingSince ? "asleep" : isServing(build) ? "serving" : "stopped",
    series,
    annotations,
  };
}
