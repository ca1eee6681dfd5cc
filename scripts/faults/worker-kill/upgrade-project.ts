// The upgrade trials' own project: a production upgrade moves production to the next series,
// so each trial gets a fresh project (the acme16 fixture's 17.0 code serving production, a
// staging branch on its 18.0 code), deleted through Gantry's own project deletion once the
// trial's checks are done. A rehearsal needs a verified production backup; a production upgrade
// needs a successful rehearsal (the gate only: its row), as the use-cases ask.
import { join } from "node:path";
import { shaOf, waitFor } from "../../../tests/integration/builds/support";
import { type StartedJob, startBackup, startBuild, type UpgradeKind } from "./jobs";
import { type FaultPlatform, type FaultProject, runToEnd } from "./platform";

export const FROM_SERIES = "17.0";
export const TO_SERIES = "18.0";
const REPO = "acme16.git";

export interface UpgradeProject extends FaultProject {
  branches: { production: string; staging: string };
}

let made = 0;

export async function createUpgradeProject(
  platform: FaultPlatform,
  kind: UpgradeKind,
): Promise<UpgradeProject> {
  const { prisma } = await import("@gantry/db");
  made += 1;
  const slug = `faults-upg-${platform.env.prefix}-${made}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const repo = join(platform.env.repos, REPO);
  const project = await prisma().project.create({
    data: {
      slug,
      name: slug,
      githubOwner: "acme",
      githubRepo: slug,
      odooSeries: FROM_SERIES,
      gitUrl: repo,
    },
  });
  const next = await shaOf(repo, TO_SERIES);
  // Both branches' last commit is the 18.0 code: what a rehearsal and the upgrade check out.
  const production = await prisma().branch.create({
    data: { projectId: project.id, name: "main", stage: "PRODUCTION", lastSeenSha: next },
  });
  const staging = await prisma().branch.create({
    data: { projectId: project.id, name: "staging", stage: "STAGING", lastSeenSha: next },
  });
  const subject: UpgradeProject = {
    projectId: project.id,
    branches: { production: production.id, staging: staging.id },
  };
  const served = await runToEnd(
    platform,
    await startBuild(platform, production.id, "PRODUCTION", FROM_SERIES, {
      projectId: project.id,
      repo: REPO,
    }),
  );
  if (!served.outcome.startsWith("DONE SUCCESS"))
    throw new Error(`the upgrade project's production did not build: ${served.outcome}`);
  if (kind === "upgrade rehearsal") await verifiedBackup(platform, subject);
  else
    await prisma().upgradeAttempt.create({
      data: {
        projectId: project.id,
        branchId: staging.id,
        kind: "REHEARSAL",
        status: "SUCCEEDED",
        fromSeries: FROM_SERIES,
        toSeries: TO_SERIES,
        finishedAt: new Date(),
      },
    });
  return subject;
}

/** A backup of production, taken and verified by the worker (a rehearsal restores it). */
async function verifiedBackup(platform: FaultPlatform, subject: UpgradeProject): Promise<string> {
  const { prisma } = await import("@gantry/db");
  const started = await startBackup(platform, subject);
  const state = await runToEnd(platform, started);
  if (!state.outcome.startsWith("DONE"))
    throw new Error(`the upgrade project's backup failed: ${state.outcome}`);
  await waitFor(
    "the backup's verification",
    async () => {
      const row = await prisma().backup.findUniqueOrThrow({ where: { id: started.id } });
      if (row.verifyStatus === "FAILED") throw new Error(`the backup did not verify: ${row.verifyMessage}`);
      return row.verifyStatus === "VERIFIED" ? true : undefined;
    },
    300_000,
  );
  return started.id;
}

/** The attempt queued as the use-cases queue it (a production upgrade "at" now). */
export async function startUpgrade(
  platform: FaultPlatform,
  subject: UpgradeProject,
  kind: UpgradeKind,
): Promise<StartedJob> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../../packages/queue/src/index");
  const rehearsal = kind === "upgrade rehearsal";
  const backup = rehearsal
    ? await prisma().backup.findFirstOrThrow({
        where: { projectId: subject.projectId, verifyStatus: "VERIFIED" },
        orderBy: { createdAt: "desc" },
      })
    : null;
  const row = await prisma().upgradeAttempt.create({
    data: {
      projectId: subject.projectId,
      branchId: rehearsal ? subject.branches.staging : subject.branches.production,
      kind: rehearsal ? "REHEARSAL" : "PRODUCTION",
      status: rehearsal ? "QUEUED" : "SCHEDULED",
      fromSeries: FROM_SERIES,
      toSeries: TO_SERIES,
      backupId: backup?.id ?? null,
      scheduledFor: rehearsal ? null : new Date(),
    },
  });
  await queue.enqueue(
    "migrations.run",
    { attemptId: row.id },
    { jobId: queue.upgradeJobId(row.id) },
    platform.producer,
  );
  return {
    kind,
    id: row.id,
    async read() {
      const now = await prisma().upgradeAttempt.findUniqueOrThrow({ where: { id: row.id } });
      return {
        ended: now.status === "SUCCEEDED" || now.status === "FAILED" || now.status === "CANCELLED",
        workerId: now.workerId,
        // The step the kill cut, for the notes: where in the attempt the trial landed.
        outcome:
          `${now.status}${now.reverted ? " (reverted)" : ""}${now.failedStep ? ` in "${now.failedStep}"` : ""} ${now.error?.split("\n")[0] ?? ""}`.trim(),
      };
    },
  };
}

/** Deleted as a person deletes a project (the worker's teardown job), its last backup not kept. */
export async function deleteUpgradeProject(platform: FaultPlatform, subject: FaultProject): Promise<void> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../../packages/queue/src/index");
  await prisma().project.update({
    where: { id: subject.projectId },
    data: { deletionRequestedAt: new Date(), keepLastBackupOnDeletion: false },
  });
  await queue.enqueue(
    "builds.delete-project",
    { projectId: subject.projectId },
    { jobId: queue.projectDeletionJobId(subject.projectId) },
    platform.producer,
  );
  await waitFor(
    "the upgrade project's deletion",
    async () =>
      (await prisma().project.count({ where: { id: subject.projectId } })) === 0 ? true : undefined,
    300_000,
  );
}
