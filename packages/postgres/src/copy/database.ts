// A consistent copy of a live database (production, which keeps serving) into a new one,
// possibly on another server. A database with connections cannot be a CREATE DATABASE
// TEMPLATE source, so the copy goes through pg_dump and pg_restore, arranged to be fast:
//
// - one exported snapshot (REPEATABLE READ) held open: every reader sees the same moment;
// - the schema without indexes and constraints first (pre-data), from a small schema dump;
// - the rows in up to N parallel streams: every large table its own binary
//   `COPY … TO STDOUT | COPY … FROM STDIN` (no text to format and parse), the small ones and
//   the sequences together in one `pg_dump --data-only -Z0 | pg_restore`; no intermediate
//   files, no compression, loading while dumping;
// - indexes and constraints last, built by `pg_restore -j N` (post-data), in parallel, with
//   a larger maintenance_work_mem for their sorts.
//
// The target database already exists and belongs to the build's role; everything is restored
// as that role, so it owns every object (no superuser needed on the target).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { bestEffort } from "@gantry/config";
import type pg from "pg";
import { type PgEndpoint, pgClient } from "../connection";
import { connectionArgs, connectionEnv } from "../environment";
import { qualifiedName, quoteIdent } from "../identifiers";
import { findPgTool } from "../tools";
import { planStreams, pool, type TableSize } from "./plan";
import { pipeTools, runTool } from "./processes";

const APPLICATION_NAME = "gantry-copy";
const COPY_ENV = { PGCONNECT_TIMEOUT: "10", PGAPPNAME: APPLICATION_NAME };

export interface CopyInput {
  /** Read with these credentials (the server's admin: it may read any database). */
  source: PgEndpoint;
  /** An existing, empty database, written as its owner. */
  target: PgEndpoint;
  /** Connected as an admin, restore as this role instead (SET ROLE): it owns the objects. */
  targetRole?: string;
  /** Tables at least this large get their own binary stream (default OWN_STREAM_BYTES). */
  ownStreamBytes?: number;
  /** Streams running at once for rows, and jobs of the index builds. */
  jobs?: number;
  signal?: AbortSignal;
  onProgress?: (percent: number, message: string) => void;
}

export interface CopyReport {
  tables: number;
  bytes: number;
  streams: number;
  ms: { schema: number; data: number; indexes: number; total: number };
}

async function listTables(client: pg.Client): Promise<(TableSize & { schema: string; table: string })[]> {
  const rows = await client.query<{ schema: string; table: string; bytes: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`,
  );
  return rows.rows.map((row) => ({
    schema: row.schema,
    table: row.table,
    // Quoted and qualified: exact in pg_dump's -t/-T patterns and in COPY, whatever the characters.
    name: qualifiedName(row.schema, row.table),
    bytes: Number(row.bytes),
  }));
}

export async function copyDatabase(input: CopyInput): Promise<CopyReport> {
  const begun = Date.now();
  const jobs = Math.max(1, Math.min(input.jobs ?? 2, 16));
  const pgDump = (await findPgTool("pg_dump")).path;
  const pgRestore = join(dirname(pgDump), "pg_restore");
  const sourceEnv = connectionEnv(input.source, COPY_ENV);
  // Index sorts in memory; commits need not wait for the disk (a failed copy is dropped anyway).
  const targetEnv = connectionEnv(input.target, {
    ...COPY_ENV,
    PGOPTIONS: "-c maintenance_work_mem=256MB -c synchronous_commit=off",
  });
  const restoreArgs = [
    ...connectionArgs(input.target),
    "--dbname",
    input.target.database,
    "--no-owner",
    "--no-privileges",
    "--exit-on-error",
    ...(input.targetRole ? ["--role", input.targetRole] : []),
  ];
  const progress = input.onProgress ?? (() => {});

  const snapshot = pgClient(input.source, APPLICATION_NAME);
  await snapshot.connect();
  const work = await mkdtemp(join(tmpdir(), "gantry-copy-"));
  try {
    await snapshot.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const id = (await snapshot.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id;
    const tables = await listTables(snapshot);
    const bytes = tables.reduce((sum, t) => sum + t.bytes, 0);
    const dumpBase = [...connectionArgs(input.source), "--snapshot", id, "--dbname", input.source.database];

    progress(2, "schema");
    const schemaFile = join(work, "schema.dump");
    await runTool(
      pgDump,
      [...dumpBase, "--schema-only", "--format=custom", "--file", schemaFile],
      sourceEnv,
      "dumping the schema",
      input.signal,
    );
    await runTool(
      pgRestore,
      [...restoreArgs, "--section=pre-data", schemaFile],
      targetEnv,
      "creating the tables",
      input.signal,
    );
    const schemaMs = Date.now() - begun;

    const streams = planStreams(tables, input.ownStreamBytes);
    progress(
      10,
      `rows of ${tables.length} tables (${Math.round(bytes / 1048576)} MB): ${streams.large.length} large in their own streams, ${jobs} at a time`,
    );
    const dataBegun = Date.now();
    const total = streams.large.length + 1;
    let done = 0;
    const finished = () => {
      done += 1;
      progress(10 + Math.round((60 * done) / total), `rows: ${done}/${total} streams`);
    };
    const psql = join(dirname(pgDump), "psql");
    const tasks: (() => Promise<void>)[] = [
      // Small tables and every sequence's value: one pg_dump stream, large tables left out.
      async () => {
        await pipeTools(
          {
            program: pgDump,
            args: [
              ...dumpBase,
              "--data-only",
              "--format=custom",
              "--compress=0",
              ...streams.large.flatMap((name) => ["--exclude-table-data", name]),
            ],
            env: sourceEnv,
          },
          { program: pgRestore, args: [...restoreArgs, "--data-only"], env: targetEnv },
          "copying the small tables",
          input.signal,
        );
        finished();
      },
      // Large tables: binary COPY out of the snapshot straight into COPY in, no parsing of text.
      ...streams.large.map((name) => async () => {
        await pipeTools(
          {
            program: psql,
            args: [
              ...connectionArgs(input.source),
              "--dbname",
              input.source.database,
              "-X",
              "-q",
              "-v",
              "ON_ERROR_STOP=1",
              "-c",
              "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
              "-c",
              `SET TRANSACTION SNAPSHOT '${id.replace(/[^0-9A-Fa-f-]/g, "")}'`,
              "-c",
              `COPY ${name} TO STDOUT (FORMAT binary)`,
              "-c",
              "COMMIT",
            ],
            env: sourceEnv,
          },
          {
            program: psql,
            args: [
              ...connectionArgs(input.target),
              "--dbname",
              input.target.database,
              "-X",
              "-q",
              "-v",
              "ON_ERROR_STOP=1",
              ...(input.targetRole ? ["-c", `SET ROLE ${quoteIdent(input.targetRole)}`] : []),
              "-c",
              `COPY ${name} FROM STDIN (FORMAT binary)`,
            ],
            env: targetEnv,
          },
          `copying ${name}`,
          input.signal,
        );
        finished();
      }),
    ];
    await pool(jobs, tasks);
    const dataMs = Date.now() - dataBegun;
    // The snapshot only held an exported snapshot open; the copy is done whatever COMMIT says.
    await bestEffort("ending the exported snapshot", snapshot.query("COMMIT"));

    progress(75, "indexes and constraints");
    const indexBegun = Date.now();
    await runTool(
      pgRestore,
      [...restoreArgs, "--section=post-data", "--jobs", String(jobs), schemaFile],
      targetEnv,
      "building indexes and constraints",
      input.signal,
    );
    progress(100, "copied");
    return {
      tables: tables.length,
      bytes,
      streams: streams.large.length + 1,
      ms: { schema: schemaMs, data: dataMs, indexes: Date.now() - indexBegun, total: Date.now() - begun },
    };
  } finally {
    await bestEffort("closing the snapshot connection", snapshot.end());
    await rm(work, { recursive: true, force: true });
  }
}
