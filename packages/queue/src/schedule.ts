// Repeated jobs as BullMQ job schedulers: one scheduler id per schedule, upserted at every
// worker start, so restarts and several workers keep exactly one schedule (a changed setting
// replaces it). The payload and attempts come from the job catalog, like any enqueued job.
import type { JobSchedulerTemplateOptions } from "bullmq";
import { type JobName, type JobPayload, jobCatalog } from "./catalog";
import { defaultQueueContext, type QueueContext } from "./context";

/** Every `every` milliseconds (the first run at once), or at a cron pattern. */
export type Repeat = { every: number } | { pattern: string; tz?: string };

export interface ScheduleOptions<N extends JobName> {
  payload?: JobPayload<N>;
  /** How many finished runs stay readable. */
  keep?: number;
}

/** Upserts the schedule of `name` under `schedulerId`; a null repeat (turned off) removes it. */
export async function scheduleJob<N extends JobName>(
  name: N,
  schedulerId: string,
  repeat: Repeat | null,
  options: ScheduleOptions<N> = {},
  context: QueueContext = defaultQueueContext(),
): Promise<void> {
  const definition = jobCatalog[name];
  const queue = context.queue(definition.queue);
  if (repeat === null) {
    await queue.removeJobScheduler(schedulerId);
    return;
  }
  const keep = options.keep ?? 100;
  const opts: JobSchedulerTemplateOptions = {
    attempts: definition.attempts,
    removeOnComplete: { count: keep },
    removeOnFail: { count: keep },
  };
  await queue.upsertJobScheduler(schedulerId, repeat, {
    name,
    data: definition.payload.parse(options.payload ?? {}),
    opts,
  });
}
