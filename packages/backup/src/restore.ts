import { readdir, rm } from "node:fs/promises";
import { bestEffort, ifExists } from "@gantry/config";
import { compareSeries } from "@gantry/odoo";
import {
  createDatabase,
  createRestoreRole,
  databaseExists,
  dropDatabase,
  dropRestoreRole,
  findPgTool,
  handOverRestore,
  parsePgVersion,
  prepareRestoreTarget,
  type RestoreRole,
  withConnection,
} from "@gantry/postgres";
import { checkedEntryData, checkFilestoreEntries } from "./archive/checked-entry";
import { extractEntries } from "./archive/extract";
import {
  type InspectedEntry,
  type InspectResult,
  parseLimits,
  readDirectory,
  readManifest,
} from "./archive/inspect";
import type { ArchiveLimits } from "./archive/limits";
import { openZip } from "./archive/zip-reader";
import { hasFreeSpace } from "./disk";
import { BackupError } from "./errors";
import type { Manifest } from "./manifest";
import type { PgConnection } from "./pg/connection";
import { PsqlSession } from "./pg/psql-session";
import { SqlGate } from "./sql/gate";
import { HEADER_LINES, type ScreenResult } from "./sql/screen";

export interface RestoreOptions {
  /** Path of the backup zip. */
  archive: string;
  /** A role allowed to CREATE DATABASE; `database` is the maintenance database it connects to (e.g. postgres). */
  admin: PgConnection;
  /** The new database; it must not exist. */
  database: string;
  /**
   * The role the restored database and everything in it is handed to at the end (a build's
   * role). The dump itself always runs as a restore role of its own (see createRestoreRole);
   * without `owner` the database stays that role's, and the result names it: the caller drops
   * the database, then the role (dropRestoreRole).
   */
  owner?: string;
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
  /** The role that ran the dump and still owns the database, when no `owner` was given. */
  restoreRole?: RestoreRole;
}

/**
 * psql must be of at least the major release of the pg_dump that wrote the dump. Within a
 * major release, a newer pg_dump writes nothing an older psql reads differently: the only
 * meta-commands a dump holds, `\restrict` / `\unrestrict` (added in minor releases), are
 * taken out by the screen before psql sees them. Odoo's database manager dumps with the
 * postgresql-client of its own image, often a release or two apart from Gantry's host.
 */
export async function checkPsqlFor(dumpedBy: string | undefined) {
  const psql = await findPgTool("psql");
  const dumpVersion = dumpedBy ? parsePgVersion(dumpedBy) : undefined;
  if (dumpVersion && (psql.version[0] ?? 0) < (dumpVersion[0] ?? 0)) {
    throw new BackupError(
      "PSQL_TOO_OLD",
      `the dump was written by pg_dump ${dumpedBy}; the installed psql ${psql.version.join(".")} is of an older major release and cannot restore it (install a newer postgresql-client)`,
      { dumpedBy, psql: psql.version.join(".") },
    );
  }
  return psql;
}

/** What a restore learnt about the archive on its single pass (verifyBackup compares against it). */
export interface RestoredArchive {
  result: RestoreResult;
  entries: InspectedEntry[];
  screen: ScreenResult;
}

/** The dump head holding pg_dump's version line, read before anything is created. */
const HEAD_MAX_BYTES = 1024 * 1024;

/**
 * Streams dump.sql through the SQL gate into psql. The head (up to pg_dump's version line)
 * was read and checked already; when that line comes only after the head, psql's version
 * is checked on its arrival, before anything after it is sent.
 */
async function feedDump(
  dump: AsyncIterator<Buffer>,
  gate: SqlGate,
  psql: PsqlSession,
  head: Buffer[],
  versionChecked: boolean,
  signal: AbortSignal,
): Promise<ScreenResult> {
  for (const chunk of head) await psql.write(chunk);
  let last = head.at(-1);
  for (let next = await dump.next(); !next.done; next = await dump.next()) {
    signal.throwIfAborted();
    const ready = gate.push(next.value);
    if (!versionChecked && gate.screener.result.dumpedBy !== undefined) {
      await checkPsqlFor(gate.screener.result.dumpedBy);
      versionChecked = true;
    }
    for (const chunk of ready) await psql.write(chunk);
    last = ready.at(-1) ?? last;
  }
  const { result, rest } = gate.end();
  for (const chunk of rest) await psql.write(chunk);
  last = rest.at(-1) ?? last;
  // A dump cut inside COPY data: end that data as psql would at the end of its input.
  if (gate.screener.endedInCopy && last && last[last.length - 1] !== 10) await psql.write("\n");
  return result;
}

/**
 * Restores a backup zip into a new database and filestore directory, reading the archive
 * once. The central directory and the manifest are checked first, and pg_dump's version
 * against psql's; only then is the database created. dump.sql then streams through the SQL
 * screening and the CRC check into psql, inside a transaction that is committed only once
 * the whole dump was accepted and every filestore file (written meanwhile, a few at a time)
 * was verified. psql connects as a restore role made for this restore only (no admin, no SET
 * ROLE), which then hands everything to `owner`. Any refusal kills psql, drops the database
 * and the restore role and removes the filestore.
 */
export async function restoreArchive(options: RestoreOptions): Promise<RestoredArchive> {
  const limits = parseLimits(options.limits);
  const zip = await openZip(options.archive);
  let role: RestoreRole | undefined;
  let created = false;
  let filestoreStarted = false;
  let psql: PsqlSession | undefined;
  const stop = new AbortController();
  let dump: AsyncGenerator<Buffer> | undefined;
  try {
    let entries: InspectedEntry[];
    let manifest: Manifest;
    let filestoreBytes: number;
    if (options.inspected) {
      ({ entries, manifest, filestoreBytes } = options.inspected);
      if (options.targetSeries && compareSeries(manifest.major_version, options.targetSeries) > 0) {
        throw new BackupError(
          "NEWER_SERIES",
          `the backup is from Odoo ${manifest.major_version}, newer than the target ${options.targetSeries}`,
          { backup: manifest.major_version, target: options.targetSeries },
        );
      }
    } else {
      const directory = await readDirectory(zip, limits);
      ({ entries, filestoreBytes } = directory);
      manifest = await readManifest(zip, directory.manifestEntry, limits, options.targetSeries);
    }
    const dumpEntry = entries.find((e) => e.kind === "dump");
    if (!dumpEntry) {
      throw new BackupError(
        "ENTRY_NOT_ALLOWED",
        "custom-format dumps (dump.dump) cannot be restored yet; use dump.sql",
      );
    }

    dump = checkedEntryData(zip, dumpEntry);
    const gate = new SqlGate();
    const head: Buffer[] = [];
    let headBytes = 0;
    while (
      gate.screener.result.dumpedBy === undefined &&
      gate.screener.linesRead < HEADER_LINES &&
      headBytes < HEAD_MAX_BYTES
    ) {
      const next = await dump.next();
      if (next.done) break;
      headBytes += next.value.length;
      head.push(...gate.push(next.value));
    }
    await checkPsqlFor(gate.screener.result.dumpedBy);
    const versionChecked =
      gate.screener.result.dumpedBy !== undefined || gate.screener.linesRead >= HEADER_LINES;

    if (options.filestore && filestoreBytes > 0 && !(await hasFreeSpace(options.filestore, filestoreBytes))) {
      throw new BackupError("NO_SPACE", `not enough free space for ${filestoreBytes} bytes of filestore`);
    }
    if (options.filestore && ((await ifExists(readdir(options.filestore)))?.length ?? 0) > 0) {
      throw new BackupError("TARGET_EXISTS", `the filestore target ${options.filestore} is not empty`);
    }
    if (await databaseExists(options.admin, options.database)) {
      throw new BackupError("TARGET_EXISTS", `database ${options.database} already exists`);
    }

    role = await createRestoreRole(options.admin, options.database);
    await createDatabase(options.admin, options.database, role.user);
    created = true;
    await prepareRestoreTarget(options.admin, options.database, role.user);
    // A fresh connection as the restore role: never the admin, never SET ROLE.
    const target: PgConnection = { ...options.admin, ...role, database: options.database };
    psql = await PsqlSession.start(target);
    const session = psql;
    // psql may be busy for long (an index build): a failure elsewhere stops it at once.
    stop.signal.addEventListener("abort", () => void session.abort());
    filestoreStarted = Boolean(options.filestore);
    // Whichever fails first stops the other; both have stopped before cleaning up starts.
    const stopOnFailure = <T>(work: Promise<T>) =>
      work.catch((error) => {
        stop.abort(error);
        throw error;
      });
    const [dumpResult, extracted] = await Promise.allSettled([
      stopOnFailure(feedDump(dump, gate, session, head, versionChecked, stop.signal)),
      stopOnFailure(
        options.filestore
          ? extractEntries(zip, entries, options.filestore, stop.signal)
          : checkFilestoreEntries(zip, entries, stop.signal),
      ),
    ]);
    // The first failure is the cause; the other side then failed only because it was stopped.
    if (stop.signal.aborted) throw stop.signal.reason;
    if (dumpResult.status === "rejected") throw dumpResult.reason;
    if (extracted.status === "rejected") throw extracted.reason;
    await session.commit(gate.screener.endedInCopy);
    psql = undefined;

    let newUuid: string | undefined;
    if (options.asCopy) {
      newUuid = await withConnection(target, async (c) => {
        const { rows } = await c.query<{ value: string }>(
          "UPDATE ir_config_parameter SET value = gen_random_uuid()::text WHERE key = 'database.uuid' RETURNING value",
        );
        return rows[0]?.value;
      });
    }
    if (options.owner) {
      await handOverRestore(options.admin, options.database, role.user, options.owner);
      role = undefined;
    }
    const screen = dumpResult.value;
    return {
      entries,
      screen,
      result: {
        database: options.database,
        manifest,
        tables: screen.copyRows.size,
        rows: [...screen.copyRows.values()].reduce((a, b) => a + b, 0),
        files: extracted.value.files,
        filestoreBytes: extracted.value.bytes,
        newUuid,
        restoreRole: role,
      },
    };
  } catch (error) {
    stop.abort(error);
    if (dump) void bestEffort("closing the dump reader", dump.return(undefined));
    await psql?.abort();
    if (created)
      await bestEffort(`dropping ${options.database}`, dropDatabase(options.admin, options.database));
    if (role) await bestEffort(`dropping role ${role.user}`, dropRestoreRole(options.admin, role.user));
    if (filestoreStarted && options.filestore) await rm(options.filestore, { recursive: true, force: true });
    throw error;
  } finally {
    zip.close();
  }
}

/** Restores a backup zip into a new database and filestore directory (see restoreArchive). */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  return (await restoreArchive(options)).result;
}
