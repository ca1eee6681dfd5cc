// Module code owns its database and may plant traps there for Gantry's own connections:
// triggers on the tables Gantry writes (res_users, ir_cron, ir_mail_server) that record who
// runs them and try what only a superuser (or, on PostgreSQL 15, a CREATEROLE role) can do,
// and a search_path on the database and on its role that puts a schema of shadowing views,
// functions and operators before pg_catalog. A staging build (copy, neutralization,
// credentials check) and backups (exact and neutralized) of that production must run none of
// them with the administrator's rights. And a build's role cannot open another's database.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROD_CLUSTER } from "../../support/clusters";
import { type BuildSuite, startBuildSuite } from "./suite";
import { shaOf } from "./support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;
let productionBranchId: string;
let productionDb: string;
let productionRole: string;
let superusersBefore: string[];

async function onDb<T>(
  database: string,
  work: (client: pg.Client) => Promise<T>,
  login: { user: string; password: string } = PROD_CLUSTER,
): Promise<T> {
  const client = new pg.Client({ ...PROD_CLUSTER, ...login, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function superusers(): Promise<string[]> {
  return onDb("postgres", async (c) =>
    (await c.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY 1")).rows.map(
      (r) => r.rolname,
    ),
  );
}

/** Roles that hold rights a trap would grab: superuser, or a server-program role. */
async function escalated(role: string): Promise<Record<string, boolean>> {
  return onDb("postgres", async (c) => {
    const { rows } = await c.query<{ superuser: boolean; program: boolean }>(
      `SELECT r.rolsuper AS superuser, pg_has_role(r.oid, 'pg_execute_server_program', 'MEMBER') AS program
         FROM pg_roles r WHERE r.rolname = $1`,
      [role],
    );
    return rows[0] ?? { superuser: false, program: false };
  });
}

/**
 * The traps, created as the production build's role (as its modules would): statements a
 * dump screen would refuse are put together at run time, as hostile code does.
 */
function trapSql(role: string): string[] {
  const grabs = `
    BEGIN EXECUTE format('AL' || 'TER RO' || 'LE %I SUPER' || 'USER', '${role}'); esc := true;
    EXCEPTION WHEN others THEN NULL; END;
    BEGIN EXECUTE format('GR' || 'ANT pg_exec' || 'ute_server_program TO %I', '${role}'); esc := true;
    EXCEPTION WHEN others THEN NULL; END;
    BEGIN EXECUTE 'CO' || 'PY (SELECT 1) TO PRO' || 'GRAM ''true'''; esc := true;
    EXCEPTION WHEN others THEN NULL; END;`;
  return [
    "CREATE TABLE public.trap_log (fired_on text, who text, session_who text, escalated boolean)",
    "GRANT INSERT ON public.trap_log TO PUBLIC",
    `CREATE FUNCTION public.trap() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE esc boolean := false;
     BEGIN ${grabs}
       INSERT INTO public.trap_log VALUES (TG_TABLE_NAME, current_user, session_user, esc);
       RETURN NEW;
     END $$`,
    ...["res_users", "ir_cron", "ir_mail_server"].map(
      (table) =>
        `CREATE TRIGGER gantry_trap BEFORE UPDATE ON public.${table} FOR EACH ROW EXECUTE FUNCTION public.trap()`,
    ),
    // Shadowing: whatever reads through these raises, so a read-only snapshot that used them
    // fails loudly; a writable session records itself first.
    "CREATE SCHEMA evil",
    `CREATE FUNCTION evil.spy() RETURNS boolean LANGUAGE plpgsql AS $$
     DECLARE esc boolean := false;
     BEGIN ${grabs}
       RAISE EXCEPTION 'trap fired as % (session %), escalated: %', current_user, session_user, esc;
     END $$`,
    "CREATE VIEW evil.pg_class AS SELECT c.* FROM pg_catalog.pg_class c WHERE evil.spy()",
    "CREATE VIEW evil.pg_namespace AS SELECT n.* FROM pg_catalog.pg_namespace n WHERE evil.spy()",
    "CREATE VIEW evil.pg_database AS SELECT d.* FROM pg_catalog.pg_database d WHERE evil.spy()",
    "CREATE VIEW evil.res_users AS SELECT u.* FROM public.res_users u WHERE evil.spy()",
    "CREATE VIEW evil.ir_module_module AS SELECT m.* FROM public.ir_module_module m WHERE evil.spy()",
    "CREATE VIEW evil.ir_config_parameter AS SELECT p.* FROM public.ir_config_parameter p WHERE evil.spy()",
    `CREATE FUNCTION evil.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
     BEGIN RETURN evil.spy(); END $$`,
    "CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_eq)",
    `ALTER DATABASE ${productionDb} SET search_path = evil, pg_catalog, public`,
    `ALTER ROLE ${role} SET search_path = evil, pg_catalog, public`,
  ];
}

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  await prisma().dbServer.deleteMany();
  projectId = (await suite.project("traps", { name: "ACME traps" })).id;
  const branch = await prisma().branch.create({
    data: { projectId, name: "main", stage: "PRODUCTION", onNewCommit: "UPDATE_PREVIOUS" },
  });
  productionBranchId = branch.id;
  productionDb = `gantry_p_${branch.id}`;
  const buildId = await suite.push({
    projectId,
    branchId: branch.id,
    stage: "PRODUCTION",
    sha: await shaOf(join(suite.env.repos, "acme17.git"), "main"),
  });
  const build = await suite.ended(buildId);
  expect(build.errorSummary).toBeNull();
  productionRole = build.databaseRole as string;
  const { hashPassword } = await import("@gantry/odoo");
  // What the checks must act on: live mail servers and crons, and admin/admin.
  const weak = await hashPassword("admin", { rounds: 1000 });
  await onDb(productionDb, async (c) => {
    await c.query(`SET ROLE ${productionRole}`);
    await c.query(
      "INSERT INTO ir_mail_server (name, smtp_host, smtp_port, active) VALUES ('Production SMTP', 'smtp.acme.example.com', 587, true)",
    );
    await c.query("UPDATE ir_cron SET active = true");
    await c.query("UPDATE res_users SET password = $1 WHERE login = 'admin'", [weak]);
    for (const statement of trapSql(productionRole)) await c.query(statement);
  });
  superusersBefore = await superusers();
}, 600_000);

afterAll(() => suite?.close(), 180_000);

describe("traps planted by module code", () => {
  it("a staging build neutralizes and checks credentials as its own role: every trap ran as that role", async () => {
    const branch = await prisma().branch.create({
      data: { projectId, name: "staging-1", stage: "STAGING", onNewCommit: "UPDATE_PREVIOUS" },
    });
    const buildId = await suite.push({
      projectId,
      branchId: branch.id,
      stage: "STAGING",
      sha: await shaOf(join(suite.env.repos, "acme17.git"), "main"),
    });
    const build = await suite.ended(buildId);
    expect(build.errorSummary).toBeNull();
    const role = build.databaseRole as string;
    const database = build.databaseName as string;
    const log = await onDb(database, async (c) => {
      const { rows } = await c.query<{
        fired_on: string;
        who: string;
        session_who: string;
        escalated: boolean;
      }>("SELECT fired_on, who, session_who, escalated FROM public.trap_log");
      return rows;
    });
    // The traps did fire (the checks wrote to those tables), and only ever as the build's role.
    expect(new Set(log.map((row) => row.fired_on))).toEqual(
      new Set(["res_users", "ir_cron", "ir_mail_server"]),
    );
    for (const row of log) expect(row).toMatchObject({ who: role, session_who: role, escalated: false });
    // The checks did their work all the same: production's server off (and the one that cannot
    // deliver which odoo neutralize adds: mail goes to the catcher), admin's known password gone.
    const state = await onDb(database, async (c) => ({
      servers: (await c.query("SELECT smtp_host FROM public.ir_mail_server WHERE active")).rows,
      admin: (
        await c.query<{ password: string }>("SELECT password FROM public.res_users WHERE login = 'admin'")
      ).rows[0]?.password,
    }));
    expect(state.servers).toEqual([]);
    const { verifyPassword } = await import("@gantry/odoo");
    expect(await verifyPassword("admin", state.admin ?? "")).toBe(false);
    expect(await superusers()).toEqual(superusersBefore);
    expect(await escalated(role)).toEqual({ superuser: false, program: false });
    expect(await escalated(productionRole)).toEqual({ superuser: false, program: false });
  }, 600_000);

  it("backups, exact and neutralized, read and neutralize without running a trap as the administrator", async () => {
    const { takeBackup } = await import("../../../apps/worker/src/backups/take");
    for (const neutralized of [false, true]) {
      const taken = await takeBackup(
        { db: prisma },
        { branchId: productionBranchId, kind: "MANUAL", neutralized, withFilestore: false },
      );
      const row = await prisma().backup.findUniqueOrThrow({ where: { id: taken.id } });
      expect(row).toMatchObject({ status: "DONE", neutralized });
    }
    expect(await superusers()).toEqual(superusersBefore);
    expect(await escalated(productionRole)).toEqual({ superuser: false, program: false });
    // No scratch role or database outlived the neutralized backup.
    const leftovers = await onDb(
      "postgres",
      async (c) =>
        (
          await c.query(
            "SELECT rolname AS name FROM pg_roles WHERE rolname LIKE 'gantry\\_neutral\\_%' UNION ALL SELECT datname FROM pg_database WHERE datname LIKE 'gantry\\_neutral\\_%'",
          )
        ).rows,
    );
    expect(leftovers).toEqual([]);
  }, 600_000);

  it("a build's role cannot connect to another build's database", async () => {
    const { createRole, dropRole } = await import("@gantry/postgres");
    const stranger = {
      user: `gantry_b_stranger_${randomBytes(4).toString("hex")}`,
      password: randomBytes(16).toString("hex"),
    };
    await createRole(PROD_CLUSTER, stranger.user, stranger.password);
    try {
      await expect(onDb(productionDb, async () => "connected", stranger)).rejects.toThrow(
        /permission denied for database/,
      );
    } finally {
      await dropRole(PROD_CLUSTER, stranger.user);
    }
  });
});
