// A build's containers are found by their label, whoever started them (this worker or one that
// died), and removed by force: nothing of the build may keep running once it is cleaned.
import { bestEffort } from "@gantry/config";
import type { ContainerRuntime } from "@gantry/runtime";

export async function removeBuildContainers(runtime: ContainerRuntime, buildId: string): Promise<void> {
  const containers = await runtime.listManaged({ build: buildId });
  for (const container of containers)
    await bestEffort(`removing container ${container.name}`, runtime.remove(container.id, true), {
      fields: { buildId },
    });
}
