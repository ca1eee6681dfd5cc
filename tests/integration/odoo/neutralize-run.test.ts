// The worker's one neutralization run on real PostgreSQL: the SQL part committed before
// `odoo neutralize` runs (so a failing command leaves a harmless copy), the flag set after it.
import { IS_NEUTRALIZED_SQL } from "@gantry/odoo";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { neutralize } from "../../../apps/worker/src/shared/neutralize";
import { cloneTestDatabase, type ScratchDatabase } from "../../support/databases";

const ODOO_TABLES = `
CREATE TABLE ir_model_data (id serial PRIMARY KEY, module varchar NOT NULL, name varchar NOT NULL, model varchar NOT NULL, res_id integer);
CREATE TABLE ir_cron (id serial PRIMARY KEY, active boolean DEFAULT true);
CREATE TABLE ir_mail_server (id serial PRIMARY KEY, active boolean DEFAULT true);
CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text NOT NULL,
  create_date timestamp, write_date timestamp);
INSERT INTO ir_cron (id) VALUES (1), (2);
INSERT INTO ir_model_data (module, name, model, res_id) VALUES ('base', 'autovacuum_job', 'ir.cron', 1);
INSERT INTO ir_mail_server DEFAULT VALUES;
`;

describe("neutralize (worker)", () => {
  let db: ScratchDatabase;
  let client: pg.Client;
  let conn: { host: string; port: number; user: string; password: string; database: string };

  const state = async () => ({
    crons: (await client.query("SELECT id, active FROM ir_cron ORDER BY id")).rows,
    flag: (await client.query(IS_NEUTRALIZED_SQL, ["database.is_neutralized"])).rows[0]?.value ?? null,
  });

  beforeAll(async () => {
    db = await cloneTestDatabase("neutral");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(ODOO_TABLES);
    const url = new URL(db.url);
    conn = {
      host: url.hostname,
      port: Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: db.name,
    };
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("keeps the SQL part when the command fails, and leaves the flag unset", async () => {
    const failing = neutralize(conn, {
      command: {
        options: { db: db.name, connection: conn },
        run: async () => {
          throw new Error("odoo neutralize failed (exit 1)");
        },
      },
    });
    await expect(failing).rejects.toThrow("exit 1");
    expect(await state()).toEqual({
      crons: [
        { id: 1, active: true },
        { id: 2, active: false },
      ],
      flag: null,
    });
  });

  it("runs crons and mail off, then the command, then the flag, telling each step", async () => {
    await client.query("UPDATE ir_cron SET active = true; UPDATE ir_mail_server SET active = true");
    const lines: string[] = [];
    let seenByCommand: Awaited<ReturnType<typeof state>> | undefined;
    let args: string[] = [];
    const done = await neutralize(conn, {
      log: async (line) => {
        lines.push(line);
      },
      command: {
        options: { db: db.name, connection: conn, omitPassword: true },
        run: async (cmd) => {
          args = cmd;
          seenByCommand = await state();
        },
      },
    });
    expect(args.slice(0, 4)).toEqual(["odoo", "neutralize", "-d", db.name]);
    expect(seenByCommand?.crons).toEqual([
      { id: 1, active: true },
      { id: 2, active: false },
    ]);
    expect(seenByCommand?.flag).toBeNull();
    expect((await state()).flag).toBe("True");
    const servers = await client.query("SELECT bool_or(active) AS any FROM ir_mail_server");
    expect(servers.rows[0].any).toBe(false);
    // fetchmail_server does not exist here: its statement is skipped, not failed.
    expect(done).toEqual([
      "deactivate scheduled actions (except base.autovacuum_job)",
      "deactivate outgoing mail servers",
      "odoo neutralize: every installed module's neutralize.sql",
      "deactivate the server odoo neutralize adds: mail goes to the catcher",
      "set database.is_neutralized",
    ]);
    expect(lines).toEqual(done.map((step) => `neutralize: ${step}`));
  });
});
