// Where Gantry's containers started on a Swarm: each node's engine's own events, which a job too
// short for polling the manager still shows.
import { spawn } from "node:child_process";
import type { SwarmCluster } from "./cluster";

/** `node role` of each container of Gantry's that started on any node while `work` ran. */
export async function startsDuring<T>(
  cluster: SwarmCluster,
  work: Promise<T>,
): Promise<{ result: T; starts: string[] }> {
  const starts: string[] = [];
  const watchers = cluster.nodes.map((node) => {
    const events = spawn("docker", [
      ...["--host", node.host, "events", "--filter", "type=container", "--filter", "event=start"],
      ...["--filter", "label=gantry.managed=true", "--format", '{{index .Actor.Attributes "gantry.role"}}'],
    ]);
    events.stdout.on("data", (chunk: Buffer) => {
      for (const role of chunk.toString().split("\n").filter(Boolean)) starts.push(`${node.name} ${role}`);
    });
    return events;
  });
  try {
    return { result: await work, starts };
  } finally {
    for (const events of watchers) events.kill();
  }
}
