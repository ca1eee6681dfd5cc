// A named lock in Redis, held with a TTL that the holder keeps renewing, so a killed process's
// lock expires by itself. Used where two jobs must not act on the same thing at once: never two
// jobs on one branch's database (builds, backups, upgrades: `branchLockName`), one template
// built once, one build woken or put to sleep at a time.
import { randomBytes } from "node:crypto";
import { bestEffort } from "@gantry/config";
import type { QueueContext } from "./context";

const TTL_MS = 30_000;
const RENEW_MS = 10_000;
const POLL_MS = 250;

const RENEW_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export interface HeldLock {
  release(): Promise<void>;
}

export interface WaitLockOptions {
  /** Called once, the first time the lock is found taken (or not yet this caller's turn). */
  onWait?: () => void;
  /** A free lock is only taken once this says so (e.g. older builds of the branch go first). */
  inTurn?: () => Promise<boolean>;
}

export function lockKey(context: QueueContext, name: string): string {
  return `${context.prefix}:lock:${name}`;
}

/** The lock that serializes every job acting on one branch's database. */
export function branchLockName(branchId: string): string {
  return `branch:${branchId}`;
}

function hold(context: QueueContext, key: string, token: string): HeldLock {
  const redis = context.redis();
  const timer = setInterval(() => {
    // A missed renewal is retried at the next tick; the TTL leaves room for two misses.
    void bestEffort(`renewing lock ${key}`, redis.eval(RENEW_SCRIPT, 1, key, token, String(TTL_MS)));
  }, RENEW_MS);
  return {
    release: async () => {
      clearInterval(timer);
      // An unreleased lock expires by itself after its TTL.
      await bestEffort(`releasing lock ${key}`, redis.eval(RELEASE_SCRIPT, 1, key, token));
    },
  };
}

/** The lock if it is free now, else null: for work that can simply be done next time. */
export async function tryLock(context: QueueContext, name: string): Promise<HeldLock | null> {
  const key = lockKey(context, name);
  const token = randomBytes(12).toString("hex");
  if ((await context.redis().set(key, token, "PX", TTL_MS, "NX")) !== "OK") return null;
  return hold(context, key, token);
}

/** Waits until the lock is free (or the signal aborts), then holds it until released. */
export async function waitLock(
  context: QueueContext,
  name: string,
  signal: AbortSignal,
  options: WaitLockOptions = {},
): Promise<HeldLock> {
  let waited = false;
  for (;;) {
    signal.throwIfAborted();
    const lock = await tryLock(context, name);
    if (lock) {
      // When the turn cannot be checked, taking the free lock beats waiting on it forever.
      if (!options.inTurn || ((await bestEffort("checking whose turn it is", options.inTurn)) ?? true))
        return lock;
      await lock.release();
    }
    if (!waited) options.onWait?.();
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
