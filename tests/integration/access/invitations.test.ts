import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { useScratchDatabase } from "./setup";

let db: ScratchDatabase;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;
let admin: import("@gantry/core").Actor;

const origin = "http://127.0.0.1:3000";
const signIn = (email: string, password: string, ip = "203.0.113.20") =>
  core.handleAuthRequest(
    new Request(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip, origin },
      body: JSON.stringify({ email, password }),
    }),
  );

async function actorOf(userId: string): Promise<import("@gantry/core").Actor> {
  const user = await prisma().user.findUniqueOrThrow({
    where: { id: userId },
    include: { collaborators: true },
  });
  return {
    userId,
    isAdmin: user.isAdmin,
    memberships: Object.fromEntries(user.collaborators.map((c) => [c.projectId, c.role])),
    tokenProjectIds: null,
  };
}

/** Invites an email and returns the token taken from the link, as the Admin would send it. */
async function invite(email: string, role: "ADMIN" | "USER" | "TESTER" | "DEVELOPER" = "TESTER") {
  const result = await core.inviteCollaborator(admin, projectId, { email, role });
  if (result.kind !== "invited") throw new Error(`expected an invitation, got ${result.kind}`);
  const link = core.invitationLink(result.token);
  const token = decodeURIComponent(link.split("/invite/")[1] ?? "");
  return { token, link, invitationId: result.invitation.id };
}

beforeAll(async () => {
  db = await useScratchDatabase();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  const root = await core.createUserWithPassword({
    email: "root@example.com",
    name: "Root",
    password: "root-password",
    isAdmin: true,
  });
  const project = await core.createProject(await actorOf(root.id), { name: "Shop", repository: "acme/shop" });
  projectId = project.id;
  admin = await actorOf(root.id);
});
afterAll(async () => {
  await prisma().$disconnect();
  await db.drop();
});

describe("invitation links", () => {
  it("stores only the token's hash, expires in 7 days and links under PUBLIC_URL", async () => {
    const { token, link, invitationId } = await invite("hash@example.com");
    expect(link.startsWith(`${core.invitationLink("x").split("/invite/")[0]}/invite/`)).toBe(true);
    const row = await prisma().invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(row.tokenHash).not.toContain(token);
    expect(row.tokenHash).toBe(core.hashInvitationToken(token));
    // No column of the row holds the clear token.
    expect(JSON.stringify(row)).not.toContain(token);
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(7);
    const view = await core.viewInvitation(token);
    expect(view).toMatchObject({ state: "pending", invitation: { projectName: "Shop", role: "TESTER" } });
  });

  it("creates the account with a working password, the invited role, an audit trail; used once", async () => {
    const { token, invitationId } = await invite("Newcomer@Example.com", "TESTER");
    const accepted = await core.acceptInvitation(token, { name: "New Comer", password: "a-good-password" });
    expect(accepted).toMatchObject({ email: "newcomer@example.com", projectId, role: "TESTER" });

    const collaborator = await prisma().collaborator.findUniqueOrThrow({
      where: { projectId_userId: { projectId, userId: accepted.userId } },
    });
    expect(collaborator.role).toBe("TESTER");
    const invitation = await prisma().invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(invitation.acceptedAt).not.toBeNull();

    // The password was hashed by better-auth: its own sign-in accepts it and only it.
    const stored = await prisma().account.findFirstOrThrow({
      where: { userId: accepted.userId, providerId: "credential" },
    });
    expect(stored.password).not.toContain("a-good-password");
    const good = await signIn("newcomer@example.com", "a-good-password");
    expect(good.status).toBe(200);
    const cookie = good.headers.get("set-cookie")?.split(";")[0] ?? "";
    const principal = await core.resolvePrincipal(new Headers({ cookie }));
    expect(principal?.memberships[projectId]).toBe("TESTER");
    expect((await signIn("newcomer@example.com", "not-the-password")).status).toBe(401);

    const audit = await prisma().auditEvent.findMany({ where: { projectId, userId: accepted.userId } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["invitation.accepted"]));

    // The same link a second time: refused as used, and no second account appears.
    await expect(
      core.acceptInvitation(token, { name: "Again", password: "another-password" }),
    ).rejects.toMatchObject({ code: "conflict", details: { reason: "used" } });
    expect((await core.viewInvitation(token)).state).toBe("used");
    expect(await prisma().user.count({ where: { email: "newcomer@example.com" } })).toBe(1);
  });

  it("refuses an expired link, a withdrawn one and a wrong token", async () => {
    const expired = await invite("late@example.com");
    await prisma().invitation.update({
      where: { id: expired.invitationId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(
      core.acceptInvitation(expired.token, { name: "Late", password: "late-password" }),
    ).rejects.toMatchObject({ code: "conflict", details: { reason: "expired" } });
    expect((await core.viewInvitation(expired.token)).state).toBe("expired");

    const withdrawn = await invite("withdrawn@example.com");
    await core.revokeInvitation(admin, projectId, withdrawn.invitationId);
    await expect(
      core.acceptInvitation(withdrawn.token, { name: "Gone", password: "gone-password" }, "198.51.100.30"),
    ).rejects.toMatchObject({ code: "not_found" });

    await expect(
      core.acceptInvitation(
        "not-a-real-token-at-all-000000",
        { name: "X", password: "x-password" },
        "198.51.100.30",
      ),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await core.viewInvitation("../../etc/passwd")).state).toBe("unknown");

    // None of the refused links created an account.
    const emails = ["late@example.com", "withdrawn@example.com"];
    expect(await prisma().user.count({ where: { email: { in: emails } } })).toBe(0);
  });

  it("refuses a password shorter than better-auth's minimum without using the link", async () => {
    const { token } = await invite("short@example.com");
    await expect(core.acceptInvitation(token, { name: "Short", password: "1234567" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("8 to"),
    });
    expect((await core.viewInvitation(token)).state).toBe("pending");
    expect(await prisma().user.count({ where: { email: "short@example.com" } })).toBe(0);
  });

  it("locks an address out after a burst of wrong tokens, even for a right one", async () => {
    const ip = "198.51.100.77";
    const { token } = await invite("locked@example.com");
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const error = await core
        .acceptInvitation(`guessed-token-number-${i}-aaaaaaaa`, { name: "G", password: "guess-password" }, ip)
        .catch((e: { code: string }) => e);
      codes.push((error as { code: string }).code);
    }
    expect(codes.slice(0, 5)).toEqual(["not_found", "not_found", "not_found", "not_found", "not_found"]);
    expect(codes[5]).toBe("rate_limited");
    await expect(
      core.acceptInvitation(token, { name: "Locked", password: "locked-password" }, ip),
    ).rejects.toMatchObject({ code: "rate_limited" });
    // Another address is not affected.
    const ok = await core.acceptInvitation(
      token,
      { name: "Locked", password: "locked-password" },
      "192.0.2.1",
    );
    expect(ok.email).toBe("locked@example.com");
  });
});
