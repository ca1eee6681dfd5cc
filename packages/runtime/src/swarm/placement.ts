// Which node of a pool takes a new piece of one-shot work: the one with the most free memory.
// Swarm's own scheduler spreads a pool's tasks by their count (reservations only exclude nodes
// that cannot fit them), and Gantry's builds differ a lot in memory (a production-sized serve
// beside one-shot installs), so the runtime chooses: a node's memory less what the tasks
// meant to run there may take (their reservation, else their limit). Memory as the manager
// knows it, not as the node measures it: the choice needs no call to each node's engine, and
// it counts what a task may grow to rather than what it happens to use at that moment.
import type Docker from "dockerode";
import { POOL_NODE_LABEL } from "./service-spec";
import { isTerminalState } from "./tasks";

export interface NodeView {
  ID: string;
  Spec?: { Availability?: string; Labels?: Record<string, string> };
  Status?: { State?: string };
  Description?: { Resources?: { MemoryBytes?: number } };
}

export interface TaskMemoryView {
  NodeID?: string;
  DesiredState?: string;
  Status?: { State?: string };
  Spec?: {
    Resources?: { Limits?: { MemoryBytes?: number }; Reservations?: { MemoryBytes?: number } };
    Placement?: { Constraints?: string[] };
  };
}

const pinPrefix = "node.id==";

/** The node a task runs on, or is pinned to while the scheduler has not assigned it yet. */
function nodeOf(task: TaskMemoryView): string | undefined {
  if (task.NodeID) return task.NodeID;
  return task.Spec?.Placement?.Constraints?.find((c) => c.startsWith(pinPrefix))?.slice(pinPrefix.length);
}

/**
 * A task that holds, or is about to hold, its node's memory. Its desired state does not tell:
 * a job's task is meant to "complete", a serving task to be "running".
 */
function isLive(task: TaskMemoryView): boolean {
  const wanted = task.DesiredState ?? "";
  return !isTerminalState(task.Status?.State ?? "new") && wanted !== "shutdown" && wanted !== "remove";
}

/** What a task may take of its node's memory: its reservation, else its limit, else nothing known. */
function taskMemory(task: TaskMemoryView): number {
  const resources = task.Spec?.Resources;
  return resources?.Reservations?.MemoryBytes || resources?.Limits?.MemoryBytes || 0;
}

/**
 * The id of the pool's node (ready, active) with the most memory left once the tasks meant to
 * run on it are counted; fewer tasks, then the id, break ties. null when the pool has no such node.
 */
export function roomiestNode(pool: string, nodes: NodeView[], tasks: TaskMemoryView[]): string | null {
  const candidates = nodes.filter(
    (node) =>
      node.Spec?.Labels?.[POOL_NODE_LABEL] === pool &&
      node.Spec?.Availability === "active" &&
      node.Status?.State === "ready",
  );
  const room = candidates.map((node) => {
    const own = tasks.filter((task) => nodeOf(task) === node.ID && isLive(task));
    const taken = own.reduce((sum, task) => sum + taskMemory(task), 0);
    return { id: node.ID, free: (node.Description?.Resources?.MemoryBytes ?? 0) - taken, tasks: own.length };
  });
  room.sort((a, b) => b.free - a.free || a.tasks - b.tasks || a.id.localeCompare(b.id));
  return room[0]?.id ?? null;
}

/** The node a new task of the pool goes to, read from the manager now. */
export async function chooseNode(manager: Docker, pool: string): Promise<string | null> {
  const [nodes, tasks] = await Promise.all([
    manager.listNodes({
      filters: JSON.stringify({ "node.label": [`${POOL_NODE_LABEL}=${pool}`] }),
    }) as Promise<NodeView[]>,
    manager.listTasks() as Promise<TaskMemoryView[]>,
  ]);
  return roomiestNode(pool, nodes, tasks);
}

/** The options with the task placed on that node as well as in its pool. */
export function pinnedTo(options: Docker.CreateServiceOptions, nodeId: string): Docker.CreateServiceOptions {
  const template = options.TaskTemplate ?? {};
  const constraints = template.Placement?.Constraints ?? [];
  return {
    ...options,
    TaskTemplate: {
      ...template,
      Placement: { ...template.Placement, Constraints: [...constraints, `${pinPrefix}${nodeId}`] },
    },
  };
}
