// A serving build on a Swarm whose task Swarm moves by itself (issue 20), through the worker
// with RUNTIME=swarm on three nodes: the manager in the production pool, two development nodes,
// so a development build always runs on a node other than the manager. The build's shell (the
// worker's shell server) and its logs (as the dashboard reads them) work there; its node
// drained, Swarm reschedules the task on the other development node and the build answers
// through Caddy again with nothing asked of Gantry; shell, logs and Connect's list of users
// follow it; deleting the project leaves no service, container, network, volume or secret on
// any node.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { viaCaddy } from "../../support/caddy";
import { FIXTURE_REPO } from "../../support/odoo-target";
import { runningNode, type SwarmCluster, type SwarmNode } from "../../support/swarm/cluster";
import { docker } from "../../support/swarm/docker-cli";
import type { BuildSuite } from "../builds/suite";
import { shaOf, waitFor } from "../builds/support";
import { type SwarmBuildSuite, startSwarmBuildSuite } from "./swarm-suite";

const origin = "http://127.0.0.1:3000";
let suite: BuildSuite;
let cluster: SwarmCluster;
let poolOf: SwarmBuildSuite["poolOf"];
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let shell: import("../../../apps/worker/src/shell/server").ShellServer;
let admin: import("@gantry/core").Actor;
/** What each node's engine held before any build: what must be all that is left at the end. */
let before: Map<string, Leftovers>;

interface Leftovers {
  containers: string[];
  volumes: string[];
  networks: string[];
  /** Cluster-wide objects, read on the manager only. */
  services: string[];
  secrets: string[];
}

const lines = (text: string) => text.split("\n").filter(Boolean).sort();

async function leftovers(node: SwarmNode): Promise<Leftovers> {
  const list = async (args: string[]) => lines(await docker(args, node.host));
  const manager = node.name === cluster.manager.name;
  return {
    containers: await list(["ps", "--all", "--format", "{{.Names}}"]),
    volumes: await list(["volume", "ls", "--quiet"]),
    // Less the platform's network (templates, checks without a project): Gantry's, not a project's.
    networks: (await list(["network", "ls", "--format", "{{.Name}}"])).filter(
      (n) => n !== "gantry-platform-iso",
    ),
    services: manager ? await list(["service", "ls", "--format", "{{.Name}}"]) : [],
    secrets: manager ? await list(["secret", "ls", "--format", "{{.Name}}"]) : [],
  };
}

async function everyNode(): Promise<Map<string, Leftovers>> {
  const found = new Map<string, Leftovers>();
  for (const node of cluster.nodes) found.set(node.name, await leftovers(node));
  return found;
}

/** The short id of the service's running container on `node`, as that node's engine says. */
async function containerOn(node: SwarmNode, service: string): Promise<string> {
  const id = await docker(
    ["ps", "--quiet", "--filter", `label=com.docker.swarm.service.name=${service}`],
    node.host,
  );
  expect(lines(id)).toHaveLength(1);
  return id;
}

/**
 * Opens the build's shell through the worker's shell server (as the dashboard's terminal does),
 * runs `command` and returns what the terminal showed once `until` appeared.
 */
async function inShell(buildId: string, command: string, until: RegExp): Promise<string> {
  const { ticket } = await core.issueShellTicket(admin, buildId, suite.producer);
  const ws = new WebSocket(
    `ws://127.0.0.1:${shell.port}/builds/${buildId}/shell?ticket=${ticket}&cols=120&rows=40`,
    { headers: { origin } },
  );
  let screen = "";
  let ready = false;
  ws.on("message", (data, binary) => {
    if (binary) screen += (data as Buffer).toString("utf8");
    else if ((JSON.parse(data.toString()) as { state?: string }).state === "ready") ready = true;
  });
  try {
    await waitFor(
      "the shell to be ready",
      async () => (ready && /\$ $/m.test(screen) ? true : undefined),
      60_000,
    );
    ws.send(JSON.stringify({ type: "input", data: `${command}\n` }));
    await waitFor(`${until} in the shell`, async () => (until.test(screen) ? true : undefined), 60_000);
    return screen;
  } finally {
    ws.close();
  }
}

/** odoo.log where the dashboard reads it (the API's log path), once it holds `text`. */
async function odooLogWith(buildId: string, text: string): Promise<string> {
  const path = await core.buildLogPath(admin, buildId, "odoo.log");
  return waitFor(
    `${text} in odoo.log`,
    async () => {
      const log = await readFile(path, "utf8").catch(() => "");
      return log.includes(text) ? log : undefined;
    },
    60_000,
  );
}

beforeAll(async () => {
  ({ suite, cluster, poolOf } = await startSwarmBuildSuite(["production", "development", "development"], {
    settings: { PUBLIC_URL: origin },
  }));
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  before = await everyNode();
  const { startShellServer } = await import("../../../apps/worker/src/shell/server");
  const { runtimeFromConfig } = await import("@gantry/runtime");
  shell = await startShellServer({
    host: "127.0.0.1",
    port: 0,
    runtime: runtimeFromConfig(),
    queue: suite.producer,
    logger: core.createLogger("test"),
  });
  const root = await prisma().user.create({
    data: { email: `root-${suite.env.prefix}@example.com`, name: "Root", isAdmin: true },
  });
  admin = { userId: root.id, isAdmin: true, memberships: {}, tokenProjectIds: null };
}, 240_000);

afterAll(async () => {
  await shell?.close();
  await suite?.close();
  await cluster?.teardown();
}, 180_000);

describe("a serving build whose node is drained", () => {
  it("serves from the other development node through Caddy, with its shell and logs; deleting the project leaves nothing on any node", async () => {
    const project = await suite.project("moves");
    const branch = await prisma().branch.create({
      data: { projectId: project.id, name: "main", stage: "DEVELOPMENT" },
    });
    const sha = await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), "main");
    const id = await suite.push({ projectId: project.id, branchId: branch.id, stage: "DEVELOPMENT", sha });
    const build = await suite.ended(id, 300_000);
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    const service = build.containerName as string;
    const nodeNamed = (name: string) => cluster.nodes.find((n) => n.name === name) as SwarmNode;
    const first = nodeNamed((await runningNode(cluster, service)) as string);
    expect(first.pool).toBe("development");
    expect(first.name).not.toBe(cluster.manager.name);
    const servingNode = async () => (await prisma().build.findUniqueOrThrow({ where: { id } })).servingNode;
    expect(await servingNode()).toBe(first.name);

    // Shell and logs of a task on a node that is not the manager.
    const shown = await inShell(id, "echo on-$(hostname) $((6*7))", /on-\w+ 42/);
    expect(shown).toContain(`on-${await containerOn(first, service)} 42`);
    const asked = `/web/login?before=${randomBytes(4).toString("hex")}`;
    expect((await viaCaddy(build.url as string, asked)).status).toBe(200);
    await odooLogWith(id, asked);

    // The node drained: Swarm moves the task by itself; Gantry is not asked anything.
    await docker(["node", "update", "--availability", "drain", first.name], cluster.manager.host);
    const second = nodeNamed(
      await waitFor(
        "the task on another node",
        async () => {
          const node = await runningNode(cluster, service);
          return node && node !== first.name ? node : undefined;
        },
        120_000,
      ),
    );
    expect(poolOf(second.name)).toBe("development");
    const answered = await waitFor(
      "the login page through Caddy from the new node",
      async () => {
        const login = await viaCaddy(build.url as string, "/web/login");
        return login.status === 200 && /login/i.test(login.body) ? login : undefined;
      },
      120_000,
    );
    expect(answered.status).toBe(200);
    // The build page says where it runs now (recorded before the route is replaced).
    expect(await servingNode()).toBe(second.name);
    // Not the production node (the manager), ever.
    expect(second.name).not.toBe(cluster.manager.name);

    // "Connect as" lists the build's users where its route now sends requests: the new node.
    expect((await core.buildOdooUsers(admin, id)).map((u) => u.login)).toContain("admin");

    // Shell and logs follow the task to its new node.
    const moved = await inShell(id, "echo on-$(hostname) $((6*7))", /on-\w+ 42/);
    expect(moved).toContain(`on-${await containerOn(second, service)} 42`);
    const after = `/web/login?after=${randomBytes(4).toString("hex")}`;
    expect((await viaCaddy(build.url as string, after)).status).toBe(200);
    await odooLogWith(id, after);

    // Deleting the project: nothing of it is left on any node's engine.
    const deleting = await core.deleteProject(
      admin,
      project.id,
      { confirmName: project.name },
      undefined,
      suite.producer,
    );
    await waitFor(
      "the project deletion job to finish",
      async () => {
        const job = await suite.producer.queue("builds").getJob(deleting.jobId);
        const state = await job?.getState();
        if (state === "failed") throw new Error(`deletion failed: ${job?.failedReason}`);
        return state === "completed" ? true : undefined;
      },
      180_000,
    );
    // Overlays leave the nodes once the manager has told them: waited for, then compared whole.
    const left = await waitFor(
      "each node's engine back to what it held before the build",
      async () => {
        const now = await everyNode();
        return JSON.stringify([...now]) === JSON.stringify([...before]) ? now : undefined;
      },
      60_000,
    ).catch(() => everyNode());
    expect(Object.fromEntries(left)).toEqual(Object.fromEntries(before));
  }, 600_000);
});
