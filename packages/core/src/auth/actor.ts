import { prisma } from "@gantry/db";
import type { Actor, Role } from "../access";
import { verifyToken } from "../tokens";
import { auth } from "./better-auth";

/** The signed-in person behind a request, with what the policy needs to decide. */
export interface Principal extends Actor {
  email: string;
  name: string;
  via: "session" | "token";
}

/** The person with this id as the policy sees them (null: no such user). */
export async function principalOf(
  userId: string,
  tokenProjectIds: string[] | null,
): Promise<Principal | null> {
  const user = await prisma().user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      isAdmin: true,
      collaborators: { select: { projectId: true, role: true } },
    },
  });
  if (!user) return null;
  const memberships: Record<string, Role> = {};
  for (const c of user.collaborators) memberships[c.projectId] = c.role;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    memberships,
    tokenProjectIds,
    via: tokenProjectIds ? "token" : "session",
  };
}

/**
 * Resolves `Authorization: Bearer gty_…` (an API token) or the session cookie. Null when
 * neither is valid: a forged, expired or revoked credential is the same as none.
 */
export async function resolvePrincipal(headers: Headers): Promise<Principal | null> {
  const authorization = headers.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const token = await verifyToken(authorization.slice(7).trim());
    return token ? principalOf(token.userId, token.projectIds) : null;
  }
  const session = await auth().api.getSession({ headers });
  return session ? principalOf(session.user.id, null) : null;
}
