// Monitor benchmark: what the collector costs per 15 s cycle for many serving builds, what a
// month of samples weighs, and how fast the Monitor's API query answers a month's range.
//
//   pnpm exec tsx scripts/bench/monitor.ts [--builds N] [--containers N] [--databases N] [--cycles N] [--clean]
//
// In a database of its own (gantry_bench_monitor, migrated): N build rows (default 200), all
// serving, standing on --containers real idle containers (default 30, the Odoo base image
// running `sleep`) and --databases real empty databases on the development cluster (default
// 30), taken round-robin, so every build costs one real stats call and one real database
// row. Measured:
//   1. container readings: the baseline (runtime.stats, the engine's two-sample stats, one
//      container after another), the engine's one-shot stats (all at once) and runtime.usage
//      (cgroup files): wall time, this process's CPU and the Docker daemon's CPU;
//   2. the activity query of one server, with and without pg_database_size;
//   3. whole collector cycles for every build (--cycles, default 5), the sizes due once; then
//      the logs it follows alone, under traffic: each cycle every build gets 15 requests in
//      a synthetic Caddy access log (one a second) and 20 lines in its odoo.log;
//   4. a steady state of stored data for the builds (raw for a day, minutes for a week, hours
//      for 90 days) written with generate_series, and its size on disk;
//   5. the API's query (buildMetrics) for one build: each range 50 times, p50 and p95.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { config, resetConfigForTests } from "@gantry/config";
import pg from "pg";

const run = promisify(execFile);
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const BUILDS = Number(option("--builds", "200"));
const CONTAINERS = Number(option("--containers", "30"));
const DATABASES = Number(option("--databases", "30"));
const CYCLES = Number(option("--cycles", "5"));
const root = resolve(import.meta.dirname, "../..");

const base = config();
const benchDbName = "gantry_bench_monitor";
const benchDbUrl = new URL(base.DATABASE_URL);
benchDbUrl.pathname = `/${benchDbName}`;
Object.assign(process.env, {
  DATABASE_URL: benchDbUrl.toString(),
  GANTRY_DATA_DIR: join(base.GANTRY_DATA_DIR, "bench", "monitor"),
  GANTRY_SECRET: base.GANTRY_SECRET ?? randomBytes(24).toString("hex"),
  LOG_LEVEL: "warn",
});
resetConfigForTests();
const owner = { project: "benchmonitor" };
const dbPrefix = "gantry_bench_mon_";

async function onPostgres(url: string, sql: string, params: unknown[] = []) {
  const target = new URL(url);
  target.pathname = "/postgres";
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** The Docker daemon's CPU time so far (ms), when it runs on this machine. */
async function daemonCpuMs(): Promise<number | null> {
  try {
    const pid = (await readFile("/var/run/docker.pid", "utf8")).trim();
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 ticks/s
  } catch {
    return null;
  }
}

/** Wall ms, this process's CPU ms and the daemon's CPU ms of `work`. */
async function measure<T>(work: () => Promise<T>) {
  const daemon = await daemonCpuMs();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const daemonAfter = await daemonCpuMs();
  return {
    result,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    daemonMs: daemon === null || daemonAfter === null ? null : daemonAfter - daemon,
  };
}

const ms = (n: number | null) => (n === null ? "n/a" : `${n.toFixed(1)} ms`);
const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function clean(runtime: import("../../packages/runtime/src/index").DockerRuntime) {
  await runtime.removeManaged(owner);
  const { rows } = await onPostgres(
    base.BUILD_DEV_DATABASE_URL,
    "SELECT datname FROM pg_database WHERE datname LIKE $1",
    [`${dbPrefix}%`],
  );
  for (const row of rows)
    await onPostgres(base.BUILD_DEV_DATABASE_URL, `DROP DATABASE "${row.datname}" WITH (FORCE)`);
  await onPostgres(base.DATABASE_URL, `DROP DATABASE IF EXISTS "${benchDbName}" WITH (FORCE)`);
}

async function main() {
  const { DockerRuntime } = await import("../../packages/runtime/src/index");
  const runtime = new DockerRuntime({ host: config().DOCKER_HOST });
  await clean(runtime);
  if (args.includes("--clean")) {
    console.log("bench data removed");
    return;
  }
  console.log(
    `machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ${new Date().toISOString()}; ` +
      `${BUILDS} builds on ${CONTAINERS} containers and ${DATABASES} databases`,
  );
  await onPostgres(base.DATABASE_URL, `CREATE DATABASE "${benchDbName}"`);
  await run(join(root, "scripts/db"), ["migrate"], { env: process.env });
  const { prisma } = await import("@gantry/db");
  const core = await import("@gantry/core");

  // Stand-ins: idle containers of the base image, empty databases.
  const containers: string[] = [];
  for (let i = 0; i < CONTAINERS; i++) {
    const name = `gantry-benchmonitor-${i}`;
    await runtime.createContainer({
      name,
      image: "gantry/base:bookworm",
      cmd: ["sleep", "infinity"],
      owner,
      networkMode: "none",
      memoryBytes: 256 * 2 ** 20,
    });
    await runtime.start(name);
    containers.push(name);
  }
  const databases: string[] = [];
  for (let i = 0; i < DATABASES; i++) {
    const name = `${dbPrefix}${i}`;
    await onPostgres(base.BUILD_DEV_DATABASE_URL, `CREATE DATABASE "${name}"`);
    databases.push(name);
  }

  await core.ensureDefaultDbServers();
  const dev = await prisma().dbServer.findUniqueOrThrow({ where: { name: "dev" } });
  const project = await prisma().project.create({
    data: {
      slug: "bench-monitor",
      name: "Bench monitor",
      githubOwner: "acme",
      githubRepo: "bench",
      odooSeries: "17.0",
    },
  });
  const branch = await prisma().branch.create({
    data: { projectId: project.id, name: "main", stage: "DEVELOPMENT" },
  });
  const servingAt = new Date();
  await prisma().build.createMany({
    data: Array.from({ length: BUILDS }, (_, i) => ({
      id: `benchmonitor${String(i).padStart(4, "0")}`,
      projectId: project.id,
      branchId: branch.id,
      stage: "DEVELOPMENT" as const,
      commitSha: "a".repeat(40),
      status: "DONE" as const,
      servingAt,
      containerName: containers[i % containers.length]!,
      url: `http://benchmonitor${String(i).padStart(4, "0")}.bench.localhost`,
      databaseName: databases[i % databases.length]!,
      dbServerId: dev.id,
    })),
  });

  // 1. Container readings: the baseline, the engine's one-shot, and what usage() does.
  await runtime.usage(containers); // warm the connection
  const sampleOf = containers.slice(0, Math.min(10, containers.length)); // 2 s each in the baseline
  const baseline = await measure(async () => {
    for (const name of sampleOf) await runtime.stats(name);
  });
  const engineOneShot = await measure(() =>
    Promise.all(
      containers.map((name) =>
        runtime.docker.getContainer(name).stats({ stream: false, "one-shot": true } as { stream: false }),
      ),
    ),
  );
  const oneShot = await measure(() => runtime.usage(containers));
  const per = (m: Awaited<ReturnType<typeof measure>>, n: number) =>
    `wall ${ms(m.wallMs / n)}, CPU ${ms((m.cpuMs + (m.daemonMs ?? 0)) / n)} (here ${ms(m.cpuMs / n)} + daemon ${ms((m.daemonMs ?? 0) / n)})`;
  console.log("\n1. container readings, per container");
  console.log(
    `   baseline runtime.stats(), one after another (${sampleOf.length}): ${per(baseline, sampleOf.length)}`,
  );
  console.log(
    `   engine one-shot stats, all at once (${CONTAINERS}):       ${per(engineOneShot, CONTAINERS)}`,
  );
  console.log(`   runtime.usage(), cgroup files (${CONTAINERS}):            ${per(oneShot, CONTAINERS)}`);
  if (oneShot.result.size !== CONTAINERS)
    throw new Error(`usage() read ${oneShot.result.size} of ${CONTAINERS}`);

  // 2. One server's activity query.
  const { databaseActivity, onServer } = await import("../../packages/postgres/src/index");
  const server = await core.dbServerById(dev.id);
  const names = Array.from({ length: BUILDS }, (_, i) => databases[i % databases.length]!);
  const plain = await measure(() => onServer(server, (c) => databaseActivity(c, names, [])));
  const sized = await measure(() => onServer(server, (c) => databaseActivity(c, names, databases)));
  console.log(`\n2. activity query for ${BUILDS} builds on one server (connection included)`);
  console.log(
    `   without sizes: wall ${ms(plain.wallMs)}; with pg_database_size of ${DATABASES} databases: ${ms(sized.wallMs)}`,
  );

  // 3. Whole cycles.
  const { collectMetrics } = await import("../../apps/worker/src/monitor/collect");
  const logger = core.createLogger("bench");
  const cycles: Awaited<ReturnType<typeof measure>>[] = [];
  for (let i = 0; i < CYCLES; i++) {
    cycles.push(
      await measure(() => collectMetrics(runtime, logger, undefined, new Date(Date.now() + i * 15_000))),
    );
  }
  const steady = cycles.slice(1);
  const median = (pick: (c: (typeof cycles)[number]) => number) => percentile(steady.map(pick), 50);
  const cycleCpu = median((c) => c.cpuMs);
  const cycleDaemon = median((c) => c.daemonMs ?? 0);
  console.log(
    `\n3. collector cycles for ${BUILDS} builds (${CYCLES} cycles; first, with sizes due, then the median of the rest)`,
  );
  console.log(
    `   first: wall ${ms(cycles[0]!.wallMs)}, CPU here ${ms(cycles[0]!.cpuMs)}, daemon ${ms(cycles[0]!.daemonMs)}`,
  );
  console.log(
    `   steady: wall ${ms(median((c) => c.wallMs))}, CPU here ${ms(cycleCpu)}, daemon ${ms(cycleDaemon)}`,
  );
  console.log(
    `   per build: ${ms(cycleCpu / BUILDS)} here + ${ms(cycleDaemon / BUILDS)} daemon; every 15 s that is ` +
      `${(((cycleCpu + cycleDaemon) / 15_000) * 100).toFixed(2)} % of one core`,
  );

  // 3b. The followed logs under traffic.
  const { readHttpFigures } = await import("../../apps/worker/src/monitor/http-figures");
  const { readOdooEvents } = await import("../../apps/worker/src/monitor/odoo-events");
  const { appendFile, mkdir, writeFile } = await import("node:fs/promises");
  const accessLog = join(config().GANTRY_DATA_DIR, "bench-access.log");
  await writeFile(accessLog, "");
  const monitored = await core.monitoredBuilds();
  for (const build of monitored)
    await mkdir(join(config().GANTRY_DATA_DIR, "builds", build.id, "logs"), { recursive: true });
  const traffic = (cycle: number) => {
    const lines: string[] = [];
    for (const build of monitored)
      for (let r = 0; r < 15; r++)
        lines.push(
          JSON.stringify({
            level: "info",
            ts: Date.now() / 1000 + cycle * 15 + r,
            logger: "http.log.access.gantry_builds",
            msg: "handled request",
            request: {
              remote_ip: "127.0.0.1",
              client_ip: "203.0.113.9",
              proto: "HTTP/1.1",
              method: "GET",
              host: `${build.id}.bench.localhost`,
              uri: `/web/dataset/call_kw/res.partner/search_read?r=${r}`,
              headers: { "User-Agent": ["Mozilla/5.0 (X11; Linux x86_64) bench"] },
            },
            duration: 0.02 + r / 1000,
            size: 4096,
            status: r === 14 ? 500 : 200,
          }),
        );
    return `${lines.join("\n")}\n`;
  };
  const odooLines = Array.from(
    { length: 20 },
    (_, i) =>
      `2026-12-07 00:15:${String(i).padStart(2, "0")},123 41 ${i === 0 ? "INFO ? odoo.service.server: Worker (43) max request (8192) reached." : 'INFO db werkzeug: 127.0.0.1 - - "POST /web/dataset/call_kw HTTP/1.1" 200 - 12 0.011 0.021'}`,
  ).join("\n");
  const logCycles: Awaited<ReturnType<typeof measure>>[] = [];
  for (let i = 0; i < CYCLES; i++) {
    await appendFile(accessLog, traffic(i));
    for (const build of monitored)
      await appendFile(
        join(config().GANTRY_DATA_DIR, "builds", build.id, "logs", "odoo.log"),
        `${odooLines}\n`,
      );
    logCycles.push(
      await measure(() =>
        Promise.all([readHttpFigures(logger, accessLog), readOdooEvents(monitored, logger)]),
      ),
    );
  }
  const [lastHttp] = logCycles.at(-1)!.result as [Map<string, { httpRequests: number }>, unknown];
  if (lastHttp.get(monitored[0]!.id)?.httpRequests !== 15)
    throw new Error("the synthetic requests were not all read");
  const logSteady = logCycles.slice(1);
  const logCpu = percentile(
    logSteady.map((c) => c.cpuMs),
    50,
  );
  console.log(
    `   followed logs alone, ${BUILDS * 15} requests (access.log written for each) and ${BUILDS * 20} odoo.log lines a cycle: ` +
      `wall ${ms(
        percentile(
          logSteady.map((c) => c.wallMs),
          50,
        ),
      )}, CPU here ${ms(logCpu)} ` +
      `(${((logCpu / 15_000) * 100).toFixed(2)} % of one core every 15 s)`,
  );

  // 4. A steady state of stored data.
  const rows = await measure(async () => {
    const ids = (await prisma().build.findMany({ select: { id: true } })).map((b) => b.id);
    await prisma().buildMetric.deleteMany({});
    const fill = async (sql: string) => prisma().$executeRawUnsafe(sql, ids);
    await fill(`INSERT INTO "BuildMetric" SELECT b, t, random() * 50, (extract(epoch FROM t) * 1e6)::bigint,
        (300 + random() * 200) * 1048576, 2147483648, 80000000 + (random() * 1e6)::int, (random() * 4)::int,
        random(), 12000000,
        -- http4xx, http5xx, httpConcurrentMax, httpP50Ms, httpP95Ms, httpRequests, odooCronTimeouts,
        -- odooWorkerRecycles: the order the migration added them in
        (random() * 2)::int, (random() * 0.3)::int, 1 + (random() * 3)::int, 20 + random() * 30,
        80 + random() * 200, 15, 0, 0
      FROM unnest($1::text[]) b, generate_series(now() - interval '1 day', now(), interval '15 seconds') t`);
    await fill(`INSERT INTO "BuildMetricRollup" SELECT b, 'MINUTE', t, 4, random() * 50, random() * 90,
        (300 + random() * 200) * 1048576, 500 * 1048576, 2147483648, 80000000, random() * 4, 4, random(), 12000000,
        (random() * 5)::int, (random() * 1)::int, 1 + (random() * 3)::int, 20 + random() * 30, 80 + random() * 200, 60, 0, 0
      FROM unnest($1::text[]) b, generate_series(date_trunc('minute', now() - interval '7 days'), now(), interval '1 minute') t`);
    await fill(`INSERT INTO "BuildMetricRollup" SELECT b, 'HOUR', t, 240, random() * 50, random() * 90,
        (300 + random() * 200) * 1048576, 500 * 1048576, 2147483648, 80000000, random() * 4, 4, random(), 12000000,
        (random() * 100)::int, (random() * 5)::int, 1 + (random() * 3)::int, 20 + random() * 30, 80 + random() * 200, 3600, 0, 0
      FROM unnest($1::text[]) b, generate_series(date_trunc('hour', now() - interval '90 days'), now(), interval '1 hour') t`);
    await prisma().$executeRawUnsafe(`VACUUM ANALYZE "BuildMetric"`);
    await prisma().$executeRawUnsafe(`VACUUM ANALYZE "BuildMetricRollup"`);
  });
  const sizes = await prisma().$queryRawUnsafe<{ what: string; rows: bigint; bytes: bigint }[]>(
    `SELECT 'raw (a day)' AS what, count(*) AS rows, pg_total_relation_size('"BuildMetric"') AS bytes FROM "BuildMetric"
     UNION ALL SELECT 'minutes (a week)', count(*) FILTER (WHERE resolution = 'MINUTE'), 0 FROM "BuildMetricRollup"
     UNION ALL SELECT 'hours (90 days)', count(*) FILTER (WHERE resolution = 'HOUR'), 0 FROM "BuildMetricRollup"
     UNION ALL SELECT 'roll-ups together', count(*), pg_total_relation_size('"BuildMetricRollup"') FROM "BuildMetricRollup"`,
  );
  console.log(
    `\n4. stored data for ${BUILDS} builds, steady state (written in ${(rows.wallMs / 1000).toFixed(0)} s)`,
  );
  let total = 0;
  for (const s of sizes) {
    total += Number(s.bytes);
    console.log(
      `   ${s.what.padEnd(18)} ${String(s.rows).padStart(9)} rows${Number(s.bytes) ? `  ${mb(Number(s.bytes))}` : ""}`,
    );
  }
  const hourRows = Number(sizes[2]!.rows);
  const rollupBytes = Number(sizes[3]!.bytes);
  const perRollupRow = rollupBytes / Number(sizes[3]!.rows);
  console.log(`   total on disk (tables and indexes): ${mb(total)}`);
  console.log(
    `   a month of hourly data alone: ${mb((hourRows * perRollupRow * 30) / 90)} ` +
      `(${BUILDS} builds x 720 hours at ${perRollupRow.toFixed(0)} bytes a row)`,
  );

  // 5. The API's query.
  const admin = { userId: "bench", isAdmin: true, memberships: {}, tokenProjectIds: null };
  const one = "benchmonitor0000";
  console.log("\n5. buildMetrics for one build, 50 runs each (after one warm-up)");
  for (const range of ["hour", "day", "week", "month"] as const) {
    await core.buildMetrics(admin, one, range, 15);
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      points = (await core.buildMetrics(admin, one, range, 15)).series.at.length;
      times.push(performance.now() - start);
    }
    console.log(
      `   ${range.padEnd(5)} ${String(points).padStart(5)} points: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`,
    );
  }
  await prisma().$disconnect();
  await clean(runtime);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
