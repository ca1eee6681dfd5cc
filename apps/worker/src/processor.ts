import type { Logger } from "@gantry/core";
import { isDatabaseUnavailable, prisma } from "@gantry/db";
import { isJobName, type JobDefinition, jobCatalog, type QueueName } from "@gantry/queue";
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import type { HandlerRegistry, JobContext, JobHandler, WorkerServices } from "./handler";

export class JobTimeoutError extends Error {
  override readonly name = "JobTimeoutError";
  constructor(readonly ms: number) {
    super(`job timed out after ${ms} ms`);
  }
}

interface ProcessorDeps {
  queue: QueueName;
  workerId: string;
  handlers: HandlerRegistry;
  services: WorkerServices;
  logger: Logger;
}

/**
 * Runs the handler until it settles or the timeout passes. On timeout the handler's signal is
 * aborted (so it can stop its work) and the attempt fails at once.
 */
async function withJobTimeout<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new JobTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/**
 * How long a job that met Gantry's database out of reach waits before it runs again. Such a
 * job is put back (delayed, not failed) without using one of its attempts: a PostgreSQL
 * restart must lose no job, and most jobs have one attempt only.
 */
export const DATABASE_RETRY_MS = 5000;

/** Whether Gantry's own database answers a trivial query within a few seconds. */
async function databaseAnswers(): Promise<boolean> {
  try {
    await Promise.race([
      prisma().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** The BullMQ processor of one queue: checks the job against the catalog, then runs its handler. */
export function createProcessor(deps: ProcessorDeps) {
  return async (job: Job, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const logger = deps.logger.child({
      queue: deps.queue,
      jobId: job.id,
      job: job.name,
      attempt: job.attemptsMade + 1,
    });
    // A job the catalog does not know, or with a payload that does not match it, will never
    // succeed: fail it without retries and say why.
    if (!isJobName(job.name) || jobCatalog[job.name].queue !== deps.queue) {
      throw new UnrecoverableError(`unknown job "${job.name}" on queue "${deps.queue}"`);
    }
    const definition: JobDefinition = jobCatalog[job.name];
    const parsed = definition.payload.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`invalid payload for ${job.name}: ${z.prettifyError(parsed.error)}`);
    }
    const handler = deps.handlers[job.name] as JobHandler<typeof job.name>;
    const started = performance.now();
    logger.info("job started");
    try {
      const result = await withJobTimeout(definition.timeoutMs, signal, (jobSignal) => {
        const context: JobContext = {
          jobId: job.id ?? "",
          attempt: job.attemptsMade + 1,
          workerId: deps.workerId,
          logger,
          signal: jobSignal,
          services: deps.services,
          progress: (value) => job.updateProgress(value),
        };
        return handler(parsed.data as never, context);
      });
      const checked = definition.result.safeParse(result);
      if (!checked.success) {
        throw new Error(`result of ${job.name} does not match its schema: ${z.prettifyError(checked.error)}`);
      }
      logger.info({ durationMs: Math.round(performance.now() - started) }, "job completed");
      return checked.data;
    } catch (error) {
      // The error looks like it (a connection refused or cut); Gantry's own database not
      // answering now says it is: the same shapes come from build clusters, Docker or Caddy,
      // whose failures are the job's own and must not put it back forever.
      if (token && isDatabaseUnavailable(error) && !signal?.aborted && !(await databaseAnswers())) {
        logger.warn(
          { err: error, retryInMs: DATABASE_RETRY_MS },
          "Gantry's database is unavailable: job put back",
        );
        await job.moveToDelayed(Date.now() + DATABASE_RETRY_MS, token);
        throw new DelayedError();
      }
      logger.error({ err: error, durationMs: Math.round(performance.now() - started) }, "job failed");
      throw error;
    }
  };
}
