import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { useScratchDatabase } from "./setup";

let db: ScratchDatabase;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;

async function actorOf(userId: string, tokenProjectIds: string[] | null = null) {
  const user = await prisma().user.findUniqueOrThrow({
    where: { id: userId },
    include: { collaborators: true },
  });
  return {
    userId,
    isAdmin: user.isAdmin,
    memberships: Object.fromEntries(user.collaborators.map((c) => [c.projectId, c.role])),
    tokenProjectIds,
  };
}

beforeAll(async () => {
  db = await useScratchDatabase();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("projects and collaborators", () => {
  it("keeps at least one Admin, records who did what, and scopes tokens to their projects", async () => {
    const root = await core.createUserWithPassword({
      email: "root@example.com",
      name: "Root",
      password: "password-1",
      isAdmin: true,
    });
    const dev = await core.createUserWithPassword({
      email: "dev@example.com",
      name: "Dev",
      password: "password-2",
    });
    let admin = await actorOf(root.id);
    const evil = `<script>alert(1)</script>'; DROP TABLE "Project"; --`;
    const project = await core.createProject(admin, {
      name: evil,
      repository: "acme/shop",
      odooSeries: "17.0",
    });
    expect(project.name).toBe(evil);
    const other = await core.createProject(admin, { name: "Other", repository: "acme/other" });
    admin = await actorOf(root.id);

    const invited = await core.inviteCollaborator(admin, project.id, {
      email: "DEV@example.com",
      role: "DEVELOPER",
    });
    expect(invited.kind).toBe("added");
    const pending = await core.inviteCollaborator(admin, project.id, {
      githubLogin: "octocat",
      role: "TESTER",
    });
    expect(pending.kind).toBe("invited");

    const people = await core.listCollaborators(admin, project.id);
    const rootRow = people.collaborators.find((c) => c.user.id === root.id)!;
    await expect(core.changeRole(admin, project.id, rootRow.id, { role: "USER" })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(core.removeCollaborator(admin, project.id, rootRow.id)).rejects.toMatchObject({
      code: "conflict",
    });

    const developer = await actorOf(dev.id);
    await expect(core.listCollaborators(developer, project.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(core.getProject(developer, other.id)).rejects.toMatchObject({ code: "forbidden" });
    expect((await core.listProjects(developer)).map((p) => p.id)).toEqual([project.id]);

    // A token of the developer for this project cannot reach the other one, nor mint tokens.
    const { token } = await core.createToken(developer, { name: "ci", projectIds: [project.id] });
    const viaToken = await core.resolvePrincipal(new Headers({ authorization: `Bearer ${token}` }));
    expect(viaToken?.tokenProjectIds).toEqual([project.id]);
    await expect(core.getProject(viaToken!, project.id)).resolves.toMatchObject({ id: project.id });
    const adminToken = (await core.createToken(admin, { name: "ops", projectIds: [project.id] })).token;
    const adminViaToken = (await core.resolvePrincipal(
      new Headers({ authorization: `Bearer ${adminToken}` }),
    ))!;
    await expect(core.getProject(adminViaToken, other.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      core.createToken(adminViaToken, { name: "x", projectIds: [project.id] }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(core.createToken(developer, { name: "x", projectIds: [other.id] })).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await prisma().apiToken.findFirst({ where: { name: "ci" } }))?.tokenHash).not.toContain(token);

    const listed = await core.listTokens(developer);
    await core.revokeToken(developer, listed[0]!.id);
    expect(await core.resolvePrincipal(new Headers({ authorization: `Bearer ${token}` }))).toBeNull();
    expect(
      await core.resolvePrincipal(
        new Headers({ authorization: "Bearer gty_AAAAAAAA_forgedforgedforgedforgedforgedforged" }),
      ),
    ).toBeNull();

    // Promote, then the first Admin may step down.
    const devRow = people.collaborators.find((c) => c.user.id === dev.id)!;
    await core.changeRole(admin, project.id, devRow.id, { role: "ADMIN" });
    await core.changeRole(admin, project.id, rootRow.id, { role: "USER" });

    const audit = await core.listAudit(project.id, { action: "collaborator." });
    expect(audit.map((e) => e.action).sort()).toEqual([
      "collaborator.added",
      "collaborator.invited",
      "collaborator.role_changed",
      "collaborator.role_changed",
    ]);
    expect(audit.every((e) => e.user?.email === "root@example.com")).toBe(true);
  });

  it("deletes a project only with its name typed, hides it at once and queues its teardown", async () => {
    const root = (await prisma().user.findFirstOrThrow({ where: { email: "root@example.com" } })).id;
    const admin = await actorOf(root);
    const project = await core.createProject(admin, { name: "Doomed", repository: "acme/doomed" });
    const again = await actorOf(root);
    const { createQueueContext } = await import("@gantry/queue");
    const queue = createQueueContext({
      redisUrl: (await import("@gantry/config")).config().REDIS_URL,
      prefix: `gantry-access-${process.pid}-${Date.now()}`,
    });
    try {
      await expect(
        core.deleteProject(again, project.id, { confirmName: "doomed" }, undefined, queue),
      ).rejects.toMatchObject({ code: "invalid_input" });
      const asked = await core.deleteProject(again, project.id, { confirmName: "Doomed" }, undefined, queue);
      expect(asked).toEqual({ status: "deleting", jobId: `delete-project-${project.id}` });
      // The teardown is the worker's: the row stays, marked, and the project is hidden.
      const row = await prisma().project.findUniqueOrThrow({ where: { id: project.id } });
      expect(row.deletionRequestedAt).not.toBeNull();
      await expect(core.getProject(again, project.id)).rejects.toMatchObject({ code: "not_found" });
      expect((await core.listProjects(again)).map((p) => p.id)).not.toContain(project.id);
      const job = await queue.queue("builds").getJob(asked.jobId);
      expect({ name: job?.name, data: job?.data }).toEqual({
        name: "builds.delete-project",
        data: { projectId: project.id },
      });
      expect(
        await prisma().auditEvent.count({ where: { action: "project.deleted", target: project.id } }),
      ).toBe(1);
    } finally {
      await queue.queue("builds").obliterate({ force: true });
      await queue.close();
    }
  });
});
