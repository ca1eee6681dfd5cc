// Where a build's serving container runs: the node's hostname on the build's row, which the build
// page shows. Written whenever the container starts serving somewhere (a serve, a wake, a restart
// after a rollback or an upgrade) and by whatever sees Swarm move it to another node.
import { bestEffort } from "@gantry/config";
import { prisma } from "@gantry/db";
import type { ContainerRuntime } from "@gantry/runtime";

/**
 * Reads the node the container runs on now and records it on the build (null when it does not
 * run). Only a display: a runtime that cannot say leaves the row as it was, and serving goes on.
 */
export async function recordServingNode(
  runtime: ContainerRuntime,
  buildId: string,
  containerName: string,
): Promise<string | null | undefined> {
  return bestEffort(
    `recording the node build ${buildId} runs on`,
    async () => {
      const placed = await runtime.placement(containerName);
      const servingNode = placed?.hostname ?? null;
      await prisma().build.update({ where: { id: buildId }, data: { servingNode } });
      return servingNode;
    },
    { fields: { buildId, containerName } },
  );
}
