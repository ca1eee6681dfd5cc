import { componentNames } from "@gantry/core";
import { z } from "zod";
import { defineEndpoint } from "../endpoint";

const componentHealth = z
  .object({
    ok: z.boolean(),
    latencyMs: z.number().describe("How long the check took, in milliseconds"),
    message: z.string(),
  })
  .meta({ id: "ComponentHealth" });

const liveWorker = z
  .looseObject({
    workerId: z.string(),
    lastSeen: z.string().describe("ISO timestamp of the worker's last heartbeat"),
  })
  .meta({ id: "LiveWorker" });

const queueDepth = z
  .object({
    name: z.string(),
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: "QueueDepth" });

export const healthReport = z
  .object({
    status: z.enum(["ok", "fail"]),
    failing: z.array(z.enum(componentNames)),
    components: z
      .record(z.enum(componentNames), componentHealth)
      .describe("Each check's text is for platform administrators; others read operational or failing"),
    workers: z.array(liveWorker).describe("Platform administrators only; empty for everyone else"),
    workerCount: z.number().int().describe("Workers whose heartbeat is live"),
    queues: z.array(queueDepth).describe("Jobs per queue; empty when Redis did not answer"),
    checkedAt: z.string().describe("When the report was made: it is kept a few seconds"),
  })
  .meta({ id: "HealthReport" });

export type HealthReportBody = z.infer<typeof healthReport>;

const health = {
  summary:
    "Health of every component, queue depths and the worker count, from a report at most " +
    "HEALTH_CACHE_SECONDS old (details for platform administrators)",
  tags: ["system"],
  output: healthReport,
  alsoStatuses: { 503: "At least one component is failing; `failing` names them" },
} as const;

/** For load balancers and scripts: outside the versioned API, the same report. */
export const plainHealth = defineEndpoint({ method: "get", path: "/api/health", ...health });

export const systemHealth = defineEndpoint({ method: "get", path: "/api/v1/system/health", ...health });

export const enqueueDiagnostics = defineEndpoint({
  method: "post",
  path: "/api/v1/system/diagnostics",
  summary: "Run the diagnostics job on a worker (platform administrators)",
  tags: ["system"],
  access: "signed-in",
  status: 202,
  output: z.object({ jobId: z.string() }).meta({ id: "EnqueuedJob" }),
  errors: ["forbidden", "unavailable"],
});

export const jobView = z
  .object({
    id: z.string(),
    name: z.string(),
    queue: z.string(),
    state: z.string().describe("waiting, active, completed, failed, delayed, …"),
    progress: z.unknown(),
    attempts: z.number(),
    result: z.unknown(),
    failedReason: z.string().nullable(),
    timestamps: z
      .object({
        createdAt: z.number(),
        processedAt: z.number().nullable(),
        finishedAt: z.number().nullable(),
      })
      .describe("Milliseconds since the epoch"),
  })
  .meta({ id: "JobView" });

export type JobViewBody = z.infer<typeof jobView>;

export const diagnosticsJob = defineEndpoint({
  method: "get",
  path: "/api/v1/system/diagnostics/{jobId}",
  summary: "The state and result of a diagnostics job (platform administrators)",
  tags: ["system"],
  access: "signed-in",
  params: z.object({ jobId: z.string().min(1).max(200) }),
  output: jobView,
  errors: ["forbidden", "not_found", "unavailable"],
});
