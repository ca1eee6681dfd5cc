import { randomBytes } from "node:crypto";
import { config } from "@gantry/config";
import {
  createQueueContext,
  getJobView,
  type JobView,
  type QueueContext,
  type QueueName,
} from "@gantry/queue";
import { afterEach, beforeEach } from "vitest";

/** Each test gets its own key prefix, so suites never see each other's jobs. */
export function randomPrefix(): string {
  return `test-${randomBytes(5).toString("hex")}`;
}

export function testQueueContext(prefix: string, redisUrl = config().REDIS_URL): QueueContext {
  return createQueueContext({ redisUrl, prefix });
}

/** Polls until `probe` returns something other than undefined, or fails after the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function waitForState(
  context: QueueContext,
  queue: QueueName,
  jobId: string,
  states: JobView["state"][],
  deadlineMs?: number,
): Promise<JobView> {
  return waitFor(
    `job ${jobId} to be ${states.join(" or ")}`,
    async () => {
      const view = await getJobView(queue, jobId, context);
      return view && states.includes(view.state) ? view : undefined;
    },
    deadlineMs,
  );
}

/** Deletes every key of a test prefix. */
export async function dropPrefix(context: QueueContext): Promise<void> {
  const redis = context.redis();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${context.prefix}:*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}

/** A fresh queue context (own key prefix) for each test of the file, its keys dropped after. */
export function perTestQueueContext(): () => QueueContext {
  let context: QueueContext | undefined;
  beforeEach(() => {
    context = testQueueContext(randomPrefix());
  });
  afterEach(async () => {
    if (!context) return;
    await dropPrefix(context);
    await context.close();
  });
  return () => {
    if (!context) throw new Error("the queue context exists only inside a test");
    return context;
  };
}
