// Where a container that runs Odoo (and so pushed code) sits: its project's build network,
// isolated or with egress as the project allows for the stage (Project.egressStages). From
// there it reaches the host only through the network's gateway, where the host firewall admits
// the build database clusters and the mail catcher and nothing else (scripts/services).
import { config } from "@gantry/config";
import { prisma, type Stage } from "@gantry/db";
import type { ContainerRuntime } from "@gantry/runtime";

export interface OdooNetwork {
  /** The container's network (ContainerSpec.networkMode). */
  networkMode: string;
  /** The host's address on that network. */
  gateway: string;
}

const loopback = new Set(["127.0.0.1", "localhost", "::1", "0.0.0.0", "::"]);

/**
 * A service address as a container on `network` sees it: the host's own services are at the
 * gateway; any other host is left as it is (reaching it needs the stage's egress).
 */
export function reach<T extends { host: string }>(network: OdooNetwork, target: T): T {
  return loopback.has(target.host) ? { ...target, host: network.gateway } : target;
}

/** The network of a project's containers on a stage; created on first use. */
export async function projectNetwork(
  runtime: ContainerRuntime,
  projectId: string,
  stage: Stage | null,
): Promise<OdooNetwork> {
  const project = await prisma().project.findUnique({
    where: { id: projectId },
    select: { egressStages: true },
  });
  const egress = stage !== null && (project?.egressStages ?? []).includes(stage);
  const info = await runtime.ensureNetwork({
    name: `gantry-${projectId}-${egress ? "out" : "iso"}`,
    egress,
    pool: config().BUILD_NETWORK_POOL,
    owner: { project: projectId },
  });
  return { networkMode: info.name, gateway: info.gateway };
}

/** The network of work that runs no project code (template databases): isolated, shared. */
export async function platformNetwork(runtime: ContainerRuntime): Promise<OdooNetwork> {
  const info = await runtime.ensureNetwork({
    name: "gantry-platform-iso",
    egress: false,
    pool: config().BUILD_NETWORK_POOL,
  });
  return { networkMode: info.name, gateway: info.gateway };
}

/** The mail catcher as a container on `network` reaches it. */
export function catcherFor(network: OdooNetwork): { server: string; port: number } {
  const [host = "127.0.0.1", port = "2525"] = config().MAIL_CATCHER_SMTP.split(":");
  return { server: reach(network, { host }).host, port: Number(port) };
}

/**
 * The network of one-off work on a project's data outside a build (upgrade steps, project
 * scripts, verification): the project's isolated network, or the platform's without a project.
 */
export function workNetwork(runtime: ContainerRuntime, owner: { project?: string }): Promise<OdooNetwork> {
  return owner.project ? projectNetwork(runtime, owner.project, null) : platformNetwork(runtime);
}
