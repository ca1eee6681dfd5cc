import { prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan, type BranchFeature, roleOf, stages } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";

/** Git's branch-name rules, narrowed to what is safe in URLs, labels and database names. */
export const branchName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "letters, digits, . _ / - and no leading symbol")
  .refine(
    (v) => !v.includes("..") && !v.endsWith("/") && !v.endsWith(".lock"),
    "not a valid git branch name",
  );

export const newBranchInput = z.object({ name: branchName, stage: z.enum(stages).default("DEVELOPMENT") });

export interface BranchSummary {
  id: string;
  name: string;
  stage: (typeof stages)[number];
  createdAt: Date;
}

const select = { id: true, name: true, stage: true, createdAt: true } as const;

export async function listBranches(actor: Actor, projectId: string): Promise<BranchSummary[]> {
  assertCan(actor, "status", { projectId });
  return prisma().branch.findMany({
    where: { projectId },
    orderBy: [{ stage: "asc" }, { position: "asc" }, { name: "asc" }],
    select,
  });
}

/** A branch record made by hand (branches also arrive from GitHub pushes). */
export async function createBranch(
  actor: Actor,
  projectId: string,
  input: z.input<typeof newBranchInput>,
  ip?: string,
): Promise<BranchSummary> {
  assertCan(actor, "project_settings", { projectId });
  const data = newBranchInput.parse(input);
  const exists = await prisma().branch.findUnique({
    where: { projectId_name: { projectId, name: data.name } },
  });
  if (exists) throw new AppError("conflict", `Branch ${data.name} already exists`);
  if (data.stage === "PRODUCTION") {
    const production = await prisma().branch.count({ where: { projectId, stage: "PRODUCTION" } });
    if (production > 0) throw new AppError("conflict", "A project has one production branch");
  }
  const branch = await prisma().branch.create({
    data: { projectId, name: data.name, stage: data.stage },
    select,
  });
  await recordAudit({
    action: "branch.created",
    projectId,
    userId: actor.userId,
    target: branch.id,
    ip,
    data: { name: branch.name, stage: branch.stage },
  });
  return branch;
}

/** A branch of the project, with the actor's right to use one feature on it checked. */
export async function branchFeatureAccess(
  actor: Actor,
  projectId: string,
  branchId: string,
  feature: BranchFeature,
) {
  assertCan(actor, "status", { projectId });
  const branch = await prisma().branch.findFirst({ where: { id: branchId, projectId }, select });
  if (!branch) throw new AppError("not_found", "No such branch");
  assertCan(actor, feature, { projectId, stage: branch.stage });
  return { branch, feature, role: roleOf(actor, projectId), allowed: true as const };
}
