import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enqueue, type QueueContext, readHeartbeats } from "@gantry/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../../../apps/worker/src/start-worker";
import { randomPrefix, testQueueContext, waitFor, waitForState } from "../queue/support";
import { freePort, PrivateRedis } from "./private-redis";

let redis: PrivateRedis;
let dir: string;
let producer: QueueContext | undefined;
let worker: RunningWorker | undefined;
const prefix = randomPrefix();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gantry-redis-"));
  redis = new PrivateRedis(await freePort(), dir);
  await redis.start();
});

afterAll(async () => {
  await worker?.stop();
  await producer?.close();
  redis.kill();
  await rm(dir, { recursive: true, force: true });
});

describe("a Redis restart", () => {
  it("keeps a job enqueued before it, and a connected worker recovers by itself", async () => {
    // Enqueued while no worker runs; Redis then stops and comes back from its append-only file.
    producer = testQueueContext(prefix, redis.url);
    await enqueue("maintenance.probe-delay", { ms: 1 }, { jobId: "before-restart" }, producer);
    await producer.close();
    producer = undefined;
    await redis.stop();
    await redis.start();

    worker = await startWorker({ redisUrl: redis.url, prefix, heartbeatMs: 500, shutdownTimeoutMs: 5000 });
    producer = testQueueContext(prefix, redis.url);
    const first = await waitForState(producer, "maintenance", "before-restart", ["completed", "failed"]);
    expect(first.state).toBe("completed");

    // Now restart under the running worker, with no data loss allowed and no help from outside.
    await redis.stop();
    await redis.start();
    await enqueue("maintenance.probe-delay", { ms: 1 }, { jobId: "after-restart" }, producer);
    const second = await waitForState(
      producer,
      "maintenance",
      "after-restart",
      ["completed", "failed"],
      60_000,
    );
    expect(second.state).toBe("completed");
    const runningId = worker.id;
    await waitFor("the heartbeat to come back", async () =>
      (await readHeartbeats(producer)).some((beat) => beat.workerId === runningId) ? true : undefined,
    );
  });
});
