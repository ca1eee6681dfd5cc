// Pools named by an operator, on a three-node Swarm formed on this machine (tests/support/swarm):
// a project whose development server serves the pool "customer-a" builds on the nodes labelled
// customer-a, never on the development node; and the pool's one-shot work goes to the node with
// the most free memory, not to the one with the fewest tasks.
import { join } from "node:path";
import { config } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { copyOfDevServer } from "../../support/db-servers";
import { FIXTURE_REPO, FIXTURE_SERIES } from "../../support/odoo-target";
import { runningNode, type SwarmCluster } from "../../support/swarm/cluster";
import { docker } from "../../support/swarm/docker-cli";
import { startsDuring } from "../../support/swarm/starts";
import type { BuildSuite } from "../builds/suite";
import { shaOf } from "../builds/support";
import { type SwarmBuildSuite, startSwarmBuildSuite } from "./swarm-suite";

let suite: BuildSuite;
let cluster: SwarmCluster;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;

let poolOf: SwarmBuildSuite["poolOf"];

beforeAll(async () => {
  ({ suite, cluster, poolOf } = await startSwarmBuildSuite(["development", "customer-a", "customer-a"]));
  prisma = (await import("@gantry/db")).prisma;
  const core = await import("@gantry/core");
  await core.ensureDefaultDbServers();
  projectId = (await suite.project("customer-a", { name: "Customer A" })).id;
  // The customer's own development server: the same cluster, serving the pool customer-a.
  const server = await copyOfDevServer("customer-a-dev", "customer-a");
  await prisma().projectDbServer.create({ data: { projectId, stage: "DEVELOPMENT", serverId: server.id } });
}, 240_000);

afterAll(async () => {
  await suite?.close();
  await cluster?.teardown();
}, 180_000);

async function build(name: string) {
  const branch = await prisma().branch.create({ data: { projectId, name, stage: "DEVELOPMENT" } });
  const sha = await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), "main");
  const id = await suite.push({ projectId, branchId: branch.id, stage: "DEVELOPMENT", sha });
  const { result, starts } = await startsDuring(cluster, suite.ended(id, 300_000));
  expect(result.errorSummary).toBeNull();
  expect(result.result).toBe("SUCCESS");
  return { build: result, starts };
}

describe("a development server serving the pool customer-a", () => {
  it("builds and serves on the nodes labelled customer-a, one-shot runs where most memory is free", async () => {
    const first = await build("feature-1");
    const roles = first.starts.filter((s) => / (install|tests|serve|requirements)$/.test(s));
    expect(
      roles.map((s) => s.split(" ")[1]),
      first.starts.join("; "),
    ).toEqual(expect.arrayContaining(["requirements", "tests", "serve"]));
    for (const start of roles) expect(poolOf(start.split(" ")[0] as string), start).toBe("customer-a");
    const firstServe = (await runningNode(cluster, first.build.containerName as string)) as string;
    expect(poolOf(firstServe)).toBe("customer-a");
    const login = await viaCaddy(first.build.url as string, "/web/login");
    expect(login.status).toBe(200);

    // The first build still serves (its memory limit counted on its node). Two small tasks on
    // the other customer-a node make it the one with more tasks but more free memory: Swarm's
    // own spread (by task count) would put the second build's one-shot Odoo runs beside the
    // first build's serve; placement by free memory puts them beside the small tasks.
    const other = cluster.nodes.find((n) => n.pool === "customer-a" && n.name !== firstServe)?.name as string;
    const image = `${cluster.registryPull}/${config().ODOO_IMAGE}:${FIXTURE_SERIES}`;
    for (const name of ["small-1", "small-2"]) {
      await docker(
        [
          ...["service", "create", "--quiet", "--name", name, "--constraint", `node.hostname==${other}`],
          ...["--limit-memory", "16m", "--entrypoint", "sleep", image, "infinity"],
        ],
        cluster.manager.host,
      );
    }
    const second = await build("feature-2");
    const oneShot = second.starts.filter((s) => / (install|tests)$/.test(s));
    expect(oneShot.length, second.starts.join("; ")).toBeGreaterThan(0);
    for (const start of oneShot) {
      const node = start.split(" ")[0] as string;
      expect(poolOf(node), start).toBe("customer-a");
      expect(node, `${start}; the first build serves on ${firstServe}`).toBe(other);
    }
    const secondServe = (await runningNode(cluster, second.build.containerName as string)) as string;
    expect(poolOf(secondServe)).toBe("customer-a");
  }, 700_000);
});
