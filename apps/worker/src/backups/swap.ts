// The swap of a branch's live database and filestore for restored ones. Both new copies are
// complete before anything live is touched; then, with the serving container stopped, the
// live database and folder are renamed aside and the new ones renamed into their place. Any
// failure renames them back, so the old database stays in place; the old copies are dropped
// only once the build serves again from the new ones.

import { rename, rm } from "node:fs/promises";
import type { PgConnection } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import { dropDatabase, renameDatabase } from "@gantry/postgres";
import { pathExists } from "../shared/path-exists";

export interface SwapPlan {
  admin: PgConnection;
  live: { database: string; filestore: string };
  incoming: { database: string; filestore: string };
  /** Names the live copies take while the new ones settle in. */
  aside: { database: string; filestore: string };
}

export interface Swapped {
  /** Puts the old database and filestore back (when the build does not start on the new ones). */
  undo(): Promise<void>;
  /** Drops the old copies for good. */
  commit(): Promise<void>;
}

export async function swapIn(plan: SwapPlan): Promise<Swapped> {
  const { admin, live, incoming, aside } = plan;
  const hadFilestore = await pathExists(live.filestore);
  // Nothing may stay connected to a database being renamed (the container is stopped; this
  // ends stray sessions such as a database shell).
  const move = (from: string, to: string) => renameDatabase(admin, from, to, { endSessions: true });
  const undoSteps: (() => Promise<void>)[] = [];
  const undo = async () => {
    for (const step of undoSteps.reverse()) await step();
    undoSteps.length = 0;
  };
  try {
    await move(live.database, aside.database);
    undoSteps.push(() => move(aside.database, live.database));
    await move(incoming.database, live.database);
    undoSteps.push(() => move(live.database, incoming.database));
    if (hadFilestore) {
      await rename(live.filestore, aside.filestore);
      undoSteps.push(() => rename(aside.filestore, live.filestore));
    }
    if (await pathExists(incoming.filestore)) {
      await rename(incoming.filestore, live.filestore);
      undoSteps.push(() => rename(live.filestore, incoming.filestore));
    }
  } catch (error) {
    await undo();
    throw error;
  }
  return {
    undo,
    commit: async () => {
      await dropDatabase(admin, aside.database);
      await rm(aside.filestore, { recursive: true, force: true });
    },
  };
}

/** Drops what a restore prepared but never swapped in. */
export async function discardIncoming(
  admin: PgConnection,
  incoming: { database: string; filestore: string },
) {
  await bestEffort(`dropping unused restore ${incoming.database}`, dropDatabase(admin, incoming.database));
  await rm(incoming.filestore, { recursive: true, force: true });
}
