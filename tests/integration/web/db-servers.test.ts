// The database servers' pools over HTTP: listed and named by platform administrators only, a
// name that is not label-safe refused before it reaches the registry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { dashboard, type Person, signedInPerson, useWebDatabase } from "./signed-in";

let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let list: typeof import("../../../apps/web/app/api/v1/system/db-servers/route");
let update: typeof import("../../../apps/web/app/api/v1/system/db-servers/[serverId]/route");
let admin: Person;
let member: Person;

beforeAll(async () => {
  db = await useWebDatabase();
  prisma = (await import("@gantry/db")).prisma;
  list = await import("../../../apps/web/app/api/v1/system/db-servers/route");
  update = await import("../../../apps/web/app/api/v1/system/db-servers/[serverId]/route");
  admin = await signedInPerson("Root", { isAdmin: true });
  member = await signedInPerson("Member");
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

const as = (person: Person) => ({ cookie: person.cookie, origin: dashboard });
const servers = (headers: Record<string, string>) =>
  list.GET(new Request(`${dashboard}/api/v1/system/db-servers`, { headers }));
const setPool = (serverId: string, pool: unknown, headers: Record<string, string>) =>
  update.PATCH(
    new Request(`${dashboard}/api/v1/system/db-servers/${serverId}`, {
      method: "PATCH",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ pool }),
    }),
    { params: Promise.resolve({ serverId }) },
  );

describe("the database servers' pools", () => {
  it("are listed and named by platform administrators only", async () => {
    expect((await servers({})).status).toBe(401);
    expect((await servers(as(member))).status).toBe(403);
    const listed = await servers(as(admin));
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { servers: { id: string; name: string; pool: string | null }[] };
    const dev = body.servers.find((s) => s.name === "dev");
    expect(dev).toMatchObject({ pool: null, stagePools: [{ stage: "DEVELOPMENT", pool: "development" }] });
    expect(JSON.stringify(body)).not.toMatch(/password/i);

    const id = dev?.id as string;
    expect((await setPool(id, "customer-a", as(member))).status).toBe(403);
    const refused = await setPool(id, "a==b", as(admin));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe("invalid_input");
    const named = await setPool(id, "customer-a", as(admin));
    expect(named.status).toBe(200);
    expect(await named.json()).toMatchObject({ pool: "customer-a", stagePools: [{ pool: "customer-a" }] });
    expect((await prisma().dbServer.findUniqueOrThrow({ where: { id } })).pool).toBe("customer-a");
    const reset = await setPool(id, null, as(admin));
    expect(await reset.json()).toMatchObject({ pool: null });
  });
});
