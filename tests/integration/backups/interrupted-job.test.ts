// A backup's job handed out again after its worker was killed, before any start-up pass could
// fail the backup (the dead worker's heartbeat still alive then): the job finds its row
// RUNNING, and must fail it as interrupted rather than skip it and leave it RUNNING forever
// (found by the fault suite, scripts/faults).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildTestEnv } from "../builds/support";
import { createProject, useBackupTestEnv } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let producer: import("@gantry/queue").QueueContext;

beforeAll(async () => {
  env = await useBackupTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  const { createQueueContext } = await import("@gantry/queue");
  const { config } = await import("@gantry/config");
  producer = createQueueContext({ redisUrl: config().REDIS_URL, prefix: env.prefix });
}, 120_000);

afterAll(async () => {
  await producer?.close();
  await prisma?.().$disconnect();
  await env?.db.drop();
});

/** The context of a job BullMQ hands to a new worker after the one running it died. */
async function handedOutAgain(jobId: string): Promise<import("../../../apps/worker/src/handler").JobContext> {
  const { DockerRuntime } = await import("@gantry/runtime");
  const { createLogger } = await import("@gantry/core");
  return {
    jobId,
    attempt: 1,
    workerId: "new-worker",
    logger: createLogger("test"),
    signal: new AbortController().signal,
    services: { db: prisma, runtime: new DockerRuntime(), queue: producer },
    progress: async () => {},
  };
}

describe("a backup job meeting its own row RUNNING", () => {
  it("fails the backup as interrupted", async () => {
    const { runBackupJob } = await import("../../../apps/worker/src/backups/jobs");
    const projectId = await createProject(env);
    const branch = await prisma().branch.create({
      data: { projectId, name: "main", stage: "PRODUCTION" },
    });
    const backup = await prisma().backup.create({
      data: {
        projectId,
        branchId: branch.id,
        kind: "MANUAL",
        status: "RUNNING",
        workerId: "killed-worker",
        startedAt: new Date(),
      },
    });
    const result = await runBackupJob({ backupId: backup.id }, await handedOutAgain(`backup-${backup.id}`));
    expect(result).toEqual({ status: "FAILED" });
    const row = await prisma().backup.findUniqueOrThrow({ where: { id: backup.id } });
    expect({ status: row.status, error: row.error }).toEqual({
      status: "FAILED",
      error: "interrupted: the worker taking this backup stopped",
    });
  });
});

describe("a restore job meeting its own row RUNNING", () => {
  it("puts the branch back, fails its safety backup and drops the incoming copy with its restore role", async () => {
    const { restoreJob } = await import("../../../apps/worker/src/backups/jobs");
    const { dbServerForStage } = await import("@gantry/core");
    const pgLib = await import("@gantry/postgres");
    const projectId = await createProject(env, "-restore");
    const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } });
    const server = await dbServerForStage(projectId, "PRODUCTION");
    const live = `gantry_bk_live_${env.prefix.replace(/[^a-z0-9]/g, "")}`;
    await prisma().build.create({
      data: {
        projectId,
        branchId: branch.id,
        stage: "PRODUCTION",
        commitSha: "0".repeat(40),
        status: "DONE",
        result: "SUCCESS",
        servingAt: new Date(),
        databaseName: live,
        dbServerId: server.id,
      },
    });
    // What a restore killed mid-way leaves: the live database, and the incoming copy still
    // owned by the restore's own role.
    await pgLib.createDatabase(server, live, server.adminUser);
    const incoming = `${live}_in0a1b2c`;
    const role = await pgLib.createRestoreRole(server, incoming);
    await pgLib.createDatabase(server, incoming, role.user);
    // And an earlier restore's role, cut short while its copy was being created.
    const unborn = await pgLib.createRestoreRole(server, `${live}_in3d4e5f`);
    const restore = await prisma().backupRestore.create({
      data: {
        projectId,
        branchId: branch.id,
        status: "RUNNING",
        workerId: "killed-worker",
        startedAt: new Date(),
      },
    });
    // The safety backup the restore was taking inline: no job of its own would ever end it.
    const inline = {
      projectId,
      branchId: branch.id,
      kind: "SAFETY",
      status: "RUNNING",
      startedAt: new Date(),
    } as const;
    const safety = await prisma().backup.create({ data: { ...inline, workerId: "killed-worker" } });
    const otherWorkers = await prisma().backup.create({ data: { ...inline, workerId: "live-worker" } });
    try {
      const result = await restoreJob(
        { restoreId: restore.id },
        await handedOutAgain(`restore-${restore.id}`),
      );
      expect(result).toEqual({ status: "FAILED" });
      const row = await prisma().backupRestore.findUniqueOrThrow({ where: { id: restore.id } });
      expect({ status: row.status, error: row.error }).toEqual({
        status: "FAILED",
        error: "interrupted: the worker running this restore stopped; the previous database was kept",
      });
      const backups = await prisma().backup.findMany({
        where: { id: { in: [safety.id, otherWorkers.id] } },
        select: { id: true, status: true, error: true },
      });
      expect(backups.find((b) => b.id === safety.id)).toMatchObject({
        status: "FAILED",
        error: "interrupted: the worker taking this backup stopped",
      });
      expect(backups.find((b) => b.id === otherWorkers.id)?.status).toBe("RUNNING");
      expect(await pgLib.databaseExists(server, live)).toBe(true);
      expect(await pgLib.databaseExists(server, incoming)).toBe(false);
      expect(await pgLib.rolesWithPrefix(server, role.user)).toEqual([]);
      expect(await pgLib.rolesWithPrefix(server, unborn.user)).toEqual([]);
    } finally {
      await pgLib.dropRestoredDatabase(server, incoming);
      await pgLib.dropDatabase(server, live);
    }
  });
});

describe("a backup a dead run was verifying inline", () => {
  // A production upgrade verifies its own backup inline, with no job: killed then, the backup
  // stayed "pending" with the dead run's scratch folder beside it for good (found by the fault
  // suite's production-upgrade trials).
  it("is handed to the verification job; backups of other runs and other kinds are not", async () => {
    const { verifyInlineBackupsOf } = await import("../../../apps/worker/src/backups/reconcile");
    const { backupVerifyJobId } = await import("@gantry/queue");
    const projectId = await createProject(env, "-verify");
    const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } });
    const stored = { projectId, branchId: branch.id, status: "DONE" as const, startedAt: new Date() };
    const [dead, verified, otherWorkers, daily] = await Promise.all([
      prisma().backup.create({ data: { ...stored, kind: "UPGRADE", workerId: "killed-worker" } }),
      prisma().backup.create({
        data: { ...stored, kind: "UPGRADE", workerId: "killed-worker", verifyStatus: "VERIFIED" },
      }),
      prisma().backup.create({ data: { ...stored, kind: "UPGRADE", workerId: "live-worker" } }),
      prisma().backup.create({ data: { ...stored, kind: "DAILY", workerId: "killed-worker" } }),
    ]);
    const handed = await verifyInlineBackupsOf(prisma(), producer, {
      branchId: branch.id,
      workerId: "killed-worker",
    });
    expect(handed).toEqual([dead.id]);
    const queue = producer.queue("backups");
    expect((await queue.getJob(backupVerifyJobId(dead.id)))?.data).toMatchObject({ backupId: dead.id });
    for (const other of [verified, otherWorkers, daily])
      expect(await queue.getJob(backupVerifyJobId(other.id))).toBeUndefined();
  });
});
