// The backup use-cases on their own (no worker): the manual limit, access by role and stage,
// and imports: every hostile or broken archive refused with its reason before anything
// changes (no rows, no job, no upload left), size limits, a good archive accepted and queued.
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { good, hostileCases } from "../backup/hostile-cases";
import { buildZip } from "../backup/raw-zip";
import type { BuildTestEnv } from "../builds/support";
import { adminActor, createProject, useBackupTestEnv } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let projectId: string;
let admin: Actor;
let tester: Actor;
let productionId: string;
let stagingId: string;
let developmentId: string;

async function servedRow(branchId: string, stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT") {
  await prisma().build.create({
    data: {
      projectId,
      branchId,
      stage,
      commitSha: randomBytes(20).toString("hex"),
      status: "DONE",
      result: "SUCCESS",
      odooSeries: "18.0",
      servingAt: new Date(),
      databaseName: `gantry_b_${randomBytes(6).toString("hex")}`,
    },
  });
}

beforeAll(async () => {
  env = await useBackupTestEnv();
  // A small limit keeps the over-limit upload small.
  process.env.BACKUP_IMPORT_MAX_MB = "2";
  (await import("@gantry/config")).resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  projectId = await createProject(env);
  admin = await adminActor(projectId);
  tester = {
    userId: admin.userId,
    isAdmin: false,
    memberships: { [projectId]: "TESTER" },
    tokenProjectIds: null,
  };
  const branch = async (name: string, stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT") => {
    const row = await prisma().branch.create({ data: { projectId, name, stage } });
    await servedRow(row.id, stage);
    return row.id;
  };
  productionId = await branch("main", "PRODUCTION");
  stagingId = await branch("staging", "STAGING");
  developmentId = await branch("feature", "DEVELOPMENT");
}, 120_000);

afterAll(async () => {
  const queue = await import("@gantry/queue");
  await queue.defaultQueueContext().queue("backups").obliterate({ force: true });
  await queue.closeDefaultQueueContext();
  await prisma().$disconnect();
  await env?.db.drop();
});

describe("manual backups", () => {
  it("allows 5 a day per branch and refuses the 6th with rate_limited (HTTP 429)", async () => {
    for (let i = 0; i < 5; i++) await core.requestManualBackup(admin, projectId, productionId);
    const refused = core.requestManualBackup(admin, projectId, productionId);
    await expect(refused).rejects.toMatchObject({ code: "rate_limited" });
    await expect(refused).rejects.toThrow(/At most 5 manual backups a day per branch/);
    const { httpStatusOf } = await import("../../../apps/web/lib/api/status-codes");
    expect(httpStatusOf.rate_limited).toBe(429);
    expect(await prisma().backup.count({ where: { branchId: productionId, kind: "MANUAL" } })).toBe(5);
    // Each queued once, under its stable id.
    const queue = (await import("@gantry/queue")).defaultQueueContext().queue("backups");
    const ids = (await queue.getJobs(["waiting", "delayed", "prioritized"])).map((job) => job.id);
    const rows = await prisma().backup.findMany({ where: { branchId: productionId }, select: { id: true } });
    expect(ids.sort()).toEqual(rows.map((r) => `backup-${r.id}`).sort());
  });

  it("counts per branch: staging still has its own 5", async () => {
    await expect(core.requestManualBackup(admin, projectId, stagingId)).resolves.toMatchObject({
      jobId: expect.stringMatching(/^backup-/),
    });
  });

  it("follows the access matrix: Admin only on production, Tester on staging, nobody on development", async () => {
    await expect(core.requestManualBackup(tester, projectId, productionId)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(core.listBackups(tester, projectId, { branchId: productionId })).rejects.toMatchObject({
      code: "forbidden",
    });
    const visible = await core.listBackups(tester, projectId);
    expect(new Set(visible.map((b) => b.branch?.stage))).toEqual(new Set(["STAGING"]));
    await expect(core.requestManualBackup(admin, projectId, developmentId)).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("a backup keeps the stage of its data", () => {
  it("records the branch's stage, and a production backup stays closed to a Tester after its branch moves to staging", async () => {
    const moved = await prisma().branch.create({
      data: { projectId, name: "old-main", stage: "PRODUCTION" },
    });
    await servedRow(moved.id, "PRODUCTION");
    const { id: backupId } = await core.requestManualBackup(admin, projectId, moved.id);
    expect((await prisma().backup.findUniqueOrThrow({ where: { id: backupId } })).stage).toBe("PRODUCTION");
    await prisma().branch.update({ where: { id: moved.id }, data: { stage: "STAGING" } });
    // The branch is the Tester's now (staging), its production backup is not.
    expect(
      (await core.listBackups(tester, projectId, { branchId: moved.id })).map((b) => b.id),
    ).not.toContain(backupId);
    expect((await core.listBackups(tester, projectId)).map((b) => b.id)).not.toContain(backupId);
    await expect(core.backupFor(tester, projectId, backupId)).rejects.toMatchObject({ code: "forbidden" });
    expect((await core.backupFor(admin, projectId, backupId)).stage).toBe("PRODUCTION");
  });
});

describe("imports", () => {
  const uploads = () => join(core.backupScratchDir(), "uploads");
  const nothingChanged = async () => {
    expect(await prisma().backupRestore.count({ where: { branchId: stagingId } })).toBe(0);
    expect(await prisma().backup.count({ where: { kind: "IMPORT" } })).toBe(0);
    expect(await readdir(uploads()).catch(() => [])).toEqual([]);
  };

  const importable = hostileCases.filter(([, code]) => code !== "PSQL_TOO_OLD");
  it.each(importable)("refuses %s (%s) and changes nothing", async (_label, code, make) => {
    const built = make();
    const body = Buffer.isBuffer(built) ? built : buildZip(built);
    const attempt = core.importBackup(admin, projectId, stagingId, {
      body: Readable.from([body]),
      filename: "upload.zip",
      declaredBytes: body.length,
    });
    await expect(attempt).rejects.toMatchObject({ code: "invalid_input", details: { reason: code } });
    await nothingChanged();
  });

  it("refuses an archive over the size limit, declared or streamed, and keeps no partial upload", async () => {
    const max = core.importMaxBytes();
    await expect(
      core.importBackup(admin, projectId, stagingId, {
        body: Readable.from([Buffer.alloc(10)]),
        filename: "big.zip",
        declaredBytes: max + 1,
      }),
    ).rejects.toMatchObject({ code: "too_large" });
    const chunk = Buffer.alloc(1024 * 1024);
    const chunks = Array.from({ length: Math.ceil(max / chunk.length) + 1 }, () => chunk);
    await expect(
      core.importBackup(admin, projectId, stagingId, { body: Readable.from(chunks), filename: "big.zip" }),
    ).rejects.toMatchObject({ code: "too_large" });
    await nothingChanged();
  });

  it("refuses what is neither a zip nor a pg_dump file by name, and development branches", async () => {
    await expect(
      core.importBackup(admin, projectId, stagingId, {
        body: Readable.from([Buffer.from("x")]),
        filename: "db.tar",
      }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      core.importBackup(admin, projectId, developmentId, {
        body: Readable.from([buildZip(good())]),
        filename: "a.zip",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await nothingChanged();
  });

  it("accepts a well-formed archive: a pending import queued under a stable id, audited", async () => {
    const queued = await core.importBackup(admin, projectId, stagingId, {
      body: Readable.from([buildZip(good())]),
      filename: "good.zip",
    });
    expect(queued.jobId).toBe(`restore-${queued.id}`);
    const row = await prisma().backupRestore.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row.status).toBe("PENDING");
    expect(await readdir(uploads())).toHaveLength(1);
    const audit = await prisma().auditEvent.findFirstOrThrow({
      where: { projectId, action: "backup.imported" },
    });
    expect(audit.target).toBe(queued.id);
    // A second import while this one waits is refused.
    await expect(
      core.importBackup(admin, projectId, stagingId, {
        body: Readable.from([buildZip(good())]),
        filename: "b.zip",
      }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("queues a .sql upload under its own extension: the worker converts and checks it", async () => {
    const before = new Set(await readdir(uploads()));
    const queued = await core.importBackup(admin, projectId, productionId, {
      body: Readable.from([Buffer.from("SELECT 1;\n")]),
      filename: "Prod.SQL",
    });
    const row = await prisma().backupRestore.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row.status).toBe("PENDING");
    const added = (await readdir(uploads())).filter((name) => !before.has(name));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^import-[0-9a-f]{16}\.sql$/);
  });
});
