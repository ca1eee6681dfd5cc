import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { config } from "@gantry/config";
import { createQueueContext, type QueueContext, writeHeartbeat } from "@gantry/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  it("reports every component ok when a worker beats", async () => {
    await writeHeartbeat(
      "health-test-worker",
      {
        hostname: "test",
        pid: process.pid,
        queues: ["maintenance"],
        concurrency: 1,
        startedAt: new Date().toISOString(),
      },
      60_000,
      queue,
    );
    const report = await probeHealth({ REDIS_PREFIX: prefix });
    expect(report.failing, JSON.stringify(report.components)).toEqual([]);
    expect(report.status).toBe("ok");
    expect(Object.keys(report.components)).toEqual(["database", "migrations", "redis", "docker", "worker"]);
    expect(report.components.migrations.message).toBe("up to date");
    expect(report.components.docker.message).toMatch(/^Docker Engine .+ \(API \d+\.\d+\)$/);
    expect(report.workers.map((w) => w.workerId)).toEqual(["health-test-worker"]);
  });

  it("reports the worker failing when no heartbeat is alive", async () => {
    const report = await probeHealth({ REDIS_PREFIX: `${prefix}_empty` });
    expect(report.status).toBe("fail");
    expect(report.failing).toEqual(["worker"]);
    expect(report.components.worker.message).toMatch(/no worker heartbeat/);
    expect(report.workers).toEqual([]);
  });

  it("reports redis (and the worker it cannot see) failing when Redis is unreachable, the rest ok", async () => {
    const port = await closedPort();
    const report = await probeHealth({ REDIS_URL: `redis://127.0.0.1:${port}/0`, REDIS_PREFIX: prefix });
    expect(report.status).toBe("fail");
    expect(report.failing).toEqual(["redis", "worker"]);
    expect(report.components.redis.ok).toBe(false);
    expect(report.components.redis.message).not.toBe("");
    for (const name of ["database", "migrations", "docker"] as const) {
      expect(report.components[name].ok, `${name}: ${report.components[name].message}`).toBe(true);
    }
  });
});
