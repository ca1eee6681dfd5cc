import { randomUUID } from "node:crypto";
import type { JobsOptions } from "bullmq";
import { type JobName, type JobPayload, jobCatalog } from "./catalog";
import { defaultQueueContext, type QueueContext } from "./context";
import { assertJobId } from "./job-id";

export interface EnqueueOptions {
  /** A stable id makes the call idempotent: a second enqueue with the same id adds nothing. */
  jobId?: string;
  delayMs?: number;
}

export interface EnqueuedJob {
  jobId: string;
  queue: string;
  name: JobName;
}

const day = 24 * 60 * 60;

/** Validates the payload against the catalog and adds the job with the catalog's retry policy. */
export async function enqueue<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  options: EnqueueOptions = {},
  context: QueueContext = defaultQueueContext(),
): Promise<EnqueuedJob> {
  const definition = jobCatalog[name];
  const data = definition.payload.parse(payload);
  const jobId = assertJobId(options.jobId ?? `${name.replace(/^[^.]+\./, "")}-${randomUUID()}`);
  const jobOptions: JobsOptions = {
    jobId,
    attempts: definition.attempts,
    delay: options.delayMs,
    // Finished jobs stay readable for a while (the dashboard shows them), then go.
    removeOnComplete: { age: 7 * day, count: 1000 },
    removeOnFail: { age: 30 * day, count: 5000 },
  };
  if ("backoff" in definition && definition.backoff) {
    jobOptions.backoff = { type: definition.backoff.type, delay: definition.backoff.delayMs };
  }
  const job = await context.queue(definition.queue).add(name, data, jobOptions);
  return { jobId: job.id ?? jobId, queue: definition.queue, name };
}

/** The queue the diagnostics job runs on, for `getJobView`. */
export const diagnosticsQueue = jobCatalog["maintenance.diagnostics"].queue;

/** Asks a worker for a fresh diagnosis; every call is a new run. */
export async function enqueueDiagnostics(
  payload: JobPayload<"maintenance.diagnostics"> = {},
  context: QueueContext = defaultQueueContext(),
): Promise<{ jobId: string }> {
  const { jobId } = await enqueue("maintenance.diagnostics", payload, {}, context);
  return { jobId };
}
