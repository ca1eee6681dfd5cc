// "Update previous build" on a development branch: the previous build's database (and its
// filestore) becomes this build's, no new database; the checkout's modules it has are updated
// (`-u`), new ones installed (`-i`) in the same run. Tests, as Odoo runs them: those of the
// modules updated or installed by the run (`--test-enable`, the build's tags), unless the
// branch installs everything (no tests).
import { join } from "node:path";
import { endPhase } from "@gantry/core";
import { prisma } from "@gantry/db";
import { installCommand, updateCommand } from "@gantry/odoo";
import { odooWritable } from "../../shared/workspace";
import { type BuildContext, PhaseError, runOdoo } from "../context";
import { installedModules } from "../module-updates";
import { devRun, runDevTests } from "./development-run";
import { type PreviousBuild, takeOver } from "./take-over";
import type { PreparedDatabase } from "./types";

export async function updatePrevious(
  ctx: BuildContext,
  prepared: PreparedDatabase,
  password: string,
  previous: PreviousBuild,
): Promise<PreparedDatabase> {
  const { server, database } = prepared;
  await ctx.step("database", async () => {
    await prisma().build.update({
      where: { id: ctx.id },
      data: { dbServerId: server.id, databaseName: database, databaseRole: database },
    });
    await odooWritable(join(ctx.ws.data, "filestore"));
    const message = await takeOver(ctx, prepared, password, previous, ctx.log("update.log"));
    await endPhase(ctx.id, "database", "DONE", {
      message,
      output: { database, server: server.name, kind: "kept", previousBuild: previous.id },
    });
  });

  const run = await devRun(ctx, prepared);
  const installed = await installedModules(server, database);
  const checkout = ctx.code.plan.order.filter((m) => !ctx.code.plan.standard.includes(m));
  // Data last run on another Odoo revision gets every module updated, as production will.
  const newRevision = previous.odooRevision !== null && previous.odooRevision !== ctx.image.revision;
  const update: string[] | "all" = newRevision ? "all" : checkout.filter((m) => installed.has(m));
  const install = checkout.filter((m) => !installed.has(m));
  const detail = [
    newRevision ? `Odoo revision ${previous.odooRevision} -> ${ctx.image.revision}: updated (-u) all` : "",
    update !== "all" && update.length > 0 ? `updated (-u) ${update.join(", ")}` : "",
    install.length > 0 ? `installed (-i) ${install.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  const command = (tests: { tags?: string } | false) =>
    update.length > 0
      ? updateCommand({ ...run.common, modules: update, install, tests })
      : installCommand({ ...run.common, modules: install, series: ctx.series, demo: true, tests });

  if (checkout.length === 0) {
    await ctx.skip("install", "no module of the checkout to update");
    await ctx.skip("tests", "no modules of the repository to test");
  } else if (run.full || ctx.code.plan.modules.length === 0) {
    await ctx.step("install", async () => {
      const logFile = ctx.log("update.log");
      const exitCode = await runOdoo(ctx, {
        role: "update",
        cmd: command(false),
        connection: run.connection,
        dataDir: ctx.ws.data,
        logFile,
      });
      ctx.runs.push({ logFile, exitCode });
      if (exitCode !== 0)
        throw new PhaseError("install", `${detail} failed (exit ${exitCode}); see update.log`);
      await endPhase(ctx.id, "install", "DONE", {
        message: detail,
        output: { updated: update, installed: install },
      });
    });
    await ctx.skip(
      "tests",
      run.full ? "full installation: tests off" : "no modules of the repository to test",
    );
  } else {
    // One run, as Odoo tests what a run updates: the update happens in the tests phase.
    await ctx.skip("install", `update previous build: ${detail}, with the tests (tests.log)`);
    await runDevTests(ctx, run, (tests) => command(tests), detail);
  }
  return prepared;
}
