import { spawn } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { extractFilestore, openDumpStream } from "./archive/extract";
import { type InspectResult, inspectArchive } from "./archive/inspect";
import type { ArchiveLimits } from "./archive/limits";
import { hasFreeSpace } from "./disk";
import { BackupError } from "./errors";
import type { Manifest } from "./manifest";
import { connectionArgs, connectionEnv, type PgConnection, quoteIdent, withClient } from "./pg/connection";
import { compareVersions, findPgTool, parsePgVersion } from "./pg/tools";

export interface RestoreOptions {
  /** Path of the backup zip. */
  archive: string;
  /** A role allowed to CREATE DATABASE; `database` is the maintenance database it connects to (e.g. postgres). */
  admin: PgConnection;
  /** The new database; it must not exist. */
  database: string;
  /**
   * Role that will own the new database and run the dump. A non-superuser here is the
   * strongest guard against hostile SQL (the server itself then refuses COPY PROGRAM, file
   * access and role changes); defaults to the admin role.
   */
  owner?: { user: string; password?: string };
  /** Directory for the filestore (absent or empty); null or undefined to skip it. */
  filestore?: string | null;
  /** Refuse a backup from a newer Odoo series than this. */
  targetSeries?: string;
  /** Restore "as a copy": a new database.uuid, as Odoo does. */
  asCopy?: boolean;
  limits?: ArchiveLimits;
  /** A result of inspectArchive on this same file, to skip a second full validation pass. */
  inspected?: InspectResult;
}

export interface RestoreResult {
  database: string;
  manifest: Manifest;
  tables: number;
  rows: number;
  files: number;
  filestoreBytes: number;
  newUuid?: string;
}

/** psql must be at least as new as the pg_dump that wrote the dump (`\restrict` and friends). */
export async function checkPsqlFor(dumpedBy: string | undefined) {
  const psql = await findPgTool("psql");
  const dumpVersion = dumpedBy ? parsePgVersion(dumpedBy) : undefined;
  if (dumpVersion && compareVersions(psql.version, dumpVersion) < 0) {
    throw new BackupError(
      "PSQL_TOO_OLD",
      `the dump was written by pg_dump ${dumpedBy}; the installed psql ${psql.version.join(".")} is older and cannot restore it (install a newer postgresql-client)`,
      { dumpedBy, psql: psql.version.join(".") },
    );
  }
  return psql;
}

async function databaseExists(admin: PgConnection, name: string): Promise<boolean> {
  return withClient(
    admin,
    async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount! > 0,
  );
}

export async function dropDatabase(admin: PgConnection, name: string): Promise<void> {
  await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

async function runPsql(conn: PgConnection, input: Readable): Promise<void> {
  const psql = await findPgTool("psql");
  const args = [
    "-X",
    "-q",
    "-v",
    "ON_ERROR_STOP=1",
    "--single-transaction",
    ...connectionArgs(conn),
    "--dbname",
    conn.database,
    "--file",
    "-",
  ];
  const child = spawn(psql.path, args, { env: connectionEnv(conn), stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError("COMMAND_FAILED", `psql exited with ${code}: ${stderr.trim()}`)),
    );
  });
  exited.catch(() => {});
  // If psql stops early (ON_ERROR_STOP), the pipe breaks: report psql's error, not EPIPE.
  await Promise.all([
    pipeline(input, child.stdin).catch(async (error) => {
      await exited;
      throw error;
    }),
    exited,
  ]);
}

/**
 * Restores a backup zip into a new database and filestore directory. Everything is
 * validated first (inspectArchive, psql version, free space, target absence); the database
 * is created only then, and dropped again (and the filestore removed) when anything fails.
 * psql runs with ON_ERROR_STOP and --single-transaction: the first error stops it, so no
 * line after a failed statement (e.g. a refused COPY's data) is ever executed.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const inspected =
    options.inspected ??
    (await inspectArchive(options.archive, { targetSeries: options.targetSeries, limits: options.limits }));
  if (inspected.dumpFormat !== "plain") {
    throw new BackupError(
      "ENTRY_NOT_ALLOWED",
      "custom-format dumps (dump.dump) cannot be restored yet; use dump.sql",
    );
  }
  await checkPsqlFor(inspected.screen?.dumpedBy);
  if (
    options.filestore &&
    inspected.filestoreBytes > 0 &&
    !(await hasFreeSpace(options.filestore, inspected.filestoreBytes))
  ) {
    throw new BackupError(
      "NO_SPACE",
      `not enough free space for ${inspected.filestoreBytes} bytes of filestore`,
    );
  }
  if (options.filestore && ((await readdir(options.filestore).catch(() => [])) as string[]).length > 0) {
    throw new BackupError("TARGET_EXISTS", `the filestore target ${options.filestore} is not empty`);
  }
  if (await databaseExists(options.admin, options.database)) {
    throw new BackupError("TARGET_EXISTS", `database ${options.database} already exists`);
  }
  const owner = options.owner ?? { user: options.admin.user, password: options.admin.password };
  let created = false;
  let filestoreStarted = false;
  try {
    await withClient(options.admin, (c) =>
      c.query(
        `CREATE DATABASE ${quoteIdent(options.database)} OWNER ${quoteIdent(owner.user)} TEMPLATE template0 ENCODING 'UTF8'`,
      ),
    );
    created = true;
    const target: PgConnection = { ...options.admin, ...owner, database: options.database };
    await runPsql(target, await openDumpStream(options.archive, inspected));
    let newUuid: string | undefined;
    if (options.asCopy) {
      newUuid = await withClient(target, async (c) => {
        const { rows } = await c.query<{ value: string }>(
          "UPDATE ir_config_parameter SET value = gen_random_uuid()::text WHERE key = 'database.uuid' RETURNING value",
        );
        return rows[0]?.value;
      });
    }
    let files = 0;
    let filestoreBytes = 0;
    if (options.filestore) {
      filestoreStarted = true;
      const extracted = await extractFilestore(options.archive, inspected, options.filestore);
      files = extracted.files;
      filestoreBytes = extracted.bytes;
    }
    const copyRows = inspected.screen?.copyRows ?? new Map<string, number>();
    return {
      database: options.database,
      manifest: inspected.manifest,
      tables: copyRows.size,
      rows: [...copyRows.values()].reduce((a, b) => a + b, 0),
      files,
      filestoreBytes,
      newUuid,
    };
  } catch (error) {
    if (created) await dropDatabase(options.admin, options.database).catch(() => {});
    if (filestoreStarted && options.filestore) await rm(options.filestore, { recursive: true, force: true });
    throw error;
  }
}
