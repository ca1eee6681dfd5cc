// A job someone waits for: enqueued, then watched until a worker answers or the wait ends. A job
// no worker took by then is removed, so that a change asked for (a drain) never happens later
// behind the back of the person who gave up waiting.
import { type JobName, type JobPayload, type JobResult, jobCatalog } from "./catalog";
import { defaultQueueContext, type QueueContext } from "./context";
import { enqueue } from "./enqueue";
import { getJobView } from "./job-view";

export type Answer<N extends JobName> =
  | { state: "completed"; result: JobResult<N> }
  | { state: "failed"; reason: string }
  /** `started`: a worker had taken the job (it may still finish); otherwise it was withdrawn. */
  | { state: "unanswered"; started: boolean };

const pollMs = 150;

export async function askWorker<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  waitMs: number,
  context: QueueContext = defaultQueueContext(),
): Promise<Answer<N>> {
  const { jobId } = await enqueue(name, payload, {}, context);
  const queue = jobCatalog[name].queue;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const view = await getJobView(queue, jobId, context);
    if (view?.state === "completed") {
      return { state: "completed", result: jobCatalog[name].result.parse(view.result) as JobResult<N> };
    }
    if (view?.state === "failed") return { state: "failed", reason: view.failedReason ?? "the job failed" };
    if (Date.now() > deadline) {
      if (view?.state === "active") return { state: "unanswered", started: true };
      // Removing a job a worker has just locked fails: it then counts as started.
      const withdrawn = await context
        .queue(queue)
        .remove(jobId)
        .then((removed) => removed === 1)
        .catch(() => false);
      return { state: "unanswered", started: !withdrawn };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
