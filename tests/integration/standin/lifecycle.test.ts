import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADDONS,
  checkout,
  cloneDb,
  DB_ARGS,
  dataDir,
  dropDb,
  mailerInstallArgs,
  makeTemplate,
  odoo,
  query,
  removeTestContainers,
  requireImages,
  uniqueDb,
} from "./helpers";
import { startSmtp } from "./smtp";

const dbs: string[] = [];
let template: string;

async function freshDb(): Promise<string> {
  const db = uniqueDb();
  dbs.push(db);
  await cloneDb(template, db);
  return db;
}

beforeAll(async () => {
  await requireImages(["17.0"]);
  template = await makeTemplate();
  dbs.push(template);
});

afterAll(async () => {
  await removeTestContainers();
  for (const db of dbs) await dropDb(db);
});

describe("module lifecycle", () => {
  it("updates a bumped module running its pre and post migration scripts", async () => {
    const db = await freshDb();
    const data = await dataDir();
    const v1 = await odoo(
      ["odoo", "-d", db, ...DB_ARGS, "--addons-path", ADDONS, "-i", "acme_base", "--stop-after-init"],
      {
        source: await checkout("acme17", "main"),
        data,
      },
    );
    expect(v1.code, v1.stdout).toBe(0);
    const v2 = await odoo(
      ["odoo", "-d", db, ...DB_ARGS, "--addons-path", ADDONS, "-u", "acme_base", "--stop-after-init"],
      {
        source: await checkout("acme17", "bump"),
        data,
      },
    );
    expect(v2.code, v2.stdout).toBe(0);
    expect(v2.stdout).toMatch(/Running migration \[17\.0\.1\.1\.0>\] pre-rename/);
    const log = await query<{ stage: string; version: string }>(
      db,
      "SELECT stage, version FROM acme_migration_log ORDER BY stage DESC",
    );
    expect(log).toEqual([
      { stage: "pre", version: "17.0.1.0.0" },
      { stage: "post", version: "17.0.1.0.0" },
    ]);
    const filled = await query<{ n: string }>(
      db,
      "SELECT count(*) AS n FROM acme_project WHERE budget_eur = budget",
    );
    expect(Number(filled[0]?.n)).toBeGreaterThan(0);
    const mod = await query<{ latest_version: string }>(
      db,
      "SELECT latest_version FROM ir_module_module WHERE name = 'acme_base'",
    );
    expect(mod[0]?.latest_version).toBe("17.0.1.1.0");
  });

  it("neutralizes: crons and mail servers off, database.is_neutralized set", async () => {
    const db = await freshDb();
    const before = await query<{ n: string }>(db, "SELECT count(*) AS n FROM ir_cron WHERE active");
    expect(Number(before[0]?.n)).toBeGreaterThan(0);
    const run = await odoo(["odoo", "neutralize", "-d", db, ...DB_ARGS]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const crons = await query<{ n: string }>(db, "SELECT count(*) AS n FROM ir_cron WHERE active");
    expect(Number(crons[0]?.n)).toBe(0);
    const servers = await query<{ smtp_host: string | null }>(
      db,
      "SELECT smtp_host FROM ir_mail_server WHERE active",
    );
    expect(servers.every((s) => s.smtp_host === "invalid")).toBe(true);
    const flag = await query<{ value: string }>(
      db,
      "SELECT value FROM ir_config_parameter WHERE key = 'database.is_neutralized'",
    );
    expect(flag[0]?.value).toBe("true");
  });

  it("writes attachments into the data dir's filestore", async () => {
    const db = await freshDb();
    const data = await dataDir();
    const run = await odoo(
      ["odoo", "-d", db, ...DB_ARGS, "--addons-path", ADDONS, "-i", "acme_docs", "--stop-after-init"],
      {
        source: await checkout("acme17", "main"),
        data,
      },
    );
    expect(run.code, run.stdout).toBe(0);
    const rows = await query<{ store_fname: string; checksum: string }>(
      db,
      "SELECT store_fname, checksum FROM ir_attachment WHERE name = 'terms.txt'",
    );
    expect(rows).toHaveLength(1);
    expect(existsSync(join(data, "filestore", db, rows[0]!.store_fname))).toBe(true);
  });

  it("sends a module's mail through --smtp/--smtp-port", async () => {
    const smtp = await startSmtp();
    try {
      const db = await freshDb();
      const run = await odoo(
        mailerInstallArgs(db, ["--smtp", "127.0.0.1", "--smtp-port", String(smtp.port)]),
        { source: await checkout("acme17", "mail") },
      );
      expect(run.code, run.stdout).toBe(0);
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]?.data).toContain("Subject: ACME welcome");
      expect(smtp.mails[0]?.to.join()).toContain("ops@acme.example.com");
    } finally {
      await smtp.close();
    }
  });

  it("logs a module's WARNING on install (a yellow build)", async () => {
    const db = await freshDb();
    const run = await odoo(
      ["odoo", "-d", db, ...DB_ARGS, "--addons-path", ADDONS, "-i", "acme_warn", "--stop-after-init"],
      {
        source: await checkout("acme17", "warning"),
      },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(
      / WARNING \S+ odoo\.addons\.acme_warn: acme_warn: the ACME API key is not configured/,
    );
  });

  it("runs stdin Python in odoo shell with env", async () => {
    const db = await freshDb();
    const { spawn } = await import("node:child_process");
    const child = spawn("docker", [
      "run",
      "-i",
      "--rm",
      "--network",
      "host",
      "--label",
      "gantry.managed=true",
      "--label",
      "gantry.test=standin",
      "gantry/odoo:17.0",
      "odoo",
      "shell",
      "-d",
      db,
      ...DB_ARGS,
    ]);
    child.stdin.end(
      "env.cr.execute(\"UPDATE res_users SET login = 'root' WHERE login = 'admin'\")\nenv.cr.commit()\n",
    );
    const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
    expect(code).toBe(0);
    const rows = await query(db, "SELECT 1 FROM res_users WHERE login = 'root'");
    expect(rows).toHaveLength(1);
  });
});
