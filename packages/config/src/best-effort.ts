import { createLogger, type Logger } from "./logger";

let fallback: Logger | undefined;

/** Context for the warning: a logger carrying job/build ids, or extra fields to log. */
export interface BestEffortOptions {
  logger?: Logger;
  fields?: Record<string, unknown>;
}

/**
 * Runs cleanup whose failure must not replace the error or result being handled (removing a
 * container after a failed build, dropping a scratch database). A failure is logged at warn
 * level with `what` was being cleaned, never dropped silently; the result is the work's value,
 * or undefined when it failed.
 */
export async function bestEffort<T>(
  what: string,
  work: Promise<T> | (() => Promise<T> | T),
  options: BestEffortOptions = {},
): Promise<T | undefined> {
  try {
    return await (typeof work === "function" ? work() : work);
  } catch (error) {
    fallback ??= createLogger("cleanup");
    (options.logger ?? fallback).warn(
      { ...options.fields, cleanup: what, err: error },
      `${what} failed; carrying on`,
    );
    return undefined;
  }
}
