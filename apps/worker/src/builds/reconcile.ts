// At worker start: builds left RUNNING by a worker that is gone are ended (interrupted.ts),
// and what no live build owns is removed: labelled build containers, build databases and
// roles, half-built templates. A RUNNING build of a worker whose heartbeat is alive is left alone;
// a production build interrupted mid-update first puts production back (interrupted.ts).
// Production databases (the branch's, under their own prefix) are never dropped here.
import { bestEffort } from "@gantry/config";
import { buildDatabasePrefix, listDbServers, servingFilter } from "@gantry/core";
import { prisma } from "@gantry/db";
import { databasesWithPrefix, dropDatabase, dropRole, rolesWithPrefix } from "@gantry/postgres";
import { type QueueContext, readHeartbeats } from "@gantry/queue";
import type { ContainerRuntime } from "@gantry/runtime";
import { cleanupBuild } from "./cleanup";
import { endInterruptedBuild } from "./interrupted";
import { isProductionDatabase } from "./stages/production-names";
import { templateRoleOf } from "./templates";

export interface ReconcileReport {
  failedBuilds: string[];
  removedContainers: string[];
  droppedDatabases: string[];
  /** Production builds interrupted mid-change: what was put back. */
  putBack: { buildId: string; putBack: string }[];
}

export async function reconcileBuilds(input: {
  runtime: ContainerRuntime;
  queue: QueueContext;
  workerId: string;
}): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    failedBuilds: [],
    removedContainers: [],
    droppedDatabases: [],
    putBack: [],
  };
  const live = new Set((await readHeartbeats(input.queue)).map((beat) => beat.workerId));
  live.delete(input.workerId); // this worker has just started: nothing of it runs yet
  const running = await prisma().build.findMany({ where: { status: "RUNNING" } });
  for (const build of running) {
    if (build.workerId && live.has(build.workerId)) continue;
    const fields = { buildId: build.id };
    // Production is put back before the build is failed. A failure to put it back is written in
    // the build's error summary (the build is failed all the same; undefined here) and logged;
    // cleaning the build tries the put-back once more.
    const ended = await bestEffort(
      "ending the interrupted build",
      endInterruptedBuild(input.runtime, build, input.workerId),
      { fields },
    );
    if (ended === null) continue; // another worker took it up first
    if (ended?.serves) continue; // it went live before its worker died: it serves on
    if (ended?.putBack) report.putBack.push({ buildId: build.id, putBack: ended.putBack });
    report.failedBuilds.push(build.id);
    await bestEffort("cleaning the interrupted build", cleanupBuild(input.runtime, build.id), { fields });
  }

  // Containers: only those labelled with a build; kept while their build runs on a live
  // worker or serves.
  const keep = new Set(
    (
      await prisma().build.findMany({
        where: {
          OR: [{ status: "RUNNING" }, { status: "QUEUED" }, servingFilter],
        },
        select: { id: true },
      })
    ).map((row) => row.id),
  );
  for (const container of await input.runtime.listManaged()) {
    const buildId = container.labels["gantry.build"];
    if (!buildId || keep.has(buildId)) continue;
    const build = await prisma().build.findUnique({ where: { id: buildId }, select: { status: true } });
    // A build of another Gantry database (e.g. another installation sharing the engine) is not ours.
    if (!build) continue;
    await bestEffort(`removing container ${container.name}`, input.runtime.remove(container.id, true));
    report.removedContainers.push(container.name);
  }

  // Databases and roles under the build prefix whose build is cleaned or cancelled (or was
  // interrupted above); a name no build of this installation carries is not ours to touch.
  for (const server of await listDbServers()) {
    let names: string[];
    try {
      names = [
        ...new Set([
          ...(await databasesWithPrefix(server, buildDatabasePrefix)),
          ...(await rolesWithPrefix(server, buildDatabasePrefix)),
        ]),
      ];
    } catch {
      continue; // a server that does not answer is reported by health, not here
    }
    for (const name of names) {
      // Production builds' roles carry the build prefix while their database is the branch's.
      const build = await prisma().build.findFirst({
        where: { OR: [{ databaseName: name }, { databaseRole: name }] },
      });
      if (!build) continue;
      if (build.cleanedAt === null && build.status !== "CANCELLED") continue;
      if (build.databaseName && isProductionDatabase(build.databaseName)) {
        // A role still owning production (an update interrupted mid-way) cannot be dropped: it is
        // kept, and the warning says so, for a person to see.
        await bestEffort(`dropping role ${name}`, dropRole(server, name));
        continue;
      }
      await dropDatabase(server, name);
      await bestEffort(`dropping role ${name}`, dropRole(server, name));
      report.droppedDatabases.push(name);
    }
    // Templates interrupted while being built.
    const unfinished = await prisma().templateDatabase.findMany({
      where: { serverId: server.id, ready: false },
    });
    for (const template of unfinished) {
      await bestEffort(`dropping template ${template.name}`, dropDatabase(server, template.name));
      await bestEffort(
        `dropping role of template ${template.name}`,
        dropRole(server, templateRoleOf(template.name)),
      );
      await prisma().templateDatabase.delete({ where: { id: template.id } });
      report.droppedDatabases.push(template.name);
    }
  }
  return report;
}
