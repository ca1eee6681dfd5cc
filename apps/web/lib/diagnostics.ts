import { AppError, TimeoutError, withTimeout } from "@gantry/core";
import { diagnosticsQueue, enqueueDiagnostics, getJobView } from "@gantry/queue";

/** Redis answers in milliseconds; past this the queue is unusable and the caller hears so. */
const queueTimeoutMs = 5000;

/** ioredis's ways of saying the server is gone: the caller gets 503, not a 500. */
function isRedisDown(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    /ECONNREFUSED|Connection is closed|ETIMEDOUT/.test(error.message)
  );
}

async function bounded<T>(work: Promise<T>): Promise<T> {
  try {
    return await withTimeout(work, queueTimeoutMs);
  } catch (error) {
    if (error instanceof TimeoutError || isRedisDown(error)) {
      throw new AppError("unavailable", "The job queue (Redis) is not reachable", { cause: error });
    }
    throw error;
  }
}

export function startDiagnostics(): Promise<{ jobId: string }> {
  return bounded(enqueueDiagnostics());
}

export async function diagnosticsJobView(jobId: string) {
  const view = await bounded(getJobView(diagnosticsQueue, jobId));
  if (!view) throw new AppError("not_found", `No diagnostics job ${jobId}`);
  return view;
}
