// The one neutralization of a database copy (staging copies of production, upgrade rehearsals,
// restores and imports asked to be neutral, neutralized backups), in packages/odoo's order: the
// SQL part first (crons and mail servers off), committed, so the copy is harmless even when
// `odoo neutralize` cannot run; then the command (every installed module's neutralize.sql) when
// the caller has an image to run it in; then the `database.is_neutralized` flag.
// The credentials check sits beside it: staging and production run it on every copy they make.
import type { PgConnection } from "@gantry/backup";
import { bestEffort } from "@gantry/config";
import {
  type CommonOptions,
  findWeakCredentials,
  neutralizeSteps,
  resetPasswordStatements,
  SELECT_USER_PASSWORDS_SQL,
  type SqlStatement,
  type UserPasswordRow,
} from "@gantry/odoo";
import { withConnection } from "@gantry/postgres";
import type pg from "pg";

export interface NeutralizeOptions {
  /** `odoo neutralize`'s options and a runner for its command line, which throws when it fails. */
  command?: { options: CommonOptions; run: (args: string[]) => Promise<void> };
  /** Where each step done is told (a build's or attempt's log). */
  log?: (line: string) => Promise<void>;
}

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

/** Runs statements in one transaction; returns the descriptions of those that applied. */
async function inTransaction(conn: PgConnection, statements: SqlStatement[]): Promise<string[]> {
  return withConnection(conn, async (client) => {
    const done: string[] = [];
    await client.query("BEGIN");
    try {
      for (const statement of statements)
        if (await execute(client, statement)) done.push(statement.description);
      await client.query("COMMIT");
    } catch (error) {
      await bestEffort("rolling back the neutralization", client.query("ROLLBACK"));
      throw error;
    }
    return done;
  });
}

/** Neutralizes `conn.database`; returns the steps done. */
export async function neutralize(conn: PgConnection, options: NeutralizeOptions = {}): Promise<string[]> {
  const done: string[] = [];
  let pending: SqlStatement[] = [];
  const flush = async () => {
    const applied = await inTransaction(conn, pending);
    pending = [];
    for (const step of applied) await options.log?.(`neutralize: ${step}`);
    done.push(...applied);
  };
  for (const step of neutralizeSteps(options.command?.options ?? false)) {
    if (step.kind === "sql") {
      pending.push(step);
      continue;
    }
    await flush();
    await options.command?.run(step.args);
    await options.log?.(`neutralize: ${step.description}`);
    done.push(step.description);
  }
  await flush();
  return done;
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

/** The credentials check with its outcome told in the log. */
export async function credentialsCheck(
  conn: PgConnection,
  log: (line: string) => Promise<void>,
): Promise<string[]> {
  const reset = await removeWeakCredentials(conn);
  await log(
    reset.length > 0
      ? `credentials check: known weak passwords removed for ${reset.join(", ")}`
      : "credentials check: no known weak password",
  );
  return reset;
}
