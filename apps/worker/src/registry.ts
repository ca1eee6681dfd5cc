import {
  dailyBackupsJob,
  importJob,
  restoreJob,
  retentionJob,
  runBackupJob,
  verifyBackupJob,
} from "./backups";
import { runBuild } from "./builds";
import { deployGatesJob } from "./builds/deploy-gates";
import { removeBranch } from "./builds/remove-branch";
import { recheckDomainsJob } from "./domains/recheck";
import { updateModuleJob } from "./editor/update-module";
import { scanErrorLogsJob } from "./errors/job";
import type { HandlerRegistry } from "./handler";
import { diagnostics } from "./maintenance/diagnostics";
import { listNodesJob, nodeAvailabilityJob } from "./maintenance/nodes";
import { probeDelay } from "./maintenance/probe-delay";
import { collectMetricsJob } from "./monitor/collect";
import { metricsRollupJob } from "./monitor/rollup";
import { deliverNotificationJob } from "./notifications/deliver";
import { odooVersionsJob, productionRevisionJob } from "./odoo-versions/jobs";
import { closePreviewJob } from "./previews/close";
import { deleteProjectJob } from "./projects/teardown";
import { gantryBackupJob } from "./self-backup/job";
import { sleepIdleBuilds } from "./sleep/sweep";
import { wakeBuildJob } from "./sleep/wake";
import { awaitPushJob, runUpgradeJob } from "./upgrades/jobs";
import { probeProductionJob } from "./uptime/probe";

/** Job name -> handler. New jobs (builds, backups) add their handler in the folder named for what the user sees (builds/, backups/, upgrades/, sleep/, monitor/, uptime/, maintenance/) and a line here. */
export const handlers: HandlerRegistry = {
  "backups.daily": dailyBackupsJob,
  "backups.import": importJob,
  "backups.restore": restoreJob,
  "backups.retention": retentionJob,
  "backups.run": runBackupJob,
  "backups.verify": verifyBackupJob,
  "builds.run": runBuild,
  "builds.remove-branch": removeBranch,
  "builds.close-preview": closePreviewJob,
  "builds.delete-project": deleteProjectJob,
  "maintenance.collect-metrics": collectMetricsJob,
  "maintenance.deploy-gates": deployGatesJob,
  "maintenance.diagnostics": diagnostics,
  "maintenance.gantry-backup": gantryBackupJob,
  "maintenance.metrics-rollup": metricsRollupJob,
  "maintenance.node-availability": nodeAvailabilityJob,
  "maintenance.nodes": listNodesJob,
  "maintenance.odoo-versions": odooVersionsJob,
  "maintenance.production-revision": productionRevisionJob,
  "maintenance.probe-delay": probeDelay,
  "maintenance.scan-error-logs": scanErrorLogsJob,
  "maintenance.probe-production": probeProductionJob,
  "maintenance.recheck-domains": recheckDomainsJob,
  "maintenance.sleep-idle-builds": sleepIdleBuilds,
  "maintenance.update-module": updateModuleJob,
  "maintenance.wake-build": wakeBuildJob,
  "migrations.await-push": awaitPushJob,
  "migrations.run": runUpgradeJob,
  "notifications.deliver": deliverNotificationJob,
};
