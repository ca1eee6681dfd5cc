import { z } from "zod";
import { defineJob } from "./define";

/** The catalog of the `migrations` queue: upgrades of a branch to a newer Odoo series. */
export const migrationJobs = {
  "migrations.run": defineJob({
    queue: "migrations",
    description:
      "Runs one UpgradeAttempt: a rehearsal on a staging branch (latest verified production backup " +
      "restored and upgraded) or the production upgrade (backup, stop, scripts, -u all, verify, " +
      "revert on failure).",
    payload: z.object({ attemptId: z.string().min(1).max(100) }).strict(),
    result: z.object({ status: z.string() }).passthrough(),
    // Never retried blindly: a crashed attempt is marked failed (and production reverted) by
    // the worker that finds it, and an Admin starts a new one.
    attempts: 1,
    timeoutMs: 4 * 60 * 60 * 1000,
  }),
  "migrations.await-push": defineJob({
    queue: "migrations",
    description:
      "Watches a production branch whose upgrade waits for the next push: once the branch's " +
      "last seen commit changes, queues the attempt; otherwise looks again a little later.",
    payload: z.object({ attemptId: z.string().min(1).max(100) }).strict(),
    result: z.object({ status: z.string() }).passthrough(),
    attempts: 3,
    backoff: { type: "fixed", delayMs: 30_000 },
    timeoutMs: 60_000,
  }),
} as const;

/** The job id of an attempt's run: stable, so queueing it twice adds one job. */
export function upgradeJobId(attemptId: string): string {
  return `upgrade-${attemptId}`;
}

/** One id per look, so each look is a new delayed job. */
export function awaitPushJobId(attemptId: string, look: number): string {
  return `upgrade-await-${attemptId}-${look}`;
}
