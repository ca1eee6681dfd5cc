// Removing what a build owns outside Gantry's database: its containers (by label), its
// database and role, its data dir. Logs stay on disk.
import { dbServerById, unrouteBuild } from "@gantry/core";
import { prisma } from "@gantry/db";
import type { ContainerRuntime } from "@gantry/runtime";
import { dropDatabase, dropRole } from "./pg-admin";
import { clearWorkspace } from "./workspace";

export async function removeBuildContainers(runtime: ContainerRuntime, buildId: string): Promise<void> {
  const containers = await runtime.listManaged({ build: buildId });
  for (const container of containers) await runtime.remove(container.id, true).catch(() => {});
}

export async function cleanupBuild(runtime: ContainerRuntime, buildId: string): Promise<void> {
  const build = await prisma().build.findUnique({ where: { id: buildId } });
  if (!build) return;
  await unrouteBuild(buildId).catch(() => {});
  await removeBuildContainers(runtime, buildId);
  if (build.dbServerId && build.databaseName) {
    const server = await dbServerById(build.dbServerId);
    await dropDatabase(server, build.databaseName);
    if (build.databaseRole) await dropRole(server, build.databaseRole);
  }
  await clearWorkspace(buildId);
  await prisma().build.update({ where: { id: buildId }, data: { cleanedAt: new Date(), servingAt: null } });
}
