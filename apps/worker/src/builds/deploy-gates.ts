// Builds held by deploy gates, looked at again: one (a push, or a check_run / check_suite /
// status event on its commit) or all of them (every minute, since events can be lost and the
// deploy window opens with no event at all).
import { evaluateGate, evaluateWaitingBuilds } from "@gantry/core";
import { type QueueContext, scheduleJob } from "@gantry/queue";
import type { JobHandler } from "../handler";

export const deployGatesSchedulerId = "deploy-gates";

export async function scheduleDeployGates(queue: QueueContext): Promise<void> {
  await scheduleJob(
    "maintenance.deploy-gates",
    deployGatesSchedulerId,
    { every: 60_000 },
    { keep: 20 },
    queue,
  );
}

export const deployGatesJob: JobHandler<"maintenance.deploy-gates"> = async (payload, context) => {
  const queue = context.services.queue;
  if (!payload.buildId) return evaluateWaitingBuilds({ queue });
  const outcome = await evaluateGate(payload.buildId, { queue });
  context.logger.info({ buildId: payload.buildId, outcome }, "deploy gate looked at");
  return {
    looked: outcome === "not_waiting" ? 0 : 1,
    released: outcome === "released" ? [payload.buildId] : [],
    failed: outcome === "failed" ? [payload.buildId] : [],
  };
};
