import { z } from "zod";
import { defineJob } from "./define";

/** The catalog of the `builds` queue: one job per Build row, its id as the job id. */
export const buildJobs = {
  "builds.run": defineJob({
    queue: "builds",
    description:
      "Runs one build from its Build row (fetch code, database, Odoo install/update/tests, serve) " +
      "and reports its status to GitHub.",
    payload: z.object({ buildId: z.string().min(1).max(100) }).strict(),
    result: z.object({ status: z.string() }).passthrough(),
    // A failed phase is a result stored on the build, not a job failure; retries cover crashes.
    attempts: 2,
    backoff: { type: "exponential", delayMs: 10_000 },
    timeoutMs: 60 * 60 * 1000,
  }),
  "builds.remove-branch": defineJob({
    queue: "builds",
    description:
      "Removes what a branch deleted on GitHub still holds: its builds' containers, databases, " +
      "roles, routes and work trees (logs stay). Waits for the branch's running build to stop.",
    payload: z.object({ branchId: z.string().min(1).max(100) }).strict(),
    result: z.object({ status: z.string(), removed: z.array(z.string()).optional() }).strict(),
    attempts: 3,
    backoff: { type: "exponential", delayMs: 5_000 },
    timeoutMs: 30 * 60 * 1000,
  }),
  "builds.close-preview": defineJob({
    queue: "builds",
    description:
      "Tears down a closed pull request's preview: once its branch's running build has stopped, " +
      "removes its builds' containers, databases, roles, routes and work trees (logs stay) and " +
      "marks its GitHub deployments inactive.",
    payload: z.object({ previewId: z.string().min(1).max(100) }).strict(),
    result: z.object({ status: z.string(), removed: z.array(z.string()).optional() }).strict(),
    attempts: 3,
    backoff: { type: "exponential", delayMs: 5_000 },
    timeoutMs: 30 * 60 * 1000,
  }),
  "builds.delete-project": defineJob({
    queue: "builds",
    description:
      "Tears down a project whose deletion an Admin asked for: cancels its queued builds, waits for " +
      "its running ones, keeps its last production backup in backup storage (when asked), removes " +
      "its containers, databases, roles, work trees, filestores, routes and backups, then its rows.",
    payload: z.object({ projectId: z.string().min(1).max(100) }).strict(),
    result: z
      .object({
        status: z.string(),
        removedContainers: z.array(z.string()).optional(),
        droppedDatabases: z.array(z.string()).optional(),
        keptBackup: z.string().nullable().optional(),
      })
      .strict(),
    // Every step is idempotent: a retry after a crash finishes what the first attempt began.
    attempts: 3,
    backoff: { type: "exponential", delayMs: 10_000 },
    timeoutMs: 60 * 60 * 1000,
  }),
} as const;

/** One teardown per project: asking twice while it runs adds nothing. */
export function projectDeletionJobId(projectId: string): string {
  return `delete-project-${projectId}`;
}

/** One removal per deletion: a branch deleted again later gets a new job. */
export function branchRemovalJobId(branchId: string, deletedAt: Date): string {
  return `remove-branch-${branchId}-${deletedAt.getTime()}`;
}

/** One teardown per closing of a pull request: closed again after a reopen, a new job. */
export function previewCloseJobId(previewId: string, closedAt: Date): string {
  return `close-preview-${previewId}-${closedAt.getTime()}`;
}

/** The job id of a build: stable, so enqueueing the same build twice adds one job. */
export function buildJobId(buildId: string): string {
  return `build-${buildId}`;
}
