// Database figures of the sampled builds: one connection and one query per database server,
// whatever the number of builds on it.
import { dbServerById, type MonitoredBuild } from "@gantry/core";
import { type DatabaseActivity, databaseActivity, onServer } from "@gantry/postgres";

/** Activity per build id; builds whose server does not answer are left out (logged by the caller). */
export async function databaseFigures(
  builds: readonly MonitoredBuild[],
  needsSize: (build: MonitoredBuild) => boolean,
  onError: (serverId: string, error: unknown) => void,
): Promise<Map<string, DatabaseActivity>> {
  const byServer = new Map<string, MonitoredBuild[]>();
  for (const build of builds) {
    if (!build.dbServerId || !build.databaseName) continue;
    byServer.set(build.dbServerId, [...(byServer.get(build.dbServerId) ?? []), build]);
  }
  const found = new Map<string, DatabaseActivity>();
  await Promise.all(
    [...byServer].map(async ([serverId, onIt]) => {
      try {
        const server = await dbServerById(serverId);
        const names = onIt.map((b) => b.databaseName as string);
        const sized = onIt.filter(needsSize).map((b) => b.databaseName as string);
        const activity = await onServer(server, (client) => databaseActivity(client, names, sized));
        for (const build of onIt) {
          const figures = activity.get(build.databaseName as string);
          if (figures) found.set(build.id, figures);
        }
      } catch (error) {
        onError(serverId, error);
      }
    }),
  );
  return found;
}
