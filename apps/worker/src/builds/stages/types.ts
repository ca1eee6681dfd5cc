// What differs between stages is how a build gets its database (a template clone, a
// neutralized copy of production, production's own database updated in place), how it is
// served, and what is put back when it fails. Each stage implements this once.
import type { DbServerConnection } from "@gantry/core";
import type { DbConnection } from "@gantry/odoo";
import type { BuildContext } from "../context";

export interface PreparedDatabase {
  server: DbServerConnection;
  database: string;
  /** The build's own role: owner of that database only. */
  connection: DbConnection;
  /** Host folder mounted as Odoo's data dir (filestore under `filestore/<database>`). */
  dataDir: string;
}

export interface ServeSettings {
  workers: number;
  /** Outgoing mail to the catcher (staging, development), never delivered. */
  withMailCatcher: boolean;
  memoryMb: number;
  cpus: number;
}

export interface StageHandler {
  /** Phases database, install and tests: a database this build can serve. */
  prepare(ctx: BuildContext): Promise<PreparedDatabase>;
  serveSettings(): ServeSettings;
  /** After the build serves: what it replaced can go (production's previous container). */
  afterServe?(ctx: BuildContext, prepared: PreparedDatabase): Promise<void>;
  /** After a failure: put back what the build changed (production's rollback). */
  recover?(ctx: BuildContext, error: unknown): Promise<string | undefined>;
  /** The branch's older builds to clean once this one has ended. */
  buildsToClean(ctx: BuildContext): Promise<string[]>;
}
