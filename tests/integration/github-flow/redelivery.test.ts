// Redelivery end to end: the stand-in sends signed deliveries to the webhook route over HTTP
// and records them; a delivery that failed to apply (Redis down while it was handled) is asked
// again from the settings' "redeliver", GitHub sends the same bytes, and it is applied; asking
// again for one that had succeeded changes nothing.

import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StandinDelivery, StandinRepo } from "../../support/github-standin";
import { pushPayload, webhookExample } from "../../support/github-standin";
import { freePort, PrivateRedis } from "../worker/private-redis";
import { actorOf, type FlowEnv, git, serveWebhookRoute, startFlowEnv } from "./setup";

let env: FlowEnv;
let redis: PrivateRedis;
let redisDir: string;
let server: Server;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let repo: StandinRepo;
let adminId: string;
let projectId: string;
const TOKEN = "ghp_redeliverytoken0123456789";

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const attemptsOf = (guid: string): StandinDelivery[] =>
  repo.hooks[0]!.deliveries.filter((d) => d.guid === guid);

beforeAll(async () => {
  env = await startFlowEnv("redeliver");
  redisDir = await mkdtemp(join(tmpdir(), "gantry-redeliver-redis-"));
  redis = new PrivateRedis(await freePort(), redisDir);
  await redis.start();
  const served = await serveWebhookRoute();
  server = served.server;
  // GitHub delivers to PUBLIC_URL/api/github/webhook: here, the route served above.
  process.env.PUBLIC_URL = new URL(served.url).origin;
  process.env.REDIS_URL = redis.url;
  resetConfigForTests();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  env.gh.addToken(TOKEN);
  repo = env.gh.addRepo({ owner: "acme", name: "acme17", gitDir: `${env.reposDir}/acme17.git` });
  const admin = await core.createUserWithPassword({
    email: "admin@example.com",
    name: "Admin",
    password: "password-1",
    isAdmin: true,
  });
  adminId = admin.id;
  projectId = (await core.createProject(await actorOf(adminId), { name: "Acme", repository: "acme/acme17" }))
    .id;
  await core.connectGithub(await actorOf(adminId), projectId, { kind: "token", token: TOKEN });
}, 60_000);

afterAll(async () => {
  server?.close();
  await queue?.closeDefaultQueueContext();
  await prisma?.().$disconnect();
  await redis?.stop();
  if (redisDir) await rm(redisDir, { recursive: true, force: true });
  await env?.close();
});

describe("redelivery through GitHub", () => {
  it("GitHub's deliveries reach the route signed with the hook's secret and are listed", async () => {
    const main = await git(`${env.reposDir}/acme17.git`, "rev-parse", "main");
    const [sent] = await env.gh.deliver(
      repo,
      "push",
      pushPayload("acme/acme17", "main", "0".repeat(40), main),
    );
    expect(sent).toMatchObject({ status_code: 200, status: "OK", redelivery: false, event: "push" });
    expect(JSON.parse(sent!.response.payload)).toEqual({ ok: true, outcome: "build_queued" });
    const listed = await core.listDeliveries(await actorOf(adminId), projectId);
    expect(listed[0]).toMatchObject({ deliveryId: sent!.guid, outcome: "build_queued", ref: "main" });
    // The connection check reads the same list through GitHub's deliveries API.
    const report = await core.verifyGithub(await actorOf(adminId), projectId);
    expect(report.webhook).toMatchObject({ ok: true, lastDelivery: { guid: sent!.guid, statusCode: 200 } });
  });

  it("a delivery that failed to apply is applied when redelivered", async () => {
    const sha = "c".repeat(40);
    await redis.stop();
    const [failed] = await env.gh.deliver(
      repo,
      "push",
      pushPayload("acme/acme17", "feature-r", "0".repeat(40), sha),
    );
    expect(failed!.status_code).toBe(500);
    const row = await prisma().webhookDelivery.findFirstOrThrow({
      where: { projectId, deliveryId: { startsWith: failed!.guid } },
    });
    expect(row.outcome).toBe("error");
    // Pushes to a branch are applied under a lock in Redis: without Redis nothing was applied.
    expect(await prisma().branch.count({ where: { projectId, name: "feature-r" } })).toBe(0);

    await redis.start();
    const jobs = queue.defaultQueueContext().queue("builds");
    expect(await core.redeliver(await actorOf(adminId), projectId, row.id)).toEqual({ requested: true });
    const again = await waitFor("the redelivered attempt", () =>
      attemptsOf(failed!.guid).find((d) => d.redelivery),
    );
    expect(again.status_code).toBe(200);
    expect(again.request.headers["x-hub-signature-256"]).toBe(failed!.request.headers["x-hub-signature-256"]);
    expect(JSON.parse(again.response.payload)).toEqual({ ok: true, outcome: "build_queued" });
    // One build with its job; the failed attempt stays listed beside the applied one.
    const branch = await prisma().branch.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: "feature-r" } },
    });
    const builds = await prisma().build.findMany({ where: { branchId: branch.id } });
    expect(builds.map((b) => [b.commitSha, b.status])).toEqual([[sha, "QUEUED"]]);
    const job = await jobs.getJob(queue.buildJobId(builds[0]!.id));
    expect(job?.data).toEqual({ buildId: builds[0]!.id });
    const rows = await prisma().webhookDelivery.findMany({
      where: { deliveryId: { startsWith: failed!.guid } },
      orderBy: { receivedAt: "asc" },
    });
    expect(rows.map((r) => r.outcome)).toEqual(["error", "build_queued"]);
  });

  it("a replayed delivery that had succeeded changes nothing", async () => {
    const sha = "d".repeat(40);
    const [first] = await env.gh.deliver(
      repo,
      "push",
      pushPayload("acme/acme17", "feature-s", "0".repeat(40), sha),
    );
    expect(first!.status_code).toBe(200);
    const row = await prisma().webhookDelivery.findUniqueOrThrow({ where: { deliveryId: first!.guid } });
    const builds = await prisma().build.count();
    const jobs = await queue.defaultQueueContext().queue("builds").getJobCounts();
    await core.redeliver(await actorOf(adminId), projectId, row.id);
    const again = await waitFor("the redelivered attempt", () =>
      attemptsOf(first!.guid).find((d) => d.redelivery),
    );
    expect(again.status_code).toBe(200);
    expect(JSON.parse(again.response.payload)).toEqual({ ok: true, outcome: "duplicate" });
    expect(await prisma().build.count()).toBe(builds);
    expect(await queue.defaultQueueContext().queue("builds").getJobCounts()).toEqual(jobs);
    expect(await prisma().webhookDelivery.count({ where: { deliveryId: { startsWith: first!.guid } } })).toBe(
      1,
    );
  });

  it("a delivery GitHub no longer lists is refused in words", async () => {
    const [sent] = await env.gh.deliver(repo, "ping", {
      ...webhookExample("ping"),
      repository: { id: repo.id, full_name: "acme/acme17" },
    });
    const row = await prisma().webhookDelivery.findUniqueOrThrow({ where: { deliveryId: sent!.guid } });
    repo.hooks[0]!.deliveries = repo.hooks[0]!.deliveries.filter((d) => d.guid !== sent!.guid);
    await expect(core.redeliver(await actorOf(adminId), projectId, row.id)).rejects.toMatchObject({
      code: "not_found",
      message: "GitHub no longer lists this delivery",
    });
  });

  it("pages through the deliveries list with GitHub's cursor", async () => {
    const hook = repo.hooks[0]!;
    const all: number[] = [];
    let url: string | null = `${env.gh.url}/repos/acme/acme17/hooks/${hook.id}/deliveries?per_page=2`;
    while (url) {
      const response: Response = await fetch(url, { headers: { authorization: `token ${TOKEN}` } });
      expect(response.status).toBe(200);
      const page = (await response.json()) as Array<{ id: number; request?: unknown }>;
      expect(page.every((d) => d.request === undefined)).toBe(true);
      all.push(...page.map((d) => d.id));
      url = /<([^>]+)>; rel="next"/.exec(response.headers.get("link") ?? "")?.[1] ?? null;
    }
    expect(all).toEqual(hook.deliveries.map((d) => d.id).reverse());
  });
});
