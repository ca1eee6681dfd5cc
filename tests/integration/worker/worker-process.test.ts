import { config } from "@gantry/config";
import {
  diagnosticsResult,
  enqueue,
  enqueueDiagnostics,
  type QueueContext,
  readHeartbeats,
} from "@gantry/queue";
import { DockerRuntime } from "@gantry/runtime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dropPrefix, randomPrefix, testQueueContext, waitFor, waitForState } from "../queue/support";
import { spawnWorker, type WorkerProcess } from "./worker-process";

let context: QueueContext;
let worker: WorkerProcess | undefined;

beforeEach(() => {
  context = testQueueContext(randomPrefix());
});

afterEach(async () => {
  worker?.killAll();
  if (worker) await worker.exited;
  worker = undefined;
  await dropPrefix(context);
  await context.close();
});

async function startReady(env: Record<string, string> = {}): Promise<string> {
  worker = spawnWorker({ REDIS_PREFIX: context.prefix, WORKER_HEARTBEAT_MS: "500", ...env });
  const started = worker;
  const ready = await waitFor(
    "the worker ready line",
    async () => {
      if (started.child.exitCode !== null) throw new Error(`worker exited: ${started.stderr()}`);
      return started.logs.find((line) => line.msg === "worker ready");
    },
    60_000,
  );
  return String(ready.workerId);
}

describe("the worker process", () => {
  it("processes diagnostics and reports itself", async () => {
    const workerId = await startReady();
    const { jobId } = await enqueueDiagnostics({}, context);
    const view = await waitForState(context, "maintenance", jobId, ["completed", "failed"]);
    const result = diagnosticsResult.parse(view.result);
    expect(result.workerId).toBe(workerId);
    expect(result.pid).not.toBe(process.pid);
    const engine = await new DockerRuntime({ host: config().DOCKER_HOST }).version();
    expect(result.docker).toMatchObject({ ok: true, version: engine.Version });
    // Its logs are JSON lines carrying the job id.
    expect(worker?.logs.some((line) => line.jobId === jobId && line.msg === "job completed")).toBe(true);
    expect((await readHeartbeats(context)).map((beat) => beat.workerId)).toContain(workerId);
  });

  it("finishes the in-flight job on SIGTERM, then exits 0", async () => {
    await startReady({ WORKER_SHUTDOWN_TIMEOUT_MS: "30000" });
    await enqueue("maintenance.probe-delay", { ms: 3000 }, { jobId: "in-flight" }, context);
    await waitForState(context, "maintenance", "in-flight", ["active"]);
    worker?.child.kill("SIGTERM");
    expect(await worker?.exited).toBe(0);
    const view = await waitForState(context, "maintenance", "in-flight", ["completed", "failed"], 5000);
    expect(view.state).toBe("completed");
    expect(worker?.logs.some((line) => line.msg === "worker stopped" && line.drained === true)).toBe(true);
  });

  it("stops waiting at the shutdown timeout and still exits 0, leaving the job to the queue", async () => {
    await startReady({ WORKER_SHUTDOWN_TIMEOUT_MS: "1000" });
    await enqueue("maintenance.probe-delay", { ms: 60_000 }, { jobId: "too-long" }, context);
    await waitForState(context, "maintenance", "too-long", ["active"]);
    worker?.child.kill("SIGTERM");
    expect(await worker?.exited).toBe(0);
    // Not completed, not failed: its lock runs out and the stalled check hands it to the next worker.
    const job = await context.queue("maintenance").getJob("too-long");
    expect(await job?.getState()).toBe("active");
    expect(worker?.logs.find((line) => line.msg === "worker stopped")).toMatchObject({ drained: false });
  });

  it("drops out of the heartbeats after the TTL when killed", async () => {
    const workerId = await startReady();
    await waitFor("the heartbeat", async () =>
      (await readHeartbeats(context)).some((b) => b.workerId === workerId) ? true : undefined,
    );
    worker?.killAll();
    await worker?.exited;
    await waitFor(
      "the heartbeat to expire",
      async () => ((await readHeartbeats(context)).some((b) => b.workerId === workerId) ? undefined : true),
      10_000,
    );
  });

  it("refuses a wrong environment with one line and exit code 2", async () => {
    worker = spawnWorker({ REDIS_PREFIX: context.prefix, WORKER_CONCURRENCY: "0", REDIS_URL: "http://nope" });
    expect(await worker.exited).toBe(2);
    const lines = worker.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WORKER_CONCURRENCY/);
    expect(lines[0]).toMatch(/REDIS_URL/);
    expect(worker.stderr()).not.toMatch(/\n\s+at /);
  });
});
