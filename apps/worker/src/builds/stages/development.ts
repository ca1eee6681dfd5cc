// Development: a fresh database cloned from the template of the standard modules, the
// checkout's dependencies installed, then the branch's modules with demo data and tests.
// The branch's settings shape it, as on Odoo.sh:
// - module installation: only my modules (the repository's), a list (those and their
//   dependencies, their tests), or full (every module of the image and of the checkout, no tests);
// - test tags: `--test-tags` of the test run; without them, the standard tests of the modules
//   the build installs;
// - "update previous build": a push takes over the previous build's database (development-update.ts).
// A pull request's preview in the project's STAGING_COPY mode starts from production's latest
// verified backup instead (preview-copy.ts).
import { randomBytes } from "node:crypto";
import { appendFile } from "node:fs/promises";
import { config, instanceId } from "@gantry/config";
import { buildContainerName, buildDatabaseName, dbServerForStage, endPhase } from "@gantry/core";
import { prisma } from "@gantry/db";
import { fullInstallImageModules, installCommand, templateKey } from "@gantry/odoo";
import { createRole } from "@gantry/postgres";
import { type BuildContext, PhaseError, runOdoo } from "../context";
import { uninstalledModules } from "../module-updates";
import { branchBuildsToClean } from "../retention";
import { cloneTemplate, ensureTemplate, evictTemplates } from "../templates";
import { type DevRun, devRun, runDevTests } from "./development-run";
import { updatePrevious } from "./development-update";
import { fromProductionBackup, isCopyPreview } from "./preview-copy";
import { previousBuild } from "./take-over";
import type { PreparedDatabase, StageHandler } from "./types";

async function prepare(ctx: BuildContext): Promise<PreparedDatabase> {
  const server = await dbServerForStage(ctx.project.id, "DEVELOPMENT");
  const database = buildDatabaseName(ctx.id);
  const password = randomBytes(24).toString("hex");
  const connection = { host: server.host, port: server.port, user: database, password };
  const prepared: PreparedDatabase = { server, database, connection, dataDir: ctx.ws.data };
  const previous = await previousBuild(ctx, "DEVELOPMENT", server);
  if (previous) return updatePrevious(ctx, prepared, password, previous);
  if (await isCopyPreview(ctx)) return fromProductionBackup(ctx, prepared, password);

  await fromTemplate(ctx, prepared, password);
  const run = await devRun(ctx, prepared);
  const { code } = ctx;
  // Checkout modules needed but not asked for (e.g. from submodules) are dependencies: no tests.
  // A full installation also installs every module of the image the template does not hold,
  // as Odoo lists them in ir_module_module.
  const installModules = run.full
    ? [
        ...fullInstallImageModules(await uninstalledModules(server, database)),
        ...code.plan.order.filter((m) => !code.plan.standard.includes(m)),
      ]
    : code.plan.dependencies;

  await ctx.step("install", async () => {
    if (installModules.length === 0) {
      await appendFile(ctx.log("install.log"), "no dependencies to install beyond the template\n");
      return;
    }
    await install(ctx, run, [...new Set(installModules)]);
  });

  if (run.full || code.plan.modules.length === 0) {
    await ctx.skip(
      "tests",
      run.full ? "full installation: tests off" : "no modules of the repository to test",
    );
  } else {
    await runDevTests(ctx, run, (tests) =>
      installCommand({ ...run.common, modules: code.plan.modules, series: ctx.series, demo: true, tests }),
    );
  }
  return prepared;
}

async function fromTemplate(ctx: BuildContext, prepared: PreparedDatabase, password: string): Promise<void> {
  const { id, code, image, series } = ctx;
  const { queue, runtime } = ctx.job.services;
  const { server, database } = prepared;
  await ctx.step("database", async () => {
    await prisma().build.update({
      where: { id },
      data: { dbServerId: server.id, databaseName: database, databaseRole: database },
    });
    await createRole(server, database, password);
    // By revision: the same image pinned or followed as latest shares its templates.
    const installed = `${image.derived ? image.image : "odoo"}@${image.revision}`;
    const key = templateKey({
      series,
      demo: true,
      modules: code.plan.standard,
      image: installed,
      owner: instanceId(),
    });
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
      output: {
        template: template.name,
        templateBuilt: template.built,
        server: server.name,
        kind: "template",
      },
    });
  });
}

async function install(ctx: BuildContext, run: DevRun, modules: string[]): Promise<void> {
  const logFile = ctx.log("install.log");
  const exitCode = await runOdoo(ctx, {
    role: "install",
    cmd: installCommand({ ...run.common, modules, series: ctx.series, demo: true, tests: false }),
    connection: run.connection,
    dataDir: ctx.ws.data,
    logFile,
  });
  ctx.runs.push({ logFile, exitCode });
  if (exitCode !== 0) {
    const named = modules.length > 12 ? `${modules.length} modules` : modules.join(", ");
    throw new PhaseError("install", `installing ${named} failed (exit ${exitCode})`);
  }
  await endPhase(ctx.id, "install", "DONE", {
    message: `installed (-i) ${modules.length} module${modules.length === 1 ? "" : "s"}${run.full ? " (full installation)" : ""}`,
    output: { installed: modules },
  });
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
