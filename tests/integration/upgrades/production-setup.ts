// Shared by the production upgrade suites: a project whose production branch is served by a
// real production build of the acme16 fixture's 17.0 code, a successful rehearsal (production
// upgrades require one), and small probes of what production answers.
import { join } from "node:path";
import { type BuildTestEnv, requireImage, shaOf, useBuildTestEnv, waitFor } from "../builds/support";
import { imageOf } from "../standin/helpers";

/** A build test environment for 17.0 -> 18.0, with a producer on its Redis prefix. */
export async function useUpgradeTestEnv() {
  await requireImage(imageOf("17.0"));
  await requireImage(imageOf("18.0"));
  const env = await useBuildTestEnv();
  // The use-cases enqueue on the configured prefix: the workers listen on the same one.
  process.env.REDIS_PREFIX = env.prefix;
  process.env.BACKUP_DIR = join(env.dataDir, "backups");
  (await import("@gantry/config")).resetConfigForTests();
  const queue = await import("@gantry/queue");
  const producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const enqueueBuild = (buildId: string) =>
    queue.enqueue("builds.run", { buildId }, { jobId: queue.buildJobId(buildId) }, producer);
  return { env, producer, enqueueBuild };
}

export interface ServedProduction {
  projectId: string;
  branchId: string;
  buildId: string;
  database: string;
  repo: string;
}

/** Creates the project and its production branch, and waits for its first build to serve. */
export async function servedProduction(
  env: BuildTestEnv,
  slug: string,
  enqueueBuild: (buildId: string) => Promise<unknown>,
): Promise<ServedProduction> {
  const { prisma } = await import("@gantry/db");
  const repo = join(env.repos, "acme16.git");
  const project = await prisma().project.create({
    data: {
      slug: `${slug}-${env.prefix}`,
      name: `ACME ${slug}`,
      githubOwner: "acme",
      githubRepo: `${slug}-${env.prefix}`,
      odooSeries: "17.0",
      gitUrl: repo,
    },
  });
  const sha = await shaOf(repo, "17.0");
  const branch = await prisma().branch.create({
    data: { projectId: project.id, name: "main", stage: "PRODUCTION", lastSeenSha: sha },
  });
  const build = await prisma().build.create({
    data: { projectId: project.id, branchId: branch.id, stage: "PRODUCTION", commitSha: sha },
  });
  await enqueueBuild(build.id);
  const served = await waitFor(
    "production's first build",
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: build.id } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    300_000,
  );
  if (!served.servingAt) throw new Error(`production's build failed: ${served.errorSummary}`);
  return {
    projectId: project.id,
    branchId: branch.id,
    buildId: build.id,
    database: served.databaseName!,
    repo,
  };
}

/** A successful rehearsal of `toSeries`, as the staging side leaves it: production needs one. */
export async function markRehearsed(projectId: string, toSeries: string): Promise<void> {
  const { prisma } = await import("@gantry/db");
  const staging = await prisma().branch.upsert({
    where: { projectId_name: { projectId, name: "staging" } },
    update: {},
    create: { projectId, name: "staging", stage: "STAGING" },
  });
  await prisma().upgradeAttempt.create({
    data: {
      projectId,
      branchId: staging.id,
      kind: "REHEARSAL",
      status: "SUCCEEDED",
      fromSeries: "17.0",
      toSeries,
      finishedAt: new Date(),
    },
  });
}

export async function answers(port: number, path: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
}

/** The Caddy route of a build: reverse_proxy when it serves, static_response for the maintenance page. */
export async function caddyHandler(buildId: string): Promise<string | undefined> {
  const route = (await (await import("@gantry/core")).buildRoute(buildId)) as {
    handle: { handler: string }[];
  } | null;
  return route?.handle[0]?.handler;
}

/** Removes what the suite left: build containers and databases, production's copies, attempts' roles. */
export async function cleanupUpgradeTest(input: {
  env: BuildTestEnv | undefined;
  producer: import("@gantry/queue").QueueContext | undefined;
  database: string | undefined;
}): Promise<void> {
  const { prisma } = await import("@gantry/db");
  const { DockerRuntime } = await import("@gantry/runtime");
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  const { dropDb, query } = await import("../standin/helpers");
  const runtime = new DockerRuntime();
  if (input.env) {
    for (const build of await prisma().build.findMany({ select: { id: true, containerName: true } })) {
      if (build.containerName) await runtime.remove(build.containerName, true).catch(() => {});
      await cleanupBuild(runtime, build.id).catch(() => {});
    }
    for (const { id } of await prisma().upgradeAttempt.findMany({ select: { id: true } }))
      await query("postgres", `DROP ROLE IF EXISTS "gantry_u_${id}"`).catch(() => {});
  }
  if (input.database) {
    for (const suffix of ["", "_upgrade", "_preupgrade", "_rollback"])
      await dropDb(`${input.database}${suffix}`);
  }
  await input.producer?.close();
  if (input.env) {
    await prisma().$disconnect();
    await input.env.db.drop();
  }
}
