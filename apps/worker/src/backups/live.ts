// A branch's live database and filestore: those of its latest serving build (servingAt set,
// cleanedAt null). Backups read them; restores replace them.
import { join } from "node:path";
import type { PgConnection } from "@gantry/backup";
import { AppError, type DbServerConnection, dbServerById, servingFilter, servingOrder } from "@gantry/core";
import type { PrismaClient } from "@gantry/db";
import { adminEndpoint } from "@gantry/postgres";
import { odooDataDirOf } from "../shared/workspace";

export interface LiveDatabase {
  build: {
    id: string;
    projectId: string;
    branchId: string;
    stage: "PRODUCTION" | "STAGING" | "DEVELOPMENT";
    databaseName: string;
    databaseRole: string | null;
    containerName: string | null;
    httpPort: number | null;
    odooSeries: string | null;
  };
  server: DbServerConnection;
  /** The admin connection to the live database (pg_dump reads everything with it). */
  connection: PgConnection;
  /** `<data dir>/filestore/<database>`. */
  filestore: string;
  /** Odoo's data dir of the build (the filestore's parent's parent). */
  dataDir: string;
}

export async function findLiveDatabase(db: PrismaClient, branchId: string): Promise<LiveDatabase> {
  const build = await db.build.findFirst({
    where: { branchId, ...servingFilter, databaseName: { not: null } },
    orderBy: servingOrder,
    select: {
      id: true,
      projectId: true,
      branchId: true,
      stage: true,
      databaseName: true,
      databaseRole: true,
      containerName: true,
      httpPort: true,
      odooSeries: true,
      dbServerId: true,
    },
  });
  if (!build?.databaseName || !build.dbServerId) {
    throw new AppError("conflict", "the branch has no serving build: nothing to back up or restore into");
  }
  const server = await dbServerById(build.dbServerId);
  const dataDir = odooDataDirOf(build);
  return {
    build: { ...build, databaseName: build.databaseName },
    server,
    connection: adminEndpoint(server, build.databaseName),
    filestore: join(dataDir, "filestore", build.databaseName),
    dataDir,
  };
}
