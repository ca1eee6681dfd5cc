// "Update previous build": the branch's previous build hands its database and filestore to
// the new build, which then only updates the modules. Staging and development share it.
import { join } from "node:path";
import { bestEffort } from "@gantry/config";
import { type DbServerConnection, servingFilter, unrouteBuild } from "@gantry/core";
import { prisma } from "@gantry/db";
import { createRole, databaseExists, renameDatabase, transferDatabase } from "@gantry/postgres";
import { moveFolder } from "../../shared/filestore";
import { workspaceOf } from "../../shared/workspace";
import { removeBuildContainers } from "../build-containers";
import { type BuildContext, note } from "../context";
import type { PreparedDatabase } from "./types";

export interface PreviousBuild {
  id: string;
  databaseName: string | null;
  databaseRole: string | null;
  odooRevision: string | null;
}

/**
 * The previous build of the branch whose database can be taken over: only for a build
 * triggered as an update (a push on an "update previous build" branch), and only a build that
 * serves, on the same database server, whose database is still there.
 */
export async function previousBuild(
  ctx: BuildContext,
  stage: "STAGING" | "DEVELOPMENT",
  server: DbServerConnection,
): Promise<PreviousBuild | null> {
  if (ctx.build.trigger !== "update") return null;
  const previous = await prisma().build.findFirst({
    where: {
      branchId: ctx.branch.id,
      stage,
      id: { not: ctx.id },
      status: "DONE",
      ...servingFilter,
      dbServerId: server.id,
      databaseName: { not: null },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, databaseName: true, databaseRole: true, odooRevision: true },
  });
  if (!previous?.databaseName || !(await databaseExists(server, previous.databaseName))) return null;
  return previous;
}

/**
 * Stops the previous build for good and makes its database this build's: renamed (no copy),
 * handed to this build's role, its filestore moved along. Returns the phase's message.
 */
export async function takeOver(
  ctx: BuildContext,
  prepared: PreparedDatabase,
  password: string,
  previous: PreviousBuild,
  logFile: string,
): Promise<string> {
  const { server, database, connection } = prepared;
  const from = previous.databaseName as string;
  await removeBuildContainers(ctx.job.services.runtime, previous.id);
  await bestEffort("removing the previous build's route", unrouteBuild(previous.id), {
    logger: ctx.job.logger,
    fields: { buildId: previous.id },
  });
  await prisma().build.update({ where: { id: previous.id }, data: { servingAt: null } });
  await createRole(server, connection.user, password);
  await renameDatabase(server, from, database, { endSessions: true });
  await transferDatabase(server, database, previous.databaseRole ?? server.adminUser, connection.user);
  // The previous build no longer has a database: cleaning it must not look for one.
  await prisma().build.update({ where: { id: previous.id }, data: { databaseName: null } });
  const moved = await moveFolder(
    join(workspaceOf(previous.id).data, "filestore", from),
    join(prepared.dataDir, "filestore", database),
  );
  await note(
    logFile,
    `update previous build: kept the database of build ${previous.id} (${from} -> ${database})${moved ? " and its filestore" : ""}`,
  );
  return `kept the database of the previous build ${previous.id.slice(-6)} (update previous build)`;
}
