// The Swarm's nodes as the manager reports them (`/nodes`), their pools (the `gantry.pool` node
// label), and Gantry's running tasks on each, read from the labels the tasks' containers carry.
import type Docker from "dockerode";
import { z } from "zod";
import { isManaged, type LabelledWork, sampleUse, workOf } from "../nodes";
import type { ContainerUsage, NodeState, NodeWork, RuntimeNode } from "../types";
import { POOL_NODE_LABEL } from "./service-spec";

const nodeStates = ["ready", "down", "disconnected", "unknown"] as const;

/** The parts of a node's inspection Gantry reads; what Docker leaves out gets a safe default. */
const rawNode = z.object({
  ID: z.string(),
  Version: z.object({ Index: z.number().int() }).optional(),
  Spec: z.looseObject({
    Labels: z.record(z.string(), z.string()).default({}),
    Role: z.enum(["manager", "worker"]),
    Availability: z.enum(["active", "pause", "drain"]),
  }),
  Description: z
    .object({
      Hostname: z.string().default(""),
      Resources: z.object({ NanoCPUs: z.number().default(0), MemoryBytes: z.number().default(0) }).optional(),
    })
    .default({ Hostname: "" }),
  Status: z.object({ State: z.string().default("unknown"), Addr: z.string().optional() }).default({
    State: "unknown",
  }),
  ManagerStatus: z.object({ Addr: z.string().optional() }).optional(),
});
export type RawNode = z.infer<typeof rawNode>;

export function parseNode(raw: unknown): RawNode {
  return rawNode.parse(raw);
}

function stateOf(reported: string): NodeState {
  return (nodeStates as readonly string[]).includes(reported) ? (reported as NodeState) : "unknown";
}

/**
 * The node's address: a manager may report 0.0.0.0 (Docker 20.10); its advertised `address:port`
 * for the other managers is then the one to use.
 */
export function addressOf(node: RawNode): string | null {
  const reported = node.Status.Addr;
  if (reported && reported !== "0.0.0.0") return reported;
  return node.ManagerStatus?.Addr?.replace(/:\d+$/, "") ?? null;
}

export function nodeOf(node: RawNode, work: NodeWork[]): RuntimeNode {
  const resources = node.Description.Resources;
  return {
    id: node.ID,
    hostname: node.Description.Hostname || node.ID,
    pool: node.Spec.Labels[POOL_NODE_LABEL] ?? null,
    role: node.Spec.Role,
    state: stateOf(node.Status.State),
    availability: node.Spec.Availability,
    address: addressOf(node),
    cpus: resources ? resources.NanoCPUs / 1e9 : 0,
    memoryBytes: resources?.MemoryBytes ?? 0,
    work,
  };
}

const rawTask = z.object({
  ID: z.string(),
  ServiceID: z.string().default(""),
  NodeID: z.string().optional(),
  Spec: z
    .object({
      ContainerSpec: z.object({ Labels: z.record(z.string(), z.string()).default({}) }).optional(),
    })
    .default({}),
  Status: z
    .object({
      State: z.string().default(""),
      ContainerStatus: z.object({ ContainerID: z.string().optional() }).optional(),
    })
    .default({ State: "" }),
});

export interface RunningTask extends LabelledWork {
  nodeId: string;
}

/**
 * Gantry's running tasks, keyed by their container id (what the node's engine reads usage by),
 * named after their service.
 */
export function runningTasks(tasks: unknown[], serviceNames: Map<string, string>): RunningTask[] {
  const found: RunningTask[] = [];
  for (const raw of tasks) {
    const task = rawTask.safeParse(raw);
    if (!task.success) continue;
    const { NodeID: nodeId, Spec, Status, ServiceID } = task.data;
    const labels = Spec.ContainerSpec?.Labels ?? {};
    const containerId = Status.ContainerStatus?.ContainerID;
    if (Status.State !== "running" || !nodeId || !containerId || !isManaged(labels)) continue;
    found.push({ key: containerId, name: serviceNames.get(ServiceID) ?? ServiceID, labels, nodeId });
  }
  return found;
}

// A task is on its node from "assigned" on; past "running" it is ending (or never ran).
const placedStates = new Set(["assigned", "accepted", "preparing", "ready", "starting", "running"]);

export interface PlacedTask {
  nodeId: string;
  /** Swarm says it runs (its container started and, with a health check, healthy). */
  running: boolean;
}

/**
 * The node each service's current task is placed on, by service id: from the moment the manager
 * assigns it, not only once it runs (a task with a health check stays "starting" until Docker's
 * own probe passes, long after Odoo answers). A running task wins over one still starting.
 */
export function placedTasks(tasks: unknown[]): Map<string, PlacedTask> {
  const found = new Map<string, PlacedTask>();
  for (const raw of tasks) {
    const task = rawTask.safeParse(raw);
    if (!task.success) continue;
    const { NodeID: nodeId, Status, ServiceID } = task.data;
    if (!nodeId || !ServiceID || !placedStates.has(Status.State)) continue;
    const running = Status.State === "running";
    if (!found.has(ServiceID) || running) found.set(ServiceID, { nodeId, running });
  }
  return found;
}

/** A node's engine reads its containers' usage; null when none is configured for it. */
export type NodeUsageReader = (
  hostname: string,
) => ((ids: readonly string[]) => Promise<Map<string, ContainerUsage>>) | null;

export async function listSwarmNodes(manager: Docker, usageOn: NodeUsageReader): Promise<RuntimeNode[]> {
  const nodes = (await manager.listNodes()).map(parseNode);
  const services = await manager.listServices({ filters: { label: ["gantry.managed=true"] } });
  const names = new Map(services.map((s) => [s.ID, s.Spec?.Name ?? s.ID]));
  const tasks = runningTasks(await manager.listTasks({ filters: { "desired-state": ["running"] } }), names);
  return Promise.all(
    nodes.map(async (node) => {
      const own = tasks.filter((t) => t.nodeId === node.ID);
      // Only a node the manager hears from is asked: a lost one may never answer (a frozen
      // machine takes the connection and says nothing), and would hold the whole listing up.
      const read = node.Status.State === "ready" ? usageOn(node.Description.Hostname) : null;
      // A node whose engine is unknown or does not answer still lists its work, without use.
      const use = read
        ? await sampleUse(
            read,
            own.map((t) => t.key),
          ).catch(() => new Map())
        : new Map();
      return nodeOf(
        node,
        own.map((t) => workOf(t, use.get(t.key))),
      );
    }),
  );
}

/** Changes a node's availability through the manager, from the version just read. */
export async function updateAvailability(
  manager: Docker,
  nodeId: string,
  availability: "active" | "drain",
): Promise<void> {
  const node = manager.getNode(nodeId);
  // Another change between the read and the update is refused as out of sequence: read again.
  for (let attempt = 0; ; attempt += 1) {
    const current = parseNode(await node.inspect());
    try {
      await node.update({ ...current.Spec, Availability: availability, version: current.Version?.Index });
      return;
    } catch (error) {
      if (attempt >= 5 || !/out of sequence/.test(String(error))) throw error;
    }
  }
}
