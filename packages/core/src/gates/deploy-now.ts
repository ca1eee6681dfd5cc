// "Deploy now": an Admin (the stage's deploy right: Admin on production, Tester too on
// staging) releases a waiting build past both gates at once. Audited, with who and why.
import { prisma } from "@gantry/db";
import type { QueueContext } from "@gantry/queue";
import { type Actor, assertCan } from "../access";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { releaseBuild } from "./evaluate";

export async function deployNow(
  actor: Actor,
  buildId: string,
  ip?: string,
  queue?: QueueContext,
): Promise<{ id: string; status: "QUEUED" }> {
  const build = await prisma().build.findUnique({
    where: { id: buildId },
    select: { id: true, projectId: true, stage: true, status: true, commitSha: true, gate: true },
  });
  if (!build) throw new AppError("not_found", "build not found");
  assertCan(actor, "deploy", { projectId: build.projectId, stage: build.stage });
  if (build.status !== "WAITING")
    throw new AppError("conflict", "the build is not waiting for its deploy gates");
  const waitingFor = [
    ...(build.gate?.waitingChecks ? ["checks"] : []),
    ...(build.gate?.waitingWindow ? ["deploy window"] : []),
  ];
  const released = await releaseBuild(buildId, { by: actor.userId, note: "deploy now" }, queue);
  if (!released) throw new AppError("conflict", "the build is not waiting for its deploy gates");
  await recordAudit({
    action: "build.deploy_now",
    projectId: build.projectId,
    userId: actor.userId,
    target: buildId,
    ip,
    data: { stage: build.stage, commitSha: build.commitSha, waitingFor },
  });
  return { id: buildId, status: "QUEUED" };
}
