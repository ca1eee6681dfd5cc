// Serving builds whose node the cluster lost. A node that stops answering the manager turns
// "down"; Swarm starts its tasks again on another node of their pool when one is left
// (development, staging: follow-moves re-routes them), while production's pool usually has its
// one node, so production waits for it. Each serving build on a lost node is marked
// (Build.nodeLostAt, the build page's banner), production's people are told once, and the mark
// goes when the node answers again or the build runs elsewhere. One host never loses its node.
import { bestEffort } from "@gantry/config";
import { createLogger, type Logger, notifyProject, servingFilter } from "@gantry/core";
import { prisma } from "@gantry/db";
import type { QueueContext } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";

// Swarm itself takes some 15 s to call a silent node down; this adds at most 10 s to it.
const CHECK_MS = 10_000;

export interface LostNodesReport {
  /** Builds newly marked. */
  lost: string[];
  /** Builds whose mark went. */
  found: string[];
}

export async function checkLostNodes(
  runtime: ContainerRuntime,
  queue: QueueContext,
  logger: Logger,
): Promise<LostNodesReport> {
  // "unknown" (a manager that just restarted) is not lost: only what the manager says it lost.
  const down = new Set(
    (await runtime.nodes({ use: false }))
      .filter((n) => n.state === "down" || n.state === "disconnected")
      .map((n) => n.hostname),
  );
  const marked = await prisma().build.findMany({
    where: { nodeLostAt: { not: null } },
    select: { id: true, servingNode: true, servingAt: true, cleanedAt: true },
  });
  const found = marked
    .filter((b) => !(b.servingAt && !b.cleanedAt && b.servingNode && down.has(b.servingNode)))
    .map((b) => b.id);
  if (found.length > 0)
    await prisma().build.updateMany({ where: { id: { in: found } }, data: { nodeLostAt: null } });
  const report: LostNodesReport = { lost: [], found };
  if (down.size === 0) return report;
  // Asleep, a build runs nowhere: its wake starts it on a node that answers.
  const stranded = await prisma().build.findMany({
    where: { ...servingFilter, sleepingSince: null, nodeLostAt: null, servingNode: { in: [...down] } },
    select: { id: true, projectId: true, stage: true, servingNode: true },
  });
  for (const build of stranded) {
    // Compare-and-set: of several workers, one marks the build and tells.
    const { count } = await prisma().build.updateMany({
      where: { id: build.id, nodeLostAt: null, servingNode: build.servingNode },
      data: { nodeLostAt: new Date() },
    });
    if (count === 0) continue;
    report.lost.push(build.id);
    logger.warn(
      { buildId: build.id, node: build.servingNode, stage: build.stage },
      "a serving build's node is lost",
    );
    if (build.stage !== "PRODUCTION") continue;
    await bestEffort(
      "telling production's node loss",
      notifyProject(
        build.projectId,
        { type: "node.lost", buildId: build.id, node: build.servingNode as string },
        queue,
      ),
      { logger, fields: { buildId: build.id } },
    );
  }
  return report;
}

/** Checks every CHECK_MS until the returned function is called. */
export function watchLostNodes(
  runtime: ContainerRuntime,
  queue: QueueContext,
  logger: Logger = createLogger("worker"),
  everyMs = CHECK_MS,
): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const check = () => {
    // A slow manager must not stack checks up behind it.
    if (running) return;
    running = checkLostNodes(runtime, queue, logger)
      .catch((error: unknown) => logger.warn({ err: error }, "checking for lost nodes failed; trying again"))
      .finally(() => {
        running = null;
      });
  };
  check();
  const timer = setInterval(check, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
