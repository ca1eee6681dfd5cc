import type { Logger } from "@gantry/core";
import { type HeartbeatInfo, type QueueContext, removeHeartbeat, writeHeartbeat } from "@gantry/queue";

export interface HeartbeatLoop {
  stop(): Promise<void>;
}

/**
 * Writes the worker's heartbeat now and every `intervalMs`. A failed write (Redis restarting)
 * is logged once per outage and retried at the next beat.
 */
export function startHeartbeat(
  workerId: string,
  info: HeartbeatInfo,
  intervalMs: number,
  queue: QueueContext,
  logger: Logger,
): HeartbeatLoop {
  let failing = false;
  let pending: Promise<void> = Promise.resolve();
  const beat = () => {
    pending = writeHeartbeat(workerId, info, intervalMs * 3, queue).then(
      () => {
        if (failing) logger.info("heartbeat restored");
        failing = false;
      },
      (error: unknown) => {
        if (!failing) logger.warn({ err: error }, "heartbeat write failed; retrying");
        failing = true;
      },
    );
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      await removeHeartbeat(workerId, queue).catch((error: unknown) => {
        logger.warn({ err: error }, "could not remove heartbeat; it expires by itself");
      });
    },
  };
}
