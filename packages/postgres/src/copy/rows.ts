// The two kinds of row streams of a copy, as pairs of client programs piped into each other.
import type { PgEndpoint } from "../connection";
import { connectionArgs } from "../environment";
import { quoteIdent } from "../identifiers";

export interface RowsContext {
  source: PgEndpoint;
  target: PgEndpoint;
  targetRole?: string;
  sourceEnv: NodeJS.ProcessEnv;
  targetEnv: NodeJS.ProcessEnv;
  /** Arguments of every pg_dump: the source and the exported snapshot. */
  dumpBase: string[];
  /** Arguments of every pg_restore: the target, as its owner. */
  restoreBase: string[];
  snapshot: string;
  pgDump: string;
  pgRestore: string;
  psql: string;
}

interface Command {
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

const psqlArgs = (endpoint: PgEndpoint) => [
  ...connectionArgs(endpoint),
  "--dbname",
  endpoint.database,
  "-X",
  "-q",
  "-v",
  "ON_ERROR_STOP=1",
];

/** Small tables and every sequence's value: one pg_dump stream, the large tables' rows left out. */
export function smallTables(ctx: RowsContext, large: readonly string[]): [Command, Command] {
  return [
    {
      program: ctx.pgDump,
      args: [
        ...ctx.dumpBase,
        "--data-only",
        "--format=custom",
        "--compress=0",
        ...large.flatMap((name) => ["--exclude-table-data", name]),
      ],
      env: ctx.sourceEnv,
    },
    { program: ctx.pgRestore, args: [...ctx.restoreBase, "--data-only"], env: ctx.targetEnv },
  ];
}

/**
 * A large table: binary COPY out of the snapshot straight into COPY in (no text to format and
 * parse). The table is emptied in the loading transaction so that COPY may FREEZE its rows:
 * they are written frozen and their pages all-visible, so the index builds and the first
 * readers of the copy do not rewrite every page to set hint bits.
 */
export function largeTable(ctx: RowsContext, name: string): [Command, Command] {
  return [
    {
      program: ctx.psql,
      args: [
        ...psqlArgs(ctx.source),
        "-c",
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        "-c",
        `SET TRANSACTION SNAPSHOT '${ctx.snapshot.replace(/[^0-9A-Fa-f-]/g, "")}'`,
        "-c",
        `COPY ${name} TO STDOUT (FORMAT binary)`,
        "-c",
        "COMMIT",
      ],
      env: ctx.sourceEnv,
    },
    {
      program: ctx.psql,
      args: [
        ...psqlArgs(ctx.target),
        ...(ctx.targetRole ? ["-c", `SET ROLE ${quoteIdent(ctx.targetRole)}`] : []),
        "-c",
        "BEGIN",
        // ONLY: an inheritance parent's children are streams of their own.
        "-c",
        `TRUNCATE ONLY ${name}`,
        "-c",
        `COPY ${name} FROM STDIN (FORMAT binary, FREEZE)`,
        "-c",
        "COMMIT",
      ],
      env: ctx.targetEnv,
    },
  ];
}
