// What an upgrade reads from an Odoo database before and after: the installed modules with
// their versions, and exact row counts of the main tables (Odoo's well-known business tables
// that exist, plus the largest others by the planner's estimate, so a big custom table shows
// too without counting every table of a large database).
import type { ModuleChange, RowCount } from "@gantry/core";
import { type PgEndpoint, qualifiedName, withConnection } from "@gantry/postgres";
import type pg from "pg";

const MAIN_TABLES = [
  "res_partner",
  "res_users",
  "res_company",
  "ir_attachment",
  "ir_module_module",
  "ir_model",
  "ir_model_fields",
  "ir_ui_view",
  "mail_message",
  "mail_followers",
  "product_template",
  "product_product",
  "sale_order",
  "sale_order_line",
  "purchase_order",
  "account_move",
  "account_move_line",
  "stock_move",
  "stock_quant",
  "stock_picking",
  "crm_lead",
  "project_task",
  "hr_employee",
];
const LARGEST_OTHERS = 12;

/** The tables whose rows the report counts: the main ones present, then the largest others. */
export async function mainTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; estimate: number }>(
    `SELECT c.relname AS name, c.reltuples::float8 AS estimate
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname = 'public'`,
  );
  const present = new Set(rows.map((r) => r.name));
  const main = MAIN_TABLES.filter((t) => present.has(t));
  const others = rows
    .filter((r) => !MAIN_TABLES.includes(r.name) && !r.name.startsWith("ir_") && r.estimate > 0)
    .sort((a, b) => b.estimate - a.estimate || a.name.localeCompare(b.name))
    .slice(0, LARGEST_OTHERS)
    .map((r) => r.name);
  // Tables never analysed estimate -1: take them by name so a small database still shows them.
  const unanalysed = rows
    .filter((r) => !MAIN_TABLES.includes(r.name) && !r.name.startsWith("ir_") && r.estimate < 0)
    .map((r) => r.name)
    .sort()
    .slice(0, Math.max(0, LARGEST_OTHERS - others.length));
  return [...main, ...others, ...unanalysed];
}

export async function countTables(
  client: pg.Client,
  tables: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const name = qualifiedName("public", table);
    const exists = await client.query("SELECT to_regclass($1) AS r", [name]);
    if (exists.rows[0]?.r === null) continue;
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
    counts.set(table, Number(rows[0]?.n ?? 0));
  }
  return counts;
}

export async function installedModules(
  client: pg.Client,
): Promise<Map<string, { version: string | null; state: string }>> {
  const { rows } = await client.query<{ name: string; latest_version: string | null; state: string }>(
    "SELECT name, latest_version, state FROM ir_module_module WHERE state <> 'uninstalled' ORDER BY name",
  );
  return new Map(rows.map((r) => [r.name, { version: r.latest_version, state: r.state }]));
}

/** The installed version of `base`: what project scripts receive as `version`, as Odoo passes it. */
export async function baseVersion(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ v: string | null }>(
    "SELECT latest_version AS v FROM ir_module_module WHERE name = 'base'",
  );
  return rows[0]?.v ?? null;
}

export interface DatabaseSnapshot {
  modules: Map<string, { version: string | null; state: string }>;
  rows: Map<string, number>;
}

export async function snapshot(target: PgEndpoint, tables?: readonly string[]): Promise<DatabaseSnapshot> {
  return withConnection(target, async (client) => ({
    modules: await installedModules(client),
    rows: await countTables(client, tables ?? (await mainTables(client))),
  }));
}

export function moduleChanges(before: DatabaseSnapshot, after: DatabaseSnapshot): ModuleChange[] {
  const names = [...new Set([...before.modules.keys(), ...after.modules.keys()])].sort();
  return names.map((name) => ({
    name,
    before: before.modules.get(name)?.version ?? null,
    after: after.modules.get(name)?.version ?? null,
    state: after.modules.get(name)?.state ?? null,
  }));
}

export function rowChanges(before: DatabaseSnapshot, after: DatabaseSnapshot): RowCount[] {
  const names = [...new Set([...before.rows.keys(), ...after.rows.keys()])];
  return names.map((table) => ({
    table,
    before: before.rows.get(table) ?? null,
    after: after.rows.get(table) ?? null,
  }));
}
