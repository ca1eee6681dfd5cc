import { AppError, TimeoutError, withTimeout } from "@gantry/core";
import { diagnosticsQueue, enqueueDiagnostics, getJobView } from "@gantry/queue";

/** Redis answers in milliseconds; past this the queue is unusable and the caller hears so. */
const queueTimeoutMs = 5000;

async function bounded<T>(work: Promise<T>): Promise<T> {
  try {
    return await withTimeout(work, queueTimeoutMs);
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new AppError("unavailable", "The job queue (Redis) did not answer in time", { cause: error });
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
