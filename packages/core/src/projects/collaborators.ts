import { randomBytes } from "node:crypto";
import { type Prisma, prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan, roles } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { hashInvitationToken, invitationDays } from "./invitations-token";

export const inviteInput = z
  .object({
    email: z
      .email()
      .transform((v) => v.toLowerCase())
      .optional(),
    githubLogin: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,39}$/, "a GitHub login")
      .optional(),
    role: z.enum(roles),
  })
  .refine((v) => Boolean(v.email) !== Boolean(v.githubLogin), {
    message: "give either an email or a GitHub login",
  });
export const roleInput = z.object({ role: z.enum(roles) });

export interface CollaboratorRow {
  id: string;
  role: (typeof roles)[number];
  createdAt: Date;
  user: { id: string; email: string; name: string; githubLogin: string | null };
}

export interface InvitationRow {
  id: string;
  email: string | null;
  githubLogin: string | null;
  role: (typeof roles)[number];
  expiresAt: Date;
  createdAt: Date;
}

export async function listCollaborators(
  actor: Actor,
  projectId: string,
): Promise<{ collaborators: CollaboratorRow[]; invitations: InvitationRow[] }> {
  assertCan(actor, "project_settings", { projectId });
  const [collaborators, invitations] = await Promise.all([
    prisma().collaborator.findMany({
      where: { projectId },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        role: true,
        createdAt: true,
        user: { select: { id: true, email: true, name: true, githubLogin: true } },
      },
    }),
    prisma().invitation.findMany({
      where: { projectId, acceptedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "asc" },
      select: { id: true, email: true, githubLogin: true, role: true, expiresAt: true, createdAt: true },
    }),
  ]);
  return { collaborators, invitations };
}

export type InviteResult =
  | { kind: "added"; collaborator: CollaboratorRow }
  | { kind: "invited"; invitation: InvitationRow; token: string };

/**
 * Adds a known user at once; otherwise records an invitation that the person accepts by
 * signing in with GitHub (by login or email) or, for an email, through the link built from
 * the token (`invitationLink`), which only this answer carries: the database keeps its hash.
 */
export async function inviteCollaborator(
  actor: Actor,
  projectId: string,
  input: z.input<typeof inviteInput>,
  ip?: string,
): Promise<InviteResult> {
  assertCan(actor, "project_settings", { projectId });
  const data = inviteInput.parse(input);
  const user = await prisma().user.findFirst({
    where: data.email ? { email: data.email } : { githubLogin: data.githubLogin },
    select: { id: true },
  });
  if (user) {
    const existing = await prisma().collaborator.findUnique({
      where: { projectId_userId: { projectId, userId: user.id } },
    });
    if (existing) throw new AppError("conflict", "This person is already a collaborator of the project");
    const collaborator = await prisma().collaborator.create({
      data: { projectId, userId: user.id, role: data.role },
      select: {
        id: true,
        role: true,
        createdAt: true,
        user: { select: { id: true, email: true, name: true, githubLogin: true } },
      },
    });
    await recordAudit({
      action: "collaborator.added",
      projectId,
      userId: actor.userId,
      target: user.id,
      ip,
      data: { role: data.role, email: collaborator.user.email },
    });
    return { kind: "added", collaborator };
  }
  const token = randomBytes(24).toString("base64url");
  const invitation = await prisma().invitation.create({
    data: {
      projectId,
      email: data.email ?? null,
      githubLogin: data.githubLogin ?? null,
      role: data.role,
      tokenHash: hashInvitationToken(token),
      invitedById: actor.userId,
      expiresAt: new Date(Date.now() + invitationDays * 86_400_000),
    },
    select: { id: true, email: true, githubLogin: true, role: true, expiresAt: true, createdAt: true },
  });
  await recordAudit({
    action: "collaborator.invited",
    projectId,
    userId: actor.userId,
    target: invitation.id,
    ip,
    data: { role: data.role, email: data.email, githubLogin: data.githubLogin },
  });
  return { kind: "invited", invitation, token };
}

/** Fails when the change would leave the project without an Admin. */
async function keepOneAdmin(
  tx: Prisma.TransactionClient,
  projectId: string,
  leavingId: string,
): Promise<void> {
  const others = await tx.collaborator.count({ where: { projectId, role: "ADMIN", id: { not: leavingId } } });
  if (others === 0) {
    throw new AppError("conflict", "A project keeps at least one Admin: make someone else Admin first", {
      details: { reason: "last_admin" },
    });
  }
}

export async function changeRole(
  actor: Actor,
  projectId: string,
  collaboratorId: string,
  input: z.input<typeof roleInput>,
  ip?: string,
): Promise<CollaboratorRow> {
  assertCan(actor, "project_settings", { projectId });
  const { role } = roleInput.parse(input);
  return prisma().$transaction(
    async (tx) => {
      const current = await tx.collaborator.findFirst({ where: { id: collaboratorId, projectId } });
      if (!current) throw new AppError("not_found", "No such collaborator");
      if (current.role === "ADMIN" && role !== "ADMIN") await keepOneAdmin(tx, projectId, collaboratorId);
      const updated = await tx.collaborator.update({
        where: { id: collaboratorId },
        data: { role },
        select: {
          id: true,
          role: true,
          createdAt: true,
          user: { select: { id: true, email: true, name: true, githubLogin: true } },
        },
      });
      await recordAudit(
        {
          action: "collaborator.role_changed",
          projectId,
          userId: actor.userId,
          target: current.userId,
          ip,
          data: { from: current.role, to: role, email: updated.user.email },
        },
        tx,
      );
      return updated;
    },
    // Serializable: two admins demoting each other at once cannot both succeed.
    { isolationLevel: "Serializable" },
  );
}

export async function removeCollaborator(
  actor: Actor,
  projectId: string,
  collaboratorId: string,
  ip?: string,
): Promise<void> {
  assertCan(actor, "project_settings", { projectId });
  await prisma().$transaction(
    async (tx) => {
      const current = await tx.collaborator.findFirst({
        where: { id: collaboratorId, projectId },
        include: { user: { select: { email: true } } },
      });
      if (!current) throw new AppError("not_found", "No such collaborator");
      if (current.role === "ADMIN") await keepOneAdmin(tx, projectId, collaboratorId);
      await tx.collaborator.delete({ where: { id: collaboratorId } });
      await recordAudit(
        {
          action: "collaborator.removed",
          projectId,
          userId: actor.userId,
          target: current.userId,
          ip,
          data: { role: current.role, email: current.user.email },
        },
        tx,
      );
    },
    { isolationLevel: "Serializable" },
  );
}

export async function revokeInvitation(actor: Actor, projectId: string, invitationId: string): Promise<void> {
  assertCan(actor, "project_settings", { projectId });
  const deleted = await prisma().invitation.deleteMany({
    where: { id: invitationId, projectId, acceptedAt: null },
  });
  if (deleted.count === 0) throw new AppError("not_found", "No such pending invitation");
  await recordAudit({ action: "invitation.revoked", projectId, userId: actor.userId, target: invitationId });
}

/** Turns the pending invitations matching a user (email or GitHub login) into collaborators. */
export async function acceptInvitationsFor(user: { id: string; email: string; githubLogin?: string | null }) {
  const pending = await prisma().invitation.findMany({
    where: {
      acceptedAt: null,
      expiresAt: { gt: new Date() },
      OR: [
        { email: user.email.toLowerCase() },
        ...(user.githubLogin ? [{ githubLogin: user.githubLogin }] : []),
      ],
    },
  });
  for (const invitation of pending) {
    await prisma().$transaction(async (tx) => {
      await tx.collaborator.upsert({
        where: { projectId_userId: { projectId: invitation.projectId, userId: user.id } },
        create: { projectId: invitation.projectId, userId: user.id, role: invitation.role },
        update: {},
      });
      await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
      await recordAudit(
        {
          action: "invitation.accepted",
          projectId: invitation.projectId,
          userId: user.id,
          target: invitation.id,
        },
        tx,
      );
    });
  }
  return pending.length;
}
