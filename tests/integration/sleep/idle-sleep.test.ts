// Idle sleep end to end with the real services: two builds served by the stand-in Odoo through
// Caddy, one development and one production; the sweep (a real maintenance job in a real
// worker) with a tiny idle time stops the development build only; its address then shows the
// starting page served by the web app's wake route; the wake job starts it again and
// /web/login answers through Caddy once more, with its database and files untouched.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { resetConfigForTests } from "@gantry/config";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { FIXTURE_REPO, FIXTURE_SERIES } from "../../support/odoo-target";
import { type BuildTestEnv, requireImage, shaOf, useBuildTestEnv, waitFor } from "../builds/support";
import { imageOf } from "../standin/helpers";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let runtime: import("@gantry/runtime").DockerRuntime;
let wakeServer: Server;
let projectId: string;
let devId: string;
let prodId: string;

/** Sets idle-sleep variables for this process (the in-process worker reads them per job). */
function setIdleMinutes(minutes: number): void {
  process.env.BUILD_IDLE_MINUTES = String(minutes);
  resetConfigForTests();
}

/** The wake route handler served over real HTTP, the way Next hands it /wake/<id>. */
async function serveWakeRoute(): Promise<Server> {
  const route = await import("../../../apps/web/app/wake/[buildId]/route");
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, first, buildId, ...rest] = url.pathname.split("/");
    if (first !== "wake" || !buildId || rest.length > 0) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const handler = req.method === "HEAD" ? route.HEAD : req.method === "POST" ? route.POST : route.GET;
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers }),
      {
        params: Promise.resolve({ buildId }),
      },
    );
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      answerHeaders[key] = value;
    });
    res.writeHead(response.status, answerHeaders);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function pushBuild(branchName: string): Promise<string> {
  const branch = await prisma().branch.create({
    data: { projectId, name: branchName, stage: "DEVELOPMENT" },
  });
  const build = await prisma().build.create({
    data: {
      projectId,
      branchId: branch.id,
      stage: "DEVELOPMENT",
      commitSha: await shaOf(join(env.repos, `${FIXTURE_REPO}.git`), branchName),
    },
  });
  await queue.enqueue("builds.run", { buildId: build.id }, { jobId: queue.buildJobId(build.id) }, producer);
  return build.id;
}

async function served(buildId: string) {
  const build = await waitFor(
    `build ${buildId} to end`,
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    400_000,
  );
  if (!build.servingAt) throw new Error(`build ${buildId} ended unserved: ${build.errorSummary}`);
  return build;
}

async function running(containerName: string): Promise<boolean> {
  return (await runtime.inspect(containerName)).running;
}

async function databaseExists(name: string): Promise<boolean> {
  const { config } = await import("@gantry/config");
  const client = new pg.Client({ connectionString: config().BUILD_DEV_DATABASE_URL });
  await client.connect();
  try {
    return ((await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

async function runSweep(): Promise<{ slept: string[]; recorded: number }> {
  const { jobId } = await queue.enqueue("maintenance.sleep-idle-builds", {}, {}, producer);
  const job = await waitFor(
    "the sweep to finish",
    async () => {
      const view = await queue.getJobView("maintenance", jobId, producer);
      if (view?.state === "failed") throw new Error(`sweep failed: ${view.failedReason}`);
      return view?.state === "completed" ? view : undefined;
    },
    120_000,
  );
  return job.result as { slept: string[]; recorded: number };
}

async function wakeJobsOf(buildId: string) {
  const jobs = await producer
    .queue("maintenance")
    .getJobs(["waiting", "active", "delayed", "completed", "failed", "prioritized", "waiting-children"]);
  return jobs.filter((job) => job.name === "maintenance.wake-build" && job.data.buildId === buildId);
}

beforeAll(async () => {
  await requireImage(imageOf());
  env = await useBuildTestEnv();
  // The wake page enqueues on the process's default queue context: give it this file's prefix.
  process.env.REDIS_PREFIX = env.prefix;
  // Nothing sleeps by itself while the builds are made; each test sets what it needs.
  process.env.BUILD_IDLE_MINUTES = "600";
  wakeServer = await serveWakeRoute();
  process.env.WEB_HOST = "127.0.0.1";
  process.env.WEB_PORT = String((wakeServer.address() as AddressInfo).port);
  resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds", "maintenance"],
    concurrency: 2,
    shutdownTimeoutMs: 5000,
  });
  const project = await prisma().project.create({
    data: {
      slug: `sleep-${randomBytes(3).toString("hex")}`,
      name: "Sleep",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: FIXTURE_SERIES,
      gitUrl: join(env.repos, `${FIXTURE_REPO}.git`),
    },
  });
  projectId = project.id;
  devId = await pushBuild("main");
  prodId = await pushBuild("bump");
  await Promise.all([served(devId), served(prodId)]);
  // The second build becomes the production build: a real serving container and route that
  // the sweep must leave alone.
  const prod = await prisma().build.update({ where: { id: prodId }, data: { stage: "PRODUCTION" } });
  await prisma().branch.update({ where: { id: prod.branchId }, data: { stage: "PRODUCTION" } });
}, 900_000);

afterAll(async () => {
  await worker?.stop();
  const builds = await prisma?.().build.findMany({ select: { id: true } });
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  for (const build of builds ?? []) await cleanupBuild(runtime, build.id).catch(() => {});
  await producer
    ?.queue("maintenance")
    .obliterate({ force: true })
    .catch(() => {});
  await producer?.close();
  const { closeDefaultQueueContext } = await import("@gantry/queue");
  await closeDefaultQueueContext();
  await new Promise((resolve) => wakeServer?.close(resolve));
  await prisma?.().$disconnect();
  await env?.db.drop();
}, 180_000);

describe("idle sleep", () => {
  it("keeps the sweep on the maintenance queue's schedule", async () => {
    const { idleSleepSchedulerId } = await import("../../../apps/worker/src/sleep/schedule");
    const scheduler = await producer.queue("maintenance").getJobScheduler(idleSleepSchedulerId);
    expect(scheduler?.name).toBe("maintenance.sleep-idle-builds");
    expect(Number(scheduler?.every)).toBeGreaterThan(0);
  });

  it("stops an idle development build, keeps its database and files, and leaves production alone", async () => {
    const before = await prisma().build.findUniqueOrThrow({ where: { id: devId } });
    const marker = join(env.dataDir, "builds", devId, "data", "sleep-marker");
    await writeFile(marker, "still here");
    setIdleMinutes(0.001);
    const result = await runSweep();
    setIdleMinutes(600);
    expect(result.slept).toContain(devId);
    expect(result.slept).not.toContain(prodId);

    const dev = await prisma().build.findUniqueOrThrow({ where: { id: devId } });
    expect(dev.sleepingSince).not.toBeNull();
    expect(await running(dev.containerName as string)).toBe(false);
    expect(await databaseExists(dev.databaseName as string)).toBe(true);
    expect(await readFile(marker, "utf8")).toBe("still here");
    expect(dev.httpPort).toBe(before.httpPort);

    const prod = await prisma().build.findUniqueOrThrow({ where: { id: prodId } });
    expect(prod.sleepingSince).toBeNull();
    expect(await running(prod.containerName as string)).toBe(true);
    const login = await viaCaddy(prod.url as string, "/web/login");
    expect(login.status).toBe(200);
    expect(login.body).toMatch(/login/i);
  });

  it("answers the sleeping build's address with the starting page and wakes it with one job", async () => {
    const dev = await prisma().build.findUniqueOrThrow({ where: { id: devId } });
    expect(dev.sleepingSince).not.toBeNull();
    const first = await viaCaddy(dev.url as string, "/web/login?redirect=%2Fodoo");
    expect(first.status).toBe(503);
    expect(first.body).toContain('data-state="starting"');
    expect(first.body).toContain('http-equiv="refresh"');
    // More requests while it starts: still one wake job for this sleep.
    await viaCaddy(dev.url as string, "/web/login");
    await viaCaddy(dev.url as string, "/");

    const login = await waitFor(
      "/web/login through Caddy again",
      async () => {
        const answer = await viaCaddy(dev.url as string, "/web/login");
        // Only Odoo's page counts: Caddy answers an empty 200 to a host it has no route for.
        return answer.status === 200 && /login/i.test(answer.body) ? answer : undefined;
      },
      180_000,
    );
    expect(login.body).toMatch(/login/i);
    const jobs = await wakeJobsOf(devId);
    expect(jobs).toHaveLength(1);
    const jobId = queue.wakeBuildJobId(devId, dev.sleepingSince as Date);
    expect(jobs[0]!.id).toBe(jobId);
    // The route comes back just before the job records the build as awake and ends.
    const job = await waitFor(
      "the wake job to end",
      async () => {
        const view = await queue.getJobView("maintenance", jobId, producer);
        return view?.state === "completed" || view?.state === "failed" ? view : undefined;
      },
      30_000,
    );
    expect(job.result).toEqual({ status: "woken" });

    const awake = await prisma().build.findUniqueOrThrow({ where: { id: devId } });
    expect(awake.sleepingSince).toBeNull();
    expect(await running(awake.containerName as string)).toBe(true);
    expect(await databaseExists(awake.databaseName as string)).toBe(true);
  });

  it("records the last request through Caddy on the build, and a visited build stays up", async () => {
    // An old last request, so only the access log can bring a newer one.
    const dev = await prisma().build.update({
      where: { id: devId },
      data: { lastRequestAt: new Date("2000-01-01T00:00:00Z") },
    });
    const asked = new Date(Math.floor(Date.now() / 1000) * 1000);
    expect((await viaCaddy(dev.url as string, "/web/login")).status).toBe(200);
    // Caddy writes the access line once the response is done: the sweep may need a second look.
    const seen = await waitFor(
      "the request in the access log",
      async () => {
        await runSweep();
        const row = await prisma().build.findUniqueOrThrow({ where: { id: devId } });
        return row.lastRequestAt && row.lastRequestAt >= asked ? row : undefined;
      },
      30_000,
    );
    expect(seen.sleepingSince).toBeNull();
    setIdleMinutes(10);
    const result = await runSweep();
    setIdleMinutes(600);
    expect(result.slept).not.toContain(devId);
    expect(await running(dev.containerName as string)).toBe(true);
  });

  it("sends an awake build's late requests back to the URL asked for; other hosts get a 404", async () => {
    const dev = await prisma().build.findUniqueOrThrow({ where: { id: devId } });
    expect(dev.sleepingSince).toBeNull();
    const port = (wakeServer.address() as AddressInfo).port;
    const ask = (host: string) =>
      new Promise<{ status: number; location?: string }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: "127.0.0.1",
            port,
            path: `/wake/${devId}`,
            headers: { host, "x-gantry-wake-uri": "/web/login?redirect=%2Fodoo" },
          },
          (response) => {
            response.resume();
            resolve({ status: response.statusCode ?? 0, location: response.headers.location });
          },
        );
        request.on("error", reject);
        request.end();
      });
    expect(await ask(new URL(dev.url as string).host)).toEqual({
      status: 307,
      location: `${dev.url}/web/login?redirect=%2Fodoo`,
    });
    expect((await ask("elsewhere.localhost")).status).toBe(404);
    expect(await wakeJobsOf(devId)).toHaveLength(1);
  });
});
