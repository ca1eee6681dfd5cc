// The pool a project's stage builds on comes with the stage's database server: the project's own
// mapping first, else the server serving the stage by default; a server without a pool of its
// own keeps each stage's name. Only signed-in platform administrators change it.
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { copyOfDevServer } from "../../support/db-servers";
import { useScratchDatabase } from "./setup";

let db: ScratchDatabase;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let customerProject: string;
let otherProject: string;
let admin: Actor;

const anyone = (over: Partial<Actor> = {}): Actor => ({
  userId: "u-someone",
  isAdmin: false,
  memberships: {},
  tokenProjectIds: null,
  ...over,
});

async function project(slug: string): Promise<string> {
  const row = await prisma().project.create({
    data: { slug, name: slug, githubOwner: "acme", githubRepo: slug, odooSeries: "17.0" },
  });
  return row.id;
}

beforeAll(async () => {
  db = await useScratchDatabase();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  customerProject = await project("customer-a");
  otherProject = await project("other");
  const user = await prisma().user.create({
    data: { email: "root@example.com", name: "Root", isAdmin: true },
  });
  admin = anyone({ userId: user.id, isAdmin: true });
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("pools in the registry of database servers", () => {
  it("are the stages' names on the configured servers, as before pools had names", async () => {
    for (const stage of ["PRODUCTION", "STAGING", "DEVELOPMENT"] as const) {
      expect(await core.poolForStage(otherProject, stage)).toBe(stage.toLowerCase());
    }
    const views = await core.listDbServerViews(admin);
    expect(views.find((s) => s.name === "main")?.stagePools).toEqual([
      { stage: "PRODUCTION", pool: "production" },
      { stage: "STAGING", pool: "staging" },
    ]);
    expect(JSON.stringify(views)).not.toMatch(/password/i);
  });

  it("follow a project's own stage -> server mapping, and the server's pool once it names one", async () => {
    const server = await copyOfDevServer("customer-a-dev");
    await prisma().projectDbServer.create({
      data: { projectId: customerProject, stage: "DEVELOPMENT", serverId: server.id },
    });
    // Mapped but without a pool of its own: still the stage's.
    expect(await core.poolForStage(customerProject, "DEVELOPMENT")).toBe("development");

    const view = await core.setDbServerPool(admin, server.id, "customer-a");
    expect(view).toMatchObject({ pool: "customer-a", projectCount: 1, stagePools: [] });
    expect(await core.poolForStage(customerProject, "DEVELOPMENT")).toBe("customer-a");
    // The project's other stages, and other projects, keep their servers' pools.
    expect(await core.poolForStage(customerProject, "PRODUCTION")).toBe("production");
    expect(await core.poolForStage(otherProject, "DEVELOPMENT")).toBe("development");
    const audit = await prisma().auditEvent.findFirstOrThrow({
      where: { action: "db_server.pool_changed", target: server.id },
    });
    expect(audit).toMatchObject({ userId: admin.userId, data: { from: null, to: "customer-a" } });

    await core.setDbServerPool(admin, server.id, null);
    expect(await core.poolForStage(customerProject, "DEVELOPMENT")).toBe("development");
  });

  it("name every default stage of a server that names one", async () => {
    const main = await prisma().dbServer.findUniqueOrThrow({ where: { name: "main" } });
    const view = await core.setDbServerPool(admin, main.id, "eu-1");
    expect(view.stagePools).toEqual([
      { stage: "PRODUCTION", pool: "eu-1" },
      { stage: "STAGING", pool: "eu-1" },
    ]);
    expect(await core.poolForStage(otherProject, "STAGING")).toBe("eu-1");
    await core.setDbServerPool(admin, main.id, null);
  });

  it("are changed by signed-in platform administrators only, to label-safe names", async () => {
    const main = await prisma().dbServer.findUniqueOrThrow({ where: { name: "main" } });
    const refused = [
      anyone(),
      anyone({ memberships: { [otherProject]: "ADMIN" } }),
      // A platform administrator's API token is per project: not for platform settings.
      anyone({ isAdmin: true, tokenProjectIds: [otherProject] }),
    ];
    for (const actor of refused) {
      await expect(core.setDbServerPool(actor, main.id, "mine")).rejects.toMatchObject({ code: "forbidden" });
      await expect(core.listDbServerViews(actor)).rejects.toMatchObject({ code: "forbidden" });
    }
    for (const bad of ["Prod", "a==b", "x,node.role==manager", ""]) {
      await expect(core.setDbServerPool(admin, main.id, bad)).rejects.toMatchObject({
        code: "invalid_input",
      });
    }
    await expect(core.setDbServerPool(admin, "no-such-server", "x")).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await prisma().dbServer.findUniqueOrThrow({ where: { id: main.id } })).pool).toBeNull();
  });
});
