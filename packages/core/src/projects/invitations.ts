import { prisma } from "@gantry/db";
import { z } from "zod";
import type { Role } from "../access";
import { recordAudit } from "../audit";
import { auth } from "../auth/better-auth";
import { clearFailures, lockedMessage, lockState, recordFailure } from "../auth/lockout";
import { AppError } from "../errors";
import { hashInvitationToken } from "./invitations-token";

/** Wrong tokens are counted per address under this key, with the sign-in lock-out's limits. */
const wrongTokenKey = "invitation-token";

export type InvitationState = "pending" | "expired" | "used" | "unknown";

export interface InvitationView {
  state: InvitationState;
  /** Only for a pending invitation: nothing about a project leaks through a dead link. */
  invitation?: { id: string; email: string | null; role: Role; projectId: string; projectName: string };
}

const tokenShape = /^[A-Za-z0-9_-]{16,100}$/;

/** What a link points at. Withdrawn invitations are deleted, so they read as unknown. */
export async function viewInvitation(token: string, now = new Date()): Promise<InvitationView> {
  if (!tokenShape.test(token)) return { state: "unknown" };
  const row = await prisma().invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    include: { project: { select: { name: true } } },
  });
  if (!row) return { state: "unknown" };
  if (row.acceptedAt) return { state: "used" };
  if (row.expiresAt <= now) return { state: "expired" };
  return {
    state: "pending",
    invitation: {
      id: row.id,
      email: row.email,
      role: row.role,
      projectId: row.projectId,
      projectName: row.project.name,
    },
  };
}

export const acceptInvitationInput = z.object({
  name: z.string().trim().min(1, "your name").max(100),
  // Length bounds are better-auth's own, checked in acceptInvitation.
  password: z.string().min(1).max(200),
});

export interface AcceptedInvitation {
  userId: string;
  email: string;
  projectId: string;
  role: Role;
}

function refusal(state: Exclude<InvitationState, "pending">): AppError {
  switch (state) {
    case "unknown":
      return new AppError("not_found", "This invitation link is not valid: it was withdrawn or mistyped");
    case "expired":
      return new AppError("conflict", "This invitation has expired: ask the project's Admin for a new one", {
        details: { reason: "expired" },
      });
    case "used":
      return new AppError("conflict", "This invitation has already been used: sign in instead", {
        details: { reason: "used" },
      });
  }
}

/**
 * Creates the invited person's account with a password (through better-auth, which hashes it),
 * adds them to the project with the invited role and marks the link used. Unknown tokens count
 * as failures of the caller's address, so guessing links is locked out like guessing passwords.
 */
export async function acceptInvitation(
  token: string,
  input: z.input<typeof acceptInvitationInput>,
  ip = "local",
): Promise<AcceptedInvitation> {
  const before = await lockState(wrongTokenKey, ip);
  if (before.locked) {
    throw new AppError("rate_limited", lockedMessage(before.retryAfterSeconds), {
      details: { retryAfterSeconds: before.retryAfterSeconds },
    });
  }
  const view = await viewInvitation(token);
  if (view.state !== "pending" || !view.invitation) {
    if (view.state === "unknown") await recordFailure(wrongTokenKey, ip);
    throw refusal(view.state === "pending" ? "unknown" : view.state);
  }
  const invitation = view.invitation;
  if (!invitation.email) {
    throw new AppError(
      "conflict",
      "This invitation is for a GitHub login: sign in with GitHub to accept it",
      {
        details: { reason: "github_only" },
      },
    );
  }
  const parsed = acceptInvitationInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      `Invalid request: ${parsed.error.issues[0]?.message ?? "name and password"}`,
    );
  }
  const data = parsed.data;
  const context = await auth().$context;
  const { minPasswordLength, maxPasswordLength } = context.password.config;
  if (data.password.length < minPasswordLength || data.password.length > maxPasswordLength) {
    throw new AppError(
      "invalid_input",
      `The password needs ${minPasswordLength} to ${maxPasswordLength} characters`,
    );
  }
  const existing = await prisma().user.findUnique({ where: { email: invitation.email } });
  if (existing) {
    throw new AppError("conflict", "An account with this email already exists: sign in instead", {
      details: { reason: "account_exists" },
    });
  }

  const hash = await context.password.hash(data.password);
  // The user hook checks that an invitation exists for the email and, once created, turns the
  // pending email invitations (this one included) into collaborators.
  const user = await context.internalAdapter.createUser(
    { email: invitation.email, name: data.name, emailVerified: true },
    { method: "email-password" },
  );
  if (!user) throw new AppError("internal", "The account could not be created");
  try {
    await context.internalAdapter.linkAccount({
      userId: user.id,
      providerId: "credential",
      accountId: user.id,
      password: hash,
    });
  } catch (error) {
    // No half-made account: without its password nobody could ever use it.
    await prisma().user.delete({ where: { id: user.id } });
    throw error;
  }

  await prisma().$transaction(async (tx) => {
    // Claims the link even if the hook did not run (e.g. a different email casing).
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null },
      data: { acceptedAt: new Date() },
    });
    await tx.collaborator.upsert({
      where: { projectId_userId: { projectId: invitation.projectId, userId: user.id } },
      create: { projectId: invitation.projectId, userId: user.id, role: invitation.role },
      update: {},
    });
    if (claimed.count > 0) {
      await recordAudit(
        {
          action: "invitation.accepted",
          projectId: invitation.projectId,
          userId: user.id,
          target: invitation.id,
          ip,
        },
        tx,
      );
    }
  });
  await recordAudit({
    action: "collaborator.added",
    projectId: invitation.projectId,
    userId: user.id,
    target: user.id,
    ip,
    data: { role: invitation.role, email: invitation.email, via: "invitation link" },
  });
  await clearFailures(wrongTokenKey, ip);
  return { userId: user.id, email: invitation.email, projectId: invitation.projectId, role: invitation.role };
}
