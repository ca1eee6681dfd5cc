import type { z } from "zod";
import type { QueueName } from "../queue-names";

/** One kind of job: where it runs, what it takes and gives, and how hard to try. */
export interface JobDefinition<Payload extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType> {
  queue: QueueName;
  description: string;
  /** Ids only: the worker loads current state itself, so a retried job never acts on stale data. */
  payload: Payload;
  result: Result;
  attempts: number;
  backoff?: { type: "fixed" | "exponential"; delayMs: number };
  /** The worker aborts the handler and fails the attempt after this long. */
  timeoutMs: number;
}

export function defineJob<Payload extends z.ZodType, Result extends z.ZodType>(
  definition: JobDefinition<Payload, Result>,
): JobDefinition<Payload, Result> {
  return definition;
}
