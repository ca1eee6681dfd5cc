// One host as the only node: it runs every pool's work, is always ready and active, and cannot be
// drained (there is no other node its builds could move to).
import type Docker from "dockerode";
import { z } from "zod";
import { statusOf } from "./engine-errors";
import { managedFilters } from "./labels";
import { isManaged, type LabelledWork, NodeAvailabilityRefused, sampleUse, workOf } from "./nodes";
import type { ContainerUsage, NodePlacement, RuntimeNode } from "./types";

/** The pool one host serves: all of them. */
export const SINGLE_HOST_POOL = "all";

/** The parts of the engine's `/info` the node is made of. */
const engineInfo = z.object({
  ID: z.string().default(""),
  Name: z.string(),
  NCPU: z.number().int().nonnegative(),
  MemTotal: z.number().nonnegative(),
});
export type EngineInfo = z.infer<typeof engineInfo>;

export function parseEngineInfo(raw: unknown): EngineInfo {
  return engineInfo.parse(raw);
}

/** The node id: the engine's, or its hostname for an engine that reports none. */
export function localNodeId(info: EngineInfo): string {
  return info.ID || info.Name;
}

/** This host as a node, with its running managed work. */
export function localNode(info: EngineInfo, work: RuntimeNode["work"]): RuntimeNode {
  return {
    id: localNodeId(info),
    hostname: info.Name,
    pool: SINGLE_HOST_POOL,
    role: "manager",
    state: "ready",
    availability: "active",
    address: "127.0.0.1",
    cpus: info.NCPU,
    memoryBytes: info.MemTotal,
    work,
  };
}

/** The running managed containers of the engine, by name. */
async function runningWork(docker: Docker): Promise<LabelledWork[]> {
  const found = await docker.listContainers({ filters: { label: managedFilters() } });
  return found
    .filter((c) => isManaged(c.Labels))
    .map((c) => {
      const name = (c.Names[0] ?? c.Id).replace(/^\//, "");
      return { key: name, name, labels: c.Labels };
    });
}

export async function listLocalNode(
  docker: Docker,
  usage: (ids: readonly string[]) => Promise<Map<string, ContainerUsage>>,
): Promise<RuntimeNode> {
  const info = parseEngineInfo(await docker.info());
  const work = await runningWork(docker);
  const use = await sampleUse(
    usage,
    work.map((w) => w.key),
  );
  return localNode(
    info,
    work.map((w) => workOf(w, use.get(w.key))),
  );
}

/** Draining the only node is refused; activating it asks for what it already is. */
export function checkLocalAvailability(
  node: RuntimeNode,
  nodeId: string,
  availability: "active" | "drain",
): RuntimeNode {
  if (nodeId !== node.id && nodeId !== node.hostname) {
    throw Object.assign(new Error(`no such node: ${nodeId}`), { statusCode: 404 });
  }
  if (availability === "drain") {
    throw new NodeAvailabilityRefused(
      "This host is the only node: its builds have nowhere to move, so it cannot be drained " +
        "(draining needs a cluster, RUNTIME=swarm).",
    );
  }
  return node;
}

export async function localPlacement(docker: Docker, id: string): Promise<NodePlacement | null> {
  let running: boolean;
  try {
    running = (await docker.getContainer(id).inspect()).State.Running;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
  if (!running) return null;
  const info = parseEngineInfo(await docker.info());
  return { nodeId: localNodeId(info), hostname: info.Name };
}
