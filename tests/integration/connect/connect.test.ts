// One-click Connect against a development build served by the stand-in Odoo (a real worker
// builds it, with the gantry_connect addon mounted and loaded server-wide): the token the API's
// use-case makes logs the browser in as the database's administrator, or as a user picked from
// the build's own list; a token works once, only for its build, only before it expires; the
// Connect right of the stage decides and every connect is audited.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildTestEnv, requireImage, shaOf, useBuildTestEnv, waitFor } from "../builds/support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let odoo: typeof import("@gantry/odoo");
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let runtime: import("@gantry/runtime").DockerRuntime;
let projectId: string;
let buildId: string;
let build16Id: string;
let project16Id: string;
let productionId: string;
let port: number;
let database: string;
let admin: import("@gantry/core").Actor;
let user: import("@gantry/core").Actor;

async function actor(role: "ADMIN" | "USER"): Promise<import("@gantry/core").Actor> {
  const row = await prisma().user.create({
    data: { email: `${role.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`, name: role },
  });
  return { userId: row.id, isAdmin: false, memberships: { [projectId]: role }, tokenProjectIds: null };
}

/** The build's own port in place of its public host: the proxy is not what is tested here. */
function local(url: string, on = port): string {
  const parsed = new URL(url);
  return `http://127.0.0.1:${on}${parsed.pathname}${parsed.search}`;
}

/** Follows Connect's answer: the cookie it sets, then who /web says is logged in. */
async function open(
  url: string,
  on = port,
): Promise<{ status: number; cookie: string | null; who: string | null; body: string }> {
  const answer = await fetch(local(url, on), { redirect: "manual" });
  const body = await answer.text();
  const cookie = answer.headers.get("set-cookie")?.split(";")[0] ?? null;
  if (answer.status !== 303 || !cookie) return { status: answer.status, cookie, who: null, body };
  expect(answer.headers.get("location")).toMatch(/\/web$/);
  const page = await fetch(`http://127.0.0.1:${on}/web`, { headers: { cookie }, redirect: "manual" });
  const who = /oe_topbar_name'>([^<]*)</.exec(await page.text())?.[1] ?? null;
  return { status: answer.status, cookie, who, body };
}

beforeAll(async () => {
  env = await useBuildTestEnv();
  const { config } = await import("@gantry/config");
  await requireImage(`${config().ODOO_IMAGE}:17.0`);
  await requireImage(`${config().ODOO_IMAGE}:16.0`);
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  odoo = await import("@gantry/odoo");
  queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds"],
    concurrency: 1,
    shutdownTimeoutMs: 5000,
  });
  const project = await prisma().project.create({
    data: {
      slug: `connect-${randomBytes(3).toString("hex")}`,
      name: "Connect",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "17.0",
      gitUrl: join(env.repos, "acme17.git"),
    },
  });
  projectId = project.id;
  const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "DEVELOPMENT" } });
  buildId = (
    await prisma().build.create({
      data: {
        projectId,
        branchId: branch.id,
        stage: "DEVELOPMENT",
        commitSha: await shaOf(join(env.repos, "acme17.git"), "main"),
      },
    })
  ).id;
  await queue.enqueue("builds.run", { buildId }, { jobId: queue.buildJobId(buildId) }, producer);
  // The same on the 16.0 series, whose HTTP layer differs (no /web/health) and loads the same addon.
  const project16 = await prisma().project.create({
    data: {
      slug: `connect16-${randomBytes(3).toString("hex")}`,
      name: "Connect 16",
      githubOwner: "acme",
      githubRepo: `${env.prefix}-16`,
      odooSeries: "16.0",
      gitUrl: join(env.repos, "acme16.git"),
    },
  });
  const branch16 = await prisma().branch.create({
    data: { projectId: project16.id, name: "main", stage: "DEVELOPMENT" },
  });
  build16Id = (
    await prisma().build.create({
      data: {
        projectId: project16.id,
        branchId: branch16.id,
        stage: "DEVELOPMENT",
        commitSha: await shaOf(join(env.repos, "acme16.git"), "main"),
      },
    })
  ).id;
  await queue.enqueue("builds.run", { buildId: build16Id }, { jobId: queue.buildJobId(build16Id) }, producer);
  project16Id = project16.id;
  const prodBranch = await prisma().branch.create({ data: { projectId, name: "prod", stage: "PRODUCTION" } });
  productionId = (
    await prisma().build.create({
      data: { projectId, branchId: prodBranch.id, stage: "PRODUCTION", commitSha: "a".repeat(40) },
    })
  ).id;
  admin = await actor("ADMIN");
  user = await actor("USER");
  const served = await waitFor(
    "the build to serve",
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    400_000,
  );
  if (!served.servingAt || !served.httpPort || !served.databaseName) {
    throw new Error(`the build ended unserved: ${served.errorSummary}`);
  }
  port = served.httpPort;
  database = served.databaseName;
  const served16 = await waitFor(
    "the 16.0 build to serve",
    async () => {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: build16Id } });
      return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
    },
    400_000,
  );
  if (!served16.servingAt) throw new Error(`the 16.0 build ended unserved: ${served16.errorSummary}`);
}, 600_000);

afterAll(async () => {
  await worker?.stop();
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  if (buildId) await cleanupBuild(runtime, buildId).catch(() => {});
  if (build16Id) await cleanupBuild(runtime, build16Id).catch(() => {});
  await producer?.close();
  await queue?.closeDefaultQueueContext();
  await prisma?.().$disconnect();
  await env?.db.drop();
}, 180_000);

describe("Connect", () => {
  it("logs the browser in as the administrator, once, through the build's URL", async () => {
    const { url } = await core.connectToBuild(admin, buildId, {});
    const build = await prisma().build.findUniqueOrThrow({ where: { id: buildId } });
    expect(url.startsWith(`${build.url}/gantry/connect?token=`)).toBe(true);
    const first = await open(url);
    expect(first.status).toBe(303);
    expect(first.who).toBe("admin");
    // The same token again: refused, no session.
    const again = await open(url);
    expect(again.status).toBe(200);
    expect(again.cookie).toBeNull();
    expect(again.body).toContain("already used");
    const audit = await prisma().auditEvent.findMany({
      where: { action: "build.connected", target: buildId },
    });
    expect(audit.map((a) => a.userId)).toContain(admin.userId);
  });

  it("lists the build's internal users and connects as the one chosen", async () => {
    const users = await core.buildOdooUsers(user, buildId);
    expect(users.map((u) => u.login)).toEqual(expect.arrayContaining(["admin", "demo"]));
    const demo = users.find((u) => u.login === "demo");
    if (!demo) throw new Error("no demo user");
    const { url } = await core.connectToBuild(user, buildId, { userId: demo.id });
    expect((await open(url)).who).toBe("demo");
    const row = await prisma().auditEvent.findFirst({
      where: { action: "build.connected", target: buildId, userId: user.userId },
    });
    expect(row?.data).toMatchObject({ odooUser: demo.id });
  });

  it("refuses a token of another build's key, an expired one, one for another database, an unknown user", async () => {
    const forged = odoo.signConnectToken(core.connectKeyOf("someotherbuild"), {
      db: database,
      act: "login",
      user: "admin",
    });
    const key = core.connectKeyOf(buildId);
    const expired = odoo.signConnectToken(key, { db: database, act: "login", user: "admin" }, -5);
    const elsewhere = odoo.signConnectToken(key, { db: `${database}x`, act: "login", user: "admin" });
    const nobody = odoo.signConnectToken(key, { db: database, act: "login", user: 999_999 });
    const listing = odoo.signConnectToken(key, { db: database, act: "users" });
    for (const [token, why] of [
      [forged, "bad signature"],
      [expired, "expired"],
      [elsewhere, "another database"],
      [nobody, "no such active internal user"],
      [listing, "another use"],
    ] as const) {
      const answer = await open(`http://x/gantry/connect?token=${encodeURIComponent(token)}`);
      expect(answer.cookie, why).toBeNull();
      expect(answer.body.toLowerCase()).toContain(why);
    }
  });

  it("works on 16.0 as well, with that build's own key only", async () => {
    const build16 = await prisma().build.findUniqueOrThrow({ where: { id: build16Id } });
    const admin16 = { ...admin, memberships: { ...admin.memberships, [project16Id]: "ADMIN" as const } };
    const { url } = await core.connectToBuild(admin16, build16Id, {});
    expect((await open(url, build16.httpPort as number)).who).toBe("admin");
    // A token of the 17.0 build is worth nothing there.
    const other = await core.connectToBuild(admin, buildId, {});
    const refused = await open(other.url, build16.httpPort as number);
    expect(refused.cookie).toBeNull();
    expect(refused.body).toContain("signature");
  });

  it("follows the Connect right of the stage", async () => {
    await expect(core.connectToBuild(user, productionId, {})).rejects.toMatchObject({ code: "forbidden" });
    await expect(core.buildOdooUsers(user, productionId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(core.connectToBuild(admin, productionId, {})).rejects.toMatchObject({ code: "conflict" });
  });
});
