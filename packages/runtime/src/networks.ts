// Build networks: one Docker bridge per owner (a project) and egress mode, so a container that
// runs pushed code reaches only the host (through its bridge's gateway) and, where allowed, the
// outside world. The bridge's interface name carries the mode: the host firewall that
// scripts/services installs matches `gti+` (isolated: nothing leaves the host) and `gte+`
// (egress allowed), and on both lets in only the build database and mail catcher ports.
// Inter-container traffic is off (enable_icc=false): builds of one project cannot reach
// each other either.
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { statusOf } from "./engine-errors";
import { buildLabels, managedFilters, managedLabel, type OwnerLabels } from "./labels";
import { formatCidr, freeSubnet, gatewayOf, parseCidr } from "./subnets";

export const ISOLATED_BRIDGE_PREFIX = "gti";
export const EGRESS_BRIDGE_PREFIX = "gte";

export interface NetworkSpec {
  /** Docker's name for the network. */
  name: string;
  /** Whether containers on it may open connections beyond the host. */
  egress: boolean;
  /** Where subnets come from, e.g. `10.213.0.0/16`; each network takes a /24. */
  pool: string;
  owner?: OwnerLabels;
}

export interface NetworkInfo {
  name: string;
  subnet: string;
  /** The host's own address on this network: how a container reaches host services. */
  gateway: string;
}

/** The bridge interface of a network: at most 15 characters, prefixed with its egress mode. */
export function bridgeName(name: string, egress: boolean): string {
  const prefix = egress ? EGRESS_BRIDGE_PREFIX : ISOLATED_BRIDGE_PREFIX;
  return prefix + createHash("sha256").update(name).digest("hex").slice(0, 12);
}

function infoOf(network: Docker.NetworkInspectInfo): NetworkInfo | null {
  const config = network.IPAM?.Config?.find((c) => c.Subnet && !c.Subnet.includes(":"));
  if (!config?.Subnet) return null;
  return {
    name: network.Name,
    subnet: config.Subnet,
    gateway: config.Gateway ?? gatewayOf(parseCidr(config.Subnet)),
  };
}

async function existing(docker: Docker, spec: NetworkSpec): Promise<NetworkInfo | null> {
  try {
    const network = (await docker.getNetwork(spec.name).inspect()) as Docker.NetworkInspectInfo;
    const bridge = network.Options?.["com.docker.network.bridge.name"];
    // A network of that name that Gantry did not make, or made with the other egress mode,
    // would put builds behind the wrong firewall rules: refuse rather than reuse it.
    if (network.Labels?.[managedLabel] !== "true" || bridge !== bridgeName(spec.name, spec.egress)) {
      throw new Error(`network ${spec.name} exists but is not a Gantry build network of this mode`);
    }
    return infoOf(network);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

async function usedSubnets(docker: Docker): Promise<string[]> {
  const networks = await docker.listNetworks();
  return networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? "").filter(Boolean));
}

/** Creates the network when missing (idempotent, safe against a concurrent creator). */
export async function ensureNetwork(docker: Docker, spec: NetworkSpec): Promise<NetworkInfo> {
  // A subnet another creator holds is refused before that network is listed (the engine
  // reserves the pool first): those refused here are not tried again.
  const refused: string[] = [];
  for (let attempt = 0; attempt < 16; attempt += 1) {
    const found = await existing(docker, spec);
    if (found) return found;
    const subnet = freeSubnet(spec.pool, [...(await usedSubnets(docker)), ...refused]);
    if (!subnet) throw new Error(`no free /24 left in the build network pool ${spec.pool}`);
    const gateway = gatewayOf(subnet);
    try {
      await docker.createNetwork({
        Name: spec.name,
        Driver: "bridge",
        CheckDuplicate: true,
        IPAM: { Driver: "default", Config: [{ Subnet: formatCidr(subnet), Gateway: gateway }] },
        Options: {
          "com.docker.network.bridge.name": bridgeName(spec.name, spec.egress),
          "com.docker.network.bridge.enable_icc": "false",
        },
        Labels: buildLabels(spec.owner, { "gantry.egress": String(spec.egress) }),
      });
      return { name: spec.name, subnet: formatCidr(subnet), gateway };
    } catch (error) {
      // Another creator took the name (409, or the engine sees its bridge name first) or the
      // subnet first: look again.
      if (statusOf(error) === 409 || /overlap|already exists|same bridge name/i.test(String(error))) {
        refused.push(formatCidr(subnet));
        continue;
      }
      throw error;
    }
  }
  throw new Error(`could not create network ${spec.name}: the pool kept changing under it`);
}

/** Removes the owner's build networks; a network still in use stays (and is reported). */
export async function removeNetworks(docker: Docker, owner: OwnerLabels): Promise<string[]> {
  const networks = await docker.listNetworks({ filters: { label: managedFilters(owner) } });
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
