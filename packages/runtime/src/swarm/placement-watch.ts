// Where serving tasks run, watched: Swarm reschedules a task by itself when its node is drained
// or lost (or the task died), and a serving task publishes its port on its own node only, so the
// build then answers at another address. The manager emits no event for a task that changed
// nodes (its event stream knows services and nodes, not tasks), so its running tasks are read
// every few seconds: two list calls, whatever the number of builds.
import type Docker from "dockerode";
import type { PlacementMove } from "../types";
import { type NodeView, nodeView } from "./node-address";
import { runningTasks } from "./nodes";

/** Serving services' names by service id. */
async function servingServices(docker: Docker): Promise<Map<string, string>> {
  const services = await docker.listServices({
    filters: { label: ["gantry.managed=true", "gantry.role=serve"] },
  });
  return new Map(services.map((s) => [s.ID, s.Spec?.Name ?? s.ID]));
}

/** The node of each serving service's running task, by service name. */
async function placements(docker: Docker): Promise<Map<string, string>> {
  const services = await servingServices(docker);
  const serving = new Set(services.values());
  const tasks = runningTasks(await docker.listTasks({ filters: { "desired-state": ["running"] } }), services);
  const found = new Map<string, string>();
  for (const task of tasks) if (serving.has(task.name)) found.set(task.name, task.nodeId);
  // Services that are there but not running (asleep, restarting) keep their last node below.
  for (const name of services.values()) if (!found.has(name)) found.set(name, "");
  return found;
}

export function watchPlacements(
  docker: Docker,
  pollMs: number,
  moved: (move: PlacementMove) => Promise<void>,
  failed: (error: unknown) => void,
): () => Promise<void> {
  // The node each service's task was last seen running on. The first look only learns them: a
  // task moved while no worker watched is routed again by its next start (a wake, a rebuild).
  const last = new Map<string, string>();
  // Nodes' addresses, kept: a lost node may be removed from the Swarm before its tasks move.
  const nodes = new Map<string, NodeView>();
  const viewOf = async (id: string) => {
    const known = nodes.get(id) ?? (await nodeView(docker, id));
    nodes.set(id, known);
    return known;
  };
  let first = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const look = async () => {
    const now = await placements(docker);
    for (const name of [...last.keys()]) if (!now.has(name)) last.delete(name);
    for (const [name, node] of now) {
      const before = last.get(name);
      if (!node || before === node) continue;
      try {
        const to = await viewOf(node);
        if (!first && before)
          await moved({ id: name, from: (await viewOf(before)).address, to: to.address, node: to.hostname });
        last.set(name, node);
      } catch (error) {
        // Not remembered: the move is told again at the next look.
        failed(error);
      }
    }
    first = false;
  };

  const loop = (async () => {
    while (!stopped) {
      await look().catch(failed);
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollMs);
      });
    }
  })();

  return async () => {
    stopped = true;
    clearTimeout(timer);
    wake?.();
    await loop;
  };
}
