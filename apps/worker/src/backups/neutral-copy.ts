// A neutralized backup never touches the live database: the live one is dumped, restored into
// a scratch database, neutralized there, and that scratch copy is what gets archived. The
// scratch copy is restored as, owned by and neutralized as a scratch role of its own: the
// neutralization writes into tables the project's modules made, and their triggers must run
// with no more rights than the modules have (never the administrator's).
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { createBackup, type PgConnection, restoreBackup } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import { backupScratchDir } from "@gantry/core";
import { adminEndpoint, dropDatabase, dropRestoreRole } from "@gantry/postgres";
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
  let role: string | undefined;
  const drop = async () => {
    await dropDatabase(admin, database);
    if (role) await dropRestoreRole(admin, role);
  };
  try {
    await createBackup({ source: live.connection, filestore: null, output: archive, signal });
    signal?.throwIfAborted();
    const restored = await restoreBackup({ archive, admin, database, filestore: null });
    const restoreRole = restored.restoreRole!;
    role = restoreRole.user;
    // The copy's own role neutralizes it: its triggers run with no more than that role's rights.
    await neutralize({ ...adminEndpoint(live.server, database), ...restoreRole });
  } catch (error) {
    await bestEffort(`dropping scratch copy ${database}`, drop());
    throw error;
  } finally {
    await rm(archive, { force: true });
  }
  return { connection: adminEndpoint(live.server, database), drop };
}
