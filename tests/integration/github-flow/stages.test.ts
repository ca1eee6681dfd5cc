// Stage moves on the database: every allowed and forbidden move, one production branch, the
// staging limit under concurrent moves, compare-and-set and the audit trail, Admins only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorOf, type FlowEnv, startFlowEnv } from "./setup";

let env: FlowEnv;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let adminId: string;
let devId: string;
let projectId: string;

beforeAll(async () => {
  env = await startFlowEnv("stages");
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  adminId = (
    await core.createUserWithPassword({
      email: "a@example.com",
      name: "A",
      password: "password-1",
      isAdmin: true,
    })
  ).id;
  devId = (await core.createUserWithPassword({ email: "d@example.com", name: "D", password: "password-2" }))
    .id;
  projectId = (
    await core.createProject(await actorOf(adminId), { name: "Stages", repository: "acme/stages" })
  ).id;
  await prisma().collaborator.create({ data: { projectId, userId: devId, role: "USER" } });
}, 60_000);

afterAll(async () => {
  await prisma?.().$disconnect();
  await env?.close();
});

async function branch(name: string, stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT" = "DEVELOPMENT") {
  return prisma().branch.create({ data: { projectId, name, stage } });
}

describe("moving branches", () => {
  it("follows the stage rules and records each move", async () => {
    const admin = await actorOf(adminId);
    const prod = await branch("main", "PRODUCTION");
    const a = await branch("a");
    await expect(core.moveBranch(admin, projectId, a.id, { stage: "PRODUCTION" })).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "production_taken" },
    });
    await expect(core.moveBranch(admin, projectId, prod.id, { stage: "STAGING" })).rejects.toMatchObject({
      details: { reason: "forbidden_move" },
    });
    expect(await core.moveBranch(admin, projectId, a.id, { stage: "STAGING" })).toMatchObject({
      stage: "STAGING",
      onNewCommit: "UPDATE_PREVIOUS",
    });
    expect(await core.moveBranch(admin, projectId, a.id, { stage: "DEVELOPMENT" })).toMatchObject({
      stage: "DEVELOPMENT",
      onNewCommit: "DO_NOTHING",
    });
    expect((await core.moveBranch(admin, projectId, prod.id, { stage: "DEVELOPMENT" })).stage).toBe(
      "DEVELOPMENT",
    );
    expect((await core.moveBranch(admin, projectId, a.id, { stage: "PRODUCTION" })).stage).toBe("PRODUCTION");
    const audit = await prisma().auditEvent.findMany({
      where: { projectId, action: "branch.stage_changed" },
    });
    expect(audit).toHaveLength(4);
  });

  it("lets only Admins move, while Users may change branch settings", async () => {
    const user = await actorOf(devId);
    const b = await branch("user-branch");
    // A revision of the project's series Gantry has seen (the image watch records them).
    const series = (await prisma().project.findUniqueOrThrow({ where: { id: projectId } })).odooSeries;
    await prisma().odooRevision.create({
      data: { series, revision: "abcdef123456", imageId: `sha256:abcdef123456${"0".repeat(52)}` },
    });
    await expect(core.moveBranch(user, projectId, b.id, { stage: "STAGING" })).rejects.toMatchObject({
      code: "forbidden",
    });
    const settings = await core.updateBranchSettings(user, projectId, b.id, {
      moduleInstall: "LIST",
      moduleList: ["acme_base"],
      testTags: "/acme_base:TestX",
      odooRevision: "abcdef1",
    });
    expect(settings).toMatchObject({
      moduleInstall: "LIST",
      moduleList: ["acme_base"],
      odooRevision: "abcdef123456",
      pin: { kind: "pinned" },
    });
    await expect(
      core.updateBranchSettings(user, projectId, b.id, { odooRevision: "fedcba9" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      core.updateBranchSettings(user, projectId, b.id, { testTags: "$(rm -rf /)" }),
    ).rejects.toThrow();
  });

  it("keeps the staging limit when moves race", async () => {
    const admin = await actorOf(adminId);
    await prisma().project.update({ where: { id: projectId }, data: { stagingLimit: 2 } });
    const racers = await Promise.all(["r1", "r2", "r3", "r4", "r5"].map((n) => branch(n)));
    const results = await Promise.allSettled(
      racers.map((b) => core.moveBranch(admin, projectId, b.id, { stage: "STAGING" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(await prisma().branch.count({ where: { projectId, stage: "STAGING" } })).toBe(2);
  });

  it("keeps one production branch when moves race", async () => {
    const admin = await actorOf(adminId);
    const current = await prisma().branch.findFirstOrThrow({ where: { projectId, stage: "PRODUCTION" } });
    await core.moveBranch(admin, projectId, current.id, { stage: "DEVELOPMENT" });
    const racers = await Promise.all(["p1", "p2", "p3"].map((n) => branch(n)));
    const results = await Promise.allSettled(
      racers.map((b) => core.moveBranch(admin, projectId, b.id, { stage: "PRODUCTION" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma().branch.count({ where: { projectId, stage: "PRODUCTION" } })).toBe(1);
  });
});
