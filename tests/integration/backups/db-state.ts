// What a round trip must keep: installed modules with versions, every table's row count and
// every filestore file's sha256, read from a build's live database and folder.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { listFilestore } from "@gantry/backup";
import pg from "pg";

export interface Conn {
  host: string;
  port: number;
  user: string;
  password: string;
}

export async function withDb<T>(
  conn: Conn,
  database: string,
  work: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ ...conn, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function databaseState(conn: Conn, database: string) {
  return withDb(conn, database, async (c) => {
    const modules = Object.fromEntries(
      (
        await c.query<{ name: string; latest_version: string }>(
          "SELECT name, latest_version FROM ir_module_module WHERE state = 'installed' ORDER BY name",
        )
      ).rows.map((r) => [r.name, r.latest_version]),
    );
    const tables = (
      await c.query<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      )
    ).rows.map((r) => r.name);
    const rows: Record<string, number> = {};
    for (const table of tables)
      rows[table] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    return { modules, rows };
  });
}

export async function filestoreSums(dir: string): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const file of (await listFilestore(dir)).files)
    sums[file] = createHash("sha256")
      .update(await readFile(join(dir, file)))
      .digest("hex");
  return sums;
}
