// The worker process killed with SIGKILL while Odoo runs a build's container, then started
// again at once (its predecessor's heartbeat still alive): the build must not stay RUNNING, and
// nothing of it may remain (labelled containers, its database and role); the branch then
// builds green on the new worker (the dead worker's branch lock expired by itself).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageOf } from "../standin/helpers";
import { startWorkerProcess, type WorkerProcess } from "../worker/worker-process";
import { type BuildTestEnv, devQuery, requireImage, shaOf, useBuildTestEnv, waitFor } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let runtime: import("@gantry/runtime").DockerRuntime;
let worker: WorkerProcess | undefined;
let projectId: string;
function startWorker(): Promise<WorkerProcess> {
  // A long heartbeat: the killed worker still looks alive when the next one starts, so the
  // start-up reconciliation leaves its build alone and recovery has to come from the job.
  return startWorkerProcess(env, { WORKER_HEARTBEAT_MS: "30000" });
}

async function pushBuild(branchId: string, sha: string): Promise<string> {
  const build = await prisma().build.create({
    data: { projectId, branchId, stage: "DEVELOPMENT", commitSha: sha },
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
  const project = await prisma().project.create({
    data: {
      slug: `crash-${env.prefix}`,
      name: "Crash",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "17.0",
      gitUrl: join(env.repos, "acme17.git"),
    },
  });
  projectId = project.id;
}, 180_000);

afterAll(async () => {
  worker?.killAll();
  if (worker) await worker.exited;
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  for (const build of await prisma().build.findMany({ select: { id: true } }))
    await cleanupBuild(runtime, build.id).catch(() => {});
  await producer?.close();
  await prisma().$disconnect();
  await env?.db.drop();
}, 120_000);

describe("a worker killed in the middle of a build", () => {
  it("leaves no running build and nothing behind; the next build of the branch is green", async () => {
    const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "DEVELOPMENT" } });
    const sha = await shaOf(join(env.repos, "acme17.git"), "main");
    worker = await startWorker();
    const buildId = await pushBuild(branch.id, sha);

    // Killed in the tests phase (Odoo running the module tests in the build's container; the
    // template is ready by then). Watched on the build's phases: cheaper than asking Docker.
    const reached = await waitFor(
      "the build's tests phase",
      async () => {
        const build = await prisma().build.findUniqueOrThrow({
          where: { id: buildId },
          include: { phases: true },
        });
        if (build.status === "DONE" || build.status === "CANCELLED")
          return { endedFirst: `${build.status} ${build.result}: ${build.errorSummary}` };
        const odoo = build.phases.some(
          (p) => ["install", "tests"].includes(p.name) && p.status === "RUNNING",
        );
        return odoo ? { endedFirst: null } : undefined;
      },
      300_000,
    );
    expect(reached.endedFirst, "the build ended before its tests phase").toBeNull();
    const before = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    expect(before.status).toBe("RUNNING");
    worker.killAll();
    await worker.exited;
    const killedId = before.workerId;

    worker = await startWorker();
    const ended = await finished(buildId);
    expect(ended.status).toBe("DONE");
    expect(ended.result).toBe("FAILED");
    expect(ended.errorSummary).toMatch(/interrupted/);
    // Taken up by the new worker (which ended it), recovered by the job handed out again, not
    // by the start-up pass (the heartbeat lived on).
    const restarted = worker;
    expect(killedId).not.toBeNull();
    expect(ended.workerId).toBe(restarted.logs.find((l) => l.msg === "worker ready")?.workerId);
    expect(restarted.logs.find((l) => l.msg === "builds reconciled")).toMatchObject({ failedBuilds: [] });
    await waitFor(
      "the new worker to say it failed the interrupted build",
      async () =>
        restarted.logs.some(
          (l) => l.buildId === buildId && l.msg === "build interrupted by its worker's end: failed",
        )
          ? true
          : undefined,
      30_000,
    );

    // Nothing of it is left: containers, database, role (cleaned once it was failed).
    await waitFor(
      "the interrupted build to be cleaned",
      async () =>
        (await prisma().build.findUniqueOrThrow({ where: { id: buildId } })).cleanedAt ? true : undefined,
      60_000,
    );
    expect(await runtime.listManaged({ build: buildId })).toEqual([]);
    const databaseName = ended.databaseName ?? `__none_${buildId}`;
    expect(await devQuery("SELECT datname FROM pg_database WHERE datname = $1", [databaseName])).toEqual([]);
    expect(await devQuery("SELECT rolname FROM pg_roles WHERE rolname = $1", [databaseName])).toEqual([]);
    const phases = await prisma().buildPhase.findMany({ where: { buildId } });
    expect(phases.filter((p) => p.status === "RUNNING" || p.status === "PENDING")).toEqual([]);

    // The branch is free again: a new build of it runs to green on the new worker.
    const next = await finished(await pushBuild(branch.id, sha));
    expect({ result: next.result, errorSummary: next.errorSummary }).toEqual({
      result: "SUCCESS",
      errorSummary: null,
    });
    expect(next.servingAt).not.toBeNull();
  }, 900_000);
});
