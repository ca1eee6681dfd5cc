// The jobs a worker can be killed in, started as the platform starts them (a row, then its job
// on the queue), and read back as one shape: where the job is and which worker holds it.
import { randomBytes } from "node:crypto";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { shaOf } from "../../../tests/integration/builds/support";
import type { FaultPlatform, FaultProject } from "./platform";

export const UPGRADE_KINDS = ["upgrade rehearsal", "production upgrade"] as const;
export const JOB_KINDS = [
  "development build",
  "staging build",
  "production build",
  "backup",
  "restore",
  "import",
  ...UPGRADE_KINDS,
] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type UpgradeKind = (typeof UPGRADE_KINDS)[number];

export function isUpgradeKind(kind: JobKind): kind is UpgradeKind {
  return (UPGRADE_KINDS as readonly string[]).includes(kind);
}

export interface JobState {
  ended: boolean;
  workerId: string | null;
  /** How it ended, for the notes: a build's result and summary, a backup's status and error. */
  outcome: string;
}

export interface StartedJob {
  kind: JobKind;
  id: string;
  read(): Promise<JobState>;
}

/**
 * A build of `ref` of a fixture repository on a branch of a project (default the platform's
 * project, acme17 at main).
 */
export async function startBuild(
  platform: FaultPlatform,
  branchId: string,
  stage: "DEVELOPMENT" | "STAGING" | "PRODUCTION",
  ref = "main",
  project: { projectId: string; repo: string } = { projectId: platform.projectId, repo: "acme17.git" },
): Promise<StartedJob> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../../packages/queue/src/index");
  const build = await prisma().build.create({
    data: {
      projectId: project.projectId,
      branchId,
      stage,
      commitSha: await shaOf(join(platform.env.repos, project.repo), ref),
      // Production updates the branch's database in place (the rollback path).
      trigger: stage === "PRODUCTION" ? "update" : "push",
    },
  });
  await queue.enqueue(
    "builds.run",
    { buildId: build.id },
    { jobId: queue.buildJobId(build.id) },
    platform.producer,
  );
  const kind: JobKind =
    stage === "PRODUCTION" ? "production build" : stage === "STAGING" ? "staging build" : "development build";
  return {
    kind,
    id: build.id,
    async read() {
      const row = await prisma().build.findUniqueOrThrow({ where: { id: build.id } });
      return {
        ended: row.status === "DONE" || row.status === "CANCELLED",
        workerId: row.workerId,
        outcome: `${row.status} ${row.result ?? ""} ${row.errorSummary?.split("\n")[0] ?? ""}`.trim(),
      };
    },
  };
}

/** A manual backup of a project's production (default the platform's project). */
export async function startBackup(
  platform: FaultPlatform,
  project: FaultProject = platform,
): Promise<StartedJob> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../../packages/queue/src/index");
  const row = await prisma().backup.create({
    data: {
      projectId: project.projectId,
      branchId: project.branches.production,
      stage: "PRODUCTION",
      kind: "MANUAL",
    },
  });
  await queue.enqueue(
    "backups.run",
    { backupId: row.id },
    { jobId: queue.backupJobId(row.id) },
    platform.producer,
  );
  return {
    kind: "backup",
    id: row.id,
    async read() {
      const now = await prisma().backup.findUniqueOrThrow({ where: { id: row.id } });
      return {
        ended: now.status === "DONE" || now.status === "FAILED",
        workerId: now.workerId,
        outcome: `${now.status} ${now.error?.split("\n")[0] ?? ""}`.trim(),
      };
    },
  };
}

/** A restore of production's latest finished backup into the staging branch (production untouched). */
async function startRestore(platform: FaultPlatform, backupId: string): Promise<StartedJob> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../../packages/queue/src/index");
  const row = await prisma().backupRestore.create({
    data: { projectId: platform.projectId, branchId: platform.branches.staging, backupId },
  });
  await queue.enqueue(
    "backups.restore",
    { restoreId: row.id },
    { jobId: queue.restoreJobId(row.id) },
    platform.producer,
  );
  return restoreRow("restore", row.id);
}

/** A restore or import followed through its row. */
async function restoreRow(kind: "restore" | "import", id: string): Promise<StartedJob> {
  const { prisma } = await import("@gantry/db");
  return {
    kind,
    id,
    async read() {
      const now = await prisma().backupRestore.findUniqueOrThrow({ where: { id } });
      return {
        ended: now.status === "DONE" || now.status === "FAILED",
        workerId: now.workerId,
        outcome: `${now.status} ${now.error?.split("\n")[0] ?? ""}`.trim(),
      };
    },
  };
}

/**
 * An import into the staging branch of production's latest backup, uploaded as the web app
 * leaves it (a file in the scratch uploads folder, a PENDING restore row, the import job).
 */
async function startImport(platform: FaultPlatform, backupId: string): Promise<StartedJob> {
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../../packages/queue/src/index");
  const backup = await prisma().backup.findUniqueOrThrow({ where: { id: backupId } });
  const uploads = join(platform.env.dataDir, "backup-scratch", "uploads");
  await mkdir(uploads, { recursive: true });
  const upload = `import-${randomBytes(8).toString("hex")}.zip`;
  await copyFile(join(platform.backupDir, backup.storageKey!), join(uploads, upload));
  const row = await prisma().backupRestore.create({
    data: { projectId: platform.projectId, branchId: platform.branches.staging },
  });
  await queue.enqueue(
    "backups.import",
    { restoreId: row.id, upload, neutralize: true },
    { jobId: queue.restoreJobId(row.id) },
    platform.producer,
  );
  return restoreRow("import", row.id);
}

/** A job on the platform's project (upgrades run on a project of their own: upgrade-project.ts). */
export async function startJob(
  platform: FaultPlatform,
  kind: Exclude<JobKind, UpgradeKind>,
): Promise<StartedJob> {
  switch (kind) {
    case "development build":
      return startBuild(platform, platform.branches.development, "DEVELOPMENT");
    case "staging build":
      return startBuild(platform, platform.branches.staging, "STAGING");
    case "production build":
      return startBuild(platform, platform.branches.production, "PRODUCTION");
    case "backup":
      return startBackup(platform);
    case "restore":
      return startRestore(platform, await platform.ensureBackup());
    case "import":
      return startImport(platform, await platform.ensureBackup());
  }
}
