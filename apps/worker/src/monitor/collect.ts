// One cycle of the Monitor's collector: every serving, awake build gets one sample. Containers
// are read from their cgroup files (runtime.usage; no second-long stats call per container),
// databases with one query per server, sizes from a cache refreshed every few minutes, HTTP
// from the proxy's access log and Odoo's worker events from odoo.log, each read on from where
// the previous cycle stopped; one INSERT writes it all. The database servers' slow statements
// are handed to their builds' logs on the way.
import { config } from "@gantry/config";
import {
  checkDiskThresholds,
  cpuPercentBetween,
  type HttpFigures,
  type Logger,
  type MonitoredBuild,
  monitoredBuilds,
  previousReadings,
  recordSamples,
  type Sample,
} from "@gantry/core";
import type { QueueContext } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import type { JobHandler } from "../handler";
import { filestoreOf, odooDataDirOf } from "../shared/workspace";
import { databaseFigures } from "./database-figures";
import { readHttpFigures } from "./http-figures";
import { readOdooEvents } from "./odoo-events";
import { cachedSize, directoryBytes, keepSizesOf, rememberSize } from "./sizes";
import { collectSlowQueries } from "./slow-queries";

const emptyHttp: HttpFigures = {
  httpRequests: 0,
  http4xx: 0,
  http5xx: 0,
  httpP50Ms: null,
  httpP95Ms: null,
  httpConcurrentMax: 0,
};

const dbKey = (build: MonitoredBuild) => `db:${build.id}`;
const filesKey = (build: MonitoredBuild) => `files:${build.id}`;

async function filestoreBytes(build: MonitoredBuild, now: number): Promise<bigint | null> {
  if (!build.databaseName) return null;
  const cached = cachedSize(filesKey(build), now);
  if (cached !== undefined) return cached;
  const bytes = await directoryBytes(filestoreOf(odooDataDirOf(build), build.databaseName));
  rememberSize(filesKey(build), now, bytes ?? 0n);
  return bytes ?? 0n;
}

/** Samples `builds` (all serving, awake builds when not given) at `now`; returns the rows written. */
export async function collectMetrics(
  runtime: ContainerRuntime,
  logger: Logger,
  builds?: readonly MonitoredBuild[],
  now = new Date(),
  queue?: QueueContext,
): Promise<{ builds: number; recorded: number; slowQueries: number }> {
  const sampled = builds ?? (await monitoredBuilds());
  keepSizesOf(new Set(sampled.map((b) => b.id)));
  // Read even with nothing sampled: the logs go on, and a build's log lines are written anyway.
  const [http, slowQueries] = await Promise.all([
    readHttpFigures(logger).catch((error: unknown) => {
      logger.warn({ err: error }, "the proxy's access log could not be read");
      return null;
    }),
    collectSlowQueries(logger).catch((error: unknown) => {
      logger.warn({ err: error }, "the database servers' slow statements could not be read");
      return 0;
    }),
  ]);
  if (sampled.length === 0) return { builds: 0, recorded: 0, slowQueries };
  const at = now.getTime();
  // An earlier reading older than a few cycles is not a fair base for a percent.
  const since = new Date(at - Math.max(4 * config().METRICS_INTERVAL_SECONDS, 60) * 1000);
  const [usage, previous, database, odoo] = await Promise.all([
    runtime.usage(sampled.map((b) => b.containerName)),
    previousReadings(
      sampled.map((b) => b.id),
      since,
    ),
    databaseFigures(
      sampled,
      (build) => cachedSize(dbKey(build), at) === undefined,
      (serverId, error) => logger.warn({ err: error, serverId }, "database figures could not be read"),
    ),
    readOdooEvents(sampled, logger),
  ]);
  const samples: Sample[] = [];
  for (const build of sampled) {
    const container = usage.get(build.containerName);
    const db = database.get(build.id);
    // No request since the previous cycle is zero requests; an unreadable log is unknown.
    const requests = http ? (http.get(build.id) ?? emptyHttp) : null;
    if (db?.sizeBytes != null) rememberSize(dbKey(build), at, BigInt(db.sizeBytes));
    const cpuUsageNs = container ? BigInt(container.cpuUsageNs) : null;
    samples.push({
      buildId: build.id,
      at: now,
      cpuPercent: cpuUsageNs === null ? null : cpuPercentBetween(previous.get(build.id), now, cpuUsageNs),
      cpuUsageNs,
      memoryBytes: container ? BigInt(container.memoryBytes) : null,
      memoryLimitBytes: container ? BigInt(container.memoryLimitBytes) : null,
      dbSizeBytes: cachedSize(dbKey(build), at) ?? null,
      dbConnections: db?.connections ?? null,
      longestQuerySeconds: db ? Math.round(db.longestQuerySeconds * 1000) / 1000 : null,
      filestoreBytes: await filestoreBytes(build, at).catch((error: unknown) => {
        logger.warn({ err: error, buildId: build.id }, "the filestore could not be measured");
        return null;
      }),
      ...(requests ?? {}),
      ...(odoo.get(build.id) ?? {}),
    });
  }
  const recorded = await recordSamples(samples);
  // A build over its project's disk threshold is told once per crossing; a failure to tell
  // leaves the figures recorded.
  await checkDiskThresholds(samples, queue).catch((error: unknown) =>
    logger.warn({ err: error }, "the disk thresholds could not be checked"),
  );
  return { builds: sampled.length, recorded, slowQueries };
}

export const collectMetricsJob: JobHandler<"maintenance.collect-metrics"> = async (_payload, context) => {
  const before = process.cpuUsage();
  const result = await collectMetrics(
    context.services.runtime,
    context.logger,
    undefined,
    new Date(),
    context.services.queue,
  );
  const used = process.cpuUsage(before);
  return { ...result, cpuMs: Math.round((used.user + used.system) / 100) / 10 };
};
