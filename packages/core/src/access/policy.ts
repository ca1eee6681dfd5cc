import { AppError } from "../errors";
import {
  type BranchFeature,
  branchMatrix,
  type ProjectFeature,
  projectMatrix,
  type Role,
  type Stage,
} from "./matrix";

/**
 * Who is asking. Memberships are loaded once per request; a platform administrator acts as
 * Admin on every project. A request made with an API token carries the token's project scope:
 * outside it, nothing is allowed, whatever the user's roles.
 */
export interface Actor {
  userId: string;
  isAdmin: boolean;
  memberships: Readonly<Record<string, Role>>;
  /** null for a browser session; the token's projects otherwise. */
  tokenProjectIds: readonly string[] | null;
}

/** Actions outside any project. */
/** `system.nodes`: the runtime's nodes, seen, drained and activated. `servers.manage`: the database servers' pools. */
export type PlatformAction =
  | "project.create"
  | "tokens.manage"
  | "system.diagnose"
  | "system.nodes"
  | "servers.manage";
export type Action = PlatformAction | ProjectFeature | BranchFeature;

export type Target = { projectId: string; stage?: never } | { projectId: string; stage: Stage } | undefined;

/** The actor's role on a project, or null when they are not a collaborator. */
export function roleOf(actor: Actor, projectId: string): Role | null {
  return actor.memberships[projectId] ?? (actor.isAdmin ? "ADMIN" : null);
}

function inTokenScope(actor: Actor, projectId: string): boolean {
  return actor.tokenProjectIds === null || actor.tokenProjectIds.includes(projectId);
}

/** The one decision point: may this actor do this action on this target? */
export function can(actor: Actor, action: Action, target?: Target): boolean {
  // Platform-wide acts belong to platform administrators, signed in (a token is per project).
  if (
    action === "project.create" ||
    action === "system.diagnose" ||
    action === "system.nodes" ||
    action === "servers.manage"
  )
    return actor.isAdmin && actor.tokenProjectIds === null;
  // Tokens never mint or revoke tokens: that needs a signed-in person.
  if (action === "tokens.manage") return actor.tokenProjectIds === null;
  if (!target) return false;
  if (!inTokenScope(actor, target.projectId)) return false;
  const role = roleOf(actor, target.projectId);
  if (!role) return false;
  if (action === "status" || action === "project_settings") return projectMatrix[action].includes(role);
  if (!target.stage) return false;
  return branchMatrix[action][target.stage].includes(role);
}

/** `can`, or a `forbidden` AppError that names what was refused. */
export function assertCan(actor: Actor, action: Action, target?: Target): void {
  if (can(actor, action, target)) return;
  const where = target?.stage
    ? ` on ${target.stage.toLowerCase()} branches`
    : target
      ? " on this project"
      : "";
  throw new AppError("forbidden", `Your role does not allow "${action}"${where}`, {
    details: { action, ...(target ?? {}) },
  });
}
