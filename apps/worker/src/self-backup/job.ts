// The daily backup of Gantry itself: archive, verify, then retention over the verified
// archives (the daily backups' slots: 7 days, 4 weeks, 3 months; the newest always kept). An
// archive that fails its verification is deleted and the job fails, so only restorable ones stay.
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { applyRetention } from "@gantry/backup";
import { backupStorageRoot } from "@gantry/core";
import type { JobHandler } from "../handler";
import { archiveDate, writeSelfArchive } from "./archive";
import { verifySelfArchive } from "./verify";

/** Where Gantry's own archives go: beside the projects' backups, in a folder of their own. */
export function selfBackupDir(): string {
  return join(backupStorageRoot(), "gantry");
}

/** Deletes the archives the retention rules let go; returns their names. */
export async function pruneSelfArchives(dir: string, now = new Date()): Promise<string[]> {
  const archives = (await readdir(dir))
    .map((name) => ({ name, createdAt: archiveDate(name) }))
    .filter((a): a is { name: string; createdAt: Date } => a.createdAt !== undefined);
  const decision = applyRetention(
    archives.map((a) => ({ id: a.name, createdAt: a.createdAt, kind: "daily" as const, verified: true })),
    now,
  );
  for (const name of decision.delete) await rm(join(dir, name), { force: true });
  return decision.delete.sort();
}

export const gantryBackupJob: JobHandler<"maintenance.gantry-backup"> = async (_payload, context) => {
  const dir = selfBackupDir();
  const { path, manifest } = await writeSelfArchive(dir);
  try {
    await verifySelfArchive(path);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  const deleted = await pruneSelfArchives(dir);
  const { size } = await stat(path);
  context.logger.info({ archive: path, bytes: size, deleted }, "Gantry's own backup written and verified");
  return { archive: path, bytes: size, migrations: manifest.migrations, deleted };
};
