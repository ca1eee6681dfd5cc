// A project's build network on a Swarm: an attachable overlay network spanning the nodes, its
// subnet from the Swarm's address pool; encrypted (IPsec between nodes) when asked. It is never
// `internal`, even without egress: Docker gives a task the node's docker_gwbridge (the way a
// port published in `host` mode reaches it, and the way to the machine's database clusters)
// only on a network that is not. What a task reaches through docker_gwbridge is the nodes'
// firewall's to decide (swarm/README.md); the egress mode is kept as a label.
import type Docker from "dockerode";
import { statusOf } from "../engine-errors";
import { buildLabels, managedFilters, managedLabel, type OwnerLabels } from "../labels";
import type { NetworkInfo, NetworkSpec } from "../networks";
import { gatewayOf, parseCidr } from "../subnets";

function infoOf(network: Docker.NetworkInspectInfo): NetworkInfo {
  const config = network.IPAM?.Config?.find((c) => c.Subnet && !c.Subnet.includes(":"));
  const subnet = config?.Subnet ?? "";
  return {
    name: network.Name,
    subnet,
    gateway: config?.Gateway ?? (subnet ? gatewayOf(parseCidr(subnet)) : ""),
  };
}

export async function ensureOverlay(
  docker: Docker,
  spec: NetworkSpec,
  encrypted = false,
): Promise<NetworkInfo> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      const network = (await docker.getNetwork(spec.name).inspect()) as Docker.NetworkInspectInfo;
      if (network.Labels?.[managedLabel] !== "true" || (network.Driver && network.Driver !== "overlay")) {
        throw new Error(
          `network ${spec.name} exists but is not a Gantry overlay network (${network.Driver}, ${JSON.stringify(network.Labels)})`,
        );
      }
      // Just after creation the manager reports the network before its allocator ran: without
      // its driver and subnet yet. Those come within moments; ask again.
      if (!network.Driver || !infoOf(network).subnet) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (network.Labels?.["gantry.egress"] !== String(spec.egress)) {
        throw new Error(`network ${spec.name} exists with the other egress mode`);
      }
      return infoOf(network);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    try {
      await docker.createNetwork({
        Name: spec.name,
        Driver: "overlay",
        CheckDuplicate: true,
        Attachable: true,
        Options: encrypted ? { encrypted: "true" } : {},
        Labels: buildLabels(spec.owner, { "gantry.egress": String(spec.egress) }),
      });
    } catch (error) {
      if (statusOf(error) !== 409) throw error; // another creator was first: inspect it
    }
  }
  throw new Error(`network ${spec.name} was not created, or got no subnet`);
}

export async function removeOverlays(docker: Docker, owner: OwnerLabels): Promise<string[]> {
  const networks = await docker.listNetworks({
    filters: { label: managedFilters(owner), driver: ["overlay"] },
  });
  const removed: string[] = [];
  for (const network of networks) {
    if (network.Labels?.[managedLabel] !== "true") continue;
    try {
      await docker.getNetwork(network.Id).remove();
      removed.push(network.Name);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  return removed;
}
