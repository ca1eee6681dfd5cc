// The project's network setting through its real route handlers: Admins read and change which
// stages may reach beyond the host; everyone else is refused; bad stages are refused whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, type Person, signedInPerson, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let route: typeof import("../../../apps/web/app/api/v1/projects/[projectId]/network/route");
let projectId: string;
const people = new Map<string, Person>();

beforeAll(async () => {
  db = await useWebDatabase();
  prisma = (await import("@gantry/db")).prisma;
  route = await import("../../../apps/web/app/api/v1/projects/[projectId]/network/route");
  projectId = (
    await prisma().project.create({
      data: { slug: "net", name: "Net", githubOwner: "acme", githubRepo: "net", odooSeries: "17.0" },
    })
  ).id;
  for (const role of ["ADMIN", "DEVELOPER"] as const) {
    const person = await signedInPerson(`net-${role}`);
    await prisma().collaborator.create({ data: { projectId, userId: person.id, role } });
    people.set(role, person);
  }
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

function call(method: "GET" | "PUT", role: string, body?: unknown) {
  const request = new Request(`${dashboard}/api/v1/projects/${projectId}/network`, {
    method,
    headers: {
      cookie: people.get(role)!.cookie,
      origin: dashboard,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const context = { params: Promise.resolve({ projectId }) } as never;
  return method === "GET" ? route.GET(request, context) : route.PUT(request, context);
}

describe("a project's outgoing connections", () => {
  it("start with production only, and an Admin changes them (audited)", async () => {
    const read = await call("GET", "ADMIN");
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ egressStages: ["PRODUCTION"] });
    const set = await call("PUT", "ADMIN", { egressStages: ["DEVELOPMENT", "PRODUCTION"] });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ egressStages: ["PRODUCTION", "DEVELOPMENT"] });
    const row = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
    expect(row.egressStages.sort()).toEqual(["DEVELOPMENT", "PRODUCTION"]);
    const audit = await prisma().auditEvent.findFirst({ where: { projectId, action: "project.network" } });
    expect(audit?.data).toEqual({ from: ["PRODUCTION"], to: ["PRODUCTION", "DEVELOPMENT"] });
  });

  it("is refused to a Developer, and an unknown stage changes nothing", async () => {
    expect((await call("GET", "DEVELOPER")).status).toBe(403);
    expect((await call("PUT", "DEVELOPER", { egressStages: [] })).status).toBe(403);
    const bad = await call("PUT", "ADMIN", { egressStages: ["PRODUCTION", "EVERYWHERE"] });
    expect(bad.status).toBe(400);
    const row = await prisma().project.findUniqueOrThrow({ where: { id: projectId } });
    expect(row.egressStages.sort()).toEqual(["DEVELOPMENT", "PRODUCTION"]);
  });
});
