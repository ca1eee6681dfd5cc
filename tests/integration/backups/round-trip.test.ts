// Backups end to end on the Odoo stand-in, through the queue and a real worker: a production
// branch served by a real build, with rows and attachments; a manual backup (job, storage,
// verification); the archive restored into a staging branch (same modules, row counts and
// files, neutralized); a restore into production itself with its safety backup, the
// serving container answering again on the restored data.
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_SERIES, REAL_ODOO } from "../../support/odoo-target";
import type { BuildTestEnv } from "../builds/support";
import { DB_ARGS, dropDb, odoo, query, uniqueDb } from "../standin/helpers";
import { databaseState, filestoreSums, withDb } from "./db-state";
import {
  MANAGED_PREFIX,
  managerBackup,
  managerPage,
  managerRestore,
  type OdooManager,
  startOdooManager,
} from "./odoo-manager";
import { adminActor, createProject, servedBranch, useBackupTestEnv, waitFor } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let runtime: import("@gantry/runtime").DockerRuntime;
let projectId: string;
let actor: Actor;
let production: { branchId: string; buildId: string };
let staging: { branchId: string; buildId: string };

async function live(branchId: string) {
  const { findLiveDatabase } = await import("../../../apps/worker/src/backups/live");
  const db = await findLiveDatabase(prisma(), branchId);
  const conn = {
    host: db.server.host,
    port: db.server.port,
    user: db.server.adminUser,
    password: db.server.adminPassword,
  };
  return { ...db, conn };
}

function backupDone(id: string) {
  return waitFor(
    `backup ${id}`,
    async () => {
      const row = await prisma().backup.findUniqueOrThrow({ where: { id } });
      if (row.status === "FAILED") throw new Error(`backup failed: ${row.error}`);
      return row.status === "DONE" && row.verifyStatus !== "PENDING" ? row : undefined;
    },
    240_000,
  );
}

function restoreEnded(id: string) {
  return waitFor(
    `restore ${id}`,
    async () => {
      const row = await prisma().backupRestore.findUniqueOrThrow({ where: { id } });
      return row.status === "DONE" || row.status === "FAILED" ? row : undefined;
    },
    300_000,
  );
}

beforeAll(async () => {
  env = await useBackupTestEnv();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  const queue = await import("@gantry/queue");
  runtime = new (await import("@gantry/runtime")).DockerRuntime();
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["builds", "backups"],
    concurrency: 2,
    shutdownTimeoutMs: 5000,
  });
  projectId = await createProject(env);
  actor = await adminActor(projectId);
  production = await servedBranch(env, projectId, "main", "PRODUCTION", producer);
  staging = await servedBranch(env, projectId, "staging-copy", "STAGING", producer);

  // Data of its own on production: rows in a table and attachments in the filestore.
  const prod = await live(production.branchId);
  await withDb(prod.conn, prod.build.databaseName, async (c) => {
    await c.query("CREATE TABLE backup_probe (id serial PRIMARY KEY, note text)");
    await c.query("INSERT INTO backup_probe (note) SELECT 'row ' || i FROM generate_series(1, 500) AS i");
  });
  for (let i = 0; i < 5; i++) {
    const data = randomBytes(2000 + i * 100);
    const name = randomBytes(20).toString("hex");
    await mkdir(join(prod.filestore, name.slice(0, 2)), { recursive: true });
    await writeFile(join(prod.filestore, name.slice(0, 2), name), data);
  }
}, 700_000);

afterAll(async () => {
  // Verifications queued by the last backups finish before the databases go.
  await waitFor(
    "the backup jobs to finish",
    async () => {
      const counts = await producer.queue("backups").getJobCounts("active", "waiting", "prioritized");
      return Object.values(counts).every((n) => n === 0) ? true : undefined;
    },
    100_000,
  ).catch(() => {});
  await worker?.stop();
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  for (const build of await prisma().build.findMany({ select: { id: true } }))
    await cleanupBuild(runtime, build.id).catch(() => {});
  await producer?.close();
  await (await import("@gantry/queue")).closeDefaultQueueContext();
  await prisma().$disconnect();
  await env?.db.drop();
}, 240_000);

let backupId: string;

describe("backups on the stand-in", () => {
  it("takes a manual backup through the queue, stores it with its logs and verifies it", async () => {
    const queued = await core.requestManualBackup(actor, projectId, production.branchId);
    expect(queued.jobId).toBe(`backup-${queued.id}`);
    const row = await backupDone(queued.id);
    backupId = row.id;
    expect(row.verifyStatus).toBe("VERIFIED");
    expect(row.verifyMessage).toMatch(/modules, \d+ tables, \d+ rows, 5 files match/);
    expect(row.kind).toBe("MANUAL");
    expect(row.odooSeries).toBe(FIXTURE_SERIES);
    expect(row.sourceBuildId).toBe(production.buildId);
    const storage = core.backupStorage();
    const stored = await storage.stat(row.storageKey as string);
    expect(stored?.size).toBe(Number(row.sizeBytes));
    const logs = await storage.list(core.backupLogsPrefix(row.storageKey as string));
    expect(logs.map((l) => l.key.split("/").pop())).toContain("install.log");
    const audit = await prisma().auditEvent.findMany({ where: { projectId, action: "backup.created" } });
    expect(audit.map((a) => a.target)).toEqual([row.id]);
  });

  it("restores into a staging branch: same modules, row counts and files, neutralized", async () => {
    const source = await live(production.branchId);
    const before = await databaseState(source.conn, source.build.databaseName);
    const sums = await filestoreSums(source.filestore);
    expect(Object.keys(sums)).toHaveLength(5);

    const restore = await core.requestRestore(actor, projectId, staging.branchId, backupId);
    const done = await restoreEnded(restore.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("DONE");

    const target = await live(staging.branchId);
    const after = await databaseState(target.conn, target.build.databaseName);
    expect(after.modules).toEqual(before.modules);
    // Neutralization sets database.is_neutralized: one parameter row may be added there.
    const { ir_config_parameter: _a, ...restRowsAfter } = after.rows;
    const { ir_config_parameter: _b, ...restRowsBefore } = before.rows;
    expect(restRowsAfter).toEqual(restRowsBefore);
    expect(after.rows.backup_probe).toBe(500);
    expect(await filestoreSums(target.filestore)).toEqual(sums);
    const flag = await withDb(target.conn, target.build.databaseName, (c) =>
      c.query("SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'"),
    );
    expect(flag.rows).toEqual([{ value: "True" }]);
    // The credentials check: admin/admin works on the source, no longer on the restored copy.
    const { verifyPassword } = await import("@gantry/odoo");
    const adminPassword = (conn: typeof target.conn, database: string) =>
      withDb(
        conn,
        database,
        async (c) => (await c.query("SELECT password FROM res_users WHERE login = 'admin'")).rows[0].password,
      );
    expect(await verifyPassword("admin", await adminPassword(source.conn, source.build.databaseName))).toBe(
      true,
    );
    expect(await verifyPassword("admin", await adminPassword(target.conn, target.build.databaseName))).toBe(
      false,
    );
    // The database belongs to the build's role, and Odoo serves it again.
    const owner = await withDb(target.conn, "postgres", (c) =>
      c.query("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [
        target.build.databaseName,
      ]),
    );
    expect(owner.rows[0].owner).toBe(target.build.databaseRole);
    const health = await fetch(`http://127.0.0.1:${target.build.httpPort}/web/health`);
    expect(health.status).toBe(200);
    // The safety backup of what the staging database held before.
    const safety = await prisma().backup.findUniqueOrThrow({ where: { id: done.safetyBackupId as string } });
    expect(safety.kind).toBe("SAFETY");
    expect(safety.branchId).toBe(staging.branchId);
    expect(safety.status).toBe("DONE");
  });

  it("restores production onto itself after a safety backup: later changes are gone, the safety backup holds them", async () => {
    const prod = await live(production.branchId);
    await withDb(prod.conn, prod.build.databaseName, (c) =>
      c.query("INSERT INTO backup_probe (note) SELECT 'later ' || i FROM generate_series(1, 25) AS i"),
    );
    const restore = await core.requestRestore(actor, projectId, production.branchId, backupId);
    const done = await restoreEnded(restore.id);
    expect(done.error).toBeNull();
    const after = await databaseState(prod.conn, prod.build.databaseName);
    expect(after.rows.backup_probe).toBe(500);
    const health = await fetch(`http://127.0.0.1:${prod.build.httpPort}/web/health`);
    expect(health.status).toBe(200);

    // The safety backup restores the 525 rows: verified like every backup.
    const safety = await backupDone(done.safetyBackupId as string);
    expect(safety.kind).toBe("SAFETY");
    expect(safety.verifyStatus).toBe("VERIFIED");
    const { inspectArchive } = await import("@gantry/backup");
    const inspected = await inspectArchive(join(core.backupStorageRoot(), safety.storageKey as string));
    expect(inspected.manifest.gantry?.row_counts["public.backup_probe"]).toBe(525);
    // No scratch database or aside copy is left behind.
    const leftovers = await withDb(prod.conn, "postgres", (c) =>
      c.query("SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE 'gantry_verify_%'", [
        `${prod.build.databaseName}_%`,
      ]),
    );
    expect(leftovers.rows).toEqual([]);
    const audit = await prisma().auditEvent.count({ where: { projectId, action: "backup.restored" } });
    expect(audit).toBe(2);
  });

  it("takes a neutralized dump from a scratch copy, leaving the live database as it was", async () => {
    const { takeBackup } = await import("../../../apps/worker/src/backups/take");
    const taken = await takeBackup(
      { db: prisma },
      { branchId: production.branchId, kind: "MANUAL", neutralized: true, withFilestore: false },
    );
    const row = await prisma().backup.findUniqueOrThrow({ where: { id: taken.id } });
    expect(row).toMatchObject({ status: "DONE", neutralized: true, withFilestore: false });
    const { inspectArchive, restoreBackup } = await import("@gantry/backup");
    const { dropDatabase, dropRestoreRole } = await import("@gantry/postgres");
    const archive = join(core.backupStorageRoot(), taken.storageKey);
    const inspected = await inspectArchive(archive);
    expect(inspected.filestoreFiles).toBe(0);
    const prod = await live(production.branchId);
    const admin = { ...prod.conn, database: "postgres" };
    const scratch = `gantry_bk_neutral_${randomBytes(4).toString("hex")}`;
    const restored = await restoreBackup({ archive, admin, database: scratch, filestore: null });
    try {
      const flag = "SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'";
      expect((await withDb(prod.conn, scratch, (c) => c.query(flag))).rows).toEqual([{ value: "True" }]);
      expect((await withDb(prod.conn, prod.build.databaseName, (c) => c.query(flag))).rows).toEqual([]);
    } finally {
      await dropDatabase(admin, scratch);
      if (restored.restoreRole) await dropRestoreRole(admin, restored.restoreRole.user);
    }
    // No scratch copy of the neutralization (nor its restore role) is left on the server.
    const left = await withDb(prod.conn, "postgres", (c) =>
      c.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'gantry_neutral_%' UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE 'gantry_restore_%'",
      ),
    );
    expect(left.rows).toEqual([]);
  });

  it("imports an uploaded archive into staging: stored as an IMPORT backup, restored, verified", async () => {
    // The safety backup of the production restore holds 525 probe rows: a state staging never had.
    const safety = await prisma().backup.findFirstOrThrow({
      where: { branchId: production.branchId, kind: "SAFETY", status: "DONE" },
    });
    const { createReadStream } = await import("node:fs");
    const path = join(core.backupStorageRoot(), safety.storageKey as string);
    const queued = await core.importBackup(actor, projectId, staging.branchId, {
      body: createReadStream(path),
      filename: "production.zip",
      declaredBytes: Number(safety.sizeBytes),
    });
    const done = await restoreEnded(queued.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("DONE");
    const imported = await backupDone(done.backupId as string);
    expect(imported).toMatchObject({ kind: "IMPORT", branchId: staging.branchId, verifyStatus: "VERIFIED" });
    expect(imported.sha256).toBe(safety.sha256);
    const target = await live(staging.branchId);
    const state = await databaseState(target.conn, target.build.databaseName);
    expect(state.rows.backup_probe).toBe(525);
    const health = await fetch(`http://127.0.0.1:${target.build.httpPort}/web/health`);
    expect(health.status).toBe(200);
    expect(
      await (await import("node:fs/promises")).readdir(join(core.backupScratchDir(), "uploads")),
    ).toEqual([]);
  });

  it("imports a custom-format pg_dump (.dump) of production into staging, converted to an Odoo zip", async () => {
    const prod = await live(production.branchId);
    const source = await databaseState(prod.conn, prod.build.databaseName);
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { findPgTool } = await import("@gantry/postgres");
    const dumpPath = join(core.backupScratchDir(), `prod-${randomBytes(4).toString("hex")}.dump`);
    await promisify(execFile)(
      (await findPgTool("pg_dump")).path,
      [
        "-h",
        prod.conn.host,
        "-p",
        String(prod.conn.port),
        "-U",
        prod.conn.user,
        "-Fc",
        "--no-owner",
        "-f",
        dumpPath,
        prod.build.databaseName,
      ],
      { env: { ...process.env, PGPASSWORD: prod.conn.password } },
    );
    const fs = await import("node:fs/promises");
    const { createReadStream } = await import("node:fs");
    const queued = await core.importBackup(actor, projectId, staging.branchId, {
      body: createReadStream(dumpPath),
      filename: "production.dump",
    });
    await fs.rm(dumpPath);
    const done = await restoreEnded(queued.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("DONE");
    const imported = await prisma().backup.findUniqueOrThrow({ where: { id: done.backupId as string } });
    expect(imported).toMatchObject({ kind: "IMPORT", withFilestore: false, odooSeries: FIXTURE_SERIES });
    const target = await live(staging.branchId);
    const state = await databaseState(target.conn, target.build.databaseName);
    expect(state.rows.backup_probe).toBe(source.rows.backup_probe);
    expect(state.modules).toEqual(source.modules);
    expect(await fs.readdir(join(core.backupScratchDir(), "uploads"))).toEqual([]);
  });

  it("fails the backup, without waiting on the writer, when storage refuses the archive", async () => {
    const { resetConfigForTests } = await import("@gantry/config");
    const previous = process.env.BACKUP_DIR;
    // A folder that cannot exist: its parent is a file.
    const blocker = join(env.dataDir, "not-a-folder");
    await writeFile(blocker, "x");
    process.env.BACKUP_DIR = join(blocker, "backups");
    resetConfigForTests();
    try {
      const { takeBackup } = await import("../../../apps/worker/src/backups/take");
      await expect(
        takeBackup({ db: prisma }, { branchId: production.branchId, kind: "MANUAL" }),
      ).rejects.toThrow(/ENOTDIR|not a directory/);
      const row = await prisma().backup.findFirstOrThrow({
        where: { branchId: production.branchId },
        orderBy: { createdAt: "desc" },
      });
      expect(row.status).toBe("FAILED");
      expect(row.storageKey).toBeNull();
    } finally {
      process.env.BACKUP_DIR = previous;
      resetConfigForTests();
    }
  });
});

// Real Odoo's own database manager, on a real image only (the stand-in has no manager).
describe.skipIf(!REAL_ODOO)("backups and real Odoo's database manager", () => {
  let manager: OdooManager;
  const databases: string[] = [];

  beforeAll(async () => {
    manager = await startOdooManager();
  }, 180_000);

  afterAll(async () => {
    await manager?.stop();
    for (const db of databases) await dropDb(db);
  }, 120_000);

  it("imports a backup made by real Odoo's /web/database/backup (zip with filestore) into staging", async () => {
    // A database of real Odoo's own: base and contacts with demo data, whose filestore holds files.
    const source = uniqueDb(`${MANAGED_PREFIX}src`);
    databases.push(source);
    const made = await odoo(["odoo", "-d", source, ...DB_ARGS, "-i", "base,contacts", "--stop-after-init"], {
      data: manager.data,
    });
    expect(made.code, made.stderr.slice(-2000)).toBe(0);
    const sourceFiles = await filestoreSums(join(manager.data, "filestore", source));
    expect(Object.keys(sourceFiles).length).toBeGreaterThan(0);
    const [partners] = await query<{ n: string }>(source, "SELECT count(*) AS n FROM res_partner");
    const zip = await managerBackup(manager, source);

    const { createReadStream } = await import("node:fs");
    const queued = await core.importBackup(actor, projectId, staging.branchId, {
      body: createReadStream(zip),
      filename: `${source}.zip`,
    });
    const done = await restoreEnded(queued.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("DONE");
    const imported = await prisma().backup.findUniqueOrThrow({ where: { id: done.backupId as string } });
    expect(imported).toMatchObject({ kind: "IMPORT", withFilestore: true, odooSeries: FIXTURE_SERIES });
    const target = await live(staging.branchId);
    const rows = await withDb(target.conn, target.build.databaseName, (c) =>
      c.query("SELECT count(*) AS n FROM res_partner"),
    );
    expect(rows.rows[0].n).toBe(partners?.n);
    expect(await filestoreSums(target.filestore)).toEqual(sourceFiles);
    const health = await fetch(`http://127.0.0.1:${target.build.httpPort}/web/health`);
    expect(health.status).toBe(200);
  }, 400_000);

  it("a Gantry backup is restored by real Odoo's /web/database/restore, which then serves it", async () => {
    const row = await prisma().backup.findUniqueOrThrow({ where: { id: backupId } });
    const zip = join(env.dataDir, `gantry-${row.id}.zip`);
    const { createWriteStream } = await import("node:fs");
    const { pipeline } = await import("node:stream/promises");
    await pipeline(await core.backupStorage().get(row.storageKey as string), createWriteStream(zip));
    const restored = uniqueDb(`${MANAGED_PREFIX}restored`);
    databases.push(restored);
    const page = await managerRestore(manager, zip, restored);
    const [probe] = await query<{ n: string }>(restored, "SELECT count(*) AS n FROM backup_probe").catch(
      (error: Error) => {
        throw new Error(`${error.message}; the manager answered: ${page}`);
      },
    );
    expect(Number(probe?.n)).toBe(500);
    const prod = await live(production.branchId);
    expect(await filestoreSums(join(manager.data, "filestore", restored))).toEqual(
      await filestoreSums(prod.filestore),
    );
    // The restored database serves: its login page, on the manager's instance.
    const login = await managerPage(manager, "/web/login", restored);
    expect(login.status).toBe(200);
    expect(await login.text()).toMatch(/login/i);
  }, 400_000);
});
