import { defaultQueueContext, type QueueContext } from "./context";

export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
}

/** Round-trip time of a PING in milliseconds; throws when Redis does not answer in time. */
export async function pingRedis(
  timeoutMs = 2000,
  context: QueueContext = defaultQueueContext(),
): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RedisUnavailableError(`Redis did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const answer = await Promise.race([context.redis().ping(), deadline]);
    if (answer !== "PONG") throw new RedisUnavailableError(`unexpected answer to PING: ${String(answer)}`);
    return Math.round((performance.now() - started) * 100) / 100;
  } finally {
    clearTimeout(timer);
  }
}
