// "Update this module" from the editor: a job for the worker (only it reaches Docker), which the
// editor follows by its id. The job id carries the build's id, so a status is only ever read
// through the build it was asked for (and that build's access check).
import { randomUUID } from "node:crypto";
import { prisma } from "@gantry/db";
import { enqueue, getJobView, type JobResult } from "@gantry/queue";
import { z } from "zod";
import type { Actor } from "../access";
import { isServing } from "../builds/serving";
import { AppError, parseInput } from "../errors";
import { editorBuild } from "./target";

export const updateModuleInput = z.object({
  module: z.string().regex(/^[A-Za-z0-9_]{1,100}$/, "a module name is letters, digits and underscores"),
});

function jobIdFor(buildId: string): string {
  return `update-module-${buildId}-${randomUUID()}`;
}

export async function requestModuleUpdate(
  actor: Actor,
  buildId: string,
  input: z.input<typeof updateModuleInput>,
): Promise<{ jobId: string }> {
  const { module } = parseInput(updateModuleInput, input);
  const build = await editorBuild(actor, buildId, "write");
  const row = await prisma().build.findUniqueOrThrow({
    where: { id: build.id },
    select: { servingAt: true, cleanedAt: true },
  });
  if (!isServing(row)) throw new AppError("conflict", "the build does not serve: there is nothing to update");
  const user = await prisma().user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  const { jobId } = await enqueue(
    "maintenance.update-module",
    { buildId: build.id, module, requestedBy: user?.email ?? actor.userId },
    { jobId: jobIdFor(build.id) },
  );
  return { jobId };
}

export interface ModuleUpdateStatus {
  jobId: string;
  state: "waiting" | "running" | "updated" | "failed";
  output: string | null;
  error: string | null;
}

export async function moduleUpdateStatus(
  actor: Actor,
  buildId: string,
  jobId: string,
): Promise<ModuleUpdateStatus> {
  await editorBuild(actor, buildId, "read");
  if (!jobId.startsWith(`update-module-${buildId}-`)) throw new AppError("not_found", "no such update");
  const view = await getJobView("maintenance", jobId);
  if (view?.name !== "maintenance.update-module") throw new AppError("not_found", "no such update");
  const result = view.result as JobResult<"maintenance.update-module"> | null;
  if (view.state === "completed" && result) {
    return { jobId, state: result.status, output: result.output, error: null };
  }
  if (view.state === "failed") return { jobId, state: "failed", output: null, error: view.failedReason };
  return { jobId, state: view.state === "active" ? "running" : "waiting", output: null, error: null };
}
