// A copy of production's data (staging's, or a preview's restored from a backup) brought to
// the branch's code: the repository's modules installed in the copy are updated (-u), every
// module when the data last ran on another Odoo revision. Modules the copy does not have stay
// uninstalled, as on staging; no tests.
import { endPhase } from "@gantry/core";
import { updateCommand } from "@gantry/odoo";
import { type BuildContext, inContainer, note, ODOO_DATA_MOUNT, PhaseError, runOdoo } from "../context";
import { installedModules } from "../module-updates";
import type { PreparedDatabase } from "./types";

/** `revision`: the Odoo revision the data last ran on; null when unknown (not compared). */
export async function updateCopiedModules(
  ctx: BuildContext,
  prepared: PreparedDatabase,
  revision: string | null,
): Promise<void> {
  const { server, database, connection } = prepared;
  const installed = await installedModules(server, database);
  // On another Odoo revision than its data last ran on, every module is updated: what
  // production's build will do at its update window, rehearsed here first.
  const newRevision = revision !== null && revision !== ctx.image.revision;
  if (newRevision)
    await note(ctx.log("update.log"), `Odoo revision ${revision} -> ${ctx.image.revision}: -u all`);
  const modules: string[] | "all" = newRevision
    ? "all"
    : ctx.code.repositoryModules.filter((name) => installed.has(name));
  const named = modules === "all" ? "all" : modules.join(", ");
  if (modules.length === 0) {
    await ctx.skip("install", "no module of the repository is installed in the copy: nothing to update");
  } else {
    await ctx.step("install", async () => {
      const logFile = ctx.log("update.log");
      const exitCode = await runOdoo(ctx, {
        role: "update",
        cmd: updateCommand({
          db: database,
          connection: await inContainer(ctx, connection),
          omitPassword: true,
          addonsPath: ctx.code.addonsPath,
          dataDir: ODOO_DATA_MOUNT,
          modules,
          tests: false,
        }),
        connection,
        dataDir: ctx.ws.data,
        logFile,
      });
      ctx.runs.push({ logFile, exitCode });
      if (exitCode !== 0)
        throw new PhaseError("install", `updating ${named} failed (exit ${exitCode}); see update.log`);
      await endPhase(ctx.id, "install", "DONE", {
        message: `updated (-u): ${named}`,
        output: { updated: modules },
      });
    });
  }
}
