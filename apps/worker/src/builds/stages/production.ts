// Production: one database and one filestore per branch, kept across its builds.
//
// - First build (no database yet): a fresh database, the branch's modules installed without
//   demo data, no tests, the credentials check.
// - Later builds: the modules whose manifest version went up compared to the installed ones,
//   and whether requirements.txt changed. When either: a backup tagged "update" first. Then
//   production stops (as Odoo.sh restarts it on the new code), a rollback snapshot is taken
//   while nobody is connected (CREATE DATABASE … TEMPLATE, and a hard-linked copy of the
//   filestore), the database passes to this build's role, `-u` of exactly those modules
//   runs, and the new build serves. No tests, no demo.
// - Any failure after production stopped puts the snapshot back and restarts the previous
//   build; the new build is red with its log. What to put back is stored with the build before
//   each step that changes production (production-recovery.ts), so a worker that dies mid-update
//   leaves it for the next one to put back the same way.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { bestEffort, config } from "@gantry/config";
import {
  buildDatabaseName,
  type DbServerConnection,
  dbServerForStage,
  endPhase,
  servingFilter,
  servingOrder,
} from "@gantry/core";
import { prisma } from "@gantry/db";
import { changedModules, installCommand, updateCommand } from "@gantry/odoo";
import {
  adminEndpoint,
  copyDatabase,
  copyFilestore,
  createDatabase,
  createRole,
  databaseExists,
  databaseOwner,
  dropDatabase,
  transferDatabase,
} from "@gantry/postgres";
import { takeBackup } from "../../backups";
import { tell } from "../../notifications/tell";
import { credentialsCheck } from "../../shared/neutralize";
import type { ProductionRollback } from "../../shared/production-rollback";
import { odooWritable, productionDirs } from "../../shared/workspace";
import {
  type BuildContext,
  describe,
  inContainer,
  note,
  ODOO_DATA_MOUNT,
  PhaseError,
  runOdoo,
} from "../context";
import {
  checksumsAfter,
  installedModules,
  type ModuleUpdatePlan,
  planModuleUpdate,
  recordedChecksums,
  requirementsOf,
  sameRequirements,
  updateReasons,
} from "../module-updates";
import { verdictOf } from "../result";
import { productionBuildsToClean } from "../retention";
import { productionDatabaseName, rollbackDatabaseName } from "./production-names";
import {
  putBackProduction,
  retirePrevious,
  settleWentLive,
  storedRollback,
  storeRollback,
} from "./production-recovery";
import type { PreparedDatabase, StageHandler } from "./types";

interface PreviousBuild {
  id: string;
  containerName: string | null;
  httpPort: number | null;
  odooRevision: string | null;
  url: string | null;
  moduleChecksums: unknown;
}

/** What this build works on; `rollback` is what a failure puts back, stored before each change. */
interface ProductionState {
  server: DbServerConnection;
  database: string;
  role: string;
  filestore: string;
  rollback: ProductionRollback;
}

/** Stores what a failure from here on puts back, before the change it covers. */
async function holding(ctx: BuildContext, state: ProductionState, next: ProductionRollback): Promise<void> {
  state.rollback = next;
  await storeRollback(ctx.id, next);
}

async function prepare(ctx: BuildContext): Promise<PreparedDatabase> {
  await tell(ctx.job, ctx.project.id, { type: "deploy.started", buildId: ctx.id });
  const server = await dbServerForStage(ctx.project.id, "PRODUCTION");
  const database = productionDatabaseName(ctx.branch.id);
  const role = buildDatabaseName(ctx.id);
  const password = randomBytes(24).toString("hex");
  const connection = { host: server.host, port: server.port, user: role, password };
  const dirs = productionDirs(ctx.branch.id);
  // Odoo writes more than the filestore into its data dir: its sessions (sessions/) and the
  // addons it downloads (addons/<series>), as real Odoo showed.
  await odooWritable(dirs.data);
  await odooWritable(join(dirs.data, "filestore"));
  const filestore = join(dirs.data, "filestore", database);
  const state: ProductionState = {
    server,
    database,
    role,
    filestore,
    rollback: {
      serverId: server.id,
      database,
      filestore,
      restore: { from: "untouched" },
      previous: null,
      leftovers: { databases: [], filestores: [], roles: [] },
    },
  };
  await prisma().build.update({
    where: { id: ctx.id },
    data: { dbServerId: server.id, databaseName: database, databaseRole: role },
  });
  const prepared = { server, database, connection, dataDir: dirs.data };
  if (await databaseExists(server, database)) await update(ctx, state, prepared, password);
  else await install(ctx, state, prepared, password);
  await ctx.skip("tests", "production: no tests");
  return prepared;
}

async function install(
  ctx: BuildContext,
  state: ProductionState,
  prepared: PreparedDatabase,
  password: string,
): Promise<void> {
  const { server, database } = state;
  const logFile = ctx.log("install.log");
  await ctx.step("database", async () => {
    await holding(ctx, state, {
      ...state.rollback,
      restore: { from: "nothing" },
      leftovers: { databases: [], filestores: [], roles: [state.role] },
    });
    await createRole(server, state.role, password);
    await rm(state.filestore, { recursive: true, force: true });
    await createDatabase(server, database, state.role);
    await note(logFile, `new production database ${database} on ${server.name}`);
    await endPhase(ctx.id, "database", "DONE", {
      message: `new production database ${database} on ${server.name}`,
      output: { database, server: server.name, kind: "install", rollback: state.rollback },
    });
  });
  await ctx.step("install", async () => {
    const { plan } = ctx.code;
    const modules = [...plan.dependencies, ...plan.modules];
    const exitCode = await runOdoo(ctx, {
      role: "install",
      cmd: installCommand({
        db: database,
        connection: await inContainer(ctx, prepared.connection),
        omitPassword: true,
        addonsPath: ctx.code.addonsPath,
        dataDir: ODOO_DATA_MOUNT,
        modules: modules.length > 0 ? modules : ["base"],
        series: ctx.series,
        demo: false,
        tests: false,
      }),
      connection: prepared.connection,
      dataDir: prepared.dataDir,
      logFile,
    });
    ctx.runs.push({ logFile, exitCode });
    if (exitCode !== 0)
      throw new PhaseError("install", `installing ${modules.join(", ") || "base"} failed (exit ${exitCode})`);
    // As the build's role, on a connection of its own: a trigger the modules planted on
    // res_users runs with no more rights than the modules already have.
    await credentialsCheck({ ...prepared.connection, database }, (line) => note(logFile, line));
    await recordChecksums(
      ctx,
      checksumsAfter(
        (await installedModules(state.server, database)).keys(),
        ctx.code.checksums,
        null,
        "all",
      ),
    );
    await endPhase(ctx.id, "install", "DONE", {
      message: `${modules.length || 1} modules installed without demo data`,
      output: { installed: modules },
    });
  });
}

/**
 * With the branch's "update changed modules" setting: the installed modules of the checkout
 * whose files differ from what the database was last updated from (the serving build's record),
 * besides those whose version went up; a version that went down is still never updated.
 */
async function filesChanged(
  ctx: BuildContext,
  logFile: string,
  installed: ReadonlyMap<string, string>,
  plan: ModuleUpdatePlan,
  recorded: Record<string, string> | null,
): Promise<string[]> {
  if (!ctx.branch.updateChangedModules) return [];
  if (!recorded) {
    await note(
      logFile,
      "no module checksums recorded by the serving build: this build records them, changed files count from the next one",
    );
    return [];
  }
  const found = changedModules([...installed.keys()], recorded, ctx.code.checksums);
  const changed = found.changed.filter(
    (name) => !plan.upgraded.includes(name) && !plan.downgraded.includes(name),
  );
  await note(logFile, `modules whose files changed with the same version: ${changed.join(", ") || "none"}`);
  return changed;
}

async function recordChecksums(ctx: BuildContext, checksums: Record<string, string>): Promise<void> {
  await prisma().build.update({ where: { id: ctx.id }, data: { moduleChecksums: checksums } });
}

async function liveBuild(ctx: BuildContext): Promise<PreviousBuild | undefined> {
  const row = await prisma().build.findFirst({
    where: {
      branchId: ctx.branch.id,
      stage: "PRODUCTION",
      id: { not: ctx.id },
      ...servingFilter,
    },
    orderBy: servingOrder,
    select: {
      id: true,
      containerName: true,
      httpPort: true,
      odooRevision: true,
      url: true,
      moduleChecksums: true,
    },
  });
  return row ?? undefined;
}

/**
 * The snapshot belongs to the admin (REASSIGN OWNED, when the database changes hands, would
 * otherwise carry it along); the objects inside keep their owner. Template copies need the
 * source idle: other readers (a staging copy, a backup) may hold it for a while.
 */
async function snapshotDatabase(state: ProductionState, owner: string, signal: AbortSignal): Promise<string> {
  const target = rollbackDatabaseName(state.database);
  const admin = state.server.adminUser;
  await dropDatabase(state.server, target);
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    try {
      await createDatabase(state.server, target, admin, state.database);
      return "template copy";
    } catch (error) {
      if (!/being accessed/.test(String(error))) throw error;
      signal.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  // Still in use: a consistent copy through pg_dump/pg_restore works with readers connected.
  await createDatabase(state.server, target, admin);
  await copyDatabase({
    source: adminEndpoint(state.server, state.database),
    target: adminEndpoint(state.server, target),
    targetRole: owner,
    signal,
  });
  return "parallel dump and restore (the database had other readers)";
}

async function update(
  ctx: BuildContext,
  state: ProductionState,
  prepared: PreparedDatabase,
  password: string,
): Promise<void> {
  const { server, database } = state;
  const { runtime } = ctx.job.services;
  const logFile = ctx.log("update.log");
  const modules = await ctx.step("database", async () => {
    const installed = await installedModules(server, database);
    const plan = planModuleUpdate(installed, ctx.code, ctx.series);
    if (plan.invalid.length > 0) {
      throw new PhaseError(
        "database",
        `invalid manifest versions: ${plan.invalid.map((i) => `${i.module}: ${i.error}`).join("; ")}`,
      );
    }
    const previous = await liveBuild(ctx);
    const before = previous ? await requirementsOf(previous.id) : null;
    const requirementsChanged = previous !== undefined && !sameRequirements(before, ctx.image.requirements);
    // A new revision of the series' image (a minor update): every module is updated on it.
    const previousRevision = previous?.odooRevision ?? null;
    const imageChanged = previousRevision !== null && previousRevision !== ctx.image.revision;
    await note(
      logFile,
      `modules whose version went up: ${plan.upgraded.join(", ") || "none"}; requirements.txt ${requirementsChanged ? "changed" : "unchanged"}; Odoo revision ${imageChanged ? `${previousRevision} -> ${ctx.image.revision}` : `${ctx.image.revision} (unchanged)`}`,
    );
    const recorded = recordedChecksums(previous?.moduleChecksums);
    const changed = await filesChanged(ctx, logFile, installed, plan, recorded);
    if (plan.notInstalled.length > 0)
      await note(
        logFile,
        `not installed in production (install them from Apps): ${plan.notInstalled.join(", ")}`,
      );
    if (plan.downgraded.length > 0)
      await note(logFile, `version went down, not updated: ${plan.downgraded.join(", ")}`);

    let backupId: string | null = null;
    if (plan.upgraded.length > 0 || changed.length > 0 || requirementsChanged || imageChanged) {
      if (!previous) {
        await note(
          logFile,
          "no build serves production: no update backup possible, the rollback snapshot is kept",
        );
      } else {
        await ctx.progress("database", 5, 'backup "update"');
        try {
          const backup = await takeBackup(
            { db: ctx.job.services.db, queue: ctx.job.services.queue },
            {
              branchId: ctx.branch.id,
              kind: "UPDATE",
              workerId: ctx.job.workerId,
              signal: ctx.abort,
              onProgress: (percent, message) =>
                ctx.progress("database", 5 + percent * 0.6, `backup "update": ${message}`),
            },
          );
          backupId = backup.id;
          await note(logFile, `backup "update" ${backup.id} stored (${backup.sizeBytes} bytes)`);
        } catch (error) {
          throw new PhaseError(
            "database",
            `the "update" backup failed, production was not touched: ${describe(error)}`,
          );
        }
      }
    }

    // From here on production is down: every failure restarts it as it was.
    const ownerBefore = (await databaseOwner(server, database)) ?? server.adminUser;
    await holding(ctx, state, {
      ...state.rollback,
      previous: previous
        ? {
            buildId: previous.id,
            containerName: previous.containerName,
            httpPort: previous.httpPort,
            host: previous.url ? new URL(previous.url).host : null,
            stopped: previous.containerName !== null,
          }
        : null,
    });
    if (previous?.containerName) {
      await ctx.progress("database", 70, "stopping the serving build");
      // Already stopped or gone is fine: the database is what matters from here.
      await bestEffort(`stopping ${previous.containerName}`, runtime.stop(previous.containerName, 30), {
        logger: ctx.job.logger,
      });
      await note(logFile, `build ${previous.id} stopped`);
    }
    let snapshotHow = "";
    const listed = [...plan.upgraded, ...changed];
    const toUpdate: string[] | "all" = imageChanged ? "all" : listed;
    const reasons = updateReasons(plan, changed, installed, ctx.code);
    await recordChecksums(ctx, checksumsAfter(installed.keys(), ctx.code.checksums, recorded, toUpdate));
    const snapshot = { database: rollbackDatabaseName(database), filestore: "" };
    if (toUpdate.length > 0) {
      await ctx.progress("database", 75, "rollback snapshot");
      snapshot.filestore = join(productionDirs(ctx.branch.id).rollback, database);
      // A snapshot cut half-way is only dropped: it is put back once it is complete.
      await holding(ctx, state, {
        ...state.rollback,
        leftovers: { databases: [snapshot.database], filestores: [snapshot.filestore], roles: [] },
      });
      snapshotHow = await snapshotDatabase(state, ownerBefore, ctx.abort);
      await rm(snapshot.filestore, { recursive: true, force: true });
      await copyFilestore(state.filestore, snapshot.filestore);
      await holding(ctx, state, {
        ...state.rollback,
        restore: { from: "copy", ...snapshot, owner: ownerBefore },
      });
      await note(logFile, `rollback snapshot: ${snapshot.database} (${snapshotHow}), filestore hard-linked`);
    }
    await holding(ctx, state, {
      ...state.rollback,
      restore: snapshotHow ? state.rollback.restore : { from: "owner", role: state.role, owner: ownerBefore },
      leftovers: { ...state.rollback.leftovers, roles: [state.role] },
    });
    await createRole(server, state.role, password);
    await transferDatabase(server, database, ownerBefore, state.role);
    const parts = [
      backupId ? `backup "update" ${backupId.slice(-8)}` : null,
      snapshotHow ? "rollback snapshot" : null,
      imageChanged
        ? `new Odoo revision ${ctx.image.revision}: every module to update`
        : listed.length > 0
          ? `to update: ${listed.map((name) => `${name} (${reasons[name]})`).join(", ")}`
          : ctx.branch.updateChangedModules
            ? "no module version went up, no module's files changed"
            : "no module version went up",
    ].filter(Boolean);
    await endPhase(ctx.id, "database", "DONE", {
      message: parts.join("; "),
      output: {
        database,
        server: server.name,
        kind: "update",
        backupId,
        upgraded: plan.upgraded,
        changed,
        reasons,
        notInstalled: plan.notInstalled,
        requirementsChanged,
        revision: { before: previousRevision, now: ctx.image.revision },
        snapshot: snapshotHow || null,
        rollback: state.rollback,
      },
    });
    return toUpdate;
  });

  if (modules.length === 0) {
    await ctx.skip(
      "install",
      ctx.branch.updateChangedModules
        ? "no module version went up and no module's files changed: nothing to update"
        : "no module version went up: nothing to update",
    );
    return;
  }
  const named = modules === "all" ? "all" : modules.join(", ");
  await ctx.step("install", async () => {
    const exitCode = await runOdoo(ctx, {
      role: "update",
      cmd: updateCommand({
        db: database,
        connection: await inContainer(ctx, prepared.connection),
        omitPassword: true,
        addonsPath: ctx.code.addonsPath,
        dataDir: ODOO_DATA_MOUNT,
        modules,
        tests: false,
      }),
      connection: prepared.connection,
      dataDir: prepared.dataDir,
      logFile,
    });
    ctx.runs.push({ logFile, exitCode });
    // An update that logged errors is not trusted with production even if Odoo exited 0.
    const verdict = await verdictOf([{ logFile, exitCode }]);
    if (exitCode !== 0 || verdict.result === "FAILED")
      throw new PhaseError("install", `updating ${named} failed (exit ${exitCode}); see update.log`);
    await endPhase(ctx.id, "install", "DONE", {
      message: `updated (-u): ${named}`,
      output: { updated: modules },
    });
  });
}

/** After a failure: production put back from what this build stored (the same as after a crash). */
async function recover(ctx: BuildContext): Promise<string | undefined> {
  const installing = (await storedRollback(ctx.id))?.restore.from === "nothing";
  const message = await putBackProduction(ctx.job.services.runtime, ctx.id);
  if (!message) return undefined;
  await note(ctx.log(installing ? "install.log" : "update.log"), message);
  await tell(ctx.job, ctx.project.id, { type: "deploy.rolled_back", buildId: ctx.id, reason: message });
  return message;
}

/** The rollback snapshot is not needed once the new build serves; the previous build goes. */
async function afterServe(ctx: BuildContext): Promise<void> {
  await tell(ctx.job, ctx.project.id, { type: "deploy.done", buildId: ctx.id });
  const rollback = await storedRollback(ctx.id);
  if (!rollback) return;
  // Settled first: from here a crash must not put the previous state back.
  await settleWentLive(ctx.id, rollback);
  await retirePrevious(ctx.job.services.runtime, rollback, ctx.job.logger);
}

export const production: StageHandler = {
  prepare,
  serveSettings: () => ({
    workers: config().BUILD_PROD_WORKERS,
    withMailCatcher: false,
    memoryMb: config().BUILD_PROD_MEMORY_MB,
    cpus: config().BUILD_PROD_CPUS,
  }),
  afterServe,
  recover,
  buildsToClean: (ctx) => productionBuildsToClean(ctx.branch.id),
};
