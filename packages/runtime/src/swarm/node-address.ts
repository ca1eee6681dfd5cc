// The address at which this machine reaches a Swarm node (and the ports its tasks publish in
// `host` mode there), as the manager knows it.
import type Docker from "dockerode";
import { addressOf, parseNode } from "./nodes";

export interface NodeView {
  hostname: string;
  address: string;
}

export async function nodeView(docker: Docker, nodeId: string): Promise<NodeView> {
  const node = parseNode(await docker.getNode(nodeId).inspect());
  const address = addressOf(node);
  if (!address) throw new Error(`node ${nodeId} reports no address`);
  return { hostname: node.Description.Hostname || nodeId, address };
}
