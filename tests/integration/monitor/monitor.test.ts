// The Monitor against real services: a serving development build (stand-in Odoo in Docker, the
// development PostgreSQL cluster) is sampled by the collector, and its figures come back
// through the API's query with the deploy marked; roll-ups and retention on synthetic samples;
// the monitoring right of each stage.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildSuite, startBuildSuite } from "../builds/suite";
import { shaOf } from "../builds/support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let projectId: string;

const actor = (role: "ADMIN" | "USER" | "TESTER" | "DEVELOPER"): Actor => ({
  userId: randomBytes(6).toString("hex"),
  isAdmin: false,
  memberships: { [projectId]: role },
  tokenProjectIds: null,
});

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  projectId = (await suite.project("acme", { name: "ACME" })).id;
}, 180_000);

afterAll(() => suite?.close(), 120_000);

/** A build row that never ran, for the synthetic samples and the access checks. */
async function rowBuild(stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT") {
  const branch = await prisma().branch.create({
    data: { projectId, name: `${stage.toLowerCase()}-${randomBytes(3).toString("hex")}`, stage },
  });
  return prisma().build.create({
    data: { projectId, branchId: branch.id, stage, commitSha: "b".repeat(40), status: "DONE" },
  });
}

describe("the collector", () => {
  it("samples a serving development build: its container's memory and limit, CPU, database and filestore", async () => {
    const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "DEVELOPMENT" } });
    const sha = await shaOf(join(suite.env.repos, "acme17.git"), "main");
    const id = await suite.push({ projectId, branchId: branch.id, stage: "DEVELOPMENT", sha });
    const build = await suite.ended(id, 300_000);
    expect(build.result).toBe("SUCCESS");

    const { collectMetrics } = await import("../../../apps/worker/src/monitor/collect");
    const logger = core.createLogger("test");
    const serving = (await core.monitoredBuilds()).filter((b) => b.id === id);
    expect(serving).toHaveLength(1);
    // Two cycles: the second has a CPU percent, taken from the first one's CPU time.
    const first = await collectMetrics(suite.runtime, logger, serving, new Date(Date.now() - 15_000));
    expect(first.recorded).toBe(1);
    await collectMetrics(suite.runtime, logger, serving);
    const samples = await prisma().buildMetric.findMany({ where: { buildId: id }, orderBy: { at: "asc" } });
    expect(samples).toHaveLength(2);
    const [, last] = samples;
    // What Docker itself says of the container, read the slow way.
    const stats = await suite.runtime.stats(build.containerName as string);
    expect(Number(last?.memoryBytes)).toBeGreaterThan(0);
    expect(Number(last?.memoryLimitBytes)).toBe(stats.memoryLimitBytes);
    const { config } = await import("@gantry/config");
    expect(Number(last?.memoryLimitBytes)).toBe(config().BUILD_MEMORY_MB * 1024 * 1024);
    expect(last?.cpuPercent).not.toBeNull();
    expect(last?.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(samples[0]?.cpuPercent).toBeNull();
    // CPU time so far: Odoo's start used some; an idle Odoo may use none between two readings.
    expect(Number(samples[0]?.cpuUsageNs)).toBeGreaterThan(0);
    expect(Number(last?.cpuUsageNs)).toBeGreaterThanOrEqual(Number(samples[0]?.cpuUsageNs));
    // The build's database as PostgreSQL measures it.
    const { databaseName, dbServerId } = build;
    const server = await core.dbServerById(dbServerId as string);
    const { onServer } = await import("@gantry/postgres");
    const size = await onServer(server, async (c) => {
      const r = await c.query<{ size: string }>("SELECT pg_database_size($1)::text AS size", [databaseName]);
      return Number(r.rows[0]?.size);
    });
    expect(Number(last?.dbSizeBytes)).toBeGreaterThan(size / 2);
    expect(Number(last?.dbSizeBytes)).toBeLessThan(size * 2);
    expect(last?.dbConnections).toBeGreaterThanOrEqual(0);
    expect(last?.longestQuerySeconds).toBeGreaterThanOrEqual(0);
    expect(last?.filestoreBytes).not.toBeNull();

    // Through the API's query: the memory sampled, the deploy marked.
    const metrics = await core.buildMetrics(actor("DEVELOPER"), id, "hour", 15);
    expect(metrics.state).toBe("serving");
    expect(metrics.series.at).toHaveLength(2);
    expect(metrics.series.memoryBytes[1]).toBe(Number(last?.memoryBytes));
    expect(metrics.annotations.map((a) => [a.kind, a.label])).toContainEqual([
      "deploy",
      `deployed ${sha.slice(0, 7)}`,
    ]);

    // Asleep: not sampled any more, and said so.
    await prisma().build.update({ where: { id }, data: { sleepingSince: new Date() } });
    expect((await core.monitoredBuilds()).map((b) => b.id)).not.toContain(id);
    expect((await core.buildMetrics(actor("DEVELOPER"), id, "hour", 15)).state).toBe("asleep");
    await prisma().build.update({ where: { id }, data: { sleepingSince: null } });
  }, 400_000);
});

describe("roll-ups and retention", () => {
  it("aggregates raw samples into minutes and hours, the same on a second run, and drops old rows", async () => {
    const build = await rowBuild("DEVELOPMENT");
    const base = Date.UTC(2026, 0, 5, 10, 0, 0);
    const at = (seconds: number) => new Date(base + seconds * 1000);
    // Minute 10:00 has four samples, 10:01 two; one sample at 11:00.
    const rows = [
      [0, 10, 100, 2],
      [15, 20, 300, 4],
      [30, 30, 200, 6],
      [45, 40, 400, 8],
      [60, 50, 1000, 1],
      [75, null, 3000, 3],
      [3600, 5, 50, 0],
    ] as const;
    await prisma().buildMetric.createMany({
      data: rows.map(([s, cpu, memory, connections]) => ({
        buildId: build.id,
        at: at(s),
        cpuPercent: cpu,
        memoryBytes: BigInt(memory),
        memoryLimitBytes: 4096n,
        dbConnections: connections,
        longestQuerySeconds: s / 100,
        dbSizeBytes: BigInt(1000 + s),
      })),
    });
    const to = at(7200);
    for (let run = 0; run < 2; run++) {
      await core.rollUpMetrics("MINUTE", at(0), to);
      await core.rollUpMetrics("HOUR", at(0), to);
    }
    const rollups = await prisma().buildMetricRollup.findMany({
      where: { buildId: build.id },
      orderBy: [{ resolution: "asc" }, { at: "asc" }],
    });
    const view = rollups.map((r) => ({
      resolution: r.resolution,
      at: r.at.toISOString(),
      samples: r.samples,
      cpu: r.cpuPercent,
      cpuMax: r.cpuPercentMax,
      memory: Number(r.memoryBytes),
      memoryMax: Number(r.memoryBytesMax),
      connections: r.dbConnections,
      connectionsMax: r.dbConnectionsMax,
      longest: r.longestQuerySeconds,
      db: Number(r.dbSizeBytes),
    }));
    expect(view).toEqual([
      {
        resolution: "MINUTE",
        at: "2026-01-05T10:00:00.000Z",
        samples: 4,
        cpu: 25,
        cpuMax: 40,
        memory: 250,
        memoryMax: 400,
        connections: 5,
        connectionsMax: 8,
        longest: 0.45,
        db: 1045,
      },
      {
        resolution: "MINUTE",
        at: "2026-01-05T10:01:00.000Z",
        samples: 2,
        cpu: 50,
        cpuMax: 50,
        memory: 2000,
        memoryMax: 3000,
        connections: 2,
        connectionsMax: 3,
        longest: 0.75,
        db: 1075,
      },
      {
        resolution: "MINUTE",
        at: "2026-01-05T11:00:00.000Z",
        samples: 1,
        cpu: 5,
        cpuMax: 5,
        memory: 50,
        memoryMax: 50,
        connections: 0,
        connectionsMax: 0,
        longest: 36,
        db: 4600,
      },
      {
        resolution: "HOUR",
        at: "2026-01-05T10:00:00.000Z",
        samples: 6,
        cpu: 30,
        cpuMax: 50,
        memory: 833,
        memoryMax: 3000,
        connections: 4,
        connectionsMax: 8,
        longest: 0.75,
        db: 1075,
      },
      {
        resolution: "HOUR",
        at: "2026-01-05T11:00:00.000Z",
        samples: 1,
        cpu: 5,
        cpuMax: 5,
        memory: 50,
        memoryMax: 50,
        connections: 0,
        connectionsMax: 0,
        longest: 36,
        db: 4600,
      },
    ]);

    // Retention, a day after the last sample: raw gone, minutes and hours kept; then past a
    // week the minutes go, past three months the hours.
    const pruned = await core.pruneMetrics(new Date(base + 26 * 3600_000));
    expect(pruned.raw).toBeGreaterThanOrEqual(7);
    expect(await prisma().buildMetric.count({ where: { buildId: build.id } })).toBe(0);
    await core.pruneMetrics(new Date(base + 8 * 24 * 3600_000));
    expect(
      await prisma().buildMetricRollup.count({ where: { buildId: build.id, resolution: "MINUTE" } }),
    ).toBe(0);
    expect(await prisma().buildMetricRollup.count({ where: { buildId: build.id, resolution: "HOUR" } })).toBe(
      2,
    );
    await core.pruneMetrics(new Date(base + 91 * 24 * 3600_000));
    expect(await prisma().buildMetricRollup.count({ where: { buildId: build.id } })).toBe(0);
  });

  it("a week's range bins the minutes by ten, weighting each minute by its samples", async () => {
    const build = await rowBuild("DEVELOPMENT");
    const start = Math.floor(Date.now() / 600_000) * 600_000 - 3600_000; // a ten-minute boundary
    await prisma().buildMetricRollup.createMany({
      data: [
        {
          buildId: build.id,
          resolution: "MINUTE",
          at: new Date(start),
          samples: 3,
          cpuPercent: 10,
          dbConnections: 1,
        },
        {
          buildId: build.id,
          resolution: "MINUTE",
          at: new Date(start + 60_000),
          samples: 1,
          cpuPercent: 50,
          dbConnections: 5,
        },
        {
          buildId: build.id,
          resolution: "MINUTE",
          at: new Date(start + 600_000),
          samples: 4,
          cpuPercent: 7,
          dbConnections: 2,
        },
      ],
    });
    const week = await core.buildMetrics(actor("ADMIN"), build.id, "week", 15);
    expect(week.stepSeconds).toBe(600);
    expect(week.series.at).toEqual([start, start + 600_000]);
    expect(week.series.cpuPercent).toEqual([20, 7]);
    expect(week.series.dbConnections).toEqual([2, 2]);
    const day = await core.buildMetrics(actor("ADMIN"), build.id, "day", 15);
    expect(day.series.at).toEqual([start, start + 60_000, start + 600_000]);
    expect(day.state).toBe("stopped");
  });
});

describe("access", () => {
  it("follows the monitoring right: Admin on production, Tester too on staging, everyone on development", async () => {
    const builds = {
      PRODUCTION: await rowBuild("PRODUCTION"),
      STAGING: await rowBuild("STAGING"),
      DEVELOPMENT: await rowBuild("DEVELOPMENT"),
    };
    const allowed = {
      PRODUCTION: ["ADMIN"],
      STAGING: ["ADMIN", "TESTER"],
      DEVELOPMENT: ["ADMIN", "USER", "TESTER", "DEVELOPER"],
    };
    for (const [stage, build] of Object.entries(builds) as [keyof typeof builds, { id: string }][]) {
      for (const role of ["ADMIN", "USER", "TESTER", "DEVELOPER"] as const) {
        const outcome = await core.buildMetrics(actor(role), build.id, "month", 15).then(
          () => "allowed",
          (error: unknown) => (core.isAppError(error) ? error.code : String(error)),
        );
        expect([stage, role, outcome]).toEqual([
          stage,
          role,
          allowed[stage].includes(role) ? "allowed" : "forbidden",
        ]);
      }
    }
    // Someone outside the project: nothing.
    const stranger: Actor = { userId: "x", isAdmin: false, memberships: {}, tokenProjectIds: null };
    await expect(core.buildMetrics(stranger, builds.DEVELOPMENT.id, "hour", 15)).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
