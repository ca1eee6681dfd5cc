// Nodes the cluster loses (issue 20), through the worker with RUNTIME=swarm on four nodes: the
// manager (in a pool nothing here builds on), two development nodes and one production node.
// The nodes a development build and the production build serve on stop answering (frozen with
// `docker pause`, so they come back as they were): the development build is started again on
// the other development node and answers through Caddy from there; production, whose pool has no
// other node, is marked lost and its people are told once; back, the node serves production
// again and the mark goes.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { FIXTURE_REPO } from "../../support/odoo-target";
import { runningNode, type SwarmCluster } from "../../support/swarm/cluster";
import { docker, dockerQuiet } from "../../support/swarm/docker-cli";
import type { BuildSuite } from "../builds/suite";
import { shaOf, waitFor } from "../builds/support";
import { type SwarmBuildSuite, startSwarmBuildSuite } from "./swarm-suite";

let suite: BuildSuite;
let cluster: SwarmCluster;
let poolOf: SwarmBuildSuite["poolOf"];
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;
const paused = new Set<string>();

beforeAll(async () => {
  ({ suite, cluster, poolOf } = await startSwarmBuildSuite([
    "staging",
    "development",
    "development",
    "production",
  ]));
  prisma = (await import("@gantry/db")).prisma;
  projectId = (await suite.project("lost", { name: "Lost nodes" })).id;
}, 240_000);

afterAll(async () => {
  for (const node of paused) await dockerQuiet(["unpause", node]);
  await suite?.close();
  await cluster?.teardown();
}, 180_000);

async function serve(name: string, stage: "DEVELOPMENT" | "PRODUCTION") {
  const branch = await prisma().branch.create({ data: { projectId, name, stage } });
  const sha = await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), "main");
  const id = await suite.push({ projectId, branchId: branch.id, stage, sha });
  const build = await suite.ended(id, 300_000);
  expect(build.errorSummary).toBeNull();
  expect(build.result).toBe("SUCCESS");
  const node = (await runningNode(cluster, build.containerName as string)) as string;
  return { id, branchId: branch.id, url: build.url as string, service: build.containerName as string, node };
}

const row = (id: string) =>
  prisma().build.findUniqueOrThrow({ where: { id }, select: { servingNode: true, nodeLostAt: true } });

async function answers(url: string, what: string) {
  return waitFor(
    what,
    async () => {
      const login = await viaCaddy(url, "/web/login").catch(() => null);
      return login?.status === 200 && /login/i.test(login.body) ? true : undefined;
    },
    180_000,
  );
}

async function nodeState(name: string): Promise<string> {
  return docker(["node", "inspect", "--format", "{{.Status.State}}", name], cluster.manager.host);
}

describe("a node the cluster loses", () => {
  it("starts development elsewhere, marks production lost and tells its people once, and clears the mark when the node is back", async () => {
    const development = await serve("feature", "DEVELOPMENT");
    const production = await serve("main", "PRODUCTION");
    expect(poolOf(development.node)).toBe("development");
    expect(poolOf(production.node)).toBe("production");
    expect((await row(production.id)).nodeLostAt).toBeNull();

    for (const node of [development.node, production.node]) {
      await docker(["pause", node]);
      paused.add(node);
    }
    await waitFor(
      "the manager to call the nodes down",
      async () =>
        (await nodeState(production.node)) === "down" && (await nodeState(development.node)) === "down"
          ? true
          : undefined,
      120_000,
    );

    // The Nodes page's listing (with each node's use) says so at once: the frozen nodes, which
    // would never answer a question about their use, are not asked one.
    const { runtimeFromConfig } = await import("@gantry/runtime");
    const listed = await runtimeFromConfig().nodes();
    expect(listed.find((n) => n.hostname === production.node)?.state).toBe("down");

    // Development: Swarm starts it on the other development node; its route follows.
    const moved = await waitFor(
      "the development build on the other development node",
      async () => {
        const node = await runningNode(cluster, development.service);
        return node && node !== development.node ? node : undefined;
      },
      180_000,
    );
    expect(poolOf(moved)).toBe("development");
    await answers(development.url, "the development build through Caddy from its new node");
    await waitFor(
      "the development build's row to say where it runs, unmarked",
      async () => {
        const now = await row(development.id);
        return now.servingNode === moved && now.nodeLostAt === null ? true : undefined;
      },
      60_000,
    );

    // Production: no other production node; marked, and told once.
    const lost = await waitFor(
      "production marked lost",
      async () => (await row(production.id)).nodeLostAt ?? undefined,
      60_000,
    );
    expect(lost.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await row(production.id)).servingNode).toBe(production.node);
    // The project page's alert: production first.
    const core = await import("@gantry/core");
    const admin = { userId: "lost-nodes-admin", isAdmin: true, memberships: {}, tokenProjectIds: null };
    expect((await core.buildsOnLostNodes(admin, projectId))[0]).toMatchObject({
      id: production.id,
      stage: "PRODUCTION",
      branch: "main",
      servingNode: production.node,
    });
    const told = () => prisma().notificationDelivery.findMany({ where: { projectId, event: "node.lost" } });
    const deliveries = await waitFor(
      "the notification",
      async () => ((await told()).length > 0 ? told() : undefined),
      30_000,
    );
    expect(deliveries).toHaveLength(1);
    expect(JSON.stringify(deliveries[0])).toContain(production.node);
    // Not told again while the node stays lost (the check runs every 10 s).
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(await told()).toHaveLength(1);
    expect(await runningNode(cluster, production.service)).toBeUndefined();

    // The production node back: production serves from it again, and the mark goes.
    await docker(["unpause", production.node]);
    paused.delete(production.node);
    await answers(production.url, "production through Caddy once its node is back");
    await waitFor(
      "production's mark to go",
      async () => ((await row(production.id)).nodeLostAt === null ? true : undefined),
      60_000,
    );
    expect(await core.buildsOnLostNodes(admin, projectId)).toEqual([]);
    // Swarm replaces the task the frozen node still ran by a new one there: running again, on it.
    expect(
      await waitFor(
        "production's task running again",
        () => runningNode(cluster, production.service),
        120_000,
      ),
    ).toBe(production.node);
    await docker(["unpause", development.node]);
    paused.delete(development.node);
  }, 900_000);
});
