// Removing what a build owns outside Gantry's database: its containers (by label), its
// database and role, its data dir, the mails it sent to the catcher. Logs stay on disk. Production's database is the branch's:
// cleaning a production build drops only its role, and only once it no longer owns it.
import { bestEffort } from "@gantry/config";
import { dbServerById, removeBuildMails, unrouteBuild } from "@gantry/core";
import { prisma } from "@gantry/db";
import { databaseOwner, dropDatabase, dropRole } from "@gantry/postgres";
import type { ContainerRuntime } from "@gantry/runtime";
import { clearWorkspace } from "../shared/workspace";
import { removeBuildContainers } from "./build-containers";
import { isProductionDatabase } from "./stages/production-names";
import { putBackProduction } from "./stages/production-recovery";

export async function cleanupBuild(runtime: ContainerRuntime, buildId: string): Promise<void> {
  const build = await prisma().build.findUnique({ where: { id: buildId } });
  if (!build) return;
  await bestEffort("removing the build's route", unrouteBuild(buildId), { fields: { buildId } });
  await removeBuildContainers(runtime, buildId);
  if (build.dbServerId) {
    const server = await dbServerById(build.dbServerId);
    if (build.databaseName && isProductionDatabase(build.databaseName)) {
      // A build stopped mid-update may still hold production: put it back first.
      await putBackProduction(runtime, build.id);
      const owner = await databaseOwner(server, build.databaseName);
      if (build.databaseRole && owner !== build.databaseRole) await dropRole(server, build.databaseRole);
    } else {
      // No database name: a staging build whose database the next build took over.
      if (build.databaseName) await dropDatabase(server, build.databaseName);
      if (build.databaseRole) await dropRole(server, build.databaseRole);
    }
  }
  await clearWorkspace(buildId);
  await removeBuildMails(buildId);
  await prisma().build.update({
    where: { id: buildId },
    data: { cleanedAt: new Date(), servingAt: null, mailPasswordEnc: null },
  });
}
