// Deleting a project removes what its builds made outside Gantry's rows: containers, the
// databases and roles of its builds and of its production branch (kept across builds, so no
// retention ever drops them), the work trees and filestores, and the routes. Another
// project's database on the same server stays.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropDb, query } from "../standin/helpers";
import { type BuildTestEnv, devQuery, requireImage, shaOf, useBuildTestEnv, waitFor } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let producer: import("@gantry/queue").QueueContext;
let runtime: import("@gantry/runtime").DockerRuntime;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;

async function built(projectId: string, name: string, stage: "PRODUCTION" | "DEVELOPMENT", sha: string) {
  const branch = await prisma().branch.create({ data: { projectId, name, stage, lastSeenSha: sha } });
  const queued = await core.enqueueBuild(
    { projectId, branchId: branch.id, stage, commit: { sha }, trigger: "push" },
    producer,
  );
  const build = await waitFor(
    `build of ${name}`,
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: queued.id } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    400_000,
  );
  expect({ result: build.result, error: build.errorSummary }).toEqual({ result: "SUCCESS", error: null });
  return { branch, build };
}

/** Which of `names` exist as databases (or roles) on either build cluster. */
async function present(catalog: "pg_database" | "pg_roles", names: string[]): Promise<string[]> {
  const column = catalog === "pg_database" ? "datname" : "rolname";
  const sql = `SELECT ${column} AS name FROM ${catalog} WHERE ${column} = ANY($1::text[])`;
  const rows = [
    ...(await query<{ name: string }>("postgres", sql, [names])),
    ...(await devQuery(sql, [names])),
  ];
  return rows.map((r) => String(r.name)).sort();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  await requireImage("gantry/odoo:17.0");
  env = await useBuildTestEnv();
  process.env.REDIS_PREFIX = env.prefix;
  (await import("@gantry/config")).resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  const queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({ redisUrl: "redis://127.0.0.1:6379/0", prefix: env.prefix });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds"],
    concurrency: 2,
    shutdownTimeoutMs: 5000,
  });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  const { cleanupBuild } = await import("../../../apps/worker/src/jobs/build/cleanup");
  for (const build of (await prisma?.().build.findMany({ select: { id: true } })) ?? [])
    await cleanupBuild(runtime, build.id).catch(() => {});
  for (const branch of (await prisma?.().branch.findMany({ where: { stage: "PRODUCTION" } })) ?? [])
    await dropDb(`gantry_p_${branch.id}`).catch(() => {});
  await producer?.close();
  await prisma?.().$disconnect();
  await env?.db.drop();
}, 120_000);

describe("deleting a project", () => {
  it("drops its build and production databases, roles, files and containers, and nothing else", async () => {
    const repo = join(env.repos, "acme16.git");
    const sha = await shaOf(repo, "17.0");
    const root = await prisma().user.create({
      data: { email: `root-${env.prefix}@example.com`, name: "Root", isAdmin: true },
    });
    const actor = { userId: root.id, isAdmin: true, memberships: {}, tokenProjectIds: null };
    const project = async (slug: string) =>
      prisma().project.create({
        data: {
          slug: `${slug}-${env.prefix}`,
          name: slug,
          githubOwner: "acme",
          githubRepo: `${slug}-${env.prefix}`,
          odooSeries: "17.0",
          gitUrl: repo,
        },
      });
    const doomed = await project("doomed");
    const other = await project("other");
    const production = await built(doomed.id, "main", "PRODUCTION", sha);
    const development = await built(doomed.id, "feature", "DEVELOPMENT", sha);
    const kept = await built(other.id, "feature", "DEVELOPMENT", sha);
    const productionDb = `gantry_p_${production.branch.id}`;
    const names = [productionDb, development.build.databaseName!];
    expect(await present("pg_database", names)).toEqual([...names].sort());

    const { projectTeardown } = await import("../../../apps/web/lib/projects/teardown");
    const report = await core.deleteProject(actor, doomed.id, { confirmName: "doomed" }, projectTeardown());
    expect(report.droppedDatabases).toEqual(
      expect.arrayContaining(names.map((n) => expect.stringMatching(new RegExp(`/${n}$`)))),
    );
    expect(await present("pg_database", names)).toEqual([]);
    const roles = [production.build.databaseRole!, development.build.databaseRole!];
    expect(await present("pg_roles", roles)).toEqual([]);
    expect(await exists(join(env.dataDir, "production", production.branch.id))).toBe(false);
    expect(await exists(join(env.dataDir, "builds", development.build.id))).toBe(false);
    expect(await runtime.listManaged({ project: doomed.id })).toEqual([]);

    // The other project's build is untouched.
    expect(await present("pg_database", [kept.build.databaseName!])).toEqual([kept.build.databaseName]);
    expect((await runtime.inspect(kept.build.containerName!)).running).toBe(true);
  }, 900_000);
});
