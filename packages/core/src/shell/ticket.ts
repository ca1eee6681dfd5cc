// Tickets for the web shell. The API checks the "shell" right and hands the browser a random,
// single-use ticket that lives a few seconds in Redis; the shell server (in the worker, which
// has Docker) opens a terminal only for a ticket it can take out of Redis, once. Redis keeps the
// ticket's hash, never the ticket, so a look at Redis gives nothing to connect with.
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@gantry/db";
import { defaultQueueContext, type QueueContext } from "@gantry/queue";
import { z } from "zod";
import { type Actor, assertCan, type Role, roleOf, roles, stages } from "../access";
import { isServing } from "../builds/serving";
import { AppError } from "../errors";
import { shellSocketUrl } from "./socket-url";

export const SHELL_TICKET_TTL_SECONDS = 30;

const grantSchema = z.object({
  userId: z.string(),
  userEmail: z.string(),
  role: z.enum(roles),
  buildId: z.string(),
  projectId: z.string(),
  stage: z.enum(stages),
  issuedAt: z.string(),
});
/** What a ticket allows: this user, with this role, a shell into this build. */
export type ShellGrant = z.infer<typeof grantSchema>;

function ticketKey(context: QueueContext, ticket: string): string {
  return `${context.prefix}:shell-ticket:${createHash("sha256").update(ticket).digest("hex")}`;
}

/** The build a shell may be opened into: it serves (its container and database are there). */
async function shellTarget(actor: Actor, buildId: string) {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: { id: true, projectId: true, stage: true, servingAt: true, cleanedAt: true, containerName: true },
  });
  if (!build) throw new AppError("not_found", "build not found");
  assertCan(actor, "shell", { projectId: build.projectId, stage: build.stage });
  if (!isServing(build) || !build.containerName) {
    throw new AppError("conflict", "the build does not serve: it has no container to open a shell in");
  }
  return build;
}

/** What a shell into the build allows this actor, after the access check (it must serve). */
export async function shellGrant(actor: Actor, buildId: string): Promise<ShellGrant> {
  const build = await shellTarget(actor, buildId);
  const user = await prisma().user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  const role = roleOf(actor, build.projectId) as Role;
  return {
    userId: actor.userId,
    userEmail: user?.email ?? actor.userId,
    role,
    buildId: build.id,
    projectId: build.projectId,
    stage: build.stage,
    issuedAt: new Date().toISOString(),
  };
}

/** A ticket for one shell session into the build, after the access check; valid for seconds. */
export async function issueShellTicket(
  actor: Actor,
  buildId: string,
  context: QueueContext = defaultQueueContext(),
  ttlSeconds = SHELL_TICKET_TTL_SECONDS,
): Promise<{ ticket: string; url: string; expiresAt: Date }> {
  const grant = await shellGrant(actor, buildId);
  const ticket = randomBytes(32).toString("base64url");
  await context.redis().set(ticketKey(context, ticket), JSON.stringify(grant), "EX", ttlSeconds, "NX");
  return {
    ticket,
    url: shellSocketUrl(grant.buildId),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  };
}

/**
 * Takes a ticket out of Redis (so it works once) and returns what it allows, or null for a
 * forged, expired or used ticket, or one issued for another build.
 */
export async function redeemShellTicket(
  context: QueueContext,
  ticket: string,
  buildId: string,
): Promise<ShellGrant | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(ticket)) return null;
  const raw = await context.redis().getdel(ticketKey(context, ticket));
  if (!raw) return null;
  const parsed = grantSchema.safeParse(JSON.parse(raw));
  if (!parsed.success || parsed.data.buildId !== buildId) return null;
  return parsed.data;
}
