// How many jobs wait, run, are delayed or failed in each queue: the Status page's queue depth.
import { activeQueues } from "./catalog";
import { defaultQueueContext, type QueueContext } from "./context";
import type { QueueName } from "./queue-names";

export interface QueueDepth {
  name: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export async function queueDepths(context: QueueContext = defaultQueueContext()): Promise<QueueDepth[]> {
  return Promise.all(
    activeQueues().map(async (name) => {
      const counts = await context.queue(name).getJobCounts("waiting", "active", "delayed", "failed");
      return {
        name,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    }),
  );
}
