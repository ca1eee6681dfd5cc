// Where serving tasks run, watched: Swarm reschedules a task by itself when its node is drained
// or lost (or the task died), and a serving task publishes its port on its own node only, so the
// build then answers at another address. The manager emits no event for a task that changed
// nodes (its event stream knows services and nodes, not tasks), so its tasks are read every few
// seconds: two list calls, whatever the number of builds.
import type Docker from "dockerode";
import type { PlacementMove } from "../types";
import { type NodeView, nodeView } from "./node-address";
import { type PlacedTask, placedTasks } from "./nodes";

/** Where each serving service's task is placed, by service name (null while none is). */
async function placements(docker: Docker): Promise<Map<string, PlacedTask | null>> {
  const services = await docker.listServices({
    filters: { label: ["gantry.managed=true", "gantry.role=serve"] },
  });
  const placed = placedTasks(await docker.listTasks({ filters: { "desired-state": ["running"] } }));
  return new Map(services.map((s) => [s.Spec?.Name ?? s.ID, placed.get(s.ID) ?? null]));
}

interface Seen {
  node: string;
  /** Its placement there was told (once the task ran there). */
  told: boolean;
}

export function watchPlacements(
  docker: Docker,
  pollMs: number,
  moved: (move: PlacementMove) => Promise<void>,
  failed: (error: unknown) => void,
): () => Promise<void> {
  // The node each service's task was last seen on, from its assignment: a node drained while
  // the task was still "starting" there is known as the node it left. A move is told once the
  // task runs on its new node (its address answers from then on); a service first seen is told
  // too, from nowhere, so a task moved while no worker watched is routed again.
  const last = new Map<string, Seen>();
  // Nodes' addresses, kept: a lost node may be removed from the Swarm before its tasks move.
  const nodes = new Map<string, NodeView>();
  const viewOf = async (id: string) => {
    const known = nodes.get(id) ?? (await nodeView(docker, id));
    nodes.set(id, known);
    return known;
  };
  // Moves being followed, by service: one waiting on a build's lock holds up no other build.
  const following = new Map<string, Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const tell = (name: string, move: PlacementMove) => {
    const followed = moved(move)
      .catch((error: unknown) => {
        // Forgotten: told again at the next look, from nowhere.
        last.delete(name);
        failed(error);
      })
      .finally(() => following.delete(name));
    following.set(name, followed);
  };

  const look = async () => {
    const now = await placements(docker);
    for (const name of [...last.keys()]) if (!now.has(name)) last.delete(name);
    for (const [name, placed] of now) {
      const seen = last.get(name);
      // Placed nowhere (asleep, pending): its last node is kept.
      if (!placed || following.has(name)) continue;
      if (seen?.node === placed.nodeId && seen.told) continue;
      if (!placed.running) {
        // Learnt, not told: where it was is what a later move is told from.
        if (!seen) last.set(name, { node: placed.nodeId, told: false });
        continue;
      }
      try {
        const to = await viewOf(placed.nodeId);
        const from = seen && seen.node !== placed.nodeId ? (await viewOf(seen.node)).address : null;
        last.set(name, { node: placed.nodeId, told: true });
        tell(name, { id: name, from, to: to.address, node: to.hostname });
      } catch (error) {
        // Not remembered: looked at again next time.
        failed(error);
      }
    }
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
    await Promise.all(following.values());
  };
}
