// The frame of the Swarm build suites: a build suite (a real worker, RUNTIME=swarm) on a Swarm
// formed on this machine (tests/support/swarm) whose nodes reach both build database clusters
// through the relay and share the suite's data dir and Gantry's addons.
import type { QueueName } from "@gantry/queue";
import { formTestSwarm } from "../../support/swarm/build-swarm";
import { type SwarmCluster, swarmRuntimeEnv } from "../../support/swarm/cluster";
import { type BuildSuite, startBuildSuite } from "../builds/suite";

export interface SwarmBuildSuite {
  suite: BuildSuite;
  cluster: SwarmCluster;
  /** The pool of a node, by its name. */
  poolOf(node: string): string | undefined;
}

/** `pools`: one node each, the first the manager. `settings`: more of the suite's environment. */
export async function startSwarmBuildSuite(
  pools: string[],
  options: { queues?: QueueName[]; settings?: Record<string, string> } = {},
): Promise<SwarmBuildSuite> {
  let cluster: SwarmCluster | undefined;
  const suite = await startBuildSuite({
    queues: options.queues ?? ["builds"],
    // This file's pools, not the switch's shared Swarm.
    swarm: false,
    environment: async (env) => {
      cluster = await formTestSwarm(`gsw-${env.prefix}`, [env.dataDir], pools);
      return { ...swarmRuntimeEnv(cluster), ...options.settings };
    },
  }).catch(async (error: unknown) => {
    await cluster?.teardown();
    throw error;
  });
  const formed = cluster as SwarmCluster;
  // Server rows a template may carry were encrypted with another secret: registered again with ours.
  const { prisma } = await import("@gantry/db");
  await prisma().dbServer.deleteMany();
  return {
    suite,
    cluster: formed,
    poolOf: (node) => formed.nodes.find((n) => n.name === node)?.pool,
  };
}
