// The wake job, enqueued by the "starting" page (one per sleep, by its stable id).
import type { JobHandler } from "../handler";
import { wakeBuild } from "./power";

export const wakeBuildJob: JobHandler<"maintenance.wake-build"> = async ({ buildId }, context) => {
  const { runtime, queue } = context.services;
  const status = await wakeBuild(runtime, queue, buildId, context.signal);
  context.logger.info({ buildId, status }, "wake finished");
  return { status };
};
