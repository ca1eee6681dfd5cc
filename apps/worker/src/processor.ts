import type { Logger } from "@gantry/core";
import { isJobName, type JobDefinition, jobCatalog, type QueueName } from "@gantry/queue";
import { type Job, UnrecoverableError } from "bullmq";
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

/** The BullMQ processor of one queue: checks the job against the catalog, then runs its handler. */
export function createProcessor(deps: ProcessorDeps) {
  return async (job: Job, _token?: string, signal?: AbortSignal): Promise<unknown> => {
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
      logger.error({ err: error, durationMs: Math.round(performance.now() - started) }, "job failed");
      throw error;
    }
  };
}
