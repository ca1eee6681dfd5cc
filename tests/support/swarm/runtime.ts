import { config } from "@gantry/config";
import { type ContainerRuntime, createRuntime } from "@gantry/runtime";
import type { SwarmCluster } from "./cluster";

/** The Swarm runtime on a test cluster: its manager, registry and every node's engine. */
export function swarmRuntime(cluster: SwarmCluster): ContainerRuntime {
  return createRuntime({
    kind: "swarm",
    dockerHost: config().DOCKER_HOST,
    swarmManager: cluster.manager.host,
    swarmRegistryPush: cluster.registryPush,
    swarmRegistryPull: cluster.registryPull,
    swarmNodes: Object.fromEntries(cluster.nodes.map((n) => [n.name, n.host])),
  });
}
