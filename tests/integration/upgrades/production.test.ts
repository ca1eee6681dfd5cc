// The production upgrade through the migrations queue, on a production branch served by a
// real production build of the acme16 fixture's 17.0 code (stand-in image, the production
// PostgreSQL server, Caddy). A push whose code cannot load on 18.0 fails and leaves production
// serving exactly as before (same container, same checksum, route back); the 18.0 code
// upgrades it: "upgrade" backup verified, maintenance page while it runs, the upgraded
// database swapped in and served on 18.0.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../../apps/worker/src/upgrades/fingerprint";
import { type BuildTestEnv, requireImage, shaOf, useBuildTestEnv, waitFor } from "../builds/support";
import { dropDb, PG, query } from "../standin/helpers";
import { attemptEnded } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let runtime: import("@gantry/runtime").DockerRuntime;
let projectId: string;
let branchId: string;
let buildId: string;
let database: string;
let admin: import("@gantry/core").Actor;

const repo = () => join(env.repos, "acme16.git");

/** A successful rehearsal of `toSeries`, as the staging side leaves it: production needs one. */
async function rehearsed(toSeries: string) {
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

async function push(ref: string) {
  await prisma().branch.update({ where: { id: branchId }, data: { lastSeenSha: await shaOf(repo(), ref) } });
}

async function answers(port: number, path: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
}

async function caddyRoute(id: string): Promise<{ handle: { handler: string }[] } | null> {
  const response = await fetch(`http://127.0.0.1:2019/id/gantry-build-${id}`);
  return response.ok ? ((await response.json()) as { handle: { handler: string }[] }) : null;
}

beforeAll(async () => {
  await requireImage("gantry/odoo:17.0");
  await requireImage("gantry/odoo:18.0");
  env = await useBuildTestEnv();
  process.env.REDIS_PREFIX = env.prefix;
  process.env.BACKUP_DIR = join(env.dataDir, "backups");
  (await import("@gantry/config")).resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({ redisUrl: "redis://127.0.0.1:6379/0", prefix: env.prefix });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds", "migrations", "backups"],
    concurrency: 2,
    shutdownTimeoutMs: 5000,
  });
  const project = await prisma().project.create({
    data: {
      slug: `upgprod-${env.prefix}`,
      name: "ACME production upgrade",
      githubOwner: "acme",
      githubRepo: `upgprod-${env.prefix}`,
      odooSeries: "17.0",
      gitUrl: repo(),
    },
  });
  projectId = project.id;
  const user = await prisma().user.create({
    data: { email: `admin-${env.prefix}@acme.example.com`, name: "Admin" },
  });
  admin = { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
  const branch = await prisma().branch.create({
    data: { projectId, name: "main", stage: "PRODUCTION", lastSeenSha: await shaOf(repo(), "17.0") },
  });
  branchId = branch.id;
  const build = await prisma().build.create({
    data: { projectId, branchId, stage: "PRODUCTION", commitSha: await shaOf(repo(), "17.0") },
  });
  buildId = build.id;
  await queue.enqueue("builds.run", { buildId }, { jobId: queue.buildJobId(buildId) }, producer);
  const served = await waitFor(
    "production's first build",
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    300_000,
  );
  if (!served.servingAt) throw new Error(`production's build failed: ${served.errorSummary}`);
  database = served.databaseName!;
}, 420_000);

afterAll(async () => {
  await worker?.stop();
  const { cleanupBuild } = await import("../../../apps/worker/src/jobs/build/cleanup");
  for (const build of (await prisma?.().build.findMany({ select: { id: true, containerName: true } })) ??
    []) {
    if (build.containerName) await runtime.remove(build.containerName, true).catch(() => {});
    await cleanupBuild(runtime, build.id).catch(() => {});
  }
  if (database) {
    for (const suffix of ["", "_upgrade", "_preupgrade", "_rollback"]) await dropDb(`${database}${suffix}`);
  }
  for (const { id } of (await prisma?.().upgradeAttempt.findMany({ select: { id: true } })) ?? []) {
    await query("postgres", `DROP ROLE IF EXISTS "gantry_u_${id}"`).catch(() => {});
  }
  await producer?.close();
  await prisma?.().$disconnect();
  await env?.db.drop();
}, 180_000);

describe("production upgrade", () => {
  it("reverts a failed upgrade: production serves on 17.0 exactly as before", async () => {
    const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    const filestore = join(env.dataDir, "production", branchId, "data", "filestore", database);
    const before = await fingerprint({ ...PG, database }, filestore);
    await rehearsed("18.0");
    // The next push still carries the 17.0 code (acme_legacy 17.0.1.0.0): it cannot load on 18.0.
    await push("main");
    const asked = await core.requestProductionUpgrade(admin, projectId, branchId, {
      toSeries: "18.0",
      when: { mode: "next-push" },
    });
    expect(asked.status).toBe("SCHEDULED");
    await push("17.0");
    const done = await attemptEnded(asked.id);
    expect(done.status).toBe("FAILED");
    expect(done.failedStep).toBe("update");
    expect(done.reverted).toBe(true);
    const steps = (await core.getUpgradeAttempt(admin, asked.id)).steps.map((s) => `${s.name}:${s.status}`);
    expect(steps).toEqual(
      expect.arrayContaining(["backup:done", "stop:done", "update:failed", "revert:done"]),
    );

    expect(await fingerprint({ ...PG, database }, filestore)).toEqual(before);
    const state = await runtime.inspect(build.containerName!);
    expect(state.running).toBe(true);
    expect(state.image).toBe("gantry/odoo:17.0");
    expect(await answers(build.httpPort!, "/web/login")).toBe(200);
    expect((await caddyRoute(buildId))?.handle[0]?.handler).toBe("reverse_proxy");
    const branch = await prisma().branch.findUniqueOrThrow({ where: { id: branchId } });
    expect(branch.odooSeries).toBeNull();
    expect((await core.unacknowledgedUpgradeFailures(admin, projectId)).map((f) => f.id)).toContain(asked.id);
  });

  it("upgrades production with the 18.0 code at the chosen time: verified backup, maintenance page, swap, served on 18.0", async () => {
    const before = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    await push("18.0");
    const asked = await core.requestProductionUpgrade(admin, projectId, branchId, {
      toSeries: "18.0",
      when: { mode: "at", at: new Date().toISOString() },
    });
    // While it runs, the host answers the maintenance page from Caddy.
    const maintenance = await waitFor(
      "the maintenance page",
      async () => ((await caddyRoute(buildId))?.handle[0]?.handler === "static_response" ? true : undefined),
      240_000,
    );
    expect(maintenance).toBe(true);
    const done = await attemptEnded(asked.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    const attempt = await core.getUpgradeAttempt(admin, asked.id);
    expect(attempt.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "backup:done",
      "stop:done",
      "copy:done",
      "pre:done",
      "update:done",
      "post:done",
      "verify:done",
      "swap:done",
      "start:done",
    ]);
    const backup = await prisma().backup.findUniqueOrThrow({ where: { id: done.backupId! } });
    expect(backup.kind).toBe("UPGRADE");
    expect(backup.verifyStatus).toBe("VERIFIED");

    const legacy = await query<{ latest_version: string }>(
      database,
      "SELECT latest_version FROM ir_module_module WHERE name = 'acme_legacy'",
    );
    expect(legacy[0]?.latest_version).toBe("18.0.1.0.0");
    const after = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    expect(after.odooSeries).toBe("18.0");
    expect(after.containerName).not.toBe(before.containerName);
    const state = await runtime.inspect(after.containerName!);
    expect(state.running).toBe(true);
    expect(state.image).toBe("gantry/odoo:18.0");
    expect(await answers(after.httpPort!, "/web/health")).toBe(200);
    expect((await caddyRoute(buildId))?.handle[0]?.handler).toBe("reverse_proxy");
    expect((await prisma().branch.findUniqueOrThrow({ where: { id: branchId } })).odooSeries).toBe("18.0");
    // The pre-upgrade copy is gone once production serves on the new series.
    expect(
      await query("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [`${database}_preupgrade`]),
    ).toEqual([]);
  });
});
