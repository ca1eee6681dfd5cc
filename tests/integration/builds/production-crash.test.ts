// A worker killed while it updates production (Odoo's `-u` running in the build's container,
// production stopped, the rollback snapshot taken, the database handed to the new build's
// role), then started again at once: the build's job is handed out again, the build is failed
// as interrupted, and production is put back from what the build stored as it went: the
// snapshot restored (the half-done update's writes gone), the database back with the
// previous build's role, the previous build serving again. And a worker killed while production
// is down for an update with nothing to update (the previous build stopped, the database being
// handed to the new build's role): the build is not reported ended before production serves
// again.
import { execFile } from "node:child_process";
import { lstat, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROD_CLUSTER } from "../../support/clusters";
import { imageOf } from "../standin/helpers";
import { startWorkerProcess, type WorkerProcess } from "../worker/worker-process";
import { type BuildTestEnv, loginStatus, requireImage, shaOf, useBuildTestEnv, waitFor } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let runtime: import("@gantry/runtime").DockerRuntime;
let worker: WorkerProcess | undefined;
let projectId: string;
let branchId: string;
let productionDb = "";

function startWorker(): Promise<WorkerProcess> {
  // A long heartbeat: the killed worker still looks alive when the next one starts, so the
  // recovery comes from the build's job handed out again (interrupted.ts).
  return startWorkerProcess(env, {
    WORKER_HEARTBEAT_MS: "30000",
    BACKUP_DIR: join(env.dataDir, "backups"),
  });
}

async function push(commitOf: string): Promise<string> {
  const build = await prisma().build.create({
    data: {
      projectId,
      branchId,
      stage: "PRODUCTION",
      commitSha: await shaOf(join(env.repos, "acme17.git"), commitOf),
      trigger: "update",
    },
  });
  await queue.enqueue("builds.run", { buildId: build.id }, { jobId: queue.buildJobId(build.id) }, producer);
  return build.id;
}

function finished(buildId: string) {
  return waitFor(
    `build ${buildId} to end`,
    async () => {
      const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
      return build.status === "DONE" || build.status === "CANCELLED" ? build : undefined;
    },
    400_000,
  );
}

async function sql<T = Record<string, unknown>>(database: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({
    ...PROD_CLUSTER,
    database,
  });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const tableChecksum =
  "SELECT count(*)::int AS n, md5(string_agg(id || ':' || name || ':' || coalesce(budget::text, ''), ',' ORDER BY id)) AS sum FROM acme_project";

beforeAll(async () => {
  await requireImage(imageOf("17.0"));
  env = await useBuildTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  // Server rows a template may carry were encrypted with another secret: registered again with ours.
  await prisma().dbServer.deleteMany();
  const project = await prisma().project.create({
    data: {
      slug: `pcrash-${env.prefix}`,
      name: "Production crash",
      githubOwner: "acme",
      githubRepo: `pcrash-${env.prefix}`,
      odooSeries: "17.0",
      gitUrl: join(env.repos, "acme17.git"),
    },
  });
  projectId = project.id;
  const branch = await prisma().branch.create({
    data: { projectId, name: "main", stage: "PRODUCTION", onNewCommit: "UPDATE_PREVIOUS" },
  });
  branchId = branch.id;
  productionDb = `gantry_p_${branch.id}`;
}, 180_000);

afterAll(async () => {
  worker?.killAll();
  if (worker) await worker.exited;
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  for (const build of await prisma().build.findMany({ select: { id: true } }))
    await cleanupBuild(runtime, build.id).catch(() => {});
  if (productionDb) {
    for (const name of [productionDb, `${productionDb}_rollback`])
      await sql("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  }
  await producer?.close();
  await prisma().$disconnect();
  await env?.db.drop();
}, 180_000);

describe("a worker killed while it updates production", () => {
  it("leaves production as it was before the update, the previous build serving", async () => {
    worker = await startWorker();
    const first = await finished(await push("main"));
    expect({ result: first.result, errorSummary: first.errorSummary }).toEqual({
      result: "SUCCESS",
      errorSummary: null,
    });
    const before = (await sql<{ n: number; sum: string }>(productionDb, tableChecksum))[0];
    expect(before?.n).toBeGreaterThan(0);

    // The update's container is frozen as soon as it exists: the worker dies mid-update.
    const buildId = await push("bump-slow");
    const updating = await waitFor(
      "the update container of the production build",
      async () => {
        const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
        if (build.status === "DONE") return { endedFirst: `${build.result}: ${build.errorSummary}` };
        // Running, not only created: a container not started yet cannot be paused.
        const container = (await runtime.listManaged({ build: buildId })).find(
          (c) => c.name.endsWith("-update") && c.state === "running",
        );
        return container ? { endedFirst: null, container: container.name } : undefined;
      },
      300_000,
    );
    expect(updating.endedFirst, "the update ended before the worker could be killed").toBeNull();
    await promisify(execFile)("docker", ["pause", updating.container as string]);
    worker.killAll();
    await worker.exited;
    worker = undefined;

    // What the killed worker leaves: the database with the new build's role, the previous
    // build stopped, and (standing for a half-done update) rows changed.
    const role = `gantry_b_${buildId}`;
    const [owner] = await sql<{ owner: string }>(
      "postgres",
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [productionDb],
    );
    expect(owner?.owner).toBe(role);
    expect(
      await sql("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [`${productionDb}_rollback`]),
    ).toHaveLength(1);
    expect((await runtime.inspect(first.containerName as string)).running).toBe(false);
    await sql(productionDb, "UPDATE acme_project SET name = 'half-updated'");

    worker = await startWorker();
    await finished(buildId);
    // Failed first, then production put back, then the build cleaned.
    const ended = await waitFor(
      "the interrupted build to be put back and cleaned",
      async () => {
        const row = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
        return row.cleanedAt ? row : undefined;
      },
      300_000,
    );
    expect(ended.result).toBe("FAILED");
    expect(ended.errorSummary).toMatch(/interrupted/);
    expect(ended.errorSummary).toMatch(/rolled back: database and filestore restored/);

    // Production as it was: rows, owner (database and tables), no snapshot, no role left.
    expect((await sql<{ n: number; sum: string }>(productionDb, tableChecksum))[0]).toEqual(before);
    const previous = await prisma().build.findUniqueOrThrow({ where: { id: first.id } });
    const [after] = await sql<{ owner: string }>(
      "postgres",
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [productionDb],
    );
    expect(after?.owner).toBe(previous.databaseRole);
    const [table] = await sql<{ tableowner: string }>(
      productionDb,
      "SELECT tableowner FROM pg_tables WHERE tablename = 'acme_project'",
    );
    expect(table?.tableowner).toBe(previous.databaseRole);
    expect(
      await sql("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [`${productionDb}_rollback`]),
    ).toEqual([]);
    expect(await sql("postgres", "SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).toEqual([]);
    expect(await runtime.listManaged({ build: buildId })).toEqual([]);
    expect(previous.servingAt).not.toBeNull();
    await waitFor(
      "the previous production build to answer again",
      async () => ((await loginStatus(previous).catch(() => 0)) === 200 ? true : undefined),
      120_000,
    );
  }, 900_000);

  it("reports the interrupted build ended only once the previous build serves again", async () => {
    worker ??= await startWorker();
    const serving = await prisma().build.findFirstOrThrow({
      where: { branchId, servingAt: { not: null }, cleanedAt: null },
    });
    const before = (await sql<{ n: number; sum: string }>(productionDb, tableChecksum))[0];
    // Odoo answers nothing but 500 while it cannot make its sessions folder: with a file in its
    // place, the new build waits in its serve phase (production stopped, the database handed to
    // the build's role) for as long as the test needs to kill its worker there.
    const sessions = join(env.dataDir, "production", branchId, "data", "sessions");
    await rename(sessions, `${sessions}.held`);
    await writeFile(sessions, "");
    const holder = new pg.Client({ ...PROD_CLUSTER, database: productionDb });
    try {
      const buildId = await push("main");
      await waitFor(
        "the production build's serve phase",
        async () => {
          const build = await prisma().build.findUniqueOrThrow({
            where: { id: buildId },
            include: { phases: true },
          });
          if (build.status === "DONE") throw new Error(`ended first: ${build.result}: ${build.errorSummary}`);
          const serve = build.phases.find((p) => p.name === "serve");
          const containers = await runtime.listManaged({ build: buildId });
          return serve?.status === "RUNNING" && containers.some((c) => c.name.endsWith("-serve"))
            ? true
            : undefined;
        },
        300_000,
      );
      const killed = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
      expect((await runtime.inspect(serving.containerName as string)).running).toBe(false);
      worker.killAll();
      await worker.exited;
      await rm(sessions);
      await rename(`${sessions}.held`, sessions);
      // Held by the test: handing the database back (REASSIGN OWNED, which alters the owner of
      // every table) waits for it, so the put-back is held until the test has looked at the build.
      await holder.connect();
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE acme_project IN ACCESS SHARE MODE");
      worker = await startWorker();

      // The new worker takes the build up (its job handed out again) and puts production back
      // while the build still runs: not ended while the previous build is stopped.
      const takenUp = await waitFor(
        "the interrupted build to be taken up or ended",
        async () => {
          const row = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
          return row.status !== "RUNNING" || row.workerId !== killed.workerId ? row : undefined;
        },
        300_000,
      );
      expect({ status: takenUp.status, result: takenUp.result }).toEqual({ status: "RUNNING", result: null });
      expect((await runtime.inspect(serving.containerName as string)).running).toBe(false);
      await holder.query("COMMIT");

      const ended = await finished(buildId);
      // Ended: production answers at once, not after some more waiting.
      expect(await loginStatus(serving).catch((error: Error) => error.message)).toBe(200);
      expect(ended.result).toBe("FAILED");
      expect(ended.errorSummary).toMatch(/interrupted[\s\S]*rolled back: database handed back unchanged/);
      expect((await sql<{ n: number; sum: string }>(productionDb, tableChecksum))[0]).toEqual(before);
      const [owner] = await sql<{ owner: string }>(
        "postgres",
        "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
        [productionDb],
      );
      expect(owner?.owner).toBe(serving.databaseRole);
    } finally {
      await holder.end().catch(() => {});
      if (
        await lstat(sessions).then(
          (st) => st.isFile(),
          () => false,
        )
      ) {
        await rm(sessions);
        await rename(`${sessions}.held`, sessions);
      }
    }
  }, 900_000);

  it("leaves a build that went live serving when its worker died before it ended", async () => {
    worker ??= await startWorker();
    const previous = await prisma().build.findFirstOrThrow({
      where: { branchId, servingAt: { not: null }, cleanedAt: null },
    });
    const live = await finished(await push("main"));
    expect(live.result).toBe("SUCCESS");
    // As its worker leaves it when it dies between going live (the rollback settled, the
    // previous build retired) and ending: RUNNING, on a worker that is gone.
    await prisma().build.update({
      where: { id: live.id },
      data: { status: "RUNNING", result: null, finishedAt: null, workerId: "a-worker-that-is-gone" },
    });
    const { reconcileBuilds } = await import("../../../apps/worker/src/builds/reconcile");
    const report = await reconcileBuilds({ runtime, queue: producer, workerId: "reconciling-worker" });
    expect(report.failedBuilds).not.toContain(live.id);
    const after = await prisma().build.findUniqueOrThrow({ where: { id: live.id } });
    expect({ status: after.status, result: after.result, cleanedAt: after.cleanedAt }).toEqual({
      status: "DONE",
      result: "SUCCESS",
      cleanedAt: null,
    });
    expect(after.errorSummary).toMatch(/went live/);
    expect(after.servingAt).not.toBeNull();
    expect(await loginStatus(after).catch((error: Error) => error.message)).toBe(200);
    const retired = await prisma().build.findUniqueOrThrow({ where: { id: previous.id } });
    expect(retired.servingAt).toBeNull();
  }, 900_000);
});
