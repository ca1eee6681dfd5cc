// A real Docker Swarm on this machine for the integration suite: each node is a Docker Engine in
// its own container, on an internal bridge network of the test's own (nothing routes off it),
// its API on a unix socket bind-mounted out into a temporary directory (no TCP port). The first
// node is the manager. Images reach the nodes through a registry (Debian's docker-registry)
// that sits on the same network and is published on 127.0.0.1 only, for the machine's engine to
// push to. The machine's own engine never enters swarm mode.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker, dockerQuiet } from "./docker-cli";
import { applyNodeFirewall } from "./node-firewall";
import { ensureNodeImage } from "./node-image";

/** The node label a pool is named by; the Swarm runtime places work with it. */
export const POOL_LABEL = "gantry.pool";

export interface SwarmNode {
  /** The node container's name, also the node's hostname in the Swarm. */
  name: string;
  pool: string;
  /** DOCKER_HOST-style address of the node's engine: `unix:///…/docker.sock`. */
  host: string;
  address: string;
}

export interface SwarmCluster {
  prefix: string;
  manager: SwarmNode;
  nodes: SwarmNode[];
  /** Where the machine's engine pushes images (127.0.0.1:PORT). */
  registryPush: string;
  /** Where the nodes pull them from (the registry's address on the cluster network). */
  registryPull: string;
  /** `host:port` at which tasks on the nodes reach the first relayed PostgreSQL cluster, if asked. */
  postgres: string | null;
  /**
   * The relay's address, at which tasks reach every relayed cluster on the cluster's own port
   * (the runtime's SWARM_HOST_ADDRESS), if any was asked.
   */
  relayAddress: string | null;
  /** Milliseconds from the first node container started to the last node joined. */
  formedMs: number;
  teardown(): Promise<void>;
}

/** A Swarm as the files that did not form it see it: all but its teardown. */
export type SwarmInfo = Omit<SwarmCluster, "teardown">;

// Options that stand for `--privileged`, which needs CAP_SYS_RESOURCE: not every machine grants
// it to Docker (start-node makes /sys and the cgroups writable itself).
const nodeOptions = [
  "--cap-add",
  "ALL",
  "--cap-drop",
  "SYS_RESOURCE",
  "--security-opt",
  "seccomp=unconfined",
  "--security-opt",
  "apparmor=unconfined",
  "--security-opt",
  "systempaths=unconfined",
];

async function createNetwork(name: string): Promise<string> {
  // A /24 of 10.250.0.0/16 that no other network holds; tried until one is free.
  for (let attempt = 0; attempt < 20; attempt++) {
    const subnet = `10.250.${Math.floor(Math.random() * 250)}.0/24`;
    const created = await dockerQuiet(["network", "create", "--internal", "--subnet", subnet, name]);
    if (created !== null) return subnet;
  }
  throw new Error(`no free subnet for ${name}`);
}

async function waitForEngine(host: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if ((await dockerQuiet(["version", "--format", "{{.Server.Version}}"], host)) !== null) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the node engine at ${host} did not answer`);
}

async function addressOf(container: string, network: string): Promise<string> {
  return docker([
    "inspect",
    "--format",
    `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`,
    container,
  ]);
}

export interface SwarmOptions {
  /**
   * A PostgreSQL cluster of this machine for the tasks: its unix socket is bind-mounted into a
   * relay on the cluster network (socat), so no port of the machine is opened to the nodes.
   */
  postgresSocket?: string;
  /** More of them, each relayed on its own port: port -> socket. */
  postgresSockets?: Record<number, string>;
  /**
   * Folders of this machine every node sees at the same path (bind-mounted into each node): what
   * shared storage is on a real cluster, for the bind mounts of the work the nodes run.
   */
  sharedPaths?: string[];
}

/** Debian's PostgreSQL keeps a cluster's socket in /var/run/postgresql, named by its port. */
export function postgresSocketOf(port: number): string {
  return `/var/run/postgresql/.s.PGSQL.${port}`;
}

/** Starts `pools.length` nodes, the first the manager, each labelled with its pool. */
export async function startSwarm(
  pools: string[],
  prefix = `gsw-${process.pid}`,
  options: SwarmOptions = {},
): Promise<SwarmCluster> {
  const image = await ensureNodeImage();
  const socketDir = await mkdtemp(join(tmpdir(), "gantry-swarm-"));
  const network = `${prefix}-net`;
  const names = pools.map((_, index) => `${prefix}-n${index + 1}`);
  const registry = `${prefix}-registry`;
  const relay = `${prefix}-pg`;
  const teardown = async () => {
    for (const name of [...names, registry, relay]) await dockerQuiet(["rm", "--force", "--volumes", name]);
    for (const name of names) await dockerQuiet(["volume", "rm", "--force", `${name}-docker`]);
    await dockerQuiet(["network", "rm", network]);
    await rm(socketDir, { recursive: true, force: true });
  };
  try {
    const subnet = await createNetwork(network);
    const started = performance.now();
    const nodes: SwarmNode[] = [];
    for (const [index, name] of names.entries()) {
      const dir = join(socketDir, name);
      await docker([
        "run",
        "--detach",
        ...nodeOptions,
        "--name",
        name,
        "--hostname",
        name,
        "--network",
        network,
        "--label",
        "gantry.test=swarm",
        "--volume",
        `${name}-docker:/var/lib/docker`,
        "--volume",
        `${dir}:/run/gantry-node`,
        ...(options.sharedPaths ?? []).flatMap((path) => ["--volume", `${path}:${path}`]),
        image,
        subnet,
      ]);
      nodes.push({ name, pool: pools[index] as string, host: `unix://${dir}/docker.sock`, address: "" });
    }
    for (const node of nodes) {
      await waitForEngine(node.host);
      node.address = await addressOf(node.name, network);
    }
    const [manager, ...workers] = nodes as [SwarmNode, ...SwarmNode[]];
    // Overlay networks take their subnets from a pool apart from the machine's own networks.
    await docker(
      ["swarm", "init", "--advertise-addr", manager.address, "--default-addr-pool", "10.251.0.0/16"],
      manager.host,
    );
    const token = await docker(["swarm", "join-token", "--quiet", "worker"], manager.host);
    for (const node of workers) {
      await docker(["swarm", "join", "--token", token, `${manager.address}:2377`], node.host);
    }
    for (const node of nodes) {
      await docker(["node", "update", "--label-add", `${POOL_LABEL}=${node.pool}`, node.name], manager.host);
    }
    const formedMs = performance.now() - started;
    // The registry: on the cluster network for the nodes, on the default bridge for its port on
    // 127.0.0.1 (an internal network publishes none).
    await docker([
      "run",
      "--detach",
      "--name",
      registry,
      "--label",
      "gantry.test=swarm",
      "--publish",
      "127.0.0.1::5000",
      image,
      "registry",
    ]);
    await docker(["network", "connect", network, registry]);
    const port = (await docker(["port", registry, "5000/tcp"])).split("\n")[0]?.split(":").pop();
    let postgres: string | null = null;
    let relayAddress: string | null = null;
    const sockets: [string, string][] = Object.entries(options.postgresSockets ?? {});
    if (options.postgresSocket) sockets.unshift(["5432", options.postgresSocket]);
    if (sockets.length > 0) {
      await docker([
        "run",
        "--detach",
        "--name",
        relay,
        "--label",
        "gantry.test=swarm",
        "--network",
        network,
        ...sockets.flatMap(([port, socket]) => ["--volume", `${socket}:/run/pg-${port}.sock`]),
        "--entrypoint",
        "sh",
        image,
        "-c",
        // One socat per cluster (start-node's relay takes one).
        `${sockets.map(([port]) => `socat TCP-LISTEN:${Number(port)},fork,reuseaddr UNIX-CONNECT:/run/pg-${Number(port)}.sock &`).join(" ")} wait`,
      ]);
      relayAddress = await addressOf(relay, network);
      postgres = `${relayAddress}:${sockets[0]?.[0]}`;
    }
    const relayed = sockets.map(([port]) => Number(port));
    for (const node of nodes) await applyNodeFirewall(node.name, relayAddress, relayed);
    return {
      postgres,
      relayAddress,
      prefix,
      manager,
      nodes,
      registryPush: `127.0.0.1:${port}`,
      registryPull: `${await addressOf(registry, network)}:5000`,
      formedMs,
      teardown,
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** The node (`{{.Node}}`) the service's running task is on, or undefined while none runs. */
export async function runningNode(
  cluster: Pick<SwarmCluster, "manager">,
  service: string,
): Promise<string | undefined> {
  const lines = await docker(
    [
      "service",
      "ps",
      "--filter",
      "desired-state=running",
      "--format",
      "{{.Node}} {{.CurrentState}}",
      service,
    ],
    cluster.manager.host,
  );
  return lines
    .split("\n")
    .find((line) => / Running( |$)/.test(line))
    ?.split(" ")[0];
}

/** The environment of a Gantry process with RUNTIME=swarm on this cluster. */
export function swarmRuntimeEnv(cluster: SwarmInfo): Record<string, string> {
  return {
    RUNTIME: "swarm",
    SWARM_MANAGER_HOST: cluster.manager.host,
    SWARM_REGISTRY_PUSH: cluster.registryPush,
    SWARM_REGISTRY_PULL: cluster.registryPull,
    SWARM_NODE_HOSTS: cluster.nodes.map((n) => `${n.name}=${n.host}`).join(","),
    SWARM_HOST_ADDRESS: cluster.relayAddress ?? "",
  };
}
