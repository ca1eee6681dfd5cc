// The project's preview limit: at most `previewLimit` previews awake at once. A preview that
// starts serving (or wakes) beyond it sends the least recently used ones to sleep; they stay
// reachable, and the next visit wakes them (sending another one to sleep in turn).
import { prisma } from "@gantry/db";
import { servingFilter } from "../builds/serving";

/** Awake, serving builds of open previews beyond the project's limit, least recently used first. */
export async function previewsOverLimit(projectId: string) {
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: { previewLimit: true },
  });
  if (!project) return [];
  const awake = await prisma().build.findMany({
    where: {
      projectId,
      status: "DONE",
      stage: "DEVELOPMENT",
      ...servingFilter,
      sleepingSince: null,
      url: { not: null },
      containerName: { not: null },
      branch: { previews: { some: { closedAt: null } } },
    },
    select: { id: true, url: true, containerName: true, servingAt: true, lastRequestAt: true },
  });
  const lastUse = (b: (typeof awake)[number]) =>
    Math.max(b.lastRequestAt?.getTime() ?? 0, b.servingAt?.getTime() ?? 0);
  awake.sort((a, b) => lastUse(b) - lastUse(a));
  return awake.slice(project.previewLimit).reverse();
}
