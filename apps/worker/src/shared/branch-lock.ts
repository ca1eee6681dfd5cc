// Never two builds on one branch at once: a Redis lock keyed by branch, held with a TTL that
// the holder keeps renewing, so a killed worker's lock expires by itself.
import { randomBytes } from "node:crypto";
import type { QueueContext } from "@gantry/queue";

const TTL_MS = 30_000;
const RENEW_MS = 10_000;
const POLL_MS = 500;

export interface HeldLock {
  release(): Promise<void>;
}

const RENEW_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export function branchLockKey(queue: QueueContext, branchId: string): string {
  return `${queue.prefix}:lock:branch:${branchId}`;
}

/**
 * Waits until the branch is free (or the signal aborts), then holds it until released. With
 * `inTurn`, a free branch is only taken once `inTurn` says so (see branch-turn.ts).
 */
export async function acquireBranchLock(
  queue: QueueContext,
  branchId: string,
  signal: AbortSignal,
  onWait?: () => void,
  inTurn?: () => Promise<boolean>,
): Promise<HeldLock> {
  const redis = queue.redis();
  const key = branchLockKey(queue, branchId);
  const token = randomBytes(12).toString("hex");
  let waited = false;
  for (;;) {
    signal.throwIfAborted();
    if ((await redis.set(key, token, "PX", TTL_MS, "NX")) === "OK") {
      if (!inTurn || (await inTurn().catch(() => true))) break;
      await redis.eval(RELEASE_SCRIPT, 1, key, token).catch(() => {});
    }
    if (!waited) onWait?.();
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const timer = setInterval(() => {
    void redis.eval(RENEW_SCRIPT, 1, key, token, String(TTL_MS)).catch(() => {});
  }, RENEW_MS);
  return {
    release: async () => {
      clearInterval(timer);
      await redis.eval(RELEASE_SCRIPT, 1, key, token).catch(() => {});
    },
  };
}
