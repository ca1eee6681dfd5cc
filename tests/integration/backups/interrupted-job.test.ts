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

describe("a backup job meeting its own row RUNNING", () => {
  it("fails the backup as interrupted", async () => {
    const { runBackupJob } = await import("../../../apps/worker/src/backups/jobs");
    const { DockerRuntime } = await import("@gantry/runtime");
    const { createLogger } = await import("@gantry/core");
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
    const result = await runBackupJob(
      { backupId: backup.id },
      {
        jobId: `backup-${backup.id}`,
        attempt: 1,
        workerId: "new-worker",
        logger: createLogger("test"),
        signal: new AbortController().signal,
        services: { db: prisma, runtime: new DockerRuntime(), queue: producer },
        progress: async () => {},
      },
    );
    expect(result).toEqual({ status: "FAILED" });
    const row = await prisma().backup.findUniqueOrThrow({ where: { id: backup.id } });
    expect({ status: row.status, error: row.error }).toEqual({
      status: "FAILED",
      error: "interrupted: the worker taking this backup stopped",
    });
  });
});
