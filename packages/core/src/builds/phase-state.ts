// A build phase's state: started, its progress, closed, and the output it stores for later
// steps (a production build's rollback). Core is the one writer of phases; the build's end
// closes those left open (state.ts).
import { type Prisma, prisma } from "@gantry/db";
import type { BuildPhaseName } from "./phases";

export async function startPhase(buildId: string, name: BuildPhaseName, message?: string): Promise<void> {
  await prisma().buildPhase.update({
    where: { buildId_name: { buildId, name } },
    data: { status: "RUNNING", startedAt: new Date(), progress: 0, message: message ?? null },
  });
}

export async function phaseProgress(
  buildId: string,
  name: BuildPhaseName,
  progress: number,
  message?: string,
): Promise<void> {
  await prisma().buildPhase.updateMany({
    where: { buildId, name, status: "RUNNING" },
    data: { progress: Math.max(0, Math.min(100, Math.round(progress))), ...(message ? { message } : {}) },
  });
}

export async function endPhase(
  buildId: string,
  name: BuildPhaseName,
  status: "DONE" | "FAILED" | "SKIPPED",
  details: { message?: string; output?: Record<string, unknown> } = {},
): Promise<void> {
  await prisma().buildPhase.update({
    where: { buildId_name: { buildId, name } },
    data: {
      status,
      progress: status === "FAILED" ? undefined : 100,
      finishedAt: new Date(),
      ...(details.message !== undefined ? { message: details.message.slice(0, 2000) } : {}),
      ...(details.output !== undefined ? { output: details.output as object } : {}),
    },
  });
}

/** A phase that did not end itself (FAILED with a message, DONE with its output) ends DONE. */
export async function closePhase(buildId: string, name: BuildPhaseName): Promise<void> {
  await prisma().buildPhase.updateMany({
    where: { buildId, name, status: "RUNNING" },
    data: { status: "DONE", progress: 100, finishedAt: new Date() },
  });
}

/** The output a phase stored (an object), or an empty one. */
export async function phaseOutput(buildId: string, name: BuildPhaseName): Promise<Record<string, unknown>> {
  const phase = await prisma().buildPhase.findUnique({
    where: { buildId_name: { buildId, name } },
    select: { output: true },
  });
  const output = phase?.output;
  return output && typeof output === "object" && !Array.isArray(output)
    ? (output as Record<string, unknown>)
    : {};
}

/** Replaces a phase's output, whatever its status. */
export async function storePhaseOutput(
  buildId: string,
  name: BuildPhaseName,
  output: Record<string, unknown>,
): Promise<void> {
  await prisma().buildPhase.update({
    where: { buildId_name: { buildId, name } },
    data: { output: output as Prisma.InputJsonObject },
  });
}
