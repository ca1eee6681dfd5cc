// Each test node's firewall for the tasks it runs, the Swarm counterpart of the machine's
// GANTRY-BUILD-IN/OUT chains (scripts/services): a task leaves its overlay only through the
// node's docker_gwbridge (or docker0, for work on no network), and from there it may open
// connections to the machine's services at `hostAddress` on `ports` only. Everything else is
// refused: the node itself, the other nodes and their published build ports, the registry.
// Replies to connections opened from outside (the machine's Caddy to a published port) pass.
import { docker } from "./docker-cli";

const TASK_BRIDGES = ["docker_gwbridge", "docker0"];

export function nodeFirewallScript(hostAddress: string | null, ports: number[]): string {
  const rules: string[] = ["iptables -N GANTRY-TASKS 2>/dev/null || true", "iptables -F GANTRY-TASKS"];
  rules.push("iptables -A GANTRY-TASKS -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN");
  if (hostAddress && ports.length > 0) {
    rules.push(
      `iptables -A GANTRY-TASKS -d ${hostAddress} -p tcp -m multiport --dports ${ports.join(",")} -j RETURN`,
    );
  }
  rules.push("iptables -A GANTRY-TASKS -p tcp -j REJECT --reject-with tcp-reset");
  rules.push("iptables -A GANTRY-TASKS -j REJECT");
  // DOCKER-USER sees forwarded traffic first (off the node, or to a port published on it);
  // INPUT sees what is for the node itself.
  rules.push("iptables -N DOCKER-USER 2>/dev/null || true");
  for (const bridge of TASK_BRIDGES) {
    for (const chain of ["DOCKER-USER", "INPUT"]) {
      rules.push(
        `iptables -C ${chain} -i ${bridge} -j GANTRY-TASKS 2>/dev/null || iptables -I ${chain} 1 -i ${bridge} -j GANTRY-TASKS`,
      );
    }
  }
  return rules.join(" && ");
}

/** Installs the rules on a node container (run once its engine is up). */
export async function applyNodeFirewall(
  node: string,
  hostAddress: string | null,
  ports: number[],
): Promise<void> {
  await docker(["exec", node, "sh", "-c", nodeFirewallScript(hostAddress, ports)]);
}
