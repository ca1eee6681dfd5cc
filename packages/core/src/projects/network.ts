// A project's network setting: which stages' containers may open connections beyond the host
// (payment providers, outside mail servers, APIs). The worker puts each container on the
// project's isolated or egress network accordingly (apps/worker/src/shared/network.ts).
import { prisma } from "@gantry/db";
import { z } from "zod";
import { type Actor, assertCan, stages } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";

export interface ProjectNetwork {
  egressStages: (typeof stages)[number][];
}

export const projectNetworkInput = z.object({
  egressStages: z.array(z.enum(stages)).max(stages.length),
});

async function load(projectId: string): Promise<ProjectNetwork> {
  const project = await prisma().project.findFirst({
    where: { id: projectId, deletionRequestedAt: null },
    select: { egressStages: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  // In the stages' own order, whatever order they were stored in.
  return { egressStages: stages.filter((s) => project.egressStages.includes(s)) };
}

export async function getProjectNetwork(actor: Actor, projectId: string): Promise<ProjectNetwork> {
  assertCan(actor, "project_settings", { projectId });
  return load(projectId);
}

export async function setProjectNetwork(
  actor: Actor,
  projectId: string,
  input: z.input<typeof projectNetworkInput>,
  ip?: string,
): Promise<ProjectNetwork> {
  assertCan(actor, "project_settings", { projectId });
  const before = await load(projectId);
  const egressStages = stages.filter((s) => projectNetworkInput.parse(input).egressStages.includes(s));
  await prisma().project.update({ where: { id: projectId }, data: { egressStages } });
  await recordAudit({
    action: "project.network",
    projectId,
    userId: actor.userId,
    ip,
    data: { from: before.egressStages, to: egressStages },
  });
  return { egressStages };
}
