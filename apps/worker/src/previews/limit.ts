// Enforcing the preview limit after a preview starts serving or wakes: the least recently
// used previews beyond it are put to sleep as the idle sweep would (sleep/power.ts).
import { previewsOverLimit } from "@gantry/core";
import type { JobContext } from "../handler";
import { sleepBuild } from "../sleep/power";

export async function sleepPreviewsOverLimit(projectId: string, context: JobContext): Promise<string[]> {
  const slept: string[] = [];
  for (const build of await previewsOverLimit(projectId)) {
    // Cutoff now: any awake preview qualifies; one being woken right now is left alone ("busy").
    const outcome = await sleepBuild(context.services.runtime, context.services.queue, build, new Date());
    if (outcome === "slept") slept.push(build.id);
  }
  if (slept.length > 0) context.logger.info({ projectId, slept }, "previews over the limit put to sleep");
  return slept;
}

/** After a build serves or wakes: when it is an open preview's, the limit is enforced. */
export async function enforcePreviewLimit(buildId: string, context: JobContext): Promise<void> {
  const build = await context.services.db().build.findUnique({
    where: { id: buildId },
    select: {
      projectId: true,
      servingAt: true,
      branch: { select: { previews: { where: { closedAt: null } } } },
    },
  });
  if (!build?.servingAt || build.branch.previews.length === 0) return;
  await sleepPreviewsOverLimit(build.projectId, context);
}
