// Putting one build to sleep and waking it. Both hold the build's lock, so a wake never runs
// while the same build is being stopped; the row changes are compare-and-set, so a build
// cleaned or woken meanwhile is left as it is.
import { bestEffort } from "@gantry/config";
import {
  hostOfUrl,
  isServing,
  markAwake,
  markSleeping,
  routeBuild,
  routeBuildToWake,
  unrouteBuild,
} from "@gantry/core";
import { prisma } from "@gantry/db";
import { type QueueContext, tryLock, waitLock } from "@gantry/queue";
import { type ContainerRuntime, statusOf } from "@gantry/runtime";
import { UnrecoverableError } from "bullmq";
import { waitHealthy } from "../shared/serve";
import { recordServingNode } from "../shared/serving-node";

const HEALTH_TIMEOUT_MS = 120_000;

export function powerLockName(buildId: string): string {
  return `build-power-${buildId}`;
}

export interface SleepTarget {
  id: string;
  url: string | null;
  containerName: string | null;
}

/** A route that outlived its build (cleaned while we acted) is removed. */
export async function unrouteIfCleaned(buildId: string): Promise<void> {
  const row = await prisma().build.findUnique({ where: { id: buildId }, select: { cleanedAt: true } });
  if (!row || row.cleanedAt)
    await bestEffort("removing the cleaned build's route", unrouteBuild(buildId), { fields: { buildId } });
}

/**
 * Stops an idle build's container and sends its host to the wake page. "busy" when a wake
 * holds the build right now, "skipped" when it is no longer idle and awake.
 */
export async function sleepBuild(
  runtime: ContainerRuntime,
  queue: QueueContext,
  build: SleepTarget,
  cutoff: Date,
): Promise<"slept" | "busy" | "skipped"> {
  const host = build.url ? hostOfUrl(build.url) : null;
  if (!host || !build.containerName) return "skipped";
  const lock = await tryLock(queue, powerLockName(build.id));
  if (!lock) return "busy";
  try {
    const since = await markSleeping(build.id, cutoff);
    if (!since) return "skipped";
    try {
      await routeBuildToWake(build.id, host);
    } catch (error) {
      // Without the wake route the build must stay up: nothing would start it again.
      await markAwake(build.id, since);
      throw error;
    }
    await unrouteIfCleaned(build.id);
    // A failed stop leaves it running behind the wake page; the next wake finds it healthy.
    await runtime.stop(build.containerName, 10);
    return "slept";
  } finally {
    await lock.release();
  }
}

/** Starts a sleeping build's container again, waits until Odoo answers, restores its route. */
export async function wakeBuild(
  runtime: ContainerRuntime,
  queue: QueueContext,
  buildId: string,
  signal: AbortSignal,
): Promise<"woken" | "awake" | "gone"> {
  const lock = await waitLock(queue, powerLockName(buildId), signal);
  try {
    const build = await prisma().build.findUnique({ where: { id: buildId } });
    if (!build || !isServing(build)) return "gone";
    if (!build.sleepingSince) return "awake";
    const host = build.url ? hostOfUrl(build.url) : null;
    if (!host || !build.containerName || !build.httpPort) {
      throw new UnrecoverableError("the build has no serving container to start; rebuild the branch");
    }
    await runtime.inspect(build.containerName).catch((error: unknown) => {
      if (statusOf(error) !== 404) throw error;
      throw new UnrecoverableError("the build's container is gone; rebuild the branch to serve it again");
    });
    await runtime.start(build.containerName);
    await waitHealthy(runtime, build.containerName, build.httpPort, signal, HEALTH_TIMEOUT_MS);
    // Where it answers now: on a cluster, the node it was started on this time.
    await routeBuild(buildId, host, await runtime.publishedAddress(build.containerName, build.httpPort));
    await recordServingNode(runtime, buildId, build.containerName);
    await markAwake(buildId, build.sleepingSince);
    await unrouteIfCleaned(buildId);
    return "woken";
  } finally {
    await lock.release();
  }
}
