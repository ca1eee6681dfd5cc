import { AppError, TimeoutError, withTimeout } from "@gantry/core";

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

/** A call to the job queue, as 503 `unavailable` when Redis does not answer in time. */
export async function bounded<T>(work: Promise<T>, timeoutMs = queueTimeoutMs): Promise<T> {
  try {
    return await withTimeout(work, timeoutMs);
  } catch (error) {
    if (error instanceof TimeoutError || isRedisDown(error)) {
      throw new AppError("unavailable", "The job queue (Redis) is not reachable", { cause: error });
    }
    throw error;
  }
}
