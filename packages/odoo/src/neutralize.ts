// Neutralization of a database copy (staging, imports, neutralized dumps): what it does, as
// data, so the caller runs the SQL through its own client and the command in a container.
// The SQL mirrors base's `data/neutralize.sql` and runs first, so the copy is already
// harmless even when `odoo neutralize` cannot run (e.g. the code does not load yet).
import { type CommonOptions, neutralizeCommand } from "./commands";

export interface SqlStatement {
  description: string;
  sql: string;
  params: readonly (string | number | boolean | null)[];
  /** Skip the statement when this table does not exist (a module not installed). */
  onlyIfTable?: string;
}

export type NeutralizeStep =
  | ({ kind: "sql" } & SqlStatement)
  | { kind: "command"; description: string; args: string[] };

/**
 * Deactivates every scheduled action except base's autovacuum (it only cleans up, and
 * Odoo's own neutralization keeps it).
 */
export const DEACTIVATE_CRONS: SqlStatement = {
  description: "deactivate scheduled actions (except base.autovacuum_job)",
  sql: `UPDATE ir_cron SET active = false
 WHERE active AND id NOT IN (
   SELECT res_id FROM ir_model_data WHERE model = 'ir.cron' AND module = $1 AND name = $2
 )`,
  params: ["base", "autovacuum_job"],
};

export const DEACTIVATE_MAIL_SERVERS: SqlStatement = {
  description: "deactivate outgoing mail servers",
  sql: "UPDATE ir_mail_server SET active = false WHERE active",
  params: [],
};

export const DEACTIVATE_FETCHMAIL: SqlStatement = {
  description: "deactivate incoming mail servers",
  sql: "UPDATE fetchmail_server SET active = false WHERE active",
  params: [],
  onlyIfTable: "fetchmail_server",
};

// Only the columns every series has (create_uid/write_uid are nullable in Odoo, and absent from
// lighter schemas), like Odoo's own neutralize does.
export const MARK_NEUTRALIZED: SqlStatement = {
  description: "set database.is_neutralized",
  sql: `INSERT INTO ir_config_parameter (key, value, create_date, write_date)
VALUES ($1, $2, now() at time zone 'UTC', now() at time zone 'UTC')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = EXCLUDED.write_date`,
  params: ["database.is_neutralized", "True"],
};

/** Whether a database says it is neutralized. */
export const IS_NEUTRALIZED_SQL = "SELECT value FROM ir_config_parameter WHERE key = $1";

/**
 * The steps, in order: crons off, mail servers off, `odoo neutralize -d DB` (every installed
 * module's neutralize.sql) and mail servers off again, then the flag (set again in case the
 * command was skipped).
 */
export function neutralizeSteps(command: CommonOptions | false): NeutralizeStep[] {
  const steps: NeutralizeStep[] = [
    { kind: "sql", ...DEACTIVATE_CRONS },
    { kind: "sql", ...DEACTIVATE_MAIL_SERVERS },
    { kind: "sql", ...DEACTIVATE_FETCHMAIL },
  ];
  if (command) {
    steps.push({
      kind: "command",
      description: "odoo neutralize: every installed module's neutralize.sql",
      args: neutralizeCommand(command),
    });
    // Odoo's mail/data/neutralize.sql adds an active server that cannot deliver ("invalid"), so
    // that the command line's server is not used either. Gantry's command line names the mail
    // catcher: with no active server left, the copy's mail is caught, as on Odoo.sh.
    steps.push({
      kind: "sql",
      ...DEACTIVATE_MAIL_SERVERS,
      description: "deactivate the server odoo neutralize adds: mail goes to the catcher",
    });
  }
  steps.push({ kind: "sql", ...MARK_NEUTRALIZED });
  return steps;
}
