// Shared by the backups suites: the build test environment (scratch Gantry database, Redis
// prefix, data dir, fixture repositories) with backup storage in the data dir and the queue
// prefix in the configuration (so use-cases enqueue where the test's worker listens), an
// Admin actor backed by a real user row, and a served branch made by a real development build
// of the fixture project on the stand-in image, then given the stage under test.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { resetConfigForTests } from "@gantry/config";
import type { Actor } from "@gantry/core";
import { FIXTURE_REPO, FIXTURE_SERIES } from "../../support/odoo-target";
import { type BuildTestEnv, requireImage, shaOf, useBuildTestEnv, waitFor } from "../builds/support";
import { imageOf } from "../standin/helpers";

export { waitFor };

export async function useBackupTestEnv(): Promise<BuildTestEnv> {
  await requireImage(imageOf());
  const env = await useBuildTestEnv();
  process.env.REDIS_PREFIX = env.prefix;
  process.env.BACKUP_DIR = join(env.dataDir, "backups");
  resetConfigForTests();
  return env;
}

export async function adminActor(projectId: string): Promise<Actor> {
  const { prisma } = await import("@gantry/db");
  const user = await prisma().user.create({
    data: { email: `admin-${randomBytes(4).toString("hex")}@example.com`, name: "Backup Admin" },
  });
  await prisma().collaborator.create({ data: { projectId, userId: user.id, role: "ADMIN" } });
  return { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
}

/** A project of the fixture repository; `suffix` tells apart several in one environment. */
export async function createProject(env: BuildTestEnv, suffix = ""): Promise<string> {
  const { prisma } = await import("@gantry/db");
  const project = await prisma().project.create({
    data: {
      slug: `bk-${env.prefix}${suffix}`,
      name: "Backups",
      githubOwner: "acme",
      githubRepo: `${env.prefix}${suffix}`,
      odooSeries: FIXTURE_SERIES,
      gitUrl: join(env.repos, `${FIXTURE_REPO}.git`),
    },
  });
  return project.id;
}

/**
 * A branch served by a real build: a development build of `main` through the build queue,
 * then the branch and build moved to `stage`, as a production or staging build leaves them
 * (serving container, database, filestore under the build's data dir).
 */
export async function servedBranch(
  env: BuildTestEnv,
  projectId: string,
  name: string,
  stage: "PRODUCTION" | "STAGING",
  producer: import("@gantry/queue").QueueContext,
): Promise<{ branchId: string; buildId: string }> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("@gantry/queue");
  const branch = await prisma().branch.create({ data: { projectId, name, stage: "DEVELOPMENT" } });
  const build = await prisma().build.create({
    data: {
      projectId,
      branchId: branch.id,
      stage: "DEVELOPMENT",
      commitSha: await shaOf(join(env.repos, `${FIXTURE_REPO}.git`), "main"),
    },
  });
  await queue.enqueue("builds.run", { buildId: build.id }, { jobId: queue.buildJobId(build.id) }, producer);
  const done = await waitFor(
    `build of ${name}`,
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: build.id } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    300_000,
  );
  if (done.result === "FAILED" || !done.servingAt)
    throw new Error(`the build of ${name} failed: ${done.errorSummary}`);
  await prisma().branch.update({ where: { id: branch.id }, data: { stage } });
  await prisma().build.update({ where: { id: build.id }, data: { stage } });
  return { branchId: branch.id, buildId: build.id };
}
