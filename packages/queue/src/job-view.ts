import type { JobState } from "bullmq";
import { defaultQueueContext, type QueueContext } from "./context";
import type { QueueName } from "./queue-names";

/** A job as callers outside the worker see it: plain data, no BullMQ types. */
export interface JobView {
  id: string;
  name: string;
  queue: QueueName;
  state: JobState | "unknown";
  progress: unknown;
  /** Attempts made so far (finished ones, failed or not). */
  attempts: number;
  result: unknown;
  failedReason: string | null;
  /** Milliseconds since the epoch. */
  timestamps: { createdAt: number; processedAt: number | null; finishedAt: number | null };
}

/** The job's current state, or null when no such job exists (never added, or already removed). */
export async function getJobView(
  queue: QueueName,
  jobId: string,
  context: QueueContext = defaultQueueContext(),
): Promise<JobView | null> {
  const job = await context.queue(queue).getJob(jobId);
  if (!job) return null;
  const state = await job.getState();
  return {
    id: job.id ?? jobId,
    name: job.name,
    queue,
    state,
    progress: job.progress ?? null,
    attempts: job.attemptsMade,
    result: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
    timestamps: {
      createdAt: job.timestamp,
      processedAt: job.processedOn ?? null,
      finishedAt: job.finishedOn ?? null,
    },
  };
}
