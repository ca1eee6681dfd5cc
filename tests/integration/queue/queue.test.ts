import { config } from "@gantry/config";
import {
  activeQueues,
  diagnosticsQueue,
  diagnosticsResult,
  enqueue,
  enqueueDiagnostics,
  getJobView,
  InvalidJobIdError,
  type QueueContext,
  readHeartbeats,
} from "@gantry/queue";
import { DockerRuntime } from "@gantry/runtime";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../../../apps/worker/src/start-worker";
import { dropPrefix, randomPrefix, testQueueContext, waitFor, waitForState } from "./support";

let context: QueueContext;
let worker: RunningWorker | undefined;

beforeEach(() => {
  context = testQueueContext(randomPrefix());
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await dropPrefix(context);
  await context.close();
});

const start = async () => {
  worker = await startWorker({ prefix: context.prefix, heartbeatMs: 500, shutdownTimeoutMs: 10_000 });
  return worker;
};

describe("queue and in-process worker", () => {
  it("runs diagnostics end to end with real measurements", async () => {
    const running = await start();
    const { jobId } = await enqueueDiagnostics({ requestedBy: "queue-test" }, context);
    const view = await waitForState(context, diagnosticsQueue, jobId, ["completed", "failed"]);
    expect(view.failedReason).toBeNull();
    expect(view).toMatchObject({
      id: jobId,
      name: "maintenance.diagnostics",
      state: "completed",
      attempts: 1,
    });
    const result = diagnosticsResult.parse(view.result);
    expect(result.workerId).toBe(running.id);
    expect(result.pid).toBe(process.pid);

    const engine = await new DockerRuntime({ host: config().DOCKER_HOST }).docker.version();
    expect(result.docker).toMatchObject({ ok: true, version: engine.Version, apiVersion: engine.ApiVersion });

    const client = new pg.Client({ connectionString: config().DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    await client.end();
    expect(result.postgres).toMatchObject({ ok: true, serverVersion: rows[0]!.server_version });
    expect(result.redis.ok).toBe(true);
    expect(view.timestamps.finishedAt).toBeGreaterThanOrEqual(view.timestamps.processedAt!);
  });

  it("makes enqueue idempotent by job id", async () => {
    const first = await enqueue("maintenance.probe-delay", { ms: 1 }, { jobId: "probe-once" }, context);
    const second = await enqueue("maintenance.probe-delay", { ms: 2 }, { jobId: "probe-once" }, context);
    expect(second.jobId).toBe(first.jobId);
    const queue = context.queue("maintenance");
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
    expect((await queue.getJob("probe-once"))?.data).toEqual({ ms: 1 });

    await start();
    const view = await waitForState(context, "maintenance", "probe-once", ["completed", "failed"]);
    expect(view.state).toBe("completed");
    // Enqueueing a finished job's id again does not run it again.
    await enqueue("maintenance.probe-delay", { ms: 1 }, { jobId: "probe-once" }, context);
    expect((await getJobView("maintenance", "probe-once", context))?.state).toBe("completed");
  });

  it("fails a job with an invalid payload once, without retries", async () => {
    await start();
    // A producer that skipped validation (an older version, a hand-made job): the worker checks again.
    await context
      .queue("maintenance")
      .add("maintenance.probe-delay", { ms: "soon" }, { jobId: "bad-payload", attempts: 3 });
    const view = await waitForState(context, "maintenance", "bad-payload", ["failed", "completed"]);
    expect(view.state).toBe("failed");
    expect(view.attempts).toBe(1);
    expect(view.failedReason).toMatch(/invalid payload for maintenance\.probe-delay/);
    expect(view.failedReason).toMatch(/ms/);
  });

  it("fails a job the catalog does not know, without retries", async () => {
    await start();
    await context.queue("maintenance").add("maintenance.unknown", {}, { jobId: "unknown-job", attempts: 3 });
    const view = await waitForState(context, "maintenance", "unknown-job", ["failed", "completed"]);
    expect(view).toMatchObject({ state: "failed", attempts: 1 });
    expect(view.failedReason).toMatch(/unknown job "maintenance\.unknown"/);
  });

  it("refuses invalid payloads and job ids before they reach Redis", async () => {
    await expect(enqueue("maintenance.probe-delay", { ms: 120_000 }, {}, context)).rejects.toThrow();
    await expect(
      enqueue("maintenance.probe-delay", { ms: 1 }, { jobId: "build:1" }, context),
    ).rejects.toThrow(InvalidJobIdError);
    expect(await context.queue("maintenance").getJobCounts("waiting")).toEqual({ waiting: 0 });
    expect(await getJobView("maintenance", "no-such-job", context)).toBeNull();
  });

  it("publishes a heartbeat while running and removes it on a clean stop", async () => {
    const running = await start();
    const beat = await waitFor("a heartbeat", async () =>
      (await readHeartbeats(context)).find((b) => b.workerId === running.id),
    );
    expect(beat).toMatchObject({
      pid: process.pid,
      // Every queue that has jobs in the catalog, as the worker announces them.
      queues: activeQueues(),
      concurrency: config().WORKER_CONCURRENCY,
    });
    const firstSeen = beat.lastSeen;
    await waitFor("a newer heartbeat", async () => {
      const again = (await readHeartbeats(context)).find((b) => b.workerId === running.id);
      return again && again.lastSeen > firstSeen ? again : undefined;
    });
    await running.stop();
    worker = undefined;
    expect((await readHeartbeats(context)).map((b) => b.workerId)).not.toContain(running.id);
  });

  it("leaves a job that outlives the shutdown timeout to stalled recovery", async () => {
    const first = await startWorker({
      prefix: context.prefix,
      shutdownTimeoutMs: 1000,
      lockDurationMs: 2000,
      // The stalled check runs at most once per interval across all workers of a queue.
      stalledIntervalMs: 500,
      heartbeatMs: 500,
    });
    await enqueue("maintenance.probe-delay", { ms: 5000 }, { jobId: "outlives-shutdown" }, context);
    await waitForState(context, "maintenance", "outlives-shutdown", ["active"]);
    const stopped = await first.stop();
    expect(stopped).toEqual({ drained: false, abandoned: ["maintenance/outlives-shutdown"] });

    worker = await startWorker({ prefix: context.prefix, stalledIntervalMs: 500, lockDurationMs: 2000 });
    const secondId = worker.id;
    const job = await waitFor("the job to be taken up again", async () => {
      const found = await context.queue("maintenance").getJob("outlives-shutdown");
      if (found && found.processedBy === secondId) return found;
      throw new Error(
        `last seen: ${JSON.stringify({ state: await found?.getState(), by: found?.processedBy, started: found?.attemptsStarted })}`,
      );
    });
    expect(job.attemptsStarted).toBeGreaterThanOrEqual(2);
    const view = await waitForState(context, "maintenance", "outlives-shutdown", ["completed", "failed"]);
    expect(view.state).toBe("completed");
  });
});
