import { type Actor, AppError, assertCan, TimeoutError, withTimeout } from "@gantry/core";
import { diagnosticsQueue, enqueueDiagnostics, getJobView } from "@gantry/queue";

/** Redis answers in milliseconds; past this the queue is unusable and the caller hears so. */
const queueTimeoutMs = 5000;

const diagnosticsJobName = "maintenance.diagnostics";

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

/** The diagnosis shows the whole platform (servers, paths, versions): administrators only. */
export function startDiagnostics(actor: Actor): Promise<{ jobId: string }> {
  assertCan(actor, "system.diagnose");
  return bounded(enqueueDiagnostics());
}

/** Only diagnostics jobs are shown: the maintenance queue also holds other jobs. */
export async function diagnosticsJobView(actor: Actor, jobId: string) {
  assertCan(actor, "system.diagnose");
  const view = await bounded(getJobView(diagnosticsQueue, jobId));
  if (!view || view.name !== diagnosticsJobName)
    throw new AppError("not_found", `No diagnostics job ${jobId}`);
  return view;
}
