import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dropDefaultQueue } from "../../support/default-queue";
import { dashboard, type Person, signedInPerson, usePrivateQueues, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let queue: typeof import("@gantry/queue");
let start: typeof import("../../../apps/web/app/api/v1/system/diagnostics/route");
let read: typeof import("../../../apps/web/app/api/v1/system/diagnostics/[jobId]/route");
let admin: Person;
let member: Person;

beforeAll(async () => {
  db = await useWebDatabase();
  // No worker serves it: enqueued jobs stay waiting, which is all these checks need.
  usePrivateQueues();
  prisma = (await import("@gantry/db")).prisma;
  queue = await import("@gantry/queue");
  start = await import("../../../apps/web/app/api/v1/system/diagnostics/route");
  read = await import("../../../apps/web/app/api/v1/system/diagnostics/[jobId]/route");
  admin = await signedInPerson("Root", { isAdmin: true });
  member = await signedInPerson("Member");
});
afterAll(async () => {
  await dropDefaultQueue("maintenance");
  await prisma().$disconnect();
  await db.drop();
});

const run = (headers: Record<string, string>) =>
  start.POST(new Request(`${dashboard}/api/v1/system/diagnostics`, { method: "POST", headers }));
const view = (jobId: string, headers: Record<string, string>) =>
  read.GET(new Request(`${dashboard}/api/v1/system/diagnostics/${jobId}`, { headers }), {
    params: Promise.resolve({ jobId }),
  });
const as = (person: Person) => ({ cookie: person.cookie, origin: dashboard });

describe("diagnostics", () => {
  it("are run by platform administrators only", async () => {
    expect((await run({ origin: dashboard })).status).toBe(401);
    const refused = await run(as(member));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
    const started = await run(as(admin));
    expect(started.status).toBe(202);
    const { jobId } = (await started.json()) as { jobId: string };

    const shown = await view(jobId, as(admin));
    expect(shown.status).toBe(200);
    expect((await shown.json()).name).toBe("maintenance.diagnostics");
    expect((await view(jobId, {})).status).toBe(401);
    expect((await view(jobId, as(member))).status).toBe(403);
  });

  it("show diagnostics jobs only, not the other jobs of their queue", async () => {
    const other = await queue.enqueue("maintenance.probe-delay", { ms: 1 });
    const response = await view(other.jobId, as(admin));
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  });
});
