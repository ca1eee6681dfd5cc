// GET /api/health as strangers, members and platform administrators see it, through the route
// handler Next calls, with a project, a worker heartbeat and jobs present: strangers and members
// get states, latencies, queue depths and the worker count, never a project's name or id, a
// host, an error text or a version; administrators get the details. A burst of calls makes one
// round of checks.
import { config } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, type Person, signedInPerson, usePrivateQueues, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let health: typeof import("../../../apps/web/app/api/health/route");
let admin: Person;
let member: Person;
const secretName = "Zebra Confidential Shop";
const workerHost = "build-host-zebra-7";
let projectId: string;

beforeAll(async () => {
  db = await useWebDatabase();
  usePrivateQueues();
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  health = await import("../../../apps/web/app/api/health/route");
  admin = await signedInPerson("HealthRoot", { isAdmin: true });
  member = await signedInPerson("HealthMember");
  const project = await prisma().project.create({
    data: { slug: "zebra", name: secretName, githubOwner: "zebra", githubRepo: "shop", odooSeries: "17.0" },
  });
  projectId = project.id;
  await prisma().collaborator.create({ data: { projectId, userId: member.id, role: "ADMIN" } });
  await queue.writeHeartbeat(
    "worker-zebra",
    {
      hostname: workerHost,
      pid: 4242,
      queues: ["maintenance"],
      concurrency: 1,
      startedAt: new Date().toISOString(),
      engine: { ok: true, message: "Docker Engine 99.1.2-zebra (API 1.99)", series: ["17.0"] },
    },
    60_000,
  );
  // Jobs waiting in a queue nobody serves: counted, never described.
  await queue.enqueue("maintenance.probe-delay", { ms: 1 });
  await queue.enqueue("maintenance.probe-delay", { ms: 2 });
});

afterAll(async () => {
  const redis = queue.defaultQueueContext().redis();
  const keys = await redis.keys(`${config().REDIS_PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await queue.closeDefaultQueueContext();
  await prisma().$disconnect();
  await db.drop();
});

const get = async (headers: Record<string, string> = {}) => {
  const response = await health.GET(new Request(`${dashboard}/api/health`, { headers }));
  return { status: response.status, text: await response.text() };
};

describe("GET /api/health", () => {
  it("shows strangers and members states and counts, and no project, host, error text or version", async () => {
    for (const headers of [{}, { cookie: member.cookie }] as Record<string, string>[]) {
      const { status, text } = await get(headers);
      expect([200, 503]).toContain(status);
      for (const secret of [
        secretName,
        projectId,
        "zebra",
        workerHost,
        "4242",
        "99.1.2",
        "Docker Engine",
        "reachable at",
      ]) {
        expect(text, `leaks ${secret}`).not.toContain(secret);
      }
      const body = JSON.parse(text);
      expect(body.workers).toEqual([]);
      expect(body.workerCount).toBe(1);
      for (const component of Object.values(body.components) as { message: string }[]) {
        expect(["operational", "failing"]).toContain(component.message);
      }
      expect(body.queues).toContainEqual(expect.objectContaining({ name: "maintenance", waiting: 2 }));
      // Every queue of the catalog, each counted.
      expect(body.queues.map((q: { name: string }) => q.name).sort()).toEqual([...queue.queueNames].sort());
    }
  });

  it("shows platform administrators the checks' texts and the workers", async () => {
    const body = JSON.parse((await get({ cookie: admin.cookie })).text);
    expect(body.workers).toEqual([
      expect.objectContaining({ workerId: "worker-zebra", hostname: workerHost }),
    ]);
    expect(body.components.docker.message).toContain("99.1.2-zebra");
  });

  it("answers a burst of calls from one round of checks", async () => {
    (await import("@gantry/core")).cachedSystemHealth.clear();
    const answers = await Promise.all(Array.from({ length: 20 }, () => get()));
    const rounds = new Set(answers.map((a) => JSON.parse(a.text).checkedAt));
    expect(rounds.size).toBe(1);
  });
});
