// The Swarm runtime against a real three-node Swarm formed on this machine (tests/support/swarm):
// one-shot work as jobs, serving work scaled 0/1, placement by pool, rescheduling on drain (told
// by the placement watch), and nothing left behind on any node.
import { randomBytes } from "node:crypto";
import { config } from "@gantry/config";
import { type ContainerRuntime, DockerRuntime, type LogLine, type PlacementMove } from "@gantry/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runningNode, type SwarmCluster, startSwarm } from "../../support/swarm/cluster";
import { docker } from "../../support/swarm/docker-cli";
import { swarmRuntime } from "../../support/swarm/runtime";
import { waitFor as waitForValue } from "../../support/wait-for";
import { ensureTestImage } from "../runtime/test-image";

let cluster: SwarmCluster;
let runtime: ContainerRuntime;
let image: string;
const project = `sw-${randomBytes(4).toString("hex")}`;
const name = (suffix: string) => `gantry-test-${project}-${suffix}`;

/** Swarm schedules in seconds: a minute's patience, asked every 200 ms. */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
  waitForValue(what, probe, 60_000, 200);

async function nodeOf(service: string): Promise<string> {
  return docker(["service", "ps", "--format", "{{.Node}}", service], cluster.manager.host).then(
    (out) => out.split("\n")[0] ?? "",
  );
}

const poolOf = (node: string) => cluster.nodes.find((n) => n.name === node)?.pool;

beforeAll(async () => {
  image = await ensureTestImage(new DockerRuntime({ host: config().DOCKER_HOST }));
  // Debian's PostgreSQL clusters keep their sockets in /var/run/postgresql, named by port.
  cluster = await startSwarm(["development", "development", "production"], `gsw-${project}`, {
    postgresSocket: `/var/run/postgresql/.s.PGSQL.${new URL(config().BUILD_DEV_DATABASE_URL).port || 5432}`,
  });
  console.info(`swarm of ${cluster.nodes.length} nodes formed in ${Math.round(cluster.formedMs)} ms`);
  runtime = swarmRuntime(cluster);
});

afterAll(async () => {
  await cluster?.teardown();
});

describe("SwarmRuntime on three nodes", () => {
  it("runs one-shot work as a job on a development node, with its exit code and logs", async () => {
    const spec = {
      name: name("job"),
      image,
      cmd: ["sh", "-c", "echo to-out; echo to-err >&2; exit 3"],
      owner: { project },
      pool: "development",
    };
    const id = await runtime.createContainer(spec);
    await runtime.start(id);
    const followed = await runtime.logs(id, { follow: true });
    const lines: LogLine[] = [];
    const copied = (async () => {
      for await (const line of followed as AsyncIterable<LogLine>) lines.push(line);
    })();
    expect(await runtime.wait(id)).toBe(3);
    // The followed stream ends by itself once the job is over, with every line.
    await copied;
    expect(lines).toContainEqual({ stream: "stdout", line: "to-out" });
    expect(lines).toContainEqual({ stream: "stderr", line: "to-err" });
    expect(poolOf(await nodeOf(id))).toBe("development");
    expect((await runtime.inspect(id)).exitCode).toBe(3);
    await runtime.remove(id, true);

    const result = await runtime.run({ ...spec, name: name("run"), cmd: ["sh", "-c", "echo done"] });
    expect(result).toEqual({ exitCode: 0, logs: [{ stream: "stdout", line: "done" }] });
  });

  it("reaches the development PostgreSQL cluster from a task on a development node", async () => {
    const url = new URL(config().BUILD_DEV_DATABASE_URL);
    const [host, port] = (cluster.postgres as string).split(":") as [string, string];
    const result = await runtime.run({
      name: name("psql"),
      image: `${config().ODOO_IMAGE}:18.0`,
      entrypoint: ["psql"],
      cmd: ["-XAtc", "SELECT 'reached ' || current_setting('port')", "postgres"],
      env: {
        PGHOST: host,
        PGPORT: port,
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password),
      },
      owner: { project },
      pool: "development",
    });
    expect(result.logs).toContainEqual({ stream: "stdout", line: `reached ${url.port || 5432}` });
    expect(result.exitCode).toBe(0);
  });

  it("serves on the production node and scales the service 0 and 1 for sleep and wake", async () => {
    const id = await runtime.createContainer({
      name: name("serve"),
      image,
      cmd: ["sh", "-c", "echo serving; exec sleep 3600"],
      owner: { project },
      labels: { "gantry.role": "serve" },
      pool: "production",
      memoryBytes: 64 * 1024 * 1024,
      cpus: 0.5,
    });
    expect((await runtime.inspect(id)).running).toBe(false);
    await runtime.start(id);
    await waitFor("the service to run", async () => ((await runtime.inspect(id)).running ? true : undefined));
    const node = await waitFor("its node", () => runningNode(cluster, id));
    expect(poolOf(node)).toBe("production");
    // The limits reach the task's container on its node.
    const limits = await runtime.exec(id, ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]);
    expect(limits.stdout.trim()).toBe(String(64 * 1024 * 1024));

    await runtime.stop(id, 5);
    expect((await runtime.inspect(id)).running).toBe(false);
    expect(await runningNode(cluster, id)).toBeUndefined();
    await runtime.start(id);
    await waitFor("the service to run again", async () =>
      (await runtime.inspect(id)).running ? true : undefined,
    );
    expect(poolOf(await waitFor("its node", () => runningNode(cluster, id)))).toBe("production");
  });

  it("moves a development service to the other development node when its node is drained", async () => {
    const id = await runtime.createContainer({
      name: name("dev"),
      image,
      cmd: ["sleep", "3600"],
      owner: { project },
      labels: { "gantry.role": "serve" },
      pool: "development",
    });
    await runtime.start(id);
    const first = await waitFor("its node", () => runningNode(cluster, id));
    expect(poolOf(first)).toBe("development");
    // The watch first tells where it runs (from nowhere), then the move Swarm made by itself.
    // This service's only: the file's other serving services are told too.
    const moves: PlacementMove[] = [];
    const stopWatching = runtime.watchPlacements(async (move) => {
      if (move.id === id) moves.push(move);
    });
    const addressOf = (node: string) => cluster.nodes.find((n) => n.name === node)?.address;
    try {
      await waitFor("the watch to tell where it runs", async () => (moves.length > 0 ? true : undefined));
      await docker(["node", "update", "--availability", "drain", first], cluster.manager.host);
      const second = await waitFor("the task elsewhere", async () => {
        const node = await runningNode(cluster, id);
        return node && node !== first ? node : undefined;
      });
      expect(poolOf(second)).toBe("development");
      await waitFor("the watch to tell the move", async () => (moves.length > 1 ? true : undefined));
      expect(moves).toEqual([
        { id, from: null, to: addressOf(first), node: first },
        { id, from: addressOf(first), to: addressOf(second), node: second },
      ]);
      expect(await runtime.publishedAddress(id, 8069)).toBe(`${addressOf(second)}:8069`);
    } finally {
      await stopWatching();
      await docker(["node", "update", "--availability", "active", first], cluster.manager.host);
    }
  });

  it("leaves no service, network, volume or container behind on any node", async () => {
    const network = await runtime.ensureNetwork({
      name: `gantry-${project}-iso`,
      egress: false,
      pool: "10.213.0.0/16",
      owner: { project },
    });
    expect(network.subnet).toMatch(/^10\.251\./);
    const id = await runtime.createContainer({
      name: name("net"),
      image,
      cmd: ["sleep", "3600"],
      owner: { project },
      labels: { "gantry.role": "serve" },
      networkMode: network.name,
    });
    await runtime.start(id);
    await waitFor("the service on the network", () => runningNode(cluster, id));

    expect((await runtime.removeManaged({ project })).length).toBeGreaterThanOrEqual(3);
    const leftovers = async () => {
      const found: string[] = [];
      for (const node of cluster.nodes) {
        const names = await docker(
          ["ps", "-a", "--filter", "label=gantry.managed=true", "--format", "{{.Names}} {{.Status}}"],
          node.host,
        );
        if (names) found.push(`${node.name}: ${names}`);
      }
      return found;
    };
    // Each node's agent removes its task containers once their service is gone.
    await waitFor("the task containers to go", async () =>
      (await leftovers()).length === 0 ? true : undefined,
    ).catch(() => undefined);
    expect(await leftovers()).toEqual([]);
    expect(await runtime.removeNetworks({ project })).toEqual([network.name]);
    expect(await docker(["service", "ls", "-q"], cluster.manager.host)).toBe("");
    // Each node's agent drops its copy of the overlay once the manager removed it, a moment later.
    const networksLeft = async () => {
      const found: string[] = [];
      for (const node of cluster.nodes) {
        const ids = await docker(["network", "ls", "-q", "--filter", "label=gantry.managed=true"], node.host);
        if (ids) found.push(`${node.name}: ${ids}`);
      }
      return found;
    };
    await waitFor("the overlay to leave every node", async () =>
      (await networksLeft()).length === 0 ? true : undefined,
    ).catch(() => undefined);
    expect(await networksLeft()).toEqual([]);
    for (const node of cluster.nodes) expect(await docker(["volume", "ls", "-q"], node.host)).toBe("");
    await cluster.teardown();
    expect(await docker(["ps", "-aq", "--filter", `name=${cluster.prefix}`])).toBe("");
    expect(await docker(["network", "ls", "-q", "--filter", `name=${cluster.prefix}`])).toBe("");
    expect(await docker(["volume", "ls", "-q", "--filter", `name=${cluster.prefix}`])).toBe("");
  });
});
