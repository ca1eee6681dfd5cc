// What makes a restored or imported database fit for its stage: the credentials check (known
// demo/test passwords replaced on staging and production) and neutralization (crons and mail
// servers off, the flag set) for staging copies, imports asked to be neutral and neutralized
// dumps. Runs packages/odoo's statements through a plain client with the admin role.
import type { PgConnection } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import {
  findWeakCredentials,
  neutralizeSteps,
  resetPasswordStatements,
  SELECT_USER_PASSWORDS_SQL,
  type SqlStatement,
  type UserPasswordRow,
} from "@gantry/odoo";
import { withConnection } from "@gantry/postgres";
import type pg from "pg";

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const { rows } = await client.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [
    `public.${table}`,
  ]);
  return rows[0]?.found !== null;
}

async function execute(client: pg.Client, statement: SqlStatement): Promise<boolean> {
  if (statement.onlyIfTable && !(await tableExists(client, statement.onlyIfTable))) return false;
  await client.query(statement.sql, [...statement.params]);
  return true;
}

/** Crons and mail servers off, `database.is_neutralized` set; the SQL part of `odoo neutralize`. */
export async function neutralizeDatabase(conn: PgConnection): Promise<string[]> {
  return withConnection(conn, async (client) => {
    const done: string[] = [];
    await client.query("BEGIN");
    try {
      for (const step of neutralizeSteps(false)) {
        if (step.kind === "sql" && (await execute(client, step))) done.push(step.description);
      }
      await client.query("COMMIT");
    } catch (error) {
      await bestEffort("rolling back the neutralization", client.query("ROLLBACK"));
      throw error;
    }
    return done;
  });
}

/** Replaces known weak passwords (admin/admin, demo/demo, ...); returns the logins changed. */
export async function removeWeakCredentials(conn: PgConnection): Promise<string[]> {
  return withConnection(conn, async (client) => {
    if (!(await tableExists(client, "res_users"))) return [];
    const rows = (await client.query<UserPasswordRow>(SELECT_USER_PASSWORDS_SQL)).rows;
    const weak = await findWeakCredentials(rows);
    for (const statement of await resetPasswordStatements(weak)) await execute(client, statement);
    return weak.map((user) => user.login);
  });
}
