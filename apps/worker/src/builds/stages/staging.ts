// Staging: a neutralized copy of production with the branch's code, its modules updated;
// no tests, mail caught. Production keeps serving throughout: its database is copied live
// (one snapshot, parallel streams) and its filestore as hard links.
//
// "Update previous build" (staging's default upon new commits, trigger "update"): the
// previous staging build's database and filestore pass to the new build, and only the
// modules are updated. A rebuild, a push on a "new build" branch, or no usable previous
// build: a fresh copy.
//
// Without a production database there is nothing to copy: the build fails saying so (a fresh
// install would look like staging while testing nothing of production's data).
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { config } from "@gantry/config";
import {
  buildDatabaseName,
  type DbServerConnection,
  dbServerById,
  dbServerForStage,
  endPhase,
  upgradeDir,
} from "@gantry/core";
import { prisma } from "@gantry/db";
import {
  adminEndpoint,
  copyDatabase,
  copyFilestore,
  createDatabase,
  createRole,
  databaseExists,
  databaseOwner,
  describePhases,
  setDatabaseOwner,
  transferDatabase,
} from "@gantry/postgres";
import { odooWritable, productionDirs } from "../../shared/workspace";
import { type BuildContext, note, PhaseError, type UpgradeTest } from "../context";
import { branchBuildsToClean } from "../retention";
import { updateCopiedModules } from "./copy-update";
import { neutralizeCopy } from "./neutralize-copy";
import { productionDatabaseName } from "./production-names";
import { previousBuild, takeOver } from "./take-over";
import type { PreparedDatabase, StageHandler } from "./types";

interface ProductionSource {
  branchName: string;
  /** The Odoo revision production's serving build runs. */
  revision: string | null;
  server: DbServerConnection;
  database: string;
  filestore: string;
}

async function productionSource(ctx: BuildContext): Promise<ProductionSource> {
  const branch = await prisma().branch.findFirst({
    where: { projectId: ctx.project.id, stage: "PRODUCTION", deletedAt: null },
  });
  if (!branch) {
    throw new PhaseError(
      "database",
      "staging builds start from a copy of production, and this project has no production branch yet: move a branch to production and build it first",
    );
  }
  const live = await prisma().build.findFirst({
    where: { branchId: branch.id, stage: "PRODUCTION", dbServerId: { not: null }, cleanedAt: null },
    orderBy: { createdAt: "desc" },
    select: { dbServerId: true, odooRevision: true },
  });
  const server = live?.dbServerId
    ? await dbServerById(live.dbServerId)
    : await dbServerForStage(ctx.project.id, "PRODUCTION");
  const database = productionDatabaseName(branch.id);
  if (!(await databaseExists(server, database))) {
    throw new PhaseError(
      "database",
      `production (${branch.name}) has no database yet: build production first, then rebuild this staging branch`,
    );
  }
  return {
    branchName: branch.name,
    revision: live?.odooRevision ?? null,
    server,
    database,
    filestore: join(productionDirs(branch.id).data, "filestore", database),
  };
}

/** How the database was made, and the Odoo revision its data last ran on (null: not compared). */
interface Made {
  message: string;
  revision: string | null;
}

async function freshCopy(ctx: BuildContext, prepared: PreparedDatabase, password: string): Promise<Made> {
  const { server, database, connection } = prepared;
  const logFile = ctx.log("update.log");
  const source = await productionSource(ctx);
  await createRole(server, connection.user, password);
  await createDatabase(server, database, connection.user);
  await note(logFile, `copying production (${source.branchName}: ${source.database}) into ${database}`);
  const report = await copyDatabase({
    source: adminEndpoint(source.server, source.database),
    target: { ...connection, database },
    jobs: config().BUILD_COPY_JOBS,
    signal: ctx.abort,
    onProgress: (percent, message) => void ctx.progress("database", 5 + percent * 0.6, `copy: ${message}`),
  });
  const mb = Math.round(report.bytes / 1048576);
  await note(
    logFile,
    `copied ${report.tables} tables (${mb} MB) in ${(report.ms.total / 1000).toFixed(1)} s with ${report.streams} streams`,
  );
  // Where the time went, for whoever wonders why a staging build took long.
  await note(logFile, `copy phases: ${describePhases(report.phases)}`);
  await ctx.progress("database", 70, "filestore");
  const files = await copyFilestore(source.filestore, join(prepared.dataDir, "filestore", database));
  await note(
    logFile,
    files.copied
      ? `filestore ${files.linked ? "hard-linked" : "copied"} from production`
      : "production has no filestore yet",
  );
  await ctx.progress("database", 75, "neutralizing");
  await neutralizeCopy(ctx, prepared, logFile);
  return {
    message: `neutralized copy of production (${source.branchName}): ${report.tables} tables, ${mb} MB in ${(report.ms.total / 1000).toFixed(1)} s`,
    revision: source.revision,
  };
}

/**
 * Upgrade-test mode: the rehearsal's upgraded copy (already neutralized) cloned as a template
 * (nobody connects to it) and its filestore hard-linked; the branch's modules are then updated
 * on the target series, as Odoo.sh does for each push during the test days.
 */
async function fromUpgradedCopy(
  ctx: BuildContext,
  prepared: PreparedDatabase,
  password: string,
  test: UpgradeTest,
): Promise<Made> {
  const { server, database, connection } = prepared;
  const logFile = ctx.log("update.log");
  if (!(await databaseExists(server, test.database))) {
    throw new PhaseError(
      "database",
      `the upgraded copy of the test upgrade (${test.database}) is gone from ${server.name}: run "Test upgrade" again`,
    );
  }
  const copyOwner = (await databaseOwner(server, test.database)) ?? server.adminUser;
  await createRole(server, connection.user, password);
  await createDatabase(server, database, connection.user, test.database);
  // The objects inside change hands; REASSIGN also moves the kept copy itself, which goes back.
  await transferDatabase(server, database, copyOwner, connection.user);
  await setDatabaseOwner(server, test.database, copyOwner);
  const files = await copyFilestore(
    join(upgradeDir(test.attemptId), "data", "filestore", test.database),
    join(prepared.dataDir, "filestore", database),
  );
  const until = test.until.toISOString().slice(0, 10);
  await note(
    logFile,
    `upgrade-test mode until ${until}: started from the copy upgraded to ${test.series} by attempt ${test.attemptId}${files.copied ? ", filestore hard-linked" : ""}`,
  );
  return {
    message: `upgrade test (${test.series}, until ${until}): the upgraded copy of production`,
    revision: null,
  };
}

async function prepare(ctx: BuildContext): Promise<PreparedDatabase> {
  const server = await dbServerForStage(ctx.project.id, "STAGING");
  const database = buildDatabaseName(ctx.id);
  const password = randomBytes(24).toString("hex");
  const connection = { host: server.host, port: server.port, user: database, password };
  const prepared: PreparedDatabase = { server, database, connection, dataDir: ctx.ws.data };
  const made = await ctx.step("database", async () => {
    await prisma().build.update({
      where: { id: ctx.id },
      data: { dbServerId: server.id, databaseName: database, databaseRole: database },
    });
    await odooWritable(join(ctx.ws.data, "filestore"));
    // In upgrade-test mode every build starts again from the upgraded copy.
    const previous = ctx.upgradeTest ? null : await previousBuild(ctx, "STAGING", server);
    const made = ctx.upgradeTest
      ? await fromUpgradedCopy(ctx, prepared, password, ctx.upgradeTest)
      : previous
        ? {
            message: await takeOver(ctx, prepared, password, previous, ctx.log("update.log")),
            revision: previous.odooRevision,
          }
        : await freshCopy(ctx, prepared, password);
    await endPhase(ctx.id, "database", "DONE", {
      message: made.message,
      output: {
        database,
        server: server.name,
        kind: ctx.upgradeTest ? "upgrade-test" : previous ? "kept" : "copy",
        upgradeAttempt: ctx.upgradeTest?.attemptId ?? null,
        previousBuild: previous?.id ?? null,
        revision: { before: made.revision, now: ctx.image.revision },
      },
    });
    return made;
  });

  await updateCopiedModules(ctx, prepared, made.revision);
  await ctx.skip("tests", "staging: no tests");
  return prepared;
}

export const staging: StageHandler = {
  prepare,
  serveSettings: () => ({
    workers: 1,
    withMailCatcher: true,
    memoryMb: config().BUILD_MEMORY_MB,
    cpus: config().BUILD_CPUS,
  }),
  buildsToClean: (ctx) => branchBuildsToClean(ctx.branch.id, "STAGING"),
};
