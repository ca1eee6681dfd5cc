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
import { adminEndpoint, createRole, dropDatabase, dropRole } from "@gantry/postgres";
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
  const role = { user: database, password: randomBytes(24).toString("hex") };
  const admin = adminEndpoint(live.server, "postgres");
  const drop = async () => {
    await dropDatabase(admin, database);
    await dropRole(admin, role.user);
  };
  try {
    await createRole(admin, role.user, role.password);
    await createBackup({ source: live.connection, filestore: null, output: archive, signal });
    signal?.throwIfAborted();
    await restoreBackup({ archive, admin, database, owner: role, filestore: null });
    await neutralize({ ...admin, ...role, database });
  } catch (error) {
    await bestEffort(`dropping scratch copy ${database}`, drop());
    throw error;
  } finally {
    await rm(archive, { force: true });
  }
  return { connection: adminEndpoint(live.server, database), drop };
}
