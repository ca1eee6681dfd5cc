import { qualifiedName } from "@gantry/postgres";
import type pg from "pg";

/**
 * Tables pg_dump writes data for: ordinary tables outside system schemas, not temporary,
 * not members of an extension. Names are `schema.table`.
 */
export async function listDataTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(`
    SELECT n.nspname || '.' || c.relname AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND c.relpersistence <> 't'
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                         AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY 1`);
  return rows.map((r) => r.name);
}

/**
 * Exact row counts (count(*)), in whatever snapshot the client's transaction holds. Each
 * table's own rows only (`FROM ONLY`): Odoo's ir_actions is the parent of ir_act_window,
 * ir_act_server… (table inheritance), and pg_dump's COPY of a parent, like this count, leaves
 * its children's rows to their own tables.
 */
export async function countRows(client: pg.Client, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const dot = table.indexOf(".");
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ONLY ${qualifiedName(table.slice(0, dot), table.slice(dot + 1))}`,
    );
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}
