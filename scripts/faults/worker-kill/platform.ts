// One project on a Gantry database of the fault run's own, with a production, a staging and a
// development branch of the fixture repository (stand-in Odoo image), a worker process that
// can be killed and started again, and what a trial needs made lazily: production serving
// (always), staging serving (staging builds, restores), a finished backup (restores).
import { join } from "node:path";
import type { BuildTestEnv } from "../../../tests/integration/builds/support";
import { waitFor } from "../../../tests/integration/builds/support";
import { startWorkerProcess, type WorkerProcess } from "../../../tests/integration/worker/worker-process";
import { useGantryDatabase } from "../lib/database";
import type { JobKind, StartedJob } from "./jobs";

export type FaultEnv = Omit<BuildTestEnv, "db"> & { db: { url: string } };

/** A project the checks look at: the platform's own, or one made for a single upgrade trial. */
export interface FaultProject {
  projectId: string;
  branches: { production: string; staging?: string; development?: string };
}

export interface FaultPlatform extends FaultProject {
  env: FaultEnv;
  branches: { production: string; staging: string; development: string };
  producer: import("../../../packages/queue/src/index").QueueContext;
  worker: WorkerProcess | undefined;
  /** Where the worker keeps backup archives. */
  backupDir: string;
  /** How long each kind took when it ran to its end here: the window a kill is drawn in. */
  durations: Map<JobKind, number>;
  startWorker(): Promise<WorkerProcess>;
  ensureProduction(): Promise<void>;
  ensureStaging(): Promise<void>;
  ensureBackup(): Promise<string>;
  close(): Promise<void>;
}

/** Runs a started job to its end (no fault), recording how long it took. */
export async function runToEnd(platform: FaultPlatform, started: StartedJob, deadlineMs = 400_000) {
  const began = Date.now();
  const state = await waitFor(
    `the ${started.kind} ${started.id} to end`,
    async () => {
      const now = await started.read();
      return now.ended ? now : undefined;
    },
    deadlineMs,
  );
  platform.durations.set(started.kind, Date.now() - began);
  return state;
}

export interface FaultPlatformOptions {
  /** Where the worker keeps backup archives (default `<dataDir>/backups`): a small disk for the disk-full fault. */
  backupDir?: string;
}

export async function createFaultPlatform(
  env: FaultEnv,
  options: FaultPlatformOptions = {},
): Promise<FaultPlatform> {
  // Rows go where the worker process reads them, whatever an earlier step of the run opened.
  await useGantryDatabase(env.db.url);
  const { prisma } = await import("@gantry/db");
  const queue = await import("../../../packages/queue/src/index");
  const { config } = await import("@gantry/config");
  const jobs = await import("./jobs");
  const producer = queue.createQueueContext({ redisUrl: config().REDIS_URL, prefix: env.prefix });
  // Server rows a cloned template may carry were encrypted with another secret: registered again.
  await prisma().dbServer.deleteMany();
  const project = await prisma().project.create({
    data: {
      slug: `faults-${env.prefix}`,
      name: "Faults",
      githubOwner: "acme",
      githubRepo: `faults-${env.prefix}`,
      odooSeries: "17.0",
      gitUrl: join(env.repos, "acme17.git"),
    },
  });
  const branch = (name: string, stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT") =>
    prisma().branch.create({
      data: {
        projectId: project.id,
        name,
        stage,
        ...(stage === "PRODUCTION" ? { onNewCommit: "UPDATE_PREVIOUS" } : {}),
      },
    });
  const production = await branch("main", "PRODUCTION");
  const staging = await branch("staging", "STAGING");
  const development = await branch("dev", "DEVELOPMENT");

  let productionReady = false;
  let stagingReady = false;
  let backupId: string | undefined;

  const backupDir = options.backupDir ?? join(env.dataDir, "backups");
  const platform: FaultPlatform = {
    env,
    backupDir,
    projectId: project.id,
    branches: { production: production.id, staging: staging.id, development: development.id },
    producer,
    worker: undefined,
    durations: new Map(),
    async startWorker() {
      platform.worker = await startWorkerProcess(env, {
        BACKUP_DIR: backupDir,
        BUILD_IDLE_MINUTES: "0",
      });
      return platform.worker;
    },
    async ensureProduction() {
      if (productionReady) return;
      const state = await runToEnd(platform, await jobs.startJob(platform, "production build"));
      if (!state.outcome.startsWith("DONE SUCCESS"))
        throw new Error(`production did not build: ${state.outcome}`);
      productionReady = true;
    },
    async ensureStaging() {
      await platform.ensureProduction();
      if (stagingReady) return;
      const state = await runToEnd(platform, await jobs.startJob(platform, "staging build"));
      if (!state.outcome.startsWith("DONE SUCCESS"))
        throw new Error(`staging did not build: ${state.outcome}`);
      stagingReady = true;
    },
    async ensureBackup() {
      await platform.ensureProduction();
      if (backupId) return backupId;
      const started = await jobs.startBackup(platform);
      const state = await runToEnd(platform, started);
      if (!state.outcome.startsWith("DONE")) throw new Error(`the backup failed: ${state.outcome}`);
      backupId = started.id;
      return backupId;
    },
    async close() {
      platform.worker?.killAll();
      if (platform.worker) await platform.worker.exited;
      const { DockerRuntime } = await import("../../../packages/runtime/src/index");
      const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
      const runtime = new DockerRuntime();
      for (const build of await prisma().build.findMany({ select: { id: true } }))
        await cleanupBuild(runtime, build.id).catch(() => {});
      await producer.close();
    },
  };
  return platform;
}
