import { setTimeout as sleep } from "node:timers/promises";
import type { JobHandler } from "../handler";

/** Holds a worker slot for the given time; stops early when the job is aborted. */
export const probeDelay: JobHandler<"maintenance.probe-delay"> = async (payload, context) => {
  const started = performance.now();
  await sleep(payload.ms, undefined, { signal: context.signal });
  return { sleptMs: Math.round(performance.now() - started) };
};
