// The runtime's view of the Swarm's nodes against a real three-node Swarm (tests/support/swarm):
// each node with its pool, the work running on it, and drain/activate through the runtime, checked
// with the docker CLI on the manager.
import { randomBytes } from "node:crypto";
import { config } from "@gantry/config";
import { type ContainerRuntime, DockerRuntime, type RuntimeNode } from "@gantry/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runningNode, type SwarmCluster, startSwarm } from "../../support/swarm/cluster";
import { docker } from "../../support/swarm/docker-cli";
import { swarmRuntime } from "../../support/swarm/runtime";
import { waitFor as waitForValue } from "../../support/wait-for";
import { ensureTestImage } from "../runtime/test-image";

let cluster: SwarmCluster;
let runtime: ContainerRuntime;
let image: string;
const project = `swn-${randomBytes(4).toString("hex")}`;

/** Swarm schedules in seconds: a minute's patience, asked every 200 ms. */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
  waitForValue(what, probe, 60_000, 200);

const availabilityOf = (node: string) =>
  docker(["node", "inspect", "--format", "{{.Spec.Availability}}", node], cluster.manager.host);

const byHostname = (nodes: RuntimeNode[], hostname: string) => nodes.find((n) => n.hostname === hostname);

beforeAll(async () => {
  image = await ensureTestImage(new DockerRuntime({ host: config().DOCKER_HOST }));
  cluster = await startSwarm(["development", "development", "production"], `gsw-${project}`);
  runtime = swarmRuntime(cluster);
});

afterAll(async () => {
  await cluster?.teardown();
});

describe("the Swarm's nodes through the runtime", () => {
  it("lists the three nodes with their pools, roles, states and resources", async () => {
    const nodes = await runtime.nodes();
    expect(nodes.map((n) => [n.hostname, n.pool, n.role]).sort()).toEqual(
      cluster.nodes.map((n) => [n.name, n.pool, n === cluster.manager ? "manager" : "worker"]).sort(),
    );
    for (const node of nodes) {
      expect(node).toMatchObject({ state: "ready", availability: "active" });
      expect(node.cpus).toBeGreaterThan(0);
      expect(node.memoryBytes).toBeGreaterThan(0);
      expect(node.address).toBe(cluster.nodes.find((n) => n.name === node.hostname)?.address);
    }
  });

  it("shows a serving build on its node, drains that node (the build moves) and activates it again", async () => {
    const build = `b${randomBytes(3).toString("hex")}`;
    const id = await runtime.createContainer({
      name: `gantry-test-${project}-serve`,
      image,
      cmd: ["sleep", "3600"],
      owner: { project, branch: "feature", build },
      labels: { "gantry.role": "serve" },
      pool: "development",
    });
    await runtime.start(id);
    const first = await waitFor("its node", () => runningNode(cluster, id));
    expect((await runtime.placement(id))?.hostname).toBe(first);
    const listed = byHostname(await runtime.nodes(), first);
    expect(listed?.work).toEqual([
      expect.objectContaining({ name: id, project, branch: "feature", build, role: "serve" }),
    ]);
    // The node's engine is known: its use was read.
    expect(listed?.work[0]?.memoryBytes).toBeGreaterThan(0);

    const drained = await runtime.setNodeAvailability(listed?.id as string, "drain");
    try {
      expect(drained).toMatchObject({ hostname: first, availability: "drain" });
      expect(await availabilityOf(first)).toBe("drain");
      const second = await waitFor("the build on another node", async () => {
        const placed = await runtime.placement(id);
        return placed && placed.hostname !== first ? placed.hostname : undefined;
      });
      expect(cluster.nodes.find((n) => n.name === second)?.pool).toBe("development");
      const after = await runtime.nodes();
      expect(byHostname(after, first)?.work).toEqual([]);
      expect(byHostname(after, second)?.work.map((w) => w.build)).toEqual([build]);
    } finally {
      const activated = await runtime.setNodeAvailability(first, "active");
      expect(activated.availability).toBe("active");
    }
    expect(await availabilityOf(first)).toBe("active");
    await runtime.remove(id, true);
  });

  it("answers 404 for a node the Swarm does not have", async () => {
    await expect(runtime.setNodeAvailability("no-such-node", "drain")).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
