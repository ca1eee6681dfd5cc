// A consistent copy of a live database (production, which keeps serving) into a new one,
// possibly on another server. A database with connections cannot be a CREATE DATABASE
// TEMPLATE source, so the copy goes through pg_dump and pg_restore, arranged to be fast:
//
// - one exported snapshot (REPEATABLE READ) held open: every reader sees the same moment;
// - the schema without indexes and constraints first (pre-data), from a small schema dump;
// - then tasks on up to N lanes, with no barrier between kinds (plan.ts): every large table's
//   rows as a binary `COPY … TO STDOUT | COPY … FROM STDIN (FREEZE)`, the small tables and
//   the sequences in one `pg_dump --data-only -Z0 | pg_restore`; a large table's indexes as
//   soon as its rows are in, while others still copy; its foreign keys once both tables have
//   their keys; the rest of the post-data by one `pg_restore -j N` at the end. No intermediate
//   files, no compression, loading while dumping; index sorts get a larger
//   maintenance_work_mem;
// - the copy made durable before it is reported done (its commits did not wait for the disk).
//
// The target database already exists and belongs to the build's role; everything is restored
// as that role, so it owns every object (no superuser needed on the target).

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { bestEffort } from "@gantry/config";
import type pg from "pg";
import { type PgEndpoint, pgClient } from "../connection";
import { connectionArgs, connectionEnv } from "../environment";
import { qualifiedName } from "../identifiers";
import { findPgTool } from "../tools";
import { type CopyPhase, PhaseClock } from "./phases";
import { type CopyTable, type CopyTask, planCopy } from "./plan";
import { pipeTools, runTool, toolOutput } from "./processes";
import { largeTable, type RowsContext, smallTables } from "./rows";
import { runScheduled } from "./schedule";
import { type CatalogObject, classify, parseToc, useList } from "./toc";

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
  /** Tasks running at once (row streams, index builds). */
  jobs?: number;
  signal?: AbortSignal;
  onProgress?: (percent: number, message: string) => void;
}

export interface CopyReport {
  tables: number;
  bytes: number;
  streams: number;
  ms: { schema: number; data: number; indexes: number; total: number };
  /** Where the time went, in the order the phases began (they overlap). */
  phases: CopyPhase[];
}

async function listTables(client: pg.Client): Promise<(CopyTable & { schema: string; table: string })[]> {
  const rows = await client.query<{ oid: number; schema: string; table: string; bytes: string }>(
    `SELECT c.oid::int8::float8 AS oid, n.nspname AS schema, c.relname AS table, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`,
  );
  return rows.rows.map((row) => ({
    oid: Number(row.oid),
    schema: row.schema,
    table: row.table,
    // Quoted and qualified: exact in pg_dump's -t/-T patterns and in COPY, whatever the characters.
    name: qualifiedName(row.schema, row.table),
    bytes: Number(row.bytes),
  }));
}

/** The indexes and constraints of the source's tables, to tie the schema's entries to them. */
async function listKeys(client: pg.Client): Promise<CatalogObject[]> {
  const rows = await client.query<CatalogObject>(
    `SELECT 'i' AS kind, i.indexrelid::int8::float8 AS oid, i.indrelid::int8::float8 AS "table", 0::float8 AS "references"
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace <> 'pg_catalog'::regnamespace
     UNION ALL
     SELECT c.contype::text, c.oid::int8::float8, c.conrelid::int8::float8, c.confrelid::int8::float8
       FROM pg_constraint c WHERE c.conrelid <> 0`,
  );
  return rows.rows.map((row) => ({
    ...row,
    oid: Number(row.oid),
    table: Number(row.table),
    references: Number(row.references),
  }));
}

export async function copyDatabase(input: CopyInput): Promise<CopyReport> {
  const clock = new PhaseClock();
  const jobs = Math.max(1, Math.min(input.jobs ?? 2, 16));
  const pgDump = (await findPgTool("pg_dump")).path;
  const pgRestore = join(dirname(pgDump), "pg_restore");
  const sourceEnv = connectionEnv(input.source, COPY_ENV);
  // Index sorts in memory; commits need not wait for the disk (a failed copy is dropped anyway,
  // and a finished one is flushed at the end).
  const targetEnv = connectionEnv(input.target, {
    ...COPY_ENV,
    PGOPTIONS: "-c maintenance_work_mem=256MB -c synchronous_commit=off",
  });
  const restoreBase = [
    ...connectionArgs(input.target),
    "--dbname",
    input.target.database,
    "--no-owner",
    "--no-privileges",
    "--exit-on-error",
    ...(input.targetRole ? ["--role", input.targetRole] : []),
  ];
  const progress = input.onProgress ?? (() => {});
  // Ended on the first failure: no stream or index build goes on once the copy has failed.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  input.signal?.addEventListener("abort", onAbort, { once: true });
  if (input.signal?.aborted) stop.abort();
  const signal = stop.signal;

  const snapshot = pgClient(input.source, APPLICATION_NAME);
  await snapshot.connect();
  const work = await mkdtemp(join(tmpdir(), "gantry-copy-"));
  try {
    const opened = clock.start("snapshot");
    await snapshot.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const id = (await snapshot.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id;
    const tables = await listTables(snapshot);
    const catalog = await listKeys(snapshot);
    const bytes = tables.reduce((sum, t) => sum + t.bytes, 0);
    const dumpBase = [...connectionArgs(input.source), "--snapshot", id, "--dbname", input.source.database];
    opened();

    progress(2, "schema");
    const schemaDone = clock.start("schema");
    const schemaFile = join(work, "schema.dump");
    await runTool(
      pgDump,
      // Not --schema-only: the two schema sections also hold the materialized views' REFRESH
      // (their data, which neither --schema-only nor --data-only dumps).
      [...dumpBase, "--section=pre-data", "--section=post-data", "--format=custom", "--file", schemaFile],
      sourceEnv,
      "dumping the schema",
      signal,
    );
    const [, listing] = await Promise.all([
      runTool(
        pgRestore,
        [...restoreBase, "--section=pre-data", schemaFile],
        targetEnv,
        "creating the tables",
        signal,
      ),
      toolOutput(
        pgRestore,
        ["--list", "--section=post-data", schemaFile],
        targetEnv,
        "listing the schema",
        signal,
      ),
    ]);
    schemaDone();

    const tasks = planCopy(tables, classify(parseToc(listing), catalog), {
      jobs,
      threshold: input.ownStreamBytes,
    });
    const streams = tasks.filter((task) => task.step.kind === "rows");
    progress(
      10,
      `${tables.length} tables (${Math.round(bytes / 1048576)} MB): ${streams.length - 1} large in their own streams, ${jobs} tasks at a time`,
    );
    const large = streams.flatMap((task) =>
      task.step.kind === "rows" && task.step.table ? [task.step.table] : [],
    );
    const ctx: RowsContext = {
      source: input.source,
      target: input.target,
      targetRole: input.targetRole,
      sourceEnv,
      targetEnv,
      dumpBase,
      restoreBase,
      snapshot: id,
      pgDump,
      pgRestore,
      psql: join(dirname(pgDump), "psql"),
    };
    let finished = 0;
    const run = async (task: CopyTask) => {
      const step = task.step;
      const done = clock.start(step.kind);
      if (step.kind === "rows") {
        const [dump, restore] = step.table ? largeTable(ctx, step.table) : smallTables(ctx, large);
        await pipeTools(dump, restore, `copying ${step.table ?? "the small tables"}`, signal);
      } else {
        const list = join(work, `${task.id.replace(/[^a-z0-9-]/g, "_")}.list`);
        await writeFile(list, useList(step.entries));
        await runTool(
          pgRestore,
          [
            ...restoreBase,
            "--use-list",
            list,
            ...(step.jobs > 1 ? ["--jobs", String(step.jobs)] : []),
            schemaFile,
          ],
          targetEnv,
          `building ${step.kind}`,
          signal,
        );
      }
      done();
      finished += 1;
      progress(
        10 + Math.round((88 * finished) / tasks.length),
        `${step.kind}: ${finished}/${tasks.length} tasks`,
      );
    };
    // Once every row stream is done the snapshot is no longer needed: production is left alone.
    const rowsLeft = new Set(streams.map((task) => task.id));
    await runScheduled(
      jobs,
      tasks,
      async (task) => {
        await run(task);
        if (rowsLeft.delete(task.id) && rowsLeft.size === 0) {
          await bestEffort("ending the exported snapshot", snapshot.query("COMMIT"));
        }
      },
      () => stop.abort(),
    );

    const durable = clock.start("flush");
    await flushCopy(input.target);
    durable();
    progress(100, "copied");
    const phases = clock.phases();
    const end = (name: string) => phases.find((p) => p.name === name)?.endMs ?? 0;
    const start = (name: string) => phases.find((p) => p.name === name)?.startMs ?? 0;
    return {
      tables: tables.length,
      bytes,
      streams: streams.length,
      ms: {
        schema: end("schema"),
        data: end("rows") - start("rows"),
        indexes: clock.elapsed() - end("rows"),
        total: clock.elapsed(),
      },
      phases,
    };
  } finally {
    input.signal?.removeEventListener("abort", onAbort);
    await bestEffort("closing the snapshot connection", snapshot.end());
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A commit that waits for the disk: every earlier record of the copy (committed without
 * waiting) is on disk once it returns, so a crash after the copy was reported done loses none of it.
 */
async function flushCopy(target: PgEndpoint): Promise<void> {
  const client = pgClient(target, APPLICATION_NAME);
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL synchronous_commit = on");
    // A transaction id makes the COMMIT a record to flush.
    await client.query("SELECT pg_current_xact_id()");
    await client.query("COMMIT");
  } finally {
    await bestEffort("closing the flush connection", client.end());
  }
}
