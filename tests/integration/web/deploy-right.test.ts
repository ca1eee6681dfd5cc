import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dropDefaultQueue } from "../../support/default-queue";
import { dashboard, type Person, signedInPerson, usePrivateQueues, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let rebuildRoute: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/rebuild/route");
let cancelRoute: typeof import("../../../apps/web/app/api/v1/builds/[buildId]/cancel/route");
let projectId: string;
const people = new Map<string, Person>();
const branches = new Map<string, string>();

type Stage = "PRODUCTION" | "STAGING" | "DEVELOPMENT";

beforeAll(async () => {
  db = await useWebDatabase();
  usePrivateQueues();
  prisma = (await import("@gantry/db")).prisma;
  rebuildRoute = await import("../../../apps/web/app/api/v1/builds/[buildId]/rebuild/route");
  cancelRoute = await import("../../../apps/web/app/api/v1/builds/[buildId]/cancel/route");
  projectId = (
    await prisma().project.create({
      data: { slug: "shop", name: "Shop", githubOwner: "acme", githubRepo: "shop", odooSeries: "17.0" },
    })
  ).id;
  for (const [name, stage] of [
    ["main", "PRODUCTION"],
    ["staging", "STAGING"],
    ["feature", "DEVELOPMENT"],
  ] as const)
    branches.set(stage, (await prisma().branch.create({ data: { projectId, name, stage } })).id);
  for (const role of ["ADMIN", "USER", "TESTER", "DEVELOPER"] as const) {
    const person = await signedInPerson(role);
    await prisma().collaborator.create({ data: { projectId, userId: person.id, role } });
    people.set(role, person);
  }
});
afterAll(async () => {
  await dropDefaultQueue("builds");
  await prisma().$disconnect();
  await db.drop();
});

async function buildOn(stage: Stage, status: "DONE" | "QUEUED") {
  const branchId = branches.get(stage)!;
  return prisma().build.create({ data: { projectId, branchId, stage, status, commitSha: "a".repeat(40) } });
}

function call(route: { POST: (r: Request, c: never) => Promise<Response> }, buildId: string, role: string) {
  const request = new Request(`${dashboard}/api/v1/builds/${buildId}/x`, {
    method: "POST",
    headers: { cookie: people.get(role)!.cookie, origin: dashboard },
  });
  return route.POST(request, { params: Promise.resolve({ buildId }) } as never);
}

// Production and staging are changed like their other tools: Admin, and the Tester on staging.
const allowed: Record<Stage, string[]> = {
  PRODUCTION: ["ADMIN"],
  STAGING: ["ADMIN", "TESTER"],
  DEVELOPMENT: ["ADMIN", "USER", "TESTER", "DEVELOPER"],
};

describe("rebuild and cancel follow the deploy right, not history", () => {
  for (const stage of ["PRODUCTION", "STAGING", "DEVELOPMENT"] as const) {
    it(`on ${stage}`, async () => {
      for (const role of ["ADMIN", "USER", "TESTER", "DEVELOPER"]) {
        const may = allowed[stage].includes(role);
        const rebuilt = await call(rebuildRoute, (await buildOn(stage, "DONE")).id, role);
        expect(rebuilt.status, `${role} rebuild`).toBe(may ? 201 : 403);
        const cancelled = await call(cancelRoute, (await buildOn(stage, "QUEUED")).id, role);
        expect(cancelled.status, `${role} cancel`).toBe(may ? 200 : 403);
        if (!may) expect((await cancelled.json()).error.code).toBe("forbidden");
      }
    });
  }
});
