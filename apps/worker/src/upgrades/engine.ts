// The upgrade engines behind one interface. Each decides how the working copy's standard
// modules reach the target series; the procedure around them (copy, project scripts, report,
// verification) stays the same:
//   scripts       the target series' own `-u all`, with the modules' migrations (default)
//   openupgrade   the same run with OpenUpgrade's addons and migration scripts loaded
//   odoo-service  Odoo's upgrade service (Enterprise) returns an upgraded dump, restored
//                 into the working copy, then `-u all` for the project's own modules
import type { DbServerConnection } from "@gantry/core";
import type { Mount } from "@gantry/runtime";

export const engineNames = ["scripts", "openupgrade", "odoo-service"] as const;
export type EngineName = (typeof engineNames)[number];

export interface OdooUpdateExtras {
  /** More folders to mount read-only into the container. */
  mounts?: Mount[];
  /** Container paths put before the project's addons path. */
  addonsPathFirst?: string[];
  /** Options added to the `-u all` command line. */
  args?: string[];
}

export interface EngineContext {
  fromSeries: string;
  toSeries: string;
  /** The working copy's database, as the Odoo containers reach it. */
  database: { host: string; port: number; user: string; password: string; name: string };
  /** Host path of the working copy's filestore. */
  filestore: string;
  /** The database server, for engines that replace the working copy (create and drop). */
  admin: DbServerConnection;
  /** A folder of the attempt for the engine's own files (dumps on their way). */
  workDir: string;
  /** Appends a line to upgrade.log. */
  log(line: string): Promise<void>;
  /** Runs the target series with `-u all --stop-after-init` on the working copy; resolves with its exit code. */
  runOdooUpdate(extras?: OdooUpdateExtras): Promise<number>;
  signal: AbortSignal;
}

export interface UpgradeEngine {
  readonly name: EngineName;
  /** Brings the working copy to the target series; throws with a clear message when it cannot. */
  upgrade(context: EngineContext): Promise<{ exitCode: number }>;
}
