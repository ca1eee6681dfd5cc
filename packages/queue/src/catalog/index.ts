import type { z } from "zod";
import type { QueueName } from "../queue-names";
import { backupJobs } from "./backups";
import { buildJobs } from "./builds";
import type { JobDefinition } from "./define";
import { maintenanceJobs } from "./maintenance";
import { migrationJobs } from "./migrations";
import { nodeJobs } from "./nodes";
import { notificationJobs } from "./notifications";

export {
  backupJobId,
  backupJobs,
  backupVerifyJobId,
  dailyBackupSchedulerId,
  restoreJobId,
  retentionJobId,
} from "./backups";
export { branchRemovalJobId, buildJobId, buildJobs, previewCloseJobId, projectDeletionJobId } from "./builds";
export { defineJob, type JobDefinition } from "./define";
export {
  type DiagnosticsResult,
  diagnosticsResult,
  maintenanceJobs,
  maxProbeDelayMs,
  productionRevisionJobId,
  wakeBuildJobId,
} from "./maintenance";
export { awaitPushJobId, migrationJobs, upgradeJobId } from "./migrations";
export {
  type NodeAvailabilityResult,
  type NodesResult,
  nodeAvailabilityResult,
  nodeJobs,
  nodesResult,
  type RuntimeNodeView,
  runtimeNode,
} from "./nodes";
export { notificationJobId, notificationJobs } from "./notifications";

/**
 * Every job Gantry knows, by name (`<queue>.<job>`). Later queues add their catalogs here:
 * `...buildJobs`, `...backupJobs`.
 */
export const jobCatalog = {
  ...maintenanceJobs,
  ...nodeJobs,
  ...buildJobs,
  ...backupJobs,
  ...migrationJobs,
  ...notificationJobs,
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.input<(typeof jobCatalog)[N]["payload"]>;
export type JobResult<N extends JobName> = z.output<(typeof jobCatalog)[N]["result"]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobCatalog, name);
}

export function jobDefinition(name: JobName): JobDefinition {
  return jobCatalog[name];
}

/** The job names that run on a queue. */
export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(jobCatalog) as JobName[]).filter((name) => jobCatalog[name].queue === queue);
}

/** The queues that have at least one job: the ones a worker needs to listen on. */
export function activeQueues(): QueueName[] {
  return [...new Set(Object.values(jobCatalog).map((job) => job.queue))];
}
