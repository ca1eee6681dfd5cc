// The address at which this machine reaches a Swarm node (and the ports its tasks publish in
// `host` mode there), as the manager knows it.
import type Docker from "dockerode";

interface NodeInspection {
  Description?: { Hostname?: string };
  Status?: { Addr?: string };
  ManagerStatus?: { Addr?: string };
}

export interface NodeView {
  hostname: string;
  address: string;
}

export function nodeViewOf(id: string, node: NodeInspection): NodeView {
  // A manager may report 0.0.0.0 as its node address (Docker 20.10); its advertised
  // `address:port` for the other managers is then the one to use.
  const reported = node.Status?.Addr;
  const address =
    reported && reported !== "0.0.0.0" ? reported : node.ManagerStatus?.Addr?.replace(/:\d+$/, "");
  if (!address) throw new Error(`node ${id} reports no address`);
  return { hostname: node.Description?.Hostname ?? id, address };
}

export async function nodeView(docker: Docker, nodeId: string): Promise<NodeView> {
  return nodeViewOf(nodeId, (await docker.getNode(nodeId).inspect()) as NodeInspection);
}
