// A question to a worker that someone waits for (the Nodes page's): answered by a real in-process
// worker, and withdrawn when no worker takes it, so that it never runs later.
import { askWorker } from "@gantry/queue";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../../../apps/worker/src/start-worker";
import { perTestQueueContext } from "./support";

const context = perTestQueueContext();
let worker: RunningWorker | undefined;

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

describe("askWorker", () => {
  it("answers with the worker's result: the node list of the one-host runtime", async () => {
    worker = await startWorker({
      prefix: context().prefix,
      queues: ["maintenance"],
      shutdownTimeoutMs: 10_000,
    });
    const answer = await askWorker("maintenance.nodes", {}, 60_000, context());
    expect(answer.state).toBe("completed");
    if (answer.state !== "completed") return;
    expect(answer.result.nodes).toHaveLength(1);
    expect(answer.result.nodes[0]).toMatchObject({ pool: "all", availability: "active" });
    const refused = await askWorker(
      "maintenance.node-availability",
      { nodeId: answer.result.nodes[0]?.id as string, availability: "drain" },
      60_000,
      context(),
    );
    expect(refused).toMatchObject({ state: "completed", result: { ok: false, status: "conflict" } });
    // Activating the active host is allowed, and the audit log says who did it; the refusal left none.
    const { prisma } = await import("@gantry/db");
    const admin = await prisma().user.create({
      data: { email: `nodes-${context().prefix}@example.com`, name: "Nodes admin", isAdmin: true },
    });
    const nodeId = answer.result.nodes[0]?.id as string;
    const activated = await askWorker(
      "maintenance.node-availability",
      { nodeId, availability: "active", requestedBy: admin.id },
      60_000,
      context(),
    );
    expect(activated).toMatchObject({
      state: "completed",
      result: { ok: true, node: { availability: "active" } },
    });
    const recorded = await prisma().auditEvent.findMany({
      where: { action: "node.availability_changed", userId: admin.id },
    });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ target: nodeId, data: { pool: "all", availability: "active" } });
  });

  it("withdraws a question no worker took, leaving no job behind", async () => {
    const answer = await askWorker(
      "maintenance.node-availability",
      { nodeId: "n1", availability: "drain" },
      300,
      context(),
    );
    expect(answer).toEqual({ state: "unanswered", started: false });
    const queue = context().queue("maintenance");
    expect(await queue.getJobCounts("waiting", "active", "delayed", "completed", "failed")).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      completed: 0,
      failed: 0,
    });
  });
});
