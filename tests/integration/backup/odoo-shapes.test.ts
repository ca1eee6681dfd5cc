// What a real Odoo 18.0 database (base, contacts, demo data, one attachment) showed the backup
// package, each cause reproduced here without Odoo:
// - Odoo's ir_actions is the parent of ir_act_window, ir_act_server… (table inheritance): pg_dump
//   copies each table's own rows, so counting a parent with its children's rows refused every
//   backup and failed the verification of every backup made by Odoo's database manager;
// - Odoo's database manager dumps with its own image's pg_dump, often a later minor release
//   than the host's psql, which is no reason to refuse the restore;
// - a writer failure on a file output ended the process instead of rejecting.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackup, isBackupError, verifyBackup } from "@gantry/backup";
import { findPgTool } from "@gantry/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminConnection, createOdooLike, type OdooLike, pgDump, sql } from "./fixture";
import { buildZip, type RawZipEntry } from "./raw-zip";

let source: OdooLike;
let work: string;

beforeAll(async () => {
  source = await createOdooLike(50, 2);
  // Odoo's actions as Odoo 18 creates them: rows only in the children, none in the parent.
  await sql(
    source.name,
    `CREATE TABLE ir_actions (id serial PRIMARY KEY, name jsonb NOT NULL, type varchar NOT NULL);
     CREATE TABLE ir_act_window (res_model varchar NOT NULL, PRIMARY KEY (id)) INHERITS (ir_actions);
     CREATE TABLE ir_act_server (state varchar NOT NULL, PRIMARY KEY (id)) INHERITS (ir_actions);
     INSERT INTO ir_act_window (name, type, res_model)
       SELECT jsonb_build_object('en_US', 'Window ' || i), 'ir.actions.act_window', 'res.partner'
         FROM generate_series(1, 7) AS i;
     INSERT INTO ir_act_server (name, type, state)
       SELECT jsonb_build_object('en_US', 'Server ' || i), 'ir.actions.server', 'code'
         FROM generate_series(1, 3) AS i;`,
  );
  // Statement shapes pg_dump writes for an Odoo 18 database, which the restore screen must
  // accept: trigram and expression indexes (jsonpath literals, a regex class), partial
  // indexes, report views with CTEs and CASE, ir.sequence's free-standing sequences, comments.
  await sql(
    source.name,
    `CREATE EXTENSION IF NOT EXISTS pg_trgm;
     CREATE INDEX ir_act_window__name_index ON ir_act_window
       USING gin (((jsonb_path_query_array(name, '$.*'))::text) gin_trgm_ops);
     CREATE INDEX ir_act_window__res_model_index ON ir_act_window (((res_model IS NOT NULL))) WHERE res_model IS NOT NULL;
     CREATE INDEX ir_act_server__keys_index ON ir_act_server
       USING gin (regexp_split_to_array((jsonb_path_query_array(name, '$.keyvalue()."key"'))::text, '\\D+'));
     CREATE VIEW report_actions AS
       WITH kinds(type, n) AS (SELECT type, count(*) FROM ir_actions GROUP BY type)
       SELECT row_number() OVER () AS id, type,
              CASE WHEN n > 5 THEN 'many' ELSE 'few' END AS size
         FROM kinds WHERE type::text <> ALL (ARRAY['draft'::varchar, 'cancel'::varchar]::text[]);
     CREATE SEQUENCE ir_sequence_001 INCREMENT BY 1 START WITH 1;
     SELECT nextval('ir_sequence_001');
     COMMENT ON TABLE ir_actions IS 'ir.actions.actions';
     COMMENT ON COLUMN ir_act_window.res_model IS 'Destination Model: the "model" it opens';`,
  );
  work = await mkdtemp(join(tmpdir(), "gantry-odoo-shapes-"));
}, 120_000);

afterAll(async () => {
  await source?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

function verify(archive: string) {
  return verifyBackup({ archive, admin: adminConnection(), scratchDir: work });
}

/** A zip as Odoo's /web/database/backup writes it: dump.sql, filestore/, Odoo's manifest only. */
async function odooManagerZip(dumpSql: Buffer, name: string): Promise<string> {
  const entries: RawZipEntry[] = [
    { name: "dump.sql", data: dumpSql, deflate: true },
    {
      name: "manifest.json",
      data: Buffer.from(
        JSON.stringify({
          odoo_dump: "1",
          db_name: source.name,
          version: "18.0",
          version_info: [18, 0, 0, "final", 0, ""],
          major_version: "18.0",
          pg_version: "15.0",
          modules: { base: "18.0.1.3", mail: "18.0.1.15", my_module: "18.0.1.0.3", web: "18.0.1.0" },
        }),
      ),
    },
  ];
  for (const rel of source.files.keys())
    entries.push({ name: `filestore/${rel}`, data: await readFile(join(source.filestore, rel)) });
  const path = join(work, name);
  await writeFile(path, buildZip(entries));
  return path;
}

describe("Odoo's table inheritance", () => {
  it("backs up a database whose tables inherit, counting each table's own rows, and verifies it", async () => {
    const archive = join(work, "gantry.zip");
    const result = await createBackup({
      source: { ...adminConnection(), database: source.name },
      filestore: source.filestore,
      output: archive,
    });
    expect(result.manifest.gantry?.row_counts["public.ir_actions"]).toBe(0);
    expect(result.manifest.gantry?.row_counts["public.ir_act_window"]).toBe(7);
    expect(result.manifest.gantry?.row_counts["public.ir_act_server"]).toBe(3);
    const report = await verify(archive);
    expect(report.problems).toEqual([]);
    expect(report.rowCountSource).toBe("snapshot");
  });

  it("verifies a backup made as Odoo's database manager makes it (its dump's rows only)", async () => {
    await pgDump(source.name, join(work, "manager.sql"), "plain");
    const archive = await odooManagerZip(await readFile(join(work, "manager.sql")), "manager.zip");
    const report = await verify(archive);
    expect(report.problems).toEqual([]);
    expect(report.rowCountSource).toBe("dump");
    expect(report.checked.files).toBe(source.files.size);
  });
});

describe("pg_dump's release", () => {
  it("restores a dump written by a later minor release of psql's own major version", async () => {
    const psql = await findPgTool("psql");
    const [major = 0, minor = 0] = psql.version;
    const later = `${major}.${minor + 1}`;
    await pgDump(source.name, join(work, "later.sql"), "plain");
    const text = (await readFile(join(work, "later.sql"), "utf8")).replace(
      /^-- Dumped by pg_dump version \S+/m,
      `-- Dumped by pg_dump version ${later}`,
    );
    expect(text).toContain(`-- Dumped by pg_dump version ${later}`);
    const report = await verify(await odooManagerZip(Buffer.from(text), "later.zip"));
    expect(report.problems).toEqual([]);
  });

  it("still refuses a dump of a later major release", async () => {
    const psql = await findPgTool("psql");
    await pgDump(source.name, join(work, "major.sql"), "plain");
    const text = (await readFile(join(work, "major.sql"), "utf8")).replace(
      /^-- Dumped by pg_dump version \S+/m,
      `-- Dumped by pg_dump version ${(psql.version[0] ?? 0) + 1}.0`,
    );
    const report = await verify(await odooManagerZip(Buffer.from(text), "major.zip"));
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/restore failed: the dump was written by pg_dump \d+\.0;/);
  });
});

describe("a writer failure on a file output", () => {
  it("rejects, leaves no file behind and keeps the process running", async () => {
    // pg_dump writes CREATE EXTENSION hstore, which the restore screen refuses: the writer
    // fails mid-dump, after its output file was opened.
    const name = `${source.name}_hs`;
    await sql("postgres", `CREATE DATABASE "${name}" TEMPLATE "${source.name}"`);
    try {
      await sql(name, "CREATE EXTENSION hstore");
      const dir = await mkdtemp(join(work, "out-"));
      const uncaught: unknown[] = [];
      const hear = (error: unknown) => uncaught.push(error);
      process.on("uncaughtException", hear);
      const failure = await createBackup({
        source: { ...adminConnection(), database: name },
        output: join(dir, "backup.zip"),
      }).catch((error: unknown) => error);
      expect(isBackupError(failure) && failure.code).toBe("SQL_FORBIDDEN");
      // The file stream's error event was heard, and nothing half-written is left.
      await new Promise((resolve) => setImmediate(resolve));
      process.off("uncaughtException", hear);
      expect(uncaught).toEqual([]);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await sql("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
