// The neutralization SQL and the credentials reset, run on real PostgreSQL against the
// columns and constraints Odoo's tables have (a scratch database, an `odoo` schema).

import {
  findWeakCredentials,
  hashPassword,
  IS_NEUTRALIZED_SQL,
  neutralizeSteps,
  resetPasswordStatements,
  SELECT_USER_PASSWORDS_SQL,
  type SqlStatement,
  verifyPassword,
} from "@gantry/odoo";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneTestDatabase, type ScratchDatabase } from "../../support/databases";

const ODOO_TABLES = `
CREATE SCHEMA odoo;
SET search_path TO odoo;
CREATE TABLE ir_model_data (id serial PRIMARY KEY, module varchar NOT NULL, name varchar NOT NULL, model varchar NOT NULL, res_id integer);
CREATE TABLE ir_cron (id serial PRIMARY KEY, cron_name varchar, active boolean DEFAULT true);
CREATE TABLE ir_mail_server (id serial PRIMARY KEY, name varchar, active boolean DEFAULT true);
CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL, value text NOT NULL,
  create_uid integer, write_uid integer, create_date timestamp, write_date timestamp,
  CONSTRAINT ir_config_parameter_key_uniq UNIQUE (key));
CREATE TABLE res_users (id serial PRIMARY KEY, login varchar NOT NULL UNIQUE, password varchar);
INSERT INTO ir_cron (id, cron_name) VALUES (1, 'Base: Auto-vacuum internal data'), (2, 'Mail: Email Queue Manager'), (3, 'Sale: reminders');
INSERT INTO ir_model_data (module, name, model, res_id) VALUES ('base', 'autovacuum_job', 'ir.cron', 1), ('mail', 'ir_cron_mail_scheduler_action', 'ir.cron', 2);
INSERT INTO ir_mail_server (name) VALUES ('smtp.example.com');
`;

async function execute(client: pg.Client, statement: SqlStatement): Promise<void> {
  if (statement.onlyIfTable) {
    const exists = await client.query("SELECT to_regclass($1) IS NOT NULL AS present", [
      statement.onlyIfTable,
    ]);
    if (!exists.rows[0].present) return;
  }
  await client.query(statement.sql, [...statement.params]);
}

describe("neutralization and credentials SQL on PostgreSQL", () => {
  let db: ScratchDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await cloneTestDatabase("odoo");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(ODOO_TABLES);
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("turns crons (but the autovacuum) and mail servers off and marks the database, twice without harm", async () => {
    for (let round = 0; round < 2; round += 1) {
      for (const step of neutralizeSteps(false)) {
        if (step.kind === "sql") await execute(client, step);
      }
    }
    const crons = await client.query("SELECT id, active FROM ir_cron ORDER BY id");
    expect(crons.rows).toEqual([
      { id: 1, active: true },
      { id: 2, active: false },
      { id: 3, active: false },
    ]);
    const servers = await client.query("SELECT bool_or(active) AS any FROM ir_mail_server");
    expect(servers.rows[0].any).toBe(false);
    const flag = await client.query(IS_NEUTRALIZED_SQL, ["database.is_neutralized"]);
    expect(flag.rows).toEqual([{ value: "True" }]);
  });

  it("finds admin/admin and demo/demo and resets them to unusable passwords", async () => {
    await client.query(
      "INSERT INTO res_users (id, login, password) VALUES ($1, $2, $3), ($4, $5, $6), ($7, $8, $9)",
      [
        2,
        "admin",
        await hashPassword("admin", { rounds: 1000 }),
        6,
        "demo",
        "demo",
        7,
        "alice",
        await hashPassword("correct horse battery staple", { rounds: 1000 }),
      ],
    );
    const rows = (await client.query(SELECT_USER_PASSWORDS_SQL)).rows;
    const weak = await findWeakCredentials(rows);
    expect(weak).toEqual([
      { id: 2, login: "admin" },
      { id: 6, login: "demo" },
    ]);
    for (const statement of await resetPasswordStatements(weak, { rounds: 1000 }))
      await execute(client, statement);
    const after = (await client.query(SELECT_USER_PASSWORDS_SQL)).rows;
    expect(await findWeakCredentials(after)).toEqual([]);
    const alice = after.find((row) => row.login === "alice");
    expect(await verifyPassword("correct horse battery staple", alice.password)).toBe(true);
  });
});
