// The collector's side of the Monitor: which builds to sample, the previous CPU reading of
// each (kept in the samples themselves, so that any worker can run the next cycle), and the
// cycle's samples written in one statement.
import { prisma } from "@gantry/db";
import { servingFilter } from "../builds/serving";
import { hostOfUrl } from "../builds/sleep";

/** A serving, awake build and what its figures are read from. */
export interface MonitoredBuild {
  id: string;
  stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT";
  branchId: string;
  containerName: string;
  databaseName: string | null;
  dbServerId: string | null;
}

export async function monitoredBuilds(): Promise<MonitoredBuild[]> {
  const rows = await prisma().build.findMany({
    where: { ...servingFilter, status: "DONE", sleepingSince: null, containerName: { not: null } },
    select: {
      id: true,
      stage: true,
      branchId: true,
      containerName: true,
      databaseName: true,
      dbServerId: true,
    },
  });
  return rows.map((row) => ({ ...row, containerName: row.containerName as string }));
}

/** Each serving build's host (as the proxy logs it) and id: who a request was for. */
export async function servedHosts(): Promise<Map<string, string>> {
  const rows = await prisma().build.findMany({
    where: { ...servingFilter, url: { not: null } },
    select: { id: true, url: true },
  });
  const hosts = new Map<string, string>();
  for (const row of rows) {
    const host = hostOfUrl(row.url as string);
    if (host) hosts.set(host, row.id);
  }
  return hosts;
}

export interface PreviousReading {
  at: Date;
  cpuUsageNs: bigint;
  dbSizeBytes: bigint | null;
  filestoreBytes: bigint | null;
}

/** Each build's newest sample within `since`: the base of its CPU percent and repeated sizes. */
export async function previousReadings(
  buildIds: readonly string[],
  since: Date,
): Promise<Map<string, PreviousReading>> {
  if (buildIds.length === 0) return new Map();
  const rows = await prisma().$queryRaw<
    {
      buildId: string;
      at: Date;
      cpuUsageNs: bigint | null;
      dbSizeBytes: bigint | null;
      filestoreBytes: bigint | null;
    }[]
  >`SELECT DISTINCT ON ("buildId") "buildId", at, "cpuUsageNs", "dbSizeBytes", "filestoreBytes"
      FROM "BuildMetric"
     WHERE "buildId" = ANY(${[...buildIds]}::text[]) AND at >= ${since}
     ORDER BY "buildId", at DESC`;
  const found = new Map<string, PreviousReading>();
  for (const row of rows) {
    if (row.cpuUsageNs === null) continue;
    found.set(row.buildId, { ...row, cpuUsageNs: row.cpuUsageNs });
  }
  return found;
}

export interface Sample {
  buildId: string;
  at: Date;
  cpuPercent: number | null;
  cpuUsageNs: bigint | null;
  memoryBytes: bigint | null;
  memoryLimitBytes: bigint | null;
  dbSizeBytes: bigint | null;
  dbConnections: number | null;
  longestQuerySeconds: number | null;
  filestoreBytes: bigint | null;
  httpRequests?: number | null;
  http4xx?: number | null;
  http5xx?: number | null;
  httpP50Ms?: number | null;
  httpP95Ms?: number | null;
  httpConcurrentMax?: number | null;
  odooWorkerRecycles?: number | null;
  odooCronTimeouts?: number | null;
}

/** One INSERT for the whole cycle; a build cleaned meanwhile takes its sample with it. */
export async function recordSamples(samples: readonly Sample[]): Promise<number> {
  if (samples.length === 0) return 0;
  const live = new Set(
    (
      await prisma().build.findMany({
        where: { id: { in: samples.map((s) => s.buildId) } },
        select: { id: true },
      })
    ).map((b) => b.id),
  );
  const { count } = await prisma().buildMetric.createMany({
    data: samples.filter((s) => live.has(s.buildId)),
    skipDuplicates: true,
  });
  return count;
}

/** CPU percent of one CPU between two readings; null without a usable earlier one (a restart). */
export function cpuPercentBetween(
  previous: { at: Date; cpuUsageNs: bigint } | undefined,
  now: Date,
  usageNs: bigint,
): number | null {
  if (!previous) return null;
  const wallNs = BigInt(now.getTime() - previous.at.getTime()) * 1_000_000n;
  const used = usageNs - previous.cpuUsageNs;
  if (wallNs <= 0n || used < 0n) return null;
  return Math.round((Number(used) / Number(wallNs)) * 10_000) / 100;
}
