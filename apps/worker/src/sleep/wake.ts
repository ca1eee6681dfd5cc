// The wake job, enqueued by the "starting" page (one per sleep, by its stable id). A woken
// preview counts against its project's preview limit: the least recently used one beyond it
// goes to sleep.
import { bestEffort } from "@gantry/config";
import type { JobHandler } from "../handler";
import { enforcePreviewLimit } from "../previews/limit";
import { wakeBuild } from "./power";

export const wakeBuildJob: JobHandler<"maintenance.wake-build"> = async ({ buildId }, context) => {
  const { runtime, queue } = context.services;
  const status = await wakeBuild(runtime, queue, buildId, context.signal);
  context.logger.info({ buildId, status }, "wake finished");
  if (status === "woken") {
    await bestEffort("the preview limit", () => enforcePreviewLimit(buildId, context), {
      logger: context.logger,
      fields: { buildId },
    });
  }
  return { status };
};
