// Redis (a private one, append-only file on, as scripts/services runs the platform's) stopped
// and started again while a worker runs 2 jobs and 30 more wait: every one of the 32 must end
// completed, none lost. The worker stays up through the restart and reconnects by itself.

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../../tests/integration/builds/support";
import { freePort, PrivateRedis } from "../../tests/integration/worker/private-redis";
import { lostJobs } from "./lib/jobs-ended";
import { check, type Tally } from "./lib/tally";

const RUNNING = 2;
const QUEUED = 30;

export async function redisRestartTrial(tally: Tally): Promise<void> {
  const queue = await import("../../packages/queue/src/index");
  const { startWorker } = await import("../../apps/worker/src/start-worker");
  const dir = await mkdtemp(join(tmpdir(), "gantry-fault-redis-"));
  const redis = new PrivateRedis(await freePort(), dir);
  const prefix = `fault-${randomBytes(4).toString("hex")}`;
  await redis.start();
  const producer = queue.createQueueContext({ redisUrl: redis.url, prefix });
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    // Only the probe runs: the schedules the worker sets on its queue must not act on any
    // Gantry database from this test's worker.
    const { handlers } = await import("../../apps/worker/src/registry");
    const notHere = async () => {
      throw new Error("not run by the fault suite");
    };
    const onlyProbe = Object.fromEntries(
      Object.entries(handlers).map(([name, handler]) => [
        name,
        name === "maintenance.probe-delay" ? handler : notHere,
      ]),
    ) as typeof handlers;
    worker = await startWorker({
      handlers: onlyProbe,
      redisUrl: redis.url,
      prefix,
      queues: ["maintenance"],
      concurrency: RUNNING,
      heartbeatMs: 1000,
      shutdownTimeoutMs: 5000,
    });
    const run = randomBytes(3).toString("hex");
    const ids: string[] = [];
    // The first two hold their slots across the restart; the thirty wait behind them.
    for (let i = 0; i < RUNNING + QUEUED; i++) {
      const jobId = `fault-${run}-${i}`;
      await queue.enqueue("maintenance.probe-delay", { ms: i < RUNNING ? 4000 : 100 }, { jobId }, producer);
      ids.push(jobId);
    }
    const maintenance = producer.queue("maintenance");
    await waitFor(
      "two jobs running",
      async () => ((await maintenance.getActiveCount()) >= RUNNING ? true : undefined),
      30_000,
    );
    const waiting = await maintenance.getWaitingCount();
    tally.notes.push(`at the restart: ${await maintenance.getActiveCount()} running, ${waiting} waiting`);
    await redis.stop();
    await redis.start();
    tally.trials += 1;
    tally.faults += 1;

    const lost = await lostJobs(maintenance, ids, 180_000);
    check(tally, `${RUNNING + QUEUED} jobs (${RUNNING} running, ${QUEUED} queued) completed`, lost);
    // The trial tests what it says only when the thirty still waited as Redis went down.
    check(
      tally,
      `${QUEUED} jobs waiting at the restart`,
      waiting >= QUEUED ? [] : [`only ${waiting} waiting`],
    );
  } finally {
    await worker?.stop();
    await producer.close();
    redis.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
