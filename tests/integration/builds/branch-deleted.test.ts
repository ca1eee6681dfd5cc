// A branch deleted on GitHub, through its signed delete delivery and a real worker: a serving
// build and a running one lose their containers, databases, roles, routes and work trees; the
// logs stay; the branch leaves the board. A deleted production branch keeps everything.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookExample, webhookRequest } from "../../support/github-standin";
import { type BuildSuite, startBuildSuite } from "./suite";
import { type BuildTestEnv, devQuery, shaOf, waitFor } from "./support";

let suite: BuildSuite;
let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let runtime: import("@gantry/runtime").ContainerRuntime;
let projectId: string;
const SECRET = "branch-deleted-webhook-secret";
beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  ({ env, runtime } = suite);
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  // core's webhook handling enqueues on the configured prefix: the suite's.
  producer = queue.defaultQueueContext();
  const project = await suite.project("gone", {
    name: "Gone",
    githubRepo: env.prefix,
    webhookSecretEnc: (await import("@gantry/secrets")).encrypt(SECRET, process.env.GANTRY_SECRET!),
  });
  projectId = project.id;
}, 180_000);

afterAll(async () => {
  await suite?.close();
  await queue?.closeDefaultQueueContext();
}, 120_000);

async function pushBuild(name: string) {
  const branch = await prisma().branch.create({ data: { projectId, name, stage: "DEVELOPMENT" } });
  const build = await core.enqueueBuild({
    projectId,
    branchId: branch.id,
    stage: "DEVELOPMENT",
    commit: { sha: await shaOf(join(env.repos, "acme17.git"), name) },
    trigger: "push",
  });
  return { branchId: branch.id, buildId: build.id };
}

async function deleteOnGithub(name: string) {
  const base = webhookExample("delete");
  const payload = {
    ...base,
    ref: name,
    ref_type: "branch",
    repository: { ...(base.repository as object), full_name: `acme/${env.prefix}` },
  };
  const { body, headers } = webhookRequest("delete", payload, SECRET);
  return core.handleWebhook(body, new Headers(headers));
}

/** What a build still holds outside Gantry's rows. */
async function leftovers(buildId: string) {
  const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
  const containers = await runtime.listManaged({ build: buildId });
  const databases = build.databaseName
    ? await devQuery("SELECT 1 FROM pg_database WHERE datname = $1", [build.databaseName])
    : [];
  const roles = build.databaseRole
    ? await devQuery("SELECT 1 FROM pg_roles WHERE rolname = $1", [build.databaseRole])
    : [];
  const route = await core.buildRoute(buildId);
  const ws = join(env.dataDir, "builds", buildId);
  return {
    containers: containers.length,
    database: databases.length,
    role: roles.length,
    route: route !== null,
    src: existsSync(join(ws, "src")),
    data: existsSync(join(ws, "data")),
  };
}

describe("a branch deleted on GitHub", () => {
  it("stops the running build and removes what both builds hold; logs stay", async () => {
    const serving = await pushBuild("warning");
    const done = await waitFor(
      "the first build to serve",
      async () => {
        const b = await prisma().build.findUniqueOrThrow({ where: { id: serving.buildId } });
        return b.status === "DONE" ? b : undefined;
      },
      300_000,
    );
    expect(done.servingAt).not.toBeNull();
    expect(await leftovers(serving.buildId)).toMatchObject({
      containers: 1,
      database: 1,
      role: 1,
      route: true,
    });

    // A second build of the same branch, deleted while Odoo runs in its container.
    await prisma().branch.update({ where: { id: serving.branchId }, data: { lastSeenSha: done.commitSha } });
    const second = await core.enqueueBuild({
      projectId,
      branchId: serving.branchId,
      stage: "DEVELOPMENT",
      commit: { sha: done.commitSha },
      trigger: "rebuild",
    });
    await waitFor(
      "the second build's Odoo container",
      async () => ((await runtime.listManaged({ build: second.id })).length > 0 ? true : undefined),
      300_000,
    );

    const answer = await deleteOnGithub("warning");
    expect(answer).toMatchObject({ status: 200, body: { ok: true, outcome: "branch_deleted" } });
    const cancelled = await waitFor(
      "the running build to stop",
      async () => {
        const b = await prisma().build.findUniqueOrThrow({ where: { id: second.id } });
        return b.status === "CANCELLED" ? b : undefined;
      },
      120_000,
    );
    expect(cancelled.status).toBe("CANCELLED");
    for (const id of [serving.buildId, second.id]) {
      await waitFor(
        `build ${id} to be cleaned`,
        async () =>
          (await prisma().build.findUniqueOrThrow({ where: { id } })).cleanedAt ? true : undefined,
        120_000,
      );
      expect(await leftovers(id)).toEqual({
        containers: 0,
        database: 0,
        role: 0,
        route: false,
        src: false,
        data: false,
      });
    }
    expect(existsSync(join(env.dataDir, "builds", serving.buildId, "logs", "tests.log"))).toBe(true);
    const branch = await prisma().branch.findUniqueOrThrow({ where: { id: serving.branchId } });
    expect(branch.deletedAt).not.toBeNull();
    const actor = { userId: "system", isAdmin: true, memberships: {}, tokenProjectIds: null };
    const board = await core.branchBoard(actor, projectId);
    expect(board.branches.map((b) => b.name)).not.toContain("warning");
    // Its history and logs are still there to read.
    const history = await core.branchHistory(actor, projectId, serving.branchId);
    expect(history.builds.map((b) => b.id).sort()).toEqual([serving.buildId, second.id].sort());
    // The same deletion announced again (push with deleted:true, a redelivery): nothing new.
    expect((await deleteOnGithub("warning")).body.outcome).toBe("branch_deleted");
  }, 600_000);

  it("keeps a production branch's build and database, flagged on the board", async () => {
    // Production builds are made by their own job; a served one is what matters here.
    const branch = await prisma().branch.create({ data: { projectId, name: "prod", stage: "PRODUCTION" } });
    const served = await prisma().build.create({
      data: {
        projectId,
        branchId: branch.id,
        stage: "PRODUCTION",
        commitSha: await shaOf(join(env.repos, "acme17.git"), "main"),
        status: "DONE",
        result: "SUCCESS",
        servingAt: new Date(),
        databaseName: "prod_db",
      },
    });
    const prod = { branchId: branch.id, buildId: served.id };
    const jobs = await producer.queue("builds").getJobCounts();
    const answer = await deleteOnGithub("prod");
    expect(answer.body.outcome).toBe("production_kept");
    const build = await prisma().build.findUniqueOrThrow({ where: { id: prod.buildId } });
    expect(build).toMatchObject({ cleanedAt: null, databaseName: "prod_db" });
    expect(build.servingAt).not.toBeNull();
    expect(await producer.queue("builds").getJobCounts()).toEqual(jobs);
    const actor = { userId: "system", isAdmin: true, memberships: {}, tokenProjectIds: null };
    const card = (await core.branchBoard(actor, projectId)).branches.find((b) => b.name === "prod");
    expect(card).toMatchObject({ stage: "PRODUCTION", deletedOnGithub: true });
    const audit = await prisma().auditEvent.findFirst({
      where: { projectId, action: "branch.deleted", target: prod.branchId },
    });
    expect(audit?.data).toMatchObject({ stage: "PRODUCTION", kept: true, source: "webhook" });
  });
});
