// Production and staging builds end to end through the queue and a real worker, on the
// fixture repository and the stand-in Odoo image, against the PostgreSQL server of those
// stages: production installed, updated with an "update" backup, a failing update rolled
// back; staging as a neutralized copy of production, then updated in place.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { PROD_CLUSTER } from "../../support/clusters";
import { FIXTURE_REPO, FIXTURE_SERIES, fixtureVersion } from "../../support/odoo-target";
import { type BuildSuite, startBuildSuite } from "./suite";
import { type BuildTestEnv, loginStatus, shaOf, waitFor } from "./support";

let suite: BuildSuite;
let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;
let producer: import("@gantry/queue").QueueContext;
let runtime: import("@gantry/runtime").ContainerRuntime;
let projectId: string;
let productionBranchId: string;
let productionDb: string;

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  ({ env, runtime, producer } = suite);
  prisma = (await import("@gantry/db")).prisma;
  // Server rows a template may carry were encrypted with another secret: registered again with ours.
  await prisma().dbServer.deleteMany();
  projectId = (await suite.project("stages", { name: "ACME stages" })).id;
  const branch = await prisma().branch.create({
    data: { projectId, name: "main", stage: "PRODUCTION", onNewCommit: "UPDATE_PREVIOUS" },
  });
  productionBranchId = branch.id;
  productionDb = `gantry_p_${branch.id}`;
}, 180_000);

// Production's database is the branch's: cleaning builds keeps it, the suite drops it.
afterAll(() => suite?.close(), 180_000);

async function admin<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    ...PROD_CLUSTER,
    database,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function one<T = Record<string, unknown>>(
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<T> {
  return admin(database, async (c) => (await c.query(sql, params)).rows[0] as T);
}

async function queueBuild(input: {
  branchId: string;
  stage: "PRODUCTION" | "STAGING";
  commitOf: string;
  trigger?: string;
  project?: string;
}): Promise<string> {
  return suite.push({
    projectId: input.project ?? projectId,
    branchId: input.branchId,
    stage: input.stage,
    sha: await shaOf(join(env.repos, `${FIXTURE_REPO}.git`), input.commitOf),
    trigger: input.trigger,
  });
}

function finished(buildId: string) {
  return suite.ended(buildId);
}

function phasesOf(build: { phases: { name: string; status: string }[] }) {
  return Object.fromEntries(build.phases.map((p) => [p.name, p.status]));
}

async function readLog(buildId: string, file: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return readFile(join(env.dataDir, "builds", buildId, "logs", file), "utf8");
}

async function ownerOf(database: string): Promise<string | undefined> {
  const row = await one<{ owner: string } | undefined>(
    "postgres",
    "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1",
    [database],
  );
  return row?.owner;
}

const tableChecksum =
  "SELECT count(*)::int AS n, md5(string_agg(id || ':' || name || ':' || coalesce(budget::text, ''), ',' ORDER BY id)) AS sum FROM acme_project";

const builds: Record<string, string> = {};

describe("production builds", () => {
  it("the first build installs the branch's modules without demo data, runs no tests, and serves", async () => {
    builds.first = await queueBuild({ branchId: productionBranchId, stage: "PRODUCTION", commitOf: "main" });
    const build = await finished(builds.first);
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    expect(phasesOf(build)).toEqual({
      code: "DONE",
      image: "DONE",
      database: "DONE",
      install: "DONE",
      tests: "SKIPPED",
      serve: "DONE",
    });
    expect(build.phases.find((p) => p.name === "tests")?.message).toMatch(/production: no tests/);
    expect(build.databaseName).toBe(productionDb);
    expect(build.databaseRole).toBe(`gantry_b_${build.id}`);
    const server = await prisma().dbServer.findUniqueOrThrow({ where: { id: build.dbServerId as string } });
    expect(server.port).toBe(PROD_CLUSTER.port);
    expect(await ownerOf(productionDb)).toBe(build.databaseRole);

    const base = await one<{ state: string; latest_version: string }>(
      productionDb,
      "SELECT state, latest_version FROM ir_module_module WHERE name = 'acme_base'",
    );
    expect(base).toEqual({ state: "installed", latest_version: fixtureVersion("1.0.0") });
    // Data records are there, the demo record is not.
    const records = await admin(productionDb, async (c) =>
      (
        await c.query<{ name: string }>(
          "SELECT name FROM ir_model_data WHERE module = 'acme_base' AND model = 'acme.project' ORDER BY name",
        )
      ).rows.map((r) => r.name),
    );
    expect(records).toEqual(["project_internal", "project_support"]);
    expect((await one<{ n: number }>(productionDb, "SELECT count(*)::int AS n FROM acme_project")).n).toBe(2);
    // The credentials check: admin/admin does not open production.
    const { verifyPassword } = await import("@gantry/odoo");
    const adminRow = await one<{ password: string }>(
      productionDb,
      "SELECT password FROM res_users WHERE login = 'admin'",
    );
    expect(await verifyPassword("admin", adminRow.password)).toBe(false);
    // The filestore is the branch's, where backups read it.
    const { odooDataDirOf } = await import("../../../apps/worker/src/shared/workspace");
    const filestore = join(odooDataDirOf(build), "filestore", productionDb);
    expect(filestore).toContain(join("production", productionBranchId));
    expect((await stat(filestore)).isDirectory()).toBe(true);
    expect(await loginStatus(build)).toBe(200);
    // Production answers at the project's own host, not at one named after the build.
    const { config } = await import("@gantry/config");
    expect(build.url).toBe(`http://stages-${env.prefix}.${config().BASE_DOMAIN}`);
    expect((await viaCaddy(build.url as string, "/web/login")).status).toBe(200);
    expect(await readLog(build.id, "install.log")).toMatch(/-i [a-z_,]*acme_base/);
  }, 500_000);

  it("a push with a version bump takes an update backup, updates exactly that module, keeps the data and serves the new build", async () => {
    await admin(productionDb, (c) =>
      c.query("INSERT INTO acme_project (name, code, budget) VALUES ('Written in production', 'PROD-1', 42)"),
    );
    const before = await one<{ n: number }>(productionDb, "SELECT count(*)::int AS n FROM acme_project");
    builds.bump = await queueBuild({
      branchId: productionBranchId,
      stage: "PRODUCTION",
      commitOf: "bump",
      trigger: "update",
    });
    const build = await finished(builds.bump);
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    expect(phasesOf(build)).toMatchObject({
      database: "DONE",
      install: "DONE",
      tests: "SKIPPED",
      serve: "DONE",
    });
    expect(build.databaseName).toBe(productionDb);

    const backups = await prisma().backup.findMany({
      where: { branchId: productionBranchId, kind: "UPDATE" },
    });
    expect(backups).toHaveLength(1);
    expect(backups[0]?.status).toBe("DONE");
    expect(build.phases.find((p) => p.name === "database")?.message).toMatch(/backup "update"/);

    const update = await readLog(build.id, "update.log");
    const command = update.split("\n").find((line) => line.includes("gantry: $ "));
    expect(command).toMatch(/ -u acme_base /);
    expect(update).toMatch(/modules whose version went up: acme_base;/);

    const versions = await admin(productionDb, async (c) =>
      Object.fromEntries(
        (
          await c.query<{ name: string; latest_version: string }>(
            "SELECT name, latest_version FROM ir_module_module WHERE name LIKE 'acme_%' ORDER BY name",
          )
        ).rows.map((r) => [r.name, r.latest_version]),
      ),
    );
    expect(versions).toMatchObject({
      acme_base: fixtureVersion("1.1.0"),
      acme_sale_ext: fixtureVersion("1.0.0"),
      acme_docs: fixtureVersion("1.0.0"),
    });
    const migrations = await admin(productionDb, async (c) =>
      (await c.query<{ stage: string }>("SELECT stage FROM acme_migration_log ORDER BY stage")).rows.map(
        (r) => r.stage,
      ),
    );
    expect(migrations).toEqual(["post", "pre"]);
    const kept = await one<{ budget_eur: number }>(
      productionDb,
      "SELECT budget_eur FROM acme_project WHERE code = 'PROD-1'",
    );
    expect(kept.budget_eur).toBe(42);
    expect((await one<{ n: number }>(productionDb, "SELECT count(*)::int AS n FROM acme_project")).n).toBe(
      before.n,
    );

    // Serving switched: the new build answers, at the same production host, and the first one
    // is gone and cleaned.
    expect(await loginStatus(build)).toBe(200);
    const first = await prisma().build.findUniqueOrThrow({ where: { id: builds.first as string } });
    expect(build.url).toBe(first.url);
    expect((await viaCaddy(build.url as string, "/web/login")).status).toBe(200);
    expect(await runtime.listManaged({ build: builds.first as string })).toHaveLength(0);
    // Retention runs right after the build is marked done.
    await waitFor(
      "the first production build to be cleaned",
      async () =>
        (await prisma().build.findUniqueOrThrow({ where: { id: builds.first as string } })).cleanedAt ??
        undefined,
      60_000,
    );
    expect(await ownerOf(productionDb)).toBe(build.databaseRole);
    // The rollback snapshot is gone once the new build serves.
    const snapshot = await one<{ n: number }>(
      "postgres",
      "SELECT count(*)::int AS n FROM pg_database WHERE datname = $1",
      [`${productionDb}_rollback`],
    );
    expect(snapshot.n).toBe(0);
  }, 500_000);

  it("a failing update is rolled back: database and filestore intact, the previous build serves again", async () => {
    const before = await one<{ n: number; sum: string }>(productionDb, tableChecksum);
    const { odooDataDirOf } = await import("../../../apps/worker/src/shared/workspace");
    const filestore = join(
      odooDataDirOf({ id: builds.bump as string, stage: "PRODUCTION", branchId: productionBranchId }),
      "filestore",
      productionDb,
    );
    const { readdir } = await import("node:fs/promises");
    const filesBefore = (await readdir(filestore, { recursive: true })).sort();
    expect(filesBefore.length).toBeGreaterThan(0);

    builds.broken = await queueBuild({
      branchId: productionBranchId,
      stage: "PRODUCTION",
      commitOf: "bump-fail",
      trigger: "update",
    });
    const build = await finished(builds.broken);
    expect(build.result).toBe("FAILED");
    expect(build.errorSummary).toMatch(/updating acme_base failed/);
    expect(build.errorSummary).toMatch(/rolled back/);
    expect(phasesOf(build)).toMatchObject({ database: "DONE", install: "FAILED" });
    const update = await readLog(build.id, "update.log");
    expect(update).toMatch(/cannot be migrated/);
    expect(update).toMatch(/rolled back: database and filestore restored/);

    // The half-migrated rows are gone: the table is exactly as before.
    expect(await one<{ n: number; sum: string }>(productionDb, tableChecksum)).toEqual(before);
    const base = await one<{ latest_version: string }>(
      productionDb,
      "SELECT latest_version FROM ir_module_module WHERE name = 'acme_base'",
    );
    expect(base.latest_version).toBe(fixtureVersion("1.1.0"));
    expect((await readdir(filestore, { recursive: true })).sort()).toEqual(filesBefore);
    // A backup was taken before trying.
    expect(await prisma().backup.count({ where: { branchId: productionBranchId, kind: "UPDATE" } })).toBe(2);

    // The previous build is back, owning its database, answering.
    const previous = await prisma().build.findUniqueOrThrow({ where: { id: builds.bump as string } });
    expect(previous.servingAt).not.toBeNull();
    expect(await loginStatus(previous)).toBe(200);
    expect(await ownerOf(productionDb)).toBe(previous.databaseRole);
    expect(await runtime.listManaged({ build: build.id })).toHaveLength(0);
  }, 500_000);
  it("a production build whose worker died mid-update is put back by reconciliation", async () => {
    const live = await prisma().build.findUniqueOrThrow({ where: { id: builds.bump as string } });
    const before = await one<{ n: number; sum: string }>(productionDb, tableChecksum);
    // The state a killed worker leaves: production stopped, snapshot taken, the database
    // handed to the dead build's role and half-updated; what to put back stored with the build
    // (its database phase's output) as the build stores it.
    const dead = await prisma().build.create({
      data: {
        projectId,
        branchId: productionBranchId,
        stage: "PRODUCTION",
        commitSha: live.commitSha,
        status: "RUNNING",
        workerId: "a-worker-that-is-gone",
        dbServerId: live.dbServerId,
        databaseName: productionDb,
      },
    });
    const role = `gantry_b_${dead.id}`;
    await prisma().build.update({ where: { id: dead.id }, data: { databaseRole: role } });
    const { productionDirs } = await import("../../../apps/worker/src/shared/workspace");
    const dirs = productionDirs(productionBranchId);
    await prisma().buildPhase.create({
      data: {
        buildId: dead.id,
        name: "database",
        position: 2,
        status: "RUNNING",
        output: {
          rollback: {
            serverId: live.dbServerId as string,
            database: productionDb,
            filestore: join(dirs.data, "filestore", productionDb),
            restore: {
              from: "copy",
              database: `${productionDb}_rollback`,
              filestore: join(dirs.rollback, productionDb),
              owner: live.databaseRole as string,
            },
            previous: {
              buildId: live.id,
              containerName: live.containerName,
              httpPort: live.httpPort,
              host: new URL(live.url as string).host,
              stopped: true,
            },
            leftovers: { databases: [`${productionDb}_rollback`], filestores: [], roles: [role] },
          },
        },
      },
    });
    await runtime.stop(live.containerName as string, 10);
    await admin("postgres", async (c) => {
      await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD 'abcdef0123456789abcdef'`);
      // As createRole does: the administrator (no superuser) acts on a role it is a member of.
      await c.query(`GRANT "${role}" TO CURRENT_USER`);
      await c.query(`CREATE DATABASE "${productionDb}_rollback" TEMPLATE "${productionDb}"`);
      await c.query(`ALTER DATABASE "${productionDb}" OWNER TO "${role}"`);
    });
    await admin(productionDb, async (c) => {
      await c.query(`REASSIGN OWNED BY "${live.databaseRole}" TO "${role}"`);
      await c.query("UPDATE acme_project SET name = 'half-updated'");
    });

    const { reconcileBuilds } = await import("../../../apps/worker/src/builds/reconcile");
    const report = await reconcileBuilds({ runtime, queue: producer, workerId: "reconciling-worker" });
    expect(report.failedBuilds).toContain(dead.id);
    expect(report.putBack).toEqual([
      { buildId: dead.id, putBack: expect.stringMatching(/^rolled back: database and filestore restored/) },
    ]);
    const ended = await prisma().build.findUniqueOrThrow({
      where: { id: dead.id },
      include: { phases: true },
    });
    expect(ended.errorSummary).toMatch(/interrupted[\s\S]*rolled back: database and filestore restored/);
    // Settled: cleaning the build later does not put anything back a second time.
    expect(ended.phases.find((p) => p.name === "database")?.output).toMatchObject({ rollback: null });

    expect(await one<{ n: number; sum: string }>(productionDb, tableChecksum)).toEqual(before);
    expect(await ownerOf(productionDb)).toBe(live.databaseRole);
    const tableOwner = await one<{ tableowner: string }>(
      productionDb,
      "SELECT tableowner FROM pg_tables WHERE tablename = 'acme_project'",
    );
    expect(tableOwner.tableowner).toBe(live.databaseRole);
    expect(
      await one<{ n: number }>("postgres", "SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1", [
        role,
      ]),
    ).toEqual({ n: 0 });
    expect(
      await one<{ n: number }>("postgres", "SELECT count(*)::int AS n FROM pg_database WHERE datname = $1", [
        `${productionDb}_rollback`,
      ]),
    ).toEqual({ n: 0 });
    await waitFor(
      "the previous production build to answer again",
      async () => ((await loginStatus(live)) === 200 ? true : undefined),
      120_000,
    );
  }, 300_000);
});

describe("staging builds", () => {
  let stagingBranchId: string;

  it("a staging build is a neutralized copy of production with the branch's modules updated", async () => {
    // Production has live mail servers and crons; the copy must not.
    await admin(productionDb, async (c) => {
      // Real Odoo requires smtp_authentication (the ORM's default is 'login'); the stand-in has no such column.
      const { rows } = await c.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'ir_mail_server' AND column_name = 'smtp_authentication'",
      );
      const [columns, values] = rows.length > 0 ? [", smtp_authentication", ", 'login'"] : ["", ""];
      await c.query(
        `INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, active${columns}) VALUES ('Production SMTP', 'smtp.acme.example.com', 587, 'none', true${values})`,
      );
      await c.query("UPDATE ir_cron SET active = true");
    });
    const branch = await prisma().branch.create({
      data: { projectId, name: "staging-1", stage: "STAGING", onNewCommit: "UPDATE_PREVIOUS" },
    });
    stagingBranchId = branch.id;
    builds.staging = await queueBuild({ branchId: branch.id, stage: "STAGING", commitOf: "bump" });
    const build = await finished(builds.staging);
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    expect(phasesOf(build)).toEqual({
      code: "DONE",
      image: "DONE",
      database: "DONE",
      install: "DONE",
      tests: "SKIPPED",
      serve: "DONE",
    });
    expect(build.phases.find((p) => p.name === "database")?.message).toMatch(
      /neutralized copy of production \(main\)/,
    );
    const database = build.databaseName as string;
    expect(database).toBe(`gantry_b_${build.id}`);
    const server = await prisma().dbServer.findUniqueOrThrow({ where: { id: build.dbServerId as string } });
    expect(server.port).toBe(PROD_CLUSTER.port);

    // Production's data, neutralized.
    expect(
      await one<{ n: number }>(database, "SELECT count(*)::int AS n FROM acme_project WHERE code = 'PROD-1'"),
    ).toEqual({ n: 1 });
    expect(
      await one<{ value: string }>(
        database,
        "SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'",
      ),
    ).toMatchObject({ value: expect.stringMatching(/^true$/i) });
    // Production's own servers are off, and so is the server that cannot deliver which Odoo's
    // mail/data/neutralize.sql adds: the copy's mail goes to the catcher on its command line.
    const servers = await admin(
      database,
      async (c) =>
        (
          await c.query<{ name: string; smtp_host: string | null }>(
            "SELECT name, smtp_host FROM ir_mail_server WHERE active ORDER BY id",
          )
        ).rows,
    );
    expect(servers).toEqual([]);
    const activeCrons = await admin(database, async (c) =>
      (
        await c.query<{ name: string }>(
          `SELECT d.name FROM ir_cron c LEFT JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id WHERE c.active`,
        )
      ).rows.map((r) => r.name),
    );
    expect(activeCrons.filter((name) => name !== "autovacuum_job")).toEqual([]);
    expect(await ownerOf(database)).toBe(build.databaseRole);
    const tableOwner = await one<{ tableowner: string }>(
      database,
      "SELECT tableowner FROM pg_tables WHERE tablename = 'acme_project'",
    );
    expect(tableOwner.tableowner).toBe(build.databaseRole);

    // Production itself untouched and still serving.
    expect(
      await one<{ n: number }>(productionDb, "SELECT count(*)::int AS n FROM ir_mail_server WHERE active"),
    ).toMatchObject({ n: expect.any(Number) });
    expect(
      (await one<{ n: number }>(productionDb, "SELECT count(*)::int AS n FROM ir_mail_server WHERE active"))
        .n,
    ).toBeGreaterThan(0);
    const live = await prisma().build.findUniqueOrThrow({ where: { id: builds.bump as string } });
    expect(await loginStatus(live)).toBe(200);

    // The filestore: production's files, as hard links.
    const { readdir } = await import("node:fs/promises");
    const prodFiles = join(env.dataDir, "production", productionBranchId, "data", "filestore", productionDb);
    const copyFiles = join(env.dataDir, "builds", build.id, "data", "filestore", database);
    const files = (await readdir(prodFiles, { recursive: true, withFileTypes: true })).filter((f) =>
      f.isFile(),
    );
    expect(files.length).toBeGreaterThan(0);
    const sample = join(files[0]!.parentPath, files[0]!.name).slice(prodFiles.length);
    expect((await stat(join(copyFiles, sample))).ino).toBe((await stat(join(prodFiles, sample))).ino);

    const update = await readLog(build.id, "update.log");
    expect(update).toMatch(/neutralize/);
    expect(update.split("\n").find((line) => line.includes(" -u "))).toMatch(
      /-u acme_base,acme_docs,acme_sale_ext|-u acme_/,
    );
    expect(await loginStatus(build)).toBe(200);
  }, 500_000);

  it('"update previous build" keeps the previous staging database and only updates the modules', async () => {
    const previous = await prisma().build.findUniqueOrThrow({ where: { id: builds.staging as string } });
    await admin(previous.databaseName as string, (c) =>
      c.query("INSERT INTO acme_project (name, code) VALUES ('Written in staging', 'STG-1')"),
    );
    builds.stagingUpdate = await queueBuild({
      branchId: stagingBranchId,
      stage: "STAGING",
      commitOf: "bump",
      trigger: "update",
    });
    const build = await finished(builds.stagingUpdate);
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    expect(build.phases.find((p) => p.name === "database")?.message).toMatch(
      /kept the database of the previous build/,
    );
    const database = build.databaseName as string;
    expect(database).toBe(`gantry_b_${build.id}`);
    expect(
      await one<{ n: number }>(database, "SELECT count(*)::int AS n FROM acme_project WHERE code = 'STG-1'"),
    ).toEqual({
      n: 1,
    });
    expect(
      await one<{ value: string }>(
        database,
        "SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'",
      ),
    ).toMatchObject({ value: expect.stringMatching(/^true$/i) });
    expect(await readLog(build.id, "update.log")).toMatch(/ -u acme_/);
    expect(await loginStatus(build)).toBe(200);
    // Staging keeps its latest build: the previous one is cleaned, its old database name gone.
    await waitFor(
      "the previous staging build to be cleaned",
      async () =>
        (await prisma().build.findUniqueOrThrow({ where: { id: builds.staging as string } })).cleanedAt ??
        undefined,
      60_000,
    );
    expect(
      await one<{ n: number }>("postgres", "SELECT count(*)::int AS n FROM pg_database WHERE datname = $1", [
        previous.databaseName,
      ]),
    ).toEqual({ n: 0 });
  }, 500_000);

  it("a staging build of a project without production fails saying so", async () => {
    const other = await prisma().project.create({
      data: {
        slug: `noprod-${env.prefix}`,
        name: "No production",
        githubOwner: "acme",
        githubRepo: `noprod-${env.prefix}`,
        odooSeries: FIXTURE_SERIES,
        gitUrl: join(env.repos, `${FIXTURE_REPO}.git`),
      },
    });
    const branch = await prisma().branch.create({
      data: { projectId: other.id, name: "main", stage: "STAGING", onNewCommit: "UPDATE_PREVIOUS" },
    });
    const id = await queueBuild({
      branchId: branch.id,
      stage: "STAGING",
      commitOf: "main",
      project: other.id,
    });
    const build = await finished(id);
    expect(build.result).toBe("FAILED");
    expect(build.errorSummary).toMatch(/no production branch/);
    expect(phasesOf(build)).toMatchObject({ database: "FAILED", serve: "SKIPPED" });
  }, 500_000);
});
