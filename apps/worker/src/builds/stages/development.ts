// Development: a fresh database cloned from the template of the standard modules, the
// checkout's dependencies installed, then the branch's modules with demo data and tests.
import { randomBytes } from "node:crypto";
import { appendFile } from "node:fs/promises";
import { config } from "@gantry/config";
import { buildContainerName, buildDatabaseName, dbServerForStage, endPhase } from "@gantry/core";
import { prisma } from "@gantry/db";
import { installCommand, templateKey } from "@gantry/odoo";
import { createRole } from "@gantry/postgres";
import { type BuildContext, inContainer, ODOO_DATA_MOUNT, PhaseError, runOdoo } from "../context";
import { branchBuildsToClean } from "../retention";
import { cloneTemplate, ensureTemplate, evictTemplates } from "../templates";
import type { PreparedDatabase, StageHandler } from "./types";

async function prepare(ctx: BuildContext): Promise<PreparedDatabase> {
  const { id, code, image, series, branch } = ctx;
  const { queue, runtime } = ctx.job.services;
  const server = await dbServerForStage(ctx.project.id, "DEVELOPMENT");
  const database = buildDatabaseName(id);
  const password = randomBytes(24).toString("hex");
  const connection = { host: server.host, port: server.port, user: database, password };
  const demo = true;
  await ctx.step("database", async () => {
    await prisma().build.update({
      where: { id },
      data: { dbServerId: server.id, databaseName: database, databaseRole: database },
    });
    await createRole(server, database, password);
    // By revision: the same image pinned or followed as latest shares its templates.
    const installed = `${image.derived ? image.image : "odoo"}@${image.revision}`;
    const key = templateKey({ series, demo, modules: code.plan.standard, image: installed });
    await ctx.progress("database", 10, `template ${key.databaseName}`);
    const template = await ensureTemplate({
      runtime,
      queue,
      server,
      key,
      image: image.image,
      series,
      logFile: ctx.log("install.log"),
      containerName: buildContainerName(id, "install"),
      owner: ctx.owner,
      signal: ctx.abort,
    });
    await ctx.progress("database", 80, template.built ? "template built" : "template reused");
    await cloneTemplate({ server, template: template.name, database, role: database, dataDir: ctx.ws.data });
    await endPhase(id, "database", "DONE", {
      message: `${database} from ${template.name}${template.built ? " (built now)" : " (cached)"}`,
      output: { template: template.name, templateBuilt: template.built, server: server.name },
    });
  });

  const common = {
    db: database,
    connection: await inContainer(ctx, connection),
    omitPassword: true,
    addonsPath: code.addonsPath,
    dataDir: ODOO_DATA_MOUNT,
  };
  const full = branch.moduleInstall === "FULL";
  // Checkout modules needed but not asked for (e.g. from submodules) are dependencies: no tests.
  const installModules = full
    ? code.plan.order.filter((m) => !code.plan.standard.includes(m))
    : code.plan.dependencies;

  await ctx.step("install", async () => {
    if (installModules.length === 0) {
      await appendFile(ctx.log("install.log"), "no dependencies to install beyond the template\n");
      return;
    }
    const logFile = ctx.log("install.log");
    const exitCode = await runOdoo(ctx, {
      role: "install",
      cmd: installCommand({ ...common, modules: installModules, series, demo, tests: false }),
      connection,
      dataDir: ctx.ws.data,
      logFile,
    });
    ctx.runs.push({ logFile, exitCode });
    if (exitCode !== 0)
      throw new PhaseError("install", `installing ${installModules.join(", ")} failed (exit ${exitCode})`);
  });

  if (full || code.plan.modules.length === 0) {
    await ctx.skip("tests", full ? "full installation: tests off" : "no modules of the repository to test");
  } else {
    await ctx.step("tests", async () => {
      const logFile = ctx.log("tests.log");
      const exitCode = await runOdoo(ctx, {
        role: "tests",
        cmd: installCommand({
          ...common,
          modules: code.plan.modules,
          series,
          demo,
          tests: branch.testTags ? { tags: branch.testTags } : {},
        }),
        connection,
        dataDir: ctx.ws.data,
        logFile,
      });
      ctx.runs.push({ logFile, exitCode });
      // Exit 1 is failed tests: the database is there and can still be served.
      if (exitCode !== 0 && exitCode !== 1) {
        throw new PhaseError("tests", `Odoo could not initialize the database (exit ${exitCode})`);
      }
      if (exitCode !== 0) await endPhase(id, "tests", "FAILED", { message: "tests failed" });
    });
  }
  return { server, database, connection, dataDir: ctx.ws.data };
}

export const development: StageHandler = {
  prepare,
  serveSettings: () => ({
    workers: 1,
    withMailCatcher: true,
    memoryMb: config().BUILD_MEMORY_MB,
    cpus: config().BUILD_CPUS,
  }),
  async afterServe(ctx, prepared) {
    await evictTemplates(ctx.job.services.queue, prepared.server).catch((error) =>
      ctx.job.logger.warn({ err: error }, "template eviction failed"),
    );
  },
  buildsToClean: (ctx) => branchBuildsToClean(ctx.branch.id, "DEVELOPMENT"),
};
