// Real builds through the worker with RUNTIME=swarm, on a test Swarm formed on this machine
// (tests/support/swarm, a node per pool): a development push builds on a development node (its
// install as a job there), the serving service answers /web/login through Caddy at the node's
// address, another project's task cannot reach it, sleep scales it to 0 and wake back to 1,
// answering again; a production push builds and serves on the production node.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { DockerRuntime } from "@gantry/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { FIXTURE_REPO } from "../../support/odoo-target";
import { runningNode, type SwarmInfo } from "../../support/swarm/cluster";
import { docker } from "../../support/swarm/docker-cli";
import { type BuildSuite, startBuildSuite } from "../builds/suite";
import { DEV_CLUSTER, shaOf, waitFor } from "../builds/support";
import { ensureTestImage } from "../runtime/test-image";

let suite: BuildSuite;
let cluster: SwarmInfo;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;

const poolOf = (node: string) => cluster.nodes.find((n) => n.name === node)?.pool;

/**
 * `node role` of each container of Gantry's that started while `work` ran: each node's engine's
 * own events, which a job too short for polling the manager still shows.
 */
async function startsDuring<T>(work: Promise<T>): Promise<{ result: T; starts: string[] }> {
  const starts: string[] = [];
  const watchers = cluster.nodes.map((node) => {
    const events = spawn("docker", [
      ...["--host", node.host, "events", "--filter", "type=container", "--filter", "event=start"],
      ...["--filter", "label=gantry.managed=true", "--format", '{{index .Actor.Attributes "gantry.role"}}'],
    ]);
    events.stdout.on("data", (chunk: Buffer) => {
      for (const role of chunk.toString().split("\n").filter(Boolean)) starts.push(`${node.name} ${role}`);
    });
    return events;
  });
  try {
    return { result: await work, starts };
  } finally {
    for (const events of watchers) events.kill();
  }
}

beforeAll(async () => {
  // The file's own test Swarm (or the run's, in the integration-swarm project): build-swarm.ts.
  suite = await startBuildSuite({ queues: ["builds"], swarm: true });
  cluster = suite.env.swarm as SwarmInfo;
  prisma = (await import("@gantry/db")).prisma;
  // Server rows a template may carry were encrypted with another secret: registered again with ours.
  await prisma().dbServer.deleteMany();
  projectId = (await suite.project("swarm", { name: "Swarm" })).id;
}, 240_000);

afterAll(() => suite?.close(), 180_000);

describe("a development build on the Swarm", () => {
  it("builds on a development node, serves through Caddy, sleeps at 0 replicas and wakes at 1", async () => {
    const branch = await prisma().branch.create({
      data: { projectId, name: "main", stage: "DEVELOPMENT" },
    });
    const sha = await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), "main");
    const id = await suite.push({ projectId, branchId: branch.id, stage: "DEVELOPMENT", sha });
    const { result: build, starts } = await startsDuring(suite.ended(id, 300_000));
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    // The branch's modules installed with their tests (one run, role `tests`) as a job, and the
    // build served, on development nodes; the template and the requirements check run anywhere.
    const roles = starts.map((start) => start.split(" ")[1]);
    expect(roles, starts.join("; ")).toContain("tests");
    expect(roles, starts.join("; ")).toContain("serve");
    for (const start of starts.filter((s) => / (install|tests|serve)$/.test(s))) {
      expect(poolOf(start.split(" ")[0] as string), start).toBe("development");
    }

    const service = build.containerName as string;
    const node = (await runningNode(cluster, service)) as string;
    expect(poolOf(node)).toBe("development");
    const address = cluster.nodes.find((n) => n.name === node)?.address;
    const serve = build.phases.find((p) => p.name === "serve");
    expect(serve?.message).toContain(`http://${address}:${build.httpPort}`);

    const login = await viaCaddy(build.url as string, "/web/login");
    expect(login.status).toBe(200);
    expect(login.body).toMatch(/login/i);

    // Another project's task reaches the machine's database through the relay, but not the
    // build's published port (the nodes' firewall, tests/support/swarm/node-firewall.ts).
    const { runtimeFromConfig } = await import("@gantry/runtime");
    const runtime = runtimeFromConfig();
    const other = `other-${suite.env.prefix}`;
    const network = await runtime.ensureNetwork({
      name: `gantry-${other}-iso`,
      egress: false,
      pool: "10.213.0.0/16",
      owner: { project: other },
    });
    const connect = (target: string) =>
      `echo | nc -w 5 ${target.replace(":", " ")} >/dev/null 2>&1 && echo connected ${target} || echo refused ${target}`;
    const probe = await runtime.run({
      name: `gantry-test-${other}-probe`,
      image: await ensureTestImage(new DockerRuntime()),
      cmd: [
        "sh",
        "-c",
        `${connect(`${network.gateway}:${DEV_CLUSTER.port}`)}; ${connect(`${address}:${build.httpPort}`)}`,
      ],
      owner: { project: other },
      networkMode: network.name,
      pool: "development",
    });
    expect(probe.logs.map((l) => l.line)).toEqual([
      `connected ${cluster.relayAddress}:${DEV_CLUSTER.port}`,
      `refused ${address}:${build.httpPort}`,
    ]);
    await runtime.removeNetworks({ project: other });

    // Sleep: the service scaled to 0, the host sent to the wake page.
    const { sleepBuild, wakeBuild } = await import("../../../apps/worker/src/sleep/power");
    const slept = await sleepBuild(runtime, suite.producer, build, new Date());
    expect(slept).toBe("slept");
    const replicas = async () =>
      docker(
        ["service", "inspect", "--format", "{{.Spec.Mode.Replicated.Replicas}}", service],
        cluster.manager.host,
      );
    expect(await replicas()).toBe("0");
    expect(await runningNode(cluster, service)).toBeUndefined();
    const asleep = await viaCaddy(build.url as string, "/web/login");
    expect(asleep.status === 200 && /login/i.test(asleep.body)).toBe(false);

    // Wake: one replica again, on a development node, and the route follows it there.
    const woken = await wakeBuild(runtime, suite.producer, id, AbortSignal.timeout(180_000));
    expect(woken).toBe("woken");
    expect(await replicas()).toBe("1");
    const again = await waitFor("the woken task's node", () => runningNode(cluster, service), 60_000);
    expect(poolOf(again)).toBe("development");
    const answer = await viaCaddy(build.url as string, "/web/login");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/login/i);
  }, 420_000);

  it("builds production on the production node and serves it through Caddy", async () => {
    const branch = await prisma().branch.create({
      data: { projectId, name: "prod", stage: "PRODUCTION" },
    });
    const sha = await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), "main");
    const id = await suite.push({ projectId, branchId: branch.id, stage: "PRODUCTION", sha });
    const { result: build, starts } = await startsDuring(suite.ended(id, 300_000));
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    const served = starts.filter((start) => / (install|tests|update|serve)$/.test(start));
    expect(served.map((start) => start.split(" ")[1])).toContain("serve");
    for (const start of served) expect(poolOf(start.split(" ")[0] as string), start).toBe("production");
    expect(poolOf((await runningNode(cluster, build.containerName as string)) as string)).toBe("production");
    const login = await viaCaddy(build.url as string, "/web/login");
    expect(login.status).toBe(200);
    expect(login.body).toMatch(/login/i);
  }, 360_000);
});
