import { randomBytes } from "node:crypto";
import { prisma } from "@gantry/db";
import { enqueue, projectDeletionJobId, type QueueContext } from "@gantry/queue";
import type { z } from "zod";
import { type Actor, assertCan, can, type Role, roleOf } from "../access";
import { recordAudit } from "../audit";
import { AppError, parseInput } from "../errors";
import { deleteProjectInput, newProjectInput, renameProjectInput, slugify } from "./input";

export interface ProjectSummary {
  id: string;
  slug: string;
  name: string;
  githubOwner: string;
  githubRepo: string;
  odooSeries: string;
  timeZone: string;
  createdAt: Date;
  role: Role | null;
}

const select = {
  id: true,
  slug: true,
  name: true,
  githubOwner: true,
  githubRepo: true,
  odooSeries: true,
  timeZone: true,
  createdAt: true,
} as const;

/** A project the actor may see, or not_found / forbidden. */
export async function getProject(actor: Actor, projectId: string): Promise<ProjectSummary> {
  const project = await prisma().project.findFirst({
    where: { id: projectId, deletionRequestedAt: null },
    select,
  });
  if (!project) throw new AppError("not_found", "No such project");
  assertCan(actor, "status", { projectId });
  return { ...project, role: roleOf(actor, projectId) };
}

export async function listProjects(actor: Actor): Promise<ProjectSummary[]> {
  const rows = await prisma().project.findMany({
    where: {
      deletionRequestedAt: null,
      ...(actor.isAdmin ? {} : { collaborators: { some: { userId: actor.userId } } }),
    },
    orderBy: { name: "asc" },
    select,
  });
  return rows
    .filter((p) => can(actor, "status", { projectId: p.id }))
    .map((p) => ({ ...p, role: roleOf(actor, p.id) }));
}

export async function createProject(
  actor: Actor,
  input: z.input<typeof newProjectInput>,
  ip?: string,
): Promise<ProjectSummary> {
  assertCan(actor, "project.create");
  const data = newProjectInput.parse(input);
  const [githubOwner, githubRepo] = data.repository.split("/") as [string, string];
  const clash = await prisma().project.findFirst({ where: { githubOwner, githubRepo } });
  if (clash) throw new AppError("conflict", `Repository ${data.repository} already belongs to a project`);
  let slug = slugify(data.name);
  if (await prisma().project.findUnique({ where: { slug } }))
    slug = `${slug}-${randomBytes(3).toString("hex")}`;
  const project = await prisma().$transaction(async (tx) => {
    const created = await tx.project.create({
      data: { name: data.name, slug, githubOwner, githubRepo, odooSeries: data.odooSeries },
      select,
    });
    // Whoever creates a project is its first Admin: a project always has one.
    await tx.collaborator.create({ data: { projectId: created.id, userId: actor.userId, role: "ADMIN" } });
    await recordAudit(
      {
        action: "project.created",
        projectId: created.id,
        userId: actor.userId,
        ip,
        data: { name: created.name },
      },
      tx,
    );
    return created;
  });
  return { ...project, role: "ADMIN" };
}

export async function renameProject(
  actor: Actor,
  projectId: string,
  input: z.input<typeof renameProjectInput>,
  ip?: string,
): Promise<ProjectSummary> {
  const before = await getProject(actor, projectId);
  assertCan(actor, "project_settings", { projectId });
  const { name, timeZone } = parseInput(renameProjectInput, input);
  const project = await prisma().project.update({
    where: { id: projectId },
    data: { name, timeZone },
    select,
  });
  if (name !== undefined && name !== before.name) {
    await recordAudit({
      action: "project.renamed",
      projectId,
      userId: actor.userId,
      ip,
      data: { from: before.name, to: name },
    });
  }
  if (timeZone !== undefined && timeZone !== before.timeZone) {
    await recordAudit({
      action: "project.time_zone",
      projectId,
      userId: actor.userId,
      ip,
      data: { from: before.timeZone, to: timeZone },
    });
  }
  return { ...project, role: before.role };
}

/**
 * Deletes a project after the caller typed its name. The project is hidden at once (marked with
 * deletionRequestedAt) and the worker's builds.delete-project job tears it down: containers,
 * databases, files, routes, archives (the last production backup kept unless told not to), rows.
 * Asking again finds no project (it is hidden); a retried request enqueues the same job id.
 */
export async function deleteProject(
  actor: Actor,
  projectId: string,
  input: z.input<typeof deleteProjectInput>,
  ip?: string,
  queue?: QueueContext,
): Promise<{ status: "deleting"; jobId: string }> {
  const project = await getProject(actor, projectId);
  assertCan(actor, "project_settings", { projectId });
  const { confirmName, keepLastBackup } = deleteProjectInput.parse(input);
  if (confirmName !== project.name) {
    throw new AppError("invalid_input", "Type the project's name exactly to confirm its deletion", {
      details: { issues: [{ path: ["body", "confirmName"], message: "does not match the project's name" }] },
    });
  }
  const marked = await prisma().project.updateMany({
    where: { id: projectId, deletionRequestedAt: null },
    data: { deletionRequestedAt: new Date(), keepLastBackupOnDeletion: keepLastBackup },
  });
  if (marked.count === 1) {
    // The project's own log goes with it; this row (no project) keeps the deletion on record.
    await recordAudit({
      action: "project.deleted",
      userId: actor.userId,
      target: projectId,
      ip,
      data: { name: project.name, slug: project.slug, keepLastBackup },
    });
  }
  const jobId = projectDeletionJobId(projectId);
  await enqueue("builds.delete-project", { projectId }, { jobId }, queue);
  return { status: "deleting", jobId };
}
