// The upgrade use-cases and the migrations queue end to end: a verified production backup of a
// 16.0 database (the acme16 fixture with attachments) stored like the backups side stores it,
// a staging branch on the fixture's 17.0 code, "Test upgrade" asked through the core use-case
// and run by a real worker; then a rehearsal that fails (16.0 code on 17.0), the access rule,
// and a production upgrade that needs a successful rehearsal first.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildTestEnv, requireImage, shaOf, useBuildTestEnv } from "../builds/support";
import { dropDb, imageOf, PG, query } from "../standin/helpers";
import { attemptEnded, makeAcme16Source } from "./support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let producer: import("@gantry/queue").QueueContext;
let worker: import("../../../apps/worker/src/start-worker").RunningWorker;
let projectId: string;
let productionId: string;
let admin: import("@gantry/core").Actor;
let sourceDb = "";
let rehearsed: { attemptId: string; branchId: string } | undefined;
let queue: typeof import("@gantry/queue");

async function stagingBranch(name: string, ref: string) {
  return prisma().branch.create({
    data: {
      projectId,
      name,
      stage: "STAGING",
      lastSeenSha: await shaOf(join(env.repos, "acme16.git"), ref),
    },
  });
}

beforeAll(async () => {
  await requireImage(imageOf("16.0"));
  await requireImage(imageOf("17.0"));
  env = await useBuildTestEnv();
  // The use-cases enqueue on the configured prefix: the worker below listens on the same one.
  process.env.REDIS_PREFIX = env.prefix;
  (await import("@gantry/config")).resetConfigForTests();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  queue = await import("@gantry/queue");
  producer = queue.createQueueContext({
    redisUrl: (await import("@gantry/config")).config().REDIS_URL,
    prefix: env.prefix,
  });
  const { startWorker } = await import("../../../apps/worker/src/start-worker");
  worker = await startWorker({
    prefix: env.prefix,
    queues: ["migrations", "builds"],
    concurrency: 1,
    shutdownTimeoutMs: 5000,
  });

  const project = await prisma().project.create({
    data: {
      slug: `acme16-${env.prefix}`,
      name: "ACME 16",
      githubOwner: "acme",
      githubRepo: env.prefix,
      odooSeries: "16.0",
      gitUrl: join(env.repos, "acme16.git"),
    },
  });
  projectId = project.id;
  const user = await prisma().user.create({
    data: { email: `admin-${env.prefix}@acme.example.com`, name: "Admin" },
  });
  admin = { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
  const production = await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } });
  productionId = production.id;

  // Production's database on 16.0, and its backup stored and marked verified as the backups side does.
  const source = await makeAcme16Source("upg_prod16");
  sourceDb = source.database;
  const backup = await prisma().backup.create({
    data: { projectId, branchId: productionId, kind: "DAILY", status: "RUNNING", odooSeries: "16.0" },
  });
  const key = core.backupKey(projectId, productionId, backup.id);
  const { createBackup } = await import("@gantry/backup");
  const { mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const zip = join(await mkdtemp(join(tmpdir(), "gantry-upgrade-backup-")), "backup.zip");
  await createBackup({
    source: { ...PG, database: sourceDb },
    filestore: source.filestore,
    output: zip,
  });
  const { createReadStream } = await import("node:fs");
  const stored = await core.backupStorage().put(key, createReadStream(zip));
  await prisma().backup.update({
    where: { id: backup.id },
    data: {
      status: "DONE",
      storageKey: key,
      sizeBytes: stored.size,
      sha256: stored.sha256,
      verifyStatus: "VERIFIED",
      finishedAt: new Date(),
    },
  });
}, 300_000);

afterAll(async () => {
  await worker?.stop();
  const { cleanupBuild } = await import("../../../apps/worker/src/builds/cleanup");
  const runtime = new (await import("@gantry/runtime")).DockerRuntime();
  for (const build of (await prisma?.().build.findMany({ select: { id: true } })) ?? [])
    await cleanupBuild(runtime, build.id).catch(() => {});
  const attempts = (await prisma?.().upgradeAttempt.findMany({ select: { id: true } })) ?? [];
  for (const { id } of attempts) {
    await dropDb(`gantry_u_${id}`).catch(() => {});
    await dropDb(`gantry_u_${id}_src`).catch(() => {});
    await query("postgres", `DROP ROLE IF EXISTS "gantry_u_${id}"`).catch(() => {});
  }
  if (sourceDb) await dropDb(sourceDb);
  await producer?.close();
  await prisma?.().$disconnect();
  await env?.db.drop();
}, 120_000);

describe("upgrade rehearsal on staging", () => {
  it("offers the newer series whose image exists", async () => {
    const branch = await stagingBranch("staging-targets", "17.0");
    const overview = await core.upgradeOverview(admin, projectId, branch.id);
    expect(overview.currentSeries).toBe("16.0");
    expect(overview.targets).toEqual(expect.arrayContaining(["17.0", "18.0"]));
    expect(overview.targets).not.toContain("16.0");
    expect(overview.attempts).toEqual([]);
  });

  it("refuses every role but Admin, and development branches", async () => {
    const branch = await stagingBranch("staging-access", "17.0");
    const tester = { ...admin, memberships: { [projectId]: "TESTER" as const } };
    await expect(
      core.requestRehearsal(tester, projectId, branch.id, { toSeries: "17.0" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    const dev = await prisma().branch.create({ data: { projectId, name: "dev-x", stage: "DEVELOPMENT" } });
    await expect(core.upgradeOverview(admin, projectId, dev.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      core.requestRehearsal(admin, projectId, branch.id, { toSeries: "15.0" }),
    ).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("restores the latest verified production backup, upgrades it to 17.0 with the branch's code and keeps the copy", async () => {
    const branch = await stagingBranch("staging-17", "17.0");
    const asked = await core.requestRehearsal(admin, projectId, branch.id, { toSeries: "17.0" });
    expect(asked.status).toBe("QUEUED");
    // A second one while the first is on its way is refused.
    await expect(
      core.requestRehearsal(admin, projectId, branch.id, { toSeries: "17.0" }),
    ).rejects.toMatchObject({
      code: "conflict",
    });

    const done = await attemptEnded(asked.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    const attempt = await core.getUpgradeAttempt(admin, asked.id);
    expect(attempt.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "restore:done",
      "copy:done",
      "pre:done",
      "update:done",
      "post:done",
      "verify:done",
      "modules:done",
    ]);
    const report = attempt.report!;
    expect(report.fromSeries).toBe("16.0");
    expect(report.toSeries).toBe("17.0");
    expect(report.logStatus).not.toBe("failed");
    expect(report.modules.find((m) => m.name === "acme_legacy")).toMatchObject({
      before: "16.0.1.0.0",
      after: "17.0.1.0.0",
    });
    expect(report.rows.find((r) => r.table === "acme_legacy")).toEqual({
      table: "acme_legacy",
      before: 2,
      after: 2,
    });
    expect(attempt.testModeUntil).not.toBeNull();
    expect(attempt.testModeUntil!.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);

    // The kept copy: upgraded, both project scripts ran, neutralized, a new uuid, attachments there.
    const copy = `gantry_u_${asked.id}`;
    expect(done.copyDatabase).toBe(copy);
    expect(
      (
        await query<{ stage: string }>(copy, "SELECT stage FROM acme_upgrade_log ORDER BY at, stage DESC")
      ).map((r) => r.stage),
    ).toEqual(["pre", "post"]);
    const flags = await query<{ key: string; value: string }>(
      copy,
      "SELECT key, value FROM ir_config_parameter WHERE key IN ('database.is_neutralized', 'database.uuid') ORDER BY key",
    );
    const sourceUuid = await query<{ value: string }>(
      sourceDb,
      "SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'",
    );
    // Odoo writes "True"; `odoo neutralize` in some series writes "true".
    expect(flags.find((f) => f.key === "database.is_neutralized")?.value.toLowerCase()).toBe("true");
    expect(flags.find((f) => f.key === "database.uuid")?.value).not.toBe(sourceUuid[0]?.value);
    expect((await query(copy, "SELECT 1 FROM ir_attachment WHERE store_fname IS NOT NULL")).length).toBe(2);
    // The restored source was only a step: gone.
    expect(await query("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [`${copy}_src`])).toEqual(
      [],
    );

    const log = await (await import("node:fs/promises")).readFile(core.upgradeLogFile(asked.id), "utf8");
    expect(log).toMatch(/restoring backup/);
    expect(log).toMatch(/Running migration \[17\.0\.1\.0\.0<\] post-series/);

    const overview = await core.upgradeOverview(admin, projectId, branch.id);
    expect(overview.testMode?.attemptId).toBe(asked.id);
    expect((await core.upgradeTestMode(branch.id))?.copyDatabase).toBe(copy);
    rehearsed = { attemptId: asked.id, branchId: branch.id };
  });

  it("builds each push of the branch in upgrade-test mode from the upgraded copy, on 17.0", async () => {
    if (!rehearsed) throw new Error("needs the successful rehearsal above");
    const { attemptId, branchId } = rehearsed;
    const copy = `gantry_u_${attemptId}`;
    const sha = await shaOf(join(env.repos, "acme16.git"), "17.0");
    const builds = [];
    // Two pushes with "update previous build": in test mode each starts again from the copy.
    for (const trigger of ["push", "update"]) {
      const build = await prisma().build.create({
        data: { projectId, branchId, stage: "STAGING", commitSha: sha, trigger },
      });
      await queue.enqueue(
        "builds.run",
        { buildId: build.id },
        { jobId: queue.buildJobId(build.id) },
        producer,
      );
      const { waitFor } = await import("../builds/support");
      const done = await waitFor(
        `staging build ${build.id}`,
        async () => {
          const row = await prisma().build.findUniqueOrThrow({
            where: { id: build.id },
            include: { phases: true },
          });
          return row.status === "DONE" || row.status === "CANCELLED" ? row : undefined;
        },
        300_000,
      );
      builds.push(done);
      expect({ result: done.result, error: done.errorSummary }).toEqual({ result: "SUCCESS", error: null });
      expect(done.odooSeries).toBe("17.0");
      const database = done.phases.find((p) => p.name === "database");
      expect(database?.output).toMatchObject({
        kind: "upgrade-test",
        upgradeAttempt: attemptId,
        previousBuild: null,
      });
      expect(database?.message).toMatch(/upgrade test \(17\.0/);
      // The upgraded data: both project scripts had run on it, and its attachments came along.
      expect(
        (
          await query<{ stage: string }>(
            done.databaseName!,
            "SELECT stage FROM acme_upgrade_log ORDER BY at, stage DESC",
          )
        ).map((r) => r.stage),
      ).toEqual(["pre", "post"]);
      const legacy = await query<{ latest_version: string }>(
        done.databaseName!,
        "SELECT latest_version FROM ir_module_module WHERE name = 'acme_legacy'",
      );
      expect(legacy[0]?.latest_version).toBe("17.0.1.0.0");
      const runtime = new (await import("@gantry/runtime")).DockerRuntime();
      expect((await runtime.inspect(done.containerName!)).image).toBe(imageOf("17.0"));
    }
    expect(builds[1]!.databaseName).not.toBe(builds[0]!.databaseName);
    // The copy stays the rehearsal's, idle, for the next pushes.
    const owner = await query<{ owner: string }>(
      "postgres",
      "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
      [copy],
    );
    expect(owner[0]?.owner).toBe(copy);
  });

  it("drops the upgraded copy once its test days are over: the branch builds from production again", async () => {
    if (!rehearsed) throw new Error("needs the successful rehearsal above");
    const { attemptId, branchId } = rehearsed;
    const copy = `gantry_u_${attemptId}`;
    const { dropEndedTestCopies } = await import("../../../apps/worker/src/odoo-versions/test-copies");
    // Still within its days: kept.
    expect(await dropEndedTestCopies(prisma())).not.toContain(attemptId);
    await prisma().upgradeAttempt.update({
      where: { id: attemptId },
      data: { testModeUntil: new Date(Date.now() - 1000) },
    });
    expect(await dropEndedTestCopies(prisma())).toContain(attemptId);
    expect(await query("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [copy])).toEqual([]);
    expect(await query("postgres", "SELECT 1 FROM pg_roles WHERE rolname = $1", [copy])).toEqual([]);
    const row = await prisma().upgradeAttempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(row.copyDatabase).toBeNull();
    expect(row.report).not.toBeNull(); // the report and log stay
    expect(await core.upgradeTestMode(branchId)).toBeNull();
  });

  it("fails on code that does not load on 17.0, leaving nothing behind, and shows the failure until acknowledged", async () => {
    const branch = await stagingBranch("staging-16-code", "main");
    const asked = await core.requestRehearsal(admin, projectId, branch.id, { toSeries: "17.0" });
    const done = await attemptEnded(asked.id);
    expect(done.status).toBe("FAILED");
    expect(done.failedStep).toBe("update");
    expect(done.error).toMatch(/-u all on 17\.0 failed/);
    expect(
      await query("postgres", "SELECT 1 FROM pg_database WHERE datname LIKE $1", [`gantry_u_${asked.id}%`]),
    ).toEqual([]);
    expect(
      await query("postgres", "SELECT 1 FROM pg_roles WHERE rolname = $1", [`gantry_u_${asked.id}`]),
    ).toEqual([]);

    const failures = await core.unacknowledgedUpgradeFailures(admin, projectId);
    expect(failures.map((f) => f.id)).toContain(asked.id);
    await core.acknowledgeUpgradeFailure(admin, asked.id);
    expect((await core.unacknowledgedUpgradeFailures(admin, projectId)).map((f) => f.id)).not.toContain(
      asked.id,
    );
    await expect(core.acknowledgeUpgradeFailure(admin, asked.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("schedules production only after a successful rehearsal of that series, and cancels it", async () => {
    const when = { mode: "next-push" as const };
    await expect(
      core.requestProductionUpgrade(admin, projectId, productionId, { toSeries: "18.0", when }),
    ).rejects.toMatchObject({ code: "conflict" });
    const scheduled = await core.requestProductionUpgrade(admin, projectId, productionId, {
      toSeries: "17.0",
      when,
    });
    expect(scheduled.status).toBe("SCHEDULED");
    expect(scheduled.onNextPush).toBe(true);
    expect(await core.cancelUpgrade(admin, scheduled.id)).toEqual({ outcome: "cancelled" });
    expect((await core.getUpgradeAttempt(admin, scheduled.id)).status).toBe("CANCELLED");
    await expect(core.cancelUpgrade(admin, scheduled.id)).rejects.toMatchObject({ code: "conflict" });
  });
});
