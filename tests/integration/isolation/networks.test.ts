// Build networks against the real engine and the host firewall that scripts/services installs:
// a container of a project reaches its build database cluster through its gateway and nothing
// else on the host, no container of another project nor of its own, and leaves the host only
// when its stage has egress. "Beyond the host" is a network namespace the test makes itself
// (a veth pair), which also holds the link-local metadata address: no probe leaves this machine.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect, createServer, type Server } from "node:net";
import { promisify } from "node:util";
import type { OwnerLabels } from "@gantry/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireImage, useBuildTestEnv, waitFor } from "../builds/support";
import { imageOf } from "../standin/helpers";

const run = promisify(execFile);
const image = imageOf("17.0");
const tag = randomBytes(3).toString("hex");
const ns = `gantry-egress-${tag}`;
const hostSide = `gveh${tag}`;
const nsSide = `gven${tag}`;
// A /30 of its own, outside the build pool and Docker's defaults.
const outside = { host: "10.214.77.1", peer: "10.214.77.2" };
const metadata = "169.254.169.254";

let env: Awaited<ReturnType<typeof useBuildTestEnv>>;
let runtime: import("@gantry/runtime").ContainerRuntime;
let network: typeof import("../../../apps/worker/src/shared/network");
let prisma: typeof import("@gantry/db").prisma;
let listener: Server;
let listenerPort: number;
const projects: string[] = [];
const nsServers: { kill(): void }[] = [];

async function project(slug: string): Promise<string> {
  const row = await prisma().project.create({
    data: {
      slug: `${slug}-${tag}`,
      name: slug,
      githubOwner: "acme",
      githubRepo: `${slug}-${tag}`,
      odooSeries: "17.0",
    },
  });
  projects.push(row.id);
  return row.id;
}

async function serveHttp(name: string, owner: OwnerLabels, networkMode: string): Promise<string> {
  const id = await runtime.createContainer({
    name,
    image,
    entrypoint: ["python3", "-m", "http.server", "8000", "--bind", "0.0.0.0"],
    owner,
    networkMode,
  });
  await runtime.start(id);
  const { stdout } = await run("docker", [
    "inspect",
    "-f",
    "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
    id,
  ]);
  return stdout.trim();
}

const PROBE = `
import json, socket, sys
out = {}
for target in json.loads(sys.argv[1]):
    host, port = target.rsplit(":", 1)
    s = socket.socket(); s.settimeout(3)
    try:
        s.connect((host, int(port))); out[target] = "open"
    except socket.timeout:
        out[target] = "timeout"
    except OSError as e:
        out[target] = "refused" if e.errno == 111 else "unreachable"
    finally:
        s.close()
print(json.dumps(out))
`;

/** Connects from a fresh container on `networkMode` to each `host:port`; open or not, each. */
async function probe(
  owner: OwnerLabels,
  networkMode: string,
  targets: string[],
): Promise<Record<string, string>> {
  const result = await runtime.run({
    name: `gantry-test-probe-${randomBytes(4).toString("hex")}`,
    image,
    entrypoint: ["python3", "-c", PROBE, JSON.stringify(targets)],
    owner,
    networkMode,
  });
  const line = result.logs.map((l) => l.line).find((l) => l.startsWith("{"));
  if (!line) throw new Error(`probe printed nothing: ${result.logs.map((l) => l.line).join("\n")}`);
  return JSON.parse(line) as Record<string, string>;
}

/** Whether something accepts connections at `host:port`, seen from the host. */
function answers(target: string): Promise<boolean> {
  const [host, port] = [
    target.slice(0, target.lastIndexOf(":")),
    Number(target.slice(target.lastIndexOf(":") + 1)),
  ];
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

beforeAll(async () => {
  await requireImage(image);
  env = await useBuildTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  const { DockerRuntime } = await import("@gantry/runtime");
  const { config } = await import("@gantry/config");
  runtime = new DockerRuntime({ host: config().DOCKER_HOST });
  network = await import("../../../apps/worker/src/shared/network");
  // A host service on every address, as sshd or a web app would be: builds must not reach it.
  listener = createServer((socket) => {
    socket.on("error", () => undefined); // probes hang up at once
    socket.end("hello\n");
  });
  await new Promise<void>((resolve) => listener.listen(0, "0.0.0.0", resolve));
  listenerPort = (listener.address() as { port: number }).port;
  // "The world": a namespace behind a veth pair, routed from the host, with the metadata address.
  await run("ip", ["netns", "add", ns]);
  await run("ip", ["link", "add", hostSide, "type", "veth", "peer", "name", nsSide]);
  await run("ip", ["link", "set", nsSide, "netns", ns]);
  await run("ip", ["addr", "add", `${outside.host}/30`, "dev", hostSide]);
  await run("ip", ["link", "set", hostSide, "up"]);
  await run("ip", ["route", "add", `${metadata}/32`, "dev", hostSide]);
  await run("ip", ["-n", ns, "addr", "add", `${outside.peer}/30`, "dev", nsSide]);
  await run("ip", ["-n", ns, "addr", "add", `${metadata}/32`, "dev", nsSide]);
  await run("ip", ["-n", ns, "link", "set", nsSide, "up"]);
  await run("ip", ["-n", ns, "link", "set", "lo", "up"]);
  await run("ip", ["-n", ns, "route", "add", "default", "via", outside.host]);
  const { spawn } = await import("node:child_process");
  for (const bind of [outside.peer, metadata]) {
    nsServers.push(
      spawn(
        "ip",
        [
          "netns",
          "exec",
          ns,
          "python3",
          "-m",
          "http.server",
          bind === metadata ? "80" : "8000",
          "--bind",
          bind,
        ],
        {
          stdio: "ignore",
        },
      ),
    );
  }
  for (const target of [`${outside.peer}:8000`, `${metadata}:80`]) {
    await waitFor(
      `${target} in the namespace to listen`,
      async () => ((await answers(target)) ? true : undefined),
      30_000,
    );
  }
}, 120_000);

afterAll(async () => {
  for (const server of nsServers) server.kill();
  listener?.close();
  for (const id of projects) {
    await runtime?.removeManaged({ project: id });
    await runtime?.removeNetworks({ project: id });
  }
  await run("ip", ["link", "del", hostSide]).catch(() => undefined);
  await run("ip", ["netns", "del", ns]).catch(() => undefined);
  await prisma?.().$disconnect();
  await env?.db.drop();
}, 120_000);

describe("build networks", () => {
  it("gives a project one isolated network and one with egress, each its own /24 and bridge", async () => {
    const id = await project("nets");
    const isolated = await network.projectNetwork(runtime, id, "DEVELOPMENT");
    const egress = await network.projectNetwork(runtime, id, "PRODUCTION");
    expect(isolated.networkMode).not.toBe(egress.networkMode);
    expect(await network.projectNetwork(runtime, id, "STAGING")).toEqual(isolated);
    const { stdout } = await run("docker", [
      "network",
      "inspect",
      "-f",
      '{{index .Options "com.docker.network.bridge.name"}} {{index .Options "com.docker.network.bridge.enable_icc"}}',
      isolated.networkMode,
      egress.networkMode,
    ]);
    const [iso, out] = stdout.trim().split("\n");
    expect(iso).toMatch(/^gti[0-9a-f]{12} false$/);
    expect(out).toMatch(/^gte[0-9a-f]{12} false$/);
    expect(isolated.gateway).toMatch(/^10\.213\.\d+\.1$/);
    expect(egress.gateway).not.toBe(isolated.gateway);
  });

  it("reaches the build database through the gateway, and no other host service, build or the world", async () => {
    const a = await project("alpha");
    const b = await project("beta");
    const netA = await network.projectNetwork(runtime, a, "DEVELOPMENT");
    const netB = await network.projectNetwork(runtime, b, "DEVELOPMENT");
    const sibling = await serveHttp(`gantry-test-sib-${tag}`, { project: a }, netA.networkMode);
    const stranger = await serveHttp(`gantry-test-str-${tag}`, { project: b }, netB.networkMode);
    const { config } = await import("@gantry/config");
    const pgPort = new URL(config().BUILD_DEV_DATABASE_URL).port || "5432";
    const targets = {
      database: `${netA.gateway}:${pgPort}`,
      hostService: `${netA.gateway}:${listenerPort}`,
      redis: `${netA.gateway}:6379`,
      sibling: `${sibling}:8000`,
      otherProject: `${stranger}:8000`,
      world: `${outside.peer}:8000`,
      metadata: `${metadata}:80`,
    };
    const seen = await probe({ project: a }, netA.networkMode, Object.values(targets));
    const named = Object.fromEntries(Object.entries(targets).map(([k, t]) => [k, seen[t]]));
    expect(named.database).toBe("open");
    for (const key of ["hostService", "redis", "sibling", "otherProject", "world", "metadata"]) {
      expect({ [key]: named[key] }).not.toEqual({ [key]: "open" });
    }
    // The host side sees both: the refusals are the firewall's, not missing services.
    const fromHost = await probe({ project: a }, "host", [
      `127.0.0.1:${listenerPort}`,
      `${outside.peer}:8000`,
    ]);
    expect(Object.values(fromHost)).toEqual(["open", "open"]);
  });

  it("lets a stage with egress leave the host, still not to the metadata address nor host services", async () => {
    const id = await project("egress");
    const net = await network.projectNetwork(runtime, id, "PRODUCTION");
    const seen = await probe({ project: id }, net.networkMode, [
      `${outside.peer}:8000`,
      `${metadata}:80`,
      `${net.gateway}:${listenerPort}`,
    ]);
    expect(seen[`${outside.peer}:8000`]).toBe("open");
    expect(seen[`${metadata}:80`]).not.toBe("open");
    expect(seen[`${net.gateway}:${listenerPort}`]).not.toBe("open");
  });

  it("makes networks for many projects at once, each its own subnet, and one per project however many ask", async () => {
    const ids = await Promise.all(["c1", "c2", "c3", "c4", "c5", "c6"].map((slug) => project(slug)));
    const made = await Promise.all(ids.map((id) => network.projectNetwork(runtime, id, "DEVELOPMENT")));
    expect(new Set(made.map((n) => n.gateway)).size).toBe(ids.length);
    // Its egress network does not exist yet: four builds ask for it at the same moment.
    const same = await Promise.all(
      [1, 2, 3, 4].map(() => network.projectNetwork(runtime, ids[0] as string, "PRODUCTION")),
    );
    expect(new Set(same.map((n) => n.networkMode)).size).toBe(1);
    expect(same[0]?.networkMode).toMatch(/-out$/);
  });

  it("follows the project's setting: a stage it grants egress gets the egress network", async () => {
    const id = await project("setting");
    await prisma().project.update({ where: { id }, data: { egressStages: ["DEVELOPMENT"] } });
    const dev = await network.projectNetwork(runtime, id, "DEVELOPMENT");
    const prod = await network.projectNetwork(runtime, id, "PRODUCTION");
    expect(dev.networkMode).toMatch(/-out$/);
    expect(prod.networkMode).toMatch(/-iso$/);
  });
});
