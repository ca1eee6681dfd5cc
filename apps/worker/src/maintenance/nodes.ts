// The runtime's nodes for the dashboard's Nodes page, and drain/activate: the web app asks, a
// worker (which has the runtime) answers.
import { bestEffort } from "@gantry/config";
import { recordAudit } from "@gantry/core";
import { NodeAvailabilityRefused, statusOf } from "@gantry/runtime";
import type { JobHandler } from "../handler";

export const listNodesJob: JobHandler<"maintenance.nodes"> = async (_payload, context) => ({
  workerId: context.workerId,
  measuredAt: new Date().toISOString(),
  nodes: await context.services.runtime.nodes(),
});

/**
 * A refusal (one host, a node the cluster does not have) is the answer the person gets; anything
 * else (the manager unreachable) fails the job with its message.
 */
export const nodeAvailabilityJob: JobHandler<"maintenance.node-availability"> = async (payload, context) => {
  context.logger.info(
    { nodeId: payload.nodeId, availability: payload.availability, requestedBy: payload.requestedBy },
    "changing a node's availability",
  );
  try {
    const node = await context.services.runtime.setNodeAvailability(payload.nodeId, payload.availability);
    // Done whatever becomes of the record: a failed write is logged, the answer stays the truth.
    await bestEffort(
      "recording the node's availability in the audit log",
      recordAudit({
        action: "node.availability_changed",
        userId: payload.requestedBy ?? null,
        target: node.id,
        data: { hostname: node.hostname, pool: node.pool, availability: node.availability },
      }),
    );
    return { ok: true as const, node };
  } catch (error) {
    if (error instanceof NodeAvailabilityRefused) {
      return { ok: false as const, status: "conflict" as const, error: error.message };
    }
    if (statusOf(error) === 404) {
      return { ok: false as const, status: "not_found" as const, error: `No node ${payload.nodeId}` };
    }
    throw error;
  }
};
