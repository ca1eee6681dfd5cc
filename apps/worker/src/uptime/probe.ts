// The uptime probe, every minute: each production branch's serving build is asked for
// /web/health with a short timeout. A failure is explained by what the engine says of the
// container (gone, exited, killed for memory) or by the answer (5xx, timeout, refused). A branch
// in a maintenance window (deploy, update, upgrade, restore: core's branchesInMaintenance), or
// whose serving build changed while it was probed, records MAINTENANCE, which is not downtime.
import {
  branchesInMaintenance,
  type Logger,
  type ProbeResult,
  type ProbeTarget,
  probeTargets,
  pruneProbes,
  recordProbe,
  servingBuildId,
} from "@gantry/core";
import type { ContainerRuntime } from "@gantry/runtime";
import type { JobHandler } from "../handler";
import { stateIfExists } from "../shared/container-state";
import { type HttpAnswer, probeHttp } from "./http-probe";

export const probeTimeoutMs = 10_000;

const maintenance: ProbeResult = {
  outcome: "MAINTENANCE",
  latencyMs: null,
  httpStatus: null,
  cause: null,
  detail: null,
};

/** Why an unanswered probe failed: the container's state first, then the network's reason. */
async function unanswered(
  runtime: ContainerRuntime,
  target: ProbeTarget,
  answer: Extract<HttpAnswer, { answered: false }>,
): Promise<ProbeResult> {
  const base = { outcome: "DOWN" as const, latencyMs: null, httpStatus: null };
  const state = target.containerName ? await stateIfExists(runtime, target.containerName) : undefined;
  if (!state) return { ...base, cause: "container_missing", detail: null };
  if (!state.running) {
    return {
      ...base,
      cause: state.oomKilled ? "oom_killed" : "container_exited",
      detail: `exit code ${state.exitCode}`,
    };
  }
  return {
    ...base,
    cause: answer.reason,
    detail: answer.reason === "timeout" ? `no answer within ${probeTimeoutMs / 1000} s` : null,
  };
}

/** The result of probing one target, before maintenance is considered. */
export async function probeTarget(
  runtime: ContainerRuntime,
  target: ProbeTarget,
  timeoutMs = probeTimeoutMs,
): Promise<ProbeResult> {
  // Where the runtime says the build answers; a container it cannot place is probed on the
  // loopback port, does not answer, and its state says why.
  const address = target.containerName
    ? await runtime.publishedAddress(target.containerName, target.httpPort).catch(() => null)
    : null;
  const answer = await probeHttp(address ?? target.httpPort, timeoutMs);
  if (!answer.answered) return unanswered(runtime, target, answer);
  if (answer.ok) {
    return {
      outcome: "UP",
      latencyMs: answer.latencyMs,
      httpStatus: answer.status,
      cause: null,
      detail: null,
    };
  }
  return {
    outcome: "DOWN",
    latencyMs: answer.latencyMs,
    httpStatus: answer.status,
    cause: answer.status >= 500 ? "http_5xx" : "http_error",
    detail: `HTTP ${answer.status}`,
  };
}

export interface ProbeRound {
  probed: number;
  down: number;
  maintenance: number;
  opened: number;
  closed: number;
}

/** One round over every target (or those given), recorded at `now`. */
export async function probeProduction(
  runtime: ContainerRuntime,
  logger: Logger,
  options: { now?: Date; targets?: readonly ProbeTarget[]; timeoutMs?: number } = {},
): Promise<ProbeRound> {
  const now = options.now ?? new Date();
  const targets = options.targets ?? (await probeTargets());
  const branchIds = targets.map((t) => t.branchId);
  const before = await branchesInMaintenance(branchIds);
  const results = await Promise.all(
    targets.map(async (target): Promise<ProbeResult> => {
      if (before.has(target.branchId)) return maintenance;
      try {
        return await probeTarget(runtime, target, options.timeoutMs);
      } catch (error) {
        // The engine itself did not answer: the build may be fine; say what is known.
        logger.warn({ err: error, buildId: target.buildId }, "a production probe could not be explained");
        return { outcome: "DOWN", latencyMs: null, httpStatus: null, cause: "unknown", detail: null };
      }
    }),
  );
  // A deploy that began, or ended with a new build, while the probe ran explains its failure.
  const failed = targets.filter((_, i) => results[i]?.outcome === "DOWN").map((t) => t.branchId);
  const after = await branchesInMaintenance(failed);
  const round: ProbeRound = { probed: targets.length, down: 0, maintenance: 0, opened: 0, closed: 0 };
  for (const [i, target] of targets.entries()) {
    let result = results[i] as ProbeResult;
    if (
      result.outcome === "DOWN" &&
      (after.has(target.branchId) || (await servingBuildId(target.branchId)) !== target.buildId)
    ) {
      result = maintenance;
    }
    if (result.outcome === "DOWN") round.down += 1;
    if (result.outcome === "MAINTENANCE") round.maintenance += 1;
    const recorded = await recordProbe(target, result, now);
    if (recorded.incident === "opened") round.opened += 1;
    if (recorded.incident === "closed") round.closed += 1;
  }
  return round;
}

export const probeProductionJob: JobHandler<"maintenance.probe-production"> = async (_payload, context) => {
  const now = new Date();
  const round = await probeProduction(context.services.runtime, context.logger, { now });
  const pruned = await pruneProbes(now);
  if (pruned.probes > 0 || pruned.days > 0) context.logger.info(pruned, "old uptime probes pruned");
  return round;
};
