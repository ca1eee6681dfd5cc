// Odoo's own account of its workers in each sampled build's odoo.log: workers replaced for a
// limit and crons killed for their time since the previous cycle. odoo.log is the tenant's
// file in the tenant's folder: opened without following links, regular files only, and read
// a bounded amount per cycle.
import { constants } from "node:fs";
import {
  forgetPositions,
  type Logger,
  type MonitoredBuild,
  type ReadPosition,
  readPositions,
  savePositions,
} from "@gantry/core";
import { countServerEvents } from "@gantry/odoo";
import { workspaceOf } from "../shared/workspace";
import { openDirBelow, openFileAt } from "../shell/sftp/below";
import { followLog } from "./follow-log";

const MAX_CYCLE_BYTES = 4 * 1024 * 1024;
const positionPrefix = "odoo:";

export interface OdooEvents {
  odooWorkerRecycles: number;
  odooCronTimeouts: number;
}

async function eventsOf(
  build: MonitoredBuild,
  positions: Map<string, ReadPosition>,
  changed: Map<string, ReadPosition>,
): Promise<OdooEvents | null> {
  const source = `${positionPrefix}${build.id}`;
  const dir = await openDirBelow(workspaceOf(build.id).root, ["logs"]).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null; // served from another machine's data dir, or gone
      throw error;
    },
  );
  if (!dir) return null;
  try {
    const handle = await openFileAt(dir, "odoo.log", constants.O_RDONLY).catch(() => null);
    if (!handle) return null;
    const counts = { odooWorkerRecycles: 0, odooCronTimeouts: 0 };
    try {
      await followLog({
        source,
        handle,
        position: {
          saved: positions.get(source) ?? null,
          save: (next) => {
            const saved = positions.get(source);
            if (saved?.inode !== next.inode || saved.offset !== next.offset) changed.set(source, next);
          },
        },
        maxBytes: MAX_CYCLE_BYTES,
        onLines: (lines) => {
          const found = countServerEvents(lines);
          counts.odooWorkerRecycles += found.workerRecycles;
          counts.odooCronTimeouts += found.cronTimeouts;
        },
      });
    } finally {
      await handle.close();
    }
    return counts;
  } finally {
    await dir.close();
  }
}

export async function readOdooEvents(
  builds: readonly MonitoredBuild[],
  logger: Logger,
): Promise<Map<string, OdooEvents>> {
  const found = new Map<string, OdooEvents>();
  // One query for the positions and one for those that moved, whatever the number of builds.
  const positions = await readPositions(positionPrefix);
  const changed = new Map<string, ReadPosition>();
  for (const build of builds) {
    try {
      const events = await eventsOf(build, positions, changed);
      if (events) found.set(build.id, events);
    } catch (error) {
      logger.warn({ err: error, buildId: build.id }, "odoo.log could not be read");
    }
  }
  await savePositions(changed);
  // Positions of builds not sampled now and untouched for a week (cleaned long ago) are dropped.
  const sampled = builds.map((b) => `${positionPrefix}${b.id}`);
  await forgetPositions(positionPrefix, sampled, new Date(Date.now() - 7 * 24 * 3600 * 1000));
  return found;
}
