// A neutralized backup never touches the live database: the live one is dumped, restored into
// a scratch database, neutralized there, and that scratch copy is what gets archived.
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { createBackup, type PgConnection, restoreBackup } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import { backupScratchDir } from "@gantry/core";
import { adminEndpoint, dropDatabase } from "@gantry/postgres";
import { neutralize } from "../shared/neutralize";
import type { LiveDatabase } from "./live";

export interface ScratchCopy {
  connection: PgConnection;
  drop(): Promise<void>;
}

export async function neutralizedCopy(live: LiveDatabase, signal?: AbortSignal): Promise<ScratchCopy> {
  const scratchDir = backupScratchDir();
  await mkdir(scratchDir, { recursive: true });
  const suffix = randomBytes(5).toString("hex");
  const archive = join(scratchDir, `neutral-${suffix}.zip`);
  const database = `gantry_neutral_${suffix}`;
  const admin = adminEndpoint(live.server, "postgres");
  try {
    await createBackup({ source: live.connection, filestore: null, output: archive, signal });
    signal?.throwIfAborted();
    await restoreBackup({ archive, admin, database, filestore: null });
    await neutralize(adminEndpoint(live.server, database));
  } catch (error) {
    await bestEffort(`dropping scratch copy ${database}`, dropDatabase(admin, database));
    throw error;
  } finally {
    await rm(archive, { force: true });
  }
  return {
    connection: adminEndpoint(live.server, database),
    drop: () => dropDatabase(admin, database),
  };
}
