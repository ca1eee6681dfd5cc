// Roll-ups and retention of the Monitor's samples: raw samples for a day, per-minute
// aggregates for a week, hourly ones for three months. Each run re-aggregates a recent window
// from the raw samples (an upsert), so a late or repeated run changes nothing it should not,
// and the bucket still filling shows on the charts.
import { prisma } from "@gantry/db";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const metricRetention = { rawMs: DAY, minuteMs: 7 * DAY, hourMs: 90 * DAY } as const;

/** How far back each run re-aggregates: a missed run or two is caught up. */
const lookback = { MINUTE: 15 * MINUTE, HOUR: 3 * HOUR } as const;

export type Resolution = keyof typeof lookback;

/** Aggregates raw samples in [from, to) into `resolution` buckets; returns the rows written. */
export async function rollUpMetrics(resolution: Resolution, from: Date, to: Date): Promise<number> {
  const unit = resolution === "MINUTE" ? "minute" : "hour";
  return prisma().$executeRaw`
    INSERT INTO "BuildMetricRollup" ("buildId", resolution, at, samples, "cpuPercent", "cpuPercentMax",
      "memoryBytes", "memoryBytesMax", "memoryLimitBytes", "dbSizeBytes", "dbConnections",
      "dbConnectionsMax", "longestQuerySeconds", "filestoreBytes", "httpRequests", "http4xx", "http5xx",
      "httpP50Ms", "httpP95Ms", "httpConcurrentMax", "odooWorkerRecycles", "odooCronTimeouts")
    SELECT "buildId", ${resolution}::"MetricResolution", date_trunc(${unit}, at), count(*)::int,
           avg("cpuPercent"), max("cpuPercent"), avg("memoryBytes")::bigint, max("memoryBytes"),
           max("memoryLimitBytes"), max("dbSizeBytes"), avg("dbConnections"), max("dbConnections"),
           max("longestQuerySeconds"), max("filestoreBytes"), sum("httpRequests")::int, sum("http4xx")::int,
           sum("http5xx")::int, avg("httpP50Ms"), max("httpP95Ms"), max("httpConcurrentMax"),
           sum("odooWorkerRecycles")::int, sum("odooCronTimeouts")::int
      FROM "BuildMetric"
     WHERE at >= date_trunc(${unit}, ${from}::timestamptz) AND at < ${to}
     GROUP BY 1, 3
    ON CONFLICT ("buildId", resolution, at) DO UPDATE SET
      samples = EXCLUDED.samples, "cpuPercent" = EXCLUDED."cpuPercent",
      "cpuPercentMax" = EXCLUDED."cpuPercentMax", "memoryBytes" = EXCLUDED."memoryBytes",
      "memoryBytesMax" = EXCLUDED."memoryBytesMax", "memoryLimitBytes" = EXCLUDED."memoryLimitBytes",
      "dbSizeBytes" = EXCLUDED."dbSizeBytes", "dbConnections" = EXCLUDED."dbConnections",
      "dbConnectionsMax" = EXCLUDED."dbConnectionsMax",
      "longestQuerySeconds" = EXCLUDED."longestQuerySeconds", "filestoreBytes" = EXCLUDED."filestoreBytes",
      "httpRequests" = EXCLUDED."httpRequests", "http4xx" = EXCLUDED."http4xx", "http5xx" = EXCLUDED."http5xx",
      "httpP50Ms" = EXCLUDED."httpP50Ms", "httpP95Ms" = EXCLUDED."httpP95Ms",
      "httpConcurrentMax" = EXCLUDED."httpConcurrentMax", "odooWorkerRecycles" = EXCLUDED."odooWorkerRecycles",
      "odooCronTimeouts" = EXCLUDED."odooCronTimeouts"`;
}

/** Deletes what is past its keep; returns the rows deleted per kind. */
export async function pruneMetrics(now: Date) {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const raw = await prisma().buildMetric.deleteMany({ where: { at: { lt: before(metricRetention.rawMs) } } });
  const minute = await prisma().buildMetricRollup.deleteMany({
    where: { resolution: "MINUTE", at: { lt: before(metricRetention.minuteMs) } },
  });
  const hour = await prisma().buildMetricRollup.deleteMany({
    where: { resolution: "HOUR", at: { lt: before(metricRetention.hourMs) } },
  });
  return { raw: raw.count, minute: minute.count, hour: hour.count };
}

/** One scheduled run: the recent minutes and hours rolled up, then retention. */
export async function maintainMetrics(now = new Date()) {
  const minutes = await rollUpMetrics("MINUTE", new Date(now.getTime() - lookback.MINUTE), now);
  const hours = await rollUpMetrics("HOUR", new Date(now.getTime() - lookback.HOUR), now);
  return { minutes, hours, pruned: await pruneMetrics(now) };
}
