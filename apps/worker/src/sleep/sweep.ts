// The idle sweep, run by the maintenance scheduler: last requests from the proxy's log onto
// the builds, then every awake staging or development build idle for BUILD_IDLE_MINUTES is put
// to sleep. A "sleeping" build whose container runs after all (an update restarted it, or a
// sweep stopped half-way) is handed to the wake job, which gives it its direct route back.
import { config } from "@gantry/config";
import { ensureAccessLog, idleBuilds, recordRequests, sleepingBuilds } from "@gantry/core";
import { enqueue, wakeBuildJobId } from "@gantry/queue";
import type { JobHandler } from "../handler";
import { stateIfExists } from "../shared/container-state";
import { readNewRequests } from "./access-log-cursor";
import { sleepBuild } from "./power";

export const sleepIdleBuilds: JobHandler<"maintenance.sleep-idle-builds"> = async (_payload, context) => {
  const { runtime, queue } = context.services;
  const logFile = await ensureAccessLog();
  const recorded = await recordRequests(await readNewRequests(logFile));
  const slept: string[] = [];
  const minutes = config().BUILD_IDLE_MINUTES;
  if (minutes === 0) return { slept, recorded };

  const cutoff = new Date(Date.now() - minutes * 60_000);
  for (const build of await idleBuilds(cutoff)) {
    context.signal.throwIfAborted();
    try {
      if ((await sleepBuild(runtime, queue, build, cutoff)) === "slept") slept.push(build.id);
    } catch (error) {
      context.logger.warn({ err: error, buildId: build.id }, "putting an idle build to sleep failed");
    }
  }
  if (slept.length > 0) context.logger.info({ slept, minutes }, "idle builds put to sleep");

  for (const build of await sleepingBuilds()) {
    if (slept.includes(build.id) || !build.containerName || !build.sleepingSince) continue;
    const running = (await stateIfExists(runtime, build.containerName))?.running ?? false;
    if (running) {
      await enqueue(
        "maintenance.wake-build",
        { buildId: build.id },
        { jobId: wakeBuildJobId(build.id, build.sleepingSince) },
        queue,
      );
    }
  }
  return { slept, recorded };
};
