import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { config } from "@gantry/config";
import { createQueueContext, type EngineReport, type QueueContext, writeHeartbeat } from "@gantry/queue";
import { DockerRuntime } from "@gantry/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineReportOf } from "../../../apps/worker/src/engine-report";
import { probeHealth } from "./probe";

/** A port on 127.0.0.1 that nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

describe("system health against the real services", () => {
  // Each run gets its own key prefix, so heartbeats of other workers on this Redis do not count.
  const prefix = `health_${randomBytes(4).toString("hex")}`;
  let queue: QueueContext;

  beforeAll(() => {
    queue = createQueueContext({ redisUrl: config().REDIS_URL, prefix });
  });
  afterAll(async () => {
    const keys = await queue.redis().keys(`${prefix}:*`);
    if (keys.length > 0) await queue.redis().del(...keys);
    await queue.close();
  });

  /** A worker's beat, carrying the engine report the worker makes of the given engine. */
  async function beat(workerPrefix: string, engine: EngineReport): Promise<void> {
    const context = createQueueContext({ redisUrl: config().REDIS_URL, prefix: workerPrefix });
    try {
      await writeHeartbeat(
        "health-test-worker",
        {
          hostname: "test",
          pid: process.pid,
          queues: ["maintenance"],
          concurrency: 1,
          startedAt: new Date().toISOString(),
          engine,
        },
        60_000,
        context,
      );
    } finally {
      await context.close();
    }
  }

  it("reports every component ok when a worker beats, the engine as that worker found it", async () => {
    const engine = await engineReportOf(new DockerRuntime({ host: config().DOCKER_HOST }));
    expect(engine.ok, engine.message).toBe(true);
    // The stand-in images of scripts/setup: the upgrade targets come from this list.
    expect(engine.series).toEqual(expect.arrayContaining(["17.0", "18.0"]));
    await beat(prefix, engine);
    const report = await probeHealth({ REDIS_PREFIX: prefix });
    expect(report.failing, JSON.stringify(report.components)).toEqual([]);
    expect(report.status).toBe("ok");
    expect(Object.keys(report.components)).toEqual(["database", "migrations", "redis", "docker", "worker"]);
    expect(report.components.migrations.message).toBe("up to date");
    expect(report.components.docker.message).toMatch(
      /^Docker Engine .+ \(API \d+\.\d+\), as seen by 1 worker$/,
    );
    expect(report.workers.map((w) => w.workerId)).toEqual(["health-test-worker"]);
  });

  it("reports docker failing when the worker's engine does not answer", async () => {
    const port = await closedPort();
    const engine = await engineReportOf(new DockerRuntime({ host: `tcp://127.0.0.1:${port}` }));
    expect(engine).toMatchObject({ ok: false, series: [] });
    const failingPrefix = `${prefix}_noengine`;
    await beat(failingPrefix, engine);
    const report = await probeHealth({ REDIS_PREFIX: failingPrefix });
    await queue.redis().del(`${failingPrefix}:heartbeat:health-test-worker`);
    expect(report.failing).toEqual(["docker"]);
    expect(report.components.docker.message).toMatch(
      /^worker health-test-worker: Docker Engine unreachable: /,
    );
  });

  it("reports the worker (and the engine nobody reports on) failing when no heartbeat is alive", async () => {
    const report = await probeHealth({ REDIS_PREFIX: `${prefix}_empty` });
    expect(report.status).toBe("fail");
    expect(report.failing).toEqual(["docker", "worker"]);
    expect(report.components.docker.message).toBe("no live worker has reported on the Docker Engine");
    expect(report.components.worker.message).toMatch(/no worker heartbeat/);
    expect(report.workers).toEqual([]);
  });

  it("reports redis (and the worker and engine it cannot hear from) failing when Redis is unreachable, the rest ok", async () => {
    const port = await closedPort();
    const report = await probeHealth({ REDIS_URL: `redis://127.0.0.1:${port}/0`, REDIS_PREFIX: prefix });
    expect(report.status).toBe("fail");
    expect(report.failing).toEqual(["redis", "docker", "worker"]);
    expect(report.components.redis.ok).toBe(false);
    expect(report.components.redis.message).not.toBe("");
    for (const name of ["database", "migrations"] as const) {
      expect(report.components[name].ok, `${name}: ${report.components[name].message}`).toBe(true);
    }
  });
});
