import { copyFile, mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { config } from "@gantry/config";
import { prisma } from "@gantry/db";

/** What deleting a project needs from the outside world: containers and databases. */
export interface ProjectTeardown {
  /** Stops and removes every container labelled with the project; returns their ids. */
  removeContainers(projectId: string): Promise<string[]>;
  /** Drops the project's branch databases; returns their names. */
  dropDatabases(projectId: string): Promise<string[]>;
}

/**
 * The last finished production backup outlives the project: its file is copied to
 * <data>/kept-backups/<slug>/ before the rows (and the project's backup folder) go.
 */
async function keepLastProductionBackup(project: { id: string; slug: string }): Promise<string | null> {
  const backup = await prisma().backup.findFirst({
    where: {
      projectId: project.id,
      status: "DONE",
      storageKey: { not: null },
      branch: { stage: "PRODUCTION" },
    },
    orderBy: { createdAt: "desc" },
  });
  if (!backup?.storageKey) return null;
  const dataDir = config().GANTRY_DATA_DIR;
  const dir = join(dataDir, "kept-backups", project.slug);
  await mkdir(dir, { recursive: true });
  const target = join(dir, basename(backup.storageKey));
  await copyFile(join(dataDir, "backups", backup.storageKey), target);
  return target;
}

export async function teardownProject(
  project: { id: string; slug: string },
  options: { keepLastBackup: boolean },
  teardown: ProjectTeardown,
): Promise<{ removedContainers: string[]; droppedDatabases: string[]; keptBackup: string | null }> {
  const keptBackup = options.keepLastBackup ? await keepLastProductionBackup(project) : null;
  const removedContainers = await teardown.removeContainers(project.id);
  const droppedDatabases = await teardown.dropDatabases(project.id);
  return { removedContainers, droppedDatabases, keptBackup };
}
