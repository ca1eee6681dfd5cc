// A production build that ended without its own rollback (its worker was killed mid-update)
// may still hold production: the database handed to its role, the serving build stopped, a
// rollback snapshot beside it. Cleaning such a build first puts production back as the
// build's own failure handling would have: the snapshot restored (or the database handed
// back unchanged), the previous build started again.
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { DbServerConnection } from "@gantry/core";
import { prisma } from "@gantry/db";
import type { ContainerRuntime } from "@gantry/runtime";
import { restoreSnapshot } from "../../shared/filestore";
import {
  databaseExists,
  databaseOwner,
  dropDatabase,
  renameDatabase,
  setDatabaseOwner,
  transferDatabase,
} from "../../shared/pg-admin";
import { productionDirs } from "../../shared/workspace";
import { rollbackDatabaseName } from "./production-names";

export interface HeldProduction {
  id: string;
  branchId: string;
  databaseName: string;
  databaseRole: string | null;
}

/** Returns what was put back, or null when the build did not hold production. */
export async function releaseProduction(
  runtime: ContainerRuntime,
  server: DbServerConnection,
  build: HeldProduction,
): Promise<string | null> {
  const database = build.databaseName;
  const owner = await databaseOwner(server, database);
  if (!build.databaseRole || owner !== build.databaseRole) return null;
  const live = await prisma().build.findFirst({
    where: {
      branchId: build.branchId,
      stage: "PRODUCTION",
      id: { not: build.id },
      servingAt: { not: null },
      cleanedAt: null,
    },
    orderBy: { servingAt: "desc" },
    select: { id: true, containerName: true, databaseRole: true },
  });
  const snapshot = rollbackDatabaseName(database);
  const filestore = join(productionDirs(build.branchId).data, "filestore", database);
  const done: string[] = [];
  if (live?.databaseRole && (await databaseExists(server, snapshot))) {
    await dropDatabase(server, database);
    await renameDatabase(server, snapshot, database);
    await setDatabaseOwner(server, database, live.databaseRole);
    const copy = join(productionDirs(build.branchId).rollback, database);
    if (await stat(copy).catch(() => null)) await restoreSnapshot(copy, filestore);
    done.push("database and filestore restored from the snapshot taken before the update");
  } else if (live?.databaseRole) {
    await transferDatabase(server, database, build.databaseRole, live.databaseRole);
    done.push("database handed back to the serving build");
  } else {
    const served = await prisma().build.count({
      where: { branchId: build.branchId, stage: "PRODUCTION", result: { in: ["SUCCESS", "WARNING"] } },
    });
    if (served > 0) return null; // nothing to hand it to: left for a person to look at
    // A first installation that never finished: the next build installs again.
    await dropDatabase(server, database);
    await rm(filestore, { recursive: true, force: true });
    return "the unfinished production database was removed";
  }
  if (live?.containerName) {
    await runtime.start(live.containerName).catch(() => {});
    done.push(`build ${live.id} started again`);
  }
  return done.join("; ");
}
