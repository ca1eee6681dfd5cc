// The worker's side of backups around the jobs themselves: what a killed worker left is
// reconciled at start, the daily schedule exists exactly once whatever the restarts, a day's
// automatic backup is queued once per production branch, and retention keeps exactly the
// schedule (7 daily, 4 weekly, 3 monthly) plus the newest verified backup.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildTestEnv } from "../builds/support";
import { createProject, useBackupTestEnv } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let queue: typeof import("@gantry/queue");
let producer: import("@gantry/queue").QueueContext;
let startWorker: typeof import("../../../apps/worker/src/start-worker").startWorker;
let projectId: string;
let branchId: string;

beforeAll(async () => {
  env = await useBackupTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  startWorker = (await import("../../../apps/worker/src/start-worker")).startWorker;
  projectId = await createProject(env);
  branchId = (await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } })).id;
}, 120_000);

afterAll(async () => {
  await producer.queue("backups").obliterate({ force: true });
  await producer?.close();
  await prisma().$disconnect();
  await env?.db.drop();
});

describe("backups at worker start", () => {
  it("fails a backup left running by a dead worker and removes its partial upload", async () => {
    const row = await prisma().backup.create({
      data: {
        projectId,
        branchId,
        kind: "DAILY",
        status: "RUNNING",
        workerId: "gone-worker",
        startedAt: new Date(),
      },
    });
    const key = core.backupKey(projectId, branchId, row.id);
    const partial = join(core.backupStorageRoot(), `${key}.a1b2c3.uploading`);
    await mkdir(dirname(partial), { recursive: true });
    await writeFile(partial, randomBytes(1000));
    const other = await prisma().backup.create({
      data: { projectId, branchId, kind: "MANUAL", status: "PENDING" },
    });

    const worker = await startWorker({ prefix: env.prefix, queues: ["backups"], shutdownTimeoutMs: 5000 });
    await worker.stop();

    const failed = await prisma().backup.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/interrupted/);
    expect(await readdir(dirname(partial))).toEqual([]);
    // A pending backup is not a dead worker's: left for its job.
    expect((await prisma().backup.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("PENDING");
    await prisma().backup.delete({ where: { id: other.id } });
  });

  it("removes a dead verification's scratch folder once it has ended, though the dead worker's heartbeat lives", async () => {
    const ended = await prisma().backup.create({
      data: { projectId, branchId, kind: "MANUAL", status: "DONE", verifyStatus: "VERIFIED" },
    });
    const pending = await prisma().backup.create({
      data: { projectId, branchId, kind: "MANUAL", status: "DONE", verifyStatus: "PENDING" },
    });
    const scratch = core.backupScratchDir();
    for (const id of [ended.id, pending.id]) {
      await mkdir(join(scratch, `verify-${id}`, "filestore"), { recursive: true });
      await writeFile(join(scratch, `verify-${id}`, "filestore", "a"), "x");
    }
    // The killed worker's heartbeat outlives it a while: the start-up pass must not wait for it.
    await queue.writeHeartbeat(
      "killed-worker",
      { hostname: "h", pid: 1, queues: ["backups"], concurrency: 1, startedAt: new Date().toISOString() },
      60_000,
      producer,
    );

    const worker = await startWorker({ prefix: env.prefix, queues: ["backups"], shutdownTimeoutMs: 5000 });
    await worker.stop();

    const left = await readdir(scratch);
    expect(left).not.toContain(`verify-${ended.id}`);
    // Still pending: its verification runs again and clears its own leftovers first.
    expect(left).toContain(`verify-${pending.id}`);
    await prisma().backup.deleteMany({ where: { id: { in: [ended.id, pending.id] } } });
  });

  it("registers the daily schedule once, however many times workers start", async () => {
    for (let i = 0; i < 3; i++) {
      const worker = await startWorker({ prefix: env.prefix, queues: ["backups"], shutdownTimeoutMs: 5000 });
      await worker.stop();
    }
    const two = await Promise.all([
      startWorker({ prefix: env.prefix, queues: ["backups"], shutdownTimeoutMs: 5000 }),
      startWorker({ prefix: env.prefix, queues: ["backups"], shutdownTimeoutMs: 5000 }),
    ]);
    await Promise.all(two.map((w) => w.stop()));
    const schedulers = await producer.queue("backups").getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: queue.dailyBackupSchedulerId,
      name: "backups.daily",
      pattern: "0 3 * * *",
    });
    // One next run waiting, not one per start.
    const delayed = await producer.queue("backups").getJobs(["delayed"]);
    expect(delayed.filter((job) => job.name === "backups.daily")).toHaveLength(1);
  });

  it("queues the day's automatic backup once per serving production branch", async () => {
    const { queueDailyBackups } = await import("../../../apps/worker/src/backups/daily");
    // Without a serving build there is nothing to back up.
    expect(await queueDailyBackups(prisma(), producer)).toEqual([]);
    await prisma().build.create({
      data: {
        projectId,
        branchId,
        stage: "PRODUCTION",
        commitSha: "a".repeat(40),
        servingAt: new Date(),
        databaseName: "gantry_b_x",
      },
    });
    const first = await queueDailyBackups(prisma(), producer);
    const second = await queueDailyBackups(prisma(), producer);
    expect(first).toHaveLength(1);
    expect(second).toEqual(first);
    expect(await prisma().backup.count({ where: { branchId, kind: "DAILY", status: "PENDING" } })).toBe(1);
    const jobs = await producer.queue("backups").getJobs(["waiting", "prioritized"]);
    expect(jobs.filter((job) => job.name === "backups.run").map((job) => job.id)).toEqual([
      `backup-${first[0]}`,
    ]);
  });
});

describe("retention", () => {
  it("keeps 7 daily, 4 weekly and 3 monthly backups and the newest verified one, deleting the rest from storage", async () => {
    await prisma().backup.deleteMany({ where: { branchId } });
    const now = new Date("2026-06-30T12:00:00Z");
    const storage = core.backupStorage();
    const ids: Record<number, string> = {};
    // One daily backup a day for 200 days; only the 180-day-old one is verified.
    for (let age = 0; age < 200; age++) {
      const createdAt = new Date(now.getTime() - age * 86_400_000);
      const row = await prisma().backup.create({
        data: {
          projectId,
          branchId,
          kind: "DAILY",
          status: "DONE",
          createdAt,
          verifyStatus: age === 180 ? "VERIFIED" : "PENDING",
        },
      });
      const key = core.backupKey(projectId, branchId, row.id);
      await storage.put(key, Readable.from([Buffer.from(`backup ${age}`)]));
      await prisma().backup.update({ where: { id: row.id }, data: { storageKey: key } });
      ids[age] = row.id;
    }
    const { applyBranchRetention } = await import("../../../apps/worker/src/backups/retention");
    const deleted = await applyBranchRetention(prisma(), branchId, now);
    const kept = await prisma().backup.findMany({
      where: { branchId, deletedAt: null },
      select: { id: true },
    });
    expect(kept).toHaveLength(15);
    expect(deleted).toHaveLength(185);
    const keptIds = new Set(kept.map((k) => k.id));
    for (const age of [0, 1, 2, 3, 4, 5, 6]) expect(keptIds.has(ids[age] as string), `day ${age}`).toBe(true);
    // The newest of each week and month block, and the verified one however old.
    for (const age of [7, 14, 21, 28, 35, 65, 95, 180])
      expect(keptIds.has(ids[age] as string), `age ${age}`).toBe(true);
    const files = await storage.list(`${projectId}/${branchId}/`);
    expect(files.map((f) => f.key).sort()).toEqual(
      kept.map((k) => core.backupKey(projectId, branchId, k.id)).sort(),
    );
    // Applying it again deletes nothing more.
    expect(await applyBranchRetention(prisma(), branchId, now)).toEqual([]);
  });
});

describe("verification", () => {
  it("marks a backup whose restored copy does not match its manifest FAILED, with the reason", async () => {
    const { buildZip } = await import("../backup/raw-zip");
    const { good } = await import("../backup/hostile-cases");
    const row = await prisma().backup.create({
      data: { projectId, branchId, kind: "MANUAL", status: "DONE", verifyStatus: "PENDING" },
    });
    const key = core.backupKey(projectId, branchId, row.id);
    // A manifest that names a module the dump does not hold: the restored copy does not match it.
    const entries = good();
    const manifest = JSON.parse(entries[1]!.data.toString());
    manifest.modules.sale = "18.0.1.0";
    entries[1] = { name: "manifest.json", data: Buffer.from(JSON.stringify(manifest)) };
    await core.backupStorage().put(key, Readable.from([buildZip(entries)]));
    await prisma().backup.update({ where: { id: row.id }, data: { storageKey: key } });
    const { verifyStoredBackup } = await import("../../../apps/worker/src/backups/verify");
    const outcome = await verifyStoredBackup(prisma(), row.id);
    expect(outcome.status).toBe("FAILED");
    const after = await prisma().backup.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.verifyStatus).toBe("FAILED");
    expect(after.verifyMessage).toMatch(/1 problem: module sale is not installed in the restored database/);
    // Verified once: a second run changes nothing.
    expect((await verifyStoredBackup(prisma(), row.id)).status).toBe("skipped");
  });

  it("run again after its worker died, removes the dead run's scratch folder and database first", async () => {
    const { buildZip } = await import("../backup/raw-zip");
    const { good } = await import("../backup/hostile-cases");
    const { PROD_CLUSTER } = await import("../../support/clusters");
    const pg = (await import("pg")).default;
    const row = await prisma().backup.create({
      data: { projectId, branchId, kind: "MANUAL", status: "DONE", verifyStatus: "PENDING" },
    });
    const key = core.backupKey(projectId, branchId, row.id);
    await core.backupStorage().put(key, Readable.from([buildZip(good())]));
    await prisma().backup.update({ where: { id: row.id }, data: { storageKey: key } });
    // What a verification killed half-way leaves: its folder and its scratch database.
    const folder = join(core.backupScratchDir(), `verify-${row.id}`);
    await mkdir(join(folder, "filestore"), { recursive: true });
    await writeFile(join(folder, "filestore", "stale"), "x");
    const admin = new pg.Client({ ...PROD_CLUSTER, database: "postgres" });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE gantry_verify_${row.id}`);
      const { verifyStoredBackup } = await import("../../../apps/worker/src/backups/verify");
      const outcome = await verifyStoredBackup(prisma(), row.id);
      expect(outcome).toEqual({ status: "VERIFIED", problems: [] });
      expect(await readdir(core.backupScratchDir())).not.toContain(`verify-${row.id}`);
      const { rows } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [
        `gantry_verify_${row.id}`,
      ]);
      expect(rows).toEqual([]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS gantry_verify_${row.id}`);
      await admin.end();
    }
  });
});
