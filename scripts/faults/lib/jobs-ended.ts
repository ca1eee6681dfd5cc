// Whether jobs given by id all completed: waits until each has ended (completed, failed or gone)
// and names those that did not complete, the jobs a fault lost.
import type { QueueContext } from "../../../packages/queue/src/index";
import { waitFor } from "../../../tests/integration/builds/support";

export async function lostJobs(
  queue: ReturnType<QueueContext["queue"]>,
  ids: string[],
  deadlineMs: number,
): Promise<string[]> {
  const states = () => Promise.all(ids.map(async (id) => (await queue.getJob(id))?.getState() ?? "missing"));
  const ended = await waitFor(
    "every job to end",
    async () => {
      const now = await states();
      return now.every((s) => s === "completed" || s === "failed" || s === "missing") ? now : undefined;
    },
    deadlineMs,
  ).catch(states);
  return ids.map((id, i) => `${id}: ${ended[i]}`).filter((line) => !line.endsWith(": completed"));
}
