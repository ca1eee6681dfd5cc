// Restore roles that outlived their restore (a worker killed between making one and dropping
// it), swept on every registered database server at worker start and with the daily backups.
// What counts as dead is dropDeadRestoreRoles's rule: no database owned, no session, made
// longer ago than any restore takes to make its database or drop its role.
import { type Logger, listDbServers } from "@gantry/core";
import { dropDeadRestoreRoles } from "@gantry/postgres";

const MIN_AGE_MS = 10 * 60 * 1000;

export async function sweepRestoreRoles(logger: Logger, now = Date.now()): Promise<string[]> {
  const dropped: string[] = [];
  for (const server of await listDbServers()) {
    try {
      const result = await dropDeadRestoreRoles(server, { minAgeMs: MIN_AGE_MS, now });
      dropped.push(...result.dropped);
      for (const failure of result.failed)
        logger.warn({ server: server.name, ...failure }, "a dead restore role could not be dropped");
    } catch (error) {
      // A server that does not answer is reported by health; its roles wait for the next sweep.
      logger.warn({ err: error, server: server.name }, "restore roles not swept");
    }
  }
  return dropped;
}
