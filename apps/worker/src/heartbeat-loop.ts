import type { Logger } from "@gantry/core";
import { type HeartbeatInfo, type QueueContext, removeHeartbeat, writeHeartbeat } from "@gantry/queue";

export interface HeartbeatLoop {
  /** Settles once the first beat was written (or failed): the worker is visible from then on. */
  first: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Writes the worker's heartbeat now and every `intervalMs`, with what `info` says at that moment
 * (the engine report changes). A failed write (Redis restarting) is logged once per outage and
 * retried at the next beat.
 */
export function startHeartbeat(
  workerId: string,
  info: () => Promise<HeartbeatInfo>,
  intervalMs: number,
  queue: QueueContext,
  logger: Logger,
): HeartbeatLoop {
  let failing = false;
  let pending: Promise<void> = Promise.resolve();
  let busy = false;
  const beat = () => {
    // A slow engine probe must not stack beats up behind it.
    if (busy) return;
    busy = true;
    pending = info()
      .then((current) => writeHeartbeat(workerId, current, intervalMs * 3, queue))
      .then(
        () => {
          if (failing) logger.info("heartbeat restored");
          failing = false;
        },
        (error: unknown) => {
          if (!failing) logger.warn({ err: error }, "heartbeat write failed; retrying");
          failing = true;
        },
      )
      .finally(() => {
        busy = false;
      });
  };
  beat();
  const first = pending;
  const timer = setInterval(beat, intervalMs);
  return {
    first,
    async stop() {
      clearInterval(timer);
      await pending;
      await removeHeartbeat(workerId, queue).catch((error: unknown) => {
        logger.warn({ err: error }, "could not remove heartbeat; it expires by itself");
      });
    },
  };
}
