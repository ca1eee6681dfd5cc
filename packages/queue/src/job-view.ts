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
  /** How many times a worker has started the job (a retry or a stall recovery adds one). */
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
  const found = await context.queue(queue).getJob(jobId);
  if (!found) return null;
  const state = await found.getState();
  // The worker finishes a job by moving it to its new set and then writing the result, so the
  // fields are read again after the state: a "failed" or "completed" view then has them.
  const job = (await context.queue(queue).getJob(jobId)) ?? found;
  return {
    id: job.id ?? jobId,
    name: job.name,
    queue,
    state,
    progress: job.progress ?? null,
    attempts: job.attemptsStarted ?? job.attemptsMade,
    result: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
    timestamps: {
      createdAt: job.timestamp,
      processedAt: job.processedOn ?? null,
      finishedAt: job.finishedOn ?? null,
    },
  };
}
