import type { Logger } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import type { JobName, JobResult, jobCatalog, QueueContext } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import type { z } from "zod";

/** The long-lived things a handler may use; built once per worker process. */
export interface WorkerServices {
  runtime: ContainerRuntime;
  queue: QueueContext;
  db: () => PrismaClient;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  workerId: string;
  logger: Logger;
  /** Aborted when the job's timeout passes or the job is cancelled: long work must stop. */
  signal: AbortSignal;
  services: WorkerServices;
  progress(value: number | Record<string, unknown>): Promise<void>;
}

export type JobPayloadOf<N extends JobName> = z.output<(typeof jobCatalog)[N]["payload"]>;

/** One job's work: gets the validated payload, returns what the catalog's result schema allows. */
export type JobHandler<N extends JobName> = (
  payload: JobPayloadOf<N>,
  context: JobContext,
) => Promise<JobResult<N>>;

/** A handler for every job of the catalog; the type makes a missing one a compile error. */
export type HandlerRegistry = { [N in JobName]: JobHandler<N> };
