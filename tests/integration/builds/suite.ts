// The frame of the suites that run builds through a real worker: a scratch database and data
// dir, the suite's Redis prefix made the configured one (so core's use-cases enqueue where the
// worker listens) with a producer on it, an in-process worker on the queues asked for, and at
// the end every build cleaned, production's databases dropped and the scratch database gone.
import { join } from "node:path";
import type { QueueName } from "@gantry/queue";
import { FIXTURE_REPO, FIXTURE_SERIES } from "../../support/odoo-target";
import { dropDb, imageOf } from "../standin/helpers";
import { type BuildTestEnv, requireImage, useBuildTestEnv, waitFor } from "./support";

type Stage = "PRODUCTION" | "STAGING" | "DEVELOPMENT";

export interface BuildSuite {
  env: BuildTestEnv;
  producer: import("@gantry/queue").QueueContext;
  /** The runtime the worker runs on (RUNTIME: the machine's engine or the test Swarm). */
  runtime: import("@gantry/runtime").ContainerRuntime;
  worker: import("../../../apps/worker/src/start-worker").RunningWorker;
  /** A project on a fixture repository (FIXTURE_REPO unless `data.gitUrl` says otherwise). */
  project(slug: string, data?: Record<string, unknown>): Promise<{ id: string; name: string }>;
  /** A build of `sha` on the branch, queued as a push would; returns its id. */
  push(input: {
    projectId: string;
    branchId: string;
    stage: Stage;
    sha: string;
    trigger?: string;
    /** The build's id (letters and digits), when the test must choose it. */
    id?: string;
  }): Promise<string>;
  /** Waits until the build is done or cancelled; its row with its phases. */
  ended(buildId: string, deadlineMs?: number): ReturnType<typeof endedBuild>;
  close(): Promise<void>;
}

async function endedBuild(buildId: string, deadlineMs: number) {
  const { prisma } = await import("@gantry/db");
  return waitFor(
    `build ${buildId} to end`,
    async () => {
      const row = await prisma().build.findUniqueOrThrow({
        where: { id: buildId },
        include: { phases: true },
      });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    deadlineMs,
  );
}

export async function startBuildSuite(options: {
  queues: QueueName[];
  images?: string[];
  /** On the file's test Swarm (by default when RUNTIME=swarm: support.ts). */
  swarm?: boolean;
  /** Settings of the suite (read by the config reset before the worker starts), undone at close. */
  environment?: (env: BuildTestEnv) => Record<string, string> | Promise<Record<string, string>>;
}): Promise<BuildSuite> {
  for (const image of options.images ?? [imageOf()]) await requireImage(image);
  const env = await useBuildTestEnv({ swarm: options.swarm });
  const settings = {
    REDIS_PREFIX: env.prefix,
    BACKUP_DIR: join(env.dataDir, "backups"),
    ...(await options.environment?.(env)),
  };
  const before = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  (await import("@gantry/config")).resetConfigForTests();
  const { prisma } = await import("@gantry/db");
  const queue = await import("@gantry/queue");
  const runtime = (await import("@gantry/runtime")).runtimeFromConfig();
  const producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  const worker = await startWorker({
    prefix: env.prefix,
    queues: options.queues,
    concurrency: 2,
    shutdownTimeoutMs: 5000,
  });
  return {
    env,
    producer,
    runtime,
    worker,
    project: (slug, data = {}) =>
      prisma().project.create({
        data: {
          slug: `${slug}-${env.prefix}`,
          name: slug,
          githubOwner: "acme",
          githubRepo: `${slug}-${env.prefix}`,
          odooSeries: FIXTURE_SERIES,
          gitUrl: join(env.repos, `${FIXTURE_REPO}.git`),
          ...data,
        },
        select: { id: true, name: true },
      }),
    async push({ projectId, branchId, stage, sha, trigger = "push", id }) {
      const build = await prisma().build.create({
        data: { ...(id ? { id } : {}), projectId, branchId, stage, commitSha: sha, trigger },
      });
      await queue.enqueue(
        "builds.run",
        { buildId: build.id },
        { jobId: queue.buildJobId(build.id) },
        producer,
      );
      return build.id;
    },
    ended: (buildId, deadlineMs = 400_000) => endedBuild(buildId, deadlineMs),
    async close() {
      await worker.stop();
      const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
      for (const build of await prisma().build.findMany({ select: { id: true } }))
        await cleanupBuild(runtime, build.id).catch(() => {});
      // Production's database is the branch's: cleaning builds keeps it, the suite drops it.
      for (const branch of await prisma().branch.findMany({ select: { id: true } })) {
        for (const suffix of ["", "_rollback"])
          await dropDb(`gantry_p_${branch.id}${suffix}`).catch(() => {});
      }
      // Networks belong to projects, which only a project's deletion tears down.
      for (const project of await prisma().project.findMany({ select: { id: true } }))
        await runtime.removeNetworks({ project: project.id }).catch(() => {});
      await producer.close();
      await prisma().$disconnect();
      await env.db.drop();
      for (const [key, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
