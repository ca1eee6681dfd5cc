// A pull request's preview on a copy of production (preview mode STAGING_COPY): production's
// latest verified backup restored into the build's database as a copy, neutralized, its weak
// passwords removed, then the branch's modules updated as on staging, no tests. Production
// itself is not read: every preview starts from the archive already taken. A fork's pull
// request never gets it: production's data, even neutralized, is not for a stranger's code.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { inspectArchive, restoreBackup } from "@gantry/backup";
import { endPhase, openPreviewOf } from "@gantry/core";
import { prisma } from "@gantry/db";
import { adminEndpoint, createRole } from "@gantry/postgres";
import { localArchive } from "../../backups/archive-file";
import { giveToOdoo } from "../../backups/chown";
import { odooWritable } from "../../shared/workspace";
import { type BuildContext, note, PhaseError } from "../context";
import { updateCopiedModules } from "./copy-update";
import { neutralizeCopy } from "./neutralize-copy";
import type { PreparedDatabase } from "./types";

/** Whether the build is a preview on a copy of production (not another mode, nor a fork's). */
export async function isCopyPreview(ctx: BuildContext): Promise<boolean> {
  if (ctx.project.previewMode !== "STAGING_COPY" || ctx.fork) return false;
  const preview = await openPreviewOf(ctx.branch.id);
  return preview !== null && !preview.fork;
}

/**
 * Production's latest verified backup on the build's series. Without one the build fails
 * saying so: a fresh database would pass for production's data.
 */
async function sourceBackup(ctx: BuildContext) {
  const backup = await prisma().backup.findFirst({
    where: {
      projectId: ctx.project.id,
      stage: "PRODUCTION",
      branch: { stage: "PRODUCTION", deletedAt: null },
      status: "DONE",
      verifyStatus: "VERIFIED",
      deletedAt: null,
      storageKey: { not: null },
      OR: [{ odooSeries: ctx.series }, { odooSeries: null }],
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, storageKey: true, createdAt: true },
  });
  if (!backup?.storageKey) {
    throw new PhaseError(
      "database",
      `previews of this project start from production's latest verified backup, and production has none on Odoo ${ctx.series} yet: take a backup of production, then rebuild this preview`,
    );
  }
  return { ...backup, storageKey: backup.storageKey };
}

/** Phases database and install (tests skipped) of a preview on a copy of production. */
export async function fromProductionBackup(
  ctx: BuildContext,
  prepared: PreparedDatabase,
  password: string,
): Promise<PreparedDatabase> {
  const { server, database, connection } = prepared;
  const logFile = ctx.log("update.log");
  await ctx.step("database", async () => {
    await prisma().build.update({
      where: { id: ctx.id },
      data: { dbServerId: server.id, databaseName: database, databaseRole: database },
    });
    const backup = await sourceBackup(ctx);
    await createRole(server, connection.user, password);
    const filestoreRoot = join(prepared.dataDir, "filestore");
    await odooWritable(filestoreRoot);
    const filestore = join(filestoreRoot, database);
    const taken = backup.createdAt.toISOString().slice(0, 16).replace("T", " ");
    await note(logFile, `restoring production's backup ${backup.id} (${taken} UTC) into ${database}`);
    const archive = await localArchive(backup.storageKey, ctx.abort);
    let restored: Awaited<ReturnType<typeof restoreBackup>>;
    try {
      // The archive is checked again (hostile-archive rules, series): storage is not trusted.
      const inspected = await inspectArchive(archive.path, { targetSeries: ctx.series });
      await ctx.progress("database", 20, "restoring the backup");
      restored = await restoreBackup({
        archive: archive.path,
        admin: adminEndpoint(server, "postgres"),
        database,
        owner: connection.user,
        filestore,
        inspected,
        asCopy: true,
      });
    } finally {
      await archive.release();
    }
    await mkdir(filestore, { recursive: true });
    await giveToOdoo(filestore);
    await note(logFile, `restored ${restored.tables} tables, ${restored.rows} rows, ${restored.files} files`);
    await ctx.progress("database", 75, "neutralizing");
    await neutralizeCopy(ctx, prepared, logFile);
    await endPhase(ctx.id, "database", "DONE", {
      message: `neutralized copy of production from backup ${backup.id} (${taken} UTC): ${restored.tables} tables, ${restored.files} files`,
      output: { database, server: server.name, kind: "backup", backup: backup.id },
    });
  });
  await updateCopiedModules(ctx, prepared, null);
  await ctx.skip("tests", "preview on a copy of production: no tests");
  return prepared;
}
