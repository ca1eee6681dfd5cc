import {
  dailyBackupsJob,
  importJob,
  restoreJob,
  retentionJob,
  runBackupJob,
  verifyBackupJob,
} from "./backups";
import type { HandlerRegistry } from "./handler";
import { runBuild } from "./jobs/build";
import { removeBranch } from "./jobs/build/remove-branch";
import { diagnostics } from "./jobs/diagnostics";
import { probeDelay } from "./jobs/probe-delay";
import { sleepIdleBuilds } from "./jobs/sleep/sweep";
import { wakeBuildJob } from "./jobs/sleep/wake";
import { odooVersionsJob, productionRevisionJob } from "./odoo-versions/jobs";
import { awaitPushJob, runUpgradeJob } from "./upgrades/jobs";

/** Job name -> handler. New jobs (builds, backups) add their file under jobs/ and a line here. */
export const handlers: HandlerRegistry = {
  "backups.daily": dailyBackupsJob,
  "backups.import": importJob,
  "backups.restore": restoreJob,
  "backups.retention": retentionJob,
  "backups.run": runBackupJob,
  "backups.verify": verifyBackupJob,
  "builds.run": runBuild,
  "builds.remove-branch": removeBranch,
  "maintenance.diagnostics": diagnostics,
  "maintenance.odoo-versions": odooVersionsJob,
  "maintenance.production-revision": productionRevisionJob,
  "maintenance.probe-delay": probeDelay,
  "maintenance.sleep-idle-builds": sleepIdleBuilds,
  "maintenance.wake-build": wakeBuildJob,
  "migrations.await-push": awaitPushJob,
  "migrations.run": runUpgradeJob,
};
