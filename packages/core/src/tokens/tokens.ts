import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan, can } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";

/** Tokens look like `gty_<8 chars>_<secret>`; the first part is kept in clear to recognise them. */
const tokenPattern = /^gty_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{32,})$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const newTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  projectIds: z.array(z.string().min(1)).min(1, "a token is limited to at least one project").max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export interface TokenSummary {
  id: string;
  name: string;
  prefix: string;
  projectIds: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const summary = {
  id: true,
  name: true,
  prefix: true,
  projectIds: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Creates a token for the actor; the clear token is returned here and never again. */
export async function createToken(
  actor: Actor,
  input: z.input<typeof newTokenInput>,
): Promise<{ token: string; summary: TokenSummary }> {
  assertCan(actor, "tokens.manage");
  const data = newTokenInput.parse(input);
  // A token can only reach projects its owner can see today.
  for (const projectId of data.projectIds) {
    if (!can(actor, "status", { projectId })) {
      throw new AppError("forbidden", `You are not a collaborator of project ${projectId}`);
    }
  }
  const prefix = randomBytes(6).toString("base64url");
  const token = `gty_${prefix}_${randomBytes(24).toString("base64url")}`;
  const row = await prisma().apiToken.create({
    data: {
      userId: actor.userId,
      name: data.name,
      prefix,
      tokenHash: hashToken(token),
      projectIds: [...new Set(data.projectIds)],
      expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
    },
    select: summary,
  });
  for (const projectId of row.projectIds) {
    await recordAudit({
      action: "token.created",
      projectId,
      userId: actor.userId,
      target: row.id,
      data: { name: row.name },
    });
  }
  return { token, summary: row };
}

export async function listTokens(actor: Actor): Promise<TokenSummary[]> {
  assertCan(actor, "tokens.manage");
  return prisma().apiToken.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: "desc" },
    select: summary,
  });
}

export async function revokeToken(actor: Actor, tokenId: string): Promise<void> {
  assertCan(actor, "tokens.manage");
  const updated = await prisma().apiToken.updateMany({
    where: { id: tokenId, userId: actor.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (updated.count === 0) throw new AppError("not_found", "No such active token");
  await recordAudit({ action: "token.revoked", userId: actor.userId, target: tokenId });
}

/** The owner and scope of a presented token, or null when it is unknown, revoked or expired. */
export async function verifyToken(token: string): Promise<{ userId: string; projectIds: string[] } | null> {
  if (!tokenPattern.test(token)) return null;
  const row = await prisma().apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) return null;
  await prisma().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { userId: row.userId, projectIds: row.projectIds };
}
