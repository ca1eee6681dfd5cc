// The one place that chooses the container engine: the worker asks for "the runtime" and never
// learns which kind it got.
import { config } from "@gantry/config";
import { DockerRuntime } from "./docker-runtime";
import { SwarmRuntime } from "./swarm/swarm-runtime";
import type { ContainerRuntime } from "./types";

export interface RuntimeSettings {
  kind: "docker" | "swarm";
  /** The local engine: the only one with `docker`, the image builder with `swarm`. */
  dockerHost: string;
  /** `swarm`: a manager node's engine. */
  swarmManager?: string;
  /** `swarm`: where the local engine pushes images, and where the nodes pull them. */
  swarmRegistryPush?: string;
  swarmRegistryPull?: string;
  /** `swarm`: the nodes' engines by hostname, for exec and stats on a task's container. */
  swarmNodes?: Record<string, string>;
  /** `swarm`: where tasks reach this machine's database clusters and mail catcher. */
  swarmHostAddress?: string;
}

export function createRuntime(settings: RuntimeSettings): ContainerRuntime {
  if (settings.kind === "docker") return new DockerRuntime({ host: settings.dockerHost });
  if (!settings.swarmManager) throw new Error("RUNTIME=swarm needs SWARM_MANAGER_HOST");
  const { swarmRegistryPush: push, swarmRegistryPull: pull } = settings;
  return new SwarmRuntime({
    manager: settings.swarmManager,
    builder: settings.dockerHost,
    registry: push && pull ? { push, pull } : undefined,
    nodes: settings.swarmNodes,
    hostAddress: settings.swarmHostAddress || undefined,
  });
}

/** `hostname=address,…` into a map. */
function nodeHosts(list: string): Record<string, string> {
  const pairs = list.split(",").filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => pair.split("=", 2) as [string, string]));
}

/** The runtime the configuration names; `dockerHost` overrides DOCKER_HOST (tests, workers). */
export function runtimeFromConfig(dockerHost?: string): ContainerRuntime {
  const env = config();
  return createRuntime({
    kind: env.RUNTIME,
    dockerHost: dockerHost ?? env.DOCKER_HOST,
    swarmManager: env.SWARM_MANAGER_HOST,
    swarmRegistryPush: env.SWARM_REGISTRY_PUSH,
    swarmRegistryPull: env.SWARM_REGISTRY_PULL,
    swarmNodes: nodeHosts(env.SWARM_NODE_HOSTS),
    swarmHostAddress: env.SWARM_HOST_ADDRESS,
  });
}
