// A small database shaped like Odoo's (modules, partners, attachments, config parameters)
// and a filestore in Odoo's xx/sha1 layout, built for one test file and dropped after.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PgConnection } from "@gantry/backup";
import { config } from "@gantry/config";
import { dropRestoredDatabase, findPgTool } from "@gantry/postgres";
import pg from "pg";

export function adminConnection(): PgConnection {
  const url = new URL(config().DATABASE_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: "postgres",
  };
}

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  database: string,
  text: string,
  values?: unknown[],
): Promise<T[]> {
  const conn = adminConnection();
  const client = new pg.Client({ ...conn, database });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  return (await sql("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [name])).length > 0;
}

/** Drops a database, and the restore role that still owns it when it was restored without an owner. */
export async function dropDatabase(name: string): Promise<void> {
  await dropRestoredDatabase(adminConnection(), name);
}

/** pg_dump of a database as Odoo's database manager runs it (`--no-owner`), into `output`. */
export async function pgDump(database: string, output: string, format: "plain" | "custom"): Promise<void> {
  const conn = adminConnection();
  const tool = await findPgTool("pg_dump");
  await promisify(execFile)(
    tool.path,
    [
      "-h",
      conn.host,
      "-p",
      String(conn.port),
      "-U",
      conn.user,
      `--format=${format}`,
      "--no-owner",
      "-f",
      output,
      database,
    ],
    { env: { ...process.env, PGPASSWORD: conn.password } },
  );
}

export function scratchName(prefix: string): string {
  return `gantry_bk_${prefix}_${randomBytes(4).toString("hex")}`;
}

export interface OdooLike {
  name: string;
  dir: string;
  filestore: string;
  files: Map<string, string>;
  cleanup(): Promise<void>;
}

/** Creates the database and a filestore of `fileCount` files (plus one symlink, which backups skip). */
export async function createOdooLike(partners = 5000, fileCount = 40): Promise<OdooLike> {
  const name = scratchName("src");
  await sql("postgres", `CREATE DATABASE "${name}"`);
  await sql(
    name,
    `CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, state varchar, latest_version varchar);
     INSERT INTO ir_module_module (name, state, latest_version) VALUES
       ('base', 'installed', '18.0.1.3'), ('web', 'installed', '18.0.1.0'), ('mail', 'installed', '18.0.1.15'),
       ('sale', 'uninstalled', NULL), ('my_module', 'installed', '18.0.1.0.3');
     CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar UNIQUE, value text);
     INSERT INTO ir_config_parameter (key, value) VALUES ('database.uuid', gen_random_uuid()::text), ('web.base.url', 'http://localhost:8069');
     CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, email varchar, comment text, active boolean, write_date timestamp);
     INSERT INTO res_partner (name, email, comment, active, write_date)
       SELECT 'Partner ' || i, 'p' || i || '@example.com', E'line one\\nline two\\ttab \\\\ backslash \\\\. ' || md5(i::text), i % 7 <> 0, now()
         FROM generate_series(1, ${partners}) AS i;
     CREATE TABLE ir_attachment (id serial PRIMARY KEY, name varchar, store_fname varchar, checksum varchar, file_size int);
     CREATE INDEX res_partner_name_idx ON res_partner (name);`,
  );
  const dir = await mkdtemp(join(tmpdir(), "gantry-backup-"));
  const filestore = join(dir, "filestore", name);
  const files = new Map<string, string>();
  for (let i = 0; i < fileCount; i++) {
    const data = randomBytes(100 + i * 37);
    const sha1 = createHash("sha1").update(data).digest("hex");
    const rel = `${sha1.slice(0, 2)}/${sha1}`;
    await mkdir(join(filestore, sha1.slice(0, 2)), { recursive: true });
    await writeFile(join(filestore, rel), data);
    files.set(rel, createHash("sha256").update(data).digest("hex"));
    await sql(
      name,
      "INSERT INTO ir_attachment (name, store_fname, checksum, file_size) VALUES ($1, $2, $3, $4)",
      [`file${i}.bin`, rel, sha1, data.length],
    );
  }
  await symlink("/etc/passwd", join(filestore, "evil-link"));
  return {
    name,
    dir,
    filestore,
    files,
    cleanup: async () => {
      await dropDatabase(name);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
