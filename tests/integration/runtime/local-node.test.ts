// One host as the runtime's only node, against the machine's engine: the host with its running
// Gantry work, and a drain refused.
import { randomBytes } from "node:crypto";
import { config } from "@gantry/config";
import { DockerRuntime, NodeAvailabilityRefused, SINGLE_HOST_POOL } from "@gantry/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTestImage } from "./test-image";

const runtime = new DockerRuntime({ host: config().DOCKER_HOST });
const project = `ln-${randomBytes(4).toString("hex")}`;
let image: string;

beforeAll(async () => {
  image = await ensureTestImage(runtime);
});

afterAll(async () => {
  await runtime.removeManaged({ project });
});

describe("DockerRuntime's one node", () => {
  it("is this host, in every pool, with a running build and what it uses", async () => {
    const build = `b${randomBytes(3).toString("hex")}`;
    const id = await runtime.createContainer({
      name: `gantry-test-${project}-serve`,
      image,
      // Busy for a moment, so that the CPU sample has something to see.
      cmd: ["sh", "-c", "while :; do :; done"],
      owner: { project, branch: "main", build },
      labels: { "gantry.role": "serve" },
      cpus: 0.5,
    });
    await runtime.start(id);
    const [node, ...others] = await runtime.nodes();
    expect(others).toEqual([]);
    const info = await runtime.docker.info();
    expect(node).toMatchObject({
      hostname: info.Name,
      pool: SINGLE_HOST_POOL,
      state: "ready",
      availability: "active",
      cpus: info.NCPU,
      memoryBytes: info.MemTotal,
    });
    const work = node?.work.find((w) => w.build === build);
    expect(work).toMatchObject({ project, branch: "main", role: "serve" });
    expect(work?.cpuPercent).toBeGreaterThan(0);
    expect(work?.memoryBytes).toBeGreaterThan(0);
    expect(await runtime.placement(id)).toEqual({ nodeId: node?.id, hostname: info.Name });
    await runtime.stop(id, 0);
    expect(await runtime.placement(id)).toBeNull();
    expect(await runtime.placement(`gantry-test-${project}-missing`)).toBeNull();
  });

  it("refuses to drain the only node and says why", async () => {
    const [node] = await runtime.nodes();
    const refused = runtime.setNodeAvailability(node?.id as string, "drain");
    await expect(refused).rejects.toBeInstanceOf(NodeAvailabilityRefused);
    await expect(refused).rejects.toThrow(/only node/);
    expect((await runtime.setNodeAvailability(node?.id as string, "active")).availability).toBe("active");
  });
});
