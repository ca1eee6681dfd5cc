import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { bestEffort } from "@gantry/config";
import { buildBackupManifest, seriesOfModuleVersion } from "@gantry/odoo";
import { connectionArgs, connectionEnv, findPgTool, pgClient } from "@gantry/postgres";
import type pg from "pg";
import { BackupError } from "../errors";
import { type GantryManifest, type Manifest, readModules, readPgVersion } from "../manifest";
import type { PgConnection } from "../pg/connection";
import { withLargeOutputBuffer } from "../pg/output-buffer";
import { countRows, listDataTables } from "../pg/tables";
import { type ScreenResult, SqlScreener } from "../sql/screen";
import { listFilestore } from "./filestore";
import { readFilestore } from "./filestore-source";
import { ArchiveOutput } from "./output";
import { ZipWriter } from "./zip-writer";

export interface CreateBackupOptions {
  /**
   * The database to dump. For a neutralized backup, the caller restores into a scratch
   * database, neutralizes it, and passes that scratch database here.
   */
  source: PgConnection;
  /** The name written as manifest `db_name` (defaults to the source database's name). */
  dbName?: string;
  /** The database's filestore directory; null or undefined for a backup without filestore. */
  filestore?: string | null;
  /** A file path (written atomically: temp file + rename) or any writable stream. */
  output: string | Writable;
  /** Odoo's `version` string when known (e.g. "18.0+e-20241005"); otherwise taken from `base`. */
  odooVersion?: string;
  /** zlib level for dump.sql, 0 (store) to 9; default 1: SQL text already shrinks ~4x, far faster than 6. */
  compressionLevel?: number;
  /**
   * zlib level for filestore files; default 0 (stored): attachments are mostly images, PDFs
   * and office files that are compressed already, so deflating them costs CPU for nothing.
   */
  filestoreCompressionLevel?: number;
  signal?: AbortSignal;
}

export interface BackupResult {
  sizeBytes: number;
  sha256: string;
  /** Filestore files written. */
  fileCount: number;
  symlinksSkipped: number;
  otherSkipped: string[];
  manifest: Manifest;
}

interface Snapshot {
  client: pg.Client;
  id: string;
  tables: string[];
}

/**
 * Row counts must come from the very state pg_dump dumps, or verification compares two
 * different moments. The writer opens a REPEATABLE READ transaction, exports its snapshot,
 * runs pg_dump with --snapshot, and counts every table with count(*) inside that same
 * transaction: the counts are exact, independent of the dump text, and match the dump even
 * while Odoo keeps writing. The COPY blocks streaming out are counted as well, so a dump
 * that lost rows between the server and the archive fails the backup right away.
 */
async function openSnapshot(source: PgConnection): Promise<Snapshot> {
  const client = pgClient(source);
  // A connection lost mid-backup fails the query waiting on it; unheard, the client's own
  // "error" event would take the whole process down.
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows } = await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
    const tables = await listDataTables(client);
    return { client, id: rows[0]!.id, tables };
  } catch (error) {
    await bestEffort("closing the snapshot connection", client.end());
    throw error;
  }
}

/** Screens and counts the dump as it streams; a backup we could not restore fails now. */
async function* screened(dump: AsyncIterable<Buffer>, screener: SqlScreener): AsyncGenerator<Buffer> {
  for await (const chunk of dump) {
    screener.push(chunk);
    yield chunk;
  }
}

interface DumpProcess {
  stdout: Readable;
  kill(): void;
  exited: Promise<void>;
}

async function startPgDump(
  source: PgConnection,
  snapshotId: string,
  signal?: AbortSignal,
): Promise<DumpProcess> {
  const tool = await findPgTool("pg_dump");
  const args = [
    ...connectionArgs(source),
    "--format=plain",
    "--no-owner",
    `--snapshot=${snapshotId}`,
    "--dbname",
    source.database,
  ];
  const [command, argv] = await withLargeOutputBuffer(tool.path, args);
  const child = spawn(command, argv, {
    env: connectionEnv(source),
    stdio: ["ignore", "pipe", "pipe"],
    signal,
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(
            new BackupError("COMMAND_FAILED", `pg_dump exited with ${code}: ${stderr.trim()}`, { stderr }),
          ),
    );
  });
  // Awaited by the caller once the output is read; until then a failure must not count as unhandled.
  exited.catch(() => {});
  return { stdout: child.stdout, exited, kill: () => child.exitCode === null && child.kill("SIGTERM") };
}

/** Every table's rows in the dump must match the count taken in the dump's own snapshot. */
function checkRowCounts(rowCounts: Record<string, number>, screened: ScreenResult): void {
  for (const [table, count] of Object.entries(rowCounts)) {
    const dumped = screened.copyRows.get(table.toLowerCase()) ?? 0;
    if (dumped !== count) {
      throw new BackupError(
        "COMMAND_FAILED",
        `pg_dump wrote ${dumped} rows of ${table}, the source has ${count}`,
      );
    }
  }
}

/**
 * Writes an Odoo backup zip, streamed end to end: memory stays flat whatever the size.
 * Entries go in this order: dump.sql (pg_dump's output, screened and deflated as it
 * arrives), filestore/ (read ahead of the writer), manifest.json (last, once the dump's
 * rows have been checked against the snapshot's counts).
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupResult> {
  const level = options.compressionLevel ?? 1;
  const fileLevel = options.filestoreCompressionLevel ?? 0;
  const snapshot = await openSnapshot(options.source);
  const outputPath = typeof options.output === "string" ? options.output : undefined;
  const tempPath = outputPath ? `${outputPath}.partial-${process.pid}-${Date.now()}` : undefined;
  let dump: DumpProcess | undefined;
  let out: ArchiveOutput | undefined;
  try {
    const modules = await readModules(snapshot.client);
    const pgVersion = await readPgVersion(snapshot.client);
    const series = seriesOfModuleVersion(modules.base ?? "");
    if (!series)
      throw new Error(`cannot tell the Odoo series from base version ${JSON.stringify(modules.base)}`);
    const listing = options.filestore ? await listFilestore(options.filestore) : undefined;

    out = new ArchiveOutput(
      tempPath
        ? createWriteStream(tempPath, { highWaterMark: 8 * 1024 * 1024 })
        : (options.output as Writable),
    );
    const zip = new ZipWriter(out);
    const mtime = new Date();

    dump = await startPgDump(options.source, snapshot.id, options.signal);
    const screener = new SqlScreener();
    await zip.addStream("dump.sql", screened(dump.stdout, screener), { level, mtime });
    await dump.exited;
    const screenedDump = screener.end();
    // Counted once pg_dump is done, in the same snapshot: the count's table scans then run
    // beside the filestore's disk reads instead of competing with pg_dump for the CPU.
    const counting = countRows(snapshot.client, snapshot.tables);
    // Awaited after the filestore; until then a failure must not count as unhandled.
    counting.catch(() => {});

    const sha256: Record<string, string> = {};
    let filestoreBytes = 0;
    if (listing && listing.files.length > 0) {
      await zip.addDirectory("filestore/", mtime);
      for await (const file of readFilestore(options.filestore!, listing.files)) {
        options.signal?.throwIfAborted();
        const name = `filestore/${file.path}`;
        if ("data" in file) {
          await zip.addBuffer(name, file.data, { level: fileLevel, mtime });
          sha256[file.path] = file.sha256;
          filestoreBytes += file.data.length;
        } else {
          let bytes = 0;
          await zip.addStream(
            name,
            (async function* () {
              for await (const chunk of file.stream) {
                bytes += chunk.length;
                yield chunk;
              }
            })(),
            { level: fileLevel, mtime },
          );
          sha256[file.path] = file.digest();
          filestoreBytes += bytes;
        }
      }
    }

    const rowCounts = await counting;
    checkRowCounts(rowCounts, screenedDump);
    const gantry: GantryManifest = {
      format: 1,
      created_at: new Date().toISOString(),
      row_counts: rowCounts,
      filestore: listing ? { files: listing.files.length, bytes: filestoreBytes, sha256 } : null,
    };
    const manifest: Manifest = {
      ...buildBackupManifest({
        dbName: options.dbName ?? options.source.database,
        series,
        version: options.odooVersion,
        pgVersion,
        modules,
      }),
      gantry,
    };
    await zip.addBuffer("manifest.json", Buffer.from(JSON.stringify(manifest, null, 4)), { level, mtime });
    await zip.finish();
    const written = await out.end();
    if (tempPath && outputPath) {
      await rename(tempPath, outputPath);
    }
    return {
      sizeBytes: written.bytes,
      sha256: written.sha256,
      fileCount: listing?.files.length ?? 0,
      symlinksSkipped: listing?.symlinksSkipped ?? 0,
      otherSkipped: listing?.otherSkipped ?? [],
      manifest,
    };
  } catch (error) {
    dump?.kill();
    out?.destroy(error as Error);
    if (tempPath) await rm(tempPath, { force: true });
    throw error;
  } finally {
    // A read-only snapshot: nothing is lost if ending it fails, and the backup's outcome stands.
    await bestEffort("ending the snapshot transaction", snapshot.client.query("ROLLBACK"));
    await bestEffort("closing the snapshot connection", snapshot.client.end());
  }
}
