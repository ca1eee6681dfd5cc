// A serving build's task moved by the cluster itself (its node drained or lost: the runtime's
// watchPlacements) answers at another node's address: its route is pointed there, and the
// branch's custom domains, which copy it, follow (routeBuild). Nothing is done on one host,
// where nothing moves.
import {
  buildRouteDial,
  createLogger,
  hostOfUrl,
  type Logger,
  routeBuild,
  servingFilter,
} from "@gantry/core";
import { prisma } from "@gantry/db";
import { type QueueContext, waitLock } from "@gantry/queue";
import type { ContainerRuntime, PlacementMove } from "@gantry/runtime";
import { recordServingNode } from "../shared/serving-node";
import { powerLockName, unrouteIfCleaned } from "../sleep/power";

// A wake or a shell's odoo-restart holds the build's power lock until Odoo answers (2 minutes
// at most); past that the move is told again at the watch's next look.
const LOCK_WAIT_MS = 150_000;

export type MoveOutcome = "rerouted" | "unchanged" | "skipped";

/**
 * Whether the route's dial is a build address the task no longer answers at. Only a route still
 * naming the node the task left is replaced: a wake or a rollback has routed the build itself
 * already, a sleep or an upgrade sent its host to another page (no dial then). When the watch
 * did not see where the task was (`from` null), any node's address at the build's port is.
 */
function isStale(dial: string | null, upstream: string, from: string | null, port: number): boolean {
  if (!dial || dial === upstream) return false;
  return from ? dial === `${from}:${port}` : dial.endsWith(`:${port}`);
}

export async function followMove(
  runtime: ContainerRuntime,
  queue: QueueContext,
  move: PlacementMove,
): Promise<MoveOutcome> {
  const build = await prisma().build.findFirst({
    where: { containerName: move.id, ...servingFilter },
    select: { id: true, url: true, httpPort: true },
  });
  const host = build?.url ? hostOfUrl(build.url) : null;
  if (!build || !host || !build.httpPort) return "skipped";
  // Under the lock sleep and wake take: neither runs while the route is replaced.
  const lock = await waitLock(queue, powerLockName(build.id), AbortSignal.timeout(LOCK_WAIT_MS));
  try {
    // The build page says where it runs, whatever becomes of the route.
    await recordServingNode(runtime, build.id, move.id);
    // Asked afresh: the task may have moved again since the watch looked.
    const upstream = await runtime.publishedAddress(move.id, build.httpPort);
    const dial = await buildRouteDial(build.id);
    if (!isStale(dial, upstream, move.from, build.httpPort)) return "unchanged";
    await routeBuild(build.id, host, upstream);
    await unrouteIfCleaned(build.id);
    return "rerouted";
  } finally {
    await lock.release();
  }
}

/** Follows every move the runtime reports until the returned function is called. */
export function followMoves(
  runtime: ContainerRuntime,
  queue: QueueContext,
  logger: Logger = createLogger("worker"),
): () => Promise<void> {
  return runtime.watchPlacements(
    async (move) => {
      const outcome = await followMove(runtime, queue, move);
      // Every serving task is told once when the watch starts: only a replaced route is news.
      if (outcome === "rerouted") logger.info({ ...move, outcome }, "a moved build's route follows it");
      else logger.debug({ ...move, outcome }, "a serving task's placement checked");
    },
    (error) => logger.warn({ err: error }, "following moved serving tasks failed; trying again"),
  );
}
