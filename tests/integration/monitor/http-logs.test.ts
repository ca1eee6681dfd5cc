// HTTP figures and the logs a serving build gains, against real services: a development build
// (stand-in Odoo in Docker) requested by a test client through Caddy shows its requests, the
// 404s and the 5xx it answered (Caddy's 502 once its Odoo stopped answering), their response
// times and its memory in the Monitor's samples and API; each request is in its access.log;
// a slow statement run in its database (pg_sleep) on the development cluster comes out of that
// cluster's JSON log into its pg_slow_queries.log, attributed by database name.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { type BuildSuite, startBuildSuite } from "../builds/suite";
import { shaOf, waitFor } from "../builds/support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let projectId: string;

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  projectId = (await suite.project("weblog", { name: "Weblog" })).id;
}, 180_000);

afterAll(() => suite?.close(), 120_000);

const developer = (): Actor => ({
  userId: randomBytes(6).toString("hex"),
  isAdmin: false,
  memberships: { [projectId]: "DEVELOPER" },
  tokenProjectIds: null,
});

const sum = (values: (number | null)[]) => values.reduce<number>((total, v) => total + (v ?? 0), 0);

async function logOf(buildId: string, file: string): Promise<string> {
  const { config } = await import("@gantry/config");
  return readFile(join(config().GANTRY_DATA_DIR, "builds", buildId, "logs", file), "utf8").catch(() => "");
}

describe("a serving build's HTTP figures and logs", () => {
  it("counts its requests, errors and response times, keeps its access log and its slow statements", async () => {
    const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "DEVELOPMENT" } });
    const sha = await shaOf(join(suite.env.repos, "acme17.git"), "main");
    const id = await suite.push({ projectId, branchId: branch.id, stage: "DEVELOPMENT", sha });
    const build = await suite.ended(id, 300_000);
    expect(build.result).toBe("SUCCESS");
    const url = build.url as string;

    const { collectMetrics } = await import("../../../apps/worker/src/monitor/collect");
    const logger = core.createLogger("test");
    const serving = (await core.monitoredBuilds()).filter((b) => b.id === id);
    expect(serving).toHaveLength(1);
    // A first cycle: the logs are read up to here (other suites' requests are not this build's).
    await collectMetrics(suite.runtime, logger, serving, new Date(Date.now() - 30_000));

    // Load from a test client through the proxy: 20 logins at once, then 3 unknown pages.
    const logins = await Promise.all(Array.from({ length: 20 }, () => viaCaddy(url, "/web/login")));
    expect(logins.every((answer) => answer.status === 200)).toBe(true);
    for (let i = 0; i < 3; i++) expect((await viaCaddy(url, `/web/missing-${i}`)).status).toBe(404);
    // A statement over SLOW_QUERY_MS, in the build's database.
    const server = await core.dbServerById(build.dbServerId as string);
    const { withAdmin } = await import("@gantry/postgres");
    const marker = `slow_${randomBytes(4).toString("hex")}`;
    await withAdmin(server, build.databaseName as string, (client) =>
      client.query(`SELECT pg_sleep(1.2), '${marker}' AS marker`),
    );

    // Caddy and PostgreSQL's log collector write on their own time: cycles until both are read.
    const at = Date.now() - 15_000;
    let cycle = 0;
    await waitFor(
      "the requests and the slow statement read",
      async () => {
        await collectMetrics(suite.runtime, logger, serving, new Date(at + ++cycle));
        const rows = await prisma().buildMetric.findMany({ where: { buildId: id } });
        const requests = rows.reduce((total, r) => total + (r.httpRequests ?? 0), 0);
        const slow = await logOf(id, "pg_slow_queries.log");
        return requests >= 23 && slow.includes(marker) ? true : undefined;
      },
      60_000,
    );
    const busy = await prisma().buildMetric.findFirst({
      where: { buildId: id, httpRequests: { gt: 0 } },
      orderBy: { at: "asc" },
    });
    expect(Number(busy?.memoryBytes)).toBeGreaterThan(0);
    expect(busy?.httpP50Ms).not.toBeNull();
    expect(busy?.httpP95Ms).toBeGreaterThanOrEqual(busy?.httpP50Ms as number);
    expect(busy?.httpConcurrentMax).toBeGreaterThanOrEqual(1);

    // Its Odoo stops answering: the proxy answers 502 for it.
    await suite.runtime.stop(build.containerName as string, 5);
    expect((await viaCaddy(url, "/web/login")).status).toBe(502);
    await waitFor(
      "the 5xx read",
      async () => {
        await collectMetrics(suite.runtime, logger, serving, new Date(at + ++cycle));
        const rows = await prisma().buildMetric.findMany({ where: { buildId: id } });
        return rows.some((r) => (r.http5xx ?? 0) > 0) ? true : undefined;
      },
      60_000,
    );

    // Through the API's query: requests, the 404s, the 5xx, the memory.
    const metrics = await core.buildMetrics(developer(), id, "hour", 15);
    expect(sum(metrics.series.httpRequests)).toBe(24);
    expect(sum(metrics.series.http4xx)).toBe(3);
    expect(sum(metrics.series.http5xx)).toBe(1);
    expect(metrics.series.memoryBytes.some((m) => (m ?? 0) > 0)).toBe(true);
    expect(metrics.series.httpP95Ms.some((p) => p !== null)).toBe(true);

    // The build's access.log: one readable line per request, the 502 among them.
    const access = (await logOf(id, "access.log")).trim().split("\n");
    expect(access).toHaveLength(24);
    expect(access.filter((line) => line.includes('"GET /web/login HTTP/1.1" 200 '))).toHaveLength(20);
    expect(access.filter((line) => / "GET \/web\/missing-\d HTTP\/1\.1" 404 /.test(line))).toHaveLength(3);
    expect(access.at(-1)).toMatch(/^\S+Z 127\.0\.0\.1 "GET \/web\/login HTTP\/1\.1" 502 \d+ [\d.]+ms "/);

    // Its pg_slow_queries.log: the statement, its duration and role, nothing of other databases.
    const slow = (await logOf(id, "pg_slow_queries.log")).trim().split("\n");
    const line = slow.find((l) => l.includes(marker)) as string;
    expect(line).toMatch(
      new RegExp(
        `^\\S+Z (\\d+\\.\\d)ms user=${server.adminUser} "SELECT pg_sleep\\(1\\.2\\), '${marker}' AS marker"$`,
      ),
    );
    expect(Number(/ (\d+\.\d)ms /.exec(line)?.[1])).toBeGreaterThanOrEqual(1200);

    // Both are build logs like the others: listed, streamed, searched across the branch.
    const files = (await import("../../../apps/web/lib/logs/files")).buildLogSizes;
    const listed = (await files(developer(), { id, projectId, stage: "DEVELOPMENT" })).map((f) => f.file);
    expect(listed).toEqual(expect.arrayContaining(["access.log", "pg_slow_queries.log"]));
    const sources = await core.branchLogSources(developer(), projectId, branch.id, { take: 5 });
    expect(sources.map((s) => s.buildId)).toEqual([id]);
  }, 420_000);
});

describe("HTTP figures rolled up", () => {
  it("sums counts, averages p50, keeps the highest p95 and peak, and answers them for a day", async () => {
    const branch = await prisma().branch.create({
      data: { projectId, name: "rollup", stage: "DEVELOPMENT" },
    });
    const build = await prisma().build.create({
      data: {
        projectId,
        branchId: branch.id,
        stage: "DEVELOPMENT",
        commitSha: "c".repeat(40),
        status: "DONE",
      },
    });
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
    const samples = [
      { requests: 10, c4: 1, c5: 0, p50: 20, p95: 90, peak: 3, recycled: 1, cron: 0 },
      { requests: 30, c4: 0, c5: 2, p50: 40, p95: 300, peak: 7, recycled: 0, cron: 1 },
      { requests: 0, c4: 0, c5: 0, p50: null, p95: null, peak: 0, recycled: 0, cron: 0 },
    ];
    await prisma().buildMetric.createMany({
      data: samples.map((s, i) => ({
        buildId: build.id,
        at: new Date(minute.getTime() + i * 15_000),
        httpRequests: s.requests,
        http4xx: s.c4,
        http5xx: s.c5,
        httpP50Ms: s.p50,
        httpP95Ms: s.p95,
        httpConcurrentMax: s.peak,
        odooWorkerRecycles: s.recycled,
        odooCronTimeouts: s.cron,
      })),
    });
    await core.rollUpMetrics("MINUTE", minute, new Date());
    const [rollup] = await prisma().buildMetricRollup.findMany({
      where: { buildId: build.id, resolution: "MINUTE" },
    });
    expect(rollup).toMatchObject({
      samples: 3,
      httpRequests: 40,
      http4xx: 1,
      http5xx: 2,
      httpP50Ms: 30,
      httpP95Ms: 300,
      httpConcurrentMax: 7,
      odooWorkerRecycles: 1,
      odooCronTimeouts: 1,
    });
    const day = await core.buildMetrics(developer(), build.id, "day", 15);
    expect(day.series.httpRequests).toEqual([40]);
    expect(day.series.http5xx).toEqual([2]);
    expect(day.series.httpP95Ms).toEqual([300]);
    expect(day.series.odooCronTimeouts).toEqual([1]);
  });
});
