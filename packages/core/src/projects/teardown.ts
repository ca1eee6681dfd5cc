import { basename } from "node:path";
import { prisma } from "@gantry/db";
import { backupStorage } from "../backups/storage";
import { removeProjectLeftovers } from "./leftovers";

/** What deleting a project needs from the container runtime (the worker's). */
export interface ProjectTeardown {
  /** Stops and removes every container labelled with the project; returns their ids. */
  removeContainers(projectId: string): Promise<string[]>;
}

export interface DeletionReport {
  removedContainers: string[];
  droppedDatabases: string[];
  /** The kept archive's key in backup storage, under `kept-backups/<slug>/`. */
  keptBackup: string | null;
}

/**
 * The last finished production backup outlives the project: it is copied in backup storage
 * (a folder or S3, whichever is configured) to kept-backups/<slug>/ before the project's own
 * archives go. Copying again over the same key (a retried job) writes the same bytes.
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
  const storage = backupStorage();
  const target = `kept-backups/${project.slug}/${basename(backup.storageKey)}`;
  await storage.put(target, await storage.get(backup.storageKey));
  return target;
}

/** Deletes every archive stored under the project (`<projectId>/…`, logs included). */
async function removeStoredBackups(projectId: string): Promise<void> {
  const storage = backupStorage();
  for (const object of await storage.list(`${projectId}/`)) await storage.delete(object.key);
}

/**
 * The worker's half of a project deletion (core's deleteProject asked for it): keeps the last
 * production backup when the Admin asked to, removes the containers, then the databases, roles,
 * files and routes, then the stored archives and the rows. Each step may run again after a crash.
 * A project without a pending deletion request is left alone.
 */
export async function teardownProject(
  projectId: string,
  teardown: ProjectTeardown,
): Promise<DeletionReport | null> {
  const project = await prisma().project.findFirst({
    where: { id: projectId, deletionRequestedAt: { not: null } },
    select: { id: true, slug: true, keepLastBackupOnDeletion: true },
  });
  if (!project) return null;
  const keptBackup = project.keepLastBackupOnDeletion ? await keepLastProductionBackup(project) : null;
  const removedContainers = await teardown.removeContainers(project.id);
  const droppedDatabases = await removeProjectLeftovers(project.id);
  await removeStoredBackups(project.id);
  await prisma().project.deleteMany({ where: { id: project.id } });
  return { removedContainers, droppedDatabases, keptBackup };
}
